"""Layers of a long text in bounded chunks: no article makes a Doc of more than
``MAX_CHARS`` characters (spaCy refuses a Doc past 1,000,000 characters, E088, and a
600,000-character Doc needs gigabytes).

Entry point: ``layer_records(text, issue_date, home, layers) -> {layer: records}``, the same
as ``frame.components.records(frame.components.annotate(text, ...), layers)`` (computed
without spaCy by ``frame.plain.records``, record for record the same) for a text of at
most ``MAX_CHARS`` characters (which is every article of a newspaper page). A longer text is
cut at a sentence end (。！？… or a line break: ``sentence_end`` of rules/bounds/bounds.yaml)
before the limit, else after a half's or clause's end (；，：), else after another mark of that file
(、 ） ”) or before an opening bracket or quote (never just after one), else between
characters that are no part of a number, else at the limit; each chunk is annotated alone, its records' offsets moved by
the chunk's start, and index references between layers (a target's ``figures``) moved by
the records of the chunks before. Offsets stay exact: they point into ``text``.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Iterable

from baozhi.layers import registry
from baozhi.resources.marks import marks

MAX_CHARS = 50_000
# never cut next to one of these (a figure such as 24.7亿元 would be cut in two)
NUMBERISH = set("0123456789０１２３４５６７８９.．%％〇零一二两三四五六七八九十百千万亿点几余多")


def chunk_bounds(text: str, limit: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of consecutive chunks covering ``text``, each at most ``limit`` long,
    cut after a sentence end where there is one in the second half of the window, else
    after another mark of rules/bounds/bounds.yaml, else between two characters that are not
    part of a number, else at the limit."""
    limit = limit or MAX_CHARS
    m = marks()
    # after a sentence end; else after a half's or a clause's end; else after a closing mark of
    # a phrase (、 ） ”); else before an opening one (（ “: never just after it)
    openers = frozenset(ch for ch in m["phrase"] if unicodedata.category(ch) in ("Ps", "Pi"))
    after = (m["figure_sentence"], m["clause"] - m["figure_sentence"], m["phrase"] - m["clause"] - openers)
    out, start, n = [], 0, len(text)
    while n - start > limit:
        lo, hi = start + limit // 2, start + limit
        end = -1
        for tier in after:
            cut = max((text.rfind(ch, lo, hi) for ch in tier), default=-1)
            if cut >= 0:
                end = cut + 1
                break
        else:
            cut = max((text.rfind(ch, lo + 1, hi) for ch in openers), default=-1)
            end = cut if cut > lo else _safe_cut(text, lo, hi)
        out.append((start, end))
        start = end
    out.append((start, n))
    return out


def _safe_cut(text: str, lo: int, hi: int) -> int:
    """The last offset in (lo, hi] with no number-like character on either side, else hi."""
    for p in range(hi, lo, -1):
        if text[p - 1] not in NUMBERISH and text[p] not in NUMBERISH:
            return p
    return hi


WARM_UP_TEXT = "1998年1月1日，北京市国内生产总值增长8.8%，达到1810亿元。"


def warm_up(kernels: bool = True, freq: bool = True) -> None:
    """Import the pipeline and load its models (jieba, the CRF, the rules) in this process:
    a worker does it before its first page (local workers: their parent, before they fork).
    No process-wide side effect beyond the loaded models: freezing them out of the cyclic
    collector's reach (``gc.freeze``) is left to whoever owns the process — ``batch`` before
    its local workers fork and after a 1-worker run's first page, ``cluster.WarmUp`` on a Dask
    worker (undone when the run ends) — never to a library caller of this function.
    ``kernels``: the entity CRF's compiled kernels too (``entities.load_models``; False for a
    batch too small to pay their load back: each worker then loads them past ``JIT_AFTER``).
    ``freq``: jieba's frequency table made a dict too (False: only where jieba-rs does not
    serve; a batch whose pages have few letters and digits, which alone send a text's blocks
    to jieba's own code, ``segmenter.fast_cut``: each worker then makes it a dict past
    ``segmenter.Freq.DICT_AFTER`` look-ups)."""
    from baozhi.layers.entities import entities
    from baozhi.resources import regexcache, segmenter

    layer_records(WARM_UP_TEXT)
    entities.load_models(kernels)   # a short text does not load the scorer of long ones
    seg = segmenter.default()
    # jieba's tag and frequency tables as dicts, built once here, not by each forked worker
    # (the frequency table where asked, or where jieba-rs does not serve)
    if freq:
        seg.use_dicts()
    # jieba-rs (a whole text where it cuts as jieba does, else its Han blocks), built before any fork
    rust = seg.use_rust()
    seg.use_dicts(freq=rust is None)
    regexcache.save()        # the patterns' programs on disk now, not when this process ends


def layer_records(text: str, issue_date: dt.date | None = None, home: str | None = None,
                  layers: Iterable[str] | None = None,
                  limit: int | None = None) -> dict[str, list[dict]]:
    """The asked layers' records of ``text`` (offsets into ``text``), chunk by chunk."""
    from baozhi.frame import plain   # no spaCy: the frame's records without a Doc (issue 12)

    limit = limit or MAX_CHARS
    layers = list(registry.names() if layers is None else layers)
    if len(text) <= limit:
        return plain.records(text, issue_date=issue_date, home=home, layers=layers)
    every = [layer.name for layer in registry.compute_order(layers)]  # with those referred to
    out: dict[str, list[dict]] = {name: [] for name in every}
    for start, end in chunk_bounds(text, limit):
        recs = plain.records(text[start:end], issue_date=issue_date, home=home, layers=every)
        before = {name: len(out[name]) for name in every}
        for name in every:
            refs = registry.get(name).refs
            for rec in recs[name]:
                rec = dict(rec, start=rec["start"] + start, end=rec["end"] + start)
                for key, other in refs.items():
                    if isinstance(rec.get(key), int) and other in before:
                        rec[key] = rec[key] + before[other]
                    elif rec.get(key) is not None and other in before:
                        rec[key] = [j + before[other] for j in rec[key]]
                out[name].append(rec)
    return {name: out[name] for name in layers}


def layer_records_many(texts: list[str], issue_date: dt.date | None = None, home: str | None = None,
                       layers: Iterable[str] | None = None,
                       limit: int | None = None) -> list[dict[str, list[dict]] | Exception]:
    """``layer_records`` of each of ``texts`` (a page's articles), in order, the same records;
    a text whose layers raise gives its exception in its place. Texts within the limit go
    through ``plain.records_many`` together (the layers' page-level ``prepare`` passes), a
    longer one chunk by chunk on its own."""
    from baozhi.frame import plain

    limit = limit or MAX_CHARS
    layers = list(registry.names() if layers is None else layers)
    out: list = [None] * len(texts)
    short = [i for i, t in enumerate(texts) if len(t) <= limit]
    for i, got in zip(short, plain.records_many([texts[i] for i in short], issue_date=issue_date,
                                                home=home, layers=layers)):
        out[i] = got
    for i, text in enumerate(texts):
        if out[i] is None:
            try:
                out[i] = layer_records(text, issue_date, home, layers, limit)
            except Exception as exc:  # noqa: BLE001 - the caller makes it an error row
                out[i] = exc
    return out
