"""Check one example of ``rules/`` against what the pipeline gives.

Used by the one test runner (``tests/test_rule_examples.py``) and by ``baozhi check``-style
scripts. An example is ``{text, expect?, absent?, exact?, issue_date?, home?}`` plus
layer-specific keys (``expect_text`` for repair, ``expect_sentences``/``expect_tokens`` for
segment, ``expect_articles`` for articles, ``expect_page`` for ingest; ``surface``, ``label``,
``context`` and a single partial record ``expect`` for names).

``expect`` lists partial records: each must match some output record on every field it
gives (numbers to a relative 1e-9; ``null`` matches None). ``expect: []`` means the layer
finds nothing; ``absent`` lists partial records none may match; ``exact: true`` asks for
exactly as many records as expected.

Keys are checked before anything runs: an example with a key its layer does not know (a
misspelled ``expected:`` for ``expect:``) or with nothing to check fails, naming its file
and index, instead of passing without checking anything.
"""
from __future__ import annotations

import math
from typing import Any

from baozhi.resources import ruleset


def _same(want: Any, got: Any) -> bool:
    if want is None:
        return got is None
    if isinstance(got, bool) or isinstance(want, bool):
        return want == got
    if isinstance(got, (int, float)) and not isinstance(want, (list, dict)):
        try:
            return math.isclose(float(want), float(got), rel_tol=1e-9, abs_tol=1e-12)
        except (TypeError, ValueError):
            return False
    if isinstance(want, list) and isinstance(got, (list, tuple)):
        return len(want) == len(got) and all(_same(w, g) for w, g in zip(want, got))
    if hasattr(want, "isoformat"):
        want = want.isoformat()
    if hasattr(got, "isoformat"):
        got = got.isoformat()
    return want == got


def matches(want: dict, got: dict) -> bool:
    return all(_same(v, got.get(k)) for k, v in want.items())


def problems(records: list[dict], case: dict) -> list[str]:
    """What is wrong with ``records`` for this example (empty when it passes)."""
    out = []
    expect = case.get("expect")
    if expect is not None:
        if expect == [] and records:
            out.append(f"expected nothing, got {[r.get('text') for r in records]}")
        for want in expect:
            if not any(matches(want, r) for r in records):
                near = [r for r in records if r.get("text") == want.get("text")] or records
                out.append(f"missing {want}; got {near}")
        if case.get("exact") and len(records) != len(expect):
            out.append(f"expected {len(expect)} records, got {len(records)}: "
                       f"{[r.get('text') for r in records]}")
    for unwanted in case.get("absent") or []:
        hits = [r for r in records if matches(unwanted, r)]
        if hits:
            out.append(f"should not find {unwanted}; got {hits}")
    return out


# per layer: the keys an example may have, and the keys of which it needs at least one
# (what it checks); every other layer goes through annotate (figures, dates, targets, ...)
_RECORDS = {"expect", "absent", "exact"}
KEYS: dict[str, tuple[set[str], set[str]]] = {
    "repair": ({"text", "expect_text"}, {"expect_text"}),
    "segment": ({"text", "expect_sentences", "expect_tokens"}, {"expect_sentences", "expect_tokens"}),
    "articles": ({"text", "expect_articles", "absent", "exact"}, {"expect_articles", "absent"}),
    "ingest": ({"name", "expect_page"}, {"expect_page"}),
    "names": ({"surface", "label", "home", "context", "expect"}, {"expect"}),
    "numbers": ({"text"} | _RECORDS, {"expect", "absent"}),
    "ranges": ({"text"} | _RECORDS, {"expect", "absent"}),
}
ANNOTATE_KEYS = ({"text", "issue_date", "home"} | _RECORDS, {"expect", "absent"})


def key_problems(ex: ruleset.Example) -> list[str]:
    """Unknown keys, or no key that checks anything: each message names file and example."""
    known, checks = KEYS.get(ex.layer, ANNOTATE_KEYS)
    where = f"{ex.file} example #{ex.index} ({str(ex.case.get('text', ex.case.get('surface', '')))[:24]!r})"
    out = [f"{where}: unknown key {k!r} for layer {ex.layer!r}; known: {sorted(known | {'layer'})}"
           for k in ex.case if k not in known and k != "layer"]
    if not checks & set(ex.case):
        out.append(f"{where}: checks nothing; give one of {sorted(checks)}")
    return out


def check(ex: ruleset.Example) -> list[str]:
    bad = key_problems(ex)
    if bad:
        return bad
    case, layer = ex.case, ex.layer
    text = case.get("text", "")
    if layer == "repair":
        from baozhi.stages.repair import repair
        got = repair(text).text
        return [] if got == case["expect_text"] else [f"repaired to {got!r}"]
    if layer == "segment":
        from baozhi.frame.language import segment
        doc = segment(text)
        out = []
        if "expect_sentences" in case:
            got = [s.text.strip() for s in doc.sents]
            if got != case["expect_sentences"]:
                out.append(f"sentences {got}")
        if "expect_tokens" in case:
            got = [t.text for t in doc]
            if got != case["expect_tokens"]:
                out.append(f"tokens {got}")
        return out
    if layer == "articles":
        from baozhi.stages.articles import split_articles
        from baozhi.stages.repair import repair
        arts = [a.as_row() for a in split_articles(repair(text))]
        return problems(arts, {"expect": case.get("expect_articles"), **{
            k: v for k, v in case.items() if k in ("absent", "exact")}})
    if layer == "ingest":
        from baozhi.stages.ingest import page_info_from_name
        got = page_info_from_name(case["name"])
        return problems([got], {"expect": [case["expect_page"]]})
    if layer == "names":
        from baozhi.layers.entities.names import resolve
        got = resolve(case["surface"], case.get("label", "LOC"), case.get("home"),
                      case.get("context", ""))
        return problems([got], {"expect": [case["expect"]]})
    if layer in ("numbers", "ranges"):
        from peer_numerals import find_numbers, find_ranges
        return problems((find_numbers if layer == "numbers" else find_ranges)(text), case)
    from baozhi.apps.annotate import annotate_record, parse_date
    out = annotate_record({"id": ex.id, "text": text}, issue_date=parse_date(
        str(case["issue_date"]) if case.get("issue_date") else None),
        home=case.get("home"), layers=[layer])
    if "error" in out:
        return [out["error"]]
    return problems(out[layer], case)
