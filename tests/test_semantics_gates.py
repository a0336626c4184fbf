"""The figures' semantics rules fail fast (issue 14): a rule that needs a match of one of the
rules file's patterns first asks ``semantics._may_match`` whether that pattern can match in a
range that holds the one it reads — no, where a character every match consumes
(``semantics._needs``, read off the pattern's parse) is absent from it. The gates must never
change a record: every match of every pattern holds the characters its gate asks for (on
random texts of the pattern's own characters and on real pages), and ``describe`` gives the
same records with every gate open (``_may_match`` always True) as with them."""
from __future__ import annotations

import copy
import gc
import os
import random

import pytest
import regex

from baozhi.layers.figures import semantics
from bench_describe_ab import capture     # (scripts/: the inputs of describe's calls)
from conftest import CORPUS


def _patterns() -> dict[str, regex.Pattern]:
    cfg = semantics._cfg()
    out = {k: v for k, v in cfg.items() if isinstance(v, regex.Pattern)}
    out.update({f"{k}[{i}]": p for k, v in cfg.items() if isinstance(v, list)
                for i, p in enumerate(v) if isinstance(p, regex.Pattern)})
    return out


def _literals(pattern: str) -> str:
    """The characters a pattern names (its literal Han and punctuation), for random texts."""
    return "".join(sorted({c for c in pattern if not c.isascii() or c in ",:;!?()-"}))


def _holds_needs(p: regex.Pattern, text: str, a: int, b: int) -> bool:
    return all(need.search(text, a, b) for _, need in semantics._needs(p.pattern))


def test_gates_are_read_off_the_patterns():
    pats = _patterns()
    assert semantics._needs(pats["deontic_cues"].pattern)       # (a word list: a gate)
    assert [(set(s), n.pattern) for s, n in semantics._needs("(?:必须|须)")] == [({"必", "须"}, "[必须]")]
    assert semantics._needs("a?b*") == ()                       # (nothing consumed for sure)
    assert semantics._needs(r"\p{Han}{1,3}的") and semantics._needs(r"[^\p{Han}]x")
    assert [n.pattern for _, n in semantics._needs(r"[\p{Han}A-Z]{2}:")] == ["[:]"]


# patterns whose parse by stdlib re would name characters a match of regex need not hold:
# (source, a text regex finds a match in that lacks one of those characters)
MISLEADING = [
    ("(?i)abc", "xABCx"),                   # case ignored, inline
    ("(?i:ab)c", "ABc"),                    # in a group
    ("a(?i)bc", "aBC"),                     # (regex: a flag set mid-pattern, for all of it)
    ("[[:digit:]]年", "5年"),               # a POSIX class: re reads [ : d i g t
    ("(?:计划){e<=1}", "计较"),              # a fuzzy match: re reads {e<=1} as characters
    ("(?:计划){1<=e<=2}x", "计较x"),
    ("(?V1)[[a-z]--[b]]c", "ac"),           # a version 1 set: re reads [ a-z - [ b ] ]
    ("(?fi)ß", "SS"),                       # full case folding
]


@pytest.mark.parametrize("source, text", MISLEADING)
def test_no_gate_is_read_off_a_pattern_re_would_misread(source, text):
    """``gates.needs`` and ``gates.needs_chars`` (so ``semantics._needs``) refuse a pattern
    whose re parse would mislead — case ignored, regex's inline flags, POSIX classes, version 1
    sets, fuzzy matches — where the naive reading of its parse would drop the match."""
    from baozhi.resources import gates

    assert regex.search(source, text)
    # (the reading refused, flags unseen, would be wrong on this text)
    plain = regex.sub(r"\(\?[A-Za-z0-9-]+\)", "", regex.sub(r"\(\?[A-Za-z-]+:", "(?:", source))
    naive = gates._parse(gates._for_re(plain))
    assert naive is not None and any(not (s & set(text)) for s in gates._consumed(list(naive), 64)), source
    assert gates.refused(source)
    assert gates.needs(source) == () and gates.needs_chars(source) == ()
    assert semantics._needs(source) == () and semantics._needs(regex.compile(source)) == ()
    assert gates.needs(regex.compile("abc", regex.IGNORECASE)) == ()
    assert gates.needs_chars(regex.compile("abc", regex.IGNORECASE)) == ()


