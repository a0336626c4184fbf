"""The tiers of docs/ARCHITECTURE.md, enforced: import-linter's contracts in pyproject.toml
(a layers contract over the tiers and no circles between siblings anywhere in the package),
imports inside functions included."""
from __future__ import annotations

import subprocess
import sys
import tomllib

from conftest import ROOT

PIPELINE = ROOT / "pipeline"


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]


def test_import_contracts_are_kept():
    code = ("import sys; from importlinter.cli import lint_imports; "
            "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout
    # both contracts ran (a contract dropped from the file would not be reported)
    assert {c["id"] for c in _config()["contracts"]} == {"tiers", "no-circles"}
    assert "KEPT" in run.stdout and run.stdout.count("KEPT") == 2


def test_every_tier_is_in_the_layers_contract():
    """A new top-level package under pipeline/ must be given its place in the tiers."""
    (tiers,) = [c for c in _config()["contracts"] if c["type"] == "layers"]
    listed = {name.removeprefix("baozhi.") for name in tiers["layers"]}
    folders = {p.parent.name for p in PIPELINE.glob("*/__init__.py")}
    assert folders == listed
