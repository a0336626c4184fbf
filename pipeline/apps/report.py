"""``baozhi report``: one self-contained HTML file to read a run's results.

Entry point: ``write_report(out_dir, html_path, filters)``. Per issue and article, the
article as the tables read it — the repaired text (no ``## `` marks, no words split by
stray line breaks, the headline above the body and not again inside it) — with entities,
figures, dates and targets highlighted (a colour each, a legend that turns them on and
off, a tooltip with the value for people first and the canonical value after: ``24.7 亿元
· 2470000000 CNY``); the tables, each with a filter box, a filter per column, sorting by
any column and a CSV download of the rows shown; a few charts as inline SVG. No network, no
external scripts or styles. The page is a jinja2 template (``templates/report.html.j2``,
with its CSS and script beside it).

The text comes from the page files themselves (``ingest.read_page``), repaired and split
into articles again by the same stages as the run, and the rows' offsets (into the page
file) are mapped onto the repaired text. The page folder is the one the run recorded in
``OUT/.state/manifest.json`` (or ``input_dir``); a page that is missing or changed since the
run is shown from the ``articles`` table without highlights.
"""
from __future__ import annotations

import functools
import heapq
import html
import math
import sqlite3
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


# ----------------------------------------------------------------------- numbers for people

CURRENCY = {"CNY": "元", "USD": "美元", "EUR": "欧元", "HKD": "港元", "JPY": "日元", "GBP": "英镑"}
SI_PREFIXED = ("W", "Wh", "V", "Hz", "J", "B")      # 16000000000 W -> 16 GW
CN_SCALES = ((1e12, "万亿"), (1e8, "亿"), (1e4, "万"))
SI_SCALES = ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"))
UNIT_WORDS = {"t": "吨", "d": "天", "h": "小时", "month": "个月", "year": "年", "m": "米",
              "m2": "平方米", "m3": "立方米", "°": "°", "%": "%"}


def _plain(x: float) -> str:
    """``24.7``, ``16``, ``2.58``: at most two decimals, no trailing zeros."""
    text = f"{x:,.2f}".rstrip("0").rstrip(".") if abs(x) < 1e15 else f"{x:.3g}"
    return text.replace(",", "") if abs(x) < 10000 else text


