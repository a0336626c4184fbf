"""How far two labellers agree: two label files of figure semantics (the columns of
``tests/labels/semantics/*.tsv``: source, start, end, text, metric, subject, period_text, status,
change, basis), their rows matched by source + start + end, and per field the share of the
matched rows on which the two agree — by the matches ``scripts/eval_semantics.py`` scores with
(metric, subject, basis lenient: both empty or one contains the other once spaces and 的 are
dropped; period lenient on period_text; status, change exact).

    .venv/bin/python scripts/label_agreement.py A.tsv B.tsv        # shares per field
    .venv/bin/python scripts/label_agreement.py A.tsv B.tsv -v     # and every disagreeing row

Rows only one file has are counted and, with -v, listed, but not scored.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_semantics import FIELDS, read_labels, same  # noqa: E402


def key(row: dict) -> tuple[str, int, int]:
    return row["source"], row["start"], row["end"]


def agreement(a: list[dict], b: list[dict]) -> dict:
    """{"matched", "only_a", "only_b", "share": {field: share of matched rows agreeing},
    "disagree": {field: [(row_a, row_b), …]}} for two lists of label rows."""
    by_b = {key(r): r for r in b}
    keys_a = {key(r) for r in a}
    pairs = [(r, by_b[key(r)]) for r in a if key(r) in by_b]
    disagree = {f: [(x, y) for x, y in pairs if not same(f, x, y)] for f in FIELDS}
    n = len(pairs)
    return {
        "matched": n,
        "only_a": [r for r in a if key(r) not in by_b],
        "only_b": [r for r in b if key(r) not in keys_a],
        "share": {f: (n - len(disagree[f])) / n if n else 0.0 for f in FIELDS},
        "disagree": disagree,
    }


def _cell(row: dict, field: str) -> str | None:
    return row.get("period_text" if field == "period" else field) or None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a", type=Path, help="a label file (TSV)")
    ap.add_argument("b", type=Path, help="another label file of the same figures")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every disagreeing row")
    args = ap.parse_args(argv)
    a, b = read_labels(args.a), read_labels(args.b)
    got = agreement(a, b)
    print(f"{args.a.name} ({len(a)} rows) ~ {args.b.name} ({len(b)} rows): {got['matched']} matched, "
          f"{len(got['only_a'])} only in the first, {len(got['only_b'])} only in the second")
    print("  ".join(f"{f} {got['share'][f]:.2f}" for f in FIELDS))
    if args.verbose:
        for f in FIELDS:
            for x, y in got["disagree"][f]:
                print(f"  {f:8} {x['source']}:{x['start']} {x['text']}: "
                      f"{_cell(x, f)!r} ~ {_cell(y, f)!r}")
        for name, rows in (("only in the first", got["only_a"]), ("only in the second", got["only_b"])):
            for r in rows:
                print(f"  {name}: {r['source']}:{r['start']} {r['text']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
