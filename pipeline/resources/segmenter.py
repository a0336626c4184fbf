"""The word segmenter: jieba with the lexicon of ``rules/segment/lexicon.tsv``, as one object.

A ``Segmenter`` owns its own ``jieba.Tokenizer``: building one never changes the
process-wide ``jieba.dt`` (someone else's jieba in the same process keeps its dictionary),
and two segmenters with different lexicons can live side by side. Stages that need words
(repair's "is this space inside a word?", the spaCy tokenizer, the entity features) take a
``Segmenter``; ``default()`` builds the one for the shipped rules once per process.
"""
from __future__ import annotations

import array
import collections
import functools
import itertools
import logging
import math
import re
import sys
from collections.abc import Mapping
from typing import Iterable, Iterator, Sequence

from baozhi.resources import diskcache, ruleset

LEXICON = "segment/lexicon.tsv"
DEFAULT_FREQ = 2000


Row = tuple[str, int, "str | None"]


def rows(lexicon: Iterable[dict]) -> tuple[Row, ...]:
    """Lexicon rows ``{word, freq?, tag?}`` as ``(word, freq, tag)`` tuples, freq defaulted."""
    return tuple((row["word"], int(row.get("freq") or DEFAULT_FREQ), row.get("tag") or None)
                 for row in lexicon)


