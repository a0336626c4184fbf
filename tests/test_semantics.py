"""What each figure measures (layers/figures/semantics.py): the new figure fields in every
output, the series view, `show series`, the report's series charts, and the hand-labelled
evaluation (scripts/eval_semantics.py, docs/FIGURE_SEMANTICS.md) on the corpus pages."""
from __future__ import annotations

import csv
import json
import sqlite3

import pyarrow.dataset as ds
import pytest

from baozhi.apps.annotate import annotate_record
from baozhi.apps.cli import main
from baozhi.layers import registry
from baozhi.run.export import SERIES_ORDER, order_by
from conftest import ROOT

NEW = ("metric", "subject", "subject_entity", "period_text", "period_start", "period_end",
       "status", "change", "basis")


def _figures(out):
    return [json.loads(line) for line in (out / "figures.jsonl").open(encoding="utf-8")]


def test_every_output_carries_what_a_figure_measures(corpus_out):
    assert set(NEW) <= set(registry.get("figures").fields)
    with (corpus_out / "figures.csv").open(encoding="utf-8-sig") as fh:
        assert set(NEW) <= set(next(csv.reader(fh)))
    con = sqlite3.connect(corpus_out / "baozhi.sqlite")
    assert set(NEW) <= {r[1] for r in con.execute("PRAGMA table_info(figures)")}
    assert set(NEW) <= set(ds.dataset(corpus_out / "parquet" / "figures", partitioning="hive").schema.names)
    rows = {r["text"]: r for r in _figures(corpus_out)}
    # 总投资24.7亿元的大钢中厚板生产线…预计10月底建设完毕
    big = rows["24.7亿元"]
    assert big["metric"] == "总投资" and "大钢中厚板生产线" in big["subject"]
    # 年内省市专业镇新增投资30亿元以上，工业产值增速达到20%以上
    rate = next(r for r in _figures(corpus_out) if r["text"] == "20%以上" and r["period_text"] == "年内")
    assert (rate["metric"], rate["status"], rate["change"]) == ("工业产值增速", "target", "increase")
    # a rule: 每周集中训练不少于2小时
    assert rows["不少于2小时"]["status"] == "rule"
    # a subject that is an entity names its row: its canonical name and adcode join
    ents = {json.loads(l)["entity_id"] for l in (corpus_out / "entities.jsonl").open(encoding="utf-8")}
    linked = [r["subject_entity"] for r in _figures(corpus_out) if r["subject_entity"]]
    assert linked and set(linked) <= ents


def test_status_agrees_with_the_targets_table(corpus_out):
    named = {f for l in (corpus_out / "targets.jsonl").open(encoding="utf-8")
             for f in json.loads(l)["figures"]}
    status = {r["figure_id"]: r["status"] for r in _figures(corpus_out)}
    assert named and all(status[f] == "target" for f in named)
    assert set(status.values()) <= {"actual", "target", "rule", "other"}


def test_annotate_gives_the_fields_and_the_subject_entity_indexes_the_entities():
    line = annotate_record({"id": "a", "text": "今年，太原市工业产值同比增长8.5%。该市新建公园30个。"},
                           layers=["figures"])
    assert set(line) >= {"figures", "entities"}
    pct, parks = line["figures"]
    assert (pct["metric"], pct["change"], pct["basis"], pct["period_text"]) == ("工业产值", "increase", "同比", "今年")
    assert line["entities"][pct["subject_entity"]]["text"] == "太原市"
    assert parks["subject"] == "太原市"          # 该市: the sentence before's subject


