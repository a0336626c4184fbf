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
from itertools import chain
from typing import Iterable, Sequence

from baozhi.resources import ruleset, segmenter

POS = ("S", "B", "I", "E")


@functools.cache
def config() -> dict:
    return ruleset.load("entities/ner.yaml")


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
    return segmenter.default().tags


def tokenize(text: str) -> list[tuple[int, int]]:
    """jieba tokens of ``text`` as (start, end), as the Doc's segmenter would give them."""
    return [(s, e) for w, s, e in segmenter.default().tokenize(text) if not w.isspace()]


_CACHE_MAX = 50_000  # entries of each feature-string cache below (cleared when full)
_WORDS: dict[str, tuple] = {}  # word -> its feature strings
_EDGES = (("wl=^", "tl=^"), ("wr=$", "tr=$"))


def _word(w: str, tab: dict) -> tuple:
    """The feature strings of a word: (w=, wl=, wr=, tl=, tr=, wt=S/B/I/E with length and tag)."""
    x = _WORDS.get(w)
    if x is None:
        if len(_WORDS) >= _CACHE_MAX:
            _WORDS.clear()
        t = tab.get(w, "?")
        L = len(w)
        tg = str(L if L < 5 else 5) + t
        x = _WORDS[w] = ("w=" + w, "wl=" + w, "wr=" + w, "tl=" + t, "tr=" + t,
                         "wt=S" + tg, "wt=B" + tg, "wt=I" + tg, "wt=E" + tg)
    return x


def word_features(text: str, tokens: Sequence[tuple[int, int]]) -> list[list[str]]:
    """Per character of ``text``, the features of the token it falls in: position and tag
    with the word's length (``wt=B3nr``), the word (``w=``), and at the word's edges the
    neighbouring word and its tag."""
    n = len(text)
    feats: list[list[str]] = [[] for _ in range(n)]
    spans = [(s, e) for s, e in tokens if 0 <= s < e <= n]
    if not spans:
        return feats
    tab = jieba_tags()
    fs = [_word(text[s:e], tab) for s, e in spans]
    last = len(spans) - 1
    for k, (s, e) in enumerate(spans):
        f = fs[k]
        wl, tl = (fs[k - 1][1], fs[k - 1][3]) if k else _EDGES[0]
        wr, tr = (fs[k + 1][2], fs[k + 1][4]) if k < last else _EDGES[1]
        if e - s == 1:
            feats[s] = [f[5], f[0], wl, tl, wr, tr]
            continue
        feats[s] = [f[6], f[0], wl, tl]
        if e - s > 2:
            mid = [f[7], f[0]]
            for i in range(s + 1, e - 1):
                feats[i] = mid
        feats[e - 1] = [f[8], f[0], wr, tr]
    return feats


def _by_surface(entries: Iterable[tuple[str, str]], min_len: int) -> dict[str, set]:
    """The labels of each surface of ``min_len`` characters or more among (surface, label) pairs,
    surfaces in their first order."""
    by_surface: dict[str, set] = {}
    for surface, label in entries:
        if len(surface) >= min_len:
            by_surface.setdefault(surface, set()).add(label)
    return by_surface


def build_automaton(entries: Iterable[tuple[str, str]], min_len: int = 2):
    """An Aho-Corasick automaton over (surface, label) pairs of ``min_len`` characters or more;
    a surface may carry labels."""
    import ahocorasick

    auto = ahocorasick.Automaton()
    for surface, labels in _by_surface(entries, min_len).items():
        auto.add_word(surface, (len(surface), tuple(sorted(labels))))
    if len(auto):
        auto.make_automaton()
    return auto


