"""Features of the character tagger behind the entity stage (shared by training and tagging).

Every character of a chunk gets a list of string features:

- characters and character bigrams in a window of ±2, the character types of -1, 0, +1;
- its word (a jieba token of the Doc): position in the word (B/I/E/S) with the word's length
  and tag in jieba's dictionary (``?`` when the word is not there), the word itself, and at word
  edges the neighbouring word and its tag;
- gazetteer matches (start/inside/end/single per type) from named sources: ``t`` the
  entities of the training corpus (shipped inside the model artefact), ``j`` jieba's
  dictionary entries tagged as names, places or organisations.

Chunks are the text cut after the characters in ``rules/entities/ner.yaml: chunk_end``
and at line breaks. No rules are written here: character classes come from that file.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from typing import Iterable, Sequence

from . import rules

POS = ("S", "B", "I", "E")


@functools.cache
def config() -> dict:
    return rules.load("entities/ner.yaml")


@functools.cache
def _chunk_re() -> re.Pattern:
    ends = "".join(re.escape(c) for c in config()["chunk_end"])
    trail = "".join(re.escape(c) for c in config().get("chunk_trailing") or [])
    return re.compile(rf"[^{ends}\n]+(?:[{ends}]+[{trail}]*)?|[{ends}]+[{trail}]*")


def chunks(text: str) -> list[tuple[int, int]]:
    """(start, end) of the chunks the tagger works on, empty ones left out."""
    out = []
    for m in _chunk_re().finditer(text):
        s, e = m.span()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


@functools.cache
def _numerals() -> frozenset:
    return frozenset(config()["numerals"])


@functools.lru_cache(maxsize=65536)
def char_type(ch: str) -> str:
    """D digit, N numeral character, L latin letter, C CJK, P punctuation, W space, O other."""
    if ch in _numerals():
        return "N"
    cat = unicodedata.category(ch)
    if cat == "Nd":
        return "D"
    if ch.isspace():
        return "W"
    if cat[0] == "L":
        return "C" if ord(ch) >= 0x2E80 and not (0xFF00 <= ord(ch) <= 0xFFEF) else "L"
    if cat[0] in "PS":
        return "P"
    return "O"


@functools.cache
def jieba_tags() -> dict:
    """jieba's word -> POS tag table (the dictionary as extended by the segment stage)."""
    from .segment import _jieba

    _jieba()
    import jieba.posseg

    return jieba.posseg.dt.word_tag_tab


def tokenize(text: str) -> list[tuple[int, int]]:
    """jieba tokens of ``text`` as (start, end), as the Doc's segmenter would give them."""
    from .segment import _jieba

    jb = _jieba()
    return [(s, e) for w, s, e in jb.tokenize(text) if not w.isspace()]


def word_features(text: str, tokens: Sequence[tuple[int, int]]) -> list[list[str]]:
    """Per character of ``text``, the features of the token it falls in: position and tag
    with the word's length (``wt=B3nr``), the word (``w=``), and at the word's edges the neighbouring word and its tag."""
    n = len(text)
    feats: list[list[str]] = [[] for _ in range(n)]
    tab = jieba_tags()
    spans = [(s, e) for s, e in tokens if 0 <= s < e <= n]
    if not spans:
        return feats
    words = [text[s:e] for s, e in spans]
    tags = [tab.get(w, "?") for w in words]
    ws = ["w=" + w for w in words]
    # neighbours: left of token k is k-1, right is k+1; text edges are ^ and $
    wl = ["wl=^"] + ["wl=" + w for w in words[:-1]]
    tl = ["tl=^"] + ["tl=" + t for t in tags[:-1]]
    wr = ["wr=" + w for w in words[1:]] + ["wr=$"]
    tr = ["tr=" + t for t in tags[1:]] + ["tr=$"]
    for k, (s, e) in enumerate(spans):
        L = e - s
        tg = str(L if L < 5 else 5) + tags[k]
        if L == 1:
            feats[s] = ["wt=S" + tg, ws[k], wl[k], tl[k], wr[k], tr[k]]
            continue
        feats[s] = ["wt=B" + tg, ws[k], wl[k], tl[k]]
        if L > 2:
            mid = ["wt=I" + tg, ws[k]]
            for i in range(s + 1, e - 1):
                feats[i] = mid
        feats[e - 1] = ["wt=E" + tg, ws[k], wr[k], tr[k]]
    return feats


def build_automaton(entries: Iterable[tuple[str, str]]):
    """An Aho-Corasick automaton over (surface, label) pairs; a surface may carry labels."""
    import ahocorasick

    by_surface: dict[str, set] = {}
    for surface, label in entries:
        if len(surface) >= 2:
            by_surface.setdefault(surface, set()).add(label)
    auto = ahocorasick.Automaton()
    for surface, labels in by_surface.items():
        auto.add_word(surface, (len(surface), tuple(sorted(labels))))
    if len(auto):
        auto.make_automaton()
    return auto


