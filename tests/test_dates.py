"""Dates on real corpus pages, resolved against a fixed issue date (Duckling style).

Issue dates: page 000 appeared 2022-11-18 (its last line says so). Pages 002–004 carry no
issue date; they are tested with None and with an assumed date (002: 2022-08-12,
003: 2022-11-30, 004: 2024-06-04).
"""
from __future__ import annotations

import datetime as dt

import pytest

from baozhi.apps.annotate import annotate_record
from baozhi.layers.dates.dates import find_dates
from baozhi.stages.repair import repair

from conftest import corpus_page

P000 = dt.date(2022, 11, 18)
P002 = dt.date(2022, 8, 12)
P004 = dt.date(2024, 6, 4)
GRANULARITIES = {"hour", "day", "tenday", "month", "quarter", "halfyear", "year", "range",
                 "before", "since", "from", "recent"}


def page_text(stem: str) -> str:
    return repair(corpus_page(stem).read_text(encoding="utf-8")).text


def dates_of(stem: str, issue: dt.date | None) -> list[dict]:
    return find_dates(page_text(stem), issue)


def by_text(recs: list[dict], text: str) -> list[dict]:
    return [r for r in recs if r["text"] == text]


def interval(rec: dict) -> tuple:
    return rec["start_date"], rec["end_date"], rec["granularity"]


def test_page_000_dates():
    recs = dates_of("000", P000)
    assert interval(by_text(recs, "2022—2035年")[0]) == ("2022-01-01", "2035-12-31", "range")
    assert interval(by_text(recs, "2025年")[0]) == ("2025-01-01", "2025-12-31", "year")
    assert interval(by_text(recs, "2035年")[0]) == ("2035-01-01", "2035-12-31", "year")
    assert interval(by_text(recs, "今年年底前")[0]) == (None, "2022-12-31", "before")
    assert interval(by_text(recs, "去年")[0]) == ("2021-01-01", "2021-12-31", "year")
    assert {interval(r) for r in by_text(recs, "11月16日")} == {("2022-11-16", "2022-11-16", "day")}
    assert interval(by_text(recs, "11月14日一早")[0]) == ("2022-11-14", "2022-11-14", "day")
    assert interval(by_text(recs, "2022年11月18日")[0]) == ("2022-11-18", "2022-11-18", "day")
    # 发布30日前 is thirty days before an event, not a date; 日前 there is not "recently"
    assert not [r for r in recs if "30日" in r["text"]]
    assert len(by_text(recs, "日前")) == 2


def test_page_002_dates_with_assumed_issue_date():
    recs = dates_of("002", P002)
    assert interval(by_text(recs, "8月8日至11日")[0]) == ("2022-08-08", "2022-08-11", "range")
    assert interval(by_text(recs, "8月9日8时至10日8时")[0]) == ("2022-08-09", "2022-08-10", "range")
    assert interval(by_text(recs, "8月11日18时")[0]) == ("2022-08-11", "2022-08-11", "hour")
    assert interval(by_text(recs, "8月10日0时至24时")[0]) == ("2022-08-10", "2022-08-10", "hour")
    assert interval(by_text(recs, "10月底")[0]) == ("2022-10-21", "2022-10-31", "tenday")
    assert interval(by_text(recs, "7月初")[0]) == ("2022-07-01", "2022-07-10", "tenday")
    assert interval(by_text(recs, "十四五")[0]) == ("2021-01-01", "2025-12-31", "range")
    assert interval(by_text(recs, "今年以来")[0]) == ("2022-01-01", "2022-08-12", "since")
    assert interval(by_text(recs, "8日以来")[0]) == ("2022-08-08", "2022-08-12", "since")
    assert interval(by_text(recs, "当日")[0]) == ("2022-08-10", "2022-08-10", "day")
    assert interval(by_text(recs, "年初")[0]) == ("2022-01-01", "2022-02-28", "month")
    assert [r["text"] for r in recs if r["text"].startswith("2025")] == ["2025年", "2025年"]


def test_page_002_not_dates():
    text = page_text("002")
    recs = find_dates(text, P002)
    for r in recs:   # durations, ordinal days, amounts and sizes are not dates
        assert "天" not in r["text"] and "小时" not in r["text"], r
        assert not any(ch in r["text"] for ch in "亿万×/."), r
    # every record's text is its span
    assert all(text[r["start"]:r["end"]] == r["text"] for r in recs)


def test_page_002_without_issue_date_relative_dates_are_null():
    recs = dates_of("002", None)
    assert interval(by_text(recs, "10月底")[0]) == (None, None, "tenday")
    assert interval(by_text(recs, "8月8日至11日")[0]) == (None, None, "range")
    assert interval(by_text(recs, "今年以来")[0]) == (None, None, "since")
    # stated years do not need the issue date
    assert interval(by_text(recs, "2025年")[0]) == ("2025-01-01", "2025-12-31", "year")
    assert interval(by_text(recs, "十四五")[0]) == ("2021-01-01", "2025-12-31", "range")


