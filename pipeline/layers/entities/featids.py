"""The features of ``features.py`` as the model's attribute ids, for a whole text at once.

``features.features`` writes every feature of every character as a string (``u0=市``,
``b-1=太原``, ``wt=B3ns``) and crfsuite looks each one up; here the same features are taken
as ids of the weight matrix of ``crf.Scorer`` without writing them: a character's unigram
ids by indexing a table by code point (``Ids.dense``; a hashed ``CodeTable`` above
``DENSE_MAX``), a bigram's ids by one probe of a ``CodeTable`` per bigram of the joined text
for all templates at once (``_bigram_tables``), a word's ids once per distinct word of the
text (``numpy.unique``), all spread over the positions by array indexing. Positions
get their ids slot by slot in the order ``features.features`` lists the strings (a slot with
nothing at a position adds the zero row), so the sums, and the labels, are the same: tests
in tests/test_crf.py compare both ways on dev sentences and on odd text.

Feature groups this module does not know (a model trained with a new template) fall back to
the strings (``known_groups``).
"""
from __future__ import annotations

from itertools import chain, repeat
from operator import add
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
        # the scorer's compiled kernels (``kernels.py``), None: the NumPy code
        self.kern = getattr(scorer, "kernels", None)
        self.types: dict[str, int] = {}
        # per gazetteer name, (its table, the entries laid out by ``gazetteer``)
        self.gazetteers: dict[str, tuple] = {}
        g, u = self.get, self.unk
        self.tables = _tables(scorer.ids)
        # the word templates' ids by what follows their prefix (``rows``: no string made per
        # word and template to look it up)
        self.by_template = _by_template(scorer.ids)
        # unigram templates as dense tables by code point (ids as int32), up to DENSE_MAX
        self.dense = {p: _dense(*self.tables[p], self.unk) for p in UNIGRAMS}
        # the five of ``slots``' first slots as one array (``kernels.char_slots``; the tables
        # above become its rows)
        self.uni = np.stack([self.dense[p] for p in UNIGRAMS[:5]])
        self.dense.update({p: self.uni[k] for k, p in enumerate(UNIGRAMS[:5])})
        # character type codes by code point, filled as characters are first seen (-1: not yet)
        self.type_of = np.full(DENSE_MAX, -1, dtype=np.int8)
        # a word's nine ids (``word``) as a row of ``word_rows``, found by ``word_row`` (``rows``)
        self.word_rows = np.zeros((1024, 9), dtype=np.intp)
        self.word_row: dict[str, int] = {}
        # the same rows by a word of one to three characters packed in one int (``_word_rows``)
        self.word_code = WordCodes(kern=self.kern)
        # the four bigram templates' ids of every bigram any of them has, by one hashed
        # look-up per bigram of a text (``bigram_ids``)
        self.bigrams, self.bigram_ids = _bigram_tables(self.tables, u, self.kern)
        # other templates' hashed look-ups (``_look``), made when first needed
        self.hashed: dict[str, tuple] = {}
        self.t3 = np.array([g("t=" + a + b + c, u) for a in TYPES for b in TYPES for c in TYPES],
                           dtype=np.intp)
        self.edges = (g("wl=^", u), g("tl=^", u), g("wr=$", u), g("tr=$", u))

    def use_kernels(self, kern) -> None:
        """Look up with ``kern``, the scorer's compiled kernels, from now on (every table made
        before: the same answers by the compiled code)."""
        self.kern = self.word_code.kern = self.bigrams.kern = kern
        for table, _ in self.hashed.values():
            table.kern = kern

    def char_type(self, c: str) -> int:
        x = self.types.get(c)
        if x is None:
            x = self.types[c] = TYPES.index(nf.char_type(c))
        return x

    def gazetteer(self, name: str, table: Sequence[tuple]) -> tuple[np.ndarray, ...]:
        """The (offset from the match's start, id) entries of every (length, labels) of a
        gazetteer's ``table`` (``features.Gazetteer``), as one flat table: (first entry,
        entry count, length) by table index, then the offsets and ids of all entries, made
        once per table. A match of ``n`` characters with ``labels`` has the entries of
        ``features.gazetteer_features``, in its order: the B ids at its first character, the
        I ids at each inner one, the E ids at its last."""
        got = self.gazetteers.get(name)
        if got is not None and got[0] is table:
            return got[1]
        offs: list[int] = []
        sids: list[int] = []
        first, count = [], []
        for n, labels in table:
            mb, mi, me = ([self.get(h, self.unk) for h in x] for x in nf._marks(name, labels))
            first.append(len(offs))
            offs += [0] * len(mb) + [j for j in range(1, n - 1) for _ in mi] + [n - 1] * len(me)
            sids += mb + mi * max(0, n - 2) + me
            count.append(len(offs) - first[-1])
        arrays = (np.array(first, dtype=np.intp), np.array(count, dtype=np.intp),
                  np.array([n for n, _ in table], dtype=np.intp),
                  np.array(offs, dtype=np.intp), np.array(sids, dtype=np.intp))
        self.gazetteers[name] = (table, arrays)
        return arrays

    def rows(self, words: Sequence[str], tab: dict) -> None:
        """Rows of ``word_rows`` for words not yet known (``word_row``): each word's nine ids
        (``features._word``'s strings), one template at a time over all the words, written
        in one block."""
        u = self.unk
        ids = self.by_template
        words = list(dict.fromkeys(words))
        tags = list(map(tab.get, words, repeat("?")))
        # length (5 for five or more) and tag, as ``features._word`` writes them
        tg = list(map(add, map(_LENGTHS.get, map(len, words), repeat("5")), tags))
        us = repeat(u)
        cols = [list(map(ids[p].get, words, us)) for p in ("w=", "wl=")]
        cols.append(list(map(ids["tl="].get, tags, us)))
        cols.append(list(map(ids["wr="].get, words, us)))
        cols.append(list(map(ids["tr="].get, tags, us)))
        cols += [list(map(ids[p].get, tg, us)) for p in ("wt=S", "wt=B", "wt=I", "wt=E")]
        r0 = len(self.word_row)
        need = r0 + len(words)
        if need > len(self.word_rows):
            size = len(self.word_rows)
            while size < need:
                size *= 2
            grown = np.zeros((size, 9), dtype=np.intp)
            grown[:r0] = self.word_rows[:r0]
            self.word_rows = grown
        self.word_rows[r0:need] = np.array(cols, dtype=np.intp).T
        self.word_row.update(zip(words, range(r0, need)))

    def forget_words(self, limit: int = 200_000) -> None:
        """Start the words' memo afresh once it holds ``limit`` words (bounded memory); only
        between texts, so that rows handed out for one text stay valid."""
        if len(self.word_row) >= limit:
            self.word_row.clear()
            self.word_code = WordCodes(kern=self.kern)
            self.word_rows = np.zeros((1024, 9), dtype=np.intp)


