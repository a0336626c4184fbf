"""The Python API: ``baozhi.load()`` gives a spaCy Language whose components are real spaCy
factories (config, assigns/requires), whose tokenizer saves its lexicon, and which
``spacy.load`` reads back in a process that never imported baozhi (entry points)."""
from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import re
import subprocess
import sys
import textwrap
import tomllib

import pytest
import spacy
from spacy import displacy
from spacy.language import Language

import baozhi
from baozhi.apps.annotate import annotate_record
from baozhi.frame.language import JiebaTokenizer
from baozhi.layers import registry
from baozhi.resources.segmenter import Segmenter
from baozhi.stages.repair import repair
from conftest import ROOT

HOME = "山西省太原市"
ISSUE = dt.date(2022, 11, 18)
# phrases of corpus/000 and corpus/002 (太原日报)
TEXT = ("11月16日，省发改委公布《山西中部城市群产业协同发展专项规划》。市公安局政治部副主任张峰介绍，"
        "总投资24.7亿元的大钢中厚板生产线智能化升级项目进展顺利。到2025年，形成四大千亿级产业集群。")


@pytest.fixture(scope="module")
def nlp() -> Language:
    return baozhi.load(home=HOME)


def _annotated(nlp: Language, text: str = TEXT, issue_date=ISSUE):
    doc = nlp.make_doc(text)
    doc._.issue_date = issue_date
    return nlp(doc)


def _dump(doc) -> dict:
    """What a user reads off a Doc: every span's text, label and record."""
    out = {k: [[s.text, s.label_, s._.record] for s in doc.spans[k]] for k in doc.spans}
    out["ents"] = [[e.text, e.label_, e._.record] for e in doc.ents]
    return out


def test_import_baozhi_does_not_import_spacy():
    code = "import sys, baozhi; print('spacy' in sys.modules, callable(baozhi.load))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


def test_the_readme_example(nlp):
    assert isinstance(nlp, Language)
    assert nlp.pipe_names == ["baozhi_sentences", "baozhi_entities", "baozhi_dates",
                              "baozhi_figures", "baozhi_targets"]
    doc = _annotated(nlp)
    money = [s for s in doc.spans["figures"] if s.label_ == "money"]
    assert [s.text for s in money] == ["24.7亿元"]
    assert money[0]._.record["value"] == 2.47e9 and money[0]._.record["unit"] == "CNY"
    day = doc.spans["dates"][0]
    assert (day.text, day.label_, day._.record["start_date"], day._.record["end_date"]) == \
        ("11月16日", "day", "2022-11-16", "2022-11-16")
    ents = {e.text: (e.label_, e._.record["canonical"]) for e in doc.ents}
    assert ents["市公安局"] == ("ORG", "太原市公安局")
    assert ents["省发改委"] == ("ORG", "山西省发展和改革委员会")
    (target,) = doc.spans["targets"]
    rec = target._.record
    assert (target.text, target.label_, rec["deadline_start"], rec["deadline_end"]) == \
        ("到2025年，形成四大千亿级产业集群", "到", "2025-01-01", "2025-12-31")
    # a target names its figures by index into doc._.figures
    assert [doc._.figures[i]["text"] for i in rec["figures"]] == ["四大千亿级"]
    # offsets are into the text as given
    for key in ("figures", "dates", "targets"):
        for s in doc.spans[key]:
            r = s._.record
            assert TEXT[r["start"]:r["end"]] == r["text"]
    assert doc.text == TEXT


def test_span_records_are_what_baozhi_annotate_writes(nlp):
    """(The API takes the text as given; ``baozhi annotate`` repairs it first: on a text
    repair leaves alone they agree record for record.)"""
    assert repair(TEXT).text == TEXT
    doc = _annotated(nlp)
    line = annotate_record({"id": "x", "text": TEXT}, issue_date=ISSUE, home=HOME)
    for layer in registry.names():
        group = doc.ents if layer == "entities" else doc.spans[layer]
        assert [s._.record for s in group] == line[layer], layer


