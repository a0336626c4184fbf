"""``baozhi run`` of a batch of pages in fresh processes: wall and CPU time, pages per
CPU-second, peak memory, and 1 against 2 workers — the figures of docs/SCALE.md and of the
README's workers lines (``bench_stages.py`` calls ``compare`` for its own line).

    .venv/bin/python scripts/bench_scale.py [--pages ../shared/pd1998/pages] [--limit N]
        [--executor local|dask] [--workers 1,2] [--repeat N] [--python PY ...]

Copies the first ``--limit`` pages to a temporary folder and runs the real command, each run
in a fresh process with a fresh output folder (models loaded, nothing reused). Per run: wall
time, and CPU time (user + system) and peak RSS of that run's process tree only (``os.wait4``
on it: the workers and the table writer are its children, waited for, so they are counted;
nothing of an earlier run is). Every configuration (worker count, and ``--python``: the
interpreter of a checkout's venv, repeat it to compare checkouts side by side) runs
``--repeat`` times, alternating, so a change in the machine's load hits all alike. Printed:
best and median of wall and CPU, pages per CPU-second, the largest peak RSS; then, with 1 and
2 workers, the wall ratio (best/best and median/median: meaningful on an idle machine only) and
CPU of 2 workers / CPU of 1 (≈ 1.0 when nothing is done twice; steady on a shared machine).
The load average is printed before and after.

Each run also prints its main process's timeline (``BAOZHI_TIMELINE=1``: CPU seconds of each
step, and of the forked helpers), from which the serial/parallel split is computed in CPU
time (``split``): serial before the pages (start-up, plan, loading the models), the parallel
part (the workers' CPU, what the main process does meanwhile — indexing the articles for the
full-text index included, ``fts_index_part`` — and, for a checkout of session 10, what its forked
index builder did past the model loading it ran beside), the serial tail (after the last page:
the longer of the main process's writing and the SQLite writer's), and the wall time an idle
2-core machine would take, ``serial + parallel / workers + tail``: the "CPU-normalised"
2 workers / 1 ratio, which does not depend on the load of a shared machine (the 1-worker run
is serial throughout: its CPU time is its idle wall time).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT.parent / "shared" / "pd1998" / "pages"


@dataclass
class Run:
    wall: float
    cpu: float
    rss_mb: float
    code: int
    steps: dict = field(default_factory=dict)   # the run's timeline: step -> (wall, CPU)


def run_child(cmd: list[str], **kw) -> tuple[Run, str]:
    """Run ``cmd`` in a fresh process: (wall, CPU and peak RSS of its process tree, exit
    code), and the end of its stderr."""
    env = dict(kw.pop("env", None) or os.environ, BAOZHI_TIMELINE="1")
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env, **kw)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read()[-4000:].decode("utf-8", "replace")
    from baozhi.run.batch import parse_timeline

    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code,
               parse_timeline(tail)), tail


def first_pages(src: Path, limit: int = 0) -> list[Path]:
    """The first ``limit`` page files under ``src`` (all with 0), as ``baozhi run`` finds them."""
    from baozhi.run.batch import find_pages

    return find_pages(Path(src))[: limit or None]


def copy_pages(src: Path, dest: Path, limit: int = 0) -> tuple[int, int]:
    """The first ``limit`` page files of ``src`` (all with 0) and its metadata into ``dest``:
    (pages, characters)."""
    pages = first_pages(src, limit)
    dest.mkdir(parents=True, exist_ok=True)
    if (Path(src) / "metadata.toml").is_file():
        shutil.copy(Path(src) / "metadata.toml", dest / "metadata.toml")
    chars = 0
    for p in pages:
        (dest / p.relative_to(src)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(p, dest / p.relative_to(src))
        chars += len(p.read_text(encoding="utf-8", errors="replace"))
    return len(pages), chars


def compare(pages_dir: Path, limit: int, workers=(1, 2), repeat: int = 1,
            pythons: list[str] | None = None, executor: str = "local",
            log=print) -> dict[tuple[str, int], list[Run]]:
    """Every (python, workers) configuration run ``repeat`` times, alternating; the runs."""
    pythons = pythons or [sys.executable]
    got: dict[tuple[str, int], list[Run]] = {(py, w): [] for py in pythons for w in workers}
    with tempfile.TemporaryDirectory(prefix="baozhi-scale-") as tmp:
        src = Path(tmp) / "in"
        n, chars = copy_pages(pages_dir, src, limit)
        log(f"{n} pages, {chars:,} characters ({pages_dir}); executor {executor}; "
            f"load average {os.getloadavg()[0]:.2f} at start; {os.cpu_count()} cores")
        for i in range(repeat):
            for py in pythons:
                for w in workers:
                    out = Path(tmp) / f"out-{i}-{w}-{pythons.index(py)}"
                    run, tail = run_child([py, "-m", "baozhi", "run", str(src), "--out", str(out),
                                           "--workers", str(w), "--executor", executor], cwd=ROOT)
                    if run.code not in (0, 1):
                        raise SystemExit(f"{py}: exit {run.code}\n{tail}")
                    got[(py, w)].append(run)
                    shutil.rmtree(out, ignore_errors=True)
                    log(f"  {_name(py, pythons)} {w} worker(s): {run.wall:.1f} s wall, "
                        f"{run.cpu:.1f} s CPU, {run.rss_mb:.0f} MB (load {os.getloadavg()[0]:.1f})")
        log(f"load average {os.getloadavg()[0]:.2f} at the end")
    return got


# the main process's steps before the workers start, while they run, and after the last page
BEFORE = ("start", "plan", "fts_fork", "warm_up", "fork")
DURING = ("preload", "pages")
BESIDE_SQLITE = ("text", "parquet", "sqlite_join")    # while the SQLite writer runs (forked)


def split(run: Run) -> dict[str, float] | None:
    """A run's CPU seconds as serial before the pages, parallel, serial tail, and the
    idle-machine wall time ``serial + parallel / workers + tail`` (``workers`` filled in by
    ``summary``); None without a timeline."""
    st = run.steps
    if not st:
        return None
    cpu = {name: c for name, (_, c) in st.items() if not name.endswith("_part")}
    parent = sum(c for name, c in cpu.items() if not name.endswith("_child"))
    helpers = sum(c for name, c in cpu.items() if name.endswith("_child"))
    before = sum(cpu.get(n, 0.0) for n in BEFORE)
    fts = cpu.get("fts_child", 0.0)                   # an older checkout's forked index builder
    spill = max(0.0, fts - cpu.get("warm_up", 0.0))   # the builder past the model loading
    during = sum(cpu.get(n, 0.0) for n in DURING)
    workers = max(0.0, run.cpu - parent - helpers)
    beside = sum(cpu.get(n, 0.0) for n in BESIDE_SQLITE)
    rest = parent - before - during - beside
    tail = rest + max(beside, cpu.get("sqlite_child", 0.0))
    return {"serial before": before, "parallel": workers + during + spill, "tail": tail,
            "workers": workers}


def _name(py: str, pythons: list[str]) -> str:
    return py if len(pythons) > 1 else "run"


def summary(got: dict[tuple[str, int], list[Run]], pages: int) -> dict[str, str]:
    """Lines of figures: per configuration, and the 2/1 ratios."""
    out = {}
    for (py, w), runs in got.items():
        walls, cpus = [r.wall for r in runs], [r.cpu for r in runs]
        out[f"{py} | {w} worker(s): wall best / median, CPU best / median, peak RSS"] = (
            f"{min(walls):.1f} / {statistics.median(walls):.1f} s, {min(cpus):.1f} / "
            f"{statistics.median(cpus):.1f} s ({pages / min(cpus):.2f} pages per CPU-s), "
            f"{max(r.rss_mb for r in runs):.0f} MB")
    for py in dict.fromkeys(py for py, _ in got):
        one, two = got.get((py, 1)), got.get((py, 2))
        if not (one and two):
            continue
        w1, w2 = [r.wall for r in one], [r.wall for r in two]
        c1, c2 = [r.cpu for r in one], [r.cpu for r in two]
        out[f"{py} | 2 workers / 1, wall: best, median"] = (
            f"{min(w1) / min(w2):.2f}×, {statistics.median(w1) / statistics.median(w2):.2f}×")
        out[f"{py} | CPU of 2 workers / CPU of 1: best, median"] = (
            f"{min(c2) / min(c1):.2f}, {statistics.median(c2) / statistics.median(c1):.2f}")
        parts = [p for p in (split(r) for r in two) if p]
        if parts:
            med = {k: statistics.median(p[k] for p in parts) for k in parts[0]}
            idle2 = med["serial before"] + med["parallel"] / 2 + med["tail"]
            idle1 = statistics.median(c1)         # one worker: serial throughout
            out[f"{py} | 2 workers, CPU s (median): serial before pages, parallel, serial tail"] = (
                f"{med['serial before']:.2f}, {med['parallel']:.2f}, {med['tail']:.2f} "
                f"(serial {med['serial before'] + med['tail']:.2f} s = parallel / "
                f"{med['parallel'] / max(med['serial before'] + med['tail'], 1e-9):.1f})")
            out[f"{py} | CPU-normalised (idle 2 cores): 1 worker, 2 workers, 2 / 1"] = (
                f"{idle1:.1f} s, {idle2:.1f} s, {idle1 / idle2:.2f}×")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", default=str(PAGES))
    ap.add_argument("--limit", type=int, default=0, help="first N pages (0: all)")
    ap.add_argument("--executor", default="local", choices=("local", "dask"))
    ap.add_argument("--workers", default="1", help="worker counts, comma-separated (1,2)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each configuration")
    ap.add_argument("--python", action="append", help="a checkout's interpreter (repeat)")
    args = ap.parse_args()
    pythons = args.python or [sys.executable]
    workers = [int(w) for w in args.workers.split(",")]
    got = compare(Path(args.pages), args.limit, workers, args.repeat, pythons, args.executor)
    n = len(first_pages(Path(args.pages), args.limit))
    print()
    for key, value in summary(got, n).items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
