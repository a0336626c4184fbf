"""Stage 4 — segment: a spaCy ``Language`` for Chinese with the jieba segmenter.

Entry point: ``segment(text) -> Doc`` (tokens and sentences). The Language is built once
per process by ``blank_zh()``.

Two spaCy pieces live here, both registered with spaCy (and advertised to it through the
``spacy_tokenizers`` / ``spacy_factories`` entry points of ``pyproject.toml``, so a saved
pipeline loads in a process that never imported baozhi):

- ``baozhi.JiebaTokenizer.v1`` (``spacy.registry.tokenizers``): jieba words with the lexicon
  of ``rules/segment/lexicon.tsv``. The lexicon travels with the tokenizer: ``to_disk`` writes
  ``<path>/lexicon.tsv``, ``from_disk`` reads it, ``to_bytes``/``from_bytes`` likewise.
- ``baozhi_sentences`` (a component factory): sentence starts after end punctuation and at
  line breaks; its config may give its own ``sentence_end`` / ``trailing`` characters (null:
  those of ``rules/segment/segment.yaml``, whose ``sentence_end`` names marks of
  ``rules/bounds/bounds.yaml``).
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import List, Optional

import numpy
import spacy
import srsly
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from baozhi.resources import marks, ruleset, segmenter
from baozhi.resources.segmenter import Segmenter

for _name in ("issue_date", "home", "source_offset"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@functools.cache
def _sentence_cfg() -> tuple[frozenset, frozenset]:
    cfg = ruleset.load("segment/segment.yaml")
    return marks.chosen(cfg["sentence_end"]), frozenset(cfg["trailing"])


class SentenceSplitter:
    """Sentence starts after a token made only of end punctuation (keeping closing quotes,
    and the further marks of a run such as …… or ？！, with the sentence they close) and after
    a line break."""

    def __init__(self, ends: frozenset | None = None, trailing: frozenset | None = None):
        self._ends, self._trailing = ends, trailing

    def __call__(self, doc: Doc) -> Doc:
        rule_ends, rule_trailing = _sentence_cfg()
        ends = rule_ends if self._ends is None else self._ends
        trailing = rule_trailing if self._trailing is None else self._trailing
        starts = numpy.zeros((len(doc), 1), dtype="int32")
        start_next = False
        for i, tok in enumerate(doc):
            text = tok.text
            marks_only = text in ends or all(ch in ends for ch in text)
            if i == 0:
                starts[i, 0] = 1
            elif start_next and text not in trailing and not text.isspace() and not marks_only:
                starts[i, 0] = 1
                start_next = False
            else:
                starts[i, 0] = -1
            if "\n" in text or marks_only:
                start_next = True
        if len(doc):
            doc.from_array([SENT_START], starts.astype("uint64"))
        return doc


sentences = SentenceSplitter()   # the rules' sentences, as a plain function of a Doc


@Language.factory("baozhi_sentences", default_config={"sentence_end": None, "trailing": None},
                  assigns=["token.is_sent_start"])
def make_sentences(nlp: Language, name: str, sentence_end: Optional[List[str]],
                   trailing: Optional[List[str]]) -> SentenceSplitter:
    return SentenceSplitter(None if sentence_end is None else frozenset(sentence_end),
                            None if trailing is None else frozenset(trailing))


# where a Doc keeps its text (pipeline.nlp.doc_text): spaCy's doc.text joins every token anew
TEXT_KEY = "baozhi.text"
# set on a Doc whose tokens are jieba words of a JiebaTokenizer (the entity model's features
# are built on such words; on another tokenizer's Doc the entity layer segments on its own)
WORDS_KEY = "baozhi.jieba_words"

LEXICON_FILE = "lexicon.tsv"


class JiebaTokenizer:
    """jieba words to a Doc, without spaCy's generic (and slow) word/space alignment:
    jieba's words concatenate to the text, so a single space after a word is its
    trailing whitespace and every other piece is a token.

    The words come from a ``Segmenter`` (jieba's dictionary plus a lexicon); by default the
    shared one of the rules in force, built on first use. ``to_disk``/``from_disk`` and
    ``to_bytes``/``from_bytes`` write and read the lexicon's rows, so a saved pipeline carries
    its own words."""

    def __init__(self, vocab, seg: Segmenter | None = None):
        self.vocab = vocab
        self._segmenter = seg
        self._lexicon = seg.lexicon if seg is not None else None

    @property
    def lexicon(self) -> tuple[segmenter.Row, ...]:
        """The lexicon rows, ``(word, freq, tag)``, added to jieba's dictionary."""
        if self._lexicon is None:
            self._lexicon = _rules_lexicon()
        return self._lexicon

    @property
    def segmenter(self) -> Segmenter:
        if self._segmenter is None:
            rows = self.lexicon
            self._segmenter = (segmenter.default() if rows == _rules_lexicon()
                               else Segmenter({"word": w, "freq": f, "tag": t} for w, f, t in rows))
        return self._segmenter

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        for w in self.segmenter.cut(text):
            if w == " " and words and not spaces[-1] and not words[-1].isspace():
                spaces[-1] = True
            else:
                words.append(w)
                spaces.append(False)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data[TEXT_KEY] = text  # the words and spaces give the text back exactly
        doc.user_data[WORDS_KEY] = True
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    def _use(self, rows) -> "JiebaTokenizer":
        rows = segmenter.rows({"word": w, "freq": f, "tag": t} for w, f, t in rows)
        if rows != self.lexicon:
            self._lexicon, self._segmenter = rows, None
        return self

    def to_bytes(self, *, exclude=tuple(), **kwargs) -> bytes:
        return srsly.msgpack_dumps({"lexicon": [list(r) for r in self.lexicon]})

    def from_bytes(self, data: bytes, *, exclude=tuple(), **kwargs) -> "JiebaTokenizer":
        return self._use(srsly.msgpack_loads(data)["lexicon"])

    def to_disk(self, path, *, exclude=tuple(), **kwargs) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        lines = ["word\tfreq\ttag"] + [f"{w}\t{f}\t{t or ''}" for w, f, t in self.lexicon]
        (path / LEXICON_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")

    def from_disk(self, path, *, exclude=tuple(), **kwargs) -> "JiebaTokenizer":
        lines = (Path(path) / LEXICON_FILE).read_text(encoding="utf-8").splitlines()
        cells = [ln.split("\t") for ln in lines[1:] if ln.strip()]
        return self._use((c[0], c[1], c[2] if len(c) > 2 else None) for c in cells)


@functools.cache
def _rules_lexicon() -> tuple[segmenter.Row, ...]:
    return segmenter.rows(ruleset.load(segmenter.LEXICON))


@spacy.registry.tokenizers("baozhi.JiebaTokenizer.v1")
def create_tokenizer():
    def make(nlp):
        return JiebaTokenizer(nlp.vocab)
    return make


TOKENIZER_CONFIG = {"nlp": {"tokenizer": {"@tokenizers": "baozhi.JiebaTokenizer.v1"}}}


def new_language() -> Language:
    """A new blank Chinese Language with jieba tokens and rule sentences."""
    nlp = spacy.blank("zh", config=TOKENIZER_CONFIG)
    nlp.add_pipe("baozhi_sentences")
    return nlp


@functools.cache
def blank_zh() -> Language:
    """The Language: blank Chinese, jieba tokens, rule sentences. Built once per process."""
    return new_language()


def segment(text: str) -> Doc:
    """Tokens and sentences of ``text`` (no layers)."""
    return blank_zh()(text)
