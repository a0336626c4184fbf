"""Numerals: read Arabic, Chinese and mixed numerals, and find them in running text.

Entry points (what the figures layer builds on):

- ``parse_number(s) -> Num | None``: the value of one whole numeral, read leniently
  (24.7亿, 一百三十五, 3万4000, 1,100万, 十余万, 两千四百五, 数十亿, ２．５, 二〇〇二, 五分之一,
  2e5, 40k). ``None`` when ``s`` is not a numeral.
- ``scan(text) -> list[Num]``: every maximal numeral of a text, unfiltered;
  ``homograph_spans``/``inside``, ``lone_word``/``lone_financial`` tell the ones that are words
  (一切, 四川, 两岸, 拾起); ``squeeze``/``unsqueeze`` read through spaces inside numbers.
- ``chars() -> Chars``: the numeral characters other rules are written with (digits, small
  units, 分之 …), so that no caller reads this module's configuration.

The characters and word lists live in ``rules/figures/numerals.yaml``. Evaluation-only
readers built on these (a cn2an-style strict converter, ``find_numbers``, ``find_ranges``)
live in ``scripts/peer_numerals.py``, outside the package.
"""
from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
from dataclasses import dataclass
from typing import Iterable

import regex

from baozhi.resources import regexcache, ruleset

_FIRST, _SECOND = operator.itemgetter(0), operator.itemgetter(1)


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
    """``numerals.yaml`` with the tables derived from it (private to this module: other
    modules ask ``chars()``)."""
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


@dataclass(frozen=True)
class Chars:
    """The numeral characters of ``rules/figures/numerals.yaml``, for rules built around
    numerals (百分之 before a number, 千亿级 after one)."""

    values: dict          # every digit character -> its value: 0-9, ０-９, 〇一二两…壹贰…
    arabic: frozenset     # 0-9 and ０-９
    cjk_digits: str       # the Chinese digit characters, in the file's order
    small_units: str      # 十拾百佰千仟
    zero: str             # 〇零
    one: str              # 一, put before a bare magnitude (千亿 = 一千亿)
    part_of: str          # the magnitudes of 百分之, 千分之, 万分之 …
    fraction: str         # 分之
    minus: str            # 负, -
    latin: str = ""       # the Latin multipliers after Arabic digits (k, w: 15k, 30w)
    decimal_points: str = ""   # the decimal points of Arabic numbers (. ． ·: 0.31, ９１·８)

    @property
    def digits(self) -> str:
        """Every digit character (Arabic, full-width and Chinese)."""
        return "".join(self.values)


@functools.cache
def chars() -> Chars:
    c = cfg()
    return Chars(values=dict(c["_digits"]), arabic=frozenset(c["_arabic"]),
                 cjk_digits="".join(c["_cjk_digits"]), small_units="".join(c["_small"]),
                 zero=c["zero_digits"], one=c["standard"]["digits"][1], part_of=c["part_of"],
                 fraction=c["fraction"], minus=c["minus"], latin="".join(c["latin_multipliers"]),
                 decimal_points="".join(c["arabic_decimal_points"]))


def _esc(cs) -> str:
    return "".join(regex.escape(ch) for ch in cs)


