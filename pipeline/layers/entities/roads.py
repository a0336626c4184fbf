"""Roads the tagger cuts up (``rules/entities/places.yaml``), as named rules.

The tagger's places and people pass, one by one in text order, through ``ROAD_RULES``: an
extension word (南延) is no place alone and is cut off a road's end, a bare road word (东路)
takes the name before it, a place takes the road word after it (龙城 + 大街). Every name is a
key of ``places.yaml: rules:``, where examples exercise it (``tests/test_named_rules.py``).
"""
from __future__ import annotations

import functools
from typing import Sequence

from baozhi.layers.entities import features as nf
from baozhi.layers.entities.tokens import Tokens
from baozhi.resources import ruleset

Span = tuple[int, int, str, str]


@functools.cache
def config() -> dict:
    """The road words of ``places.yaml``, read once."""
    cfg = ruleset.load("entities/places.yaml")
    return {"roads": sorted(cfg["road_words"], key=len, reverse=True),
            "road_tuple": tuple(cfg["road_words"]),          # (for one ``endswith`` of them all)
            "road_first": {w[0] for w in cfg["road_words"]},
            "road_set": set(cfg["road_words"]),
            "ext": sorted(cfg["extension_words"], key=len, reverse=True),
            "ext_set": set(cfg["extension_words"]),
            "ext_tuple": tuple(cfg["extension_words"]),          # (one ``endswith`` first)
            "head": set(cfg["head_tags"]),
            # first characters of road and extension words, last of extension words
            "first": {w[0] for w in cfg["road_words"] + cfg["extension_words"]},
            "last": {w[-1] for w in cfg["extension_words"]},
            "bare": set(cfg["road_words"]) | set(cfg["extension_words"])}


class _Road:
    """One span of the tagger on its way through the road rules (``piece`` its text)."""
    __slots__ = ("s", "e", "lab", "src", "piece")

    def __init__(self, s: int, e: int, lab: str, src: str, piece: str):
        self.s, self.e, self.lab, self.src, self.piece = s, e, lab, src, piece


class _Roads:
    """What the road rules look at in one text, and the spans kept so far (``out``)."""
    __slots__ = ("text", "cfg", "tokens", "tab", "out")

    def __init__(self, text: str, tokens: Sequence[tuple[int, int]]):
        self.text, self.cfg = text, config()
        self.tokens = Tokens.of(tokens)   # (its look-ups made once per text)
        self.tab = nf.jieba_tags()
        self.out: list[Span] = []


DROP, DONE = "drop", "done"


def extension_word_is_no_place(r: _Roads, p: _Road) -> str | None:
    """A span that is an extension word alone (南延: the road's extension south) is no place."""
    return DROP if p.piece in r.cfg["ext_set"] else None


def extension_word_cut_off(r: _Roads, p: _Road) -> str | None:
    """An extension word is cut off a span's end, and what is left is a place (滨河东路南延)."""
    if not p.piece.endswith(r.cfg["ext_tuple"]):
        return None
    for x in r.cfg["ext"]:
        if p.piece.endswith(x):
            p.e, p.lab, p.piece = p.e - len(x), "LOC", p.piece[: -len(x)]
            break
    return None


def bare_road_word_takes_word_before(r: _Roads, p: _Road) -> str | None:
    """A span that is a road word alone (东路) takes the word before it when that word can be
    a name (``head_tags``: 跨滨河东路匝道桥 -> 滨河东路); else it is no place."""
    if p.piece not in r.cfg["road_set"]:
        return None
    ws = r.tokens.start_ending_at(p.s)
    w = r.text[ws:p.s] if ws is not None else ""
    if not w or not w[0].isalpha() or (r.tab.get(w) or "?") not in r.cfg["head"]:
        return DROP
    r.out = [o for o in r.out if o[1] <= ws]
    r.out.append((ws, p.e, "LOC", p.src))
    return DONE


def place_takes_road_word(r: _Roads, p: _Road) -> str | None:
    """A place (or a person the tagger mistook) followed by a road word that ends at a token
    edge is one place with it (龙城 + 大街)."""
    if not p.piece.endswith(r.cfg["road_tuple"]) and r.text[p.e:p.e + 1] in r.cfg["road_first"]:
        for w in r.cfg["roads"]:
            if r.text.startswith(w, p.e) and r.tokens.is_end(p.e + len(w)):
                p.e, p.lab = p.e + len(w), "LOC"
                break
    return None


ROAD_RULES = (extension_word_is_no_place, extension_word_cut_off,
              bare_road_word_takes_word_before, place_takes_road_word)


def rule_names() -> list[str]:
    """The names of the road rules, as ``places.yaml: rules:`` lists them."""
    return [rule.__name__ for rule in ROAD_RULES]


def road_spans(text: str, found: Sequence[Span], tokens: Sequence[tuple[int, int]]) -> list[Span]:
    """The tagger's places and people (and the article layer's) through ``ROAD_RULES``, in
    order: each may change the span, drop it (``DROP``) or place it itself (``DONE``)."""
    cfg = config()
    first, last, bare = cfg["first"], cfg["last"], cfg["bare"]
    if not any(f[2] in ("LOC", "PER") and (text[f[1]:f[1] + 1] in first or text[f[1] - 1] in last
                                            or text[f[0]:f[1]] in bare) for f in found):
        return list(found)
    r = _Roads(text, tokens)
    for s, e, lab, src in sorted(found):
        if r.out and s < r.out[-1][1]:
            continue  # taken into the road before
        if lab not in ("LOC", "PER") or src not in ("crf", "article"):
            r.out.append((s, e, lab, src))
            continue
        p = _Road(s, e, lab, src, text[s:e])
        for rule in ROAD_RULES:
            verdict = rule(r, p)
            if verdict is not None:
                break
        else:
            r.out.append((p.s, p.e, p.lab, p.src))
    return r.out
