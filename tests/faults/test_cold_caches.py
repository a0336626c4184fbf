"""The cold-start caches (issue 12): the segmenter's tables and a passed rules check are kept
on disk; what they serve equals what is built, and a changed rules file checks again."""
from __future__ import annotations


import pytest
import regex

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
    # one file holds the frequency and the tag tables
    assert [p.name.split("-")[0] for p in cache.iterdir()] == ["segmenter"]
    second = segmenter.Segmenter(LEXICON)                # reads
    built = type(first.tokenizer)()
    built.initialize()
    for word, freq, tag in first.lexicon:
        built.add_word(word, freq, tag)
    assert _tables(first) == _tables(second)
    assert (second.tokenizer.FREQ, second.tokenizer.total) == (built.FREQ, built.total)
    # the same dicts in the same order as built (jieba's DAG and the entity features read them)
    assert list(second.tokenizer.FREQ.items()) == list(built.FREQ.items())
    assert list(second.tags.items()) == list(first._build_tags().items())
    assert second.tags["北京"] == "ns" and second.freq["北京"] == built.FREQ["北京"]
    # looked up by bisection, then (past DICT_AFTER lookups) through the dict: same answers
    tags, table = second.tags, first._build_tags()
    words = list(table)[::97] + ["不是一个词", "", "北京x"]
    assert isinstance(tags, segmenter.Tags) and tags._dict is None
    want = [table.get(w, "?") for w in words]
    assert [tags.get(w, "?") for w in words] == want
    while tags._dict is None:
        tags.get("北京")
    assert [tags.get(w, "?") for w in words] == want and ("北京" in tags, "x" in tags) == (True, False)
    text = "太原市公安局11月16日投资24.7亿元，到2025年形成四大千亿级产业集群。"
    assert list(second.cut(text)) == list(built.cut(text)) == list(first.cut(text))
    assert "千亿级产业集群" in list(second.cut(text))


def test_the_frequency_table_is_read_by_bisection_then_becomes_the_tokenizers_dict(cache):
    """A fresh segmenter's frequency table is a ``Freq`` (no dict of half a million words
    built for a line or two): the same counts, prefixes (0) and absences as jieba's dict;
    past ``DICT_AFTER`` lookups, or when written to (``add_word``), the tokenizer holds the
    dict itself, and pickling gives the dict."""
    import pickle

    segmenter.Segmenter(LEXICON)                          # writes the cache
    seg = segmenter.Segmenter(LEXICON)                    # reads it
    built = type(seg.tokenizer)()
    built.initialize()
    for word, freq, tag in seg.lexicon:
        built.add_word(word, freq, tag)
    freq = seg.tokenizer.FREQ
    assert isinstance(freq, segmenter.Freq) and freq._dict is None
    words = list(built.FREQ)[::89] + ["千亿级产业集", "千亿级产业集群", "不是一个词x", "", "\n"]
    want = [built.FREQ.get(w, "?") for w in words]
    assert [freq.get(w, "?") for w in words] == want and 0 in want
    assert ("北京" in freq, "北京x" in freq, freq["北京"]) == (True, False, built.FREQ["北京"])
    assert freq._dict is None and seg.tokenizer.FREQ is freq
    left = freq._left
    while freq._dict is None:
        freq.get("北京")
    assert left > 1000 and seg.tokenizer.FREQ is freq._dict and type(seg.tokenizer.FREQ) is dict
    assert [freq.get(w, "?") for w in words] == want
    lazy = segmenter.Segmenter(LEXICON).tokenizer.FREQ
    assert type(pickle.loads(pickle.dumps(lazy))) is dict and pickle.loads(pickle.dumps(lazy)) == built.FREQ
    other = segmenter.Segmenter(LEXICON)
    other.tokenizer.add_word("一个新的词语", 7)            # jieba writes into its table
    assert type(other.tokenizer.FREQ) is dict and other.freq["一个新的词语"] == 7
    assert other.freq["一个新的词"] == 0 and other.tokenizer.total == built.total + 7
    text = "太原市公安局11月16日投资24.7亿元，到2025年形成四大千亿级产业集群。"
    fresh = segmenter.Segmenter(LEXICON)
    assert list(fresh.cut(text)) == list(built.cut(text))
    assert isinstance(fresh.tokenizer.FREQ, segmenter.Freq)     # a line: still no dict
    fresh.use_dicts()
    assert type(fresh.tokenizer.FREQ) is dict and fresh.tags._dict is not None


