"""The dates grammar's mechanism: named productions (``rules/dates/grammar.yaml``) matched on
a Simplified copy of the text, each turned into an interval by its builder, and the
combinators that join neighbouring records (ranges, open ends, lists).

A builder takes the match's named groups and the issue date and returns a ``Value``: the
inclusive interval, its granularity, and the parts the text stated (``fields``: y, m, d) so
that the second end of a range or a later item of a list can inherit what it leaves out.
The words a builder reads (weekday names, shifts, festivals, …) are the grammar's data.
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
import sys
from dataclasses import dataclass, field
from typing import Any, Callable

import regex

from baozhi.resources import diskcache, gates, regexcache, ruleset
from baozhi.resources.numerals import parse_number

RULES = "dates/grammar.yaml"


class Reject(Exception):
    """The match is not a date after all (2月30日, 13月, a count of years, …)."""


@dataclass
class Value:
    start: dt.date | None
    end: dt.date | None
    gran: str
    fields: dict = field(default_factory=dict)     # stated parts: y, m, d (for inheritance)


@dataclass(frozen=True)
class Production:
    name: str
    rx: Any
    build: str
    not_after: Any
    not_before: Any
    require_one_of: tuple
    prefix: Any = None
    needs: str = ""               # one of these characters is in every match (a cheap gate; ``needs_of``)
    anchors: Any = None          # an automaton of the words the pattern starts with
    trigger: Any = None          # patterns (``triggers``) every match holds a match of one of (a cheap gate)


def expand(pattern: str, fragments: dict[str, str]) -> str:
    """Replace ``@name@`` by its fragment, repeatedly (fragments may use fragments)."""
    for _ in range(5):
        new = regex.sub(r"@(\w+)@", lambda m: fragments[m.group(1)], pattern)
        if new == pattern:
            break
        pattern = new
    return pattern


def _alts(words) -> str:
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


def _automaton(words):
    import ahocorasick
    a = ahocorasick.Automaton()
    for w in words:
        a.add_word(w, w)
    a.make_automaton()
    return a


class _Trigger(tuple):
    """A trigger's compiled patterns (``triggers``): a tuple whose hash is computed once.
    ``gate`` keeps a text's answers under the trigger, and a plain tuple of compiled patterns
    hashes every pattern at every look-up (0.5-0.8 µs, some 30 look-ups a text); equal
    triggers of two rules still share their answer (the hash and == are the tuple's)."""

    def __new__(cls, pats):
        self = super().__new__(cls, pats)
        self._hash = tuple.__hash__(self)
        return self

    def __hash__(self):
        return self._hash

    def __reduce__(self):
        # (unpickled by __new__: the hash is the loading process's, not the builder's)
        return (_Trigger, (tuple(self),))


def triggers(spec, frags: dict[str, str] | None = None) -> tuple | None:
    """A rule's ``trigger`` compiled: one pattern, or a list of them (the gate holds where one
    of them matches: a pattern that starts with a literal character is searched for that
    character first, several times faster than one that starts with a class or an
    alternation, so a trigger is best written as such patterns), each with the standard
    ``re`` and ``frags`` expanded; None for no trigger. A pattern with ``\\d`` is compiled with
    ``regex``, the productions' engine: the standard ``re``'s ``\\d`` (Python's Unicode) lacks
    digits of later Unicode versions that a production's ``\\d`` matches (Kawi U+11F50.., …), and a
    gate must let through every match."""
    if not spec:
        return None
    pats = [spec] if isinstance(spec, str) else list(spec)
    pats = [expand(t, frags) if frags else t for t in pats]
    return _Trigger(regexcache.compile(t) if "\\d" in t else re.compile(t) for t in pats)


def _trigger(p: dict, g: dict, frags: dict[str, str]):
    """The production's gate: its ``trigger`` (a pattern every match holds a match of; it may
    use the fragments), or for one anchored on a word list the list itself; compiled with the
    standard ``re``, whose search for such plain patterns is several times faster than a
    production's own scan."""
    if p.get("trigger"):
        return triggers(p["trigger"], frags)
    if p.get("anchor_words"):
        return _Trigger((re.compile(regexcache.trie_pattern(g["words"][p["anchor_words"]])),))
    return None


def needs_of(where: str, rx, hand: str | None) -> str:
    """A production's or a pattern's ``needs`` (``where`` names it): characters one of which
    every match of ``rx`` holds, read off the pattern itself (``gates.needs``, ``gates.one_of``:
    so no alternative is forgotten, 近十日 for 日), or the rules' own ``needs:`` where the
    pattern proves it (a clause each string of which holds one of its characters); a ``needs:``
    the pattern does not prove would shut out some of its matches, and is refused."""
    clauses = gates.needs(rx)
    if not hand:
        return gates.one_of(clauses)
    if not gates.implied(hand, clauses):
        raise ruleset.RulesError(
            f"{where}: needs {hand!r} is not held by every match of its pattern (the pattern "
            f"needs {' and '.join('|'.join(c) for c in clauses) or 'nothing certain'}): drop it")
    return "".join(dict.fromkeys(hand))


def needs_all(name: str, items: list[tuple[str, Any, str | None]]) -> list[str]:
    """``needs_of`` of each (where, compiled pattern, ``needs:``), kept on disk
    (``diskcache``, as ``name``) under the patterns, the ``needs:`` and the code that reads
    them: re's parse of some 50 patterns is ~15 ms of a cold start. A refused ``needs:``
    raises each time (nothing is kept)."""
    key = [diskcache.source_digest([gates, sys.modules[__name__]]),
           *(f"{w}\0{rx.pattern}\0{rx.flags}\0{h or ''}" for w, rx, h in items)]
    return diskcache.cached(name, key, lambda: [needs_of(w, rx, h) for w, rx, h in items])


def _first(p: dict, g: dict) -> str:
    """A lookahead for the characters a production's match starts with: its ``first``, or the
    first characters of the words of its ``first_words`` (a table of ``words``)."""
    if p.get("first_words"):
        chars = "".join(dict.fromkeys(regex.escape(w[0]) for w in g["words"][p["first_words"]]))
    else:
        chars = p.get("first") or ""
    return f"(?=[{chars}])" if chars else ""


@functools.cache
def grammar() -> dict:
    g = ruleset.load(RULES)
    frags = dict(g["fragments"])
    frags["festival"] = regexcache.trie_pattern(g["words"]["festivals"])
    frags["span_dir"] = _alts(g["words"]["span_directions"])
    frags["span_unit"] = _alts(g["words"]["units"])     # 个星期, 个月, 季度, 天 …: the units table
    frags["shift"] = f"(?:{_alts(g['words']['shifts'])})"
    frags["era"] = f"(?:{_alts(g['eras'])})"
    rxs = [regexcache.compile(_first(p, g) + expand(p["re"], frags)) for p in g["productions"]]
    needs = needs_all("dates-grammar-needs", [(f"{RULES} production {p['name']}", rx, p.get("needs"))
                                             for p, rx in zip(g["productions"], rxs)])
    prods = []
    for p, rx, need in zip(g["productions"], rxs, needs):
        prods.append(Production(
            p["name"], rx, p["build"],
            regexcache.compile(p["not_after"]) if p.get("not_after") else None,
            regexcache.compile(p["not_before"]) if p.get("not_before") else None,
            tuple(p.get("require_one_of") or ()),
            regexcache.compile("(?:" + expand(p["prefix"], frags) + ")$") if p.get("prefix") else None,
            need,
            _automaton(g["words"][p["anchor_words"]]) if p.get("anchor_words") else None,
            _trigger(p, g, frags)))
    guards = {w: (regexcache.compile(gd["not_after"]) if gd.get("not_after") else None,
                  regexcache.compile(gd["not_before"]) if gd.get("not_before") else None)
              for w, gd in g["words"].get("festival_guards", {}).items()}
    comb = g["combinators"]
    return {**g, "_productions": prods, "_festival_guards": guards,
            "_range": regexcache.compile(comb["range"]),
            "_between": regexcache.compile(comb["between"]),
            "_list": regexcache.compile(comb["list"]),
            "_appos_after": regexcache.compile(comb["apposition_after"]),
            "_appos_before": regexcache.compile("(?:" + comb["apposition_before"] + ")$"),
            "_open_after": regexcache.compile(comb["open_after"]),
            "_open_before": regexcache.compile("(?:" + comb["open_before"] + ")$"),
            "_range_prefix": regexcache.compile("(?:" + comb["range_prefix"] + ")$"),
            "_range_suffix": regexcache.compile(comb["range_suffix"])}


# ---------------------------------------------------------------- numbers and calendar

_CN = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
       "六": 6, "七": 7, "八": 8, "九": 9}


