"""Stage 4: spaCy Doc with jieba tokens, the user dictionary and sentences; layer wiring."""
from __future__ import annotations

import spacy

from baozhi.frame import components as nlp
from baozhi.layers import registry
from baozhi.frame.language import blank_zh, segment


def test_the_language_is_chinese_with_jieba_and_built_once():
    a, b = blank_zh(), blank_zh()
    assert a is b
    assert isinstance(a, spacy.language.Language) and a.lang == "zh"
    assert type(a.tokenizer).__name__ == "JiebaTokenizer"


def test_sentences_end_at_chinese_punctuation_and_line_breaks():
    doc = segment("省发改委公布规划。太原、晋中五市协同发展！\n\n记者 何宝国")
    assert [s.text.strip() for s in doc.sents] == [
        "省发改委公布规划。", "太原、晋中五市协同发展！", "记者 何宝国"]


def test_tokens_rebuild_the_text_exactly():
    text = "太原 舞起龙头  引领带动\n\n总投资24.7亿元, 记者 何宝国"
    doc = segment(text)
    assert doc.text == text
    assert [t.text for t in doc][:3] == ["太原", "舞起", "龙头"]


def test_the_user_dictionary_keeps_zone_names_whole():
    doc = segment("依托山西转型综改示范区和太忻一体化经济区")
    assert "山西转型综改示范区" in [t.text for t in doc]
    assert "太忻一体化经济区" in [t.text for t in doc]


def test_layer_components_are_registered_spacy_factories():
    pipe = nlp.get_nlp()
    for layer in registry.names():
        assert f"baozhi_{layer}" in pipe.pipe_names


def test_targets_pull_in_the_layers_they_need():
    # figures need entities and dates (what each figure measures: figures/semantics.py)
    assert [l.name for l in registry.compute_order(["targets"])] == [
        "entities", "dates", "figures", "targets"]
    assert registry.output_layers(["targets"]) == ("entities", "figures", "targets")


def test_splitting_tokens_at_entity_edges():
    doc = segment("河北省和三峡工程")
    nlp.split_tokens_at(doc, [2])
    assert [t.text for t in doc][:2] == ["河北", "省"]
    assert doc.text == "河北省和三峡工程"


def test_the_doc_keeps_its_text_exactly():
    """The tokenizer records the text it was given; it must be what spaCy's tokens join to,
    on every corpus page (spaces, line breaks and all), also after tokens are split."""
    from conftest import corpus_page

    for stem in ("000", "001", "002", "003", "004"):
        text = corpus_page(stem).read_text(encoding="utf-8")
        doc = segment(text)
        assert nlp.doc_text(doc) == doc.text == text
        nlp.split_tokens_at(doc, range(0, len(text), 7))
        assert doc.text == text
