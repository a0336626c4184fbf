"""The entity tagger's NumPy Viterbi gives crfsuite's labels, from strings and from ids."""
from __future__ import annotations

import json
import random

import numpy as np
import pycrfsuite
import pytest

from conftest import corpus_page, plain_viterbi
from baozhi.layers.entities import entities, featids, features as nf
from baozhi.layers.entities.crf import Scorer, read_model
from baozhi.stages.repair import repair


@pytest.fixture(scope="module")
def tagger():
    t = pycrfsuite.Tagger()
    t.open(str(entities.MODEL))
    return t


@pytest.fixture(scope="module")
def scorer(tmp_path_factory):
    return Scorer.load(entities.MODEL, tmp_path_factory.mktemp("cache"))


def crfsuite_labels(tagger, text, tokens=None, groups=()):
    return [tagger.tag(nf.features(p, local, entities.automata(), groups))
            for _, _, p, local in nf.pieces(text, tokens)]


def id_labels(scorer, text, tokens=None, groups=()):
    pieces = nf.pieces(text, tokens)
    return scorer.viterbi(featids.scores(scorer, featids.Ids(scorer), pieces, entities.automata(),
                                         groups))


def test_weights_are_the_model_files(tagger):
    """The weights read from the file are crfsuite's own (its dump prints six decimals)."""
    labels, attrs, state, trans = read_model(entities.MODEL)
    info = tagger.info()
    assert labels == tagger.labels()
    lab = {y: i for i, y in enumerate(labels)}
    att = {a: i for i, a in enumerate(attrs)}
    assert np.count_nonzero(state) == len(info.state_features)
    for (a, y), w in info.state_features.items():
        assert state[att[a], lab[y]] == pytest.approx(w, abs=1e-6)
    for (a, b), w in info.transitions.items():
        assert trans[lab[a], lab[b]] == pytest.approx(w, abs=1e-6)
    assert not state[-1].any()          # the row of unknown attributes


def test_dev_sentences_same_labels(tagger, scorer, shared):
    """A sample of People's Daily dev sentences: labels from strings and from ids are
    crfsuite's (scripts/crf_identity.py runs the whole dev set)."""
    lines = (shared / "pd1998" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in random.Random(12).sample(lines, 150)]
    named = 0
    for text in texts:
        theirs = crfsuite_labels(tagger, text)
        feats = [nf.features(p, local, entities.automata()) for _, _, p, local in nf.pieces(text, None)]
        assert scorer.tag(feats) == theirs, text
        assert id_labels(scorer, text) == theirs, text
        named += any(y != "O" for ys in theirs for y in ys)
    assert named > 50      # the sample has names in it: the labels compared are not all O


ODD = [
    "",
    "　　",
    "本报太原11月16日电（记者 张峰）山西省人民政府与ABC Corp.签约，投资24.7亿元。",
    "王小明说：“我们到北京去！”他又说：“好。”",
    "\x02\x03控制字符\x02太原市\t公安局 北京",
    "🎉表情😀符号 á é 中国人民银行山西省分行" * 3,
    "太原" * 400,                                # one chunk of 800 characters
    "。。！？”」",
    "一\n二\n\n三四五六七八九十李四",
]


@pytest.mark.parametrize("text", ODD)
def test_odd_text_same_labels(tagger, scorer, text):
    assert id_labels(scorer, text) == crfsuite_labels(tagger, text)


def test_corpus_page_same_labels(tagger, scorer):
    text = repair(corpus_page("000").read_text(encoding="utf-8")).text
    tokens = nf.tokenize(text)
    theirs = crfsuite_labels(tagger, text, tokens)
    assert id_labels(scorer, text, tokens) == theirs
    assert sum(y != "O" for ys in theirs for y in ys) > 20