def test_show_series_prints_a_subjects_metric_in_period_order(corpus_out, capsys):
    con = sqlite3.connect(corpus_out / "baozhi.sqlite")
    rows = con.execute("SELECT series_subject, series_metric, unit, period, points FROM series "
                       + order_by("series")).fetchall()
    assert rows and any(r[4] >= 2 for r in rows)
    subject, metric = next((r[0], r[1]) for r in rows if r[4] >= 2)
    assert main(["show", "series", "--out", str(corpus_out), "--subject", subject[:2],
                 "--metric", metric]) == 0
    out = capsys.readouterr().out
    assert "series_metric" in out.splitlines()[0] and metric in out and subject in out
    assert len(out.splitlines()) >= 4           # header, dashes, two points
    keys = [r[:3] for r in rows]
    assert keys == sorted(keys, key=lambda k: tuple(str(x) for x in k))   # grouped
    # `show series` gives the rows in that order too (an ORDER BY of its own)
    assert main(["show", "series", "--out", str(corpus_out), "--format", "jsonl",
                 "--columns", "series_subject,series_metric,unit,period,figure_id"]) == 0
    shown = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    order = [tuple(str(r[c]) for c in SERIES_ORDER) for r in shown]
    assert len(shown) == len(rows) and order == sorted(order)
    assert main(["show", "series", "--out", str(corpus_out), "--subject", "140100", "--limit", "3"]) == 0
    assert "140100" in capsys.readouterr().out


def test_the_report_draws_a_chart_per_series_of_two_points(corpus_out, tmp_path):
    html = tmp_path / "r.html"
    assert main(["report", "--out", str(corpus_out), "--html", str(html)]) == 0
    text = html.read_text(encoding="utf-8")
    series = text.split("<h2>Series</h2>", 1)[1].split("<h2>", 1)[0]
    assert series.count("<polyline") >= 2 and "<circle" in series
    assert "http://" not in series.replace("http://www.w3.org/2000/svg", "")


def test_the_hand_labels_of_the_corpus_pages_score_at_their_thresholds(corpus_out):
    from eval_semantics import LABELS, read_labels, score

    got = score(read_labels(LABELS / "corpus.tsv"), out_dir=corpus_out)
    # measured when this test was written, raised in session 5 to just under subject 0.70 and
    # status 0.95 (docs/FIGURE_SEMANTICS.md): a drop is a regression. Subject re-measured at 0.51
    # when a second labeller's agreement corrected 10 subject cells of corpus.tsv (events own the
    # counts of those taking part, antecedents resolved; the rules unchanged); raised to just under
    # 0.62 in session 7 (organised_event gives an organised event what happens at it)
    floor = {"metric": 0.78, "subject": 0.60, "period": 0.90, "status": 0.92, "change": 0.9}
    assert all(got[f] >= v for f, v in floor.items()), got


@pytest.mark.parametrize("name, floor", [
    ("pd1998.tsv", {"metric": 0.63, "subject": 0.49, "period": 0.64, "status": 0.83}),
    ("modern.tsv", {"metric": 0.77, "subject": 0.43, "period": 0.72, "status": 0.71}),
])
def test_the_second_held_out_set_keeps_its_scores(name, floor):
    """The labels no rule was written on (docs/FIGURE_SEMANTICS.md, held out 2): floors just
    under where session 5 ended, so that a rule which helps the tuned labels but costs the
    unseen ones shows up. Far under the issue's goals: the goals are not met there."""
    from eval_semantics import HELDOUT2, excerpt, page_dir, read_labels, score

    labels = read_labels(HELDOUT2 / name)
    if any((excerpt(r["source"]) if "#" in r["source"] else page_dir(r["source"])) is None
           for r in labels):
        pytest.skip("the pages of this label file are absent (../shared/pd1998)")
    got = score(labels)
    assert all(got[f] >= v for f, v in floor.items()), got