class Gazetteer:
    """One source's view of an Aho-Corasick automaton whose value is an int: a table index
    shared by the sources built together (``build_gazetteers``), ``of[index]`` the surface's
    (length, labels) in this source's ``table`` (-1: the surface is not this source's).
    ``iter`` gives the (end, (length, labels)) pairs of ``build_automaton``'s automaton of
    this source alone, in the same order; ``matches`` gives every source's matches as one
    int array (end, index, end, index, ...) in the automaton's order, found by ``Matcher``
    (array operations, no Python step per character; the sources built together share one
    ``Matcher``), and ``own`` this source's part of them (``featids._matches``)."""

    __slots__ = ("auto", "table", "of", "size", "_of_array", "_shared")

    def __init__(self, auto, table: tuple, of: tuple, size: int, shared: dict | None = None):
        self.auto = auto
        self.table = table
        self.of = of
        self.size = size
        self._of_array = None       # ``of`` as an int array, made at the first ``own``
        # what the gazetteers over one automaton share: its ``Matcher``, made at first use
        # or set by ``use_matcher``
        self._shared = _Shared() if shared is None else shared

    def __len__(self) -> int:
        return self.size

    def __contains__(self, surface: str) -> bool:
        k = self.auto.get(surface, None)
        return k is not None and self.of[k] >= 0

    def iter(self, text: str):
        table, of = self.table, self.of
        return ((end, table[of[k]]) for end, k in self.auto.iter(text) if of[k] >= 0)

    def matcher(self) -> "Matcher":
        """The sources' shared ``Matcher``, made at first use: by the builder ``use_matcher``
        gave (one kept on disk, say), else here."""
        m = self._shared.get("matcher")
        if m is None:
            build = self._shared.get("build")
            m = self._shared["matcher"] = build() if build is not None else Matcher(self.auto.items())
        return m

    def use_matcher(self, build) -> None:
        """Have the ``Matcher`` made by ``build()`` at first use (one kept on disk, say), if
        none is made yet."""
        if self._shared.get("matcher") is None:
            self._shared["build"] = build

    def matches(self, text: str, kern=None):
        """(end, index) of every match of the automaton in ``text``, as one flat int array in
        the order of ``auto.iter`` (by end; at one end the longest first). By the ``Matcher``
        (its compiled walk where ``kern``, the compiled kernels, is given), or by the automaton
        itself when two surfaces of one length share a hash (the ``Matcher`` could then miss
        one: ``Matcher.exact``)."""
        m = self.matcher()
        if m.exact:
            return m.matches(text, kern)
        import numpy as np

        return np.array([x for pair in self.auto.iter(text) for x in pair], dtype=np.intp)

    def own(self, flat):
        """This source's (end, index in ``table``) pairs of ``matches``' array, in order."""
        import numpy as np

        if self._of_array is None:      # (constant after the build: made once, not per page)
            self._of_array = np.array(self.of, dtype=np.intp)
        mine = self._of_array[flat[1::2]]
        keep = mine >= 0
        out = np.empty(2 * int(np.count_nonzero(keep)), dtype=np.intp)
        out[0::2] = flat[0::2][keep]
        out[1::2] = mine[keep]
        return out

    def hits(self, text: str):
        return self.own(self.matches(text))

    def __getstate__(self):
        # the shared holder goes along empty (``_Shared.__reduce__``; pickled with the other
        # sources, it stays shared): a ``Matcher`` is made again, or loaded, when first used
        return self.auto, self.table, self.of, self.size, self._shared

    def __setstate__(self, state) -> None:
        self.auto, self.table, self.of, self.size = state[:4]
        self._shared = state[4] if len(state) > 4 else _Shared()
        self._of_array = None


class _Shared(dict):
    """What the ``Gazetteer``s over one automaton share (its ``Matcher``); pickled empty."""

    def __reduce__(self):
        return (_Shared, ())