_LENGTHS = {n: str(n) for n in range(5)}   # a word's length as ``Ids.rows`` writes it (else 5)

# the templates of a word's nine ids (``Ids.rows``), by the prefix its string starts with
WORD_TEMPLATES = ("w=", "wl=", "tl=", "wr=", "tr=", "wt=S", "wt=B", "wt=I", "wt=E")

# templates over 1, 2, 3 characters whose ids are looked up by character codes
UNIGRAMS = ("u0=", "u-1=", "u1=", "u-2=", "u2=", "u-3=", "u3=")
BIGRAMS = ("b-2=", "b-1=", "b0=", "b1=", "k=")
TRIGRAMS = ("c3=",)


BIGRAM_SLOTS = ("b-2=", "b-1=", "b0=", "b1=")   # one code each: the bigram at -2, -1, 0, +1
_MULT = np.uint64(0x9E3779B97F4A7C15)        # Fibonacci hashing's multiplier (2^64 / golden ratio)


def _home(codes: np.ndarray, bits: int) -> np.ndarray:
    """Each code's home slot in a table of ``2**bits`` slots: the top bits of its product with
    ``_MULT`` (wrapping)."""
    return ((codes.astype(np.uint64) * _MULT) >> np.uint64(64 - bits)).astype(np.intp)