def num(s: str | None) -> int | None:
    """Arabic or Chinese numerals (二〇一九, 十一, 二十三, 廿五, 卅一, 31) as an int."""
    if not s:
        return None
    if s.isdigit():
        return int(s)
    s = s.replace("廿", "二十").replace("卅", "三十")
    if "十" not in s:
        if any(ch not in _CN for ch in s):
            return None
        n = 0
        for ch in s:
            n = n * 10 + _CN[ch]
        return n
    tens, _, ones = s.partition("十")
    if any(ch not in _CN for ch in tens + ones) or len(ones) > 1 or len(tens) > 1:
        return None
    return (_CN[tens] if tens else 1) * 10 + (_CN[ones] if ones else 0)


def count_of(s: str | None) -> tuple[int | None, bool]:
    """A count of units (三, 十二, 15) as (n, False); a hedged one, which the figures' numeral
    reader gives as a range ("three or four": 三四, 七八, 四五, not 34), as (the larger, True)."""
    got = parse_number(s) if s else None
    if got is not None and got.value is None and got.high is not None:
        return int(got.high), True
    return num(s), False


def last_day(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def month_shift(y: int, m: int, k: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1


def add_units(d: dt.date, unit: str, k: float) -> dt.date:
    """``d`` moved by ``k`` days, weeks, months, quarters or years (a half month = 15 days)."""
    whole = int(k)
    frac = k - whole
    if unit == "day":
        return d + dt.timedelta(days=k)
    if unit == "week":
        return d + dt.timedelta(days=round(7 * k))
    months = {"month": 1, "quarter": 3, "year": 12}[unit] * whole
    y, m = month_shift(d.year, d.month, months)
    out = dt.date(y, m, min(d.day, last_day(y, m)))
    if frac:
        out += dt.timedelta(days=round(frac * {"month": 30, "quarter": 91, "year": 365}[unit]))
    return out


def unit_interval(d: dt.date, unit: str) -> tuple[dt.date, dt.date]:
    """The calendar week, month, quarter or year (or the day) that holds ``d``."""
    if unit == "day":
        return d, d
    if unit == "week":
        mon = d - dt.timedelta(days=d.weekday())
        return mon, mon + dt.timedelta(days=6)
    if unit == "month":
        return d.replace(day=1), d.replace(day=last_day(d.year, d.month))
    if unit == "quarter":
        q0 = (d.month - 1) // 3 * 3 + 1
        return dt.date(d.year, q0, 1), dt.date(d.year, q0 + 2, last_day(d.year, q0 + 2))
    return dt.date(d.year, 1, 1), dt.date(d.year, 12, 31)


def year_of(g: dict, issue: dt.date | None, cfg: dict) -> tuple[int | None, bool]:
    """(year, stated) named by a match's y / yy / ry groups; (None, False) when none is."""
    words = cfg["words"]
    if g.get("y"):
        y = num(g["y"])
        if y is None or not 1000 <= y <= 2200:
            raise Reject
        return y, True
    if g.get("yy"):
        yy = num(g["yy"])
        if yy is None:
            raise Reject
        if issue is None:
            return 2000 + yy, True
        y = issue.year // 100 * 100 + yy
        if y > issue.year + cfg["two_digit_year_future"]:
            y -= 100
        return y, True
    if g.get("ry"):
        return (issue.year + words["rel_years"][g["ry"]] if issue else None), True
    return None, False


def absolute(y: int | None, ystated: bool, m: int | None, d: int | None,
             issue: dt.date | None, future_months_max: int = 6) -> Value:
    """A date of stated parts: a day, a month or a year; a missing year from the issue date
    (a month more than ``future_months_max`` after the issue month is last year's)."""
    if m is not None and not 1 <= m <= 12:
        raise Reject
    if d is not None and not 1 <= d <= 31:
        raise Reject
    if m is not None and d is not None and d > last_day(2000, m):
        raise Reject
    fields = {"y": y if ystated else None, "m": m, "d": d}
    if not ystated:
        if issue is None:
            y = None
        elif m is not None:
            y = issue.year - (1 if m - issue.month > future_months_max else 0)
            if (m, d) == (2, 29) and not calendar.isleap(y):   # the nearest leap year
                y = min((c for c in range(issue.year - 4, issue.year + 5) if calendar.isleap(c)),
                        key=lambda c: (abs(c - issue.year), -c))
        else:
            y = issue.year
    if y is None:
        return Value(None, None, "day" if d else "month" if m else "year", fields)
    try:
        if d is not None:
            day = dt.date(y, m, d)
            return Value(day, day, "day", fields)
        if m is not None:
            return Value(dt.date(y, m, 1), dt.date(y, m, last_day(y, m)), "month", fields)
        return Value(dt.date(y, 1, 1), dt.date(y, 12, 31), "year", fields)
    except ValueError:
        raise Reject from None


# ---------------------------------------------------------------- builders

def b_ymd(g, issue, cfg):
    if g.get("m2"):
        g = {**g, "m": g["m2"], "d": g["d2"]}
    if g.get("d") and not g.get("m") and not g.get("y") and not g.get("yy"):
        d = num(g["d"])            # a day alone: this month, or the last when still to come
        if issue is None:
            return Value(None, None, "day", {"y": None, "m": None, "d": d})
        y, m = issue.year, issue.month
        if d > issue.day and d <= last_day(*month_shift(y, m, -1)):
            y, m = month_shift(y, m, -1)
        v = absolute(y, True, m, d, issue)
        v.fields = {"y": None, "m": None, "d": d}
        return v
    y, stated = year_of(g, issue, cfg)
    if g.get("yy") and not g.get("m") and not g["yy"].startswith(("0", "零", "〇", "○")):
        raise Reject         # 20年 alone is a count of years; 08年, 零八年 are years
    return absolute(y, stated, num(g.get("m")), num(g.get("d")), issue)


def b_era(g, issue, cfg):
    n = 1 if g["n"] == "元" else num(g["n"])
    if not n:
        raise Reject
    return absolute(cfg["eras"][g["era"]] + n - 1, True, num(g.get("m")), num(g.get("d")), issue)


def b_year_range(g, issue, cfg):
    a, b = num(g["y"]), num(g["y2"])
    if not (1000 <= a <= 2200 and a <= b <= 2200):
        raise Reject
    return Value(dt.date(a, 1, 1), dt.date(b, 12, 31), "range")


def b_rel_day(g, issue, cfg):
    if issue is None:
        return Value(None, None, "day")
    day = issue + dt.timedelta(days=cfg["words"]["rel_days"][g["rd"]])
    return Value(day, day, "day")


def _shift(g, cfg) -> int:
    return cfg["words"]["shifts"][g["shift"]] if g.get("shift") else 0


def b_weekday(g, issue, cfg):
    if issue is None:
        return Value(None, None, "day")
    wd = cfg["words"]["weekdays"][g["wd"]]
    mon = issue - dt.timedelta(days=issue.weekday()) + dt.timedelta(weeks=_shift(g, cfg))
    day = mon + dt.timedelta(days=wd - 1)
    return Value(day, day, "day")


def b_rel_period(g, issue, cfg):
    unit = cfg["words"]["units"][g.get("unit") or g["unit2"]]
    if issue is None:
        return Value(None, None, unit)
    d = add_units(issue.replace(day=1) if unit != "week" else issue, unit, _shift(g, cfg))
    a, b = unit_interval(d, unit)
    if g.get("d"):
        if unit != "month":
            raise Reject
        return absolute(a.year, True, a.month, num(g["d"]), issue)
    return Value(a, b, unit, {"y": a.year, "m": a.month} if unit == "month" else {})


def b_span(g, issue, cfg):
    unit = cfg["words"]["units"][g["unit"]]
    n, _ = count_of(g["n"])       # a hedged count (近三四年) spans the larger: both readings
    if not n:
        raise Reject
    if issue is None:
        return Value(None, None, "range")
    direction = cfg["words"]["span_directions"][g["dir"]]
    if g["dir"] in ("前", "后") and n == 1 and unit == "day":
        raise Reject         # 前一天 / 后一天: the day before / after an event named nearby
    if direction == "back":
        return Value(add_units(issue, unit, -n), issue - dt.timedelta(days=1), "range")
    if direction == "ahead":
        return Value(issue + dt.timedelta(days=1), add_units(issue, unit, n), "range")
    sign = -1 if direction == "before" else 1
    base = issue.replace(day=1) if unit in ("month", "quarter", "year") else issue
    first = unit_interval(add_units(base, unit, sign), unit)
    last = unit_interval(add_units(base, unit, sign * n), unit)
    a, b = (last[0], first[1]) if sign < 0 else (first[0], last[1])
    return Value(a, b, unit if n == 1 else "range")


def _count(g, point: bool) -> float:
    """The count of an offset (``point``: a day so long ago, which a hedge such as 三四年前
    leaves unknown) or of a span since (四五年来: the larger, covering both readings)."""
    n, hedged = count_of(g["n"])
    if n is None or (hedged and point):
        raise Reject
    return n + (0.5 if g.get("half") else 0)


def b_offset(g, issue, cfg):
    if g.get("n2"):
        g = {**g, "n": g["n2"], "unit": g["unit2"]}
    unit = cfg["words"]["units"][g["unit"]]
    n = _count(g, point=True)
    if issue is None:
        return Value(None, None, "day")
    day = add_units(issue, unit, -n if g["dir"] == "前" else n)
    return Value(day, day, "day")


def b_since_span(g, issue, cfg):
    unit = cfg["words"]["units"][g["unit"]]
    n = _count(g, point=False)
    if issue is None:
        return Value(None, None, "since")
    return Value(add_units(issue, unit, -n), issue, "since")


def b_quarter(g, issue, cfg):
    y, stated = year_of(g, issue, cfg)
    if not stated:
        y = issue.year if issue else None
    q = int(g["q"]) if g.get("q") else num(g["qc"]) if g.get("qc") else (1 if g["qw"] == "首季" else 4)
    if not q or not 1 <= q <= 4:
        raise Reject
    if y is None:
        return Value(None, None, "quarter")
    m0 = 3 * q - 2
    part = g.get("part")
    if part:
        m = m0 + {"初": 0, "中": 1, "末": 2}[part]
        return Value(dt.date(y, m, 1), dt.date(y, m, last_day(y, m)), "month")
    return Value(dt.date(y, m0, 1), dt.date(y, m0 + 2, last_day(y, m0 + 2)), "quarter")


def b_months_of_year(g, issue, cfg):
    y, stated = year_of(g, issue, cfg)
    if not stated:
        y = issue.year if issue else None
    unit = g.get("unit") or g.get("unit2")
    n = num(g.get("n") or g.get("nth"))
    if unit in ("周", "星期", "天"):
        if not stated:
            raise Reject          # 前两天 with no year is a span (b_span)
        if not n or y is None:
            if not n:
                raise Reject
            return Value(None, None, "range")
        if unit == "天":
            if g.get("front"):
                return Value(dt.date(y, 1, 1), dt.date(y, 1, 1) + dt.timedelta(days=n - 1), "range")
            return Value(dt.date(y, 12, 31) - dt.timedelta(days=n - 1), dt.date(y, 12, 31), "range")
        # whole weeks (Monday to Sunday) inside the year
        if g.get("front"):
            first = dt.date(y, 1, 1)
            mon = first + dt.timedelta(days=(7 - first.weekday()) % 7)
            return Value(mon, mon + dt.timedelta(days=7 * n - 1), "range")
        last = dt.date(y, 12, 31)
        sun = last - dt.timedelta(days=(last.weekday() + 1) % 7)
        return Value(sun - dt.timedelta(days=7 * n - 1), sun, "range")
    size = 3 if unit == "季度" else 1
    if not n or n * size > 12:
        raise Reject
    if y is None:
        return Value(None, None, "month")
    if g.get("nth"):
        a, b = (n - 1) * size + 1, n * size
    elif g.get("front"):
        a, b = 1, n * size
    else:
        a, b = 13 - n * size, 12
    return Value(dt.date(y, a, 1), dt.date(y, b, last_day(y, b)),
                 "quarter" if size == 3 else "month")


def b_month_part(g, issue, cfg):
    if issue is None:
        return Value(None, None, "tenday")
    a, b = cfg["words"]["month_parts"][g["mp"]]
    y, m = issue.year, issue.month
    return Value(dt.date(y, m, a), dt.date(y, m, min(b, last_day(y, m))), "tenday",
                 {"y": y, "m": m})


def b_half(g, issue, cfg):
    if g.get("hw"):
        if issue is None:
            return Value(None, None, "range")
        mon = issue - dt.timedelta(days=issue.weekday())
        a = mon + dt.timedelta(days=0 if g["hw"] == "上半周" else 3)
        return Value(a, a + dt.timedelta(days=3 if g["hw"] == "上半周" else 3), "range")
    y, stated = year_of(g, issue, cfg)
    if not stated:
        y = issue.year if issue else None
    if y is None:
        return Value(None, None, "halfyear")
    first = g["h"] in ("前半年",)
    if g["h"] == "上个半年":
        first = True
    a, b = (1, 6) if first else (7, 12)
    return Value(dt.date(y, a, 1), dt.date(y, b, last_day(y, b)), "halfyear")


def b_week_of(g, issue, cfg):
    y, stated = year_of(g, issue, cfg)
    n = num(g["n"])
    if not n:
        raise Reject
    m = num(g.get("m"))
    if g.get("rm"):
        if issue is None:
            return Value(None, None, "week")
        y, m = _rel_month(g["rm"], issue, cfg)
        stated = True
    if not stated:
        if issue is None:
            return Value(None, None, "week")
        y = issue.year
    if m is None:                                        # ISO week of a year
        if not 1 <= n <= 53:
            raise Reject
        mon = dt.date.fromisocalendar(y, n, 1)
    else:
        if not 1 <= m <= 12:
            raise Reject
        first = dt.date(y, m, 1)
        mon = first + dt.timedelta(days=(7 - first.weekday()) % 7) + dt.timedelta(weeks=n - 1)
        if mon.month != m:
            raise Reject
    if g.get("wd"):
        day = mon + dt.timedelta(days=cfg["words"]["weekdays"][g["wd"]] - 1)
        return Value(day, day, "day")
    return Value(mon, mon + dt.timedelta(days=6), "week")


def _rel_month(rm: str, issue: dt.date, cfg) -> tuple[int, int]:
    """(year, month) of 本月 / 这个月 / 上个月 / 下月 … from the issue date (the word before 月
    is one of the grammar's ``shifts``)."""
    return month_shift(issue.year, issue.month, cfg["words"]["shifts"][rm[:-1]])


def b_nth_weekday(g, issue, cfg):
    y, stated = year_of(g, issue, cfg)
    if g.get("rm"):
        if issue is None:
            return Value(None, None, "day")
        y, m = _rel_month(g["rm"], issue, cfg)
        stated = True
    else:
        m = num(g["m"])
    if m is None or not 1 <= m <= 12:
        raise Reject
    if not stated:
        if issue is None:
            return Value(None, None, "day")
        y = issue.year
    wd = cfg["words"]["weekdays"][g["wd"]] - 1
    if g.get("last"):
        d = dt.date(y, m, last_day(y, m))
        d -= dt.timedelta(days=(d.weekday() - wd) % 7)
    else:
        n = num(g["n"])
        if not n:
            raise Reject
        d = dt.date(y, m, 1)
        d += dt.timedelta(days=(wd - d.weekday()) % 7) + dt.timedelta(weeks=n - 1)
        if d.month != m:
            raise Reject
    return Value(d, d, "day")


def _part_years(g, cfg, first: int, size: int) -> tuple[int, int]:
    part = g.get("part")
    if not part:
        return first, first + size - 1
    a, b = cfg["words"]["period_parts"][part]
    scale = size // 10
    return first + a * scale, first + b * scale + scale - 1


def b_decade(g, issue, cfg):
    dec = num(g["dec"])
    if dec is None or dec % 10:
        raise Reject
    cent = g.get("cent")
    if cent == "上":
        if issue is None:
            return Value(None, None, "range")
        base = (issue.year // 100 - 1) * 100
    elif cent:
        c = num(cent)
        if not c or not 1 <= c <= 22:
            raise Reject
        base = (c - 1) * 100
    else:
        ref = issue.year if issue else 2000
        base = ref // 100 * 100
        if base + dec > ref:
            base -= 100
    a, b = _part_years(g, cfg, base + dec, 10)
    return Value(dt.date(a, 1, 1), dt.date(b, 12, 31), "range")


def b_century(g, issue, cfg):
    if g.get("up"):
        if issue is None:
            return Value(None, None, "range")
        c = issue.year // 100
    else:
        c = num(g["cent"])
        if not c or not 1 <= c <= 22:
            raise Reject
    first = (c - 1) * 100
    a, b = _part_years(g, cfg, first, 100)
    return Value(dt.date(max(a, 1), 1, 1), dt.date(b, 12, 31), "range")


def festival_day(name: str, year: int, cfg: dict, orthodox: bool = False) -> tuple[dt.date, dt.date]:
    """The first and last day of festival ``name`` in Gregorian ``year`` (computed once)."""
    return _festival_day(name, year, bool(orthodox))


@functools.lru_cache(maxsize=4096)
def _festival_day(name: str, year: int, orthodox: bool) -> tuple[dt.date, dt.date]:
    spec = grammar()["words"]["festivals"][name]
    days = int(spec.get("days", 1))
    if "solar" in spec:
        d = dt.date(year, *spec["solar"])
    elif "lunar" in spec:
        lm, ld = spec["lunar"]
        if ld == "last":          # 除夕: the day before the next lunar new year
            d = lunar_to_solar(year + 1, 1, 1) - dt.timedelta(days=1)
        else:
            d = lunar_to_solar(year, lm, ld)
    elif "term" in spec:
        from lunar_python import Solar
        t = Solar.fromYmd(year, 6, 1).getLunar().getJieQiTable()[spec["term"]]
        if t.getYear() != year:       # 冬至 of the table may be last year's
            t = Solar.fromYmd(year, 12, 31).getLunar().getJieQiTable()[spec["term"]]
        d = dt.date(t.getYear(), t.getMonth(), t.getDay())
    elif "easter" in spec:
        from dateutil.easter import EASTER_ORTHODOX, EASTER_WESTERN, easter
        ortho = orthodox or spec.get("orthodox")
        d = easter(year, EASTER_ORTHODOX if ortho else EASTER_WESTERN) + dt.timedelta(days=spec["easter"])
    else:
        d = _calendar_day(spec["calendar"], spec["holiday"], year)
        if spec.get("until"):
            end = _calendar_day(spec["calendar"], spec["until"], year, after=d)
            return d, end - dt.timedelta(days=1)
    d += dt.timedelta(days=spec.get("offset", 0))
    start = d - dt.timedelta(days=1) if spec.get("eve") else d
    return start, d + dt.timedelta(days=days - 1)


@functools.cache
def _calendars() -> dict:
    from holidays.calendars.buddhist import _BuddhistLunisolar
    from holidays.calendars.hebrew import _HebrewLunisolar
    from holidays.calendars.hindu import _HinduLunisolar
    from holidays.calendars.islamic import _IslamicLunar
    return {"hebrew": _HebrewLunisolar(), "islamic": _IslamicLunar(), "hindu": _HinduLunisolar(),
            "buddhist": _BuddhistLunisolar()}


def _calendar_day(cal: str, holiday: str, year: int, after: dt.date | None = None) -> dt.date:
    """A holiday of another calendar in Gregorian ``year`` (the first after ``after``)."""
    obj = _calendars()[cal]
    fn = getattr(obj, f"{holiday}_date", None) or getattr(obj, f"{holiday}_dates")
    found: list[dt.date] = []
    for y in (year, year + 1) if after else (year,):
        res = fn(y)
        items = res if isinstance(res, (set, list)) or hasattr(res, "__next__") else [res]
        for it in items:
            d = it[0] if isinstance(it, tuple) else it
            if isinstance(d, dt.date):
                found.append(d)
    found = sorted(d for d in found if (d.year == year if after is None else d > after))
    if not found:
        raise Reject
    return found[0]


@functools.lru_cache(maxsize=4096)
def lunar_to_solar(year: int, month: int, day: int) -> dt.date:
    first, days = _lunar_months(year).get(month, (None, 0))
    if first is None or not 1 <= day <= days:
        raise Reject
    return first + dt.timedelta(days=day - 1)


@functools.lru_cache(maxsize=512)
def _lunar_months(year: int) -> dict[int, tuple[dt.date, int]]:
    """Lunar ``year``'s months (a leap month negative) -> (solar first day, number of days),
    from one lunar-python LunarYear: it computes the year's new moons and solar terms, which is
    what costs, and keeps only the last year asked for."""
    from lunar_python import LunarYear, Solar
    try:
        months = LunarYear.fromYear(year).getMonthsInYear()
    except Exception:
        return {}
    out = {}
    for m in months:
        s = Solar.fromJulianDay(m.getFirstJulianDay())
        out[m.getMonth()] = (dt.date(s.getYear(), s.getMonth(), s.getDay()), m.getDayCount())
    return out


def b_festival(g, issue, cfg):
    y, stated = year_of(g, issue, cfg)
    name, orth = g["fest"], bool(g.get("orth"))
    if orth and "easter" not in cfg["words"]["festivals"][name]:
        raise Reject
    shift = 1 if g.get("next") else (num(g["nth"]) - 1 if g.get("nth") else None)

    def value(a, b):
        if shift is not None:
            a = b = a + dt.timedelta(days=shift)
        return Value(a, b, "day" if a == b else "range")
    if stated:
        if y is None:
            return Value(None, None, "day")
        return value(*festival_day(name, y, cfg, orth))
    if issue is None:
        return Value(None, None, "day")
    for year in (issue.year - 1, issue.year, issue.year + 1):
        try:
            a, b = festival_day(name, year, cfg, orth)
        except Reject:
            continue
        if b >= issue - dt.timedelta(days=cfg["festival_past_days"]):
            return value(a, b)
    raise Reject


_LUNAR_MONTHS = {"正": 1, "冬": 11, "腊": 12}


def b_lunar(g, issue, cfg):
    if g.get("ny"):
        lm, ld = 1, num(g["nd"].lstrip("初"))
    else:
        lm = _LUNAR_MONTHS.get(g["lm"]) or num(g["lm"])
        ldt = g.get("ld")
        lunar_marked = bool(g.get("lun")) or g["lm"] in _LUNAR_MONTHS or (ldt or "").startswith(("初", "廿"))
        if not lunar_marked:
            raise Reject                  # 八月十五 without 农历 is left to the solar rules
        ld = num(ldt.lstrip("初")) if ldt else None
    if not lm or not 1 <= lm <= 12:
        raise Reject
    y, stated = year_of(g, issue, cfg)
    if stated:
        if y is None:
            return Value(None, None, "day")
        return _lunar_value(y, lm, ld)
    if issue is None:
        return Value(None, None, "day")
    # no year: the occurrence not long past (as for festivals), in lunar years
    ly = _lunar_year(issue)
    for y in (ly - 1, ly, ly + 1):
        v = _lunar_value(y, lm, ld)
        if v.end >= issue - dt.timedelta(days=cfg["festival_past_days"]):
            return v
    raise Reject


@functools.lru_cache(maxsize=4096)
def _lunar_year(day: dt.date) -> int:
    """The lunar year ``day`` falls in: its Gregorian year from that year's lunar new year on."""
    first = _lunar_months(day.year).get(1, (None, 0))[0]
    return day.year if first is None or day >= first else day.year - 1


def _lunar_value(y: int, lm: int, ld: int | None) -> Value:
    if lm == 12 and ld == 30:
        d = lunar_to_solar(y + 1, 1, 1) - dt.timedelta(days=1)
        return Value(d, d, "day")
    if ld is None:
        a = lunar_to_solar(y, lm, 1)
        nxt = lunar_to_solar(y + (lm == 12), lm % 12 + 1, 1)
        return Value(a, nxt - dt.timedelta(days=1), "month")
    d = lunar_to_solar(y, lm, ld)
    return Value(d, d, "day")


def b_anaphoric_year(g, issue, cfg):
    # resolved against the last year named, in combine(); here only the shape
    return Value(None, None, "year", {"anaphor": {"翌年": 1, "次年": 1, "同年": 0}[g["ay"]],
                                      "m": num(g.get("m")), "d": num(g.get("d"))})


def b_bare_day(g, issue, cfg):
    d = num(g["d"])
    if d is None or not 1 <= d <= 31:
        raise Reject
    return Value(None, None, "day", {"y": None, "m": None, "d": d, "bare": True})


BUILDERS: dict[str, Callable] = {
    "ymd": b_ymd, "era": b_era, "year_range": b_year_range, "rel_day": b_rel_day, "weekday": b_weekday, "rel_period": b_rel_period,
    "span": b_span, "offset": b_offset, "since_span": b_since_span, "quarter": b_quarter,
    "months_of_year": b_months_of_year, "month_part": b_month_part, "half": b_half,
    "week_of": b_week_of, "nth_weekday": b_nth_weekday, "decade": b_decade,
    "century": b_century, "festival": b_festival, "lunar": b_lunar,
    "anaphoric_year": b_anaphoric_year, "bare_day": b_bare_day,
}


# ---------------------------------------------------------------- matching

def gate(text: str, needs: str, trigger, seen: dict) -> bool:
    """Whether ``text`` holds one of the characters ``needs`` and a match of one of the patterns
    ``trigger`` (``triggers``; either may be empty); each answer is kept in ``seen`` (one dict
    per text), as productions and patterns share their gates."""
    if needs:
        ok = seen.get(needs)
        if ok is None:               # (``in`` on a str is a fast scan; set(text) is not; a
            ok = False               # loop, not any() over a generator: half the cost)
            for ch in needs:
                if ch in text:
                    ok = True
                    break
            seen[needs] = ok
        if not ok:
            return False
    if trigger is not None:
        ok = seen.get(trigger)
        if ok is None:
            ok = False
            for t in trigger:
                if t.search(text) is not None:
                    ok = True
                    break
            seen[trigger] = ok
        return ok
    return True


def candidates(text: str, issue: dt.date | None, seen: dict | None = None) -> list[tuple[int, int, Value, str]]:
    """Every production's matches in ``text`` (already Simplified, ASCII digits) as
    (start, end, value, production name); ``seen``: the text's gates already answered."""
    cfg = grammar()
    out = []
    fguards = cfg["_festival_guards"]
    seen = {} if seen is None else seen
    for p in cfg["_productions"]:
        if not gate(text, p.needs, p.trigger, seen):
            continue
        build = BUILDERS[p.build]
        if p.anchors is not None:     # only where one of its words starts
            starts = sorted({end - len(w) + 1 for end, w in p.anchors.iter(text)})
            matches = (m for m in (p.rx.match(text, s0) for s0 in starts) if m)
        else:
            matches = p.rx.finditer(text)
        for mt in matches:
            if mt.end() == mt.start():
                continue
            g = {k: v for k, v in mt.groupdict().items() if v}
            if not g:
                continue
            start = mt.start()
            if p.prefix is not None:
                pm = p.prefix.search(text, max(0, start - 12), start)
                if pm and pm.end() > pm.start():
                    g.update({k: v for k, v in pm.groupdict().items() if v})
                    start = pm.start()
            if p.require_one_of and not any(
                    g.get(k) or (k == "zero_lead" and g.get("yy", "x")[0] in "0零〇○")
                    for k in p.require_one_of):
                continue
            if p.not_after and p.not_after.search(text[max(0, start - 8):start]):
                continue
            if p.not_before and p.not_before.match(text, mt.end()):
                continue
            if g.get("fest") in fguards:
                na, nb = fguards[g["fest"]]
                if na and na.search(text[max(0, start - 8):start]):
                    continue
                if nb and nb.match(text, mt.end()):
                    continue
            try:
                val = build(g, issue, cfg)
            except (Reject, ValueError, OverflowError):
                continue        # (a day that does not exist — 2019年第53周, 2月30日 — is no date)
            out.append((start, mt.end(), val, p.name))
    return out


# ---------------------------------------------------------------- combinators

# a record while combining: start, end (offsets), value (Value), anchor (the named period of
# an open record), kind ("plain", "open", "same")

def _inherit(x: Value, y: Value, issue: dt.date | None) -> Value | None:
    """``y`` (the second end of a range or a later item of a list) with the year and month it
    leaves out taken from ``x``; None when ``y`` cannot be read so."""
    fy = y.fields
    if not fy or x.start is None:
        return y if y.start is not None else None
    ref = x.end or x.start
    if fy.get("bare"):
        try:
            return absolute(ref.year, True, ref.month, fy["d"], issue)
        except Reject:
            return None
    if fy.get("y") is None and fy.get("m") is not None and "anaphor" not in fy:
        try:
            v = absolute(ref.year, True, fy["m"], fy.get("d"), issue)
            if v.start < x.start:
                v = absolute(ref.year + 1, True, fy["m"], fy.get("d"), issue)
            return v
        except Reject:
            return None
    return y if y.start is not None else None


def combine(text: str, recs: list[dict], issue: dt.date | None) -> list[dict]:
    """Join neighbouring records: anaphoric years, lists, ranges, open ends (module doc)."""
    cfg = grammar()
    # anaphoric years (翌年): the year after the last year named before
    last_year = None
    for r in recs:
        v = r["value"]
        if "anaphor" in v.fields:
            if last_year is None:
                r["value"] = Value(None, None, "year")
                continue
            y = last_year + v.fields["anaphor"]
            try:
                r["value"] = absolute(y, True, v.fields.get("m"), v.fields.get("d"), issue)
            except Reject:
                r["value"] = Value(None, None, "year")
        elif v.start is not None and v.fields.get("y") is not None:
            last_year = v.fields["y"]
        elif v.start is not None and v.start == v.end or v.gran in ("year", "month", "day"):
            if v.start is not None:
                last_year = v.start.year
    # a day and its weekday in apposition: one record with the day's value
    kept = []
    for r in recs:
        v = r["value"]
        if kept and kept[-1].get("weekday") and v.gran == "day" and not r.get("weekday") \
                and cfg["_appos_before"].search(text, kept[-1]["start"], r["start"]) \
                and cfg["_appos_before"].search(text, kept[-1]["start"], r["start"]).start() == kept[-1]["start"]:
            r = {**r, "start": kept[-1]["start"]}
            kept[-1] = r
            continue
        if kept and r.get("weekday") and kept[-1]["value"].gran == "day":
            m = cfg["_appos_after"].match(text, kept[-1]["end"])
            if m and m.end() >= r["end"] and r["start"] >= kept[-1]["end"]:
                kept[-1] = {**kept[-1], "end": m.end()}
                continue
        kept.append(r)
    recs = kept
    # lists: X、Y with Y a bare day (or a yearless month) inherits from X
    for a, b in zip(recs, recs[1:]):
        if (b["value"].fields.get("bare") and cfg["_list"].fullmatch(text, a["end"], b["start"])):
            v = _inherit(a["value"], b["value"], issue)
            if v is not None:
                b["value"] = v
    out: list[dict] = []
    i = 0
    while i < len(recs):
        r = recs[i]
        nxt = recs[i + 1] if i + 1 < len(recs) else None
        merged = None
        if nxt is not None and r["kind"] == "plain" and nxt["kind"] == "plain":
            rng = cfg["_range"].fullmatch(text, r["end"], nxt["start"])
            btw = cfg["_between"].fullmatch(text, r["end"], nxt["start"])
            suf = cfg["_range_suffix"].match(text, nxt["end"])
            if rng or (btw and suf):
                y = _inherit(r["value"], nxt["value"], issue)
                x = r["value"]
                if y is not None and (x.start is None or y.end is None or y.end >= x.start):
                    start = r["start"]
                    pre = cfg["_range_prefix"].search(text, max(0, start - 2), start)
                    if pre:
                        start = pre.start()
                    end = suf.end() if suf else nxt["end"]
                    merged = {"start": start, "end": end, "kind": "plain",
                              "value": Value(x.start, y.end, "range", {}), "anchor": None}
        if merged:
            out.append(merged)
            i += 2
            continue
        if "bare" in r["value"].fields:
            i += 1
            continue             # a bare day that joined nothing is no date
        out.append(r)
        i += 1
    # open ends
    modes = cfg["combinators"]["modes"]
    for r in out:
        if r["kind"] != "plain":
            continue
        v = r["value"]
        m_after = cfg["_open_after"].match(text, r["end"])
        m_before = cfg["_open_before"].search(text, max(0, r["start"] - 4), r["start"])
        mode = None
        if m_after:
            mode = modes[m_after.group(0)]
            r["end"] = m_after.end()
            if m_before and modes[m_before.group(0)] == "until":
                r["start"] = m_before.start()
        elif m_before:
            mode = modes[m_before.group(0)]
            r["start"] = m_before.start()
            if v.gran == "range" and mode == "since":
                continue                 # 从 X 到 Y: the range with its 从
        if mode is None:
            continue
        r["anchor"] = (v.start, v.end)
        if mode == "until":
            r["value"] = Value(None, v.end, "before")
        elif mode == "from":
            r["value"] = Value(v.start, None, "from")
        elif mode == "after":
            r["value"] = Value(v.end + dt.timedelta(days=1) if v.end else None, None, "after")
        else:
            end = issue if issue and v.start and issue >= v.start else None
            r["value"] = Value(v.start, end, "since")
        r["kind"] = "open"
    return out
