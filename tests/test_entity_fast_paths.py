"""The entity rules' fast paths (issue 12: the entities layer's ``find``) kept equal to the
plain forms they stand for, on random texts and tokens (fixed seeds): the tokens that end with
a suffix character or are one of some words, found by scanning the text instead of reading
every token; full division names looked up from the ends a scan finds; the tagger's spans
guarded with the tokens' pairs; other occurrences of a name found by ``str.find`` instead of
an automaton; and ``names.resolve``'s answers kept per surface where the context does not
change them. Each plain form is the code the fast path replaced."""
from __future__ import annotations

import random

import pytest

from baozhi.layers.entities import entities, guards, names, ner_rules, organisations
from baozhi.layers.entities.tokens import Tokens

HOME = "山西省太原市"


def _pool() -> list[str]:
    """Pieces of text the rules react to: division names, suffixes, company words, guards'
    words, and plain characters."""
    full, _, _, _ = ner_rules._full_division_names()
    cfg = organisations.config()
    gcfg = guards.config()
    return (sorted(full)[::97] + ["太原", "小店", "城区", "长安", "迎泽区", "晋中", "吉林", "朝阳"]
            + sorted(cfg["suffixes"]) + sorted(cfg["strict"]) + sorted(ner_rules._context_cfg()["after"])
            + list(gcfg["trailing"]) + sorted(gcfg["place_after"])
            + list("的了在和与是中会部行市县区省 ，。、（）12") + ["三中", "五中", "隆基", "王某"])


