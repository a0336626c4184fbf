"""What a user sees: the examples of the issues through `baozhi annotate` and in the tables
of `baozhi run` on the bundled corpus."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import CORPUS, ROOT


def annotate(records: list[dict], *flags: str) -> list[dict]:
    lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n"
    proc = subprocess.run([sys.executable, "-m", "baozhi", "annotate", *flags], input=lines,
                          capture_output=True, text=True, encoding="utf-8", cwd=ROOT, check=True)
    return [json.loads(l) for l in proc.stdout.splitlines()]


FIGURES = [
    # text, figure surface, expected fields
    ("总投资24.7亿元的项目", "24.7亿元", {"kind": "money", "value": 2.47e9, "unit": "CNY", "approx": "exact"}),
    ("中来光能年产16吉瓦高效单晶电池", "16吉瓦", {"kind": "quantity", "value": 1.6e10, "unit": "W"}),
    ("并达成近1500万元的合作意向", "近1500万元", {"kind": "money", "value": 1.5e7, "approx": "about"}),
    ("形成四大千亿级产业集群", "四大千亿级", {"kind": "magnitude", "magnitude": 1e11, "count": 4, "value": None}),
    ("打造双千亿级产业集群", "双千亿级", {"kind": "magnitude", "magnitude": 1e11, "count": 2}),
    ("增长32.6%", "32.6%", {"kind": "percent", "value": 32.6, "unit": "%"}),
    ("百分之三十二点六", "百分之三十二点六", {"kind": "percent", "value": 32.6}),
    ("21个人耗费3到4个小时", "3到4个小时", {"kind": "quantity", "low": 3, "high": 4, "unit": "h", "value": None}),
    ("人力减少了近九成", "近九成", {"kind": "percent", "value": 90, "approx": "about"}),
    ("新增投资30亿元以上", "30亿元以上", {"kind": "money", "value": 3e9, "approx": "at_least"}),
    ("累计产值超100亿元", "超100亿元", {"kind": "money", "value": 1e10, "approx": "over"}),
    ("每年可节省费用十余万元", "十余万元", {"kind": "money", "value": 1e5, "approx": "over"}),
    ("只需3个人，两个半小时左右", "两个半小时左右", {"value": 2.5, "unit": "h", "approx": "about"}),
    ("总用地面积2.58公顷", "2.58公顷", {"kind": "quantity", "value": 25800, "unit": "m2"}),
    ("年产热轧中厚板70万吨", "70万吨", {"kind": "quantity", "value": 7e5, "unit": "t"}),
]


NOT_FIGURES = ["第九届“大唐杯”", "“十四五”是太原", "阳泉市委“14510”总体思路", "“1+5+15”梯次发展格局",
               "在5G时代", "N95/KN95颗粒物防护口罩", "电话：13453172658", "拾起", "大陆", "肆意"]


@pytest.fixture(scope="module")
def annotated() -> dict[str, dict]:
    """Every text of this module through one `baozhi annotate` process, by id."""
    records = [{"id": f"f{i}", "text": t} for i, (t, _, _) in enumerate(FIGURES)]
    records += [{"id": f"n{i}", "text": t} for i, t in enumerate(NOT_FIGURES)]
    records += [{"id": f"d{i}", "text": t, "issue_date": "2022-11-18"} for i, (t, *_) in enumerate(DATES)]
    return {o["id"]: o for o in annotate(records, "--layers", "figures,dates")}


@pytest.mark.parametrize("i", range(len(FIGURES)), ids=[f[1] for f in FIGURES])
def test_figures_of_the_issue_through_annotate(annotated, i):
    text, surface, want = FIGURES[i]
    out = annotated[f"f{i}"]
    fig = next((f for f in out["figures"] if f["text"] == surface), None)
    assert fig is not None, out["figures"]
    assert text[fig["start"]:fig["end"]] == surface
    for key, value in want.items():
        assert fig[key] == pytest.approx(value) if isinstance(value, float) else fig[key] == value, key


@pytest.mark.parametrize("i", range(len(NOT_FIGURES)), ids=NOT_FIGURES)
def test_what_is_not_a_figure(annotated, i):
    assert annotated[f"n{i}"]["figures"] == []


DATES = [
    ("11月16日，省发改委公布", "11月16日", "2022-11-16", "2022-11-16"),
    ("专项规划（2022—2035年）", "2022—2035年", "2022-01-01", "2035-12-31"),
    ("于今年年底前，将针对", "今年年底前", None, "2022-12-31"),
    ("今明两年试点期内", "今明两年", "2022-01-01", "2023-12-31"),
    ("“十四五”是重要战略机遇期", "十四五", "2021-01-01", "2025-12-31"),
    ("2022年11月18日", "2022年11月18日", "2022-11-18", "2022-11-18"),
]


@pytest.mark.parametrize("i", range(len(DATES)), ids=[d[1] for d in DATES])
def test_dates_resolve_against_the_issue_date(annotated, i):
    text, surface, start, end = DATES[i]
    out = annotated[f"d{i}"]
    got = next(d for d in out["dates"] if surface in d["text"])
    assert (got["start_date"], got["end_date"]) == (start, end)


def test_relative_dates_without_an_issue_date_are_null_not_today():
    (out,) = annotate([{"id": "x", "text": "于今年年底前完成，11月16日启动"}], "--layers", "dates")
    assert out["issue_date"] is None
    assert all(d["start_date"] is None and d["end_date"] is None for d in out["dates"])
    assert {d["text"] for d in out["dates"]} >= {"今年年底前", "11月16日"}


def test_target_with_deadline_and_figures_through_annotate():
    text = "到2025年，新材料、高端装备制造、新能源、节能环保等领域形成四大千亿级产业集群。"
    (out,) = annotate([{"id": "t", "text": text, "issue_date": "2022-11-18"}], "--layers", "targets")
    (t,) = out["targets"]
    assert t["modality"] == "到"
    assert (t["deadline_start"], t["deadline_end"]) == ("2025-01-01", "2025-12-31")
    assert [out["figures"][i]["text"] for i in t["figures"]] == ["四大千亿级"]


@pytest.fixture(scope="module")
def tables(corpus_out):
    out = corpus_out
    return {t: [json.loads(l) for l in (out / f"{t}.jsonl").open(encoding="utf-8")]
            for t in ("articles", "figures", "dates", "targets", "entities")}


def test_corpus_figures_in_the_table_point_at_the_page(tables):
    page = (CORPUS / "002_28efd789d574a832.txt").read_text(encoding="utf-8")
    row = next(r for r in tables["figures"] if r["text"] == "24.7亿元")
    assert row["value"] == pytest.approx(2.47e9) and row["unit"] == "CNY"
    assert page[row["start"] - 3:row["end"]] == "总投资24.7亿元"


def test_corpus_targets_in_the_table(tables):
    by_text = {r["text"]: r for r in tables["targets"]}
    t = next(r for k, r in by_text.items() if k.startswith("至2025年建成氢能装备产业园2个"))
    assert t["modality"] == "至" and t["deadline_end"] == "2025-12-31"
    figs = {f["figure_id"]: f for f in tables["figures"]}
    assert {figs[i]["text"] for i in t["figures"]} >= {"2个", "超100亿元"}
    t = next(r for k, r in by_text.items() if k.startswith("年内省市专业镇新增投资30亿元以上"))
    assert t["modality"] == "年内"
    assert any(k.startswith("力争实现万亿级工业产值规模") and r["deadline_end"] is None
               for k, r in by_text.items())
    t = next(r for k, r in by_text.items() if k.startswith("到2025年"))
    assert "四大千亿级" in {figs[i]["text"] for i in t["figures"]}


def test_corpus_dates_in_the_table(tables):
    row = next(r for r in tables["dates"] if r["text"] == "今年年底前")
    assert (row["start_date"], row["end_date"]) == (None, "2022-12-31")
    assert row["issue_date"] == "2022-11-18"
