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