@functools.cache
def _token_re():
    """One token of a numeral: an Arabic number or one numeral character or word."""
    c = cfg()
    d = "0-9０-９"
    sep = _esc(c["group_separators"])
    fsep = _esc(c["group_separators_fullwidth"])
    # a decimal part is not read where another .digits follows (2222.2222.222 is no decimal)
    pt = _esc(c["arabic_decimal_points"])
    # the full-width separator between ASCII digits only before a decimal part (56，300.00)
    arabic = (rf"(?:[{d}]{{1,3}}(?:[{sep}][{d}]{{3}})+(?![{d}])|[０-９]{{1,3}}(?:[{fsep}][０-９]{{3}})+(?![{d}])"
              rf"|(?<![{d}])[0-9]{{1,3}}(?:[{fsep}][0-9]{{3}})+(?=[{pt}][0-9])"
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
    return regexcache.compile(
        rf"(?P<arabic>{arabic}){sci}?(?:[{latin}](?![A-Za-z]))?|{cjk}|{prefix}|{word}|{slash}(?=[{d}])")


@functools.cache
def _token_first() -> str:
    """Every character a token of ``_token_re`` can begin with, as the body of a character
    class (the runs' scan looks only where one of them stands: several times faster)."""
    c = cfg()
    chars = set(c["_cjk_digits"]) | set(c["_small"]) | set(c["_tens"]) | set(c["decimal_point"]) \
        | set(c["several"]) | set(c["over_inside"]) | set(c["half"]) | set(c["_big"]) \
        | {k[0] for k in c["prefix_of_unit"]} | {c["fraction"][0], c["mixed_fraction"][0]} \
        | set(c["fraction_slash"]) | set(".．")
    return "0-9０-９" + _esc(sorted(chars - set("0123456789０１２３４５６７８９")))


@functools.cache
def _run_re():
    """A run of numeral characters (what ``scan`` reads), compiled with the standard ``re``:
    its scan of a page is twice as fast as ``regex``'s, and the two read the pattern alike
    (its only class they define apart, ``[^\\W\\d_]`` after a minus, decides nothing: a token
    must start on that character, and ``_token_first`` holds none they class apart;
    tests/test_numerals.py compares them)."""
    return re.compile(_run_pattern())


def _run_pattern() -> str:
    c = cfg()
    tok = _token_re().pattern
    minus = _esc(c["minus"])
    words = "|".join(regex.escape(w) for w in c["minus_words"])
    d = "0-9０-９"
    mixed = rf"[{d}]+[ ][{d}]+[{_esc(c['fraction_slash'])}][{d}]+(?![{d}])"     # 1 4/3
    first = _token_first() + minus + _esc({w[0] for w in c["minus_words"]})
    return rf"(?=[{first}])(?:{words}|(?<![{minus}])[{minus}](?=[0-9０-９.．]|[^\W\d_]))?(?:{mixed}|(?:{tok})+)"


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
    """The value of the whole string ``s`` read as one numeral, or None (a new ``Num`` each
    time: callers set its offsets)."""
    if not isinstance(s, str):
        return None
    num = _parse_memo(s)
    if num is None:
        return None
    new = object.__new__(Num)           # copy.copy, without its generic machinery: a scan
    new.__dict__.update(num.__dict__)   # asks for tens of thousands
    return new


@functools.lru_cache(maxsize=1 << 16)
def _parse_memo(s: str) -> Num | None:
    """``parse_number`` once per string: a page's scan reads the same runs and their
    prefixes (5千米: 5千, 5) many times; the copy kept here is never handed out."""
    return _parse_number(s)


def _parse_number(s: str) -> Num | None:
    if not s.strip():
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
    if mult is None:
        mult = _scale_word(s, toks)
    return Num(sign * value, approx=approx, multiplier=mult)


def _scale_word(s: str, toks: list) -> float | None:
    """The multiplier a numeral of one number and one scale word ends with (五千, 5百, 30k):
    the bare first end of a range takes it (三到五千美元, 20~30k元), as it takes 万 (3到5万)."""
    c = cfg()
    if len(toks) == 2 and toks[0][0] in ("d", "num") and toks[1][0] == "u" \
            and toks[1][1] >= c["range_scale_min"]:
        return float(toks[1][1])
    if len(toks) == 1 and toks[0][0] == "num" and s[-1] in c["latin_multipliers"]:
        return float(c["latin_multipliers"][s[-1]])
    return None


# ---------------------------------------------------------------------------------------
# finding numbers in text

@functools.cache
def _not_numbers_re():
    """The words of numerals.yaml ``not_numbers``, longest first where several start at one
    place: one prefix trie (regexcache.trie_pattern) compiled with the standard ``re``, whose
    scan for plain words is ~3x faster than ``regex``'s alternation of them (the same spans)."""
    return re.compile(regexcache.trie_pattern(cfg()["not_numbers"]))


@functools.cache
def _followers_re():
    """Measure and calendar words that let a lone 两/半/financial digit be a number."""
    from baozhi.resources.units import unit_surfaces
    units = {u for u in unit_surfaces() if not all(ch in cfg()["_digits"] for ch in u)}
    words = sorted(units | set(cfg()["calendar_words"]), key=len, reverse=True)
    return regexcache.compile("|".join(regex.escape(w) for w in words))


def scan(text: str) -> list[Num]:
    """Every maximal numeral in ``text`` (no filtering): the longest readable prefix of each
    run of numeral characters, then the rest of the run."""
    out = []
    reach = _minus_reach()
    for m in _run_re().finditer(text):
        s, e = m.start(), m.end()
        if e - s == 1:                   # one character (most runs: 一, 两, ３): no cuts to find
            num = parse_number(text[s])
            if num is not None:
                num.start, num.end, num.text = s, e, text[s]
                out.append(num)
            continue
        for a, b, num in _run_memo(text[s - 1:s] if s else "", text[s:e], text[e:e + reach]):
            new = object.__new__(Num)           # (a copy: the memo's are never handed out)
            new.__dict__.update(num.__dict__)
            new.start, new.end, new.text = s + a, s + b, text[s + a:s + b]
            out.append(new)
    return out


@functools.cache
def _minus_reach() -> int:
    """How far past a run ``_cuts`` may read: the longest minus word but one character."""
    return max((len(w) for w in cfg()["minus_words"]), default=1) - 1


@functools.lru_cache(maxsize=1 << 15)
def _run_memo(before: str, run: str, after: str) -> tuple:
    """``scan``'s numerals of one run of two or more characters as (start, end, Num), offsets
    in the run: once per run, as a page repeats its runs (１９９８, 二○○○, 百分之五). What
    reading a run looks at besides it: the character before it (the tokens' lookbehinds) and
    ``_minus_reach`` characters after it (a minus word at the run's end), both in the key."""
    text = before + run + after
    s, e = len(before), len(before) + len(run)
    out = []
    pm = part_of_re().match(text, s, e)   # 百分之三十: the number is 三十
    if pm:
        s = pm.end()
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
        out.append((s - len(before), cut - len(before), num))
        s = cut
    return tuple(out)


@functools.cache
def part_of_re():
    """百分之, 千分之, 百万分之 … at the start of a run (no digit before the magnitude)."""
    c = cfg()
    return regexcache.compile(rf"(?P<mag>[{_esc(c['part_of'])}]+){regex.escape(c['fraction'])}")


def _cuts(text: str, s: int, e: int) -> list[int]:
    """Offsets after each token of the run text[s:e], then e where the tokens stop short of it;
    at most numerals.yaml ``max_numeral_tokens`` tokens from s (no numeral is longer), so that
    reading a run costs time linear in its length, not quadratic (a run of 数 or 几 is a token
    a character: each start would otherwise tokenise and try every end of the rest of the run)."""
    cuts = []
    pos = s
    c = cfg()
    limit = c["max_numeral_tokens"]
    for w in c["minus_words"]:
        if text.startswith(w, pos):
            pos += len(w)
            break
    else:
        if text[pos] in c["minus"]:
            pos += 1
    tre = _token_re()
    while pos < e:
        if len(cuts) == limit:
            return cuts
        m = tre.match(text, pos, e)
        if not m or m.end() == pos:
            break
        pos = m.end()
        cuts.append(pos)
    if not cuts or cuts[-1] != e:
        cuts.append(e)
    return cuts


def homograph_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _not_numbers_re().finditer(text)]


