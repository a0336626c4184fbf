"""Evaluation-only numeral readers, built on the runtime's ``baozhi.resources.numerals``.

Nothing in the pipeline uses these: ``scripts/eval_peers.py`` compares them with the peers'
test sets (cn2an, Recognizers-Text number and number range), and ``tests/`` and the
``numbers``/``ranges`` examples of ``rules/figures/`` exercise them.

- ``cn2an(s, mode) -> float | None``: a numeral converter with cn2an's three modes:
  ``strict`` takes only well-formed Chinese numerals (一百一十一, 一千零一, 壹拾壹元整),
  ``normal`` adds the colloquial and digit-by-digit forms (三万五, 一百二, 一七二零, 〇) and
  ``smart`` adds Arabic and mixed forms (100万, 1万600). ``None`` = refused.
  ``render(n)``: the standard Chinese reading of an integer (an2cn 'low').
- ``find_numbers(text) -> list[dict]``: every number mention (start, end, text, value, low,
  high, approx), ordinals included, homographs (一切, 四川, 拾起, 大陆) left out.
- ``find_ranges(text) -> list[dict]``: number ranges and comparisons (``rules/figures/ranges.yaml``).
"""
from __future__ import annotations

import functools

import regex

from baozhi.resources import ruleset
from baozhi.resources.numerals import (Num, chars, homograph_spans, inside, lone_word, parse_number, scan,
                                      squeeze, unsqueeze)


@functools.cache
def cfg() -> dict:
    """``numerals.yaml`` (the standard reading, money in words, 数/余, minus) with the
    runtime's digit tables."""
    c = dict(ruleset.load("figures/numerals.yaml"))
    ch = chars()
    c["_cjk_digits"] = {k: ch.values[k] for k in ch.cjk_digits}
    c["_arabic"] = ch.arabic
    return c


def _std() -> dict:
    return cfg()["standard"]


def _render4(n: int) -> str:
    std = _std()
    digits, zero = std["digits"], std["digits"][0]
    out, pending = [], False
    for unit, p in [*std["units"].items(), ("", 1)]:
        d = n // p % 10
        if d == 0:
            pending = bool(out)
            continue
        if pending:
            out.append(zero)
            pending = False
        out.append(digits[d] + unit)
    return "".join(out)


def render(n: int) -> str:
    """The standard Chinese reading of a non-negative integer (an2cn 'low')."""
    std = _std()
    zero = std["digits"][0]
    if n == 0:
        return zero
    if n >= 10 ** 8:
        hi, lo = divmod(n, 10 ** 8)
        return render(hi) + std["yi"] + ((zero if lo < 10 ** 7 else "") + render(lo) if lo else "")
    if n >= 10 ** 4:
        hi, lo = divmod(n, 10 ** 4)
        return _render4(hi) + std["wan"] + ((zero if lo < 1000 else "") + _render4(lo) if lo else "")
    return _render4(n)


def _strict_int(s: str) -> float | None:
    """The value of ``s`` when it is the standard reading of an integer (or an accepted
    shortening of it), else None."""
    std = _std()
    s = "".join(std["spell"].get(ch, ch) for ch in s)
    allowed = set(std["digits"]) | set(std["units"]) | {std["wan"], std["yi"]}
    if not s or any(ch not in allowed for ch in s):
        return None
    num = parse_number(s)
    if num is None or num.value is None or num.value != int(num.value):
        return None
    norm = s
    for short, full in std["shortened"].items():
        norm = norm.replace(short, full)
    for short, full in std["leading"].items():
        if norm.startswith(short):
            norm = full + norm[len(short):]
    return num.value if norm == render(int(num.value)) else None


def cn2an(s: str, mode: str = "strict") -> float | None:
    """Convert a whole Chinese numeral as cn2an does in ``mode`` (strict, normal, smart);
    None when the mode refuses it."""
    if not isinstance(s, str) or not s or mode not in ("strict", "normal", "smart"):
        return None
    try:
        return _cn2an(s, mode)
    except (ValueError, OverflowError, RecursionError, IndexError):
        return None


