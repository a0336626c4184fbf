"""`baozhi report`: one self-contained HTML file with the page text highlighted by the
offsets in the tables. The layer rows here are written by the test (pointing at known
words of a corpus page), so the checks do not depend on what the layers find today."""
from __future__ import annotations

import html
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from baozhi.run import batch
from baozhi.apps.cli import main
from baozhi.layers.registry import tables as _tables
from baozhi.run.export import write_tables

TABLES = _tables()
from baozhi.apps.report import Mark, build_report, highlight, nest
from baozhi.apps.show import Filters

from conftest import CORPUS

PAGE = "000_a7ee0230a04bfec5.txt"


def _span(text: str, word: str, after: int = 0) -> tuple[int, int]:
    s = text.index(word, after)
    return s, s + len(word)


def synthetic_run(tmp_path: Path) -> tuple[Path, dict]:
    """A run on two corpus pages, then layer rows added at known words of the first page."""
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(CORPUS / "metadata.toml", src)
    for name in (PAGE, "002_28efd789d574a832.txt"):
        shutil.copy(CORPUS / name, src)
    out = tmp_path / "out"
    batch.run(src, out, workers=1, log=io.StringIO())
    tables = {t: [json.loads(l) for l in (out / f"{t}.jsonl").open(encoding="utf-8")] for t in TABLES}
    text = (src / PAGE).read_text(encoding="utf-8")
    art = next(a for a in tables["articles"] if a["headline"] == "中部城市群锚定目标谋发展")
    base = {"article_id": art["article_id"], "source": PAGE, "issue_date": "2022-11-18"}
    t_s, _ = _span(text, "到2025年")
    _, t_e = _span(text, "四大千亿级产业集群", t_s)
    rows = {
        "targets": [{**base, "target_id": "T1", "start": t_s, "end": t_e, "text": text[t_s:t_e],
                     "deadline_text": "到2025年", "deadline_start": None, "deadline_end": "2025-12-31",
                     "modality": "到", "figures": ["F1"]}],
        "figures": [{**base, "figure_id": "F1", **dict(zip(("start", "end"), _span(text, "四大千亿级", t_s))),
                     "text": "四大千亿级", "kind": "magnitude", "value": None, "low": None, "high": None,
                     "unit": None, "approx": "exact", "magnitude": 1e11, "count": 4}],
        "dates": [{**base, "date_id": "D1", **dict(zip(("start", "end"), _span(text, "11月16日"))),
                   "text": "11月16日", "start_date": "2022-11-16", "end_date": "2022-11-16",
                   "granularity": "day"},
                  {**base, "date_id": "D2", **dict(zip(("start", "end"), _span(text, "2025年", t_s))),
                   "text": "2025年", "start_date": "2025-01-01", "end_date": "2025-12-31",
                   "granularity": "year"}],
        "entities": [{**base, "entity_id": "E1", **dict(zip(("start", "end"), _span(text, "省发改委"))),
                      "text": "省发改委", "label": "ORG", "canonical": "山西省发展和改革委员会", "adcode": None},
                     {**base, "entity_id": "E2", **dict(zip(("start", "end"), _span(text, "晋中"))),
                      "text": "晋中", "label": "LOC", "canonical": "晋中市", "adcode": "140700"},
                     # crosses the end of the target: must be split, not dropped
                     {**base, "entity_id": "E3", **dict(zip(("start", "end"), _span(text, "产业集群，现代医药"
                      if "产业集群，现代医药" in text else "产业集群,现代医药", t_s))),
                      "text": "产业集群，现代医药", "label": "ORG", "canonical": None, "adcode": None}],
    }
    for t, extra in rows.items():
        tables[t] = extra          # only these rows: the checks must not depend on the layers
    write_tables(out, tables)
    return out, rows


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    return synthetic_run(tmp_path_factory.mktemp("report"))


class Spans(HTMLParser):
    """The text inside each highlighted span, by data-id (pieces of a split span joined)."""

    def __init__(self):
        super().__init__()
        self.open: list[str | None] = []
        self.text: dict[str, str] = {}
        self.classes: dict[str, str] = {}
        self.titles: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        if tag != "span":
            return
        a = dict(attrs)
        rid = a.get("data-id") if "hl" in (a.get("class") or "").split() else None
        self.open.append(rid)
        if rid:
            self.text.setdefault(rid, "")
            self.classes[rid], self.titles[rid] = a["class"], a.get("title", "")

    def handle_endtag(self, tag):
        if tag == "span" and self.open:
            self.open.pop()

    def handle_data(self, data):
        for rid in set(r for r in self.open if r):
            self.text[rid] += data


def spans_of(html_text: str) -> Spans:
    p = Spans()
    p.feed(html_text)
    return p


def test_nest_splits_a_span_that_crosses_the_end_of_another():
    pieces = nest([Mark(0, 10, 0, "target", "", "T"), Mark(2, 4, 2, "fig", "", "F"),
                   Mark(8, 14, 1, "ent", "", "E")])
    assert [(m.rid, m.start, m.end) for m in pieces] == [("T", 0, 10), ("F", 2, 4), ("E", 8, 10), ("E", 10, 14)]
    assert highlight("0123456789abcdef", pieces[:0] + [Mark(2, 4, 2, "fig", "a<b", "F")]) == \
        '01<span class="hl fig" title="a&lt;b" data-id="F">23</span>456789abcdef'


