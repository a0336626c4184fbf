"""Score the held-out kinds (tests/data/heldout_kinds.yaml): per kind, the share of its
sentences whose every expected date interval and figure is found (and, for a negative, no
record overlaps the span named), then overall.

    .venv/bin/python scripts/eval_heldout.py [-v]     (-v: print each miss)
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "heldout_kinds.yaml"


def _iso(d) -> str:
    return d.isoformat() if isinstance(d, dt.date) else str(d)


def check(case: dict, issue: dt.date) -> str | None:
    """None when the case passes, else what was missed."""
    from baozhi.layers.dates.dates import find_dates
    from baozhi.layers.figures.figures import find_figures
    text = case["text"]
    dates = find_dates(text, issue)
    figs = find_figures(text)
    got = {(d["start_date"], d["end_date"]) for d in dates}
    for a, b in case.get("dates", []):
        if (_iso(a), _iso(b)) not in got:
            return f"date {_iso(a)}..{_iso(b)} not in {sorted(got, key=str)}"
    for want in case.get("figures", []):
        if not any(all(f.get(k) == v or (isinstance(v, (int, float)) and isinstance(f.get(k), (int, float))
                                         and abs(f[k] - v) < 1e-6) for k, v in want.items())
                   for f in figs):
            return f"figure {want} not in {[{k: f[k] for k in ('text', 'value', 'low', 'high', 'unit', 'approx')} for f in figs]}"
    if case.get("none"):
        s = text.index(case["none"])
        e = s + len(case["none"])
        hit = [r["text"] for r in dates + figs if r["start"] < e and s < r["end"]]
        if hit:
            return f"negative {case['none']!r} overlapped by {hit}"
    return None


def score(path: Path = DATA, verbose: bool = False) -> dict[str, tuple[int, int]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    issue = data["issue_date"]
    out = {}
    for kind, cases in data["kinds"].items():
        ok = 0
        for case in cases:
            miss = check(case, issue)
            if miss is None:
                ok += 1
            elif verbose:
                print(f"  MISS {kind}: {case['text']}  {miss}")
        out[kind] = (ok, len(cases))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    res = score(verbose=args.verbose)
    for kind, (ok, n) in res.items():
        print(f"{kind:28s} {ok:3d}/{n:<3d} {100 * ok / n:5.1f} %")
    ok = sum(a for a, _ in res.values())
    n = sum(b for _, b in res.values())
    print(f"{'overall':28s} {ok:3d}/{n:<3d} {100 * ok / n:5.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