def _probe(slot_keys: np.ndarray, slot_values: np.ndarray, bits: int, codes: np.ndarray,
           missing: int, kern=None) -> np.ndarray:
    """The value of each of ``codes`` in an open-addressing table (``slot_keys``: the code held
    in each slot, -1 where empty; ``slot_values``: its value), ``missing`` where absent: from its
    home slot, linear probing until its own code or an empty slot (the one look-up of
    ``CodeTable`` and ``WordCodes``); code by code in ``kern.probe`` where the compiled
    kernels are given (``kernels.py``: the same answers)."""
    if kern is not None:
        codes = np.ascontiguousarray(codes, dtype=np.int64)
        out = np.empty(len(codes), dtype=np.intp)
        kern.probe(slot_keys, slot_values, bits, codes, missing, out)
        return out
    mask = (1 << bits) - 1
    h = _home(codes, bits)
    held = slot_keys[h]
    out = np.where(held == codes, slot_values[h], missing)
    # the codes whose home holds another code probe on, slot by slot
    sel = np.flatnonzero((held != codes) & (held >= 0))
    h = h[sel]
    while len(sel):
        h += 1
        h &= mask
        held = slot_keys[h]
        hit = held == codes[sel]
        if hit.any():
            out[sel[hit]] = slot_values[h[hit]]
        keep = np.flatnonzero(~hit & (held >= 0))
        sel, h = sel[keep], h[keep]
    return out


class CodeTable:
    """The index of every code (a non-negative int64) in ``keys`` (``len(keys)`` for a code
    not there), by open addressing: a table of a power-of-two size at least eight times the
    keys, a code's home slot the top bits of its product with ``_MULT`` (wrapping), linear
    probing. The same answer as a binary search of the sorted keys (``np.searchsorted``,
    tests/test_crf.py), at about one random access a code instead of a dozen."""

    def __init__(self, keys: np.ndarray, kern=None):
        self.kern = kern     # the compiled kernels (``kernels.compiled``) or None: NumPy
        keys = np.asarray(keys, dtype=np.int64)
        self.size = len(keys)
        self.bits = max(4, (8 * self.size).bit_length())
        mask = (1 << self.bits) - 1
        slots = [-1] * (mask + 1)
        for i, h in enumerate(self.home(keys).tolist()):
            while slots[h] >= 0:
                h = (h + 1) & mask
            slots[h] = i
        index = np.array(slots, dtype=np.intp)
        # the code in each slot (-1: none)
        self.codes = (np.where(index >= 0, keys[np.maximum(index, 0)], -1) if self.size
                      else np.full(len(index), -1, dtype=np.int64))
        self.index = np.where(index >= 0, index, self.size)

    def home(self, codes: np.ndarray) -> np.ndarray:
        return _home(codes, self.bits)

    def find(self, codes: np.ndarray) -> np.ndarray:
        """The index in ``keys`` of each of ``codes`` (``len(keys)`` where absent)."""
        return _probe(self.codes, self.index, self.bits, codes, self.size, self.kern)


