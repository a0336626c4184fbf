"""``semantics.describe`` takes, optionally, what its caller already has: the surfaces of the
text's tokens (``words``: the frame's segmenter words, split where the entities split the
tokens), instead of slicing each word out of the text again (issue 14's speed work). With or
without them the records are the same, on real pages (pd1998, the corpus), as the frame hands
them over on both paths (``baozhi run``'s ``plain.records_many``, the spaCy components)."""
from __future__ import annotations

import copy

import pytest

from baozhi.frame import plain
from baozhi.layers.figures import semantics
from bench_describe_ab import capture     # (scripts/: the inputs of describe's calls)
from conftest import CORPUS, SHARED


@pytest.fixture(scope="module")
def inputs() -> list:
    """The inputs of each ``describe`` call of ``process_page`` on the first pd1998 pages and
    on the corpus pages, the tokens' surfaces included, as the frame gave them."""
    got = capture(CORPUS, 0)
    assert sum(len(a[1]) for a in got) > 150          # (the corpus's 207 figures)
    if SHARED.is_dir():     # (where ../shared is absent, as on a user's machine: the corpus only)
        got += capture(SHARED / "pd1998" / "pages", 20)
        assert sum(len(a[1]) for a in got) > 300
    return got


def _describe(a, words):
    text, figures, entities, dates, targets, issue_date, home, tokens, _ = copy.deepcopy(a)
    return semantics.describe(text, figures, entities, dates, targets, issue_date, home,
                              tokens=tokens, words=words)


def test_the_frame_hands_the_tokens_surfaces(inputs):
    """Every ``words`` the frame hands over is its tokens' surfaces, tokens split by the
    entities included; and it hands them over for nearly every text (not a vacuous test)."""
    given = [a for a in inputs if a[8] is not None]
    assert len(given) >= 0.9 * len(inputs)
    split = 0
    for a in given:
        text, tokens, words = a[0], a[7], a[8]
        assert words == [text[s:e] for s, e in tokens]
        split += len(tokens) != len(plain.token_offsets(text))
    assert split > 5        # (texts whose tokens an entity split: split_words made their words)


def test_describe_gives_the_same_records_with_the_words_given(inputs):
    """``describe`` with the frame's words gives the records it gives slicing the words itself;
    with wrong words (each reversed) some records differ: the words are read."""
    given = [a for a in inputs if a[8] is not None]
    for a in given:
        assert _describe(a, list(a[8])) == _describe(a, None), a[0][:40]
    assert any(_describe(a, [w[::-1] for w in a[8]]) != _describe(a, None) for a in given)


def test_describe_ignores_words_that_are_not_the_tokens(inputs):
    """``words`` of another length than ``tokens`` (or with no tokens) are not read."""
    a = next(a for a in inputs if a[8] and len(a[1]) > 2)
    assert _describe(a, a[8][:-1]) == _describe(a, None)
    text, figures, entities, dates, targets, issue_date, home, _, words = copy.deepcopy(a)
    assert semantics.describe(text, figures, entities, dates, targets, issue_date, home,
                              words=words) == semantics.describe(
        *copy.deepcopy((text, figures, entities, dates, targets, issue_date, home)))


def test_split_words_are_the_split_spans_surfaces():
    """``plain.split_words``: the surfaces of ``split_at``'s spans, for cuts anywhere."""
    import random

    rng = random.Random(14)
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))[:2])[:3000]
    spans = plain.token_offsets(text)
    words = [text[s:e] for s, e in spans]
    for _ in range(50):
        offsets = rng.sample(range(len(text) + 1), rng.randint(0, 40))
        cuts = plain.cuts_inside(list(spans), offsets, len(text))
        got = plain.split_words(text, spans, words, cuts)
        assert got == [text[s:e] for s, e in plain.split_at(spans, offsets, len(text))]


def test_the_spacy_components_hand_the_docs_words(monkeypatch):
    """The spaCy path (``components.annotate``) hands ``describe`` its Doc's tokens with their
    surfaces, and gives the records ``plain.records`` gives."""
    from baozhi.frame import components

    seen = []
    real = semantics.describe

    def keep(text, figures, *a, tokens=None, words=None, **k):
        seen.append((text, list(tokens), words))
        return real(text, figures, *a, tokens=tokens, words=words, **k)

    monkeypatch.setattr(semantics, "describe", keep)
    spacy = 0
    for path in sorted(CORPUS.glob("*.txt"))[:3]:
        text = path.read_text(encoding="utf-8")
        n = len(seen)
        doc = components.annotate(text)
        spacy += len(seen) - n
        assert components.records(doc, ["figures"]) == plain.records(text, layers=["figures"])
    assert spacy and all(w is not None and w == [t[s:e] for s, e in toks] for t, toks, w in seen)
