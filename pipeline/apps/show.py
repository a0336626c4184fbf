"""``baozhi show``: one table of a run in the terminal, with simple filters.

Entry point: ``show(out_dir, table, filters, ...)``. Reads ``OUT/baozhi.sqlite`` (read-only)
and prints a plain aligned table (CJK characters count two columns), as CSV or as JSON.
Filters: issue date (``date``, ``date_from``, ``date_to``), ``article`` (an article id, or a
page id for all its articles), ``kind``, ``label``, ``source``, ``text``, ``subject`` and
``metric`` (substrings; a subject also matches an adcode). Besides the tables, the view
``series`` (figures grouped by subject, metric and unit, ordered by period) can be shown.
A ``kind`` or ``label`` must be one of the values the layer registry lists for the table
(``--kind moneyy`` is an error naming the kinds, not an empty table). Control characters in
the page text (terminal escape sequences) are never printed: they are removed from table
and CSV output; JSON escapes them.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sqlite3
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from baozhi.layers import registry
from baozhi.run.export import DB_NAME, PAGE_COLUMNS, VIEW_ORDER, order_by

# what the terminal shows of each table unless --columns says otherwise
PAGE_DEFAULT_COLUMNS = {
    "articles": ["article_id", "issue_date", "page", "kind", "headline", "authors", "chars"],
    "errors": PAGE_COLUMNS["errors"],
    "series": ["series_subject", "adcode", "series_metric", "unit", "period", "period_text", "value",
               "status", "points", "text", "figure_id"],
}
# views that can be shown like tables (run.export.views): those with a defined order
VIEWS = tuple(VIEW_ORDER)


def default_columns(table: str) -> list[str]:
    """The columns shown unless --columns says otherwise (a layer's from the registry)."""
    if table in PAGE_DEFAULT_COLUMNS:
        return list(PAGE_DEFAULT_COLUMNS[table])
    layer = registry.get(table)
    return list(layer.show_columns) or registry.columns(layer)
# the values a column of a page table can take (a layer's come from the registry)
PAGE_VALUES = {"articles": {"kind": ("article", "notice", "ad", "photo", "caption")}}


def allowed_values(table: str, col: str) -> tuple[str, ...] | None:
    """The values ``col`` of ``table`` can take, or None where any value goes."""
    if table in registry.names():
        return registry.get(table).values.get(col)
    return PAGE_VALUES.get(table, {}).get(col)


# C0 and C1 control characters, DEL; \t \n \r are handled by the caller
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


_C1 = re.compile(r"[\x7f-\x9f]")


def json_line(obj) -> str:
    """JSON of ``obj`` with non-ASCII text as is, but every control character escaped
    (json escapes C0 itself; C1, which some terminals obey, is escaped here)."""
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(obj, ensure_ascii=False))


def no_controls(text: str) -> str:
    """``text`` without control characters (an ESC [ ... sequence loses its ESC and cannot
    act on the terminal)."""
    return CONTROL.sub("", text)


TERMINAL_LIMIT = 50
CELL_WIDTH = 40


class ShowError(Exception):
    """Bad arguments or no tables; the message says what to do."""


@dataclass
class Filters:
    date: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    article: str | None = None
    kind: str | None = None
    label: str | None = None
    source: str | None = None
    text: str | None = None
    subject: str | None = None
    metric: str | None = None


def table_name(name: str) -> str:
    """``figures`` (also ``figure``); ShowError naming the tables otherwise."""
    for t in registry.tables():
        singular = registry.get(t).item if t in registry.names() else t[:-1]
        if name in (t, singular):
            return t
    if name in VIEWS:
        return name
    raise ShowError(f"no table {name!r}; tables are {', '.join(registry.tables())} "
                    f"(and the view {', '.join(VIEWS)})")


def connect(out_dir: Path) -> sqlite3.Connection:
    """The run's SQLite file, opened read-only."""
    db = Path(out_dir) / DB_NAME
    if not db.is_file():
        raise ShowError(f"{db} not found: run `baozhi run INPUT_DIR --out {out_dir}` first")
    return sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)


