"""Stage 3 — articles: split a repaired page into items with their headings and bylines.

Entry point: ``split_articles(repaired) -> list[Article]``. Items are articles, notices,
advertisements, photos (a picture's caption with its credit) and captions; each has its
headline, kicker (引题), subheading (副题), dateline (本报讯), authors, and the page it is
continued from ((上接第1版)). Offsets are into the repaired text; the pipeline maps them
back to the file. Every pattern lives in ``rules/articles/articles.yaml``.

How a page reads (blank-line layout, as converted from PDF): a run of heading-like
paragraphs opens a new item when no item is open (page start, or the last one ended with a
byline), when a heading mark (``#``) says so, or when the next paragraph starts with a
dateline; otherwise the run is a section heading inside the open item. In the line layout
of the People's Daily pages a blank line separates items and an item's first line is its
headline.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

import regex

from baozhi.resources import marks, regexcache, ruleset
from baozhi.stages.repair import Repaired

_LINE_RE = regexcache.compile(r"[^\n]+")


@dataclass
class Para:
    start: int
    end: int
    text: str
    mark: str | None = None      # h1/h2/h3/bold from the repair stage; "late" see below

    def rank(self) -> int:
        return {"late": 5, "h1": 4, "h2": 3, "bold": 2, "h3": 1}.get(self.mark or "", 0)


@dataclass
class Article:
    seq: int = 0
    kind: str = "article"                 # article, notice, ad, photo, caption
    heads: list[Para] = field(default_factory=list)
    body: list[Para] = field(default_factory=list)
    headline: str | None = None
    kicker: str | None = None
    subheading: str | None = None
    dateline: str | None = None
    authors: list[str] = field(default_factory=list)
    continued_from: str | None = None
    closed: bool = False
    start: int = 0
    end: int = 0

    @property
    def paras(self) -> list[Para]:
        return sorted(self.heads + self.body, key=lambda p: p.start)

    def as_row(self) -> dict:
        return {
            "seq": self.seq, "kind": self.kind, "headline": self.headline,
            "kicker": self.kicker, "subheading": self.subheading, "dateline": self.dateline,
            "authors": list(self.authors), "continued_from": self.continued_from,
            "start": self.start, "end": self.end,
        }


@functools.cache
def _cfg() -> dict:
    cfg = dict(ruleset.load("articles/articles.yaml"))
    for key in ("section_heading", "subheading", "dateline", "continuation", "byline",
                "byline_inline", "column_byline", "credit", "credit_inline", "name_noise",
                "caption_start", "signature_date", "name_separator"):
        cfg["_" + key] = regexcache.compile(cfg[key])
    cfg["_boilerplate"] = [regexcache.compile(p) for p in cfg["boilerplate"]]
    cfg["_ad"] = [regexcache.compile(p) for p in cfg["ad_signals"]]
    cfg["_stop"] = marks.chosen(cfg["heading_stop"])
    cfg["_sentence_end"] = marks.chosen(cfg["sentence_end"])
    return cfg


def _names(m: regex.Match) -> list[str]:
    raw = m.groupdict().get("names") or m.groupdict().get("names2") or ""
    noise = _cfg()["_name_noise"]
    out = []
    for name in _cfg()["_name_separator"].split(raw.strip()):
        name = noise.sub("", name)
        if len(name) >= 2:
            out.append(name)
    return out


def paragraphs(rep: Repaired) -> list[Para]:
    marks = rep.marks
    out = []
    for m in _LINE_RE.finditer(rep.text):
        s, e = m.start(), m.end()
        txt = m.group(0)
        lead = len(txt) - len(txt.lstrip())
        trail = len(txt) - len(txt.rstrip())
        s, e = s + lead, e - trail
        if s >= e:
            continue
        mark = next((k for ms, me, k in marks if ms < e and me > s), None)
        out.append(Para(s, e, rep.text[s:e], mark))
    return out


def _is_heading(p: Para) -> bool:
    cfg = _cfg()
    if p.mark:
        return True
    return len(p.text) <= cfg["max_heading_chars"] and not any(c in cfg["_stop"] for c in p.text)


def _set_heads(art: Article) -> None:
    """Choose headline, kicker and subheading among an item's heading paragraphs."""
    cfg = _cfg()
    heads = art.heads
    if not heads:
        return
    best = max(h.rank() for h in heads)
    if best > 0:
        idx = max(i for i, h in enumerate(heads) if h.rank() == best)
    else:
        sub = next((i for i, h in enumerate(heads) if i > 0 and cfg["_subheading"].search(h.text)), None)
        idx = sub - 1 if sub is not None else len(heads) - 1
        if idx > 0 and cfg["_section_heading"].match(heads[idx].text) is None and \
                all(cfg["_section_heading"].match(h.text) is None for h in heads[:idx]) and sub is None:
            idx = len(heads) - 1
    art.headline = heads[idx].text
    if idx > 0:
        art.kicker = " ".join(h.text for h in heads[:idx])
    if idx + 1 < len(heads):
        art.subheading = " ".join(h.text for h in heads[idx + 1:])


