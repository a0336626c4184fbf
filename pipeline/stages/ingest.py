"""Stage 1 — ingest: read a page file whatever its encoding, and say what page it is.

Entry point: ``read_page(path, root, meta) -> Page``. The text is decoded (UTF-8 with or
without BOM, UTF-16 with BOM, GB18030/GBK), the BOM dropped and line ends made ``\\n`` —
the text a reader gets from ``open(path, encoding=page.encoding).read()``, which every
offset in the tables points into. The issue date comes from the folder's metadata file,
else the file name (``20221118_03.txt``, ``2022-11-18/03.txt``, ``第3版``), else the text
(the latest full date printed, or a hint such as 今日是第31个“全国消防日”), marked
``inferred``. Patterns live in ``rules/ingest/ingest.yaml``.
"""
from __future__ import annotations

import codecs
import datetime as dt
import functools
import hashlib
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import regex

from baozhi.resources import ruleset


class IngestError(Exception):
    """A page that cannot be read; the message names the file."""


@dataclass
class Metadata:
    """What the folder's metadata file says: defaults and per-page entries."""

    paper: str | None = None
    home: str | None = None
    pages: dict[str, dict] = field(default_factory=dict)
    file: str | None = None

    def for_page(self, source: str) -> dict:
        name = Path(source).name
        return self.pages.get(source) or self.pages.get(name) or {}


@dataclass
class Page:
    source: str                  # path relative to the input folder, with /
    page_id: str                 # source without its extension
    text: str
    encoding: str
    sha256: str
    paper: str | None
    home: str | None
    issue_date: dt.date | None
    issue_date_origin: str | None   # metadata, filename, inferred, or None
    page_no: int | None


@functools.cache
def _cfg() -> dict:
    cfg = dict(ruleset.load("ingest/ingest.yaml"))
    cfg["_names"] = [regex.compile(p) for p in cfg["name_patterns"]]
    cfg["_full"] = regex.compile(cfg["full_date"])
    cfg["_hints"] = [(regex.compile(h["pattern"]), h) for h in cfg["day_hints"]]
    return cfg


def load_metadata(root: Path) -> Metadata:
    """The metadata file of an input folder, or empty metadata when there is none."""
    path = Path(root) / _cfg()["metadata_file"]
    if not path.is_file():
        return Metadata()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise IngestError(f"{path}: cannot read metadata: {exc}") from exc
    return Metadata(paper=data.get("paper"), home=data.get("home"),
                    pages=data.get("pages") or {}, file=str(path))


def _plausible(text: str) -> bool:
    if not text:
        return True
    good = sum(1 for ch in text if ch.isascii() or unicodedata.category(ch)[0] in "LPNZ")
    return good / len(text) >= _cfg()["plausible_share"]


def decode(raw: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """Text and encoding of a page's bytes; newlines made ``\\n``, BOM dropped."""
    if raw.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = list(_cfg()["encodings"])
        if raw[:200].count(b"\x00") > 20:
            candidates = ["utf-16-le", "utf-16-be"] + candidates
    for enc in candidates:
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            return text.replace("\r\n", "\n").replace("\r", "\n"), enc
    raise IngestError(f"{name}: cannot decode as {', '.join(candidates)}")


def page_info_from_name(source: str) -> dict:
    """Issue date and page number from a page's path (None where it says nothing)."""
    out = {"issue_date": None, "page": None}
    for pat in _cfg()["_names"]:
        m = pat.search(source)
        if not m:
            continue
        g = m.groupdict()
        if out["issue_date"] is None and g.get("y"):
            try:
                out["issue_date"] = dt.date(int(g["y"]), int(g["m"]), int(g["d"]))
            except ValueError:
                pass
        if out["page"] is None and g.get("page"):
            out["page"] = int(g["page"])
    return out


def infer_issue_date(text: str) -> dt.date | None:
    """The day a page is of, from its text: a day hint, else the latest full date printed."""
    text = unicodedata.normalize("NFKC", text)
    for pat, hint in _cfg()["_hints"]:
        m = pat.search(text)
        if m:
            year = hint["first_year"] + int(m.group("n")) - 1
            return dt.date(year, hint["month"], hint["day"])
    latest = None
    for m in _cfg()["_full"].finditer(text):
        try:
            day = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            continue
        latest = day if latest is None or day > latest else latest
    return latest


def read_page(path: Path, root: Path, meta: Metadata | None = None) -> Page:
    """Read one page file. Raises IngestError naming the file when it cannot be read."""
    path, root = Path(path), Path(root)
    source = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"{source}: cannot read: {exc.strerror or exc}") from exc
    text, enc = decode(raw, source)
    meta = meta or Metadata()
    entry = meta.for_page(source)
    from_name = page_info_from_name(source)
    issue, origin = None, None
    if entry.get("issue_date"):
        issue, origin = entry["issue_date"], "metadata"
        if isinstance(issue, str):
            try:
                issue = dt.date.fromisoformat(issue)
            except ValueError:
                raise IngestError(f"{meta.file}: page {source}: issue_date {issue!r} "
                                  "is not YYYY-MM-DD") from None
    elif from_name["issue_date"]:
        issue, origin = from_name["issue_date"], "filename"
    else:
        issue = infer_issue_date(text)
        origin = "inferred" if issue else None
    page_no = entry.get("page") or from_name["page"]
    return Page(
        source=source, page_id=source.rsplit(".", 1)[0], text=text,
        encoding=enc, sha256=hashlib.sha256(raw).hexdigest(),
        paper=entry.get("paper") or meta.paper, home=entry.get("home") or meta.home,
        issue_date=issue, issue_date_origin=origin, page_no=page_no,
    )