def test_the_flat_tables_keep_words_that_hold_the_separator():
    freq, tags = {"北京": 3, "北": 0, "a\nb": 2}, {"北京": "ns", "a\nb": "x", "外": "f"}
    for f, t in ((freq, tags), ({"北京": 3, "北": 0}, {"北京": "ns", "外": "f"}), ({}, {})):
        got_freq, total, packed = segmenter.unpack_tables(segmenter.pack_tables(f, 5, t))
        assert (list(got_freq.items()), total) == (list(f.items()), 5)
        assert list(segmenter.unpack_tags(packed).items()) == list(t.items())
    for words in (["校园", "沙袋"], ["a\nb", "c"], []):
        assert list(diskcache.unpack_words(diskcache.pack_words(words))) == words


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


def test_the_entity_word_sets_from_the_cache_equal_the_built_ones(cache, monkeypatch, tmp_path):
    from baozhi.layers.entities import entities

    built = frozenset(entities._build_common_words()), frozenset(entities._build_known_people())
    for _ in range(2):     # writes, then reads
        assert entities._word_set("common-words", entities._build_common_words) == built[0]
        assert entities._word_set("known-people", entities._build_known_people) == built[1]
    assert "校园" in built[0] and "合肥" not in built[0]
    assert {"common", "known"} <= {p.name.split("-")[0] for p in cache.iterdir()}
    # another gazetteer is another key: built from it, not served the shipped one's set
    other = tmp_path / "gaz.tsv.gz"
    import gzip
    with gzip.open(other, "wt", encoding="utf-8") as fh:
        fh.write("校园\tORG\n张三丰\tPER\n")
    monkeypatch.setattr(entities, "GAZETTEER", other)
    assert "校园" not in entities._word_set("common-words", entities._build_common_words)
    assert "张三丰" in entities._word_set("known-people", entities._build_known_people)
    assert len(list(cache.glob("common-words-*"))) == 2


def test_a_new_entry_removes_stale_ones_of_its_name_and_keeps_the_current(cache):
    import os
    import time

    cache.mkdir()
    old = time.time() - 100
    stale = []
    for i in range(diskcache.KEEP + 2):          # left by earlier rules or checkouts
        p = cache / f"table-{i:032d}.pickle"
        p.write_bytes(b"x")
        os.utime(p, (old + i, old + i))
        stale.append(p)
    other = cache / "other-0.pickle"             # another table's entry: not this name's
    other.write_bytes(b"x")
    dead = cache / f".table-{9:032d}.pickle.k3x_9q"   # a killed writer's temporary file
    mine = cache / ".keep"                       # the user's own dotfile in a folder they chose
    for p in (dead, mine):
        p.write_bytes(b"x")
        os.utime(p, (old - diskcache.STALE_TMP_S, old - diskcache.STALE_TMP_S))
    with open(stale[0], "rb") as reading:        # a process still reading the oldest
        assert diskcache.cached("table", ["k"], lambda: 42) == 42
        assert reading.read() == b"x"
    left = sorted(p.name for p in cache.iterdir())
    current = [n for n in left if n.startswith("table-") and n not in {p.name for p in stale}]
    assert len(current) == 1
    # the current entry, the KEEP used last and the other table's stay; the rest go
    assert set(left) == {*current, *(p.name for p in stale[-diskcache.KEEP:]), other.name, mine.name}
    assert diskcache.cached("table", ["k"], lambda: 0) == 42      # served from the disk
    # a read renews an entry: one used just now outlives those written since, older uses go
    (entry,) = [cache / n for n in current]
    os.utime(entry, (old - 10, old - 10))
    assert diskcache.cached("table", ["k"], lambda: 0) == 42
    for i in range(diskcache.KEEP):
        diskcache.cached("table", [f"new{i}"], lambda: i)
    assert entry.exists() and not any(p.exists() for p in stale)