class WordCodes:
    """Rows of ``Ids.word_rows`` by a word's packed code (``_word_rows``), looked up for many
    codes at once: open addressing in two arrays (code, row; -1: an empty slot), a code's home
    slot the top bits of its product with ``_MULT``, linear probing, at most a quarter full
    (grown by doubling). The same answers as a dict of code -> row (tests/test_crf.py)."""

    def __init__(self, bits: int = 12, kern=None):
        self.kern = kern     # the compiled kernels (``kernels.compiled``) or None: NumPy
        self.bits = bits
        self.keys = np.full(1 << bits, -1, dtype=np.int64)
        self.rows = np.zeros(1 << bits, dtype=np.intp)
        self.count = 0

    def _home(self, codes: np.ndarray) -> np.ndarray:
        return _home(codes, self.bits)

    def find(self, codes: np.ndarray) -> np.ndarray:
        """The row of each of ``codes`` (-1 where not held)."""
        return _probe(self.keys, self.rows, self.bits, codes, -1, self.kern)

    def add(self, codes: Sequence[int], rows: Sequence[int]) -> None:
        """Hold ``codes`` (distinct, none held yet) with their ``rows``."""
        if 4 * (self.count + len(codes)) > len(self.keys):
            old = np.flatnonzero(self.keys >= 0)
            ok, orow = self.keys[old].tolist(), self.rows[old].tolist()
            bits = self.bits
            while 4 * (self.count + len(codes)) > (1 << bits):
                bits += 1
            self.__init__(bits, self.kern)
            self._put(ok, orow)
        self._put(list(codes), list(rows))

    def _put(self, codes: list, rows: list) -> None:
        if not codes:
            return
        mask = (1 << self.bits) - 1
        keys, held = self.keys, self.rows
        for c, r, h in zip(codes, rows, self._home(np.array(codes, dtype=np.int64)).tolist()):
            while keys.item(h) >= 0:
                h = (h + 1) & mask
            keys[h] = c
            held[h] = r
        self.count += len(codes)


def _bigram_tables(tables: dict, unk: int, kern=None) -> tuple[CodeTable, np.ndarray]:
    """(the hashed table of every bigram code of ``BIGRAM_SLOTS``' templates, their ids
    [template, key index], a last column of ``unk`` for codes in none)."""
    keys = np.unique(np.concatenate([tables[p][0] for p in BIGRAM_SLOTS]))
    ids = np.full((len(BIGRAM_SLOTS), len(keys) + 1), unk, dtype=np.intp)
    for j, p in enumerate(BIGRAM_SLOTS):
        k, v = tables[p]
        ids[j, np.searchsorted(keys, k)] = v
    return CodeTable(keys, kern), ids


def _by_template(attrs: dict) -> dict[str, dict[str, int]]:
    """Per template of ``WORD_TEMPLATES``, the ids of its attributes by what follows its
    prefix (``w=`` + 中国 is ``_by_template(attrs)["w="]["中国"]``): ``attrs.get(p + w)`` is
    ``out[p].get(w)`` for every string ``w``."""
    out: dict[str, dict[str, int]] = {p: {} for p in WORD_TEMPLATES}
    heads: dict[str, list[str]] = {}
    for p in WORD_TEMPLATES:
        heads.setdefault(p.partition("=")[0] + "=", []).append(p)
    for a, i in attrs.items():
        head, eq, _ = a.partition("=")
        for p in heads.get(head + eq, ()):
            if a.startswith(p):
                out[p][a[len(p):]] = i
    return out


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


DENSE_MAX = 0x30000  # code points below: dense look-up tables (the BMP and planes 1-2)


def _dense(keys: np.ndarray, vals: np.ndarray, unk: int) -> np.ndarray:
    """A unigram template's ids by code point below ``DENSE_MAX`` (``unk`` where none)."""
    table = np.full(DENSE_MAX, unk, dtype=np.int32)
    inside = keys < DENSE_MAX
    table[keys[inside]] = vals[inside]
    return table


def _look1(ids: "Ids", template: str, codes: np.ndarray) -> np.ndarray:
    """``_look`` of a unigram template: a dense table's entry for codes below DENSE_MAX."""
    table = ids.dense[template]
    if codes.max(initial=0) < DENSE_MAX:
        return table[codes].astype(np.intp)
    out = np.full(len(codes), ids.unk, dtype=np.intp)
    low = codes < DENSE_MAX
    out[low] = table[codes[low]]
    out[~low] = _look(ids, template, codes[~low])
    return out


