"""The fast paths kept equal to the plain forms they stand for, on random inputs (fixed seeds):
a prefix trie of words (with look-aheads after each word) matches where the alternation of the
words longest first matches, with the same spans, under ``regex`` and ``re``; ``script.convert``
(a set's test or NumPy's below / from ``_LONG`` characters, ``str.replace`` for at most ``_FEW``
distinct characters) gives what ``str.translate`` gives, characters outside the BMP and lone
surrogates included; ``numerals.scan`` reads a one-character run as its cuts would; the figures'
semantics read the named events and a sentence's report frames as far as a figure asks and
answer as the passes over the whole text and sentence do, whatever order they are asked in."""
from __future__ import annotations

import random
import re

import pytest
import regex

from baozhi.resources import numerals, regexcache, script

ALPHABET = "abc分钟万元"
GUARDS = ["", "(?!a)", "(?![bc])", "(?!分钟)", "(?=c)", "(?![A-Za-z])(?!万)"]


def _longest_first(guards: dict[str, str]) -> str:
    return "|".join(regex.escape(w) + guards[w] for w in sorted(guards, key=len, reverse=True))


def _spans(pat, text: str) -> tuple[list, list]:
    """Every match (finditer) and the match at each position (match, as the units are read)."""
    return ([m.span() for m in pat.finditer(text)],
            [(m.span() if (m := pat.match(text, i)) else None) for i in range(len(text) + 1)])


@pytest.mark.parametrize("engine", [regex, re])
def test_guarded_trie_matches_the_longest_first_alternation(engine):
    rng = random.Random(1998)
    for _ in range(400):
        words = {"".join(rng.choices(ALPHABET, k=rng.randint(1, 4))) for _ in range(rng.randint(1, 12))}
        guards = {w: rng.choice(GUARDS) for w in words}
        trie = engine.compile(regexcache.guarded_trie(guards))
        alt = engine.compile(_longest_first(guards))
        plain = engine.compile(regexcache.trie_pattern(words))
        alt_plain = engine.compile(_longest_first(dict.fromkeys(words, "")))
        for _ in range(5):
            text = "".join(rng.choices(ALPHABET + "x", k=rng.randint(0, 30)))
            assert _spans(trie, text) == _spans(alt, text), (guards, text)
            assert _spans(plain, text) == _spans(alt_plain, text), (words, text)


def test_a_trie_of_no_words_is_the_empty_alternation():
    assert regexcache.trie_pattern([]) == regexcache.guarded_trie({}) == "(?:)"


POOL = ("兩個億萬門東車們說時間", "两个亿万门东车们说时间", "abc12３４５，。 \n", "𠀀𡃁😀\U0002a6a5", "\ud800\udfff")


@pytest.mark.parametrize("keep,extra", [
    ("", ()),
    ("兩億", ()),
    ("", tuple((ord(a), ord(b)) for a, b in zip("０１２３４５６７８９", "0123456789"))),
    ("", ((ord("a"), ord("b")), (ord("b"), ord("c")))),    # a replacement itself replaced
    ("", ((ord("😀"), ord("x")), (ord("x"), ord("𠀀")))),
])
def test_convert_is_translate(keep, extra):
    rng = random.Random(200)
    table = script.translation(keep, extra)
    changed = [chr(k) for k in table]
    for n in (0, 1, 7, script._LONG - 2, script._LONG - 1, script._LONG, script._LONG + 1, 500):
        for few in (0, 1, script._FEW - 1, script._FEW, script._FEW + 1, 40):
            chars = "".join(POOL) + "".join(rng.sample(changed, min(few, len(changed))))
            text = "".join(rng.choices(chars, k=n))
            assert script.convert(text, keep, extra) == text.translate(table), (n, few, text)


