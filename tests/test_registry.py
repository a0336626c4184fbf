"""The layer registry: one entry makes a layer appear in every output.

A toy layer (book titles in 《》) is registered at run time, as a user adding a layer would,
and must then show up in ``annotate``, in every table format of ``baozhi run``, in the
``--layers`` choices, in ``show``, in Datasette's table descriptions and in the report.
"""
from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3

import pytest
import regex

from baozhi.apps import browse, cli, show
from baozhi.apps.annotate import annotate_record
from baozhi.apps.report import build_report
from baozhi.layers import registry
from baozhi.layers.spec import Context, Layer
from baozhi.run import batch
from baozhi.run.export import DB_NAME, columns

from conftest import corpus_page

TITLE = regex.compile(r"《([^《》\n]{1,30})》")


def find_titles(text: str, ctx: Context) -> list[dict]:
    return [{"start": m.start(), "end": m.end(), "text": m.group(0), "title": m.group(1)}
            for m in TITLE.finditer(text)]


TITLES = Layer(name="titles", item="title", prefix="b", label="title", find=find_titles,
               fields=("start", "end", "text", "title"),
               description="Titles of books, papers and documents, in 《》.",
               show_columns=("title_id", "issue_date", "title"))


@pytest.fixture
def titles_layer():
    registry.register(TITLES)
    yield TITLES
    registry.unregister("titles")


def test_the_shipped_layers_are_in_the_contract_order():
    assert registry.names() == ("entities", "figures", "dates", "targets")
    assert registry.tables() == ("articles", "entities", "figures", "dates", "targets", "errors")
    figures = registry.get("figures")
    assert columns("figures", [])[:8] == ["figure_id", "article_id", "source", "issue_date",
                                          "start", "end", "text", "kind"]
    assert figures.id_field == "figure_id" and figures.prefix == "f"


def test_asking_for_a_layer_brings_what_it_needs_and_what_it_names():
    # a figure's metric, subject and period read the entities and dates (figures.semantics)
    assert [l.name for l in registry.compute_order(["targets"])] == [
        "entities", "dates", "figures", "targets"]
    assert registry.output_layers(["targets"]) == ("entities", "figures", "targets")
    assert registry.output_layers(["figures"]) == ("entities", "figures")   # subject_entity
    with pytest.raises(ValueError, match="unknown layer 'tables'; layers are entities, figures"):
        registry.output_layers(["tables"])


def test_a_registered_layer_reaches_annotate(titles_layer):
    line = annotate_record({"id": "a", "text": "省委宣传部发布《山西省文化强省建设规划》，总投资24.7亿元。"})
    assert [(t["text"], t["title"]) for t in line["titles"]] == [
        ("《山西省文化强省建设规划》", "山西省文化强省建设规划")]
    assert line["figures"][0]["value"] == 2470000000.0
    only = annotate_record({"id": "b", "text": "读《人民日报》。"}, layers=["titles"])
    assert set(only) == {"id", "schema", "issue_date", "titles"}
    assert only["titles"][0]["start"] == 1 and only["titles"][0]["end"] == 7


def test_a_registered_layer_reaches_every_table_and_app(titles_layer, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    page = corpus_page("003")
    shutil.copy(page, src)
    page_text = page.read_text(encoding="utf-8")
    out = tmp_path / "out"
    batch.run(src, out, workers=1, log=io.StringIO())

    rows = [json.loads(l) for l in (out / "titles.jsonl").open(encoding="utf-8")]
    assert rows, "page 003 names books in 《》"
    for row in rows:
        assert page_text[row["start"]:row["end"]] == row["text"]
        assert row["title_id"].startswith(row["article_id"] + ":b")
    with (out / "titles.csv").open(encoding="utf-8-sig") as fh:
        header = next(csv.reader(fh))
    assert header[:5] == ["title_id", "article_id", "source", "issue_date", "start"]
    con = sqlite3.connect(out / DB_NAME)
    assert con.execute("select count(*) from titles").fetchone()[0] == len(rows)
    con.close()

    assert "titles" in cli.build_parser().parse_args(["annotate"]).layers.split(",")
    buf = io.StringIO()
    show.show(out, "title", show.Filters(), None, None, "table", file=buf)
    lines = buf.getvalue().splitlines()
    assert lines[0].split() == ["title_id", "issue_date", "title"]      # its show_columns
    assert rows[0]["title"] in lines[2]
    assert browse.descriptions()["titles"] == TITLES.description
    report = build_report(out, show.Filters())
    first = rows[0]["text"]
    assert first in report and "titles" in report
