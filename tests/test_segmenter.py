"""``segmenter.fast_cut`` gives jieba's own words (issue 12: the same tokens, fewer steps)."""
from __future__ import annotations

from pathlib import Path

import pytest

from baozhi.resources import segmenter

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

ODD = ["", " ", "\n\n", "a  b\r\n\tc", "ＡＢＣ１２３abc123.5%", "\u3000中\u3000文 ",
       "ab-c_d#e&f+g 3.14%", "😀中国😀", "他说：“我们走吧。”", "乒乓球拍卖完了",
       "南京市长江大桥", "结婚的和尚未结婚的", "研究生命起源", "王小二和李四喜去了石家庄市",
       "中" * 300, "1998年1月1日，北京市国内生产总值增长8.8%，达到1810亿元。"]


@pytest.fixture(scope="module")
def seg():
    return segmenter.default()


def _same(seg, text):
    fast = segmenter.fast_cut(seg.tokenizer, text)
    assert fast == list(seg.tokenizer.cut(text, HMM=True))
    assert "".join(fast) == text


def test_the_fast_path_is_taken_for_this_jieba(seg):
    text = "太原市公安局11月16日发布通知，中来光能年产16吉瓦电池项目开工。"
    assert seg._fast
    assert list(seg.cut(text)) == list(seg.tokenizer.cut(text, HMM=True))


@pytest.mark.parametrize("text", ODD)
def test_fast_cut_gives_jiebas_words_on_odd_text(seg, text):
    _same(seg, text)
    assert list(seg.tokenize(text)) == list(seg.tokenizer.tokenize(text))


def test_fast_cut_gives_jiebas_words_on_the_corpus_pages(seg):
    for page in sorted(CORPUS.glob("*.txt")):
        _same(seg, page.read_text(encoding="utf-8"))


def test_fast_cut_gives_jiebas_words_on_pd1998_pages(seg, shared):
    for page in sorted((shared / "pd1998" / "pages").glob("*.txt"))[:30]:
        _same(seg, page.read_text(encoding="utf-8"))


def test_the_lexicon_words_and_the_hmm_words_come_out_alike(seg):
    # a lexicon word kept whole, an unknown name found by jieba's HMM, in both ways
    text = "依托山西转型综改示范区，记者何宝国报道"
    words = segmenter.fast_cut(seg.tokenizer, text)
    assert "山西转型综改示范区" in words
    _same(seg, text)