def _scan_every_run_by_cuts(text: str) -> list:
    """numerals.scan without its one-character path: every run read by its cuts."""
    out = []
    for m in numerals._run_re().finditer(text):
        s, e = m.start(), m.end()
        pm = numerals.part_of_re().match(text, s, e)
        if pm:
            s = pm.end()
        while s < e:
            cuts = numerals._cuts(text, s, e)
            best = next(((cut, n) for cut in reversed(cuts)
                         if (n := numerals.parse_number(text[s:cut])) is not None), None)
            if best is None:
                s = cuts[0] if cuts else e
                continue
            cut, num = best
            num.start, num.end, num.text = s, cut, text[s:cut]
            out.append(num)
            s = cut
    return out


def test_scan_reads_a_one_character_run_as_its_cuts_would():
    nc = numerals.chars()
    pool = (nc.cjk_digits + nc.small_units + "".join(sorted(nc.arabic)) + nc.minus + nc.part_of
            + nc.fraction + "万亿点.．%个年月日的了在 ，。\n𠀀")
    rng = random.Random(12)
    for _ in range(300):
        text = "".join(rng.choices(pool, k=rng.randint(1, 40)))
        assert numerals.scan(text) == _scan_every_run_by_cuts(text), text


# what each figure measures (layers/figures/semantics.py): passes read only as far as asked


def _semantic_text(text: str, dates: list[dict] = ()):
    from baozhi.layers.figures import semantics

    return semantics._Text(text, [], [], list(dates), [], None, None, semantics._cfg())


EVENT_PIECES = ("全国锦标赛", "总统大选", "第３届", "于２０日开赛", "世界杯", "挑战", "比赛", "的", "在",
                "运动会", "棋手", "参加了", "，", "。", "\n", "围棋天元战", "１２", "交易会上", "今年")


def test_named_events_read_as_far_as_asked_are_those_of_the_whole_text():
    from baozhi.layers.figures import semantics

    rng = random.Random(2026)
    pat = semantics._cfg()["event_name"]
    for _ in range(150):
        text = "".join(rng.choices(EVENT_PIECES, k=rng.randint(0, 25)))
        dates = [{"start": m.start(), "end": m.end()} for m in regex.finditer("[０-９]+日", text)]
        plain = _semantic_text(text, dates)
        named = [(m.end(), m.group(1)) for m in pat.finditer(text)      # the pass over the whole text
                 if not (plain.in_date(m.start(1), m.start(1) + 1) or text[m.start(1) - 1:m.start(1)].isdigit())]
        t = _semantic_text(text, dates)
        for pos in rng.sample(range(len(text) + 1), len(text) + 1):     # asked in any order
            want = next((n for e, n in reversed(named) if e <= pos), None)
            assert t.event_before(pos) == want, (text, pos)


def test_named_events_pass_reads_only_the_stretches_with_a_cue_and_finds_every_name():
    """``_Text._event_names`` (only the stretches of ``event_name_chars`` holding one of
    ``event_name_cues``) gives ``event_name``'s matches over the whole text, on random texts of
    the pattern's own words (every word a name may end with, the characters its look-arounds
    test), digits, marks and other characters: a name word whose cue is missing fails here."""
    from baozhi.layers.figures import semantics

    cfg = semantics._cfg()
    pat = cfg["event_name"]
    words = regex.findall(r"\p{Han}+", pat.pattern)          # (the fairs' names are in it)
    pieces = (*words, *[w[i:] for w in words for i in range(1, len(w))], *"比决参挑略斗的在中年月",
              "第", "届", "２", "3", "０９", "，", "。", " ", "\n", "a", "（", "”", "😀")
    rng = random.Random(1414)
    found = 0
    for _ in range(3000):
        text = "".join(rng.choices(pieces, k=rng.randint(0, 12)))
        want = [(m.span(), m.groups()) for m in pat.finditer(text)]
        assert [(m.span(), m.groups()) for m in _semantic_text(text)._event_names()] == want, text
        found += len(want)
    assert found > 1000         # (names were there to find)


FRAME_PIECES = ("记者从海关总署获悉", "据邮电部统计", "国家统计局局长说，", "新华社北京１月５日电", "全市",
                "，", "。", "工业产值", "增长", "太原市", "表示，", "经调查", "显示")


