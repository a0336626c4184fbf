"""Score the entity stage on dev: ``python scripts/eval_ner.py`` (from the repo root).

Prints P/R/F1 per type and overall on ``../shared/pd1998/dev.jsonl`` (exact span and label),
sentence by sentence and article by article (dev sentences grouped by ``doc_id``), for the
whole stage (``find_entities`` with no home: 1998 text has no home paper) and for its parts
(``--ablation``), and the speed of ``find_entities`` in characters per second of CPU time on
one core (best of 3), with the Doc's tokens given and without (the stage then segments the
text itself).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from baozhi.layers.entities import entities  # noqa: E402
from baozhi.layers.entities import features as nf  # noqa: E402
import ner_eval  # noqa: E402


SETS = {"dev": ROOT.parent / "shared" / "pd1998" / "dev.jsonl", "modern": ROOT / "eval" / "ner_modern.jsonl"}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", default="dev", choices=sorted(SETS),
                    help="dev: ../shared/pd1998/dev.jsonl (no home); modern: eval/ner_modern.jsonl, the "
                         "hand-labelled 2021-25 news of eval/ (each paper's home given)")
    ap.add_argument("--data", default=None, help="another file of the same form")
    ap.add_argument("--models", default=None, help="a folder with another trained model")
    ap.add_argument("--ablation", action="store_true", help="also score without the article and rule layers")
    ap.add_argument("--errors", action="store_true", help="print the stage's misses and extra spans, article by article")
    ap.add_argument("--json", action="store_true", help="print the scores as JSON")
    ap.add_argument("--write", action="store_true",
                    help="record the stage's scores on the set in the model's ner.json (after a rules change)")
    args = ap.parse_args(argv)
    if args.models:
        d = Path(args.models)
        entities.MODEL, entities.GAZETTEER, entities.INFO = d / "ner.crfsuite", d / "ner_gazetteer.tsv.gz", d / "ner.json"
    rows = ner_eval.read_jsonl(args.data or SETS[args.set])
    variants = {"stage": {}}
    if args.ablation:
        variants.update({"crf only": {"article": False, "use_rules": False},
                         "crf + article": {"use_rules": False},
                         "crf + rules": {"article": False}})
    results = {}
    for name, kw in variants.items():
        if name == "stage":  # the entry point, names.resolve included; no home, as in 1998
            find = lambda t, tk, home=None: [(r["start"], r["end"], r["label"])
                                             for r in entities.find_entities(t, home, tk)]
        else:
            find = (lambda kw: lambda t, tk, home=None: [s[:3] for s in entities.spans(t, tk, home, **kw)])(kw)
        res = ner_eval.evaluate(rows, find, nf.tokenize if name == "stage" else None,
                                repeats=3 if name == "stage" else 1)
        results[name] = res
        if not args.json:
            print(f"== {name}: sentence by sentence")
            print(ner_eval.table(res["sentence"]))
            print(f"== {name}: article by article")
            print(ner_eval.table(res["article"]))
    speed = results["stage"]["speed"]
    if args.errors:
        for text, gold, home in ner_eval.articles_home(rows):
            pred = {(r["start"], r["end"], r["label"]) for r in entities.find_entities(text, home)}
            for tag, xs in (("miss", gold - pred), ("extra", pred - gold)):
                for s, e, lab in sorted(xs):
                    print(f"{tag}\t{lab}\t{text[s:e]}\t{text[max(0, s - 8):s]}[{text[s:e]}]{text[e:e + 8]}")
    if args.write:
        info = json.loads(entities.INFO.read_text(encoding="utf-8"))
        dev = info.setdefault("dev" if args.set == "dev" else args.set, {})
        dev["stage"] = results["stage"]
        for name in ("crf only", "crf + article", "crf + rules"):
            if name in results:
                dev[name.replace(" ", "_")] = {k: results[name][k] for k in ("sentence", "article")}
        entities.INFO.write_text(json.dumps(info, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    else:
        print(f"speed over {speed['chars']} characters (articles), one core, CPU time, best of {speed['repeats']}:")
        print(f"  with the Doc's tokens given: {speed.get('chars_per_s_with_tokens', 0):,} chars/s")
        print(f"  segmenting itself:           {speed['chars_per_s_without_tokens']:,} chars/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
