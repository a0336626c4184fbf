"""Entity stage: people, places and organisations on real pages, token alignment, dev score."""
from __future__ import annotations

import functools

import pytest

from conftest import corpus_page
from baozhi.layers.entities import entities
from baozhi.frame import components as nlp
from baozhi.layers.entities.entities import find_entities
from baozhi.stages.repair import repair

HOME = "山西省太原市"


@pytest.fixture(scope="module")
def pages() -> dict[str, tuple[str, list[dict]]]:
    out = {}
    for stem in ("000", "001", "002", "003", "004"):
        text = repair(corpus_page(stem).read_text(encoding="utf-8")).text
        out[stem] = (text, find_entities(text, HOME))
    return out


def found(pages, stem: str) -> set[tuple[str, str]]:
    return {(r["text"], r["label"]) for r in pages[stem][1]}


@pytest.mark.parametrize("stem, surface, label", [
    # people, including bylines in brackets
    ("004", "何宝国", "PER"),
    ("000", "杨沫", "PER"),
    ("000", "杨宇雨", "PER"),
    ("000", "张峰", "PER"),
    ("000", "王瑞福", "PER"),
    ("003", "苗武军", "PER"),
    ("003", "潘新旺", "PER"),
    ("000", "韦韬", "PER"),
    ("000", "魏民", "PER"),
    ("001", "穆映州", "PER"),
    ("001", "胡丽梅", "PER"),
    ("002", "谢建军", "PER"),
    ("003", "蓝佛安", "PER"),
    ("004", "李俊琳", "PER"),
    # places
    ("000", "太原", "LOC"),
    ("000", "晋中", "LOC"),
    ("000", "忻州", "LOC"),
    ("000", "吕梁", "LOC"),
    ("000", "阳泉", "LOC"),
    ("000", "雄安新区", "LOC"),
    ("000", "上海", "LOC"),
    ("001", "小店区", "LOC"),
    ("001", "清徐县", "LOC"),
    ("002", "阳曲县", "LOC"),
    ("003", "古交", "LOC"),
    ("000", "滨河东路", "LOC"),   # 跨滨河东路匝道桥: the tagger gave 东路 alone
    ("003", "滨河东路", "LOC"),   # 滨河东路南延: 滨河 + 东路 + 南延 before
    ("003", "龙城大街", "LOC"),
    ("003", "晋阳大道", "LOC"),
    ("000", "雄忻高铁", "LOC"),   # railways and highways named by their ends
    ("000", "石太高铁", "LOC"),
    ("003", "青银二广高速", "LOC"),
    ("003", "国道307", "LOC"),
    # organisations come out whole
    ("001", "山西转型综改示范区武宿综合保税区", "ORG"),
    ("001", "中国铁路太原局集团有限公司太原工务机械段", "ORG"),
    ("001", "国家税务总局太原市税务局", "ORG"),
    ("001", "太原市人民代表大会常务委员会", "ORG"),
    ("000", "省发改委", "ORG"),
    ("000", "巍阁（北京）品牌管理有限公司", "ORG"),
    ("002", "市防汛抗旱指挥部办公室", "ORG"),
    ("004", "迎泽区检察院", "ORG"),
    ("004", "山西农业大学", "ORG"),
    ("000", "太原理工大学", "ORG"),
    ("001", "山西东义煤电铝集团有限公司", "ORG"),
    ("001", "上海外高桥企业发展促进中心有限公司", "ORG"),
    ("001", "小店一中", "ORG"),
    ("001", "市审批局", "ORG"),
    ("001", "太原市档案馆", "ORG"),
    ("002", "凯赛太原生物材料有限公司", "ORG"),
    ("002", "市工信局", "ORG"),
    ("002", "市纪委监委", "ORG"),
    ("002", "市疾控中心", "ORG"),
    ("004", "双塔南巷小学", "ORG"),
    ("004", "市检察院", "ORG"),
    ("003", "省委", "ORG"),
    ("000", "省直工委", "ORG"),
    ("002", "市防指", "ORG"),
    ("002", "市防办", "ORG"),
    ("002", "市消防救援支队", "ORG"),
    ("004", "太重", "ORG"),        # known short names (names/organisations.tsv)
    ("004", "太重集团", "ORG"),
    ("002", "中来光能", "ORG"),
    ("001", "太铁", "ORG"),
])
def test_entities_on_corpus_pages(pages, stem, surface, label):
    assert (surface, label) in found(pages, stem)


