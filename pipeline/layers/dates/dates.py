"""Stage 5b — dates: every date expression resolved against the issue date.

Entry point: ``find_dates(text, issue_date) -> list[dict]`` with start, end, text,
start_date, end_date (inclusive ISO dates or None), granularity. Date words, patterns and
the resolution rules live in ``rules/dates/dates.yaml`` (read its header for the rules);
this module only compiles the patterns, picks the leftmost-longest matches and turns the
named groups of each match into an interval of days.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from baozhi.layers.dates import grammar
from baozhi.layers.spec import issue_day
from baozhi.resources import regexcache, ruleset
from baozhi.resources.script import convert

RULES = "dates/dates.yaml"


@dataclass(frozen=True)
class _Pattern:
    name: str
    rx: Any
    not_after: Any
    not_before: Any
    bare_only: bool
    needs: str = ""          # one of these characters is in every match (a cheap gate; ``grammar.needs_of``)
    trigger: Any = None      # patterns (``grammar.triggers``) every match holds a match of one of (a cheap gate)


@functools.cache
def _cfg() -> dict:
    cfg = ruleset.load(RULES)
    frags = cfg["fragments"]
    rxs = [regexcache.compile((f"(?=[{p['first']}])" if p.get("first") else "")
                              + grammar.expand(p["re"], frags)) for p in cfg["patterns"]]
    needs = grammar.needs_all("dates-patterns-needs", [(f"{RULES} pattern {p['name']}", rx, p.get("needs"))
                                                       for p, rx in zip(cfg["patterns"], rxs)])
    pats = []
    for p, rx, need in zip(cfg["patterns"], rxs, needs):
        pats.append(_Pattern(
            p["name"], rx,
            regexcache.compile(p["not_after"]) if p.get("not_after") else None,
            regexcache.compile(p["not_before"]) if p.get("not_before") else None,
            bool(p.get("bare_only")), need,
            grammar.triggers(p.get("trigger"))))
    return {**cfg, "_patterns": pats, "_ahead": regexcache.compile(f"(?:{cfg['ahead_cues']})$")}


# ---------------------------------------------------------------- numbers and days

def _num(s: str | None) -> int | None:
    """Arabic or Chinese numerals (一九九〇, 十一, 二十三, 31) as an int."""
    if not s:
        return None
    if s.isdigit():
        return int(s)
    digits = _cfg()["numerals"]
    vals = [digits.get(ch) for ch in s]
    if any(v is None for v in vals):
        return None
    if 10 not in vals:                       # positional: 二〇二二
        n = 0
        for v in vals:
            n = n * 10 + v
        return n
    tens, _, ones = s.partition(next(ch for ch in s if digits[ch] == 10))
    return (digits[tens] if tens else 1) * 10 + (digits[ones] if ones else 0)


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


# ---------------------------------------------------------------- resolution

class _Reject(Exception):
    """The match is not a date after all (year out of range, 2月30日, …)."""


class _Anchor:
    """The period a match named before its suffix opened it (2015年前: all of 2015)."""
    last: tuple = (None, None)


def _year(g: dict, issue: dt.date | None, cfg: dict, suffix: str = "") -> tuple[int | None, bool]:
    """(year, stated): the year a match names; None when relative and no issue date."""
    y = g.get("y" + suffix)
    if y:
        n = _num(y)
        lo, hi = cfg["year_range"]
        if n is None or not lo <= n <= hi:
            raise _Reject
        return n, True
    if suffix:
        return None, False
    for key, table in (("yrel", "relative_years"), ("ystem", "year_stems")):
        if g.get(key):
            return (issue.year + cfg[table][g[key]] if issue else None), True
    return None, False


def _plan_years(n: int | None, cfg: dict) -> tuple[int, int]:
    """The first and last year of the ``n``-th five-year plan (plan_years, then every
    plan_length years from plan_third_start)."""
    if not n or n < 1:
        raise _Reject
    if n in cfg["plan_years"]:
        return tuple(cfg["plan_years"][n])
    a = cfg["plan_third_start"] + cfg["plan_length"] * (n - 3)
    if not cfg["year_range"][0] <= a <= cfg["year_range"][1]:
        raise _Reject
    return a, a + cfg["plan_length"] - 1


def _resolve(g: dict, issue: dt.date | None, cfg: dict,
             ahead: bool = False) -> tuple[dt.date | None, dt.date | None, str]:
    """Named groups of one match -> (start, end, granularity)."""
    if g.get("plan"):
        a, b = _plan_years(_num(g["plan"][:-1] if g["plan"].endswith("五") else g["plan"]), cfg)
        part = cfg["plan_parts"].get(g.get("ppart") or "")
        if part:
            a = b = a if part == "first" else b
        return _apply_suffix(dt.date(a, 1, 1), dt.date(b, 12, 31), "year" if a == b else "range",
                             g, issue, cfg)
    if g.get("multi"):
        a, b = cfg["multi_years"][g["multi"]]
        if not issue:
            return None, None, "range"
        return dt.date(issue.year + a, 1, 1), dt.date(issue.year + b, 12, 31), "range"
    if g.get("recent"):
        return None, issue, "recent"
    if g.get("rday"):
        if not issue:
            return None, None, "day"
        day = issue + dt.timedelta(days=cfg["relative_days"][g["rday"]])
        return day, day, "day"

    year, stated = _year(g, issue, cfg)
    m = _num(g.get("m"))
    d = _num(g.get("d"))
    if g.get("rmonth"):
        if not issue:
            return None, None, "tenday" if g.get("mpart") else "month"
        year, m = grammar.month_shift(issue.year, issue.month, cfg["relative_months"][g["rmonth"]])
        stated = True
    if m is not None and not 1 <= m <= 12:
        raise _Reject
    if d is not None and not 1 <= d <= 31:
        raise _Reject
    if d is not None and m is not None and d > grammar.last_day(2000, m):     # 2月30日, 4月31日
        raise _Reject
    if not stated:
        if issue is None:
            year = None
        elif m is not None:
            year = issue.year
            if ahead:       # after 将于…: the first such month from the month before the issue's on
                year, floor = grammar.month_shift(issue.year, issue.month, -1)
                if m < floor:
                    year += 1
            elif m - issue.month > cfg["future_months_max"]:
                year -= 1
        elif d is not None:              # a day with no month: this month or the one before
            year, m = issue.year, issue.month
            if d > issue.day and not ahead:      # (将于20日: still to come this month)
                year, m = grammar.month_shift(year, m, -1)
        else:
            year = issue.year

    gran: str
    start = end = None
    try:
        if d is not None:
            gran = "hour" if g.get("h") else "day"
            if year is not None:
                start = end = dt.date(year, m, d)
        elif g.get("mpart"):
            gran = "tenday"
            a, b = cfg["month_parts"][g["mpart"]]
            if year is not None:
                start = dt.date(year, m, a)
                end = dt.date(year, m, min(b, grammar.last_day(year, m)))
        elif m is not None:
            gran = "month"
            if year is not None:
                start, end = dt.date(year, m, 1), dt.date(year, m, grammar.last_day(year, m))
        elif g.get("ypart"):
            a, b, gran = cfg["year_parts"][g["ypart"]]
            if year is not None:
                start, end = dt.date(year, a, 1), dt.date(year, b, grammar.last_day(year, b))
        else:
            gran = "year"
            if year is not None:
                start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)

        # the second end of a range borrows what it leaves out
        if g.get("y2") or g.get("m2") or g.get("d2") or g.get("h2"):
            y2, stated2 = _year(g, issue, cfg, "2")
            m2 = _num(g.get("m2"))
            d2 = _num(g.get("d2"))
            if year is None and not stated2:
                end = None
            else:
                y2 = y2 if stated2 else year
                if d2 is not None:
                    end = dt.date(y2, m2 or m, d2)
                elif m2 is not None:
                    if m is not None and m2 < m and not stated2:
                        y2 += 1
                    end = dt.date(y2, m2, grammar.last_day(y2, m2))
                elif g.get("y2"):
                    end = dt.date(y2, 12, 31)
            if start and end and end < start:
                raise _Reject
            if not (start and end and start == end) and not (g.get("h2") and not g.get("d2")):
                gran = "range"
    except ValueError:                   # 2月30日
        raise _Reject from None
    return _apply_suffix(start, end, gran, g, issue, cfg)


def _apply_suffix(start: dt.date | None, end: dt.date | None, gran: str, g: dict,
                  issue: dt.date | None, cfg: dict) -> tuple[dt.date | None, dt.date | None, str]:
    """The date read (start, end, granularity) as its suffix turns it (以来: since, 前: before,
    起: from); the date itself is what a later bare anchor refers to (``_Anchor.last``)."""
    _Anchor.last = (start, end)
    kind = cfg["suffixes"].get(g.get("sfx") or "")
    if kind == "before":
        start, gran = None, "before"
    elif kind == "since":
        end = issue if issue and start and issue >= start else None
        gran = "since"
    elif kind == "from":
        end, gran = None, "from"
    return start, end, gran


# ---------------------------------------------------------------- matching

# full-width digits (１９９８年) match as ASCII ones; one character for one, so offsets hold
_ASCII_DIGITS = {0xFF10 + i: ord("0") + i for i in range(10)}
_ASCII_PAIRS = tuple(_ASCII_DIGITS.items())


def _candidates(text: str, cfg: dict, seen: dict | None = None) -> list[tuple[int, int, dict]]:
    out = []
    seen = {} if seen is None else seen
    for pat in cfg["_patterns"]:
        if not grammar.gate(text, pat.needs, pat.trigger, seen):
            continue
        for mt in pat.rx.finditer(text):
            if mt.end() == mt.start():
                continue
            g = {k: v for k, v in mt.groupdict().items() if v}
            if not g:
                continue
            bare = not (g.get("y") or g.get("yrel") or g.get("ystem"))
            if not pat.bare_only or bare:
                if pat.not_after and pat.not_after.search(text[max(0, mt.start() - 8):mt.start()]):
                    continue
                if pat.not_before and pat.not_before.match(text, mt.end()):
                    continue
            out.append((mt.start(), mt.end(), g))
    return out


def _fields(g: dict, issue: dt.date | None, cfg: dict, start: dt.date | None) -> dict:
    """The parts a dates.yaml match stated, for the grammar's inheritance (see grammar.py)."""
    if g.get("m2") or g.get("d2") or g.get("y2") or g.get("ypart") or g.get("mpart"):
        return {}
    y = None
    if g.get("y"):
        y = _num(g["y"])
    elif (g.get("yrel") or g.get("ystem") or g.get("rmonth")) and start is not None:
        y = start.year
    m = _num(g.get("m"))
    if g.get("rmonth") and start is not None:
        m = start.month
    return {"y": y, "m": m, "d": _num(g.get("d"))}


