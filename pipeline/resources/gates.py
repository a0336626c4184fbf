"""What a text must hold for a pattern to match in it: a gate before a slow scan.

``needs(pattern)`` reads a compiled pattern (``re`` or ``regex``) and gives clauses of literal
strings: every text the pattern matches in holds, for each clause, one of its strings (an
assertion's text too: a lookbehind's string stands before the match, in the text): a whole
text's gate (``needs_chars``: sets of characters every match *consumes*, a range's gate, which
the figures' semantics use). ``holds(text, clauses)`` is that test, a few ``in`` scans of the text: where it fails, ``pattern.finditer(text)``
finds nothing and need not run. A pattern that stdlib ``re`` cannot parse, that re would
misread (``refused``: case ignored, ``regex``'s inline flags, version 1 sets, POSIX classes,
fuzzy matches), or that holds nothing certain (``[A-Z]?\\d+``) gives no clause, and every text
passes.

The pattern is read by the standard library's own parser (``re._parser``; ``sre_parse``
before Python 3.11): only plain literals, small character sets without negation, groups,
alternatives (a clause each alternative implies, and one of each's best) and repeats of at
least one count; anything else requires nothing. ``regex``'s own ``\\p{..}``, ``\\K``, ``\\G`` and
a group name used twice are first put in terms re reads as asking no more (``_for_re``).
``one_of(clauses)`` is one set of characters the clauses imply (the dates' ``needs``),
``implied(chars, clauses)`` whether they imply a given one (a ``needs:`` of the rules).
``tests/test_entity_fast_paths.py`` matches the gated scans against the plain ones,
``tests/test_semantics_gates.py`` the ranges' gates and the patterns refused.
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
_REGEX_FULLCASE = 0x4000    # ``regex.FULLCASE``'s
MAX_SET = 16   # a character set or an alternation of more strings than this requires nothing


# an inline flag group, (?i) (?i:…) (?-i:…) (?V1) (?r) …: only re's m s u x read alike
_INLINE = re.compile(r"\(\?([A-Za-z-]+)")
_ESCAPED_BRACES = re.compile(r"\\[pPNX]\{[^}]*\}")   # \p{Han}, \N{…}: no repeat
_FUZZY = re.compile(r"\{[^}]*[A-Za-z]")                # (a repeat holds digits and a comma only)


def refused(source, flags: int = 0) -> bool:
    """True where stdlib re's parse of ``source`` may not tell what ``regex`` matches with it,
    so no gate may be read off it: case ignored (the flag or inline), ``regex``'s other inline
    flags (V1, reverse, full case, …), version 1 sets ([a-z--aeiou]), POSIX classes
    ([[:alpha:]]) and fuzzy constraints ({e<=1}), which re reads as plain characters."""
    if not isinstance(source, str) or flags & (re.IGNORECASE | _REGEX_V1 | _REGEX_FULLCASE):
        return True
    if "[:" in source or _FUZZY.search(_ESCAPED_BRACES.sub("", source)):
        return True
    return any(m.group(1) != "P" and set(m.group(1)) - set("msux-")
               for m in _INLINE.finditer(source))


def _parse(source: str, flags: int = 0):
    """re's parse of ``source`` (None where it cannot read it)."""
    try:
        with warnings.catch_warnings():   # (re's FutureWarnings on a set like [a--b])
            warnings.simplefilter("ignore")
            return _p.parse(source, flags & (re.VERBOSE | re.DOTALL | re.MULTILINE))
    except Exception:  # noqa: BLE001 - a pattern of ``regex`` that ``re`` cannot read
        return None


def _for_re(pattern: str) -> str:
    """``pattern`` with ``regex``'s own syntax that re cannot parse put in words re reads as
    requiring no more: a property (``\\p{Han}``, ``\\p{P}``, ``\\pL``, negated too) as any character
    (in a class: a category, so the class asks for nothing), ``\\K`` and ``\\G`` left out (the
    text before a ``\\K`` is in the text all the same), and a group name used again (regex
    allows it) as a plain group. Anything else re cannot read stays, and gives no clause."""
    src, inside, i, names = [], False, 0, set()
    n = len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            nxt = pattern[i + 1:i + 2]
            if nxt in ("p", "P"):
                j = pattern.find("}", i) + 1 if pattern.startswith("{", i + 2) else i + 3
                src.append("\\w\\W" if inside else "[\\w\\W]")
                i = j if j > i else n
                continue
            if nxt in ("K", "G") and not inside:
                i += 2
                continue
            src.append(pattern[i:i + 2])
            i += 2
            continue
        if inside:
            if ch == "]":
                inside = False
            src.append(ch)
            i += 1
            continue
        if ch == "[":
            inside = True
            src.append(ch)
            i += 1
            if pattern.startswith("^", i):
                src.append("^")
                i += 1
            if pattern.startswith("]", i):      # (a ] first in a class is the character)
                src.append("\\]")
                i += 1
            continue
        if pattern.startswith("(?P<", i):
            j = pattern.find(">", i)
            name = pattern[i + 4:j]
            if j > 0 and name in names:
                src.append("(?:")
                i = j + 1
                continue
            names.add(name)
        src.append(ch)
        i += 1
    return "".join(src)


