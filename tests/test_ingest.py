"""Stage 1: pages in any encoding, issue dates from metadata, file name or text."""
from __future__ import annotations

import datetime as dt

import pytest

from baozhi.stages.ingest import IngestError, decode, infer_issue_date, load_metadata, read_page

from conftest import CORPUS, corpus_page

PAGE000 = corpus_page("000").read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_a_page_reads_the_same_in_every_encoding(tmp_path, encoding):
    path = tmp_path / "20221118_03.txt"
    path.write_bytes(PAGE000.encode(encoding))
    page = read_page(path, tmp_path)
    assert page.text == PAGE000
    assert page.text.startswith("\n\n太原晋中忻州吕梁阳泉五市打造现代产业体系")
    assert page.issue_date == dt.date(2022, 11, 18)
    assert page.issue_date_origin == "filename"
    assert page.page_no == 3


def test_crlf_line_ends_read_as_python_reads_them(tmp_path):
    path = tmp_path / "p.txt"
    path.write_bytes(PAGE000.replace("\n", "\r\n").encode("utf-8"))
    assert read_page(path, tmp_path).text == PAGE000


def test_undecodable_bytes_name_the_file():
    with pytest.raises(IngestError, match="broken.txt"):
        decode(bytes(range(128, 256)) * 20, "broken.txt")


def test_metadata_gives_paper_home_and_issue_date():
    meta = load_metadata(CORPUS)
    page = read_page(corpus_page("000"), CORPUS, meta)
    assert (page.paper, page.home) == ("太原日报", "山西省太原市")
    assert page.issue_date == dt.date(2022, 11, 18)
    assert page.issue_date_origin == "metadata"


def test_issue_date_inferred_from_the_fire_day_hint():
    # 今日是第31个“全国消防日” — the 31st 全国消防日 (9 November, first in 1992) is 2022-11-09
    page = read_page(corpus_page("001"), CORPUS, load_metadata(CORPUS))
    assert page.issue_date == dt.date(2022, 11, 9)
    assert page.issue_date_origin == "inferred"


def test_latest_full_date_printed_is_the_inferred_date():
    assert infer_issue_date(PAGE000) == dt.date(2022, 11, 18)
    assert infer_issue_date("会议于2022年11月8日通过，自公布之日起施行。") == dt.date(2022, 11, 8)
    assert infer_issue_date("没有日期的一页") is None


def test_pages_without_any_date_stay_unknown():
    page = read_page(corpus_page("003"), CORPUS, load_metadata(CORPUS))
    assert page.issue_date is None and page.issue_date_origin is None


def test_good_characters_counted_as_one_by_one():
    """``_good`` (distinct characters judged once) counts what a loop over every character
    counts, on random text from ASCII, CJK, punctuation, controls, private use, unassigned,
    surrogate and astral code points; and every character ``_ALWAYS_GOOD`` skips is good."""
    import random
    import unicodedata

    from baozhi.stages import ingest

    def plain(text):
        return sum(1 for ch in text if ch.isascii() or unicodedata.category(ch)[0] in "LPNZ")

    assert all(plain(chr(c)) for c in [*range(0x80), *range(0x4E00, 0xA000)])
    rng = random.Random(17)
    ranges = [(0, 0x7F), (0x80, 0x2FF), (0x2000, 0x206F), (0x3000, 0x303F), (0x3400, 0x4DBF),
              (0x4E00, 0x9FFF), (0xD800, 0xDFFF), (0xE000, 0xF8FF), (0xFF00, 0xFFFF),
              (0x10000, 0x10FFFF), (0x0378, 0x0379)]
    for _ in range(300):
        n = rng.randrange(0, 400)
        text = "".join(chr(rng.randint(*rng.choice(ranges))) for _ in range(n))
        assert ingest._good(text) == plain(text)
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        assert ingest._good(text) == plain(text)
