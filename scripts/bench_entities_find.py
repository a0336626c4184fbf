"""The entities layer's ``find`` (``find_entities``: rules, organisations, names, decoding —
not the CRF's page pass) timed in CPU seconds on the inputs ``baozhi run`` gives it, this
checkout against another one, side by side.

    python scripts/bench_entities_find.py [OTHER_PYTHON] [FOLDER] [--limit N] [--rounds R] [--profile N]

Each round is a fresh process per checkout (this, other, this, other, ...: ``_ab.py``): it
loads the pipeline (``warm_up``), runs ``process_page`` over the pages once with
``find_entities`` replaced by a recorder (so no cache of ``find_entities`` is warmed by it),
then times one pass of the real ``find_entities`` over the recorded inputs (text, home,
tokens, the CRF's page-pass result), after collecting the recording pass's garbage. Prints
per round and the best of each, with their ratio, and a digest of the records (the same on
both sides when the records are). ``--profile N`` prints this checkout's cProfile of that
pass instead (top N by own time, then by cumulative time).
"""
from __future__ import annotations

import _ab

CHILD = r"""
from baozhi.layers.entities import entities
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
    profiled(run, profile)
gc.collect()          # the recording pass's garbage, not this pass's
t = time.process_time()
out = run()
took = time.process_time() - t
digest = hashlib.sha256(json.dumps(out, sort_keys=True, default=str).encode()).hexdigest()[:16]
print(json.dumps({"find": took, "calls": len(calls), "records": sum(map(len, out)),
                  "chars": sum(len(c[0]) for c in calls), "digest": digest}))
"""


def describe(got: dict) -> str:
    return (f"find_entities {got['find']:.3f} s CPU ({got['calls']} texts, {got['chars']} chars, "
            f"{got['records']} records, digest {got['digest']}")


def main() -> None:
    _ab.main(CHILD, "find", describe, _ab.parser(__doc__).parse_args())


if __name__ == "__main__":
    main()
