"""Stage 5a — figures: every number on the page with its normalised value.

Entry point: ``find_figures(text) -> list[dict]``, one dict per figure with the fields of
``../shared/contract.md``: start, end (offsets into ``text``), text, kind, value, low, high,
unit, approx, magnitude, count; plus ``change`` (increase/decrease, for 增长32.6%) and
``per`` (for 2×660MW: the figure per item) where they apply. Records are sorted by start and
never overlap. Patterns, units and hedges live in ``rules/figures/``.

How a figure is read (each step driven by ``rules/figures/figures.yaml``):

1. numerals come from ``baozhi.resources.numerals.scan`` (24.7亿, 一百三十五, 十余万, 数十亿);
2. a numeral becomes a figure only with a unit after it (``units.tsv``: 元, 亿元 via the
   numeral, 吨, 千瓦, 个, 名 …), a percent prefix (百分之) or a currency sign (￥);
   the split of numeral and unit that gives the longest unit wins (300兆瓦 = 300 MW);
3. ranges (3到4个小时, 1万-5万元) and products (2×660MW) join two numerals;
4. hedges before (约, 近, 超, 不少于), inside (余, 多) and after (左右, 以上, 以内) set
   ``approx``; a change word before (增长, 下降) sets ``change``;
5. scale classes (千亿级, 四大千亿级, 超百吨级) are ``kind: magnitude``;
6. ordinals (第九届, 第1、2、3、5、7天), codes (N95, 043号, 1+5+15), numbers in short quotes
   written in digits or without a count unit (“十四五”, “985”), in titles (《四部医典》), in
   idioms and set phrases (三位一体, 十万八千里), articles (一名母亲, 一个个) and homographs
   (一起, 统一) are not figures; a count in Chinese numerals inside short quotes is (“六个一体化”);
7. counts the units table cannot say alone: a level word after the list of its levels, as long
   as the count (省、市、县三级), a ratio after a ratio word (按省级标准1:1配套), a bare number
   after a 系数/指数 noun (基尼系数０．２８), 一 after 各/只有/仅 (各开展一次), a fraction after a
   share word (占…的近１／８, a percent), a bare value after a rate and a verb (献血率达到21.9), an
   estimate word before a bare magnitude (近万户, 上千人: `estimate_magnitude`), a numeral of several
   with no unit (数百居民: `several_bare`), 零 as a value (人数为零: `zero_value`), 比 as a ratio's
   sign after a ratio word (汇率为３·３比１), a score in a game's context (以３∶０轻取, 比分是７∶５、
   ６∶３: `score`, unit score, value null: the sides are its text), an idiom of magnitude (数以万计:
   `idiom_estimate`, as 数万), a bare magnitude before a counting classifier (千户企业:
   `bare_classified`, approx about), the numeral of a streak (五连冠: `streak_count`, the numeral alone);
8. units read only in their context (``unit_contexts``: points 分 after 扣/得/积…, 以 + digits, results
   ３胜３和, medals 40金、27银, doublings 翻两番), a rate X/Y (40.12元/公斤 = 40.12 CNY/kg) and one space before a
   unit (17 条, 4.1 %).

Decisions: 百分点 has unit ``pp``; 成 is tenths as percent (九成 = 90 %); 折 is a discount
read as percent (8折 = 80 %, 75折 = 75 %); 数十亿 is the range 2e9..9e9 with approx about;
2×660MW is 1.32e9 W with count 2 and per 6.6e8; days and months are quantities in ``d`` and
``month`` (7天内 = at most 7 d), years are left to the dates layer; 厘米级 (precision class)
is not a figure; 度 alone is degrees (°), 度电 is kWh; 千亿级 has unit null (the scale of an
output value, currency implied), 超百吨级 is magnitude 100 with unit t and approx over; 二三十,
十五六岁, 一两个 are ranges (概数) with approx about; a count of one written 一 (一名, 一个)
and 一天 (a time reference) are not figures; spaces inside a number (三千 九百) are read
through; 大 counts after a one-character numeral (六大产业链, not 十五大, the congress); a ratio
is kind quantity, unit ratio, value a/b; a year and a half that is a value (还能支撑一年半) is
unit year.
"""
from __future__ import annotations

import functools
import re

import regex

from baozhi.resources import regexcache, ruleset
from baozhi.resources.script import simplified
from baozhi.resources.units import context_units, unit_guard, unit_surfaces, unit_table, units as _units
from baozhi.resources.numerals import (Cover, Num, chars as num_chars, homograph_spans, lone_financial,
                                      lone_word, parse_number, scan, squeeze, unsqueeze)

FIELDS = ("start", "end", "text", "kind", "value", "low", "high", "unit", "approx",
          "magnitude", "count")

# the characters that may stand around a range connector, an inclusive mark or a times sign
# (10 - 20万, 2 × 660MW): the patterns' gap class and the first characters of their matches
# (``join_firsts``) both come from here, so the two cannot disagree
JOIN_GAP = " \t"

# a Han character (a numeral of several is a bare count only before a word: 数百居民)
_HAN = regexcache.compile(r"\p{Han}")


@functools.cache
def _cfg() -> dict:
    return ruleset.load("figures/figures.yaml")


def _numerals_in(pattern: str) -> str:
    """A pattern of figures.yaml with `{n}` made a class of the numeral characters (numerals.yaml's
    digits, Arabic, full-width and Chinese, and 十百千) and `{d}` one of the Arabic digits and
    decimal points."""
    nc = num_chars()
    n = "".join(regex.escape(ch) for ch in nc.digits + nc.small_units)
    d = "".join(regex.escape(ch) for ch in sorted(nc.arabic) + list(nc.decimal_points))
    return pattern.replace("{n}", f"[{n}]").replace("{d}", f"[{d}]")


def _alts(words) -> str:
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


def _firsts(*lists) -> frozenset | None:
    """The characters a match of an alternation of the words of each list starts with (the
    cheap test before the match), or None (test nothing) where a list is empty or holds an
    empty word: its alternation then matches the empty string anywhere."""
    if any(not words or "" in words for words in lists):
        return None
    return frozenset(w[0] for words in lists for w in words)


# the patterns this module builds (hedges, change words, range and times signs, currency signs,
# 百分之, the fixed words, short quotes and titles, the words before or after a code, an estimate
# word before a bare magnitude) of escaped
# words, alternations, character classes (negated too), repeats (*, +, ?, {1,n}) and $ only, with
# a look-behind of a class and a named group in percent_prefix and a capture group in change:
# compiled with the standard ``re``, whose call on a few characters costs half of ``regex``'s;
# the two engines read such patterns alike (tests/test_equivalences.py compares them, and the
# figures with each; a pattern with another construct moves to ``re`` only so checked); ``_STD``
# names them
_STD = ("hedge_before", "hedge_inside", "change", "range", "range_inclusive", "times", "currency",
        "percent_prefix", "fixed", "slogan", "title", "not_after", "not_before", "estimate_magnitude")