def split_articles(rep: Repaired) -> list[Article]:
    """The items of a repaired page, in page order."""
    paras = [p for p in paragraphs(rep)
             if not any(b.match(p.text) for b in _cfg()["_boilerplate"])]
    if rep.layout == "line":
        items = _split_line_layout(rep, paras)
    else:
        items = _split_blank_layout(paras)
    out = []
    for art in items:
        if not art.heads and not art.body:
            continue
        _finish(art)
        art.seq = len(out) + 1
        out.append(art)
    return out


def _split_line_layout(rep: Repaired, paras: list[Para]) -> list[Article]:
    items: list[Article] = []
    cur: Article | None = None
    prev_end = 0
    for p in paras:
        blank_before = rep.text.count("\n", prev_end, p.start) >= 2
        if cur is None or blank_before:
            cur = Article()
            items.append(cur)
            if _is_heading(p) and not _cfg()["_dateline"].match(p.text):
                cur.heads.append(p)
                prev_end = p.end
                continue
        _body_para(cur, p, items)
        prev_end = p.end
    return items


def _split_blank_layout(paras: list[Para]) -> list[Article]:
    cfg = _cfg()
    items: list[Article] = []
    cur: Article | None = None
    heads: list[Para] = []

    def open_new() -> Article:
        art = Article(heads=list(heads))
        items.append(art)
        heads.clear()
        return art

    def heads_to_body() -> None:
        if cur is not None:
            cur.body.extend(heads)
        heads.clear()

    for i, p in enumerate(paras):
        nxt = paras[i + 1] if i + 1 < len(paras) else None
        if heads and cur is not None and cur.body and cur.heads and not cur.closed \
                and cfg["late_headline"] and _byline_para(p, cur, items):
            # a headline printed under its article, just above the byline: the headline
            # found first was the kicker
            cur.heads = cur.heads + [Para(h.start, h.end, h.text, "late") for h in heads]
            heads.clear()
            continue
        if _byline_para(p, cur, items):
            heads_to_body()
            continue
        if cfg["_signature_date"].match(p.text) and cur is not None:
            heads_to_body()      # a signature date is body text, never a heading
            cur.body.append(p)
            continue
        m = cfg["_credit"].match(p.text)
        if m and cur is not None and not heads:
            cur = _make_photo(cur, items, _names(m), p)
            continue
        if _is_heading(p) and not cfg["_dateline"].match(p.text) \
                and not cfg["_continuation"].match(p.text):
            if p.rank() >= 2 and heads and all(h.rank() == 0 for h in heads) \
                    and cur is not None and not cur.closed:
                heads_to_body()
            heads.append(p)
            continue
        # a body paragraph: decide where the pending heads go
        starts_item = bool(cfg["_dateline"].match(p.text) or cfg["_continuation"].match(p.text))
        if heads:
            marked_new = any(h.rank() >= 2 and not cfg["_section_heading"].match(h.text)
                             for h in heads)
            if cur is None or cur.closed or starts_item or marked_new:
                cur = open_new()
            else:
                heads_to_body()
        elif cur is None or cur.closed:
            if cur is not None and _is_caption(p, nxt):
                items.append(Article(kind="caption", body=[p], closed=True))
                continue
            cur = open_new()
        elif starts_item and cur.body:
            cur = open_new()
        cm = cfg["_credit_inline"].search(p.text)
        if cm:
            photo = Article(kind="photo", body=[p], authors=_names(cm), closed=True)
            if cur.body or cur.heads:
                items.append(photo)      # a picture beside an article: an item of its own
            else:
                items.remove(cur)
                items.append(photo)
                cur = photo
            continue
        _body_para(cur, p, items)
    if heads:
        if cur is None or cur.closed or any(h.rank() >= 2 for h in heads):
            open_new()
        else:
            heads_to_body()
    return items


