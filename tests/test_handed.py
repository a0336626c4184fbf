"""A text's targets are found once: the figures layer finds them for its statuses and hands
them on (``Context.handed``); the targets layer takes them when its inputs are the same. Both
frames (``plain.records``, what ``baozhi run``/``annotate`` take, and the spaCy components
of ``baozhi.load()``) give the targets that ``find_targets`` gives on its own."""
from __future__ import annotations

import datetime as dt

import pytest
from spacy.tokens import Doc

import baozhi
from baozhi.frame import plain
from baozhi.layers.dates.dates import find_dates
from baozhi.layers.figures.figures import find_figures
from baozhi.layers.spec import Context
from baozhi.layers.targets import targets as targets_module, targets_of

ISSUE = dt.date(2022, 11, 18)
# sentences of corpus/000 and corpus/002 (太原日报)
TEXT = ("到2025年，形成四大千亿级产业集群，工业产值力争突破5000亿元。"
        "太原西北二环高速年底前竣工，总投资24.7亿元。")


@pytest.fixture
def calls(monkeypatch):
    """Counts the calls of find_targets (the module's own, as the layers call it)."""
    seen = []
    real = targets_module.find_targets

    def counted(*args, **kwargs):
        seen.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(targets_module, "find_targets", counted)
    return seen


def _alone(text: str, issue: dt.date | None) -> list[dict]:
    return targets_module.find_targets(text, find_figures(text), find_dates(text, issue), issue)


def test_plain_records_find_the_targets_once(calls):
    want = _alone(TEXT, ISSUE)
    calls.clear()
    got = plain.records(TEXT, ISSUE)
    assert len(calls) == 1
    assert got["targets"] == want
    assert [(t["modality"], t["figures"]) for t in got["targets"]] == [("到", [0, 1]), ("力争", [1]),
                                                                       ("年底前", [])]
    assert [(f["text"], f["status"]) for f in got["figures"]] == [
        ("四大千亿级", "target"), ("突破5000亿元", "target"), ("24.7亿元", "actual")]
    # the targets layer asked alone still needs the figures: found once too
    calls.clear()
    assert plain.records(TEXT, ISSUE, layers=["targets"])["targets"] == want
    assert len(calls) == 1


def test_a_text_without_figures_has_its_targets_found_by_the_targets_layer(calls):
    text = "太原西北二环高速年底前竣工。"
    got = plain.records(text, ISSUE)
    assert got["figures"] == [] and len(calls) == 1
    assert [t["modality"] for t in got["targets"]] == ["年底前"]


def test_targets_of_other_inputs_are_not_taken(calls):
    figures, dates = find_figures(TEXT), find_dates(TEXT, ISSUE)
    ctx = Context(issue_date=ISSUE)
    handed = targets_of(TEXT, figures, dates, ctx, hand_on=True)
    assert "targets" in ctx.handed
    # another issue date: the deadline of 年底前 moves, so the targets are found again
    other = Context(issue_date=dt.date(2023, 3, 1), handed=ctx.handed)
    again = targets_of(TEXT, figures, find_dates(TEXT, other.issue_date), other)
    assert len(calls) == 2 and not other.handed
    assert [t["deadline_end"] for t in handed] == ["2025-12-31", None, "2022-12-31"]
    assert [t["deadline_end"] for t in again] == ["2025-12-31", None, "2023-12-31"]


def test_the_spacy_pipeline_finds_the_targets_once(calls):
    nlp = baozhi.load()
    doc = nlp.make_doc(TEXT)
    doc._.issue_date = ISSUE
    calls.clear()
    doc = nlp(doc)
    assert len(calls) == 1
    assert doc._.targets == _alone(TEXT, ISSUE)
    assert [s.text for s in doc.spans["targets"]][2] == "太原西北二环高速年底前竣工"
    assert "baozhi.handed" not in doc.user_data       # nothing left on the Doc
    # a pipeline without the targets component leaves the figures' targets on the Doc, which
    # still saves
    figures_only = baozhi.load(layers=["figures"])
    assert "baozhi_targets" not in figures_only.pipe_names
    doc = figures_only(TEXT)
    back = Doc(figures_only.vocab).from_bytes(doc.to_bytes())
    assert doc._.figures and back._.figures == doc._.figures    # the figures survive a save
