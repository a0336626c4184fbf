"""``semantics.describe`` of this checkout against another checkout's, in one process, call by
call (issue 14's speed work: a change to the figures' semantics measured on a shared machine).

    python scripts/bench_describe_ab.py OTHER_CHECKOUT [FOLDER] [--limit N] [--rounds R]

Runs ``process_page`` once over the first ``--limit`` pages of FOLDER (pd1998 by default) and
keeps a copy of every input ``describe`` gets; then, each round, gives a fresh copy of each input
to this checkout's ``describe`` and to OTHER_CHECKOUT's (its
``pipeline/layers/figures/semantics.py`` loaded as a module beside this one: the rest of the
package is this checkout's), which goes first alternating from call to call, and sums the CPU
time of each. Both see the same load at the same moments, so their ratio is steadier than two
processes run in turn; every output of the two is compared (a pure speed change gives the same
records). Prints each round and the best of each.
"""
from __future__ import annotations

import argparse
import copy
import importlib.util
import inspect
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT.parent / "shared" / "pd1998" / "pages"


def capture(folder: Path, limit: int) -> list[tuple]:
    """The arguments of every ``describe`` call of ``process_page`` on the first pages."""
    from baozhi.layers.figures import semantics
    from baozhi.run.batch import find_pages
    from baozhi.run.process import process_page
    from baozhi.stages.ingest import load_metadata, read_page

    meta = load_metadata(folder)
    paths = find_pages(folder)
    real, got = semantics.describe, []

    def keep(text, figures, entities, dates, targets, issue_date=None, home=None, tokens=None,
             words=None):
        tokens = list(tokens) if tokens is not None else None
        words = list(words) if words is not None else None
        got.append(copy.deepcopy((text, figures, entities, dates, targets, issue_date, home, tokens,
                                  words)))
        return real(text, figures, entities, dates, targets, issue_date, home, tokens=tokens,
                    words=words)

    semantics.describe = keep
    try:
        for p in paths[:limit] if limit else paths:
            process_page(read_page(p, folder, meta))
    finally:
        semantics.describe = real
    return got


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("other", help="the other checkout (its pipeline/layers/figures/semantics.py)")
    ap.add_argument("folder", nargs="?", default=str(PAGES))
    ap.add_argument("--limit", type=int, default=60)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    from baozhi.layers.figures import semantics as ours
    from baozhi.run.chunked import warm_up

    path = Path(args.other) / "pipeline" / "layers" / "figures" / "semantics.py"
    spec = importlib.util.spec_from_file_location("_other_semantics", path)
    other = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = other          # (its dataclasses look their module up)
    spec.loader.exec_module(other)
    warm_up()
    inputs = capture(Path(args.folder), args.limit)

    # the tokens' surfaces, to a describe that takes them (as the frame gives them)
    takes_words = {m: "words" in inspect.signature(m.describe).parameters for m in (ours, other)}

    def call(module, args_):
        text, figures, entities, dates, targets, issue_date, home, tokens, words = copy.deepcopy(args_)
        more = {"words": words} if takes_words[module] else {}
        t = time.process_time()
        out = module.describe(text, figures, entities, dates, targets, issue_date, home, tokens=tokens,
                              **more)
        return time.process_time() - t, out

    for a in inputs[:20]:                   # (the lazy parts of both loaded before any timing)
        call(other, a), call(ours, a)
    spent: dict[str, list[float]] = {"other": [], "this": []}
    for r in range(args.rounds):
        sums = {"other": 0.0, "this": 0.0}
        for i, a in enumerate(inputs):
            order = (("other", other), ("this", ours)) if (i + r) % 2 == 0 else (("this", ours), ("other", other))
            outs = {}
            for name, module in order:
                dt, outs[name] = call(module, a)
                sums[name] += dt
            if outs["this"] != outs["other"]:
                sys.exit(f"call {i}: the outputs differ")
        for name in sums:
            spent[name].append(sums[name])
        print(f"round {r + 1}: other {sums['other']:.3f} s, this {sums['this']:.3f} s, "
              f"this/other {sums['this'] / sums['other']:.3f} (load {os.getloadavg()[0]:.1f})", flush=True)
    o, t = min(spent["other"]), min(spent["this"])
    print(f"\n{len(inputs)} describe calls, {sum(len(a[1]) for a in inputs):,} figures, outputs equal; "
          f"best of {args.rounds}: other {o:.3f} s, this {t:.3f} s, this/other {t / o:.3f}; "
          f"summed over the rounds {sum(spent['this']) / sum(spent['other']):.3f}")


if __name__ == "__main__":
    main()
