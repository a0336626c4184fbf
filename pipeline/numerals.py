"""Numerals: read Arabic, Chinese and mixed numerals, and find them in running text.

Entry points:

- ``parse_number(s) -> Num | None``: the value of one whole numeral, read leniently
  (24.7亿, 一百三十五, 3万4000, 1,100万, 十余万, 两千四百五, 数十亿, ２．５, 二〇〇二, 五分之一,
  2e5, 40k). ``None`` when ``s`` is not a numeral.
- ``cn2an(s, mode) -> float | None``: a numeral converter with cn2an's three modes:
  ``strict`` takes only well-formed Chinese numerals (一百一十一, 一千零一, 壹拾壹元整),
  ``normal`` adds the colloquial and digit-by-digit forms (三万五, 一百二, 一七二零, 〇) and
  ``smart`` adds Arabic and mixed forms (100万, 1万600). ``None`` = refused.
- ``find_numbers(text) -> list[dict]``: every number mention (start, end, text, value, low,
  high, approx), ordinals included, homographs (一切, 四川, 拾起, 大陆) left out.
  ``find_figures`` (pipeline/figures.py) is built on the same scanner.

The characters and word lists live in ``rules/figures/numerals.yaml``.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from . import rules


@dataclass
class Num:
    """One numeral: ``value`` (None for a range such as 数十亿), ``low``/``high`` for ranges,
    ``approx`` ("exact", "over" for 十余万, "about" for 数十亿), and whether it carries a
    section multiplier (万/亿), used to scale the other end of a range (3到5万)."""

    value: float | None
    low: float | None = None
    high: float | None = None
    approx: str = "exact"
    multiplier: float | None = None
    start: int = 0
    end: int = 0
    text: str = ""


@functools.cache
def cfg() -> dict:
    c = dict(rules.load("figures/numerals.yaml"))
    c["_digits"] = {str(k): v for k, v in c["digits"].items()}
    for ch, v in zip("０１２３４５６７８９", range(10)):
        c["_digits"][ch] = v
    c["_arabic"] = set("0123456789０１２３４５６７８９")
    c["_cjk_digits"] = {k: v for k, v in c["_digits"].items() if k not in c["_arabic"]}
    c["_small"] = {str(k): v for k, v in c["small_units"].items()}
    c["_big"] = {str(k): v for k, v in c["big_units"].items()}
    c["_tens"] = {str(k): v for k, v in c["tens"].items()}
    return c


def _esc(chars) -> str:
    return "".join(regex.escape(ch) for ch in chars)


@functools.cache
def _token_re():
    """One token of a numeral: an Arabic number or one numeral character or word."""
    c = cfg()
    d = "0-9０-９"
    sep = _esc(c["group_separators"])
    arabic = (rf"(?:[{d}]{{1,3}}(?:[{sep}][{d}]{{3}})+(?![{d}])|[{d}]+)(?:[.．][{d}]+)?"
              rf"|(?<![{d}])[.．][{d}]+")
    sci = rf"(?:[eE][+\-－]?[{d}]+|\^[+\-]?[{d}]+(?:[.．][{d}]+)?)"
    latin = _esc(c["latin_multipliers"])
    prefix = "|".join(rf"{regex.escape(k)}(?!{v})" for k, v in c["prefix_of_unit"].items())
    chars = set(c["_cjk_digits"]) | set(c["_small"]) | set(c["_tens"]) | set(c["decimal_point"]) \
        | set(c["several"]) | set(c["over_inside"]) | set(c["half"])
    bigs = [k for k in c["_big"] if k not in c["prefix_of_unit"]]
    chars |= set(bigs)
    chars -= set("."".")
    cjk = "[" + _esc(sorted(chars - {".", "．"})) + "]"
    word = "|".join(regex.escape(w) for w in (c["fraction"], c["mixed_fraction"]))
    slash = "[" + _esc(c["fraction_slash"]) + "]"
    return regex.compile(
        rf"(?P<arabic>{arabic}){sci}?(?:[{latin}](?![A-Za-z]))?|{cjk}|{prefix}|{word}|{slash}(?=[{d}])")


@functools.cache
def _run_re():
    c = cfg()
    tok = _token_re().pattern
    minus = _esc(c["minus"])
    return regex.compile(rf"(?:[{minus}](?=[0-9０-９.．]|[^\W\d_]))?(?:{tok})+")


# ---------------------------------------------------------------------------------------
# reading one numeral

class _Bad(Exception):
    pass


def _arabic_value(tok: str) -> float:
    c = cfg()
    s = "".join(str(c["_digits"][ch]) if ch in c["_arabic"] else ch for ch in tok)
    s = s.replace("．", ".").replace("－", "-")
    for sep in c["group_separators"]:
        s = s.replace(sep, "")
    mult = 1.0
    if s and s[-1] in c["latin_multipliers"]:
        mult = float(c["latin_multipliers"][s[-1]])
        s = s[:-1]
    if "^" in s:
        base, exp = s.split("^", 1)
        try:
            return float(base) ** float(exp) * mult
        except (ValueError, OverflowError, ZeroDivisionError):
            raise _Bad from None
    try:
        return float(s) * mult
    except ValueError:
        raise _Bad from None


def _tokens(s: str) -> list[tuple[str, object]]:
    c = cfg()
    out = []
    pos = 0
    tre = _token_re()
    while pos < len(s):
        m = tre.match(s, pos)
        if not m or m.end() == pos:
            raise _Bad
        t = m.group(0)
        if m.group("arabic") is not None:
            out.append(("num", (_arabic_value(t), "." in t or "．" in t)))
        elif t in c["_cjk_digits"]:
            out.append(("d", c["_cjk_digits"][t]) if t not in c["half"] else ("half", 0.5))
        elif t in c["half"]:
            out.append(("half", 0.5))
        elif t in c["_small"]:
            out.append(("u", c["_small"][t]))
        elif t in c["_big"]:
            out.append(("b", c["_big"][t]))
        elif t in c["_tens"]:
            out.append(("tens", c["_tens"][t]))
        elif t in c["decimal_point"]:
            out.append(("pt", None))
        elif t in c["several"] and not out:
            out.append(("sev", None))
        elif t in c["over_inside"]:
            out.append(("over", None))
        else:
            raise _Bad
        pos = m.end()
    return out


def _sequence(toks) -> float | None:
    """A digit-by-digit numeral (二〇〇二, 一七二零点一), else None."""
    if not toks or any(k not in ("d", "pt") for k, _ in toks):
        return None
    if sum(1 for k, _ in toks if k == "pt") > 1 or toks[0][0] == "pt" or toks[-1][0] == "pt":
        return None
    return float("".join("." if k == "pt" else str(v) for k, v in toks))


def _structured(toks) -> tuple[float, str, float | None]:
    """Value, approx and last section multiplier of a positional numeral."""
    pieces: list[tuple[float, float]] = []     # (value, scale) of finished sections
    section = 0.0
    cur = None            # pending digit / Arabic number
    cur_cjk = False
    cur_decimal = False
    last_small = None     # last small unit in this section
    last_unit = None      # multiplier of the unit token just before `cur`
    after_zero = False
    approx = "exact"
    multiplier = None
    closed = False        # a decimal number took its multiplier: nothing may follow
    i = 0
    n = len(toks)
    while i < n:
        kind, v = toks[i]
        if closed:
            raise _Bad
        if kind == "num":
            if cur is not None:
                raise _Bad
            cur, decimal = v
            cur_cjk, cur_decimal = False, decimal
            last_unit = None if (i == 0 or toks[i - 1][0] not in ("u", "b")) else last_unit
        elif kind in ("d", "half"):
            if cur is not None:
                raise _Bad
            if v == 0 and kind == "d":
                after_zero = True
                last_unit = None
            else:
                cur, cur_cjk, cur_decimal = v, True, False
                if i == 0 or toks[i - 1][0] not in ("u", "b"):
                    last_unit = None
        elif kind == "pt":
            # decimal digits: Chinese digit by digit, or one Arabic integer
            j = i + 1
            digits = ""
            if j < n and toks[j][0] == "num" and not toks[j][1][1]:
                digits = str(int(toks[j][1][0]))
                j += 1
            else:
                while j < n and toks[j][0] == "d":
                    digits += str(toks[j][1])
                    j += 1
            if not digits:
                raise _Bad
            whole = (cur or 0.0) if cur is not None else 0.0
            if cur is None and section == 0 and not pieces and not after_zero:
                raise _Bad
            cur = whole + float("0." + digits)
            cur_cjk, cur_decimal = False, True
            last_unit = None
            i = j
            continue
        elif kind == "u":
            if cur is None:
                if v == 10 or i == 0 or after_zero:
                    cur = 1.0
                else:
                    raise _Bad
            if cur_decimal or (last_small is not None and v >= last_small):
                raise _Bad
            section += cur * v
            cur = None
            last_small = v
            last_unit = v
            after_zero = False
        elif kind == "tens":
            if cur is not None or section:
                raise _Bad
            section += v
            last_small = 10
            last_unit = 10
        elif kind == "over":
            if not (i + 1 < n and toks[i + 1][0] == "b") or (cur is None and section == 0):
                raise _Bad
            approx = "over"
        elif kind == "b":
            if cur is not None:
                section += cur
            empty = cur is None and section == 0
            coll = [p for p in pieces if p[1] < v or (empty and p[1] == v)]
            rest = [p for p in pieces if p not in coll]
            if any(s <= v for _, s in rest):
                raise _Bad
            val = section + sum(p for p, _ in coll)
            if val == 0:
                raise _Bad
            scale = v * max([s for _, s in coll] or [1])
            pieces = rest + [(val * v, scale)]
            multiplier = scale
            if cur_decimal:
                closed = True
            section, cur, cur_decimal, last_small = 0.0, None, False, None
            last_unit = v
            after_zero = False
        elif kind == "sev":
            raise _Bad
        i += 1
    if cur is not None:
        if cur_cjk and last_unit and last_unit >= 100 and not after_zero:
            cur = cur * last_unit / 10       # colloquial: 三万五, 一百二, 两千六
        section += cur
    if not pieces and section == 0 and not any(k == "d" and v == 0 for k, v in toks):
        if not any(k == "num" for k, _ in toks):
            raise _Bad
    return section + sum(p for p, _ in pieces), approx, multiplier


def _fraction(s: str) -> Num | None:
    c = cfg()
    for sep in [c["fraction"], *c["fraction_slash"]]:
        if sep in s:
            whole = 0.0
            head, _, num = s.partition(sep)
            if c["mixed_fraction"] in head:
                w, _, head = head.partition(c["mixed_fraction"])
                wn = parse_number(w)
                if wn is None or wn.value is None:
                    return None
                whole = wn.value
            elif sep != c["fraction"] and " " in head.strip():
                w, _, head = head.strip().rpartition(" ")
                wn = parse_number(w)
                if wn is None or wn.value is None:
                    return None
                whole = wn.value
            a = parse_number(head.strip())
            b = parse_number(num.strip())
            if not a or not b or a.value is None or b.value is None:
                return None
            if sep == c["fraction"]:
                den, nom = a.value, b.value
            else:
                nom, den = a.value, b.value
            if den == 0:
                return None
            sign = -1 if whole < 0 else 1
            return Num(whole + sign * nom / den)
    return None


def parse_number(s: str) -> Num | None:
    """The value of the whole string ``s`` read as one numeral, or None."""
    if not isinstance(s, str) or not s.strip():
        return None
    c = cfg()
    s = s.strip()
    if c["fraction"] in s or any(ch in s for ch in c["fraction_slash"]):
        return _fraction(s)
    sign = 1.0
    if s[0] in c["minus"]:
        sign, s = -1.0, s[1:]
        if not s:
            return None
    try:
        toks = _tokens(s)
    except _Bad:
        return None
    if not toks:
        return None
    several = toks[0][0] == "sev"
    if several:
        toks = [("d", 1)] + toks[1:]
        if len(toks) < 2 or toks[1][0] not in ("u", "b"):
            return None
    seq = _sequence(toks)
    if seq is not None and len(toks) > 1:
        if any(k == "d" and s_ch in c["not_in_sequence"] for (k, _), s_ch in zip(toks, s)):
            return None
        return Num(sign * seq)
    try:
        value, approx, mult = _structured(toks)
    except _Bad:
        return None
    if several:
        return Num(None, sign * 2 * value, sign * 9 * value, "about", mult)
    return Num(sign * value, approx=approx, multiplier=mult)


# ---------------------------------------------------------------------------------------
# cn2an's modes

_LOWER = dict(zip("壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億", "一二二三三四五六六七八九十百千万亿"))


def _render4(n: int) -> str:
    digits = "零一二三四五六七八九"
    out, zero = [], False
    for unit, p in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
        d = n // p % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(digits[d] + unit)
    return "".join(out)


def render(n: int) -> str:
    """The standard Chinese reading of a non-negative integer (an2cn 'low')."""
    if n == 0:
        return "零"
    if n >= 10 ** 8:
        hi, lo = divmod(n, 10 ** 8)
        return render(hi) + "亿" + (("零" if lo < 10 ** 7 else "") + render(lo) if lo else "")
    if n >= 10 ** 4:
        hi, lo = divmod(n, 10 ** 4)
        return _render4(hi) + "万" + (("零" if lo < 1000 else "") + _render4(lo) if lo else "")
    return _render4(n)


def _strict_int(s: str) -> float | None:
    s = "".join(_LOWER.get(ch, ch) for ch in s).replace("廿", "二十").replace("卅", "三十")
    if not s or any(ch not in "零一二两三四五六七八九十百千万亿" for ch in s):
        return None
    s = s.replace("两", "二")
    num = parse_number(s)
    if num is None or num.value is None or num.value != int(num.value):
        return None
    norm = s.replace("零十", "零一十").replace("零百", "零一百")
    if norm.startswith("十"):
        norm = "一" + norm
    canon = render(int(num.value))
    return num.value if norm == canon else None


def cn2an(s: str, mode: str = "strict") -> float | None:
    """Convert a whole Chinese numeral as cn2an does in ``mode`` (strict, normal, smart);
    None when the mode refuses it."""
    if not isinstance(s, str) or not s:
        return None
    c = cfg()
    s = s.strip()
    rmb = c["rmb"]
    # money in words: X元整, X元Y角Z分
    m = regex.fullmatch(rf"(.+?)[{rmb['yuan']}](?:([{rmb['whole']}])|(.)[{rmb['jiao']}](?:(.)[{rmb['fen']}])?)?", s)
    if m and not regex.search(rf"[{rmb['yuan']}].*[{rmb['yuan']}]", s):
        if mode == "strict" and not (m.group(2) or m.group(3)):
            return None
        whole = cn2an(m.group(1), mode)
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
        whole, point, dec = s.partition("点")
        if point:
            if not dec or any(ch not in "零一二三四五六七八九" for ch in dec) or dec[-1] == "零":
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

@functools.cache
def _not_numbers_re():
    words = sorted(cfg()["not_numbers"], key=len, reverse=True)
    return regex.compile("|".join(regex.escape(w) for w in words))


@functools.cache
def _followers_re():
    """Measure and calendar words that let a lone 两/半/financial digit be a number."""
    from .figures import unit_table
    words = sorted({u["surface"] for u in unit_table()} | set(cfg()["calendar_words"]),
                   key=len, reverse=True)
    return regex.compile("|".join(regex.escape(w) for w in words))


def scan(text: str) -> list[Num]:
    """Every maximal numeral in ``text`` (no filtering): the longest readable prefix of each
    run of numeral characters, then the rest of the run."""
    out = []
    prefixes = _percent_prefixes()
    for m in _run_re().finditer(text):
        s, e = m.start(), m.end()
        for pre in prefixes:          # 百分之三十: the number is 三十
            if text.startswith(pre, s):
                s += len(pre)
                break
        while s < e:
            best = None
            # token boundaries inside the run, longest first
            cuts = _cuts(text, s, e)
            for cut in reversed(cuts):
                num = parse_number(text[s:cut])
                if num is not None:
                    best = (cut, num)
                    break
            if best is None:
                s = cuts[0] if cuts else e
                continue
            cut, num = best
            num.start, num.end, num.text = s, cut, text[s:cut]
            out.append(num)
            s = cut
    return out


@functools.cache
def _percent_prefixes() -> tuple[str, ...]:
    return tuple(sorted(rules.load("figures/figures.yaml")["percent_prefixes"], key=len, reverse=True))


def _cuts(text: str, s: int, e: int) -> list[int]:
    """Offsets after each token of the run text[s:e]."""
    cuts = []
    pos = s
    c = cfg()
    if text[pos] in c["minus"]:
        pos += 1
    tre = _token_re()
    while pos < e:
        m = tre.match(text, pos, e)
        if not m or m.end() == pos:
            break
        pos = m.end()
        cuts.append(pos)
    return cuts or [e]


def homograph_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _not_numbers_re().finditer(text)]


def inside(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(a <= s and e <= b for a, b in spans)


def lone_financial(num: Num) -> bool:
    """A single financial-form digit (拾, 陆, 肆, 伍): a word unless a calendar word follows."""
    body = num.text.lstrip(cfg()["minus"])
    return len(body) == 1 and body in cfg()["financial"]


@functools.cache
def _calendar_re():
    return regex.compile("|".join(regex.escape(w) for w in cfg()["calendar_words"]))


def lone_word(num: Num, text: str) -> bool:
    """A lone 两/半 with no measure or calendar word after it (两岸, 半岛), or a lone
    financial digit with no calendar word after it (拾起, 大陆, 肆意): a word, not a number."""
    body = num.text.lstrip(cfg()["minus"])
    if len(body) == 1 and body in cfg()["lone_needs_unit"]:
        return not _followers_re().match(text, num.end)
    if lone_financial(num):
        return not _calendar_re().match(text, num.end)
    return False


def find_numbers(text: str) -> list[dict]:
    """Every number mention in ``text``: start, end, text, value, low, high, approx."""
    if not isinstance(text, str) or not text:
        return []
    homs = homograph_spans(text)
    out = []
    for num in scan(text):
        if inside(homs, num.start, num.end) or lone_word(num, text):
            continue
        if num.start > 0 and text[num.start - 1].isascii() and text[num.start - 1].isalpha():
            continue
        out.append({"start": num.start, "end": num.end, "text": num.text, "value": num.value,
                    "low": num.low, "high": num.high, "approx": num.approx})
    return out


def find_ranges(text: str) -> list[dict]:
    """Placeholder until comparisons are written."""
    return []
