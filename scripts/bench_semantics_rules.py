"""CPU per named rule of ``semantics.describe`` (issue 14: which rules to make cheaper).

    python scripts/bench_semantics_rules.py [FOLDER] [--limit N] [--rounds R] [--top K]
                                            [--frame] [--tables] [--by incl|excl]

Runs ``process_page`` once over the first ``--limit`` pages of FOLDER (pd1998 by default),
keeping every input ``describe`` gets (``bench_describe_ab.capture``); then, each round, calls
``describe`` on a fresh copy of each input with every module-level function of
``semantics.py`` (the rules of every table — METRIC_RULES, SUBJECT_RULES, … and their filter
tables — and the helpers they call, ``_before_link``, ``_np_left`` …; with ``--frame`` also the
methods of ``_Text``; with ``--tables`` only the functions of the ``*_RULES`` tables, fewer
wrapped calls, so less distortion) wrapped to sum its CPU time (``time.process_time_ns``), inclusive (with
what it calls) and exclusive (less the wrapped functions it calls), its calls and its hits
(calls that returned something true: a metric, a subject, a status; True for a filter). The
tables are rebuilt with the wrapped functions, so the driver calls them. The cost of a
wrapper is measured (an empty wrapped call) and subtracted for the wrapped calls below each
call; what is left is still inflated (compare ``describe`` unwrapped and wrapped): read the
table for its order, calls and hit rates, not as seconds.

Prints the ``--top`` costliest by ``--by`` (inclusive by default; averaged over the rounds),
with calls and hit rate, and ``describe``'s CPU unwrapped against wrapped; the wrapped
records are checked equal to the plain ones.
"""
from __future__ import annotations

import argparse
import copy
import functools
import inspect
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_describe_ab import PAGES, capture  # noqa: E402

TABLES = None   # (filled in main: the names of the module's tuples of functions)


class Stats:
    __slots__ = ("incl", "excl", "calls", "hits", "below", "children")

    def __init__(self):
        self.incl = self.excl = self.calls = self.hits = self.below = self.children = 0