def test_report_frames_read_as_far_as_asked_are_those_of_the_whole_sentence():
    from baozhi.layers.figures import semantics

    rng = random.Random(1997)
    for _ in range(150):
        text = "".join(rng.choices(FRAME_PIECES, k=rng.randint(1, 20)))
        t = _semantic_text(text)
        cfg = t.cfg
        owners = [(a, b, text[a:b], None) for a in range(len(text)) for b in (a + 1, a + 3, a + 9)
                  if b <= t.sentence(a)[2]]
        for o in rng.sample(owners, len(owners)):                       # asked in any order
            _, s, e = t.sentence(o[0])
            starts = [s] + [m.end() for m in cfg["clause_end_re"].finditer(text, s, e)]
            frames = [m.span() for cs in starts for p in cfg["report_frames"] if (m := p.match(text, cs, e))]
            want = not any(a <= o[0] and o[1] <= b for a, b in frames)
            assert semantics.report_source_not_owner(t, None, o) == want, (text, o)


# ---- the rows' builder, the tokens' spans, the figures' first-character tests (issue 12, D)

def _values(rng):
    return rng.choice([None, 1, "x", True, 2.5, float("nan"), float("inf"), -float("inf"),
                       [1.0, float("nan"), {"a": float("inf")}], ("t", float("nan")), {"k": [float("-inf")]}])


def test_a_row_is_base_id_and_the_ordered_finite_record():
    """``process._row`` is ``{**base, id: rid, **finite(layer.ordered(rec))}``: the same keys in
    the same order (a field named like a base key keeps the base's place) and the same values."""
    import math

    from baozhi.layers import registry
    from baozhi.resources.strict import finite
    from baozhi.run.process import _row

    def same(a, b):
        if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
            return math.isnan(b)
        if isinstance(a, (list, tuple)):
            return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
        if isinstance(a, dict):
            return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
        return type(a) is type(b) and a == b

    rng = random.Random(12)
    for layer in registry.LAYERS:
        keys = [*layer.fields, "source", "issue_date", layer.id_field, "_private", "extra", "change"]
        for _ in range(300):
            base = {"article_id": "p:01", "source": "s.txt", "issue_date": rng.choice([None, "1998-01-01"])}
            rec = {k: _values(rng) for k in rng.sample(keys, rng.randint(0, len(keys)))}
            want = {**base, layer.id_field: "p:01:x1", **finite(layer.ordered(rec))}
            got = _row(base, layer.id_field, "p:01:x1", rec, layer.fields, frozenset(layer.fields))
            assert same(got, want), (layer.name, rec)


def _spans_by_set(words):
    """token_offsets' spans as written first: the spaces made trailing found by a set."""
    from itertools import accumulate
    ends = list(accumulate(map(len, words)))
    spans = list(zip([0, *ends], ends))
    gone = {i for i, w in enumerate(words) if w == " " and i and not words[i - 1].isspace()}
    return [sp for i, sp in enumerate(spans) if i not in gone]


def test_token_spans_drop_the_trailing_spaces_as_the_set_did():
    from baozhi.frame.plain import spans_of
    rng = random.Random(1998)
    pool = [" ", " ", "  ", "\n", "\u3000", "中国", "经济", "a", "12", "，", "年"]
    for _ in range(2000):
        words = rng.choices(pool, k=rng.randint(0, 25))
        assert spans_of(words) == _spans_by_set(words), words


def test_the_figures_first_character_tests_hold_every_match_start():
    """A match of the range, inclusive-mark, times and not_before patterns starts with one of
    the characters ``_patterns`` lists for them (the test that skips those matches)."""
    from baozhi.layers.figures.figures import JOIN_GAP, _cfg, _patterns
    p, c = _patterns(), _cfg()
    chars = "".join({*"".join(c["range_connectors"]), *"".join(c["range_inclusive_marks"]),
                     *"".join(c["times_signs"]), *"".join(c["not_before"]), *JOIN_GAP,
                     *" \t\u3000\n1二元号(含)"})
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choices(chars, k=rng.randint(1, 12)))
        for i in range(len(text) + 1):
            ch = text[i:i + 1]
            if any(p[k].match(text, i) for k in ("range", "range_inclusive", "times")):
                assert ch in p["join_firsts"], (text, i)
            if p["not_before"].match(text, i):
                assert ch in p["not_before_firsts"], (text, i)


