"""``baozhi report``: one self-contained HTML file to read a run's results.

Entry point: ``write_report(out_dir, html_path, filters)``. Per issue and article, the
page text with entities, figures, dates and targets highlighted (a colour each, a legend
that turns them on and off, a tooltip with the normalised value); the tables, each with a
filter box; a few charts as inline SVG. No network, no external scripts or styles.

The text comes from the page files themselves (``ingest.read_page``), sliced by the
offsets in the tables: that is what the offsets are for. The page folder is the one the
run recorded in ``OUT/.state/manifest.json`` (or ``input_dir``); a page that is missing or
changed since the run is shown from the ``articles`` table without highlights.
"""
from __future__ import annotations

import heapq
import html
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from baozhi.run.batch import State
from baozhi.layers import registry
from baozhi.apps.show import Filters, ShowError, cell, default_columns, query

# how the report draws the layers it knows: CSS class (entities add their label) and nesting
# order where spans share a start and end (targets outermost, dates innermost); a layer not
# listed here (a user's own) is drawn innermost with the plain "layer" class
DRAWN = {"targets": "target", "entities": "ent", "figures": "fig", "dates": "date"}
# the order of the tables at the bottom of the report
TABLE_ORDER = ("figures", "dates", "targets", "entities")


def layer_tables() -> tuple[str, ...]:
    """The layers in nesting order: those of DRAWN first, in its order, then the others."""
    known = [t for t in DRAWN if t in registry.names()]
    return (*known, *(t for t in registry.names() if t not in DRAWN))


def rank(table: str) -> int:
    return layer_tables().index(table)
LEGEND = [("target", "targets"), ("fig", "figures"), ("date", "dates"),
          ("ent-ORG", "organisations"), ("ent-LOC", "places"), ("ent-PER", "people")]
TOP_NAMES = 12


class ReportError(Exception):
    """The report cannot be written (no run in the output folder)."""


@dataclass(frozen=True)
class Mark:
    """A highlighted span: offsets into the article's text, CSS class, tooltip, row id."""

    start: int
    end: int
    rank: int
    cls: str
    title: str
    rid: str


def nest(marks: list[Mark]) -> list[Mark]:
    """The marks cut into properly nested pieces (a span crossing the end of the span it
    starts in is split there), in document order: (start, longest first, rank)."""
    heap = [(m.start, -m.end, m.rank, i, m) for i, m in enumerate(marks) if m.end > m.start]
    heapq.heapify(heap)
    out, ends = [], []
    while heap:
        s, neg_e, rank, i, m = heapq.heappop(heap)
        e = -neg_e
        while ends and ends[-1] <= s:
            ends.pop()
        if ends and e > ends[-1]:
            heapq.heappush(heap, (ends[-1], neg_e, rank, i, m))
            e = ends[-1]
        out.append(Mark(s, e, m.rank, m.cls, m.title, m.rid))
        ends.append(e)
    return out


def highlight(text: str, marks: list[Mark]) -> str:
    """HTML of ``text`` with each mark a ``<span class title data-id>``."""
    esc = html.escape
    parts, pos, ends = [], 0, []
    for m in nest(marks):
        while ends and ends[-1] <= m.start:
            e = ends.pop()
            parts.append(esc(text[pos:e]) + "</span>")
            pos = e
        parts.append(esc(text[pos:m.start]))
        pos = m.start
        parts.append(f'<span class="hl {m.cls}" title="{esc(m.title)}" data-id="{esc(m.rid)}">')
        ends.append(m.end)
    while ends:
        e = ends.pop()
        parts.append(esc(text[pos:e]) + "</span>")
        pos = e
    parts.append(esc(text[pos:]))
    return "".join(parts)


