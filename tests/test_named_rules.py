"""Named rules: every rule function of the entities (organisations, roads) and of the targets is named
in its rules file, with examples beside it, and those examples need it: with the rule turned
off, one of them fails (so an example that exercises nothing cannot pass for one)."""
from __future__ import annotations

import contextlib

import pytest

from baozhi.layers.entities import organisations as org, roads
from baozhi.layers.figures import semantics as sem
from baozhi.layers.targets import targets as tg
from baozhi.resources import ruleset
from rule_examples import check

RULES = {"entities/organisations.yaml": org, "entities/places.yaml": roads,
         "targets/targets.yaml": tg, "figures/semantics.yaml": sem}
# rules whose effect no example shows yet: on the corpus and 40 pd1998 pages, turning
# verb_only_in_company off changes only wrong names (北京石景山发电总厂是华北电力集团公司,
# 开曼群岛作为总公司), and the companies tried with a verb inside are found whole by the tagger,
# which makes every word of their head proper
NOT_SHOWN = {"verb_only_in_company"}


def _named(file: str) -> dict:
    return ruleset.load(file)["rules"]


def _examples(file: str, name: str) -> list[ruleset.Example]:
    wanted = {id(c) for c in _named(file)[name]["examples"]}
    return [e for e in ruleset.examples() if e.file == file and id(e.case) in wanted]


# what a rule turned off does instead, by the table that holds it: let everything through
NEUTRAL = {
    "CANDIDATE_RULES": lambda p, n: True,
    "HEAD_RULES": lambda p, n, i: None,
    "SPAN_RULES": lambda p, n, start: start,
    "MARKER_RULES": lambda t: [],
    "FILTER_RULES": lambda t, m: True,
    "SCOPE_RULES": lambda t, m: None,
    "KEEP_RULES": lambda t, c: True,
    "ROAD_RULES": lambda r, p: None,
    # what each figure measures (figures/semantics.py): decide nothing, find no owner
    "METRIC_RULES": lambda *a: None,
    "LINK_EDGE_RULES": lambda *a: None,
    "METRIC_OK_RULES": lambda *a: False,
    "METRIC_FILTER_RULES": lambda *a: False,
    "SUBJECT_RULES": lambda *a: None,
    "SUBJECT_FILTER_RULES": lambda t, subject: subject,
    "SUBJECT_KEEP_RULES": lambda *a: True,
    "OWNER_RULES": lambda *a: [],
    "OWNER_FILTER_RULES": lambda *a: True,
    "PERIOD_RULES": lambda *a: None,
    "STATUS_RULES": lambda *a: None,
    "CHANGE_RULES": lambda *a: None,
    "CHANGE_FILTER_RULES": lambda *a: False,
    "CHANGE_NEAR_RULES": lambda *a: False,
    "DATE_BEFORE_RULES": lambda *a: False,
    "PERIOD_YEAR_RULES": lambda *a: None,
    "TARGET_FILTER_RULES": lambda *a: False,
    "TOLD_DATE_FILTER_RULES": lambda *a: False,
    "PLAN_CUE_FILTER_RULES": lambda *a: False,
    "CARRY_ACROSS_RULES": lambda *a: False,
}
SPECIAL = {  # rules that make what the next ones work on
    "suffix_ends_name": lambda word, tag: None,
    "name_needs_proper_part": lambda p, n, start: n.edge,  # the whole head
    "phrase_owns_next_clause": lambda t, m, fronted, end: m.cs,
    "join_same_clause": lambda t, cands: cands,
    "cut_before_next_target": lambda t, kept: None,
}


@contextlib.contextmanager
def _off(module, name: str):
    """``module`` with rule ``name`` replaced by one that decides nothing."""
    saved = {}
    for table in [t for t in vars(module) if t.endswith("_RULES")]:
        rules = getattr(module, table)
        if any(r.__name__ == name for r in rules):
            saved[table] = rules
            neutral = SPECIAL.get(name) or NEUTRAL[table]
            setattr(module, table, tuple(neutral if r.__name__ == name else r for r in rules))
    if not saved:
        saved[name] = getattr(module, name)
        setattr(module, name, SPECIAL[name])
    try:
        yield
    finally:
        for key, value in saved.items():
            setattr(module, key, value)


@pytest.mark.parametrize("file", sorted(RULES))
def test_every_rule_is_named_in_its_rules_file_with_examples(file):
    named = _named(file)
    assert list(named) == RULES[file].rule_names()
    for name, rule in named.items():
        assert rule.get("what") and rule.get("examples"), name


CASES = [(f, n) for f in sorted(RULES) for n in RULES[f].rule_names() if n not in NOT_SHOWN]


@pytest.mark.parametrize("file,name", CASES, ids=[n for _, n in CASES])
def test_a_rules_examples_need_it(file, name):
    examples = _examples(file, name)
    assert examples and all(check(e) == [] for e in examples)
    with _off(RULES[file], name):
        failed = [e.id for e in examples if check(e)]
    assert failed, f"turning {name} off changes none of its examples"
