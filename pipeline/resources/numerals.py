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
  ``find_figures`` (pipeline/layers/figures/figures.py) is built on the same scanner.

The characters and word lists live in ``rules/figures/numerals.yaml``.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from baozhi.resources import ruleset


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
    sequence: bool = False      # read digit by digit (二〇〇二)
    start: int = 0
    end: int = 0
    text: str = ""


@functools.cache
def cfg() -> dict:
    c = dict(ruleset.load("figures/numerals.yaml"))
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
    fsep = _esc(c["group_separators_fullwidth"])
    # a decimal part is not read where another .digits follows (2222.2222.222 is no decimal)
    pt = _esc(c["arabic_decimal_points"])
    arabic = (rf"(?:[{d}]{{1,3}}(?:[{sep}][{d}]{{3}})+(?![{d}])|[０-９]{{1,3}}(?:[{fsep}][０-９]{{3}})+(?![{d}])"
              rf"|[{d}]+)(?:[{pt}][{d}]+(?![{pt}][{d}]))?|(?<![{d}{pt}])[.．][{d}]+")
    sci = rf"(?:[eE][+\-－]?[{d}]+|\^[+\-]?[{d}]+(?:[.．][{d}]+)?)"
    latin = _esc(c["latin_multipliers"])
    prefix = "|".join(rf"{regex.escape(k)}(?!{v})" for k, v in c["prefix_of_unit"].items())
    chars = set(c["_cjk_digits"]) | set(c["_small"]) | set(c["_tens"]) | set(c["decimal_point"]) \
        | set(c["several"]) | set(c["over_inside"]) | set(c["half"])
    bigs = [k for k in c["_big"] if k not in c["prefix_of_unit"]]
    chars |= set(bigs)
    chars -= set("."".")
    cjk = "[" + _esc(sorted(chars - {".", "．"})) + "]"
    minus = _esc(c["minus"])
    word = "|".join([rf"{regex.escape(c['fraction'])}[{minus}]?", regex.escape(c["mixed_fraction"])])
    slash = "[" + _esc(c["fraction_slash"]) + "]"
    return regex.compile(
        rf"(?P<arabic>{arabic}){sci}?(?:[{latin}](?![A-Za-z]))?|{cjk}|{prefix}|{word}|{slash}(?=[{d}])")


@functools.cache
def _run_re():
    c = cfg()
    tok = _token_re().pattern
    minus = _esc(c["minus"])
    words = "|".join(regex.escape(w) for w in c["minus_words"])
    d = "0-9０-９"
    mixed = rf"[{d}]+[ ][{d}]+[{_esc(c['fraction_slash'])}][{d}]+(?![{d}])"     # 1 4/3
    return regex.compile(rf"(?:{words}|(?<![{minus}])[{minus}](?=[0-9０-９.．]|[^\W\d_]))?(?:{mixed}|(?:{tok})+)")


# ---------------------------------------------------------------------------------------
# reading one numeral

class _Bad(Exception):
    pass


def _arabic_value(tok: str) -> float:
    c = cfg()
    s = "".join(str(c["_digits"][ch]) if ch in c["_arabic"] else ch for ch in tok)
    for ch in c["arabic_decimal_points"]:
        s = s.replace(ch, ".")
    s = s.replace("－", "-")
    for sep in c["group_separators"] + c["group_separators_fullwidth"]:
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
            out.append(("num", (_arabic_value(t), any(ch in t for ch in c["arabic_decimal_points"]))))
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
        if closed and kind != "b":
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
            if cur is None and section == 0 and not pieces and not after_zero:
                raise _Bad
            if cur is not None and cur_cjk and last_unit and last_unit >= 100 and not after_zero:
                section += cur * last_unit / 10      # 两千三点一 = 2300.1
                cur = None
            cur = (cur or 0.0) + float("0." + digits)
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
            if not (i + 1 < n and toks[i + 1][0] == "b") or (cur is None and section == 0 and not pieces):
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
    if not any(k in ("d", "num", "half", "tens") for k, _ in toks) and toks[0] != ("u", 10):
        raise _Bad           # 千, 百万: a multiplier alone is not a number (十 is)
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
    for w in c["minus_words"]:
        if s.startswith(w):
            sign, s = -1.0, s[len(w):]
            break
    else:
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
    # 二三十, 三四百, 十五六, 五六个: two neighbouring digits give a range (概数)
    for k in range(len(toks) - 1):
        a, b = toks[k], toks[k + 1]
        if (a[0] == b[0] == "d" and a[1] > 0 and b[1] == a[1] + 1
                and all(kind in ("u", "b") for kind, _ in toks[k + 2:])
                and (k == 0 or toks[k - 1][0] in ("u", "b"))):
            lo = parse_number(s[:k + 1] + s[k + 2:])
            hi = parse_number(s[:k] + s[k + 1:])
            if lo is not None and hi is not None and lo.value is not None and hi.value is not None \
                    and lo.value < hi.value:
                return Num(None, sign * lo.value, sign * hi.value, "about", hi.multiplier)
            break
    seq = _sequence(toks)
    if seq is not None and len(toks) > 1:
        if any(k == "d" and s_ch in c["not_in_sequence"] for (k, _), s_ch in zip(toks, s)):
            return None
        return Num(sign * seq, sequence=True)
    try:
        value, approx, mult = _structured(toks)
    except _Bad:
        return None
    if several:
        return Num(None, sign * 2 * value, sign * 9 * value, "about", mult)
    return Num(sign * value, approx=approx, multiplier=mult)


