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
    rows = re.findall(r'<table id="t-entities">.*?<tbody>(.*?)</tbody>', dom, re.S)[0].split("<tr")[1:]
    assert [("display: none" in r, "晋中" in r) for r in rows] == [(True, False), (False, True), (True, False)]

    shot = tmp_path / "shot.png"
    _browser("--window-size=1200,1600", f"--screenshot={shot}", html_path.as_uri())
    assert shot.is_file() and shot.stat().st_size > 10_000
    if os.environ.get("BAOZHI_KEEP_SCREENSHOT"):
        shutil.copy(shot, os.environ["BAOZHI_KEEP_SCREENSHOT"])


# ------------------------------------------------------------ the report of the whole corpus

from baozhi.apps.report import human  # noqa: E402


@pytest.mark.parametrize("value, unit, shown", [
    (2.47e9, "CNY", "24.7 亿元"), (1.5e7, "CNY", "1500 万元"), (60.0, "CNY", "60 元"),
    (16e9, "W", "16 GW"), (1.32e9, "W", "1.32 GW"), (25800.0, "m2", "2.58 公顷"),
    (1e8, "m2", "100 平方公里"), (5.2e6, "t", "520 万吨"), (30.0, "%", "30%"), (5.0, "个", "5 个"),
    (None, "CNY", "")])
def test_numbers_are_written_for_people(value, unit, shown):
    assert human(value, unit) == shown


@pytest.fixture(scope="module")
def corpus_report(corpus_out, tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus-report") / "report.html"
    assert main(["report", "--out", str(corpus_out), "--html", str(path)]) == 0
    return path


def _article_parts(page: str) -> dict[str, tuple[str, str]]:
    """article id -> (its headings' text, its body's text), tags removed."""
    out = {}
    for aid, inner in re.findall(r'<article class="art" id="([^"]+)">(.*?)</article>', page, re.S):
        body = re.search(r'<div class="text">(.*)</div>', inner, re.S).group(1)
        heads = inner[:inner.index('<div class="meta">')]
        strip = lambda s: html.unescape(re.sub(r"<[^>]+>", "", s))   # noqa: E731
        out[aid] = (strip(heads), strip(body.replace("</p><p>", "\n")))
    return out


def test_the_report_reads_like_the_page(corpus_report, corpus_out):
    page = corpus_report.read_text(encoding="utf-8")
    parts = _article_parts(page)
    arts = {a["article_id"]: a for a in map(json.loads, (corpus_out / "articles.jsonl").open(encoding="utf-8"))}
    assert set(parts) == set(arts)
    raw = (CORPUS / "001_6aabacdc9d3ce053.txt").read_text(encoding="utf-8")
    assert "运\n\n营商" in raw and "## " in raw            # what the page file has
    bodies = "\n".join(body for _, body in parts.values())
    assert "运营商及全产业链集成服务供应商" in bodies       # the word joined again
    assert "## " not in bodies and "##" not in "".join(h for h, _ in parts.values())
    for aid, (heads, body) in parts.items():
        headline = arts[aid]["headline"]
        if headline:
            assert headline in heads
            assert not body.lstrip().startswith(headline), aid   # not repeated in the body


def test_the_report_tooltips_give_values_for_people_and_say_why_a_date_is_open(corpus_report):
    page = html.unescape(corpus_report.read_text(encoding="utf-8"))
    assert 'title="figure (quantity) · 16 GW · 16000000000 W · exact"' in page
    assert "2.58 公顷 · 25800 m2" in page and "24.7 亿元 · 2470000000 CNY" in page
    assert "open (day)" not in page and "date: open" not in page
    assert "a relative date, and this page has no issue date" in page
    assert "these pages have no issue date" in page and "metadata.toml" in page
    # the figures table reads like the text too, with the canonical value as its tooltip
    fig_table = re.search(r'<table id="t-figures">.*?</table>', page, re.S).group(0)
    assert ">reads<" in fig_table and 'title="2470000000 CNY">24.7 亿元<' in fig_table


def test_the_tables_filter_by_column_sort_and_download_in_chromium(corpus_report, corpus_out, tmp_path):
    page = corpus_report.read_text(encoding="utf-8")
    script = """<script>
    const ents = document.getElementById('t-entities');
    const label = [...ents.tHead.rows[0].cells].findIndex(th => th.textContent === 'label');
    const box = ents.querySelector('tr.colfilters input[data-col="' + label + '"]');
    box.value = 'PER'; box.dispatchEvent(new Event('input'));
    const figs = document.getElementById('t-figures');
    const value = [...figs.tHead.rows[0].cells].findIndex(th => th.textContent === 'value');
    figs.tHead.rows[0].cells[value].click(); figs.tHead.rows[0].cells[value].click();
    document.body.dataset.order = [...figs.tBodies[0].rows].slice(0, 3).map(r => r.cells[value].dataset.v).join('|');
    document.body.dataset.csv = tableCsv(ents);
    </script></body>"""
    probe = tmp_path / "probe.html"
    probe.write_text(page.replace("</body>", script), encoding="utf-8")
    proc = _browser("--virtual-time-budget=3000", "--dump-dom", probe.as_uri())
    dom = proc.stdout
    assert "Uncaught" not in proc.stderr, proc.stderr[-2000:]
    body = re.search(r'<tbody>(.*?)</tbody>', re.search(r'<table id="t-entities">.*?</table>', dom, re.S).group(0), re.S).group(1)
    rows = body.split("<tr")[1:]
    shown = [r for r in rows if "display: none" not in r]
    assert 0 < len(shown) < len(rows) and all(">PER<" in r for r in shown)
    order = re.search(r'data-order="([^"]*)"', dom).group(1).split("|")
    assert [float(v) for v in order] == sorted((float(v) for v in order), reverse=True)
    values = [f["value"] for f in map(json.loads, (corpus_out / "figures.jsonl").open(encoding="utf-8"))]
    assert float(order[0]) == max(v for v in values if v is not None)   # numbers sort as numbers
    csv_text = html.unescape(re.search(r'data-csv="([^"]*)"', dom).group(1))
    lines = [l for l in csv_text.lstrip("\ufeff").splitlines() if l]
    assert lines[0].startswith("entity_id,issue_date,text,label") and len(lines) == len(shown) + 1
    assert all(",PER," in l for l in lines[1:])