def test_every_feature_group_same_scores():
    """With a model that knows every feature string of a text (random weights), the ids give
    the same sums as the strings, for every feature group: the ids are the strings' features,
    in the strings' order."""
    groups = ("trigram", "window3", "lexicon")
    text = ("新华社北京1月5日电 国务院总理李鹏今天在人民大会堂会见了美国客人ＡＢＣ。"
            "山西省太原市迎泽区柳巷南路12号，太原钢铁集团有限公司！“好”")
    pieces = nf.pieces(text, None)
    feats = [nf.features(p, local, entities.automata(), groups) for _, _, p, local in pieces]
    attrs = sorted({f for fs in feats for f3 in fs for f in f3})
    assert any(a.startswith("c3=") for a in attrs) and any(a.startswith("ls=") for a in attrs)
    assert any(a.startswith("u-3=") for a in attrs) and any(a.startswith("gj=") for a in attrs)
    rng = np.random.default_rng(12)
    labels = ["O", "B-LOC", "I-LOC", "E-LOC", "S-PER"]
    state = np.vstack([rng.normal(size=(len(attrs), len(labels))), np.zeros((1, len(labels)))])
    model = Scorer(labels, attrs, state, rng.normal(size=(len(labels), len(labels))))
    want = model.scores(feats)
    got = featids.scores(model, featids.Ids(model), pieces, entities.automata(), groups)
    assert len(got) == len(want)
    for a, b in zip(got, want):
        assert np.array_equal(a, b)


def test_cache_is_keyed_by_the_model(tmp_path):
    """The cache file is named by the model's sha256: another model, another file; a cache
    folder that cannot be written still gives a scorer."""
    first = Scorer.load(entities.MODEL, tmp_path)
    names = list(tmp_path.glob("crf-*.npz"))
    assert len(names) == 1
    again = Scorer.load(entities.MODEL, tmp_path)
    assert again.labels == first.labels and np.array_equal(again.state, first.state)
    other = tmp_path / "other.crfsuite"
    raw = bytearray(entities.MODEL.read_bytes())
    raw[-1] ^= 1                        # another file, another digest
    other.write_bytes(bytes(raw))
    Scorer.load(other, tmp_path)
    assert len(list(tmp_path.glob("crf-*.npz"))) == 2
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert Scorer.load(entities.MODEL, blocked / "cache").labels == first.labels


def test_disk_cache_rebuilds_for_another_key(tmp_path):
    """A table saved under one key is served to the next process asking with that key; a
    changed input (another key) builds again; an unwritable folder still builds."""
    from baozhi.resources import diskcache

    built = []

    def build():
        built.append(1)
        return {"太原": ("LOC",)}

    assert diskcache.cached("t", ("rules-1", "code-1"), build, tmp_path) == {"太原": ("LOC",)}
    assert diskcache.cached("t", ("rules-1", "code-1"), build, tmp_path) == {"太原": ("LOC",)}
    assert len(built) == 1
    diskcache.cached("t", ("rules-2", "code-1"), build, tmp_path)
    assert len(built) == 2
    (tmp_path / "file").write_text("not a folder")
    assert diskcache.cached("t", ("rules-1",), build, tmp_path / "file" / "x") == {"太原": ("LOC",)}


def test_cached_gazetteers_match_what_they_are_built_from(tmp_path, monkeypatch):
    """The gazetteers served from the disk cache find what freshly built ones find: the first
    call writes the cache (an empty folder), the second reads it back."""
    text = "山西省太原市迎泽区人民政府与中国人民银行太原中心支行，北京大学。"
    monkeypatch.setenv("BAOZHI_CACHE", str(tmp_path))
    entities.automata.cache_clear()
    try:
        entities.automata()
        assert list(tmp_path.iterdir()), "the first call wrote no cache entry"
        entities.automata.cache_clear()
        served = entities.automata()
    finally:
        entities.automata.cache_clear()
    fresh = entities._build_automata()
    assert [n for n, _ in served] == [n for n, _ in fresh]
    for (_, a), (_, b) in zip(served, fresh):
        assert list(a.iter(text)) == list(b.iter(text))
        assert len(a) == len(b)


def test_cached_gazetteers_follow_the_gazetteer_file_read(tmp_path, monkeypatch):
    """Another trained model's gazetteer (``eval_ner.py --models``) is never served from, nor
    stored over, the shipped one's cache entry: the key holds the bytes of the file read."""
    import gzip

    monkeypatch.setenv("BAOZHI_CACHE", str(tmp_path / "cache"))
    entities.automata.cache_clear()
    try:
        shipped = dict(entities.automata())["t"]
        assert "碧桂园控股" not in shipped
        other = tmp_path / "ner_gazetteer.tsv.gz"
        with gzip.open(other, "wt", encoding="utf-8") as fh:
            fh.write("碧桂园控股\tORG\n")
        monkeypatch.setattr(entities, "GAZETTEER", other)
        entities.automata.cache_clear()
        assert "碧桂园控股" in dict(entities.automata())["t"]
        monkeypatch.setattr(entities, "GAZETTEER", entities.MODELS_DIR / "ner_gazetteer.tsv.gz")
        entities.automata.cache_clear()
        assert "碧桂园控股" not in dict(entities.automata())["t"]
    finally:
        entities.automata.cache_clear()


