"""A page's articles through the layers at once (``plain.records_many``: the entities' CRF
scored and decoded for all of them in one pass) give the records each article gets alone."""
from __future__ import annotations

from pathlib import Path

import pytest

from baozhi.frame import plain
from baozhi.layers.entities import entities
from baozhi.run.process import article_text
from baozhi.stages.articles import split_articles
from baozhi.stages.ingest import load_metadata, read_page
from baozhi.stages.repair import repair

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _articles(name: str) -> tuple[list[str], object]:
    page = read_page(CORPUS / name, CORPUS, load_metadata(CORPUS))
    rep = repair(page.text)
    return [article_text(rep, art) for art in split_articles(rep)], page


def test_articles_together_give_the_records_each_gets_alone(monkeypatch):
    texts, page = _articles("000_a7ee0230a04bfec5.txt")
    alone = [plain.records(t, issue_date=page.issue_date, home=page.home) for t in texts]
    one_by_one = []
    real = entities._tag
    monkeypatch.setattr(entities, "_tag", lambda *a, **kw: one_by_one.append(1) or real(*a, **kw))
    together = plain.records_many(texts, issue_date=page.issue_date, home=page.home)
    assert together == alone
    assert len(texts) > 2 and one_by_one == []  # the page pass tagged them all: none alone
    names = [r["text"] for recs in together for r in recs["entities"]]
    assert "太原" in "".join(names)          # the CRF and the rules did find names


def test_the_batched_tagger_gives_each_text_its_own_labels():
    texts, _ = _articles("001_6aabacdc9d3ce053.txt")
    texts += ["", "   ", "山西省太原市公安局局长王建国昨天在迎泽区说。"]
    items = [(t, plain.token_offsets(t)) for t in texts]
    got = entities.tag_many(items)
    assert got is not None and len(got) == len(texts)
    for (text, tokens), (spans, _) in zip(items, got):
        # _tag gives a short text to crfsuite, a long one to the NumPy scorer: the same spans
        assert spans == entities._tag(text, tokens)[0]
    assert got[-1][0]                       # the last sentence has its names


def test_a_failing_text_is_an_error_in_its_place_and_the_others_go_on(monkeypatch):
    texts, page = _articles("000_a7ee0230a04bfec5.txt")
    alone = [plain.records(t, issue_date=page.issue_date, home=page.home) for t in texts]
    bad = texts[1]
    real = entities.find_entities

    def find(text, *a, **kw):
        if text == bad:
            raise RuntimeError("broken on purpose")
        return real(text, *a, **kw)

    def prepare_fails(items):
        raise RuntimeError("page pass broken")

    monkeypatch.setattr(entities, "find_entities", find)
    monkeypatch.setattr(entities, "tag_many", prepare_fails)  # each text then tags alone
    with pytest.warns(RuntimeWarning, match="entities layer's page pass failed"):
        got = plain.records_many(texts, issue_date=page.issue_date, home=page.home)
    assert isinstance(got[1], RuntimeError) and "on purpose" in str(got[1])
    assert [g for i, g in enumerate(got) if i != 1] == [a for i, a in enumerate(alone) if i != 1]


def test_an_article_whose_text_fails_is_its_own_error_row(monkeypatch):
    from baozhi.run import process

    page = read_page(CORPUS / "000_a7ee0230a04bfec5.txt", CORPUS, load_metadata(CORPUS))
    whole = process.process_page(page)
    real = process.article_text
    arts = split_articles(repair(page.text))

    def text_of(rep, art):
        if art.seq == arts[1].seq:
            raise ValueError("no text on purpose")
        return real(rep, art)

    monkeypatch.setattr(process, "article_text", text_of)
    got = process.process_page(page)
    (err,) = got["errors"]
    assert "no text on purpose" in err["error"] and err["article_id"].endswith(f":{arts[1].seq:02d}")
    broken = err["article_id"]
    # the other articles keep every row they had
    assert got["figures"] == [r for r in whole["figures"] if r["article_id"] != broken]
    assert got["figures"] and len(got["articles"]) == len(whole["articles"])