@functools.cache
def _patterns() -> dict:
    c = _cfg()
    p = {}
    hb = {w: k for k, ws in c["hedges_before"].items() for w in ws}
    p["hedge_before"] = (hb, re.compile(rf"(?:{_alts(hb)})[ \t]*$"))
    hi = {w: k for k, ws in c["hedges_inside"].items() for w in ws}
    p["hedge_inside"] = (hi, re.compile(_alts(hi)))
    ha = {w: k for k, ws in c["hedges_after"].items() for w in ws}
    guards = c["hedge_after_guards"]
    p["hedge_after"] = (ha, regexcache.compile("|".join(
        regex.escape(w) + (f"(?!{guards[w]})" if w in guards else "")
        for w in sorted(ha, key=len, reverse=True))))
    # the characters a match of hedge_after or rate starts with (a cheap test before the match
    # after every figure; None: a word or a list is empty, test nothing)
    p["hedge_after_firsts"] = _firsts(ha)
    ch = {w: k for k, ws in c["change_words"].items() for w in ws}
    p["change"] = (ch, re.compile(rf"({_alts(ch)})(?:{_alts(c['change_gap'])})?$"))
    gap = f"[{regex.escape(JOIN_GAP)}]*"
    p["range"] = re.compile(rf"{gap}(?:{_alts(c['range_connectors'])}){gap}")
    p["range_inclusive"] = re.compile(rf"{gap}(?:{_alts(c['range_inclusive_marks'])})")
    p["times"] = re.compile(rf"{gap}(?:{_alts(c['times_signs'])}){gap}")
    # the characters a match of range, range_inclusive or times starts with (a cheap test
    # before the three matches after every numeral; None: a word or a list is empty, test nothing)
    jf = _firsts(c["range_connectors"], c["range_inclusive_marks"], c["times_signs"])
    p["join_firsts"] = None if jf is None else frozenset(JOIN_GAP) | jf
    am = c["abbreviated_money"]
    p["abbreviated_money"] = (am["currency"], regexcache.compile(
        rf"(?:{_alts(am['words'])}){am['gap']}$"), regexcache.compile(am["not_before"]))
    p["currency"] = (c["currency_prefixes"],
                     re.compile(rf"(?:{_alts(c['currency_prefixes'])})[ \t]*$"))
    nc = num_chars()
    p["percent_mark"] = nc.fraction       # 分之, in every match of the percent prefix
    p["percent_prefix"] = re.compile(
        rf"(?<![{''.join(regex.escape(ch) for ch in nc.digits)}])"
        rf"(?P<mag>[{regex.escape(nc.part_of)}]+){regex.escape(nc.fraction)}$")
    p["not_inside"] = regexcache.compile("|".join(c["not_inside"]))
    p["article_counts_after"] = regexcache.compile(c["article_counts_after"])
    p["unit_not_after"] = {w: regexcache.compile(pat) for w, pat in c["unit_not_after"].items()}
    # an Arabic number with the decimal points numerals.yaml knows (９１·８, 0.31)
    d = "".join(sorted(ch for ch in nc.arabic if ch.isdigit()))
    d = regex.escape(d)
    pt = regex.escape(nc.decimal_points)
    num_re = rf"[{d}]+(?:[{pt}][{d}]+)?"
    r = c["ratio"]
    signs = "".join(regex.escape(s) for s in r["signs"])
    p["ratio"] = (regexcache.compile(rf"(?<![{d}{pt}{signs}])(?P<a>{num_re})(?:{_alts(r['signs'])})(?P<b>{num_re})(?!{r['not_after']}|(?:{_alts(r['signs'])})[{d}])"),
                  regexcache.compile(r["before"]))
    sc = c["score"]
    ss = "".join(regex.escape(x) for x in sc["signs"])
    gv = _alts(c["game_result_verbs"])
    p["score"] = (regexcache.compile(rf"(?<![{d}{pt}{ss}])(?P<a>[{d}]{{1,3}})(?:{_alts(sc['signs'])})(?P<b>[{d}]{{1,3}})(?!{sc['not_after']}|(?:{_alts(sc['signs'])})[{d}])"),
                  regexcache.compile(sc["before"].replace("{game_result_verbs}", gv)),
                  regexcache.compile(sc["after"].replace("{game_result_verbs}", gv)),
                  regexcache.compile(sc["run_joiners"]),
                  regexcache.compile(sc["clock_before"]), regexcache.compile(sc["clock_after"]))
    fr = c["fraction"]
    fs = "".join(regex.escape(x) for x in fr["signs"])
    p["fraction"] = (regexcache.compile(rf"(?<![{d}{pt}{fs}])(?P<a>[{d}]+)(?:{_alts(fr['signs'])})(?P<b>[{d}]+)(?!{fr['not_after']})"),
                     regexcache.compile(fr["before"]))
    # where a match of either can stand: a sign with a digit on each side (its gate; one
    # stdlib re pattern per sign, each led by the sign, which re finds at once)
    digit = "".join(ch for ch in sorted(nc.arabic) if ch.isdigit())
    # a score's gate: one stdlib re over the text (a digit, a sign, a digit)
    sgs = "".join(re.escape(sg) for sg in c["score"]["signs"] if len(sg) == 1)
    p["score_gate"] = (re.compile(rf"[{sgs}](?<=[{re.escape(digit)}][{sgs}])[{re.escape(digit)}]")
                       if all(len(sg) == 1 for sg in c["score"]["signs"]) else None)
    for name in ("ratio", "fraction"):
        p[f"{name}_gate"] = tuple(
            re.compile(rf"{re.escape(sg)}(?<=[{re.escape(digit)}]{re.escape(sg)})[{re.escape(digit)}]")
            for sg in c[name]["signs"])
    nv = c["named_value"]
    p["named_value"] = (regexcache.compile(rf"(?:(?:{_alts(nv['nouns'])}){nv['gap']}"
                                           rf"|(?:{_alts(nv['verb_nouns'])}){nv['verb_gap']})(?P<n>{num_re})"),
                        regexcache.compile(nv["not_after"]))
    lv = _alts(c["list_levels"])
    p["list_count"] = regexcache.compile(
        rf"(?P<items>(?:(?:{lv})、)+(?:{lv}))"
        rf"(?P<num>[{''.join(regex.escape(ch) for ch in nc.cjk_digits)}]{{1,2}})(?P<unit>{_alts(c['list_counters'])})")
    p["fixed"] = re.compile(_alts(c["fixed_words"]))
    m = c["magnitude"]
    digits = "".join(regex.escape(ch) for ch in nc.cjk_digits) + "0-9"
    _, unit_re = _units()
    p["magnitude"] = regexcache.compile(
        rf"(?:(?P<count>[{digits}{''.join(regex.escape(u) for u in nc.small_units)}]+){regex.escape(m['count_marker'])}|(?P<pair>{_alts(m['count_words'])}))?"
        rf"(?P<hedge>{_alts(hb)})?(?P<mag>[{digits}]*[{regex.escape(m['chars'])}]+)(?P<unit>{unit_re.pattern})?"
        rf"{regex.escape(m['suffix'])}")
    # where a scale class can end: the suffix after a magnitude character or a unit's last
    # character (one stdlib re led by the suffix: a cheap test before the pattern's scan)
    lasts = sorted(set(m["chars"]) | {w[-1] for w in _units()[0]})
    sfx = re.escape(m["suffix"])
    p["magnitude_gate"] = re.compile(rf"{sfx}(?<=[{''.join(re.escape(ch) for ch in lasts)}]{sfx})")
    q = c["slogan_quotes"]
    n = int(c["slogan_max_chars"])
    tn = int(c["title_max_chars"])
    p["slogan"] = re.compile("|".join(
        rf"{regex.escape(a)}[^{regex.escape(b)}\n]{{1,{n}}}{regex.escape(b)}" for a, b in q.items()))
    # the kinds and units a quoted count may have, and the Arabic digits (a code when quoted)
    p["slogan_sets"] = (frozenset(c["slogan_count_kinds"]), frozenset(c["slogan_not_units"]),
                        frozenset(nc.digits) - frozenset(nc.cjk_digits))
    p["title"] = re.compile("|".join(
        rf"{regex.escape(a)}[^{regex.escape(b)}\n]{{1,{tn}}}{regex.escape(b)}"
        for a, b in c["title_quotes"].items()))
    p["not_after"] = re.compile(rf"(?:{_alts(c['not_after'])})$")
    p["not_after_patterns"] = regexcache.compile("|".join(c["not_after_patterns"]))
    # the same patterns without their closing $, searched once in a whole text: a text with no
    # match of them holds none in any numeral's window either (only where every pattern ends
    # with $ and has no other assertion a window's end could change: else None, no gate)
    bare = [pat[:-1] for pat in c["not_after_patterns"]
            if pat.endswith("$") and "(?" not in pat.replace("(?:", "") and "$" not in pat[:-1]
            and not any(a in pat for a in ("\\b", "\\B", "\\Z"))]
    p["not_after_anywhere"] = (regexcache.compile("|".join(bare))
                               if bare and len(bare) == len(c["not_after_patterns"]) else None)
    p["not_before"] = re.compile(_alts(c["not_before"]))
    p["not_before_firsts"] = _firsts(c["not_before"])
    p["subunits"] = {cur: (sub, regexcache.compile(rf"(?:{_alts(c['subunit_joiners'])})?(?P<num>.{{1,4}}?)(?P<sub>{_alts(sub)})"))
                     for cur, sub in c["subunits"].items()}
    digits = "".join(regex.escape(ch) for ch in num_chars().digits)
    p["subunit_tail"] = regexcache.compile(
        rf"(?P<skip>{regex.escape(c['subunit_tail_skip'])})?(?P<d>[{digits}])(?![{digits}.．])(?!(?![{regex.escape(c['subunit_tail_before'])}])\p{{Han}})")
    p["money_closers"] = [(w, regexcache.compile(after)) for w, after in c["money_closers"].items()]
    bm = c["bare_magnitude"]
    p["bare_magnitude"] = (float(bm["min_multiplier"]), regexcache.compile(bm["not_before"]))
    zv = c["zero_value"]
    p["zero_value"] = (tuple(zv["words"]), regexcache.compile(rf"(?:{_alts(zv['words'])})"),
                       regexcache.compile(zv["before"]), regexcache.compile(zv["after"]),
                       regexcache.compile(zv["not_inside"]))
    p["several_bare"] = (frozenset(c["several_bare"]["starts"]),
                         regexcache.compile(c["several_bare"]["not_before"]),
                         regexcache.compile(c["several_bare"]["not_after"]))
    ls = c["list_shared_count"]
    quotes = dict(c["slogan_quotes"])     # (the quotes a list of verbs stands in)
    p["list_shared"] = (regexcache.compile(ls["stop"]), quotes, frozenset(quotes.values()),
                        int(ls["max_items"]), int(ls["window"]), frozenset(nc.cjk_digits))
    p["idiom_estimate"] = regexcache.compile(c["idiom_estimate"]["pattern"])
    bc = c["bare_classified"]
    p["bare_classified_gate"] = re.compile(
        rf"[{re.escape(bc['chars'])}](?:{'|'.join(re.escape(w) for w in bc['counters'])})")
    p["bare_classified"] = (regexcache.compile(
        rf"(?P<m>[{regex.escape(bc['chars'])}]+)(?P<u>{_alts(bc['counters'])})"),
        regexcache.compile(bc["not_after"]), regexcache.compile(bc["not_before"]))
    p["streak_gate"] = re.compile("|".join(re.escape(w) for w in c["streak_count"]["words"]))
    p["streak_count"] = regexcache.compile(
        _numerals_in(rf"(?<!{{n}})(?P<n>{{n}}{{1,3}})(?:{_alts(c['streak_count']['words'])})"))
    em = c["estimate_magnitude"]
    p["estimate_magnitude"] = (
        em["words"], re.compile(rf"(?P<w>{_alts(em['words'])})(?P<m>[{regex.escape(em['chars'])}]+)"))
    p["estimate_guards"] = ({w: frozenset(chars) for w, chars in em["not_after"].items()},
                            regexcache.compile(_alts(em["not_inside"])), regexcache.compile(em["not_before"]))
    # the characters _unit_after's reading can start with after a numeral: a unit's, an inside
    # hedge's, 个半/个多's (a shorter reading of a numeral followed by none of them has no unit)
    # the first characters of every unit surface (context units too): a unit pattern matches
    # only where one of them stands (a cheap test before matching the long alternation)
    p["unit_starts"] = frozenset(w[0] for w in _units()[0])
    extras = [*hi, c["half_before_unit"], c["over_before_unit"]]
    p["unit_firsts"] = None if "" in extras else p["unit_starts"] | frozenset(w[0] for w in extras)
    # and with a space before a unit (17 条): after a character of neither no reading has a unit
    p["unit_after_firsts"] = (None if p["unit_firsts"] is None
                              else p["unit_firsts"] | frozenset(c["unit_spaces"]))
    # the characters not_after's words end with (its window holds the whole match)
    p["not_after_ends"] = frozenset(w[-1] for w in c["not_after"])
    # units read only in their context (分 of a game, 3胜3和, 40金): one pattern for their surfaces
    # (traditional spellings too: one prefix trie, as the units' own pattern), and each
    # surface's before / after patterns
    table, unit_re = _units()
    ctx = context_units()
    guards = {w: unit_guard(w, row["kind"], _numerals_in) for w, row in table.items() if row["surface"] in ctx}
    # (a match starts with a first character of one of those surfaces: a cheap test before it)
    p["context_firsts"] = frozenset(w[0] for w in guards if w) if guards and all(guards) else None
    p["context_units"] = (regexcache.compile(regexcache.guarded_trie(guards)), {
        w: tuple(regexcache.compile(_numerals_in(spec[k])) if spec.get(k) else None
                 for k in ("before", "after", "not_after"))
        for w, spec in ctx.items()})
    r = c["rate"]
    p["rate"] = regexcache.compile(rf"(?:{_alts(r['signs'])})(?P<unit>{unit_re.pattern})")
    p["rate_firsts"] = _firsts(r["signs"])
    p["count_as_money"] = {w: (spec["currency"], regexcache.compile(spec["followed_by"]),
                               regexcache.compile(spec["or_at_clause_end"]), regexcache.compile(spec["money_words"]))
                           for w, spec in c["count_as_money"].items()}
    return p