def inside(spans: "list[tuple[int, int]] | Cover", s: int, e: int) -> bool:
    """Whether one of ``spans`` holds [s, e)."""
    if isinstance(spans, Cover):
        return spans.holds(s, e)
    return any(a <= s and e <= b for a, b in spans)


class Cover:
    """Spans indexed for ``inside``: by start, with the furthest end reached so far, so that
    a question costs a bisection, not a scan of every span (a long text has many). The spans
    of records (a text's dates, entities): ``starting_in`` and ``overlapping`` give the
    indices of the spans as given, in that order (the order the records are read in)."""

    def __init__(self, spans: Iterable[tuple[int, int]]):
        given = list(spans)
        self.order = sorted(range(len(given)), key=given.__getitem__)    # (ties: as given)
        # (spans given by start, as a layer's records mostly are: each index is its own place,
        # and the look-ups below need not sort what they give)
        self.in_order = self.order == list(range(len(given)))
        self.spans = given if self.in_order else [given[j] for j in self.order]
        self.starts = list(map(_FIRST, self.spans))
        self.reach = list(itertools.accumulate(map(_SECOND, self.spans), max))

    @functools.cached_property
    def exact(self) -> set[tuple[int, int]]:
        """The spans, as a set (on first use)."""
        return set(self.spans)

    def holds(self, s: int, e: int) -> bool:
        """Whether a span starts at or before ``s`` and ends at or after ``e``."""
        k = bisect.bisect_right(self.starts, s)
        return k > 0 and self.reach[k - 1] >= e

    def starting_in(self, a: int, b: int) -> list[int]:
        """The indices of the spans that start in [a, b)."""
        lo = bisect.bisect_left(self.starts, a)
        hi = bisect.bisect_left(self.starts, b, lo)
        return self.order[lo:hi] if self.in_order else sorted(self.order[lo:hi])

    def overlapping(self, a: int, b: int) -> list[int]:
        """The indices of the spans that start before ``b`` and end after ``a``."""
        n = bisect.bisect_left(self.starts, b)
        i = bisect.bisect_right(self.reach, a, 0, n)     # (before i, every span ends by a)
        if i >= n:
            return []
        spans = self.spans
        if self.in_order:
            return [k for k in range(i, n) if spans[k][1] > a]
        order = self.order
        return sorted(order[k] for k in range(i, n) if spans[k][1] > a)


_START_END = operator.itemgetter("start", "end")


def record_cover(recs: Iterable[dict]) -> Cover:
    """``Cover`` of records with ``start`` and ``end`` (its indices are the records')."""
    return Cover(map(_START_END, recs))


def lone_financial(num: Num) -> bool:
    """A single financial-form digit (拾, 陆, 肆, 伍): a word unless a calendar word follows."""
    body = num.text.lstrip(cfg()["minus"])
    return len(body) == 1 and body in cfg()["financial"]


@functools.cache
def _calendar_re():
    return regexcache.compile("|".join(regex.escape(w) for w in cfg()["calendar_words"]))


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
    return regexcache.compile(rf"(?<=[{chars}])[ \t\u3000]+(?=[{chars}])")


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
