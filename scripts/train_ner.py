"""Train the entity tagger: ``python scripts/train_ner.py`` (from the repo root).

Reads ``../shared/pd1998/train.jsonl`` (People's Daily, January 1998, PKU conventions),
writes ``pipeline/models/ner.crfsuite`` (the CRF), ``pipeline/models/ner_gazetteer.tsv.gz``
(the training entities' surfaces, a gazetteer feature: derived from the corpus, so it lives
only inside this trained artefact, never under ``rules/``) and ``pipeline/models/ner.json``
(what it was trained on, the features and parameters, and the dev scores).

The training gazetteer is jackknifed: a sentence sees only the entities of other days'
folds, so the model learns how far a gazetteer match can be trusted for an unseen text.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from baozhi.layers.entities import entities  # noqa: E402
from baozhi.layers.entities import features as nf  # noqa: E402
import ner_eval  # noqa: E402
import ner_mix  # noqa: E402


sha256 = ner_mix.sha256   # one digest for the training files and the mixed corpora


# How c1/c2 were chosen: on held-out training days (``--holdout 0``: fold 0 of the days out,
# scored on it), never on dev. Article-level F1 of the whole stage.
TUNING = {"holdout 0, c1=0.1 c2=0.01": 0.9200, "holdout 0, c1=0.05 c2=0.005": 0.9182}


def org_final_chars(rows: list[dict]) -> str:
    """Characters that end at least ``ner.yaml: org_final_min`` organisations of ``rows``."""
    least = nf.config().get("org_final_min", 3)
    counts = Counter(e[3][-1] for r in rows for e in r["entities"] if e[2] == "ORG")
    return "".join(sorted(c for c, n in counts.items() if n >= least))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "pd1998"))
    ap.add_argument("--out", default=str(entities.MODELS_DIR))
    ap.add_argument("--c1", type=float, default=0.1)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--iterations", type=int, default=150)
    ap.add_argument("--minfreq", type=float, default=2)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--gazetteers", default="t,j", help="sources: t (training entities), j (jieba dictionary), d (administrative divisions)")
    ap.add_argument("--features", default=",".join(nf.config().get("feature_groups") or ()),
                    help="optional feature groups: window3, trigram, lexicon (ner.yaml: feature_groups)")
    ap.add_argument("--limit", type=int, default=0, help="train on the first N sentences only (quick runs)")
    ap.add_argument("--mix", default="",
                    help="extra corpora of ../shared/ner, mapped to PD1998 conventions (scripts/ner_mix.py): "
                         "comma-separated file stems, e.g. cluener_train,resume_train,weibo_train")
    ap.add_argument("--shared-ner", default=str(ROOT.parent / "shared" / "ner"))
    ap.add_argument("--no-eval", action="store_true")
    ap.add_argument("--holdout", type=int, default=None, metavar="K",
                    help="for tuning c1/c2 without dev: train without the days of fold K and "
                         "score on them instead of dev")
    args = ap.parse_args(argv)

    import pycrfsuite

    data = Path(args.data)
    train_path = data / "train.jsonl"
    rows = ner_eval.read_jsonl(train_path)
    if args.limit:
        rows = rows[: args.limit]
    held = []
    if args.holdout is not None:
        days = sorted({r["date"] for r in rows})
        out_days = {d for i, d in enumerate(days) if i % args.folds == args.holdout}
        held = [r for r in rows if r["date"] in out_days]
        rows = [r for r in rows if r["date"] not in out_days]
    n_pd = len(rows)
    mixed: list[dict] = []
    if args.mix:
        from baozhi.layers.entities.names import division_names

        places = ({e[3] for r in rows for e in r["entities"] if e[2] == "LOC"} | division_names()
                  | {w for w, t in nf.jieba_tags().items() if t == "ns"})
        extra_rows, mixed = ner_mix.load(args.mix, Path(args.shared_ner), places, set(entities._common_words()))
        rows = rows + extra_rows
        for m in mixed:
            print(f"mix {m['file']}: {m['kept']}/{m['sentences']} sentences, {m['entities']} entities", flush=True)
    sources = [s for s in args.gazetteers.split(",") if s]
    extra = [f for f in args.features.split(",") if f]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    # gazetteer of training entities: all of it ships; folds by day for the jackknife
    dates = sorted({r["date"] for r in rows})
    fold_of = {d: i % args.folds for i, d in enumerate(dates)}
    pairs = Counter((e[3], e[2]) for r in rows for e in r["entities"])
    by_fold: list[set] = [set() for _ in range(args.folds)]
    for r in rows:
        for e in r["entities"]:
            by_fold[fold_of[r["date"]]].add((e[3], e[2]))
    t0 = time.time()
    fold_autos = []
    jieba_auto = nf.build_automaton(entities.jieba_entries()) if "j" in sources else None
    div_auto = nf.build_automaton(entities.division_entries()) if "d" in sources else None
    for k in range(args.folds):
        autos = []
        if "t" in sources:
            autos.append(("t", nf.build_automaton(set().union(*(by_fold[j] for j in range(args.folds) if j != k)))))
        if "j" in sources:
            autos.append(("j", jieba_auto))
        if "d" in sources:
            autos.append(("d", div_auto))
        fold_autos.append(autos)

    trainer = pycrfsuite.Trainer(verbose=False)
    n_chars = 0
    for r in rows:
        text = r["text"]
        tokens = nf.tokenize(text)
        text = nf.full_width(text)  # as the tagger reads text (pipeline/layers/entities/features.py)
        x = nf.features(text, tokens, fold_autos[fold_of[r["date"]]], extra)
        y = nf.bies(len(text), [(s, e, lab) for s, e, lab, _ in r["entities"]])
        trainer.append(x, y)
        n_chars += len(text)
    print(f"features of {len(rows)} sentences ({n_chars} chars) in {time.time() - t0:.0f}s", flush=True)

    params = {"c1": args.c1, "c2": args.c2, "max_iterations": args.iterations,
              "feature.minfreq": args.minfreq, "feature.possible_transitions": True}
    trainer.set_params(params)
    t1 = time.time()
    model = out / "ner.crfsuite"
    trainer.train(str(model))
    print(f"trained in {time.time() - t1:.0f}s -> {model} ({model.stat().st_size / 1e6:.1f} MB)", flush=True)

    gaz = out / "ner_gazetteer.tsv.gz"
    with gzip.GzipFile(gaz, "wb", mtime=0) as fh:
        fh.write("".join(f"{s}\t{lab}\n" for s, lab in sorted(pairs) if len(s) >= 2).encode("utf-8"))

    info = {
        "model": "ner.crfsuite",
        "tagger": "python-crfsuite CRF, L-BFGS, BIES labels over characters",
        "trained_on": {"file": "../shared/pd1998/train.jsonl", "sha256": sha256(train_path),
                       "sentences": n_pd, "characters": sum(len(r["text"]) for r in rows[:n_pd]),
                       "entities": sum(len(r["entities"]) for r in rows[:n_pd]),
                       "also": mixed, "total_sentences": len(rows), "total_characters": n_chars},
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "training_seconds": round(time.time() - t0),
        "params": params,
        "gazetteers": sources,
        "feature_groups": extra,
        "gazetteer_file": {
            "file": "ner_gazetteer.tsv.gz",
            "note": ("surfaces of the training corpus's entities (len >= 2), derived from "
                     "People's Daily 1998: kept inside the trained artefact, not in rules/; "
                     "jackknifed by day folds at training time"),
            "entries": sum(1 for s, _ in pairs if len(s) >= 2),
        },
        "features": ["characters and bigrams in a window of +-2", "character types of -1, 0, +1",
                     "jieba token (the Doc's): position B/I/E/S with the word's length and tag in jieba's "
                     "dictionary, the word; the neighbouring word and its tag at token edges",
                     "gazetteer matches per source and type (B/I/E)"],
        "folds": args.folds,
        # characters ending >= org_final_min training organisations (a plausibility test)
        "org_final_chars": org_final_chars(rows),
        "tuning": TUNING,
    }
    (out / "ner.json").write_text(json.dumps(info, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if not args.no_eval and (held or (data / "dev.jsonl").exists()):
        entities.MODEL, entities.GAZETTEER, entities.INFO = model, gaz, out / "ner.json"
        for f in (entities._tagger, entities.automata, entities._info, entities._checks):
            f.cache_clear()
        dev = held or ner_eval.read_jsonl(data / "dev.jsonl")
        res = ner_eval.evaluate(dev, lambda t, tk: [s[:3] for s in entities.spans(t, tk)], nf.tokenize)
        crf_only = ner_eval.evaluate(dev, lambda t, tk: entities.crf_spans(t, tk))
        info["dev"] = {"file": "held-out training days" if held else "../shared/pd1998/dev.jsonl",
                       "sha256": None if held else sha256(data / "dev.jsonl"),
                       "stage": res, "crf_only": {k: crf_only[k] for k in ("sentence", "article")}}
        (out / "ner.json").write_text(json.dumps(info, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print("dev, sentence by sentence (stage):\n" + ner_eval.table(res["sentence"]))
        print("dev, article by article (stage):\n" + ner_eval.table(res["article"]))
        print("dev, CRF only, sentences:\n" + ner_eval.table(crf_only["sentence"]))
        print("speed:", res["speed"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