def instrument(module, frame: bool, only_tables: bool = False):
    """Wrap the module's functions (and, ``frame``, ``_Text``'s methods) in place; return the
    stats by name and a function that undoes it."""
    clock = time.process_time_ns
    stats: dict[str, Stats] = {}
    # per open call: [time spent in wrapped callees, wrapped calls below it, direct ones]
    stack = [[0, 0, 0]]
    saved_globals: dict[str, object] = {}
    saved_attrs: list[tuple[object, str, object]] = []

    def wrap(name, fn):
        st = stats.setdefault(name, Stats())

        @functools.wraps(fn)
        def wrapper(*a, **k):
            stack.append([0, 0, 0])
            t0 = clock()
            try:
                got = fn(*a, **k)
            finally:
                dt = clock() - t0
                inner, below, children = stack.pop()
                up = stack[-1]
                up[0] += dt
                up[1] += below + 1
                up[2] += 1
                st.incl += dt
                st.excl += dt - inner
                st.calls += 1
                st.below += below
                st.children += children
            if got:
                st.hits += 1
            return got
        wrapper.__wrapped_fn__ = fn
        return wrapper

    wrapped: dict[int, object] = {}
    in_tables = {id(x) for name, obj in vars(module).items() if name.endswith("_RULES")
                 and isinstance(obj, tuple) for x in obj}
    for name, obj in list(vars(module).items()):
        if inspect.isfunction(obj) and obj.__module__ == module.__name__ and name not in (
                "describe", "_cfg", "rule_names") and (not only_tables or id(obj) in in_tables):
            saved_globals[name] = obj
            w = wrap(name, obj)
            wrapped[id(obj)] = w
            setattr(module, name, w)
    for name, obj in list(vars(module).items()):
        if isinstance(obj, tuple) and obj and all(callable(x) for x in obj) and any(
                id(x) in wrapped for x in obj):
            saved_globals[name] = obj
            setattr(module, name, tuple(wrapped.get(id(x), x) for x in obj))
    if frame:
        for name, obj in list(vars(module._Text).items()):
            if inspect.isfunction(obj) and not name.startswith("__"):
                saved_attrs.append((module._Text, name, obj))
                w = wrap("_Text." + name, obj)
                setattr(module._Text, name, staticmethod(w) if isinstance(
                    inspect.getattr_static(module._Text, name), staticmethod) else w)

    def undo():
        for name, obj in saved_globals.items():
            setattr(module, name, obj)
        for cls, name, obj in saved_attrs:
            setattr(cls, name, obj)
    return stats, undo


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?", default=str(PAGES))
    ap.add_argument("--limit", type=int, default=60)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--frame", action="store_true", help="also _Text's methods")
    ap.add_argument("--tables", action="store_true",
                    help="only the functions of the rule tables (*_RULES), not their helpers")
    ap.add_argument("--by", choices=("incl", "excl"), default="incl", help="the order of the table")
    args = ap.parse_args()
    from baozhi.layers.figures import semantics
    from baozhi.run.chunked import warm_up

    warm_up()
    inputs = capture(Path(args.folder), args.limit)

    def run_all() -> tuple[float, list]:
        spent, outs = 0, []
        for a in inputs:
            text, figures, entities, dates, targets, issue_date, home, tokens, words = copy.deepcopy(a)
            t = time.process_time_ns()
            outs.append(semantics.describe(text, figures, entities, dates, targets, issue_date,
                                           home, tokens=tokens, words=words))
            spent += time.process_time_ns() - t
        return spent / 1e9, outs

    plain, ref = run_all()                   # (lazy parts loaded)
    plain = min(plain, *(run_all()[0] for _ in range(args.rounds)))

    # the cost of one wrapped call: an empty function wrapped the same way
    import types
    probe = types.ModuleType("_probe")
    exec("def f(x):\n    return None\n", probe.__dict__)
    pst, _ = instrument(probe, frame=False)
    n = 20000
    t0 = time.process_time_ns()
    for _ in range(n):
        probe.f(1)
    t1 = time.process_time_ns()
    for _ in range(n):
        pst["f"].__class__      # (the loop alone)
    t2 = time.process_time_ns()
    per_call = max(0, (t1 - t0) - (t2 - t1)) / n

    stats, undo = instrument(semantics, args.frame, args.tables)
    try:
        wrapped_total = 0.0
        for _ in range(args.rounds):
            spent, outs = run_all()
            wrapped_total += spent
            if outs != ref:
                sys.exit("the wrapped describe gave other records")
    finally:
        undo()
    R = args.rounds
    rows = []
    for name, st in stats.items():
        if not st.calls:
            continue
        # the wrappers of the calls it made are overhead: inclusive, every wrapped call below
        # it; exclusive, the part of its direct callees' wrappers outside their own clock
        incl = max(0.0, st.incl - per_call * st.below)
        excl = max(0.0, st.excl - per_call * st.children)
        rows.append((name, incl / R / 1e9, excl / R / 1e9, st.calls // R, st.hits / st.calls))
    rows.sort(key=lambda r: -r[1 if args.by == "incl" else 2])
    print(f"{len(inputs)} describe calls, {sum(len(a[1]) for a in inputs):,} figures; "
          f"describe unwrapped best {plain:.3f} s CPU, wrapped {wrapped_total / R:.3f} s a round "
          f"(a wrapped call costs ~{per_call / 1000:.2f} us, subtracted below)")
    print(f"{'rule / helper':<28} {'incl s':>8} {'excl s':>8} {'calls':>8} {'hit %':>6}")
    for name, incl, excl, calls, hit in rows[:args.top]:
        print(f"{name:<28} {incl:8.3f} {excl:8.3f} {calls:8d} {100 * hit:6.1f}")
    print(f"{'(all, exclusive)':<28} {'':8} {sum(r[2] for r in rows):8.3f}")


if __name__ == "__main__":
    main()
