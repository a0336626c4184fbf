"""Score what each figure measures (metric, subject, period, status, change, basis) against
hand labels: ``tests/labels/semantics/*.tsv`` (one row per figure: source, start, end, text
and the labelled fields; docs/FIGURE_SEMANTICS.md says how they were labelled).

    .venv/bin/python scripts/eval_semantics.py                 # every label file
    .venv/bin/python scripts/eval_semantics.py --labels tests/labels/semantics/corpus.tsv -v
    .venv/bin/python scripts/eval_semantics.py --set heldout       # the held-out labels

``--set tuned`` (the default) scores ``tests/labels/semantics/``, the labels the rules were
tuned on; ``--set heldout`` scores ``tests/labels/semantics_heldout/``, labelled the same way
from other pages before any further rule change and never looked at miss by miss (score it, do
not tune on it); ``--set heldout2`` scores ``tests/labels/semantics_heldout2/`` (a second held-out
set, pd1998 articles and modern web excerpts, labelled by a separate helper); ``--set dev2``
scores ``tests/labels/semantics_dev2/`` (every figure of corpus pages 002–004 and of 16 pd1998
articles of 26–30 January 1998, labelled by separate helpers from the text, for development:
rules may be written against it); ``--set dev3`` scores ``tests/labels/semantics_dev3/`` (a
third development set of genres the others lack: a regulation, statistical and economic reports,
sports results, markets, foreign news, work reports with targets — pd1998 articles and modern web
excerpts, labelled blind from the text); ``--set dev4`` scores ``tests/labels/semantics_dev4/`` (a
fourth development set, labelled blind before the pipeline was run on its texts: modern city,
county and provincial news of 2021-2025 in eval/semantics_dev4_web.yaml and pd1998 articles of
pages no other set uses); ``--set dev5`` scores ``tests/labels/semantics_dev5/`` (a fifth
development set, labelled blind before the pipeline was run on its texts: modern city, county and
district news of 2022-2025 from nine regions in eval/semantics_dev5_web.yaml and pd1998 articles
of pages no other set uses); ``--set all`` scores all seven.

A label file's pages are read from ``corpus/`` (the seed pages, with their metadata.toml) or
``../shared/pd1998/pages`` (the People's Daily pages, never committed); a file whose pages are
absent is skipped. Each page goes through ``baozhi.run.process.process_page``, as ``baozhi run``
does; a labelled figure the pipeline does not find counts as wrong on every field.

A source of the form ``eval/ner_modern.jsonl#<doc_id>`` names an excerpt of that file instead
of a page: its paragraphs (the rows with that ``doc_id``, in file order) joined with "\n" are
the text the offsets point into (the excerpt's text in eval/ner_modern_web.yaml, blank lines
dropped, as scripts/build_ner_modern.py splits it). The text goes through
``baozhi.apps.annotate.annotate_record``, as ``baozhi annotate`` does, with the record's
``home`` and the issue date of the excerpt's entry in eval/ner_modern_web.yaml: its ``date``
when it is a day (2024-11-02); when it is only a year or a month (2025, 2021-05), the first day
of it (2025-01-01, 2021-05-01); none when there is no entry.

A source of the form ``eval/semantics_dev3_web.yaml#<id>`` (or ``eval/semantics_dev4_web.yaml#<id>``,
``eval/semantics_dev5_web.yaml#<id>``) names an excerpt stored whole in that file: its entry's ``text`` with blank lines dropped (lines joined with "\n") is the text the
offsets point into; ``home`` and the issue date come from the same entry, as above.

The match per field (documented in docs/FIGURE_SEMANTICS.md):
- metric, subject, basis: lenient — both empty, or one contains the other once spaces and 的
  are dropped (工业产值增速 ~ 产值增速); a subject also matches the canonical name of the entity
  it links to;
- period: lenient — both empty, or one period_text contains the other;
- status, change: exact (empty = null).
"""
from __future__ import annotations

import argparse
import csv
import functools
import sys
from collections import defaultdict
from pathlib import Path

