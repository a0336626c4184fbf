"""Rule and gazetteer layer of the entity stage: what a 1998 corpus cannot teach the tagger.

Three sources, all data under ``rules/entities/``:

- ``gazetteer.tsv``: names (2020s zones, bodies) matched where they start and end at token
  edges;
- ``organisations.yaml``: an organisation ends with a suffix word (有限公司, 大学, 检察院, 局 …);
  from the suffix the name runs left over the Doc's tokens while they can belong to a name
  (jieba dictionary tags), and it must hold something proper (a place, an unknown word, a
  prefix such as 省 or 市, or a place or organisation the tagger found): the named rules of
  ``baozhi.layers.entities.organisations``;
- ``bodies.tsv``: government bodies by abbreviation after a home prefix (市工信局), where the
  paper's home is known;
- ``bylines.yaml``: reporters' names in brackets at the end of a paragraph (（杨沫、杨宇雨）);
- ``places.yaml``: roads the tagger cuts up (滨河 + 东路 → 滨河东路; 南延 is no place): the named
  rules of ``baozhi.layers.entities.roads``.

``merge_rules`` puts these spans over the tagger's: a rule span removes the tagger's spans it
overlaps, unless one of them strictly contains it.
"""
from __future__ import annotations

import functools
import re
from bisect import bisect_left
from typing import Sequence

import regex

from baozhi.layers.entities import features as nf
from baozhi.layers.entities.organisations import config as _org
from baozhi.layers.entities.organisations import organisation_spans
from baozhi.layers.entities.roads import road_spans
from baozhi.layers.entities.tokens import Tokens
from baozhi.resources import gates, marks, regexcache, ruleset

Span = tuple[int, int, str, str]


@functools.lru_cache(maxsize=16)
def _gazetteer(home: str | None = None):
    """One automaton over ``gazetteer.tsv``, the organisations of ``names/organisations.tsv``
    that apply to the home (baozhi.layers.entities.names.known_organisations) and, where the paper's home is
    known and ``places.yaml: divisions: home_province_short_names`` says so, the short names of
    the home province's divisions (baozhi.layers.entities.names.place_names). A surface of gazetteer.tsv
    keeps its label."""
    from baozhi.layers.entities.names import known_organisations, place_names

    own = [(r["surface"], r["label"]) for r in ruleset.load("entities/gazetteer.tsv")]
    known = {s for s, _ in own}
    orgs = [n for n in known_organisations(home) if n not in known]
    known.update(orgs)
    shorts: list[str] = []
    if home and _places()["divisions"].get("home_province_short_names"):
        shorts = [n for n in place_names(home)[1] if n not in known]
    return nf.build_automaton(own + [(n, "ORG") for n in orgs] + [(n, "LOC") for n in shorts])


@functools.cache
def _full_division_names() -> tuple[frozenset, frozenset, int, regex.Pattern | None]:
    """The full division names that are places wherever they stand (``places.yaml: divisions:
    full_names``), their last characters, the longest length, and a pattern of those last
    characters (where such a name may end, found by one scan of a text)."""
    if not _places()["divisions"].get("full_names"):
        return frozenset(), frozenset(), 0, None
    from baozhi.layers.entities.names import place_names

    full = frozenset(place_names(None)[0])
    lasts = frozenset(n[-1] for n in full)
    return full, lasts, max(map(len, full), default=0), marks.any_of(lasts)


_NAME_ENDS = ""   # a key of ``_reversed_division_names``' nodes: a name starts here


@functools.cache
def _reversed_division_names() -> dict:
    """The full division names as a trie read from their last character back: ``node[ch]``
    the node one character further left, ``_NAME_ENDS in node`` where a name starts (a
    text's names ending at one place are found by one walk leftwards, not by a look-up of
    every slice up to the longest name)."""
    root: dict = {}
    for name in _full_division_names()[0]:
        node = root
        for ch in reversed(name):
            node = node.setdefault(ch, {})
        node[_NAME_ENDS] = True
    return root