class Segmenter:
    """jieba's default dictionary plus ``lexicon``: rows of ``{word, freq?, tag?}``."""

    def __init__(self, lexicon: Iterable[dict]):
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self.lexicon = rows(lexicon)
        self.tokenizer = jieba.Tokenizer()
        # the table jieba's initialize() and add_word() would build, and the dictionary's
        # tags, kept on disk as one flat file (``pack_tables``: ~2x faster to load than the
        # pickled dicts, ~5x faster than jieba's own cache); add_word's other effects
        # replayed here
        packed = diskcache.cached("segmenter", self.key, self._build_tables)
        freq, total, self._packed_tags = unpack_tables(packed)
        if isinstance(freq, Freq):
            freq.owner = self.tokenizer
        self.tokenizer.FREQ, self.tokenizer.total = freq, total
        self.tokenizer.initialized = True
        for word, f, tag in self.lexicon:
            if tag:
                self.tokenizer.user_word_tag_tab[word] = tag
            if f == 0:
                from jieba import finalseg

                finalseg.add_force_split(word)

    @functools.cached_property
    def key(self) -> tuple:
        """The disk-cache key of the tables built from jieba's dictionary and the lexicon:
        jieba's version, the dictionary file's bytes, this module's source and the lexicon
        rows (a key part of any table built from this segmenter's words)."""
        return (*self._dict_key, "tables", repr(self.lexicon))

    @functools.cached_property
    def _dict_key(self) -> tuple[str, str, str]:
        import hashlib

        import jieba

        with self.tokenizer.get_dict_file() as fh:
            digest = hashlib.sha256(fh.read()).hexdigest()
        return (jieba.__version__, digest, diskcache.source_digest([sys.modules[__name__]]))

    def _build_tables(self) -> tuple:
        freq, total = self._build_freq()
        return pack_tables(freq, total, self._build_tags())

    def _build_freq(self) -> tuple[dict[str, int], int]:
        tok = type(self.tokenizer)(self.tokenizer.dictionary)
        tok.initialize()
        for word, freq, tag in self.lexicon:
            tok.add_word(word, freq, tag)
        return tok.FREQ, tok.total

    def cut(self, text: str, HMM: bool = True) -> Iterator[str]:
        """Words of ``text``; they concatenate to ``text``. With ``HMM``, jieba's own words
        by ``fast_cut`` (the same algorithm in fewer Python steps) where jieba is the version
        it was written from, else by jieba. Once ``RUST_AFTER`` characters have been cut,
        ``fast_cut`` gives jieba-rs a text with no character of ``_RUST_WHOLE_UNSAFE`` whole
        (one call), and of any other text its blocks of Han characters (see ``Rust``)."""
        if HMM:
            return iter(self.words(text))
        return self.tokenizer.cut(text, HMM=False)

    def words(self, text: str) -> list[str]:
        """``list(self.cut(text))``, without the copy where ``fast_cut`` made the list."""
        if self._fast:
            return self._fast_cut(text)
        return list(self.tokenizer.cut(text, HMM=True))

    def _fast_cut(self, text: str) -> list[str]:
        rust = self._rust
        if rust is None and self._rust_left is not None:
            self._rust_left -= len(text)
            if self._rust_left < 0:
                rust = self.use_rust()
        return fast_cut(self.tokenizer, text, rust)

    # jieba-rs (``rjieba``) is built from our frequency table once this many characters have
    # been cut in the process (a one-line ``annotate`` does not pay its ~0.5 s build;
    # ``warm_up`` builds it before workers fork)
    RUST_AFTER = 200_000
    _rust: "Rust | None" = None

    @functools.cached_property
    def _rust_left(self) -> int | None:
        return self.RUST_AFTER if Rust.available() else None

    def use_rust(self) -> "Rust | None":
        """Cut with jieba-rs from now on (whole texts with no character of
        ``_RUST_WHOLE_UNSAFE``, else blocks of Han characters), where it is installed and
        serves (``Rust.build``; None otherwise): the same words, ~10x faster."""
        if self._rust is None and self._rust_left is not None:
            self._rust = Rust.build(self.tokenizer)
            self._rust_left = None
        return self._rust

    def tokenize(self, text: str) -> Iterator[tuple[str, int, int]]:
        """(word, start, end) for every word of ``text`` (as ``jieba.Tokenizer.tokenize``)."""
        if not self._fast:
            return self.tokenizer.tokenize(text)
        out, at = [], 0
        for w in self._fast_cut(text):
            out.append((w, at, at + len(w)))
            at += len(w)
        return iter(out)

    @functools.cached_property
    def _fast(self) -> bool:
        import jieba

        return jieba.__version__ in FAST_CUT_JIEBA and type(self.tokenizer) is jieba.Tokenizer

    @property
    def freq(self) -> Mapping[str, int]:
        """Word -> frequency, the lexicon's words included (a ``Freq`` until it is a dict)."""
        return self.tokenizer.FREQ

    @functools.cached_property
    def tags(self) -> Mapping[str, str]:
        """Word -> part-of-speech tag of jieba's dictionary (the tags the entity model was
        trained with: the lexicon's own tags are not merged in). Read from the dictionary
        file as ``jieba.posseg`` reads it, without importing ``jieba.posseg``, whose import
        loads a second, process-wide copy of the same table. Kept on disk with the
        frequency table (``resources/diskcache.py``); a ``Tags`` mapping (no dict built)."""
        tags, self._packed_tags = unpack_tags(self._packed_tags), None
        return tags

    def use_dicts(self, freq: bool = True) -> None:
        """Look words up in dicts from now on (``Freq.use_dict``, ``Tags.use_dict``): a
        process about to cut many texts, or to fork workers that will share the dicts.
        ``freq`` False: the tag table only; the frequency table stays as it is (a ``Freq``
        becomes a dict by itself past ``Freq.DICT_AFTER`` look-ups): where jieba-rs cuts the
        texts, only the blocks of Han characters with letters or digits in them look it up
        (``fast_cut``), and its dict costs ~0.1 CPU-s more than jieba-rs's build of the same
        words."""
        for table in (self.tokenizer.FREQ, self.tags) if freq else (self.tags,):
            if isinstance(table, _Lazy):
                table.use_dict()

    def _build_tags(self) -> dict[str, str]:
        table = {}
        with self.tokenizer.get_dict_file() as fh:
            for lineno, raw in enumerate(fh, 1):
                line = raw.strip().decode("utf-8")
                if not line:
                    continue
                try:
                    word, _, tag = line.split(" ")
                except ValueError:
                    raise ValueError(f"jieba dictionary line {lineno}: {line!r}") from None
                table[word] = tag
        return table


# ---------------------------------------------------------------- the flat table on disk
# Unpickling a dict of half a million words builds every key and value through pickle's
# opcodes, and even one string of the words split in C and zipped with an array of counts
# takes ~0.3 CPU-s to become a dict: most of a one-line ``annotate``. So the tables are not
# made dicts at all until a process has looked many words up: every word of the frequency
# and tag tables, in sorted order, is one string (``Words``: found by bisection on slices
# of it, no string object built per word), beside flat arrays of their counts and tags
# (``Freq`` and ``Tags``, read-only mappings in the tables' own order). Past ``DICT_AFTER``
# lookups each builds its dict once and looks up at dict speed (a batch; ``warm_up`` builds
# both before workers fork).
SEP = "\n"


