"""Organisations built on a suffix word (``rules/entities/organisations.yaml``), as named rules.

A token that ends with a suffix word (有限公司, 大学, 局 …) is a candidate; the name then runs
left over the Doc's tokens while they can belong to it, and is kept when its head holds
something proper. Every decision on the way is one named rule below, and every name is a key
of ``organisations.yaml: rules:``, where examples of newspaper text exercise it (the rule
examples are tests, ``tests/test_rule_examples.py``; ``tests/test_named_rules.py`` checks that
names and examples agree and that each rule's examples need it). The rules are applied, in
the order of the three tables at the end of this module, by ``organisation_spans``:

- ``CANDIDATE_RULES`` decide whether a suffix token starts a name at all (``False`` drops it);
- ``HEAD_RULES`` decide, word by word leftwards, what a word of the head does: each returns
  the index of the next word to look at (``STOP`` ends the head) or ``None`` to leave the
  word to the next rule; a word no rule takes ends the head;
- ``SPAN_RULES`` decide on the finished span: each returns its start (maybe moved) or ``None``
  to drop it.
"""
from __future__ import annotations

import functools
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Callable, Sequence

from baozhi.layers.entities import features as nf
from baozhi.layers.entities.tokens import Tokens
from baozhi.resources import marks, ruleset

Span = tuple[int, int, str, str]
STOP = -1
MEMO_MAX = 100_000   # words' answers of ``_word_suffix`` kept (emptied when full)


@functools.cache
def config() -> dict:
    """``organisations.yaml`` read once, as sets."""
    cfg = ruleset.load("entities/organisations.yaml")
    return {
        "suffixes": set(cfg["suffixes"]),
        "lengths": sorted({len(x) for x in cfg["suffixes"]}, reverse=True),
        "company": set(cfg["company_suffixes"]),
        "weak": set(cfg["weak_suffixes"]),
        "weak_before": set(cfg["weak_before_tags"]),
        "not": set(cfg["not_suffixes"]),
        "not_lengths": sorted({len(x) for x in cfg["not_suffixes"]}, reverse=True),
        "strict": set(cfg["strict_suffixes"]),
        "strict_tags": set(cfg["strict_tags"]),
        "patterns": [re.compile(f"(?:{p})$") for p in cfg.get("suffix_patterns") or []],
        # last characters of every suffix: a quick test before the real one
        "last": (last := {x[-1] for x in cfg["suffixes"]} | set(cfg["strict_suffixes"])
                 | {re.sub(r"[^\w]", "", p)[-1:] for p in cfg.get("suffix_patterns") or []}),
        # the same characters as one class: where a suffix token may end, by one scan of a text
        # (a longer entry never ends a token's last character, token by token either)
        "last_re": marks.any_of(frozenset(c for c in last if len(c) == 1)),
        "head": set(cfg["head_tags"]),
        "verb": set(cfg["verb_tags"]),
        "proper": set(cfg["proper_tags"]),
        "proper_known": set(cfg["proper_tags"]) - {"?"},
        "prefixes": set(cfg["prefixes"]),
        "home_prefixes": set(cfg["home_prefixes"]),
        "all_prefixes": set(cfg["prefixes"]) | set(cfg["home_prefixes"]),
        "abbrev_tags": set(cfg["abbrev_tags"]),
        "stop_words": set(cfg["stop_words"]),
        "titles": set(cfg.get("titles") or ()),
        "merger_verbs": set(cfg.get("merger_verbs") or ()),
        "stop": set(cfg["stop_words"]) | set(cfg.get("titles") or ()) | set(cfg.get("merger_verbs") or ()),
        "stop_chars": set(cfg["stop_chars"]),
        "inner": set(cfg["inner"]),
        "open": cfg["inner"][0],
        "close": cfg["inner"][1],
        "max": int(cfg["max_chars"]),
        "place_suffixes": set(cfg.get("place_suffixes") or ()),
        "zone_suffixes": set(cfg.get("zone_suffixes") or ()),
        "zone_head": set(cfg.get("zone_head_tags") or ()),
        "zone_not_heads": set(cfg.get("zone_not_heads") or ()),
        "home_only": set(cfg.get("home_only_suffixes") or ()),
        # word -> ``_word_suffix``'s answer, made once per process for these rules
        "memo": {},
    }