def division_spans(text: str, tokens: Sequence[tuple[int, int]]) -> list[Span]:
    """Full division names (防城港市, 张湾区) that start and end at token edges: looked up
    backwards from every token that ends with a division's last character (市, 县, 区 …)."""
    full, lasts, _, rx = _full_division_names()
    if not full:
        return []
    tokens = Tokens.of(tokens)
    if tokens.ordered:
        # the tokens' ends after such a character, in order: one scan of the text, not of
        # every token (each end is one token's, found by bisection)
        ends = tokens.end_list
        n = len(ends)
        cands = []
        for m in rx.finditer(text):
            e = m.end()
            k = bisect_left(ends, e)
            if e >= 2 and k < n and ends[k] == e:
                cands.append(e)
    else:
        cands = [e for _, e in tokens if e >= 2 and text[e - 1] in lasts]
    if not cands:
        return []
    out, is_start, root = [], tokens.is_start, _reversed_division_names()
    for e in cands:
        # the names ending at e, shortest first (the starts a = e - 2, e - 3, ... of the
        # slices text[a:e] in ``full``, down to e - longest)
        node = root.get(text[e - 1])
        a = e - 2
        while node is not None and a >= 0:
            node = node.get(text[a])
            if node is None:
                break
            if _NAME_ENDS in node and is_start(a):
                out.append((a, e, "LOC", "rule"))
            a -= 1
    return out


@functools.cache
def _bodies():
    # one-character words count here (省委: the prefix makes the name)
    return nf.build_automaton(((r["word"], r["label"]) for r in ruleset.load("entities/bodies.tsv")), min_len=1)


@functools.cache
def _byline():
    cfg = ruleset.load("entities/bylines.yaml")
    surnames = ruleset.load("entities/surnames.txt")
    o, c = re.escape(cfg["open"]), re.escape(cfg["close"])
    lo, hi = cfg["name_length"]
    least, most = cfg["bracket_chars"]
    return {
        "re": re.compile(rf"{o}([^{c}\n]{{{least},{most}}}){c}(?=[ \t]*(?:\n|$))"),
        "sep": re.compile("|".join(re.escape(s) for s in cfg["separators"])),
        "trailers": sorted(cfg["trailers"], key=len, reverse=True),
        "name": re.compile(rf"\w{{{lo},{hi}}}"),
        "surnames": set(surnames),
    }


@functools.cache
def _places() -> dict:
    return {"divisions": ruleset.load("entities/places.yaml").get("divisions") or {}}


@functools.cache
def _infrastructure() -> dict:
    from baozhi.layers.entities.names import division_names

    cfg = ruleset.load("entities/places.yaml").get("infrastructure") or {}
    return {"words": set(cfg.get("words") or ()), "last": {w[-1] for w in cfg.get("words") or ()},
            "chars": set(cfg.get("head_chars") or ()), "home_only": bool(cfg.get("home_only")),
            "tags": set(cfg.get("head_tags") or ()),
            "patterns": [regexcache.compile(p) for p in cfg.get("patterns") or ()],
            "stop": _org()["stop_chars"], "divisions": division_names()}


def infrastructure_spans(text: str, tokens: Sequence[tuple[int, int]], home: str | None = None) -> list[Span]:
    """Railways and highways (雄忻高铁, 青银二广高速) and numbered roads (国道307), see
    ``places.yaml: infrastructure``."""
    cfg = _infrastructure()
    if cfg["home_only"] and not home:
        return []
    out = [(m.start(), m.end(), "LOC", "rule") for p in cfg["patterns"] for m in p.finditer(text)]
    if not cfg["words"]:
        return out
    tab = nf.jieba_tags()
    last, stop, divisions = cfg["last"], cfg["stop"], cfg["divisions"]
    longest = max(cfg["chars"], default=0)
    for k, (s, e) in enumerate(tokens):
        if k == 0 or text[e - 1] not in last or text[s:e] not in cfg["words"]:
            continue
        # the head: tokens right before, all of allowed tags or of one character
        start, i = s, k - 1
        best = None
        while i >= 0 and tokens[i][1] == start and s - tokens[i][0] <= longest:
            w = text[tokens[i][0]:tokens[i][1]]
            if not w.isalpha() or any(c in stop for c in w) or w in divisions or (
                    len(w) > 1 and (tab.get(w) or "?") not in cfg["tags"]):
                break  # a division's own name (太原铁路枢纽) is a place and a word, not a head
            start = tokens[i][0]
            if s - start in cfg["chars"]:
                best = start
            i -= 1
        if best is not None:
            out.append((best, e, "LOC", "rule"))
    return out