def pack_tables(freq: dict[str, int], total: int, tags: dict[str, str]) -> tuple:
    """``(freq, total, tags)`` as a tuple of a few flat objects (``unpack_tables`` reads it):
    every word of ``freq`` and ``tags`` in sorted order, joined by SEP, and where each starts;
    per word its count (-1: not in ``freq``) and tag code (-1: not in ``tags``); the tag
    names; the words of ``freq`` and of ``tags`` in their tables' order, as sorted ranks.
    Words holding SEP (none in jieba's dictionary) make it keep the dicts as they are."""
    if any(SEP in w for w in freq) or any(SEP in w for w in tags):
        return ("dicts", freq, total, tags)
    ranked = sorted(set(freq) | set(tags))
    rank = {w: i for i, w in enumerate(ranked)}
    starts, at = array.array("q"), 0
    for w in ranked:
        starts.append(at)
        at += len(w) + 1
    starts.append(at)
    names = sorted(set(tags.values()))
    code = {t: i for i, t in enumerate(names)}
    return ("sorted", SEP.join(ranked), starts.tobytes(),
            array.array("q", [freq.get(w, -1) for w in ranked]).tobytes(), total,
            array.array("q", [code[tags[w]] if w in tags else -1 for w in ranked]).tobytes(),
            names, array.array("q", [rank[w] for w in freq]).tobytes(),
            array.array("q", [rank[w] for w in tags]).tobytes())


def unpack_tables(packed: tuple) -> tuple["Freq | dict[str, int]", int, tuple]:
    """(freq, total, what ``unpack_tags`` makes the tag table of) from ``pack_tables``."""
    if packed[0] == "dicts":
        return packed[1], packed[2], packed
    _, joined, starts, counts, total, codes, names, freq_order, tag_order = packed
    words = Words(joined, memoryview(starts).cast("q"))
    return (Freq(words, memoryview(counts).cast("q"), memoryview(freq_order).cast("q")),
            total, ("sorted", words, memoryview(codes).cast("q"), names,
                    memoryview(tag_order).cast("q")))


def unpack_tags(packed: tuple) -> "Tags | dict[str, str]":
    if packed[0] == "dicts":
        return packed[3]
    _, words, codes, names, order = packed
    return Tags(words, codes, names, order)


class Words:
    """Words in sorted order as one SEP-joined string and where each starts (one more
    start past the end): ``find`` bisects slices of it, no object is built per word."""

    def __init__(self, joined: str, starts: Sequence[int]):
        self.joined, self.starts, self.n = joined, starts, len(starts) - 1
        self._list: list[str] | None = None

    def find(self, word) -> int:
        """The rank of ``word``, or -1."""
        if not isinstance(word, str):
            return -1
        s, st = self.joined, self.starts
        lo, hi = 0, self.n
        while lo < hi:
            mid = (lo + hi) >> 1
            if s[st[mid]:st[mid + 1] - 1] < word:
                lo = mid + 1
            else:
                hi = mid
        return lo if lo < self.n and s[st[lo]:st[lo + 1] - 1] == word else -1

    def all(self) -> list[str]:
        """Every word, in sorted order (split once; the dicts built from it share its strings)."""
        if self._list is None:
            self._list = self.joined.split(SEP) if self.n else []
        return self._list


_ABSENT = object()


class _Lazy(Mapping):
    """A read-only table looked up in ``Words`` until ``DICT_AFTER`` lookups, then (or on
    ``use_dict``) through the dict built once; ``get`` then becomes the dict's own."""

    DICT_AFTER = 5_000

    def __init__(self, words: Words, order: Sequence[int]):
        self._words, self._order = words, order
        self._left = self.DICT_AFTER
        self._dict: dict | None = None

    def _value(self, rank: int):      # the value at a rank, or _ABSENT
        raise NotImplementedError

    def _values(self) -> Iterator:    # the values in the table's order (a loop in C)
        raise NotImplementedError

    def get(self, word, default=None):
        self._left -= 1
        if self._left < 0:
            self.get = self.as_dict().get    # an instance attribute: the dict's C method
            return self.get(word, default)
        i = self._words.find(word)
        value = _ABSENT if i < 0 else self._value(i)
        return default if value is _ABSENT else value

    def use_dict(self) -> None:
        """Look words up in the dict from now on (a process about to run many texts, or
        to fork workers that will: they share the one built here)."""
        self._left = -1
        self.get(None)

    def as_dict(self) -> dict:
        """The table as a dict in the table's order (built once)."""
        if self._dict is None:
            self._dict = dict(zip(map(self._words.all().__getitem__, self._order), self._values()))
        return self._dict

    def __getitem__(self, word):
        value = self.get(word, _ABSENT)
        if value is _ABSENT:
            raise KeyError(word)
        return value

    def __contains__(self, word) -> bool:
        return self.get(word, _ABSENT) is not _ABSENT

    def __len__(self) -> int:
        return len(self._dict) if self._dict is not None else len(self._order)

    def __reduce__(self):
        return dict, (self.as_dict(),)     # pickled (or copied) as the dict it stands for

    def __iter__(self) -> Iterator[str]:
        if self._dict is not None:
            return iter(self._dict)
        words = self._words.all()
        return map(words.__getitem__, self._order)

    def items(self):   # type: ignore[override]
        if self._dict is not None:
            return self._dict.items()
        return zip(map(self._words.all().__getitem__, self._order), self._values())

    def values(self):   # type: ignore[override]
        return self._dict.values() if self._dict is not None else self._values()


