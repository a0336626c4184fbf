"""The dates' gates (``needs``, ``trigger`` of dates.yaml's patterns and grammar.yaml's
productions) only say where a pattern gives no candidate: with every gate open, the candidates
are the same. Checked on the rules' example texts, the corpus pages and random texts made of
the characters of those examples, and texts built around each trigger alternative (a sample of
the alternative's own pattern, or of its production's, in context of the rules' words and
examples), one for every alternative where it alone opens its gate and the production then
finds a candidate: an alternative dropped or mistyped leaves that text's candidate out."""
from __future__ import annotations

import datetime as dt
import random
import re

import pytest

try:                                  # the stdlib re's parser (the triggers are stdlib re)
    import re._constants as sc
    import re._parser as sp
except ImportError:                   # Python < 3.11
    import sre_constants as sc
    import sre_parse as sp

from baozhi.layers.dates import dates, grammar
from baozhi.resources import ruleset
from baozhi.resources.script import convert
from baozhi.stages.repair import repair

from conftest import corpus_page


def _examples(node) -> list[str]:
    out = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "examples" and isinstance(v, list):
                out += [e["text"] for e in v if isinstance(e, dict) and isinstance(e.get("text"), str)]
            else:
                out += _examples(v)
    elif isinstance(node, list):
        for v in node:
            out += _examples(v)
    return out


def _runs(pattern: str) -> set[str]:
    """The literal runs and the literal set members of a stdlib-re ``pattern``."""
    out: set[str] = set()

    def walk(items):
        cur = ""
        for op, av in items:
            if op is sc.LITERAL:
                cur += chr(av)
                continue
            if cur:
                out.add(cur)
                cur = ""
            if op is sc.IN:
                out.update(chr(v) for o, v in av if o is sc.LITERAL)
            elif op is sc.BRANCH:
                for alt in av[1]:
                    walk(alt)
            elif op in (sc.MAX_REPEAT, sc.MIN_REPEAT):
                walk(av[2])
            elif op is sc.SUBPATTERN:
                walk(av[-1])
            elif op in (sc.ASSERT, sc.ASSERT_NOT):
                walk(av[1])
        if cur:
            out.add(cur)
    walk(sp.parse(pattern))
    return out


def _sample(pattern: str, rnd: random.Random, alphabet: list[str]) -> str:
    """A random text the stdlib-re ``pattern`` likely matches: a lookbehind's text is laid over
    the tail already made; lookaheads, negative assertions and anchors are left to the context;
    digits lean to 1, 9, 2, 0 (years of 19xx and 20xx)."""
    def digit():
        return rnd.choice("01234567891992200")

    def one_of_set(av):
        opts = []
        for o, v in av:
            if o is sc.LITERAL:
                opts.append(chr(v))
            elif o is sc.RANGE:
                opts.append(chr(rnd.randint(*v)))
            elif o is sc.CATEGORY and v is sc.CATEGORY_DIGIT:
                opts.append(digit())
            elif o is sc.CATEGORY and v is sc.CATEGORY_SPACE:
                opts.append(" ")
        if any(o is sc.NEGATE for o, _ in av) or not opts:
            return rnd.choice(alphabet)
        return rnd.choice(opts)

    def gen(items, out):
        for op, av in items:
            if op is sc.LITERAL:
                out.append(chr(av))
            elif op is sc.NOT_LITERAL or op is sc.ANY:
                out.append(digit() if rnd.random() < 0.6 else rnd.choice(alphabet))
            elif op is sc.IN:
                out.append(one_of_set(av))
            elif op is sc.BRANCH:
                gen(rnd.choice(av[1]), out)
            elif op in (sc.MAX_REPEAT, sc.MIN_REPEAT):
                lo, hi, sub = av
                for _ in range(rnd.randint(lo, min(hi, lo + 3))):
                    gen(sub, out)
            elif op is sc.SUBPATTERN:
                gen(av[-1], out)
            elif op is sc.ASSERT and av[0] < 0:
                s: list[str] = []
                gen(av[1], s)
                back, cur = "".join(s), "".join(out)
                k = max(k for k in range(len(back) + 1) if cur.endswith(back[len(back) - k:]))
                out[:] = list(cur[:len(cur) - k] + back)
    out: list[str] = []
    gen(sp.parse(pattern), out)
    return "".join(out)


