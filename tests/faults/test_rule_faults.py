"""Broken rules (issue 13): they are checked before any page is touched. A rules file that
does not parse, a pattern that does not compile, an unknown unit kind or a factor that is no
number stops `baozhi run` (exit 2) and `baozhi annotate` (exit 2) with a message naming
file, line and rule; the output folder, its tables and saved page results are unchanged."""
from __future__ import annotations

import io
import sys

import pytest

from baozhi.apps.cli import main
from baozhi.layers import rulecheck
from baozhi.resources import validate
from faultkit import PAGE, clear_rule_caches, folder, rules, run_cli, snapshot, table  # noqa: F401 - rules: a fixture


@pytest.fixture
def good_run(tmp_path, capfd):
    """A folder and an output folder holding a good run's tables (with the shipped rules)."""
    src = folder(tmp_path, {"p.txt": PAGE})
    out = tmp_path / "out"
    assert run_cli(capfd, src, out)[0] == 0
    return src, out


def _edit(path, old: str, new: str) -> int:
    """Replace the first ``old`` in a rules file; returns its line number."""
    text = path.read_text(encoding="utf-8")
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return text.count("\n", 0, at) + 1


def _breaks(good_run, rules, capfd, says: list[str]) -> str:
    src, out = good_run
    before = snapshot(out)
    clear_rule_caches()
    code, err = run_cli(capfd, src, out)
    assert code == 2, err
    for s in says:
        assert s in err, err
    assert "no page was read" in err and "Traceback" not in err
    assert snapshot(out) == before        # tables, manifest and saved page results
    return err


def test_a_yaml_file_that_does_not_parse(good_run, rules, capfd):
    path = rules / "figures" / "ranges.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    n = next(i for i, ln in enumerate(lines) if ln and not ln.startswith((" ", "#")))
    lines.insert(n, "bad: [unclosed, x")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _breaks(good_run, rules, capfd, ["figures/ranges.yaml:", "YAML does not parse",
                                     f"(while parsing a flow sequence at line {n + 1})"])


def test_a_regex_that_does_not_compile_names_file_line_and_rule(good_run, rules, capfd):
    path = rules / "dates" / "dates.yaml"
    text = path.read_text(encoding="utf-8")
    at = text.index("not_after: '")
    line = text.count("\n", 0, at) + 1
    path.write_text(text[:at] + "not_after: '(?<=unclosed'" + text[text.index("\n", at):],
                    encoding="utf-8")
    err = _breaks(good_run, rules, capfd, [f"dates/dates.yaml:{line}: rule patterns[",
                                           "not_after: pattern '(?<=unclosed' does not compile"])
    assert "missing )" in err or "unterminated" in err or "does not compile" in err


def test_an_unknown_unit_kind_names_the_line(good_run, rules, capfd):
    line = _edit(rules / "figures" / "units.tsv", "吨\tquantity", "吨\tmass")
    _breaks(good_run, rules, capfd, [f"figures/units.tsv:{line}: unit '吨': unknown kind 'mass'",
                                     "kinds are money, percent, quantity, count, magnitude"])


def test_a_factor_that_is_no_number_names_the_line(good_run, rules, capfd):
    path = rules / "figures" / "units.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()
    n = next(i for i, ln in enumerate(lines) if ln.startswith("公里\t"))
    parts = lines[n].split("\t")
    parts[3] = "一千"
    lines[n] = "\t".join(parts)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _breaks(good_run, rules, capfd, [f"figures/units.tsv:{n + 1}: unit '公里': factor '一千' is not"])


def test_a_tsv_line_with_too_few_fields(good_run, rules, capfd):
    line = _edit(rules / "entities" / "bodies.tsv", "\n", "\n")  # keep the header line
    path = rules / "entities" / "bodies.tsv"
    path.write_text(path.read_text(encoding="utf-8") + "只有一列\n", encoding="utf-8")
    n = len(path.read_text(encoding="utf-8").splitlines())
    _breaks(good_run, rules, capfd, [f"entities/bodies.tsv:{n}: 1 tab-separated fields"])
    assert line


def test_a_reference_to_an_unknown_fragment(good_run, rules, capfd):
    path = rules / "dates" / "dates.yaml"
    text = path.read_text(encoding="utf-8")
    at = text.index("re: '")
    path.write_text(text[:at] + "re: '@nosuchfragment@" + text[at + len("re: '"):], encoding="utf-8")
    _breaks(good_run, rules, capfd, ["baozhi.layers.dates.dates._cfg", "KeyError", "nosuchfragment"])


def test_a_dates_needs_its_pattern_does_not_prove(good_run, rules, capfd):
    """A hand-written ``needs:`` that leaves out one of its pattern's alternatives (span's
    before review rev3 F5: no 日, so 近十日 was never found) stops the run, naming it."""
    _edit(rules / "dates" / "grammar.yaml", "  - name: span\n", "  - name: span\n    needs: \"天周期拜月年度\"\n")
    _breaks(good_run, rules, capfd, ["dates/grammar.yaml production span: needs '天周期拜月年度' is not held"])


def test_good_rules_in_baozhi_rules_keep_working(tmp_path, rules, capfd):
    src = folder(tmp_path, {"p.txt": PAGE})
    code, err = run_cli(capfd, src, tmp_path / "out")
    assert code == 0, err
    assert {f["text"] for f in table(tmp_path / "out", "figures")} >= {"24.7亿元"}


def test_annotate_with_broken_rules_says_so_and_writes_nothing(rules, capsys, monkeypatch):
    _edit(rules / "figures" / "units.tsv", "吨\tquantity", "吨\tmass")
    clear_rule_caches()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO('{"id":"a","text":"5吨"}\n'.encode())))
    assert main(["annotate"]) == 2
    got = capsys.readouterr()
    assert got.out == "" and "figures/units.tsv" in got.err and "unknown kind 'mass'" in got.err


def test_every_rules_builder_still_exists_and_the_shipped_rules_pass():
    assert len(rulecheck.builders()) == len(rulecheck.BUILDERS)
    assert validate.problems(rulecheck.builders()) == []


def test_every_cache_below_the_run_tier_is_a_listed_builder_or_said_not_to_be():
    """A new cached builder of patterns must be added to rulecheck.BUILDERS, or the check
    would not see its patterns before a run."""
    import importlib
    import inspect
    import pkgutil

    import baozhi

    found = set()
    for m in pkgutil.walk_packages(baozhi.__path__, "baozhi."):
        if not m.name.startswith(("baozhi.resources", "baozhi.stages", "baozhi.layers")):
            continue
        mod = importlib.import_module(m.name)
        for name, f in vars(mod).items():
            if hasattr(f, "cache_info") and getattr(f, "__module__", "") == m.name:
                params = inspect.signature(f).parameters.values()
                if all(p.default is not p.empty for p in params):
                    found.add(f"{m.name}:{name}")
    assert found - set(rulecheck.BUILDERS) - set(rulecheck.NOT_BUILDERS) == set()