def _types(ids: "Ids", codes: np.ndarray) -> np.ndarray:
    """Character type codes (``TYPES``) of ``codes``: from a table by code point, filled the
    first time a character is seen (above DENSE_MAX: one by one)."""
    low = codes < DENSE_MAX
    if not low.all():
        return np.array([ids.char_type(chr(c)) for c in codes.tolist()], dtype=np.intp)
    got = ids.type_of[codes]
    if (got < 0).any():
        new = np.unique(codes[got < 0])
        ids.type_of[new] = [ids.char_type(chr(c)) for c in new.tolist()]
        got = ids.type_of[codes]
    return got.astype(np.intp)


def _look(ids: "Ids", template: str, codes: np.ndarray) -> np.ndarray:
    """The ids of ``template`` + the characters of each code (the unknown row if none)."""
    got = ids.hashed.get(template)
    if got is None:
        keys, vals = ids.tables[template]
        got = ids.hashed[template] = (CodeTable(keys, ids.kern), np.append(vals, ids.unk).astype(np.intp))
    table, vals = got
    if not table.size:
        return np.full(len(codes), ids.unk, dtype=np.intp)
    return vals[table.find(codes)]


def _codes(s: str) -> np.ndarray:
    return nf._code_points(s).astype(np.int64)


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
    if ids.kern is not None and int(cp.max()) < DENSE_MAX:
        return _slots_compiled(ids, pieces, automata, extra, lens, n, cp, ix)
    c1, c2, c0, c3, c4 = cp[ix - 1], cp[ix + 1], cp[ix], cp[ix - 2], cp[ix + 2]
    out = [_look1(ids, "u0=", c0), _look1(ids, "u-1=", c1), _look1(ids, "u1=", c2),
           _look1(ids, "u-2=", c3), _look1(ids, "u2=", c4)]
    # the bigrams at -2, -1, 0, +1: those of P starting at ix - 2, ..., ix + 1, each looked
    # up once for the four templates
    at = ids.bigrams.find((cp[:-1] << 21) | cp[1:])
    out += [ids.bigram_ids[j][at[ix + (j - 2)]] for j in range(len(BIGRAM_SLOTS))]
    # character types (once per distinct character); the padding's type is W
    ty = np.full(len(P), TYPES.index("W"), dtype=np.intp)
    ty[ix] = _types(ids, c0)
    out.append(ids.t3[ty[ix - 1] * 49 + ty[ix] * 7 + ty[ix + 1]])
    out += _word_slots(ids, pieces, lens, n)
    if "trigram" in extra:
        out += [_look(ids, "c3=", (c1 << 42) | (c0 << 21) | c2), _look(ids, "k=", (c1 << 21) | c2)]
    if "window3" in extra:
        out += [_look1(ids, "u-3=", cp[ix - 3]), _look1(ids, "u3=", cp[ix + 3])]
    # gazetteer and lexicon matches: sparse, kept as (position, id) in the strings' order
    pos, sid = _matches(ids, pieces, lens, automata, extra)
    return out, (pos, sid), lens


def _slots_compiled(ids: Ids, pieces, automata, extra, lens, n, cp, ix) -> tuple:
    """``slots`` with its dense slots as the rows of one array [k, positions]: the first ten
    by ``kernels.char_slots``, the word slots written into theirs, the optional groups'
    as ``slots`` makes them; every code point below DENSE_MAX (the caller checks)."""
    k = 16 + 2 * ("trigram" in extra) + 2 * ("window3" in extra)
    dense = np.empty((k, n), dtype=np.intp)
    at = ids.bigrams.find((cp[:-1] << 21) | cp[1:])
    ty = np.full(len(cp), TYPES.index("W"), dtype=np.intp)
    c0 = cp[ix]
    ty[ix] = _types(ids, c0)
    ids.kern.char_slots(cp, ix, ids.uni, at, ids.bigram_ids, ty, ids.t3, dense)
    _word_slots(ids, pieces, lens, n, dense[10:16])
    row = 16
    if "trigram" in extra:
        c1, c2 = cp[ix - 1], cp[ix + 1]
        dense[row] = _look(ids, "c3=", (c1 << 42) | (c0 << 21) | c2)
        dense[row + 1] = _look(ids, "k=", (c1 << 21) | c2)
        row += 2
    if "window3" in extra:
        dense[row] = _look1(ids, "u-3=", cp[ix - 3])
        dense[row + 1] = _look1(ids, "u3=", cp[ix + 3])
    pos, sid = _matches(ids, pieces, lens, automata, extra)
    return dense, (pos, sid), lens


