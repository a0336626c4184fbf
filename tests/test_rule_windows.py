"""Windows come from the rules files: how far a rule looks is set by the data it looks for
(or by a named setting beside it), so a longer word added there is found. Each test runs the
rule in a fresh process on a copy of ``rules/`` (``BAOZHI_RULES``), as shipped and changed."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from baozhi.resources import ruleset

HOME = "山西省太原市"


def _spans(tmp_path, code: str, edits: dict[str, tuple[str, str]] | None = None) -> list:
    """What ``code`` prints (JSON) run against a copy of the rules, with ``edits``
    ({file: (old, new)}) made in the copy."""
    rules = tmp_path / "rules"
    shutil.copytree(ruleset.rules_dir(), rules)
    for name, (old, new) in (edits or {}).items():
        path = rules / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                         env={**os.environ, "BAOZHI_RULES": str(rules)})
    return json.loads(out.stdout.strip().splitlines()[-1])


INFRA = f"""
import json
from baozhi.layers.entities import features as nf, ner_rules as r
text = "规划建设京昆太焦呼南高铁。"
print(json.dumps([text[s:e] for s, e, _, _ in r.infrastructure_spans(text, nf.tokenize(text), "{HOME}")],
                 ensure_ascii=False))
"""


def test_a_railways_head_runs_as_long_as_places_yaml_allows(tmp_path):
    assert _spans(tmp_path / "a", INFRA) == ["太焦呼南高铁"]
    assert _spans(tmp_path / "b", INFRA, {"entities/places.yaml": (
        "head_chars: [2, 4]", "head_chars: [2, 4, 6]")}) == ["京昆太焦呼南高铁"]


BYLINE = """
import json
from baozhi.layers.entities import ner_rules as r
text = "检验训练成果。\\n\\n（张建国、李红梅、王志强、赵丽华、钱永刚、孙晓燕、周海涛、吴春生、郑国平、冯雪梅、陈立新）\\n"
print(json.dumps([text[s:e] for s, e, _, _ in r.byline_spans(text)], ensure_ascii=False))
"""


def test_a_byline_bracket_holds_as_many_names_as_bylines_yaml_allows(tmp_path):
    assert _spans(tmp_path / "a", BYLINE) == []        # 43 characters: more than bracket_chars
    got = _spans(tmp_path / "b", BYLINE, {"entities/bylines.yaml": (
        "bracket_chars: [2, 40]", "bracket_chars: [2, 60]")})
    assert got[0] == "张建国" and got[-1] == "陈立新" and len(got) == 11


SPACES = """
import json
from baozhi.stages.repair import repair
print(json.dumps([repair("山西转型综合改革 示范区建设加快推进。").text], ensure_ascii=False))
"""


def test_a_space_inside_a_longer_lexicon_word_goes_when_space_window_reaches_it(tmp_path):
    # 山西转型综合改革示范区 (lexicon.tsv) spans the space with 8 characters before it: more
    # than repair.yaml's space_window looks at
    assert _spans(tmp_path / "a", SPACES) == ["山西转型综合改革 示范区建设加快推进。"]
    assert _spans(tmp_path / "b", SPACES, {"repair/repair.yaml": (
        "space_window: 6", "space_window: 10")}) == ["山西转型综合改革示范区建设加快推进。"]