def test_a_series_chart_draws_only_points_with_a_height():
    """Open bounds (低于5%: a low or a high alone) are not drawn, so a series with two of them
    and no value gets no chart (it crashed on min() of nothing); a range is drawn at its middle."""
    from baozhi.apps.report import series_charts

    def row(subject, value=None, low=None, high=None, period="2024-01-01"):
        return {"series_subject": subject, "series_metric": "产值", "unit": "CNY", "value": value,
                "low": low, "high": high, "period": period, "text": "x", "status": "actual",
                "figure_id": "f"}

    charts = series_charts([row("甲", low=5.0), row("甲", low=6.0),
                            row("乙", value=2.0), row("乙", low=4.0, high=8.0, period="2025-01-01")])
    assert [c["title"] for c in charts] == ["乙 · 产值 (CNY)"]
    ys = [d["y"] for d in charts[0]["dots"]]
    assert len(ys) == 2 and ys[0] > ys[1]          # 2 below the range's middle, 6


def test_each_vocabulary_is_read_from_its_one_place():
    """The figures' semantics keep no marks or words of their own that another rules file
    holds: sentence and clause marks are bounds.yaml's, change words figures.yaml's, the
    targets' marker words are plan words; the metric rules it names are metric rules."""
    from baozhi.layers.figures import semantics as sem
    from baozhi.resources import ruleset

    own = ruleset.load(sem.RULES_FILE)
    assert not {"sentence_end", "clause_end", "change_words", "plan_cues"} & set(own)
    assert "sentence_end" not in ruleset.load(sem.TARGETS_FILE)
    cfg = sem._cfg()
    for kind, words in ruleset.load(sem.FIGURES_FILE)["change_words"].items():
        assert all(cfg["change_re"].fullmatch(w).lastgroup == kind for w in words)
    assert all(cfg["plan_cues"].fullmatch(m["modality"]) for m in ruleset.load(sem.TARGETS_FILE)["markers"])
    assert set(cfg["metric_found_before"]) <= {r.__name__ for r in sem.METRIC_RULES}


def test_a_semicolon_ends_a_targets_sentence_not_a_figures():
    """；(bounds.yaml's half_end) ends the sentence a target runs to, but what opens the
    sentence still dates the figures after it."""
    out = annotate_record({"id": "a", "text": "今年，全市力争新建学校3所；去年新建学校5所。1997年，出口增长10%；进口下降5%。",
                           "issue_date": "2022-11-18"}, layers=["figures", "targets"])
    assert [t["text"] for t in out["targets"]] == ["今年，全市力争新建学校3所"]
    assert [(f["text"], f["period_text"]) for f in out["figures"]][2:] == [("10%", "1997年"),
                                                                            ("5%", "1997年")]


def test_pending_subjects_are_the_ones_an_eager_pass_finds(monkeypatch):
    # the subject of a sentence a figure passes over is found on its first read (_Subjects);
    # found at once for every passed sentence, every figure's fields are the same
    from baozhi.layers.figures import semantics
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))[:2])
    lazy = annotate_record({"id": "a", "text": text}, layers=["figures"])["figures"]
    waited = []

    def eager(self, k, s, e):
        waited.append(k)
        self.pending[k] = (s, e)
        self.get(k)

    monkeypatch.setattr(semantics._Subjects, "wait", eager)
    assert annotate_record({"id": "a", "text": text}, layers=["figures"])["figures"] == lazy
    assert len(waited) > 5 and sum(f["subject"] is not None for f in lazy) > 20


def test_measure_not_owner_keeps_an_extracted_entity():
    """An owner ending with a measure word is dropped unless it is an extracted entity (an
    index company's name, 中证指数, found by the entity layer, owns what it publishes)."""
    from types import SimpleNamespace
    from baozhi.layers.figures import semantics
    t = SimpleNamespace(cfg=semantics._cfg())
    assert "指数" in t.cfg["measure_heads"]
    assert semantics.measure_not_owner(t, None, (0, 4, "中证指数", 0))          # an entity: kept
    assert not semantics.measure_not_owner(t, None, (0, 4, "中证指数", None))   # no entity: dropped
    assert semantics.measure_not_owner(t, None, (0, 4, "太钢集团", None))       # no measure: kept