class _Words(dict):
    """(start, end, word) of token k, made when first asked."""

    def __init__(self, text: str, tokens: Sequence[tuple[int, int]]):
        super().__init__()
        self.text, self.tokens = text, tokens

    def __missing__(self, k):
        s, e = self.tokens[k]
        self[k] = v = (s, e, self.text[s:e])
        return v


class _Tags(dict):
    """jieba's tag of word k, computed when first asked: an unknown word is ``?`` and counts
    as proper (东义, 巍阁) when it is longer than one character and holds no function
    character, else ``u``; punctuation ``w``, digits ``m``."""

    def __init__(self, words: _Words, tab: dict, stop_chars: set):
        super().__init__()
        self.words, self.tab, self.stop_chars = words, tab, stop_chars

    def __missing__(self, k):
        w = self.words[k][2]
        t = self.tab.get(w) or ("?" if w[0].isalpha() else "m" if w[0].isdigit() else "w")
        if t == "?" and (len(w) < 2 or any(c in self.stop_chars for c in w)):
            t = "u"
        self[k] = t
        return t


_PLACED = {"ORG": b"\1", "LOC": b"\2"}   # ``_Page.placed``'s mark by label (a person's: 3)


class _Page:
    """What the rules look at in one text: its words and their tags, the tagger's spans
    (``placed``: 1 organisation, 2 place, 3 person, per character) and the gazetteer's."""

    def __init__(self, text: str, tokens: Sequence[tuple[int, int]], found: Sequence[Span],
                 fixed: Sequence[Span], home: str | None):
        self.cfg = cfg = config()
        self.text, self.tokens, self.ntok = text, tokens, len(tokens)
        self.prefixes = cfg["all_prefixes"] if home else cfg["prefixes"]
        self.words = _Words(text, tokens)
        self.tags = _Tags(self.words, nf.jieba_tags(), cfg["stop_chars"])
        self.placed = placed = bytearray(len(text))
        for s, e, lab, _ in found:
            placed[s:e] = _PLACED.get(lab, b"\3") * (e - s)
        self.fixed_at: dict[int, tuple[int, int, str]] = {}
        for s, e, lab, _ in fixed:
            for i in range(s, e):
                self.fixed_at[i] = (s, e, lab)


@dataclass(slots=True)
class _Name:
    """A name being built from suffix token ``k`` (``s:e``, word ``w``), its suffix starting
    at ``off`` in the word; ``proper`` and ``anchors`` (places beyond verbs) are where it may
    start; ``i`` the next word of the head to look at, ``edge`` where the head so far starts."""
    k: int
    s: int
    e: int
    w: str
    off: int
    suffix: str
    i: int
    edge: int
    proper: list = field(default_factory=list)
    anchors: list = field(default_factory=list)
    verb_seen: bool = False
    proper_tags: set = field(default_factory=set)


def suffix_ends_name(word: str, tag: str) -> tuple[int, str] | None:
    """Rule ``suffix_ends_name``: where in ``word`` an organisation suffix starts (the suffix
    ends with the word), and the suffix; none for a common noun of ``not_suffixes`` (格局);
    a numbered name of ``suffix_patterns`` (小店一中) gives the suffix ``""``; a one-character
    suffix of ``strict_suffixes`` counts alone or in a word of ``strict_tags``."""
    cfg = config()
    got = _word_suffix(cfg, word)
    if got is _BY_TAG:
        return (len(word) - 1, word[-1]) if tag in cfg["strict_tags"] else None
    return got


_BY_TAG = "by tag"   # ``_word_suffix``'s answer where the word's tag decides


def _word_suffix(cfg: dict, word: str) -> tuple[int, str] | None | str:
    """``suffix_ends_name``'s answer for ``word`` whatever its tag, or ``_BY_TAG`` where the
    tag decides (a word ending with a strict suffix): made once per process per word (the tag
    is looked up only where it matters)."""
    memo = cfg["memo"]
    got = memo.get(word, memo)
    if got is memo:
        got = memo[word] = _suffix(cfg, word)
        if len(memo) >= MEMO_MAX:
            memo.clear()
    return got