def _one() -> str:
    """The digit one, put before a bare magnitude word (千亿级 reads as 一千亿)."""
    return num_chars().one


def _clean(v: float | None) -> float | None:
    if v is None:
        return None
    return float(f"{v:.12g}")


def _discount(v: float) -> float | None:
    """A discount 折 as percent: 8折 = 80 %, 7.5折 = 75 %, 75折 = 75 %; 十折 is none."""
    if 0 < v < 10:
        return v * 10
    if 10 < v < 100 and v % 10:
        return v
    return None


def _scaled(v, factor, discount=False):
    if v is None:
        return None
    if discount:
        return _discount(v)
    return v * factor


def _match_unit(text: str, pos: int):
    """The longest unit at ``pos`` as (row, end, half, approx): 个半 before a measure adds
    a half (两个半小时), 个多 makes it "over" (两个多小时)."""
    c = _cfg()
    table, unit_re = _units()
    for infix, half, approx in ((c["half_before_unit"], 0.5, None), (c["over_before_unit"], 0.0, "over")):
        if text.startswith(infix, pos):
            after = pos + len(infix)
            m = unit_re.match(text, after)
            if m and table[m.group(0)]["kind"] != "count":
                return table[m.group(0)], m.end(), half, approx
            # 一个多月, 一个半月: the unit is 个月 with its classifier before the infix
            probe = infix[0] + text[after:after + 8]
            m = unit_re.match(probe)
            if m and m.end() > 1 and table[m.group(0)]["kind"] != "count":
                return table[m.group(0)], after + m.end() - 1, half, approx
    if text[pos:pos + 1] not in _patterns()["unit_starts"]:
        return None
    m = unit_re.match(text, pos)
    if m:
        return table[m.group(0)], m.end(), 0.0, None
    return None