def _n(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _range(a, b) -> str:
    """``a – b``; ``by b`` or ``from a`` where open."""
    a, b = cell(a), cell(b)
    if not a or not b:
        return f"by {b}" if b else (f"from {a}" if a else "open")
    return a if a == b else f"{a} – {b}"


def tooltip(table: str, row: dict) -> str:
    """What hovering a highlighted span says: the row's normalised values."""
    if table == "figures":
        value = cell(row.get("value")) if row.get("value") is not None else _range(row.get("low"), row.get("high"))
        extra = [f"magnitude {cell(row['magnitude'])}" if row.get("magnitude") else "",
                 f"count {cell(row['count'])}" if row.get("count") else ""]
        return " · ".join(x for x in [f"figure ({row.get('kind')})", f"{value} {cell(row.get('unit'))}".strip(),
                                      row.get("approx") or "", *extra] if x)
    if table == "dates":
        return f"date: {_range(row.get('start_date'), row.get('end_date'))} ({row.get('granularity')})"
    if table == "targets":
        dl = _range(row.get("deadline_start"), row.get("deadline_end")) \
            if row.get("deadline_start") or row.get("deadline_end") else "none stated"
        text = f" ({row['deadline_text']})" if row.get("deadline_text") else ""
        return f"target, {row.get('modality') or '—'}: deadline {dl}{text}"
    if table == "entities":
        name = row.get("canonical") or row.get("text")
        code = f" · adcode {row['adcode']}" if row.get("adcode") else ""
        return f"{row.get('label')}: {name}{code}"
    layer = registry.get(table)      # a layer the report has no words for: its own fields
    return f"{layer.item}: " + " · ".join(
        f"{k} {cell(row.get(k))}" for k in layer.fields[3:] if row.get(k) not in (None, ""))


def css_class(table: str, row: dict) -> str:
    if table == "entities":
        return f"ent ent-{row.get('label')}"
    return DRAWN.get(table, "layer")


def _rows(out_dir: Path, table: str, filters: Filters) -> list[dict]:
    cols, rows, _ = query(out_dir, table, filters)
    return [dict(zip(cols, r)) for r in rows]


class Pages:
    """The run's page texts, read once each; None where missing or changed since the run."""

    def __init__(self, input_dir: Path | None, manifest: dict):
        self.root = input_dir
        self.info = manifest.get("pages") or {}
        self.cache: dict[str, str | None] = {}

    def text(self, source: str) -> str | None:
        if source not in self.cache:
            self.cache[source] = self._read(source)
        return self.cache[source]

    def _read(self, source: str) -> str | None:
        from baozhi.stages.ingest import IngestError, read_page

        if self.root is None:
            return None
        path = self.root / source
        try:
            page = read_page(path, self.root)
        except (IngestError, OSError):
            return None
        want = (self.info.get(source) or {}).get("sha256")
        return page.text if want in (None, page.sha256) else None


# ----------------------------------------------------------------------- charts


def bar_chart(title: str, items: list[tuple[str, int]], color: str, width: int = 440) -> str:
    """A horizontal bar chart as inline SVG."""
    esc = html.escape
    label_w, bar_h, gap, top = 150, 18, 6, 28
    height = top + max(1, len(items)) * (bar_h + gap) + 4
    most = max((n for _, n in items), default=0) or 1
    out = [f'<svg class="chart" role="img" aria-label="{esc(title)}" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
           f'<text x="0" y="16" class="ct">{esc(title)}</text>']
    if not items:
        out.append(f'<text x="0" y="{top + 14}" class="cl">no rows</text>')
    for i, (label, n) in enumerate(items):
        y = top + i * (bar_h + gap)
        w = max(1, round((width - label_w - 50) * n / most))
        short = label if len(label) <= 10 else label[:9] + "…"
        out.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end" class="cl">'
                   f'<title>{esc(label)}</title>{esc(short)}</text>'
                   f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="{color}">'
                   f'<title>{esc(label)}: {n}</title></rect>'
                   f'<text x="{label_w + w + 4}" y="{y + 13}" class="cl">{n}</text>')
    out.append("</svg>")
    return "".join(out)


def charts(tables: dict[str, list[dict]]) -> str:
    kinds = Counter(r.get("kind") or "?" for r in tables["figures"])
    years = Counter()
    for r in tables["targets"]:
        d = r.get("deadline_end") or r.get("deadline_start")
        years[str(d)[:4] if d else "none"] += 1
    names = {lab: Counter((r.get("canonical") or r.get("text") or "?")
                          for r in tables["entities"] if r.get("label") == lab) for lab in ("ORG", "LOC")}
    year_items = sorted(((y, n) for y, n in years.items() if y != "none")) + \
        ([("none", years["none"])] if years["none"] else [])
    return "".join([
        bar_chart("Figures by kind", kinds.most_common(), "#e0a800"),
        bar_chart("Targets by deadline year", year_items, "#c9302c"),
        bar_chart("Most-named organisations", names["ORG"].most_common(TOP_NAMES), "#3b6fc4"),
        bar_chart("Most-named places", names["LOC"].most_common(TOP_NAMES), "#8a4fd0"),
    ])


# ----------------------------------------------------------------------- the page


