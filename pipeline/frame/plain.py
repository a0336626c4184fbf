"""The layers' records of a text without spaCy: the same jieba words, the same layer order
and the same token splits as the spaCy frame (``components.annotate``), with no Doc built.

``baozhi run`` and ``baozhi annotate`` need only records; importing spaCy and building a Doc
cost more than a short line's layers (issue 12: the cold start). ``records()`` gives what
``components.records(components.annotate(...))`` gives, record for record (tests say so).
"""
from __future__ import annotations

import bisect
import datetime as dt
import warnings
from itertools import accumulate, compress
from typing import Iterable, Sequence

from baozhi.layers import registry
from baozhi.layers.entities.tokens import Tokens
from baozhi.layers.spec import Context, issue_day
from baozhi.resources import segmenter


def as_date(value: object, what: str = "issue_date") -> dt.date | None:
    """A date from a ``datetime.date`` or an ISO ``YYYY-MM-DD`` string (None stays None)."""
    if value is None or value == "":
        return None
    day = issue_day(value)       # the layers' own reading of a date or datetime
    if day is not None:
        return day
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{what} {value!r} is not a date (a datetime.date or 'YYYY-MM-DD')")


def token_offsets(text: str) -> list[tuple[int, int]]:
    """(start, end) of the tokens the frame's JiebaTokenizer makes of ``text``: jieba's words,
    a single space after a word being that word's trailing whitespace, not a token."""
    return spans_of(segmenter.default().words(text))


def spans_of(words: list[str]) -> Tokens:
    """``token_offsets``' spans of jieba's ``words`` (which concatenate to the text), as the
    entity rules' ``Tokens`` with the lists of starts and ends made here on the way (the
    starts are sorted; the ends increase where no word is empty: jieba makes none)."""
    ends = list(accumulate(map(len, words)))
    starts = [0, *ends]
    spans = list(zip(starts, ends))
    starts.pop()             # (the text's end, which starts no token)
    ordered = True if "" not in words else None
    if " " not in words:
        return Tokens.known(spans, starts, ends, ordered)
    gone = _trailing_spaces(words)
    if not gone:
        return Tokens.known(spans, starts, ends, ordered)
    out, kept_s, kept_e, done = [], [], [], 0   # the runs between the spaces dropped, copied as slices
    for i in gone:
        out += spans[done:i]
        kept_s += starts[done:i]
        kept_e += ends[done:i]
        done = i + 1
    out += spans[done:]
    kept_s += starts[done:]
    kept_e += ends[done:]
    return Tokens.known(out, kept_s, kept_e, ordered)


def _trailing_spaces(words: list[str]) -> list[int]:
    """The indices of the " " words that are a word's trailing space, not tokens: a " " word
    is when the word before it is not whitespace (a space after a space, or after a space made
    trailing, is a token of its own)."""
    return [i for i in compress(range(len(words)), map(" ".__eq__, words))
            if i and not words[i - 1].isspace()]


def token_words(words: list[str]) -> list[str]:
    """The surfaces of ``spans_of(words)``' tokens: ``words`` but the trailing spaces."""
    gone = set(_trailing_spaces(words)) if " " in words else None
    return [w for i, w in enumerate(words) if i not in gone] if gone else words


def cuts_inside(spans: Sequence[tuple[int, int]], offsets: Iterable[int],
                n_chars: int) -> dict[int, list[int]]:
    """For each span an offset falls strictly inside, its index -> those offsets, in order
    (bisect over the spans' starts: linear in the spans and offsets). Shared by ``split_at``
    and ``components.split_tokens_at``, so both frames cut tokens alike."""
    wanted = sorted({o for o in offsets if 0 < o < n_chars})
    if not wanted:
        return {}
    starts = [s for s, _ in spans]
    cuts: dict[int, list[int]] = {}
    for off in wanted:
        i = bisect.bisect_right(starts, off) - 1
        if i < 0:
            continue
        s, e = spans[i]
        if s < off < e:
            cuts.setdefault(i, []).append(off)
    return cuts


def split_at(spans: Sequence[tuple[int, int]], offsets: Iterable[int],
             n_chars: int) -> list[tuple[int, int]]:
    """``spans`` with every span an offset falls strictly inside split there (as
    ``components.split_tokens_at`` splits a Doc's tokens)."""
    spans = list(spans)
    return _split(spans, cuts_inside(spans, offsets, n_chars))


def _split(spans: list[tuple[int, int]], cuts: dict[int, list[int]]) -> list[tuple[int, int]]:
    """``split_at``'s spans, given ``cuts_inside``' cuts of them."""
    return _remade(spans, spans, cuts, lambda bounds: zip(bounds, bounds[1:]))


