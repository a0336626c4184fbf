"""One definition of each thing the rules name, read wherever it is used: the span directions
of rules/dates/grammar.yaml make the span production's gate and first characters; none keeps
a copy that could drift."""
from __future__ import annotations

from faultkit import clear_rule_caches, rules  # noqa: F401 - rules: a fixture


def test_a_span_direction_added_to_the_table_is_read(rules):  # noqa: F811 - the fixture
    """The span production's gate (``trigger``) and first characters are made from the table
    ``words.span_directions``: a direction word added there is found, with no other edit."""
    import datetime as dt

    from baozhi.layers.dates.dates import find_dates

    text = "他说将来的两个月要办完"
    assert find_dates(text, dt.date(2013, 2, 12)) == []
    path = rules / "dates" / "grammar.yaml"
    grammar = path.read_text(encoding="utf-8")
    old = "span_directions: {"
    assert grammar.count(old) == 1
    path.write_text(grammar.replace(old, old + "将来的: ahead, "), encoding="utf-8")
    clear_rule_caches()
    got = [(d["text"], d["start_date"], d["end_date"]) for d in find_dates(text, dt.date(2013, 2, 12))]
    assert got == [("将来的两个月", "2013-02-13", "2013-04-12")]