def test_the_consumed_characters_leave_out_what_a_lookaround_reads():
    """A lookbehind's text stands before [a, b): ``needs_chars`` asks only for what a match
    consumes (``gates.needs`` asks for the lookaround's text too: a whole text's gate)."""
    from baozhi.resources import gates

    assert gates.needs_chars("(?<=从)天津港") == (frozenset("天"), frozenset("津"))
    assert ("从",) in gates.needs("(?<=从)天津港")
    assert gates.needs_chars(r"\G\p{Han}+的") == (frozenset("的"),)
    assert not gates.refused("(?P<x>a)(?P=x)(?x) b(?s:.)")      # (named groups, m s u x: read alike)


@pytest.mark.parametrize("seed", range(3))
def test_every_match_holds_the_characters_its_gate_asks_for(seed):
    matched = set()
    for name, p in _patterns().items():
        rng = random.Random(f"{seed}:{name}")      # (a pattern's draws whatever the file's order)
        pool = _literals(p.pattern) + "的了在是，。、 年月日1２三"
        for _ in range(400):
            text = "".join(rng.choices(pool, k=rng.randint(0, 30)))
            a = rng.randint(0, len(text))
            b = rng.randint(a, len(text))
            for m in p.finditer(text, a, b):
                assert _holds_needs(p, text, m.start(), m.end()), (name, text, m.span())
                matched.add(name)
            if p.search(text, a, b) is not None:       # (the gate of the range searched)
                assert _holds_needs(p, text, a, b), (name, text, a, b)
    gated = {name for name, p in _patterns().items() if semantics._needs(p.pattern)}
    assert len(matched & gated) >= 0.8 * len(gated)     # (the texts do reach the patterns)


def test_every_match_on_the_corpus_pages_holds_them():
    texts = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt"))]
    for name, p in _patterns().items():
        for text in texts:
            for m in p.finditer(text):
                if m.end() > m.start():
                    assert _holds_needs(p, text, m.start(), m.end()), (name, m.group())


def test_describe_gives_the_same_records_with_every_gate_open(shared, monkeypatch):
    """On pd1998 pages (the first 40; ``BAOZHI_GATE_PAGES=0``: all 262)."""
    inputs = capture(shared / "pd1998" / "pages", int(os.environ.get("BAOZHI_GATE_PAGES", "40")))
    assert sum(len(a[1]) for a in inputs) > 500
    gated = [semantics.describe(*copy.deepcopy(a)[:7], tokens=a[7], words=a[8]) for a in inputs]
    monkeypatch.setattr(semantics, "_may_match", lambda t, pattern, a, b: True)
    opened = [semantics.describe(*copy.deepcopy(a)[:7], tokens=a[7], words=a[8]) for a in inputs]
    assert gated == opened


def test_may_match_is_true_wherever_the_pattern_matches():
    """``_may_match`` on a text's sentences (their characters as a set) and across them (the
    range searched): never False where the pattern finds a match inside [a, b)."""
    rng = random.Random(14)
    cfg = semantics._cfg()
    pats = [p for p in _patterns().values() if semantics._needs(p.pattern)]
    pruned = 0
    for _ in range(300):
        p = rng.choice(pats)
        pool = _literals(p.pattern) + "的了在是，。；、 \n年月日1２三"
        text = "".join(rng.choices(pool, k=rng.randint(0, 60)))
        t = semantics._Text(text, [], [], [], [], None, None, cfg)
        for _ in range(20):
            a = rng.randint(0, len(text))
            b = rng.randint(a, len(text))
            may = semantics._may_match(t, p, a, b)
            assert may or p.search(text, a, b) is None, (p.pattern, text, a, b)
            pruned += not may
    assert pruned > 100


def test_describe_leaves_nothing_for_the_cyclic_collector(monkeypatch):
    """``describe`` breaks the text's one reference cycle (``_Subjects`` <-> ``_Text``) at the
    end, so reference counting frees all a call made: ``gc.collect()`` after the calls of the
    corpus pages finds nothing of them; with the break undone it finds each call's text."""
    inputs = capture(CORPUS, 0)
    assert sum(len(a[1]) for a in inputs) > 50

    def unreachable() -> int:
        was = gc.isenabled()
        gc.collect()
        gc.disable()
        try:
            for a in inputs:
                semantics.describe(*copy.deepcopy(a)[:7], tokens=a[7], words=a[8])
            return gc.collect()
        finally:
            if was:
                gc.enable()

    assert unreachable() == 0

    class Unbroken(semantics._Text):       # (the break undone: subjects = None is ignored)
        def __setattr__(self, name, value):
            if not (name == "subjects" and value is None):
                super().__setattr__(name, value)

    monkeypatch.setattr(semantics, "_Text", Unbroken)
    assert unreachable() >= len(inputs)