from baozhi.run.export import metric_key

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "labels" / "semantics"
HELDOUT = ROOT / "tests" / "labels" / "semantics_heldout"
HELDOUT2 = ROOT / "tests" / "labels" / "semantics_heldout2"
DEV2 = ROOT / "tests" / "labels" / "semantics_dev2"
DEV3 = ROOT / "tests" / "labels" / "semantics_dev3"
DEV4 = ROOT / "tests" / "labels" / "semantics_dev4"
DEV5 = ROOT / "tests" / "labels" / "semantics_dev5"
SETS = {"tuned": (LABELS,), "heldout": (HELDOUT,), "heldout2": (HELDOUT2,), "dev2": (DEV2,),
        "dev3": (DEV3,), "dev4": (DEV4,), "dev5": (DEV5,),
        "all": (LABELS, HELDOUT, HELDOUT2, DEV2, DEV3, DEV4, DEV5)}
EXCERPT_META = ROOT / "eval" / "ner_modern_web.yaml"   # the excerpts' dates, by id
PAGE_DIRS = (ROOT / "corpus", ROOT.parent / "shared" / "pd1998" / "pages",
             Path("/work/shared/pd1998/pages"))
FIELDS = ("metric", "subject", "period", "status", "change", "basis")


def _norm(s: str | None) -> str:
    """Spaces, line breaks and 的 dropped: the series view's comparison (``metric_key``)."""
    return metric_key(s)


def _contains(gold: str | None, got: str | None) -> bool:
    g, p = _norm(gold), _norm(got)
    if not g or not p:
        return not g and not p
    return g in p or p in g


def same(field: str, gold: dict, got: dict | None, canonical: str | None = None) -> bool:
    if got is None:
        return False
    if field == "period":
        return _contains(gold.get("period_text"), got.get("period_text"))
    if field in ("status", "change"):
        return (gold.get(field) or None) == (got.get(field) or None)
    if field == "subject" and canonical and _contains(gold.get("subject"), canonical):
        return True
    return _contains(gold.get(field), got.get(field))


def read_labels(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    for r in rows:
        r["start"], r["end"] = int(r["start"]), int(r["end"])
    return rows


def page_dir(source: str) -> Path | None:
    for d in PAGE_DIRS:
        if (d / source).is_file():
            return d
    return None


@functools.cache
def _yaml_entry(path: Path, doc_id: str) -> dict | None:
    """The entry with ``id`` doc_id of a YAML list of excerpts (eval/*.yaml), None when absent."""
    import yaml

    return next((d for d in yaml.safe_load(path.read_text(encoding="utf-8")) or []
                 if d.get("id") == doc_id), None)


@functools.cache
def excerpt(source: str) -> dict | None:
    """The annotate record of an excerpt source (``eval/ner_modern.jsonl#<doc_id>``): id, text,
    home, issue_date (see the module's doc); None when the source is no excerpt or absent."""
    import datetime as dt
    import json

    path, _, doc_id = source.partition("#")
    if not doc_id or not (ROOT / path).is_file():
        return None
    if path.endswith(".yaml"):   # the excerpt is stored whole in the YAML entry
        entry = _yaml_entry(ROOT / path, doc_id)
        if entry is None:
            return None
        lines = [ln for ln in str(entry.get("text") or "").splitlines() if ln.strip()]
        rows = [{"text": "\n".join(lines), "home": entry.get("home")}]
    else:
        with (ROOT / path).open(encoding="utf-8") as fh:
            rows = [r for r in map(json.loads, fh) if r.get("doc_id") == doc_id]
        if not rows:
            return None
        entry = _yaml_entry(EXCERPT_META, doc_id) if EXCERPT_META.is_file() else None
    day = None
    if entry is not None:
        got = str(entry.get("date") or "")
        parts = got.split("-") if got[:4].isdigit() else []
        if parts:
            day = dt.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1,
                          int(parts[2]) if len(parts) > 2 else 1).isoformat()
    return {"id": doc_id, "text": "\n".join(r["text"] for r in rows), "home": rows[0].get("home"),
            "issue_date": day}


