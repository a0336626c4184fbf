"""The fast paths kept equal to the plain forms they stand for, on random inputs (fixed seeds):
a prefix trie of words (with look-aheads after each word) matches where the alternation of the
words longest first matches, with the same spans, under ``regex`` and ``re``; ``script.convert``
(a set's test or NumPy's below / from ``_LONG`` characters, ``str.replace`` for at most ``_FEW``
distinct characters) gives what ``str.translate`` gives, characters outside the BMP and lone
surrogates included; ``numerals.scan`` reads a one-character run as its cuts would."""
from __future__ import annotations

import random
import re

import pytest
import regex

from baozhi.resources import numerals, regexcache, script

ALPHABET = "abc分钟万元"
GUARDS = ["", "(?!a)", "(?![bc])", "(?!分钟)", "(?=c)", "(?![A-Za-z])(?!万)"]


def _longest_first(guards: dict[str, str]) -> str:
    return "|".join(regex.escape(w) + guards[w] for w in sorted(guards, key=len, reverse=True))


def _spans(pat, text: str) -> tuple[list, list]:
    """Every match (finditer) and the match at each position (match, as the units are read)."""
    return ([m.span() for m in pat.finditer(text)],
            [(m.span() if (m := pat.match(text, i)) else None) for i in range(len(text) + 1)])


@pytest.mark.parametrize("engine", [regex, re])
def test_guarded_trie_matches_the_longest_first_alternation(engine):
    rng = random.Random(1998)
    for _ in range(400):
        words = {"".join(rng.choices(ALPHABET, k=rng.randint(1, 4))) for _ in range(rng.randint(1, 12))}
        guards = {w: rng.choice(GUARDS) for w in words}
        trie = engine.compile(regexcache.guarded_trie(guards))
        alt = engine.compile(_longest_first(guards))
        plain = engine.compile(regexcache.trie_pattern(words))
        alt_plain = engine.compile(_longest_first(dict.fromkeys(words, "")))
        for _ in range(5):
            text = "".join(rng.choices(ALPHABET + "x", k=rng.randint(0, 30)))
            assert _spans(trie, text) == _spans(alt, text), (guards, text)
            assert _spans(plain, text) == _spans(alt_plain, text), (words, text)


def test_a_trie_of_no_words_is_the_empty_alternation():
    assert regexcache.trie_pattern([]) == regexcache.guarded_trie({}) == "(?:)"


POOL = ("兩個億萬門東車們說時間", "两个亿万门东车们说时间", "abc12３４５，。 \n", "𠀀𡃁😀\U0002a6a5", "\ud800\udfff")


@pytest.mark.parametrize("keep,extra", [
    ("", ()),
    ("兩億", ()),
    ("", tuple((ord(a), ord(b)) for a, b in zip("０１２３４５６７８９", "0123456789"))),
    ("", ((ord("a"), ord("b")), (ord("b"), ord("c")))),    # a replacement itself replaced
    ("", ((ord("😀"), ord("x")), (ord("x"), ord("𠀀")))),
])
def test_convert_is_translate(keep, extra):
    rng = random.Random(200)
    table = script.translation(keep, extra)
    changed = [chr(k) for k in table]
    for n in (0, 1, 7, script._LONG - 2, script._LONG - 1, script._LONG, script._LONG + 1, 500):
        for few in (0, 1, script._FEW - 1, script._FEW, script._FEW + 1, 40):
            chars = "".join(POOL) + "".join(rng.sample(changed, min(few, len(changed))))
            text = "".join(rng.choices(chars, k=n))
            assert script.convert(text, keep, extra) == text.translate(table), (n, few, text)


def _scan_every_run_by_cuts(text: str) -> list:
    """numerals.scan without its one-character path: every run read by its cuts."""
    out = []
    for m in numerals._run_re().finditer(text):
        s, e = m.start(), m.end()
        pm = numerals.part_of_re().match(text, s, e)
        if pm:
            s = pm.end()
        while s < e:
            cuts = numerals._cuts(text, s, e)
            if cuts[-1] != e:
                cuts.append(e)
            best = next(((cut, n) for cut in reversed(cuts)
                         if (n := numerals.parse_number(text[s:cut])) is not None), None)
            if best is None:
                s = cuts[0] if cuts else e
                continue
            cut, num = best
            num.start, num.end, num.text = s, cut, text[s:cut]
            out.append(num)
            s = cut
    return out


def test_scan_reads_a_one_character_run_as_its_cuts_would():
    nc = numerals.chars()
    pool = (nc.cjk_digits + nc.small_units + "".join(sorted(nc.arabic)) + nc.minus + nc.part_of
            + nc.fraction + "万亿点.．%个年月日的了在 ，。\n𠀀")
    rng = random.Random(12)
    for _ in range(300):
        text = "".join(rng.choices(pool, k=rng.randint(1, 40)))
        assert numerals.scan(text) == _scan_every_run_by_cuts(text), text
