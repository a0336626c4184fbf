"""The cold-start caches (issue 12): the segmenter's tables and a passed rules check are kept
on disk; what they serve equals what is built, and a changed rules file checks again."""
from __future__ import annotations


import pytest

from baozhi.layers import rulecheck
from baozhi.resources import diskcache, ruleset, segmenter
from faultkit import clear_rule_caches, rules  # noqa: F401 - rules: a fixture

LEXICON = [{"word": "千亿级产业集群", "freq": "3000", "tag": "n"}, {"word": "太原市公安局"}]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("BAOZHI_CACHE", str(folder))
    return folder


def _tables(seg: segmenter.Segmenter) -> tuple:
    tok = seg.tokenizer
    return tok.FREQ, tok.total, tok.user_word_tag_tab, seg.tags


def test_segmenter_from_the_cache_equals_the_built_one(cache):
    first = segmenter.Segmenter(LEXICON)                 # builds and writes
    assert first.tags                                    # (built on first use)
    assert sorted(p.name.split("-")[0] for p in cache.iterdir()) == ["jieba", "segmenter"]
    second = segmenter.Segmenter(LEXICON)                # reads
    built = type(first.tokenizer)()
    built.initialize()
    for word, freq, tag in first.lexicon:
        built.add_word(word, freq, tag)
    assert _tables(first) == _tables(second)
    assert (second.tokenizer.FREQ, second.tokenizer.total) == (built.FREQ, built.total)
    text = "太原市公安局11月16日投资24.7亿元，到2025年形成四大千亿级产业集群。"
    assert list(second.cut(text)) == list(built.cut(text)) == list(first.cut(text))
    assert "千亿级产业集群" in list(second.cut(text))


def test_another_lexicon_is_another_table(cache):
    a = segmenter.Segmenter(LEXICON)
    b = segmenter.Segmenter(LEXICON[:1])
    assert "太原市公安局" in a.freq and "太原市公安局" not in b.freq


def test_an_unwritable_cache_builds_in_memory(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("BAOZHI_CACHE", str(blocker / "cache"))
    seg = segmenter.Segmenter(LEXICON)
    assert "千亿级产业集群" in seg.freq and seg.tags


def test_a_passed_check_is_remembered_and_a_changed_file_checks_again(cache, rules, monkeypatch):
    rulecheck.check_rules()
    assert [p.name.split("-")[0] for p in cache.glob("rulecheck-*")] == ["rulecheck"]
    calls = []
    monkeypatch.setattr(rulecheck, "_check", lambda: calls.append(1) or True)
    clear_rule_caches()
    rulecheck.check_rules()                      # same rules: served from the disk
    assert calls == []
    monkeypatch.undo()
    monkeypatch.setenv("BAOZHI_RULES", str(rules))
    monkeypatch.setenv("BAOZHI_CACHE", str(cache))
    path = rules / "dates" / "dates.yaml"
    text = path.read_text(encoding="utf-8")
    at = text.index("not_after: '")
    path.write_text(text[:at] + "not_after: '(?<=unclosed'" + text[text.index("\n", at):],
                    encoding="utf-8")
    clear_rule_caches()
    with pytest.raises(ruleset.RulesError, match="dates/dates.yaml"):
        rulecheck.check_rules()
    assert len(list(cache.glob("rulecheck-*"))) == 1   # a failure is never remembered
    with pytest.raises(ruleset.RulesError):
        rulecheck.check_rules()


LINES = ["太原市公安局11月16日投资24.7亿元，到2025年形成四大千亿级产业集群。",
         "北京 市政府 今年 增长 8%  ，到2000年粮食产量达到5000万吨",
         "中来光能董事长谢建军说，将快速推进一期后续4吉瓦项目建设。", "", "  "]


@pytest.mark.parametrize("text", LINES)
@pytest.mark.parametrize("layers", [None, ["figures"], ["targets"]])
def test_records_without_spacy_are_the_frames(text, layers):
    """``frame.plain.records`` (what ``baozhi run`` and ``annotate`` use) gives the records
    the spaCy frame writes to its Doc, record for record."""
    import datetime as dt

    from baozhi.frame import components, plain
    from baozhi.layers import registry

    asked = layers or registry.names()
    for day, home in ((None, None), (dt.date(1998, 1, 5), "广东")):
        doc = components.annotate(text, issue_date=day, home=home, layers=layers)
        assert plain.records(text, issue_date=day, home=home, layers=layers) == \
            components.records(doc, asked)
