"""Time ``baozhi run`` on a folder of pages: full runs, a rerun with nothing changed, a rerun
after one page is added, and ``baozhi report`` on the result.

    .venv/bin/python scripts/bench_batch.py [--pages ../shared/pd1998/pages] [--workers 1,2]

The pages are copied to a temporary folder (nothing is written next to them); one page is
held back and added before the last rerun. Each step runs the real command in a fresh
process, so the times include Python's start-up and imports. Prints a table.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from same_tables import differences   # the project's one comparer (scripts/)

ROOT = Path(__file__).resolve().parent.parent
SUMMARY = re.compile(r"(\d+) pages \((\d+) processed, (\d+) reused, (\d+) removed\), (\d+) articles")


def baozhi(*args: str) -> tuple[float, str, int]:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "baozhi", *args], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8")
    return time.perf_counter() - t0, proc.stderr, proc.returncode


def parsed(stderr: str) -> dict:
    m = None
    for m in SUMMARY.finditer(stderr):
        pass
    if m is None:
        raise SystemExit(f"no summary in the output:\n{stderr[-2000:]}")
    keys = ("pages", "processed", "reused", "removed", "articles")
    return dict(zip(keys, map(int, m.groups())))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", default=str(ROOT.parent / "shared" / "pd1998" / "pages"))
    ap.add_argument("--workers", default="1,2", help="comma-separated worker counts for full runs")
    args = ap.parse_args()
    pages = sorted(Path(args.pages).glob("*.txt"))
    if len(pages) < 2:
        raise SystemExit(f"{args.pages}: fewer than two pages")
    chars = sum(len(p.read_text(encoding="utf-8", errors="replace")) for p in pages)
    rows = []
    with tempfile.TemporaryDirectory(prefix="baozhi-bench-") as tmp:
        tmp = Path(tmp)
        src = tmp / "in"
        src.mkdir()
        for p in pages[:-1]:
            shutil.copy(p, src / p.name)
        for extra in ("metadata.toml",):
            if (Path(args.pages) / extra).is_file():
                shutil.copy(Path(args.pages) / extra, src / extra)
        outs = []
        for w in [int(x) for x in args.workers.split(",")]:
            out = tmp / f"out{w}"
            secs, err, rc = baozhi("run", str(src), "--out", str(out), "--workers", str(w))
            rows.append((f"full run, {w} worker{'s' if w > 1 else ''}", parsed(err), secs, rc))
            outs.append(out)
        identical = not any(differences(outs[0], o) for o in outs[1:])
        out = outs[0]
        secs, err, rc = baozhi("run", str(src), "--out", str(out), "--workers", "1")
        rows.append(("rerun, nothing changed", parsed(err), secs, rc))
        shutil.copy(pages[-1], src / pages[-1].name)
        secs, err, rc = baozhi("run", str(src), "--out", str(out), "--workers", "1")
        rows.append(("rerun, one page added", parsed(err), secs, rc))
        secs, err, rc = baozhi("report", "--out", str(out), "--html", str(tmp / "report.html"))
        size = (tmp / "report.html").stat().st_size if (tmp / "report.html").exists() else 0

    print(f"{len(pages)} pages, {chars:,} characters ({args.pages})\n")
    print(f"{'step':<26} {'processed':>9} {'reused':>7} {'articles':>8} {'seconds':>8} {'exit':>4}")
    for name, s, secs_, rc_ in rows:
        print(f"{name:<26} {s['processed']:>9} {s['reused']:>7} {s['articles']:>8} {secs_:>8.2f} {rc_:>4}")
    print(f"{'report (HTML, ' + format(size / 1e6, '.1f') + ' MB)':<26} {'':>9} {'':>7} {'':>8} {secs:>8.2f} {rc:>4}")
    print(f"\ntables identical across worker counts: {'yes' if identical else 'NO'}")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
