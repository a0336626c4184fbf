"""``segmenter.fast_cut`` gives jieba's own words (issue 12: the same tokens, fewer steps), with its
blocks of Han characters cut by jieba-rs (``segmenter.Rust``) and without."""
from __future__ import annotations

import re
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


@pytest.fixture(scope="module")
def rust(seg):
    got = segmenter.Rust.build(seg.tokenizer)
    assert got is not None, "rjieba is a dependency: jieba-rs must hold our dictionary"
    return got


def _same(seg, text, rust=None):
    fast = segmenter.fast_cut(seg.tokenizer, text)
    assert fast == list(seg.tokenizer.cut(text, HMM=True))
    assert "".join(fast) == text
    if rust is not None:
        assert segmenter.fast_cut(seg.tokenizer, text, rust) == fast


def test_the_fast_path_is_taken_for_this_jieba(seg):
    text = "太原市公安局11月16日发布通知，中来光能年产16吉瓦电池项目开工。"
    assert seg._fast
    assert list(seg.cut(text)) == list(seg.tokenizer.cut(text, HMM=True))


@pytest.mark.parametrize("text", ODD)
def test_fast_cut_gives_jiebas_words_on_odd_text(seg, rust, text):
    _same(seg, text, rust)
    assert list(seg.tokenize(text)) == list(seg.tokenizer.tokenize(text))


def test_fast_cut_gives_jiebas_words_on_the_corpus_pages(seg, rust):
    for page in sorted(CORPUS.glob("*.txt")):
        _same(seg, page.read_text(encoding="utf-8"), rust)


def test_fast_cut_gives_jiebas_words_on_pd1998_pages(seg, rust, shared):
    for page in sorted((shared / "pd1998" / "pages").glob("*.txt"))[:30]:
        _same(seg, page.read_text(encoding="utf-8"), rust)


def test_the_lexicon_words_and_the_hmm_words_come_out_alike(seg):
    # a lexicon word kept whole, an unknown name found by jieba's HMM, in both ways
    text = "依托山西转型综改示范区，记者何宝国报道"
    words = segmenter.fast_cut(seg.tokenizer, text)
    assert "山西转型综改示范区" in words
    _same(seg, text)


# characters jieba-rs's block pattern takes and jieba's does not (CJK extension A, compatibility
# ideographs, beyond the BMP), letters and digits its HMM splits otherwise (JCP-01, A-1.5)
RUST_ODD = ["㐀中国\uf900乐\U00020000字了", "太原市中心城区JCP-01片区（三给", "A-1.5中文x_3甲B+2乙",
            "鿕鿖鿿中文", "５%３个，C++语言和C#", "\x1c中\u3000国 人\r\n民"]


@pytest.mark.parametrize("text", RUST_ODD)
def test_jieba_rs_blocks_give_jiebas_words_where_the_patterns_differ(seg, rust, text):
    _same(seg, text, rust)


def test_a_word_the_lexicon_forces_apart_is_split_after_jieba_rs(seg, monkeypatch):
    from jieba import finalseg

    text = "依托山西转型综改示范区，记者何宝国报道"
    assert "何宝国" in segmenter.fast_cut(seg.tokenizer, text)     # the HMM's word
    monkeypatch.setattr(finalseg, "Force_Split_Words", finalseg.Force_Split_Words | {"何宝国"})
    rust = segmenter.Rust.build(seg.tokenizer)
    words = segmenter.fast_cut(seg.tokenizer, text, rust)
    assert words == list(seg.tokenizer.cut(text, HMM=True))
    assert "何宝国" not in words and ["何", "宝", "国"] == words[words.index("何"):words.index("何") + 3]


def test_jieba_rs_is_taken_after_enough_text_only():
    from baozhi.resources import ruleset

    seg = segmenter.Segmenter(ruleset.load(segmenter.LEXICON))
    if not segmenter.Rust.available():
        pytest.skip("jieba-rs (rjieba) is not installed")
    seg.RUST_AFTER = 30
    short = "山西转型综改示范区记者何宝国报道"   # 16 characters: not yet past 30
    assert list(seg.cut(short)) == list(seg.tokenizer.cut(short)) and seg._rust is None
    text = "太原市公安局11月16日发布通知，中来光能年产16吉瓦电池项目开工。"
    words = list(seg.cut(text))          # 16 + 33 characters, past 30: built, and used from this text on
    assert seg._rust is not None
    assert words == list(seg.tokenizer.cut(text)) == list(seg.cut(text))