def test_id_scores_are_the_string_scores_when_new_words_repeat(scorer):
    """Words seen for the first time, each more than once in one text, then other new words:
    every position's scores from ids are those from the strings, number for number (the
    words' memo hands each word one row)."""
    text = ("太原市公安局与太原市公安局签约，山西省人民政府和山西省人民政府、晋中市。"
            "北京北京上海上海广州，张三李四张三。\n“国内生产总值”增长8.8%。")
    pieces = nf.pieces(text, None)
    ids = featids.Ids(scorer)
    for _ in range(2):     # a fresh memo, then a warm one
        got = featids.scores(scorer, ids, pieces, entities.automata())
        want = scorer.scores([nf.features(p, local, entities.automata()) for _, _, p, local in pieces])
        assert len(got) == len(want)
        assert all(np.array_equal(a, b) for a, b in zip(got, want))


def test_word_rows_by_code_are_the_words_own(scorer):
    """``featids._word_rows`` finds a word of one to three characters by its packed code
    points (``Ids.word_code``), a longer one by its string: on random texts and cuts (NUL,
    astral and ASCII characters among them: a packed code must never be another length's
    word), with the memo warm, cold and forgotten between texts, every token gets the row of
    its own string, holding the ids a fresh memo gives that string."""
    rng = random.Random(7)
    alphabet = "\x00太原市公安局北京1２a\U00020000。 "
    tab = nf.jieba_tags()
    ids, fresh = featids.Ids(scorer), featids.Ids(scorer)
    for k in range(60):
        if k % 20 == 19:
            ids.forget_words(limit=1)
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 80)))
        cuts = sorted(rng.sample(range(1, len(text)), rng.randint(0, len(text) - 1))) if len(text) > 1 else []
        bounds = [0] + cuts + [len(text)]
        ts, te = np.array(bounds[:-1], dtype=np.intp), np.array(bounds[1:], dtype=np.intp)
        rows = featids._word_rows(ids, text, ts, te, tab)
        words = [text[a:b] for a, b in zip(bounds, bounds[1:])]
        assert rows.tolist() == [ids.word_row[w] for w in words]
        fresh.rows([w for w in dict.fromkeys(words) if w not in fresh.word_row], tab)
        assert np.array_equal(ids.word_rows[rows], fresh.word_rows[[fresh.word_row[w] for w in words]])


@pytest.mark.parametrize("jit", [False, True])
@pytest.mark.parametrize("kind", ["segmenter", "overlapping"])
def test_word_slots_in_order_and_overlapping_are_the_strings(kind, jit):
    """``featids._word_slots`` spreads a segmenter's tokens (in order, none overlapping) by
    token (NumPy, or ``kernels.word_slots``); tokens that overlap take the
    position-by-position way: both give the scores of the strings, number for number."""
    compiled_or_not(jit)
    scorer = Scorer.load(entities.MODEL, jit=jit)
    text = ("太原市公安局与山西省人民政府签约，北京上海广州张三李四。“国内生产总值”增长8.8%。"
            "本报太原11月16日电（记者 张峰）王小明说：我们到北京去！") * 2
    toks = nf.tokenize(text)
    given = toks if kind == "segmenter" else sorted(toks + [(1, 4), (20, 26), (30, 31)])
    pieces = nf.pieces(text, given)
    got = featids.scores(scorer, featids.Ids(scorer), pieces, entities.automata())
    want = scorer.scores([nf.features(p, local, entities.automata()) for _, _, p, local in pieces])
    assert all(np.array_equal(a, b) for a, b in zip(got, want))


def compiled_or_not(jit: bool):
    """The compiled kernels (``kernels.py``) for ``jit``, else None (the NumPy code); skips
    where numba is not installed."""
    if not jit:
        return None
    from baozhi.layers.entities import kernels

    kern = kernels.compiled()
    if kern is None:
        pytest.skip("numba is not installed (or BAOZHI_NO_JIT is set)")
    return kern


