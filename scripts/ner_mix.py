"""Extra training corpora for the entity tagger (``../shared/ner``), mapped to the People's
Daily 1998 conventions (``../shared/ner/SOURCE.md``; used by ``scripts/train_ner.py --mix``).

Each original type maps to one of:

- a label (``PER``, ``LOC``, ``ORG``): the span stays, with that label;
- ``O``: the span is no name in PD1998's convention (a generic 本公司, 博物馆; a book or game
  title; a position): it is dropped and its characters are outside any name, as PD1998 has them;
- ``place``: kept as ``LOC`` only where the surface is a known place name (a PD1998 place, a
  division name, a jieba ``ns`` word); a whole address (上海黄浦区南京路步行街世纪广场) is
  a convention clash, and the sentence is left out rather than teach either way;
- ``skip``: the sentence is left out (Resume's native places 云南建水人).

An ``ORG`` or ``PER`` whose surface is a common word of jieba's dictionary, or starts with 本
(本公司, 本行), is ``O``; a ``PER`` ending with a title (黄教授) leaves the sentence out; a
sentence that leaves a labelled surface unlabelled elsewhere (CLUENER sometimes does) is left out.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

MAPPING = {
    "cluener": {"name": "PER", "company": "ORG", "government": "ORG", "organization": "ORG",
                "address": "place", "scene": "place", "book": "O", "game": "O", "movie": "O",
                "position": "O"},
    "resume": {"NAME": "PER", "ORG": "ORG", "LOC": "skip"},
    "weibo": {"PER.NAM": "PER", "GPE.NAM": "LOC", "LOC.NAM": "LOC", "ORG.NAM": "ORG"},
    "msra": {"PER": "PER", "LOC": "LOC", "ORG": "ORG"},
}
TITLES = ("先生", "女士", "教授", "博士", "老师", "总", "董")


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def map_rows(name: str, rows: list[dict], places: set, common: set) -> tuple[list[dict], Counter]:
    """The rows of corpus ``name`` with their spans mapped; counts of what happened."""
    table = MAPPING[name]
    out, stats = [], Counter()
    for r in rows:
        types = r.get("types") or [e[2] for e in r["entities"]]
        keep, skip = [], False
        for (s, e, lab, surf), t in zip(r["entities"], types):
            to = table.get(t, "O")
            if name == "msra" and lab == "LOC" and len(surf) == 1:
                to = "O"  # one-character abbreviations (中, 美): PD1998 leaves them untagged
            if to == "place":
                to = "LOC" if surf in places else "skip"
            if to in ("ORG", "PER") and (surf in common or surf.startswith("本")):
                to = "O"
            if to == "PER" and surf.endswith(TITLES) and len(surf) > 1:
                to = "skip"
            stats[f"{t}->{to}"] += 1
            if to == "skip":
                skip = True
                break
            if to != "O":
                keep.append([s, e, to, surf])
        if not skip:
            covered = bytearray(len(r["text"]))
            for s, e, _, _ in r["entities"]:
                covered[s:e] = b"\1" * (e - s)
            for _, _, _, surf in keep:
                i = r["text"].find(surf)
                while i >= 0:
                    if not any(covered[i:i + len(surf)]):
                        skip = True
                    i = r["text"].find(surf, i + 1)
        if skip:
            stats["sentences left out"] += 1
            continue
        out.append({"id": r["id"], "text": r["text"], "entities": keep,
                    "date": "x" + hashlib.md5(r["id"].encode()).hexdigest()[:2]})
        stats["sentences kept"] += 1
    return out, stats


def load(spec: str, shared: Path, places: set, common: set) -> tuple[list[dict], list[dict]]:
    """Rows of ``spec`` (comma-separated file stems of ``shared``, e.g. ``cluener_train,resume_train``)
    and a record of each file: name, sha256, sentences in and kept, entities kept, the mapping."""
    rows, record = [], []
    for stem in [s for s in spec.split(",") if s]:
        path = shared / f"{stem}.jsonl"
        corpus = stem.split("_")[0]
        with open(path, encoding="utf-8") as fh:
            raw = [json.loads(line) for line in fh if line.strip()]
        got, stats = map_rows(corpus, raw, places, common)
        rows += got
        record.append({"file": f"../shared/ner/{stem}.jsonl", "sha256": sha256(path), "sentences": len(raw),
                       "kept": len(got), "characters": sum(len(r["text"]) for r in got),
                       "entities": sum(len(r["entities"]) for r in got), "mapping": MAPPING[corpus],
                       "what_happened": dict(sorted(stats.items()))})
    return rows, record
