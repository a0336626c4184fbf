"""Targets on real corpus sentences; figure linking with hand-made figure lists, and end to
end through ``annotate_record`` / ``nlp.annotate`` with the real figures layer.

Issue dates as in test_dates.py: page 000 2022-11-18; pages 002–004 unknown (None), tested
also with an assumed date (002: 2022-08-12, 003: 2022-11-30, 004: 2024-06-04).
"""
from __future__ import annotations

import datetime as dt

import pytest

from conftest import corpus_page
from baozhi.frame import components as nlp
from baozhi.apps.annotate import annotate_record
from baozhi.layers.dates.dates import find_dates
from baozhi.stages.repair import repair
from baozhi.layers.targets.targets import find_targets

P000 = dt.date(2022, 11, 18)
P002 = dt.date(2022, 8, 12)
P003 = dt.date(2022, 11, 30)
P004 = dt.date(2024, 6, 4)


def page_text(stem: str) -> str:
    return repair(corpus_page(stem).read_text(encoding="utf-8")).text


def targets_of(text: str, issue: dt.date | None, figures: list[dict] | None = None) -> list[dict]:
    return find_targets(text, figures or [], find_dates(text, issue), issue)


def starting(recs: list[dict], prefix: str) -> dict:
    (rec,) = [r for r in recs if r["text"].startswith(prefix)]
    return rec


def fig(text: str, part: str, kind: str = "money") -> dict:
    """A hand-made figure record for ``part`` in ``text``."""
    start = text.index(part)
    return {"start": start, "end": start + len(part), "text": part, "kind": kind}


# ------------------------------------------------------------------ real pages

def test_page_000_targets():
    recs = targets_of(page_text("000"), P000)
    t2025 = starting(recs, "到2025年")
    assert (t2025["modality"], t2025["deadline_text"]) == ("到", "2025年")
    assert (t2025["deadline_start"], t2025["deadline_end"]) == ("2025-01-01", "2025-12-31")
    # a fronted 到2025年， governs the whole paragraph, up to the 四大千亿级 clusters
    assert "形成四大千亿级产业集群" in t2025["text"]
    assert t2025["text"].endswith("进入全国第一方阵")
    t2035 = starting(recs, "到2035年")
    assert t2035["text"].endswith("在全国经济版图中的重要地位全面彰显")
    assert t2035["deadline_end"] == "2035-12-31"
    plan = starting(recs, "于今年年底前")
    assert (plan["modality"], plan["deadline_start"], plan["deadline_end"]) == (
        "今年年底前", None, "2022-12-31")
    assert {r["modality"] for r in recs} == {"到", "今年年底前"}


def test_page_002_targets_without_issue_date():
    recs = targets_of(page_text("002"), None)
    got = {r["text"]: (r["modality"], r["deadline_text"], r["deadline_start"], r["deadline_end"])
           for r in recs}
    assert got["力争实现万亿级工业产值规模"] == ("力争", None, None, None)
    assert got["至2025年建成氢能装备产业园2个，全产业链累计产值超100亿元"] == (
        "至", "2025年", "2025-01-01", "2025-12-31")
    assert got["预计10月底建设完毕，具备年产热轧中厚板70万吨能力"] == ("预计", "10月底", None, None)
    assert got["2025年风电装备产业链资源支撑规模达到600万千瓦"] == (
        "达到", "2025年", "2025-01-01", "2025-12-31")
    # 确保 as a way of working, 为确保…, 确保了… (past) are not targets
    assert not [r for r in recs if r["modality"] == "确保"]


def test_page_002_deadline_with_assumed_issue_date():
    recs = targets_of(page_text("002"), P002)
    t = starting(recs, "预计10月底")
    assert (t["deadline_start"], t["deadline_end"]) == ("2022-10-21", "2022-10-31")