def _cn2an(s: str, mode: str) -> float | None:
    c = cfg()
    s = s.strip()
    if not s:
        return None
    rmb = c["rmb"]
    # money in words: X元整, X元Y角Z分
    m = regex.fullmatch(rf"(.+?)[{rmb['yuan']}](?:([{rmb['whole']}])|(.)[{rmb['jiao']}](?:(.)[{rmb['fen']}])?)?", s)
    if m and not regex.search(rf"[{rmb['yuan']}].*[{rmb['yuan']}]", s):
        if mode == "strict" and not (m.group(2) or m.group(3)):
            return None
        whole = _cn2an(m.group(1), mode)
        if whole is None:
            return None
        total = whole
        for part, scale in ((m.group(3), 0.1), (m.group(4), 0.01)):
            if part:
                d = c["_cjk_digits"].get(part)
                if d is None:
                    return None
                total += d * scale
        return round(total, 2)
    sign = 1.0
    if s[0] in c["minus"]:
        sign, s = -1.0, s[1:]
    if not s:
        return None
    has_arabic = any(ch in c["_arabic"] or ch in ".．" for ch in s)
    if mode in ("strict", "normal") and has_arabic:
        return None
    if mode == "strict":
        digits = _std()["digits"]
        whole, point, dec = s.partition(_std()["point"])
        if point:
            if not dec or any(ch not in digits for ch in dec) or dec[-1] == digits[0]:
                return None
            w = _strict_int(whole)
            return None if w is None else sign * float(f"{int(w)}.{''.join(str(c['_cjk_digits'][ch]) for ch in dec)}")
        w = _strict_int(s)
        return None if w is None else sign * w
    if any(ch in c["several"] or ch in c["over_inside"] for ch in s):
        return None
    num = parse_number(s)
    if num is None or num.value is None:
        return None
    return sign * num.value


# ---------------------------------------------------------------------------------------
# finding numbers in text

def _mentions(text: str) -> list[Num]:
    """Numbers of ``text`` (already squeezed) that read as numbers, not words or codes."""
    homs = homograph_spans(text)
    out = []
    for num in scan(text):
        if inside(homs, num.start, num.end) or lone_word(num, text):
            continue
        if num.start > 0 and text[num.start - 1].isascii() and text[num.start - 1].isalpha() \
                and text[num.start] not in cfg()["minus"]:
            continue        # N95, G1: codes
        if num.sequence and len(num.text) < 3 and not any(ch in cfg()["zero_digits"] for ch in num.text):
            continue        # 九九, 三八: words; 二〇〇二, 一七二零 are numbers
        out.append(num)
    return out


def find_numbers(text: str) -> list[dict]:
    """Every number mention in ``text``: start, end, text, value, low, high, approx."""
    if not isinstance(text, str) or not text:
        return []              # bad input: empty; a fault of ours is raised, not hidden
    return _find_numbers(text)


def _find_numbers(text: str) -> list[dict]:
    sq, offsets = squeeze(text)
    out = [{"start": n.start, "end": n.end, "text": n.text, "value": n.value, "low": n.low,
            "high": n.high, "approx": n.approx} for n in _mentions(sq)]
    return unsqueeze(out, text, offsets)


# ---------------------------------------------------------------------------------------
# ranges and comparisons

def _phrase(words) -> str:
    """Alternation of ``words``, longest first, spaces allowed between their characters."""
    alts = sorted(set(words), key=len, reverse=True)
    return "|".join(r"[ \t]*".join(regex.escape(ch) for ch in w) for w in alts)


@functools.cache
def _range_cfg() -> dict:
    c = dict(ruleset.load("figures/ranges.yaml"))
    sp = r"[ \t]*"
    c["_before"] = [(k, regex.compile(rf"(?:{_phrase(ws)}){sp}$")) for k, ws in c["before"].items()]
    c["_after"] = [(k, regex.compile(rf"{sp}(?:{_phrase(ws)})")) for k, ws in c["after"].items()]
    c["_cmp_before"] = regex.compile(rf"{regex.escape(c['compare_word'])}{sp}$")
    c["_cmp_after"] = [(k, regex.compile(rf"{sp}(?:{_phrase(ws)})")) for k, ws in c["compare_after"].items()]
    c["_range"] = regex.compile(rf"{sp}(?:{_phrase(c['range_connectors'])}){sp}(?:{regex.escape(c['ordinal_prefix'])})?$")
    c["_between"] = regex.compile(rf"{sp}(?:{_phrase(c['between_connectors'])}){sp}(?:{regex.escape(c['ordinal_prefix'])})?$")
    c["_between_after"] = regex.compile(rf"{sp}(?:{_phrase(c['between_after'])})")
    c["_between_before"] = regex.compile(
        rf"(?:{_phrase(c['between_before'])}){sp}(?:{regex.escape(c['ordinal_prefix'])})?$")
    c["_joiners"] = regex.compile(rf"(?:[ \t]|{_phrase(c['joiners'])})*")
    return c


