from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = Path(os.environ.get("BAOZHI_SHARED", ROOT.parent / "shared"))
# evaluation code (scripts/ner_eval.py) lives outside the runtime package
sys.path.insert(0, str(ROOT / "scripts"))


def corpus_page(stem: str) -> Path:
    """A bundled page by the start of its name (``"000"``)."""
    (path,) = sorted(CORPUS.glob(f"{stem}*.txt"))
    return path


def plain_viterbi(trans, scores, labels: list[str]) -> list[str]:
    """The reference Viterbi of one chunk (scores [positions, labels], transitions [from, to]):
    ties go to the lower label at every step and at the end (``argmax``), as crfsuite's."""
    import numpy as np

    alpha, back = scores[0].copy(), []
    for t in range(1, len(scores)):
        sums = alpha[:, None] + trans                        # [from, to]
        best = sums.argmax(axis=0)
        back.append(best)
        alpha = sums[best, np.arange(len(labels))] + scores[t]
    y = [int(alpha.argmax())]
    for b in reversed(back):
        y.append(int(b[y[-1]]))
    return [labels[i] for i in reversed(y)]


@pytest.fixture
def shared() -> Path:
    """``../shared``; tests that need it skip where it is absent, as on a user's machine."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not here")
    return SHARED


def clean_env() -> dict:
    """The environment of a user's shell: no rules folder or import path of ours forced."""
    env = {k: v for k, v in os.environ.items() if k not in ("BAOZHI_RULES", "PYTHONPATH")}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


@pytest.fixture(scope="session")
def corpus_out(tmp_path_factory) -> Path:
    """One `baozhi run` of the whole corpus, shared by the tests that only read its tables
    (and the wheel test, which compares them with an installed wheel's)."""
    from baozhi.apps.cli import main

    out = tmp_path_factory.mktemp("corpus-out")
    assert main(["run", str(CORPUS), "--out", str(out), "--workers", "1"]) == 0
    return out
