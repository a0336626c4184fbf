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
from typing import Callable, Iterable

from spacy.language import Language
from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from . import segment

LAYERS = ("entities", "figures", "dates", "targets")
# a layer needs the records of these layers on the same Doc first
NEEDS = {"targets": ("figures", "dates")}

for _layer in LAYERS:
    if not Doc.has_extension(_layer):
        Doc.set_extension(_layer, default=None)


def _finder(layer: str) -> Callable[[Doc, str], list[dict]]:
    """The plain function behind a layer, called with the Doc, its text (computed once:
    ``doc.text`` joins every token) and the Doc's context."""
    if layer == "figures":
        from .figures import find_figures
        return lambda doc, text: find_figures(text)
    if layer == "dates":
        from .dates import find_dates
        return lambda doc, text: find_dates(text, doc._.issue_date)
    if layer == "targets":
        from .targets import find_targets
        return lambda doc, text: find_targets(text, doc._.figures or [], doc._.dates or [],
                                              doc._.issue_date)
    if layer == "entities":
        from .entities import find_entities
        return lambda doc, text: find_entities(text, doc._.home, token_offsets(doc))
    raise ValueError(f"unknown layer {layer!r}; layers are {', '.join(LAYERS)}")


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
    """Writes a layer's records to the Doc."""

    def __init__(self, layer: str):
        self.layer = layer
        self.find = _finder(layer)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        records = self.find(doc, text)
        doc._.set(self.layer, records)
        if self.layer == "entities":
            split_tokens_at(doc, [o for r in records for o in (r["start"], r["end"])], len(text))
            ents = _spans(doc, records, "label")
            doc.ents = filter_spans(ents)
        doc.spans[self.layer] = _spans(doc, records, {"figures": "kind", "dates": "granularity",
                                                      "targets": "modality"}.get(self.layer, "label"))
        return doc


@Language.factory("baozhi_figures")
def make_figures(nlp: Language, name: str) -> LayerComponent:
    return LayerComponent("figures")


@Language.factory("baozhi_dates")
def make_dates(nlp: Language, name: str) -> LayerComponent:
    return LayerComponent("dates")


@Language.factory("baozhi_targets")
def make_targets(nlp: Language, name: str) -> LayerComponent:
    return LayerComponent("targets")


@Language.factory("baozhi_entities")
def make_entities(nlp: Language, name: str) -> LayerComponent:
    return LayerComponent("entities")


@functools.cache
def get_nlp() -> Language:
    """The Language with every layer component, built once per process."""
    nlp = segment.blank_zh()
    for layer in LAYERS:
        name = f"baozhi_{layer}"
        if name not in nlp.pipe_names:
            nlp.add_pipe(name, name=name)
    return nlp


def resolve_layers(layers: Iterable[str]) -> tuple[str, ...]:
    """The layers to compute, in pipeline order, including those the asked ones need."""
    wanted = set()
    for layer in layers:
        if layer not in LAYERS:
            raise ValueError(f"unknown layer {layer!r}; layers are {', '.join(LAYERS)}")
        wanted.add(layer)
        wanted.update(NEEDS.get(layer, ()))
    return tuple(l for l in ("figures", "dates", "targets", "entities") if l in wanted)


def resolve_output_layers(layers: Iterable[str]) -> tuple[str, ...]:
    """Check the asked layers and keep the contract's order. Targets name their figures by
    index into the figures list, so asking for targets brings the figures too."""
    asked = {l.strip() for l in layers if l.strip()}
    for layer in asked:
        if layer not in LAYERS:
            raise ValueError(f"unknown layer {layer!r}; layers are {', '.join(LAYERS)}")
    if "targets" in asked:
        asked.add("figures")
    return tuple(l for l in LAYERS if l in asked)


def annotate(text: str, issue_date: dt.date | None = None, home: str | None = None,
             layers: Iterable[str] = LAYERS) -> Doc:
    """Tokens, sentences and the asked layers of ``text``, as a Doc."""
    nlp = get_nlp()
    doc = nlp.make_doc(text)
    doc._.issue_date = issue_date
    doc._.home = home
    for _, proc in nlp.pipeline:
        if not isinstance(proc, LayerComponent):
            doc = proc(doc)
    for layer in resolve_layers(layers):
        doc = nlp.get_pipe(f"baozhi_{layer}")(doc)
    return doc


def records(doc: Doc, layers: Iterable[str]) -> dict[str, list[dict]]:
    """The asked layers' records of an annotated Doc (offsets into ``doc.text``)."""
    return {layer: list(doc._.get(layer) or []) for layer in layers}