def test_the_figures_unit_hedge_rate_first_characters_hold_every_match_start():
    """A match of hedge_after, rate and the context units' pattern starts with one of the
    characters ``_patterns`` lists for them (``hedge_after_firsts``, ``rate_firsts``,
    ``context_firsts``), and every place _unit_after can read a unit, an inside hedge, 个半/个多 or
    a space before a unit starts with one of ``unit_after_firsts``: on random texts of those
    words' characters, the unit spaces, 及以上, 個 and ／ (review rev2 F1)."""
    from baozhi.layers.figures.figures import _cfg, _context_unit, _match_unit, _patterns, _units
    p, c = _patterns(), _cfg()
    ha, ha_re = p["hedge_after"]
    hi, hi_re = p["hedge_inside"]
    ctx_re = p["context_units"][0]
    for k in ("hedge_after_firsts", "rate_firsts", "context_firsts", "unit_after_firsts"):
        assert p[k] is not None, k
    words = [*ha, *hi, *c["rate"]["signs"], c["half_before_unit"], c["over_before_unit"],
             *c["unit_spaces"], "及以上", "個", "／", "/", "1", "二", "的", "，"]
    words += sorted(_units()[0])[::7] + sorted(w for w in _units()[0] if w[0] in p["context_firsts"])
    chars = sorted({*"".join(words)})
    pool = words + chars
    rng = random.Random(17)
    seen = {"hedge_after": 0, "rate": 0, "context": 0, "unit": 0, "space": 0}
    for _ in range(3000):
        text = "".join(rng.choices(pool, k=rng.randint(1, 8)))
        for i in range(len(text) + 1):
            ch = text[i:i + 1]
            if ha_re.match(text, i):
                seen["hedge_after"] += 1
                assert ch in p["hedge_after_firsts"], (text, i)
            if p["rate"].match(text, i):
                seen["rate"] += 1
                assert ch in p["rate_firsts"], (text, i)
            if ctx_re.match(text, i):
                seen["context"] += 1
                assert ch in p["context_firsts"], (text, i)
            if hi_re.match(text, i) or _match_unit(text, i) or _context_unit(text, 0, i):
                seen["unit"] += 1
                assert ch in p["unit_after_firsts"], (text, i)
            if ch and ch in c["unit_spaces"]:
                seen["space"] += 1
                assert ch in p["unit_after_firsts"], (text, i)
    assert all(seen.values()), seen


def test_the_figures_first_character_gates_leave_out_nothing(monkeypatch):
    """find_figures with the first-character gates of _unit_after, _context_unit, the rate and
    the after-hedge set to None (the plain path: every match tried) gives the same figures, on
    the rules' examples, the corpus pages and random texts of numerals, units, spaces, hedges
    and rate signs (review rev2 F1: 17 条, 4.1 %, 50%及以上, 3個)."""
    from baozhi.layers.figures import figures
    from baozhi.resources import ruleset
    from conftest import corpus_page
    cfg = ruleset.load("figures/figures.yaml")
    p = figures._patterns()
    texts = [e["text"] for e in cfg.get("examples", []) if isinstance(e, dict) and "text" in e]
    texts += [corpus_page(s).read_text(encoding="utf-8") for s in ("000", "001", "002", "003", "004")]
    units = sorted(figures._units()[0])
    rng = random.Random(19)
    pool = (list("一二三四五十百千万亿0123456789.％%個／/ 　，的及增长") + ["以上", "及以上", "左右", "以内", "余", "多"]
            + units[::5] + [w for w in units if w[0] in p["context_firsts"]] + ["17 条", "4.1 %", "积", "以"])
    texts += ["".join(rng.choices(pool, k=rng.randint(2, 12))) for _ in range(6000)]
    got = [figures.find_figures(t) for t in texts]
    for k in ("hedge_after_firsts", "rate_firsts", "context_firsts", "unit_after_firsts"):
        monkeypatch.setitem(p, k, None)
    assert [figures.find_figures(t) for t in texts] == got
    recs = [r for g in got for r in g]
    assert any(r["text"] in ("17 条", "4.1 %") for r in recs)
    assert any(r["text"].endswith("及以上") and r["approx"] == "at_least" for r in recs)