def _matches(ids: "Ids", pieces, lens, automata, extra) -> tuple[np.ndarray, np.ndarray]:
    """(position, id) arrays of every gazetteer and lexicon feature, in the order
    ``features.features`` appends them at each position (the caller sorts them by position,
    stably). Each automaton runs once over all the chunks joined by a NUL (no gazetteer word
    holds one, so no match crosses two chunks and every match is the one found in its
    chunk alone; sources built over one automaton share its pass); the matches come as one
    int array (``features.Gazetteer.matches``: end and table index of each) and their (offset, id) entries are gathered from the gazetteer's
    flat table of entries (``Ids.gazetteer``) by array operations, with no Python step per
    match."""
    get, unk = ids.get, ids.unk
    texts = [p for _, _, p, _ in pieces]
    joined = "\x00".join(texts)
    # the joined text's offset -> the position over all chunks: minus the NULs before it
    jstarts = np.cumsum([0] + [L + 1 for L in lens[:-1]])
    pos_parts, sid_parts = [], []
    passes: dict[int, np.ndarray] = {}     # an automaton's matches, for all the sources it holds
    for name, auto in automata:
        if auto is None or not len(auto):
            continue
        if isinstance(auto, nf.Gazetteer):
            every = passes.get(id(auto.auto))
            if every is None:
                every = passes[id(auto.auto)] = auto.matches(joined, ids.kern)
            flat = auto.own(every)
            arrays = ids.gazetteer(name, auto.table)
        else:   # an automaton of (length, labels) values (``build_automaton``): indexed here
            index: dict[tuple, int] = {}
            flat = np.fromiter(chain.from_iterable((e, index.setdefault(v, len(index)))
                                                   for e, v in auto.iter(joined)), dtype=np.intp)
            arrays = ids.gazetteer(name, tuple(index))
        if not len(flat):
            continue
        first, count, length, toff, tid = arrays
        ends, ks = flat[0::2], flat[1::2]
        starts = ends - length[ks] + 1
        starts -= np.searchsorted(jstarts, starts, side="right") - 1
        counts = count[ks]
        at = np.repeat(first[ks] - (np.cumsum(counts) - counts), counts) + np.arange(int(counts.sum()))
        pos_parts.append(np.repeat(starts, counts) + toff[at])
        sid_parts.append(tid[at])
    if "lexicon" in extra:
        lex = nf.lexicon_automaton()
        pos, sid = [], []
        base = 0
        for piece, L in zip(texts, lens):
            for i, fs in nf.lexicon_features(piece, lex).items():
                for f in fs:
                    pos.append(base + i)
                    sid.append(get(f, unk))
            base += L
        pos_parts.append(np.array(pos, dtype=np.intp))
        sid_parts.append(np.array(sid, dtype=np.intp))
    if not pos_parts:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    return np.concatenate(pos_parts), np.concatenate(sid_parts)


def _word_slots(ids: Ids, pieces, lens, n, into: np.ndarray | None = None) -> list[np.ndarray]:
    """The six word slots: [wt=, w=, wl=|wr=, tl=|tr=, wr=, tr=] per position (written into
    the rows of ``into`` too where it is given: ``_slots_compiled``)."""
    got = _word_slots_of(ids, pieces, lens, n, into)
    if into is not None and got is not into:
        into[:] = got
    return got


