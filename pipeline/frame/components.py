"""The spaCy frame: the Language of stage 4 plus one component per layer.

Each layer module (figures, dates, targets, entities) is a plain function from text to
records (dicts with the fields of ``../shared/contract.md`` and character offsets into the
text). The components here only call that function and write the result to the Doc:
``doc._.<layer>`` holds the records, ``doc.spans[<layer>]`` the spans, and for entities
``doc.ents`` as well, after splitting any token an entity would cut. Matching is kept apart
from writing to the Doc, as in spaCy's span_ruler.
"""
from __future__ import annotations

import datetime as dt
import functools
from typing import Iterable, Optional

from spacy.language import Language
from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from baozhi.frame import language as segment
from baozhi.frame import plain
from baozhi.frame.plain import as_date  # noqa: F401 - also components.as_date
from baozhi.layers import registry
from baozhi.layers.spec import Context



def _ensure_extensions() -> None:
    for layer in registry.LAYERS:
        if not Doc.has_extension(layer.name):
            Doc.set_extension(layer.name, default=None)
    if not Span.has_extension("record"):
        Span.set_extension("record", getter=span_record)


def span_record(span: Span) -> dict | None:
    """``span._.record``: the contract record behind a span of ``doc.spans[<layer>]`` or
    ``doc.ents`` (fields in the contract's order, offsets into the Doc's text; a target's
    ``figures`` are indices into ``doc._.figures``), or None for a span baozhi did not make.
    The span's ``id_`` names it: ``"figures:0"`` is the first record of ``doc._.figures``."""
    layer, _, index = span.id_.rpartition(":")
    if not index.isdigit() or not Doc.has_extension(layer):
        return None
    try:
        spec = registry.get(layer)
    except ValueError:
        return None
    recs = span.doc._.get(layer) or []
    i = int(index)
    return spec.ordered(recs[i]) if i < len(recs) else None


_ensure_extensions()


def token_offsets(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) character offsets of every token, read from the Doc's arrays."""
    return [(s, s + n) for s, n in doc.to_array([IDX, LENGTH]).tolist()]


def split_tokens_at(doc: Doc, offsets: Iterable[int], n_chars: int | None = None) -> None:
    """Split every token that a character offset falls strictly inside."""
    if n_chars is None:
        n_chars = len(doc_text(doc))
    offsets = list(offsets)
    if not any(0 < o < n_chars for o in offsets):
        return
    spans = token_offsets(doc)
    cuts = plain.cuts_inside(spans, offsets, n_chars)
    if not cuts:
        return
    with doc.retokenize() as retok:
        for tok_i, inside in cuts.items():
            tok = doc[tok_i]
            bounds = [0, *(o - spans[tok_i][0] for o in inside), len(tok.text)]
            orths = [tok.text[a:b] for a, b in zip(bounds, bounds[1:])]
            retok.split(tok, orths, heads=[(tok, k) for k in range(len(orths))])


