"""Stage 4 — segment: a spaCy ``Language`` for Chinese with the jieba segmenter.

Entry point: ``segment(text) -> Doc`` (tokens and sentences). The Language is built once
per process by ``blank_zh()``; jieba's dictionary is extended once with the words in
``rules/segment/lexicon.tsv``.
"""
from __future__ import annotations

import functools
import logging

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import rules

for _name in ("issue_date", "home", "source_offset"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@functools.cache
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    for row in rules.load("segment/lexicon.tsv"):
        jieba.add_word(row["word"], int(row.get("freq") or 2000), row.get("tag") or None)
    return jieba


@Language.component("baozhi_sentences")
def sentences(doc: Doc) -> Doc:
    """Sentence starts after end punctuation (keeping closing quotes) and at line breaks."""
    cfg = rules.load("segment/segment.yaml")
    ends = set(cfg["sentence_end"])
    trailing = set(cfg["trailing"])
    start_next = False
    for i, tok in enumerate(doc):
        if i == 0:
            tok.is_sent_start = True
            continue
        if start_next and tok.text not in trailing and not tok.is_space:
            tok.is_sent_start = True
            start_next = False
        else:
            tok.is_sent_start = False
        if "\n" in tok.text or "\n" in tok.whitespace_:
            start_next = True
        elif all(ch in ends for ch in tok.text) or tok.text in ends:
            start_next = True
    return doc


@functools.cache
def blank_zh() -> Language:
    """The Language: blank Chinese, jieba tokens, rule sentences. Built once per process."""
    _jieba()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("baozhi_sentences")
    return nlp


def segment(text: str) -> Doc:
    """Tokens and sentences of ``text`` (no layers)."""
    return blank_zh()(text)