def _word_slots_of(ids: Ids, pieces, lens, n, into: np.ndarray | None = None):
    """``_word_slots``: a list of six arrays, or ``into`` itself where the kernel wrote them
    there."""
    tab = nf.jieba_tags()
    unk = ids.unk
    wl0, tl0, wr0, tr0 = ids.edges
    ids.forget_words()
    slots = [np.full(n, unk, dtype=np.intp) for _ in range(6)]
    locs = [p[3] for p in pieces]
    cnt = np.array([len(x) for x in locs], dtype=np.intp)
    m = int(cnt.sum())
    if not m:
        return slots
    if any(isinstance(x, np.ndarray) for x in locs):    # (``features._locals``' arrays)
        flat = np.concatenate([x if isinstance(x, np.ndarray) else
                               np.array(x, dtype=np.intp).reshape(-1, 2) for x in locs])
    else:
        flat = np.fromiter(chain.from_iterable(chain.from_iterable(locs)), dtype=np.intp,
                           count=2 * m).reshape(m, 2)
    ci = np.repeat(np.arange(len(locs)), cnt)        # each token's chunk
    ls = np.array(lens, dtype=np.intp)
    s, e = flat[:, 0], flat[:, 1]
    ok = (s >= 0) & (s < e) & (e <= ls[ci])           # tokens inside their chunk only
    if not ok.all():
        s, e, ci = s[ok], e[ok], ci[ok]
        m = len(ci)
        if not m:
            return slots
    base = np.cumsum(ls) - ls
    ts, te = base[ci] + s, base[ci] + e
    rows = _word_rows(ids, "".join(p[2] for p in pieces), ts, te, tab)
    if ids.kern is not None and (ts[1:] >= te[:-1]).all():
        # tokens in order, none overlapping: token by token in ``kernels.word_slots`` (the
        # same writes as below)
        if into is None:
            block = np.full((6, n), unk, dtype=np.intp)
        else:
            block = into
            block.fill(unk)
        ids.kern.word_slots(ids.word_rows, rows, ts, te, ci, np.array(ids.edges, dtype=np.intp), block)
        return block if into is not None else list(block)
    W = ids.word_rows[rows]     # (after: the rows of new words may have grown the table)
    # the neighbours' words: ^/$ at a chunk's first and last token
    firsts = np.ones(m, dtype=bool)
    firsts[1:] = ci[1:] != ci[:-1]
    lasts = np.ones(m, dtype=bool)
    lasts[:-1] = firsts[1:]
    wl = np.where(firsts, wl0, np.roll(W[:, 1], 1))
    tl = np.where(firsts, tl0, np.roll(W[:, 2], 1))
    wr = np.where(lasts, wr0, np.roll(W[:, 3], -1))
    tr = np.where(lasts, tr0, np.roll(W[:, 4], -1))
    size = te - ts
    p = np.arange(int(size.sum())) - np.repeat(np.cumsum(size) - size, size) + np.repeat(ts, size)
    if (ts[1:] >= te[:-1]).all():
        # tokens in order, none overlapping (a segmenter's): every position is one token's,
        # so each slot is its inner value spread over the token's positions (``repeat``)
        # with its first and last positions then written over, token by token
        one = size == 1
        multi = np.flatnonzero(~one)
        tails = te[multi] - 1
        firsts1 = ts[one]
        s0 = slots[0]
        s0[p] = np.repeat(W[:, 7], size)
        s0[ts] = np.where(one, W[:, 5], W[:, 6])
        s0[tails] = W[multi, 8]
        slots[1][p] = np.repeat(W[:, 0], size)
        slots[2][ts] = wl
        slots[2][tails] = wr[multi]
        slots[3][ts] = tl
        slots[3][tails] = tr[multi]
        slots[4][firsts1] = wr[one]
        slots[5][firsts1] = tr[one]
        return slots
    tok = np.repeat(np.arange(m), size)
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


