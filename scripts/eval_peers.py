"""Score the figures layer on other projects' test cases (``../shared/peers``).

    .venv/bin/python scripts/eval_peers.py [PEERS_DIR] [--show-failures]

Only cases a newspaper could print count towards the share: ``newspaper_relevance`` high or
medium and ``register`` not conversational. Negatives (``expected: []``) are counted over
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
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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
         "rt_percent.jsonl", "rt_dimension.jsonl"]


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
        if len(cur) == 3 and cur.isupper() and cur != f["unit"]:
            return False
        if v.get("amount") is not None:
            return same(v["amount"], f["value"])
        return same(v.get("low"), f["low"]) and same(v.get("high"), f["high"])
    return match_items(expected, found, key), bool(found)


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
}


def evaluate(peers: Path, failures: list | None = None) -> list[dict]:
    rows = []
    for name in FILES:
        path = Path(peers) / name
        if not path.exists():
            continue
        fn, api = EVALUATORS[name]
        n = right = neg = neg_hit = rel_neg_hit = 0
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            case = json.loads(line)
            res = fn(case)
            if res is None:
                continue
            ok, found_any = res
            if case["expected"] == []:
                neg += 1
                if found_any:
                    neg_hit += 1
                    rel_neg_hit += relevant(case)
                    if failures is not None:
                        failures.append((name, "NEG", case["input"]))
            if relevant(case):
                n += 1
                right += ok
                if not ok and failures is not None and case["expected"] != []:
                    failures.append((name, "MISS", case["input"]))
        rows.append({"file": name, "api": api, "relevant": n, "right": right,
                     "share": right / n if n else 1.0, "negatives": neg,
                     "negatives_matched": neg_hit, "relevant_negatives_matched": rel_neg_hit})
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("peers", nargs="?", default=str(ROOT.parent / "shared" / "peers"))
    ap.add_argument("--show-failures", action="store_true")
    args = ap.parse_args(argv)
    failures = [] if args.show_failures else None
    rows = evaluate(Path(args.peers), failures)
    print(f"{'file':24s} {'evaluated against':36s} {'relevant':>8s} {'right':>6s} {'share':>7s} "
          f"{'negatives':>9s} {'matched':>7s} {'of them relevant':>16s}")
    for r in rows:
        print(f"{r['file']:24s} {r['api']:36s} {r['relevant']:8d} {r['right']:6d} {r['share']:7.1%} "
              f"{r['negatives']:9d} {r['negatives_matched']:7d} {r['relevant_negatives_matched']:16d}")
    if failures:
        print()
        for f in failures:
            print(*f, sep="\t")
    return 0


if __name__ == "__main__":
    sys.exit(main())