def test_report_highlights_the_rows_at_their_offsets_with_their_values(synthetic, tmp_path):
    out, rows = synthetic
    html_path = tmp_path / "r.html"
    assert main(["report", "--out", str(out), "--html", str(html_path)]) == 0
    page = html_path.read_text(encoding="utf-8")
    spans = spans_of(page)
    for table, layer_rows in rows.items():
        key = {"targets": "target_id", "figures": "figure_id", "dates": "date_id", "entities": "entity_id"}[table]
        for r in layer_rows:
            assert spans.text[r[key]].replace(",", "，") == r["text"].replace(",", "，"), r[key]
    assert "hl fig" in spans.classes["F1"] and "ent-LOC" in spans.classes["E2"]
    assert "ent-ORG" in spans.classes["E1"] and "target" in spans.classes["T1"]
    assert "山西省发展和改革委员会" in spans.titles["E1"]
    assert "adcode 140700" in spans.titles["E2"]
    assert "2022-11-16" in spans.titles["D1"] and "2025-01-01 – 2025-12-31" in spans.titles["D2"]
    assert "deadline by 2025-12-31" in spans.titles["T1"] and "magnitude 100000000000" in spans.titles["F1"]
    # self-contained: no external script, stylesheet, image or font
    assert not re.search(r'<(script|link|img)[^>]+(src|href)=', page)
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page
    # charts: figure kinds, deadline years, most-named organisations and places
    assert page.count("<svg") == 4 and ">magnitude<" in page and ">2025<" in page and "晋中市" in page
    # every article of the run is in the report, with its headline
    for line in (out / "articles.jsonl").open(encoding="utf-8"):
        art = json.loads(line)
        assert f'id="{art["article_id"]}"' in page
        assert html.escape(art["headline"] or "(no headline)") in page


def test_report_filters_by_issue_date_and_survives_a_moved_page_folder(synthetic, tmp_path):
    out, _ = synthetic
    only = build_report(out, Filters(date="2022-11-18"))
    assert "中部城市群锚定目标谋发展" in only and "data-id=\"F1\"" in only
    none = build_report(out, Filters(date_from="2030-01-01"))
    assert "中部城市群锚定目标谋发展" not in none
    moved = build_report(out, input_dir=tmp_path / "nowhere")
    assert "中部城市群锚定目标谋发展" in moved and "data-id=\"F1\"" not in moved
    assert "without highlights" in moved
    assert main(["report", "--out", str(tmp_path / "no-run")]) == 2


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def _browser(*args: str) -> subprocess.CompletedProcess:
    exe = _chromium()
    if exe is None:
        pytest.skip("chromium is not installed")
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", *args],
            capture_output=True, text=True, timeout=120)


def test_report_renders_in_headless_chromium(synthetic, tmp_path):
    out, rows = synthetic
    html_path = tmp_path / "r.html"
    main(["report", "--out", str(out), "--html", str(html_path)])
    proc = _browser("--virtual-time-budget=2000", "--dump-dom", html_path.as_uri())
    dom = proc.stdout
    assert "<body" in dom, proc.stderr[-2000:]
    spans = spans_of(dom)
    assert spans.text["D1"] == "11月16日" and spans.text["E1"] == "省发改委"
    assert spans.text["T1"].startswith("到2025年") and spans.text["T1"].endswith("四大千亿级产业集群")
    assert "Uncaught" not in proc.stderr, proc.stderr[-2000:]

    # the filter box hides the articles and table rows that do not contain the words typed
    page = html_path.read_text(encoding="utf-8")
    typed = ("<script>for (const [id, q] of [['issues', '司法厅'], ['t-entities', '晋中']]) {"
             "const box = document.querySelector('input[data-target=\"' + id + '\"]');"
             "box.value = q; box.dispatchEvent(new Event('input'));}"
             "document.querySelector('.legend input[value=fig]').click();</script></body>")
    filtered = tmp_path / "filtered.html"
    filtered.write_text(page.replace("</body>", typed), encoding="utf-8")
    dom = _browser("--virtual-time-budget=2000", "--dump-dom", filtered.as_uri()).stdout
    shown = re.findall(r'<article class="art" id="([^"]+)"(?! style="display: none;")', dom)
    hidden = re.findall(r'<article class="art" id="([^"]+)" style="display: none;"', dom)
    assert len(shown) == 1 and len(hidden) > 10
    assert '<body class="off-fig">' in dom           # the legend turns a colour off

    # a link from a table row opens the (collapsed) issue the article is in
    collapsed = tmp_path / "collapsed.html"
    collapsed.write_text(page.replace('<details class="issue" open>', '<details class="issue">'),
                         encoding="utf-8")
    art = rows["targets"][0]["article_id"]
    opened = _browser("--virtual-time-budget=2000", "--dump-dom", collapsed.as_uri() + "#" + art).stdout
    assert re.search(r'<details class="issue" open="">\s*<summary>2022-11-18', opened)
    assert not re.search(r'<details class="issue" open="">\s*<summary>no issue date', opened)
    rows = re.findall(r'<table id="t-entities">.*?</table>', dom, re.S)[0].split("<tr")[2:]
    assert [("display: none" in r, "晋中" in r) for r in rows] == [(True, False), (False, True), (True, False)]

    shot = tmp_path / "shot.png"
    _browser("--window-size=1200,1600", f"--screenshot={shot}", html_path.as_uri())
    assert shot.is_file() and shot.stat().st_size > 10_000
    if os.environ.get("BAOZHI_KEEP_SCREENSHOT"):
        shutil.copy(shot, os.environ["BAOZHI_KEEP_SCREENSHOT"])