def split_words(text: str, spans: Sequence[tuple[int, int]], words: list[str],
                cuts: dict[int, list[int]]) -> list[str]:
    """The surfaces of ``_split(spans, cuts)``'s spans, given those of ``spans`` (``words``,
    ``text[s:e]`` of each): the words of the spans not cut kept, the pieces sliced."""
    return _remade(words, spans, cuts,
                   lambda bounds: map(text.__getitem__, map(slice, bounds, bounds[1:])))


def _remade(items: list, spans: Sequence[tuple[int, int]], cuts: dict[int, list[int]],
            pieces) -> list:
    """``items`` (one per span of ``spans``) with the item of every span ``cuts`` cuts replaced
    by ``pieces`` of its bounds (start, the cuts, end); only the spans cut are remade, the runs
    between are copied (``_split``: the spans; ``split_words``: their surfaces)."""
    if not cuts:
        return items
    out: list = []
    done = 0
    for i in sorted(cuts):
        out += items[done:i]
        s, e = spans[i]
        out += pieces([s, *cuts[i], e])
        done = i + 1
    out += items[done:]
    return out


def records(text: str, issue_date: object = None, home: str | None = None,
            layers: Iterable[str] | None = None) -> dict[str, list[dict]]:
    """The asked layers' records of ``text`` (default: all), each layer after those it needs;
    the whole-text passes (``finish``) are left to the callers, as in the frame."""
    got = records_many([text], issue_date, home, layers, prepare=False)[0]
    if isinstance(got, BaseException):
        raise got
    return got


def records_many(texts: Sequence[str], issue_date: object = None, home: str | None = None,
                 layers: Iterable[str] | None = None,
                 prepare: bool = True) -> list[dict[str, list[dict]] | Exception]:
    """``records`` of each of ``texts`` (a page's articles), in order; a text whose layers
    raise gives its exception in its place. With ``prepare``, a layer with a ``prepare``
    pass (and no layer it needs) does that part for all the texts at once (the entities'
    CRF: one scoring and one Viterbi for the page); the records are the same."""
    layers = list(registry.names() if layers is None else layers)
    day, home = as_date(issue_date), home or None
    order = registry.compute_order(layers)
    out: list = [None] * len(texts)
    toks: list = [None] * len(texts)
    words: list = [None] * len(texts)      # (each text's tokens' surfaces: jieba's words)
    seg = segmenter.default()
    for i, text in enumerate(texts):
        try:
            ws = seg.words(text)
            toks[i] = spans_of(ws)
            words[i] = ws if len(toks[i]) == len(ws) else token_words(ws)
        except Exception as exc:  # noqa: BLE001 - the caller makes it an error of this text
            out[i] = exc
    ready = {}
    if prepare:
        live = [i for i in range(len(texts)) if out[i] is None]
        for layer in order:
            if layer.prepare is None or layer.needs or len(live) < 2:
                continue
            try:
                got = layer.prepare([(texts[i], Context(issue_date=day, home=home,
                                                        tokens=lambda t=toks[i]: t.copy()))
                                     for i in live])
            except Exception as exc:  # noqa: BLE001 - each text's find does it alone (and says what fails)
                warnings.warn(f"the {layer.name} layer's page pass failed ({type(exc).__name__}: {exc}); "
                              "each text is done alone", RuntimeWarning, stacklevel=2)
                got = None
            if got is not None:
                ready[layer.name] = dict(zip(live, got))
    for i, text in enumerate(texts):
        if out[i] is not None:
            continue
        try:
            out[i] = _records(text, toks[i], words[i], day, home, layers, order, ready, i)
        except Exception as exc:  # noqa: BLE001
            out[i] = exc
    return out


def _records(text, tokens, words, day, home, layers, order, ready, i) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    handed: dict[str, tuple] = {}       # records a layer made for a later one (Context.handed)
    for layer in order:
        pre = ready.get(layer.name)
        ctx = Context(issue_date=day, home=home, tokens=lambda t=tokens: t.copy(),
                      words=None if words is None else (lambda w=words: list(w)),
                      found={n: found[n] for n in layer.needs}, handed=handed,
                      prepared=pre.get(i) if pre is not None else None)
        recs = found[layer.name] = layer.find(text, ctx)
        if layer.ents:      # (split_at, with the surfaces of the pieces)
            tokens = list(tokens)
            cuts = cuts_inside(tokens, [o for r in recs for o in (r["start"], r["end"])], len(text))
            if words is not None:
                words = split_words(text, tokens, words, cuts)
            tokens = _split(tokens, cuts)
    return {name: list(found.get(name) or []) for name in layers}
