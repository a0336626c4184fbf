"""Stage 6 — entities: organisations, places and people, with official names and codes.

Entry point: ``find_entities(text, home, tokens=None) -> list[dict]`` with start, end, text,
label (ORG, LOC, PER), canonical, adcode and the other keys of ``baozhi.layers.entities.names.resolve``, and
``found_by`` (``crf`` the tagger, ``article`` another occurrence of a name tagged in the same text,
``rule`` the rule/gazetteer layer, ``byline`` a reporter's name in brackets).

Three layers:

1. a character CRF (python-crfsuite, ``pipeline/models/ner.crfsuite``, trained by
   ``scripts/train_ner.py`` on People's Daily 1998) with character, word (the Doc's jieba
   tokens, when given) and gazetteer features (``pipeline/layers/entities/features.py``);
2. article consistency: a surface tagged once is tagged where else it stands in the same text;
3. the rule and gazetteer layer of ``rules/entities/`` (``pipeline/layers/entities/ner_rules.py``) for what a
   1998 corpus lacks: 2020s organisations, zones, companies, schools, bodies.

The model and gazetteers are loaded once per process. Bad input gives an empty list.
"""
from __future__ import annotations

import functools
import gzip
import json
import sys
from typing import Sequence

from baozhi.layers.entities import features as nf
from baozhi.layers.entities.tokens import Tokens
from baozhi.resources import collector
from baozhi.resources.ruleset import MODELS_DIR

MODEL = MODELS_DIR / "ner.crfsuite"
GAZETTEER = MODELS_DIR / "ner_gazetteer.tsv.gz"
INFO = MODELS_DIR / "ner.json"
# (chunks, characters): a text with fewer of both is tagged by crfsuite itself, a longer one
# by the NumPy scorer (the same labels; scripts/bench_stages.py measures both sides)
SMALL = (3, 2000)
# characters the NumPy scorer tags in a process before it loads numba's kernels
# (``kernels.py``; ``warm_up`` loads them at once, for a batch): their load, ``import numba``
# 0.26 s + the cached kernels 0.19 s CPU, is what they save over 650k characters (0.27 s over
# the 397k characters of 60 pd1998 pages' ``tag_many``: 0.69 us a character; load ~4): the
# threshold of renting until the rent paid equals the price (never more than twice the cost of
# the best choice made knowing the input). A few sentences of ``annotate`` stay numba-free.
JIT_AFTER = 650_000


@functools.cache
def _has_model() -> bool:
    """The package ships its model (asked once per process, not once per text)."""
    return MODEL.exists()


@functools.cache
def _tagger():
    import pycrfsuite

    if not _has_model():
        return None
    tagger = pycrfsuite.Tagger()
    tagger.open(str(MODEL))
    return tagger


@functools.cache
def _scorer():
    """The model's weights as NumPy arrays (``crf.py``): the labels of crfsuite's Viterbi,
    without turning every feature string into a crfsuite item."""
    from baozhi.layers.entities.crf import Scorer

    return Scorer.load(MODEL, jit_after=JIT_AFTER) if _has_model() else None


def read_gazetteer(path=None) -> list[tuple[str, str]]:
    """(surface, label) pairs of the shipped training gazetteer (gzip TSV)."""
    path = path or GAZETTEER
    if not path.exists():
        return []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [tuple(line.rstrip("\n").split("\t")[:2]) for line in fh if "\t" in line]


def jieba_entries() -> list[tuple[str, str]]:
    """(word, label) for jieba dictionary words whose tag ``ner.yaml: jieba_tags`` maps."""
    by_tag = {t: lab for lab, tags in nf.config()["jieba_tags"].items() for t in tags}
    return [(w, by_tag[t]) for w, t in nf.jieba_tags().items() if t in by_tag]


def division_entries() -> list[tuple[str, str]]:
    """(name, LOC) for every administrative division's full and short names
    (``rules/entities/names/divisions.tsv``)."""
    from baozhi.layers.entities.names import division_names

    return [(name, "LOC") for name in sorted(division_names())]


