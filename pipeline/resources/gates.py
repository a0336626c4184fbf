"""What a text must hold for a pattern to match in it: a gate before a slow scan.

``needs(pattern)`` reads a compiled pattern (``re`` or ``regex``) and gives clauses of literal
strings: every text the pattern matches in holds, for each clause, one of its strings (an
assertion's text too: a lookbehind's string stands before the match, in the text). ``holds(text,
clauses)`` is that test, a few ``in`` scans of the text: where it fails, ``pattern.finditer(text)``
finds nothing and need not run. A pattern that stdlib ``re`` cannot parse, ignores case, or
holds nothing certain (``[A-Z]?\\d+``) gives no clause, and every text passes.

The pattern is read by the standard library's own parser (``re._parser``; ``sre_parse``
before Python 3.11): only plain literals, small character sets without negation, groups,
alternatives and repeats of at least one count; anything else requires nothing.
``tests/test_entity_fast_paths.py`` matches the gated scans against the plain ones.
"""
from __future__ import annotations

import re
import warnings

try:   # the standard library's pattern parser (Python 3.11+), else its older name
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

_REGEX_V1 = 0x100    # ``regex.V1``'s flag bit (this module does not import regex)
MAX_SET = 16   # a character set or an alternation of more strings than this requires nothing


def needs(pattern) -> tuple[tuple[str, ...], ...]:
    """The clauses of ``pattern`` (a compiled pattern or its source): each a tuple of
    strings, one of which every text the pattern matches in holds."""
    source = getattr(pattern, "pattern", pattern)
    flags = getattr(pattern, "flags", 0)
    if not isinstance(source, str) or flags & (re.IGNORECASE | _REGEX_V1) or "[:" in source \
            or "(?V1" in source:
        # (``regex``'s version 1 sets, [a-z--aeiou], and POSIX classes, [[:alpha:]], are no
        # sets of those characters to stdlib re)
        return ()
    try:
        with warnings.catch_warnings():   # (re's FutureWarnings on a set like [a--b])
            warnings.simplefilter("ignore")
            parsed = _p.parse(source, flags & (re.VERBOSE | re.DOTALL | re.MULTILINE))
    except Exception:  # noqa: BLE001 - a pattern of ``regex`` that ``re`` cannot read
        return ()
    if parsed.state.flags & re.IGNORECASE:
        return ()
    # the clauses of fewest strings first: ``holds`` stops at the first that fails, and a
    # clause of one string costs one scan of the text
    return tuple(sorted(dict.fromkeys(_seq(list(parsed))), key=lambda c: (len(c), -min(map(len, c)))))


def holds(text: str, clauses: tuple[tuple[str, ...], ...]) -> bool:
    """``text`` holds one string of every clause (no clauses: True)."""
    for clause in clauses:
        for s in clause:
            if s in text:
                break
        else:
            return False
    return True


def _seq(items: list) -> list[tuple[str, ...]]:
    """The clauses of a sequence: each run of plain literals, and each item's."""
    out: list[tuple[str, ...]] = []
    run: list[str] = []
    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            out.append(("".join(run),))
            run = []
        out.extend(_item(op, av))
    if run:
        out.append(("".join(run),))
    return out


def _item(op, av) -> list[tuple[str, ...]]:
    if op is _c.IN:
        chars = _chars(av)
        return [chars] if chars else []
    if op is _c.SUBPATTERN:
        _, add_flags, _, sub = av
        return [] if add_flags & re.IGNORECASE else _seq(list(sub))
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) or op is getattr(_c, "POSSESSIVE_REPEAT", None):
        least, _, sub = av
        return _seq(list(sub)) if least >= 1 else []
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _seq(list(av))
    if op is _c.ASSERT:   # a lookahead or lookbehind: its text stands in the text
        return _seq(list(av[1]))
    if op is _c.BRANCH:
        alts = [_seq(list(sub)) for sub in av[1]]
        if not all(alts):
            return []
        # a clause of every alternative, and one string of each alternative's best clause
        out = [c for c in alts[0] if all(c in clauses for clauses in alts[1:])]
        union = tuple(dict.fromkeys(s for clauses in alts for s in _best(clauses)))
        return out + [union] if len(union) <= MAX_SET else out
    return []


def _best(clauses: list[tuple[str, ...]]) -> tuple[str, ...]:
    """The clause of an alternative that says most: longest shortest string, then fewest."""
    return max(clauses, key=lambda c: (min(map(len, c)), -len(c)))


def _chars(av) -> tuple[str, ...]:
    """The characters of a set of plain characters and small ranges, or () (negated, a
    category, too many)."""
    out: list[str] = []
    for op, x in av:
        if op is _c.LITERAL:
            out.append(chr(x))
        elif op is _c.RANGE and x[1] - x[0] < MAX_SET:
            out.extend(map(chr, range(x[0], x[1] + 1)))
        else:
            return ()
    out = list(dict.fromkeys(out))
    return tuple(out) if 0 < len(out) <= MAX_SET else ()
