"""The outside contract: `baozhi run` tables and `baozhi annotate` JSONL."""
from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys

import pytest

from baozhi.apps.annotate import annotate_record
from baozhi.apps.cli import main
from baozhi.layers.registry import tables as _tables

TABLES = _tables()

from conftest import CORPUS, ROOT


@pytest.fixture(scope="module")
def corpus_run(corpus_out):
    return corpus_out              # the session's one run of the corpus


def test_run_writes_every_table_as_csv_jsonl_and_sqlite(corpus_run):
    for table in TABLES:
        assert (corpus_run / f"{table}.csv").read_bytes().startswith(b"\xef\xbb\xbf")
        assert (corpus_run / f"{table}.jsonl").exists()
    con = sqlite3.connect(corpus_run / "baozhi.sqlite")
    tables = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
    assert tables >= set(TABLES) | {"pages", "articles_fts"}
    n = con.execute("select count(*) from articles where source like '000_%'").fetchone()[0]
    assert 10 <= n <= 14


def test_article_rows_point_back_into_the_page_file(corpus_run):
    rows = [json.loads(l) for l in (corpus_run / "articles.jsonl").open(encoding="utf-8")]
    row = next(r for r in rows if r["headline"] == "省司法厅启动监督行动")
    assert row["authors"] == ["辛欣"]
    assert row["issue_date"] == "2022-11-18" and row["paper"] == "太原日报"
    page = (CORPUS / row["source"]).read_text(encoding="utf-8")
    assert page[row["start"]:row["end"]].startswith("省司法厅启动监督行动")
    assert page[row["start"]:row["end"]].endswith("(辛欣)")
    with (corpus_run / "articles.csv").open(encoding="utf-8-sig", newline="") as fh:
        csv_row = next(r for r in csv.DictReader(fh) if r["headline"] == "省司法厅启动监督行动")
    assert csv_row["authors"] == "辛欣" and csv_row["article_id"] == row["article_id"]


def test_every_layer_row_carries_its_article_and_offsets(corpus_run):
    arts = {json.loads(l)["article_id"] for l in (corpus_run / "articles.jsonl").open(encoding="utf-8")}
    for table in ("entities", "figures", "dates", "targets"):
        for line in (corpus_run / f"{table}.jsonl").open(encoding="utf-8"):
            row = json.loads(line)
            assert row["article_id"] in arts
            page = (CORPUS / row["source"]).read_text(encoding="utf-8")
            assert 0 <= row["start"] < row["end"] <= len(page)