def _bound(kind: str, v: float) -> dict:
    side, _, closed = kind.partition("_")
    if kind == "equal":
        return {"low": v, "high": v, "low_inclusive": True, "high_inclusive": True}
    if side == "low":
        return {"low": v, "high": None, "low_inclusive": closed == "closed", "high_inclusive": False}
    return {"low": None, "high": v, "low_inclusive": False, "high_inclusive": closed == "closed"}


def find_ranges(text: str) -> list[dict]:
    """Number ranges and comparisons: start, end, text, low, high, low_inclusive,
    high_inclusive (an open side is None). Rules in ``rules/figures/ranges.yaml``."""
    if not isinstance(text, str) or not text:
        return []              # bad input: empty; a fault of ours is raised, not hidden
    return _find_ranges(text)


def _find_ranges(text: str) -> list[dict]:
    sq, offsets = squeeze(text)
    c = _range_cfg()
    nums = _mentions(sq)
    items: list[dict] = []
    i = 0
    while i < len(nums):
        n = nums[i]
        # X 到 Y, X 和 Y 之间
        if i + 1 < len(nums) and n.value is not None and nums[i + 1].value is not None:
            m2 = nums[i + 1]
            gap = sq[n.end:m2.start]
            rm = c["_range"].fullmatch(gap) if gap else None
            bm = c["_between"].fullmatch(gap) if gap else None
            if not gap and m2.text[:1] in cfg()["minus"]:
                rm, hi = True, abs(m2.value)
            else:
                hi = m2.value
            if rm or bm:
                end = m2.end
                after = c["_between_after"].match(sq, end)
                if bm and not after:
                    pass
                else:
                    if after:
                        end = after.end()
                    start = n.start
                    before = c["_between_before"].search(sq, max(0, start - 6), start)
                    if before and after:
                        start = before.start()
                    items.append({"start": start, "end": end, "low": n.value, "high": hi,
                                  "low_inclusive": True, "high_inclusive": not after})
                    i += 2
                    continue
        item = _comparison(sq, n, c)
        if item:
            items.append(item)
        i += 1
    merged: list[dict] = []
    for it in items:
        if merged:
            prev = merged[-1]
            gap = sq[prev["end"]:it["start"]]
            halves = (prev["high"] is None and it["low"] is None and prev["low"] is not None
                      and it["high"] is not None) or \
                     (prev["low"] is None and it["high"] is None and prev["high"] is not None
                      and it["low"] is not None)
            if halves and c["_joiners"].fullmatch(gap):
                low = prev if prev["low"] is not None else it
                high = it if low is prev else prev
                if low["low"] < high["high"]:
                    prev.update(end=it["end"], low=low["low"], high=high["high"],
                                low_inclusive=low["low_inclusive"], high_inclusive=high["high_inclusive"])
                    continue
        merged.append(it)
    for it in merged:
        it["text"] = sq[it["start"]:it["end"]]
    return unsqueeze(merged, text, offsets)


def _comparison(sq: str, n: Num, c: dict) -> dict | None:
    if n.value is None:
        if n.low is None:
            return None
        return {"start": n.start, "end": n.end, "low": n.low, "high": n.high,
                "low_inclusive": True, "high_inclusive": True}
    start, end, kind = n.start, n.end, None
    for k, rx in c["_before"]:
        m = rx.search(sq, max(0, start - 12), start)
        if m and (kind is None or m.start() < start_kind):
            kind, start_kind = k, m.start()
    if kind:
        start = start_kind
    elif c["_cmp_before"].search(sq, max(0, start - 4), start):
        for k, rx in c["_cmp_after"]:
            m = rx.match(sq, end)
            if m:
                kind, start = k, c["_cmp_before"].search(sq, max(0, start - 4), start).start()
                end = m.end()
                break
    if kind is None or kind == "equal":
        best = None
        for k, rx in c["_after"]:
            m = rx.match(sq, end)
            if m and (best is None or m.end() > best[1]):
                best = (k, m.end())
        if best and kind is None:
            kind, end = best
    if kind is None and n.approx == "over":
        kind = "low_open"
    if kind is None:
        return None
    return {"start": start, "end": end, **_bound(kind, n.value)}