def test_jieba_rs_cuts_a_whole_text_alike_for_every_character_it_is_given(seg, rust):
    # fast_cut gives jieba-rs a whole text with no character of _RUST_WHOLE_UNSAFE: every other
    # character of the BMP, between Han words, alone and doubled, must come out as jieba's words
    unsafe = segmenter._RUST_WHOLE_UNSAFE
    chars = [c for c in map(chr, range(0x10000)) if not unsafe.search(c)]
    assert len(chars) > 40_000 and "\u4e00" in chars and "，" in chars and "\u3000" in chars
    for lo in range(0, len(chars), 4096):
        text = "".join(f"发展{c}中国{c}{c}人民" for c in chars[lo:lo + 4096])
        assert not unsafe.search(text)
        assert segmenter.fast_cut(seg.tokenizer, text, rust) == segmenter.fast_cut(seg.tokenizer, text)


# (RUST_ODD's last text, spaces and \r\n only, goes whole: test_crlf_texts_go_whole_and_alike)
@pytest.mark.parametrize("text", RUST_ODD[:-1] + ["a  b\r\n\tc", "ab-c_d#e&f+g 3.14%", "😀中国😀",
                                             "1998年1月1日，北京市国内生产总值增长8.8%"])
def test_a_text_jieba_rs_could_cut_otherwise_goes_block_by_block(seg, rust, text):
    assert segmenter._RUST_WHOLE_UNSAFE.search(text)
    _same(seg, text, rust)


def test_the_articles_of_pd1998_are_cut_whole_and_alike(seg, rust, shared):
    from baozhi.run.process import article_text
    from baozhi.stages.articles import split_articles
    from baozhi.stages.repair import repair

    whole = 0
    for page in sorted((shared / "pd1998" / "pages").glob("*.txt"))[:10]:
        rep = repair(page.read_text(encoding="utf-8"))
        for art in split_articles(rep):
            text = article_text(rep, art)
            whole += not segmenter._RUST_WHOLE_UNSAFE.search(text)
            assert segmenter.fast_cut(seg.tokenizer, text, rust) == list(seg.tokenizer.cut(text, HMM=True))
    assert whole > 50


# random mixed text for the whole-text call: Han words and characters, runs of jieba's block
# letters, digits and signs, astral characters, spaces and line ends (\r, \n, \r\n mixed) and
# any character of the BMP the whole-text class lets through
_HAN_WORDS = "发展 中国 人民 经济 北京市 增长 达到 亿元 乒乓球 南京市 长江 大桥 研究 生命 的 了 和 是 年 月 日".split()
_ASCII = "abcxyzABCXYZ0123456789+#&._%-"
_ASCII_WORDS = ["3.14", "8.8%", "C++", "C#", "A-1.5", "x_3", "JCP-01", "1.2.3", "GDP", "iPhone", "a&b", "--",
                ".5", "5."]
_ASTRAL = ["😀", "𠀀", "𠀁", "\U0001F1E8\U0001F1F3", "𝐀", "\U00020001\U00020002"]
_LINE = ["\r\n", "\r", "\n", " ", "\t", "\u3000", "\r\r\n", "\n\r"]


def _mixed_texts(seed: int, n: int, unsafe) -> list[str]:
    import random

    rng = random.Random(seed)
    let = [c for c in map(chr, range(0x10000)) if not unsafe.search(c)]
    pick = rng.choice
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 12)):
            r = rng.random()
            if r < 0.3:
                parts.append(pick(_HAN_WORDS))
            elif r < 0.45:
                parts.append("".join(chr(rng.randint(0x4E00, 0x9FD5)) for _ in range(rng.randint(1, 4))))
            elif r < 0.6:
                parts.append("".join(pick(_ASCII) for _ in range(rng.randint(1, 5))))
            elif r < 0.7:
                parts.append(pick(_ASCII_WORDS))
            elif r < 0.78:
                parts.append(pick(_ASTRAL))
            elif r < 0.88:
                parts.append("".join(pick(_LINE) for _ in range(rng.randint(1, 3))))
            else:
                parts.append("".join(pick(let) for _ in range(rng.randint(1, 3))))
        out.append("".join(parts))
    return out


