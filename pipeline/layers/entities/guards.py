"""Precision guards over the entity tagger's spans, and padded bylines (``rules/entities/guards.yaml``).

- anonymised people (王某, 李某某) are no names;
- a one-character person must be a surname (版 of 第 02 版 is none);
- a person or organisation that ran into the word after it (王某以, 格力电器董事会) is cut back;
- a span inside page furniture (第 02 版) is no name;
- a byline name padded with spaces (记者 王  伟) is a person, spaces inside.
"""
from __future__ import annotations

import functools
import re
from typing import Sequence

from baozhi.layers.entities.tokens import Tokens
from baozhi.resources import gates, ruleset

Span = tuple[int, int, str, str]


@functools.cache
def config() -> dict:
    cfg = ruleset.load("entities/guards.yaml")
    surnames = ruleset.load("entities/surnames.txt")
    lead = "|".join(re.escape(w) for w in sorted(cfg.get("byline_lead") or (), key=len, reverse=True))
    one = "".join(s for s in surnames if len(s) == 1)
    pad = cfg.get("padding") or "[ ]{1,3}"
    furniture = re.compile("|".join(f"(?:{p})" for p in cfg.get("furniture") or ())) if cfg.get("furniture") else None
    return {
        "anon": tuple(cfg.get("anonymised_endings") or ()),
        "surnames": frozenset(surnames) if cfg.get("one_char_person_needs_surname") else None,
        "trailing": tuple(sorted(cfg.get("trailing_words") or (), key=len, reverse=True)),
        "min_left": int(cfg.get("min_left", 2)),
        "furniture": furniture,
        # what a text holds where furniture may stand (版): the pattern's scan only there
        "furniture_needs": gates.needs(furniture) if furniture is not None else (),
        "place_after": frozenset(cfg.get("place_char_after") or ()),
        "byline": re.compile(rf"(?:{lead})[ \u3000]*([{one}]{pad}\w)(?![\w])") if lead else None,
    }


def guard(text: str, found: Sequence[Span], tokens: Sequence[tuple[int, int]] = ()) -> list[Span]:
    """The tagger's spans (``crf``, ``article``) less anonymised people, lone non-surnames and
    page furniture, with a trailing word cut off, and a person or place that a lone division
    character follows taken with it as a place (郑东新|区 → 郑东新区); other spans as they are."""
    cfg = config()
    place_after, trailing, toks = cfg["place_after"], cfg["trailing"], None
    anon, surnames = cfg["anon"], cfg["surnames"]
    furniture = None      # (a text with no furniture asks no span about it)
    if cfg["furniture"] is not None and gates.holds(text, cfg["furniture_needs"]):
        for m in cfg["furniture"].finditer(text):
            if furniture is None:
                furniture = bytearray(len(text))
            furniture[m.start():m.end()] = b"\1" * (m.end() - m.start())
    out = []
    for s, e, lab, src in found:
        if src not in ("crf", "article"):
            out.append((s, e, lab, src))
            continue
        if lab in ("PER", "ORG") and text.endswith(trailing, s, e):
            for w in trailing:
                if text.endswith(w, s, e) and e - s - len(w) >= cfg["min_left"]:
                    e -= len(w)
                    break
        if lab in ("PER", "LOC") and e - s >= 2 and text[e:e + 1] in place_after:
            # a token of one such character right after it
            toks = Tokens.of(tokens) if toks is None else toks
            if toks.has(e, e + 1):
                e, lab = e + 1, "LOC"
        if e <= s or (furniture is not None and all(furniture[s:e])):   # (an empty span: all() of none)
            continue
        if lab == "PER" and (text.endswith(anon, s, e) or (
                e - s == 1 and surnames is not None and text[s] not in surnames)):
            continue
        out.append((s, e, lab, src))
    return out


def padded_byline_spans(text: str) -> list[Span]:
    """Names padded with spaces after a byline word (记者 王  伟)."""
    rx = config()["byline"]
    if rx is None or ("\u3000" not in text and "  " not in text):
        return []
    return [(m.start(1), m.end(1), "PER", "byline") for m in rx.finditer(text)]
