"""One definition of each thing the rules name, read wherever it is used: the marks that end
sentences, halves and clauses (rules/bounds/bounds.yaml) are read by every place that cuts a
text by them — the Doc's sentences, the chunks of a long text, the articles' headings and
captions, the targets' trimmed ends — and the span directions of rules/dates/grammar.yaml make
the span production's gate and first characters; none keeps a copy that could drift."""
from __future__ import annotations

import datetime as dt

import pytest

from faultkit import clear_rule_caches, rules  # noqa: F401 - rules: a fixture

from baozhi.frame import language
from baozhi.layers.dates.dates import find_dates
from baozhi.layers.targets import targets
from baozhi.resources import marks
from baozhi.resources.ruleset import RulesError
from baozhi.run.chunked import chunk_bounds
from baozhi.stages.articles import split_articles
from baozhi.stages.repair import repair

NEW = "‼"     # no mark of the shipped rules


def _insert_after(path, old: str, new: str) -> None:
    """Write ``new`` right after the one ``old`` of a rules file; forget what was read of it."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, old + new), encoding="utf-8")
    clear_rule_caches()


@pytest.fixture
def more_marks(rules):  # noqa: F811 - the fixture imported above
    _insert_after(rules / "bounds" / "bounds.yaml", 'sentence_end: "', NEW)
    language._sentence_cfg.cache_clear()      # the frame's cache (not a rules builder's)
    yield rules
    language._sentence_cfg.cache_clear()


def test_the_shipped_marks_end_sentences_chunks_and_targets_alike():
    text = "项目年内开工；明年竣工……后年投产"
    doc = language.segment(text)
    assert [s.text for s in doc.sents] == ["项目年内开工；", "明年竣工……", "后年投产"]
    long = "字" * 60 + "！" + "字" * 30 + "，" + "字" * 30
    assert chunk_bounds(long, 100)[0] == (0, 61)              # after the sentence end
    assert chunk_bounds("字" * 91 + "、" + "字" * 30, 100)[0] == (0, 92)   # else another mark
    text = "到2025年，建成产业园2个；明年投产"
    issue = dt.date(2022, 11, 30)
    got = [t["text"] for t in targets.find_targets(text, [], find_dates(text, issue), issue)]
    assert got == ["到2025年，建成产业园2个", "明年投产"]            # a target ends at the half's end


def test_a_mark_added_to_bounds_is_read_everywhere(more_marks):
    assert NEW in marks.marks()["sentence_end"]
    doc = language.segment(f"他们说好了{NEW}然后走了")
    assert [s.text for s in doc.sents] == [f"他们说好了{NEW}", "然后走了"]
    assert chunk_bounds("字" * 60 + NEW + "字" * 60, 100)[0] == (0, 61)
    # a short line holding the mark is no heading (the heading stop marks)
    body = "本报北京1月1日电 记者王明报道：今年全省粮食产量达到三千万吨，比上年增长百分之五。"
    (plain,) = split_articles(repair("全省粮食喜获丰收\n" + body + "\n"))
    (marked,) = split_articles(repair(f"全省粮食喜获丰收{NEW}\n" + body + "\n"))
    assert plain.headline == "全省粮食喜获丰收" and marked.headline is None
    # a target ends at the mark and is trimmed of it
    text = f"到2025年，建成产业园2个{NEW}明年投产"
    issue = dt.date(2022, 11, 30)
    got = [t["text"] for t in targets.find_targets(text, [], find_dates(text, issue), issue)]
    assert got[0] == "到2025年，建成产业园2个"


def test_a_rules_file_names_only_kinds_of_bounds():
    assert marks.chosen({"marks": ["half_end"]}) == frozenset("；;")
    assert marks.chosen({"marks": ["clause_end"], "minus": "：:", "plus": "、"}) == frozenset("，,、")
    with pytest.raises(RulesError, match="clause_ends"):
        marks.chosen({"marks": ["clause_ends"]})


def test_a_span_direction_added_to_the_table_is_read(rules):  # noqa: F811 - the fixture
    """The span production's gate (``trigger``) and first characters are made from the table
    ``words.span_directions``: a direction word added there is found, with no other edit."""
    text = "他说将来的两个月要办完"
    assert find_dates(text, dt.date(2013, 2, 12)) == []
    _insert_after(rules / "dates" / "grammar.yaml", "span_directions: {", "将来的: ahead, ")
    got = [(d["text"], d["start_date"], d["end_date"]) for d in find_dates(text, dt.date(2013, 2, 12))]
    assert got == [("将来的两个月", "2013-02-13", "2013-04-12")]
