"""The features of ``features.py`` as the model's attribute ids, for a whole text at once.

``features.features`` writes every feature of every character as a string (``u0=市``,
``b-1=太原``, ``wt=B3ns``) and crfsuite looks each one up; here the same features are taken
as ids of the weight matrix of ``crf.Scorer`` without writing them: a character's unigram
ids, a bigram's ids, a word's ids are looked up once per distinct character, bigram and word
of the text (``numpy.unique``) and spread over the positions by array indexing. Positions
get their ids slot by slot in the order ``features.features`` lists the strings (a slot with
nothing at a position adds the zero row), so the sums, and the labels, are the same: tests
in tests/test_crf.py compare both ways on dev sentences and on odd text.

Feature groups this module does not know (a model trained with a new template) fall back to
the strings (``known_groups``).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from baozhi.layers.entities import features as nf

KNOWN_GROUPS = frozenset({"trigram", "window3", "lexicon"})
TYPES = "DNLCPWO"  # char_type's letters, as codes 0..6


def known_groups(extra: Sequence[str]) -> bool:
    """Whether every feature group of the model is built here."""
    return set(extra) <= KNOWN_GROUPS


class Ids:
    """Attribute ids of a scorer's model, memoised by character, bigram, word."""

    def __init__(self, scorer):
        self.get = scorer.ids.get
        self.unk = scorer.unknown
        self.types: dict[str, int] = {}
        self.marks: dict[tuple, tuple] = {}
        self.words: dict[str, tuple] = {}
        g, u = self.get, self.unk
        self.tables = _tables(scorer.ids)
        self.t3 = np.array([g("t=" + a + b + c, u) for a in TYPES for b in TYPES for c in TYPES],
                           dtype=np.intp)
        self.edges = (g("wl=^", u), g("tl=^", u), g("wr=$", u), g("tr=$", u))

    def char_type(self, c: str) -> int:
        x = self.types.get(c)
        if x is None:
            x = self.types[c] = TYPES.index(nf.char_type(c))
        return x

    def word(self, w: str, tab: dict) -> tuple:
        """(w=, wl=, tl=, wr=, tr=, wt=S, wt=B, wt=I, wt=E) ids of a word."""
        x = self.words.get(w)
        if x is None:
            if len(self.words) >= 200_000:
                self.words.clear()
            g, u = self.get, self.unk
            t = tab.get(w, "?")
            L = len(w)
            tg = str(L if L < 5 else 5) + t
            x = self.words[w] = (g("w=" + w, u), g("wl=" + w, u), g("tl=" + t, u),
                                 g("wr=" + w, u), g("tr=" + t, u), g("wt=S" + tg, u),
                                 g("wt=B" + tg, u), g("wt=I" + tg, u), g("wt=E" + tg, u))
        return x


# templates over 1, 2, 3 characters whose ids are looked up by character codes
UNIGRAMS = ("u0=", "u-1=", "u1=", "u-2=", "u2=", "u-3=", "u3=")
BIGRAMS = ("b-2=", "b-1=", "b0=", "b1=", "k=")
TRIGRAMS = ("c3=",)


def _tables(attrs: dict) -> dict:
    """Per character template, (sorted codes of the characters it has in the model, their
    ids): a code is the characters' code points, 21 bits each."""
    found: dict[str, list] = {p: [] for p in UNIGRAMS + BIGRAMS + TRIGRAMS}
    width = {**{p: 1 for p in UNIGRAMS}, **{p: 2 for p in BIGRAMS}, **{p: 3 for p in TRIGRAMS}}
    for a, i in attrs.items():
        head, eq, rest = a.partition("=")
        key = head + eq
        if eq and key in found and len(rest) == width[key]:
            code = 0
            for ch in rest:
                code = (code << 21) | ord(ch)
            found[key].append((code, i))
    out = {}
    for key, pairs in found.items():
        pairs.sort()
        out[key] = (np.array([c for c, _ in pairs], dtype=np.int64),
                    np.array([i for _, i in pairs], dtype=np.intp))
    return out


