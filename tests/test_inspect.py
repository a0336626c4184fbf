"""Inspecting the tables: SQLite as a real database (types, keys, FTS, views), pandas with the
right dtypes, CSV cells that spreadsheets cannot run, `show` validating what it is given and
printing no control characters, each subcommand's own usage, `browse` ending when killed."""
from __future__ import annotations

import csv
import io
import json
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request

import pytest

import baozhi
from baozhi.layers import registry
from baozhi.run.export import write_tables

from conftest import ROOT


def _db(out) -> sqlite3.Connection:
    return sqlite3.connect(out / "baozhi.sqlite")


def test_sqlite_declares_types_primary_and_foreign_keys(corpus_out):
    con = _db(corpus_out)
    info = {t: {r[1]: (r[2], r[5]) for r in con.execute(f"PRAGMA table_info({t})")}
            for t in ("pages", *registry.tables())}
    assert info["figures"]["value"] == ("REAL", 0) and info["figures"]["start"] == ("INTEGER", 0)
    assert info["figures"]["count"][0] == "INTEGER" and info["entities"]["adcode"][0] == "TEXT"
    assert info["articles"]["issue_date"][0] == "TEXT" and info["articles"]["chars"][0] == "INTEGER"
    # a primary key on each table's id
    assert info["pages"]["source"] == ("TEXT", 1) and info["articles"]["article_id"] == ("TEXT", 1)
    for name in registry.names():
        assert info[name][registry.get(name).id_field] == ("TEXT", 1)
    # foreign keys: every layer table -> articles -> pages; and none broken
    fks = {t: [(r[2], r[3], r[4]) for r in con.execute(f"PRAGMA foreign_key_list({t})")]
           for t in registry.tables()}
    assert fks["articles"] == [("pages", "source", "source")]
    for name in registry.names():
        assert fks[name] == [("articles", "article_id", "article_id")]
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    # dates are ISO text, numbers are numbers
    assert con.execute("select typeof(value), typeof(start) from figures where text='24.7亿元'").fetchone() == \
        ("real", "integer")
    # what show filters by is indexed
    indexed = {r[1] for r in con.execute("PRAGMA index_list(figures)")}
    assert {"idx_figures_kind", "idx_figures_issue_date", "idx_figures_article_id"} <= indexed
    pages = con.execute("select source, issue_date, issue_date_origin, length(sha256), articles "
                        "from pages order by source").fetchall()
    assert len(pages) == 5 and pages[0][1:] == ("2022-11-18", "metadata", 64, 12)
    assert sum(p[4] for p in pages) == con.execute("select count(*) from articles").fetchone()[0]


def test_full_text_search_finds_articles_by_a_chinese_word(corpus_out):
    con = _db(corpus_out)
    hits = con.execute("select a.article_id, a.headline from articles_fts "
                       "join articles a on a.rowid = articles_fts.rowid "
                       "where articles_fts match ? order by rank", ["专业镇"]).fetchall()
    like = {r[0] for r in con.execute("select article_id from articles "
                                      "where text like '%专业镇%' or headline like '%专业镇%'")}
    assert like and {h[0] for h in hits} == like
    assert "集群成势绘新篇" in {h[1] for h in hits}
    assert con.execute("select count(*) from articles_fts where articles_fts match '不存在的词语'"
                       ).fetchone()[0] == 0


def test_views_join_each_layer_to_its_article_and_entities_to_their_names(corpus_out):
    con = _db(corpus_out)
    con.row_factory = sqlite3.Row
    row = con.execute("select * from figures_in_articles where text = '24.7亿元'").fetchone()
    assert row["headline"] and row["value"] == pytest.approx(2.47e9)
    for name in registry.names():
        assert con.execute(f"select count(*) from {name}_in_articles").fetchone()[0] == \
            con.execute(f"select count(*) from {name}").fetchone()[0]
    top = con.execute("select * from entity_names order by mentions desc limit 1").fetchone()
    assert (top["name"], top["label"], top["adcode"]) == ("太原市", "LOC", "140100")
    assert "太原" in top["surfaces"].split(",") and top["articles"] > 1