def _cut_otherwise(seg, rust, unsafe, monkeypatch) -> tuple[int, int]:
    """(texts cut whole, texts whose words differ from jieba's) with ``unsafe`` as the class."""
    monkeypatch.setattr(segmenter, "_RUST_WHOLE_UNSAFE", unsafe)
    whole = differ = 0
    for text in _mixed_texts(12, 3000, unsafe):
        whole += not unsafe.search(text)
        differ += segmenter.fast_cut(seg.tokenizer, text, rust) != list(seg.tokenizer.cut(text, HMM=True))
    return whole, differ


def test_jieba_rs_cuts_random_mixed_text_alike(seg, rust, monkeypatch):
    assert rust.whole
    whole, differ = _cut_otherwise(seg, rust, segmenter._RUST_WHOLE_UNSAFE, monkeypatch)
    assert differ == 0 and whole > 300


@pytest.mark.parametrize("part", ["a-zA-Z0-9+#&._%\\-", "\U00010000-\U0010FFFF"])
def test_the_random_mixed_text_would_see_a_weaker_class(seg, rust, monkeypatch, part):
    # the negative control of the test above: without its ASCII part (or its astral part) the
    # class lets texts through that jieba-rs cuts otherwise, and the same texts show it
    import re

    full = segmenter._RUST_WHOLE_UNSAFE.pattern
    assert part in full
    whole, differ = _cut_otherwise(seg, rust, re.compile(full.replace(part, "", 1)), monkeypatch)
    assert differ > 10


def test_the_class_holds_every_non_han_character_of_jiebas_blocks():
    # jieba's own block pattern (pinned with jieba by FAST_CUT_JIEBA) is where the class's ASCII
    # part comes from: each of its characters other than Han must be in the class
    from jieba import re_han_default

    han = re.compile("[\u4E00-\u9FD5]")
    jiebas = [c for c in map(chr, range(0x10000)) if re_han_default.match(c) and not han.match(c)]
    assert len(jiebas) == 26 * 2 + 10 + 7
    assert [c for c in jiebas if not segmenter._RUST_WHOLE_UNSAFE.search(c)] == []


def test_crlf_texts_go_whole_and_alike(seg, rust):
    # \r is not in the class: both skip patterns keep \r\n one word, and a lone \r one word
    import random

    rng = random.Random(3)
    pieces = ["\r", "\n", "\r\n", "\r\r\n", "\n\r", " ", "\t", "\u3000", "，", "。", "发展", "中国", "人民",
              "北京市", "增长", "的", "了"]
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 30)))
        assert not segmenter._RUST_WHOLE_UNSAFE.search(text)
        assert segmenter.fast_cut(seg.tokenizer, text, rust) == list(seg.tokenizer.cut(text, HMM=True))
    assert rust.cut("他说\r\n好\r\r\n\n\r", True) == list(seg.tokenizer.cut("他说\r\n好\r\r\n\n\r"))


def test_another_rjieba_falls_back_to_blocks_of_han_characters(seg, monkeypatch):
    # the whole-text call relies on jieba-rs's block and skip patterns, checked for the versions of
    # RUST_WHOLE_RJIEBA only: with any other rjieba, only blocks of Han characters go to jieba-rs
    text = "发展，中国人民\r\n经济"
    assert not segmenter._RUST_WHOLE_UNSAFE.search(text)
    for version, whole, calls in [(next(iter(segmenter.RUST_WHOLE_RJIEBA)), True, [text]),
                                  ("0.2.99", False, ["发展", "中国人民", "经济"]), (None, False, None)]:
        monkeypatch.setattr(segmenter, "rjieba_version", lambda: version)
        rust = segmenter.Rust.build(seg.tokenizer)
        assert rust.whole is whole
        seen, cut = [], rust.cut
        rust.cut = lambda t, hmm, cut=cut: seen.append(t) or cut(t, hmm)
        assert segmenter.fast_cut(seg.tokenizer, text, rust) == list(seg.tokenizer.cut(text, HMM=True))
        assert seen == (calls or ["发展", "中国人民", "经济"])


