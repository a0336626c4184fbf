"""Stage 5c — targets: promised or planned outcomes with their deadline.

Entry point: ``find_targets(text, figures, dates, issue_date) -> list[dict]`` with start,
end, text, deadline_text, deadline_start, deadline_end, modality, figures (indices into the
given figures list). Marker words, scope rules and the words that mark the past live in
``rules/targets/targets.yaml`` (read its header for the rules); this module finds the
markers, works out each target's scope from clause/sentence/paragraph bounds and links the
deadline and the figures.
"""
from __future__ import annotations

import bisect
import datetime as dt
import functools
from dataclasses import dataclass

import regex

from baozhi.resources import ruleset

RULES = "targets/targets.yaml"


@functools.cache
def _cfg() -> dict:
    cfg = dict(ruleset.load(RULES))
    cfg["_markers"] = [(m["modality"], regex.compile(m["re"]), bool(m.get("weak")))
                       for m in cfg["markers"]]
    cfg["_to_date"] = regex.compile(cfg["to_date"]["re"])
    cfg["_to_date_not"] = regex.compile(cfg["to_date"]["not_in_clause_before"])
    cfg["_to_date_not_dates"] = regex.compile(cfg["to_date"]["not_dates"])
    cfg["_plan_verbs"] = regex.compile(cfg["plan_verbs"])
    cfg["_date_markers"] = [
        {**d, "_text": regex.compile(d["text"]) if d.get("text") else None}
        for d in cfg["date_markers"]]
    cfg["_year_goal_date"] = regex.compile(cfg["year_goal"]["date_text"])
    cfg["_year_goal_verb"] = regex.compile(cfg["year_goal"]["verbs"])
    cfg["_lead_in"] = regex.compile(cfg["lead_in"])
    cfg["_past"] = regex.compile(cfg["past"])
    cfg["_sent"] = frozenset(cfg["sentence_end"])
    cfg["_clause"] = frozenset(cfg["clause_end"]) | cfg["_sent"]
    return cfg


class _Bounds:
    """Clause, sentence and paragraph bounds of a text, for fast look-ups."""

    def __init__(self, text: str, cfg: dict):
        self.n = len(text)
        self.clause = [i for i, ch in enumerate(text) if ch in cfg["_clause"]]
        self.sent = [i for i, ch in enumerate(text) if ch in cfg["_sent"]]
        self.para = [i for i, ch in enumerate(text) if ch == "\n"]

    @staticmethod
    def _before(marks: list[int], pos: int) -> int:
        """Start of the unit holding ``pos``: just after the last mark before it."""
        k = bisect.bisect_left(marks, pos)
        return marks[k - 1] + 1 if k else 0

    def _after(self, marks: list[int], pos: int) -> int:
        """End (exclusive) of the unit holding ``pos``: the next mark at or after it."""
        k = bisect.bisect_left(marks, pos)
        return marks[k] if k < len(marks) else self.n

    def clause_start(self, pos: int) -> int:
        return self._before(self.clause, pos)

    def clause_end(self, pos: int) -> int:
        return self._after(self.clause, pos)

    def sentence_start(self, pos: int) -> int:
        return self._before(self.sent, pos)

    def sentence_end(self, pos: int) -> int:
        return self._after(self.sent, pos)

    def paragraph_end(self, pos: int) -> int:
        return self._after(self.para, pos)


@dataclass
class _Marker:
    start: int           # where the marker word (or its date) starts
    end: int             # where the marker word (or 到 + its date, or the date) ends
    modality: str
    date: int | None     # index of the marker's own date, if it has one
    weak: bool = False
    fronted_only: bool = False   # the date alone, then a clause mark (今年，)
    opens_only: bool = False     # the date opens its clause (全年新增…)


