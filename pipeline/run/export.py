"""Stage 7 — export: rows to CSV (UTF-8 with BOM, for Excel), JSONL and one SQLite file.

Entry point: ``write_tables(out_dir, tables)``. Column order is fixed per table (the
contract's fields first); lists are JSON arrays in JSONL and SQLite and ``; ``-joined in
CSV. Every file is written to a temporary name and renamed into place, so a reader never
sees a half-written table.

CSV only: a text cell that Excel or LibreOffice would run as a formula (one beginning with
``=``, ``@``, a tab or a carriage return, or with ``+``/``-`` and not a number) is written
with a leading apostrophe ``'`` (the OWASP "CSV injection" mitigation); JSONL and SQLite
keep the true text.

The SQLite file is a real database (``write_sqlite``, sqlite-utils' schema): declared column
types, a primary key on each table's id, foreign keys from every layer table to
``articles`` and from ``articles`` to ``pages``, indexes on the columns ``baozhi show``
filters by, an FTS5 index (trigram tokenizer, so it works for Chinese) over article
headlines and text, and views joining each layer to its article.

Parquet (``write_parquet``, through pyarrow): every table also as a hive-partitioned dataset
``parquet/<table>/issue_year=Y/issue_month=M/part-0.parquet`` (a row with no issue date, and an
error row whose page has none, under ``issue_year=__HIVE_DEFAULT_PARTITION__``, which
pyarrow, DuckDB and Spark read as null). Columns are typed: ids, adcodes and other text as
string, dates as date32, counts and offsets as int64, amounts as float64, flags as bool, lists
as list<string> (a dict as its JSON text). The dataset is written in a temporary folder and
swapped in with the other tables.
"""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import hashlib
import io
import itertools
import json
import operator
import os
import re
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

from baozhi.layers import registry
from baozhi.resources.atomic import replacing, umask_mode

# the tables that are no layer; a layer's columns come from the registry
PAGE_COLUMNS = {
    "articles": ["article_id", "source", "issue_date", "issue_date_origin", "paper", "page", "seq",
                 "kind", "headline", "kicker", "subheading", "dateline", "authors",
                 "continued_from", "start", "end", "chars", "text"],
    "errors": ["source", "article_id", "stage", "line", "error"],
}
DB_NAME = "baozhi.sqlite"
PARQUET_DIR = "parquet"


def tables() -> tuple[str, ...]:
    """Every table, in the order they are written: articles, the layers, errors."""
    return registry.tables()


def fixed_columns(table: str) -> list[str]:
    if table in PAGE_COLUMNS:
        return list(PAGE_COLUMNS[table])
    return registry.columns(registry.get(table))


def columns(table: str, rows: Iterable[dict]) -> list[str]:
    """The table's fixed columns, then any extra fields in order of first appearance (not
    the private ``_`` ones)."""
    cols = fixed_columns(table)
    have = set(cols)
    for row in rows:
        extra = row.keys() - have
        if extra:
            for k in row:
                if k in extra and not k.startswith("_"):
                    cols.append(k)
                    have.add(k)
            have |= extra      # "_" fields: not columns, not looked at again
    return cols


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")


# The first characters that make a spreadsheet read a cell as a formula: always, and unless
# the cell is a plain number. ``formula_safe`` and the column-wise CSV path (``_csv_column``,
# which calls it only on a column where some string starts with one of ``_RISKY``) both read
# them from here: a character added here is seen by both.
_FORMULA_FIRST = ("=", "@", "\t", "\r")
_SIGNED = ("+", "-")
_RISKY = _FORMULA_FIRST + _SIGNED


def formula_safe(text: str) -> str:
    """``text`` as a spreadsheet will not run it: a leading apostrophe before a cell that
    begins with one of ``_FORMULA_FIRST`` (``=``, ``@``, tab or CR), or with one of ``_SIGNED``
    (``+``/``-``) and is not a plain number (``-5``, ``+3.2%`` stay as they are). CSV only."""
    if text[:1] in _FORMULA_FIRST or (text[:1] in _SIGNED and not _NUMBER.fullmatch(text)):
        return "'" + text
    return text


def _cell(value):
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False)
    return formula_safe(value) if isinstance(value, str) else value


def _sql(value):
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value


# Rows as each format writes them under the columns ``cols``: the one encoding of a row, for
# whole tables (write_csv, write_jsonl, write_sqlite) and for the pages a ``Tables`` spools.
# A column at a time: its values' types seen in one pass in C, and a column of plain values
# (numbers; strings no spreadsheet would run) taken as it is, not a call per cell
# (tests/test_export_fast.py compares them with the cell-by-cell encodings).
_NONE = type(None)


def _csv_column(values: list) -> list:
    """The CSV cells of a column: ``"" if v is None else _cell(v)`` of each value."""
    types = set(map(type, values))
    if types <= {str, int, float, bool, _NONE}:
        if _NONE in types:
            values = ["" if v is None else v for v in values]
        if str in types and any(map(str.startswith, filter(str.__instancecheck__, values),
                                    itertools.repeat(_RISKY))):
            values = [formula_safe(v) if type(v) is str else v for v in values]
        return values
    return ["" if v is None else _cell(v) for v in values]


def _sql_column(values: list) -> list:
    """``_sql`` of each of a column's values."""
    if set(map(type, values)) <= {str, int, float, _NONE}:
        return values
    return list(map(_sql, values))


def csv_lines(rows: Iterable[dict], cols: list[str], values: list[list] | None = None) -> str:
    """``values``: the rows' values of each of ``cols`` (``_column``), when made already."""
    rows = rows if isinstance(rows, list) else list(rows)
    buf = io.StringIO()
    if cols:
        values = values if values is not None else [_column(rows, c) for c in cols]
        csv.writer(buf).writerows(zip(*map(_csv_column, values)))
    else:
        csv.writer(buf).writerows([] for _ in rows)
    return buf.getvalue()


_JSON = json.JSONEncoder(ensure_ascii=False)      # json.dumps(o, ensure_ascii=False), made once