def weak_spans(text: str, found: Sequence[Span], tokens: Sequence[tuple[int, int]]) -> list[Span]:
    """The tagger's organisations less those ending with a weak suffix (中心) that a noun
    follows: 太原市中心城区 holds no organisation 太原市中心."""
    cfg = _org()
    weak = tuple(cfg["weak"])
    if not any(f[2] == "ORG" and text[f[0]:f[1]].endswith(weak) for f in found):
        return list(found)
    tab = nf.jieba_tags()
    after = {s: text[s:e] for s, e in tokens}
    out = []
    for f in found:
        if f[2] == "ORG" and f[3] in ("crf", "article") and text[f[0]:f[1]].endswith(weak):
            nxt = after.get(f[1])
            if nxt and tab.get(nxt) in cfg["weak_before"]:
                continue
        out.append(f)
    return out


@functools.cache
def _alias_cfg() -> tuple[tuple[str, ...], int, str, str]:
    cfg = ruleset.load("entities/organisations.yaml")
    return (tuple(sorted(cfg.get("alias_endings") or (), key=len, reverse=True)),
            int(cfg.get("alias_min_chars", 3)), cfg["inner"][0], cfg["inner"][1])


def alias_core(name: str) -> str | None:
    """The core a company's full name is also known by (山西美锦能源股份有限公司 -> 美锦能源), or
    None when the name has no such ending or the core is too short."""
    endings, least, open_, close = _alias_cfg()
    if not name.endswith(endings):
        return None   # (one test of every ending first: most names have none)
    end = next(e for e in endings if name.endswith(e))
    from baozhi.layers.entities.names import leading_divisions

    core = name[: len(name) - len(end)]
    if core.endswith(close) and open_ in core:
        core = core[: core.rindex(open_)]
    core = core[leading_divisions(core):]
    return core if len(core) >= least else None


def alias_spans(text: str, found: Sequence[Span], tokens: Sequence[tuple[int, int]]) -> list[Span]:
    """Other mentions of a company by its core (see ``alias_core``) in the same text, where
    they start and end at token edges and overlap nothing found."""
    cores = {alias_core(text[s:e]) for s, e, lab, _ in found if lab == "ORG"} - {None}
    if not cores:
        return []
    taken = bytearray(len(text))
    for s, e, _, _ in found:
        taken[s:e] = b"\1" * (e - s)
    tokens = Tokens.of(tokens)
    is_start, is_end = tokens.is_start, tokens.is_end
    out = []
    for core in sorted(cores, key=len, reverse=True):
        i = text.find(core)
        while i >= 0:
            j = i + len(core)
            if is_start(i) and is_end(j) and not any(taken[i:j]):
                out.append((i, j, "ORG", "alias"))
                taken[i:j] = b"\1" * (j - i)
            i = text.find(core, j)
    return out


def gazetteer_spans(text: str, tokens: Sequence[tuple[int, int]], home: str | None = None) -> list[Span]:
    """Matches of ``gazetteer.tsv`` (and of the home province's short division names, see
    ``_gazetteer``) that start and end at token edges."""
    auto = _gazetteer(home or None)
    if not len(auto):
        return []
    tokens = Tokens.of(tokens)
    is_start, is_end = tokens.is_start, tokens.is_end
    out = []
    for end, (n, labels) in auto.iter(text):
        s, e = end - n + 1, end + 1
        if is_start(s) and is_end(e):
            out.append((s, e, labels[0], "rule"))
    return out


def body_spans(text: str, tokens: Sequence[tuple[int, int]], home: str | None) -> list[Span]:
    """``bodies.tsv`` words right after a home prefix that starts a token: 市工信局, 省发改委."""
    auto = _bodies()
    if not home or not len(auto):
        return []
    prefixes = _org()["home_prefixes"]
    is_start = Tokens.of(tokens).is_start
    out = []
    for end, (n, labels) in auto.iter(text):
        s = end - n + 1
        if s > 0 and text[s - 1] in prefixes and is_start(s - 1):
            out.append((s - 1, end + 1, labels[0], "rule"))
    return out


def byline_spans(text: str) -> list[Span]:
    """Reporters' names in a bracket that ends a paragraph."""
    cfg = _byline()
    out = []
    for m in cfg["re"].finditer(text):
        inner, base = m.group(1), m.start(1)
        for t in cfg["trailers"]:
            if inner.endswith(t):
                inner = inner[: -len(t)]
                break
        pos, names = 0, []
        for part in cfg["sep"].split(inner):
            if part and not (cfg["name"].fullmatch(part) and
                             (part[0] in cfg["surnames"] or part[:2] in cfg["surnames"])):
                names = []
                break
            if part:
                s = inner.index(part, pos)
                names.append((base + s, base + s + len(part), "PER", "byline"))
                pos = s + len(part)
        out.extend(names)
    return out


