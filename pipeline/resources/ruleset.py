"""Load the data files under ``rules/`` once per process.

Rules are data: patterns, units, hedge words, date words, aliases and word lists live in
``rules/`` as YAML, TOML or TSV. Python modules ask this module for them by path
(``load("figures/units.yaml")``) and get the parsed content, cached for the life of the
process. ``version()`` is a hash over every rules file and every shipped model, used by
batch runs to decide when everything must be redone.

Examples: any YAML mapping in a rules file may carry ``examples:`` (a list of
``{text, expect, ...}``); ``examples()`` walks every file and yields them so that one test
runner turns all of them into tests. A TSV file keeps its examples in a sibling
``<name>.examples.yaml``.
"""
from __future__ import annotations

import csv
import functools
import hashlib
import io
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import yaml

PACKAGE_DIR = Path(__file__).resolve().parent.parent      # the ``baozhi`` package
MODELS_DIR = PACKAGE_DIR / "models"


def rules_dir() -> Path:
    """Where the rules live: $BAOZHI_RULES, else the package's own ``baozhi/rules`` (an
    installed wheel), else ``rules/`` beside ``pipeline/`` (a checkout: setuptools maps
    ``baozhi.rules`` to the top-level ``rules/`` folder)."""
    env = os.environ.get("BAOZHI_RULES")
    if env:
        return Path(env)
    inside = PACKAGE_DIR / "rules"
    return inside if inside.is_dir() else PACKAGE_DIR.parent / "rules"


class RulesError(Exception):
    """A rules file is missing or malformed; the message names the file."""


@functools.cache
def load(name: str) -> Any:
    """Parse ``rules/<name>`` (YAML, TOML or TSV) once and return its content.

    TSV files become a list of dicts keyed by the header line; lines starting with ``#``
    and blank lines are skipped.
    """
    path = rules_dir() / name
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise RulesError(f"rules file not found: {path}") from exc
    try:
        if path.suffix in (".yaml", ".yml"):
            return _yaml(name, raw)
        if path.suffix == ".toml":
            return tomllib.loads(raw)
        if path.suffix in (".tsv", ".txt"):
            return _parse_tsv(raw) if path.suffix == ".tsv" else _parse_lines(raw)
    except (yaml.YAMLError, tomllib.TOMLDecodeError, ValueError) as exc:
        raise RulesError(f"{path}: {exc}") from exc
    raise RulesError(f"{path}: unknown rules format {path.suffix!r}")


def _yaml(name: str, raw: str) -> Any:
    """A YAML rules file's content, parsed by libyaml's parser where there is one (the
    pure-Python one takes seconds at every start; the same safe constructor either way) and
    kept on disk (``diskcache``) under the file's bytes and PyYAML's version: building the
    Python objects of the parsed YAML costs ~10x more than unpickling them. A file that does
    not parse raises here every time (a failure is never kept)."""
    from baozhi.resources import diskcache

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    key = (hashlib.sha256(raw.encode("utf-8")).hexdigest(), yaml.__version__, loader.__name__)
    return diskcache.cached("rules-" + name.replace("/", "~"), key,
                            lambda: yaml.load(raw, Loader=loader))


def _parse_tsv(raw: str) -> list[dict[str, str]]:
    lines = [ln for ln in raw.splitlines() if ln.strip() and not ln.startswith("#")]
    if not lines:
        return []
    reader = csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t", quoting=csv.QUOTE_NONE)
    return [{k: (v or "").strip() for k, v in row.items() if k is not None} for row in reader]


def _parse_lines(raw: str) -> list[str]:
    return [ln.strip() for ln in raw.splitlines() if ln.strip() and not ln.startswith("#")]


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("."))


@functools.cache
def version() -> str:
    """A short hash of every rules file and every shipped model: changes when any changes."""
    h = hashlib.sha256()
    for root in (rules_dir(), MODELS_DIR):
        if not root.exists():
            continue
        for p in _files(root):
            h.update(str(p.relative_to(root)).encode())
            h.update(b"\0")
            h.update(p.read_bytes())
            h.update(b"\0")
    return h.hexdigest()[:16]


@dataclass(frozen=True)
class Example:
    file: str          # path relative to rules/
    layer: str         # which layer the example exercises
    index: int
    case: dict         # {text, expect?, absent?, issue_date?, home?, ...}

    @property
    def id(self) -> str:
        return f"{self.file}#{self.index}:{str(self.case.get('text', ''))[:24]}"


def _walk_examples(node: Any) -> Iterator[dict]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "examples" and isinstance(value, list):
                yield from (v for v in value if isinstance(v, dict))
            else:
                yield from _walk_examples(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk_examples(item)


def examples() -> Iterator[Example]:
    """Every example in every rules file. A file's layer is its ``layer:`` key, else its
    top folder under ``rules/`` (``rules/figures/units.yaml`` -> ``figures``)."""
    root = rules_dir()
    for path in _files(root):
        if path.suffix not in (".yaml", ".yml"):
            continue
        rel = str(path.relative_to(root))
        data = load(rel)
        default_layer = data.get("layer") if isinstance(data, dict) else None
        if default_layer is None:
            parts = Path(rel).parts
            default_layer = parts[0] if len(parts) > 1 else Path(rel).stem.split(".")[0]
        for i, case in enumerate(_walk_examples(data)):
            yield Example(rel, case.get("layer", default_layer), i, case)
