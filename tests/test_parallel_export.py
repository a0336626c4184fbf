"""Issue 12: with two workers the SQLite file is written by a forked process beside the
other tables, and each worker saves the pages it made; the files are the same."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from baozhi.run import batch, export
from same_tables import differences, sqlite_rows

ROWS = {
    "articles": [{"article_id": "p1#1", "source": "p1.txt", "issue_date": "1998-01-02",
                  "headline": "北京经济增长", "text": "北京市国内生产总值增长8.8%。", "start": 0, "end": 15}],
    "figures": [{"article_id": "p1#1", "source": "p1.txt", "start": 10, "end": 14, "text": "8.8%",
                 "value": 8.8, "unit": "%"}],
}

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")


@needs_fork
def test_two_cores_write_the_same_tables(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    # in a fresh process (no threads: in this one, other tests may have left some, and then
    # the SQLite file is written here, not by a forked process)
    code = """if True:
        import json, os, sys
        from pathlib import Path
        from baozhi.run import export
        rows, one, two = json.loads(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
        export.write_tables(one, rows, cores=1)
        real, pids = export.write_sqlite, []
        def write_sqlite(path, tables, staged=None):
            Path(str(two) + ".pid").write_text(str(os.getpid()))
            real(path, tables, staged)
        export.write_sqlite = write_sqlite
        export.write_tables(two, rows, cores=2)
        print(int(Path(str(two) + ".pid").read_text()) != os.getpid())
    """
    proc = subprocess.run([sys.executable, "-c", code, json.dumps(ROWS, ensure_ascii=False),
                           str(one), str(two)], capture_output=True, text=True)
    assert proc.stdout.strip() == "True", proc.stderr       # another process wrote it
    assert differences(one, two) == [] and (two / "figures.csv").is_file()
    assert any("8.8%" in line for line in sqlite_rows(two / export.DB_NAME))
    assert not [p for p in two.iterdir() if p.name.startswith(".")]      # no temporary file


@needs_fork
def test_the_hashes_made_while_writing_are_those_of_the_files_written(tmp_path):
    # the SQLite writer hashes its file in the forked process, this one the rest while it
    # waits: the same hashes, in the same order, as hashing the files once renamed
    code = """if True:
        import json, sys
        from pathlib import Path
        from baozhi.run import batch, export
        rows, out = json.loads(sys.argv[1]), Path(sys.argv[2])
        for cores in (1, 2, 2):
            hashes = {}
            export.write_tables(out / str(cores), rows, cores=cores, hashes=hashes)
            assert export.DB_NAME in hashes and export.PARQUET_DIR in hashes, hashes
            got = batch.file_hashes(out / str(cores), hashes)
            want = batch.file_hashes(out / str(cores))
            assert list(got.items()) == list(want.items()), (got, want)
            assert None not in want.values(), want
        print("ok")
    """
    proc = subprocess.run([sys.executable, "-c", code, json.dumps(ROWS, ensure_ascii=False),
                           str(tmp_path)], capture_output=True, text=True)
    assert proc.stdout.strip() == "ok", proc.stderr


@needs_fork
def test_a_failure_of_the_sqlite_writer_reaches_the_caller_and_leaves_no_file(tmp_path, monkeypatch):
    def full(path, tables, staged=None):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(export, "write_sqlite", full)       # the forked writer inherits it
    with pytest.raises(sqlite3.OperationalError, match="disk is full"):
        export.write_tables(tmp_path, ROWS, cores=2)
    assert list(tmp_path.iterdir()) == []                    # no table, no temporary file


@needs_fork
def test_a_failure_beside_the_sqlite_writer_removes_its_file_too(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device", "figures.csv")

    monkeypatch.setattr(export, "write_csv", broken)
    with pytest.raises(OSError, match="No space"):
        export.write_tables(tmp_path, ROWS, cores=2)
    assert list(tmp_path.iterdir()) == []


def test_pages_go_to_workers_largest_first(tmp_path):
    sizes = {"a.txt": 10, "b.txt": 300, "c.txt": 20, "d.txt": 300}
    todo = []
    for name, size in sizes.items():
        (tmp_path / name).write_text("字" * size, encoding="utf-8")
        todo.append((tmp_path / name, name))
    todo.append((tmp_path / "gone.txt", "gone.txt"))         # vanished since planned: last
    assert [s for _, s in batch._largest_first(todo)] == ["b.txt", "d.txt", "c.txt", "a.txt", "gone.txt"]


def test_pages_feeding_the_index_go_in_order_but_the_last_ones_largest_first(tmp_path):
    """With the full-text index built from the workers' rows (``FtsAhead``) the pages go in
    their order, so the index keeps up, but for the last 4 × workers pages, largest first."""
    todo = []
    for i in range(12):
        name = f"{i:02d}.txt"
        (tmp_path / name).write_text("字" * (100 + (37 * i) % 11), encoding="utf-8")
        todo.append((tmp_path / name, name))
    got = [s for _, s in batch._in_order(todo, 2)]
    assert got[:4] == ["00.txt", "01.txt", "02.txt", "03.txt"]
    assert got[4:] == [s for _, s in batch._largest_first(todo[4:])] != sorted(got[4:])
    assert [s for _, s in batch._in_order(todo[:3], 2)] == [s for _, s in batch._largest_first(todo[:3])]


def test_tables_fed_page_by_page_in_any_order_are_the_tables_written_at_once(tmp_path):
    """Rows written as pages finish (export.Tables): pages come in any order, one brings a
    field no page before had (a figure's ``per``), one has a boolean and a list, one no rows;
    the files are byte for byte those written from all the rows at once."""
    def page(i: int, extra: dict | None = None) -> dict:
        aid = f"p{i}:01"
        fig = {"article_id": aid, "source": f"p{i}.txt", "start": 3, "end": 7, "text": f"{i}.5%",
               "value": i + 0.5 if i % 2 else i, "unit": "%", **(extra or {})}
        return {"articles": [{"article_id": aid, "source": f"p{i}.txt", "issue_date": "1998-01-02",
                              "headline": f"第{i}条", "text": "=1+2 北京", "start": 0, "end": 9,
                              "_sha256": "ab"}],
                "figures": [fig]}
    pages = [page(0), page(1, {"per": "人"}), page(2, {"approx": True, "flags": ["a", "b"]}),
             {}, page(4)]
    whole = {t: [r for p in pages for r in p.get(t, [])] for t in export.tables()}
    export.write_tables(tmp_path / "once", whole)
    fed = export.Tables(spool=tmp_path)
    for i in (4, 2, 0, 3, 1):
        fed.add(i, pages[i])
    export.write_tables(tmp_path / "fed", fed, cores=1)
    assert fed.spooled("figures", ".csv") and fed.spooled("entities", ".jsonl")   # from the spool
    assert not export.Tables(spool=None).spooled("figures", ".csv")
    fed.close()
    assert differences(tmp_path / "once", tmp_path / "fed") == []
    assert "per" in (tmp_path / "fed" / "figures.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]   # the spool: unlinked
