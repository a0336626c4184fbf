"""`baozhi show` (a table in the terminal, with filters) and `baozhi browse` (Datasette)."""
from __future__ import annotations

import csv
import io
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from baozhi.run import batch
from baozhi.apps.browse import datasette_command, prepare
from baozhi.apps.cli import main
from baozhi.run.export import write_tables
from baozhi.apps.show import Filters, cell, format_table, query, width

from conftest import CORPUS, ROOT

PAGES = sorted(p.name for p in CORPUS.glob("*.txt"))


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    """A run on three corpus pages, plus a few figure rows (the layers are not needed)."""
    tmp = tmp_path_factory.mktemp("show")
    src = tmp / "in"
    src.mkdir()
    shutil.copy(CORPUS / "metadata.toml", src)
    for name in PAGES[:3]:
        shutil.copy(CORPUS / name, src)
    out = tmp / "out"
    batch.run(src, out, workers=1, log=io.StringIO())
    tables = {t: [json.loads(l) for l in (out / f"{t}.jsonl").open(encoding="utf-8")]
              for t in ("articles", "entities", "figures", "dates", "targets", "errors")}
    a1, a2 = tables["articles"][0], tables["articles"][-1]
    tables["figures"] = [
        {"figure_id": f"{a1['article_id']}:f1", "article_id": a1["article_id"], "source": a1["source"],
         "issue_date": a1["issue_date"], "start": 0, "end": 5, "text": "24.7亿元", "kind": "money",
         "value": 2.47e9, "unit": "CNY", "approx": "exact"},
        {"figure_id": f"{a1['article_id']}:f2", "article_id": a1["article_id"], "source": a1["source"],
         "issue_date": a1["issue_date"], "start": 6, "end": 9, "text": "30%", "kind": "percent",
         "value": 30.0, "unit": "%", "approx": "about"},
        {"figure_id": f"{a2['article_id']}:f1", "article_id": a2["article_id"], "source": a2["source"],
         "issue_date": a2["issue_date"], "start": 0, "end": 3, "text": "5个", "kind": "count",
         "value": 5.0, "unit": "个", "approx": "exact"},
    ]
    write_tables(out, tables)
    return out


def show(out, *args) -> tuple[int, str, str]:
    proc = subprocess.run([sys.executable, "-m", "baozhi", "show", *args, "--out", str(out)],
                          capture_output=True, text=True, encoding="utf-8", cwd=ROOT)
    return proc.returncode, proc.stdout, proc.stderr


def test_show_prints_an_aligned_table_with_the_usual_columns(out):
    rc, stdout, stderr = show(out, "articles", "--limit", "4")
    assert rc == 0
    lines = stdout.splitlines()
    assert lines[0].split() == ["article_id", "issue_date", "page", "kind", "headline", "authors", "chars"]
    assert set(lines[1].replace(" ", "")) == {"-"} and len(lines) == 2 + 4
    # CJK headlines take two columns a character: the authors column starts at the same place
    col = width(lines[0][:lines[0].index("authors")])
    authors = [cell(r[0]) for r in query(out, "articles", None, ["authors"], 4)[1]]
    assert any(authors)
    for line, shown in zip(lines[2:], authors):
        if shown:
            assert width(line[:line.index(shown)]) == col
    assert "中部城市群锚定目标谋发展" in stdout and "何宝国" in stdout and '["' not in stdout
    assert stderr.strip().startswith("4 of ") and "--limit" in stderr