@pytest.mark.parametrize("jit", [False, True])
def test_word_codes_answer_as_a_dict(jit):
    """``featids.WordCodes`` (open addressing, grown by doubling from a small table) finds for
    every code the row a dict finds, -1 for codes it does not hold: codes known and new,
    repeated, spread and crowded (a few high bits apart: shared home slots and probing); by
    NumPy and by the compiled probe."""
    rng = np.random.default_rng(3)
    table, ref = featids.WordCodes(bits=4, kern=compiled_or_not(jit)), {}
    for _ in range(60):
        spread = rng.integers(1, 2 ** 62, size=int(rng.integers(1, 150)))
        crowded = rng.integers(1, 64, size=int(rng.integers(1, 40))) << 56
        old = np.array(list(ref)[:30], dtype=np.int64)
        codes = np.concatenate([spread, crowded, old, spread[:5]])
        assert table.find(codes).tolist() == [ref.get(c, -1) for c in codes.tolist()]
        new = [c for c in dict.fromkeys(codes.tolist()) if c not in ref]
        rows = list(range(len(ref), len(ref) + len(new)))
        table.add(new, rows)
        ref.update(zip(new, rows))
    assert table.count == len(ref) > 4000 and len(table.keys) >= 4 * len(ref)


def test_gazetteer_matches_as_ints_are_the_automatons():
    """A gazetteer built with table indices (``build_gazetteer``, what the entity layer
    loads) gives the matches of ``build_automaton``'s automaton, and both give the same
    feature ids, with random weights on every string, as the strings do."""
    entries = [("太原市", "LOC"), ("太原", "LOC"), ("太原", "ORG"), ("迎泽区", "LOC"),
               ("太原钢铁集团", "ORG"), ("李鹏", "PER"), ("鹏", "PER"), ("北京", "LOC")]
    gaz, raw = nf.build_gazetteer(entries), nf.build_automaton(entries)
    text = "李鹏在太原市迎泽区见太原钢铁集团的人，北京、太原。"
    assert list(gaz.iter(text)) == list(raw.iter(text))
    assert len(gaz) == len(raw) and "太原钢铁集团" in gaz and "鹏" not in gaz
    pieces = nf.pieces(text + "\n太原太原市李鹏李鹏。", None)
    feats = [nf.features(p, local, [("t", gaz)]) for _, _, p, local in pieces]
    attrs = sorted({f for fs in feats for f3 in fs for f in f3})
    assert "gt=LOC-B" in attrs and "gt=ORG-E" in attrs
    rng = np.random.default_rng(5)
    labels = ["O", "B-LOC", "E-LOC", "S-PER"]
    state = np.vstack([rng.normal(size=(len(attrs), len(labels))), np.zeros((1, len(labels)))])
    model = Scorer(labels, attrs, state, rng.normal(size=(len(labels), len(labels))))
    want = model.scores(feats)
    ids = featids.Ids(model)
    for autos in ([("t", gaz)], [("t", raw)], [("t", gaz)]):
        got = featids.scores(model, ids, pieces, autos)
        assert all(np.array_equal(a, b) for a, b in zip(got, want))


def test_gazetteers_over_one_automaton_are_each_sources_own():
    """Sources built over one automaton (``build_gazetteers``, one pass for all) give each
    the matches, in order, and the feature ids of that source's automaton built alone."""
    t = [("太原市", "LOC"), ("太原", "ORG"), ("太原钢铁集团", "ORG"), ("李鹏", "PER")]
    j = [("太原", "LOC"), ("迎泽区", "LOC"), ("钢铁", "ORG"), ("北京", "LOC"), ("李鹏", "PER")]
    both = nf.build_gazetteers({"t": t, "j": j})
    alone = [("t", nf.build_automaton(t)), ("j", nf.build_automaton(j))]
    assert both[0][1].auto is both[1][1].auto
    text = "李鹏在太原市迎泽区见太原钢铁集团的人，北京、太原。\n太原太原市李鹏李鹏。"
    for (n1, g), (n2, a) in zip(both, alone):
        assert n1 == n2 and len(g) == len(a) and list(g.iter(text)) == list(a.iter(text))
    assert "迎泽区" in both[1][1] and "迎泽区" not in both[0][1]
    pieces = nf.pieces(text, None)
    feats = [nf.features(p, local, alone) for _, _, p, local in pieces]
    attrs = sorted({f for fs in feats for f3 in fs for f in f3})
    rng = np.random.default_rng(7)
    labels = ["O", "B-LOC", "E-LOC", "S-PER"]
    state = np.vstack([rng.normal(size=(len(attrs), len(labels))), np.zeros((1, len(labels)))])
    model = Scorer(labels, attrs, state, rng.normal(size=(len(labels), len(labels))))
    want = model.scores(feats)
    got = featids.scores(model, featids.Ids(model), pieces, both)
    assert all(np.array_equal(a, b) for a, b in zip(got, want))


