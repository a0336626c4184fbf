"""Time ``baozhi.layers.entities.names.resolve`` on mentions taken from the bundled corpus pages.

    .venv/bin/python scripts/bench_names.py [--rounds 20]

Mentions: every place name the division table finds in ``corpus/*.txt`` (greedy scan) and the
organisation surfaces of ``rules/entities/names/names.yaml``'s examples, each with the 20
characters either side as context, as ``pipeline/layers/entities/entities.py`` passes them. Prints the time of
the first call (tables loaded once per process) and the time per call after it.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from baozhi.layers.entities import names  # noqa: E402
from baozhi.resources import ruleset  # noqa: E402


def mentions() -> list[tuple[str, str, str]]:
    t0 = time.perf_counter()
    names.resolve("太原", "LOC", None)
    print(f"first call (loads the tables): {1000 * (time.perf_counter() - t0):.0f} ms")
    tables = names._tables()
    out = []
    for page in sorted((ROOT / "corpus").glob("*.txt")):
        text = page.read_text(encoding="utf-8")
        i = 0
        while i < len(text):
            for n in range(min(tables.max_len, len(text) - i), 1, -1):
                if text[i:i + n] in tables.by_name:
                    out.append((text[i:i + n], "LOC", text[max(0, i - 20): i + n + 20]))
                    i += n - 1
                    break
            i += 1
    cfg = ruleset.load("entities/names/names.yaml")
    for case in cfg["examples"]:
        out.append((case["surface"], case.get("label", "ORG"), case.get("context", "")))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--home", default="山西省太原市")
    ap.add_argument("--cold", action="store_true", help="empty the name-path cache every round")
    args = ap.parse_args(argv)
    ms = mentions()
    t0 = time.perf_counter()
    for _ in range(args.rounds):
        if args.cold:
            names._path.cache_clear()
        for surface, label, context in ms:
            names.resolve(surface, label, args.home, context)
    dt = time.perf_counter() - t0
    calls = args.rounds * len(ms)
    resolved = sum(1 for s, l, c in ms if names.resolve(s, l, args.home, c)["adcode"])
    print(f"{len(ms)} mentions ({resolved} with an adcode), {calls} calls: "
          f"{1e6 * dt / calls:.1f} µs per call, {calls / dt:,.0f} calls/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
