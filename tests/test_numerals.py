"""Numerals: the runtime parser and its characters; the evaluation-only readers of
scripts/peer_numerals.py (cn2an's modes, number mentions and ranges)."""
from __future__ import annotations

import math

import pytest

from baozhi.resources.numerals import chars, parse_number
from peer_numerals import cn2an, find_numbers, find_ranges, render


@pytest.mark.parametrize("text,value", [
    ("24.7亿", 2.47e9), ("一百三十五", 135), ("两千", 2000), ("1.5万", 15000), ("3万4000", 34000),
    ("二十万亿", 2e13), ("1,100万", 1.1e7), ("１９９８", 1998), ("4.78万亿", 4.78e12),
    ("一万五千亿", 1.5e12), ("四万万", 4e8), ("五兆六十二亿四万五千二", 5006200045200),
    ("一百二十万三", 1203000), ("两千三点一", 2300.1), ("九百九", 990), ("百三", 130),
    ("一千零十二", 1012), ("零十", 10), ("半百", 50), ("负三十二", -32), ("零下四", -4),
    ("二〇〇二", 2002), ("一七二零点一", 1720.1), ("五分之一", 0.2), ("3又一千分之23", 3.023),
    ("１６/5", 3.2), ("2e5", 2e5), ("40k", 40000), ("９１·８", 91.8), ("９，９９９", 9999),
])
def test_parse_number(text, value):
    num = parse_number(text)
    assert num is not None and math.isclose(num.value, value, rel_tol=1e-9)


@pytest.mark.parametrize("text", ["", "万", "万万", "千", "十一十二", "10.1万零100", "10..1万", "点五", "亿万"])
def test_not_numerals(text):
    assert parse_number(text) is None


def test_several_and_over():
    several = parse_number("数十亿")
    assert (several.value, several.low, several.high, several.approx) == (None, 2e9, 9e9, "about")
    over = parse_number("十余万")
    assert (over.value, over.approx) == (1e5, "over")
    pair = parse_number("二三十")
    assert (pair.value, pair.low, pair.high) == (None, 20, 30)


@pytest.mark.parametrize("n,text", [
    (0, "零"), (10, "一十"), (101, "一百零一"), (1010, "一千零一十"), (100001, "一十万零一"),
    (100010001001, "一千亿一千万一千零一"), (1111111111111111, "一千一百一十一万一千一百一十一亿一千一百一十一万一千一百一十一"),
])
def test_render(n, text):
    assert render(n) == text


@pytest.mark.parametrize("text,mode,value", [
    ("一百一十一", "strict", 111), ("十一", "strict", 11), ("一千零十", "strict", 1010),
    ("壹拾壹元整", "strict", 11), ("玖仟陆佰陆拾伍圆壹角捌分", "strict", 9665.18),
    ("零点零零一", "strict", 0.001), ("廿二", "strict", 22), ("负十一", "strict", -11),
    ("三万五", "normal", 35000), ("一百十一", "normal", 111), ("一七二零", "normal", 1720),
    ("〇", "normal", 0), ("壹拾壹元", "normal", 11), ("零点零", "normal", 0),
    ("100万三千", "smart", 1003000), ("1百01", "smart", 101), ("200亿零四千230", "smart", 20000004230),
    ("一百点123", "smart", 100.123), ("-10.1万", "smart", -101000),
])
def test_cn2an_accepts(text, mode, value):
    got = cn2an(text, mode)
    assert got is not None and math.isclose(got, value, rel_tol=1e-9, abs_tol=1e-12)


@pytest.mark.parametrize("text,mode", [
    ("一百十一", "strict"), ("十万零一千", "strict"), ("一一", "strict"), ("三万五", "strict"),
    ("壹拾壹元", "strict"), ("零点零", "strict"), ("〇", "strict"), ("100万", "strict"),
    ("100万", "normal"), ("10.1万零100", "smart"), ("10..1万", "smart"), ("元整", "normal"),
    ("", "strict"), ("负", "strict"), ("零点", "strict"), ("十七十八", "strict"),
])
def test_cn2an_refuses(text, mode):
    assert cn2an(text, mode) is None


def test_find_numbers_in_a_sentence():
    found = find_numbers("小王的生日是二零零一年三月四日，约2.5亿年~6500万年")
    assert [(f["text"], f["value"]) for f in found] == [
        ("二零零一", 2001), ("三", 3), ("四", 4), ("2.5亿", 2.5e8), ("6500万", 6.5e7)]


def test_find_numbers_skips_words():
    assert find_numbers("小明拾起石子，这个岛屿远离大陆，两岸关系，一切为了统一，四川，陽光九九") == []


def test_find_numbers_reads_spaced_numbers():
    text = "共 三千 九百 六十五 人"
    (num,) = find_numbers(text)
    assert num["value"] == 3965 and text[num["start"]:num["end"]] == "三千 九百 六十五"