def _context_unit(text: str, start: int, pos: int):
    """A unit read only in its context (figures.yaml `unit_contexts`) at ``pos`` after a number
    that starts at ``start``, as _match_unit gives it, or None where its context does not hold."""
    p = _patterns()
    firsts = p["context_firsts"]
    if text[pos:pos + 1] not in (p["unit_starts"] if firsts is None else firsts):
        return None
    ctx_re, contexts = p["context_units"]
    m = ctx_re.match(text, pos)
    if not m:
        return None
    row = _units()[0][m.group(0)]
    before, after, blocked = contexts[row["surface"]]
    window = max(0, start - int(_cfg()["unit_context_window"]))
    if blocked is not None and blocked.search(
            text, max(0, start - int(_cfg()["unit_context_not_after_window"])), start):
        return None
    if ((before is not None and before.search(text, window, start))
            or (after is not None and after.match(text, m.end()))):
        return row, m.end(), 0.0, None
    return None


def _prefixes(num: Num, text: str) -> list[Num]:
    """``num`` and each shorter reading of its text that ends before a multiplier
    character (5千米 = 5 + 千米, 300兆瓦 = 300 + 兆瓦, 三千两百两 = 三千两百 + 两); not one
    followed by a character no unit (nor an inside hedge, 个半, 个多) starts with."""
    out = [num]
    firsts = _patterns()["unit_firsts"]
    for k in range(len(num.text) - 1, 0, -1):
        if firsts is not None and text[num.start + k] not in firsts:
            continue
        short = parse_number(num.text[:k])
        if short is not None and short.value is not None:
            short.start, short.end, short.text = num.start, num.start + k, num.text[:k]
            out.append(short)
    return out


def _unit_after(num: Num, text: str):
    """(num, inside-hedge, unit row, unit end, half) for the reading of the numeral and what
    follows it that gives the longest unit (ties: the longest numeral)."""
    p = _patterns()
    best = None
    single = _cfg()["single_numeral_units"]
    not_after = p["unit_not_after"]
    firsts = p["unit_after_firsts"]
    hi, hi_re = p["hedge_inside"]
    for cand in _prefixes(num, text):
        pos = cand.end
        if firsts is not None and text[pos:pos + 1] not in firsts:
            continue              # no unit, inside hedge, 个半 or space starts here: no reading
        inside_h = None
        m = hi_re.match(text, pos)
        if m and _match_unit(text, m.end()):
            inside_h = hi[m.group(0)]
            pos = m.end()
        u = _match_unit(text, pos)
        cu = _context_unit(text, cand.start, pos)
        if cu and (u is None or cu[1] > u[1]):
            u = cu                # 1.11个点 after a change, not 1.11个
        if (u is None and not inside_h and text[pos:pos + 1] in _cfg()["unit_spaces"]
                and cand.text[-1:].isdigit()):
            u = _match_unit(text, pos + 1)    # 17 条, 4.1 %: a space before a known unit
        if u and u[0]["surface"] in single and (len(cand.text) != 1 or inside_h):
            continue              # 十五大: the party's 15th congress; 十万大钞: no unit
        if u and u[0]["surface"] in not_after and not_after[u[0]["surface"]].search(
                text, max(0, cand.start - _cfg()["unit_not_after_window"]), cand.start):
            continue              # 越共八大
        if u and (best is None or u[1] - pos > best[0]):
            best = (u[1] - pos, cand, inside_h, *u)
    return best[1:] if best else None


def _record(text, start, end, kind, value=None, low=None, high=None, unit=None,
            approx="exact", magnitude=None, count=None, **extra) -> dict:
    rec = {"start": start, "end": end, "text": text[start:end], "kind": kind,
           "value": None if value is None else _clean(value),
           "low": None if low is None else _clean(low), "high": None if high is None else _clean(high),
           "unit": unit, "approx": approx,
           "magnitude": None if magnitude is None else _clean(magnitude), "count": count}
    if extra:
        for k, v in extra.items():
            if v is not None:
                rec[k] = v
    return rec


def _prefix(text: str, start: int) -> tuple[int, str | None, str | None]:
    """Hedge and change word right before ``start``: (new start, approx, change)."""
    p = _patterns()
    approx = None
    hb, hb_re = p["hedge_before"]
    m = hb_re.search(text, max(0, start - 6), start)
    if m:
        word = m.group(0).strip()
        blockers = _cfg()["hedge_not_after"].get(word, "")
        if not (m.start() > 0 and text[m.start() - 1] in blockers):
            approx = hb[word]
            start = m.start()
    ch, ch_re = p["change"]
    change = None
    m = ch_re.search(text, max(0, start - 8), start)
    if m:
        change = ch[m.group(1)]
    return start, approx, change


def _is_code(text: str, num: Num, windows: bool = True) -> bool:
    """Whether ``num`` is a code, an ordinal's list or a number joined to letters
    (``windows``: False where the text holds no match of not_after_patterns at all)."""
    c = _cfg()
    p = _patterns()
    before = text[num.start - 1] if num.start > 0 else ""
    after = text[num.end] if num.end < len(text) else ""
    if before.isascii() and before.isalpha():
        return True
    if before in c["code_joiners"] or after in c["code_joiners"]:
        return True
    if before in ("-", "－") and num.start > 1 and text[num.start - 2].isascii() and text[num.start - 2].isalnum():
        return True
    ends = p["not_after_ends"]         # (a match ends right before the number)
    if ((before in ends or (num.start > 1 and text[num.start - 2] in ends))
            and p["not_after"].search(text, num.start - 2 if num.start > 2 else 0, num.start)):
        return True
    nb = p["not_before_firsts"]
    if (nb is None or after in nb) and p["not_before"].match(text, num.end):
        return True
    if windows and p["not_after_patterns"].search(text, max(0, num.start - int(c["not_after_window"])), num.start):
        return True
    return False


def _magnitudes(text: str) -> list[dict]:
    p = _patterns()
    m_cfg = _cfg()["magnitude"]
    table, _ = _units()
    hb, _ = p["hedge_before"]
    out = []
    if m_cfg["suffix"] not in text or not p["magnitude_gate"].search(text):
        return out                # every scale class ends with the suffix (千亿级) after a
        #                           magnitude character or a unit
    for m in p["magnitude"].finditer(text):
        mag = parse_number(m.group("mag")) or parse_number(_one() + m.group("mag"))
        if mag is None or mag.value is None:
            continue
        count = None
        if m.group("count"):
            cn = parse_number(m.group("count"))
            if cn is None or cn.value is None:
                continue
            count = int(cn.value)
        elif m.group("pair"):
            count = int(m_cfg["count_words"][m.group("pair")])
        start = m.start()
        approx = hb[m.group("hedge")] if m.group("hedge") else "exact"
        if not m.group("count") and not m.group("pair") and not m.group("hedge"):
            s2, a2, _ = _prefix(text, start)
            if a2:
                start, approx = s2, a2
        row = table.get(m.group("unit")) if m.group("unit") else None
        unit = row["unit"] if row else None
        factor = float(row["factor"]) if row and row["factor"] != "discount" else 1.0
        out.append(_record(text, start, m.end(), "magnitude", magnitude=mag.value * factor,
                           unit=unit, approx=approx, count=count))
    return out