@pytest.mark.parametrize("figure", [False, True])
def test_bounds_one_scan_finds_what_each_marks_pattern_finds(figure):
    """``bounds.Bounds`` scans the text once (``marks()["<clause set>_re"]``) and reads its
    sentence and line ends off the clause ends: the same lists as the characters of each set
    read one by one and a pass of ``regex`` with the set's class, on random texts of marks and
    letters (lines, surrogates and characters outside the BMP included)."""
    from baozhi.layers.bounds import Bounds, marks

    m = marks()
    clause, sentence = ("phrase", "figure_sentence") if figure else ("clause", "sentence")
    alphabet = "".join(sorted(m["phrase"] | m["clause"])) + "\n\r\t 年a1\\[]^-.\ud800😀"
    sent = regex.compile("[" + "".join(regex.escape(c) for c in sorted(m[sentence])) + "]")
    rng = random.Random(14)
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        b = Bounds(text, figure=figure)
        assert b.clause == [i for i, ch in enumerate(text) if ch in m[clause]], text
        assert b.sent == [x.start() for x in sent.finditer(text)], text
        assert m[sentence] <= m[clause]     # (what the one scan relies on)
        assert b.para == [x.start() for x in regex.finditer("\n", text)], text


def test_any_of_is_the_class_of_its_characters():
    """marks.any_of (stdlib re) matches exactly its characters, as regex's class of them does,
    the characters a class treats apart (^ - ] \\ and a newline) included."""
    import regex

    from baozhi.resources import marks
    rng = random.Random(3)
    pool = list("^-]\\[\n，。；;:!?…a1 ") + [chr(c) for c in rng.sample(range(0x20, 0x3000), 300)]
    for _ in range(300):
        chars = frozenset(rng.sample(pool, rng.randint(0, 6)))
        ours = marks.any_of(chars)
        theirs = regex.compile("[" + "".join(regex.escape(c) for c in sorted(chars)) + "]" if chars else "(?!)")
        text = "".join(rng.choices(pool, k=60))
        assert [m.start() for m in ours.finditer(text)] == [m.start() for m in theirs.finditer(text)]
        assert [m.start() for m in ours.finditer(text)] == [i for i, ch in enumerate(text) if ch in chars]


def test_the_ratio_and_fraction_gates_leave_out_nothing(monkeypatch):
    """figures._shares' gate (a sign with a digit on each side) only skips texts where the
    ratio and fraction patterns find nothing: the same records with the gates open, on the
    rules' examples, the corpus pages and random texts of digits, signs and ratio words."""
    from baozhi.layers.figures import figures
    from baozhi.resources import ruleset
    from conftest import corpus_page
    cfg = ruleset.load("figures/figures.yaml")
    texts = [e["text"] for e in cfg.get("examples", []) if isinstance(e, dict) and "text" in e]
    texts += [corpus_page(s).read_text(encoding="utf-8") for s in ("000", "001", "002", "003", "004")]
    rng = random.Random(5)
    pool = list("0123456789０１２３４５６７８９.．·:∶：/／ 比例为约按占的近年月") + ["比例为", "汇率为", "占", "按省级标准"]
    texts += ["".join(rng.choices(pool, k=rng.randint(2, 14))) for _ in range(5000)]
    p = figures._patterns()
    got = [(figures._shares(t, "ratio"), figures._shares(t, "fraction")) for t in texts]
    for name in ("ratio", "fraction"):
        monkeypatch.setitem(p, f"{name}_gate", (re.compile(""),))
    found = 0
    for t, g in zip(texts, got):
        want = (figures._shares(t, "ratio"), figures._shares(t, "fraction"))
        assert g == want, t
        found += len(want[0]) + len(want[1])
    assert found