def _markers(text: str, dates: list[dict], cfg: dict, b: _Bounds) -> list[_Marker]:
    out: list[_Marker] = []
    in_date = [(d["start"], d["end"]) for d in dates]

    def inside_date(pos: int) -> bool:
        return any(s <= pos < e for s, e in in_date)

    for modality, rx, weak in cfg["_markers"]:
        for m in rx.finditer(text):
            if not inside_date(m.start()):
                out.append(_Marker(m.start(), m.end(), modality, None, weak))
    starts = {d["start"]: i for i, d in enumerate(dates)}
    ends = {d["end"] for d in dates}
    for m in cfg["_to_date"].finditer(text):
        i = starts.get(m.end())
        if i is None or inside_date(m.start()) or m.start() in ends:   # 29日至2月3日: a range
            continue
        if cfg["_to_date_not_dates"].search(dates[i]["text"]):
            continue
        if cfg["_to_date_not"].search(text, b.clause_start(m.start()), m.start()):
            continue
        out.append(_Marker(m.start(), dates[i]["end"], m.group(), i))
    for i, d in enumerate(dates):
        for dm in cfg["_date_markers"]:
            if dm["_text"] is not None and not dm["_text"].search(d["text"]):
                continue
            if dm.get("granularity") and d.get("granularity") != dm["granularity"]:
                continue
            out.append(_Marker(d["start"], d["end"], d["text"], i, bool(dm.get("weak")),
                               bool(dm.get("fronted_only")), bool(dm.get("opens_only"))))
            break
        else:
            if cfg["_year_goal_date"].search(d["text"]) and _opens_clause(text, d["start"], cfg, b):
                verb = cfg["_year_goal_verb"].search(text, d["end"], b.clause_end(d["end"]))
                if verb:
                    out.append(_Marker(d["start"], d["end"], verb.group(), i))
    out.sort(key=lambda mk: mk.start)
    return out


def _paragraph_scope_end(mk: _Marker, dates: list[dict], b: _Bounds) -> int:
    """A fronted time phrase governs the rest of its paragraph, up to a sentence that names
    a date of its own."""
    para_end = b.paragraph_end(mk.start)
    end = b.sentence_end(mk.start)
    own_end = dates[mk.date]["end"]
    for d in dates:
        if own_end <= d["start"] < para_end and d["start"] > end:
            return min(para_end, b.sentence_start(d["start"]))
    return para_end


def _opens_clause(text: str, pos: int, cfg: dict, b: _Bounds) -> bool:
    """The marker at ``pos`` opens its clause (after at most a lead-in word)."""
    return bool(cfg["_lead_in"].match(text[b.clause_start(pos):pos].strip()))


def _past(dates: list[dict], i: int | None, issue: dt.date | None) -> bool:
    if i is None or issue is None:
        return False
    end = dates[i].get("end_date")
    return bool(end) and dt.date.fromisoformat(end) < issue


