"""Pages per CPU-second of ``baozhi run``, and the peak memory of a worker: the figures
docs/SCALE.md turns into the cost of an archive.

    .venv/bin/python scripts/bench_scale.py [--pages ../shared/pd1998/pages] [--limit N]
                                            [--executor local|dask] [--workers 1]

Copies the first ``--limit`` pages to a temporary folder and runs the real command in a
fresh process (models loaded, nothing reused). CPU time is user + system of that process and
all its children (workers included), from ``getrusage``; peak RSS is the largest resident
set of any of them. Prints one line per figure.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", default=str(ROOT.parent / "shared" / "pd1998" / "pages"))
    ap.add_argument("--limit", type=int, default=0, help="first N pages (0: all)")
    ap.add_argument("--executor", default="local", choices=("local", "dask"))
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    pages = sorted(Path(args.pages).glob("*.txt"))
    if args.limit:
        pages = pages[:args.limit]
    chars = sum(len(p.read_text(encoding="utf-8", errors="replace")) for p in pages)
    with tempfile.TemporaryDirectory(prefix="baozhi-scale-") as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        meta = Path(args.pages) / "metadata.toml"
        if meta.is_file():
            shutil.copy(meta, src / meta.name)
        for p in pages:
            shutil.copy(p, src / p.name)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "baozhi", "run", str(src), "--out",
                               str(Path(tmp) / "out"), "--workers", str(args.workers),
                               "--executor", args.executor],
                              cwd=ROOT, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(proc.stderr[-2000:])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} after the run")
    print(f"pages: {len(pages)}, chars: {chars}, executor: {args.executor}, workers: {args.workers}")
    print(f"wall: {wall:.1f} s, CPU (all processes): {cpu:.1f} s")
    print(f"pages per CPU-second: {len(pages) / cpu:.3f}  ({cpu / len(pages):.3f} CPU-s per page, "
          f"{chars / cpu:.0f} chars per CPU-second)")
    print(f"peak RSS of the largest process: {after.ru_maxrss / 1024:.0f} MiB")
    print(proc.stderr.strip().splitlines()[-1])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