def test_page_003_targets():
    for issue in (None, P003):
        recs = targets_of(page_text("003"), issue)
        assert starting(recs, "力争三年大变样")["text"] == "力争三年大变样、五年基本成形"
        road = starting(recs, "力争国道307")
        assert road["text"] == "力争国道307水南安至汾阳贾家庄、汾阳至晋陕界改线工程年内开工"
        assert (road["modality"], road["deadline_text"]) == ("力争", "年内")
        ring = starting(recs, "太原西北二环高速")
        assert (ring["text"], ring["modality"]) == ("太原西北二环高速年底前竣工", "年底前")
        assert starting(recs, "推动古交一类烦一方山高速公路")["modality"] == "年内"
    ring = starting(targets_of(page_text("003"), P003), "太原西北二环高速")
    assert (ring["deadline_start"], ring["deadline_end"]) == (None, "2022-12-31")
    # 今年以来 is the past up to now, not a plan
    assert not [r for r in recs if r["text"].startswith("今年以来")]


def test_page_004_targets():
    recs = targets_of(page_text("004"), P004)
    t = starting(recs, "年内省市专业镇")
    assert t["text"] == "年内省市专业镇新增投资30亿元以上，工业产值增速达到20%以上"
    assert (t["modality"], t["deadline_start"], t["deadline_end"]) == ("年内", "2024-01-01", "2024-12-31")
    t = starting(recs, "今明两年试点期内")
    assert t["text"].endswith("形成具有特色的中小企业数字化转型“太原模式”")
    assert (t["deadline_start"], t["deadline_end"]) == ("2024-01-01", "2025-12-31")
    assert starting(recs, "全年新增")["text"] == "全年新增省级重点专业镇1个、市级专业镇4个左右"
    assert starting(recs, "今年，省市专业镇")["modality"] == "今年"
    # reports of the past are not targets
    for r in recs:
        assert "去年" not in r["text"] and "2023年成功入选" not in r["text"], r
    # without an issue date the same targets are found, with null deadlines
    t = starting(targets_of(page_text("004"), None), "今明两年试点期内")
    assert (t["modality"], t["deadline_start"], t["deadline_end"]) == ("今明两年", None, None)


@pytest.mark.parametrize("stem", ["000", "001", "002", "003", "004"])
def test_every_target_is_well_formed(stem):
    text = page_text(stem)
    for r in targets_of(text, None):
        assert text[r["start"]:r["end"]] == r["text"]
        assert r["modality"] and r["text"]
        assert r["figures"] == []


# ------------------------------------------------------------------ figure linking

def test_figures_inside_the_target_are_linked_by_index():
    text = ("总投资24.7亿元。打造具有太原特色的产业集群，年内省市专业镇新增投资30亿元以上，"
            "工业产值增速达到20%以上。去年实现产值19.9亿元。")
    figures = [fig(text, "24.7亿元"), fig(text, "30亿元以上"), fig(text, "20%以上", "percent"),
               fig(text, "19.9亿元")]
    (t,) = targets_of(text, P004, figures)
    assert t["figures"] == [1, 2]


def test_fronted_deadline_links_figures_of_the_following_sentences():
    text = ("《规划》提出，到2025年，产业协同发展格局初步形成。新材料、高端装备制造、新能源、"
            "节能环保等领域形成四大千亿级产业集群。\n\n总投资24.7亿元。")
    figures = [fig(text, "四大千亿级", "magnitude"), fig(text, "24.7亿元")]
    (t,) = targets_of(text, P000, figures)
    assert t["figures"] == [0]


def test_weak_marker_needs_a_figure_or_a_deadline():
    text = "中来光能董事长谢建军说，将快速推进一期后续4吉瓦及二期8吉瓦项目建设。"
    assert targets_of(text, None) == []
    figures = [fig(text, "4吉瓦", "quantity"), fig(text, "8吉瓦", "quantity")]
    (t,) = targets_of(text, None, figures)
    assert (t["modality"], t["figures"]) == ("将", [0, 1])
    assert t["text"] == "将快速推进一期后续4吉瓦及二期8吉瓦项目建设"


def test_a_deadline_in_the_past_is_no_target():
    text = "项目已于2021年底前竣工投产。到2025年，建成氢能装备产业园2个。"
    recs = targets_of(text, P002)
    assert [r["text"] for r in recs] == ["到2025年，建成氢能装备产业园2个"]


