"""One page through every stage: page file -> repaired text -> articles -> Docs -> rows.

Entry point: ``process_page(page) -> dict[table, list[row]]``. A pure function of the page,
its metadata and the rules: the same page always gives the same rows (no clock, no state),
so batch runs can cache, parallelise and redo pages independently. Every row carries
``article_id``, ``source`` and ``start``/``end`` into the page file's text; a failure in one
article becomes a row of ``errors`` naming the file and line, and the other articles go on.
"""
from __future__ import annotations

from baozhi.layers import registry
from baozhi.resources.strict import PLAIN, finite
from baozhi.run.chunked import layer_records_many
from baozhi.stages.articles import Article, split_articles
from baozhi.stages.ingest import Page
from baozhi.stages.repair import Repaired, repair


def article_text(rep: Repaired, art: Article) -> str:
    """The item's stretch of the repaired page, with whatever is not the item's own
    (a picture's caption inside it, page furniture) blanked so offsets stay aligned."""
    text = rep.text[art.start:art.end]
    n = len(text)
    out, done = [], 0            # the own paragraphs copied, the stretches between blanked
    for s, e in sorted((max(0, p.start - art.start), min(n, p.end - art.start)) for p in art.paras):
        if e <= done:
            continue
        if s > done:
            out.append(_blank(text[done:s]))
        out.append(text[max(s, done):e])
        done = e
    if done < n:
        out.append(_blank(text[done:]))
    return "".join(out)


def _blank(stretch: str) -> str:
    """``stretch`` with every character but a line break made a space."""
    return "\n".join(" " * len(line) for line in stretch.split("\n"))


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def error_row(source: str, stage: str, message: str, *, article_id: str | None = None,
              line: int | None = None) -> dict:
    return {"source": source, "article_id": article_id, "stage": stage, "line": line,
            "error": message}


def page_items(page: Page) -> tuple[Repaired, list[Article]]:
    """The page's text repaired and split into its items: the first steps of
    ``process_page``, and all the forked full-text index reads of a page
    (``batch.page_articles``: each article's headline and ``article_body``)."""
    rep = repair(page.text)
    return rep, split_articles(rep)


def article_body(rep: Repaired, art: Article) -> str:
    """The text of an article's ``articles`` row: the repaired text of its span."""
    return rep.text[art.start:art.end]


def process_page(page: Page) -> dict[str, list[dict]]:
    """Every table's rows for one page."""
    out: dict[str, list[dict]] = {t: [] for t in registry.tables()}
    layers = registry.compute_order(registry.names())
    issue = page.issue_date.isoformat() if page.issue_date else None
    try:
        rep, arts = page_items(page)
    except Exception as exc:  # noqa: BLE001 - the run goes on; the error is a row
        out["errors"].append(error_row(page.source, "repair/articles", f"{type(exc).__name__}: {exc}"))
        return out
    # every article's layers at once: a layer's page-level pass (the entities' CRF) runs once
    names = [layer.name for layer in layers]
    texts, failed = [], {}
    for i, art in enumerate(arts):
        try:
            texts.append(article_text(rep, art))
        except Exception as exc:  # noqa: BLE001 - that article's error row; the others go on
            failed[i] = exc
            texts.append("")
    try:
        got = layer_records_many(texts, issue_date=page.issue_date, home=page.home, layers=names)
    except Exception as exc:  # noqa: BLE001 - every article says so
        got = [exc] * len(arts)
    for i, exc in failed.items():
        got[i] = exc
    for art, recs in zip(arts, got):
        page_rows(page, rep, art, recs, layers, issue, out)
    for layer in layers:
        if layer.finish:
            layer.finish(out[layer.name])
    return out


def _row(base: dict, id_field: str, rid: str, rec: dict, fields: tuple, known: frozenset) -> dict:
    """``{**base, id_field: rid, **finite(layer.ordered(rec))}`` built in one dict: the
    contract's ``fields`` in order (``known`` = their set), then the record's others but the
    private ``_`` ones, non-finite floats None (tests/test_equivalences.py)."""
    row = base.copy()
    row[id_field] = rid
    for k in fields:
        v = rec.get(k)
        row[k] = v if type(v) in PLAIN else finite(v)
    for k, v in rec.items():
        if k not in known and not k.startswith("_"):
            row[k] = v if type(v) in PLAIN else finite(v)
    return row


def page_rows(page: Page, rep: Repaired, art: Article, recs: dict | Exception, layers: list,
              issue: str | None, out: dict[str, list[dict]]) -> None:
    """One article's rows (its ``articles`` row, its layers' rows with ids and file offsets,
    or its ``errors`` row), appended to ``out``."""
    aid = f"{page.page_id}:{art.seq:02d}"
    s, e = rep.source_span(art.start, art.end)
    base = {"article_id": aid, "source": page.source, "issue_date": issue}
    body = article_body(rep, art)
    out["articles"].append({
        **base, "paper": page.paper, "page": page.page_no,
        "issue_date_origin": page.issue_date_origin, **art.as_row(), "start": s, "end": e,
        "chars": len(body), "text": body, "_sha256": page.sha256,
    })
    if isinstance(recs, Exception):
        exc = recs
        out["errors"].append(error_row(page.source, "layers", f"{type(exc).__name__}: {exc}",
                                       article_id=aid, line=line_of(page.text, s)))
        return
    a0 = art.start
    offsets = rep.offsets
    ids: dict[str, list[str]] = {}
    for layer in layers:      # a layer after those it needs, so their ids are known
        ids[layer.name] = mine = []
        rows = out[layer.name]
        id_field, prefix, refs = layer.id_field, f"{aid}:{layer.prefix}", layer.refs
        fields = layer.fields
        known = frozenset(fields)
        for i, rec in enumerate(recs[layer.name], 1):
            rid = f"{prefix}{i}"
            row = _row(base, id_field, rid, rec, fields, known)
            # file offsets: ``rep.source_span`` inline (a row's one method call saved; the same
            # rule, empty spans included: tests/test_equivalences.py compares them)
            s0, e0 = a0 + rec["start"], a0 + rec["end"]
            row["start"] = offsets[s0]
            row["end"] = offsets[e0 - 1] + 1 if e0 > s0 else row["start"]
            mine.append(rid)
            for key, other in refs.items() if refs else ():   # indices -> the other layer's row ids
                ref = rec.get(key)
                if ref is None or isinstance(ref, int):   # one index (a figure's subject_entity)
                    row[key] = ids[other][ref] if ref is not None and ref < len(ids[other]) else None
                else:
                    row[key] = [ids[other][j] for j in ref or [] if j < len(ids[other])]
            rows.append(row)