def test_entries_of_a_name_no_longer_written_go_once_unused_and_nothing_else_does(cache):
    """An older version's entries (jieba-tags, a name the code no longer writes) are removed
    once no process has used them for ``UNUSED_S``; one renewed by a read stays, and so do
    files that are no cache entry."""
    import os
    import time

    cache.mkdir()
    long_ago = time.time() - diskcache.UNUSED_S - 60
    retired = cache / f"jieba-tags-{'ab' * 16}.pickle"
    weights = cache / f"crf-2-{'cd' * 32}.npz"
    renewed = cache / f"gazetteers-{'ef' * 16}.pickle"
    notes = cache / "notes-of-mine.pickle"          # no entry's shape: never removed
    for p in (retired, weights, renewed, notes):
        p.write_bytes(b"x")
        os.utime(p, (long_ago, long_ago))
    os.utime(renewed)                               # read just now by another checkout
    assert diskcache.cached("table", ["k"], lambda: 1) == 1      # a write prunes
    left = {p.name for p in cache.iterdir()}
    assert retired.name not in left and weights.name not in left
    assert {renewed.name, notes.name} <= left and any(n.startswith("table-") for n in left)

def test_a_rules_file_parsed_from_the_disk_is_its_current_text(cache):
    first = ruleset._yaml("figures/test.yaml", "words: [亿元, 万吨]\nlimit: 3\n")
    assert ruleset._yaml("figures/test.yaml", "words: [亿元, 万吨]\nlimit: 3\n") == first
    assert [p.name.split("-")[0] for p in cache.iterdir()] == ["rules"]
    changed = ruleset._yaml("figures/test.yaml", "words: [亿元]\nlimit: 4\n")   # an edit
    assert changed == {"words": ["亿元"], "limit": 4}
    import yaml
    with pytest.raises(yaml.YAMLError):          # a broken file raises every time
        ruleset._yaml("figures/test.yaml", "words: [亿元\n")
    with pytest.raises(yaml.YAMLError):
        ruleset._yaml("figures/test.yaml", "words: [亿元\n")


REGEXES = [(r"(?<![\d.])(?P<a>\d+)(?:∶|:)(?P<b>\d+)(?!\d)", 0), (r"^\p{Han}{2,4}(?:市|县)$", 0),
           (r"^##(.+)$", regex.M), (r"(?i)gdp|ＧＤＰ", 0), (r"(年底|年末)(?:前|之前)?", 0),
           (r"(?:(?P<x>[一二三])|[0-9])+(?(x)个|件)", 0), ("[" + "".join("，。；、") + "]", 0)]
TEXTS = ["到2025年底前达到3:1，比例约为１∶８", "太原市\n##标题\n北京市", "GDP增长，ｇｄｐ", "一个三件9件",
         "中华人民共和国", ""]


@pytest.fixture
def fresh_regexcache(cache, monkeypatch):
    """regexcache as a new process finds it: nothing compiled, no table read."""
    from baozhi.resources import regexcache

    def new_process():
        for name, value in (("_memo", {}), ("_table", None), ("_new", {}), ("_path", None),
                            ("_oversized", False)):
            monkeypatch.setattr(regexcache, name, value)
    new_process()
    monkeypatch.setattr(regexcache, "_at_exit", True)     # no atexit hook from a test
    return new_process


def _matches(p, text):
    return [(m.span(), m.groups(), m.groupdict()) for m in p.finditer(text)]


def test_a_compiled_program_read_from_the_disk_matches_as_regex_compiles_it(cache, fresh_regexcache, monkeypatch):
    from baozhi.resources import regexcache

    want = {(p, f): [_matches(regex.compile(p, f), t) for t in TEXTS] for p, f in REGEXES}
    got = {(p, f): regexcache.compile(p, f) for p, f in REGEXES}
    assert regexcache.compile(*REGEXES[0]) is got[REGEXES[0]]        # once per process
    assert {k: [_matches(p, t) for t in TEXTS] for k, p in got.items()} == want
    regexcache.save()
    (table,) = cache.glob("regex-*.pickle")
    fresh_regexcache()                                 # another process: regex does not parse
    monkeypatch.setattr(regex, "compile", lambda *a, **k: pytest.fail("parsed again"))
    again = {(p, f): regexcache.compile(p, f) for p, f in REGEXES}
    assert {k: [_matches(p, t) for t in TEXTS] for k, p in again.items()} == want
    assert all(again[k].pattern == got[k].pattern and again[k].flags == got[k].flags
               and again[k].groupindex == got[k].groupindex for k in got)
    assert regexcache._new == {}                       # nothing new: the table is not rewritten


