"""Time find_figures on the bundled corpus pages (after one warm-up call).

    .venv/bin/python scripts/bench_figures.py [--repeat N]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from baozhi.layers.figures.figures import find_figures  # noqa: E402
from baozhi.stages.repair import repair  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args(argv)
    pages = [(p.name, repair(p.read_text(encoding="utf-8")).text) for p in sorted((ROOT / "corpus").glob("*.txt"))]
    t0 = time.perf_counter()
    find_figures(pages[0][1])
    print(f"first call (compiles patterns, loads rules): {1000 * (time.perf_counter() - t0):.1f} ms")
    for name, text in pages:
        t0 = time.perf_counter()
        for _ in range(args.repeat):
            figs = find_figures(text)
        ms = 1000 * (time.perf_counter() - t0) / args.repeat
        print(f"{name}: {len(text):6d} chars {len(figs):3d} figures {ms:6.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
