"""Shared by the fault suite: a page folder in a temporary directory, a run through the
command as a user types it, and what the user sees (exit status, stderr, tables on disk)."""
from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

import pytest

from baozhi.apps.cli import main

# a short page: a headline, two paragraphs with figures, dates and a target
PAGE = ("太原市加快建设中厚板生产线\n\n"
        "本报讯 总投资24.7亿元的大钢中厚板生产线，预计今年10月底建设完毕。\n\n"
        "全市11月16日新签约项目35个，同比增长12.5%。\n")


def run_cli(capfd, src: Path, out: Path, *extra: str) -> tuple[int, str]:
    """``baozhi run SRC --out OUT --workers 1``: (exit status, what it printed on stderr)."""
    code = main(["run", str(src), "--out", str(out), "--workers", "1", *extra])
    return code, capfd.readouterr().err


def table(out: Path, name: str) -> list[dict]:
    path = out / f"{name}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def snapshot(out: Path) -> dict[str, str]:
    """sha256 of every file under ``out`` (the state included), by relative path."""
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file() and p.name != "lock"}


def folder(tmp_path: Path, pages: dict[str | bytes, bytes | str], name: str = "in") -> Path:
    """A page folder: file name (str, or raw bytes for a name that is not UTF-8) -> content."""
    src = tmp_path / name
    src.mkdir()
    for fname, content in pages.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        path = (bytes(src) + b"/" + fname) if isinstance(fname, bytes) else src / fname
        with open(path, "wb") as fh:
            fh.write(data)
    return src


def strict_json(line: str):
    """Parse as strict JSON: NaN and Infinity are refused."""
    def refuse(name):
        raise ValueError(f"not strict JSON: {name}")
    return json.loads(line, parse_constant=refuse)


assert sys.version_info >= (3, 11)


# caches that hold models, lexicons and automata, which the rules tests do not change:
# kept, so that each test does not load them again
_HEAVY = {"_tagger", "automata", "_known_people", "_common_words", "lexicon_automaton", "default"}


def clear_rule_caches() -> None:
    """Forget every rules file read and every pattern built from one (the ``functools``
    caches of the package below the spaCy frame), so the next use reads $BAOZHI_RULES."""
    for name, mod in list(sys.modules.items()):
        if not name.startswith("baozhi.") or name.startswith("baozhi.frame"):
            continue
        for attr, obj in list(vars(mod).items()):
            if hasattr(obj, "cache_clear") and getattr(obj, "__module__", None) == name \
                    and attr not in _HEAVY:
                obj.cache_clear()


@pytest.fixture
def rules(tmp_path, monkeypatch):
    """A copy of the shipped rules in $BAOZHI_RULES, to break (a fixture: import it by name)."""
    from baozhi.resources import ruleset

    root = tmp_path / "rules"
    shutil.copytree(ruleset.rules_dir(), root)
    monkeypatch.setenv("BAOZHI_RULES", str(root))
    clear_rule_caches()
    yield root
    clear_rule_caches()
