"""Whether two ``baozhi run`` output folders hold the same tables, byte for byte.

    python scripts/same_tables.py OUT_A OUT_B

Compares every CSV and JSONL table byte for byte, the SQLite database by its dump
(``iterdump``: schema, rows in rowid order, the full-text index's tables) and every file of the
Parquet dataset byte for byte; prints one line per file (the first differing line of a table
that differs) and exits 1 if any differs. The one comparer of the project: the tests
(``assert_same_tables`` in tests/test_batch.py) and ``bench_batch.py`` call ``differences``. Used
to check that a change leaves the records as they were (a run of this checkout against a run
of ``main`` on corpus/ and on ../shared/pd1998/pages).
"""
from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

TABLE_SUFFIXES = (".csv", ".jsonl", ".sqlite")
PARQUET_DIR = "parquet"


def sqlite_rows(path: Path) -> list[str]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def _lines(path: Path) -> list:
    if path.suffix == ".sqlite":
        return sqlite_rows(path)
    if path.suffix in (".csv", ".jsonl"):
        return path.read_bytes().decode("utf-8").splitlines(keepends=True)   # the same bytes
    return [path.read_bytes()]


def _files(out: Path) -> list[str]:
    """The table files of an output folder, as paths relative to it."""
    names = [p.name for p in out.iterdir() if p.is_file() and p.suffix in TABLE_SUFFIXES]
    parquet = out / PARQUET_DIR
    if parquet.is_dir():
        names += [p.relative_to(out).as_posix() for p in parquet.rglob("*") if p.is_file()]
    return names


def differences(a: Path, b: Path, quiet: bool = True) -> list[str]:
    """One line for each table file that differs between the output folders ``a`` and ``b``
    (or is in one only); empty when they hold the same tables. ``quiet=False`` also prints a
    line for each file that is the same."""
    a, b = Path(a), Path(b)
    out = []
    for name in sorted(set(_files(a)) | set(_files(b))):
        pa, pb = a / name, b / name
        if not (pa.is_file() and pb.is_file()):
            out.append(f"{name}: only in {'the first' if pa.is_file() else 'the second'}")
            continue
        if pa.suffix not in TABLE_SUFFIXES:                       # Parquet: the bytes
            if pa.read_bytes() != pb.read_bytes():
                out.append(f"{name}: DIFFERENT bytes")
            elif not quiet:
                print(f"{name}: same")
            continue
        la, lb = _lines(pa), _lines(pb)
        if la == lb:
            if not quiet:
                print(f"{name}: same ({len(la):,} lines)")
            continue
        at = next((i for i, (x, y) in enumerate(zip(la, lb)) if x != y), min(len(la), len(lb)))
        out.append(f"{name}: DIFFERENT ({len(la):,} vs {len(lb):,} lines); first at line {at + 1}:\n"
                   f"  - {str(la[at]).rstrip() if at < len(la) else '<end>'}\n"
                   f"  + {str(lb[at]).rstrip() if at < len(lb) else '<end>'}")
    return out


def main() -> int:
    a, b = (Path(x) for x in sys.argv[1:3])
    bad = differences(a, b, quiet=False)
    for line in bad:
        print(line)
    print(f"{'DIFFERENT' if bad else 'same tables'}: {a} {b}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