def test_show_filters_by_date_article_kind_text_and_columns(out):
    all_rows = query(out, "articles")[1]
    by_date = query(out, "articles", Filters(date="2022-11-18"))[1]
    assert 0 < len(by_date) < len(all_rows)
    assert query(out, "articles", Filters(date_from="2022-11-18", date_to="2022-11-18"))[1] == by_date
    assert query(out, "articles", Filters(date_to="1999-01-01"))[2] == 0

    cols, rows, total = query(out, "figures", Filters(kind="money"), ["text", "value", "unit"])
    assert (cols, rows, total) == (["text", "value", "unit"], [("24.7亿元", 2.47e9, "CNY")], 1)
    page_id = PAGES[0].rsplit(".", 1)[0]
    assert [r[0] for r in query(out, "figures", Filters(article=page_id), ["text"])[1]] == ["24.7亿元", "30%"]
    assert query(out, "figures", Filters(article=f"{page_id}:0"), ["text"])[2] == 0   # an id, not a prefix

    rc, stdout, _ = show(out, "articles", "--text", "司法厅", "--columns", "article_id,headline")
    assert rc == 0 and "省司法厅启动监督行动" in stdout and stdout.splitlines()[0].split() == ["article_id", "headline"]

    rc, stdout, _ = show(out, "figures", "--format", "csv", "--columns", "text,value,approx")
    assert list(csv.reader(io.StringIO(stdout))) == [
        ["text", "value", "approx"], ["24.7亿元", "2470000000.0", "exact"], ["30%", "30.0", "about"],
        ["5个", "5.0", "exact"]]
    rc, stdout, _ = show(out, "figure", "--format", "json", "--kind", "percent")
    assert [r["text"] for r in json.loads(stdout)] == ["30%"] and json.loads(stdout)[0]["unit"] == "%"
    rc, stdout, _ = show(out, "figures")
    assert "2470000000" in stdout and "2470000000.0" not in stdout


def test_show_says_clearly_what_is_wrong(out, tmp_path):
    assert show(out, "figures", "--label", "ORG")[0] == 2
    rc, _, err = show(out, "nosuch")
    assert rc == 2 and "tables are articles, entities" in err
    rc, _, err = show(out, "figures", "--columns", "text,nosuch")
    assert rc == 2 and "no column nosuch" in err
    rc, _, err = show(out, "figures", "--date", "18.11.2022")
    assert rc == 2 and "YYYY-MM-DD" in err
    rc, _, err = show(tmp_path, "figures")
    assert rc == 2 and "baozhi run" in err


def test_format_table_right_aligns_numbers_and_clips_long_cells():
    text = format_table(["name", "n"], [("山西省发展和改革委员会" * 5, 3), ("x", 1234)], cell_width=12)
    lines = text.splitlines()
    assert lines[2].startswith("山西省发展…") and lines[2].endswith("    3")
    assert lines[3].endswith("1234") and width(lines[2]) == width(lines[3])


def test_browse_builds_a_local_datasette_command(out):
    cmd = datasette_command(out, port=8123)
    assert cmd[:4] == [sys.executable, "-m", "datasette", "serve"]
    assert cmd[cmd.index("-i") + 1] == str(out / "baozhi.sqlite")
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1" and cmd[cmd.index("--port") + 1] == "8123"
    assert "--open" in datasette_command(out, open_browser=True)
    assert main(["browse", "--out", str(out / "nowhere")]) == 2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_browse_serves_the_tables(out):
    pytest.importorskip("datasette")
    port = _free_port()
    proc = subprocess.Popen(prepare(out, port), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline, data = time.monotonic() + 60, None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/baozhi.json", timeout=2) as r:
                    data = json.load(r)
                break
            except OSError:
                time.sleep(0.2)
        assert data is not None, proc.stderr.read() if proc.poll() is not None else "no answer"
        names = {t["name"] for t in data["tables"]}
        assert names >= {"articles", "entities", "figures", "dates", "targets", "errors"}
        url = f"http://127.0.0.1:{port}/baozhi/figures.json?kind=money&_shape=array"
        with urllib.request.urlopen(url, timeout=5) as r:
            assert [row["text"] for row in json.load(r)] == ["24.7亿元"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_the_series_views_metric_key_is_pythons():
    """The series view compares metrics in SQL by the same key as Python's ``metric_key``
    (one definition: the SQL is made from it)."""
    import sqlite3

    from baozhi.run.export import metric_key, metric_key_sql

    con = sqlite3.connect(":memory:")
    for text in ["工业 产值", "工业\u3000的产值\n", "出口\xa0总额\r\n", "\t的", "GDP增速", "a'b"]:
        got = con.execute(f"SELECT {metric_key_sql('?')}", (text,)).fetchone()[0]
        assert got == metric_key(text) and not set(got) & set(" \u3000\xa0\t\r\n的")
    assert con.execute(f"SELECT {metric_key_sql('?')}", (None,)).fetchone()[0] is None