class Freq(_Lazy):
    """jieba's frequency table (word -> count, a prefix of a word 0), read only until it
    becomes a dict: past ``DICT_AFTER`` lookups, on ``use_dict``, or when written to
    (``jieba.Tokenizer.add_word``), after which it is the dict it built."""

    DICT_AFTER = 20_000     # ~0.1 CPU-s of bisection, a third of building the dict

    def __init__(self, words: Words, counts: Sequence[int], order: Sequence[int], owner=None):
        super().__init__(words, order)
        self._counts = counts
        self.owner = owner     # the jieba.Tokenizer whose FREQ this is (given the dict once built)

    def _value(self, rank: int):
        c = self._counts[rank]
        return _ABSENT if c < 0 else c

    def _values(self) -> Iterator[int]:
        return map(self._counts.__getitem__, self._order)

    def __setitem__(self, word, count) -> None:
        self.use_dict()
        self._dict[word] = count

    def __delitem__(self, word) -> None:
        self.use_dict()
        del self._dict[word]

    def as_dict(self) -> dict[str, int]:
        table = super().as_dict()
        owner = self.owner
        if owner is not None and owner.FREQ is self:
            owner.FREQ = table      # the tokenizer reads the dict itself from now on
        return table


class Tags(_Lazy):
    """Word -> tag, read only: the words found by bisection; iterated in the order of the
    table it was made from. After ``DICT_AFTER`` lookups (a process that annotates more than
    a line or two) it builds the dict once and ``get`` becomes the dict's own: a batch looks
    words up at dict speed, one short line never builds it."""

    def __init__(self, words: Words, codes: Sequence[int], names: list[str], order: Sequence[int]):
        super().__init__(words, order)
        self._codes, self._names = codes, names

    def _value(self, rank: int):
        c = self._codes[rank]
        return _ABSENT if c < 0 else self._names[c]

    def _values(self) -> Iterator[str]:
        return map(self._names.__getitem__, map(self._codes.__getitem__, self._order))


# the jieba versions whose Tokenizer.cut(text, HMM=True) ``fast_cut`` repeats step for step
FAST_CUT_JIEBA = frozenset({"0.42.1"})
# the rjieba versions whose block and skip patterns were checked against jieba's (the whole-text
# call of ``fast_cut``: tests/test_segmenter.py); with any other, only blocks of Han characters
RUST_WHOLE_RJIEBA = frozenset({"0.2.2"})


def rjieba_version() -> str | None:
    """The installed rjieba's version (None where it has no distribution metadata)."""
    import importlib.metadata

    try:
        return importlib.metadata.version("rjieba")
    except importlib.metadata.PackageNotFoundError:
        return None


# the rjieba versions whose extension module (``rjieba.rjieba``) was checked to load on its own
# and to hold ``Jieba``; with any other, ``_rjieba`` imports the package
RJIEBA_EXTENSION_ALONE = frozenset({"0.2.2"})