def test_a_bad_page_becomes_an_error_row_and_the_run_goes_on(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text("## 标题\n\n本报讯 11月16日，省发改委公布规划。\n\n(周皓)", encoding="utf-8")
    (src / "bad.txt").write_bytes(bytes(range(128, 256)) * 10)
    out = tmp_path / "out"
    assert main(["run", str(src), "--out", str(out), "--workers", "1"]) == 1
    errors = [json.loads(l) for l in (out / "errors.jsonl").open(encoding="utf-8")]
    assert [(e["source"], e["stage"]) for e in errors] == [("bad.txt", "ingest")]
    assert "bad.txt" in errors[0]["error"]
    arts = [json.loads(l) for l in (out / "articles.jsonl").open(encoding="utf-8")]
    assert [a["headline"] for a in arts] == ["标题"]


def annotate(lines: list[str], *args: str, status: int = 0) -> list[dict]:
    proc = subprocess.run([sys.executable, "-m", "baozhi", "annotate", *args],
                          input="\n".join(lines) + "\n", capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT)
    assert proc.returncode == status, proc.stderr   # 1 when some line gave an error line
    return [json.loads(l) for l in proc.stdout.splitlines()]


def test_annotate_keeps_ids_order_and_reports_bad_lines():
    out = annotate([
        json.dumps({"id": "a", "text": "11月16日,省发改委公布规划。", "issue_date": "2022-11-18"}, ensure_ascii=False),
        "this is not json",
        json.dumps({"id": "c"}),
        json.dumps({"id": "d", "text": "今年年底前完成。"}, ensure_ascii=False),
    ], "--issue-date", "2021-05-01", "--home", "山西省太原市", status=1)
    assert [o.get("id") for o in out] == ["a", None, "c", "d"]
    assert out[0]["schema"] == 1 and out[0]["issue_date"] == "2022-11-18"
    assert out[3]["issue_date"] == "2021-05-01"
    assert set(out[0]) >= {"entities", "figures", "dates", "targets"}
    assert "not JSON" in out[1]["error"] and "text" in out[2]["error"]


def test_annotate_layers_flag_limits_the_output():
    out = annotate([json.dumps({"id": "x", "text": "总投资24.7亿元"}, ensure_ascii=False)],
                   "--layers", "figures")
    # a figure's subject_entity indexes the entities, so they come too (as figures with targets)
    assert set(out[0]) == {"id", "schema", "issue_date", "entities", "figures"}
    out = annotate([json.dumps({"id": "x", "text": "今年年底前完成。"}, ensure_ascii=False)],
                   "--layers", "dates")
    assert set(out[0]) == {"id", "schema", "issue_date", "dates"}


def test_annotate_rejects_a_bad_flag_clearly():
    proc = subprocess.run([sys.executable, "-m", "baozhi", "annotate", "--issue-date", "18/11/2022"],
                          input="", capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2 and "YYYY-MM-DD" in proc.stderr


def test_a_fault_in_a_layer_is_an_error_row_not_a_silent_empty_table(tmp_path, monkeypatch):
    import baozhi.layers.figures.figures

    def broken(text):
        raise RuntimeError("figures broke")
    monkeypatch.setattr(baozhi.layers.figures.figures, "_find", broken)
    src = tmp_path / "in"
    src.mkdir()
    (src / "p.txt").write_text("## 标题\n\n本报讯 总投资24.7亿元。\n\n(周皓)\n\n## 第二篇\n\n本报讯 省发改委公布。\n\n(辛欣)",
                               encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(src), "--out", str(out), "--workers", "1"]) == 1
    errors = [json.loads(l) for l in (out / "errors.jsonl").open(encoding="utf-8")]
    assert [(e["source"], e["stage"], e["line"]) for e in errors] == [("p.txt", "layers", 1), ("p.txt", "layers", 7)]
    assert all("figures broke" in e["error"] for e in errors)
    # the articles themselves are still there
    arts = [json.loads(l) for l in (out / "articles.jsonl").open(encoding="utf-8")]
    assert [a["headline"] for a in arts] == ["标题", "第二篇"]
    # and through annotate, the line says so
    line = annotate_record({"id": "a", "text": "24.7亿元"})
    assert line["id"] == "a" and "figures broke" in line["error"]


_POOL_PROBE = """
import os, sys, types
from baozhi.apps import cli
from baozhi.run import batch
def run(*a, **k):
    print(os.environ.get("ARROW_DEFAULT_MEMORY_POOL"), "pyarrow" in sys.modules)
    return types.SimpleNamespace(interrupted=False, counts={})
batch.run = run
sys.exit(cli.main(["run", sys.argv[1], "--out", sys.argv[2]]))
"""


@pytest.mark.parametrize("given", [None, "mimalloc", "jemalloc"])
def test_run_chooses_the_system_allocator_for_arrow_unless_the_user_did(tmp_path, given):
    """``baozhi run`` sets ARROW_DEFAULT_MEMORY_POOL=system (cli.ARROW_POOL) before pyarrow
    loads, and keeps the user's own choice."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    if given:
        env["ARROW_DEFAULT_MEMORY_POOL"] = given
    out = subprocess.run([sys.executable, "-c", _POOL_PROBE, str(tmp_path), str(tmp_path / "o")],
                         env=env, capture_output=True, text=True, check=True).stdout.split()
    assert out == [given or "system", "False"]