def _suffix(cfg: dict, word: str) -> tuple[int, str] | None | str:
    if word[-1] not in cfg["last"]:
        return None
    for n in cfg["not_lengths"]:
        if len(word) >= n and word[-n:] in cfg["not"]:
            return None
    for n in cfg["lengths"]:
        if len(word) >= n and word[-n:] in cfg["suffixes"]:
            return len(word) - n, word[-n:]
    for pat in cfg["patterns"]:
        m = pat.search(word)
        if m:
            return m.start(), ""
    if word[-1:] in cfg["strict"]:
        return (len(word) - 1, word[-1]) if len(word) == 1 else _BY_TAG
    return None


# -- candidate rules: does this suffix token start a name? ------------------------------

def gazetteer_holds_suffix(p: _Page, n: _Name) -> bool:
    """A suffix inside a gazetteer name is the gazetteer's (山西转型综改示范区)."""
    return (n.e - 1) not in p.fixed_at


def abbreviation_needs_place(p: _Page, n: _Name) -> bool:
    """A one-character suffix after its head (审批局, 发改委) needs a head of two characters,
    and an abbreviation (``abbrev_tags``) a place or a home prefix right before it (省发改委):
    People's Daily leaves bare 外经贸部, 国家教委 to the tagger."""
    if len(n.suffix) != 1 or n.off == 0:
        return True
    if n.off < 2:
        return False
    k, cfg = n.k, p.cfg
    return p.tags[k] not in cfg["abbrev_tags"] or (k > 0 and (
        p.words[k - 1][2] in p.prefixes or p.tags[k - 1] == "ns" or p.placed[p.words[k - 1][0]] == 2))


def weak_suffix_before_noun(p: _Page, n: _Name) -> bool:
    """A weak suffix (中心, 联盟) that a noun follows is a common noun (太原市中心城区)."""
    return not (n.suffix in p.cfg["weak"] and n.k + 1 < p.ntok and p.tags[n.k + 1] in p.cfg["weak_before"])


def bare_suffix_takes_word_before(p: _Page, n: _Name) -> bool:
    """A token that is a one-character suffix alone (局) takes the word before it into the
    name, which must be a word (not punctuation, not a stop word); a verb there is passed
    over (被市纪委监委 …)."""
    if n.off != 0 or len(n.w) != 1:
        return True
    i = n.i
    if i < 0 or not p.words[i][2][0].isalnum() or p.words[i][2] in p.cfg["stop"]:
        return False
    if p.tags[i] in p.cfg["verb"]:
        n.i = i - 1
    return True


# -- head rules: what does word i of the head do? ---------------------------------------

def gazetteer_name_in_head(p: _Page, n: _Name, i: int) -> int | None:
    """A gazetteer name in the head: an organisation (山西转型综改示范区) starts the name;
    a place (太原 in 凯赛太原生物材料有限公司) is a proper part of it."""
    ws, we, _ = p.words[i]
    fix = p.fixed_at.get(we - 1) or p.fixed_at.get(ws)
    if not fix:
        return None
    fs = fix[0]
    if n.e - fs > p.cfg["max"]:
        return STOP
    (n.anchors if n.verb_seen else n.proper).append(fs)
    if fix[2] != "LOC":
        return STOP
    n.edge = fs
    while i >= 0 and p.words[i][1] > fs:
        i -= 1
    return i


def longest_name(p: _Page, n: _Name, i: int) -> int | None:
    """No name is longer than ``max_chars``."""
    return STOP if n.e - p.words[i][0] > p.cfg["max"] else None


def stop_word_ends_head(p: _Page, n: _Name, i: int) -> int | None:
    """A word of ``stop_words`` (本报讯, 全市, 有关, 今年) is no part of a name."""
    return STOP if p.words[i][2] in p.cfg["stop_words"] else None


def title_ends_head(p: _Page, n: _Name, i: int) -> int | None:
    """A person's title (``titles``): what stands before it is a person (王局长办公室)."""
    return STOP if p.words[i][2] in p.cfg["titles"] else None


def merger_verb_ends_head(p: _Page, n: _Name, i: int) -> int | None:
    """A verb of ``merger_verbs`` (兼并, 签约, 携手) stands between two organisations."""
    return STOP if p.words[i][2] in p.cfg["merger_verbs"] else None


def bracket_inside_name(p: _Page, n: _Name, i: int) -> int | None:
    """A word of ``inner`` (brackets, ·) may stand inside a name: 巍阁（北京）品牌管理有限公司."""
    return i - 1 if p.words[i][2] in p.cfg["inner"] else None