def test_page_003_year_parts():
    recs = dates_of("003", dt.date(2022, 11, 30))
    assert interval(by_text(recs, "今年3月")[0]) == ("2022-03-01", "2022-03-31", "month")
    assert interval(by_text(recs, "今年年初")[0]) == ("2022-01-01", "2022-02-28", "month")
    assert interval(by_text(recs, "年底前")[0]) == (None, "2022-12-31", "before")
    assert {interval(r) for r in by_text(recs, "年内")} == {("2022-01-01", "2022-12-31", "year")}
    # 三年大变样、五年基本成形 and the slogan 14510 are not dates
    assert not [r for r in recs if r["text"] in ("三年", "五年") or "14510" in r["text"]]


def test_page_004_dates():
    recs = dates_of("004", P004)
    assert interval(by_text(recs, "今明两年")[0]) == ("2024-01-01", "2025-12-31", "range")
    assert interval(by_text(recs, "去年以来")[0]) == ("2023-01-01", "2024-06-04", "since")
    assert interval(by_text(recs, "全年")[0]) == ("2024-01-01", "2024-12-31", "year")
    assert {interval(r) for r in by_text(recs, "近年来")} == {(None, "2024-06-04", "recent")}
    assert interval(by_text(recs, "2024年")[0]) == ("2024-01-01", "2024-12-31", "year")
    # 距今约6500年至5000年 is an age, not a range of calendar years
    assert not [r for r in recs if "6500" in r["text"] or "5000" in r["text"]]
    # 为阳曲的明天贡献力量: the future, not tomorrow
    assert not by_text(recs, "明天")
    assert interval(by_text(dates_of("004", None), "今明两年")[0]) == (None, None, "range")


@pytest.mark.parametrize("stem", ["000", "001", "002", "003", "004"])
def test_every_record_is_well_formed(stem):
    text = page_text(stem)
    for issue in (None, dt.date(2022, 11, 18)):
        for r in find_dates(text, issue):
            assert text[r["start"]:r["end"]] == r["text"]
            assert r["granularity"] in GRANULARITIES
            for key in ("start_date", "end_date"):
                assert r[key] is None or dt.date.fromisoformat(r[key])
            if r["start_date"] and r["end_date"]:
                assert r["start_date"] <= r["end_date"]


def test_month_without_year_far_ahead_is_last_year():
    (rec,) = find_dates("12月28日，全市召开经济工作会议。", dt.date(2023, 1, 5))
    assert interval(rec) == ("2022-12-28", "2022-12-28", "day")
    (rec,) = find_dates("预计10月底建设完毕。", dt.date(2022, 8, 12))
    assert rec["start_date"] == "2022-10-21"


def test_offsets_map_back_through_annotate_record():
    raw = corpus_page("000").read_text(encoding="utf-8")
    out = annotate_record({"id": "000", "text": raw}, issue_date=P000, layers=["dates"])
    (rec,) = [r for r in out["dates"] if r["text"] == "今年年底前"]
    assert raw[rec["start"]:rec["end"]] == "今年年底前"
    assert (rec["start_date"], rec["end_date"]) == (None, "2022-12-31")
    (rng,) = [r for r in out["dates"] if r["text"] == "2022—2035年"]
    assert raw[rng["start"]:rng["end"]] == "2022—2035年"
    # without an issue date relative dates are null, never today
    out = annotate_record({"id": "000", "text": raw}, layers=["dates"])
    (rec,) = [r for r in out["dates"] if r["text"] == "今年年底前"]
    assert (rec["start_date"], rec["end_date"]) == (None, None)
    assert out["issue_date"] is None


@pytest.mark.parametrize("bad", [None, "", 42, "没有日期的句子。"])
def test_bad_input_gives_empty_result(bad):
    assert find_dates(bad, P000) == []
    assert find_dates(bad, "2022-11-18") == []


def test_issue_date_may_be_a_datetime():
    (rec,) = find_dates("于今年年底前完成。8日以来降雨。", dt.datetime(2022, 11, 18, 6))[:1]
    assert (rec["start_date"], rec["end_date"]) == (None, "2022-12-31")
    assert find_dates("8日以来降雨。", dt.datetime(2022, 11, 18, 6))[0]["end_date"] == "2022-11-18"


def test_impossible_days_are_not_dates():
    for issue in (None, P000):
        assert find_dates("2月30日、4月31日、13月、0月0日", issue) == []


def test_a_week_the_year_does_not_have_is_no_week():
    """ISO week 53 exists in 2020 and 2026, not in 2019: 2019年第53周 gives its year only (a
    builder's ValueError is no date, not an error that loses the article's other rows)."""
    got = {r["text"]: (r["start_date"], r["end_date"], r["granularity"])
           for r in find_dates("2019年第53周的销量，2020年第53周的销量，今年第53周。", dt.date(2026, 11, 30))}
    assert got == {"2019年": ("2019-01-01", "2019-12-31", "year"),
                   "2020年第53周": ("2020-12-28", "2021-01-03", "week"),
                   "今年第53周": ("2026-12-28", "2027-01-03", "week")}