def test_a_table_of_another_regex_program_format_or_machine_is_not_read(cache, fresh_regexcache, monkeypatch):
    """The stored programs go to regex's C compiler unchecked: a C module of another program
    format (MAGIC, CODE_SIZE) or another machine reads another table."""
    import platform
    import types

    from baozhi.resources import regexcache

    real = regexcache._main._regex
    keys = {regexcache._key()}
    for name, value in (("MAGIC", real.MAGIC + 1), ("CODE_SIZE", real.CODE_SIZE * 2)):
        fake = types.SimpleNamespace(**{n: getattr(real, n) for n in ("MAGIC", "CODE_SIZE")})
        setattr(fake, name, value)
        with monkeypatch.context() as m:
            m.setattr(regexcache, "_main", types.SimpleNamespace(_regex=fake))
            keys.add(regexcache._key())
    with monkeypatch.context() as m:
        m.setattr(platform, "machine", lambda: "another")
        keys.add(regexcache._key())
    assert len(keys) == 4


def test_the_table_merges_what_other_processes_wrote_and_a_broken_one_is_parsed_again(cache, fresh_regexcache):
    from baozhi.resources import regexcache

    regexcache.compile("甲+")
    regexcache.save()
    fresh_regexcache()
    regexcache.compile("乙+")                           # a process that never saw 甲+
    regexcache.save()
    fresh_regexcache()
    assert {"甲+", "乙+"} <= {p for p, _ in regexcache._programs()}
    (table,) = cache.glob("regex-*.pickle")
    table.write_bytes(b"not a pickle")
    fresh_regexcache()
    assert regexcache.compile("甲+").findall("甲甲乙") == ["甲甲"]
    assert set(regexcache._new) == {("甲+", 0)}


def test_past_its_bound_the_table_keeps_only_what_the_writing_process_used(cache, fresh_regexcache, monkeypatch):
    """Programs of rules since changed (or of other checkouts sharing the folder) do not pile
    up for every process to read: a table past MAX_BYTES is written with the patterns of the
    process that writes it only, and those still match as regex compiles them."""
    from baozhi.resources import regexcache

    stale = [f"(?:{'|'.join(f'旧{i}词{j}' for j in range(40))})" for i in range(60)]
    for p in stale:                                    # other processes' patterns, long gone
        regexcache.compile(p)
    regexcache.save()
    (table,) = cache.glob("regex-*.pickle")
    grown = table.stat().st_size
    monkeypatch.setattr(regexcache, "MAX_BYTES", grown)    # (any new program passes it)
    fresh_regexcache()
    kept = [regexcache.compile(p, f) for p, f in REGEXES]       # this process's patterns
    regexcache.save()
    assert {p for p, _ in regexcache._read(table)} == {p for p, _ in REGEXES}
    assert table.stat().st_size < grown
    fresh_regexcache()
    with monkeypatch.context() as m:
        m.setattr(regex, "compile", lambda *a, **k: pytest.fail("parsed again"))
        assert [regexcache.compile(p, f).findall(TEXTS[0]) for p, f in REGEXES] == [
            k.findall(TEXTS[0]) for k in kept]
    # a table grown past the bound before (an older version, a larger bound): a process with
    # nothing new to write still writes it again, bounded
    monkeypatch.setattr(regexcache, "MAX_BYTES", 10**9)
    for p in stale:
        regexcache.compile(p)
    regexcache.save()
    monkeypatch.setattr(regexcache, "MAX_BYTES", table.stat().st_size - 1)
    fresh_regexcache()
    assert [regexcache.compile(p, f).findall(TEXTS[0]) for p, f in REGEXES[:2]] == [
        k.findall(TEXTS[0]) for k in kept[:2]]
    assert regexcache._new == {}
    regexcache.save()
    assert {p for p, _ in regexcache._read(table)} == {p for p, _ in REGEXES[:2]}


def test_an_unwritable_cache_compiles_in_memory(tmp_path, monkeypatch, fresh_regexcache):
    from baozhi.resources import regexcache

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("BAOZHI_CACHE", str(blocker / "cache"))
    fresh_regexcache()
    assert regexcache.compile(r"\d+").findall("a12b3") == ["12", "3"]
    regexcache.save()                                  # nothing raised, nothing written
    assert regexcache.compile(r"\d+").pattern == r"\d+"
