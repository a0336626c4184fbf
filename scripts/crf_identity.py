"""The NumPy scorer against crfsuite: labels of every People's Daily dev sentence.

    python scripts/crf_identity.py [DEV.jsonl] [--limit N]

Builds the entity features of each sentence as the entity layer does (jieba tokens, the
model's gazetteers and feature groups), tags every chunk with ``pycrfsuite`` and with
``baozhi.layers.entities.crf.Scorer``, and prints the number of sentences whose labels
differ (it must be 0), with the CPU time of each tagger.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "pd1998" / "dev.jsonl"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("dev", nargs="?", default=str(DEV))
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    import pycrfsuite

    from baozhi.layers.entities import entities, featids, features as nf
    from baozhi.layers.entities.crf import Scorer

    lines = Path(args.dev).read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines if line.strip()]
    if args.limit:
        texts = texts[: args.limit]
    tagger = pycrfsuite.Tagger()
    tagger.open(str(entities.MODEL))
    scorer = Scorer.load(entities.MODEL)
    groups = entities._info().get("feature_groups", ())
    ids = featids.Ids(scorer)
    automata = entities.automata()
    differ = differ_ids = chunks = chars = 0
    t_crfsuite = t_numpy = t_ids = 0.0
    for text in texts:
        pieces = nf.pieces(text, None)
        t = time.process_time()
        feats = [nf.features(p, local, automata, groups) for _, _, p, local in pieces]
        theirs = [tagger.tag(f) for f in feats]
        t_crfsuite += time.process_time() - t
        t = time.process_time()
        ours = scorer.tag(feats)
        t_numpy += time.process_time() - t
        t = time.process_time()
        by_ids = scorer.viterbi(featids.scores(scorer, ids, pieces, automata, groups))
        t_ids += time.process_time() - t
        chunks += len(feats)
        chars += sum(len(f) for f in feats)
        if ours != theirs:
            differ += 1
            if differ <= 5:
                print("strings differ:", text[:60], file=sys.stderr)
        if by_ids != theirs:
            differ_ids += 1
            if differ_ids <= 5:
                print("ids differ:", text[:60], file=sys.stderr)
    print(f"{len(texts)} sentences, {chunks} chunks, {chars:,} characters: sentences whose labels "
          f"differ from crfsuite's: {differ} (scored from the strings), {differ_ids} (from ids)")
    print(f"CPU s, one sentence at a time: features as strings + crfsuite {t_crfsuite:.2f}; "
          f"NumPy from those strings {t_numpy:.2f}; NumPy from ids (features included) {t_ids:.2f}")
    return 1 if differ or differ_ids else 0


if __name__ == "__main__":
    sys.exit(main())