def _list_counts(text: str) -> list[dict]:
    """A level word after the list of its items, as many as it counts: 省、市、县三级 (3 级)."""
    out = []
    if not any(w in text for w in _cfg()["list_counters"]):
        return out
    for m in _patterns()["list_count"].finditer(text):
        n = parse_number(m.group("num"))
        if n is None or n.value is None or n.value != m.group("items").count("、") + 1:
            continue
        out.append(_record(text, m.start("num"), m.end(), "count", value=n.value,
                           unit=m.group("unit")))
    return out


def _shared_list_count(text: str, num: Num, p: dict) -> dict | None:
    """A numeral with no unit right after a list of as many items joined by 、, all ending with
    the character after it (体育馆、游泳馆、科技馆三馆: 3 馆) or, in quotes, all beginning with it
    (“送文化、…、送法律”四送: the numeral alone): figures.yaml `list_shared_count`."""
    s, e = num.start, num.end
    if s == 0 or e >= len(text) or e - s > 2:
        return None
    stop, quotes, closers, most, window, cjk = p["list_shared"]
    c, prev = text[e], text[s - 1]
    if (prev != c and prev not in closers) or num.value is None or not 2 <= num.value <= most:
        return None               # (the last item ends with c, or a quote closes the list)
    lo = max(0, s - window)
    if text.find("、", lo, s) < 0 or not set(num.text) <= cjk or not _HAN.match(text, e):
        return None
    m = None
    for m in stop.finditer(text, lo, s):
        pass
    head = text[m.end() if m else lo:s]
    quoted = False
    if head[-1] in closers:       # a quoted list: from its opening quote
        o = max(head.rfind(a, 0, len(head) - 1) for a, b in quotes.items() if b == head[-1])
        if o >= 0:
            head, quoted = head[o + 1:-1], True
    items = head.split("、")
    if len(items) != int(num.value) or any(not it for it in items):
        return None
    if all(it[-1] == c for it in items) and not any(ch.isdigit() or ch in cjk for it in items for ch in it[-2:]):
        return _record(text, s, e + 1, "count", value=num.value, unit=c)
    if quoted and all(it[0] == c for it in items):
        return _record(text, s, e, "count", value=num.value, unit=None)
    return None


def _shares(text: str, name: str) -> list[dict]:
    """a:b after a ratio word of its clause (按省级标准1:1配套: value a/b, unit ratio) and a/b
    after a share word (占国内生产总值的近１／８: a percent, 100·a/b): figures.yaml's section
    ``name`` (ratio, fraction) gives the signs, the word before (searched back ``before_window``
    characters from any hedge), the kind, unit and scale, and whether a is at most b, b at most
    max_denominator and a hedge after is read."""
    spec = _cfg()[name]
    if not any(sign in text for sign in spec["signs"]):
        return []
    p = _patterns()
    if not any(g.search(text) for g in p[f"{name}_gate"]):
        return []                 # no sign stands between two digits
    num_re, before = p[name]
    window, scale, most = int(spec["before_window"]), float(spec["scale"]), spec.get("max_denominator")
    out = []
    for m in num_re.finditer(text):
        a, b = parse_number(m.group("a")), parse_number(m.group("b"))
        if (a is None or b is None or a.value is None or not b.value
                or (spec.get("proper") and a.value > b.value) or (most is not None and b.value > most)):
            continue
        start, approx, change = _prefix(text, m.start())
        if not before.search(text, max(0, start - window), start):
            continue
        end, after = _after_hedge(text, m.end(), p) if spec.get("hedge_after") else (m.end(), None)
        out.append(_record(text, start, end, spec["kind"], value=scale * a.value / b.value,
                           unit=spec["unit"], approx=approx or after or "exact", change=change))
    return out


def _scores(text: str) -> list[dict]:
    """A score a:b of two small whole numbers in a game's context (以３∶０轻取, 比分为２１∶１５、１８∶２１和
    ６∶４): figures.yaml `score`; scores joined by a list mark are a run that shares the context of
    its first (before it) or its last (after it). Kind quantity, unit score, value null (a score is no quotient: ６∶０)."""
    spec = _cfg()["score"]
    p = _patterns()
    gate = p["score_gate"]        # (None where a sign is longer than a character: no gate)
    if gate is not None and not gate.search(text):
        return []                 # no sign stands between two digits
    sc_re, before, after, joiner, clock_before, clock_after = p["score"]
    most, window = float(spec["max_side"]), int(spec["before_window"])
    runs: list[list] = []
    for m in sc_re.finditer(text):
        sides = []
        for g in ("a", "b"):
            s = m.group(g)
            n = parse_number(s)
            if n is None or n.value is None or n.value > most or not float(n.value).is_integer() or (
                    len(s) > 1 and parse_number(s[0]).value == 0):
                break             # 19:05 (a side with a leading zero is a clock's)
            sides.append(int(n.value))
        else:
            if clock_before.search(text, max(0, m.start() - 2), m.start()) or clock_after.match(text, m.end()):
                continue          # 今晚7:30, 19:30开始: a time of day
            if runs and joiner.fullmatch(text, runs[-1][-1][0].end(), m.start()):
                runs[-1].append((m, sides))
            else:
                runs.append([(m, sides)])
    out = []
    for run in runs:
        first, last = run[0][0].start(), run[-1][0].end()
        if not (before.search(text, max(0, first - window), first) or after.match(text, last)):
            continue
        out.extend(_record(text, m.start(), m.end(), "quantity", unit=spec["unit"]) for m, _ in run)
    return out


def _idiom_estimates(text: str) -> list[dict]:
    """数以X计 (数以万计): several X, as 数X is read (figures.yaml `idiom_estimate`)."""
    out = []
    if "计" not in text:
        return out
    for m in _patterns()["idiom_estimate"].finditer(text):
        n = parse_number(text[m.start()] + m.group("m"))
        if n is None or n.low is None or n.high is None:
            continue
        out.append(_record(text, m.start(), m.end(), "count", low=n.low, high=n.high, unit=None,
                           approx="about"))
    return out


def _bare_classified(text: str, homs: Cover) -> list[dict]:
    """A bare magnitude before a counting classifier (千户企业, 万名志愿者): an estimate with no
    estimate word printed (figures.yaml `bare_classified`), approx about."""
    p = _patterns()
    out = []
    if not p["bare_classified_gate"].search(text):
        return out                # no magnitude character stands before a classifier
    bc_re, not_after, not_before = p["bare_classified"]
    table, _ = _units()
    for m in bc_re.finditer(text):
        if (not_after.search(text, max(0, m.start() - 1), m.start()) or homs.holds(m.start(), m.end())
                or not_before.match(text, m.end())):
            continue
        mag = parse_number(_one() + m.group("m"))
        row = table.get(m.group("u"))
        if mag is None or not mag.value or row is None:
            continue
        out.append(_record(text, m.start(), m.end(), row["kind"], value=mag.value * float(row["factor"]),
                           unit=row["unit"], approx="about"))
    return out


def _streaks(text: str) -> list[dict]:
    """The numeral before 连冠/连胜… (五连冠): a count of the streak, the numeral alone
    (figures.yaml `streak_count`); not 一 (一连: in a row)."""
    out = []
    if not _patterns()["streak_gate"].search(text):
        return out
    articles = _cfg()["article_numerals"]
    for m in _patterns()["streak_count"].finditer(text):
        n = parse_number(m.group("n"))
        if n is None or n.value is None or m.group("n") in articles:
            continue
        out.append(_record(text, m.start("n"), m.end("n"), "count", value=n.value, unit=None))
    return out


