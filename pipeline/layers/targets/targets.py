"""Stage 5c — targets: promised or planned outcomes with their deadline.

Entry point: ``find_targets(text, figures, dates, issue_date, tokens=None) -> list[dict]`` with start,
end, text, deadline_text, deadline_start, deadline_end, modality, figures (indices into the
given figures list). Marker words, scope rules and the words that mark the past live in
``rules/targets/targets.yaml`` (read its header for the rules); this module finds the
markers, works out each target's scope from clause/sentence/paragraph bounds and links the
deadline and the figures. Each decision is a named rule (the tables ``MARKER_RULES``,
``FILTER_RULES``, ``SCOPE_RULES``, ``KEEP_RULES`` and the steps between them), named under
``targets.yaml: rules:`` with examples that need it (``tests/test_named_rules.py``).
"""
from __future__ import annotations

import bisect
import datetime as dt
import functools
from dataclasses import dataclass

from baozhi.layers import bounds
from baozhi.layers.bounds import Bounds
from baozhi.layers.spec import issue_day
from baozhi.resources import numerals, regexcache, ruleset, segmenter
from baozhi.resources.marks import chosen

RULES = "targets/targets.yaml"


@functools.cache
def _cfg() -> dict:
    cfg = dict(ruleset.load(RULES))
    cfg["_markers"] = [(m["modality"], regexcache.compile(m["re"]), bool(m.get("weak")),
                        bool(m.get("word"))) for m in cfg["markers"]]
    cfg["_to_date"] = regexcache.compile(cfg["to_date"]["re"])
    cfg["_to_date_not"] = regexcache.compile(cfg["to_date"]["not_in_clause_before"])
    cfg["_to_date_not_dates"] = regexcache.compile(cfg["to_date"]["not_dates"])
    cfg["_plan_verbs"] = regexcache.compile(cfg["plan_verbs"])
    cfg["_date_markers"] = [
        {**d, "_text": regexcache.compile(d["text"]) if d.get("text") else None}
        for d in cfg["date_markers"]]
    cfg["_year_goal_date"] = regexcache.compile(cfg["year_goal"]["date_text"])
    cfg["_year_goal_verb"] = regexcache.compile(cfg["year_goal"]["verbs"])
    cfg["_lead_in"] = regexcache.compile(cfg["lead_in"])
    cfg["_past"] = regexcache.compile(cfg["past"])
    # the marks are bounds.yaml's (one list for every layer); clause_end as a string:
    # fronted_only reads it (an empty rest of the text counts as a clause's end)
    cfg["clause_end"] = bounds.marks()["clause_end"]
    cfg["_trim"] = chosen(cfg["trim"])
    return cfg


@dataclass
class _Marker:
    start: int           # where the marker word (or its date) starts
    end: int             # where the marker word (or 到 + its date, or the date) ends
    modality: str
    date: int | None     # index of the marker's own date, if it has one
    weak: bool = False
    fronted_only: bool = False   # the date alone, then a clause mark (今年，)
    opens_only: bool = False     # the date opens its clause (全年新增…)
    word: bool = False           # a marker only where a word of the text starts (将, not 名将)


def _paragraph_scope_end(mk: _Marker, dates: list[dict], b: Bounds) -> int:
    """A fronted time phrase governs the rest of its paragraph, up to a sentence that names
    a date of its own."""
    para_end = b.paragraph_end(mk.start)
    end = b.sentence_end(mk.start)
    own_end = dates[mk.date]["end"]
    for d in dates:
        if own_end <= d["start"] < para_end and d["start"] > end:
            return min(para_end, b.sentence_start(d["start"]))
    return para_end


def _opens_clause(text: str, pos: int, cfg: dict, b: Bounds) -> bool:
    """The marker at ``pos`` opens its clause (after at most a lead-in word)."""
    return bool(cfg["_lead_in"].match(text[b.clause_start(pos):pos].strip()))


def _past(dates: list[dict], i: int | None, issue: dt.date | None) -> bool:
    if i is None or issue is None:
        return False
    end = dates[i].get("end_date")
    return bool(end) and dt.date.fromisoformat(end) < issue


