"""Check the rules folder before any page is touched.

Entry point: ``check(builders=()) -> None``, raising ``ruleset.RulesError`` whose message
names every problem as ``FILE:LINE: what is wrong`` (``FILE`` relative to the rules folder,
``rules_dir()``, which honours ``$BAOZHI_RULES``):

1. every rules file parses (YAML and TOML with line and column; TSV lines with as many
   fields as the header);
2. per-file schemas: ``figures/units.tsv`` has the columns surface, kind, unit, factor; each
   kind is one of the contract's figure kinds, each factor a finite number (or
   ``discount``), each surface given once;
3. every pattern compiles: the ``builders`` (callables of the tiers above, which read the
   rules and compile their patterns, cached for the life of the process) are called with
   ``regex.compile`` and ``re.compile`` watched; a pattern that does not compile is traced
   back to the rules string it came from (file, line and key path). Any other failure of a
   builder (a missing key, a reference to an unknown fragment) is reported with the
   builder's name.
"""
from __future__ import annotations

import contextlib
import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

import regex
import yaml

from baozhi.resources import ruleset
from baozhi.resources.units import KINDS

UNIT_COLUMNS = ("surface", "kind", "unit", "factor")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    what: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.what}" if self.line else f"{self.file}: {self.what}"


# --------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class _Str:
    file: str
    line: int
    path: str
    value: str


def _yaml_strings(node, file: str, path: str = "") -> Iterator[_Str]:
    if isinstance(node, yaml.ScalarNode):
        if node.tag.endswith(":str"):
            yield _Str(file, node.start_mark.line + 1, path or "(top)", node.value)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _yaml_strings(item, file, f"{path}[{i}]")
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else "?"
            yield from _yaml_strings(value, file, f"{path}.{name}" if path else str(name))


