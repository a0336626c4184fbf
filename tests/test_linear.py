"""The indexes that replaced all-pairs loops answer as the loops did (long texts stay linear)."""
from __future__ import annotations

import random

from conftest import corpus_page
from baozhi.layers.entities import entities
from baozhi.layers.targets.targets import _Figures
from baozhi.resources.numerals import Cover, inside
from baozhi.stages.repair import repair


def random_spans(rng, n, size=300):
    out = []
    for _ in range(n):
        a = rng.randrange(size)
        out.append((a, a + rng.randrange(1, 30)))
    return out


def test_cover_answers_as_the_scan():
    rng = random.Random(12)
    for _ in range(200):
        spans = random_spans(rng, rng.randrange(0, 40))
        cover = Cover(spans)
        for _ in range(50):
            s = rng.randrange(320)
            e = s + rng.randrange(0, 20)
            assert inside(cover, s, e) == inside(spans, s, e)


def _looks_up_as_the_scan(cover, spans, a, b):
    """``cover``'s spans starting in [a, b) and overlapping it: those a scan of ``spans`` finds."""
    assert cover.starting_in(a, b) == [j for j, (s, _) in enumerate(spans) if a <= s < b]
    assert cover.overlapping(a, b) == [j for j, (s, e) in enumerate(spans) if s < b and e > a]


def test_cover_finds_the_spans_starting_in_or_overlapping_a_stretch_as_the_scan():
    rng = random.Random(13)
    for _ in range(200):
        spans = random_spans(rng, rng.randrange(0, 40))
        cover = Cover(spans)
        for _ in range(50):
            a = rng.randrange(320)
            b = a + rng.randrange(0, 40)
            _looks_up_as_the_scan(cover, spans, a, b)


def test_cover_of_spans_given_by_start_answers_as_the_scan():
    """Spans given in order (by start, then end: a layer's records mostly are; ``Cover.in_order``:
    its look-ups give their slices unsorted) answer as the scan, ties and nested spans included."""
    rng = random.Random(14)
    seen = 0
    for _ in range(200):
        spans = sorted(random_spans(rng, rng.randrange(2, 40), size=120))
        cover = Cover(spans)
        assert cover.in_order
        seen += len(spans)
        for _ in range(50):
            a = rng.randrange(140)
            b = a + rng.randrange(0, 40)
            _looks_up_as_the_scan(cover, spans, a, b)
            assert inside(cover, a, b) == inside(spans, a, b)
    assert seen > 1000 and not Cover([(3, 4), (1, 2)]).in_order


def test_figures_within_a_span_as_the_scan():
    rng = random.Random(12)
    for _ in range(200):
        figures = [{"start": a, "end": b} for a, b in random_spans(rng, rng.randrange(0, 40))]
        figures.append({"start": None, "end": 3})          # a record without offsets is skipped
        index = _Figures(figures)
        for _ in range(50):
            s = rng.randrange(320)
            e = s + rng.randrange(0, 60)
            want = [i for i, f in enumerate(figures) if isinstance(f["start"], int)
                    and s <= f["start"] and f["end"] <= e]
            assert index.within(s, e) == want


def test_occurrences_as_find_from_the_last_end():
    """Each name's places in a real page, left to right, not overlapping: str.find's."""
    text = repair(corpus_page("000").read_text(encoding="utf-8")).text
    text += "太原太原太原市" * 3
    surfaces = ["太原", "太原市", "山西", "记者", "原太", "不在这里的名字"]
    got = entities._occurrences(text, surfaces)
    assert list(got) == sorted(surfaces, key=len, reverse=True)
    for w in surfaces:
        want, at = [], text.find(w)
        while at >= 0:
            want.append(at)
            at = text.find(w, at + len(w))
        assert got[w] == want
    assert got["太原"] and not got["不在这里的名字"]


def test_long_sentence_cuts_keep_spans_whole():
    """A sentence longer than the cap is cut into pieces of at most the cap, never inside a
    figure, date or name; a text whose sentences fit is not cut."""
    from baozhi.layers.bounds import _cuts

    rng = random.Random(9)
    for _ in range(300):
        n = rng.randrange(1, 400)
        sent = sorted(rng.sample(range(n), rng.randrange(0, min(n, 6))))
        keep = [(a, min(n, b)) for a, b in random_spans(rng, rng.randrange(0, 30), n)]
        cap = rng.randrange(20, 120)
        cuts = _cuts(sent, n, cap, keep)
        assert not set(cuts) & set(sent)
        for c in cuts:
            assert not any(a < c + 1 < b for a, b in keep)
        ends = sorted(sent + cuts)
        pieces = zip([0] + [i + 1 for i in ends], [i + 1 for i in ends] + [n])
        for a, b in pieces:     # longer only where a span longer than the cap forces it
            assert b - a <= cap or any(x < a + cap < y for x, y in keep)
        starts = [0] + [i + 1 for i in sent] + [n]
        if max(b - a for a, b in zip(starts, starts[1:])) <= cap:
            assert cuts == []


def test_sentence_cap_changes_nothing_on_a_page_with_punctuation(monkeypatch):
    """The cap on a sentence's length (semantics.yaml sentence_max_chars) only acts on a text with
    no sentence end: a real page's figures read the same with it as with none."""
    from baozhi.layers.figures import semantics
    from baozhi.run.chunked import layer_records

    text = repair(corpus_page("001").read_text(encoding="utf-8")).text
    with_cap = layer_records(text)
    monkeypatch.setitem(semantics._cfg(), "sentence_max_chars", 0)
    assert layer_records(text) == with_cap
    assert any(r.get("metric") for r in with_cap["figures"])


def _numeral_work(monkeypatch, text: str) -> int:
    """How many readings (parse_number calls) find_figures makes of ``text``'s runs: the work
    counted, not the wall time (a loaded machine's clock says nothing)."""
    from baozhi.layers.figures.figures import find_figures
    from baozhi.resources import numerals

    calls = [0]
    parse = numerals.parse_number

    def counted(s):
        calls[0] += 1
        return parse(s)

    numerals._run_memo.cache_clear()           # (a run met before would be read from the memo)
    monkeypatch.setattr(numerals, "parse_number", counted)
    find_figures(text)
    monkeypatch.setattr(numerals, "parse_number", parse)
    return calls[0]


def test_a_long_run_of_numeral_characters_is_read_in_linear_time(monkeypatch):
    """A run of 数 or 几 (a garbled line: every character a token, none a numeral alone) is read
    with work linear in its length: ten times the run, about ten times the readings (each start
    tried every end of the rest of the run, ~100 times, before numerals.yaml max_numeral_tokens);
    a page's numerals read as before (the cap is far above the longest numeral)."""
    from baozhi.resources import numerals

    for ch in "数几":
        short = _numeral_work(monkeypatch, "有" + ch * 2000 + "人")
        long = _numeral_work(monkeypatch, "有" + ch * 20000 + "人")
        assert 0 < short and long <= 12 * short, (ch, short, long)
    text = repair(corpus_page("001").read_text(encoding="utf-8")).text
    with_cap = [(n.start, n.end, n.value) for n in numerals.scan(text)]
    monkeypatch.setitem(numerals.cfg(), "max_numeral_tokens", 10 ** 9)
    numerals._run_memo.cache_clear()
    assert [(n.start, n.end, n.value) for n in numerals.scan(text)] == with_cap
    numerals._run_memo.cache_clear()