def human(value: float | None, unit: str | None) -> str:
    """A canonical value as a reader writes it: ``24.7 亿元``, ``16 GW``, ``2.58 公顷``,
    ``520 万吨``, ``30%``, ``5 个``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    unit = unit or ""
    if unit == "%":
        return f"{_plain(value)}%"
    if unit in SI_PREFIXED:
        for scale, prefix in SI_SCALES:
            if abs(value) >= scale:
                return f"{_plain(value / scale)} {prefix}{unit}"
        return f"{_plain(value)} {unit}"
    if unit == "m2" and abs(value) >= 1e6:
        return f"{_plain(value / 1e6)} 平方公里"
    if unit == "m2" and abs(value) >= 1e4:
        return f"{_plain(value / 1e4)} 公顷"
    if unit == "m" and abs(value) >= 1e3:
        return f"{_plain(value / 1e3)} 公里"
    word = CURRENCY.get(unit) or UNIT_WORDS.get(unit, unit)
    for scale, prefix in CN_SCALES:
        if abs(value) >= scale:
            return f"{_plain(value / scale)} {prefix}{word}".rstrip()
    return f"{_plain(value)} {word}".rstrip()


def human_figure(row: dict) -> str:
    """A figure row for people: its value, or its range, or its scale class."""
    if row.get("value") is not None:
        return human(row["value"], row.get("unit"))
    lo, hi = row.get("low"), row.get("high")
    if lo is not None or hi is not None:
        return " – ".join(human(v, row.get("unit")) if v is not None else "…" for v in (lo, hi))
    if row.get("magnitude"):
        n = f"{cell(row['count'])} × " if row.get("count") else ""
        scale = MAGNITUDES.get(round(math.log10(row["magnitude"]))) if row["magnitude"] > 0 else None
        return f"{n}{scale}级" if scale else f"{n}{cell(row['magnitude'])}"
    return ""


MAGNITUDES = {2: "百", 3: "千", 4: "万", 5: "十万", 6: "百万", 7: "千万", 8: "亿", 9: "十亿",
              10: "百亿", 11: "千亿", 12: "万亿"}


def _canonical(row: dict) -> str:
    if row.get("value") is not None:
        v = cell(row["value"])
    else:
        v = _range(row.get("low"), row.get("high")) if row.get("low") is not None or \
            row.get("high") is not None else ""
    return f"{v} {cell(row.get('unit'))}".strip() if v else ""


def date_reason(row: dict) -> str:
    """Why a date has no start and no end."""
    if row.get("issue_date"):
        return "not resolved: the expression gives no bound"
    return ("not resolved: a relative date, and this page has no issue date "
            "(give one in metadata.toml or the file name)")


def tooltip(table: str, row: dict) -> str:
    """What hovering a highlighted span says: the value for people, then the canonical one."""
    if table == "figures":
        extra = [f"magnitude {cell(row['magnitude'])}" if row.get("magnitude") else "",
                 f"count {cell(row['count'])}" if row.get("count") else ""]
        shown, canon = human_figure(row), _canonical(row)
        return " · ".join(x for x in [f"figure ({row.get('kind')})", shown,
                                      canon if canon != shown else "", row.get("approx") or "",
                                      *extra] if x)
    if table == "dates":
        if not row.get("start_date") and not row.get("end_date"):
            return f"date ({row.get('granularity')}): {date_reason(row)}"
        return f"date: {_range(row.get('start_date'), row.get('end_date'))} ({row.get('granularity')})"
    if table == "targets":
        dl = _range(row.get("deadline_start"), row.get("deadline_end")) \
            if row.get("deadline_start") or row.get("deadline_end") else (
                "none stated" if not row.get("deadline_text") else date_reason(row))
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

    @functools.lru_cache(maxsize=64)
    def split(self, source: str):
        """(repaired text, {seq: article}) of a page, by the run's own stages; None when the
        page is missing or changed."""
        from baozhi.stages.articles import split_articles
        from baozhi.stages.repair import repair

        text = self.text(source)
        if text is None:
            return None
        rep = repair(text)
        return rep, {a.seq: a for a in split_articles(rep)}

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


def bar_chart(title: str, items: list[tuple[str, int]], color: str, width: int = 440) -> dict:
    """A horizontal bar chart, laid out for the template's inline SVG."""
    label_w, bar_h, gap, top = 150, 18, 6, 28
    height = top + max(1, len(items)) * (bar_h + gap) + 4
    most = max((n for _, n in items), default=0) or 1
    bars = []
    for i, (label, n) in enumerate(items):
        y = top + i * (bar_h + gap)
        w = max(1, round((width - label_w - 50) * n / most))
        bars.append({"label": label, "short": label if len(label) <= 10 else label[:9] + "…",
                     "n": n, "y": y, "w": w})
    return {"title": title, "color": color, "width": width, "height": height, "top": top,
            "label_w": label_w, "bar_h": bar_h, "bars": bars}


def charts(tables: dict[str, list[dict]]) -> list[dict]:
    kinds = Counter(r.get("kind") or "?" for r in tables["figures"])
    years = Counter()
    for r in tables["targets"]:
        d = r.get("deadline_end") or r.get("deadline_start")
        years[str(d)[:4] if d else "none"] += 1
    names = {lab: Counter((r.get("canonical") or r.get("text") or "?")
                          for r in tables["entities"] if r.get("label") == lab) for lab in ("ORG", "LOC")}
    year_items = sorted(((y, n) for y, n in years.items() if y != "none")) + \
        ([("none", years["none"])] if years["none"] else [])
    return [
        bar_chart("Figures by kind", kinds.most_common(), "#e0a800"),
        bar_chart("Targets by deadline year", year_items, "#c9302c"),
        bar_chart("Most-named organisations", names["ORG"].most_common(TOP_NAMES), "#3b6fc4"),
        bar_chart("Most-named places", names["LOC"].most_common(TOP_NAMES), "#8a4fd0"),
    ]


MAX_SERIES = 24      # the report draws at most this many series, the longest first


def series_rows(out_dir: Path) -> list[dict]:
    """The rows of the run's ``series`` view (none for a run written before it existed)."""
    from baozhi.apps.show import connect
    from baozhi.run.export import order_by

    con = connect(out_dir)
    try:
        con.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in con.execute(
                f"SELECT * FROM series {order_by('series')}")]
        except sqlite3.OperationalError:
            return []
    finally:
        con.close()


def _plotted(p: dict) -> float | None:
    """The height a figure is drawn at: its value, else the middle of its range (None when it
    has neither: an open bound such as 低于5% alone is not drawn)."""
    if p.get("value") is not None:
        return p["value"]
    if p.get("low") is not None and p.get("high") is not None:
        return (p["low"] + p["high"]) / 2
    return None