def _longest_first(spans: list[Span]) -> list[Span]:
    taken = set()
    out = []
    for sp in sorted(spans, key=lambda x: (-(x[1] - x[0]), x[0])):
        if any(i in taken for i in range(sp[0], sp[1])):
            continue
        taken.update(range(sp[0], sp[1]))
        out.append(sp)
    return out


def merge_rules(text: str, found: list[Span], tokens: Sequence[tuple[int, int]] | None = None,
                home: str | None = None) -> list[Span]:
    """The tagger's spans with the rule layer's put over them: a rule span removes the
    tagger's spans it overlaps, unless a place or organisation of the tagger holds it and is
    longer (太原市公安局 over the gazetteer's 太原); bylines always win."""
    tokens = Tokens.of(nf.tokenize(text) if tokens is None else tokens)   # its look-ups made once
    from baozhi.layers.entities.guards import guard, padded_byline_spans

    found = weak_spans(text, road_spans(text, guard(text, found, tokens), tokens), tokens)
    gaz = gazetteer_spans(text, tokens, home) + division_spans(text, tokens)
    rule = _longest_first(gaz + byline_spans(text) + padded_byline_spans(text) + body_spans(text, tokens, home)
                          + infrastructure_spans(text, tokens, home)
                          + organisation_spans(text, tokens, found, gaz, home))
    if not rule:
        return _with_context(text, found + alias_spans(text, found, tokens), tokens)
    # spans by start, so that the spans holding or held by one are looked up near it, not
    # searched for among all (a long text has thousands)
    by_start: dict[int, list[Span]] = {}
    for f in found:
        if f[2] != "PER":
            by_start.setdefault(f[0], []).append(f)
    widest = max((f[1] - f[0] for f in found), default=0)
    keep_rule = []
    for r in rule:
        if r[3] == "byline" or not any(
                r[1] <= f[1] and (f[1] - f[0]) > (r[1] - r[0])
                for a in range(max(0, r[0] - widest), r[0] + 1) for f in by_start.get(a, ())):
            keep_rule.append(r)
    # a tagger span holding two places of the rules, and nothing else of them, and ending with
    # the last of them, is two names run together (山西中部城市群联通雄安新区); an organisation
    # holds places but ends with its own word (江苏省靖江市市委)
    rules_at: dict[int, list[Span]] = {}
    for i, r in enumerate(rule):
        rules_at.setdefault(r[0], []).append((i, r))
    chosen = set(keep_rule)
    # (with fewer than two places among the rule spans no tagger span holds two)
    for f in found if sum(r[2] == "LOC" for r in rule) >= 2 else ():
        held = [r for _, r in sorted(x for a in range(f[0], f[1]) for x in rules_at.get(a, ())
                                     if x[1][1] <= f[1])]
        if len(held) >= 2 and all(r[2] == "LOC" for r in held) and max(r[1] for r in held) == f[1]:
            for r in held:
                if r not in chosen:
                    keep_rule.append(r)
                    chosen.add(r)
    covered = bytearray(len(text) + 1)
    for r in keep_rule:
        covered[r[0]:r[1]] = b"\1" * (r[1] - r[0])
    kept = [f for f in found if not any(covered[f[0]:f[1]])]
    return _with_context(text, kept + keep_rule + alias_spans(text, kept + keep_rule, tokens), tokens)


def _with_context(text: str, found: list[Span], tokens: Sequence[tuple[int, int]]) -> list[Span]:
    """``found`` with the company names of ``context_spans`` put in (the tagger's people and
    places of the same extent give way)."""
    ctx = context_spans(text, found, tokens) + short_name_spans(text, found, tokens)
    ctx += latin_name_spans(text, found + ctx)
    if ctx:
        cover = bytearray(len(text))
        for s, e, _, _ in ctx:
            cover[s:e] = b"\1" * (e - s)
        found = [f for f in found if not all(cover[f[0]:f[1]])
                 and not (f[3] in ("crf", "article") and any(cover[f[0]:f[1]]))] + ctx
    return one_label_per_name(text, found)


def one_label_per_name(text: str, found: list[Span]) -> list[Span]:
    """A surface the rules found as an organisation (a full name's core, a listed or
    defined company) is an organisation wherever the tagger tagged it a person or place
    (比亚迪股份有限公司 … 比亚迪 tagged PER)."""
    orgs = {text[s:e] for s, e, lab, src in found if lab == "ORG" and src not in ("crf", "article")}
    if not orgs:
        return found
    return [(s, e, "ORG", "alias") if src in ("crf", "article") and lab != "ORG" and text[s:e] in orgs
            else (s, e, lab, src) for s, e, lab, src in found]