@dataclass
class _Text:
    """What the rules look at in one text: the text, the records of the figures and dates
    layers on it, the issue date, the rules and the text's bounds."""
    text: str
    figures: list
    dates: list
    issue: dt.date | None
    cfg: dict
    b: Bounds

    # the text's words as (start, end) (or a function giving them: the frame's tokens), read
    # only by marker_starts_word; None: segmented here when that rule first asks
    tokens: object = None

    def __post_init__(self):
        self.date_index = numerals.record_cover(self.dates)    # (the dates by start)

    @functools.cached_property
    def word_starts(self) -> set[int]:
        """Where the text's words start (the frame's tokens, else the default segmenter's)."""
        tokens = self.tokens() if callable(self.tokens) else self.tokens
        if tokens is None:
            return {a for _, a, _ in segmenter.default().tokenize(self.text)}
        return {a for a, _ in tokens}

    def inside_date(self, pos: int) -> bool:
        """Whether a date holds ``pos`` (starts at or before it, ends after it)."""
        return self.date_index.holds(pos, pos + 1)

    @functools.cached_property
    def figure_index(self) -> "_Figures":
        """The figures by start, to find those inside a span without a scan of all."""
        return _Figures(self.figures)

    @functools.cached_property
    def date_kinds(self) -> list[dict | None]:
        """For each date, the first of ``date_markers`` it is, or None."""
        return [_date_marker(d, self.cfg) for d in self.dates]


@dataclass
class _Marked:
    """A marker with its clause: ``cs:ce`` (``cs`` past leading spaces); ``opens`` when the
    marker opens its clause (after at most a lead-in word), ``ends_clause`` when nothing of
    the clause follows it."""
    mk: _Marker
    cs: int
    ce: int
    opens: bool
    ends_clause: bool


# -- marker rules: where targets are announced (each a section of targets.yaml) ---------

def marker_words(t: _Text) -> list[_Marker]:
    """``markers``: words such as 力争, 确保, 预计, 计划 (not inside a date)."""
    return [_Marker(m.start(), m.end(), modality, None, weak, word=word)
            for modality, rx, weak, word in t.cfg["_markers"]
            for m in rx.finditer(t.text) if not t.inside_date(m.start())]


def to_date(t: _Text) -> list[_Marker]:
    """``to_date``: 到/至 right before a date (到2025年), not in a range (29日至2月3日), not
    before a date of ``not_dates`` (今天), not in a clause that says 从…到…."""
    cfg, dates, out = t.cfg, t.dates, []
    starts = {d["start"]: i for i, d in enumerate(dates)}
    ends = {d["end"] for d in dates}
    for m in cfg["_to_date"].finditer(t.text):
        i = starts.get(m.end())
        if i is None or t.inside_date(m.start()) or m.start() in ends:
            continue
        if cfg["_to_date_not_dates"].search(dates[i]["text"]):
            continue
        if cfg["_to_date_not"].search(t.text, t.b.clause_start(m.start()), m.start()):
            continue
        out.append(_Marker(m.start(), dates[i]["end"], m.group(), i))
    return out


def _date_marker(d: dict, cfg: dict) -> dict | None:
    """The first of ``date_markers`` that date record ``d`` is."""
    for dm in cfg["_date_markers"]:
        if dm["_text"] is not None and not dm["_text"].search(d["text"]):
            continue
        if dm.get("granularity") and d.get("granularity") != dm["granularity"]:
            continue
        return dm
    return None


def date_markers(t: _Text) -> list[_Marker]:
    """``date_markers``: dates that are deadlines themselves (年内, 今明两年, 年底前, 全年)."""
    out = []
    for i, (d, dm) in enumerate(zip(t.dates, t.date_kinds)):
        if dm is not None:
            out.append(_Marker(d["start"], d["end"], d["text"], i, bool(dm.get("weak")),
                               bool(dm.get("fronted_only")), bool(dm.get("opens_only"))))
    return out


