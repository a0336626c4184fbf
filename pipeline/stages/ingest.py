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
import collections
import datetime as dt
import functools
import hashlib
import os
import re
import threading
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from baozhi.resources import regexcache, ruleset


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
        """The entry of a page: under its path, else its file name; for a name that is not
        UTF-8, under the name as a reader writes it too (``readable_name``)."""
        for key in (source, readable_name(source)):
            if key and (got := self.pages.get(key) or self.pages.get(Path(key).name)):
                return got
        return {}


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
    # what went wrong reading it though it could be read: (message, line), each an errors row
    problems: list[tuple[str, int | None]] = field(default_factory=list)


@functools.cache
def _cfg() -> dict:
    cfg = dict(ruleset.load("ingest/ingest.yaml"))
    cfg["_names"] = [regexcache.compile(p) for p in cfg["name_patterns"]]
    cfg["_full"] = regexcache.compile(cfg["full_date"])
    cfg["_hints"] = [(regexcache.compile(h["pattern"]), h) for h in cfg["day_hints"]]
    return cfg


class MetadataError(IngestError):
    """The folder's metadata file does not parse or has a value of the wrong type; the
    message names the file, the key and what is wrong. A run does not start on it."""


def load_metadata(root: Path) -> Metadata:
    """The metadata file of an input folder, or empty metadata when there is none.
    Raises MetadataError when it does not parse or a value has the wrong type."""
    path = Path(root) / _cfg()["metadata_file"]
    if not path.is_file():
        return Metadata()
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise MetadataError(f"{path}: cannot read metadata: not UTF-8 (byte offset {exc.start})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise MetadataError(f"{path}: cannot read metadata: {exc}") from exc
    except OSError as exc:
        raise MetadataError(f"{path}: cannot read metadata: {exc.strerror or exc}") from exc
    _check_metadata(data, path)
    return Metadata(paper=data.get("paper"), home=data.get("home"),
                    pages=data.get("pages") or {}, file=str(path))


def _type_name(value) -> str:
    if isinstance(value, dt.datetime):
        return "a date-time"
    if isinstance(value, dt.time):
        return "a time"
    if isinstance(value, bool):
        return "a boolean"
    return {int: "a whole number", float: "a number", str: "a string", list: "an array",
            dict: "a table", dt.date: "a date"}.get(type(value), type(value).__name__)


def _check_metadata(data: dict, path: Path) -> None:
    """Types of the metadata file's values: paper, home strings; pages a table of tables,
    each with issue_date a date (2022-11-18, or the string "2022-11-18"), page a whole
    number >= 1, paper and home strings."""
    def bad(key: str, value, want: str) -> MetadataError:
        return MetadataError(f"{path}: {key} = {value!r} is {_type_name(value)}; "
                             f"it must be {want}")

    for key in ("paper", "home"):
        if key in data and not isinstance(data[key], str):
            raise bad(key, data[key], "a string")
    pages = data.get("pages", {})
    if not isinstance(pages, dict):
        raise bad("pages", pages, 'a table of pages ([pages."name.txt"])')
    for name, entry in pages.items():
        where = f'pages."{name}"'
        if not isinstance(entry, dict):
            raise bad(where, entry, "a table (issue_date, page, paper, home)")
        for key in ("paper", "home"):
            if key in entry and not isinstance(entry[key], str):
                raise bad(f"{where}.{key}", entry[key], "a string")
        if "page" in entry and (not isinstance(entry["page"], int) or
                                isinstance(entry["page"], bool) or entry["page"] < 1):
            raise bad(f"{where}.page", entry["page"], "a whole number from 1")
        if "issue_date" in entry:
            day = entry["issue_date"]
            if isinstance(day, str):
                try:
                    entry["issue_date"] = dt.date.fromisoformat(day)
                except ValueError:
                    raise bad(f"{where}.issue_date", day, "a date such as 2022-11-18") from None
            elif isinstance(day, dt.datetime) or not isinstance(day, dt.date):
                raise bad(f"{where}.issue_date", day, "a date such as 2022-11-18")


# characters plausible in any Unicode version: ASCII, and the CJK Unified Ideographs block, every
# one a letter (Lo) since Unicode 14 (tests/test_ingest.py checks the running Python's table)
_ALWAYS_GOOD = re.compile("[\x00-\x7f\u4e00-\u9fff]+")


def _plausible(text: str) -> bool:
    """Whether at least ``plausible_share`` of ``text``'s characters are ASCII, letters,
    punctuation, numbers or separators (``_good``)."""
    if not text:
        return True
    return _good(text) / len(text) >= _cfg()["plausible_share"]


def _good(text: str) -> int:
    """How many of ``text``'s characters are ASCII or of a Unicode category L, P, N or Z: the
    count of a loop over the characters, made by judging each distinct character outside
    ``_ALWAYS_GOOD`` once, its occurrences counted in one pass (262 pd1998 pages: 0.165 -> 0.034
    CPU-s). Linear in the text whatever it holds: a wrong decoding (a binary file read as
    UTF-16) has thousands of distinct bad characters, and counting each of them over the whole
    text would be quadratic."""
    rest = _ALWAYS_GOOD.sub("", text)
    if not rest:
        return len(text)
    return len(text) - sum(n for ch, n in collections.Counter(rest).items()
                           if unicodedata.category(ch)[0] not in "LPNZ")


@dataclass
class Decoded:
    """A page's text, the encoding it was read in, and the byte ranges that could not be
    decoded in it (each replaced by U+FFFD in the text; empty for a clean page)."""

    text: str
    encoding: str
    bad: list[tuple[int, int]] = field(default_factory=list)


_BAD = threading.local()


def _record_bad(exc: UnicodeDecodeError):
    _BAD.ranges.append((exc.start, exc.end))
    return "\ufffd", exc.end


codecs.register_error("baozhi-record", _record_bad)


def _lenient(raw: bytes, enc: str) -> Decoded:
    """``raw`` in ``enc``, every undecodable byte run replaced by U+FFFD and recorded."""
    _BAD.ranges = []
    try:
        text = raw.decode(enc, errors="baozhi-record")
        merged: list[tuple[int, int]] = []
        for s, e in _BAD.ranges:
            if merged and merged[-1][1] == s:
                merged[-1] = (merged[-1][0], e)
            else:
                merged.append((s, e))
        return Decoded(text, enc, merged)
    finally:
        _BAD.ranges = []


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_page(raw: bytes, name: str = "<bytes>") -> Decoded:
    """A page's bytes as text: a byte-order mark decides (UTF-8, UTF-16); else strict UTF-8;
    else the encoding charset-normalizer finds among ``encodings`` of the ingest rules
    (GB18030/GBK, Big5, UTF-16 without BOM ...); else the encoding with a few undecodable
    bytes (at most ``max_bad_share`` of them), read with replacement and the byte ranges kept.
    Newlines are made ``\\n`` and the BOM dropped. Raises IngestError naming the file and
    the first bad byte offset when no encoding reads it."""
    cfg = _cfg()
    if raw.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = list(cfg["encodings"])
        try:
            text = raw.decode(candidates[0])
        except UnicodeDecodeError:
            pass
        else:
            if _plausible(text):
                return Decoded(_newlines(text), candidates[0])
        found = _detect(raw, candidates)
        if found is not None:
            return found
    best: Decoded | None = None
    for enc in candidates:
        got = _lenient(raw, enc)
        if not got.bad and _plausible(got.text):
            return Decoded(_newlines(got.text), enc)
        n = sum(e - s for s, e in got.bad)
        if n <= max(1, cfg["max_bad_share"] * len(raw)) and _plausible(got.text) and \
                (best is None or n < sum(e - s for s, e in best.bad)):
            best = got
    if best is not None:
        # offsets of the replacement characters move when \r\n becomes \n: none before them
        return Decoded(_newlines(best.text), best.encoding, best.bad)
    first = _lenient(raw, candidates[0]).bad
    where = f" (first bad byte at offset {first[0][0]})" if first else ""
    raise IngestError(f"{name}: cannot decode as {', '.join(candidates)}{where}: "
                      "not a text file in a known encoding")


def _detect(raw: bytes, candidates: list[str]) -> Decoded | None:
    """The encoding charset-normalizer finds for ``raw`` among ``candidates``."""
    from charset_normalizer import from_bytes

    iso = [codecs.lookup(c).name for c in candidates]
    best = from_bytes(raw, cp_isolation=iso).best()
    if best is None:
        return None
    enc = codecs.lookup(best.encoding).name
    try:
        text = raw.decode(enc)
    except UnicodeDecodeError:
        return None
    return Decoded(_newlines(text), enc) if _plausible(text) else None


def decode(raw: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """Text and encoding of a page's bytes (see ``decode_page``)."""
    got = decode_page(raw, name)
    return got.text, got.encoding


def source_of(path: Path, root: Path) -> str:
    """A page's path relative to the input folder, with ``/``: its ``source`` in the tables.
    A file name that is not UTF-8 (GBK bytes from an old archive) keeps its bytes as
    ``\\xNN`` escapes, so it can be written to every table and still names the file."""
    path, root = Path(path), Path(root)
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        rel = os.fsencode(rel).decode("utf-8", "backslashreplace")
    return rel


_ESCAPE = re.compile(r"\\x([0-9a-f]{2})")


def readable_name(source: str) -> str | None:
    """A page's ``source`` as a reader would write it, where its file name is not UTF-8 (so
    ``source_of`` kept its bytes as ``\\xNN`` escapes): the bytes decoded as GB18030 (so GBK
    too), ``报纸第03版.txt`` for ``\\xb1\\xa8…``. The issue date and page number are read from
    it, and a ``metadata.toml`` entry written under it applies. None where ``source`` has no
    escapes or its bytes are UTF-8 or no GB18030."""
    if "\\x" not in source:
        return None
    parts = _ESCAPE.split(source)     # text, hex, text, hex, …, text
    raw = b"".join(bytes.fromhex(x) if k % 2 else x.encode("utf-8") for k, x in enumerate(parts))
    try:
        raw.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return None


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
    source = source_of(path, root)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"{source}: cannot read: {exc.strerror or exc}") from exc
    if not raw.strip():
        raise IngestError(f"{source}: empty file ({len(raw)} bytes" +
                          (", only whitespace)" if raw else ")") + ": no text to read")
    got = decode_page(raw, source)
    text, enc = got.text, got.encoding
    if not text.strip():
        raise IngestError(f"{source}: no text (only whitespace in {enc})")
    problems = [_bad_bytes_problem(source, got, text)] if got.bad else []
    meta = meta or Metadata()
    entry = meta.for_page(source)
    from_name = page_info_from_name(readable_name(source) or source)
    issue, origin = None, None
    if entry.get("issue_date"):
        issue, origin = entry["issue_date"], "metadata"   # a date: load_metadata checked it
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
        issue_date=issue, issue_date_origin=origin, page_no=page_no, problems=problems,
    )


def _bad_bytes_problem(source: str, got: Decoded, text: str) -> tuple[str, int | None]:
    n = sum(e - s for s, e in got.bad)
    spans = [f"{s}" if e - s == 1 else f"{s}-{e - 1}" for s, e in got.bad[:10]]
    more = f" and {len(got.bad) - 10} more" if len(got.bad) > 10 else ""
    first = text.find("\ufffd")
    line = text.count("\n", 0, first) + 1 if first >= 0 else None
    return (f"{source}: {n} undecodable byte{'s' if n > 1 else ''} in {got.encoding} at byte "
            f"offset{'s' if len(got.bad) > 1 else ''} {', '.join(spans)}{more}; read as U+FFFD "
            "and the page processed", line)
