"""Stage 3: the items of a page, with headlines and authors, on the corpus pages."""
from __future__ import annotations

from baozhi.stages.articles import split_articles
from baozhi.stages.repair import repair

from conftest import corpus_page


def items(stem: str):
    rep = repair(corpus_page(stem).read_text(encoding="utf-8"))
    return rep, split_articles(rep)


def by_headline(arts):
    return {a.headline: a for a in arts}


def test_page_000_gives_about_a_dozen_articles_with_their_authors():
    _, arts = items("000")
    assert 10 <= len(arts) <= 14
    h = by_headline(arts)
    assert h["全市公安开展体技能大练兵"].authors == ["杨沫", "杨宇雨"]
    assert h["省司法厅启动监督行动"].authors == ["辛欣"]
    assert h["全省科普教育基地达283个"].authors == ["邵蓉"]
    assert h["山西（太原）特优农产品进高校活动启动"].authors == ["周皓"]
    first = h["中部城市群锚定目标谋发展"]
    assert first.kicker == "太原晋中忻州吕梁阳泉五市打造现代产业体系"
    assert first.authors == ["何宝国"]
    assert h["全国大学生信息通信技术大赛落幕"].subheading == "太原理工大学获佳绩"
    assert h["全市公安开展体技能大练兵"].dateline == "本报讯"


def test_continuations_notices_and_ads_are_flagged():
    _, arts = items("000")
    cont = [a for a in arts if a.continued_from]
    assert [a.continued_from for a in cont] == ["上接第1版", "上接第1版"]
    assert cont[1].headline == "助力市场主体发展壮大" and cont[1].authors == ["李俊华"]
    kinds = {a.headline: a.kind for a in arts}
    assert kinds["通知"] == "notice"
    assert kinds["来自大别山的放心茶"] == "ad"


def test_article_text_never_includes_the_slogan_box():
    rep, arts = items("000")
    first = arts[0]
    text = "\n".join(p.text for p in first.paras)
    assert "全面贯彻“五位一体”总体布局" not in text
    assert "整合区域创新资源和产业基础" in text


def test_column_byline_and_two_line_headlines_on_page_001():
    _, arts = items("001")
    h = by_headline(arts)
    assert h["晋沪两地保税区握手合作"].kicker == "聚焦第五届进博会"
    assert h["晋沪两地保税区握手合作"].dateline == "本报上海讯"
    assert h["晋沪两地保税区握手合作"].authors == ["李静", "梁丹"]
    assert h["晋商杰出青年举起“诚信火炬”"].authors == ["李静", "梁丹"]
    assert h["我市将建太白铁路遗址公园"].authors == ["陈剑"]
    assert h["太铁启用新型后勤保障车"].authors == ["马向敏", "杨云龙"]
    photo = next(a for a in arts if a.kind == "photo")
    assert photo.authors == ["张昊宇"]
    assert any(a.kind == "caption" for a in arts)


def test_pages_without_heading_marks_split_on_their_datelines():
    _, arts = items("002")
    h = by_headline(arts)
    assert h["太原工业“链”接未来"].authors == ["何宝国"]
    assert h["太原公安提升企业开办便利度"].kicker == "压缩行政审批时限"
    assert h["72座泵站运行平稳 累计抽排雨水约520万吨"].authors == ["任晓明", "常兴隆"]
    assert [a.authors for a in arts if a.kind == "photo"] == [["米国伟"], ["邓寅明"]]


def test_a_headline_printed_under_its_article_is_found():
    _, arts = items("004")
    h = by_headline(arts)
    late = h["太重首台一百三十五吨 新能源液压挖掘机下线"]
    assert late.kicker == "唱响中国经济“光明论”"
    assert late.authors == ["张秀丽"]
    assert h["集群成势绘新篇"].subheading == "——专业镇带动太原特色产业集群蓬勃兴起"
