"""Stage 7 — export: rows to CSV (UTF-8 with BOM, for Excel), JSONL and one SQLite file.

Entry point: ``write_tables(out_dir, tables)``. Column order is fixed per table (the
contract's fields first); lists are JSON arrays in JSONL and SQLite and ``; ``-joined in
CSV. Every file is written to a temporary name and renamed into place, so a reader never
sees a half-written table.
"""
from __future__ import annotations

import contextlib
import csv
import json
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Iterable

from baozhi.layers import registry

# the tables that are no layer; a layer's columns come from the registry
PAGE_COLUMNS = {
    "articles": ["article_id", "source", "issue_date", "issue_date_origin", "paper", "page", "seq",
                 "kind", "headline", "kicker", "subheading", "dateline", "authors",
                 "continued_from", "start", "end", "chars", "text"],
    "errors": ["source", "article_id", "stage", "line", "error"],
}
DB_NAME = "baozhi.sqlite"


def tables() -> tuple[str, ...]:
    """Every table, in the order they are written: articles, the layers, errors."""
    return registry.tables()


def fixed_columns(table: str) -> list[str]:
    if table in PAGE_COLUMNS:
        return list(PAGE_COLUMNS[table])
    return registry.columns(registry.get(table))


def columns(table: str, rows: Iterable[dict]) -> list[str]:
    """The table's fixed columns, then any extra fields in order of first appearance."""
    cols = fixed_columns(table)
    for row in rows:
        for key in row:
            if key not in cols and not key.startswith("_"):
                cols.append(key)
    return cols


def _cell(value):
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _sql(value):
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def _beside(path: Path, staged: list | None):
    """A temporary file beside ``path``, renamed into place when the block ends, or, with
    ``staged``, left for the caller to rename (``(tmp, path)`` appended); removed if the
    block fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    os.chmod(tmp, _umask_mode())
    try:
        yield tmp
        if staged is None:
            os.replace(tmp, path)
        else:
            staged.append((tmp, path))
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _atomic(path: Path, write, staged: list | None = None) -> None:
    """Write a text file through ``_beside``: ``write(fh)`` fills it."""
    with _beside(path, staged) as tmp:
        with open(tmp, "w", encoding="utf-8-sig" if path.suffix == ".csv" else "utf-8",
                  newline="") as fh:
            write(fh)


def write_csv(path: Path, table: str, rows: list[dict], staged: list | None = None) -> None:
    cols = columns(table, rows)

    def write(fh):
        w = csv.writer(fh)
        w.writerow(cols)
        for row in rows:
            w.writerow(["" if row.get(c) is None else _cell(row.get(c)) for c in cols])
    _atomic(path, write, staged)


def write_jsonl(path: Path, table: str, rows: list[dict], staged: list | None = None) -> None:
    cols = columns(table, rows)

    def write(fh):
        for row in rows:
            fh.write(json.dumps({c: row.get(c) for c in cols}, ensure_ascii=False) + "\n")
    _atomic(path, write, staged)


def write_sqlite(path: Path, tables: dict[str, list[dict]], staged: list | None = None) -> None:
    with _beside(path, staged) as tmp:
        con = sqlite3.connect(tmp)
        try:
            with con:
                for table in registry.tables():
                    rows = tables.get(table, [])
                    cols = columns(table, rows)
                    con.execute(f"CREATE TABLE {table} ({', '.join(_q(c) for c in cols)})")
                    con.executemany(
                        f"INSERT INTO {table} VALUES ({', '.join('?' for _ in cols)})",
                        ([_sql(row.get(c)) for c in cols] for row in rows))
                    for key in ("article_id", "source", "issue_date"):
                        if key in cols:
                            con.execute(f"CREATE INDEX idx_{table}_{key} ON {table} ({key})")
        finally:
            con.close()


def _q(col: str) -> str:
    return '"' + col.replace('"', '""') + '"'


def write_tables(out_dir: Path, tables: dict[str, list[dict]]) -> list[Path]:
    """Write every table as CSV and JSONL, and all of them into one SQLite file.

    Every file is first written under a temporary name; only when all are complete are they
    renamed into place, one after the other, so an interrupted run leaves the previous
    tables (a kill inside the last few renames can mix old and new files; ``baozhi run``
    notices that and rewrites them on its next run)."""
    out_dir = Path(out_dir)
    staged: list[tuple[str, Path]] = []
    try:
        for table in registry.tables():
            rows = tables.get(table, [])
            for suffix, writer in ((".csv", write_csv), (".jsonl", write_jsonl)):
                writer(out_dir / f"{table}{suffix}", table, rows, staged)
        write_sqlite(out_dir / DB_NAME, tables, staged)
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    for tmp, path in staged:
        os.replace(tmp, path)
    return [path for _, path in staged]