def jsonl_lines(rows: Iterable[dict], cols: list[str]) -> str:
    encode = _JSON.encode
    return "".join([encode(dict(zip(cols, map(row.get, cols)))) + "\n" for row in rows])


def sql_values(rows: Iterable[dict], cols: list[str],
               values: list[list] | None = None) -> Iterator[tuple]:
    """``values``: the rows' values of each of ``cols`` (``_column``), when made already."""
    rows = rows if isinstance(rows, list) else list(rows)
    if not cols:
        return iter([() for _ in rows])
    values = values if values is not None else [_column(rows, c) for c in cols]
    return zip(*map(_sql_column, values))


def _csv_head(cols: list[str]) -> str:
    """The byte order mark (spreadsheets read the file as UTF-8) and the header line."""
    buf = io.StringIO()
    csv.writer(buf).writerow(cols)
    return "\ufeff" + buf.getvalue()


# a text format's file: its head (from the columns), then the rows' lines
TEXT_FORMATS = {".csv": (_csv_head, csv_lines), ".jsonl": (lambda cols: "", jsonl_lines)}


# rows formatted and written at a time by _write_text
WRITE_BATCH = 1000


def _write_text(path: Path, table: str, rows, suffix: str, staged: list | None = None) -> None:
    """``table`` in the text format ``suffix`` (of ``TEXT_FORMATS``): ``rows`` is its rows,
    or the ``Tables`` they are in (then the lines each page spooled are put in order)."""
    head, lines = TEXT_FORMATS[suffix]
    if isinstance(rows, Tables):
        if rows.spooled(table, suffix):
            rows.assemble(path, table, suffix, head(rows.columns(table)).encode("utf-8"), staged)
            return
        rows = rows.get(table)
    cols = columns(table, rows)
    with replacing(path, staged) as tmp:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            fh.write(head(cols))
            it = iter(rows)            # a batch of lines at a time, not the whole table as one string
            while batch := list(itertools.islice(it, WRITE_BATCH)):
                fh.write(lines(batch, cols))


def write_csv(path: Path, table: str, rows, staged: list | None = None) -> None:
    """``table`` as CSV (UTF-8 with a byte order mark): ``rows`` as for ``_write_text``."""
    _write_text(path, table, rows, ".csv", staged)


def write_jsonl(path: Path, table: str, rows, staged: list | None = None) -> None:
    """``table`` as JSON lines: ``rows`` as for ``_write_text``."""
    _write_text(path, table, rows, ".jsonl", staged)


# a column's SQLite type when no row has a value for it (otherwise: from the values)
FIELD_TYPES = {"start": int, "end": int, "chars": int, "seq": int, "page": int, "line": int,
               "value": float, "low": float, "high": float, "magnitude": float, "count": int}
PAGES_COLUMNS = {"source": str, "paper": str, "page": int, "issue_date": str,
                 "issue_date_origin": str, "sha256": str, "articles": int}
FTS_COLUMNS = ("headline", "text")      # articles_fts, trigram-tokenised


def _type(col: str, values: list) -> type:
    """The Python type sqlite-utils declares a column as: int (INTEGER), float (REAL) or
    str (TEXT; also lists and dicts, stored as JSON)."""
    return _type_of(col, {type(v) for v in values})


def _type_of(col: str, seen: set) -> type:
    """``_type`` from the set of the types of a column's values."""
    seen = seen - {type(None)}
    if not seen:
        return FIELD_TYPES.get(col, str)
    if seen <= {int, bool}:
        return int
    if seen <= {int, bool, float}:
        return float
    return str


def pages_rows(articles: list[dict]) -> list[dict]:
    """One row per page file that gave articles: its source, paper, page number, issue
    date (and where it came from), sha256 of the file and number of articles."""
    pages: dict[str, dict] = {}
    for a in articles:
        p = pages.setdefault(a["source"], {
            "source": a["source"], "paper": a.get("paper"), "page": a.get("page"),
            "issue_date": a.get("issue_date"), "issue_date_origin": a.get("issue_date_origin"),
            "sha256": a.get("_sha256"), "articles": 0})
        p["articles"] += 1
    return list(pages.values())


def primary_key(table: str) -> str | None:
    """The id column of a table (None for errors, addressed by rowid)."""
    if table == "articles":
        return "article_id"
    if table in registry.names():
        return registry.get(table).id_field
    return None


def views() -> dict[str, str]:
    """Views that join what users ask for: each layer with its article's headline, paper and
    page (``figures_in_articles``, ...); and, for a layer with canonical names, one row per
    name with its mentions (``entity_names``)."""
    out = {}
    for layer in registry.LAYERS:
        out[f"{layer.name}_in_articles"] = (
            f"SELECT l.*, a.headline, a.paper, a.page, a.kind AS article_kind "
            f"FROM {layer.name} l JOIN articles a ON a.article_id = l.article_id")
        if "canonical" in layer.fields:
            group = [f for f in ("label", "adcode") if f in layer.fields]
            out[f"{layer.item}_names"] = (
                f"SELECT coalesce(canonical, text) AS name, {', '.join(group)}, "
                f"count(*) AS mentions, count(DISTINCT article_id) AS articles, "
                f"group_concat(DISTINCT text) AS surfaces, min(issue_date) AS first_issue, "
                f"max(issue_date) AS last_issue FROM {layer.name} "
                f"GROUP BY coalesce(canonical, text), {', '.join(group)}")
    names = registry.names()
    if "figures" in names and "entities" in names and "metric" in registry.get("figures").fields:
        out["series"] = SERIES_VIEW
    return out


# what a metric is compared by in a series: without spaces (ASCII, no-break, ideographic), tabs
# and line breaks, and without 的 — 工业 产值 and 工业的产值 are one series. The one definition:
# the view's SQL is made from it (``metric_key_sql``: nested replace(), which SQLite's parser
# allows only a few levels deep, hence a short list) and scripts/eval_semantics.py's lenient
# match calls ``metric_key``.
METRIC_DROPPED = " \u3000\xa0\t\r\n的"
_DROP = {ord(ch): None for ch in METRIC_DROPPED}