@functools.cache
def _info() -> dict:
    return json.loads(INFO.read_text(encoding="utf-8")) if INFO.exists() else {}


@functools.cache
def _known_people() -> frozenset:
    """The training gazetteer's and jieba's people's names, kept on disk (``_word_set``)."""
    return _word_set("known-people", _build_known_people)


def _build_known_people() -> list[str]:
    return [s for s, lab in read_gazetteer() if lab == "PER"] + \
        [w for w, lab in jieba_entries() if lab == "PER"]


@functools.cache
def _common_words() -> frozenset:
    """jieba's dictionary words that are common words: tagged none of ``ner.yaml:
    name_tags`` and at least ``common_word_min_freq`` frequent, less the training gazetteer's
    surfaces and division names (校园, 沙袋; not 合肥, not 老张). Kept on disk (``_word_set``):
    building it walks jieba's whole dictionary."""
    return _word_set("common-words", _build_common_words)


def _build_common_words() -> list[str]:
    from baozhi.layers.entities.names import division_names
    from baozhi.resources import segmenter

    cfg = nf.config()
    least = cfg.get("common_word_min_freq")
    if not least:
        return []
    names = set(cfg.get("name_tags") or ())
    freq = segmenter.default().freq
    known = {s for s, _ in read_gazetteer()} | division_names()
    return [w for w, t in nf.jieba_tags().items()
            if len(w) > 1 and t not in names and freq.get(w, 0) >= least and w not in known]


def _word_set(name: str, build) -> frozenset:
    """``frozenset(build())``, kept on disk (``resources/diskcache.py``) as one string under
    the rules' and models' version, the segmenter's dictionary and lexicon, the bytes of the
    gazetteer and model description read, and the code that builds it."""
    from baozhi.layers.entities import names
    from baozhi.resources import diskcache, ruleset, segmenter

    key = (ruleset.version(), *segmenter.default().key, diskcache.file_digest(GAZETTEER),
           diskcache.file_digest(INFO), diskcache.source_digest([nf, names, sys.modules[__name__]]))
    return frozenset(diskcache.unpack_words(diskcache.cached(
        name, key, lambda: diskcache.pack_words(build()))))


@functools.cache
def _checks() -> dict:
    from baozhi.resources import ruleset

    cfg = nf.config()
    return {"punct": set(cfg.get("span_punctuation") or ()),
            "surnames": set(ruleset.load("entities/surnames.txt")),
            "place_endings": tuple(cfg.get("place_endings") or ()),
            "org_final": set(_info().get("org_final_chars", ""))}


def plausible(surface: str, label: str) -> str | None:
    """The label a span of the tagger keeps (PER may turn LOC), or None for no name."""
    chk = _checks()
    if label == "PER" and 2 <= len(surface) <= 3 and surface[0] not in chk["surnames"] \
            and surface[:2] not in chk["surnames"] and "·" not in surface and surface not in _known_people():
        return None  # a short name that starts with no surname and no gazetteer knows (高端化)
    for ch in surface:
        if ch.isdigit() or (not ch.isalnum() and ch not in chk["punct"]):
            return None
    if surface in _common_words():
        return None  # a common word (校园, 沙袋), not a name
    if label == "PER":
        if any(ch.isascii() for ch in surface):
            return None
        if surface.endswith(chk["place_endings"]):
            return "LOC"
    elif label == "ORG" and chk["org_final"] and nf.full_width(surface[-1]) not in chk["org_final"]:
        return None
    return label