def automaton_matches(auto, text):
    return [x for pair in auto.iter(text) for x in pair]


MATCH_TEXTS = ODD + ["太原市太原钢铁集团太原", "太原太原太原市", "钢铁\x00太原市\x00李鹏", "鹏李鹏鹏"]


@pytest.mark.parametrize("jit", [False, True])
@pytest.mark.parametrize("text", MATCH_TEXTS)
def test_matcher_finds_the_automatons_matches_in_its_order(text, jit):
    """``features.Matcher`` (array operations over the text, or its compiled walk) gives the
    shared automaton's matches, in the order it gives them (by end, the longest first),
    surfaces of one character and overlapping ones included."""
    kern = compiled_or_not(jit)
    t = [("太原市", "LOC"), ("太原", "ORG"), ("太原钢铁集团", "ORG"), ("李鹏", "PER"), ("鹏", "PER")]
    j = [("太原", "LOC"), ("原市太", "LOC"), ("钢铁", "ORG"), ("中国人民银行", "ORG"), ("太原太原", "LOC")]
    both = nf.build_gazetteers({"t": t, "j": j}, min_len=1)
    g = both[0][1]
    assert g.matches(text, kern).tolist() == automaton_matches(g.auto, text)


@pytest.mark.parametrize("jit", [False, True])
def test_matcher_with_more_matches_than_characters(jit):
    """Every run of one character a surface: far more matches than characters (the
    compiled walk's first buffer too small: it counts, and is run again with room)."""
    kern = compiled_or_not(jit)
    g = nf.build_gazetteers({"t": [("鹏" * k, "PER") for k in range(1, 31)]}, min_len=1)[0][1]
    text = "李" + "鹏" * 40 + "李鹏"
    got = g.matches(text, kern).tolist()
    assert got == automaton_matches(g.auto, text) and len(got) > 4 * len(text)