def test_read_tables_gives_the_right_dtypes(corpus_out):
    import pandas as pd

    t = baozhi.read_tables(corpus_out)
    assert set(t) == set(registry.tables())
    ent, fig, art, tgt, dat = t["entities"], t["figures"], t["articles"], t["targets"], t["dates"]
    taiyuan = ent[ent.canonical == "太原市"].iloc[0]
    assert taiyuan.adcode == "140100" and taiyuan.region_adcode == "140100"
    assert ent.adcode.dtype == object and {type(v) for v in ent.adcode.dropna()} == {str}
    for df, col in ((art, "issue_date"), (fig, "issue_date"), (dat, "start_date"),
                    (tgt, "deadline_end")):
        assert pd.api.types.is_datetime64_dtype(df[col]), col
    assert art.issue_date.isna().sum() > 0        # pages with no issue date: NaT, not a string
    assert isinstance(art.authors.iloc[0], list) and isinstance(tgt.figures.iloc[0], list)
    assert isinstance(ent.parents.dropna().iloc[0], list)
    assert fig.value.dtype == "float64" and fig.start.dtype == "int64"
    assert str(fig["count"].dtype) == "Int64"
    assert len(t["errors"]) == 0 and list(t["errors"].columns)[:2] == ["source", "article_id"]
    with pytest.raises(Exception, match="baozhi run"):
        baozhi.read_tables(corpus_out / "nowhere")


def _tiny(tmp_path, headline: str, text: str = "正文"):
    art = {"article_id": "p:01", "source": "p.txt", "issue_date": None, "paper": None,
           "kind": "article", "headline": headline, "authors": ["=1+1"], "start": 0,
           "end": len(text), "chars": len(text), "text": text}
    fig = {"figure_id": "p:01:f1", "article_id": "p:01", "source": "p.txt", "issue_date": None,
           "start": 0, "end": 2, "text": "-5", "kind": "money", "value": -5.0, "unit": "CNY"}
    out = tmp_path / "out"
    write_tables(out, {"articles": [art], "figures": [fig]})
    return out


@pytest.mark.parametrize("headline, safe", [
    ("=HYPERLINK(\"http://x\",\"点我\")", "'=HYPERLINK(\"http://x\",\"点我\")"),
    ("+86 351 1234", "'+86 351 1234"), ("-结束-", "'-结束-"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("-5", "-5"), ("+3.5%", "+3.5%"), ("普通标题", "普通标题")])
def test_csv_cells_a_spreadsheet_would_run_get_an_apostrophe(tmp_path, headline, safe):
    out = _tiny(tmp_path, headline)
    with (out / "articles.csv").open(encoding="utf-8-sig", newline="") as fh:
        row = next(csv.DictReader(fh))
    assert row["headline"] == safe and row["authors"] == "'=1+1"
    with (out / "figures.csv").open(encoding="utf-8-sig", newline="") as fh:
        assert next(csv.DictReader(fh))["text"] == "-5"
    # JSONL and SQLite keep the true text
    assert json.loads((out / "articles.jsonl").read_text(encoding="utf-8"))["headline"] == headline
    assert _db(out).execute("select headline from articles").fetchone()[0] == headline


def _baozhi(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "baozhi", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT)


def test_show_checks_filter_values_against_the_registry(tmp_path):
    out = _tiny(tmp_path, "标题")
    proc = _baozhi("show", "figures", "--kind", "moneyy", "--out", str(out))
    assert proc.returncode == 2 and proc.stdout == ""
    assert "--kind 'moneyy'" in proc.stderr and "money, percent, quantity, count, magnitude" in proc.stderr
    proc = _baozhi("show", "entities", "--label", "org", "--out", str(out))
    assert proc.returncode == 2 and "ORG, LOC, PER" in proc.stderr
    proc = _baozhi("show", "articles", "--kind", "photo", "--out", str(out))
    assert proc.returncode == 0 and "0 of 0 rows" in proc.stderr
    proc = _baozhi("show", "figures", "--kind", "money", "--out", str(out))
    assert proc.returncode == 0 and "1 of 1 rows" in proc.stderr


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "jsonl"])
def test_show_prints_no_terminal_escape_sequences(tmp_path, fmt):
    evil = "标题\x1b]0;owned\x07\x1b[2J\x9b31m红"
    out = _tiny(tmp_path, evil, text="正文\x1b[31m红")
    proc = _baozhi("show", "articles", "--columns", "headline,text", "--format", fmt, "--out", str(out))
    assert proc.returncode == 0
    assert not any(ch in proc.stdout for ch in "\x1b\x07\x9b"), repr(proc.stdout)
    assert "标题" in proc.stdout and "红" in proc.stdout
    if fmt in ("json", "jsonl"):     # JSON keeps the true text, escaped
        row = json.loads(proc.stdout)[0] if fmt == "json" else json.loads(proc.stdout)
        assert row["headline"] == evil