def _sre_able(pattern: str) -> str:
    """A production's ``regex`` pattern in stdlib-re syntax, near enough to sample from (the
    samples are kept only where the real pattern finds a candidate)."""
    pattern = pattern.replace("\\p{Han}", "\u4e00-\u9fff").replace("\\p{P}", "，。、").replace("\\K", "")
    seen: set[str] = set()                # a name used twice (regex allows it): the later ones unnamed

    def group(m):
        if m.group(1) in seen:
            return "(?:"
        seen.add(m.group(1))
        return m.group(0)
    return re.sub(r"\(\?P<(\w+)>", group, pattern)


_ISSUE = dt.date(2022, 11, 18)


def _gated() -> list[tuple]:
    """(name, needs, trigger tuple, pattern) of every production and dates.yaml pattern with a
    trigger (a dates.yaml pattern is named by its index)."""
    got = [(p.name, p.needs, p.trigger, p) for p in grammar.grammar()["_productions"] if p.trigger]
    got += [(i, p.needs, p.trigger, p) for i, p in enumerate(dates._cfg()["_patterns"]) if p.trigger]
    return got


def _finds(name, prod, text: str) -> bool:
    """Whether the production (or dates.yaml pattern) finds a candidate in ``text``, its gate open."""
    if isinstance(name, int):
        return any(m.end() > m.start() and any(m.groupdict().values()) for m in prod.rx.finditer(text))
    real = grammar.gate
    grammar.gate = lambda *a: True
    try:
        return name in {c[-1] for c in grammar.candidates(text, _ISSUE, {})}
    except ValueError:        # week_of's ISO week 53 of a 52-week year ('2019年第53周') raises:
        return False          # a bug of its own (reported), not the gates'; such texts are left out
    finally:
        grammar.gate = real


@pytest.fixture(scope="module")
def covering() -> tuple[dict, list]:
    """For every trigger alternative, a text where it alone of its trigger matches, the gate
    (needs too) is open and the production finds a candidate; and the alternatives with none."""
    gated = _gated()
    examples = _examples(ruleset.load(dates.RULES)) + _examples(ruleset.load(grammar.RULES))
    pieces = set("0123456789") | {"1998", "98", "2019", "12", "31", " ", "\u3000", "\n", "的", "在", "是"}
    own = {}
    for name, _, trig, prod in gated:
        for t in trig:
            pieces |= _runs(t.pattern)
        pieces |= _runs(_sre_able(prod.rx.pattern))
        own[name] = _sre_able(prod.rx.pattern)
    pieces_l = sorted(pieces)
    alphabet = sorted(set("".join(pieces_l)))
    rnd = random.Random(12)
    cover, missing, sampled = {}, [], []
    for name, needs, trig, prod in gated:
        for i, t in enumerate(trig):
            for k in range(8000):
                core = _sample(own[name] if k % 3 == 1 and name in own else t.pattern, rnd, alphabet)
                if k % 3 == 2:
                    core = rnd.choice(examples) + core
                text = convert("".join(rnd.choice(pieces_l) for _ in range(rnd.randint(0, 3))) + core
                               + "".join(rnd.choice(pieces_l) for _ in range(rnd.randint(0, 3))),
                               extra=dates._ASCII_PAIRS)
                if ([j for j, u in enumerate(trig) if u.search(text)] == [i]
                        and grammar.gate(text, needs, trig, {}) and _finds(name, prod, text)):
                    cover[name, i] = text
                    break
            else:
                missing.append((name, t.pattern))
    # samples of each production's own pattern (its words and alternatives, so those a trigger
    # lost too) where it finds a candidate and its needs hold (the needs are checked on the
    # other texts; this is the triggers' test)
    for name, needs, trig, prod in gated:
        assert name in own, name
        for _ in range(300):
            text = convert(_sample(own[name], rnd, alphabet)
                           + "".join(rnd.choice(pieces_l) for _ in range(rnd.randint(0, 2))),
                           extra=dates._ASCII_PAIRS)
            if grammar.gate(text, needs, None, {}) and _finds(name, prod, text):
                sampled.append(text)
    return cover, missing, sampled