@functools.cache
def automata() -> tuple:
    """The gazetteers the model was trained with, by source name, built once and kept on
    disk (``resources/diskcache.py``) under the rules' and models' version, the bytes of the
    gazetteer and model description actually read (``GAZETTEER``/``INFO`` may point at another
    trained model, as ``scripts/eval_ner.py --models`` does), the code that builds them and
    jieba's version."""
    from baozhi.resources import diskcache

    autos = diskcache.cached("gazetteers", _automata_key(), _build_automata)
    # their ``features.Matcher``, at first use, is loaded from its own entry on disk (under
    # the gazetteers' key): made once, not per process
    # (``_build_automata`` builds every source over one automaton: one ``Matcher`` for all)
    g = next((g for _, g in autos if isinstance(g, nf.Gazetteer) and len(g)), None)
    if g is not None:
        g.use_matcher(lambda: diskcache.cached("gazetteer-matcher", _automata_key(),
                                               lambda: nf.Matcher(g.auto.items())))
    return autos


def _automata_key() -> tuple:
    import ahocorasick
    import jieba

    from baozhi.resources import diskcache, ruleset

    return (ruleset.version(), diskcache.file_digest(GAZETTEER), diskcache.file_digest(INFO),
            jieba.__version__,
            getattr(ahocorasick, "__version__", None) or ahocorasick.__file__,
            diskcache.source_digest([nf, sys.modules[__name__]]))


def _load_matcher() -> None:
    """The gazetteers' ``features.Matcher`` (their matches over a long text by array
    operations), loaded now (``automata``: from disk)."""
    g = next((g for _, g in automata() if isinstance(g, nf.Gazetteer) and len(g)), None)
    if g is not None:
        m = g.matcher()
        if _has_model() and _scorer().kernels is not None:
            m.flat(_scorer().kernels)   # the compiled walk's table (``kernels.match``), before any fork


def _kernels(chars: int):
    """The scorer's compiled kernels to tag ``chars`` more characters with (``Scorer.kernels_for``:
    loaded once ``JIT_AFTER`` characters have been tagged), the feature ids told of them; None:
    the NumPy code."""
    scorer = _scorer()
    had = scorer.kernels
    kern = scorer.kernels_for(chars)
    if kern is not had:
        _ids().use_kernels(kern)
    return kern


def _build_automata() -> tuple:
    sources = _info().get("gazetteers", ["t", "j"])
    makers = {"t": read_gazetteer, "j": jieba_entries, "d": division_entries}
    # all over one automaton: one pass over a text finds every source's matches
    return nf.build_gazetteers({name: make() for name, make in makers.items() if name in sources})


@functools.cache
def _ids():
    """Attribute ids of the model, memoised by character, bigram and word (``featids.py``)."""
    from baozhi.layers.entities.featids import Ids

    return Ids(_scorer())


def load_models(kernels: bool = True) -> None:
    """Load what a long text needs beside what one line does (the NumPy scorer and its
    feature ids): a process that forks workers loads them once, before forking. ``kernels``:
    numba's kernels too (a batch whose workers each tag ``JIT_AFTER`` characters or more pays
    their load back); without them each process loads them once it has tagged that many."""
    if _has_model():
        if kernels:
            _ids().use_kernels(_scorer().use_kernels())
        else:
            _ids()
        _load_matcher()


def _tag(text: str, tokens: Sequence[tuple[int, int]] | None) -> tuple[list[tuple], list[tuple]]:
    """The CRF over every chunk of ``text``: spans (start, end, label, chunk index) and the
    chunks (start, (chunk text, its tokens), labels), kept for confidences asked later."""
    if not _has_model() or not text:
        return [], []
    groups = _info().get("feature_groups", ())
    pieces = nf.pieces(text, tokens)
    if len(pieces) < SMALL[0] and len(text) < SMALL[1]:
        # a sentence or two: crfsuite's C loop beats NumPy's per-position calls (same labels;
        # and a one-line ``annotate`` does not load NumPy and the weights at all)
        tagger = _tagger()
        tagged = [tagger.tag(nf.features(p, local, automata(), groups)) for _, _, p, local in pieces]
        return _decoded(text, pieces, tagged)
    from baozhi.layers.entities import featids

    if featids.known_groups(groups):
        _kernels(len(text))
        tagged = _numpy_tagged(pieces, groups)
    else:   # a feature group featids.py does not build: from the strings
        tagged = _scorer().tag([nf.features(p, local, automata(), groups) for _, _, p, local in pieces])
    return _decoded(text, pieces, tagged)


