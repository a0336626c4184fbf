"""``process_page`` (the path of ``baozhi run``) timed in CPU seconds, this checkout against
another one, side by side: rounds interleaved (this, other, this, other, ...), each round a
fresh process that loads the pipeline, then times every page once; the best round of each.

    python scripts/bench_side_by_side.py OTHER_PYTHON [FOLDER] [--limit N] [--rounds R]

``OTHER_PYTHON`` is the Python of the other checkout's virtual environment (say a worktree of
``main``: ``../wt-base/.venv/bin/python``); this checkout runs with the Python that runs the
script. Prints per round and best: pipeline seconds, ``jieba.lcut`` alone on the same page
texts, the pipeline/jieba ratio, and the ratio of the two checkouts (CPU: steady on a shared
machine; the load average is printed too).

Each child freezes what ``warm_up`` loaded (``gc.freeze()``) before timing, on both sides: what a
worker of ``baozhi run`` has (a forked local worker inherits its parent's freeze; a Dask worker
and a 1-worker run after its first page freeze too), and the same for any two checkouts — so a
change of where ``warm_up`` or ``batch`` freezes is not credited to the pages' code. The collector
is then set as the run sets it in a worker (``batch.WORKER_GC_THRESHOLD``, each page's survivors
frozen after it), for the pages and for jieba's reference alike.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT.parent / "shared" / "pd1998" / "pages"

CHILD = r"""
import json, sys, time
from pathlib import Path
from baozhi.run.batch import find_pages
from baozhi.run.chunked import warm_up
from baozhi.run.process import process_page
from baozhi.stages.ingest import load_metadata, read_page
folder, limit = Path(sys.argv[1]), int(sys.argv[2])
meta = load_metadata(folder)
paths = find_pages(folder)
pages = [read_page(p, folder, meta) for p in (paths[:limit] if limit else paths)]
warm_up()
import gc
gc.freeze()    # what a worker has (see the docstring): on both sides
try:           # (a checkout before the run set the threshold: the same numbers)
    from baozhi.run.batch import WORKER_GC_THRESHOLD
except ImportError:
    WORKER_GC_THRESHOLD = (20_000, 10, 10)
gc.set_threshold(*WORKER_GC_THRESHOLD)
import jieba
jieba.lcut("初始化词典")
t = time.process_time()
for p in pages:
    process_page(p)
    gc.freeze()
run = time.process_time() - t
t = time.process_time()
for p in pages:
    jieba.lcut(p.text)
cut = time.process_time() - t
print(json.dumps({"run": run, "jieba": cut, "chars": sum(len(p.text) for p in pages)}))
"""


def once(python: str, folder: Path, limit: int) -> dict:
    out = subprocess.run([python, "-c", CHILD, str(folder), str(limit)], capture_output=True,
                         text=True, cwd="/")
    if out.returncode:
        sys.exit(f"{python}: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("other")
    ap.add_argument("folder", nargs="?", default=str(PAGES))
    ap.add_argument("--limit", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    folder = Path(args.folder)
    got: dict[str, list[dict]] = {"this": [], "other": []}
    for r in range(args.rounds):
        for name, py in (("this", sys.executable), ("other", args.other)):
            m = once(py, folder, args.limit)
            got[name].append(m)
            print(f"round {r + 1} {name:<5}: pipeline {m['run']:6.2f} s CPU, jieba {m['jieba']:5.2f} s, "
                  f"ratio {m['jieba'] / m['run']:.3f} (load {os.getloadavg()[0]:.1f})", flush=True)
    best = {k: (min(x["run"] for x in v), min(x["jieba"] for x in v)) for k, v in got.items()}
    chars = got["this"][0]["chars"]
    print(f"\n{chars:,} characters, best of {args.rounds}:")
    for k, (run, cut) in best.items():
        print(f"  {k:<5}: {run:.2f} s = {chars / run:,.0f} chars/s; pipeline/jieba {cut / run:.3f}×")
    print(f"  this / other speed: {best['other'][0] / best['this'][0]:.2f}×")
    print(json.dumps({k: {"run": v[0], "jieba": v[1]} for k, v in best.items()}))


if __name__ == "__main__":
    main()