def metric_key(metric: str | None) -> str:
    """``metric`` as a series compares it: whitespace and 的 dropped ("" for none)."""
    return (metric or "").translate(_DROP)


def metric_key_sql(col: str) -> str:
    """The SQL expression of ``metric_key`` over the column ``col`` (SQLite's replace and
    char: the same characters dropped; NULL stays NULL)."""
    expr = col
    for ch in METRIC_DROPPED:
        expr = f"replace({expr}, {_sql_char(ch)}, '')"
    return expr


def _sql_char(ch: str) -> str:
    return f"'{ch}'" if ch.isprintable() and ch not in "' " else f"char({ord(ch)})"


# the order of the series view's rows (its ORDER BY, and the ORDER BY of every query that
# reads it: a SELECT without one has no defined order)
SERIES_ORDER = ("series_subject", "series_metric", "unit", "period", "figure_id")
VIEW_ORDER = {"series": SERIES_ORDER}


def order_by(name: str) -> str:
    """The ORDER BY of a table's or view's rows in their order (a view's ``VIEW_ORDER``, a
    table's rowid): the one clause of the series view and of every query that reads it."""
    return "ORDER BY " + ", ".join(VIEW_ORDER.get(name, ("rowid",)))

# figures that say what they measure, grouped into series: one subject (the linked entity's
# canonical name, else the subject as resolved: 全市 -> 太原市; ``adcode`` the division code any
# figure of that subject links to), one metric (``metric_key``) and one unit, ordered by
# period (the period's start, else its end, else the issue date); ``points`` = the series' size
SERIES_VIEW = f"""WITH s AS (SELECT
  coalesce(e.canonical, f.subject) AS series_subject,
  e.adcode AS linked_adcode,
  {metric_key_sql("f.metric")} AS series_metric,
  coalesce(f.period_start, f.period_end, f.issue_date) AS period, f.*
FROM figures f LEFT JOIN entities e ON e.entity_id = f.subject_entity
WHERE f.metric IS NOT NULL AND f.subject IS NOT NULL AND f.unit IS NOT NULL)
SELECT series_subject, max(linked_adcode) OVER (PARTITION BY series_subject) AS adcode,
  series_metric, unit, period,
  count(*) OVER (PARTITION BY series_subject, series_metric, unit) AS points,
  period_text, period_start, period_end, value, low, high, approx, status, change, basis, text,
  metric, subject, figure_id, article_id, source, issue_date
FROM s {order_by("series")}"""


def view_descriptions() -> dict[str, str]:
    """One line on each view, for Datasette."""
    out = {}
    for name in views():
        if name == "series":
            out[name] = ("Figures grouped by subject (adcode or canonical name), metric and unit, "
                         "ordered by period: one row per figure, points = the series' size.")
        elif name.endswith("_in_articles"):
            out[name] = f"{name[:-len('_in_articles')]} with their article's headline, paper and page."
        else:
            out[name] = "One row per name (canonical where known): mentions, articles, surfaces, first and last issue."
    return out


INDEXED = ("article_id", "source", "issue_date", "kind", "label")
# the SQLite file's page size (SQLite's default 4096): the same tables (the dump, FTS5's own
# pages included: its ``pgsz`` is its own), fewer B-tree pages to split and write while the rows
# go in: write_sqlite on 262 pd1998 pages 0.45-0.47 -> 0.40 CPU-s (65536: 0.38-0.41)
SQLITE_PAGE_SIZE = 16384


def write_sqlite(path: Path, tables, staged: list | None = None,
                 fts: tuple[str, int] | None = None) -> None:
    """Every table into one SQLite file; ``tables``: a dict of each table's rows, or a
    ``Tables`` (whose pages' values were made as they came). ``fts``: (path, articles) of a
    full-text index built ahead (``FtsBuilder``), copied in when the articles are the ones it
    was built from, else the index is built here. The schema is sqlite-utils' (the statements
    of its ``create_table_sql``, ``create_index``, ``enable_fts`` and ``create_view``, made
    here: importing it imports pandas, ~0.3 CPU-s; tests/test_sqlite_schema.py compares)."""
    tables = tables if isinstance(tables, Tables) else Tables.of(tables)
    with replacing(path, staged) as tmp:
        con = sqlite3.connect(tmp)
        try:
            con.execute(f"PRAGMA page_size = {SQLITE_PAGE_SIZE}")
            with con:
                _create(con, "pages", PAGES_COLUMNS, pages_rows(tables.get("articles", [])),
                        pk="source")
                for table in registry.tables():
                    types, values = tables.sql(table)
                    fks = [("source", "pages", "source")] if table == "articles" else \
                        [("article_id", "articles", "article_id")] if table in registry.names() else []
                    _insert(con, table, types, values, pk=primary_key(table), foreign_keys=fks)
                    for key in INDEXED:
                        if key in types and key != primary_key(table):
                            con.execute(index_sql(table, key))
                if not (fts and _copy_fts(con, *fts)):
                    _fts(con)
                for name, sql in views().items():
                    con.execute(f"CREATE VIEW {_q(name)} AS {sql}")
        finally:
            con.close()


# a column's declared type by the Python type ``_type`` gives (sqlite-utils' mapping)
SQL_TYPES = {int: "INTEGER", float: "REAL", str: "TEXT"}