@pytest.mark.parametrize("text,low,high", [
    ("大于等于0并小于230.3964", 0, 230.3964), ("这些苹果最多100最少20个", 20, 100),
    ("10000与20000之间", 10000, 20000), ("他的年龄不小于三十岁", 30, None),
    ("小明的身高比 170 低 ", None, 170), ("5k-20k", 5000, 20000), ("500多亿", 5e10, None),
])
def test_find_ranges(text, low, high):
    (r,) = find_ranges(text)
    assert (r["low"], r["high"]) == (low, high)


def test_ranges_that_do_not_join():
    found = find_ranges("大于50小于12的目标")
    assert [(r["low"], r["high"]) for r in found] == [(50, None), (None, 12)]


def test_bad_input_gives_nothing():
    assert cn2an(" ", "strict") is None and cn2an("一", "loose") is None
    assert parse_number(" ") is None and parse_number(None) is None  # type: ignore[arg-type]
    assert find_numbers(None) == [] and find_ranges("") == []  # type: ignore[arg-type]


def test_chars_are_the_numeral_characters():
    c = chars()
    assert c.one == "一" and c.fraction == "分之" and set("〇零") == set(c.zero)
    assert {"5", "５", "五", "伍", "两"} <= set(c.digits) and c.values["两"] == 2
    assert "百" in c.part_of and "百" in c.small_units and "5" not in c.cjk_digits


def test_the_package_reads_numerals_only_through_its_public_names():
    """The figures layer once read numerals' private tables (cfg()["_digits"]); and the
    evaluation-only readers stay out of the runtime package."""
    import ast
    from conftest import ROOT
    from baozhi.resources import numerals
    for path in (ROOT / "pipeline").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "baozhi.resources.numerals":
                bad = [a.name for a in node.names if a.name.startswith("_") or a.name == "cfg"]
                assert not bad, f"{path} imports {bad} from numerals"
    for name in ("cn2an", "render", "find_numbers", "find_ranges"):
        assert not hasattr(numerals, name)


def test_the_runs_read_by_re_are_regex_s():
    """``scan``'s runs come from the standard ``re``; ``regex`` reads the same pattern alike:
    on random texts of numeral characters, minus signs, letters, combining marks, other
    numbers (①, ², ½) and digits only ``regex`` knows, and on every character a token may start
    with after a minus (the one class the two engines define apart, ``[^\\W\\d_]``)."""
    import random
    import re

    import regex

    from baozhi.resources import numerals
    pattern = numerals._run_pattern()
    ours, theirs = numerals._run_re(), regex.compile(pattern)
    assert isinstance(ours, re.Pattern)
    nc = chars()
    pool = (nc.cjk_digits + nc.small_units + "".join(sorted(nc.arabic)) + nc.minus + nc.part_of
            + nc.fraction + "万亿兆点.．·,，/／又多余几数kKw eE^+%年下零ab\u0301\u0338①²½\U00010d40\U000116d0𠀀Ａ_，\n")
    rng = random.Random(12)
    for _ in range(20000):
        text = "".join(rng.choices(pool, k=rng.randint(1, 30)))
        assert [m.span() for m in ours.finditer(text)] == [m.span() for m in theirs.finditer(text)], text
    starts = numerals._token_first()
    firsts = {ch for ch in regex.sub(r"0-9|０-９|\\", "", starts)} | set("0123456789０１２３４５６７８９")
    for ch in firsts:
        assert bool(re.match(r"[^\W\d_]", ch)) == bool(regex.match(r"[^\W\d_]", ch)), ch


def _scan_plain(text: str) -> list:
    """numerals.scan as it read every run before the runs' memo: from the whole text, by its
    cuts (the plain form test_equivalences compares the one-character path with)."""
    from test_equivalences import _scan_every_run_by_cuts
    return _scan_every_run_by_cuts(text)


def test_scan_with_its_memo_of_runs_reads_as_from_the_whole_text():
    """The same run read in another context (a digit or a decimal point before it, 下 after
    a 零 that ends it) is read as the whole text says, not as the memo last kept it."""
    import random

    from baozhi.resources import numerals
    nc = chars()
    pool = (nc.cjk_digits + nc.small_units + "".join(sorted(nc.arabic)) + nc.minus + nc.part_of
            + nc.fraction + "万亿点.．·,，%下零又/eEk年的 \n")
    rng = random.Random(7)
    runs = ["".join(rng.choices(pool, k=rng.randint(2, 8))) for _ in range(300)]
    for _ in range(6000):
        text = "".join(rng.choice(runs) if rng.random() < 0.5 else rng.choice(pool)
                       for _ in range(rng.randint(1, 12)))
        got = [(n.start, n.end, n.text, n.value, n.low, n.high, n.approx) for n in numerals.scan(text)]
        want = [(n.start, n.end, n.text, n.value, n.low, n.high, n.approx) for n in _scan_plain(text)]
        assert got == want, text
    assert numerals._run_memo.cache_info().hits