@functools.cache
def _latin_re():
    cfg = ruleset.load("entities/organisations.yaml").get("latin_names") or {}
    return regexcache.compile(cfg["pattern"]) if cfg.get("pattern") else None


def latin_name_spans(text: str, found: Sequence[Span]) -> list[Span]:
    """A name in Latin script in brackets right after a name (英伟达（NVIDIA）, 马斯克（Elon
    Musk）) is the same entity: it takes that name's label (found_by ``alias``)."""
    rx = _latin_re()
    if rx is None:
        return []
    ms = list(rx.finditer(text))
    if not ms:
        return []
    by_end = {e: lab for _, e, lab, _ in found}
    taken = bytearray(len(text))
    for s, e, _, src in found:
        if src not in ("crf", "article"):  # the tagger's spans over the Latin name give way
            taken[s:e] = b"\1" * (e - s)
    out = []
    for m in ms:
        lab = by_end.get(m.start())
        a, b = m.span("name")
        if lab and not any(taken[a:b]):
            out.append((a, b, lab, "alias"))
    return out


@functools.cache
def _short_re():
    cfg = ruleset.load("entities/organisations.yaml").get("short_names") or {}
    return regexcache.compile(cfg["pattern"]) if cfg.get("pattern") else None


def short_name_spans(text: str, found: Sequence[Span], tokens: Sequence[tuple[int, int]]) -> list[Span]:
    """A short name defined in the text (西部科学城（以下简称科学城）, …有限公司（以下简称“隆基”）):
    the name right before the definition gives its label to the short name, here and wherever
    it stands at token edges (found_by ``alias``)."""
    rx = _short_re()
    if rx is None or "简称" not in text:
        return []
    by_end = {}
    for s, e, lab, src in found:
        if lab in ("ORG", "LOC") and (e not in by_end or s < by_end[e][0]):
            by_end[e] = (s, lab)
    names: dict[str, str] = {}
    at: list[tuple[int, int]] = []
    for m in rx.finditer(text):
        full = by_end.get(m.start())
        if full is None:  # no name found before it: the label its suffix gives (…科学城, …有限公司)
            org = _org()
            lab = next((("LOC" if x in org["place_suffixes"] else "ORG") for n in org["lengths"]
                        for x in [text[max(0, m.start() - n):m.start()]] if x in org["suffixes"]), None)
            full = (None, lab) if lab else None
        if full is None or len(m.group("short")) < 2:
            continue
        names[m.group("short")] = full[1]
        at.append(m.span("short"))
    if not names:
        return []
    tokens = Tokens.of(tokens)
    is_start, is_end = tokens.is_start, tokens.is_end
    taken = bytearray(len(text))
    for s, e, lab, src in found:
        if src not in ("crf", "article"):
            taken[s:e] = b"\1" * (e - s)
    out = []
    for short, lab in sorted(names.items(), key=lambda x: -len(x[0])):
        i = text.find(short)
        while i >= 0:
            j = i + len(short)
            if ((is_start(i) and is_end(j)) or (i, j) in at) and not any(taken[i:j]):
                out.append((i, j, lab, "alias"))
                taken[i:j] = b"\1" * (j - i)
            i = text.find(short, j)
    return out


@functools.cache
def _context_cfg() -> dict:
    cfg = ruleset.load("entities/organisations.yaml").get("company_context") or {}
    stops = set(_org()["stop_words"])
    after = set(cfg.get("after") or ())
    return {"after": after, "tags": set(cfg.get("run_tags") or ()),
            # one scan for a text that holds none of the words (most): stdlib re's search of
            # their trie, not a str.find per word
            "after_re": re.compile(regexcache.trie_pattern(after)) if after else None,
            "plain": set(cfg.get("plain_tags") or ()), "min": int(cfg.get("min_chars", 2)),
            "max": int(cfg.get("max_chars", 6)), "least": int(cfg.get("min_count", 2)),
            "stop": stops | set(cfg.get("stop_words") or ()),
            "list_lead": tuple(cfg.get("list_lead") or ("有",)),
            "list_re": (list_re := regexcache.compile(cfg["list_pattern"]) if cfg.get("list_pattern") else None),
            # what a text holds where a list may stand (、 and a company word): its scan only there
            "list_needs": gates.needs(list_re) if list_re is not None else ()}


