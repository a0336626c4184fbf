"""Score the figures layer on other projects' test cases (``../shared/peers``).

    .venv/bin/python scripts/eval_peers.py [PEERS_DIR] [--show-failures]

The table gives, per file, the share of every evaluable case (``all``), of the cases a
newspaper could print (``relevant``: ``newspaper_relevance`` high or medium and ``register``
not conversational) and by ``newspaper_relevance``, then the rules' own (seed-page) examples. Negatives (``expected: []``) are counted over
every case of a file, relevant or not, and reported as matched when the API finds anything;
the last column counts the matched ones that are newspaper-relevant. Known disagreements
among the non-relevant negatives: Recognizers-Text's number model leaves 一美元 / 一折 to its
currency and percent models (find_numbers reports the numeral), and RT does not read
二三十个百分点, which this project reads as the range 20..30 pp (概数).
Values are compared, not unit spellings or span boundaries: an expected item is matched by
a found item that overlaps its span and has the same value (relative tolerance 1e-6); a
case is right when every expected item is matched and nothing else of the evaluated kind
is found.

What each file is evaluated against:

- ``cn2an.jsonl``: a numeral converter task, so ``peer_numerals.cn2an(input, mode)``
  with the mode the case names (strict, normal, smart); an ``expect_error`` case must be
  refused both in the default strict mode (as the peer's own loop calls it) and in the mode
  its list is named after. ``transform(input, "cn2an")`` cases are evaluated against
  ``find_numbers`` (the number mentions of a sentence; a ``None`` value only needs a
  mention there). an2cn and "direct" cases (Arabic to Chinese, digit strings) are outside
  this project and are not scored (none is newspaper-relevant).
- ``rt_number.jsonl``: ``peer_numerals.find_numbers`` (every number mention; the
  figures layer is built on the same scanner).
- ``rt_number_range.jsonl``: ``peer_numerals.find_ranges`` (comparisons and ranges:
  大于10小于20, 20~100, 五百以上, 十几万); low and high are compared, inclusivity is not
  (the peer's two copies of these cases disagree on it).
- ``rt_currency.jsonl``: ``find_figures``, money figures (ISO currency compared where the
  peer gives an ISO code). The peer also extracts bare currency names (人民币 alone, no
  amount); this project reports amounts only, so such items are dropped from the expected
  list.
- ``rt_percent.jsonl``: ``find_figures``, percent figures (百分点 compared by value).
- ``rt_dimension.jsonl``: ``find_figures``, quantity figures; the peer's unit names are
  converted to this project's canonical units through ``rules/figures/units.tsv``
  (RT_UNITS below names the Chinese surface of each peer unit).
- ``duckling_money_zh.jsonl``: ``find_figures``, money figures, as rt_currency; Duckling's
  ``currency: null`` (元, 块, 毛: no currency named) is CNY in a mainland paper; a bound
  (以下 / 以上) compares its one end with the figure's value.
- ``rt_datetime.jsonl`` and ``duckling_*time_zh.jsonl``: ``find_dates`` with the case's
  ``ref_date`` as the issue date, **day-level cases only**: every expected entity is a date
  or date range (grain year, month, week or day; not a time of day, a duration, a set or a
  lunar-calendar value the peer leaves unconverted), plus the negatives. An expected entity is
  matched by an overlapping found date with the same inclusive start and end; accepted
  readings, each a documented convention (docs/CONVENTIONS.md): the peer's other readings
  (``alternatives``), ``end_with_named_end`` for X到Y ranges, and for open ranges (``mod``)
  the project's own reading of the named point (``_anchor_start`` / ``_anchor_end`` of the
  record: 2015年前 = before the end of 2015, 之后 = after it). Cases in
  ``docs/peer_exceptions.yaml`` (a peer expectation this project does not share, with
  the reason) are counted apart, not in the share.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import datetime as dt  # noqa: E402

import yaml  # noqa: E402

from baozhi.layers.dates.dates import find_dates  # noqa: E402
from baozhi.layers.figures.figures import find_figures, unit_table  # noqa: E402
from peer_numerals import cn2an, find_numbers, find_ranges  # noqa: E402

# peer unit name -> the surface in rules/figures/units.tsv that means the same unit
RT_UNITS = {
    "Mu": "亩", "Kilogram": "千克", "Centimeter": "厘米", "Ton": "吨", "Meter": "米",
    "Kilometer": "千米", "Jin": "斤", "Gram": "克", "Kilobit": "千比特", "Bit": "比特",
    "Megabyte": "兆字节", "Kilobyte": "千字节", "Megahertz": "兆赫兹", "Hertz": "赫兹",
    "Kilowatt": "千瓦", "Kilocalorie": "千卡", "Liang": "两", "Microgram": "微克",
}

FILES = ["cn2an.jsonl", "rt_number.jsonl", "rt_number_range.jsonl", "rt_currency.jsonl",
         "rt_percent.jsonl", "rt_dimension.jsonl", "duckling_number_zh.jsonl",
         "duckling_money_zh.jsonl", "rt_datetime.jsonl", "duckling_time_zh.jsonl"]
DAY_GRAINS = ("year", "month", "week", "day")
EXCEPTIONS = ROOT / "docs" / "peer_exceptions.yaml"


def _exceptions() -> dict[str, str]:
    if not EXCEPTIONS.exists():
        return {}
    data = yaml.safe_load(EXCEPTIONS.read_text(encoding="utf-8")) or {}
    reasons = data.get("reasons", {})
    return {e["id"]: reasons.get(e["reason"], e["reason"]) for e in data.get("exceptions", [])}


def relevant(case: dict) -> bool:
    return case.get("newspaper_relevance") in ("high", "medium") and case.get("register") != "conversational"


def same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-12)


def overlaps(a: dict, b: dict) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def match_items(expected: list[dict], found: list[dict], key) -> bool:
    """Every expected item has an overlapping found item with the same value, and every
    found item is used."""
    used = set()
    for exp in expected:
        hit = None
        for i, f in enumerate(found):
            if i not in used and overlaps(exp, f) and key(exp, f):
                hit = i
                break
        if hit is None:
            return False
        used.add(hit)
    return len(used) == len(found)


def _unit_factor(surface: str) -> tuple[str, float] | None:
    for row in unit_table():
        if row["surface"] == surface:
            return row["unit"], float(row["factor"])
    return None


# --- per-file evaluators: (case) -> (right: bool, found_anything: bool) ------------------

def eval_cn2an(case):
    task = case["task"]
    inp = case["input"]
    if case.get("expect_error"):
        if not task.startswith("cn2an("):
            return None
        listed = "strict"
        for mode in ("strict", "normal", "smart"):
            if f"error_{mode}" in task or f"error_{mode}" in case["id"]:
                listed = mode
        ok = cn2an(inp, "strict") is None and cn2an(inp, listed) is None
        return ok, not ok
    if task.startswith("cn2an(input, \""):
        mode = task.split('"')[1]
        if mode not in ("strict", "normal", "smart"):
            return None
        got = cn2an(inp, mode)
        return same(got, case["expected"][0]["value_norm"]), got is not None
    if task.startswith("transform(input, \"cn2an\")"):
        found = find_numbers(inp)
        ok = match_items(case["expected"], found,
                         lambda e, f: e["value_norm"] is None or same(e["value_norm"], f["value"]))
        return ok, bool(found)
    return None


def eval_number(case):
    found = find_numbers(case["input"])
    ok = match_items(case["expected"], found, lambda e, f: same(e["value_norm"], f["value"]))
    return ok, bool(found)


def eval_range(case):
    found = find_ranges(case["input"])
    ok = match_items(case["expected"], found,
                     lambda e, f: same(e["value_norm"]["low"], f["low"]) and same(e["value_norm"]["high"], f["high"]))
    return ok, bool(found)


def _fig_amount(f):
    return f["value"] if f["value"] is not None else None


def eval_currency(case):
    found = [f for f in find_figures(case["input"]) if f["kind"] == "money"]
    expected = [e for e in case["expected"] if e["value_norm"].get("amount") is not None
                or e["value_norm"].get("low") is not None]

    def key(e, f):
        v = e["value_norm"]
        cur = v.get("currency", "")
        cur = {"Bitcoin": "BTC"}.get(cur, cur)
        if len(cur) == 3 and cur.isupper() and cur != f["unit"]:
            return False
        if v.get("amount") is not None:
            return same(v["amount"], f["value"])
        return same(v.get("low"), f["low"]) and same(v.get("high"), f["high"])
    return match_items(expected, found, key), bool(found)


def eval_money(case):
    """Duckling money: a null currency (元, 块) is CNY; a bound compares its one end."""
    found = [f for f in find_figures(case["input"]) if f["kind"] == "money"]

    def key(e, f):
        v = e["value_norm"]
        cur = v.get("currency") or "CNY"
        if cur != f["unit"]:
            return False
        if v.get("amount") is not None:
            return same(v["amount"], f["value"])
        lo, hi = v.get("low"), v.get("high")
        if lo is not None and hi is not None:
            return same(lo, f["low"]) and same(hi, f["high"])
        bound = f["value"] if f["value"] is not None else (f["low"] if lo is not None else f["high"])
        want = {"at_least": ("at_least", "over"), "at_most": ("at_most", "under")}.get(v.get("bound"), ())
        return same(lo if lo is not None else hi, bound) and (not want or f["approx"] in want)
    return match_items(case["expected"], found, key), bool(found)


def day_level(case) -> bool:
    """Every expected entity is a Gregorian date or date range (negatives count too)."""
    exp = case.get("expected")
    if exp is None:
        return False
    for e in exp:
        v = e.get("value_norm")
        if not isinstance(v, dict) or v.get("grain") not in DAY_GRAINS or v.get("calendar") == "lunar":
            return False
    return True


def _shift(iso: str | None, days: int) -> str | None:
    return (dt.date.fromisoformat(iso) + dt.timedelta(days=days)).isoformat() if iso else None


def date_readings(v: dict) -> list[tuple]:
    """The (start, end) readings of a peer value this project accepts (see module doc)."""
    out = [(v["start"], v["end"])]
    out += [(a["start"], a["end"]) for a in v.get("alternatives", [])]
    if v.get("end_with_named_end"):
        out.append((v["start"], v["end_with_named_end"]))
    return out


def date_key(e, f) -> bool:
    v = e["value_norm"]
    got = (f["start_date"], f["end_date"])
    if got in date_readings(v):
        return True
    mod = v.get("mod")
    # open ranges: the peer names the point excluded (before/after) or included (since/until);
    # the record carries the point it read (anchor_start..anchor_end) and which side is open
    a0, a1 = f.get("_anchor_start"), f.get("_anchor_end")
    if mod == "before" and f["start_date"] is None and a0:
        return v["start"] is None and _shift(v["end"], 1) == a0
    if mod == "after" and f["end_date"] is None and a1:
        return v["end"] is None and _shift(v["start"], -1) == a1
    if mod == "until" and f["start_date"] is None and a1:
        return v["start"] is None and v["end"] == a1
    if mod == "since" and a0:
        return v["end"] is None and v["start"] == a0 and f["start_date"] == a0
    return False


def eval_dates(case):
    if not day_level(case):
        return None
    ref = case.get("ref_date")
    issue = dt.date.fromisoformat(ref[:10]) if ref else None
    found = find_dates(case["input"], issue)
    return match_items(case["expected"], found, date_key), bool(found)


def eval_percent(case):
    found = [f for f in find_figures(case["input"]) if f["kind"] == "percent"]
    ok = match_items(case["expected"], found, lambda e, f: same(e["value_norm"]["amount"], f["value"]))
    return ok, bool(found)


def eval_dimension(case):
    found = [f for f in find_figures(case["input"]) if f["kind"] == "quantity"]

    def key(e, f):
        v = e["value_norm"]
        conv = _unit_factor(RT_UNITS.get(v["unit"], ""))
        if conv is None:
            return False
        unit, factor = conv
        return unit == f["unit"] and same(v["amount"] * factor, f["value"])
    return match_items(case["expected"], found, key), bool(found)


EVALUATORS = {
    "cn2an.jsonl": (eval_cn2an, "peer_numerals.cn2an / find_numbers"),
    "rt_number.jsonl": (eval_number, "peer_numerals.find_numbers"),
    "rt_number_range.jsonl": (eval_range, "peer_numerals.find_ranges"),
    "rt_currency.jsonl": (eval_currency, "find_figures (money)"),
    "rt_percent.jsonl": (eval_percent, "find_figures (percent)"),
    "rt_dimension.jsonl": (eval_dimension, "find_figures (quantity)"),
    "duckling_number_zh.jsonl": (eval_number, "peer_numerals.find_numbers"),
    "duckling_money_zh.jsonl": (eval_money, "find_figures (money)"),
    "rt_datetime.jsonl": (eval_dates, "find_dates (day-level)"),
    "duckling_time_zh.jsonl": (eval_dates, "find_dates (day-level)"),
}
# files whose bar is on every evaluable case, not only the newspaper-relevant ones
ALL_CASES = {"rt_datetime.jsonl", "duckling_time_zh.jsonl", "duckling_money_zh.jsonl",
             "duckling_number_zh.jsonl", "rt_currency.jsonl"}


def _share(r, n):
    return f"{r / n:6.1%}" if n else "     -"


def evaluate(peers: Path, failures: list | None = None) -> list[dict]:
    excepted = _exceptions()
    rows = []
    for name in FILES:
        path = Path(peers) / name
        if not path.exists():
            continue
        fn, api = EVALUATORS[name]
        n = right = neg = neg_hit = rel_neg_hit = exc = 0
        by_rel = {k: [0, 0] for k in ("high", "medium", "low")}
        allc = [0, 0]
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            case = json.loads(line)
            res = fn(case)
            if res is None:
                continue
            if case["id"] in excepted:
                exc += 1
                continue
            ok, found_any = res
            if case["expected"] == []:
                neg += 1
                if found_any:
                    neg_hit += 1
                    rel_neg_hit += relevant(case)
                    if failures is not None:
                        failures.append((name, "NEG", case["id"], case["input"]))
            allc[0] += 1
            allc[1] += ok
            rel = by_rel.setdefault(case.get("newspaper_relevance") or "low", [0, 0])
            rel[0] += 1
            rel[1] += ok
            if relevant(case):
                n += 1
                right += ok
            if not ok and failures is not None and case["expected"] != []:
                failures.append((name, "MISS", case["id"], case["input"]))
        scored_all = name in ALL_CASES
        rows.append({"file": name, "api": api, "relevant": n, "right": right,
                     "share": (allc[1] / allc[0] if allc[0] else 1.0) if scored_all
                     else (right / n if n else 1.0),
                     "scope": "all" if scored_all else "relevant",
                     "all": allc, "by_relevance": by_rel, "exceptions": exc, "negatives": neg,
                     "negatives_matched": neg_hit, "relevant_negatives_matched": rel_neg_hit})
    return rows


def seed_examples() -> tuple[int, int]:
    """(passed, total) of the rules' own examples (the seed pages' cases) for figures and dates."""
    sys.path.insert(0, str(ROOT / "tests"))
    from baozhi.resources import ruleset
    from rule_examples import check
    passed = total = 0
    for ex in ruleset.examples():
        if ex.layer in ("figures", "dates"):
            total += 1
            passed += not check(ex)
    return passed, total


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("peers", nargs="?", default=str(ROOT.parent / "shared" / "peers"))
    ap.add_argument("--show-failures", action="store_true")
    args = ap.parse_args(argv)
    failures = [] if args.show_failures else None
    rows = evaluate(Path(args.peers), failures)
    print(f"{'file':25s} {'evaluated against':36s} {'all':>6s} {'cases':>6s} "
          f"{'relevant':>8s} {'high':>6s} {'medium':>6s} {'low':>6s} {'neg':>4s} {'neg hit':>7s} {'except':>6s}")
    for r in rows:
        a, b = r["all"], r["by_relevance"]
        print(f"{r['file']:25s} {r['api']:36s} {_share(a[1], a[0])} {a[0]:6d} "
              f"{_share(r['right'], r['relevant']):>8s} {_share(b['high'][1], b['high'][0])} "
              f"{_share(b['medium'][1], b['medium'][0])} {_share(b['low'][1], b['low'][0])} "
              f"{r['negatives']:4d} {r['negatives_matched']:7d} {r['exceptions']:6d}")
    passed, total = seed_examples()
    if total:
        print(f"{'seed-page rule examples':25s} {'figures + dates':36s} {_share(passed, total)} {total:6d}")
    if failures:
        print()
        for f in failures:
            print(*f, sep="\t")
    return 0


if __name__ == "__main__":
    sys.exit(main())
