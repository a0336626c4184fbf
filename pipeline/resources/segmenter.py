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
from typing import Iterable, Iterator

from baozhi.resources import ruleset

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
        self.tokenizer.initialize()
        for word, freq, tag in self.lexicon:
            self.tokenizer.add_word(word, freq, tag)

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
        loads a second, process-wide copy of the same table."""
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