def _look(ids: "Ids", template: str, codes: np.ndarray) -> np.ndarray:
    """The ids of ``template`` + the characters of each code (the unknown row if none)."""
    keys, vals = ids.tables[template]
    if not len(keys):
        return np.full(len(codes), ids.unk, dtype=np.intp)
    at = np.searchsorted(keys, codes)
    at[at == len(keys)] = 0
    return np.where(keys[at] == codes, vals[at], ids.unk)


def _codes(s: str) -> np.ndarray:
    return np.frombuffer(s.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)


def slots(ids: Ids, pieces: Sequence[tuple[int, int, str, list]],
          automata: Sequence[tuple[str, object]], extra: Sequence[str] = ()) -> tuple:
    """(dense slots [k, positions], sparse (position, id) pairs in order, positions per
    chunk) of the features of every chunk (``features.pieces``), in the order of the
    strings of ``features.features``."""
    pad = 3 if "window3" in extra else 2
    lens = [len(p) for _, _, p, _ in pieces]
    n = sum(lens)
    if not n:
        return [], ([], []), lens
    P = "".join("\x02" * pad + p + "\x03" * pad for _, _, p, _ in pieces)
    # index in P of every position (character of a chunk)
    starts = np.cumsum([0] + [L + 2 * pad for L in lens[:-1]]) + pad
    ix = np.arange(n) + np.repeat(starts - np.cumsum([0] + lens[:-1]), lens)
    cp = _codes(P)
    c1, c2, c0, c3, c4 = cp[ix - 1], cp[ix + 1], cp[ix], cp[ix - 2], cp[ix + 2]
    out = [_look(ids, "u0=", c0), _look(ids, "u-1=", c1), _look(ids, "u1=", c2),
           _look(ids, "u-2=", c3), _look(ids, "u2=", c4)]
    out += [_look(ids, "b-2=", (c3 << 21) | c1), _look(ids, "b-1=", (c1 << 21) | c0),
            _look(ids, "b0=", (c0 << 21) | c2), _look(ids, "b1=", (c2 << 21) | c4)]
    # character types, once per distinct character; the padding's type is W
    uc, inv = np.unique(cp[ix], return_inverse=True)
    tc = np.array([ids.char_type(chr(c)) for c in uc.tolist()], dtype=np.intp)
    ty = np.full(len(P), TYPES.index("W"), dtype=np.intp)
    ty[ix] = tc[inv.reshape(-1)]
    out.append(ids.t3[ty[ix - 1] * 49 + ty[ix] * 7 + ty[ix + 1]])
    out += _word_slots(ids, pieces, lens, n)
    if "trigram" in extra:
        out += [_look(ids, "c3=", (c1 << 42) | (c0 << 21) | c2), _look(ids, "k=", (c1 << 21) | c2)]
    if "window3" in extra:
        out += [_look(ids, "u-3=", cp[ix - 3]), _look(ids, "u3=", cp[ix + 3])]
    # gazetteer and lexicon matches: sparse, kept as (position, id) in the strings' order
    pos, sid = _matches(ids, pieces, lens, automata, extra)
    return out, (pos, sid), lens


def _matches(ids: "Ids", pieces, lens, automata, extra) -> tuple[list, list]:
    """(position, id) of every gazetteer and lexicon feature, in the order
    ``features.features`` appends them at each position."""
    pos, sid = [], []
    get, unk = ids.get, ids.unk
    marks = ids.marks
    lex = nf.lexicon_automaton() if "lexicon" in extra else None
    base = 0
    for (_, _, piece, _), L in zip(pieces, lens):
        for name, auto in automata:
            if auto is None or not len(auto):
                continue
            for end, (n, labels) in auto.iter(piece):
                m = marks.get((name, labels))
                if m is None:
                    m = marks[name, labels] = tuple(
                        [get(h, unk) for h in x] for x in nf._marks(name, labels))
                mb, mi, me = m
                s = base + end - n + 1
                e = base + end
                for i in mb:
                    pos.append(s)
                    sid.append(i)
                for j in range(s + 1, e):
                    for i in mi:
                        pos.append(j)
                        sid.append(i)
                for i in me:
                    pos.append(e)
                    sid.append(i)
        if lex is not None:
            for i, fs in nf.lexicon_features(piece, lex).items():
                for f in fs:
                    pos.append(base + i)
                    sid.append(get(f, unk))
        base += L
    return pos, sid


