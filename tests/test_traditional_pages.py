"""A seed page written in Traditional characters (OpenCC's own s2t conversion of the page) gives
the same figures and dates as the Simplified page: same offsets, values and intervals (issue #10:
matching on a Simplified copy, offsets into the original)."""
from __future__ import annotations

from pathlib import Path

import opencc
import pytest

from baozhi.layers.dates.dates import find_dates
from baozhi.layers.figures.figures import find_figures
from baozhi.run.batch import find_pages
from baozhi.stages.ingest import load_metadata, read_page
from baozhi.stages.repair import repair

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
PAGES = find_pages(CORPUS)


def _rows(recs: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k != "text"} for r in recs]


@pytest.mark.parametrize("path", PAGES[:2], ids=lambda p: p.name)
def test_traditional_page_same_figures_and_dates(path):
    page = read_page(path, CORPUS, load_metadata(CORPUS))
    simp = repair(page.text).text
    trad = opencc.OpenCC("s2t").convert(simp)
    assert trad != simp and len(trad) == len(simp)
    figs = find_figures(simp)
    dates = find_dates(simp, page.issue_date)
    assert figs and dates
    assert _rows(find_figures(trad)) == _rows(figs)
    assert _rows(find_dates(trad, page.issue_date)) == _rows(dates)