def _run_back(text: str, tokens: Sequence[tuple[int, int]], i: int, cfg: dict, tab: dict,
              plain_ok: bool = False) -> int | None:
    """The start of the longest run of name-like tokens ending with token ``i``, or None:
    tokens of ``run_tags`` (unknown words too), no stop words, ``min_chars``..``max_chars``
    long, and not all of ``plain_tags`` (公司|董事长 names none)."""
    if i < 0:
        return None
    end = start = tokens[i][1]
    plain = True
    while i >= 0 and tokens[i][1] == start:
        w = text[tokens[i][0]:tokens[i][1]]
        tag = tab.get(w) or ("?" if w.isalnum() and not w.isdigit() else None)
        if tag not in cfg["tags"] or w in cfg["stop"] or end - tokens[i][0] > cfg["max"]:
            break
        plain = plain and tag in cfg["plain"]
        start = tokens[i][0]
        i -= 1
    if end - start < cfg["min"] or (plain and not plain_ok):
        return None
    return start


def _word_tokens(text: str, tokens: Tokens, words) -> list[int]:
    """The indices of the tokens that are one of ``words``, in order: found where the words
    stand in the text (most texts hold none), not by reading every token; token by token
    where the tokens are not in order."""
    if not tokens.ordered:
        return [k for k, (s, e) in enumerate(tokens) if text[s:e] in words]
    out = []
    for w in words:
        i = text.find(w) if w else -1
        while i >= 0:
            k = tokens.end_index(i + len(w))
            if k is not None and tokens[k][0] == i:
                out.append(k)
            i = text.find(w, i + 1)
    out.sort()
    return out


def context_spans(text: str, found: Sequence[Span], tokens: Sequence[tuple[int, int]]) -> list[Span]:
    """Company short names from their context (``organisations.yaml: company_context``): a run
    of name-like words right before a company word (宁德时代|董事长, 比亚迪|股价) that the text
    names ``min_count`` times at least, and the items of a list of companies (中国融通、中建市政、
    中铁置业3家企业). Every occurrence at token edges is an organisation (found_by ``context``);
    a person or place of the tagger with the same extent gives way."""
    cfg = _context_cfg()
    if not cfg["after"] and cfg["list_re"] is None:
        return []
    tab = nf.jieba_tags()
    tokens = Tokens.of(tokens)
    cands: set[str] = set()
    listed: set[tuple[int, int]] = set()  # the list's items stand where the list puts them
    for k in (_word_tokens(text, tokens, cfg["after"]) if cfg["after_re"] is not None
              and cfg["after_re"].search(text) else ()):
        s = tokens[k][0]
        a = _run_back(text, tokens, k - 1, cfg, tab)
        if a is not None and text.count(text[a:s]) >= cfg["least"]:
            cands.add(text[a:s])
    if cfg["list_re"] is not None and gates.holds(text, cfg["list_needs"]):
        ends = None
        for m in cfg["list_re"].finditer(text):
            pos = m.start("items")
            for n, item in enumerate(m.group("items").split("、")):
                a, b = pos, pos + len(item)
                pos = b + 1
                if n == 0:
                    # the first item may start inside a word of the sentence (项目有|中国融通)
                    cut = max(item.rfind(c) for c in cfg["list_lead"]) + 1
                    ends = tokens.index_by_end if ends is None else ends
                    run = _run_back(text, tokens, ends[b], cfg, tab, plain_ok=True) if b in ends else None
                    if run is not None and run > a + cut:
                        cut = run - a  # 控股|浙江东方
                    if len(item) - cut >= cfg["min"]:
                        cands.add(item[cut:])
                        listed.add((a + cut, b))
                else:
                    cands.add(item)
                    listed.add((a, b))
    cands = {c for c in cands if tab.get(c) != "ns" and c not in cfg["stop"] and len(c) >= cfg["min"]}
    if not cands:
        return []
    is_start, is_end = tokens.is_start, tokens.is_end
    taken = bytearray(len(text))
    for s, e, lab, src in found:
        if not (src in ("crf", "article") and lab != "ORG"):
            taken[s:e] = b"\1" * (e - s)
    out = []
    for c in sorted(cands, key=len, reverse=True):
        i = text.find(c)
        while i >= 0:
            j = i + len(c)
            if ((is_start(i) and is_end(j)) or (i, j) in listed) and not any(taken[i:j]):
                out.append((i, j, "ORG", "context"))
                taken[i:j] = b"\1" * (j - i)
            i = text.find(c, j)
    return out
