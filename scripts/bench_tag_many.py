"""The entities layer's page pass (``entities.tag_many``: the CRF's feature ids, scores and
Viterbi for all the articles of a page at once) timed in CPU seconds on the inputs
``baozhi run`` gives it, this checkout against another one, side by side.

    python scripts/bench_tag_many.py [OTHER_PYTHON] [FOLDER] [--limit N] [--rounds R] [--passes P] [--profile N]

Each round is a fresh process per checkout (this, other, this, other, ...): it loads the
pipeline (``warm_up``), runs ``process_page`` over the pages once recording every
``tag_many`` call's input (the call itself runs too, so its memos are warm as in a run),
then times ``P`` passes of ``tag_many`` over the recorded inputs and keeps the best pass.
Prints per round and the best of each, with their ratio, and a digest of the results (the
same on both sides when the labels and spans are). ``--profile N`` prints this checkout's
cProfile of one pass instead (top N by own time, then by cumulative time).
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
import gc, hashlib, json, sys, time
from pathlib import Path
from baozhi.run.batch import find_pages
from baozhi.run.chunked import warm_up
from baozhi.run.process import process_page
from baozhi.stages.ingest import load_metadata, read_page
from baozhi.layers.entities import entities
folder, limit, profile, passes = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
meta = load_metadata(folder)
paths = find_pages(folder)
pages = [read_page(p, folder, meta) for p in (paths[:limit] if limit else paths)]
warm_up()
real, calls = entities.tag_many, []
def record(items):
    items = [(t, list(k) if k is not None else None) for t, k in items]
    calls.append(items)
    return real(items)
entities.tag_many = record
try:
    for p in pages:
        process_page(p)
finally:
    entities.tag_many = real
def run():
    return [real(c) for c in calls]
if profile:
    import cProfile, pstats
    pr = cProfile.Profile()
    pr.enable()
    run()
    pr.disable()
    st = pstats.Stats(pr, stream=sys.stderr)
    st.sort_stats("tottime").print_stats(profile)
    st.sort_stats("cumulative").print_stats(profile)
    print(json.dumps({}))
    sys.exit(0)
best = float("inf")
for _ in range(passes):
    gc.collect()
    t = time.process_time()
    out = run()
    best = min(best, time.process_time() - t)
def plain(x):
    return [[(sp[:4]) for sp in spans] + [(c[0], list(c[2])) for c in chunks] for spans, chunks in x]
digest = hashlib.sha256(json.dumps([plain(x) for x in out], default=str).encode()).hexdigest()[:16]
print(json.dumps({"tag": best, "calls": len(calls), "texts": sum(map(len, calls)),
                  "chars": sum(len(t) for c in calls for t, _ in c), "digest": digest}))
"""


def once(python: str, folder: Path, limit: int, profile: int = 0, passes: int = 3) -> dict:
    out = subprocess.run([python, "-c", CHILD, str(folder), str(limit), str(profile), str(passes)],
                         capture_output=not profile, text=True, cwd="/")
    if out.returncode:
        sys.exit(f"{python}: {(out.stderr or '')[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1]) if not profile else {}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("other", nargs="?", help="the other checkout's Python (none: this one alone)")
    ap.add_argument("folder", nargs="?", default=str(PAGES))
    ap.add_argument("--limit", type=int, default=60)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--passes", type=int, default=3, help="timed passes per process (the best kept)")
    ap.add_argument("--profile", type=int, default=0, help="print a cProfile (top N) instead")
    args = ap.parse_args()
    folder = Path(args.folder)
    if args.profile:
        once(sys.executable, folder, args.limit, args.profile)
        return
    sides = {"this": sys.executable} | ({"other": args.other} if args.other else {})
    best: dict[str, float] = {}
    for r in range(args.rounds):
        for name, py in sides.items():
            got = once(py, folder, args.limit, passes=args.passes)
            best[name] = min(best.get(name, float("inf")), got["tag"])
            print(f"round {r + 1} {name:5}: tag_many {got['tag']:.3f} s CPU "
                  f"({got['calls']} calls, {got['texts']} texts, {got['chars']} chars, "
                  f"digest {got['digest']}; load {os.getloadavg()[0]:.1f})", flush=True)
    line = "  ".join(f"{k} {v:.3f} s" for k, v in best.items())
    if "other" in best:
        line += f"  other/this {best['other'] / best['this']:.2f}x"
    print("best:", line)


if __name__ == "__main__":
    main()