def test_the_magnitude_gate_leaves_out_nothing(monkeypatch):
    """figures._magnitudes' gate (the suffix 级 after a magnitude character or a unit's last
    character) only skips texts where the scale-class pattern finds nothing: the same records
    with the gate open, on the rules' examples and random texts of numerals, units, 级 and
    other characters (省级, 高级)."""
    from baozhi.layers.figures import figures
    from baozhi.resources import ruleset
    cfg = ruleset.load("figures/figures.yaml")
    texts = [e["text"] for e in cfg.get("examples", []) if isinstance(e, dict) and "text" in e]
    units = sorted(figures._units()[0])
    rng = random.Random(9)
    pool = list("一二三四五六七八九十百千万亿0123456789级级级省高各超近大双的，") + units
    texts += ["".join(rng.choices(pool, k=rng.randint(2, 10))) for _ in range(8000)]
    p = figures._patterns()
    got = [figures._magnitudes(t) for t in texts]
    monkeypatch.setitem(p, "magnitude_gate", re.compile(""))
    found = 0
    for t, g in zip(texts, got):
        want = figures._magnitudes(t)
        assert g == want, t
        found += len(want)
    assert found


def test_the_ordinal_list_gate_leaves_out_nothing(monkeypatch):
    """figures' not_after_patterns searched in a numeral's window only where the text holds a
    match of them at all: the same figures without that gate (None), on the rules' examples,
    the corpus pages and random texts of 第, numerals, list marks and units."""
    from baozhi.layers.figures import figures
    from baozhi.resources import ruleset
    from conftest import corpus_page
    cfg = ruleset.load("figures/figures.yaml")
    texts = [e["text"] for e in cfg.get("examples", []) if isinstance(e, dict) and "text" in e]
    texts += [corpus_page(s).read_text(encoding="utf-8") for s in ("000", "001", "002", "003", "004")]
    rng = random.Random(11)
    pool = list("第一二三四五1234５６、和与至到—-天个名届号年中的，。") + ["第1、2、3天", "第一、二位", "5个"]
    texts += ["".join(rng.choices(pool, k=rng.randint(2, 14))) for _ in range(6000)]
    p = figures._patterns()
    assert p["not_after_anywhere"] is not None
    got = [figures.find_figures(t) for t in texts]
    monkeypatch.setitem(p, "not_after_anywhere", None)
    assert [figures.find_figures(t) for t in texts] == got
    # the gate matters: some random text has a number its window's pattern rejects
    assert any(figures._is_code(t, n) and not figures._is_code(t, n, False)
               for t in texts[-300:] for n in numerals.scan(t))


def test_the_figures_std_patterns_read_as_regex_reads_them(monkeypatch):
    """The figures' patterns compiled with the standard ``re`` (``figures._STD``: hedges,
    change words, range and times signs, currency signs, 百分之, fixed words, quotes, titles,
    code words) give the figures ``regex`` gives with the same patterns: on the rules'
    examples, the corpus pages and random texts of numerals, units and those words; and each
    pattern alone the same matches in a whole text, the same match at every position and the
    same search in every window ending there (the windows the module searches)."""
    from baozhi.layers.figures import figures
    from baozhi.resources import ruleset
    from conftest import corpus_page
    cfg = ruleset.load("figures/figures.yaml")
    p = figures._patterns()
    words = []
    for name in ("hedge_before", "hedge_inside", "change"):
        words += list(p[name][0])
    words += list(p["currency"][0]) + list(cfg["range_connectors"]) + list(cfg["times_signs"])
    words += list(cfg["range_inclusive_marks"]) + list(cfg["change_gap"]) + ["百分之", "千分之", "分之"]
    words += list(cfg["fixed_words"]) + list(cfg["not_after"]) + list(cfg["not_before"])
    words += [*cfg["slogan_quotes"], *cfg["slogan_quotes"].values(), *cfg["title_quotes"],
              *cfg["title_quotes"].values(), "十四五", "985"]
    texts = [e["text"] for e in cfg.get("examples", []) if isinstance(e, dict) and "text" in e]
    pages = [corpus_page(s).read_text(encoding="utf-8") for s in ("000", "001", "002", "003", "004")]
    rng = random.Random(13)
    pool = list("一二三四五十百千万亿0123456789.％% \t\n元个吨年的") + words + sorted(figures._units()[0])[:60]
    texts += ["".join(rng.choices(pool, k=rng.randint(2, 16))) for _ in range(3000)]
    for name in figures._STD:
        std = p[name][1] if isinstance(p[name], tuple) else p[name]
        assert isinstance(std, re.Pattern), name
        rx = regexcache.compile(std.pattern)
        for t in texts + pages:
            assert ([(m.span(), m.groups()) for m in std.finditer(t)]
                    == [(m.span(), m.groups()) for m in rx.finditer(t)]), (name, t)
        for t in texts[-600:] + [pg[:3000] for pg in pages]:
            for i in range(len(t) + 1):
                a, b = std.match(t, i), rx.match(t, i)
                assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups())), (name, t, i)
                for back in (4, 8, 12):
                    a, b = std.search(t, max(0, i - back), i), rx.search(t, max(0, i - back), i)
                    assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups())), (name, t, i)
    got = [figures.find_figures(t) for t in texts + pages]
    for name in figures._STD:
        v = p[name]
        monkeypatch.setitem(p, name, (v[0], regexcache.compile(v[1].pattern)) if isinstance(v, tuple)
                            else regexcache.compile(v.pattern))
    assert [figures.find_figures(t) for t in texts + pages] == got
    assert sum(map(len, got)) > 500


