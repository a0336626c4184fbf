"""The figures' semantics frame (``semantics._Text``) reads its words by bisection and keeps
per-sentence look-ups once (issue 14's speed work): each fast path must give what the plain
computation gives, on the words of real pages (pd1998, as ``describe`` gets them, the Doc's
tokens included) — every sentence, every offset."""
from __future__ import annotations

import bisect
import copy

import pytest

from baozhi.layers.figures import semantics
from bench_describe_ab import capture     # (scripts/: the inputs of describe's calls)
from conftest import SHARED


@pytest.fixture(scope="module")
def inputs() -> list:
    """The inputs of each ``describe`` call of the first pd1998 pages."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not here")
    got = capture(SHARED / "pd1998" / "pages", 12)
    assert sum(len(a[1]) for a in got) > 200
    return got


@pytest.fixture(scope="module", params=["doc_tokens", "segmented"])
def texts(request, inputs) -> list:
    """A ``_Text`` for each ``describe`` call of the first pd1998 pages: with the Doc's tokens
    (as ``describe`` gets them), and with none (its words segmented and cut at the figures'
    edges by ``_cut_at_figures``: review rev2 F2)."""
    out = []
    for a in inputs:
        text, figures, entities, dates, targets, issue_date, home, tokens, _ = copy.deepcopy(a)
        assert tokens is not None
        out.append(semantics._Text(text, figures, entities or [], dates or [], targets or [],
                                   issue_date, home, semantics._cfg(),
                                   tokens=tokens if request.param == "doc_tokens" else None))
    if request.param == "segmented":
        # the case cannot go vacuous: some sentence has words the cut at a figure changed
        seg = semantics.segmenter.default()
        assert any([(w[1], w[2]) for w in t.words(s)]
                   != [(s + a, s + b) for _, a, b in seg.tokenize(t.text[s:e])]
                   for t in out for _, s, e in _sentences(t))
        for t in out:
            t._sw.clear()
            t._projects.clear()
    return out


def _sentences(t):
    starts = t.sentence_starts
    return [(k, a, starts[k + 1] if k + 1 < len(starts) else len(t.text)) for k, a in enumerate(starts)
            if (starts[k + 1] if k + 1 < len(starts) else len(t.text)) > a]


def test_word_lookups_by_bisection_are_the_scans(texts):
    """``_indexed``'s starts and ends are its words'; ``word_at``, ``word_ending`` and ``words_in``
    give what a scan of the sentence's words gives, at every offset of it."""
    n = 0
    for t in texts:
        for k, s, e in _sentences(t):
            words = t.words(s)
            got, (starts, ends) = t._indexed(e - 1)
            assert got is words
            assert starts == [w[1] for w in words] and ends == [w[2] for w in words]
            for pos in range(s, e):
                assert t.word_at(pos) == next((w for w in words if w[1] == pos), None)
                if pos > s:
                    assert t.word_ending(pos) == next((w for w in words if w[2] == pos), None)
                assert t.words_in(pos, pos) == [w for w in words if w[1] >= pos]
                assert t.words_in(s, s, pos) == [w for w in words if w[2] <= pos]
                n += 1
    assert n > 10_000


def test_project_spans_from_the_candidates_are_those_from_every_word(texts, monkeypatch):
    """``_project_spans`` reads only the words ``_project_candidates`` gives (those ending with a
    project or body word's last character, found once per sentence, from ``lo`` on by
    bisection): the same spans as reading every word of the sentence from ``lo`` on (which
    ``owner_word_re`` alone decides), for each figure's owner floor and the sentence's start."""
    def every_word(t, pos):
        words = t.words(pos)
        return words, [w[1] for w in words]

    asks = []
    for t in texts:
        for g in t.figures:
            k, s, e = t.sentence(g["start"])
            for lo in {s, semantics._owner_floor(t, s, g["start"]), (s + g["start"]) // 2}:
                asks.append((t, g["start"], lo))
    fast = [semantics._project_spans(t, pos, lo) for t, pos, lo in asks]
    for t in texts:
        t._projects.clear()
    monkeypatch.setattr(semantics, "_project_candidates", every_word)
    plain = [semantics._project_spans(t, pos, lo) for t, pos, lo in asks]
    assert fast == plain
    assert sum(map(len, plain)) > 100


def test_cut_spans_by_key_is_the_cut_by_a_list_of_starts(texts):
    """``_cut_spans`` (the span a figure's edge falls inside found by bisection on the spans)
    cuts as the plain search on a list of the spans' starts."""
    def plain(t, spans, s, e):
        edges = t._edges
        i, j = bisect.bisect_right(edges, s), bisect.bisect_left(edges, e)
        starts = [a for a, _ in spans]
        cut: dict[int, list[int]] = {}
        for x in edges[i:j]:
            n = bisect.bisect_right(starts, x) - 1
            if n >= 0 and spans[n][0] < x < spans[n][1]:
                cut.setdefault(n, []).append(x)
        out = []
        for n, (a, b) in enumerate(spans):
            pts = [a, *cut.get(n, ()), b]
            out.extend(zip(pts, pts[1:]))
        return out

    if all(t.tokens is None for t in texts):
        pytest.skip("_cut_spans cuts the Doc's tokens: the segmented texts have none")
    cuts = 0
    for t in texts:
        for k, s, e in _sentences(t):
            spans = [ab for ab in t.tokens if s <= ab[0] and ab[1] <= e]
            got = t._cut_spans(spans, s, e)
            assert list(got) == plain(t, spans, s, e)
            cuts += len(got) != len(spans)
    assert cuts > 10


def _carry_period_plain(t, f, k, s):
    """``semantics._carry_period`` as it read before the subject test moved after the walk back
    (the sentence before's subject asked first, a pending one resolved whatever the walk gives)."""
    cfg = t.cfg
    if f.subject_by not in cfg["carry_period_after"] and not cfg["carry_openers"].match(
            t.text, semantics._owner_floor(t, s, f.start)) and not (
            f.subject is None and cfg["carry_openers"].match(t.text, s)) and not any(
            rule(t, k, s) for rule in semantics.CARRY_ACROSS_RULES) and not (
            f.subject and t.subjects.get(k - 1, (None,))[0] == f.subject[0]):
        return None
    return semantics._period_back(t, k, s)


def test_carried_period_asks_the_subject_before_only_where_a_period_carries(inputs, monkeypatch):
    """``_carry_period`` asks the sentence before's subject only where the walk back finds a
    period to carry: the same records as asking it first (a pending sentence's subject does not
    depend on when it is resolved), with fewer pending subjects resolved."""
    resolved = []
    real_resolve = semantics._Subjects._resolve

    def counting(self, k):
        resolved.append(k)
        return real_resolve(self, k)

    monkeypatch.setattr(semantics._Subjects, "_resolve", counting)

    def run():
        resolved.clear()
        out = [semantics.describe(*a[:7], tokens=a[7], words=a[8]) for a in copy.deepcopy(inputs)]
        return out, len(resolved)

    fast, n_fast = run()
    monkeypatch.setattr(semantics, "_carry_period", _carry_period_plain)
    plain, n_plain = run()
    assert fast == plain
    assert n_plain > n_fast             # (the case is not vacuous: resolutions were spared)
    assert any(r.get("period_text") for out in fast for r in out)