def _records(text: str, issue: dt.date | None) -> list[dict]:
    """dates.yaml's matches and the grammar's productions, leftmost longest, as the grammar's
    working records (start, end, kind, value, anchor)."""
    cfg = _cfg()
    cands = []
    seen: dict = {}
    for start, end, g in _candidates(text, cfg, seen):
        if g.get("same"):
            cands.append({"start": start, "end": end, "kind": "same",
                          "value": grammar.Value(None, None, "day"), "anchor": None})
            continue
        try:
            ahead = cfg["_ahead"].search(text, max(0, start - cfg["ahead_reach"]), start) is not None
            s, e, gran = _resolve(g, issue, cfg, ahead)
        except _Reject:              # not a date: let a shorter reading of the span win
            continue
        opened = gran in ("before", "since", "from", "recent")
        cands.append({"start": start, "end": end, "kind": "open" if opened else "plain",
                      "value": grammar.Value(s, e, gran, _fields(g, issue, cfg, s)),
                      "anchor": _Anchor.last if opened else None})
    for start, end, val, name in grammar.candidates(text, issue, seen):
        cands.append({"start": start, "end": end, "kind": "plain", "value": val, "anchor": None,
                      "weekday": name == "weekday"})
    out, taken_until = [], -1
    for c in sorted(cands, key=lambda c: (c["start"], -(c["end"] - c["start"]))):
        if c["start"] < taken_until:
            continue
        taken_until = c["end"]
        out.append(c)
    return out