def _numpy_tagged(pieces: list, groups) -> list:
    """The labels of every piece (``nf.pieces``' chunks, of one text or many) by the NumPy
    scorer: feature ids of all of them by one ``featids.scores`` call, one Viterbi over all
    (each chunk still tagged on its own). The one NumPy path of ``_tag`` and ``tag_many``."""
    from baozhi.layers.entities import featids

    scorer = _scorer()
    return scorer.viterbi_flat(*featids.flat_scores(scorer, _ids(), pieces, automata(), groups))


def tag_many(items: Sequence[tuple[str, Sequence[tuple[int, int]]]]) -> list[tuple[list, list]] | None:
    """``_tag`` of many texts (each with its tokens) at once: the chunks of every text scored
    by one ``featids.scores`` call and one Viterbi over all of them (the chunks are tagged
    each on its own, so every text's labels are those it gets alone; the per-call and
    per-position NumPy costs are paid once for a page, not once per article). None where
    the NumPy scorer does not serve (no model, a feature group featids.py does not build)."""
    if not _has_model():
        return None
    groups = _info().get("feature_groups", ())
    from baozhi.layers.entities import featids

    if not featids.known_groups(groups):
        return None
    kern = _kernels(sum(len(text) for text, _ in items))   # (``_locals`` by the compiled kernel where there is one)
    every = [nf.pieces(text, tokens, kern) if text else [] for text, tokens in items]
    joined = [p for ps in every for p in ps]
    if not joined:
        return [([], []) for _ in items]
    tagged = _numpy_tagged(joined, groups)
    out, k = [], 0
    for (text, _), ps in zip(items, every):
        out.append(_decoded(text, ps, tagged[k:k + len(ps)]) if ps else ([], []))
        k += len(ps)
    return out


def _decoded(text: str, pieces: list, tagged: list) -> tuple[list[tuple], list[tuple]]:
    """``_tag``'s spans and chunks from the labels of every piece."""
    spans, chunks = [], []
    for (s, _, piece, local), labels in zip(pieces, tagged):
        ci = len(chunks)
        chunks.append((s, (piece, local), labels))
        for a, b, lab in nf.decode(labels):
            piece = text[s + a:s + b]
            if not piece.isprintable() or " " in piece or "\u3000" in piece:
                # no name spans a space: keep what follows the last one
                a += max(piece.rfind(" "), piece.rfind("\u3000"), piece.rfind("\t")) + 1
                if a >= b:
                    continue
            lab = plausible(text[s + a:s + b], lab)
            if lab:
                spans.append((s + a, s + b, lab, ci))
    return spans, chunks


def crf_spans(text: str, tokens: Sequence[tuple[int, int]] | None = None) -> list[tuple[int, int, str]]:
    """The CRF's (start, end, label) spans over ``text``."""
    return [sp[:3] for sp in _tag(text, tokens)[0]]


def _confidence(chunk: tuple, start: int, end: int, held: list | None = None) -> float:
    """The lowest marginal probability of the tagged labels over ``start:end`` of a chunk.
    ``held``: a one-item list naming the chunk the tagger holds already (a long chunk with
    many names is given to crfsuite once, not once per name)."""
    s0, (piece, local), labels = chunk
    tagger = _tagger()
    if held is None or held[0] is not chunk:
        tagger.set(nf.features(piece, local, automata(), _info().get("feature_groups", ())))
        if held is not None:
            held[0] = chunk
    return min(tagger.marginal(labels[i], i) for i in range(start - s0, end - s0))