def _check_file(root: Path, path: Path, strings: list[_Str]) -> list[Problem]:
    rel = path.relative_to(root).as_posix()
    try:
        raw = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return [Problem(rel, None, f"not UTF-8 (byte offset {exc.start})")]
    except OSError as exc:
        return [Problem(rel, None, f"cannot read: {exc.strerror or exc}")]
    if path.suffix in (".yaml", ".yml"):
        try:   # libyaml's parser where there is one: the pure-Python one takes seconds
            node = yaml.compose(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            col = f"column {mark.column + 1}: " if mark else ""
            ctx = (f" ({exc.context} at line {exc.context_mark.line + 1})"
                   if exc.context and exc.context_mark else "")
            return [Problem(rel, line, f"YAML does not parse: {col}{exc.problem or exc}{ctx}")]
        except yaml.YAMLError as exc:
            return [Problem(rel, None, f"YAML does not parse: {exc}")]
        if node is not None:
            strings.extend(_yaml_strings(node, rel))
        return []
    if path.suffix == ".toml":
        try:
            tomllib.loads(raw)
        except tomllib.TOMLDecodeError as exc:
            return [Problem(rel, getattr(exc, "lineno", None), f"TOML does not parse: {exc}")]
        return []
    if path.suffix == ".tsv":
        return _check_tsv(rel, raw)
    return []


def _tsv_lines(raw: str) -> Iterator[tuple[int, list[str]]]:
    for n, line in enumerate(raw.splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            yield n, line.split("\t")


def _check_tsv(rel: str, raw: str) -> list[Problem]:
    lines = list(_tsv_lines(raw))
    if not lines:
        return []
    (_, header), rows = lines[0], lines[1:]
    out = [Problem(rel, n, f"{len(f)} tab-separated fields, the header has {len(header)}")
           for n, f in rows if len(f) != len(header)]
    if rel == "figures/units.tsv":
        out += _check_units(rel, header, rows)
    return out


def _check_units(rel: str, header: list[str], rows) -> list[Problem]:
    header = [h.strip() for h in header]
    missing = [c for c in UNIT_COLUMNS if c not in header]
    if missing:
        return [Problem(rel, None, f"no column {', '.join(missing)} (the header must have "
                        f"{', '.join(UNIT_COLUMNS)})")]
    col = {c: header.index(c) for c in UNIT_COLUMNS}
    out, seen = [], {}
    for n, fields in rows:
        get = lambda c: fields[col[c]].strip() if col[c] < len(fields) else ""  # noqa: E731
        surface, kind, factor = get("surface"), get("kind"), get("factor")
        if not surface:
            out.append(Problem(rel, n, "empty surface"))
        elif surface in seen:
            out.append(Problem(rel, n, f"unit {surface!r} given twice (also line {seen[surface]})"))
        else:
            seen[surface] = n
        if kind not in KINDS:
            out.append(Problem(rel, n, f"unit {surface!r}: unknown kind {kind!r} "
                               f"(kinds are {', '.join(KINDS)})"))
        if factor != "discount":
            try:
                ok = math.isfinite(float(factor)) and float(factor) != 0
            except ValueError:
                ok = False
            if not ok:
                out.append(Problem(rel, n, f"unit {surface!r}: factor {factor!r} is not a "
                                   "finite non-zero number (or discount)"))
    return out


# --------------------------------------------------------------------------- patterns


class _BadPattern(Exception):
    def __init__(self, pattern: str, error: Exception):
        super().__init__(str(error))
        self.pattern, self.error = pattern, error


@contextlib.contextmanager
def _watch_compile():
    """``regex.compile``/``re.compile`` raising _BadPattern with the pattern that failed."""
    real = {regex: regex.compile, re: re.compile}

    def wrap(mod):
        def compile_(pattern, *args, **kwargs):
            try:
                return real[mod](pattern, *args, **kwargs)
            except (regex.error, re.error) as exc:
                raise _BadPattern(str(pattern), exc) from None
        return compile_

    regex.compile, re.compile = wrap(regex), wrap(re)
    try:
        yield
    finally:
        regex.compile, re.compile = real[regex], real[re]


def _compiles(s: str) -> bool:
    try:
        regex.compile(s)
        return True
    except (regex.error, re.error, ValueError, TypeError):
        return False


def _trace(bad: _BadPattern, strings: list[_Str]) -> Problem:
    """The rules string a failing pattern came from: one that is inside the pattern and
    does not compile alone, else the longest one inside it."""
    inside = [s for s in strings if len(s.value) >= 2 and s.value in bad.pattern]
    culprits = [s for s in inside if not _compiles(s.value)] or \
        sorted(inside, key=lambda s: len(s.value), reverse=True)[:1]
    if culprits:
        s = culprits[0]
        return Problem(s.file, s.line, f"rule {s.path}: pattern {_short(s.value)} does not "
                       f"compile: {bad.error}")
    return Problem("(rules)", None, f"pattern {_short(bad.pattern)} does not compile: {bad.error}")


def _short(s: str, n: int = 60) -> str:
    return repr(s if len(s) <= n else s[:n] + "…")


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")
                  and p.suffix in (".yaml", ".yml", ".toml", ".tsv", ".txt"))


def problems(builders: Iterable[Callable[[], object]] = ()) -> list[Problem]:
    """Every problem of the rules folder (empty when the rules are good)."""
    root = ruleset.rules_dir()
    if not root.is_dir():
        return [Problem(str(root), None, "no such rules folder")]
    strings: list[_Str] = []
    out: list[Problem] = []
    for path in _files(root):
        out += _check_file(root, path, strings)
    if out:   # builders would only fail again on files that do not parse
        return out
    for build in builders:
        try:
            with _watch_compile():
                build()
        except _BadPattern as exc:
            out.append(_trace(exc, strings))
        except ruleset.RulesError as exc:
            out.append(Problem("(rules)", None, str(exc)))
        except Exception as exc:  # noqa: BLE001 - a rules file of the wrong shape
            name = getattr(build, "__qualname__", repr(build))
            mod = getattr(build, "__module__", "")
            out.append(Problem("(rules)", None, f"{mod}.{name}: the rules it reads are not as "
                               f"expected: {type(exc).__name__}: {exc}"))
    return out


_PASSED: set[tuple[str, str]] = set()    # (rules folder, version) checked in this process


def check(builders: Iterable[Callable[[], object]] = ()) -> None:
    """Raise RulesError naming every problem of the rules folder (once per rules version
    and process: a folder that passed is not read again until a file changes)."""
    seen = (str(ruleset.rules_dir()), ruleset.version())
    if seen in _PASSED:
        return
    found = problems(builders)
    if not found:
        _PASSED.add(seen)
    if found:
        root = ruleset.rules_dir()
        lines = "\n  ".join(str(p) for p in found)
        raise ruleset.RulesError(f"bad rules in {root}:\n  {lines}")