def year_goal(t: _Text) -> list[_Marker]:
    """``year_goal``: a year that opens its clause with a goal verb later in the clause
    (2025年…达到600万千瓦); the verb is the modality. Not a date of ``date_markers``."""
    cfg, b, out = t.cfg, t.b, []
    for i, (d, dm) in enumerate(zip(t.dates, t.date_kinds)):
        if dm is None and cfg["_year_goal_date"].search(d["text"]) \
                and _opens_clause(t.text, d["start"], cfg, b):
            verb = cfg["_year_goal_verb"].search(t.text, d["end"], b.clause_end(d["end"]))
            if verb:
                out.append(_Marker(d["start"], d["end"], verb.group(), i))
    return out


# -- marker filters: date markers that count only where they stand so ------------------

def fronted_only(t: _Text, m: _Marked) -> bool:
    """A ``fronted_only`` date (今年) is a marker only alone in its opening clause: 今年，…"""
    mk = m.mk
    return not mk.fronted_only or (m.opens and m.ce == t.dates[mk.date]["end"]
                                   and t.text[m.ce:m.ce + 1] in t.cfg["clause_end"])


def opens_only(t: _Text, m: _Marked) -> bool:
    """An ``opens_only`` date (全年) is a marker only where it opens its clause."""
    return not m.mk.opens_only or m.opens


def marker_starts_word(t: _Text, m: _Marked) -> bool:
    """A marker word flagged ``word`` (将) is a marker only where the text's segmentation
    starts a word: in 名将, 小将, 中郎将 it is the end of a noun (a general, an athlete)."""
    return not m.mk.word or m.mk.start in t.word_starts


# -- scope rules: how far a target runs (the first that answers decides) ---------------

def fronted_phrase_owns_paragraph(t: _Text, m: _Marked) -> tuple[str, int, bool] | None:
    """A marker with its own date opening a clause of at most ``fronted_max_chars`` (到2025年，)
    governs the rest of its paragraph, up to a sentence with a date of its own."""
    if m.opens and m.mk.date is not None and m.ce - m.cs <= t.cfg["fronted_max_chars"]:
        return "paragraph", _paragraph_scope_end(m.mk, t.dates, t.b), True
    return None


def opening_marker_owns_sentence(t: _Text, m: _Marked) -> tuple[str, int, bool] | None:
    """A marker that opens its clause governs the rest of the sentence."""
    return ("sentence", t.b.sentence_end(m.mk.start), False) if m.opens else None


def marker_ending_clause_owns_sentence(t: _Text, m: _Marked) -> tuple[str, int, bool] | None:
    """A marker that ends its clause (人士预计，…) governs the rest of the sentence."""
    return ("sentence", t.b.sentence_end(m.mk.start), False) if m.ends_clause else None


def inner_marker_owns_clause(t: _Text, m: _Marked) -> tuple[str, int, bool] | None:
    """A marker inside its clause (…高速年底前竣工) governs that clause."""
    return "clause", m.ce, False


def phrase_owns_next_clause(t: _Text, m: _Marked, fronted: bool, end: int) -> int:
    """Where the clause a target owns starts (a later marker there joins it): its own clause,
    or for a fronted phrase or a marker ending its clause the clause after it."""
    key, text = m.cs, t.text
    if (fronted or m.ends_clause) and m.ce < t.b.sentence_end(m.mk.start):
        key = m.ce + 1
        while key < end and text[key].isspace():
            key += 1
    return key


def join_same_clause(t: _Text, cands: list[dict]) -> list[dict]:
    """One target per clause: a later marker in the clause a target owns joins it; a strong
    marker joining a weak one gives the modality (将力争… -> 力争), a date the deadline."""
    merged: list[dict] = []
    for c in cands:
        if merged and c["start"] in (merged[-1]["start"], merged[-1]["key"]):
            first = merged[-1]
            first["joined"] = True
            if first["mk"].weak and not c["mk"].weak:
                first["mk"] = _Marker(first["mk"].start, first["mk"].end, c["mk"].modality,
                                      first["mk"].date)
            if first["mk"].date is None and c["mk"].date is not None:
                first["joined_date"] = c["mk"].date
            continue
        merged.append(c)
    return merged


# -- keep rules: plans, not reports of the past ----------------------------------------

def past_deadline(t: _Text, c: dict) -> bool:
    """A target whose own deadline ended before the issue date reports the past."""
    mk = c["mk"]
    return not _past(t.dates, mk.date if mk.date is not None else c.get("joined_date"), t.issue)