def _article_html(art: dict, marks_rows: dict[str, list[tuple[str, dict]]], pages: Pages) -> str:
    esc = html.escape
    aid = art["article_id"]
    rows = marks_rows.get(aid, [])
    text = pages.text(art["source"])
    start, end = art.get("start"), art.get("end")
    note = ""
    if text is not None and start is not None and end is not None and 0 <= start <= end <= len(text):
        body_text = text[start:end]
        marks = []
        for table, r in rows:
            s, e = (r.get("start") or 0) - start, (r.get("end") or 0) - start
            s, e = max(0, s), min(len(body_text), e)
            if e > s:
                rid = r.get(registry.get(table).id_field) or ""
                marks.append(Mark(s, e, rank(table), css_class(table, r), tooltip(table, r), rid))
        body = highlight(body_text, marks)
    else:
        body = esc(art.get("text") or "")
        note = '<p class="note">page file not found or changed since the run: text without highlights</p>'
    counts = Counter(t for t, _ in rows)
    meta = " · ".join(x for x in [
        esc(aid), esc(art.get("source") or ""),
        f"page {art['page']}" if art.get("page") else "", esc(art.get("kind") or ""),
        esc(cell(art.get("authors"))),
        ", ".join(f"{counts[t]} {t}" for t in layer_tables() if counts[t]),
    ] if x)
    kicker = f'<div class="kicker">{esc(art["kicker"])}</div>' if art.get("kicker") else ""
    headline = esc(art.get("headline") or "(no headline)")
    return (f'<article class="art" id="{esc(aid)}">{kicker}<h3>{headline}</h3>'
            f'<div class="meta">{meta}</div>{note}<div class="text">{body}</div></article>')


def _table_html(table: str, rows: list[dict], max_rows: int) -> str:
    esc = html.escape
    shown = default_columns(table)
    cols = shown + (["article_id"] if "article_id" not in shown else [])
    head = "".join(f"<th>{esc(c)}</th>" for c in cols)
    body = []
    for r in rows[:max_rows]:
        tds = []
        for c in cols:
            v = cell(r.get(c))
            if c == "article_id" and v:
                v_html = f'<a href="#{esc(v)}">{esc(v)}</a>'
            else:
                v_html = esc(v)
            tds.append(f"<td>{v_html}</td>")
        body.append("<tr>" + "".join(tds) + "</tr>")
    more = (f'<p class="note">first {max_rows} of {len(rows)} rows; '
            f'<code>baozhi show {table}</code> shows the rest</p>') if len(rows) > max_rows else ""
    return (f'<details class="tbl" {"open" if table == "errors" and rows else ""}>'
            f'<summary>{esc(table)} ({len(rows)})</summary>'
            f'<input class="filter" type="search" placeholder="filter {esc(table)}…" data-target="t-{table}">'
            f'{more}<table id="t-{table}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
            f'</details>')


STYLE = """
body{font-family:system-ui,"Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",sans-serif;
 margin:0 auto;max-width:1100px;padding:0 1em 4em;color:#222;line-height:1.6}
h1{font-size:1.4em;margin:.8em 0 .2em}.sub{color:#666;margin:0 0 1em}
.legend{position:sticky;top:0;background:#fff;padding:.4em 0;border-bottom:1px solid #ddd;z-index:2}
.legend label{margin-right:1em;white-space:nowrap;cursor:pointer}
.sw{display:inline-block;padding:0 .4em;border-radius:3px}
.charts{display:flex;flex-wrap:wrap;gap:1em;margin:1em 0}.chart{background:#fafafa;border:1px solid #eee}
.ct{font-weight:bold;font-size:13px}.cl{font-size:12px;fill:#333}
details.issue>summary{font-size:1.15em;font-weight:bold;cursor:pointer;margin:.6em 0}
article.art{border-top:1px solid #e4e4e4;padding:.5em 0 .8em}
article.art h3{margin:.2em 0;font-size:1.1em}.kicker{color:#666;font-size:.9em}
.meta{color:#777;font-size:.8em}.note{color:#a60;font-size:.85em}
.text{white-space:pre-wrap}
.hl{border-radius:2px;cursor:help}
.fig{background:#ffe08a}.date{background:#b9e8c8}
.target{background:#fdecea;border-bottom:2px solid #d9534f}
.ent-ORG{background:#cfe0ff}.ent-LOC{background:#e8d6ff}.ent-PER{background:#ffd3e2}
body.off-fig .fig,body.off-date .date,body.off-target .target,body.off-ent-ORG .ent-ORG,
body.off-ent-LOC .ent-LOC,body.off-ent-PER .ent-PER{background:none;border-bottom:none}
input.filter{display:block;margin:.4em 0;padding:.3em .5em;width:20em;font-size:1em}
table{border-collapse:collapse;font-size:.85em;width:100%}
th,td{border-bottom:1px solid #eee;padding:.15em .4em;text-align:left;vertical-align:top}
th{background:#f4f4f4;position:sticky;top:2.2em}
details.tbl>summary{font-weight:bold;cursor:pointer;margin:.4em 0}
.errors{color:#b00}
"""