def _iso(value: str, flag: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise ShowError(f"{flag} {value!r}: give a date as YYYY-MM-DD") from None


def where(table_cols: list[str], f: Filters, table: str | None = None) -> tuple[str, list]:
    """SQL WHERE clause and parameters for the filters (ShowError if a filter does not apply,
    or gives a value the registry does not list for ``table``)."""
    clauses, params = [], []

    def need(col: str, flag: str) -> None:
        if col not in table_cols:
            raise ShowError(f"{flag}: this table has no {col} column")

    for value, op, flag in ((f.date, "=", "--date"), (f.date_from, ">=", "--from"),
                            (f.date_to, "<=", "--to")):
        if value:
            need("issue_date", flag)
            clauses.append(f"issue_date {op} ?")
            params.append(_iso(value, flag))
    if f.article:
        need("article_id", "--article")
        clauses.append("(article_id = ? OR substr(article_id, 1, ?) = ?)")
        params += [f.article, len(f.article) + 1, f.article + ":"]
    for col, value in (("kind", f.kind), ("label", f.label)):
        if value:
            need(col, f"--{col}")
            allowed = allowed_values(table, col) if table else None
            if allowed and value not in allowed:
                raise ShowError(f"--{col} {value!r}: {table} {col}s are {', '.join(allowed)}")
            clauses.append(f"{col} = ?")
            params.append(value)
    for col, value in (("source", f.source), ("text", f.text)):
        if value:
            need(col, f"--{col}")
            clauses.append(f"instr({col}, ?) > 0")
            params.append(value)
    if f.subject:               # the series view: its name or adcode; a figure: its subject
        if "series_subject" in table_cols:
            clauses.append("(instr(series_subject, ?) > 0 OR adcode = ?)")
            params += [f.subject, f.subject]
        else:
            need("subject", "--subject")
            clauses.append("instr(subject, ?) > 0")
            params.append(f.subject)
    if f.metric:
        col = "series_metric" if "series_metric" in table_cols else "metric"
        need(col, "--metric")
        clauses.append(f"instr({col}, ?) > 0")
        params.append(f.metric)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def query(out_dir: Path, table: str, filters: Filters | None = None, columns: list[str] | None = None,
          limit: int | None = None) -> tuple[list[str], list[tuple], int]:
    """(columns, rows, number of rows matching) of a table, filtered, in table order."""
    table = table_name(table)
    con = connect(out_dir)
    try:
        have = [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
        if not have:
            raise ShowError(f"{out_dir}: table {table} is missing; rerun `baozhi run`")
        bad = [c for c in columns or [] if c not in have]
        if bad:
            raise ShowError(f"no column {', '.join(bad)} in {table}; columns are {', '.join(have)}")
        cols = list(columns) if columns else have
        sql_where, params = where(have, filters or Filters(), table)
        total = con.execute(f"SELECT count(*) FROM {table}{sql_where}", params).fetchone()[0]
        # a view's rows in its own order, said again: a SELECT without ORDER BY has none
        sql = f"SELECT {', '.join(_q(c) for c in cols)} FROM {table}{sql_where} {order_by(table)}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return cols, con.execute(sql, params).fetchall(), total
    finally:
        con.close()


def undated(out_dir: Path, table: str, filters: Filters) -> int:
    """How many rows the other filters keep that a date filter leaves out because their page
    has no issue date (0 when no date filter is given)."""
    if not (filters.date or filters.date_from or filters.date_to):
        return 0
    table = table_name(table)
    rest = Filters(**{**vars(filters), "date": None, "date_from": None, "date_to": None})
    con = connect(out_dir)
    try:
        have = [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
        if "issue_date" not in have:
            return 0
        sql_where, params = where(have, rest, table)
        sql_where = (sql_where + " AND" if sql_where else " WHERE") + " issue_date IS NULL"
        return con.execute(f"SELECT count(*) FROM {table}{sql_where}", params).fetchone()[0]
    finally:
        con.close()


def _q(col: str) -> str:
    return '"' + col.replace('"', '""') + '"'


def width(s: str) -> int:
    """Terminal columns ``s`` takes (wide and full-width characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def clip(s: str, limit: int) -> str:
    """``s`` cut to ``limit`` terminal columns, with … where cut."""
    if width(s) <= limit:
        return s
    out, w = [], 0
    for ch in s:
        cw = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if w + cw > limit - 1:
            break
        out.append(ch)
        w += cw
    return "".join(out) + "…"


def cell(value) -> str:
    """How a value reads in a table: lists (stored as JSON) joined, floats without .0."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] == "[" and value[-1:] == "]":
        try:
            items = json.loads(value)
        except ValueError:
            items = None
        if isinstance(items, list):
            return no_controls(", ".join(str(v) for v in items))
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return no_controls(" ".join(str(value).split())) if isinstance(value, str) else str(value)


def format_table(cols: list[str], rows: list[tuple], cell_width: int = CELL_WIDTH) -> str:
    """A plain aligned table: header, dashes, rows; numbers right-aligned."""
    cells = [[clip(cell(v), cell_width) for v in row] for row in rows]
    widths = [max([width(c)] + [width(r[i]) for r in cells]) for i, c in enumerate(cols)]
    numeric = [all(isinstance(row[i], (int, float)) or row[i] is None for row in rows) and rows
               for i in range(len(cols))]

    def line(values: list[str]) -> str:
        parts = []
        for i, v in enumerate(values):
            pad = " " * (widths[i] - width(v))
            parts.append(pad + v if numeric[i] else v + pad)
        return "  ".join(parts).rstrip()

    return "\n".join([line(list(cols)), line(["-" * w for w in widths])] + [line(r) for r in cells])


def show(out_dir: Path, table: str, filters: Filters | None = None, columns: list[str] | None = None,
         limit: int | None = None, fmt: str = "table", file=None) -> int:
    """Print a table; returns the number of rows printed."""
    file = file or sys.stdout
    table = table_name(table)
    if columns == ["*"]:
        columns = None
    elif not columns and fmt == "table":
        columns = default_columns(table)
    if limit is None and fmt == "table":
        limit = TERMINAL_LIMIT
    cols, rows, total = query(out_dir, table, filters, columns, limit)
    if fmt == "table":
        print(format_table(cols, rows), file=file, flush=True)
        more = " (--limit to see more)" if total > len(rows) else ""
        print(f"{len(rows)} of {total} rows{more}", file=sys.stderr)
    elif fmt == "csv":
        w = csv.writer(file, lineterminator="\n")
        w.writerow(cols)
        w.writerows([no_controls(v) if isinstance(v, str) else v for v in row] for row in rows)
    elif fmt in ("json", "jsonl"):
        objs = [dict(zip(cols, r)) for r in rows]
        if fmt == "jsonl":
            for o in objs:
                print(json_line(o), file=file)
        else:
            print("[" + ",\n ".join(json_line(o) for o in objs) + "]", file=file)
    else:
        raise ShowError(f"--format {fmt!r}: give table, csv, json or jsonl")
    missing = undated(out_dir, table, filters or Filters())
    if missing:
        print(f"{missing} more rows come from pages with no issue date, which a date filter leaves "
              "out: give their dates in metadata.toml (see the README)", file=sys.stderr)
    return len(rows)