class Matcher:
    """Every occurrence of a set of surfaces in a text, as ``ahocorasick.Automaton.iter``
    finds them, by array operations over the text's code points: all start positions are
    walked one character at a time, a start kept while the characters read so far are the
    beginning of some surface (a sorted array of 64-bit polynomial hashes of the surfaces'
    prefixes, per length); a start whose hash is a whole surface's is a match, checked
    against the surface itself (a hash collision finds nothing that is not there). The work
    is one step per length over the starts still alive, not a Python step per character."""

    B = 0x9E3779B97F4A7C15      # the hash's base (odd: no information lost mod 2**64)
    # ``exact``: no two surfaces of one length share a hash (else a text holding one could be
    # looked up as the other, checked and dropped: a match missed); ``Gazetteer.matches``
    # then asks the automaton instead. True of the shipped gazetteers; checked for any other

    def __init__(self, items):
        import numpy as np

        surfaces, values = [], []
        for w, v in items:
            surfaces.append(w)
            values.append(v)
        self.surfaces = surfaces
        lens = self.lens = np.array([len(w) for w in surfaces], dtype=np.intp)
        self.longest = int(lens.max(initial=0))
        codes = np.zeros((len(surfaces), self.longest), dtype=np.uint64)
        if surfaces:
            flat = _code_points("".join(surfaces)).astype(np.uint64)
            row = np.repeat(np.arange(len(surfaces)), lens)
            col = np.arange(len(flat)) - np.repeat(np.cumsum(lens) - lens, lens)
            codes[row, col] = flat
        b = np.uint64(self.B)
        self.prefixes: list = [None]      # by length L: sorted hashes of the L-prefixes of longer surfaces
        self.words: list = [None]         # by length L: (sorted hashes, surface index) of surfaces of length L
        h = np.zeros(len(surfaces), dtype=np.uint64)
        self.exact = True
        with np.errstate(over="ignore"):
            for L in range(1, self.longest + 1):
                h = h * b + codes[:, L - 1]
                self.prefixes.append(np.unique(h[lens > L]))
                whole = np.flatnonzero(lens == L)
                order = np.argsort(h[whole], kind="stable")
                self.words.append((h[whole][order], whole[order]))
                ties = self.words[-1][0]
                if len(ties) > 1 and bool((ties[1:] == ties[:-1]).any()):
                    self.exact = False
        self.values = np.array(values, dtype=np.intp)
        # the first two characters by tables instead (most starts end there): each
        # character's index among the first (second) characters of the surfaces by code
        # point (-1: none), and per pair of indices bit 1 "a longer surface starts so", bit 2
        # "a surface of two characters is this pair"
        two = lens >= 2
        firsts = np.unique(codes[:, 0]) if surfaces else np.zeros(0, dtype=np.uint64)
        seconds = np.unique(codes[two, 1])
        top = int(max(firsts.max(initial=0), seconds.max(initial=0))) + 1
        self.index0 = np.full(top, -1, dtype=np.int32)
        self.index0[firsts.astype(np.intp)] = np.arange(len(firsts), dtype=np.int32)
        self.index1 = np.full(top, -1, dtype=np.int32)
        self.index1[seconds.astype(np.intp)] = np.arange(len(seconds), dtype=np.int32)
        self.k1 = len(seconds)
        self.pairs = np.zeros(len(firsts) * self.k1, dtype=np.int8)
        at = (self.index0[codes[two, 0].astype(np.intp)].astype(np.intp) * self.k1
              + self.index1[codes[two, 1].astype(np.intp)])
        self.pairs[at[lens[two] > 2]] |= 1
        self.pairs[at[lens[two] == 2]] |= 2

    def flat(self, kern) -> tuple:
        """The arrays of ``kernels.match``, made at the first use with the compiled kernels
        ``kern``: every surface's (hash, length) and every prefix's of three characters or more
        in one hashed table (``kernels.table_put``), the surfaces' code points end to end."""
        got = self.__dict__.get("_flat")
        if got is None:
            import numpy as np

            hashes, lengths, values = [], [], []
            for L in range(1, self.longest + 1):
                keys, which = self.words[L]
                hashes.append(keys)
                lengths.append(np.full(len(keys), L, dtype=np.int64))
                values.append((which.astype(np.int64) + 1) << 1)      # 1 + surface, above bit 0
                if L >= 3:
                    pre = self.prefixes[L]
                    hashes.append(pre)
                    lengths.append(np.full(len(pre), L, dtype=np.int64))
                    values.append(np.ones(len(pre), dtype=np.int64))   # bit 0: a prefix
            h = np.concatenate(hashes).astype(np.uint64) if hashes else np.zeros(0, dtype=np.uint64)
            bits = max(4, (3 * len(h) // 2).bit_length())
            table = np.zeros((1 << bits, 2), dtype=np.int64)
            if len(h):
                kern.table_put(h, np.concatenate(lengths), np.concatenate(values), bits, table)
            scp = _code_points("".join(self.surfaces)).astype(np.int64)
            soff = (np.cumsum(self.lens) - self.lens).astype(np.intp)
            got = self.__dict__["_flat"] = (self.index0, self.index1, self.k1, self.pairs, table, bits,
                                            bool(len(self.words[1][0])) if self.longest else False,
                                            scp, soff, self.longest)
        return got

    def _matches_compiled(self, text: str, kern):
        """``matches`` by ``kernels.match``: the (start, surface) pairs found start by start,
        then laid out as ``matches`` lays its own."""
        import numpy as np

        cp = _code_points(text).astype(np.int64)
        arrays = self.flat(kern)
        cap = len(cp) + 16
        while True:
            s = np.empty(cap, dtype=np.intp)
            w = np.empty(cap, dtype=np.intp)
            found = kern.match(cp, *arrays, np.uint64(self.B), s, w)
            if found <= cap:
                break
            cap = found
        s, w = s[:found], w[:found]
        return self._by_end(s, w, self.lens[w])

    def matches(self, text: str, kern=None):
        import numpy as np

        n = len(text)
        if not n or not self.longest:
            return np.zeros(0, dtype=np.intp)
        if kern is not None and self.longest < 64:   # (a length fits the table's 6 bits)
            return self._matches_compiled(text, kern)
        cp = _code_points(text).astype(np.intp)
        b = np.uint64(self.B)
        found_s, found_w = [], []
        keys, which = self.words[1]
        if len(keys):       # surfaces of one character (none in the shipped gazetteers)
            h1 = cp.astype(np.uint64)
            at = np.searchsorted(keys, h1)
            at[at == len(keys)] = 0
            hit = np.flatnonzero(keys[at] == h1)
            found_s.append(hit)
            found_w.append(which[at[hit]])
        # the first two characters: by the tables (every start of the text at once)
        top = len(self.index0)
        i0 = self.index0[np.minimum(cp, top - 1)]
        i0[cp >= top] = -1
        i1 = self.index1[np.minimum(cp, top - 1)]
        i1[cp >= top] = -1
        starts = np.flatnonzero((i0[:-1] >= 0) & (i1[1:] >= 0))
        flags = self.pairs[i0[starts] * self.k1 + i1[starts + 1]]
        cp = cp.astype(np.uint64)
        with np.errstate(over="ignore"):
            h2 = cp[starts] * b + cp[starts + 1]
            pair = np.flatnonzero(flags & 2)
            if len(pair):
                keys, which = self.words[2]
                at = np.searchsorted(keys, h2[pair])
                at[at == len(keys)] = 0
                hit = pair[keys[at] == h2[pair]]
                found_s.append(starts[hit])
                found_w.append(which[np.searchsorted(keys, h2[hit])])
            keep = (flags & 1) > 0
            starts, h = starts[keep], h2[keep]
            for L in range(3, self.longest + 1):
                live = starts + L <= n
                if not live.all():
                    starts, h = starts[live], h[live]
                if not len(starts):
                    break
                h = h * b + cp[starts + (L - 1)]
                keys, which = self.words[L]
                if len(keys):
                    at = np.searchsorted(keys, h)
                    at[at == len(keys)] = 0
                    hit = np.flatnonzero(keys[at] == h)
                    if len(hit):
                        found_s.append(starts[hit])
                        found_w.append(which[at[hit]])
                pre = self.prefixes[L]
                if not len(pre):
                    break
                at = np.searchsorted(pre, h)
                at[at == len(pre)] = 0
                keep = pre[at] == h
                starts, h = starts[keep], h[keep]
        if not found_s:
            return np.zeros(0, dtype=np.intp)
        s = np.concatenate(found_s)
        w = np.concatenate(found_w)
        surfaces = self.surfaces
        length = self.lens[w]
        ok = np.array([text[a:b] == surfaces[k]
                       for a, b, k in zip(s.tolist(), (s + length).tolist(), w.tolist())], dtype=bool)
        return self._by_end(s[ok], w[ok], length[ok])

    def _by_end(self, s, w, length):
        """The matches (starts ``s``, surfaces ``w``, their lengths) as [end, value, end, value,
        ...]: by end, the longest first (the automaton's order)."""
        import numpy as np

        end = s + length - 1
        order = np.lexsort((-length, end))
        out = np.empty(2 * len(order), dtype=np.intp)
        out[0::2] = end[order]
        out[1::2] = self.values[w[order]]
        return out


def _code_points(text: str):
    import numpy as np

    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def build_gazetteers(sources: dict[str, Iterable[tuple[str, str]]],
                     min_len: int = 2) -> tuple[tuple[str, Gazetteer], ...]:
    """(name, ``Gazetteer``) of each source of (surface, label) pairs, all over one
    automaton (one pass over a text finds the matches of every source): each source's
    matches are those of its own ``build_automaton``."""
    import ahocorasick

    values: dict[str, dict[str, tuple]] = {}
    for name, entries in sources.items():
        values[name] = {s: (len(s), tuple(sorted(labels)))
                        for s, labels in _by_surface(entries, min_len).items()}
    tables = {name: tuple(sorted(set(v.values()))) for name, v in values.items()}
    index = {name: {v: k for k, v in enumerate(t)} for name, t in tables.items()}
    combos: dict[tuple, int] = {}
    auto = ahocorasick.Automaton()
    for surface in dict.fromkeys(chain.from_iterable(values.values())):
        combo = tuple(index[n].get(values[n].get(surface), -1) for n in values)
        auto.add_word(surface, combos.setdefault(combo, len(combos)))
    if len(auto):
        auto.make_automaton()
    shared = _Shared()      # one ``Matcher`` for all the sources
    return tuple((name, Gazetteer(auto, tables[name], tuple(c[i] for c in combos), len(values[name]),
                                  shared))
                 for i, name in enumerate(values))


def build_gazetteer(entries: Iterable[tuple[str, str]], min_len: int = 2) -> Gazetteer:
    """``build_automaton``'s automaton as a ``Gazetteer`` of its own."""
    return build_gazetteers({"": entries}, min_len)[0][1]


_MARKS: dict[tuple, tuple] = {}


def _marks(name: str, labels: tuple) -> tuple[list[str], list[str], list[str]]:
    x = _MARKS.get((name, labels))
    if x is None:
        heads = ["g" + name + "=" + lab for lab in labels]
        x = _MARKS[name, labels] = ([h + "-B" for h in heads], [h + "-I" for h in heads],
                                    [h + "-E" for h in heads])
    return x


def gazetteer_features(text: str, automata: Sequence[tuple[str, object]]) -> dict[int, list[str]]:
    """The gazetteer matches covering each character (only characters with some):
    ``{i: ["g<source>=<label>-<B|I|E>", ...]}``."""
    feats: dict[int, list[str]] = {}
    get = feats.get
    for name, auto in automata:
        if auto is None or not len(auto):
            continue
        for end, (L, labels) in auto.iter(text):
            mb, mi, me = _MARKS.get((name, labels)) or _marks(name, labels)
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


_CHARS: dict[str, tuple] = {}  # character -> its feature strings and type (bounded)


def _char(c: str) -> tuple:
    """The unigram features of a character at 0, -1, +1, -2, +2 and its type."""
    if len(_CHARS) >= _CACHE_MAX:
        _CHARS.clear()
    x = _CHARS[c] = ("u0=" + c, "u-1=" + c, "u1=" + c, "u-2=" + c, "u2=" + c, char_type(c))
    return x


def chunk_features(text: str, wfeats: Sequence[list[str]], gfeats: dict[int, list[str]],
                   extra: Sequence[str] = ()) -> list[list[str]]:
    """Features of every character of a chunk, given its word and gazetteer features.

    ``extra`` names optional feature groups (the model records which it was trained with):
    ``window3`` characters at -3 and +3; ``trigram`` the trigram centred on the character and
    the bigram skipping it."""
    p = "\x02\x02" + text + "\x03\x03"
    n = len(text)
    get = _CHARS.get
    us = [get(c) or _char(c) for c in p]
    bg = [p[i:i + 2] for i in range(n + 3)]
    ty = "W" + "".join([u[5] for u in us[2:-2]]) + "W"
    out = [[uc[0], ub[1], ud[2], ua[3], ue[4], "b-2=" + ab, "b-1=" + bc, "b0=" + cd, "b1=" + de,
            "t=" + t3, *w]
           for ua, ub, uc, ud, ue, ab, bc, cd, de, t3, w in zip(
               us, us[1:], us[2:], us[3:], us[4:], bg, bg[1:], bg[2:], bg[3:],
               [ty[i:i + 3] for i in range(n)], wfeats)]
    if "trigram" in extra:
        for f, b, c, d in zip(out, p[1:], text, p[3:]):
            f += ("c3=" + b + c + d, "k=" + b + d)
    if "window3" in extra:
        q = "\x02\x02\x02" + text + "\x03\x03\x03"
        for f, a, g in zip(out, q, q[6:]):
            f += ("u-3=" + a, "u3=" + g)
    for i, g in gfeats.items():
        out[i] += g
    return out


def lexicon_features(text: str, auto) -> dict[int, list[str]]:
    """Dictionary words (length >= 2) over the text, whatever the segmenter chose: for each
    character the longest word starting there (``ls=<length><tag>``) and ending there
    (``le=<length><tag>``)."""
    if auto is None or not len(auto):
        return {}
    start: dict[int, tuple] = {}
    end: dict[int, tuple] = {}
    for e, (L, tags) in auto.iter(text):
        s, tag = e - L + 1, tags[0]
        if L > start.get(s, (0,))[0]:
            start[s] = (L, tag)
        if L > end.get(e, (0,))[0]:
            end[e] = (L, tag)
    feats: dict[int, list[str]] = {}
    for i, (L, tag) in start.items():
        feats[i] = ["ls=" + str(L if L < 5 else 5) + tag]
    for i, (L, tag) in end.items():
        x = "le=" + str(L if L < 5 else 5) + tag
        if i in feats:
            feats[i].append(x)
        else:
            feats[i] = [x]
    return feats


@functools.cache
def lexicon_automaton():
    """An automaton over jieba's dictionary words of two characters or more, each with its
    tag (built once)."""
    return build_automaton((full_width(w), t) for w, t in jieba_tags().items())


# ASCII letters, digits and signs -> their full-width forms, as People's Daily 1998 writes
# them (１９９８年); one character for one, so offsets stay
_FULL_WIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}


def full_width(text: str) -> str:
    """``text`` with ASCII letters, digits and signs in their full-width forms (a long text
    by one array operation over its code points: ``str.translate`` looks every character up
    in the table, about 100 ns each)."""
    if len(text) < 64:
        return text.translate(_FULL_WIDTH)
    import numpy as np

    try:
        cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:      # a lone surrogate
        return text.translate(_FULL_WIDTH)
    ascii_sign = (cp - np.uint32(0x21)) < np.uint32(0x7F - 0x21)     # 0x21 <= cp < 0x7F
    if not ascii_sign.any():
        return text
    return (cp + ascii_sign.astype(np.uint32) * np.uint32(0xFEE0)).tobytes().decode("utf-32-le")


def features(piece: str, local: Sequence[tuple[int, int]], automata: Sequence[tuple[str, object]],
             extra: Sequence[str] = ()) -> list[list[str]]:
    """The features of one chunk (full-width text) with its tokens."""
    wf = word_features(piece, local)
    gf = gazetteer_features(piece, automata)
    if "lexicon" in extra:
        for i, f in lexicon_features(piece, lexicon_automaton()).items():
            if i in gf:
                gf[i] = gf[i] + f
            else:
                gf[i] = f
    return chunk_features(piece, wf, gf, extra)


def pieces(text: str, tokens: Sequence[tuple[int, int]] | None,
           kern=None) -> list[tuple[int, int, str, list]]:
    """(start, end, full-width chunk text, its tokens as offsets inside it) for every chunk
    of ``text`` (``kern``: the compiled kernels, for ``_locals``)."""
    if tokens is None:
        tokens = tokenize(text)
    text = full_width(text)
    spans = chunks(text)
    if len(tokens) >= _MANY_TOKENS:
        local = _locals(text, spans, tokens, kern)
        if local is not None:
            return [(s, e, text[s:e], loc) for (s, e), loc in zip(spans, local)]
    tokens = sorted(tokens)
    ntok = len(tokens)
    k = 0
    out = []
    for s, e in spans:
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
        out.append((s, e, piece, local))
    return out


# from this many tokens on, ``pieces`` places them by ``_locals``, each chunk's as an int
# array [tokens, 2] (a view of one array for the whole text: ``featids`` reads them as one)
_MANY_TOKENS = 64
_SPACES = tuple(c for c in range(0x3001) if chr(c).isspace())   # (none above U+3000)


@functools.cache
def _space_table():
    """Whether a code point is a space, by code point up to U+3001 (its last entry, False,
    stands for every code point above: ``_SPACES`` holds none)."""
    import numpy as np

    table = np.zeros(0x3002, dtype=bool)
    table[list(_SPACES)] = True
    return table


def _locals(text: str, spans: list[tuple[int, int]], tokens: Sequence[tuple[int, int]],
            kern=None) -> list | None:
    """``pieces``' tokens of every chunk (clipped to it, those of spaces only left out) by
    array operations (or chunk by chunk in ``kernels.token_pairs`` where ``kern``, the compiled
    kernels, is given), as int arrays [tokens, 2] (the same pairs as ``pieces``' lists), for
    tokens that do not overlap (a segmenter's; in any order: they are sorted here as
    ``pieces`` sorts them); None for other tokens (``pieces`` walks them one by one)."""
    import numpy as np

    d = getattr(tokens, "__dict__", None)
    if d and "start_list" in d and "end_list" in d:
        # the frame's ``Tokens`` (``plain.spans_of``): their lists of starts and ends are made
        # already, two arrays from lists of ints are quicker than one from the pairs
        ts = np.array(d["start_list"], dtype=np.intp)
        te = np.array(d["end_list"], dtype=np.intp)
        tok = None
    else:
        tok = np.fromiter(chain.from_iterable(tokens), dtype=np.intp, count=2 * len(tokens)).reshape(-1, 2)
        ts, te = tok[:, 0], tok[:, 1]
    if not len(spans) or not len(ts) or (ts >= te).any() or ts.min() < 0:
        return None
    if (ts[1:] < te[:-1]).any():
        # not in order (a segmenter's tokens are: then no sort is needed), or overlapping
        if tok is None:
            tok = np.stack([ts, te], axis=1)
        tok = tok[np.lexsort((te, ts))]      # as sorted() orders the pairs
        ts, te = tok[:, 0], tok[:, 1]
        if (ts[1:] < te[:-1]).any():
            return None
    ch = np.array(spans, dtype=np.intp)
    cs, ce = ch[:, 0], ch[:, 1]
    if kern is not None:
        # room for every pair: a token in c chunks holds c - 1 chunk starts, each chunk start
        # is inside one token at most (tokens do not overlap)
        pairs = np.empty((len(ts) + len(ch), 2), dtype=np.intp)
        ends = np.empty(len(ch), dtype=np.intp)
        kern.token_pairs(np.ascontiguousarray(ts), np.ascontiguousarray(te), np.ascontiguousarray(cs),
                         np.ascontiguousarray(ce), _code_points(text).astype(np.int64), _space_table(),
                         pairs, ends)
        assert int(ends[-1]) <= len(pairs), "token_pairs: more pairs than the room made for them"
        pairs = pairs[:int(ends[-1])]
        out, k0 = [], 0
        for k1 in ends.tolist():
            out.append(pairs[k0:k1])
            k0 = k1
        return out
    # the tokens of chunk i: from the first ending after its start to the last starting before its end
    lo = np.searchsorted(te, cs, side="right")
    hi = np.searchsorted(ts, ce, side="left")
    cnt = np.maximum(hi - lo, 0)
    ci = np.repeat(np.arange(len(ch)), cnt)
    k = np.arange(int(cnt.sum())) - np.repeat(np.cumsum(cnt) - cnt, cnt) + np.repeat(lo, cnt)
    a = np.maximum(ts[k], cs[ci])
    b = np.minimum(te[k], ce[ci])
    # spaces only: no other character inside (counted over the text)
    cp = _code_points(text)
    other = np.concatenate(([0], np.cumsum(~_space_table()[np.minimum(cp, 0x3001)])))
    keep = other[b] - other[a] > 0
    ci = ci[keep]
    pairs = np.stack([a[keep] - cs[ci], b[keep] - cs[ci]], axis=1)
    ends = np.searchsorted(ci, np.arange(len(ch)), side="right").tolist()
    out, k0 = [], 0
    for k1 in ends:
        out.append(pairs[k0:k1])
        k0 = k1
    return out


def text_features(text: str, tokens: Sequence[tuple[int, int]] | None,
                  automata: Sequence[tuple[str, object]],
                  extra: Sequence[str] = ()) -> list[tuple[int, int, list[list[str]]]]:
    """(start, end, features) for every chunk of ``text`` (ASCII read as full-width)."""
    return [(s, e, features(piece, local, automata, extra))
            for s, e, piece, local in pieces(text, tokens)]


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
    """Spans from BIES labels; an I/E without its B starts a span where it stands. Read off
    the positions not labelled O only (an O between two of them ends the span being read)."""
    out: list[tuple[int, int, str]] = []
    if labels.count("O") == len(labels):     # most chunks: no name (one C-level pass)
        return out
    start, cur, prev = None, None, -2
    for i, y in ((i, y) for i, y in enumerate(labels) if y != "O"):
        if i != prev + 1:
            start, cur = None, None
        prev = i
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