def _named_values(text: str) -> list[dict]:
    """A bare number after a noun naming a dimensionless value (基尼系数０．２８) or after a rate
    with a verb of value between (献血率达到21.9)."""
    nv_re, not_after = _patterns()["named_value"]
    out = []
    for m in nv_re.finditer(text):
        n = parse_number(m.group("n"))
        if (n is None or n.value is None or not_after.match(text, m.end())
                or _match_unit(text, m.end())):
            continue
        start, approx, _ = _prefix(text, m.start("n"))
        out.append(_record(text, start, m.end(), "quantity", value=n.value, unit=None,
                           approx=approx or "exact"))
    return out


def _fixed(text: str, homs: Cover) -> list[dict]:
    p = _patterns()
    words = _cfg()["fixed_words"]
    out = []
    for m in p["fixed"].finditer(text):
        if homs.holds(m.start(), m.end()) and (m.start(), m.end()) not in homs.exact:
            continue
        w = words[m.group(0)]
        start, approx, change = _prefix(text, m.start())
        end, after = _after_hedge(text, m.end(), p)       # 半数以上
        out.append(_record(text, start, end, w["kind"], value=float(w["value"]),
                           unit=w["unit"], approx=approx or after or "exact", change=change))
    return out


def _zeros(text: str) -> list[dict]:
    """零 as the value itself after a verb of value, at a clause's end (上访人数为零): figures.yaml
    `zero_value`, kind quantity, value 0, unit null."""
    words, word_re, before, after, not_inside = _patterns()["zero_value"]
    out = []
    if not any(w in text for w in words):
        return out
    inside = None
    for m in word_re.finditer(text):
        if not before.search(text, max(0, m.start() - 4), m.start()) or not after.match(text, m.end()):
            continue
        if inside is None:
            inside = [(x.start(), x.end()) for x in not_inside.finditer(text)]
        if any(a < m.end() and m.start() < b for a, b in inside):
            continue
        out.append(_record(text, m.start(), m.end(), "quantity", value=0.0, unit=None))
    return out


def _estimates(text: str, homs: Cover) -> list[dict]:
    """An estimate word before a magnitude word with no digit of its own (近万户, 上千人, 逾百家):
    figures.yaml `estimate_magnitude`; the unit after it as for any number, else (a magnitude
    of at least bare_magnitude's) a count with unit null."""
    p = _patterns()
    words, em_re = p["estimate_magnitude"]
    not_after, not_inside, not_before = p["estimate_guards"]
    out = []
    inside = None
    bare_min, bare_not = p["bare_magnitude"]
    for m in em_re.finditer(text):
        word, mstart = m.group("w"), m.start("m")
        if m.start() > 0 and text[m.start() - 1] in not_after.get(word, ()):
            continue
        if inside is None:
            inside = [(x.start(), x.end()) for x in not_inside.finditer(text)]
        if any(a < m.end() and m.start() < b for a, b in inside) or homs.holds(mstart, m.end()):
            continue
        mag = parse_number(_one() + m.group("m"))
        if mag is None or not mag.value or not_before.match(text, m.end()):
            continue
        u = _match_unit(text, m.end())
        if u is not None:
            row, uend = u[0], u[1]
            if row["factor"] == "discount" or row["surface"] in _cfg()["single_numeral_units"]:
                continue
            end, _ = _after_hedge(text, uend, p)
            out.append(_record(text, m.start(), end, row["kind"], value=mag.value * float(row["factor"]),
                               unit=row["unit"], approx=words[word]))
        elif mag.value >= bare_min and not bare_not.match(text, m.end()):
            out.append(_record(text, m.start(), m.end(), "count", value=mag.value, unit=None,
                               approx=words[word]))
    return out


def find_figures(text: str) -> list[dict]:
    """Every figure in ``text`` (already repaired), sorted by start, not overlapping."""
    if not isinstance(text, str) or not text:
        return []          # bad input gives an empty result; a fault of ours is raised and
    # read on a Simplified copy, one character for one (港幣50億元 as 港币50億元); the numeral
    # characters stay as written, the numeral scanner reads their Traditional forms itself
    nc = num_chars()
    work = simplified(text, keep=nc.digits + nc.small_units)
    sq, offsets = squeeze(work)   # becomes an error row (process) or error line (annotate)
    recs = unsqueeze(_find(sq), work, offsets)
    if work is not text:
        for r in recs:
            r["text"] = text[r["start"]:r["end"]]
    return recs


def _find(text: str) -> list[dict]:
    p = _patterns()
    c = _cfg()
    table, _ = _units()
    homs = Cover(homograph_spans(text))
    quotes = Cover([(m.start(), m.end()) for m in p["slogan"].finditer(text)])
    blocked = Cover([(m.start(), m.end()) for m in p["not_inside"].finditer(text)]
                    + [(m.start(), m.end()) for m in p["title"].finditer(text)])
    slogan_kinds, slogan_not, digits = p["slogan_sets"]
    nums = scan(text)
    anywhere = p["not_after_anywhere"]
    windows = anywhere is None or anywhere.search(text) is not None
    cands = _magnitudes(text) + _fixed(text, homs) + _estimates(text, homs) + _zeros(text) + _list_counts(text) + _shares(text, "ratio") + _shares(text, "fraction") + _named_values(text)
    cands += _scores(text) + _idiom_estimates(text) + _bare_classified(text, homs) + _streaks(text)
    used_until = -1
    minus = num_chars().minus
    list_closers = p["list_shared"][2]
    # (a cover with no span holds nothing: not asked)
    homs_hold = homs.holds if homs.starts else None
    blocked_hold = blocked.holds if blocked.starts else None
    quotes_hold = quotes.holds if quotes.starts else None
    for i, num in enumerate(nums):
        if num.start == used_until - 1 and num.text[:1] in minus and num.value is not None:
            rest = parse_number(num.text[1:])     # 2胜1负1平: 负 was the last figure's unit
            if rest is not None and rest.value is not None:
                rest.start, rest.end, rest.text = num.start + 1, num.end, num.text[1:]
                num = nums[i] = rest
        if num.start < used_until:
            continue
        if ((homs_hold is not None and homs_hold(num.start, num.end))
                or (blocked_hold is not None and blocked_hold(num.start, num.end))):
            continue
        quoted = quotes_hold is not None and quotes_hold(num.start, num.end)
        if quoted and any(ch in digits for ch in num.text):
            continue              # “985”, “14510”: a code
        if _is_code(text, num, windows) or (lone_financial(num) and not p["percent_prefix"].search(
                text, max(0, num.start - 8), num.start)):
            continue
        rec = _figure(text, num, nums[i + 1] if i + 1 < len(nums) else None, p, c, table)
        if (rec is None and not quoted and 0 < num.start and num.end < len(text)
                and (text[num.start - 1] == text[num.end] or text[num.start - 1] in list_closers)):
            rec = _shared_list_count(text, num, p)      # 体育馆、游泳馆、科技馆三馆
        if rec is None or (quoted and not (rec["kind"] in slogan_kinds and rec["unit"] not in slogan_not
                                           and quotes.holds(rec["start"], rec["end"]))):
            continue
        if quoted and ((rec["start"] - 1, rec["end"] + 1) in quotes.exact or _number_at(
                nums, i + 1, rec["end"], homs)):
            continue              # a name: “两节” (the count alone), “五个一工程”, “三个一百” (a count of counts)
        used_until = rec["end"]
        cands.append(rec)
    # earliest first, then longest; drop what overlaps an earlier pick
    cands.sort(key=lambda r: (r["start"], -(r["end"] - r["start"])))
    out, end = [], -1
    for r in cands:
        if r["start"] >= end:
            out.append(r)
            end = r["end"]
    return _carry_changes(text, _unit_ranges(text, out, p))


