"""Cold start of ``baozhi annotate`` on one line, side by side for several checkouts.

    python scripts/bench_cold.py [--python PY ...] [--runs N] [--cache DIR]

Each ``--python`` is the interpreter of an environment with some checkout of baozhi
installed (default: the one that runs this script), e.g. this worktree's ``.venv/bin/python``
and a baseline worktree's. Every run is a fresh process fed one line on stdin; the runs of
the checkouts alternate (so a change in the machine's load hits all alike), N each, in two
modes: ``PYTHONDONTWRITEBYTECODE=1`` (an editable checkout compiles its modules from source
at every start) and with bytecode (compiled once beforehand, as after ``pip install``; the
issue's goal counts for this one). Printed per checkout and mode: best and median CPU
(user + system of the child, from ``wait4``) and peak RSS, and the ratios to the first
checkout. The disk cache (``--cache``, default a fresh temporary folder) is filled by one
run of each checkout before timing, as on a machine where baozhi ran before.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_scale import run_child   # scripts/: the one measurement of a fresh process

LINE = json.dumps({"id": "1", "text": "太原市公安局11月16日投资24.7亿元，到2025年形成四大千亿级产业集群。"},
                  ensure_ascii=False) + "\n"


def one_run(python: str, env: dict, line_file: Path) -> tuple[float, float]:
    """(CPU s, peak RSS MB) of one ``python -m baozhi annotate`` fed ``line_file``, measured
    as every fresh process of the benchmarks is (``bench_scale.run_child``)."""
    with open(line_file, "rb") as stdin:
        run, err = run_child([python, "-m", "baozhi", "annotate"], stdin=stdin, env=env)
    if run.code:
        raise SystemExit(f"{python}: exit {run.code}\n{err[-2000:]}")
    return run.cpu, run.rss_mb


def compile_tree(python: str) -> None:
    """Write the bytecode of the package the interpreter imports (as ``pip install`` does)."""
    code = "import baozhi, compileall, pathlib; compileall.compile_dir(pathlib.Path(baozhi.__file__).parent, quiet=1)"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([python, "-c", code], check=True, env=env)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--python", action="append", help="an interpreter with baozhi installed (repeat)")
    ap.add_argument("--runs", type=int, default=7, help="fresh runs per checkout and mode")
    ap.add_argument("--cache", help="BAOZHI_CACHE for the runs (default: a fresh folder)")
    ap.add_argument("--modes", default="source,bytecode", help="source, bytecode or both")
    args = ap.parse_args()
    pythons = args.python or [sys.executable]
    tmp = tempfile.TemporaryDirectory()
    line_file = Path(tmp.name) / "line.jsonl"
    line_file.write_text(LINE, encoding="utf-8")
    base_env = dict(os.environ, BAOZHI_CACHE=args.cache or str(Path(tmp.name) / "cache"))
    base_env.pop("BAOZHI_RULES", None)
    print(f"load average at start: {os.getloadavg()[0]:.1f}; {args.runs} runs each, alternating")
    for mode in args.modes.split(","):
        env = dict(base_env)
        if mode == "source":
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        else:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            for py in pythons:
                compile_tree(py)
        for py in pythons:         # fill the disk cache (and, with bytecode, the .pyc files)
            one_run(py, env, line_file)
        got: dict[str, list[tuple[float, float]]] = {py: [] for py in pythons}
        for _ in range(args.runs):
            for py in pythons:
                got[py].append(one_run(py, env, line_file))
        print(f"\n{mode}: {'with' if mode == 'bytecode' else 'no'} bytecode written "
              f"(load average now {os.getloadavg()[0]:.1f})")
        print(f"{'checkout':<40} {'best CPU':>9} {'median':>8} {'peak RSS':>9}  vs first (best)")
        first = min(c for c, _ in got[pythons[0]])
        for py in pythons:
            cpus = [c for c, _ in got[py]]
            rss = statistics.median(r for _, r in got[py])
            print(f"{py:<40} {min(cpus):8.2f}s {statistics.median(cpus):7.2f}s {rss:7.0f}MB"
                  f"  {min(cpus) / first:.2f}")
    tmp.cleanup()


if __name__ == "__main__":
    main()