def predict_excerpts(sources: list[str]) -> tuple[dict, dict]:
    """``predict`` for excerpt sources, through ``annotate`` (a figure's subject_entity, an index
    into the record's entities there, becomes ``<source>:e<index>``)."""
    from baozhi.apps.annotate import annotate_record

    figs, canon = {}, {}
    for source in sources:
        out = annotate_record(excerpt(source))
        if "error" in out:
            raise RuntimeError(f"{source}: {out['error']}")
        for i, ent in enumerate(out["entities"]):
            canon[f"{source}:e{i}"] = ent.get("canonical") or ent.get("text")
        for row in out["figures"]:
            row = dict(row, source=source)
            if isinstance(row.get("subject_entity"), int):
                row["subject_entity"] = f"{source}:e{row['subject_entity']}"
            figs[(source, row["start"], row["end"])] = row
    return figs, canon


def predict(sources: list[str]) -> tuple[dict, dict]:
    """{(source, start, end): figure row}, {entity_id: canonical} for the pages."""
    from baozhi.run.process import process_page
    from baozhi.stages.ingest import load_metadata, read_page

    figs, canon = {}, {}
    for source in sources:
        root = page_dir(source)
        meta = load_metadata(root) if (root / "metadata.toml").exists() else None
        out = process_page(read_page(root / source, root, meta))
        for row in out["figures"]:
            figs[(row["source"], row["start"], row["end"])] = row
        for row in out["entities"]:
            canon[row["entity_id"]] = row.get("canonical") or row.get("text")
    return figs, canon


def read_run(out_dir: Path) -> tuple[dict, dict]:
    """The same as ``predict``, from a run's tables (``baozhi run --out OUT_DIR``)."""
    import json

    figs, canon = {}, {}
    with (Path(out_dir) / "figures.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            figs[(row["source"], row["start"], row["end"])] = row
    with (Path(out_dir) / "entities.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            canon[row["entity_id"]] = row.get("canonical") or row.get("text")
    return figs, canon


def score(labels: list[dict], verbose: bool = False, out_dir: Path | None = None) -> dict[str, float]:
    pages = sorted({r["source"] for r in labels if "#" not in r["source"]})
    figs, canon = read_run(out_dir) if out_dir else predict(pages)
    more = predict_excerpts(sorted({r["source"] for r in labels if "#" in r["source"]}))
    figs, canon = {**figs, **more[0]}, {**canon, **more[1]}
    right = defaultdict(int)
    for gold in labels:
        got = figs.get((gold["source"], gold["start"], gold["end"]))
        c = canon.get(got.get("subject_entity")) if got else None
        for f in FIELDS:
            ok = same(f, gold, got, c)
            right[f] += ok
            if verbose and not ok:
                key = "period_text" if f == "period" else f
                print(f"  {f:8} {gold['source']}:{gold['start']} {gold['text']}: "
                      f"gold {gold.get(key) or None!r} got {(got or {}).get(key)!r}", file=sys.stderr)
    n = len(labels) or 1
    return {f: right[f] / n for f in FIELDS}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--labels", type=Path, nargs="*", default=None,
                    help="label files (default: those of --set)")
    ap.add_argument("--set", choices=sorted(SETS), default="tuned",
                    help="tuned: the labels the rules were tuned on; heldout, heldout2: held-out labels; "
                         "dev2: development labels of corpus pages 002-004 and pd1998 articles; "
                         "dev3: development labels of other genres (pd1998 articles, modern web excerpts); "
                         "dev4, dev5: development labels made blind (modern city news, pd1998 articles)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every miss")
    ap.add_argument("--run", type=Path, default=None,
                    help="score the tables of this run (baozhi run --out RUN) instead of running the pages")
    args = ap.parse_args(argv)
    if args.labels is None:
        args.labels = [p for d in SETS[args.set] for p in sorted(d.glob("*.tsv"))]
    for path in args.labels:
        labels = read_labels(path)
        missing = sorted({r["source"] for r in labels
                          if (excerpt(r["source"]) if "#" in r["source"] else page_dir(r["source"])) is None})
        if missing:
            print(f"{path.name}: skipped, pages not here: {', '.join(missing[:3])}")
            continue
        got = score(labels, args.verbose, args.run)
        print(f"{path.parent.name}/{path.name} ({len(labels)} figures): "
              + "  ".join(f"{f} {v:.2f}" for f, v in got.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
