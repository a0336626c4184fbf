"""Properties on generated input (hypothesis): numerals read back the number they spell,
every date interval starts on or before its end, and annotate takes any Unicode text without
an exception, with every span inside the text and every line strict JSON.

In the test suite each property tries a modest number of examples (derandomised, so CI is
repeatable); the long fuzz run is ``make fuzz`` (``BAOZHI_FUZZ_EXAMPLES`` examples each,
random seeds, statistics printed)."""
from __future__ import annotations

import datetime as dt
import json
import os

from hypothesis import HealthCheck, given, settings, strategies as st

from baozhi.apps.annotate import annotate_record, dumps
from baozhi.layers.dates.dates import find_dates
from baozhi.resources.numerals import parse_number
from faultkit import strict_json

FUZZ = int(os.environ.get("BAOZHI_FUZZ_EXAMPLES") or 0)
PROFILE = settings(max_examples=FUZZ or 60, deadline=None, derandomize=not FUZZ, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

DIGITS = "零一二三四五六七八九"


def _section(n: int) -> str:
    """0 < n < 10000 in Chinese, with 零 for inner gaps (3002 -> 三千零二)."""
    out, gap = "", False
    for unit, val in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
        d = n // val % 10
        if d:
            out += ("零" if gap else "") + DIGITS[d] + unit
            gap = False
        elif out:
            gap = True
    return out


def chinese(n: int) -> str:
    """0 < n < 10**12 as Chinese numerals (一亿零五千, 一万零五, 三千零二)."""
    yi, rest = divmod(n, 10 ** 8)
    wan, low = divmod(rest, 10 ** 4)
    out = _section(yi) + "亿" if yi else ""
    if wan:
        out += ("零" if yi and wan < 1000 else "") + _section(wan) + "万"
    if low:
        out += ("零" if (yi and not wan) or ((yi or wan) and low < 1000) else "") + _section(low)
    return out


@PROFILE
@given(st.integers(min_value=1, max_value=10 ** 12 - 1))
def test_chinese_numerals_read_back_their_number(n):
    got = parse_number(chinese(n))
    assert got is not None and got.value == n, chinese(n)


@PROFILE
@given(st.integers(min_value=0, max_value=10 ** 15), st.booleans(), st.booleans())
def test_arabic_numerals_read_back_their_number(n, commas, fullwidth):
    s = f"{n:,}" if commas else str(n)
    if fullwidth:
        s = s.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    got = parse_number(s)
    assert got is not None and got.value == n, s


@PROFILE
@given(st.integers(min_value=1, max_value=9999), st.sampled_from(["万", "亿"]),
       st.integers(min_value=1, max_value=9))
def test_decimals_times_a_magnitude(whole, mag, tenth):
    got = parse_number(f"{whole}.{tenth}{mag}")
    factor = 10 ** 4 if mag == "万" else 10 ** 8
    assert got is not None and abs(got.value - (whole + tenth / 10) * factor) < 1e-6 * factor


_DATE_BITS = st.one_of(
    st.builds("{}年".format, st.integers(1900, 2100)),
    st.builds("{}月".format, st.integers(0, 13)),
    st.builds("{}日".format, st.integers(0, 32)),
    st.sampled_from(["今年", "明年", "去年", "上半年", "下半年", "年底", "年内", "月底", "上旬",
                     "中旬", "下旬", "初", "末", "至", "到", "—", "-", "~", "第一季度", "前",
                     "以来", "春节", "十一月", "二〇二二年", "本月", "下月", "日", "，", "。"]),
    st.text(max_size=3),
)


@PROFILE
@given(st.lists(_DATE_BITS, max_size=12).map("".join),
       st.one_of(st.none(), st.dates(dt.date(1950, 1, 1), dt.date(2080, 12, 31))))
def test_every_date_interval_starts_on_or_before_its_end(text, issue):
    for d in find_dates(text, issue):
        assert 0 <= d["start"] <= d["end"] <= len(text)
        if d["start_date"] and d["end_date"]:
            assert d["start_date"] <= d["end_date"], (text, issue, d)
        for key in ("start_date", "end_date"):
            if d[key]:
                dt.date.fromisoformat(d[key])


_NEWSY = st.sampled_from(list("0123456789一二三十百千万亿年月日元个%％，。、；\n ##（）“”省市发改委投资至到约近多余")
                         + ["\u3000", "\r", "\t", "2022", "亿元", "万吨", "百分点", "1e2022", "\ufeff"])


@PROFILE
@given(st.lists(st.one_of(_NEWSY, st.characters(codec=None), st.text(max_size=4)),
                max_size=40).map("".join),
       st.one_of(st.none(), st.dates(dt.date(1950, 1, 1), dt.date(2080, 12, 31))),
       st.one_of(st.none(), st.sampled_from(["山西省太原市", "北京市", "", "省"])))
def test_annotate_takes_any_text(text, issue, home):
    rec = {"id": "x", "text": text}
    if issue:
        rec["issue_date"] = issue.isoformat()
    if home is not None:
        rec["home"] = home
    out = annotate_record(rec)
    assert "error" not in out, (text, out)
    for layer in ("entities", "figures", "dates", "targets"):
        for r in out[layer]:
            assert 0 <= r["start"] <= r["end"] <= len(text), (text, layer, r)
    strict_json(dumps(out))


@PROFILE
@given(st.binary(max_size=300))
def test_annotate_lines_of_any_bytes_give_one_strict_line_each(data):
    import io

    from baozhi.apps.annotate import annotate_stream

    out = io.StringIO()
    annotate_stream(io.BytesIO(data), out, layers=("figures",), err=io.StringIO())
    n_in = len(data.split(b"\n")) - (1 if data.endswith(b"\n") else 0) if data else 0
    lines = out.getvalue().splitlines()      # splits at U+2028 and U+0085 too: none unescaped
    assert len(lines) == n_in == out.getvalue().count("\n")
    for line in lines:
        json.loads(line) and strict_json(line)