def punctuation_ends_head(p: _Page, n: _Name, i: int) -> int | None:
    """Any other punctuation ends the head."""
    return None if p.words[i][2][0].isalnum() else STOP


def function_character_ends_head(p: _Page, n: _Name, i: int) -> int | None:
    """An unknown word that starts with a character of ``stop_chars`` (被, 原, 和 …) ends the
    head; what follows that character may still be a prefix (原省电力局 -> 省电力局)."""
    ws, _, ww = p.words[i]
    if p.tags[i] != "u" or ww[0] not in p.cfg["stop_chars"]:
        return None
    if len(ww) > 1 and ww[1:] in p.prefixes and not n.verb_seen:
        n.proper.append(ws + 1)
    return STOP


def _is_proper(p: _Page, n: _Name, i: int) -> bool:
    return p.tags[i] in n.proper_tags or p.words[i][2] in p.prefixes or p.placed[p.words[i][0]] in (1, 2)


def verb_only_in_company(p: _Page, n: _Name, i: int) -> int | None:
    """A verb that is no proper part ends the head, except in a company's name
    (``company_suffixes``: 上海外高桥企业发展促进中心有限公司), where it may stand when a place
    stands to its left."""
    if p.tags[i] not in p.cfg["verb"] or _is_proper(p, n, i):
        return None
    if n.suffix not in p.cfg["company"]:
        return STOP
    n.verb_seen = True
    return i - 1


def zone_head_is_a_name(p: _Page, n: _Name, i: int) -> int | None:
    """The head of a zone or area (``zone_suffixes``) holds no verb or verbal noun (规划建设科学城,
    专题部署成渝地区双城经济圈: the name starts after them) and no word of ``zone_not_heads``
    (中部城市群, 省级高新区 name no zone)."""
    if n.suffix not in p.cfg["zone_suffixes"]:
        return None
    if p.tags[i] in p.cfg["verb"] or p.tags[i] == "vn" or p.words[i][2] in p.cfg["zone_not_heads"]:
        return STOP
    return None


def head_word(p: _Page, n: _Name, i: int) -> int | None:
    """A word of ``head_tags``, or a proper part (a word of ``proper_tags``, a prefix, a
    place or organisation of the tagger), belongs to the head; a proper part is where the
    name may start (beyond a verb only a place)."""
    tg = p.tags[i]
    is_proper = _is_proper(p, n, i)
    if not (tg in p.cfg["head"] or is_proper):
        return None
    if is_proper:
        ws = p.words[i][0]
        if not n.verb_seen:
            n.proper.append(ws)
        elif tg == "ns" or p.placed[ws] == 2:
            n.anchors.append(ws)
    return i - 1


# -- span rules: the finished name ------------------------------------------------------

def name_needs_proper_part(p: _Page, n: _Name, start: int | None) -> int | None:
    """A name starts at its leftmost proper part (or beyond verbs at its leftmost place);
    with none it is no name (滑雪服务公司)."""
    starts = n.anchors or n.proper
    return min(starts) if starts else None


def brackets_pair(p: _Page, n: _Name, start: int | None) -> int | None:
    """Brackets pair up inside a name: a name cut inside a bracket starts after it."""
    cfg, text, e = p.cfg, p.text, n.e
    span = text[start:e]
    close = span.rfind(cfg["close"])
    if span.count(cfg["open"]) != span.count(cfg["close"]) or (
            close >= 0 and span.find(cfg["open"]) > close):
        cut = span.rfind(cfg["close"]) + 1 if span.find(cfg["open"]) < 0 or span.find(cfg["open"]) > close else 0
        start += cut
        span = text[start:e]
        if span.count(cfg["open"]) != span.count(cfg["close"]):
            return None
    return start


def one_word_left_to_tagger(p: _Page, n: _Name, start: int | None) -> int | None:
    """A name that is the suffix alone, or one dictionary word (国务院), is the tagger's."""
    if start >= n.s + n.off or (start == n.s and p.tags[n.k] not in ("?", "u")):
        return None
    return start


CANDIDATE_RULES: tuple[Callable[[_Page, _Name], bool], ...] = (
    gazetteer_holds_suffix, abbreviation_needs_place, weak_suffix_before_noun,
    bare_suffix_takes_word_before)