def _readable(pattern):
    """The parse of ``pattern`` (a compiled pattern or its source) that ``needs`` and
    ``needs_chars`` read, regex's own syntax put in re's words (``_for_re``); None where a
    reading could mislead (``refused``, case ignored) or re cannot parse it."""
    source = getattr(pattern, "pattern", pattern)
    flags = getattr(pattern, "flags", 0)
    if refused(source, flags):
        return None
    parsed = _parse(_for_re(source), flags)
    if parsed is None or parsed.state.flags & re.IGNORECASE:
        return None
    return parsed


def needs(pattern) -> tuple[tuple[str, ...], ...]:
    """The clauses of ``pattern`` (a compiled pattern or its source): each a tuple of
    strings, one of which every text the pattern matches in holds."""
    parsed = _readable(pattern)
    if parsed is None:
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
        # a clause every alternative implies (has a clause each string of which holds one of
        # its strings: 本月 | 上个?月 | 下个?月 needs 月), and one string of each alternative's
        # best clause
        out = [c for c in dict.fromkeys(c for clauses in alts for c in clauses)
               if all(any(_implies(d, c) for d in clauses) for clauses in alts)]
        union = tuple(dict.fromkeys(s for clauses in alts for s in _best(clauses)))
        return out + [union] if len(union) <= MAX_SET else out
    return []


def _implies(d: tuple[str, ...], c: tuple[str, ...]) -> bool:
    """Every text holding one string of clause ``d`` holds one of clause ``c``."""
    return all(any(s in t for s in c) for t in d)


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


# --------------------------------------------------------------------------- consumed characters

def needs_chars(pattern, max_set: int = 64, most: int = 2) -> tuple[frozenset, ...]:
    """Sets of characters (at most ``most``, the smallest first), each of which every match
    of ``pattern`` (a compiled pattern or its source) *consumes* one of: so where one is
    absent from ``text[a:b]``, ``pattern`` matches nothing inside [a, b) (what a lookaround
    reads may lie outside: it requires nothing here). ``regex``'s own syntax reads as for
    ``needs`` (``_for_re``: a property as any character, ``\\K`` and ``\\G`` as nothing; what
    comes before a ``\\K`` is consumed inside [a, b) all the same); a class of more than
    ``max_set`` characters, a negated one or a category names no set; ``refused`` patterns
    give ()."""
    parsed = _readable(pattern)
    if parsed is None:
        return ()
    sets = sorted({s for s in _consumed(list(parsed), max_set) if s}, key=lambda s: (len(s), sorted(s)))
    return tuple(sets[:most])


def _consumed(items, max_set: int) -> list[frozenset]:
    """Sets of characters each of which every match of the parsed sequence ``items``
    consumes one of; [] where none can be told."""
    out = []
    for op, av in items:
        got = None
        if op is _c.LITERAL:
            got = [frozenset(chr(av))]
        elif op is _c.IN:
            chars = set()
            for iop, iav in av:
                if iop is _c.LITERAL:
                    chars.add(chr(iav))
                elif iop is _c.RANGE and iav[1] - iav[0] < max_set:
                    chars.update(map(chr, range(iav[0], iav[1] + 1)))
                else:               # (a negated class, a category, a wide range: any)
                    chars = None
                    break
            got = [frozenset(chars)] if chars else None
        elif op is _c.SUBPATTERN:
            got = [] if av[1] & re.IGNORECASE else _consumed(av[3], max_set)
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            got = _consumed(av, max_set)
        elif (op in (_c.MAX_REPEAT, _c.MIN_REPEAT) or op is getattr(_c, "POSSESSIVE_REPEAT", None)) \
                and av[0] >= 1:
            got = _consumed(av[2], max_set)
        elif op is _c.BRANCH:        # one set of each alternative, joined
            alts = [_consumed(alt, max_set) for alt in av[1]]
            if all(alts):
                got = [frozenset().union(*(min(a, key=len) for a in alts))]
        # (lookarounds, anchors, any character, optional parts: nothing consumed for sure)
        out += got or []
    return out


# --------------------------------------------------------------------------- one set of characters

def one_of(clauses: tuple[tuple[str, ...], ...], max_set: int = MAX_SET) -> str:
    """Characters one of which every text that holds ``clauses`` (``needs``) holds, as few as
    can be had: of each clause, characters such that every string of it holds one (a string's
    later character taken first, as a word's unit or suffix: 星期|礼拜|周 → 期拜周), and of
    these the fewest (the first clause of as few); "" where none has at most ``max_set``."""
    best = ""
    for clause in clauses:
        chars = _hitting(clause)
        if len(chars) <= max_set and (not best or len(chars) < len(best)):
            best = chars
    return best


def _hitting(clause: tuple[str, ...]) -> str:
    """A few characters such that each string of ``clause`` holds one (greedy: the character in
    most strings first; of as many, the one latest in a string)."""
    left = [s for s in dict.fromkeys(clause) if s]
    got: list[str] = []
    while left:
        score: dict[str, tuple[int, int]] = {}
        for s in left:
            for k, ch in enumerate(dict.fromkeys(s)):
                n, pos = score.get(ch, (0, 0))
                score[ch] = (n + 1, max(pos, s.rindex(ch)))
        ch = max(score, key=lambda c: score[c])
        got.append(ch)
        left = [s for s in left if ch not in s]
    return "".join(got)


def implied(chars: str, clauses: tuple[tuple[str, ...], ...]) -> bool:
    """Whether every text that holds ``clauses`` holds one of ``chars`` (some clause each
    string of which holds one of them)."""
    return any(_implies(c, tuple(chars)) for c in clauses)