def table_sql(table: str, types: dict[str, type], pk: str | None = None,
              foreign_keys=()) -> str:
    """The CREATE TABLE statement of ``table`` (columns ``types``, in order; ``pk`` its
    primary key; ``foreign_keys``: (column, other table, other column) each), as
    sqlite-utils' ``create_table_sql`` writes it: the same text in ``sqlite_master``."""
    refs = {col: (other, other_col) for col, other, other_col in foreign_keys}
    missing = [col for col in refs if col not in types]
    if missing:
        raise ValueError(f"{table}: no column {', '.join(missing)} for a foreign key")
    items = list(types.items())
    if pk is not None and pk not in types:
        items.insert(0, (pk, int))
    defs = []
    for col, typ in items:
        extras = ["PRIMARY KEY"] if col == pk else []
        if col in refs:
            other, other_col = refs[col]
            extras.append(f"REFERENCES {_q(other)}({_q(other_col)})")
        defs.append(f"   {_q(col)} {SQL_TYPES[typ]}" + (" " + " ".join(extras) if extras else ""))
    return f"CREATE TABLE {_q(table)} (\n" + ",\n".join(defs) + "\n);"


def index_sql(table: str, col: str) -> str:
    """The CREATE INDEX statement of ``idx_<table>_<col>``, as sqlite-utils' ``create_index``."""
    return f"CREATE INDEX {_q(f'idx_{table}_{col}')}\n    ON {_q(table)} ({_q(col)});"


def _fts(con) -> None:
    """The full-text index of ``articles`` (its ``FTS_COLUMNS``), created and filled by the
    statements of sqlite-utils' ``enable_fts(FTS_COLUMNS, tokenize="trigram")`` (a
    ``populate_fts`` after it indexed every article a second time: twice the index data, the
    same search results)."""
    cols = ", ".join(_q(c) for c in FTS_COLUMNS)
    con.execute(f"CREATE VIRTUAL TABLE {_q('articles_fts')} USING FTS5 (\n    {cols},\n"
                f"    tokenize='trigram',\n    content={_q('articles')}\n)")
    con.execute(f"INSERT INTO {_q('articles_fts')} (rowid, {cols})\n"
                f"    SELECT rowid, {cols} FROM {_q('articles')};")


# the tables in which FTS5 keeps the index of ``articles_fts``
FTS_SHADOWS = ("data", "idx", "docsize", "config")


def _same_articles(con, rows: int) -> bool:
    """Whether the articles of this database (``main``) and of the attached index built ahead
    (``ahead``) are the same ``rows`` rows: rowid and ``FTS_COLUMNS`` (the same storage class
    and bytes: ``IS``), compared in SQLite (two sha256 digests of them in Python cost ~0.06
    CPU-s on 262 pd1998 pages, in the SQLite writer, the tail's longest side)."""
    differ = " OR ".join(f"m.{_q(c)} IS NOT a.{_q(c)}" for c in FTS_COLUMNS)
    (same,) = con.execute(
        "SELECT (SELECT count(*) FROM main.articles) = ? AND (SELECT count(*) FROM ahead.articles) = ?"
        " AND NOT EXISTS (SELECT 1 FROM main.articles m LEFT JOIN ahead.articles a"
        f" ON a.rowid = m.rowid WHERE a.rowid IS NULL OR {differ})", (rows, rows)).fetchone()
    return bool(same)


class FtsBuilder:
    """The full-text index of articles given a few at a time (``add``, in the articles table's
    order) into the SQLite file ``path``, as ``write_sqlite`` builds it from the whole table:
    FTS5 is given the same rows in the same order in one transaction, so its tables are the
    same (``_copy_fts`` copies them). ``finish()`` commits and returns the number of articles
    it indexed (``_copy_fts`` compares them with the database's). The file is a scratch copy:
    no journal, no sync."""

    def __init__(self, path: Path | str):
        self.path, self.rows = str(path), 0
        self._con = con = sqlite3.connect(path, isolation_level=None)
        try:
            con.execute("PRAGMA journal_mode = OFF")
            con.execute("PRAGMA synchronous = OFF")
            con.execute(f"CREATE TABLE articles ({', '.join(_q(c) + ' TEXT' for c in FTS_COLUMNS)})")
            _fts(con)                                  # the virtual table, empty
            con.execute("BEGIN")
        except BaseException:
            con.close()
            raise
        cols = ", ".join(_q(c) for c in FTS_COLUMNS)
        marks = ", ".join("?" for _ in FTS_COLUMNS)
        self._sql = (f"INSERT INTO articles VALUES ({marks})",
                     f"INSERT INTO articles_fts (rowid, {cols}) VALUES (?, {marks})")

    def add(self, articles: Iterable[tuple]) -> None:
        """Index ``articles`` ((headline, text) of each) after those given before."""
        values = [tuple(_sql(v) for v in art) for art in articles]
        if not values:
            return
        first = self.rows + 1
        self._con.executemany(self._sql[0], values)
        self._con.executemany(self._sql[1], [(first + i, *v) for i, v in enumerate(values)])
        self.rows += len(values)

    def finish(self) -> int:
        """Commit (FTS5 writes what it holds) and close; the number of articles indexed."""
        con, self._con = self._con, None
        try:
            con.execute("COMMIT")
            return self.rows
        finally:
            con.close()

    def close(self) -> None:
        """Stop without committing (the file is left to its owner to remove)."""
        if self._con is not None:
            con, self._con = self._con, None
            with contextlib.suppress(sqlite3.Error):
                con.close()


def _copy_fts(con, path: str, rows: int) -> bool:
    """Copy the full-text index built ahead in ``path`` (``FtsBuilder``, which indexed ``rows``
    articles) into this database, whose articles are written: the same rows as building it
    here (the virtual table's statement and every shadow table's rows). False (nothing done)
    when the articles are not the ones it was built from (a page changed or failed
    meanwhile: ``_same_articles``)."""
    if not Path(path).is_file():
        return False
    con.commit()                       # ATTACH cannot run inside a transaction
    try:
        con.execute("ATTACH DATABASE ? AS ahead", (str(path),))
    except sqlite3.Error:
        return False
    try:
        if not _same_articles(con, rows):
            return False
        (sql,) = con.execute("SELECT sql FROM ahead.sqlite_master WHERE name = 'articles_fts'"
                             ).fetchone()
        con.execute(sql)
        for shadow in FTS_SHADOWS:
            con.execute(f"DELETE FROM main.articles_fts_{shadow}")
            con.execute(f"INSERT INTO main.articles_fts_{shadow} SELECT * FROM ahead.articles_fts_{shadow}")
        con.commit()
    except (sqlite3.Error, TypeError):   # a damaged file (TypeError: no index in it): built here
        con.rollback()
        con.execute("DROP TABLE IF EXISTS main.articles_fts")    # and its shadow tables
        con.commit()
        return False
    finally:
        with contextlib.suppress(sqlite3.Error):
            con.execute("DETACH DATABASE ahead")
    return True