def test_every_trigger_alternative_alone_opens_a_gate_to_a_candidate(covering):
    """Each alternative of each trigger is needed: some text holds a candidate of its
    production that only this alternative lets through (so the test below sees a loss of it)."""
    cover, missing, _ = covering
    assert not missing, missing
    assert len(cover) == sum(len(trig) for _, _, trig, _ in _gated())


@pytest.fixture(scope="module")
def texts(covering) -> list[str]:
    got = _examples(ruleset.load(dates.RULES)) + _examples(ruleset.load(grammar.RULES))
    for stem in ("000", "001", "002", "003", "004"):
        got.append(repair(corpus_page(stem).read_text(encoding="utf-8")).text)
    alphabet = sorted(set("".join(got[:-5])) | set("0123456789 \n"))
    rnd = random.Random(12)
    got += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(2, 16))) for _ in range(20000)]
    made = list(covering[0].values()) + covering[2]
    # the same with Kawi digits (U+11F50.., Unicode 15), a production's \\d (regex) matches them
    # and the standard re's \\d of Python 3.11 does not: a trigger must let them through too
    kawi = {ord("0") + i: 0x11F50 + i for i in range(10)}
    return [convert(t, extra=dates._ASCII_PAIRS) for t in got] + made + [t.translate(kawi) for t in made]


def _grammar_candidates(text: str, issue: dt.date):
    """``grammar.candidates``, or the kind of error it raises: a builder may fail on what a
    production matched (Kawi digits ``num`` cannot read, an ISO week 53 of a 52-week year:
    bugs of their own, reported), and a gate must not hide that either."""
    try:
        return grammar.candidates(text, issue, {})
    except (TypeError, ValueError) as e:
        return type(e).__name__


def test_the_gates_leave_out_no_candidate(texts, monkeypatch):
    """The candidates of every text are the same with every gate open."""
    issue = dt.date(2022, 11, 18)
    cfg = dates._cfg()
    gated = [(dates._candidates(t, cfg, {}), _grammar_candidates(t, issue)) for t in texts]
    monkeypatch.setattr(grammar, "gate", lambda *a: True)
    found = 0
    for text, (d_got, g_got) in zip(texts, gated):
        d_open, g_open = dates._candidates(text, cfg, {}), _grammar_candidates(text, issue)
        assert (d_got, g_got) == (d_open, g_open), text[:200]
        found += len(d_open) + (len(g_open) if isinstance(g_open, list) else 1)
    # every pattern and production finds something in these texts (else nothing of it is checked)
    names = {n for t in texts if isinstance(g := _grammar_candidates(t, issue), list) for *_, n in g}
    assert names == {p.name for p in grammar.grammar()["_productions"]}
    assert found


def test_a_trigger_may_be_a_list_of_patterns():
    trig = grammar.triggers(["年(?<=\\d年)", "季度"])
    assert grammar.gate("2019年", "", trig, {}) and grammar.gate("一季度", "", trig, {})
    assert not grammar.gate("今年", "", trig, {})
    assert grammar.triggers(None) is None and len(grammar.triggers("a")) == 1


def _all_gated() -> list:
    return list(grammar.grammar()["_productions"]) + list(dates._cfg()["_patterns"])