def series_chart(key: tuple, points: list[dict], width: int = 260, height: int = 110) -> dict:
    """A small line chart of one series (x: the points in period order, y: the value or the
    middle of a range), laid out for the template's inline SVG."""
    left, right, top, bottom = 8, 8, 30, 18
    pts = [(p, v) for p in points if (v := _plotted(p)) is not None]
    lo, hi = min(v for _, v in pts), max(v for _, v in pts)
    span = (hi - lo) or 1.0
    n = len(pts)
    dots = []
    for i, (p, v) in enumerate(pts):
        x = left + (width - left - right) * (i / (n - 1) if n > 1 else 0.5)
        y = top + (height - top - bottom) * (1 - (v - lo) / span if hi > lo else 0.5)
        label = p.get("period_text") or p.get("period") or p.get("issue_date") or "?"
        dots.append({"x": round(x, 1), "y": round(y, 1),
                     "title": f"{label}: {p.get('text')} ({p.get('status')}) {p.get('figure_id')}"})
    subject, metric, unit = key
    return {"title": f"{subject} · {metric} ({unit})", "width": width, "height": height,
            "line": " ".join(f"{d['x']},{d['y']}" for d in dots), "dots": dots,
            "low": human(lo, unit), "high": human(hi, unit), "bottom": height - 4}


def series_charts(rows: list[dict]) -> list[dict]:
    """A chart per series with at least two points with a value, the longest first."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        groups[(r["series_subject"], r["series_metric"], r["unit"])].append(r)
    usable = [(k, ps) for k, ps in groups.items()
              if sum(_plotted(p) is not None for p in ps) >= 2]
    usable.sort(key=lambda kv: (-len(kv[1]), kv[0]))
    return [series_chart(k, ps) for k, ps in usable[:MAX_SERIES]]


# ----------------------------------------------------------------------- the articles


def _marks(rows: list[tuple[str, dict]], to_local) -> list[Mark]:
    marks = []
    for table, r in rows:
        s, e = to_local(r.get("start") or 0, r.get("end") or 0)
        if e > s:
            rid = r.get(registry.get(table).id_field) or ""
            marks.append(Mark(s, e, rank(table), css_class(table, r), tooltip(table, r), rid))
    return marks


def _body_from_table(art: dict) -> list[str]:
    """The article's body from the articles table (repaired text), heading lines dropped."""
    heads = {h for h in (art.get("kicker"), art.get("headline"), art.get("subheading")) if h}
    paras = [p.strip() for p in (art.get("text") or "").split("\n") if p.strip()]
    while paras and (paras[0] in heads or " ".join(paras[:1]) in " ".join(heads)):
        paras.pop(0)
    return paras


def article_view(art: dict, rows: list[tuple[str, dict]], pages: Pages) -> dict:
    """What the template shows of one article: headings, a meta line, and the body's
    paragraphs as HTML with the rows highlighted (or plain, with a note)."""
    start, end = art.get("start"), art.get("end")
    split = pages.split(art["source"]) if art.get("source") else None
    found = split[1].get(art.get("seq")) if split else None
    paras, note, heads = [], "", []
    if found is not None and split[0].source_span(found.start, found.end) == (start, end):
        rep = split[0]

        def shown(p) -> str:
            def local(s, e):
                return (max(0, rep.from_source(s) - p.start),
                        min(p.end - p.start, rep.from_source(e) - p.start))
            return highlight(rep.text[p.start:p.end], _marks(rows, local))

        paras = [shown(p) for p in found.body]
        # the heading paragraphs, highlighted too, each in its role
        for p in found.heads:
            role = "headline" if p.text == art.get("headline") else (
                "kicker" if not any(r == "headline" for r, _ in heads) else "subheading")
            heads.append((role, shown(p)))
    else:
        paras = [html.escape(p) for p in _body_from_table(art)]
        note = "page file not found or changed since the run: text without highlights"
    if not any(r == "headline" for r, _ in heads):
        heads = [(r, html.escape(art[r])) for r in ("kicker", "headline", "subheading") if art.get(r)] \
            or [("headline", "(no headline)")]
    counts = Counter(t for t, _ in rows)
    meta = [x for x in [
        art["article_id"], art.get("source") or "", f"page {art['page']}" if art.get("page") else "",
        art.get("kind") or "", cell(art.get("authors")),
        ", ".join(f"{counts[t]} {t}" for t in layer_tables() if counts[t])] if x]
    return {"id": art["article_id"], "heads": heads, "meta": meta, "note": note, "paras": paras}