def _word_rows(ids: Ids, joined: str, ts: np.ndarray, te: np.ndarray, tab: dict) -> np.ndarray:
    """The row of ``ids.word_rows`` of every token ``joined[ts:te]``. A word of one to three
    characters (most tokens) is looked up by its code points, each plus one, packed in one
    integer (21 bits a character: exact, and words of different lengths never share a code:
    the first character's bits are never all zero) in ``ids.word_code`` (a ``WordCodes``: all
    the tokens' codes at once), so that only a word not seen before is written as a string;
    longer words by their strings."""
    rows = np.empty(len(ts), dtype=np.intp)
    size = te - ts
    cp = _codes(joined) + 1
    last = len(cp) - 1
    sel = np.flatnonzero(size <= 3)
    if len(sel):
        a, L = ts[sel], size[sel]
        key = cp[a]
        for j in (1, 2):
            key = np.where(L > j, (key << 21) | cp[np.minimum(a + j, last)], key)
        got = ids.word_code.find(key)
        miss = np.flatnonzero(got < 0)
        if len(miss):          # the words first seen by their code
            new, first = np.unique(key[miss], return_index=True)
            at = miss[first]
            words = [joined[x:x + n] for x, n in zip(a[at].tolist(), L[at].tolist())]
            known = ids.word_row
            unseen = [w for w in words if w not in known]
            if unseen:         # their ids all at once
                ids.rows(unseen, tab)
            found = np.array([known[w] for w in words], dtype=np.intp)
            ids.word_code.add(new.tolist(), found.tolist())
            got[miss] = found[np.searchsorted(new, key[miss])]
        rows[sel] = got
    sel = np.flatnonzero(size > 3)
    if len(sel):
        words = [joined[x:y] for x, y in zip(ts[sel].tolist(), te[sel].tolist())]
        got = list(map(ids.word_row.get, words))
        if None in got:
            ids.rows([w for w, r in zip(words, got) if r is None], tab)
            got = list(map(ids.word_row.__getitem__, words))
        rows[sel] = got
    return rows


def scores(scorer, ids: Ids, pieces, automata, extra=()) -> list[np.ndarray]:
    """State scores [positions, labels] of every chunk, summed slot by slot."""
    out, lens = flat_scores(scorer, ids, pieces, automata, extra)
    return np.split(out, np.cumsum(lens)[:-1]) if lens else []


def flat_scores(scorer, ids: Ids, pieces, automata, extra=()) -> tuple[np.ndarray, list[int]]:
    """(the state scores [positions, labels] of every chunk one after the other, each
    chunk's length): ``scores`` not split per chunk, as ``crf.Scorer.viterbi_flat`` reads
    them."""
    dense, (pos, sid), lens = slots(ids, pieces, automata, extra)
    n = sum(lens)
    if not n:
        return np.zeros((0, len(scorer.labels))), lens
    state = scorer.state
    kern = scorer.kernels
    if kern is not None:     # the same additions in the same order, compiled (``kernels.sums``)
        out = np.empty((n, state.shape[1]))
        kern.sums(state, np.ascontiguousarray(dense, dtype=np.intp), np.asarray(pos, dtype=np.intp),
                  np.asarray(sid, dtype=np.intp), out)
        return out, lens
    # every id is a row of ``state`` (the unknown one its last, as ``crf.Scorer`` checks):
    # mode="clip" changes no row and spares the copy ``take`` makes of its output under the
    # default mode="raise"
    out = np.take(state, dense[0], axis=0, mode="clip")   # 0.0 + w is w: crfsuite's first addition
    tmp = np.empty_like(out)
    take = np.take
    for s in dense[1:]:
        out += take(state, s, axis=0, out=tmp, mode="clip")
    if len(pos):
        order = np.argsort(pos, kind="stable")
        pos, sid = pos[order], sid[order]
        cnt = np.bincount(pos, minlength=n)
        rank = np.arange(len(pos)) - (np.cumsum(cnt) - cnt)[pos]
        for k in range(int(rank.max()) + 1):
            sel = np.flatnonzero(rank == k)
            out[pos[sel]] += state[sid[sel]]
    return out, lens
