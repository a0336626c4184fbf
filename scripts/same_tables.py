"""Whether two ``baozhi run`` output folders hold the same tables, byte for byte.

    python scripts/same_tables.py OUT_A OUT_B

Compares every CSV and JSONL table and the SQLite database's rows (``iterdump``); prints the
first differing line of each table that differs and exits 1 if any does. Used to check that a
speed change leaves the records as they were (a run of this checkout against a run of
``main`` on corpus/ and on ../shared/pd1998/pages).
"""
from __future__ import annotations

import sqlite3
import sys
from pathlib import Path


def sqlite_rows(path: Path) -> list[str]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def main() -> int:
    a, b = (Path(x) for x in sys.argv[1:3])
    names = sorted({p.name for d in (a, b) for p in d.iterdir() if p.suffix in (".csv", ".jsonl", ".sqlite")})
    bad = 0
    for name in names:
        pa, pb = a / name, b / name
        if not (pa.exists() and pb.exists()):
            print(f"{name}: only in {'the first' if pa.exists() else 'the second'}")
            bad += 1
            continue
        if name.endswith(".sqlite"):
            la, lb = sqlite_rows(pa), sqlite_rows(pb)
        else:
            la = pa.read_text(encoding="utf-8").splitlines()
            lb = pb.read_text(encoding="utf-8").splitlines()
        if la == lb:
            print(f"{name}: same ({len(la):,} lines)")
            continue
        bad += 1
        at = next((i for i, (x, y) in enumerate(zip(la, lb)) if x != y), min(len(la), len(lb)))
        print(f"{name}: DIFFERENT ({len(la):,} vs {len(lb):,} lines); first at line {at + 1}:\n"
              f"  - {la[at] if at < len(la) else '<end>'}\n  + {lb[at] if at < len(lb) else '<end>'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
