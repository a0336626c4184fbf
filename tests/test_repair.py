"""Stage 2: repaired text with a map back to the file, on the corpus pages."""
from __future__ import annotations

import pytest

from baozhi.stages.repair import repair

from conftest import CORPUS, corpus_page

PAGES = sorted(CORPUS.glob("*.txt"))


def repaired(stem: str):
    src = corpus_page(stem).read_text(encoding="utf-8")
    return src, repair(src)


@pytest.mark.parametrize("stem, broken, whole", [
    ("000", "强化跨区域原\n\n材料与精深加工", "强化跨区域原材料与精深加工"),
    ("001", "山西东义煤电铝集团有限公司穆映\n\n州表示", "山西东义煤电铝集团有限公司穆映州表示"),
    ("000", "市场监管行政执法权的行\n\n政机关", "市场监管行政执法权的行政机关"),
    ("004", "新能源液 压挖掘 机下线", "新能源液压挖掘机下线"),
    ("000", "11月16日,省发改委公布", "11月16日，省发改委公布"),
])
def test_conversion_damage_on_the_corpus_is_repaired(stem, broken, whole):
    src, rep = repaired(stem)
    assert broken in src
    assert whole in rep.text
    # the repaired string points back at the broken one in the file
    i = rep.text.index(whole)
    s, e = rep.source_span(i, i + len(whole))
    assert src[s:e] == broken


@pytest.mark.parametrize("stem, kept", [
    ("004", "按省级标准1:1配套"),
    ("002", "首片182/210电池片"),
    ("003", "西上庄2×660MW低热值煤热电厂"),
    ("002", "总投资24.7亿元"),
    ("002", "六大链条兴产业\n\n太钢集团也是身兼两职"),   # a section heading stays apart
    ("002", "工人们吊装电力机车顶盖。 米国伟 摄\n\n全力打造"),  # a credit ends its paragraph
    ("004", "店子底村支前纪念馆 成为廉政教育基地".replace("店子底村支前纪念馆", "西铭矿职工自制").replace(" 成为廉政教育基地", " 轨道装卸平台")),
])
def test_numbers_and_layout_are_left_alone(stem, kept):
    _, rep = repaired(stem)
    assert kept in rep.text


@pytest.mark.parametrize("page", PAGES, ids=[p.name[:3] for p in PAGES])
def test_every_repaired_character_maps_to_itself_or_its_half_width_form(page):
    src = page.read_text(encoding="utf-8")
    rep = repair(src)
    assert len(rep.offsets) == len(rep.text) + 1
    half = {"，": ",", "；": ";", "：": ":", "？": "?", "！": "!", "（": "(", "）": ")"}
    for i, ch in enumerate(rep.text):
        orig = src[rep.offsets[i]]
        assert orig == ch or half.get(ch) == orig, (i, ch, orig)
    assert list(rep.offsets) == sorted(rep.offsets)


def test_headings_become_marks_without_their_markers():
    src, rep = repaired("000")
    heads = [rep.text[s:e] for s, e, kind in rep.marks if kind == "h2"]
    assert "全市公安开展体技能大练兵" in heads
    assert "##" not in rep.text