SCRIPT = """
function reveal(){var el=location.hash&&document.getElementById(decodeURIComponent(location.hash.slice(1)));
  for(var d=el&&el.parentElement;d;d=d.parentElement){if(d.tagName==='DETAILS'){d.open=true;}}
  if(el){el.scrollIntoView();}}
window.addEventListener('hashchange',reveal);reveal();
document.querySelectorAll('.legend input').forEach(function(box){
  box.addEventListener('change',function(){document.body.classList.toggle('off-'+box.value,!box.checked);});
});
document.querySelectorAll('input.filter').forEach(function(inp){
  inp.addEventListener('input',function(){
    var q=inp.value.trim().toLowerCase(), target=document.getElementById(inp.dataset.target);
    var items=target.tagName==='TABLE'?target.tBodies[0].rows:target.querySelectorAll('article.art');
    Array.prototype.forEach.call(items,function(el){
      el.style.display=(!q||el.textContent.toLowerCase().indexOf(q)>=0)?'':'none';});
    if(target.tagName!=='TABLE'){target.querySelectorAll('details.issue').forEach(function(d){
      var shown=Array.prototype.some.call(d.querySelectorAll('article.art'),function(a){return a.style.display!=='none';});
      d.style.display=shown?'':'none'; if(q&&shown){d.open=true;}});}
  });
});
"""


def build_report(out_dir: Path, filters: Filters | None = None, input_dir: Path | None = None,
                 max_rows: int = 5000) -> str:
    """The report's HTML."""
    esc = html.escape
    filters = filters or Filters()
    out_dir = Path(out_dir)
    manifest = State(out_dir).manifest()
    if input_dir is None and manifest.get("input_dir"):
        input_dir = Path(manifest["input_dir"])
    try:
        # errors have no issue date: all of them are shown
        tables = {t: _rows(out_dir, t, filters if t != "errors" else Filters()) for t in registry.tables()}
    except ShowError as exc:
        raise ReportError(str(exc)) from None
    pages = Pages(input_dir, manifest)

    by_article: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for t in layer_tables():
        for r in tables[t]:
            by_article[r.get("article_id")].append((t, r))
    issues: dict[str, list[dict]] = defaultdict(list)
    for art in tables["articles"]:
        issues[art.get("issue_date") or "no issue date"].append(art)

    many = len(issues) > 3
    issue_html = []
    for issue, arts in sorted(issues.items(), key=lambda kv: (kv[0] == "no issue date", kv[0])):
        papers = ", ".join(sorted({a.get("paper") for a in arts if a.get("paper")}))
        sources = len({a.get("source") for a in arts})
        issue_html.append(
            f'<details class="issue" {"" if many else "open"}><summary>{esc(issue)}'
            f'{" · " + esc(papers) if papers else ""} · {_n(sources, "page")} · {_n(len(arts), "article")}</summary>'
            + "".join(_article_html(a, by_article, pages) for a in arts) + "</details>")

    n = {t: len(rows) for t, rows in tables.items()}
    counts = ", ".join(f"{n[t]} {t}" for t in registry.tables() if t != "errors")
    err = f' · <span class="errors">{n["errors"]} errors</span>' if n["errors"] else " · 0 errors"
    legend = "".join(f'<label><input type="checkbox" value="{c}" checked> '
                     f'<span class="sw {c}">{esc(name)}</span></label>'
                     for c, name in LEGEND)
    chosen = " ".join(f"{k.replace('date_', '')} {v}" for k, v in vars(filters).items() if v)
    title = f"baozhi report — {(input_dir or out_dir.resolve()).name}"
    return "".join([
        '<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
        f'<p class="sub">{esc(str(input_dir) if input_dir else "")}{" · " + esc(chosen) if chosen else ""}'
        f"<br>{counts}{err}</p>",
        f'<div class="legend">{legend}<span class="meta">hover a highlight for its values</span></div>',
        f'<section class="charts">{charts(tables)}</section>',
        '<h2>Articles</h2><input class="filter" type="search" placeholder="filter articles…" '
        'data-target="issues">',
        f'<section id="issues">{"".join(issue_html)}</section>',
        "<h2>Tables</h2>",
        "".join(_table_html(t, tables[t], max_rows) for t in (
            *(t for t in TABLE_ORDER if t in registry.names()),
            *(t for t in registry.names() if t not in TABLE_ORDER), "errors")),
        f"<script>{SCRIPT}</script></body></html>",
    ])


def write_report(out_dir: Path, html_path: Path, filters: Filters | None = None,
                 input_dir: Path | None = None, max_rows: int = 5000) -> Path:
    """Write the report to ``html_path`` (atomically) and return the path."""
    from baozhi.run.batch import atomic_write

    text = build_report(out_dir, filters, input_dir, max_rows)
    html_path = Path(html_path)
    atomic_write(html_path, text)
    return html_path
