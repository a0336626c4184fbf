"""Stage 2 — repair: undo conversion damage, keeping a map back to the file's characters.

Entry point: ``repair(text) -> Repaired``. The passes, each driven by
``rules/repair/repair.yaml``:

1. markdown: heading (``##``) and bold (``**``) markers and the trailing spaces of hard
   breaks are removed; headings and bold paragraphs are kept as marks;
2. soft breaks: on a page laid out in blank-line paragraphs a single line break between
   two CJK characters is removed;
3. stray paragraph breaks inside a sentence are removed (…原\\n\\n材料… → …原材料…);
4. spaces inside words are removed (新能源液 压挖掘 机 → 新能源液压挖掘机);
5. half-width punctuation next to CJK text becomes full-width, numbers untouched.

Every pass only deletes characters or replaces one character by one, so
``Repaired.offsets[i]`` is the index in the original text of repaired character ``i``.
"""
from __future__ import annotations

import bisect
import functools
from array import array
from dataclasses import dataclass, field

import regex

from baozhi.resources import regexcache, ruleset, segmenter

CJK = r"\p{Han}"
_CJK_RE = regexcache.compile(CJK)
_PARAGRAPH_RE = regexcache.compile(r"[^\n]+(?:\n[^\n]+)*")
_TRAILING_SPACE_RE = regexcache.compile(r"[ \t\u3000]+(?=\n)")
_BLANK_LINE_RE = regexcache.compile(r"\n[ \t\u3000]*\n")
_SINGLE_BREAK_RE = regexcache.compile(r"(?<=[^\n])\n(?=[^\n])")
_LINE_RE = regexcache.compile(r"[^\n]+")
_INNER_SPACE_RE = regexcache.compile(r"(?<=\p{Han})[ \t\u3000]+(?=\p{Han})")


def is_cjk(ch: str) -> bool:
    return bool(ch) and bool(_CJK_RE.match(ch))


def _cjkish(ch: str) -> bool:
    return is_cjk(ch) or ch in _cfg()["_cjk_punct"]