def weak_marker_needs_support(t: _Text, c: dict) -> bool:
    """A ``weak`` marker needs a telling figure, a joining marker, a deadline (将, 确保) or a
    verb of ``plan_verbs`` (今年, 全年); see ``_weak_ok``."""
    return not c["mk"].weak or _weak_ok(t.text, c, t.figure_index, t.dates, t.issue, t.cfg,
                                        t.date_index)


def past_words(t: _Text, c: dict) -> bool:
    """A target whose text holds a word of ``past`` (确保了…, 已完成) reports the past."""
    return not t.cfg["_past"].search(t.text, c["start"], c["end"])


def cut_before_next_target(t: _Text, kept: list[dict]) -> None:
    """In place: a sentence-long target stops before the next target's clause; a
    paragraph-long one before the next sentence that opens with a marker."""
    for k, c in enumerate(kept):
        for nxt in kept[k + 1:]:
            if nxt["start"] >= c["end"]:
                break
            if c["scope"] == "sentence" or (c["scope"] == "paragraph" and nxt["sentence_start"]
                                            and nxt["scope"] != "clause"):
                c["end"] = nxt["start"]
                break


MARKER_RULES = (marker_words, to_date, date_markers, year_goal)
FILTER_RULES = (fronted_only, opens_only, marker_starts_word)
SCOPE_RULES = (fronted_phrase_owns_paragraph, opening_marker_owns_sentence,
               marker_ending_clause_owns_sentence, inner_marker_owns_clause)
KEEP_RULES = (past_deadline, weak_marker_needs_support, past_words)


def rule_names() -> list[str]:
    """The names of every rule in the order they apply, as ``targets.yaml: rules:`` lists them."""
    return [r.__name__ for r in MARKER_RULES + FILTER_RULES + SCOPE_RULES] + [
        phrase_owns_next_clause.__name__, join_same_clause.__name__] + [
        r.__name__ for r in KEEP_RULES] + [cut_before_next_target.__name__]


def _scoped(t: _Text, mk: _Marker) -> dict | None:
    """The target a marker announces, before joining and keeping, or None."""
    text, b = t.text, t.b
    cs = b.clause_start(mk.start)
    while cs < mk.start and text[cs].isspace():
        cs += 1
    ce = b.clause_end(mk.start)
    m = _Marked(mk, cs, ce, _opens_clause(text, mk.start, t.cfg, b), not text[mk.end:ce].strip())
    for rule in FILTER_RULES:
        if not rule(t, m):
            return None
    for rule in SCOPE_RULES:
        got = rule(t, m)
        if got:
            break
    else:
        return None
    scope, end, fronted = got
    return {"mk": mk, "start": cs, "key": phrase_owns_next_clause(t, m, fronted, end), "end": end,
            "scope": scope, "sentence_start": b.sentence_start(mk.start) == cs}


def inputs(figures: list[dict], dates: list[dict], issue_date: object) -> tuple:
    """What ``find_targets`` reads of a text's figures, dates and issue date (the text aside):
    equal inputs give equal targets. Plain values, so that a Doc holding them can be saved."""
    day = issue_day(issue_date)
    return (day.isoformat() if day else None,
            tuple((f.get("start"), f.get("end"), f.get("kind")) if isinstance(f, dict) else None
                  for f in figures or ()),
            tuple(tuple(d.get(k) for k in ("start", "end", "text", "granularity", "start_date",
                                           "end_date")) if isinstance(d, dict) else None
                  for d in dates or ()))