def _create(con, table: str, types: dict[str, type], rows: list[dict], pk=None,
            foreign_keys=()) -> None:
    _insert(con, table, types, sql_values(rows, list(types)), pk, foreign_keys)


def _insert(con, table: str, types: dict[str, type], values: Iterable, pk=None,
            foreign_keys=()) -> None:
    """Create ``table`` with columns ``types`` (in order) and insert ``values`` (one
    sequence of SQLite values per row, in that order)."""
    con.execute(table_sql(table, types, pk=pk, foreign_keys=foreign_keys))
    con.executemany(f"INSERT INTO {_q(table)} VALUES ({', '.join('?' for _ in types)})", values)


def _q(col: str) -> str:
    return '"' + col.replace('"', '""') + '"'


# --------------------------------------------------------------------------- Parquet

# a column's Arrow type by name (dates are ISO text in the rows); others from their values
DATE_COLUMNS = ("issue_date", "start_date", "end_date", "deadline_start", "deadline_end",
                "period_start", "period_end")
STRING_COLUMNS = ("adcode", "article_id", "source", "continued_from")
PARTITIONS = ("issue_year", "issue_month")
HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"


def _date(value):
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def arrow_type(col: str, values: list):
    """The Arrow type of a column: by name for dates, ids and adcodes; otherwise from the
    values (int64, float64, bool, list<string>, string), or from ``FIELD_TYPES`` when every
    value is null, so an empty table has the same schema as a full one."""
    import pyarrow as pa

    if col in DATE_COLUMNS or col.endswith("_date"):
        if all(v is None or _date(v) is not None for v in _distinct(values)):
            return pa.date32()
        return pa.string()
    if col in STRING_COLUMNS or col.endswith("_id"):
        return pa.string()
    seen = set(map(type, values))
    seen.discard(type(None))
    if not seen:
        return {int: pa.int64(), float: pa.float64()}.get(FIELD_TYPES.get(col), pa.string())
    if seen == {bool}:
        return pa.bool_()
    if seen <= {int, bool}:
        return pa.int64()
    if seen <= {int, bool, float}:
        return pa.float64()
    if seen <= {list, tuple}:
        return pa.list_(pa.string())
    return pa.string()


def _distinct(values: list):
    """``values`` without repeats where they are all strings or None (a date column: a few
    hundred distinct of ~50,000), else ``values`` as they are."""
    if set(map(type, values)) <= {str, type(None)}:
        return set(values)
    return values


def _dates(values: list) -> list:
    """``_date`` of each of ``values``, each distinct string read once."""
    if set(map(type, values)) <= {str, type(None)}:
        day = {v: _date(v) for v in set(values)}
        return list(map(day.__getitem__, values))
    return list(map(_date, values))


def _column(rows: list[dict], col: str) -> list:
    """``[r.get(col) for r in rows]``, a loop in C where every row has the column."""
    try:
        return list(map(operator.itemgetter(col), rows))
    except KeyError:
        return [r.get(col) for r in rows]


def _arrow_value(value, typ):
    import pyarrow as pa

    if value is None:
        return None
    if pa.types.is_date32(typ):
        return _date(value)
    if pa.types.is_list(typ):
        return [None if v is None else str(v) for v in value]
    if pa.types.is_string(typ):
        if isinstance(value, (list, tuple, dict)):
            return json.dumps(value, ensure_ascii=False)
        return str(value)
    if pa.types.is_floating(typ):
        return float(value)
    if pa.types.is_integer(typ):
        return int(value)
    return value


# the Python types of values Arrow takes as they are for a column of each type (no
# ``_arrow_value`` per value): the same arrays, a pass in C instead of a call per value
_AS_IS = {"string": {str}, "int64": {int}, "double": {float}, "bool": {bool}}


def _arrow_values(values: list, typ) -> list:
    """``values`` as the column ``typ`` takes them (``_arrow_value`` of each, skipped where
    every value already is one Arrow takes unchanged)."""
    seen = set(map(type, values)) - {type(None)}
    ok = _AS_IS.get(str(typ))
    if ok is not None and seen <= ok:
        return values
    if str(typ) == "date32[day]":
        return _dates(values)       # _arrow_value of a date column: _date (None stays None)
    if str(typ) == "list<item: string>" and seen <= {list} and all(
            type(x) is str for v in values if v is not None for x in v):
        return values
    return [_arrow_value(v, typ) for v in values]


