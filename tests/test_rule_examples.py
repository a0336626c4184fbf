"""One runner for every example in rules/: each is a test of what a user would see."""
from __future__ import annotations

import pytest

from baozhi.resources import ruleset
from rule_examples import check

EXAMPLES = list(ruleset.examples())


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.id for e in EXAMPLES])
def test_rule_example(example):
    assert check(example) == []


def test_every_rules_folder_has_examples():
    layers = {e.layer for e in EXAMPLES}
    assert {"repair", "segment"} <= layers


def test_a_misspelled_key_fails_naming_file_and_example(tmp_path, monkeypatch):
    """``expected:`` for ``expect:`` would otherwise check nothing and pass."""
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "typo_check.yaml").write_text(
        "examples:\n"
        "  - text: 投资30亿元\n"
        "    expect: [{text: 30亿元, value: 3.0e9, unit: CNY}]\n"
        "  - text: 投资30亿元\n"
        "    expected: [{text: 30亿元, value: 1}]\n"
        "  - text: 投资30亿元\n", encoding="utf-8")
    monkeypatch.setenv("BAOZHI_RULES", str(tmp_path))
    good, typo, empty = ruleset.examples()
    assert check(good) == []
    msgs = check(typo)
    assert msgs and all("figures/typo_check.yaml example #1" in m for m in msgs)
    assert any("unknown key 'expected'" in m for m in msgs)
    (msg,) = check(empty)
    assert "figures/typo_check.yaml example #2" in msg and "checks nothing" in msg


def test_keys_are_known_per_layer():
    bad = ruleset.Example("repair/x.yaml", "repair", 0, {"text": "a", "expect": []})
    assert any("unknown key 'expect'" in p for p in check(bad))
    ok = ruleset.Example("names/x.yaml", "names", 3, {"surface": "太原", "label": "LOC",
                                                      "expect": {"adcode": "140100"}})
    assert check(ok) == []
