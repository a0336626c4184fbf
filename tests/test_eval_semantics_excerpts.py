"""scripts/eval_semantics.py reads a label whose source names an excerpt of eval/ner_modern.jsonl
(``eval/ner_modern.jsonl#<doc_id>``): the excerpt's text, issue date and home, and the figures
``annotate`` finds in it, at offsets into that text."""
from __future__ import annotations

from eval_semantics import HELDOUT2, excerpt, predict_excerpts, read_labels

SRC = "eval/ner_modern.jsonl#web-zhongshan-2025"


def test_an_excerpt_source_gives_its_paragraphs_and_the_date_of_its_entry():
    rec = excerpt(SRC)
    assert rec["text"].startswith("8月28日,中山市招商引资项目集中签约仪式")
    assert rec["text"].count("\n") == 4          # five paragraphs, joined as the builder split them
    assert rec["issue_date"] == "2025-08-28" and rec["home"] is None
    assert excerpt("eval/ner_modern.jsonl#web-doumen-2025")["issue_date"] == "2025-01-01"  # date: 2025
    assert excerpt("eval/ner_modern.jsonl#web-catl-byd-2021")["issue_date"] == "2021-05-01"  # 2021-05
    assert excerpt("eval/ner_modern.jsonl#no-such-excerpt") is None
    assert excerpt("19980115_02.txt") is None


def test_the_figures_of_an_excerpt_are_keyed_by_offsets_into_its_text():
    text = excerpt(SRC)["text"]
    figs, canon = predict_excerpts([SRC])
    i = text.index("总投资额超100亿元") + len("总投资额")
    row = figs[(SRC, i, i + len("超100亿元"))]
    assert row["text"] == "超100亿元" and row["source"] == SRC
    ent = row.get("subject_entity")
    assert ent is None or ent in canon


def test_every_heldout2_label_of_an_excerpt_points_at_its_text():
    for path in sorted(HELDOUT2.glob("*.tsv")):
        for row in read_labels(path):
            if "#" in row["source"]:
                assert excerpt(row["source"])["text"][row["start"]:row["end"]] == row["text"], row


def _label_texts(folder):
    """Each label row of the .tsv files in ``folder`` with the text its offsets point into (the
    excerpt's, or the pd1998 page's; rows whose page is absent here are left out)."""
    from eval_semantics import page_dir

    for path in sorted(folder.glob("*.tsv")):
        for row in read_labels(path):
            if "#" in row["source"]:
                yield row, excerpt(row["source"])["text"]
            elif (root := page_dir(row["source"])) is not None:
                yield row, (root / row["source"]).read_text(encoding="utf-8")


def test_every_dev3_label_points_at_its_text():
    """The third development set (tests/labels/semantics_dev3/): each label's span is its text in
    the page (../shared/pd1998, skipped when absent) or in the excerpt of eval/semantics_dev3_web.yaml."""
    import pytest
    from eval_semantics import DEV3

    seen = 0
    for row, text in _label_texts(DEV3):
        assert text[row["start"]:row["end"]] == row["text"], row
        seen += 1
    if not seen:
        pytest.skip("no dev3 label's text is here (../shared/pd1998 absent)")


def test_an_excerpt_stored_whole_in_a_yaml_gives_its_text_and_date():
    rec = excerpt("eval/semantics_dev3_web.yaml#web-us-gdp-2023")
    assert rec["text"].startswith("中新社华盛顿3月30日电") and rec["text"].count("\n") == 3
    assert rec["issue_date"] == "2023-04-03" and rec["home"] is None
    assert excerpt("eval/semantics_dev3_web.yaml#web-shanghang-2024")["issue_date"] == "2025-01-01"
    assert excerpt("eval/semantics_dev3_web.yaml#no-such-excerpt") is None


def _labels_point_at_their_text(labels) -> int:
    """How many rows of the label files ``labels`` were checked (those whose source is here):
    each row's span is its text, names a status the guidelines define, and is labelled once."""
    seen, spans = 0, set()
    for row, text in _label_texts(labels):
        assert text[row["start"]:row["end"]] == row["text"], row
        assert row["status"] in {"actual", "target", "rule", "other"}, row
        key = (row["source"], row["start"], row["end"])
        assert key not in spans, row
        spans.add(key)
        seen += 1
    return seen


def test_every_dev4_label_points_at_its_text():
    """The fourth development set (tests/labels/semantics_dev4/, labelled blind): each label's span
    is its text in the excerpt of eval/semantics_dev4_web.yaml or in the pd1998 page (skipped when
    ../shared/pd1998 is absent), and no span is labelled twice."""
    from eval_semantics import DEV4

    assert _labels_point_at_their_text(DEV4) >= 60   # the modern half, whatever ../shared holds


def test_a_dev4_excerpt_gives_its_home_and_the_first_day_of_a_month_date():
    rec = excerpt("eval/semantics_dev4_web.yaml#web-deyang-jobs-2021")
    assert rec["text"].startswith("我市城镇新增就业再创新高") and rec["text"].count("\n") == 3
    assert rec["issue_date"] == "2021-12-01" and rec["home"] == "四川省德阳市"
    assert excerpt("eval/semantics_dev4_web.yaml#web-liyang-compounds-2022")["home"] is None


def test_every_dev5_label_points_at_its_text():
    """The fifth development set (tests/labels/semantics_dev5/, labelled blind): each label's span
    is its text in the excerpt of eval/semantics_dev5_web.yaml or in the pd1998 page (skipped when
    ../shared/pd1998 is absent), no span is labelled twice, and every label names a status."""
    from eval_semantics import DEV5, SETS

    assert SETS["dev5"] == (DEV5,) and DEV5 in SETS["all"]
    assert _labels_point_at_their_text(DEV5) >= 70   # the modern half, whatever ../shared holds


def test_a_dev5_excerpt_gives_its_date_and_home():
    rec = excerpt("eval/semantics_dev5_web.yaml#web-lanzhou-loans-2023")
    assert rec["text"].startswith("据兰州晚报报道 7月19日") and rec["text"].count("\n") == 1
    assert rec["issue_date"] == "2023-07-21" and rec["home"] == "甘肃省兰州市"
    rec = excerpt("eval/semantics_dev5_web.yaml#web-zhongshan-targets-2025")
    assert rec["issue_date"] == "2025-03-27" and rec["home"] is None