# ----------------------------------------------------------------------- the tables


def table_view(table: str, rows: list[dict], max_rows: int) -> dict:
    """A table for the template: columns and, per cell, what it shows, its sort key and its
    tooltip (a figure's canonical value; why a date is unresolved)."""
    cols = default_columns(table)
    if "article_id" not in cols:
        cols.append("article_id")
    if table == "figures":
        cols.insert(cols.index("text") + 1 if "text" in cols else 0, "reads")
    out = []
    for r in rows[:max_rows]:
        cells = []
        for c in cols:
            v, title = r.get(c), ""
            if c == "reads":
                shown, title = human_figure(r), _canonical(r)
                v = r.get("value") if r.get("value") is not None else r.get("low")
            else:
                shown = cell(v)
                if table in ("dates", "targets") and c in ("start_date", "end_date", "deadline_end") \
                        and v is None and not (r.get("start_date") or r.get("end_date")) \
                        and (table == "dates" or r.get("deadline_text")):
                    shown, title = "—", date_reason(r)
            sort = v if isinstance(v, (int, float)) and not isinstance(v, bool) else None
            cells.append({"text": shown, "sort": sort, "title": title,
                          "link": c == "article_id" and bool(shown)})
        out.append(cells)
    return {"name": table, "columns": cols, "rows": out, "total": len(rows),
            "description": registry.get(table).description if table in registry.names() else ""}


def _environment():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("baozhi.apps", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), trim_blocks=True,
                      lstrip_blocks=True)
    return env


def build_report(out_dir: Path, filters: Filters | None = None, input_dir: Path | None = None,
                 max_rows: int = 5000) -> str:
    """The report's HTML."""
    from markupsafe import Markup

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
    grouped: dict[str, list[dict]] = defaultdict(list)
    for art in tables["articles"]:
        grouped[art.get("issue_date") or NO_DATE].append(art)
    issues = []
    for issue, arts in sorted(grouped.items(), key=lambda kv: (kv[0] == NO_DATE, kv[0])):
        articles = [article_view(a, by_article.get(a["article_id"], []), pages) for a in arts]
        for a in articles:       # HTML built by highlight() (escaped there)
            a["paras"] = [Markup(p) for p in a["paras"]]
            a["heads"] = [(r, Markup(h)) for r, h in a["heads"]]
        issues.append({"date": issue, "papers": ", ".join(sorted({a.get("paper") for a in arts if a.get("paper")})),
                       "pages": _n(len({a.get("source") for a in arts}), "page"),
                       "articles": articles, "n": _n(len(arts), "article")})

    order = (*(t for t in TABLE_ORDER if t in registry.names()),
             *(t for t in registry.names() if t not in TABLE_ORDER), "errors")
    title = f"baozhi report — {(input_dir or out_dir.resolve()).name}"
    env = _environment()
    return env.get_template("report.html.j2").render(
        title=title, input_dir=str(input_dir) if input_dir else "",
        chosen=" ".join(f"{k.replace('date_', '')} {v}" for k, v in vars(filters).items() if v),
        counts={t: len(rows) for t, rows in tables.items()},
        layer_names=[t for t in registry.tables() if t != "errors"],
        legend=LEGEND, charts=charts(tables), series=series_charts(series_rows(out_dir)),
        open_up_to=OPEN_UP_TO, issues=issues, many=len(issues) > 3,
        no_date=NO_DATE, no_date_why=NO_DATE_WHY,
        tables=[table_view(t, tables[t], max_rows) for t in order],
        style=Markup(env.loader.get_source(env, "report.css")[0]),
        script=Markup(env.loader.get_source(env, "report.js")[0]))


NO_DATE = "no issue date"
OPEN_UP_TO = 300      # a table of at most this many rows is shown open
NO_DATE_WHY = ("these pages have no issue date: none in metadata.toml, the file name or the "
               "page text, so relative dates in them (今年, 11月16日) stay unresolved; "
               "give one in metadata.toml")


def write_report(out_dir: Path, html_path: Path, filters: Filters | None = None,
                 input_dir: Path | None = None, max_rows: int = 5000) -> Path:
    """Write the report to ``html_path`` (atomically) and return the path."""
    from baozhi.resources.atomic import atomic_write

    text = build_report(out_dir, filters, input_dir, max_rows)
    html_path = Path(html_path)
    atomic_write(html_path, text)
    return html_path