# ---------------------------------------------------------------------------------------
# cn2an's modes

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
    except (_Bad, ValueError, OverflowError, RecursionError, IndexError):
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

@functools.cache
def _not_numbers_re():
    words = sorted(cfg()["not_numbers"], key=len, reverse=True)
    return regex.compile("|".join(regex.escape(w) for w in words))


@functools.cache
def _followers_re():
    """Measure and calendar words that let a lone 两/半/financial digit be a number."""
    from baozhi.resources.units import unit_surfaces
    units = {u for u in unit_surfaces() if not all(ch in cfg()["_digits"] for ch in u)}
    words = sorted(units | set(cfg()["calendar_words"]), key=len, reverse=True)
    return regex.compile("|".join(regex.escape(w) for w in words))


def scan(text: str) -> list[Num]:
    """Every maximal numeral in ``text`` (no filtering): the longest readable prefix of each
    run of numeral characters, then the rest of the run."""
    out = []
    part_re = part_of_re()
    for m in _run_re().finditer(text):
        s, e = m.start(), m.end()
        pm = part_re.match(text, s, e)   # 百分之三十: the number is 三十
        if pm:
            s = pm.end()
        while s < e:
            best = None
            # token boundaries inside the run, longest first
            cuts = _cuts(text, s, e)
            if cuts[-1] != e:
                cuts.append(e)
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
def part_of_re():
    """百分之, 千分之, 百万分之 … at the start of a run (no digit before the magnitude)."""
    c = cfg()
    return regex.compile(rf"(?P<mag>[{_esc(c['part_of'])}]+){regex.escape(c['fraction'])}")


def _cuts(text: str, s: int, e: int) -> list[int]:
    """Offsets after each token of the run text[s:e]."""
    cuts = []
    pos = s
    c = cfg()
    for w in c["minus_words"]:
        if text.startswith(w, pos):
            pos += len(w)
            break
    else:
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


@functools.cache
def _squeeze_re():
    chars = _esc(cfg()["squeeze_chars"])
    return regex.compile(rf"(?<=[{chars}])[ \t\u3000]+(?=[{chars}])")


def squeeze(text: str) -> tuple[str, list[int] | None]:
    """``text`` without the spaces inside numbers (三千 九百 六十五, 百 分 之 2), and for each
    character of the result its index in ``text`` (None when nothing was removed). Spaces
    between two Arabic digits stay (10 20 are two numbers)."""
    arabic = cfg()["_arabic"]
    cuts = [m.span() for m in _squeeze_re().finditer(text)
            if not (text[m.start() - 1] in arabic and text[m.end()] in arabic)]
    if not cuts:
        return text, None
    parts, offsets, pos = [], [], 0
    for s, e in cuts:
        parts.append(text[pos:s])
        offsets.extend(range(pos, s))
        pos = e
    parts.append(text[pos:])
    offsets.extend(range(pos, len(text)))
    return "".join(parts), offsets


def unsqueeze(records: list[dict], text: str, offsets: list[int] | None) -> list[dict]:
    """Map records found on the squeezed text back to ``text``."""
    if offsets is None:
        return records
    for r in records:
        s, e = r["start"], r["end"]
        r["start"], r["end"] = offsets[s], (offsets[e - 1] + 1 if e > s else offsets[s])
        r["text"] = text[r["start"]:r["end"]]
    return records


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