def test_rjiebas_extension_is_loaded_without_its_default_dictionary():
    """``_rjieba`` loads the extension module alone (no default ``Jieba`` built by the
    package's ``__init__``), and a later ``import rjieba`` gets that very module."""
    import subprocess
    import sys

    pytest.importorskip("rjieba")
    code = (
        "import sys\n"
        "from baozhi.resources import segmenter\n"
        "m = segmenter._rjieba()\n"
        "assert 'rjieba' not in sys.modules, 'the package ran'\n"
        "assert segmenter._rjieba() is m\n"
        "j = m.Jieba.empty(); j.add_word('北京市', 10, None); j.add_word('增长', 5, None)\n"
        "assert j.cut('北京市增长', True) == ['北京市', '增长']\n"
        "import rjieba\n"
        "assert rjieba.Jieba is m.Jieba\n"
        "print('ok')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


@pytest.fixture
def fake_rjieba(tmp_path, monkeypatch):
    """A fake ``rjieba`` package first on the path (its ``__init__`` defines ``Jieba``), the
    real one out of ``sys.modules`` for the test (both restored after it)."""
    import importlib
    import sys

    for name in ("rjieba", "rjieba.rjieba"):
        if name in sys.modules:
            monkeypatch.delitem(sys.modules, name)
    pkg = tmp_path / "rjieba"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("class Jieba:\n    fake = 'package'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()

    def fresh():
        for name in ("rjieba", "rjieba.rjieba"):
            sys.modules.pop(name, None)
        importlib.invalidate_caches()

    yield pkg, fresh
    fresh()


def test_rjieba_falls_back_to_the_package_where_its_extension_will_not_do(fake_rjieba, monkeypatch):
    """``_rjieba`` takes the extension alone only for a checked version, and where it is found,
    loads and holds ``Jieba``; otherwise (missing, not loading, without ``Jieba``, another
    version) the package's ``Jieba``, and no half-loaded module is left registered."""
    import importlib.machinery
    import sys

    pkg, fresh = fake_rjieba
    checked = next(iter(segmenter.RJIEBA_EXTENSION_ALONE))

    def got(version):
        fresh()
        monkeypatch.setattr(segmenter, "rjieba_version", lambda: version)
        return segmenter._rjieba().Jieba.fake

    assert got(checked) == "package"                       # no extension file
    bad = pkg / f"rjieba{importlib.machinery.EXTENSION_SUFFIXES[0]}"
    bad.write_bytes(b"not a shared object")                  # a file that does not load
    assert got(checked) == "package"
    assert "rjieba.rjieba" not in sys.modules
    bad.unlink()
    # an "extension" that loads (a .py file taken as one) ...
    monkeypatch.setattr(importlib.machinery, "EXTENSION_SUFFIXES", [".py"])
    (pkg / "rjieba.py").write_text("X = 1\n")                 # ... but holds no Jieba
    assert got(checked) == "package"
    assert "rjieba.rjieba" not in sys.modules
    (pkg / "rjieba.py").write_text("class Jieba:\n    fake = 'extension'\n")
    assert got(checked) == "extension"                      # the checked version: taken alone
    assert got("0.2.99") == "package" and got(None) == "package"   # any other: the package


def test_jieba_rs_built_from_the_frequency_table_before_its_dict_cuts_alike(seg):
    """``warm_up(freq=False)`` builds jieba-rs from a ``Freq`` read by bisection (no dict made,
    ``use_dicts(freq=False)``): the same words, counts and order as from the dict, so the same
    words cut, and the table still looked up by bisection."""
    from baozhi.resources import ruleset

    fresh = segmenter.Segmenter(ruleset.load(segmenter.LEXICON))
    if not segmenter.Rust.available():
        pytest.skip("jieba-rs (rjieba) is not installed")
    freq = fresh.tokenizer.FREQ
    assert isinstance(freq, segmenter.Freq), "the flat table on disk: not a dict yet"
    lazy = fresh.use_rust()
    fresh.use_dicts(freq=False)
    assert fresh.tokenizer.FREQ is freq and freq._dict is None
    assert isinstance(fresh.tags, segmenter.Tags) and fresh.tags._dict is not None
    seg.use_dicts()                 # the other built from the dict itself (review F9)
    assert type(seg.tokenizer.FREQ) is dict
    full = segmenter.Rust.build(seg.tokenizer)
    texts = ODD + RUST_ODD + [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    for text in texts:
        assert lazy.cut(text, True) == full.cut(text, True)
        assert segmenter.fast_cut(fresh.tokenizer, text, lazy) == segmenter.fast_cut(seg.tokenizer, text, full)
    assert fresh.tokenizer.FREQ is freq, "the corpus's look-ups stay below DICT_AFTER"
    assert len(lazy.cut("".join(texts), True)) == len(full.cut("".join(texts), True))
