"""The A/B harness the ``bench_*`` scripts that time one layer's call share (bench_tag_many.py,
bench_entities_find.py): a child program run in a fresh process per checkout, this one and
another (this, other, this, other, ...: interleaved rounds), the best CPU time of each kept and
their ratio printed.

A bench script gives ``main`` its child's code (after ``PRELUDE``), the name of the timed
figure in the child's JSON line and a ``describe`` of that line. The child sees ``folder``,
``limit``, ``profile``, ``argv`` (the script's extra arguments) and ``pages`` (the pages
``baozhi run`` would read), with the pipeline loaded (``warm_up``); it prints one JSON line,
or calls ``profiled(run, profile)`` (a cProfile of ``run()`` to stderr, then exit) when
``profile`` is set.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT.parent / "shared" / "pd1998" / "pages"

PRELUDE = r"""
import gc, hashlib, json, sys, time
from pathlib import Path
from baozhi.run.batch import find_pages
from baozhi.run.chunked import warm_up
from baozhi.run.process import process_page
from baozhi.stages.ingest import load_metadata, read_page
folder, limit, profile, argv = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
meta = load_metadata(folder)
paths = find_pages(folder)
pages = [read_page(p, folder, meta) for p in (paths[:limit] if limit else paths)]
warm_up()
def profiled(run, top):
    import cProfile, pstats
    pr = cProfile.Profile()
    pr.enable()
    run()
    pr.disable()
    st = pstats.Stats(pr, stream=sys.stderr)
    st.sort_stats("tottime").print_stats(top)
    st.sort_stats("cumulative").print_stats(top)
    print(json.dumps({}))
    sys.exit(0)
"""


def once(child: str, python: str, folder: Path, limit: int, profile: int = 0,
         extra: tuple[str, ...] = ()) -> dict:
    """The JSON line ``PRELUDE + child`` prints when run by ``python`` ({} when profiling: the
    profile goes to the terminal)."""
    out = subprocess.run([python, "-c", PRELUDE + child, str(folder), str(limit), str(profile), *extra],
                         capture_output=not profile, text=True, cwd="/")
    if out.returncode:
        sys.exit(f"{python}: {(out.stderr or '')[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1]) if not profile else {}


def parser(doc: str | None) -> argparse.ArgumentParser:
    """The common arguments: OTHER_PYTHON, FOLDER, --limit, --rounds, --profile."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("other", nargs="?", help="the other checkout's Python (none: this one alone)")
    ap.add_argument("folder", nargs="?", default=str(PAGES))
    ap.add_argument("--limit", type=int, default=60)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--profile", type=int, default=0, help="print a cProfile (top N) instead")
    return ap


def main(child: str, key: str, describe: Callable[[dict], str], args: argparse.Namespace,
         extra: tuple[str, ...] = ()) -> None:
    """Interleaved rounds of ``child`` on this Python and ``args.other``, printing each round
    (``describe`` of its line) and the best ``key`` of each side with their ratio; with
    ``args.profile``, this checkout's profile only."""
    folder = Path(args.folder)
    if args.profile:
        once(child, sys.executable, folder, args.limit, args.profile, extra)
        return
    sides = {"this": sys.executable} | ({"other": args.other} if args.other else {})
    best: dict[str, float] = {}
    for r in range(args.rounds):
        for name, py in sides.items():
            got = once(child, py, folder, args.limit, extra=extra)
            best[name] = min(best.get(name, float("inf")), got[key])
            print(f"round {r + 1} {name:5}: {describe(got)}; load {os.getloadavg()[0]:.1f})", flush=True)
    line = "  ".join(f"{k} {v:.3f} s" for k, v in best.items())
    if "other" in best:
        line += f"  other/this {best['other'] / best['this']:.2f}x"
    print("best:", line)