def article_spans(text: str, spans: list[tuple], chunks: list[tuple], tokens: Sequence[tuple[int, int]],
                  min_len: int = 2, min_conf: float = 0.9) -> list[tuple[int, int, str]]:
    """Other occurrences in ``text`` of names the tagger found and was sure of (marginal
    probability ``min_conf`` at least), where they start and end at token edges and overlap
    nothing tagged."""
    if not spans:
        return []
    taken = bytearray(len(text) + 1)      # (one more: ``taken[start]`` of an empty surface)
    for sp in spans:
        taken[sp[0]:sp[1]] = b"\1" * (sp[1] - sp[0])
    first: dict[str, tuple] = {}
    for sp in spans:
        if sp[1] - sp[0] >= min_len:
            first.setdefault(text[sp[0]:sp[1]], sp)
    if not first:
        return []
    tokens = Tokens.of(tokens)
    is_start, is_end = tokens.is_start, tokens.is_end
    found = []
    held = [None]
    for surface, where in _occurrences(text, first).items():
        sp = first[surface]
        sure = None
        for start in where:
            end = start + len(surface)
            # (most occurrences are the tagged spans themselves: their first character tells,
            # before any slice; the token edges asked last)
            if not taken[start] and not any(taken[start:end]) and is_start(start) and is_end(end):
                if sure is None:
                    sure = _confidence(chunks[sp[3]], sp[0], sp[1], held) >= min_conf
                if not sure:
                    break
                found.append((start, end, sp[2]))
                taken[start:end] = b"\1" * (end - start)
    return found


# (surfaces × characters) up to which ``_occurrences`` scans the text once per surface
# (``str.find``, quicker than building an automaton for an article's few names)
FIND_EACH = 1 << 20


def _occurrences(text: str, surfaces) -> dict[str, list[int]]:
    """Longest surface first, where each stands in ``text``, left to right and not
    overlapping itself (as ``str.find`` from the end of the last one finds them): one
    Aho-Corasick pass for all surfaces, not one scan of the text per surface, where they
    are many and the text is long (``FIND_EACH``)."""
    if len(surfaces) * len(text) <= FIND_EACH and all(surfaces):
        return _occurrences_by_find(text, surfaces)
    import ahocorasick

    auto = ahocorasick.Automaton()
    for w in surfaces:
        auto.add_word(w, w)
    auto.make_automaton()
    hits: dict[str, list[int]] = {w: [] for w in sorted(surfaces, key=len, reverse=True)}
    for end, w in auto.iter(text):
        at = hits[w]
        start = end - len(w) + 1
        if not at or start >= at[-1] + len(w):
            at.append(start)
    return hits


def _occurrences_by_find(text: str, surfaces) -> dict[str, list[int]]:
    """``_occurrences`` by one ``str.find`` scan of ``text`` per surface."""
    hits: dict[str, list[int]] = {}
    for w in sorted(surfaces, key=len, reverse=True):
        at = hits[w] = []
        n = len(w)
        i = text.find(w)
        while i >= 0:
            at.append(i)
            i = text.find(w, i + n)
    return hits


def spans(text: str, tokens: Sequence[tuple[int, int]] | None = None, home: str | None = None, *,
          article: bool = True, use_rules: bool = True,
          tagged: tuple[list, list] | None = None) -> list[tuple[int, int, str, str]]:
    """(start, end, label, source) of every entity in ``text``, in text order. ``tagged``:
    the CRF's (spans, chunks) of ``text`` with these tokens, made beforehand (``tag_many``)."""
    # the tagger makes many small lists that all die young: the cyclic collector, run over
    # them again and again, cost a seventh of the time (reference counting still frees them)
    with collector.paused():
        return _spans(text, tokens, home, article, use_rules, tagged)


def _spans(text, tokens, home, article, use_rules, pre=None):
    # the tokens' look-ups (starts, ends, ...) made once for every rule of this text
    tokens = Tokens.of(nf.tokenize(text) if tokens is None else tokens)
    tagged, chunks = pre if pre is not None else _tag(text, tokens)
    got = [(s, e, lab, "crf") for s, e, lab, _ in tagged]
    if article:
        got += [(s, e, lab, "article") for s, e, lab in article_spans(text, tagged, chunks, tokens)]
    if use_rules:
        from baozhi.layers.entities.ner_rules import merge_rules
        got = merge_rules(text, got, tokens, home)
    return sorted(got)


