"""The CRF's compiled kernels (``kernels.py``, numba) give the NumPy path's numbers exactly:
the same state scores bit for bit and the same labels, on real text and on made-up ties."""
from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT, corpus_page, plain_viterbi
from baozhi.layers.entities import entities, featids, kernels, features as nf
from baozhi.layers.entities.crf import Scorer
from baozhi.stages.repair import repair

pytest.importorskip("numba")


def compiled():
    """The compiled kernels; the test skips where they are switched off (``BAOZHI_NO_JIT``)."""
    kern = kernels.compiled()
    if kern is None:
        pytest.skip("BAOZHI_NO_JIT is set")
    return kern


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """(the compiled scorer, the NumPy one) of the shipped model, each with its own ids."""
    compiled()
    folder = tmp_path_factory.mktemp("cache")
    jit, plain = Scorer.load(entities.MODEL, folder), Scorer.load(entities.MODEL, folder, jit=False)
    assert jit.kernels is not None and plain.kernels is None
    return (jit, featids.Ids(jit)), (plain, featids.Ids(plain))


def assert_same(both, pieces, groups=()):
    """Scores byte for byte, labels equal, from one batch of pieces (as ``tag_many`` makes)."""
    (sj, ij), (sp, ip) = both
    auto = entities.automata()
    tj, lj = featids.flat_scores(sj, ij, pieces, auto, groups)
    tp, lp = featids.flat_scores(sp, ip, pieces, auto, groups)
    assert lj == lp
    assert tj.shape == tp.shape and tj.tobytes() == tp.tobytes()
    got, want = sj.viterbi_flat(tj, lj), sp.viterbi_flat(tp, lp)
    assert got == want
    return want


def test_dev_sentences_same_scores_and_labels(both, shared):
    """People's Daily dev sentences, in batches of 40 (one scoring, one Viterbi each)."""
    lines = (shared / "pd1998" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in random.Random(14).sample(lines, 400)]
    named = 0
    for k in range(0, len(texts), 40):
        pieces = [p for t in texts[k:k + 40] for p in nf.pieces(t, None)]
        named += sum(y != "O" for ys in assert_same(both, pieces) for y in ys)
    assert named > 500


def test_corpus_pages_same_scores_and_labels(both):
    """The bundled pages with the segmenter's tokens, each page one batch as in a run."""
    pieces = []
    for stem in ("000", "001", "002", "003"):
        text = repair(corpus_page(stem).read_text(encoding="utf-8")).text
        pieces += nf.pieces(text, nf.tokenize(text))
    labels = assert_same(both, pieces)
    assert sum(y != "O" for ys in labels for y in ys) > 100


def test_every_feature_group_same_scores(both):
    """The optional feature groups (sparse lexicon entries, more dense slots) as well."""
    text = ("新华社北京1月5日电 国务院总理李鹏今天在人民大会堂会见了美国客人ＡＢＣ。"
            "山西省太原市迎泽区柳巷南路12号，太原钢铁集团有限公司！“好”")
    assert_same(both, nf.pieces(text, None), ("trigram", "window3", "lexicon"))


def test_viterbi_with_ties_is_the_plain_one():
    """Scores and transitions of small integers (many equal sums: ties go to the lower label
    at every step and at the end, as ``np.argmax``), chunks of 0 to 40 positions: the compiled
    Viterbi against a plain one of one chunk at a time (the NumPy path's own test:
    tests/test_crf.py)."""
    compiled()
    rng = np.random.default_rng(14)
    L = 7
    labels = [f"L{i}" for i in range(L)]
    for _ in range(30):
        trans = rng.integers(-2, 3, (L, L)).astype(float)
        model = Scorer(labels, ["a"], np.zeros((2, L)), trans, jit=True)
        assert model.kernels is not None
        scores = [rng.integers(-3, 4, (int(n), L)).astype(float)
                  for n in rng.integers(0, 40, int(rng.integers(1, 30)))]
        assert model.viterbi(scores) == [plain_viterbi(trans, s, labels) if len(s) else []
                                         for s in scores]