def find_targets(text: str, figures: list[dict], dates: list[dict],
                 issue_date: dt.date | None, tokens: object = None) -> list[dict]:
    """Targets in ``text`` (see module doc); ``figures``/``dates`` are the records of those
    layers on the same text. Bad input gives an empty list. The named rules above apply in
    the order of their tables: markers are found, filtered and scoped, joined by clause,
    kept when they are plans, and cut before the next target."""
    if not isinstance(text, str) or not text:
        return []
    figures = figures if isinstance(figures, list) else []
    dates = [d for d in dates if isinstance(d, dict) and isinstance(d.get("start"), int)
             and isinstance(d.get("end"), int) and isinstance(d.get("text"), str)] \
        if isinstance(dates, list) else []
    issue_date = issue_day(issue_date)
    cfg = _cfg()
    t = _Text(text, figures, dates, issue_date, cfg, Bounds(text), tokens)
    markers: list[_Marker] = []
    for rule in MARKER_RULES:
        markers += rule(t)
    markers.sort(key=lambda mk: mk.start)
    cands = [c for c in (_scoped(t, mk) for mk in markers) if c is not None]
    kept = []
    for c in join_same_clause(t, cands):
        for rule in KEEP_RULES:
            if not rule(t, c):
                break
        else:
            kept.append(c)
    cut_before_next_target(t, kept)
    out = []
    for c in kept:
        s, e = _trimmed(text, c["start"], c["end"], cfg)
        if e <= s:
            continue
        deadline = _deadline(c, s, e, dates, issue_date, cfg, t.date_index)
        d = dates[deadline] if deadline is not None else {}
        out.append({"start": s, "end": e, "text": text[s:e],
                    "deadline_text": d.get("text"), "deadline_start": d.get("start_date"),
                    "deadline_end": d.get("end_date"), "modality": c["mk"].modality,
                    "figures": _figures_in(t.figure_index, s, e)})
    return out


def _trimmed(text: str, s: int, e: int, cfg: dict) -> tuple[int, int]:
    while e > s and text[e - 1] in cfg["_trim"]:
        e -= 1
    return s, e


class _Figures:
    """A text's figure records, indexed by start: the figures inside a span are found by
    bisection (a long text has many figures and many targets)."""

    def __init__(self, figures: list[dict]):
        self.figures = figures
        self.items = sorted((f["start"], f["end"], i) for i, f in enumerate(figures)
                            if isinstance(f, dict) and isinstance(f.get("start"), int)
                            and isinstance(f.get("end"), int))
        self.starts = [s for s, _, _ in self.items]

    def __getitem__(self, i: int) -> dict:
        return self.figures[i]

    def within(self, s: int, e: int) -> list[int]:
        """Indices (in list order) of the figures with s <= start and end <= e."""
        items = self.items
        k = bisect.bisect_left(self.starts, s)
        out = []
        while k < len(items) and items[k][0] <= e:
            if items[k][1] <= e:
                out.append(items[k][2])
            k += 1
        return sorted(out)


def _figures_in(figures: "list[dict] | _Figures", s: int, e: int) -> list[int]:
    if not isinstance(figures, _Figures):
        figures = _Figures(figures)
    return figures.within(s, e)


def _deadline(c: dict, s: int, e: int, dates: list[dict], issue: dt.date | None,
              cfg: dict, index: numerals.Cover | None = None) -> int | None:
    """The marker's own date, else the first date in [s, e) that can be a deadline
    (``index``: ``dates`` indexed, to look at those starting in the span only)."""
    mk = c["mk"]
    if mk.date is not None:
        return mk.date
    if c.get("joined_date") is not None:
        return c["joined_date"]
    ids = index.starting_in(s, e + 1) if index is not None else range(len(dates))
    return next((i for i, d in zip(ids, map(dates.__getitem__, ids))
                 if s <= d["start"] and d["end"] <= e
                 and d.get("granularity") not in cfg["not_deadline"]
                 and not _past(dates, i, issue)), None)


def _weak_ok(text: str, c: dict, figures: list[dict], dates: list[dict],
             issue: dt.date | None, cfg: dict, index: "numerals.Cover | None" = None) -> bool:
    """A weak marker makes a target only when its scope names a figure of a telling kind,
    or another marker joined it, or (for a word such as 将, 确保) a deadline, or (for a date
    such as 今年, 全年) a verb of planned outcome (新增, 达到, 建成…)."""
    s, e = _trimmed(text, c["start"], c["end"], cfg)
    kinds = set(cfg["weak_needs_figure_kinds"])
    if c.get("joined") or any(figures[i].get("kind") in kinds for i in _figures_in(figures, s, e)):
        return True
    if c["mk"].date is None:
        return _deadline(c, s, e, dates, issue, cfg, index) is not None
    return bool(cfg["_plan_verbs"].search(text, dates[c["mk"].date]["end"], e))