HANDED_KEY = "baozhi.handed"     # doc.user_data: Context.handed of the Doc's components


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per Doc (spaCy joins every token each time it is asked;
    splitting tokens never changes the text)."""
    text = doc.user_data.get(segment.TEXT_KEY)
    if text is None:
        text = doc.user_data[segment.TEXT_KEY] = doc.text
    return text


def _spans(doc: Doc, layer: str, records: list[dict], label_key: str) -> list[Span]:
    spans = []
    for i, rec in enumerate(records):
        span = doc.char_span(rec["start"], rec["end"], label=str(rec.get(label_key) or ""),
                             alignment_mode="expand", span_id=f"{layer}:{i}")
        if span is not None:
            spans.append(span)
    return spans


class LayerComponent:
    """Writes a layer's records to the Doc: ``doc._.<layer>``, ``doc.spans[<layer>]`` (each
    span's ``span._.record`` its record) and, for a layer of entities, ``doc.ents`` (after
    splitting any token an entity would cut).

    The issue date and home come from the Doc (``doc._.issue_date``, ``doc._.home``), else
    from the context dict of ``nlp.pipe(..., as_tuples=True)`` (keys ``issue_date``, ``home``),
    else from the component's config. A layer that ``needs`` others (targets: figures and
    dates) reads their records from the Doc and raises if they were not computed first.
    ``finish``: also run the layer's pass over a whole text (entities: a short organisation
    name takes the full name of the one other organisation of the Doc it shortens), as
    ``baozhi annotate`` does per line; ``baozhi run`` does it per page instead."""

    def __init__(self, layer: str, *, name: str | None = None, home: str | None = None,
                 issue_date: object = None, finish: bool = False):
        self.layer = registry.get(layer)
        self.name = name or factory_name(layer)
        self.home = home or None
        self.issue_date = as_date(issue_date)
        self.finish = bool(finish and self.layer.finish)
        _ensure_extensions()

    def _given(self, doc: Doc) -> tuple[dt.date | None, str | None]:
        context = getattr(doc, "_context", None)       # nlp.pipe(..., as_tuples=True)
        context = context if isinstance(context, dict) else {}
        day = as_date(doc._.issue_date)
        if day is None:
            day = as_date(context.get("issue_date")) or self.issue_date
        return day, doc._.home or context.get("home") or self.home

    def __call__(self, doc: Doc) -> Doc:
        layer = self.layer
        text = doc_text(doc)
        found = {n: doc._.get(n) for n in layer.needs}
        missing = [n for n, recs in found.items() if recs is None]
        if missing:
            before = " and ".join(factory_name(n) for n in missing)
            raise ValueError(
                f"{self.name} needs the {' and '.join(missing)} of the Doc: add {before} before it "
                f"(nlp.add_pipe({factory_name(missing[0])!r}, before={self.name!r})), or build the "
                f"pipeline with baozhi.load(), which adds what a layer needs")
        issue_date, home = self._given(doc)
        # the entity model's features are jieba words: the Doc's own when a JiebaTokenizer made
        # them, else the layer segments the text itself (someone else's spacy.blank("zh"))
        jieba = doc.user_data.get(segment.WORDS_KEY)
        tokens = (lambda: token_offsets(doc)) if jieba else None
        words = (lambda: [t.text for t in doc]) if jieba else None     # (their surfaces)
        # the records one component made for a later one of the same Doc (Context.handed)
        handed = doc.user_data.setdefault(HANDED_KEY, {})
        ctx = Context(issue_date=issue_date, home=home, tokens=tokens, words=words, found=found,
                      handed=handed)
        records = layer.find(text, ctx)
        if not handed:
            del doc.user_data[HANDED_KEY]
        if self.finish:
            layer.finish(records)
        doc._.set(layer.name, records)
        if layer.ents:
            split_tokens_at(doc, [o for r in records for o in (r["start"], r["end"])], len(text))
            doc.ents = filter_spans(_spans(doc, layer.name, records, layer.label))
        doc.spans[layer.name] = _spans(doc, layer.name, records, layer.label)
        return doc


def factory_name(layer: str) -> str:
    """The spaCy factory (and default component name) of a layer: ``baozhi_<layer>``."""
    return f"baozhi_{layer}"


def _assigns(layer) -> list[str]:
    out = [f"doc._.{layer.name}", "doc.spans", "span._.record"]
    return out + (["doc.ents", "token.ent_iob", "token.ent_type"] if layer.ents else [])


def _register_factory(layer) -> None:
    """One spaCy factory per layer of the registry: ``baozhi_<layer>``, config ``home`` and
    ``issue_date`` (defaults for Docs that carry none), plus ``finish`` for a layer with a
    whole-text pass; ``assigns`` its Doc extension, spans (and entities); ``requires`` the
    Doc extensions of the layers it needs; ``retokenizes`` for entities (tokens are split
    where an entity edge falls inside one)."""
    if Language.has_factory(factory_name(layer.name)):
        return
    config = {"home": None, "issue_date": None}
    if layer.finish:
        config["finish"] = True

        def make(nlp: Language, name: str, home: Optional[str], issue_date: Optional[str],
                 finish: bool) -> LayerComponent:
            return LayerComponent(layer.name, name=name, home=home, issue_date=issue_date,
                                  finish=finish)
    else:
        def make(nlp: Language, name: str, home: Optional[str],
                 issue_date: Optional[str]) -> LayerComponent:
            return LayerComponent(layer.name, name=name, home=home, issue_date=issue_date)
    Language.factory(factory_name(layer.name), default_config=config, assigns=_assigns(layer),
                     requires=[f"doc._.{n}" for n in layer.needs], retokenizes=layer.ents,
                     func=make)


def register_factories() -> None:
    """Register a factory for every layer of the registry not yet registered (those of
    layers added at run time too)."""
    _ensure_extensions()
    for layer in registry.LAYERS:
        _register_factory(layer)


register_factories()


def load(home: str | None = None, *, issue_date: object = None,
         layers: Iterable[str] | None = None) -> Language:
    """A new ``spacy.Language``: jieba tokens, sentences and the asked layers (default: all;
    a layer's needs are added before it). ``home`` and ``issue_date`` are the components'
    defaults for Docs that carry none of their own. See ``baozhi.load``."""
    day = as_date(issue_date)
    nlp = segment.new_language()
    register_factories()
    for layer in registry.compute_order(registry.names() if layers is None else layers):
        nlp.add_pipe(factory_name(layer.name),
                     config={"home": home, "issue_date": day.isoformat() if day else None})
    return nlp


@functools.cache
def get_nlp() -> Language:
    """The Language with every layer component, built once per process. The whole-text
    passes (``finish``) are left to the callers, who run them over a page or a line."""
    nlp = segment.blank_zh()
    register_factories()
    for layer in registry.compute_order(registry.names()):   # each after what it needs
        name = factory_name(layer.name)
        if name not in nlp.pipe_names:
            nlp.add_pipe(name, name=name, config={"finish": False} if layer.finish else {})
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
        name = factory_name(layer.name)
        proc = nlp.get_pipe(name) if name in nlp.pipe_names else LayerComponent(layer.name)
        doc = proc(doc)
    return doc


def records(doc: Doc, layers: Iterable[str]) -> dict[str, list[dict]]:
    """The asked layers' records of an annotated Doc (offsets into ``doc.text``)."""
    return {layer: list(doc._.get(layer) or []) for layer in layers}