def test_needs_are_read_off_the_patterns():
    """No production or pattern carries a hand-written ``needs:`` (each is read off its
    pattern when the rules load, ``grammar.needs_of``), and every one but the festivals (175
    words: no set of at most 16 characters) has one."""
    written = [p["name"] for f in (grammar.RULES, dates.RULES)
               for p in ruleset.load(f).get("productions", ruleset.load(f).get("patterns", []))
               if "needs" in p]
    assert written == []
    from baozhi.resources import gates
    for p in _all_gated():
        assert p.needs == gates.one_of(gates.needs(p.rx)), p.name
    assert [p.name for p in _all_gated() if not p.needs] == ["festival"]


def test_needs_hold_wherever_a_pattern_matches(texts):
    """Wherever a production's or a pattern's own regex matches (the texts of the gate test,
    built from the rules' pieces, the corpus pages, Kawi digits), the text holds one of its
    needs: a gate that shut out a match (not only a candidate) would show here."""
    seen = 0
    for p in _all_gated():
        for text in texts:
            if p.rx.search(text):
                seen += 1
                assert any(c in text for c in p.needs) or not p.needs, (p.name, p.needs, text[:80])
    assert seen > 1000


def test_a_needs_the_pattern_does_not_prove_is_refused():
    """A ``needs:`` in the rules is kept only where its pattern proves it: the one ``span``
    had before (no 日: 近十日, 上3日 gated out, review rev3 F5) is refused as the rules load;
    the derived one finds those spans."""
    span = next(p for p in grammar.grammar()["_productions"] if p.name == "span")
    with pytest.raises(ruleset.RulesError, match="span: needs '天周期拜月年度' is not held"):
        grammar.needs_of("dates/grammar.yaml production span", span.rx, "天周期拜月年度")
    assert grammar.needs_of("span", span.rx, "天日周期拜月年度年") == "天日周期拜月年度"
    assert "日" in span.needs or "近" in span.needs
    for text in ("近十日，全市", "他说上3日", "前三日”共收到"):
        assert grammar.gate(text, span.needs, span.trigger, {}), text
        assert "span" in {c[-1] for c in grammar.candidates(text, _ISSUE, {})}, text
def test_a_trigger_hashes_as_its_tuple_and_survives_pickling():
    """``grammar._Trigger`` (a gate's cache key) hashes and compares as the tuple of its
    patterns: equal triggers of two rules share one ``seen`` entry; pickled in a process of one
    hash seed and loaded in one of another, it hashes as a trigger built there (review rev2 F3:
    the cached hash came back with the builder's value)."""
    import pickle
    import subprocess
    import sys

    a = grammar.triggers(["年", "月份?"])    # (stdlib re: its patterns compare by value; regex's by identity)
    b = grammar.triggers(["年", "月份?"])
    assert a is not b and a == b and hash(a) == hash(b) == hash(tuple(a))
    seen: dict = {}
    assert grammar.gate("1998年1月", "", a, seen) and grammar.gate("1998年1月", "", b, seen)
    assert len(seen) == 1
    u = pickle.loads(pickle.dumps(a))
    assert type(u) is grammar._Trigger and u == a and hash(u) == hash(a)
    dump = ("import pickle,sys; from baozhi.layers.dates import grammar; "
            "sys.stdout.buffer.write(pickle.dumps(grammar.triggers(['年', '月份?'])))")
    load = ("import pickle,sys; from baozhi.layers.dates import grammar; "
            "u = pickle.loads(sys.stdin.buffer.read()); f = grammar.triggers(['年', '月份?']); "
            "print(u == f, hash(u) == hash(f) == hash(tuple(u)), {f: 1}.get(u))")
    env = {**__import__("os").environ}
    blob = subprocess.run([sys.executable, "-c", dump], env={**env, "PYTHONHASHSEED": "1"},
                          capture_output=True, check=True).stdout
    out = subprocess.run([sys.executable, "-c", load], env={**env, "PYTHONHASHSEED": "2"},
                         input=blob, capture_output=True, check=True).stdout.decode().split()
    assert out == ["True", "True", "1"]