def _number_at(nums: list[Num], k: int, pos: int, homs: Cover) -> bool:
    """Whether a number (not a homograph's numeral) starts at ``pos``, looking from nums[k]."""
    while k < len(nums) and nums[k].start < pos:
        k += 1
    return k < len(nums) and nums[k].start == pos and not homs.holds(nums[k].start, nums[k].end)


def _carry_changes(text: str, figs: list[dict]) -> list[dict]:
    """增长32.7%和93.7%: the second figure changes the same way."""
    joiners = set(_cfg()["change_carries_over"])
    for prev, f in zip(figs, figs[1:]):
        if (prev.get("change") and "change" not in f and f["kind"] == prev["kind"]
                and text[prev["end"]:f["start"]] in joiners):
            f["change"] = prev["change"]
    return figs


def _unit_ranges(text: str, figs: list[dict], p) -> list[dict]:
    """Two figures of the same unit joined by a range connector are one range
    (5%—10%, 6℃—10℃, 15岁—44岁)."""
    out: list[dict] = []
    for f in figs:
        prev = out[-1] if out else None
        if (prev and prev["unit"] == f["unit"] and prev["kind"] == f["kind"] == "money"
                and f["start"] == prev["end"] and f["text"][:1] in ("-", "－")
                and prev["value"] is not None and f["value"] is not None and f["value"] < 0
                and prev["approx"] == "exact" and -f["value"] >= prev["value"]):
            # 五元六角-五元七毛八分: the minus is the range's dash
            out[-1] = _record(text, prev["start"], f["end"], f["kind"], low=prev["value"],
                              high=-f["value"], unit=f["unit"], approx=f["approx"],
                              change=prev.get("change"))
            continue
        if (prev and prev["unit"] == f["unit"] and prev["kind"] == f["kind"] != "magnitude"
                and prev["value"] is not None and f["value"] is not None
                and prev["approx"] == "exact" and p["range"].fullmatch(text, prev["end"], f["start"])):
            merged = _record(text, prev["start"], f["end"], f["kind"], low=prev["value"],
                             high=f["value"], unit=f["unit"], approx=f["approx"],
                             change=prev.get("change"))
            out[-1] = merged
            continue
        out.append(f)
    return out


def _figure(text, num: Num, nxt: Num | None, p, c, table) -> dict | None:
    start = num.start
    low = high = None
    count = per = None
    first = num
    value = num.value
    approx = num.approx if num.approx != "exact" else None
    if num.value is None:
        low, high = num.low, num.high
    # percent written before: 百分之三十二点六
    # (百分之 only where 分之 stands in the window: a cheap test before the search)
    lo = start - 8 if start > 8 else 0
    m = (p["percent_prefix"].search(text, lo, start)
         if text.find(p["percent_mark"], lo, start) >= 0 else None)
    if m and value is not None:
        mag = parse_number(_one() + m.group("mag"))
        if mag is None or not mag.value:
            return None
        start = m.start()
        end = num.end
        hi, hi_re = p["hedge_inside"]
        mi = hi_re.match(text, end)          # 百分之十几
        if mi:
            approx, end = approx or hi[mi.group(0)], mi.end()
        after = _after_hedge(text, end, p)
        return _finish(text, start, after[0], "percent", value * 100 / mag.value,
                       None, None, "%", approx or after[1], None, None)
    # range or product with the next numeral
    joined = None
    jf = p["join_firsts"]
    if nxt is not None and value is not None and (jf is None or nxt.start == num.end
                                                  or text[num.end:num.end + 1] in jf):
        im = p["range_inclusive"].match(text, num.end)     # 10万(含)-20万元
        pos = im.end() if im else num.end
        rm = p["range"].match(text, pos)
        tm = p["times"].match(text, num.end)
        if rm and rm.end() == nxt.start and nxt.value is not None:
            joined = ("range", nxt)
        elif pos == nxt.start and nxt.text[:1] in ("-", "－") and nxt.value is not None:
            joined = ("range", nxt)
        elif tm and tm.end() == nxt.start and nxt.value is not None:
            joined = ("times", nxt)
    last = joined[1] if joined else num
    ua = _unit_after(last, text)
    if ua is None:
        # currency sign before a bare number: ￥300, $20
        cur, cur_re = p["currency"]
        m = cur_re.search(text, max(0, start - 4), start)
        if m and joined is None and value is not None:
            s2, a2, ch = _prefix(text, m.start())
            return _record(text, s2, num.end, "money", value=value, unit=cur[m.group(0).strip()],
                           approx=a2 or approx or "exact", change=ch)
        # an abbreviated amount after a pay or price word: 底薪8k上下, 预算约5k
        ab_cur, ab_re, ab_not = p["abbreviated_money"]
        if (joined is None and value is not None and num.multiplier
                and num.text[-1:] in num_chars().latin and ab_re.search(text, max(0, start - 12), start)
                and not ab_not.match(text, num.end)):
            end, a_after = _after_hedge(text, num.end, p)
            return _finish(text, start, end, "money", value, None, None, ab_cur,
                           approx or a_after, None, None)
        # a number with a magnitude word and no unit: 6680万外国人, 2万多同胞, 增收十八亿,
        # 80万至120万 (a range: the first end takes the second's magnitude, as 3到5万元 does)
        bare = p["bare_magnitude"]
        if joined is not None and joined[0] == "range":
            other = joined[1]
            if (value is not None and other.value is not None and (other.multiplier or 0) >= bare[0]
                    and not bare[1].match(text, other.end)):
                v1, v2 = _range_ends(num, value, other)
                end, a_after = _after_hedge(text, other.end, p)
                return _finish(text, start, end, "count", None, v1, v2, None,
                               approx or a_after, None, None)
        elif (value is not None and (num.multiplier or 0) >= bare[0]
                and not bare[1].match(text, num.end)):
            over = text.startswith(c["over_after_measure"], num.end)     # 2万多
            end, a_after = _after_hedge(text, num.end + over * len(c["over_after_measure"]), p)
            return _finish(text, start, end, "count", value, None, None, None,
                           approx or ("over" if over else a_after), None, None)
        elif (value is None and low is not None and high is not None and num.approx == "about"
                and num.text[:1] in p["several_bare"][0] and _HAN.match(text, num.end)
                and not p["several_bare"][1].match(text, num.end)
                and not p["several_bare"][2].search(text, max(0, num.start - 2), num.start)
                and not bare[1].match(text, num.end)):
            return _finish(text, start, num.end, "count", None, low, high, None, "about",
                           None, None)        # 数百居民: a count of several hundred
        return None
    last2, inside_h, row, uend, half, infix_approx = ua
    cm = p["count_as_money"].get(row["surface"])
    whole = last2.value is None or float(last2.value).is_integer()
    if cm and (cm[1].match(text, uend) or (cm[2].match(text, uend) and (not whole or cm[3].search(
            text, max(0, start - 12), start)))):  # 二十块五毛, 花费我三块, 3.04块: the yuan
        row = {**row, "kind": "money", "unit": cm[0], "factor": "1"}
    inside_h = inside_h or infix_approx
    if joined:
        kind_j, other = joined
        other = last2
        if kind_j == "range":
            low, high = _range_ends(num, value, other)
            value = None
        else:
            v1, v2 = value, abs(other.value) if other.value is not None else None
            count, per, value = int(v1) if v1 == int(v1) else v1, v2, None
    else:
        value = last2.value
        if last2 is not num and last2.value is None:
            low, high = last2.low, last2.high
    if inside_h:
        approx = approx or inside_h
    value = value + half if (value is not None and half) else value
    # 半 after the unit: 一吨半, 三成半; 多 after a measure: 一米多, 3公里多
    if (text.startswith(c["half_after_unit"], uend) and value is not None
            and (row["kind"] != "count" or row["surface"] in c["half_after_counts"])):
        value += 0.5
        uend += 1
    elif text.startswith(c["over_after_measure"], uend) and row["kind"] == "quantity":
        approx = approx or "over"
        uend += len(c["over_after_measure"])
    if row["surface"] in c["single_numeral_units"] and joined:
        return None               # 三到五大: no count of big things
    if row["kind"] == "count":
        if (first.text in c["article_numerals"] and not joined
                and row["surface"] not in context_units()     # 赚两局和一局: a count
                and not p["article_counts_after"].search(
                    text, max(0, start - c["article_counts_after_window"]), start)):
            return None
        if value == 0.5 and not joined:
            return None           # 半个世纪
        surface = text[last2.end:uend] if not inside_h else None
        if surface and text.startswith(surface, uend):
            return None          # 一个个, 一位位
    if lone_word(first, text) and not _match_unit(text, first.end) and not joined:
        return None
    kind = row["kind"]
    unit = row["unit"]
    discount = row["factor"] == "discount"
    surface = text[last2.end:uend]
    if not joined and first.text in c["article_numerals"] and surface in c["article_quantity_units"]:
        return None               # 有一天
    if (not joined and row["surface"] in c["single_char_not_for"] and len(first.text) == 1
            and not first.text[0].isdigit() and first.text not in num_chars().zero):
        return None               # 两度访华
    if _short_sequence(first) and not discount:
        return None               # 三五成群, 九九: digit pairs are words, except 九五折
    factor = 1.0 if discount else float(row["factor"])
    if discount and not all(_discount(v) is not None for v in (value, low, high) if v is not None):
        return None
    # money may be preceded by a currency sign or word of the same currency (人民币 50元)
    if kind == "money":
        cur, cur_re = p["currency"]
        m = cur_re.search(text, max(0, start - 4), start)
        if m and cur[m.group(0).strip()] == unit:
            start = m.start()
        elif m and row["surface"] in c["generic_yuan"]:
            start, unit = m.start(), cur[m.group(0).strip()]   # 港币50亿元: Hong Kong dollars
        if unit in p["subunits"]:
            uend, value = _subunits(text, uend, value, p["subunits"][unit], float(row["factor"]),
                                    p if unit in c["subunit_tail_currencies"] else None, c)
        for word, after in p["money_closers"]:
            if text.startswith(word, uend) and after.search(text, max(0, uend - 1), uend):
                uend += len(word)
                break
    rf = p["rate_firsts"]
    rm = (p["rate"].match(text, uend) if kind in c["rate"]["numerator_kinds"]
          and (rf is None or text[uend:uend + 1] in rf) else None)
    if rm and not (joined and joined[0] == "times"):
        den = table[rm.group("unit")]
        if den["kind"] in c["rate"]["denominator_kinds"] and den["factor"] != "discount":
            unit, factor = _rate_unit(unit, den["unit"], factor / float(den["factor"]))
            uend = rm.end()       # 40.12元/公斤: CNY/kg
    if joined and joined[0] == "times":
        per_v = _scaled(per, factor, discount)
        value = per_v * count if per_v is not None else None
        per = per_v
    else:
        value = _scaled(value, factor, discount)
        low = _scaled(low, factor, discount)
        high = _scaled(high, factor, discount)
    if num.value is None and num.approx == "about":
        approx = approx or "about"
    end, after_h = _after_hedge(text, uend, p)
    rec = _finish(text, start, end, kind, value, low, high, unit, approx or after_h, None,
                  count if joined and joined[0] == "times" else None)
    if kind not in _cfg()["change_kinds"]:
        rec.pop("change", None)
    if per is not None:
        rec["per"] = _clean(per)
    return rec


