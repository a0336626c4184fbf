"""The word segmenter: jieba with the lexicon of ``rules/segment/lexicon.tsv``, as one object.

A ``Segmenter`` owns its own ``jieba.Tokenizer``: building one never changes the
process-wide ``jieba.dt`` (someone else's jieba in the same process keeps its dictionary),
and two segmenters with different lexicons can live side by side. Stages that need words
(repair's "is this space inside a word?", the spaCy tokenizer, the entity features) take a
``Segmenter``; ``default()`` builds the one for the shipped rules once per process.
"""
from __future__ import annotations

import functools
import logging
import sys
from typing import Iterable, Iterator

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
        freq, total = diskcache.cached("segmenter", self._key("freq", repr(self.lexicon)),
                                       self._build_freq)
        # the table jieba's initialize() and add_word() would build (kept on disk: loading
        # it is ~3x faster than jieba's own cache); add_word's other effects replayed here
        self.tokenizer.FREQ, self.tokenizer.total = freq, total
        self.tokenizer.initialized = True
        for word, f, tag in self.lexicon:
            if tag:
                self.tokenizer.user_word_tag_tab[word] = tag
            if f == 0:
                from jieba import finalseg

                finalseg.add_force_split(word)

    def _key(self, *parts: str) -> tuple:
        """The disk-cache key of a table built from jieba's dictionary: jieba's version, the
        dictionary file's bytes, this module's source and ``parts``."""
        return (*self._dict_key, *parts)

    @functools.cached_property
    def _dict_key(self) -> tuple[str, str, str]:
        import hashlib

        import jieba

        with self.tokenizer.get_dict_file() as fh:
            digest = hashlib.sha256(fh.read()).hexdigest()
        return (jieba.__version__, digest, diskcache.source_digest([sys.modules[__name__]]))

    def _build_freq(self) -> tuple[dict[str, int], int]:
        tok = type(self.tokenizer)(self.tokenizer.dictionary)
        tok.initialize()
        for word, freq, tag in self.lexicon:
            tok.add_word(word, freq, tag)
        return tok.FREQ, tok.total

    def cut(self, text: str, HMM: bool = True) -> Iterator[str]:
        """Words of ``text``; they concatenate to ``text``."""
        return self.tokenizer.cut(text, HMM=HMM)

    def tokenize(self, text: str) -> Iterator[tuple[str, int, int]]:
        """(word, start, end) for every word of ``text``."""
        return self.tokenizer.tokenize(text)

    @property
    def freq(self) -> dict[str, int]:
        """Word -> frequency, the lexicon's words included."""
        return self.tokenizer.FREQ

    @functools.cached_property
    def tags(self) -> dict[str, str]:
        """Word -> part-of-speech tag of jieba's dictionary (the tags the entity model was
        trained with: the lexicon's own tags are not merged in). Read from the dictionary
        file as ``jieba.posseg`` reads it, without importing ``jieba.posseg``, whose import
        loads a second, process-wide copy of the same table. Kept on disk
        (``resources/diskcache.py``) under the dictionary's bytes and jieba's version."""
        return diskcache.cached("jieba-tags", self._key("tags"), self._build_tags)

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


@functools.cache
def default() -> Segmenter:
    """The segmenter of the rules in force (``BAOZHI_RULES`` or the shipped ones), built
    once per process."""
    return Segmenter(ruleset.load(LEXICON))
