"""Stage 4 — segment: a spaCy ``Language`` for Chinese with the jieba segmenter.

Entry point: ``segment(text) -> Doc`` (tokens and sentences). The Language is built once
per process by ``blank_zh()``; jieba's dictionary is extended once with the words in
``rules/segment/lexicon.tsv``.
"""
from __future__ import annotations

import functools

import numpy
import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from baozhi.resources import ruleset, segmenter
from baozhi.resources.segmenter import Segmenter

for _name in ("issue_date", "home", "source_offset"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@functools.cache
def _sentence_cfg() -> tuple[frozenset, frozenset]:
    cfg = ruleset.load("segment/segment.yaml")
    return frozenset(cfg["sentence_end"]), frozenset(cfg["trailing"])


@Language.component("baozhi_sentences")
def sentences(doc: Doc) -> Doc:
    """Sentence starts after end punctuation (keeping closing quotes) and at line breaks."""
    ends, trailing = _sentence_cfg()
    starts = numpy.zeros((len(doc), 1), dtype="int32")
    start_next = False
    for i, tok in enumerate(doc):
        text = tok.text
        if i == 0:
            starts[i, 0] = 1
        elif start_next and text not in trailing and not text.isspace():
            starts[i, 0] = 1
            start_next = False
        else:
            starts[i, 0] = -1
        if "\n" in text or (text in ends or all(ch in ends for ch in text)):
            start_next = True
    if len(doc):
        doc.from_array([SENT_START], starts.astype("uint64"))
    return doc


# where a Doc keeps its text (pipeline.nlp.doc_text): spaCy's doc.text joins every token anew
TEXT_KEY = "baozhi.text"


class JiebaTokenizer:
    """jieba words to a Doc, without spaCy's generic (and slow) word/space alignment:
    jieba's words concatenate to the text, so a single space after a word is its
    trailing whitespace and every other piece is a token."""

    def __init__(self, vocab, seg: Segmenter | None = None):
        self.vocab = vocab
        self.segmenter = seg or segmenter.default()

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
        return doc

    # a tokenizer of our own needs no training data and has nothing to save
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "JiebaTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        pass

    def from_disk(self, path, **kwargs) -> "JiebaTokenizer":
        return self


@spacy.registry.tokenizers("baozhi.JiebaTokenizer.v1")
def create_tokenizer():
    def make(nlp):
        return JiebaTokenizer(nlp.vocab)
    return make


@functools.cache
def blank_zh() -> Language:
    """The Language: blank Chinese, jieba tokens, rule sentences. Built once per process."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "baozhi.JiebaTokenizer.v1"}}})
    nlp.add_pipe("baozhi_sentences")
    return nlp


def segment(text: str) -> Doc:
    """Tokens and sentences of ``text`` (no layers)."""
    return blank_zh()(text)