def arrow_table(table: str, rows: list[dict], issue_dates: dict[str, str | None],
                tables: "Tables | None" = None):
    """A table's rows as an Arrow table with typed columns and the partition columns
    ``issue_year`` and ``issue_month`` (from the row's issue date, or its page's).
    ``tables``: the ``Tables`` the rows are from, whose columns and columns' values made
    page by page (``Tables.column``) are taken instead of being made again."""
    import pyarrow as pa

    if tables is None:
        cols, column = columns(table, rows), functools.partial(_column, rows)
    else:
        cols, column = tables.columns(table), functools.partial(tables.column, table)
    cols = [c for c in cols if c not in PARTITIONS]
    fields, arrays = [], []
    for c in cols:
        values = column(c)
        typ = arrow_type(c, values)
        fields.append(pa.field(c, typ))
        arrays.append(pa.array(_arrow_values(values, typ), type=typ))
    own = column("issue_date")
    if None in own:     # (``in``: identity first, a row's None is found without comparing)
        own = [d if d is not None else issue_dates.get(r.get("source")) for d, r in zip(own, rows)]
    days = _dates(own)
    fields += [pa.field("issue_year", pa.int32()), pa.field("issue_month", pa.int32())]
    arrays += [pa.array([d.year if d else None for d in days], type=pa.int32()),
               pa.array([d.month if d else None for d in days], type=pa.int32())]
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def write_parquet(path: Path, tables: dict[str, list[dict]], staged: list | None = None,
                  threads: bool = True) -> None:
    """Every table as a hive-partitioned Parquet dataset under ``path/<table>/``, written in
    a temporary folder beside ``path`` and swapped in (see ``_swap_dir``). ``threads``: Arrow's
    own threads (False where every core is busy already, ``write_tables`` beside the SQLite
    writer: the same files for less CPU, 262 pd1998 pages ~0.52 -> ~0.45 CPU-s median)."""
    import pyarrow.dataset as ds

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    os.chmod(tmp, umask_mode() | (umask_mode() & 0o444) >> 2)   # mkdtemp makes it 0700
    try:
        given = tables if isinstance(tables, Tables) else None
        if given is not None:
            issue_dates = dict(zip(given.column("articles", "source"),
                                   given.column("articles", "issue_date")))
        else:
            issue_dates = {a.get("source"): a.get("issue_date") for a in tables.get("articles", [])}
        for table in registry.tables():
            data = arrow_table(table, tables.get(table, []), issue_dates, given)
            if data.num_rows == 0:
                # no partition folder to infer the partition columns' types from: one file
                # at the top holding them as ordinary (int32) columns, so the schema is whole
                import pyarrow.parquet as pq

                (tmp / table).mkdir(parents=True, exist_ok=True)
                pq.write_table(data, tmp / table / "part-0.parquet")
                continue
            part = ds.partitioning(data.select(list(PARTITIONS)).schema, flavor="hive")
            ds.write_dataset(data, tmp / table, format="parquet", partitioning=part,
                             basename_template="part-{i}.parquet",
                             existing_data_behavior="overwrite_or_ignore",
                             preserve_order=True, max_rows_per_group=1 << 20,
                             use_threads=threads)
        if staged is None:
            _swap_dir(tmp, path)
        else:
            staged.append((str(tmp), path))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _swap_dir(tmp: Path | str, path: Path) -> None:
    """Put the folder ``tmp`` in place of ``path``: the old one is renamed aside, then
    removed (a kill between the two renames leaves no ``path``; ``baozhi run`` rewrites it)."""
    path = Path(path)
    old = None
    if path.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
        os.replace(path, old / "old")
    os.replace(tmp, path)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def file_hash(path: Path | str) -> str | None:
    """sha256 of a file (None if it cannot be read), or ``dataset_hash`` of a folder."""
    path = Path(path)
    if path.is_dir():
        return dataset_hash(path)
    try:
        with open(path, "rb") as fh:
            # read through one small buffer, not the whole file into a new bytes object (the
            # tables of 262 pd1998 pages, 84 MB: 0.085 -> 0.064 CPU-s; the same digest)
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None


def staged_hashes(staged: list) -> dict[str, str | None]:
    """The hash each staged file will have once renamed into place (``file_hash`` of its
    temporary file or folder: the dataset's hash reads names relative to the folder), by
    the final name."""
    return {Path(path).name: file_hash(tmp) for tmp, path in staged}


def dataset_hash(path: Path) -> str | None:
    """sha256 over every file of a Parquet dataset folder (names and bytes); None if missing."""
    path = Path(path)
    if not path.is_dir():
        return None
    h = hashlib.sha256()
    for p in sorted(path.rglob("*")):
        if p.is_file():     # name, NUL, bytes, NUL: hashed piece by piece (no joined copy)
            h.update(p.relative_to(path).as_posix().encode() + b"\0")
            h.update(p.read_bytes())
            h.update(b"\0")
    return h.hexdigest()


