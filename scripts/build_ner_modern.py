"""Build the modern entity evaluation set: ``python scripts/build_ner_modern.py``.

Reads ``eval/ner_modern_pages.yaml`` (seed pages of corpus/, repaired as the pipeline does)
and ``eval/ner_modern_web.yaml`` (short excerpts of public news pages, each with its URL),
each document with the list of its names (surface: label), labelled by hand after
``docs/NER_GUIDELINES.md``; marks every occurrence of every surface, longest first, and writes
``eval/ner_modern.jsonl`` in the form of ``../shared/pd1998/*.jsonl`` (one row per paragraph,
with ``doc_id``, ``para_id`` and ``home``), which ``scripts/eval_ner.py --set modern`` scores.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from baozhi.stages.repair import repair  # noqa: E402


def mark(text: str, names: dict[str, str]) -> list[list]:
    """Every occurrence of every surface, longest first, never overlapping."""
    taken = bytearray(len(text))
    out = []
    for surf in sorted(names, key=len, reverse=True):
        i = text.find(surf)
        while i >= 0:
            j = i + len(surf)
            if not any(taken[i:j]):
                taken[i:j] = b"\1" * (j - i)
                out.append([i, j, names[surf], surf])
            i = text.find(surf, i + 1)
    return sorted(out)


def main(argv: list[str] | None = None) -> int:
    """Writes eval/ner_modern.jsonl, or the path given as the one argument."""
    import sys

    argv = sys.argv[1:] if argv is None else argv
    rows = []
    docs = yaml.safe_load((ROOT / "eval/ner_modern_pages.yaml").read_text(encoding="utf-8"))
    docs += yaml.safe_load((ROOT / "eval/ner_modern_web.yaml").read_text(encoding="utf-8"))
    for doc in docs:
        if "file" in doc:
            text = repair((ROOT / doc["file"]).read_text(encoding="utf-8")).text
        else:
            text = doc["text"]
        names = {str(k): v for k, v in doc["entities"].items()}
        missing = [s for s in names if s not in text]
        assert not missing, (doc["id"], missing)
        paras = [p for p in text.split("\n") if p.strip()]
        for k, para in enumerate(paras):
            rows.append({"id": f"{doc['id']}-{k:03d}", "doc_id": doc["id"], "para_id": f"{doc['id']}-{k:03d}",
                         "home": doc.get("home"), "source": doc.get("url") or doc.get("file"),
                         "text": para, "entities": mark(para, names)})
    out = Path(argv[0]) if argv else ROOT / "eval/ner_modern.jsonl"
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    chars = sum(len(r["text"]) for r in rows)
    ents = [e for r in rows for e in r["entities"]]
    print(f"{out}: {len(rows)} paragraphs, {chars} characters, {len(ents)} entities "
          + ", ".join(f"{lab} {sum(e[2] == lab for e in ents)}" for lab in ("PER", "LOC", "ORG")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