def _is_caption(p: Para, nxt: Para | None) -> bool:
    cfg = _cfg()
    if cfg["_caption_start"].match(p.text):
        return True
    sentence_ends = sum(p.text.count(c) for c in cfg["_sentence_end"])
    return len(p.text) <= cfg["caption_max_chars"] and sentence_ends == 1 \
        and p.text[-1] in cfg["_sentence_end"] \
        and (nxt is None or not cfg["_credit"].match(nxt.text))


def _make_photo(cur: Article, items: list[Article], names: list[str], credit: Para) -> Article:
    """A credit line: the paragraph before it is a photo's caption. Returns the photo."""
    if cur.kind == "caption" or (not cur.heads and not cur.dateline and len(cur.body) == 1):
        cur.kind = "photo"
        cur.authors = names
        cur.closed = True
        cur.body.append(credit)
        return cur
    if not cur.body:
        return cur
    photo = Article(kind="photo", body=[cur.body.pop(), credit], authors=names, closed=True)
    items.append(photo)
    return photo


def _byline_para(p: Para, cur: Article | None, items: list[Article]) -> bool:
    cfg = _cfg()
    m = cfg["_column_byline"].match(p.text)
    if m:
        names = _names(m)
        for art in reversed(items):
            if art.authors:
                break
            if art.kind == "article":
                art.authors = list(names)
                art.closed = True
        if cur is not None:
            cur.body.append(p)
        return True
    m = cfg["_byline"].match(p.text)
    if m and cur is None:
        return True          # a byline with nothing above it: nothing to attach it to
    if m and cur is not None:
        cur.authors.extend(n for n in _names(m) if n not in cur.authors)
        cur.closed = bool(cur.body)
        cur.body.append(p)
        return True
    return False


def _body_para(cur: Article, p: Para, items: list[Article]) -> None:
    cfg = _cfg()
    text = p.text
    if not cur.body and not cur.dateline:
        m = cfg["_continuation"].match(text)
        if m:
            cur.continued_from = m.group(1)
        m = cfg["_dateline"].match(text[len(m.group(0)) if m else 0:])
        if m:
            cur.dateline = m.group(1)
    bm = cfg["_byline_inline"].search(text)
    if bm:
        cur.authors.extend(n for n in _names(bm) if n not in cur.authors)
        cur.closed = True
    cur.body.append(p)


def _finish(art: Article) -> None:
    cfg = _cfg()
    _set_heads(art)
    paras = art.paras
    art.start, art.end = paras[0].start, paras[-1].end
    text = "\n".join(p.text for p in paras)
    if art.kind == "article":
        if art.headline and art.headline.strip() in cfg["notice_headlines"]:
            art.kind = "notice"
        if sum(1 for pat in cfg["_ad"] if pat.search(text)) >= cfg["ad_min_signals"] and not art.dateline:
            art.kind = "ad"