def _rate_unit(unit: str, den: str, factor: float) -> tuple[str, float]:
    """The unit of a rate (CNY per t) restated as figures.yaml `rate.units` says (CNY/kg)."""
    sign = _cfg()["rate"]["signs"][0]
    names = _cfg()["rate"]["units"]
    spec = names.get(f"{unit}{sign}{den}") or names.get(f"*{sign}{den}")
    if spec is None:
        return f"{unit}{sign}{den}", factor
    return spec["unit"].replace("*", unit), factor * float(spec["factor"])


def _short_sequence(num: Num) -> bool:
    return num.sequence and len(num.text) < 3 and not any(ch in num_chars().zero for ch in num.text)


def _subunits(text, pos, value, spec, factor=1.0, p=None, c=None):
    """Smaller coins after a money amount: 五元三毛 (+0.3), 50元6角三分 (+0.63); a bare digit
    after the last coin is the next smaller one (一块二 +0.2, 两毛五 +0.05, 三块零四 +0.04).
    ``value`` is in the main unit already; ``factor`` is the last coin's (1 for 元)."""
    sub, sub_re = spec
    if value is None:
        return pos, value
    sign = -1.0 if value < 0 else 1.0        # -五元七毛八分 (a range's second end)
    value *= factor                          # in the main currency unit while adding coins
    last = factor
    while True:
        m = sub_re.match(text, pos)
        if not m:
            break
        num = parse_number(m.group("num"))
        if num is None or num.value is None or float(sub[m.group("sub")]) >= last:
            break                      # each coin smaller than the last (一角两角 is a list)
        value += sign * num.value * float(sub[m.group("sub")])
        last = float(sub[m.group("sub")])
        pos = m.end()
    if p is not None:
        m = p["subunit_tail"].match(text, pos)
        if m and not _match_unit(text, m.end()):
            step = float(c["subunit_tail_step"])
            digit = parse_number(m.group("d"))
            if digit is not None and digit.value is not None:
                scale = last / step / (step if m.group("skip") else 1.0)
                if scale >= 0.01 - 1e-12:
                    value += sign * digit.value * scale
                    pos = m.end()
    return pos, value / factor


def _after_hedge(text, pos, p):
    ha, ha_re = p["hedge_after"]
    hf = p["hedge_after_firsts"]
    m = ha_re.match(text, pos) if hf is None or text[pos:pos + 1] in hf else None
    if m:
        return m.end(), ha[m.group(0)]
    return pos, None


def _range_ends(num: Num, value: float, other: Num) -> tuple[float, float | None]:
    """The two ends of a range num–other (3到5万元, 80万至120万): the first end takes the
    second's multiplier when it has none of its own and would otherwise be the smaller."""
    v2 = abs(other.value) if other.value is not None else None
    if other.multiplier and not num.multiplier and v2 and value <= v2 / other.multiplier:
        value = value * other.multiplier
    return value, v2


def _finish(text, start, end, kind, value, low, high, unit, approx, magnitude, count) -> dict:
    s2, a2, change = _prefix(text, start)
    if a2:
        start = s2
        approx = approx if approx and approx != "exact" else a2
    return _record(text, start, end, kind, value=value, low=low, high=high, unit=unit,
                   approx=approx or "exact", magnitude=magnitude, count=count, change=change)