def _word_slots(ids: Ids, pieces, lens, n) -> list[np.ndarray]:
    """The six word slots: [wt=, w=, wl=|wr=, tl=|tr=, wr=, tr=] per position."""
    tab = nf.jieba_tags()
    unk = ids.unk
    ts, te, W = [], [], []
    prev_edge = [0]
    base = 0
    wl0, tl0, wr0, tr0 = ids.edges
    words = ids.words
    for (_, _, piece, local), L in zip(pieces, lens):
        if local:
            if local[0][0] < 0 or local[-1][1] > L or any(s >= e for s, e in local):
                local = [(s, e) for s, e in local if 0 <= s < e <= L]
            ts += [base + s for s, _ in local]
            te += [base + e for _, e in local]
            for w in [piece[s:e] for s, e in local]:
                x = words.get(w)
                W.append(x if x is not None else ids.word(w, tab))
            if local:
                prev_edge.append(len(ts))
        base += L
    slots = [np.full(n, unk, dtype=np.intp) for _ in range(6)]
    if not ts:
        return slots
    ts, te = np.array(ts), np.array(te)
    W = np.array(W, dtype=np.intp)
    m = len(ts)
    # the neighbours' words: ^/$ at a chunk's first and last token
    firsts = np.zeros(m, dtype=bool)
    firsts[np.array(prev_edge[:-1])] = True
    lasts = np.zeros(m, dtype=bool)
    lasts[np.array(prev_edge[1:]) - 1] = True
    wl = np.where(firsts, wl0, np.roll(W[:, 1], 1))
    tl = np.where(firsts, tl0, np.roll(W[:, 2], 1))
    wr = np.where(lasts, wr0, np.roll(W[:, 3], -1))
    tr = np.where(lasts, tr0, np.roll(W[:, 4], -1))
    size = te - ts
    tok = np.repeat(np.arange(m), size)
    p = np.arange(int(size.sum())) - np.repeat(np.cumsum(size) - size, size) + np.repeat(ts, size)
    off = p - ts[tok]
    one = size[tok] == 1
    head = off == 0
    tail = off == size[tok] - 1
    slots[0][p] = np.where(one, W[tok, 5], np.where(head, W[tok, 6], np.where(tail, W[tok, 8],
                                                                               W[tok, 7])))
    slots[1][p] = W[tok, 0]
    slots[2][p] = np.where(head, wl[tok], np.where(tail, wr[tok], unk))
    slots[3][p] = np.where(head, tl[tok], np.where(tail, tr[tok], unk))
    slots[4][p] = np.where(one, wr[tok], unk)
    slots[5][p] = np.where(one, tr[tok], unk)
    return slots


def scores(scorer, ids: Ids, pieces, automata, extra=()) -> list[np.ndarray]:
    """State scores [positions, labels] of every chunk, summed slot by slot."""
    dense, (pos, sid), lens = slots(ids, pieces, automata, extra)
    n = sum(lens)
    if not n:
        return [np.zeros((0, len(scorer.labels))) for _ in lens]
    state = scorer.state
    out = state[dense[0]]   # 0.0 + w is w: crfsuite's first addition
    tmp = np.empty_like(out)
    for s in dense[1:]:
        out += np.take(state, s, axis=0, out=tmp)
    if pos:
        pos = np.array(pos, dtype=np.intp)
        sid = np.array(sid, dtype=np.intp)
        order = np.argsort(pos, kind="stable")
        pos, sid = pos[order], sid[order]
        cnt = np.bincount(pos, minlength=n)
        rank = np.arange(len(pos)) - (np.cumsum(cnt) - cnt)[pos]
        for k in range(int(rank.max()) + 1):
            sel = np.flatnonzero(rank == k)
            out[pos[sel]] += state[sid[sel]]
    return np.split(out, np.cumsum(lens)[:-1]) if lens else []