HEAD_RULES: tuple[Callable[[_Page, _Name, int], int | None], ...] = (
    gazetteer_name_in_head, longest_name, stop_word_ends_head, title_ends_head,
    merger_verb_ends_head, bracket_inside_name, punctuation_ends_head,
    function_character_ends_head, verb_only_in_company, zone_head_is_a_name, head_word)
SPAN_RULES: tuple[Callable[[_Page, _Name, int | None], int | None], ...] = (
    name_needs_proper_part, brackets_pair, one_word_left_to_tagger)


def rule_names() -> list[str]:
    """The names of every rule, as ``organisations.yaml: rules:`` lists them."""
    return [suffix_ends_name.__name__] + [r.__name__ for r in CANDIDATE_RULES + HEAD_RULES + SPAN_RULES]


def _candidate(p: _Page, k: int) -> _Name | None:
    cfg = p.cfg
    s, e = p.tokens[k]
    w = p.text[s:e]
    if _word_suffix(cfg, w) is None:
        return None   # no suffix whatever the tag: the word's tag is not looked up
    hit = suffix_ends_name(w, p.tags[k])
    if hit is None:
        return None
    off, suffix = hit
    if suffix in cfg["home_only"] and p.prefixes is not cfg["all_prefixes"]:
        return None  # (代表团: a name only where the paper's home is known)
    n = _Name(k, s, e, w, off, suffix, k - 1, s)
    # the suffix word holds a proper part (东义 in 东义煤电铝集团 is one token) or a number
    if ((off > 0 and p.tags[k] in cfg["proper"]) or suffix == "") and not (
            suffix in cfg["zone_suffixes"] and w[:off] in cfg["zone_not_heads"]):
        n.proper.append(s)  # (中部城市群, one word, names no zone: zone_not_heads)
    # a common-noun suffix (中心) needs a known proper part, not just an unknown word
    n.proper_tags = cfg["proper_known"] if suffix in cfg["weak"] else cfg["proper"]
    if suffix in cfg["zone_suffixes"]:
        n.proper_tags = n.proper_tags | cfg["zone_head"]
    for rule in CANDIDATE_RULES:
        if not rule(p, n):
            return None
    return n


def _walk_head(p: _Page, n: _Name) -> None:
    i = n.i
    while i >= 0:
        ws, we, _ = p.words[i]
        if we != n.edge:
            break  # the next word must end where the name so far starts
        n.edge = ws
        for rule in HEAD_RULES:
            nxt = rule(p, n, i)
            if nxt is not None:
                break
        else:
            break  # a word no rule takes ends the head
        i = nxt


def _suffix_tokens(text: str, tokens: Tokens) -> list[int]:
    """The indices of the tokens (inside the text) whose last character ends some suffix, in
    order: where that character stands in the text (one scan), the token that ends after it
    (by bisection); token by token where the tokens are not in order."""
    cfg = config()
    if not tokens.ordered:
        last = cfg["last"]
        return [k for k, (s, e) in enumerate(tokens) if 0 <= s < e <= len(text) and text[e - 1] in last]
    out = []
    ends = tokens.end_list
    n = len(ends)
    for m in cfg["last_re"].finditer(text):
        e = m.end()
        k = bisect_left(ends, e)          # the token ending there (tokens.end_index, inline)
        if k < n and ends[k] == e and 0 <= tokens[k][0] < e:
            out.append(k)
    return out


def organisation_spans(text: str, tokens: Sequence[tuple[int, int]], found: Sequence[Span],
                       fixed: Sequence[Span] = (), home: str | None = None) -> list[Span]:
    """Organisations ending with a suffix word, with the longest head the tokens allow.

    The head starts at its leftmost proper part (a place, a name, an unknown word, a prefix
    such as 省 where ``home`` is known, a place or organisation of the tagger); verbs may stand
    in a company's name when a place stands to their left. ``fixed`` spans (gazetteer) are
    taken whole. A span that is one dictionary word is left to the tagger.
    """
    cands = _suffix_tokens(text, Tokens.of(tokens))
    if not cands:
        return []
    p = _Page(text, tokens, found, fixed, home)
    out = []
    for k in cands:
        n = _candidate(p, k)
        if n is None:
            continue
        _walk_head(p, n)
        start = None
        for rule in SPAN_RULES:
            start = rule(p, n, start)
            if start is None:
                break
        else:
            out.append((start, n.e, "LOC" if n.suffix in p.cfg["place_suffixes"] else "ORG", "rule"))
    return out