def test_sums_in_order_are_the_numpy_sums():
    """Random weights of very different magnitudes (so that another order of addition would
    round differently), random ids (out of range ones clipped, as ``np.take(mode="clip")``)
    and sparse (position, id) pairs in any order: the kernel's sums are NumPy's bit for bit."""
    kern = compiled()
    rng = np.random.default_rng(3)
    for _ in range(20):
        rows, L, n, k = int(rng.integers(2, 50)), int(rng.integers(1, 12)), int(rng.integers(1, 300)), \
            int(rng.integers(1, 8))
        state = rng.normal(size=(rows, L)) * 10.0 ** rng.integers(-12, 12, (rows, 1))
        dense = rng.integers(-2, rows + 2, (k, n))
        pos = rng.integers(0, n, int(rng.integers(0, 3 * n)))
        sid = rng.integers(0, rows, len(pos))
        want = np.take(state, dense[0], axis=0, mode="clip")
        for s in dense[1:]:
            want += np.take(state, s, axis=0, mode="clip")
        for i in np.argsort(pos, kind="stable"):   # each position's pairs in their order
            want[pos[i]] += state[sid[i]]
        got = np.empty((n, L))
        kern.sums(state, dense, pos, sid, got)
        assert got.tobytes() == want.tobytes()


def test_no_jit_switch(monkeypatch):
    """``BAOZHI_NO_JIT=1`` leaves the NumPy path (the kernels are not made)."""
    monkeypatch.setenv("BAOZHI_NO_JIT", "1")
    assert kernels.compiled.__wrapped__() is None
    monkeypatch.setenv("BAOZHI_NO_JIT", "0")
    assert kernels.compiled.__wrapped__() is not None


