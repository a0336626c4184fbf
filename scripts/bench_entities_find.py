"""The entities layer's ``find`` (``find_entities``: rules, organisations, names, decoding —
not the CRF's page pass) timed in CPU seconds on the inputs ``baozhi run`` gives it, this
checkout against another one, side by side.

    python scripts/bench_entities_find.py [OTHER_PYTHON] [FOLDER] [--limit N] [--rounds R] [--profile N]

Each round is a fresh process per checkout (this, other, this, other, ...): it loads the
pipeline (``warm_up``), runs ``process_page`` over the pages once with ``find_entities``
replaced by a recorder (so no cache of ``find_entities`` is warmed by it), then times one
pass of the real ``find_entities`` over the recorded inputs (text, home, tokens, the CRF's
page-pass result), after collecting the recording pass's garbage. Prints per round and the best of each, with their ratio, and a digest of
the records (the same on both sides when the records are). ``--profile N`` prints this
checkout's cProfile of that pass instead (top N by own time, then by cumulative time).
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
import hashlib, json, sys, time
from pathlib import Path
from baozhi.run.batch import find_pages
from baozhi.run.chunked import warm_up
from baozhi.run.process import process_page
from baozhi.stages.ingest import load_metadata, read_page
from baozhi.layers.entities import entities
folder, limit, profile = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
meta = load_metadata(folder)
paths = find_pages(folder)
pages = [read_page(p, folder, meta) for p in (paths[:limit] if limit else paths)]
warm_up()
real, calls = entities.find_entities, []
def record(text, home, tokens=None, tagged=None):
    calls.append((text, home, tokens, tagged))
    return []
entities.find_entities = record
try:
    for p in pages:
        process_page(p)
finally:
    entities.find_entities = real
def run():
    return [real(*c) for c in calls]
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
import gc
gc.collect()          # the recording pass's garbage, not this pass's
t = time.process_time()
out = run()
took = time.process_time() - t
digest = hashlib.sha256(json.dumps(out, sort_keys=True, default=str).encode()).hexdigest()[:16]
print(json.dumps({"find": took, "calls": len(calls), "records": sum(map(len, out)),
                  "chars": sum(len(c[0]) for c in calls), "digest": digest}))
"""


def once(python: str, folder: Path, limit: int, profile: int = 0) -> dict:
    out = subprocess.run([python, "-c", CHILD, str(folder), str(limit), str(profile)],
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
            got = once(py, folder, args.limit)
            best[name] = min(best.get(name, float("inf")), got["find"])
            print(f"round {r + 1} {name:5}: find_entities {got['find']:.3f} s CPU "
                  f"({got['calls']} texts, {got['chars']} chars, {got['records']} records, "
                  f"digest {got['digest']}; load {os.getloadavg()[0]:.1f})", flush=True)
    line = "  ".join(f"{k} {v:.3f} s" for k, v in best.items())
    if "other" in best:
        line += f"  other/this {best['other'] / best['this']:.2f}x"
    print("best:", line)


if __name__ == "__main__":
    main()
