"""``export.write_sqlite`` makes its schema itself (``table_sql``, ``index_sql``, ``_fts``, the
views) instead of through sqlite-utils, whose import pulls in pandas (~0.3 CPU-s of every run):
the database must stay the one sqlite-utils made — the same statements in ``sqlite_master``
(as ``iterdump`` shows them), the same rows, the same full-text index tables. Compared here
with the writer as it was (sqlite-utils' ``create``, ``create_index``, ``enable_fts``,
``create_view``) on the corpus's tables and on random column sets."""
from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from baozhi.run import export
from baozhi.layers import registry
from same_tables import sqlite_rows

sqlite_utils = pytest.importorskip("sqlite_utils")


def _with_sqlite_utils(path: Path, tables) -> None:
    """The SQLite writer as it was before it made its own statements (through sqlite-utils)."""
    tables = tables if isinstance(tables, export.Tables) else export.Tables.of(tables)
    con = sqlite3.connect(path)
    try:
        db = sqlite_utils.Database(con)
        with con:
            def insert(table, types, values, pk=None, foreign_keys=()):
                db[table].create(types, pk=pk, foreign_keys=list(foreign_keys) or None)
                db.conn.executemany(
                    f"INSERT INTO {export._q(table)} VALUES ({', '.join('?' for _ in types)})",
                    values)
            insert("pages", export.PAGES_COLUMNS,
                   export.sql_values(export.pages_rows(tables.get("articles", [])),
                                     list(export.PAGES_COLUMNS)), pk="source")
            for table in registry.tables():
                types, values = tables.sql(table)
                fks = [("source", "pages", "source")] if table == "articles" else \
                    [("article_id", "articles", "article_id")] if table in registry.names() else []
                insert(table, types, values, pk=export.primary_key(table), foreign_keys=fks)
                for key in export.INDEXED:
                    if key in types and key != export.primary_key(table):
                        db[table].create_index([key], index_name=f"idx_{table}_{key}")
            db["articles"].enable_fts(list(export.FTS_COLUMNS), tokenize="trigram")
            for name, sql in export.views().items():
                db.create_view(name, sql)
    finally:
        con.close()


def _schema(path: Path) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid"
                           ).fetchall()
    finally:
        con.close()


def _tables(rng: random.Random, n: int) -> dict[str, list[dict]]:
    """Random rows of every table: articles of a few pages, each layer's rows with random
    values of mixed types (None, ints, floats, strings, lists), and an extra column or two."""
    out: dict[str, list[dict]] = {}
    arts = []
    for i in range(n):
        page = f"1998010{i % 3}_0{i % 4}.txt"
        arts.append({c: None for c in export.fixed_columns("articles")} | {
            "article_id": f"{page[:-4]}:{i}", "source": page, "issue_date": "1998-01-0" + str(i % 3 + 1),
            "headline": rng.choice(["", "标题", None, "人民 日报"]) , "text": "文字" * rng.randint(0, 30),
            "start": rng.randint(0, 99), "chars": rng.randint(0, 900), "_sha256": "ab" * 4})
    out["articles"] = arts
    pool = [None, 0, 1, 2.5, -3, "x", "甲乙", ["a", "b"], True, "", "=1"]
    for layer in registry.LAYERS:
        cols = export.fixed_columns(layer.name)
        rows = []
        for j in range(rng.randint(0, n)):
            row = {c: rng.choice(pool) for c in cols}
            row[layer.id_field] = f"{layer.name}{j}"
            row["article_id"] = rng.choice(arts)["article_id"]
            if rng.random() < 0.2:
                row["extra col"] = rng.choice(pool)
            rows.append(row)
        out[layer.name] = rows
    out["errors"] = [{"source": "x.txt", "article_id": None, "stage": "read", "line": 3,
                      "error": "bad"}] if rng.random() < 0.5 else []
    return out


@pytest.mark.parametrize("seed", range(6))
def test_the_database_is_the_one_sqlite_utils_made(tmp_path, seed):
    tables = _tables(random.Random(seed), 5 + seed * 7)
    export.write_sqlite(tmp_path / "own.sqlite", tables)
    _with_sqlite_utils(tmp_path / "theirs.sqlite", tables)
    assert _schema(tmp_path / "own.sqlite") == _schema(tmp_path / "theirs.sqlite")
    assert sqlite_rows(tmp_path / "own.sqlite") == sqlite_rows(tmp_path / "theirs.sqlite")


def test_the_statements_are_sqlite_utils_own():
    """``table_sql`` against ``create_table_sql`` on random columns, primary keys (one not among
    the columns: added first as INTEGER, as sqlite-utils does), foreign keys and odd names."""
    rng = random.Random(7)
    names = ["a", "b c", 'q"uote', "start", "end", "甲", "x_id", "Text"]
    for _ in range(200):
        cols = rng.sample(names, rng.randint(1, len(names)))
        types = {c: rng.choice([int, float, str]) for c in cols}
        pk = rng.choice([None, rng.choice(cols), "rid"])
        db = sqlite_utils.Database(memory=True)
        db["other"].create({"k": str, "j": int}, pk="k")
        fks = [(c, "other", rng.choice(["k", "j"])) for c in cols if rng.random() < 0.3]
        want = db.create_table_sql("t", dict(types), pk=pk, foreign_keys=fks or None)
        db.execute(want)
        got = export.table_sql("t", types, pk=pk, foreign_keys=fks)
        assert got == want.rstrip()
        (stored,) = db.execute("SELECT sql FROM sqlite_master WHERE name = 't'").fetchone()
        con = sqlite3.connect(":memory:")
        con.execute(got)
        assert con.execute("SELECT sql FROM sqlite_master WHERE name = 't'").fetchone()[0] == stored
        db["t"].create_index([cols[0]], index_name=f"idx_t_{cols[0]}")
        con.execute(export.index_sql("t", cols[0]))
        index = "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        assert con.execute(index).fetchall() == db.execute(index).fetchall() != []


def test_a_foreign_key_on_a_missing_column_is_an_error():
    with pytest.raises(ValueError):
        export.table_sql("t", {"a": str}, foreign_keys=[("b", "other", "k")])
