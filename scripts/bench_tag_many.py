"""The entities layer's page pass (``entities.tag_many``: the CRF's feature ids, scores and
Viterbi for all the articles of a page at once) timed in CPU seconds on the inputs
``baozhi run`` gives it, this checkout against another one, side by side.

    python scripts/bench_tag_many.py [OTHER_PYTHON] [FOLDER] [--limit N] [--rounds R] [--passes P] [--profile N]

Each round is a fresh process per checkout (this, other, this, other, ...: ``_ab.py``): it
loads the pipeline (``warm_up``), runs ``process_page`` over the pages once recording every
``tag_many`` call's input (the call itself runs too, so its memos are warm as in a run),
then times ``P`` passes of ``tag_many`` over the recorded inputs and keeps the best pass.
Prints per round and the best of each, with their ratio, and a digest of the results (the
same on both sides when the labels and spans are). ``--profile N`` prints this checkout's
cProfile of one pass instead (top N by own time, then by cumulative time).
"""
from __future__ import annotations

import _ab

CHILD = r"""
from baozhi.layers.entities import entities
passes = int(argv[0])
real, calls = entities.tag_many, []
def record(items):
    # (the frame's tokens as they come: ``Tokens`` copies, with the lists of starts and ends
    # ``plain.spans_of`` made, which ``features._locals`` reads; a copy of each is kept)
    items = [(t, k.copy() if k is not None else None) for t, k in items]
    calls.append(items)
    return real(items)
entities.tag_many = record
try:
    for p in pages:
        process_page(p)
finally:
    entities.tag_many = real
def run():
    return [real(c) for c in calls]
if profile:
    profiled(run, profile)
best = float("inf")
for _ in range(passes):
    gc.collect()
    t = time.process_time()
    out = run()
    best = min(best, time.process_time() - t)
def plain(x):
    return [[(sp[:4]) for sp in spans] + [(c[0], list(c[2])) for c in chunks] for spans, chunks in x]
digest = hashlib.sha256(json.dumps([plain(x) for x in out], default=str).encode()).hexdigest()[:16]
print(json.dumps({"tag": best, "calls": len(calls), "texts": sum(map(len, calls)),
                  "chars": sum(len(t) for c in calls for t, _ in c), "digest": digest}))
"""


def describe(got: dict) -> str:
    return (f"tag_many {got['tag']:.3f} s CPU ({got['calls']} calls, {got['texts']} texts, "
            f"{got['chars']} chars, digest {got['digest']}")


def main() -> None:
    ap = _ab.parser(__doc__)
    ap.add_argument("--passes", type=int, default=3, help="timed passes per process (the best kept)")
    args = ap.parse_args()
    _ab.main(CHILD, "tag", describe, args, (str(args.passes),))


if __name__ == "__main__":
    main()
