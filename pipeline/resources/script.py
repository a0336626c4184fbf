"""Traditional characters read as Simplified ones, character for character, so that offsets
found on the copy are offsets into the original (前兩個月, 禮拜三, 港幣50億元).

The table is OpenCC's own character table (``TSCharacters.txt`` of the maintained
``opencc-python-reimplemented`` package), never a hand-typed one: each Traditional character
with a one-character Simplified form is replaced by it (the first one OpenCC lists). Phrase
conversions that change a text's length are not used.
"""
from __future__ import annotations

import functools
from pathlib import Path


@functools.cache
def _table() -> dict[int, int]:
    import opencc

    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    # characters Simplified text uses too (著, 乾, 后 …: keys of OpenCC's Simplified-to-Traditional
    # table) stay: they need no reading, and most Simplified pages then need no translation
    simp = {line.split("\t", 1)[0] for line in
            (path.parent / "STCharacters.txt").read_text(encoding="utf-8").splitlines() if line}
    table: dict[int, int] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) != 2:
            continue
        src, dst = parts[0], parts[1].split(" ")[0]
        if len(src) == 1 and len(dst) == 1 and src != dst and src not in simp:
            table[ord(src)] = ord(dst)
    return table


@functools.cache
def translation(keep: str = "", extra: tuple = ()) -> dict[int, int]:
    """The table ``simplified`` translates with: OpenCC's characters except those in ``keep``,
    plus ``extra`` (pairs of code points: a caller's own one-for-one readings, such as
    full-width digits as ASCII ones), so that a caller translates once."""
    table = {k: v for k, v in _table().items() if chr(k) not in keep}
    table.update(dict(extra))
    return table


@functools.cache
def _changed(keep: str = "", extra: tuple = ()) -> frozenset[str]:
    """The characters ``translation(keep, extra)`` changes."""
    return frozenset(chr(k) for k in translation(keep, extra))


@functools.cache
def _changed_mask(keep: str = "", extra: tuple = ()):
    """A NumPy table of every code point: True for those ``translation(keep, extra)`` changes."""
    import numpy as np

    mask = np.zeros(0x110000, dtype=bool)
    mask[list(translation(keep, extra))] = True
    return mask


# texts at least this long are looked up as one NumPy array of code points (~3x faster than a
# set's test of each character, which makes a string object of each)
_LONG = 200


def _present(text: str, keep: str = "", extra: tuple = ()) -> frozenset[str]:
    """The characters of ``text`` that ``translation(keep, extra)`` changes (usually none)."""
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    hits = codes[_changed_mask(keep, extra)[codes]]
    # (a set of the list, not np.unique: no sort; a dates text holds tens of full-width digits)
    return frozenset(map(chr, set(hits.tolist()))) if hits.size else frozenset()


# at most this many distinct characters to change are replaced one by one (``str.replace``
# scans in C); more go through ``str.translate``, which looks every character up in a dict
_FEW = 12


def convert(text: str, keep: str = "", extra: tuple = ()) -> str:
    """``text`` through ``translation(keep, extra)``; the text itself when nothing changes
    (the usual case for a Simplified page: one pass over it, no copy). A text with a few
    characters to change (full-width digits for the dates layer) has each replaced in turn,
    several times faster than ``translate`` and the same text: no replacement is itself one of
    the characters replaced."""
    if len(text) >= _LONG:
        present = _present(text, keep, extra)
    else:
        changed = _changed(keep, extra)
        present = frozenset() if changed.isdisjoint(text) else changed.intersection(text)
    if not present:
        return text
    table = translation(keep, extra)
    if len(present) <= _FEW:
        pairs = [(ch, chr(table[ord(ch)])) for ch in present]
        if present.isdisjoint(new for _, new in pairs):
            for ch, new in pairs:
                text = text.replace(ch, new)
            return text
    return text.translate(table)


def simplified(text: str, keep: str = "") -> str:
    """``text`` with its Traditional characters replaced by Simplified ones, same length;
    characters in ``keep`` stay as they are (a caller's own reading of them, such as the
    financial numeral 參 = 3, which OpenCC would turn into 参)."""
    return convert(text, keep)