def find_targets(text: str, figures: list[dict], dates: list[dict],
                 issue_date: dt.date | None) -> list[dict]:
    """Targets in ``text`` (see module doc); ``figures``/``dates`` are the records of those
    layers on the same text. Bad input gives an empty list."""
    if not isinstance(text, str) or not text:
        return []
    figures = figures if isinstance(figures, list) else []
    dates = [d for d in dates if isinstance(d, dict) and isinstance(d.get("start"), int)
             and isinstance(d.get("end"), int) and isinstance(d.get("text"), str)] \
        if isinstance(dates, list) else []
    if isinstance(issue_date, dt.datetime):
        issue_date = issue_date.date()
    elif not isinstance(issue_date, dt.date):
        issue_date = None
    cfg = _cfg()
    b = _Bounds(text, cfg)

    # 1. scope of every marker
    cands = []
    for mk in _markers(text, dates, cfg, b):
        cs = b.clause_start(mk.start)
        while cs < mk.start and text[cs].isspace():
            cs += 1
        opens = _opens_clause(text, mk.start, cfg, b)
        if mk.fronted_only:             # 今年， : the date alone, then a clause mark
            ce = b.clause_end(mk.start)
            if not (opens and ce == dates[mk.date]["end"] and text[ce:ce + 1] in cfg["clause_end"]):
                continue
        if mk.opens_only and not opens:
            continue
        ce = b.clause_end(mk.start)
        ends_clause = not text[mk.end:ce].strip()
        if opens:
            fronted = mk.date is not None and ce - cs <= cfg["fronted_max_chars"]
            scope = "paragraph" if fronted else "sentence"
            end = _paragraph_scope_end(mk, dates, b) if fronted else b.sentence_end(mk.start)
        elif ends_clause:                                           # 人士预计，…
            fronted = False
            scope, end = "sentence", b.sentence_end(mk.start)
        else:
            fronted = False
            scope, end = "clause", ce
        # a fronted phrase or a marker that ends its clause owns the clause after it
        key = cs
        if (fronted or ends_clause) and ce < b.sentence_end(mk.start):
            key = ce + 1
            while key < end and text[key].isspace():
                key += 1
        cands.append({"mk": mk, "start": cs, "key": key, "end": end, "scope": scope,
                      "sentence_start": b.sentence_start(mk.start) == cs})

    # 2. one target per clause: a later marker in the clause a target owns joins it
    merged: list[dict] = []
    for c in cands:
        if merged and c["start"] in (merged[-1]["start"], merged[-1]["key"]):
            first = merged[-1]
            first["joined"] = True
            if first["mk"].weak and not c["mk"].weak:      # 将力争… : 力争 speaks
                first["mk"] = _Marker(first["mk"].start, first["mk"].end, c["mk"].modality,
                                      first["mk"].date)
            if first["mk"].date is None and c["mk"].date is not None:
                first["joined_date"] = c["mk"].date
            continue
        merged.append(c)

    # 3. keep those that are plans, not reports of the past
    kept = []
    for c in merged:
        mk = c["mk"]
        own = mk.date if mk.date is not None else c.get("joined_date")
        if _past(dates, own, issue_date):
            continue
        if mk.weak and not _weak_ok(text, c, figures, dates, issue_date, cfg):
            continue
        if cfg["_past"].search(text, c["start"], c["end"]):       # 确保了…, 到6月底已完成…
            continue
        kept.append(c)

    # 4. cut a scope before the next target's clause
    for k, c in enumerate(kept):
        for nxt in kept[k + 1:]:
            if nxt["start"] >= c["end"]:
                break
            if c["scope"] == "sentence" or (c["scope"] == "paragraph" and nxt["sentence_start"]
                                            and nxt["scope"] != "clause"):
                c["end"] = nxt["start"]
                break

    out = []
    for c in kept:
        mk = c["mk"]
        s, e = _trimmed(text, c["start"], c["end"], cfg)
        if e <= s:
            continue
        deadline = _deadline(c, s, e, dates, issue_date, cfg)
        d = dates[deadline] if deadline is not None else {}
        out.append({"start": s, "end": e, "text": text[s:e],
                    "deadline_text": d.get("text"), "deadline_start": d.get("start_date"),
                    "deadline_end": d.get("end_date"), "modality": mk.modality,
                    "figures": _figures_in(figures, s, e)})
    return out


def _trimmed(text: str, s: int, e: int, cfg: dict) -> tuple[int, int]:
    while e > s and text[e - 1] in cfg["trim"]:
        e -= 1
    return s, e


def _figures_in(figures: list[dict], s: int, e: int) -> list[int]:
    return [i for i, f in enumerate(figures)
            if isinstance(f, dict) and isinstance(f.get("start"), int) and isinstance(f.get("end"), int)
            and s <= f["start"] and f["end"] <= e]


def _deadline(c: dict, s: int, e: int, dates: list[dict], issue: dt.date | None,
              cfg: dict) -> int | None:
    """The marker's own date, else the first date in [s, e) that can be a deadline."""
    mk = c["mk"]
    if mk.date is not None:
        return mk.date
    if c.get("joined_date") is not None:
        return c["joined_date"]
    return next((i for i, d in enumerate(dates)
                 if s <= d["start"] and d["end"] <= e
                 and d.get("granularity") not in cfg["not_deadline"]
                 and not _past(dates, i, issue)), None)


def _weak_ok(text: str, c: dict, figures: list[dict], dates: list[dict],
             issue: dt.date | None, cfg: dict) -> bool:
    """A weak marker makes a target only when its scope names a figure of a telling kind,
    or another marker joined it, or (for a word such as 将, 确保) a deadline, or (for a date
    such as 今年, 全年) a verb of planned outcome (新增, 达到, 建成…)."""
    s, e = _trimmed(text, c["start"], c["end"], cfg)
    kinds = set(cfg["weak_needs_figure_kinds"])
    if c.get("joined") or any(figures[i].get("kind") in kinds for i in _figures_in(figures, s, e)):
        return True
    if c["mk"].date is None:
        return _deadline(c, s, e, dates, issue, cfg) is not None
    return bool(cfg["_plan_verbs"].search(text, dates[c["mk"].date]["end"], e))