def _rjieba():
    """rjieba's extension module (``rjieba.rjieba``: its ``Jieba``), without running the
    package's ``__init__``, which builds a default ``Jieba`` with jieba-rs's own dictionary
    (~0.13 CPU-s, before local workers fork) that ``Rust`` never uses; the module is
    registered under its own name, so a later ``import rjieba`` finds it there. Only for the
    versions of ``RJIEBA_EXTENSION_ALONE``; with another version, or where the extension is not
    found beside the package, does not load or holds no ``Jieba`` (another layout),
    ``import rjieba`` (tests/test_segmenter.py feeds it such layouts)."""
    import importlib.machinery
    import importlib.util
    import os

    name = "rjieba.rjieba"
    if name in sys.modules:
        return sys.modules[name]
    try:
        if rjieba_version() not in RJIEBA_EXTENSION_ALONE:
            raise ImportError("not a version whose extension was checked alone")
        spec = importlib.util.find_spec("rjieba")
        folder = list(spec.submodule_search_locations or ())[0]
        path = next(os.path.join(folder, f"rjieba{suffix}")
                    for suffix in importlib.machinery.EXTENSION_SUFFIXES
                    if os.path.isfile(os.path.join(folder, f"rjieba{suffix}")))
        ext = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(ext)
        sys.modules[name] = module
        try:
            ext.loader.exec_module(module)
            if not hasattr(module, "Jieba"):
                raise ImportError(f"{path} holds no Jieba")
        except BaseException:
            del sys.modules[name]
            raise
    except (ImportError, AttributeError, IndexError, StopIteration, TypeError, ValueError,
            OSError):
        import rjieba

        return rjieba
    return module


class Rust:
    """jieba-rs (the ``rjieba`` wheel) holding exactly the words of a ``jieba.Tokenizer``'s
    frequency table with their counts, and its total, for ``fast_cut``. Where ``whole`` (the
    installed rjieba is one of ``RUST_WHOLE_RJIEBA``, whose block and skip patterns were
    compared with jieba's), a text with no character of ``_RUST_WHOLE_UNSAFE`` goes to jieba-rs
    in one call, non-Han characters included; any other text (or every text, for another
    rjieba) is split by jieba's own patterns and only its blocks of Han characters
    (``[\u4E00-\u9FD5]+``) go to jieba-rs, the rest to the Python path (jieba-rs's block
    pattern takes more characters, and its HMM splits letters and digits by a pattern other
    than jieba's). In a block of Han characters the route (the same dictionary, total and sums
    of log frequencies) and the HMM over runs of single characters (the same tables) are
    jieba's; words the lexicon forces apart (frequency 0: ``finalseg.Force_Split_Words``),
    which jieba-rs does not know, are split after it. tests/test_segmenter.py compares its
    words with jieba's; identical tables on corpus/ and pd1998 (scripts/same_tables.py)."""

    def __init__(self, rj, force: set, whole: bool = False):
        self.cut, self.force, self.whole = rj.cut, force, whole

    @staticmethod
    def available() -> bool:
        import importlib.util

        return importlib.util.find_spec("rjieba") is not None

    @classmethod
    def build(cls, tok) -> "Rust | None":
        """jieba-rs with ``tok``'s words; None if it cannot hold them exactly (a forced split
        that is also a word with a count: jieba keeps that one whole on its route)."""
        from jieba import finalseg

        rjieba = _rjieba()

        force = finalseg.Force_Split_Words
        freq = tok.FREQ
        if any(freq.get(w) for w in force):
            return None
        rj = rjieba.Jieba.empty()
        add = rj.add_word
        # every word with a count, in the table's order (the loop in C: ~half a million words)
        words = list(itertools.compress(iter(freq), freq.values()))   # (a Freq's own iterator)
        counts = list(filter(None, freq.values()))
        summed = sum(counts)
        collections.deque(map(add, words, counts, itertools.repeat(None)), maxlen=0)
        if tok.total != summed:
            # jieba's add_word adds a re-added word's count to the total again: the rest of
            # the total as one word no Han block holds (a private-use character)
            if tok.total < summed:
                return None
            add("\ue000", tok.total - summed, None)
        return cls(rj, force, rjieba_version() in RUST_WHOLE_RJIEBA)

    def block(self, blk: str, out: list) -> None:
        self.put(self.cut(blk, True), out)

    def put(self, words: list[str], out: list) -> None:
        """jieba-rs's ``words`` appended to ``out``, those the lexicon forces apart split."""
        if self.force:
            force = self.force
            for w in words:
                if w in force:
                    out.extend(w)      # the HMM's word the lexicon forces apart
                else:
                    out.append(w)
        else:
            out.extend(words)