def _text(rng: random.Random, pool: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """A random text of pool pieces and tokens over it in text order: each piece one token, or
    cut in two, or joined to the next; a space is no token (the frame drops it)."""
    pieces = rng.choices(pool, k=rng.randint(0, 40))
    text = "".join(pieces)
    tokens, pos = [], 0
    for p in pieces:
        s, pos = pos, pos + len(p)
        if p.isspace():
            continue
        if len(p) > 1 and rng.random() < 0.2:
            cut = s + rng.randint(1, len(p) - 1)
            tokens += [(s, cut), (cut, pos)]
        elif tokens and tokens[-1][1] == s and rng.random() < 0.15:
            tokens[-1] = (tokens[-1][0], pos)
        else:
            tokens.append((s, pos))
    return text, tokens


def _cases(seed: int, n: int = 400):
    rng, pool = random.Random(seed), _pool()
    for _ in range(n):
        text, tokens = _text(rng, pool)
        yield rng, text, tokens
        if len(tokens) > 1:      # the same tokens out of order: the token-by-token form
            shuffled = tokens[:]
            rng.shuffle(shuffled)
            yield rng, text, shuffled


def _plain_suffix_tokens(text, tokens):
    last = organisations.config()["last"]
    return [k for k, (s, e) in enumerate(tokens) if 0 <= s < e <= len(text) and text[e - 1] in last]


def test_suffix_tokens_are_those_read_token_by_token():
    for _, text, tokens in _cases(1):
        assert organisations._suffix_tokens(text, Tokens(tokens)) == _plain_suffix_tokens(text, tokens), \
            (text, tokens)


def test_word_tokens_are_those_read_token_by_token():
    words = ner_rules._context_cfg()["after"] | {"中", "区", "公司"}
    for _, text, tokens in _cases(2):
        plain = [k for k, (s, e) in enumerate(tokens) if text[s:e] in words]
        assert ner_rules._word_tokens(text, Tokens(tokens), words) == plain, (text, tokens)


def _plain_division_spans(text, tokens):
    full, lasts, longest, _ = ner_rules._full_division_names()
    out, starts = [], None
    for _, e in tokens:
        if e < 2 or text[e - 1] not in lasts:
            continue
        if starts is None:
            starts = {s for s, _ in tokens}
        for a in range(e - 2, max(e - longest, 0) - 1, -1):
            if a in starts and text[a:e] in full:
                out.append((a, e, "LOC", "rule"))
    return out


def test_division_spans_are_those_read_token_by_token():
    seen = 0
    for _, text, tokens in _cases(3):
        got = ner_rules.division_spans(text, tokens)
        assert got == _plain_division_spans(text, tokens), (text, tokens)
        seen += bool(got)
    assert seen > 50      # the random texts do hold division names at token edges


def _plain_guard(text, found, tokens):
    cfg = guards.config()
    single = {s for s, e in tokens if e - s == 1 and text[s] in cfg["place_after"]}
    furniture = bytearray(len(text))
    if cfg["furniture"] is not None:
        for m in cfg["furniture"].finditer(text):
            furniture[m.start():m.end()] = b"\1" * (m.end() - m.start())
    out = []
    for s, e, lab, src in found:
        if src not in ("crf", "article"):
            out.append((s, e, lab, src))
            continue
        if lab in ("PER", "ORG"):
            for w in cfg["trailing"]:
                if text.endswith(w, s, e) and e - s - len(w) >= cfg["min_left"]:
                    e -= len(w)
                    break
        if lab in ("PER", "LOC") and e in single and e - s >= 2:
            e, lab = e + 1, "LOC"
        surface = text[s:e]
        if all(furniture[s:e]):
            continue
        if lab == "PER" and (surface.endswith(cfg["anon"]) or (
                len(surface) == 1 and cfg["surnames"] is not None and surface not in cfg["surnames"])):
            continue
        out.append((s, e, lab, src))
    return out


def test_guard_is_the_token_by_token_guard():
    changed = furnished = 0
    for rng, text, tokens in _cases(4):
        if not text:
            continue
        if rng.random() < 0.3:      # page furniture (第 02 版) somewhere: the spans inside it go
            at = rng.randint(0, len(text))
            text = text[:at] + rng.choice(("第 02 版", "第3版", "A3版", "12 版")) + text[at:]
        found = []
        for _ in range(rng.randint(0, 8)):
            s = rng.randrange(len(text))
            # (now and then an empty span: the plain guard drops it, all() of no character)
            e = s if rng.random() < 0.05 else rng.randint(s + 1, min(len(text), s + 8))
            found.append((s, e, rng.choice(("PER", "LOC", "ORG")), rng.choice(("crf", "article", "rule"))))
        got = guards.guard(text, found, tokens)
        assert got == _plain_guard(text, found, tokens), (text, tokens, found)
        changed += got != found
        furnished += len(got) < len(found) and "版" in text
    assert changed > 50 and furnished > 10


def test_occurrences_by_find_are_the_automaton_s(monkeypatch):
    rng = random.Random(5)
    for _ in range(400):
        chars = rng.choice(("太原市长安区ab", "aab", "太太原"))    # few: surfaces overlapping themselves
        text = "".join(rng.choices(chars, k=rng.randint(0, 60)))
        surfaces = {"".join(rng.choices(chars, k=rng.randint(1, 4))) for _ in range(rng.randint(1, 6))}
        by_find = entities._occurrences(text, surfaces)
        monkeypatch.setattr(entities, "FIND_EACH", -1)          # the automaton
        by_automaton = entities._occurrences(text, surfaces)
        monkeypatch.undo()
        assert list(by_find.items()) == list(by_automaton.items()), (text, surfaces)


def _surfaces() -> list[str]:
    t = names._tables()
    divs = sorted(t.by_name)[::53] + ["城区", "长安区", "小店", "小店区", "郊区", "合作", "朝阳", "吉林", "鼓楼区"]
    depts = sorted(t.departments)[::7] + ["公安局", "教育局", "纪委监委", "发改委"]
    return divs + [m + d for m in "省市区县" for d in depts] + [v + d for v in divs[::5] for d in depts[::3]] \
        + sorted(t.organisations)[:20] + ["我省", "我市", "太原市热力集团", "新华出版社"]


@pytest.mark.parametrize("home", [HOME, None, "陕西省西安市"])
def test_resolve_kept_per_surface_is_resolve_with_each_context(home):
    """The same surfaces asked again and again, each time with another context (naming a
    district, a parent or nothing): the kept answer is the one made with that context."""
    rng = random.Random(6)
    surfaces = _surfaces()
    contexts = ["", "全区各校", "小店区教育局的", "阳泉市城区", "晋城市城区", "陕西省西安市长安区", "石家庄",
                "河北省石家庄市长安区", "迎泽区", "尖草坪区", "北京市朝阳区", "辽宁省朝阳市", "吉林省"]
    names._tables().memo.clear()
    by_context = 0
    for _ in range(3000):
        surface, label = rng.choice(surfaces), rng.choice(("LOC", "ORG"))
        context = rng.choice(contexts) + surface * rng.randint(0, 1) + rng.choice(contexts)
        outside = context.replace(surface, " ") if context and surface in context else context
        assert names.resolve(surface, label, home, context) == \
            names._resolve(surface, label, home, context, outside), (surface, label, context)
        by_context += names._tables().memo.get((surface, label, home)) is names._BY_CONTEXT
    assert by_context > 100     # answers that depend on the context were asked for


def test_resolve_gives_a_copy_of_what_it_keeps():
    got = names.resolve("小店区", "LOC", HOME)
    got["parents"].append("x")
    got["canonical"] = "x"
    again = names.resolve("小店区", "LOC", HOME)
    assert again["parents"] == ["140100", "140000"] and again["canonical"] == "小店区"


# -- session 12: gates before scans, the division names' trie, the suffix test by word ---------

def _real_texts() -> list[str]:
    """The corpus pages' paragraphs (real newspaper text)."""
    from conftest import CORPUS

    return [line for path in sorted(CORPUS.glob("*.txt"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# the two syntaxes' atoms, the wrappers that nest a pattern (below a depth of 2), the repeats
_RE_SYNTAX = (["a", "b", "版", "第", "[ab]", "[^a]", "[0-2]", ".", r"\d", r"\s"],
              ["(?:%s)", "(%s)", "(?:%s|%s)", "(?=%s)", "(?<=a)", "(?!%s)"],
              ["", "", "?", "*", "+", "{1,2}", "{0,2}", "{2}"])
_REGEX_SYNTAX = ([r"a", "版", "第", "[ab]", r"\p{Han}", r"\P{Han}", r"[\p{Han}a]", r"[^\p{Han}]",
                  r"\p{P}", r"[\p{P}b]", r"\pL", r"\K", r"\G", "(?P<n>a)", "(?P<n>版)", "1"],
                 ["(?:%s)", "(?:%s|%s)", "(?=%s)", "(?<=版)", "(?<!a)", "(?P<n>%s)"],
                 ["", "", "?", "*", "+", "{1,2}", "{0,2}"])


def _random_pattern(rng: random.Random, syntax: tuple, depth: int = 0) -> str:
    """A random pattern over a few characters of ``syntax`` (atoms, nesting wrappers, repeats):
    literals, sets, groups, alternatives, repeats and assertions — ``_RE_SYNTAX``, what
    ``gates.needs`` reads and what it must pass over, or ``_REGEX_SYNTAX``, ``regex``'s own
    (properties, ``\\K``, ``\\G``, a group name used twice), which it reads in its own way."""
    atoms, wrappers, repeats = syntax
    if depth < 2:
        atoms = atoms + wrappers
    out = []
    for _ in range(rng.randint(1, 4)):
        a = rng.choice(atoms)
        while "%s" in a:
            a = a.replace("%s", _random_pattern(rng, syntax, depth + 1), 1)
        out.append(a + rng.choice(repeats))
    return "".join(out)


def _pattern(rng: random.Random) -> str:
    return _random_pattern(rng, _RE_SYNTAX)


def _regex_pattern(rng: random.Random) -> str:
    return _random_pattern(rng, _REGEX_SYNTAX)


def _gates_hold_back_no_match(compile_, error, pattern, seed: int, alphabet: str) -> int:
    """For random patterns (``pattern(rng)``) and texts: where a pattern matches, the text holds
    every clause of ``gates.needs`` and one of ``gates.one_of``'s characters (the dates' gate);
    where a set of ``gates.needs_chars`` is absent from ``text[a:b]``, nothing matches inside
    [a, b) (semantics' window gate). Returns how many patterns the gates said something of."""
    from baozhi.resources import gates
    rng = random.Random(seed)
    said = 0
    for _ in range(3000):
        source = pattern(rng)
        try:
            rx = compile_(source)
        except error:
            continue
        clauses, sets = gates.needs(rx), gates.needs_chars(rx)
        chars = gates.one_of(clauses)
        said += bool(clauses)
        for _ in range(20):
            text = "".join(rng.choices(alphabet, k=rng.randint(0, 12)))
            if rx.search(text):
                assert gates.holds(text, clauses), (source, text, clauses)
                assert not chars or any(c in text for c in chars), (source, text, chars)
            a = rng.randint(0, len(text))
            b = rng.randint(a, len(text))
            if any(not (s & set(text[a:b])) for s in sets):
                assert rx.search(text, a, b) is None, (source, text, a, b, sets)
    return said


def test_gates_never_hold_back_a_match():
    """The gates on random patterns of re's syntax, matched by re; they say something of most."""
    import re
    assert _gates_hold_back_no_match(re.compile, re.error, _pattern, 7, "ab版第1 x") > 1000


def test_gates_never_hold_back_a_match_of_regex_syntax():
    """The same with ``regex``'s own syntax (properties, ``\\K``, ``\\G``, a group name used
    twice), matched by ``regex``, which ``gates`` first puts in words re reads (``_for_re``)."""
    import regex
    assert _gates_hold_back_no_match(regex.compile, regex.error, _regex_pattern, 9,
                                     "ab版第1 。，x") > 1000


def test_a_clause_every_alternative_implies():
    """An alternation needs what each alternative implies, not only a clause they share:
    本月|上个?月|下个?月 needs 月 (本月 holds it); one_of keeps the fewest characters."""
    import re

    from baozhi.resources import gates
    clauses = gates.needs(re.compile("(?:本月|上个?月|下个?月)"))
    assert ("月",) in clauses
    assert gates.one_of(clauses) == "月"
    assert gates.one_of(gates.needs(re.compile("(?:星期|礼拜|周)[一二三四五六]"))) == "期拜周"
    assert gates.implied("日天", (("今天", "昨日"),)) and not gates.implied("天", (("今天", "昨日"),))
    assert gates.one_of(gates.needs(re.compile("a?"))) == ""


def test_gates_of_the_entity_patterns():
    """The shipped patterns the entity rules gate: what they need, and the gated scans equal
    to the plain ones on real text and on random text of the strings the gates ask for."""
    from baozhi.resources import gates
    furniture = guards.config()["furniture"]
    listed = ner_rules._context_cfg()["list_re"]
    assert ("版",) in gates.needs(furniture)
    assert ("、",) in gates.needs(listed)
    rng = random.Random(8)
    pieces = ["第", "版", "02", "３", " ", "A", "有", "、", "隆基", "中建", "3家", "企业", "等", "，", "公司"]
    texts = _real_texts() + ["".join(rng.choices(pieces, k=rng.randint(0, 30))) for _ in range(3000)]
    hits = 0
    for rx in (furniture, listed):
        clauses = gates.needs(rx)
        for text in texts:
            plain = [m.span() for m in rx.finditer(text)]
            hits += bool(plain)
            assert (plain if gates.holds(text, clauses) else []) == plain, (rx.pattern, text)
    assert hits > 100


def test_gates_read_nothing_they_cannot_be_sure_of():
    import re

    import regex

    from baozhi.resources import gates
    assert gates.needs(re.compile("(?i)ab")) == ()
    assert gates.needs(re.compile("a?b*")) == ()
    assert gates.needs(regex.compile("[[:alpha:]]x")) == ()          # a POSIX class of regex
    assert gates.needs(regex.compile("[ab--b]c", regex.V1)) == ()    # a set difference
    # regex's own \p{..}, \K, \G and a group name used twice are read as asking nothing more
    assert gates.needs(regex.compile(r"\p{Han}版")) == (("版",),)
    assert gates.needs(regex.compile(r"[^\p{Han}]版[\p{P}a]")) == (("版",),)
    assert gates.needs(regex.compile(r"[、和]\K\d日")) == (("日",), ("、", "和"))
    assert gates.needs(regex.compile(r"(?:(?P<p>甲)丙|(?P<p>乙)丙)")) == (("丙",), ("甲", "乙丙"))
    assert gates.needs(regex.compile(r"\X版")) == ()                   # re cannot read it
    assert gates.needs(re.compile("(?:甲|乙)丙")) == (("丙",), ("甲", "乙")) or \
        set(gates.needs(re.compile("(?:甲|乙)丙"))) == {("甲", "乙"), ("丙",)}


def test_context_words_gate_is_the_words():
    """``context_spans`` looks for its company words only where their trie's search finds
    one: the same texts as a ``str.find`` of each word."""
    cfg = ner_rules._context_cfg()
    words = sorted(cfg["after"])
    rng = random.Random(9)
    texts = _real_texts() + ["".join(rng.choices(words + list("董事长总裁股价的了"), k=rng.randint(0, 8)))
                             for _ in range(3000)]
    for text in texts:
        assert bool(cfg["after_re"].search(text)) == any(w in text for w in words), text


def _plain_suffix(word: str, tag: str):
    """``suffix_ends_name`` as it was: every test of the word with its tag."""
    cfg = organisations.config()
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
    if word[-1:] in cfg["strict"] and (len(word) == 1 or tag in cfg["strict_tags"]):
        return len(word) - 1, word[-1]
    return None


def test_suffix_by_word_is_suffix_ends_name_with_every_tag():
    """``_word_suffix`` (the answer kept per word, the tag asked only where it decides) and
    ``suffix_ends_name`` built on it give the plain answer for every word and tag; a word
    ``_candidate`` drops before its tag is looked up has no suffix with any tag."""
    from baozhi.layers.entities import features as nf
    cfg = organisations.config()
    rng, pool = random.Random(10), _pool()
    words = {w for text in _real_texts()[:200] for s, e in nf.tokenize(text) for w in [text[s:e]]}
    words |= {"".join(rng.choices(pool, k=rng.randint(1, 3))) for _ in range(3000)}
    tags = sorted(cfg["strict_tags"]) + ["n", "v", "ns", "u", "w"]
    strict = 0
    for w in sorted(words):
        kept = organisations._word_suffix(cfg, w)
        for tag in tags:
            plain = _plain_suffix(w, tag)
            assert organisations.suffix_ends_name(w, tag) == plain, (w, tag)
            if kept is None:
                assert plain is None, (w, tag)
        strict += kept is organisations._BY_TAG
    assert strict > 20


def test_division_spans_on_real_text():
    from baozhi.layers.entities import features as nf
    seen = 0
    for text in _real_texts():
        tokens = nf.tokenize(text)
        got = ner_rules.division_spans(text, tokens)
        assert got == _plain_division_spans(text, tokens), text
        seen += len(got)
    assert seen > 20


def test_alias_core_and_road_extension_by_one_endswith():
    """``alias_core`` and ``extension_word_cut_off`` test every ending at once first: the same
    answers as the test of each ending in turn."""
    from baozhi.layers.entities import roads
    endings, least, open_, close = ner_rules._alias_cfg()

    def plain_alias_core(name):
        end = next((e for e in endings if name.endswith(e)), None)
        if end is None:
            return None
        core = name[: len(name) - len(end)]
        if core.endswith(close) and open_ in core:
            core = core[: core.rindex(open_)]
        core = core[names.leading_divisions(core):]
        return core if len(core) >= least else None

    rng = random.Random(11)
    parts = list(endings) + ["山西", "美锦", "能源", "（", "）", "太原", "集", "团"]
    cores = 0
    for _ in range(3000):
        name = "".join(rng.choices(parts, k=rng.randint(1, 4)))
        assert ner_rules.alias_core(name) == plain_alias_core(name), name
        cores += plain_alias_core(name) is not None
    assert cores > 300
    r = roads._Roads("", [])
    ext = roads.config()["ext"]
    for _ in range(2000):
        piece = "".join(rng.choices(ext + ["滨河", "东路", "南", "延"], k=rng.randint(1, 3)))
        p = roads._Road(0, len(piece), "PER", "crf", piece)
        roads.extension_word_cut_off(r, p)
        x = next((x for x in ext if piece.endswith(x)), None)
        want = (len(piece) - len(x), "LOC", piece[:-len(x)]) if x else (len(piece), "PER", piece)
        assert (p.e, p.lab, p.piece) == want, piece


def test_token_edges_by_bisection_are_the_sets():
    """``Tokens.is_start`` / ``is_end`` / ``start_ending_at`` / ``has`` (bisection where the
    starts / ends are sorted) answer as the sets of starts, ends and pairs and the dict of
    starts by end do, for tokens in order, out of order, overlapping and
    repeated, and on real text; ``ordered`` is "sorted, no two ends equal"."""
    from baozhi.layers.entities import features as nf
    rng = random.Random(12)
    cases = [tokens for _, _, tokens in _cases(13, 300)]
    cases += [nf.tokenize(text) for text in _real_texts()[:100]]
    for _ in range(300):     # overlapping, repeated, unordered spans
        n = rng.randint(0, 12)
        cases.append([(a, a + rng.randint(1, 4)) for a in sorted(rng.randint(0, 20) for _ in range(n))])
        cases.append([(a, a + rng.randint(1, 4)) for a in (rng.randint(0, 20) for _ in range(n))])
    kinds = set()
    for tokens in cases:
        t = Tokens(tokens)
        starts, ends = {s for s, _ in tokens}, [e for _, e in tokens]
        assert t.ordered == (len(set(ends)) == len(ends) and ends == sorted(ends)), tokens
        by_end, pairs = {e: s for s, e in tokens}, set(tokens)
        for x in range(-1, 3 + max(ends, default=0)):
            assert t.is_start(x) == (x in starts), (tokens, x)
            assert t.is_end(x) == (x in set(ends)), (tokens, x)
            assert t.start_ending_at(x) == by_end.get(x), (tokens, x)
            for y in range(x - 3, x):
                assert t.has(y, x) == ((y, x) in pairs), (tokens, y, x)
        kinds.add((t.ordered, t.starts_sorted))
    assert kinds == {(True, True), (True, False), (False, True), (False, False)}


def test_the_stored_entity_gates_leave_out_nothing(monkeypatch):
    """The gates the entity code stores and uses (``guards.config()["furniture_needs"]``,
    ``ner_rules._context_cfg()["list_needs"]``), not a fresh ``gates.needs``: ``guard`` and
    ``context_spans`` as they run give what they give with those gates open, on the corpus
    lines and on texts of furniture and company lists, with the tagger's spans laid over the
    furniture; and some of these texts hold furniture without 第 that a span gives way to, and
    a list of 公司 alone (no 企业) that gives context names (so a wrong extra clause is seen)."""
    gcfg, ccfg = guards.config(), ner_rules._context_cfg()
    furniture, listed = gcfg["furniture"], ccfg["list_re"]
    assert furniture is not None and listed is not None
    rng = random.Random(11)
    pieces = ["第", "版", "02", "３", " ", "A", "A3版", "02 版", "第 02 版", "第３版", "有", "包括", "、",
              "隆基", "中建", "中国融通", "宁德时代", "比亚迪", "3家", "两家", "企业", "公司", "上市公司",
              "等", "，", "。", "的", "在", "报道"]
    cases = []
    for line in _real_texts():
        cases.append((line, [(i, i + 1) for i in range(len(line)) if not line[i].isspace()]))
    for _ in range(4000):
        parts = rng.choices(pieces, k=rng.randint(1, 24))
        if rng.random() < 0.4:           # a list of companies among them
            names = rng.sample(["隆基", "中建市政", "中国融通", "宁德时代", "比亚迪", "中铁置业"], rng.randint(2, 4))
            parts.insert(rng.randint(0, len(parts)), "项目有" + "、".join(names)
                         + rng.choice(["等", "3家", "等两家"]) + rng.choice(["公司", "上市公司", "企业"]))
        text, tokens, pos = "".join(parts), [], 0
        for p in parts:
            s, pos = pos, pos + len(p)
            if not p.isspace():
                tokens.append((s, pos))
        cases.append((text, tokens))

    def spans(text):
        found = [(m.start(), m.end(), rng.choice(("PER", "LOC", "ORG")), "crf")
                 for m in furniture.finditer(text)]
        for _ in range(rng.randint(0, 3) if text else 0):
            s = rng.randrange(len(text))
            found.append((s, rng.randint(s + 1, min(len(text), s + 6)), rng.choice(("PER", "LOC", "ORG")),
                          rng.choice(("crf", "article", "rule"))))
        return sorted(found)

    runs = []
    for text, tokens in cases:
        found = spans(text)
        runs.append((text, tokens, found, guards.guard(text, found, tokens),
                     ner_rules.context_spans(text, found, tokens)))
    monkeypatch.setitem(gcfg, "furniture_needs", ())
    monkeypatch.setitem(ccfg, "list_needs", ())
    no_di = only_gongsi = 0
    for text, tokens, found, guarded, context in runs:
        assert guards.guard(text, found, tokens) == guarded, (text, found)
        assert ner_rules.context_spans(text, found, tokens) == context, (text, found)
        no_di += "第" not in text and guarded != found and bool(furniture.search(text))
        only_gongsi += "企业" not in text and "公司" in text and bool(context) and bool(listed.search(text))
    assert no_di > 20 and only_gongsi > 20, (no_di, only_gongsi)


def test_the_frame_s_tokens_know_what_they_would_find():
    """``plain.spans_of`` hands the entity rules ``Tokens`` with their starts, ends, sorted
    starts and order already set (``Tokens.known``): each is what the look-up made at first
    use finds on the same pairs, also for the copies the layers are given (``Tokens.copy``),
    on random words with spaces (dropped or kept) and, now and then, an empty word."""
    from baozhi.frame import plain

    rng = random.Random(11)
    pool = ["太原", "市", "公安局", " ", " ", "  ", "\u3000", "12", "，", "王", "a"]
    names = ("start_list", "end_list", "starts_sorted", "ordered")
    preset = unordered = 0
    for _ in range(2000):
        words = rng.choices(pool + ([""] if rng.random() < 0.2 else []), k=rng.randint(0, 30))
        got = plain.spans_of(words)
        assert isinstance(got, Tokens)
        fresh = Tokens(list(got))
        for t in (got, got.copy()):
            assert list(t) == list(fresh) and type(t) is Tokens
            for name in names:
                assert getattr(t, name) == getattr(fresh, name), (words, name)
        preset += "ordered" in got.__dict__
        unordered += not fresh.ordered
    assert preset > 1000 and unordered > 20


def test_a_changed_copy_of_the_frame_s_tokens_answers_for_its_own_pairs():
    """A layer may change the tokens its ``Context.tokens()`` gives it (a ``Tokens.copy`` of the
    frame's): after any list change, or after changing a look-up list of the copy, every look-up
    of the copy is what a fresh ``Tokens`` of its pairs finds, and the original (and so the
    next layer's copy) is unchanged."""
    from baozhi.frame import plain

    rng = random.Random(14)
    pool = ["太原", "市", "公安局", " ", "12", "，", "王"]
    changes = [
        lambda c: c.append((c[-1][1], c[-1][1] + 2) if c else (0, 2)),
        lambda c: c.extend([(40, 41), (41, 43)]),
        lambda c: c.insert(0, (0, 1)),
        lambda c: c.__setitem__(0, (0, 1)),
        lambda c: c.__setitem__(slice(0, 1), [(0, 1), (1, 3)]),
        lambda c: c.__delitem__(0),
        lambda c: c.__iadd__([(50, 52)]),
        lambda c: c.__imul__(2),
        lambda c: c.sort(key=lambda p: -p[1]),
        lambda c: c.reverse(),
        lambda c: c.pop(),
        lambda c: c.remove(c[0]),
        lambda c: c.clear(),
        lambda c: c.end_list.append(99),
        lambda c: c.start_list.insert(0, -5),
    ]
    names = ("start_list", "end_list", "starts_sorted", "ordered", "starts", "ends",
             "pairs", "start_by_end", "index_by_end")
    for _ in range(300):
        words = rng.choices(pool, k=rng.randint(2, 15))
        orig = plain.spans_of(words)
        before = list(orig)
        look = {name: getattr(Tokens(before), name) for name in names}
        for change in changes:
            c = orig.copy()
            c.is_end(1), c.has(0, 2), c.is_start(2), c.ends, c.pairs   # look-ups made first
            changed_pairs = change in changes[:-2]   # the last two change a look-up, not the pairs
            change(c)
            fresh = Tokens(list(c))
            if changed_pairs:
                for name in names:
                    assert getattr(c, name) == getattr(fresh, name), (words, name)
                for x in range(-1, 60):
                    assert c.is_end(x) == fresh.is_end(x) and c.is_start(x) == fresh.is_start(x)
                    assert c.start_ending_at(x) == fresh.start_ending_at(x)
                    assert c.has(x - 2, x) == fresh.has(x - 2, x)
            assert list(orig) == before
            for name in names:
                assert getattr(orig, name) == look[name], (words, name)
            nxt = orig.copy()
            for name in names:
                assert getattr(nxt, name) == look[name], (words, name)


def _decode_plain(labels):
    """``features.decode`` as a loop over every label (before it read the non-O ones only)."""
    out, start, cur = [], None, None
    for i, y in enumerate(labels):
        if y == "O":
            start, cur = None, None
            continue
        pos, lab = y[0], y[2:]
        if pos == "S":
            out.append((i, i + 1, lab))
            start, cur = None, None
        elif pos == "B" or cur != lab:
            start, cur = i, lab
            if pos == "E":
                out.append((i, i + 1, lab))
                start, cur = None, None
        if pos == "E" and start is not None:
            out.append((start, i + 1, lab))
            start, cur = None, None
    return out


def test_decode_reads_the_spans_a_loop_over_every_label_reads():
    """``features.decode`` (the positions not labelled O only) gives the spans of a loop over
    every label: random sequences of every kind of BIES run, broken ones (I/E without a B, a
    label changing inside a run, S inside a run), empty ones and ones that begin or end inside
    a name; and a name it must read (B-PER I-PER E-PER after an O: 张三丰)."""
    from baozhi.layers.entities import features as nf

    labels = ["O"] + [p + "-" + lab for lab in ("PER", "LOC", "ORG") for p in "BIES"]
    rng = random.Random(17)
    for _ in range(2000):
        o_share = rng.choice([0.0, 0.3, 0.7, 0.95, 1.0])
        seq = [labels[0] if rng.random() < o_share else rng.choice(labels[1:])
               for _ in range(rng.choice([0, 1, 2, 3, rng.randint(4, 30)]))]
        assert nf.decode(seq) == _decode_plain(seq)
    assert nf.decode(["O", "B-PER", "I-PER", "E-PER", "O", "S-LOC"]) == [(1, 4, "PER"), (5, 6, "LOC")]
    assert nf.decode(["B-ORG", "I-ORG", "O", "I-ORG", "E-ORG"]) == [(3, 5, "ORG")]


@pytest.mark.parametrize("kern", [False, True])
def test_locals_from_the_frame_s_token_lists_are_those_of_the_pairs(kern):
    """``features._locals`` reads the frame's ``Tokens``' lists of starts and ends where they
    are made (``plain.spans_of``): the same chunk tokens as from the pairs themselves, for
    tokens in order, out of order and overlapping, with and without the compiled kernels."""
    import numpy as np

    from baozhi.frame.plain import spans_of
    from baozhi.layers.entities import features as nf

    k = None
    if kern:
        pytest.importorskip("numba")
        from baozhi.layers.entities import kernels

        k = kernels.compiled()
        if k is None:
            pytest.skip("BAOZHI_NO_JIT is set")
    rng = random.Random(5)
    pool = _pool() + [" ", "\u3000", "。", "！", "\n"]
    for _ in range(150):
        words = rng.choices(pool, k=rng.randint(1, 80))
        text = "".join(words)
        toks = spans_of(words)
        assert "start_list" in toks.__dict__
        spans = nf.chunks(nf.full_width(text))
        for t in (toks, toks.copy()):
            want = nf._locals(text, spans, list(t), k)
            got = nf._locals(text, spans, t, k)
            assert (got is None) == (want is None)
            if got is not None:
                assert [x.tolist() for x in got] == [np.asarray(x).tolist() for x in want]
        shuffled = toks.copy()
        rng.shuffle(shuffled)            # (a change: its lists are dropped, made again when asked)
        _ = shuffled.start_list, shuffled.end_list
        want = nf._locals(text, spans, list(shuffled), k)
        got = nf._locals(text, spans, shuffled, k)
        assert (got is None) == (want is None)
        if got is not None:
            assert [x.tolist() for x in got] == [np.asarray(x).tolist() for x in want]


def test_word_rows_by_template_are_the_ids_of_the_strings():
    """``featids.Ids.rows`` looks each word's nine ids up by what follows each template's
    prefix (``Ids.by_template``): the same ids as the strings ``features._word`` makes
    (``w=`` + word, ``tl=`` + tag, ``wt=S`` + length and tag, ...), for the model's own words,
    jieba's, unknown ones, and strings that only start like a template's."""
    import numpy as np

    from baozhi.layers.entities import featids
    from baozhi.layers.entities import features as nf

    scorer = entities._scorer()
    if scorer is None:
        pytest.skip("no model")
    ids = featids.Ids(scorer)
    tab = nf.jieba_tags()
    model_words = [a.partition("=")[2] for a in scorer.ids if a.startswith(("w=", "wl=", "wr="))]
    rng = random.Random(3)
    words = (rng.sample(model_words, 300) + rng.sample(sorted(tab), 300) + _pool()
             + ["", "=", "S2v", "2v", "^", "$", "?", "中国人民银行太原中心支行"])
    words = list(dict.fromkeys(words))
    ids.rows(words, tab)
    g, u = scorer.ids.get, scorer.unknown
    for w in words:
        t = tab.get(w, "?")
        tg = str(len(w) if len(w) < 5 else 5) + t
        want = [g("w=" + w, u), g("wl=" + w, u), g("tl=" + t, u), g("wr=" + w, u), g("tr=" + t, u),
                g("wt=S" + tg, u), g("wt=B" + tg, u), g("wt=I" + tg, u), g("wt=E" + tg, u)]
        assert ids.word_rows[ids.word_row[w]].tolist() == want, w
    assert sum(len(d) for d in ids.by_template.values()) == \
        sum(1 for a in scorer.ids if a.startswith(featids.WORD_TEMPLATES))
