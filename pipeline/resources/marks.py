"""The marks that end a text's sentences, halves, clauses and phrases: the one list of them,
``rules/bounds/bounds.yaml``, read here for every tier (the articles' headings and captions,
the Doc's sentences, the targets' and figures' bounds, where a long text is cut in chunks).

``marks()``: the file's marks and the sets built of them; ``chosen(spec)``: the marks a rules
file picks by kind, e.g. ``{marks: [sentence_end, half_end, clause_end], minus: "：:"}``.
"""
from __future__ import annotations

import functools
import re

from baozhi.resources import ruleset

RULES = "bounds/bounds.yaml"
KINDS = ("sentence_end", "half_end", "clause_end", "phrase_end")


def any_of(chars: str | frozenset) -> re.Pattern:
    """A pattern matching any one of ``chars`` (nothing when there are none), compiled with the
    standard ``re``: a class of plain characters reads alike in both engines, and ``re`` finds
    its matches in a text (a page's marks, ``Bounds``) nearly twice as fast as ``regex``."""
    return re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]" if chars else "(?!)")


@functools.cache
def marks() -> dict:
    """The rules file's marks as strings (``sentence_end``, ``half_end``, ``clause_end``,
    ``phrase_end``); the sets that end a ``sentence`` (a half too: the targets' sentence), a
    ``figure_sentence`` (not at a half), a ``clause`` and a ``phrase`` (each with the marks
    of the larger units, so each set holds the smaller ones); and a pattern for each set
    (``sentence_re`` …: ``any_of``'s, the standard library's, which ``bounds.Bounds`` scans
    the text with)."""
    raw = ruleset.load(RULES)
    out = {k: str(raw[k]) for k in KINDS}
    sets = {"figure_sentence": frozenset(out["sentence_end"])}
    sets["sentence"] = sets["figure_sentence"] | frozenset(out["half_end"])
    sets["clause"] = sets["sentence"] | frozenset(out["clause_end"])
    sets["phrase"] = sets["clause"] | frozenset(out["phrase_end"])
    return {**out, **sets, **{f"{k}_re": any_of(v) for k, v in sets.items()}}


def chosen(spec: dict) -> frozenset[str]:
    """The characters a rules file names by the kinds of ``bounds.yaml``: every mark of the
    kinds in ``spec["marks"]``, with the characters of ``plus`` and without those of
    ``minus`` (say why in the file)."""
    bad = [k for k in spec.get("marks") or () if k not in KINDS]
    if bad or not spec.get("marks"):
        raise ruleset.RulesError(f"marks: {bad or 'none'} (the kinds of {RULES}: {', '.join(KINDS)})")
    m = marks()
    out = frozenset("".join(m[k] for k in spec["marks"]))
    return (out | frozenset(spec.get("plus") or "")) - frozenset(spec.get("minus") or "")
