"""The wheel alone carries the code, the rules, the model and the report's templates.

The wheel is built (``python -m build --wheel --no-isolation``) from a copy of the checkout and
installed into a new virtual environment outside it. That environment reaches the
dependencies (spaCy, jieba …) already installed here through a ``.pth`` line added after the
install, which names only the site-packages folders (``.pth`` files there, such as the
editable install's, are not run), so ``baozhi`` can only come from the wheel. From another
folder it then runs ``baozhi run`` on a copy of ``corpus/``: the tables must be byte-identical
to the checkout's (the session's ``corpus_out``), and ``baozhi report`` must render them.
"""
from __future__ import annotations

import json
import shutil
import site
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

from baozhi import __version__
from conftest import CORPUS, ROOT, clean_env

PIPELINE = ROOT / "pipeline"
RULES = ROOT / "rules"
TABLE_FILES = [f"{t}.{ext}" for t in ("articles", "entities", "figures", "dates", "targets", "errors")
               for ext in ("csv", "jsonl")]


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")
            and p.suffix != ".pyc"}


def test_pyproject_lists_every_package():
    """setuptools' package list is explicit (baozhi -> pipeline/): a new subpackage must be in it."""
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert cfg["package-dir"] == {"baozhi": "pipeline", "baozhi.rules": "rules"}
    found = {"baozhi." + ".".join(p.parent.relative_to(PIPELINE).parts) if p.parent != PIPELINE
             else "baozhi" for p in PIPELINE.rglob("__init__.py")}
    assert found | {"baozhi.rules"} == set(cfg["packages"])


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("src")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build", "dist")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    for name in ("pipeline", "rules", "tests", "scripts"):     # tests/scripts: to see they stay out
        shutil.copytree(ROOT / name, src / name, ignore=ignore)
    dist = tmp_path_factory.mktemp("dist")
    run = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
                          str(dist), str(src)], cwd=src, env=clean_env(), capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    (whl,) = dist.glob("baozhi-*.whl")
    return whl


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A new virtual environment with the wheel installed (and nothing of the checkout)."""
    env_dir = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True, timeout=120)
    py = env_dir / "bin" / "python"
    run = subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps",
                          "--no-index", "--quiet", str(wheel)], env=clean_env(), capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    purelib = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], *site.getsitepackages()}
    assert str(ROOT) not in ours
    (Path(purelib) / "_baozhi_test_dependencies.pth").write_text(
        "\n".join(sorted(ours)) + "\n", encoding="utf-8")
    return env_dir


@pytest.fixture
def elsewhere(tmp_path) -> Path:
    """A folder outside the checkout, with a copy of the corpus."""
    shutil.copytree(CORPUS, tmp_path / "corpus")
    return tmp_path


def test_wheel_holds_code_rules_and_model_and_nothing_else(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    package = {n.removeprefix("baozhi/") for n in names if n.startswith("baozhi/")}
    ours = _files(PIPELINE)            # code, model, the report's templates: every file
    assert ours <= package, f"not in the wheel: {sorted(ours - package)}"
    rules = {f"rules/{p}" for p in _files(RULES)}       # every rules file, of any type
    assert rules <= package, f"not in the wheel: {sorted(rules - package)}"
    models = {p for p in _files(PIPELINE) if p.startswith("models/")}
    assert {"models/ner.crfsuite", "models/ner.json"} <= models <= package
    tops = {n.split("/")[0] for n in names}
    assert tops == {"baozhi", f"baozhi-{__version__}.dist-info"}
    assert not [n for n in names if "/tests/" in n or "/scripts/" in n or n.endswith(".pyc")]
    assert "Name: baozhi" in zipfile.ZipFile(wheel).read(
        f"baozhi-{__version__}.dist-info/METADATA").decode()


def test_installed_wheel_is_baozhi_and_only_baozhi(venv, elsewhere):
    py = str(venv / "bin" / "python")
    where = subprocess.run([py, "-c", "import baozhi, baozhi.resources.ruleset as r; "
                            "print(baozhi.__file__); print(r.rules_dir()); print(r.MODELS_DIR)"],
                           cwd=elsewhere, env=clean_env(), capture_output=True, text=True, check=True)
    for line in where.stdout.splitlines():
        assert Path(line).resolve().is_relative_to(venv.resolve()), line
    gone = subprocess.run([py, "-c", "import pipeline"], cwd=elsewhere, env=clean_env(),
                          capture_output=True, text=True)
    assert gone.returncode == 1 and "ModuleNotFoundError: No module named 'pipeline'" in gone.stderr
    version = subprocess.run([str(venv / "bin" / "baozhi"), "--version"], cwd=elsewhere,
                             env=clean_env(), capture_output=True, text=True, check=True)
    assert version.stdout.strip() == f"baozhi {__version__}"


def test_installed_wheel_annotates_a_figure(venv, elsewhere):
    line = json.dumps({"id": "a", "text": "总投资24.7亿元的项目，年内新增投资30亿元以上"}, ensure_ascii=False)
    out = subprocess.run([str(venv / "bin" / "baozhi"), "annotate", "--layers", "figures"],
                         input=line + "\n", cwd=elsewhere, env=clean_env(), capture_output=True,
                         text=True, encoding="utf-8", check=True, timeout=300)
    (rec,) = [json.loads(x) for x in out.stdout.splitlines()]
    figs = {f["text"]: f for f in rec["figures"]}
    assert figs["24.7亿元"]["value"] == 2.47e9 and figs["24.7亿元"]["unit"] == "CNY"
    assert figs["30亿元以上"]["approx"] == "at_least"


def test_installed_wheel_writes_the_checkouts_tables(venv, elsewhere, corpus_out):
    run = subprocess.run([str(venv / "bin" / "baozhi"), "run", "corpus", "--out", "tables"],
                         cwd=elsewhere, env=clean_env(), capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    for name in TABLE_FILES:
        ours, theirs = (corpus_out / name).read_bytes(), (elsewhere / "tables" / name).read_bytes()
        assert ours == theirs, name
    assert (elsewhere / "tables" / "baozhi.sqlite").stat().st_size > 0
    # the report's templates are package files too
    report = subprocess.run([str(venv / "bin" / "baozhi"), "report", "--out", "tables", "--html", "r.html"],
                            cwd=elsewhere, env=clean_env(), capture_output=True, text=True, timeout=600)
    assert report.returncode == 0, report.stderr[-3000:]
    assert "24.7" in (elsewhere / "r.html").read_text(encoding="utf-8")
    assert (corpus_out / "figures.csv").read_text(encoding="utf-8-sig").count("\n") > 100