def test_no_first_character_test_where_a_list_of_words_is_empty():
    """figures' first-character sets are None (no test) where a list of words is empty or holds
    an empty word — its alternation then matches the empty string anywhere, which no set of
    first characters lets through (review rev2 F5: rate ``signs: []``) — else the words' firsts."""
    from baozhi.layers.figures.figures import _firsts
    assert _firsts([]) is None and _firsts(["/", ""]) is None and _firsts(["到"], []) is None
    assert _firsts({}) is None and _firsts({"左右": "about", "": "x"}) is None
    assert _firsts(["/", "／"]) == frozenset("/／")
    assert _firsts(["到", "至"], ["(含)"], ["×"]) == frozenset("到至(×")
    assert _firsts({"及以上": "at_least", "以上": "at_least"}) == frozenset("及以")
def test_page_rows_offsets_are_source_span_s(monkeypatch):
    """``process.page_rows`` maps a row's offsets to the file inline: each row's start and end
    are ``Repaired.source_span``'s of the record's span in the article, for empty spans
    (start == end, at the article's start, inside it and at its end), one-character spans
    and spans reaching the article's (and the text's) end, on random offset maps."""
    from array import array
    from types import SimpleNamespace as NS

    from baozhi.run import process
    from baozhi.stages.repair import Repaired

    rng = random.Random(16)
    layer = NS(name="things", id_field="thing_id", prefix="t", refs={}, fields=("start", "end"))
    for _ in range(300):
        n = rng.randint(1, 40)
        offsets, pos = [], 0
        for _ in range(n):
            pos += rng.choice((0, 1, 1, 1, 2, 3))
            offsets.append(pos)
        offsets.append(offsets[-1] + rng.randint(1, 3))
        rep = Repaired(text="字" * n, offsets=array("q", offsets))
        a0 = rng.randint(0, n - 1)
        a1 = rng.randint(a0 + 1, n) if rng.random() < 0.6 else n
        art = NS(seq=1, start=a0, end=a1, as_row=lambda: {})
        size = a1 - a0
        spans = [(0, 0), (size, size), (0, size), (size - 1, size)]
        for _ in range(6):
            s = rng.randint(0, size)
            spans += [(s, s), (s, rng.randint(s, size))]
        recs = {"things": [{"start": s, "end": e} for s, e in spans]}
        page = NS(page_id="p", source="f", paper="x", page_no=1, issue_date_origin=None,
                  sha256="0", text="")
        out = {"articles": [], "errors": [], "things": []}
        process.page_rows(page, rep, art, recs, [layer], None, out)
        got = [(r["start"], r["end"]) for r in out["things"]]
        assert got == [rep.source_span(a0 + s, a0 + e) for s, e in spans], (offsets, a0, spans)