_NOT_HAN = re.compile("[^\u4E00-\u9FD5]")
# a character whose words jieba-rs might give otherwise than jieba outside jieba's blocks of Han
# characters: jieba's own block characters other than Han (letters, digits, +#&._%-: a block
# jieba-rs cuts otherwise; tests/test_segmenter.py checks them against jieba's re_han_default),
# those only jieba-rs's block pattern takes (CJK extension A, the rest of the unified block,
# compatibility ideographs, everything beyond the BMP) and lone surrogates (no text for
# jieba-rs). \r is not one: both skip patterns are (\r\n|\s), so \r\n is one word in both. A
# text with none of them is one call of jieba-rs (``fast_cut``): every other character is a
# word of its own in both, and the blocks of Han characters are the same blocks (every article
# of pd1998, ~2x faster). tests/test_segmenter.py tries every character of the BMP it lets
# through, and random mixed runs of them with letters, digits, signs and astral characters.
_RUST_WHOLE_UNSAFE = re.compile(
    "[a-zA-Z0-9+#&._%\\-\u3400-\u4DBF\u9FD6-\u9FFF\uF900-\uFAFF\uD800-\uDFFF\U00010000-\U0010FFFF]")


def fast_cut(tok, text: str, rust: Rust | None = None) -> list[str]:
    """``list(tok.cut(text, HMM=True))`` of a ``jieba.Tokenizer`` (jieba 0.42.1), the same
    words by the same steps: the text split into blocks by jieba's own patterns, in a block of
    Han characters, letters and digits jieba's DAG (every dictionary word with a frequency
    starting at each character) and its route (the best sum of log frequencies from the
    right, ties to the longer word) computed in one right-to-left pass without the DAG's
    dict, the generator per position and the tuples jieba builds, and runs of single
    characters given to jieba's own HMM (``finalseg.cut``). The same floating-point
    expressions in the same order, so the same words: tests/test_segmenter.py compares them
    with jieba's on pages and odd text; identical tables on pd1998 (scripts/same_tables.py).
    With ``rust``, a text with no character of ``_RUST_WHOLE_UNSAFE`` is cut by jieba-rs in one
    call where ``rust.whole`` (the rjieba version it was checked with), and else its blocks of
    Han characters one by one."""
    from jieba import finalseg, re_han_default, re_skip_default

    if rust is not None and rust.whole and not _RUST_WHOLE_UNSAFE.search(text):
        if not rust.force:
            return rust.cut(text, True)     # the text in one call: the same words (see above)
        out: list[str] = []
        rust.put(rust.cut(text, True), out)
        return out
    freq, total = tok.FREQ, tok.total
    out = []
    for blk in re_han_default.split(text):
        if not blk:
            continue
        if re_han_default.match(blk):
            if rust is not None and not _NOT_HAN.search(blk):
                rust.block(blk, out)
            else:
                _cut_block(blk, freq, math.log(total), finalseg.cut, out)
        else:
            for x in re_skip_default.split(blk):
                if re_skip_default.match(x):
                    out.append(x)
                else:
                    out.extend(x)      # one character a word
    return out


def _cut_block(sentence: str, freq: dict, logtotal: float, hmm, out: list) -> None:
    """jieba's ``__cut_DAG`` of one block, words appended to ``out``."""
    log, get = math.log, freq.get
    N = len(sentence)
    score = [0.0] * (N + 1)    # jieba's route[x][0]
    nxt = list(range(N + 1))   # jieba's route[x][1]: the last character of the best word at x
    for k in range(N - 1, -1, -1):
        best = None
        i, frag = k, sentence[k]
        while i < N:
            f = get(frag)
            if f is None:
                break
            if f:
                s = log(f) - logtotal + score[i + 1]
                if best is None or s >= best:    # max((s, x)): a tie goes to the larger x
                    best, nxt[k] = s, i
            i += 1
            frag = sentence[k:i + 1]
        if best is None:       # no word: the character alone
            best = log(get(sentence[k]) or 1) - logtotal + score[k + 1]
            nxt[k] = k
        score[k] = best
    x, buf = 0, ""
    while x < N:
        y = nxt[x] + 1
        if y - x == 1:
            buf += sentence[x]
        else:
            if buf:
                _flush(buf, get, hmm, out)
                buf = ""
            out.append(sentence[x:y])
        x = y
    if buf:
        _flush(buf, get, hmm, out)


def _flush(buf: str, get, hmm, out: list) -> None:
    """A run of single characters as jieba gives it: one character alone, a run that is not
    a dictionary word through the HMM, a dictionary word character by character."""
    if len(buf) == 1:
        out.append(buf)
    elif not get(buf):
        out.extend(hmm(buf))
    else:
        out.extend(buf)


@functools.cache
def default() -> Segmenter:
    """The segmenter of the rules in force (``BAOZHI_RULES`` or the shipped ones), built
    once per process."""
    return Segmenter(ruleset.load(LEXICON))
