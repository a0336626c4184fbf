"""The dates' gates (``needs``, ``trigger`` of dates.yaml's patterns and grammar.yaml's
productions) only say where a pattern gives no candidate: with every gate open, the candidates
are the same. Checked on the rules' example texts, the corpus pages and random texts made of
the characters of those examples."""
from __future__ import annotations

import datetime as dt
import random

import pytest

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


@pytest.fixture(scope="module")
def texts() -> list[str]:
    got = _examples(ruleset.load(dates.RULES)) + _examples(ruleset.load(grammar.RULES))
    for stem in ("000", "001", "002", "003", "004"):
        got.append(repair(corpus_page(stem).read_text(encoding="utf-8")).text)
    alphabet = sorted(set("".join(got[:-5])) | set("0123456789 \n"))
    rnd = random.Random(12)
    got += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(2, 16))) for _ in range(20000)]
    return [convert(t, extra=dates._ASCII_PAIRS) for t in got]


def test_the_gates_leave_out_no_candidate(texts, monkeypatch):
    """The candidates of every text are the same with every gate open."""
    issue = dt.date(2022, 11, 18)
    cfg = dates._cfg()
    gated = [(dates._candidates(t, cfg, {}), grammar.candidates(t, issue, {})) for t in texts]
    monkeypatch.setattr(grammar, "gate", lambda *a: True)
    found = 0
    for text, (d_got, g_got) in zip(texts, gated):
        d_open, g_open = dates._candidates(text, cfg, {}), grammar.candidates(text, issue, {})
        assert (d_got, g_got) == (d_open, g_open), text[:200]
        found += len(d_open) + len(g_open)
    # every pattern and production finds something in these texts (else nothing of it is checked)
    names = {n for t in texts for *_, n in grammar.candidates(t, issue, {})}
    assert names == {p.name for p in grammar.grammar()["_productions"]}
    assert found


def test_a_trigger_may_be_a_list_of_patterns():
    trig = grammar.triggers(["年(?<=\\d年)", "季度"])
    assert grammar.gate("2019年", "", trig, {}) and grammar.gate("一季度", "", trig, {})
    assert not grammar.gate("今年", "", trig, {})
    assert grammar.triggers(None) is None and len(grammar.triggers("a")) == 1