def test_the_issue_date_of_each_text(nlp):
    def first_day(doc):
        return doc.spans["dates"][0]._.record["start_date"]

    assert first_day(_annotated(nlp, "11月16日,省发改委公布规划。", "2021-11-18")) == "2021-11-16"
    # no issue date: a relative date stays null rather than guessed
    assert first_day(_annotated(nlp, "11月16日,省发改委公布规划。", None)) is None
    texts = [("11月16日,省发改委公布规划。", {"issue_date": "2020-11-18", "id": 7}),
             ("11月16日,市公安局通报。", {"issue_date": dt.date(2019, 11, 18), "id": 8})]
    got = [(first_day(doc), ctx["id"]) for doc, ctx in nlp.pipe(texts, as_tuples=True)]
    assert got == [("2020-11-16", 7), ("2019-11-16", 8)]
    # a default issue date in the component's config; the Doc's own wins
    dated = baozhi.load(home=HOME, issue_date="2018-11-18", layers=["dates"])
    assert dated.pipe_names == ["baozhi_sentences", "baozhi_dates"]
    assert first_day(dated("11月16日,省发改委公布规划。")) == "2018-11-16"
    assert first_day(_annotated(dated, "11月16日,省发改委公布规划。", "2017-11-18")) == "2017-11-16"
    with pytest.raises(ValueError, match="not a date"):
        _annotated(nlp, "11月16日", "16/11/2022")


def test_factories_have_config_assigns_and_requires_for_every_layer():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = pyproject["project"]["entry-points"]["spacy_factories"]
    for layer in registry.LAYERS:
        name = f"baozhi_{layer.name}"
        assert name in declared, f"{name} missing from pyproject's spacy_factories"
        meta = Language.get_factory_meta(name)
        assert f"doc._.{layer.name}" in meta.assigns and "doc.spans" in meta.assigns
        assert meta.requires == [f"doc._.{n}" for n in layer.needs]
        assert {"home", "issue_date"} <= set(meta.default_config)
    assert Language.get_factory_meta("baozhi_entities").default_config["finish"] is True
    assert "doc.ents" in Language.get_factory_meta("baozhi_entities").assigns
    assert Language.get_factory_meta("baozhi_entities").retokenizes
    assert Language.get_factory_meta("baozhi_sentences").assigns == ["token.is_sent_start"]


def test_targets_without_figures_and_dates_say_what_is_missing():
    nlp = spacy.blank("zh")
    nlp.add_pipe("baozhi_targets")
    assert nlp.analyze_pipes()["problems"]["baozhi_targets"] == ["doc._.figures", "doc._.dates"]
    with pytest.raises(ValueError, match="add baozhi_figures and baozhi_dates before it"):
        nlp("到2025年,形成四大千亿级产业集群。")
    nlp.add_pipe("baozhi_entities", before="baozhi_targets")
    nlp.add_pipe("baozhi_dates", before="baozhi_targets")
    nlp.add_pipe("baozhi_figures", before="baozhi_targets")   # needs entities and dates
    assert nlp.analyze_pipes()["problems"]["baozhi_targets"] == []
    doc = nlp("到2025年,形成四大千亿级产业集群。")
    assert [s.text for s in doc.spans["targets"]] == ["到2025年,形成四大千亿级产业集群"]


def test_someone_elses_blank_chinese_gets_whole_names():
    """spaCy's own zh tokenizer cuts characters; the entity layer then segments the text
    itself, so 太原市公安局 stays one organisation (not 太原市 or 市公安局)."""
    nlp = spacy.blank("zh")
    nlp.add_pipe("baozhi_entities", config={"home": HOME})
    doc = nlp("太原市公安局全面强化体技能练兵工作正式启动。市公安局政治部副主任张峰介绍。")
    assert [(e.text, e.label_, e._.record["canonical"]) for e in doc.ents] == [
        ("太原市公安局", "ORG", "太原市公安局"), ("市公安局", "ORG", "太原市公安局"),
        ("张峰", "PER", None)]
    # a Doc's own home wins over the config's
    doc = nlp.make_doc("市公安局政治部副主任张峰介绍。")
    doc._.home = "北京市"
    assert [(e.text, e._.record["canonical"]) for e in nlp(doc).ents][0] == ("市公安局", "北京市公安局")


def test_without_a_home_no_full_name_is_claimed():
    nlp = spacy.blank("zh")
    nlp.add_pipe("baozhi_entities")
    assert [(e.text, e._.record["canonical"]) for e in nlp("太原市公安局发布通告。").ents] == \
        [("太原市公安局", "太原市公安局")]
    # 市公安局 of which city? not tagged rather than given a guessed full name
    assert [e.text for e in nlp("市公安局政治部副主任发布通告。").ents] == []