@dataclass
class Repaired:
    """Repaired text, the map back to the original text, and structural marks."""

    text: str
    offsets: array                     # len(text) + 1 source indices; last = len(source)
    marks: list[tuple[int, int, str]] = field(default_factory=list)  # in repaired coords
    layout: str = "blank-line"          # or "line": every line is a paragraph

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in the original text of repaired ``text[start:end]``."""
        if end <= start:
            pos = self.offsets[start]
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1

    def from_source(self, pos: int) -> int:
        """The repaired index of the first repaired character at or after source ``pos``."""
        return bisect.bisect_left(self.offsets, pos, 0, len(self.text))


@functools.cache
def _cfg() -> dict:
    cfg = dict(ruleset.load("repair/repair.yaml"))
    cfg["_heading"] = regexcache.compile(cfg["heading_marker"], regex.M)
    cfg["_bold"] = regexcache.compile(cfg["bold_marker"], regex.M)
    cfg["_not_before"] = regexcache.compile(cfg["stray_break"]["not_before"])
    cfg["_not_after"] = regexcache.compile(cfg["stray_break"]["not_after"])
    cfg["_cjk_punct"] = frozenset(cfg["cjk_punctuation"])
    cfg["_fullwidth_chars"] = regexcache.compile("[" + "".join(map(regex.escape, cfg["fullwidth"])) + "]")
    window = int(cfg["space_window"])
    cfg["_han_before"] = regexcache.compile(r"\p{Han}{1,%d}$" % window)
    cfg["_han_after"] = regexcache.compile(r"\p{Han}{1,%d}" % window)
    return cfg


def _apply(text: str, edits: list[tuple[int, int, str]], offsets: list[int]) -> tuple[str, list[int]]:
    """Apply non-overlapping edits (start, end, replacement); replacement is '' or one
    character per replaced character. Returns the new text and, per new character, its
    ``offsets`` entry (``offsets[i]``: where character ``i`` of ``text`` came from), copied
    in slices: a kept or replaced stretch keeps its characters' offsets, a deleted one drops
    them."""
    out: list[str] = []
    idx: list[int] = []
    pos = 0
    for start, end, rep in sorted(edits):
        if start < pos:
            continue  # overlapping edit: the first one wins
        out.append(text[pos:start])
        if rep:
            assert len(rep) == end - start, "repair edits delete or replace 1:1"
            out.append(rep)
            idx += offsets[pos:end]
        else:
            idx += offsets[pos:start]
        pos = end
    out.append(text[pos:])
    idx += offsets[pos:]
    return "".join(out), idx


def _markdown(text: str) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    """Edits removing markdown, and marks (source coordinates) for headings and bold."""
    cfg = _cfg()
    edits, marks = [], []
    for m in cfg["_heading"].finditer(text):
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        edits.append((m.start(), m.end(), ""))
        marks.append((m.end(), line_end, f"h{min(len(m.group(1)), 3)}"))
    # a bold paragraph may span a hard break: match paragraph-wise
    for para in _PARAGRAPH_RE.finditer(text):
        ptxt = para.group(0)
        if ptxt.startswith("**") and ptxt.rstrip().endswith("**") and len(ptxt.strip()) > 4:
            s = para.start()
            e = para.start() + len(ptxt.rstrip())
            edits.append((s, s + 2, ""))
            edits.append((e - 2, e, ""))
            marks.append((s + 2, e - 2, "bold"))
    # trailing spaces of a markdown hard break ("  \n") and at line ends generally
    for m in _TRAILING_SPACE_RE.finditer(text):
        edits.append((m.start(), m.end(), ""))
    return edits, marks


def detect_layout(text: str) -> str:
    blank = len(_BLANK_LINE_RE.findall(text))
    single = len(_SINGLE_BREAK_RE.findall(text))
    total = blank + single
    if total == 0 or blank / total >= _cfg()["blank_line_share"]:
        return "blank-line"
    return "line"


def _soft_breaks(text: str) -> list[tuple[int, int, str]]:
    edits = []
    for m in _SINGLE_BREAK_RE.finditer(text):
        if _cjkish(text[m.start() - 1]) and _cjkish(text[m.end()]):
            edits.append((m.start(), m.end(), ""))
    return edits


def _stray_breaks(text: str, keep: set[int]) -> list[tuple[int, int, str]]:
    """Paragraph breaks inside a sentence. ``keep``: source positions of paragraphs that
    must stay apart (headings)."""
    cfg = _cfg()["stray_break"]
    body_punct = set(cfg["body_punct"])
    not_before = _cfg()["_not_before"]
    edits = []
    paras = [(m.start(), m.end()) for m in _LINE_RE.finditer(text)]
    for (ps, pe), (ns, ne) in zip(paras, paras[1:]):
        gap = text[pe:ns]
        if gap.count("\n") < 2 or gap.strip():
            continue
        prev, nxt = text[ps:pe].strip(), text[ns:ne].strip()
        if not prev or not nxt or ps in keep or ns in keep:
            continue
        if not is_cjk(prev[-1]) or not (is_cjk(nxt[0]) or nxt[0].isdigit()):
            continue
        if not (any(c in body_punct for c in prev) or len(prev) >= cfg["min_body_chars"]
                or len(prev) >= cfg["min_word_chars"] and _word_spans(prev, nxt)):
            continue
        if not_before.match(nxt) or _cfg()["_not_after"].search(prev):
            continue
        edits.append((pe, ns, ""))
    return edits


def _word_spans(left: str, right: str) -> bool:
    """Does a dictionary word of the segmenter span the join of ``left`` and ``right``?"""
    cfg = _cfg()
    lm = cfg["_han_before"].search(left)
    rm = cfg["_han_after"].match(right)
    if not lm or not rm:
        return False
    joined, gap, pos = lm.group(0) + rm.group(0), len(lm.group(0)), 0
    for tok in segmenter.default().cut(joined, HMM=False):
        if pos < gap < pos + len(tok):
            return True
        pos += len(tok)
    return False


def _inner_spaces(text: str) -> list[tuple[int, int, str]]:
    window = _cfg()["space_window"]
    return [(m.start(), m.end(), "")
            for m in _INNER_SPACE_RE.finditer(text)
            if _word_spans(text[max(0, m.start() - window): m.start()],
                           text[m.end(): m.end() + window])]


def _fullwidth(text: str) -> list[tuple[int, int, str]]:
    table = _cfg()["fullwidth"]
    edits = []
    for m in _cfg()["_fullwidth_chars"].finditer(text):     # only the characters of the table
        i, ch = m.start(), m.group()
        left = text[i - 1] if i > 0 else ""
        right = text[i + 1] if i + 1 < len(text) else ""
        if left.isdigit() and right.isdigit():
            continue
        if left.isascii() and left.isalpha() and right.isascii() and right.isalpha():
            continue
        if ch in "(（" and _cjkish(left) or ch in ")）" and _cjkish(right) \
                or _cjkish(left) or _cjkish(right):
            edits.append((i, i + 1, table[ch]))
        elif ch in "()":
            # a bracket whose inside is Chinese: (2022—2035年), (上接第1版)
            inner = text[i + 1: text.find(")", i + 1)] if ch == "(" else text[text.rfind("(", 0, i) + 1: i]
            if any(is_cjk(c) for c in inner) and "\n" not in inner:
                edits.append((i, i + 1, table[ch]))
    return edits


def repair(source: str) -> Repaired:
    """Repair ``source`` (a page's decoded text). Offsets point into ``source``."""
    layout = detect_layout(source)
    offsets = list(range(len(source)))
    text = source

    def run(edits):
        nonlocal text, offsets
        text, offsets = _apply(text, edits, offsets)

    md_edits, md_marks = _markdown(text)
    run(md_edits)
    if layout == "blank-line":
        run(_soft_breaks(text))
    keep_src = {s for s, _, kind in md_marks if kind.startswith("h") or kind == "bold"}
    # offsets rise: each mark's source position is found by bisection, not by a scan
    keep = {i for src in keep_src for i in (bisect.bisect_left(offsets, src),)
            if i < len(offsets) and offsets[i] == src}
    # a paragraph start is identified by its first character's position
    keep = {_para_start(text, i) for i in keep}
    run(_stray_breaks(text, keep))
    run(_inner_spaces(text))
    run(_fullwidth(text))

    arr = array("l", offsets)
    arr.append(len(source))
    rep = Repaired(text=text, offsets=arr, layout=layout)
    rep.marks = sorted(
        (rep.from_source(s), rep.from_source(e), kind) for s, e, kind in md_marks
    )
    return rep


def _para_start(text: str, i: int) -> int:
    j = text.rfind("\n", 0, i)
    return j + 1