def test_road_pieces_are_no_places(pages):
    """Road words and extension words alone are never places (东路, 南延, 丈子头东延 as a person)."""
    for stem in ("000", "003"):
        got = found(pages, stem)
        for piece in ("东路", "南延", "滨河", "龙城"):
            assert (piece, "LOC") not in got, (stem, piece)
        assert not any(t.endswith(("东延", "南延")) for t, _ in got), stem


def test_common_words_are_not_organisations(pages):
    orgs = {t for stem in pages for t, lab in found(pages, stem) if lab == "ORG"}
    assert not {"新格局", "产业链发展新格局", "科创中心", "县（市）局"} & orgs


def test_names_and_codes_come_from_pipeline_names(pages):
    recs = {(r["text"], r["label"]): r for r in pages["000"][1]}
    assert recs[("太原", "LOC")]["adcode"] == "140100"
    assert recs[("省发改委", "ORG")]["canonical"] == "山西省发展和改革委员会"


def test_records_carry_the_contract_fields(pages):
    text, recs = pages["000"]
    assert recs
    for r in recs:
        assert {"start", "end", "text", "label", "canonical", "adcode"} <= set(r)
        assert text[r["start"]:r["end"]] == r["text"]
        assert r["label"] in ("PER", "LOC", "ORG")


def test_spans_align_with_doc_tokens():
    text = repair(corpus_page("001").read_text(encoding="utf-8")).text[:3000]
    doc = nlp.annotate(text, home=HOME, layers=["entities"])
    recs = doc._.entities
    assert recs
    starts = {t.idx for t in doc}
    ends = {t.idx + len(t.text) for t in doc}
    for r in recs:
        assert r["start"] in starts and r["end"] in ends, r
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == \
        [(r["start"], r["end"], r["label"]) for r in recs]


def test_tokens_given_or_not_give_the_same_entities():
    text = repair(corpus_page("002").read_text(encoding="utf-8")).text[:2000]
    doc = nlp.segment.segment(text)
    tokens = [(t.idx, t.idx + len(t)) for t in doc]
    assert find_entities(text, HOME, tokens) == find_entities(text, HOME)


@pytest.mark.parametrize("bad", [None, "", "   \n", 42, "。。。"])
def test_bad_input_gives_nothing(bad):
    assert find_entities(bad, HOME) == []


def test_model_is_loaded_once():
    assert entities._tagger() is entities._tagger()
    assert entities.automata() is entities.automata()


@functools.cache
def _dev_scores(shared) -> dict:
    import ner_eval

    rows = ner_eval.read_jsonl(shared / "pd1998" / "dev.jsonl")
    arts = ner_eval.articles(rows)
    pred = [{(r["start"], r["end"], r["label"]) for r in find_entities(t, None)} for t, _ in arts]
    return ner_eval.score([g for _, g in arts], pred)


@pytest.fixture
def dev_scores(shared):
    return _dev_scores(shared)


def test_dev_score_holds(dev_scores):
    """People's Daily 1998 dev, article by article, exact span and label: the level the
    shipped model reaches (pipeline/models/ner.json), less a little slack."""
    assert dev_scores["ALL"]["f1"] >= 0.908, dev_scores
    assert dev_scores["ORG"]["f1"] >= 0.90, dev_scores


@pytest.mark.xfail(strict=True, reason="goal of the issue (F1 0.94) not reached: the CRF levels off near 0.91-0.92 (docs/MODELS.md)")
def test_dev_score_goal(dev_scores):
    assert dev_scores["ALL"]["f1"] >= 0.94 and dev_scores["ORG"]["f1"] >= 0.90, dev_scores


def test_feature_groups_add_their_strings():
    """Optional feature groups (a model records which it was trained with): trigram and
    window3 add their strings; without them the features are the base set."""
    from baozhi.layers.entities import features as nf

    text = "太原市小店区"
    base = nf.chunk_features(text, [[] for _ in text], {})
    more = nf.chunk_features(text, [[] for _ in text], {}, ("trigram", "window3"))
    assert base[2][:5] == ["u0=市", "u-1=原", "u1=小", "u-2=太", "u2=店"]
    assert "c3=原市小" in more[2] and "k=原小" in more[2] and "u3=区" in more[2]
    assert not any(f.startswith(("c3=", "u3=")) for f in base[2])


def test_lexicon_features_mark_the_longest_dictionary_words():
    from baozhi.layers.entities import features as nf

    text = "江泽民在人民大会堂会见代表"
    got = nf.lexicon_features(text, nf.lexicon_automaton())
    assert "ls=3nr" in got[0] and "le=3nr" in got[2]        # 江泽民
    assert any(f.startswith("ls=5") for f in got[4])         # 人民大会堂