def find_entities(text: str, home: str | None, tokens: Sequence[tuple[int, int]] | None = None,
                  tagged: tuple[list, list] | None = None) -> list[dict]:
    """Entities of ``text``: records with start, end, text, label, canonical, adcode.

    ``tokens`` are the Doc's (start, end) token offsets; without them the text is segmented
    here with the same segmenter. ``tagged``: the CRF's result for ``text`` and ``tokens``
    made beforehand for many texts at once (``tag_many``), else it is made here.
    """
    if not isinstance(text, str) or not text.strip():
        return []          # bad input: empty; a fault of ours is raised, not hidden
    found = spans(text, tokens, home, tagged=tagged)
    from baozhi.layers.entities.names import answer, setting
    from baozhi.layers.entities.ner_rules import alias_core

    around = int(setting("context_chars"))
    out = []
    # the keys of an answer that hold lists, by the answer's id (the answers held in
    # ``answers`` for the call: an id is not reused while its object lives)
    lists: dict[int, list] = {}
    answers = []
    for s, e, lab, src in found:
        surface = text[s:e]
        context = text[max(0, s - around):e + around]
        if lab == "PER" and src == "crf" and answer(surface, "LOC", home, context).get("adcode"):
            lab = "LOC"  # the tagger's person is an administrative division (阳泉, 清徐)
        names = answer(surface, lab, home, context)   # shared: its lists are copied
        # the answer's other keys after these, in its order (its canonical and adcode take
        # the places held for them here; it has none of the others)
        rec = {"start": s, "end": e, "text": surface, "label": lab,
               "canonical": None, "adcode": None, "found_by": src, **names}
        keys = lists.get(id(names))
        if keys is None:
            keys = lists[id(names)] = [k for k, v in names.items() if type(v) is list]
            answers.append(names)
        for k in keys:
            rec[k] = names[k].copy()
        out.append(rec)
    if any(f[3] == "alias" for f in found):
        full = {}
        for r in out:
            if r["label"] == "ORG" and r["found_by"] != "alias":
                full.setdefault(alias_core(r["text"]), r["canonical"] or r["text"])
        for r in out:
            if r["found_by"] == "alias" and not r["canonical"]:
                r["canonical"] = full.get(r["text"])
    return out


def _shortens(short: str, full: str) -> bool:
    """``short`` is ``full`` shortened: the same first and last character, every character of
    ``short`` in ``full`` in order, and not the leading part of ``full`` (民生银行 is the bank,
    民生银行太原分行 a branch of it)."""
    if len(short) >= len(full) or short[0] != full[0] or short[-1] != full[-1] or full.startswith(short):
        return False
    pos = 0
    for ch in short:
        pos = full.find(ch, pos) + 1
        if not pos:
            return False
    return True


def link_short_forms(records: list[dict]) -> None:
    """In place: an organisation with no official name takes the full name of the one other
    organisation of the same page (or text) it shortens (中车太原公司 -> 中车太原机车车辆有限公司,
    named in another article of the page). Only surfaces of ``names.yaml: short_form_min_chars``
    characters or more; where two full names fit, none is taken."""
    from baozhi.layers.entities.names import setting

    least = int(setting("short_form_min_chars", 4))
    orgs = [r for r in records if r.get("label") == "ORG"]
    fulls: dict[tuple[str, str], set] = {}   # by first and last character: a short form shares both
    for r in orgs:
        f = r.get("canonical") or r["text"]
        if f:
            fulls.setdefault((f[0], f[-1]), set()).add(f)
    for r in orgs:
        if r.get("canonical") or len(r["text"]) < least:
            continue
        fits = {f for f in fulls.get((r["text"][0], r["text"][-1]), ()) if _shortens(r["text"], f)}
        if len(fits) == 1:
            r["canonical"] = fits.pop()

