"""The spaCy frame: the Language of stage 4 plus one component per layer.

Each layer module (figures, dates, targets, entities) is a plain function from text to
records (dicts with the fields of ``../shared/contract.md`` and character offsets into the
text). The components here only call that function and write the result to the Doc:
``doc._.<layer>`` holds the records, ``doc.spans[<layer>]`` the spans, and for entities
``doc.ents`` as well, after splitting any token an entity would cut. Matching is kept apart
from writing to the Doc, as in spaCy's span_ruler.
"""
from __future__ import annotations

import bisect

import datetime as dt
import functools
from typing import Iterable

from spacy.language import Language
from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from baozhi.frame import language as segment
from baozhi.layers import registry
from baozhi.layers.spec import Context



def _ensure_extensions() -> None:
    for layer in registry.LAYERS:
        if not Doc.has_extension(layer.name):
            Doc.set_extension(layer.name, default=None)


_ensure_extensions()


def token_offsets(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) character offsets of every token, read from the Doc's arrays."""
    return [(s, s + n) for s, n in doc.to_array([IDX, LENGTH]).tolist()]


def split_tokens_at(doc: Doc, offsets: Iterable[int], n_chars: int | None = None) -> None:
    """Split every token that a character offset falls strictly inside."""
    if n_chars is None:
        n_chars = len(doc_text(doc))
    wanted = sorted({o for o in offsets if 0 < o < n_chars})
    if not wanted:
        return
    spans = token_offsets(doc)
    starts = [s for s, _ in spans]
    cuts: dict[int, list[int]] = {}
    for off in wanted:
        i = bisect.bisect_right(starts, off) - 1
        if i < 0:
            continue
        s, e = spans[i]
        if s < off < e:
            cuts.setdefault(i, []).append(off - s)
    if not cuts:
        return
    with doc.retokenize() as retok:
        for tok_i, local in cuts.items():
            tok = doc[tok_i]
            bounds = [0, *local, len(tok.text)]
            orths = [tok.text[a:b] for a, b in zip(bounds, bounds[1:])]
            retok.split(tok, orths, heads=[(tok, k) for k in range(len(orths))])


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per Doc (spaCy joins every token each time it is asked;
    splitting tokens never changes the text)."""
    text = doc.user_data.get(segment.TEXT_KEY)
    if text is None:
        text = doc.user_data[segment.TEXT_KEY] = doc.text
    return text


def _spans(doc: Doc, records: list[dict], label_key: str) -> list[Span]:
    spans = []
    for rec in records:
        span = doc.char_span(rec["start"], rec["end"], label=str(rec.get(label_key) or ""),
                             alignment_mode="expand")
        if span is not None:
            spans.append(span)
    return spans


class LayerComponent:
    """Writes a layer's records to the Doc: ``doc._.<layer>``, ``doc.spans[<layer>]`` and,
    for a layer of entities, ``doc.ents`` (after splitting any token an entity would cut)."""

    def __init__(self, layer: str):
        self.layer = registry.get(layer)
        _ensure_extensions()

    def __call__(self, doc: Doc) -> Doc:
        layer = self.layer
        text = doc_text(doc)
        ctx = Context(issue_date=doc._.issue_date, home=doc._.home,
                      tokens=lambda: token_offsets(doc),
                      found={n: doc._.get(n) or [] for n in layer.needs})
        records = layer.find(text, ctx)
        doc._.set(layer.name, records)
        if layer.ents:
            split_tokens_at(doc, [o for r in records for o in (r["start"], r["end"])], len(text))
            doc.ents = filter_spans(_spans(doc, records, layer.label))
        doc.spans[layer.name] = _spans(doc, records, layer.label)
        return doc


def _make_factory(layer: str):
    def make(nlp: Language, name: str) -> LayerComponent:
        return LayerComponent(layer)
    return make


for _layer in registry.LAYERS:
    Language.factory(f"baozhi_{_layer.name}", func=_make_factory(_layer.name))


@functools.cache
def get_nlp() -> Language:
    """The Language with every layer component, built once per process."""
    nlp = segment.blank_zh()
    for layer in registry.LAYERS:
        name = f"baozhi_{layer.name}"
        if name not in nlp.pipe_names:
            if name not in Language.factories:
                Language.factory(name, func=_make_factory(layer.name))
            nlp.add_pipe(name, name=name)
    return nlp


def annotate(text: str, issue_date: dt.date | None = None, home: str | None = None,
             layers: Iterable[str] | None = None) -> Doc:
    """Tokens, sentences and the asked layers (default: all) of ``text``, as a Doc."""
    nlp = get_nlp()
    doc = nlp.make_doc(text)
    doc._.issue_date = issue_date
    doc._.home = home
    for _, proc in nlp.pipeline:
        if not isinstance(proc, LayerComponent):
            doc = proc(doc)
    for layer in registry.compute_order(registry.names() if layers is None else layers):
        name = f"baozhi_{layer.name}"
        proc = nlp.get_pipe(name) if name in nlp.pipe_names else LayerComponent(layer.name)
        doc = proc(doc)
    return doc


def records(doc: Doc, layers: Iterable[str]) -> dict[str, list[dict]]:
    """The asked layers' records of an annotated Doc (offsets into ``doc.text``)."""
    return {layer: list(doc._.get(layer) or []) for layer in layers}