def find_dates(text: str, issue_date: dt.date | None) -> list[dict]:
    """Every date expression in ``text`` as a record of the contract (see module doc).

    ``issue_date`` is the day the page appeared; relative dates resolve against it and to
    null without it. Bad input gives an empty list. Matching is done on a Simplified copy of
    the text (one character for one: offsets are the original's). An open record also
    carries, privately, the period it named (``_anchor_start``, ``_anchor_end``).
    """
    if not isinstance(text, str) or not text:
        return []
    issue_date = issue_day(issue_date)
    cfg = _cfg()
    work = convert(text, extra=_ASCII_PAIRS)
    recs = grammar.combine(work, _records(work, issue_date), issue_date)
    out: list[dict] = []
    for r in recs:
        v = r["value"]
        res = (_iso(v.start), _iso(v.end), v.gran)
        if r["kind"] == "same":      # 当日: the day last named, if close enough
            prev = next((o for o in reversed(out) if o["granularity"] in ("day", "hour")
                         and o["start_date"] and o["start_date"] == o["end_date"]
                         and r["start"] - o["end"] <= cfg["anaphor_window"]), None)
            res = (prev["start_date"], prev["end_date"], "day") if prev else (None, None, "day")
        rec = {"start": r["start"], "end": r["end"], "text": text[r["start"]:r["end"]],
               "start_date": res[0], "end_date": res[1], "granularity": res[2]}
        if r.get("anchor"):
            rec["_anchor_start"], rec["_anchor_end"] = map(_iso, r["anchor"])
        out.append(rec)
    return out