class Tables:
    """The rows of every table, given a page at a time (``add(key, rows)``, in any order) and
    written in the order of the keys (``baozhi run``: the pages' order in the folder).

    With ``spool`` (the output folder) each page is written out as it comes, while the
    other pages are still being made: its CSV and JSONL lines are appended to a temporary
    file with no name in the output folder (``tempfile.TemporaryFile``: nothing is left
    behind) and its SQLite values are made and kept. Writing the tables after the last page
    then only puts the pages' parts in order (``assemble``), inserts the values and builds
    the indexes and the Parquet dataset. The files are byte for byte those written from all
    the rows at once: a table's columns (``columns``: the fixed ones, then fields such as a
    figure's ``per`` in the order they first appear, page after page) are known only at the
    end, so each page is made with the columns seen so far, the pages made so far are made
    again (still while the workers run) when a page brings a new one, and ``settle`` makes
    again, after the last page, any page whose columns differ from the table's."""

    def __init__(self, spool: Path | None = None):
        self._pages: dict[object, dict[str, list[dict]]] = {}
        self._dir = None if spool is None else Path(spool)
        self._files: dict[tuple[str, str], object] = {}      # (table, suffix) -> open spool
        self._sizes: dict[tuple[str, str], int] = {}
        self._parts: dict[tuple[str, str], dict[object, tuple[int, int]]] = {}
        self._values: dict[str, dict[object, list[tuple]]] = {t: {} for t in tables()}
        # each page's values of each column it was made under (``_made``), for the Parquet
        self._columns: dict[str, dict[object, list[list]]] = {t: {} for t in tables()}
        self._made: dict[str, dict[object, list[str]]] = {t: {} for t in tables()}
        self._own: dict[str, dict[object, list[str]]] = {t: {} for t in tables()}
        self._guess = {t: fixed_columns(t) for t in tables()}
        self._seen: dict[str, dict[str, set]] = {t: {} for t in tables()}
        self._ordered: dict[str, list[dict]] = {}
        self._cols: dict[str, list[str]] = {}     # ``columns`` of each table, until a page comes
        self._settled = True

    @classmethod
    def of(cls, rows: dict[str, list[dict]]) -> "Tables":
        """Whole tables as one page (nothing spooled)."""
        out = cls()
        out.add(0, {t: rows.get(t) or [] for t in tables()})
        return out

    def __contains__(self, key) -> bool:
        return key in self._pages

    def add(self, key, rows: dict[str, list[dict]]) -> None:
        """One page's rows of every table (``key`` orders it among the pages)."""
        if key in self._pages:
            raise ValueError(f"page {key!r} given twice")
        self._pages[key] = rows
        self._ordered.clear()
        self._cols.clear()
        if self._dir is None:
            return
        self._settled = False
        for table in tables():
            part = rows.get(table) or []
            own = self._own[table][key] = columns(table, part)
            if not part:
                continue
            guess = _merge(self._guess[table], own)
            if guess != self._guess[table]:      # a new column: the pages made so far again
                self._guess[table] = guess
                for k in list(self._made[table]):
                    self._make(table, k, guess)
            self._make(table, key, self._guess[table])
            # the types of each of its columns' values, from the values just made (every
            # column of ``own`` is one of the guess's): ``{type(row.get(c)) for row in part}``
            made = dict(zip(self._made[table][key], self._columns[table][key]))
            seen = self._seen[table]
            for c in own:
                seen.setdefault(c, set()).update(map(type, made[c]))

    def _make(self, table: str, key, cols: list[str]) -> None:
        """Spool a page's lines of ``table`` and make its SQLite values, under ``cols``."""
        part = self._pages[key].get(table) or []
        values = [_column(part, c) for c in cols]    # each column's values, made once
        for suffix, (_, lines) in TEXT_FORMATS.items():
            text = csv_lines(part, cols, values) if lines is csv_lines else lines(part, cols)
            self._spool(table, suffix, key, text)
        self._values[table][key] = list(sql_values(part, cols, values))
        self._columns[table][key] = values
        self._made[table][key] = cols

    def columns(self, table: str) -> list[str]:
        """The table's columns: ``columns(table, rows)`` of every row, page after page."""
        if self._dir is None:
            return columns(table, self.get(table))
        cols = self._cols.get(table)
        if cols is None:     # made once (``column`` asks it for every column of the Parquet)
            cols = fixed_columns(table)
            for key in sorted(self._own[table]):
                cols = _merge(cols, self._own[table][key])
            self._cols[table] = cols
        return list(cols)

    def column(self, table: str, col: str) -> list:
        """Every row's value of ``col`` in ``table`` (``_column`` of ``get(table)``), page
        after page: the values each page made as it came, where spooled."""
        if self._dir is not None:
            self.settle()
            parts = self._columns[table]
            cols = self.columns(table)
            if col in cols:
                at = cols.index(col)
                return list(itertools.chain.from_iterable(parts[key][at] for key in sorted(parts)))
        return _column(self.get(table), col)

    def settle(self) -> None:
        """Make again every page made under other columns than its table's (after the last
        page, before the files are put together)."""
        if self._settled or self._dir is None:
            return
        for table in tables():
            cols = self.columns(table)
            for key, made in list(self._made[table].items()):
                if made != cols:
                    self._make(table, key, cols)
        self.flush()
        self._settled = True

    def _spool(self, table: str, suffix: str, key, text: str) -> None:
        at = (table, suffix)
        fh = self._files.get(at)
        if fh is None:
            # a file with no name (Linux: O_TMPFILE; elsewhere unlinked at once): nothing to
            # clean up after a kill, nor after a Ctrl-C landing between making and unlinking it
            fh = self._files[at] = tempfile.TemporaryFile(dir=self._dir)
            self._sizes[at] = 0
            self._parts[at] = {}
        data = text.encode("utf-8")
        fh.write(data)
        self._parts[at][key] = (self._sizes[at], len(data))
        self._sizes[at] += len(data)

    def spooled(self, table: str, suffix: str) -> bool:
        """Whether the lines of every page with rows of ``table`` are in the spool as ``suffix``."""
        return self._dir is not None and self._parts.get((table, suffix), {}).keys() >= {
            key for key, rows in self._pages.items() if rows.get(table)}

    def assemble(self, path: Path, table: str, suffix: str, head: bytes,
                 staged: list | None = None) -> None:
        """Write ``path``: ``head``, then each page's spooled lines in the order of the keys."""
        self.settle()
        at = (table, suffix)
        fh, parts = self._files.get(at), self._parts.get(at, {})
        with replacing(path, staged) as tmp, open(tmp, "wb") as out:
            out.write(head)
            for key in sorted(parts):
                start, size = parts[key]
                out.write(os.pread(fh.fileno(), size, start))

    def flush(self) -> None:
        for fh in self._files.values():
            fh.flush()

    def get(self, table: str, default=None) -> list[dict]:
        """Every row of ``table``, page after page in the order of the keys."""
        got = self._ordered.get(table)
        if got is None:
            got = self._ordered[table] = [r for key in sorted(self._pages)
                                          for r in self._pages[key].get(table) or []]
        return got

    def sql(self, table: str) -> tuple[dict[str, type], Iterable]:
        """The column types of ``table`` in SQLite (name -> int, float or str, in column
        order) and its rows' values, page after page."""
        if self._dir is None:
            rows = self.get(table)
            cols = columns(table, rows)
            return {c: _type(c, [r.get(c) for r in rows]) for c in cols}, sql_values(rows, cols)
        self.settle()
        seen = self._seen[table]
        types = {c: _type_of(c, seen.get(c, set())) for c in self.columns(table)}
        parts = self._values[table]
        return types, itertools.chain.from_iterable(parts[key] for key in sorted(parts))

    def close(self) -> None:
        """Stop spooling and let the spool go (the rows stay: written from them)."""
        for fh in self._files.values():
            with contextlib.suppress(OSError):
                fh.close()
        self._files.clear()
        self._parts.clear()
        self._values = {t: {} for t in tables()}
        self._columns = {t: {} for t in tables()}
        self._dir = None