@pytest.mark.parametrize("bad", [None, "", 42])
def test_bad_input_gives_empty_result(bad):
    assert find_targets(bad, [], [], P000) == []
    assert find_targets("到2025年，建成产业园2个。", None, None, None) == []   # no dates given
    assert find_targets("力争建成产业园2个。", [{"start": "x"}], None, "2022") != []
    assert find_targets("到2025年，建成产业园2个。", [], [{"text": 1}, None], None) == []
    text = "太原西北二环高速年底前竣工。"
    (t,) = find_targets(text, [], find_dates(text, P003), dt.datetime(2022, 11, 30, 8))
    assert t["deadline_end"] == "2022-12-31"


# ------------------------------------------------------------------ end to end

def test_annotate_record_maps_target_offsets_back():
    raw = corpus_page("000").read_text(encoding="utf-8")
    out = annotate_record({"id": "000", "text": raw}, issue_date=P000, layers=["targets"])
    (t,) = [r for r in out["targets"] if r["text"].startswith("到2025年")]
    assert raw[t["start"]:t["start"] + 6] == "到2025年"
    assert raw[t["end"] - 8:t["end"]] == "进入全国第一方阵"
    (t,) = [r for r in out["targets"] if r["modality"] == "今年年底前"]
    assert raw[t["start"]:t["start"] + 6] == "于今年年底前"
    assert (t["deadline_start"], t["deadline_end"]) == (None, "2022-12-31")


def test_nlp_annotate_gives_targets():
    text = "打造具有太原特色的产业集群，年内省市专业镇新增投资30亿元以上，工业产值增速达到20%以上。"
    doc = nlp.annotate(text, issue_date=P004, layers=["targets"])
    (t,) = doc._.targets
    assert (t["modality"], t["deadline_end"]) == ("年内", "2024-12-31")
    assert [s.text for s in doc.spans["targets"]] == [t["text"]]


def test_end_to_end_links_the_four_clusters_figure():
    raw = corpus_page("000").read_text(encoding="utf-8")
    out = annotate_record({"id": "000", "text": raw}, issue_date=P000,
                          layers=["figures", "targets"])
    (t,) = [r for r in out["targets"] if r["text"].startswith("到2025年")]
    linked = [out["figures"][i] for i in t["figures"]]
    (four,) = [f for f in linked if "千亿级" in f["text"]]
    assert (four["kind"], four["count"]) == ("magnitude", 4)


def test_end_to_end_links_both_figures_of_the_year_target():
    text = "打造具有太原特色的产业集群，年内省市专业镇新增投资30亿元以上，工业产值增速达到20%以上。"
    out = annotate_record({"id": "x", "text": text, "issue_date": "2024-06-04"},
                          layers=["figures", "targets"])
    (t,) = out["targets"]
    linked = [out["figures"][i] for i in t["figures"]]
    assert [f["kind"] for f in linked] == ["money", "percent"]
    assert linked[0]["value"] == pytest.approx(3e9)


def test_end_to_end_page_002_target_figures():
    text = "加快燃料电池整车及装备的布局，至2025年建成氢能装备产业园2个，全产业链累计产值超100亿元。"
    out = annotate_record({"id": "x", "text": text}, layers=["figures", "targets"])
    (t,) = out["targets"]
    linked = [out["figures"][i] for i in t["figures"]]
    assert len(linked) == 2
    assert linked[1]["value"] == pytest.approx(1e10)


@pytest.mark.parametrize("issue", [dt.date(2022, 11, 18), dt.datetime(2022, 11, 18, 9, 30), "2022-11-18", None])
def test_targets_and_dates_read_an_issue_date_alike(issue):
    """The dates layer, the targets layer and the targets' ``inputs`` (what decides whether
    handed targets are taken) read an issue date the same way (``spec.issue_day``): a date or
    a datetime is its day, anything else no issue date."""
    from baozhi.layers.targets.targets import inputs

    text = "力争今年年底前建成投产。"
    dates = find_dates(text, issue)
    resolved = dates[0]["end_date"] is not None
    assert resolved == isinstance(issue, dt.date)
    assert (inputs([], dates, issue)[0] == "2022-11-18") == resolved
    got = find_targets(text, [], dates, issue)
    assert [t["deadline_end"] for t in got] == (["2022-12-31"] if resolved else [None])