def test_short_form_takes_the_full_name_named_elsewhere_on_the_page():
    """Page 002: the photo caption's 中车太原公司 and the article's 中车太原机车车辆有限公司."""
    from pathlib import Path

    from baozhi.stages.ingest import read_page
    from baozhi.run.process import process_page

    path = corpus_page("002")
    rows = process_page(read_page(path, Path(path).parent))["entities"]
    short = [r for r in rows if r["text"] == "中车太原公司"]
    assert short and all(r["canonical"] == "中车太原机车车辆有限公司" for r in short)


@pytest.mark.parametrize("short, full, expect", [
    ("中车太原公司", "中车太原机车车辆有限公司", True),
    ("民生银行", "民生银行太原分行", False),      # the bank, not its branch
    ("太原公司", "中车太原机车车辆有限公司", False),  # another first character
    ("中车太原局", "中车太原机车车辆有限公司", False),  # another last character
])
def test_shortens(short, full, expect):
    assert entities._shortens(short, full) is expect


def test_two_fitting_full_names_give_none():
    recs = [{"label": "ORG", "text": "山西建投集团", "canonical": None},
            {"label": "ORG", "text": "山西建设投资集团", "canonical": None},
            {"label": "ORG", "text": "山西建筑投资集团", "canonical": None}]
    entities.link_short_forms(recs)
    assert recs[0]["canonical"] is None
    recs.pop()
    entities.link_short_forms(recs)
    assert recs[0]["canonical"] == "山西建设投资集团"


@pytest.mark.parametrize("stem, surface, adcode", [
    # full division names in a list the 1998 tagger passed over
    ("002", "防城港市", "450600"),
    ("002", "张湾区", "420303"),
    ("002", "琼海市", "469002"),
    ("002", "海沧区", "350205"),
    # the home province's divisions by short name
    ("003", "榆次", "140702"),
    ("003", "定襄", "140921"),
    ("003", "岚县", "141127"),
])
def test_divisions_found_with_codes(pages, stem, surface, adcode):
    got = {(r["text"], r["label"], r["adcode"]) for r in pages[stem][1]}
    assert (surface, "LOC", adcode) in got


def test_known_short_names_carry_full_names(pages):
    taizhong = [r for r in pages["004"][1] if r["text"] == "太重"]
    assert len(taizhong) == 6 and all(r["canonical"] == "太原重型机械集团有限公司" for r in taizhong)


def test_a_known_short_name_of_a_region_counts_only_in_that_province():
    text = "负担太重，太重集团新款挖掘机下线。"
    assert not any(r["text"].startswith("太重") for r in find_entities(text, "北京市"))
    assert {"太重集团"} <= {r["text"] for r in find_entities(text, HOME)}


def test_company_core_is_the_company(pages):
    """Page 002 names 山西美锦能源股份有限公司 in full, then 美锦能源 twice."""
    cores = [r for r in pages["002"][1] if r["text"] == "美锦能源"]
    assert len(cores) == 2
    assert all(r["label"] == "ORG" and r["canonical"] == "山西美锦能源股份有限公司" for r in cores)


@pytest.mark.parametrize("name, core", [
    ("山西美锦能源股份有限公司", "美锦能源"),
    ("山西东义煤电铝集团有限公司", "东义煤电铝"),
    ("太原钢铁（集团）有限公司", None),          # 钢铁 alone is too short to stand for it
    ("太原理工大学", None),                      # no company ending
])
def test_alias_core(name, core):
    from baozhi.layers.entities.ner_rules import alias_core

    assert alias_core(name) == core


def test_the_modern_set_is_what_its_yaml_says(tmp_path):
    """eval/ner_modern.jsonl (scripts/eval_ner.py --set modern) is built from the two YAML
    files beside it: every span is its text's, and rebuilding (into a file of its own, never
    over the tracked one) gives the same rows."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    path = root / "eval" / "ner_modern.jsonl"
    before = path.read_text(encoding="utf-8")
    rows = [json.loads(line) for line in before.splitlines()]
    assert sum(len(r["text"]) for r in rows) >= 15000
    for r in rows:
        for s, e, lab, surface in r["entities"]:
            assert r["text"][s:e] == surface and lab in ("PER", "LOC", "ORG")
    rebuilt = tmp_path / "ner_modern.jsonl"
    subprocess.run([sys.executable, str(root / "scripts" / "build_ner_modern.py"), str(rebuilt)],
                   check=True, capture_output=True)
    assert rebuilt.read_text(encoding="utf-8") == before