@functools.lru_cache(maxsize=1024)
def _marks(name: str, labels: tuple) -> tuple[list[str], list[str], list[str]]:
    heads = ["g" + name + "=" + lab for lab in labels]
    return [h + "-B" for h in heads], [h + "-I" for h in heads], [h + "-E" for h in heads]


def gazetteer_features(text: str, automata: Sequence[tuple[str, object]]) -> dict[int, list[str]]:
    """The gazetteer matches covering each character (only characters with some):
    ``{i: ["g<source>=<label>-<B|I|E>", ...]}``."""
    feats: dict[int, list[str]] = {}
    for name, auto in automata:
        if auto is None or not len(auto):
            continue
        get = feats.get
        for end, (L, labels) in auto.iter(text):
            mb, mi, me = _marks(name, labels)
            s = end - L + 1
            x = get(s)
            if x is None:
                feats[s] = mb[:]
            else:
                x += mb
            for j in range(s + 1, end):
                x = get(j)
                if x is None:
                    feats[j] = mi[:]
                else:
                    x += mi
            x = get(end)
            if x is None:
                feats[end] = me[:]
            else:
                x += me
    return feats


def chunk_features(text: str, wfeats: Sequence[list[str]], gfeats: dict[int, list[str]]) -> list[list[str]]:
    """Features of every character of a chunk, given its word and gazetteer features."""
    p = "\x02\x02" + text + "\x03\x03"
    n = len(text)
    ty = "W" + "".join([char_type(c) for c in text]) + "W"
    out = [["u0=" + c, "u-1=" + b, "u1=" + d, "u-2=" + a, "u2=" + e, "b-2=" + a + b, "b-1=" + b + c,
            "b0=" + c + d, "b1=" + d + e, "t=" + t3] + w
           for a, b, c, d, e, t3, w in zip(p, p[1:], text, p[3:], p[4:],
                                           [ty[i:i + 3] for i in range(n)], wfeats)]
    for i, g in gfeats.items():
        out[i] += g
    return out


# ASCII letters, digits and signs -> their full-width forms, as People's Daily 1998 writes
# them (１９９８年); one character for one, so offsets stay
_FULL_WIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}


def full_width(text: str) -> str:
    """``text`` with ASCII letters, digits and signs in their full-width forms."""
    return text.translate(_FULL_WIDTH)


def text_features(text: str, tokens: Sequence[tuple[int, int]] | None,
                  automata: Sequence[tuple[str, object]]) -> list[tuple[int, int, list[list[str]]]]:
    """(start, end, features) for every chunk of ``text`` (ASCII read as full-width)."""
    if tokens is None:
        tokens = tokenize(text)
    text = full_width(text)
    tokens = sorted(tokens)
    ntok = len(tokens)
    k = 0
    out = []
    for s, e in chunks(text):
        piece = text[s:e]
        while k < ntok and tokens[k][1] <= s:
            k += 1
        local = []
        while k < ntok and tokens[k][0] < e:
            a, b = tokens[k]
            if a < s or b > e:
                a, b = max(a, s), min(b, e)
            if not text[a:b].isspace():
                local.append((a - s, b - s))
            if tokens[k][1] > e:
                break
            k += 1
        wf = word_features(piece, local)
        gf = gazetteer_features(piece, automata)
        out.append((s, e, chunk_features(piece, wf, gf)))
    return out


def bies(length: int, spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """BIES labels (``B-PER`` ...) for entity spans over a sequence of ``length`` characters."""
    y = ["O"] * length
    for s, e, lab in spans:
        if e - s == 1:
            y[s] = "S-" + lab
        else:
            y[s] = "B-" + lab
            for i in range(s + 1, e - 1):
                y[i] = "I-" + lab
            y[e - 1] = "E-" + lab
    return y


def decode(labels: Sequence[str]) -> list[tuple[int, int, str]]:
    """Spans from BIES labels; an I/E without its B starts a span where it stands."""
    out = []
    start, cur = None, None
    first = next((i for i, y in enumerate(labels) if y != "O"), None)
    if first is None:
        return out
    for i in range(first, len(labels)):
        y = labels[i]
        if y == "O":
            start, cur = None, None
            continue
        pos, lab = y[0], y[2:]
        if pos == "S":
            out.append((i, i + 1, lab))
            start, cur = None, None
        elif pos == "B" or cur != lab:
            start, cur = i, lab
            if pos == "E":
                out.append((i, i + 1, lab))
                start, cur = None, None
        if pos == "E" and start is not None:
            out.append((start, i + 1, lab))
            start, cur = None, None
    return out
