"""Issue 14's speed bar: ``process_page`` (the path of ``baozhi run``) with the figures'
semantics (``semantics.describe``: metric, subject, period, status, change, basis) against the
same pipeline without them, in one process, CPU seconds, rounds interleaved, best of each.

    python scripts/bench_semantics_share.py [FOLDER] [--limit N] [--rounds R]

"Without" replaces ``semantics.describe`` by a function that hands the figures back as they
are (benchmark only: no user option skips the semantics; the targets, which the statuses read,
are still found once, by the figures layer or by the targets layer). Also prints the CPU spent
inside ``describe`` in the rounds with it. The issue's bar: with / without <= 1.10.
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT.parent / "shared" / "pd1998" / "pages"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?", default=str(PAGES))
    ap.add_argument("--limit", type=int, default=60)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    from baozhi.layers.figures import semantics
    from baozhi.run.batch import find_pages
    from baozhi.run.chunked import warm_up
    from baozhi.run.process import process_page
    from baozhi.stages.ingest import load_metadata, read_page

    folder = Path(args.folder)
    meta = load_metadata(folder)
    paths = find_pages(folder)
    pages = [read_page(p, folder, meta) for p in (paths[:args.limit] if args.limit else paths)]
    warm_up()
    real = semantics.describe
    inside = [0.0]

    def timed(*a, **k):
        t = time.process_time()
        try:
            return real(*a, **k)
        finally:
            inside[0] += time.process_time() - t

    def skipped(text, figures, *a, **k):
        return figures

    for p in pages[:3]:          # the lazy parts of both paths loaded before any timing
        process_page(p)
    got: dict[str, list[float]] = {"with": [], "without": []}
    spent = []
    for r in range(args.rounds):
        for name, fn in (("with", timed), ("without", skipped)):
            semantics.describe = fn
            inside[0] = 0.0
            t = time.process_time()
            for p in pages:
                process_page(p)
            got[name].append(time.process_time() - t)
            if name == "with":
                spent.append(inside[0])
            print(f"round {r + 1} {name:<7}: {got[name][-1]:6.2f} s CPU"
                  + (f" (describe {inside[0]:.2f} s)" if name == "with" else "")
                  + f" (load {os.getloadavg()[0]:.1f})", flush=True)
    semantics.describe = real
    w, wo = min(got["with"]), min(got["without"])
    print(f"\n{len(pages)} pages, {sum(len(p.text) for p in pages):,} characters, best of {args.rounds}:")
    print(f"  with semantics {w:.2f} s, without {wo:.2f} s: with/without {w / wo:.3f} "
          f"(bar: <= 1.10); describe alone best {min(spent):.2f} s")


if __name__ == "__main__":
    main()