def _run(code: str) -> list[str]:
    """The last line ``code`` prints to stderr, run by a fresh Python in the checkout, split."""
    proc = subprocess.run([sys.executable, "-c", code], input=SENTENCES, capture_output=True,
                          text=True, encoding="utf-8", cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stderr.strip().splitlines()[-1].split()


# one line of four sentences: chunks enough (``entities.SMALL``) for the NumPy scorer
SENTENCES = json.dumps({"id": "a", "text": "国务院总理李鹏今天会见了美国客人。山西省太原市迎泽区柳巷南路12号。"
                        "太原钢铁集团有限公司今年投资24.7亿元。新华社北京1月5日电。"}, ensure_ascii=False) + "\n"


def test_a_short_annotate_does_not_import_numba():
    """A few sentences of ``annotate`` are tagged by the NumPy scorer without numba's load
    (``entities.JIT_AFTER``): the scorer is made, numba never imported."""
    compiled()
    got = _run("import sys; from baozhi.apps.cli import main; rc = main(['annotate']); "
               "from baozhi.layers.entities import entities; "
               "print(rc, entities._scorer.cache_info().currsize, 'numba' in sys.modules, file=sys.stderr)")
    assert got == ["0", "1", "False"]


def test_warm_up_loads_the_kernels():
    """``warm_up`` (a batch, a Dask worker) loads the kernels, the feature ids told of them."""
    compiled()
    got = _run("import sys; from baozhi.run.chunked import warm_up; warm_up(); "
               "from baozhi.layers.entities import entities; k = entities._scorer().kernels; "
               "i = entities._ids(); "
               "print(k is not None, i.kern is k, i.word_code.kern is k, i.bigrams.kern is k, file=sys.stderr)")
    assert got == ["True"] * 4


def test_warm_up_of_a_small_batch_leaves_numba_out():
    """A batch whose workers each read fewer than ``JIT_AFTER`` characters warms up without the
    kernels (``warm_up(kernels=False)``: numba not imported, the NumPy scorer ready)."""
    compiled()
    got = _run("import sys; from baozhi.run.chunked import warm_up; warm_up(kernels=False); "
               "from baozhi.layers.entities import entities; s = entities._scorer(); "
               "print(s is not None, s.kernels is None, 'numba' in sys.modules, file=sys.stderr)")
    assert got == ["True", "True", "False"]


def test_chars_each_shares_the_pages_among_the_workers(tmp_path):
    """``batch._chars_each``: the pages' UTF-8 bytes over 3, shared among the workers (what
    decides the kernels' load before forking); a missing file counts nothing."""
    from baozhi.run.batch import _chars_each

    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("太原" * 1000, encoding="utf-8")
    b.write_text("市" * 500, encoding="utf-8")
    todo = [(a, "a.txt"), (b, "b.txt"), (tmp_path / "gone.txt", "gone.txt")]
    assert _chars_each(todo, 1) == 2500
    assert _chars_each(todo, 2) == 1250
    assert _chars_each([], 2) == 0


def test_kernels_loaded_past_the_threshold_give_the_same_scores(tmp_path):
    """A scorer loads its kernels once ``jit_after`` characters have been asked for; feature
    ids made before and told of them then (``Ids.use_kernels``: every table) give the same
    scores and labels."""
    compiled()
    scorer = Scorer.load(entities.MODEL, tmp_path, jit_after=100)
    assert scorer.kernels is None
    ids = featids.Ids(scorer)
    text = repair(corpus_page("000").read_text(encoding="utf-8")).text
    pieces = nf.pieces(text, nf.tokenize(text))
    auto = entities.automata()
    groups = ("trigram", "window3", "lexicon")
    before = featids.flat_scores(scorer, ids, pieces, auto, groups)
    assert ids.hashed and scorer.kernels_for(60) is None
    kern = scorer.kernels_for(60)
    assert kern is not None and scorer.kernels_for(10 ** 9) is kern
    ids.use_kernels(kern)
    assert all(t.kern is kern for t, _ in ids.hashed.values())
    after = featids.flat_scores(scorer, ids, pieces, auto, groups)
    assert after[1] == before[1] and after[0].tobytes() == before[0].tobytes()
    assert scorer.viterbi_flat(*after) == scorer.viterbi_flat(*before)


def _small_sums(kern) -> bytes:
    state = np.arange(12.0).reshape(4, 3)
    out = np.empty((2, 3))
    kern.sums(state, np.array([[0, 3], [1, 2]], dtype=np.intp), np.array([1], dtype=np.intp),
              np.array([2], dtype=np.intp), out)
    return out.tobytes()


def test_an_unwritable_cache_folder_compiles_in_memory(tmp_path, monkeypatch):
    """A cache folder that cannot be made or written (here under a file, which fails for root
    too): the kernels compiled in memory, no error, no file written anywhere by numba."""
    want = _small_sums(compiled())
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert not kernels._writable(blocker / "numba")
    assert kernels._writable(tmp_path / "ok" / "numba")
    monkeypatch.setenv("BAOZHI_CACHE", str(blocker / "cache"))
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    here = Path(kernels.__file__).parent / "__pycache__"
    before = sorted(here.glob("kernels.*.nb*")) if here.exists() else []
    kern = kernels.compiled.__wrapped__()
    assert kern is not None and _small_sums(kern) == want
    assert (sorted(here.glob("kernels.*.nb*")) if here.exists() else []) == before


def test_a_compile_leaves_no_garbage_and_prunes_old_files(tmp_path, monkeypatch):
    """A compile into a fresh cache folder leaves no cyclic garbage (collected before anyone
    freezes it into forked workers), and removes the files of kernels no longer in this file
    (an older line number); the current ones stay."""
    import gc

    compiled()
    monkeypatch.setenv("BAOZHI_CACHE", str(tmp_path))
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    was = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        kern = kernels.compiled.__wrapped__()
        left = gc.collect()
    finally:
        if was:
            gc.enable()
    assert left < 5000      # (~96,000 objects without the collection)
    folder = Path(kern.sums.stats.cache_path)
    assert folder.is_relative_to(tmp_path)
    now = sorted(p.name for p in folder.iterdir())
    assert len(now) == 2 * len(kernels.KERNELS)
    (folder / "kernels.sums-1.py311.nbi").write_text("")
    (folder / "kernels.sums-1.py311.1.nbc").write_text("")
    removed = kernels.prune_numba(vars(kern))
    assert sorted(p.name for p in removed) == ["kernels.sums-1.py311.1.nbc", "kernels.sums-1.py311.nbi"]
    assert sorted(p.name for p in folder.iterdir()) == now


def test_without_numba_the_numpy_path_gives_the_same_labels(tmp_path, monkeypatch):
    """numba not importable: ``compiled`` is None, the scorer runs its NumPy code, with the
    labels of the compiled one (the corpus page with its tokens)."""
    compiled()
    text = repair(corpus_page("001").read_text(encoding="utf-8")).text
    pieces = nf.pieces(text, nf.tokenize(text))
    auto = entities.automata()

    def labels(scorer):
        return scorer.viterbi_flat(*featids.flat_scores(scorer, featids.Ids(scorer), pieces, auto))

    want = labels(Scorer.load(entities.MODEL, tmp_path))
    monkeypatch.setitem(sys.modules, "numba", None)     # ``import numba`` raises ImportError
    monkeypatch.setattr(kernels, "compiled", kernels.compiled.__wrapped__)
    assert kernels.compiled() is None
    scorer = Scorer.load(entities.MODEL, tmp_path)
    assert scorer.kernels is None
    got = labels(scorer)
    assert got == want and sum(y != "O" for ys in got for y in ys) > 20


def test_latin_each_counts_the_letters_and_digits_of_jiebas_blocks(tmp_path):
    """``batch._latin_each``: the pages' ASCII letters, digits and block signs, shared among the
    workers (what decides whether the frequency table is made a dict before forking); Han
    characters, full-width digits and other ASCII count nothing, nor a missing file."""
    from baozhi.run.batch import _latin_each

    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("太原２０２２年GDP增长8.8%，" * 10, encoding="utf-8")    # G D P 8 . 8 %: 7
    b.write_text("中文 (x_1+y#z&w-v)!", encoding="utf-8")               # x _ 1 + y # z & w - v: 11
    todo = [(a, "a.txt"), (b, "b.txt"), (tmp_path / "gone.txt", "gone.txt")]
    assert _latin_each(todo, 1) == 81
    assert _latin_each(todo, 2) == 40
    assert _latin_each([], 2) == 0


def test_warm_up_without_the_frequency_dict():
    """``warm_up(freq=False)`` (a batch of pages with few letters and digits) makes the tag
    table a dict and builds jieba-rs, and leaves the frequency table looked up by bisection;
    ``warm_up()`` makes both dicts. (``warm_up()`` first: with the disk cache cold, building
    the entities' word sets looks up enough words to make the frequency table a dict anyway.)"""
    got = _run("import sys; from baozhi.run.chunked import warm_up; warm_up(kernels=False); "
               "from baozhi.resources import segmenter; s = segmenter.default(); "
               "print(type(s.tokenizer.FREQ).__name__, s.tags._dict is not None, file=sys.stderr)")
    assert got == ["dict", "True"]
    got = _run("import sys; from baozhi.run.chunked import warm_up; warm_up(kernels=False, freq=False); "
               "from baozhi.resources import segmenter; s = segmenter.default(); "
               "print(type(s.tokenizer.FREQ).__name__, s.tags._dict is not None, s._rust is not None, "
               "file=sys.stderr)")
    assert got == ["Freq", "True", "True"]