def _merge(cols: list[str], more: list[str]) -> list[str]:
    """``cols``, then the columns of ``more`` it lacks, in their order."""
    have = set(cols)
    new = [c for c in more if c not in have]
    return cols + new if new else cols


def preload() -> None:
    """Import what writing the tables needs (pyarrow, whose ``dataset`` imports pandas: about
    0.4 CPU-s; the SQLite file needs no library) now: ``baozhi run`` calls it while its workers
    make the pages, so that it is not paid after the last one."""
    import pyarrow.dataset  # noqa: F401
    import pyarrow.parquet  # noqa: F401


def write_tables(out_dir: Path, tables, cores: int = 1, timeline=None,
                 fts: tuple[str, int] | None = None,
                 hashes: dict | None = None) -> list[Path]:
    """Write every table as CSV and JSONL, all of them into one SQLite file and as a Parquet
    dataset; ``tables``: a dict of each table's rows, or a ``Tables`` fed page by page.

    Every file is first written under a temporary name; only when all are complete are they
    renamed into place, one after the other, so an interrupted run leaves the previous
    tables (a kill inside the last few renames can mix old and new files; ``baozhi run``
    notices that and rewrites them on its next run). With ``cores`` > 1 the SQLite file
    (rows, indexes, full-text index) is written by a forked process while this one writes
    the rest (``aside``): the same files, in about half the time. ``timeline``: a
    ``batch.Timeline`` told of each step (settle, text, sqlite, parquet, join, rename).
    ``fts``: a full-text index built ahead, for ``write_sqlite``. ``hashes``: a dict given
    the hash of every file written, by name (``staged_hashes``), each side hashing the files
    it wrote (this one while the SQLite writer still works)."""
    mark = timeline.mark if timeline is not None else (lambda name: None)
    out_dir = Path(out_dir)
    tables = tables if isinstance(tables, Tables) else Tables.of(tables)
    tables.settle()                       # all made and flushed before the SQLite writer forks
    mark("settle")
    staged: list[tuple[str, Path]] = []
    join = None
    try:
        sqlite = functools.partial(write_sqlite, fts=fts) if fts else write_sqlite
        if cores > 1 and hashes is not None:
            sqlite = functools.partial(_write_hashed, sqlite)
        join = aside(sqlite, out_dir / DB_NAME, tables) if cores > 1 else None
        for table in registry.tables():
            for suffix, writer in ((".csv", write_csv), (".jsonl", write_jsonl)):
                writer(out_dir / f"{table}{suffix}", table, tables, staged)
        mark("text")
        if join is None:
            sqlite(out_dir / DB_NAME, tables, staged)
            mark("sqlite")
        write_parquet(out_dir / PARQUET_DIR, tables, staged, threads=join is None)
        mark("parquet")
        if join is not None:
            if hashes is not None:
                hashes.update(staged_hashes(staged))
                mark("hashes")
            join, wait = None, join
            staged += wait()
            mark("sqlite_join")
            if hashes is not None:
                hashes.update(wait.value or {})
            if timeline is not None and wait.cpu is not None:
                timeline.child("sqlite_child", wait.cpu)
    except BaseException:
        if join is not None:             # this side failed: the other's files go too
            with contextlib.suppress(BaseException):
                staged += join()
        for tmp, _ in staged:
            if Path(tmp).is_dir():
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                Path(tmp).unlink(missing_ok=True)
        raise
    for tmp, path in staged:
        if Path(tmp).is_dir():
            _swap_dir(tmp, path)
        else:
            os.replace(tmp, path)
    if hashes is not None:      # the files not hashed yet (one core: all of them)
        hashes.update(staged_hashes([(path, path) for _, path in staged
                                     if Path(path).name not in hashes]))
    mark("rename")
    return [path for _, path in staged]


def _write_hashed(write, path: Path, tables, staged: list) -> dict[str, str | None]:
    """``write(path, tables, staged)``, then the hashes of the files it staged."""
    write(path, tables, staged)
    return staged_hashes(staged)


def aside(write, path: Path, tables):
    """Start ``write(path, tables, staged)`` in a forked process; returns ``join()``, which
    waits for it and returns its ``staged`` list, or raises the exception it raised (and sets
    ``join.cpu``, the child's CPU seconds, None when it ran here; ``join.value``, what ``write``
    returned). Where there is no ``fork``, or threads run (forking them is unsafe), ``write`` runs here and
    now, and ``join()`` returns its result."""
    import threading

    if not hasattr(os, "fork") or threading.active_count() > 1:
        staged: list = []
        value = write(path, tables, staged)

        def done() -> list:
            return staged
        done.cpu, done.value = None, value
        return done
    import gc
    import pickle

    read, written = os.pipe()
    pid = os.fork()
    if pid == 0:                         # the child: write, report, exit without cleanup
        code = 0
        try:
            os.close(read)
            gc.disable()                 # the rows are read only: no collection needed
            staged = []
            try:
                value = write(path, tables, staged)
                payload = pickle.dumps(("ok", (staged, value)))
            except BaseException as exc:  # noqa: BLE001 - reported to the parent
                try:
                    payload = pickle.dumps(("error", exc))
                except Exception:  # noqa: BLE001 - an exception that does not pickle
                    payload = pickle.dumps(("error", OSError(f"{type(exc).__name__}: {exc}")))
            with os.fdopen(written, "wb") as fh:
                fh.write(payload)
        except BaseException:  # noqa: BLE001
            code = 1
        finally:
            os._exit(code)
    os.close(written)

    def join() -> list:
        with os.fdopen(read, "rb") as fh:
            data = fh.read()
        _, status, usage = os.wait4(pid, 0)
        join.cpu = usage.ru_utime + usage.ru_stime     # the child's CPU seconds (reaped)
        if not data:
            raise OSError(f"the process writing {path.name} ended without a word "
                          f"(exit status {os.waitstatus_to_exitcode(status)})")
        kind, value = pickle.loads(data)
        if kind == "error":
            raise value
        staged, join.value = value
        return staged

    join.pid = pid
    join.value = None
    return join