def test_the_sentence_component_takes_its_punctuation_from_config():
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "baozhi.JiebaTokenizer.v1"}}})
    nlp.add_pipe("baozhi_sentences", config={"sentence_end": ["，"]})
    assert [s.text for s in nlp("太原舞起龙头，引领带动。晋中协同").sents] == \
        ["太原舞起龙头，", "引领带动。晋中协同"]


def test_the_tokenizer_carries_its_lexicon(tmp_path):
    seg = Segmenter([{"word": "大钢中厚板生产线"}])
    nlp = baozhi.load(layers=[])
    assert "大钢中厚板生产线" not in [t.text for t in nlp("大钢中厚板生产线智能化升级")]
    nlp.tokenizer = JiebaTokenizer(nlp.vocab, seg)
    assert "大钢中厚板生产线" in [t.text for t in nlp("大钢中厚板生产线智能化升级")]
    other = baozhi.load(layers=[])
    other.tokenizer.from_bytes(nlp.tokenizer.to_bytes())
    assert other.tokenizer.lexicon == (("大钢中厚板生产线", 2000, None),)
    assert "大钢中厚板生产线" in [t.text for t in other("大钢中厚板生产线智能化升级")]
    nlp.to_disk(tmp_path / "p")
    assert "大钢中厚板生产线\t2000" in (tmp_path / "p" / "tokenizer" / "lexicon.tsv").read_text("utf-8")
    assert "大钢中厚板生产线" in [t.text for t in spacy.load(tmp_path / "p")("大钢中厚板生产线智能化升级")]


def _installed() -> None:
    try:
        importlib.metadata.distribution("baozhi")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("baozhi is not pip-installed here: spaCy finds it through its entry points")


def test_a_saved_pipeline_loads_in_a_fresh_process(nlp, tmp_path):
    _installed()
    nlp.to_disk(tmp_path / "pipe")
    code = textwrap.dedent(f"""
        import json, sys
        import spacy
        assert "baozhi" not in sys.modules
        nlp = spacy.load({str(tmp_path / "pipe")!r})
        doc = nlp.make_doc({TEXT!r})
        doc._.issue_date = "{ISSUE.isoformat()}"
        doc = nlp(doc)
        out = {{k: [[s.text, s.label_, s._.record] for s in doc.spans[k]] for k in doc.spans}}
        out["ents"] = [[e.text, e.label_, e._.record] for e in doc.ents]
        print(json.dumps([nlp.pipe_names, out], ensure_ascii=False))
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    names, got = json.loads(proc.stdout)
    assert names == nlp.pipe_names
    assert got == json.loads(json.dumps(_dump(_annotated(nlp)), ensure_ascii=False))
    assert ["市公安局", "ORG"] == got["ents"][2][:2] and got["ents"][2][2]["canonical"] == "太原市公安局"


def test_blank_chinese_finds_the_components_in_a_fresh_process(tmp_path):
    _installed()
    code = textwrap.dedent(f"""
        import spacy
        nlp = spacy.blank("zh")
        nlp.add_pipe("baozhi_entities", config={{"home": "{HOME}"}})
        print([(e.text, e._.record["canonical"]) for e in nlp("市公安局政治部副主任张峰介绍").ents][0])
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "('市公安局', '太原市公安局')"


def test_displacy_renders_the_spans_and_entities(nlp):
    doc = _annotated(nlp)
    spans = displacy.render(doc, style="span", options={"spans_key": "figures"})
    # the span style writes token by token (a space after each) with each span's label
    # after its first token: 24.7 [money] 亿元 … 四大 [magnitude] 千亿级
    words = re.sub(r"<[^>]*>", " ", spans).split()
    assert [w for w in words if w.isascii() and w.isalpha()] == ["money", "magnitude"]
    assert "".join(w for w in words if not (w.isascii() and w.isalpha())) == TEXT
    assert words[words.index("money") - 1:words.index("money") + 2] == ["24.7", "money", "亿元"]
    # the ent style writes the text itself, marking each entity
    ents = displacy.render(doc, style="ent")
    marked = re.findall(r"<mark[^>]*>\s*(\S+)\s*<span[^>]*>\s*(\w+)\s*</span>", ents)
    assert marked == [("省发改委", "ORG"), ("山西中部城市群", "LOC"), ("市公安局", "ORG"), ("张峰", "PER")]


def test_the_readme_python_api_example_prints_what_the_readme_shows():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1]
    code, shown = re.search(r"```python\n(.*?)```\n```\n(.*?)```", section, re.S).groups()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout == shown