def test_a_wrong_flag_prints_the_subcommands_own_usage(corpus_out):
    proc = _baozhi("run", "corpus", "--wrong")
    assert proc.returncode == 2
    assert proc.stderr.startswith("usage: baozhi run ") and "unrecognized arguments: --wrong" in proc.stderr
    proc = _baozhi("show", "figures", "--nope", "--out", str(corpus_out))
    assert proc.returncode == 2 and proc.stderr.startswith("usage: baozhi show ")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(port: int) -> dict | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/baozhi.json", timeout=2) as r:
            return json.load(r)
    except OSError:
        return None


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_killing_browse_by_its_pid_stops_datasette(corpus_out, sig):
    pytest.importorskip("datasette")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "baozhi", "browse", "--out", str(corpus_out),
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            cwd=ROOT)
    try:
        deadline, data = time.monotonic() + 60, None
        while time.monotonic() < deadline and proc.poll() is None and data is None:
            data = _answers(port)
            time.sleep(0.2)
        assert data is not None, proc.stderr.read() if proc.poll() is not None else "no answer"
        tables = {t["name"]: t for t in data["tables"]}
        assert tables["articles"]["fts_table"] == "articles_fts"     # Datasette's search box
        proc.send_signal(sig)
        proc.wait(timeout=20)
        assert _answers(port) is None          # nothing left serving on the port
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_date_filter_says_how_many_rows_it_leaves_out_for_want_of_an_issue_date(corpus_out):
    money = _baozhi("show", "figures", "--kind", "money", "--out", str(corpus_out), "--format", "jsonl")
    rows = [json.loads(l) for l in money.stdout.splitlines()]
    undated = sum(1 for r in rows if r["issue_date"] is None)
    assert undated > 0
    proc = _baozhi("show", "figures", "--kind", "money", "--from", "2022-11-01", "--out", str(corpus_out))
    assert proc.returncode == 0
    assert f"{undated} more rows come from pages with no issue date" in proc.stderr
    assert "metadata.toml" in proc.stderr
    assert "no issue date" not in _baozhi("show", "figures", "--kind", "money", "--out", str(corpus_out)).stderr


def test_datasette_metadata_describes_the_pages_table_and_the_views(corpus_out):
    from baozhi.apps.browse import metadata

    tables = metadata(corpus_out)["databases"]["baozhi"]["tables"]
    con = _db(corpus_out)
    views = {r[0] for r in con.execute("select name from sqlite_master where type = 'view'")}
    assert views and views <= set(tables) and "sha256" in tables["pages"]["description"]
    assert set(registry.tables()) <= set(tables)