@pytest.mark.parametrize("jit", [False, True])
def test_matcher_of_the_shipped_gazetteers_on_dev_sentences(shared, jit):
    """The shipped gazetteers' matches by ``Matcher`` (NumPy or compiled) are the automaton's
    on dev sentences (full-width, as the tagger reads them) and on a page of them joined by
    NULs."""
    kern = compiled_or_not(jit)
    g = entities.automata()[0][1]
    lines = (shared / "pd1998" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [nf.full_width(json.loads(line)["text"]) for line in random.Random(3).sample(lines, 200)]
    found = 0
    for text in texts + ["\x00".join(texts)]:
        got = g.matches(text, kern).tolist()
        assert got == automaton_matches(g.auto, text)
        found += len(got)
    assert found > 1000


def test_matcher_is_shared_and_not_pickled():
    """The sources over one automaton share one ``Matcher``; a pickled gazetteer carries
    none (made again, or loaded from its own cache entry, at first use)."""
    import pickle

    both = nf.build_gazetteers({"t": [("太原市", "LOC")], "j": [("太原", "LOC")]})
    m = both[0][1].matcher()
    assert both[1][1].matcher() is m
    again = pickle.loads(pickle.dumps(both))
    assert again[0][1]._shared is again[1][1]._shared and not again[0][1]._shared
    assert again[1][1].matches("在太原市").tolist() == [2, 1, 3, 0]


@pytest.mark.parametrize("jit", [False, True])
@pytest.mark.parametrize("tokens", ["jieba", "whole", "gaps", "overlapping", "shuffled", "chars"])
def test_pieces_from_arrays_are_the_loops(tokens, jit, monkeypatch):
    """``pieces`` places many tokens by array operations (``_locals``, or its compiled
    kernel): the same tokens in every chunk as the one-by-one walk, clipped at chunk ends
    (one token over every chunk: "whole"), spaces left out; tokens out of order sorted first;
    tokens that overlap are walked one by one."""
    kern = compiled_or_not(jit)
    text = ("本报太原11月16日电（记者 张峰）山西省人民政府与ABC Corp.签约。\n\n　　投资24.7亿元，"
            "王小明说：“我们到北京去！”  他又说：“好。” 一\n二\n\n三四五六七八九十李四") * 3
    toks = nf.tokenize(text)
    given = {"jieba": toks, "whole": [(0, len(text))], "gaps": [t for t in toks if t[0] % 3],
             "overlapping": toks + [(5, 9), (40, 44)],
             "shuffled": random.Random(3).sample(toks, len(toks)),
             "chars": [(i, i + 1) for i in range(len(text))]}[tokens]     # spaces inside chunks
    monkeypatch.setattr(nf, "_MANY_TOKENS", 10 ** 9)
    loop = nf.pieces(text, given)
    monkeypatch.setattr(nf, "_MANY_TOKENS", 0)
    arrays = nf.pieces(text, given, kern)
    assert [(s, e, p) for s, e, p, _ in arrays] == [(s, e, p) for s, e, p, _ in loop]
    assert [[tuple(map(int, x)) for x in loc] for *_, loc in arrays] == [list(loc) for *_, loc in loop]
    assert any(len(loc) for *_, loc in loop)
    if tokens == "chars":
        assert sum(len(loc) for *_, loc in loop) < sum(len(p) for _, _, p, _ in loop)
    if tokens in ("jieba", "shuffled"):
        assert isinstance(arrays[0][3], np.ndarray)
    if tokens == "overlapping":
        assert isinstance(arrays[0][3], list)


def test_surfaces_sharing_a_hash_are_found_by_the_automaton(monkeypatch):
    """Two surfaces of one length with one hash (forced here: base 0 hashes a surface by its
    last character): the ``Matcher`` alone misses one of them, so the gazetteer is not
    ``exact`` and its matches are the automaton's."""
    monkeypatch.setattr(nf.Matcher, "B", 0)
    g = nf.build_gazetteers({"t": [("太原", "LOC"), ("中原", "LOC"), ("太原市", "LOC")]})[0][1]
    text = "中原与太原市，太原。"
    assert not g.matcher().exact
    assert g.matcher().matches(text).tolist() != automaton_matches(g.auto, text)
    assert g.matches(text).tolist() == automaton_matches(g.auto, text)
    assert nf.build_gazetteers({"t": [("太原", "LOC"), ("太原市", "LOC")]})[0][1].matcher().exact


def test_the_shipped_matcher_is_loaded_from_the_disk_cache_at_first_use(monkeypatch):
    """``entities.automata`` has its ``Matcher`` loaded from its own disk entry when first
    used (a 1-worker run's first long text, not only ``warm_up``), not made in memory."""
    from baozhi.resources import diskcache

    asked, real = [], diskcache.cached

    def cached(name, *args, **kwargs):
        asked.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(diskcache, "cached", cached)
    entities.automata.cache_clear()
    try:
        g = entities.automata()[0][1]
        assert g.matches("北京市人民政府").tolist() == automaton_matches(g.auto, "北京市人民政府")
        assert asked == ["gazetteers", "gazetteer-matcher"] and g.matcher().exact
    finally:
        entities.automata.cache_clear()


@pytest.mark.parametrize("jit", [False, True])
def test_code_table_finds_what_a_binary_search_finds(jit):
    """``featids.CodeTable`` (open addressing) gives every code the index a search of the
    sorted keys gives it: random keys, keys crowded into a few home slots (long probes),
    codes present and absent, and the bigrams of a corpus page against the model's; by NumPy
    and by the compiled probe."""
    rng = np.random.default_rng(3)
    kern = compiled_or_not(jit)

    def binary(keys, codes):
        at = np.searchsorted(keys, codes)
        at[at == len(keys)] = 0
        return np.where(keys[at] == codes, at, len(keys)) if len(keys) else np.full(len(codes), 0)

    for keys in (np.unique(rng.integers(0, 1 << 42, 3000)), np.unique(rng.integers(0, 5000, 900)),
                 np.array([7], dtype=np.int64), np.zeros(0, dtype=np.int64)):
        table = featids.CodeTable(keys, kern)
        codes = np.concatenate([keys, rng.integers(0, 1 << 42, 2000), rng.integers(0, 6000, 2000),
                                keys[::-3] + 1]).astype(np.int64)
        assert np.array_equal(table.find(codes), binary(keys, codes))
    # keys sharing a home slot: each probes past the ones placed before it
    table = featids.CodeTable(np.arange(0, 64 * 97, 97, dtype=np.int64))
    crowd = np.array([k for k in range(0, 1 << 20, 7) if table.home(np.array([k]))[0] == 5][:40],
                     dtype=np.int64)
    assert len(crowd) == 40
    table = featids.CodeTable(crowd[:30], kern)
    assert np.array_equal(table.find(crowd), np.r_[np.arange(30), np.full(10, 30)])
    # keys homed at the last slot: each probes on from the table's end to its start (wrapping)
    bits = featids.CodeTable(np.arange(20, dtype=np.int64)).bits
    cand = np.arange(0, 1 << 22, dtype=np.int64)
    crowd = cand[featids.CodeTable(np.arange(20, dtype=np.int64)).home(cand) == (1 << bits) - 1][:30]
    assert len(crowd) == 30
    table = featids.CodeTable(crowd[:20], kern)
    assert table.bits == bits and (table.codes[:19] >= 0).all() and table.codes[-1] == crowd[0]
    assert np.array_equal(table.find(crowd), np.r_[np.arange(20), np.full(10, 20)])
    assert np.array_equal(table.find(crowd), binary(crowd[:20], crowd))
    ids = featids.Ids(Scorer.load(entities.MODEL, jit=jit))
    cp = featids._codes(repair(corpus_page("000").read_text(encoding="utf-8")).text)
    bigrams = (cp[:-1] << 21) | cp[1:]
    at = ids.bigrams.find(bigrams)
    for j, name in enumerate(featids.BIGRAM_SLOTS):
        keys, vals = ids.tables[name]
        want = np.append(vals, ids.unk)[binary(keys, bigrams)]
        assert np.array_equal(ids.bigram_ids[j][at], want)
        assert (want != ids.unk).sum() > 100


def test_viterbi_is_the_plain_one_with_ties():
    """``Scorer.viterbi`` (all chunks side by side) against a plain Viterbi of one chunk at
    a time, on scores and transitions of small integers (many equal sums: ties go to the
    lower label, at every step and at the end, as crfsuite's)."""
    rng = np.random.default_rng(5)
    labels = [f"L{i}" for i in range(7)]
    for _ in range(20):
        trans = rng.integers(-2, 3, (7, 7)).astype(float)
        model = Scorer(labels, ["a"], np.zeros((2, 7)), trans, jit=False)   # (the NumPy path;
        scores = [rng.integers(-3, 4, (int(n), 7)).astype(float)         # the compiled one:
                  for n in rng.integers(0, 40, int(rng.integers(1, 30)))]  # test_crf_kernels)
        assert model.viterbi(scores) == [plain_viterbi(trans, s, labels) if len(s) else []
                                         for s in scores]


def test_full_width_by_arrays_is_the_translation():
    """``features.full_width`` of a long text (code points shifted by NumPy) is
    ``str.translate`` by its table: every ASCII character, its neighbours 0x20 and 0x7F,
    full-width, CJK and astral characters, a lone surrogate, texts with no ASCII sign."""
    rng = random.Random(8)
    pool = [chr(c) for c in range(0x00, 0x100)] + list("　，。太原市１２ＡＢ\U00020000\U0001F600")
    texts = ["".join(rng.choice(pool) for _ in range(rng.randint(0, 300))) for _ in range(200)]
    texts += ["太原市" * 40, "\ud800" + "a" * 100, "".join(map(chr, range(0x10, 0x90))) * 2]
    for text in texts:
        assert nf.full_width(text) == text.translate(nf._FULL_WIDTH)


def test_a_state_without_the_unknown_row_is_refused():
    """``featids.scores`` takes rows of ``state`` with mode="clip": an id past a state without
    the unknown attribute's row would land on the last attribute's weights silently, so the
    scorer refuses such a state (and one with a column per label missing)."""
    labels, attrs, trans = ["O", "S-PER"], ["u0=李", "u0=鹏"], np.zeros((2, 2))
    Scorer(labels, attrs, np.zeros((3, 2)), trans)
    for bad in (np.zeros((2, 2)), np.zeros((4, 2)), np.zeros((3, 1))):
        with pytest.raises(ValueError, match="unknown attribute"):
            Scorer(labels, attrs, bad, trans)
