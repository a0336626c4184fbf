"""Units of measure and money: the surfaces of ``rules/figures/units.tsv`` (traditional
spellings added) and one pattern for all of them. A resource shared by the numeral scanner
(a unit after 两/半 makes it a number) and the figures layer."""
from __future__ import annotations

import functools

import regex

from baozhi.resources import regexcache, ruleset

# the kinds of figure the contract allows (../shared/contract.md); a unit is of one of them
KINDS = ("money", "percent", "quantity", "count", "magnitude")


@functools.cache
def _cfg() -> dict:
    return ruleset.load("figures/figures.yaml")


@functools.cache
def unit_table() -> list[dict]:
    """Rows of ``rules/figures/units.tsv``: surface, kind, unit, factor; and a count of times X次
    (人次, 册次, 架次) for each counting unit X of figures.yaml `times_counts.from` the table has."""
    rows = list(ruleset.load("figures/units.tsv"))
    tc = _cfg()["times_counts"]
    have = {r["surface"] for r in rows}
    allowed = set(tc["from"]) - set(context_units())
    for r in list(rows):
        w = r["surface"]
        if (r["kind"] == "count" and len(w) == 1 and r["unit"] == w and w in allowed
                and w + tc["suffix"] not in have):
            rows.append({**r, "surface": w + tc["suffix"], "unit": w + tc["suffix"]})
            have.add(w + tc["suffix"])
    return rows


@functools.cache
def units() -> tuple[dict, regex.Pattern]:
    """Surface -> row (traditional spellings added), and one pattern for all surfaces."""
    trad = {v: k for k, v in _cfg()["traditional"].items()}     # simplified -> traditional
    table = {}
    for row in unit_table():
        table[row["surface"]] = row
        alt = "".join(trad.get(ch, ch) for ch in row["surface"])
        table.setdefault(alt, row)
    # units read only in a context (figures.yaml `unit_contexts`: 分, 胜, 金 …) are in the table,
    # not in the pattern: the figures layer matches them where their context holds
    contextual = set(context_units())
    named = [w for w, g in _cfg()["unit_guards"].items()
             if w not in contextual and ("{n}" in g or "{d}" in g)]
    if named:
        raise ValueError(f"figures.yaml unit_guards: {{n}}/{{d}} only for units read in context: {named}")
    guards = {w: unit_guard(w, table[w]["kind"]) for w in table if table[w]["surface"] not in contextual}
    return table, regexcache.compile(regexcache.guarded_trie(guards))


@functools.cache
def context_units() -> dict[str, dict]:
    """figures.yaml `unit_contexts` by unit surface: an entry with `units` (胜 负 平 和, 金 银 铜)
    gives its patterns to each of them, any other entry to the unit its key names."""
    return {w: spec for key, spec in _cfg()["unit_contexts"].items() for w in spec.get("units") or [key]}


def unit_guard(w: str, kind: str, fill=None) -> str:
    """The look-aheads that must hold after the unit surface ``w`` (figures.yaml `unit_guards`,
    `count_guard`; the word of ``regexcache.guarded_trie``); ``fill`` makes a guard's `{n}` and
    `{d}` numeral classes (the figures layer's: only the guards of units read in context may
    name them, units() checks)."""
    guards = _cfg()["unit_guards"]
    a = ""
    if w[-1].isascii() and w[-1].isalpha():
        a += "(?![A-Za-z])"       # 5G is no unit; 660MW is
    if w in guards:
        a += f"(?!{fill(guards[w]) if fill else guards[w]})"
    if kind == "count":
        a += f"(?!{_cfg()['count_guard']})"
        tc = _cfg()["times_counts"]
        if len(w) == 2 and w.endswith(tc["suffix"]):
            a += f"(?!{tc['not_before']})"     # 两个次中心: 次 begins a word (times_counts)
    return a


def unit_surfaces() -> list[str]:
    """Every unit spelling, traditional forms included."""
    return list(units()[0])
