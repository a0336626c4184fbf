"""``export.csv_lines``, ``jsonl_lines`` and ``sql_values`` made a column at a time (issue 12: the
tables written as pages come, and after the last) give what the cell-by-cell encodings give."""
from __future__ import annotations

import csv
import io
import json
import random

from baozhi.run import export

VALUES = [None, "", "a", "中文", "=1+1", "@x", "\tx", "\rx", "+5", "-5", "+3.2%", "-x", "+", "'q",
          0, 7, -3, 1.5, float("nan"), True, False, ["a", 1], ("b",), {"k": "=v"}, []]


def _csv_plain(rows, cols):
    buf = io.StringIO()
    csv.writer(buf).writerows(["" if row.get(c) is None else export._cell(row.get(c)) for c in cols]
                              for row in rows)
    return buf.getvalue()


def _jsonl_plain(rows, cols):
    return "".join(json.dumps({c: row.get(c) for c in cols}, ensure_ascii=False) + "\n" for row in rows)


def _sql_plain(rows, cols):
    return [tuple(export._sql(row.get(c)) for c in cols) for row in rows]


def test_the_column_encodings_are_the_cell_ones():
    rng = random.Random(5)
    keys = ["a", "b", "c", "d"]
    for _ in range(400):
        # a column of one kind (numbers, strings, with or without None) or of anything
        kinds = {k: rng.choice([VALUES, VALUES[:14], VALUES[14:20], [None, 1, 2.5], ["x", "y", None]])
                 for k in keys}
        rows = [{k: rng.choice(kinds[k]) for k in rng.sample(keys, rng.randint(0, 4))}
                for _ in range(rng.randint(0, 9))]
        cols = rng.sample(keys + ["e"], rng.randint(1, 5))
        assert export.csv_lines(rows, cols) == _csv_plain(rows, cols)
        assert export.csv_lines(iter(rows), cols) == _csv_plain(rows, cols)
        assert export.jsonl_lines(rows, cols) == _jsonl_plain(rows, cols)
        got, want = list(export.sql_values(rows, cols)), _sql_plain(rows, cols)
        assert repr(got) == repr(want)      # (repr: nan equals itself there)
    assert export.csv_lines([{}, {}], []) == _csv_plain([{}, {}], [])
    assert list(export.sql_values([{}, {}], [])) == [(), ()]


def test_the_csv_fast_path_escapes_every_first_character_formula_safe_does():
    # _csv_column calls formula_safe only on a column where some string starts with one of
    # _RISKY: every first character in the BMP (surrogates included), after a clean cell, with
    # the number / non-number tails that decide the signed characters, gives formula_safe's cell
    for code in range(0x10000):
        c = chr(code)
        for text in (c, c + "1", c + "1x", c + "x"):
            assert export._csv_column(["x", text])[1] == export.formula_safe(text), repr(text)


def test_the_columns_a_spooling_tables_made_page_by_page_are_the_rows_ones(tmp_path):
    """``Tables.column`` (each page's values kept from when it was spooled, a page made again
    when a later one brings a new column) gives ``_column`` of the whole table, and the
    Parquet table made from them is the one made from the rows."""
    rnd = random.Random(7)
    pages = []
    for p in range(30):
        arts = [{"article_id": f"p{p}:{i}", "source": f"p{p}.txt",
                 "issue_date": rnd.choice([None, "1998-01-0%d" % rnd.randint(1, 9)]),
                 "text": rnd.choice(["a", "=b", None, "中文"])} for i in range(rnd.randint(0, 3))]
        figs = []
        for i in range(rnd.randint(0, 4)):
            row = {"figure_id": f"p{p}:f{i}", "article_id": f"p{p}:{i}", "source": f"p{p}.txt",
                   "issue_date": None, "value": rnd.choice([1, 2.5, None])}
            if rnd.random() < 0.2:
                row[rnd.choice(["per", "zz_extra", "_private"])] = rnd.choice([1, "x", [1, 2]])
            figs.append(row)
        pages.append({t: [] for t in export.tables()} | {"articles": arts, "figures": figs})
    spool = export.Tables(spool=tmp_path)
    whole = export.Tables()
    for i in rnd.sample(range(len(pages)), len(pages)):
        spool.add(i, pages[i])
        whole.add(i, pages[i])
    try:
        for table in export.tables():
            rows = whole.get(table)
            assert spool.columns(table) == export.columns(table, rows)
            for col in spool.columns(table) + ["issue_date", "nothere"]:
                assert spool.column(table, col) == export._column(rows, col), (table, col)
            dates = {a.get("source"): a.get("issue_date") for a in whole.get("articles")}
            assert export.arrow_table(table, rows, dates, spool).equals(
                export.arrow_table(table, rows, dates))
    finally:
        spool.close()


def test_tables_column_settles_the_pages_made_under_other_columns(tmp_path):
    """A page with a higher key bringing a column before a lower-keyed page brings another:
    the columns guessed as pages came are not the final ones' order, so pages were made under
    other columns; ``Tables.column`` (without ``write_tables`` settling first) still gives
    ``_column`` of the whole table."""
    def fig(p, i, **extra):
        return {"figure_id": f"p{p}:f{i}", "article_id": f"p{p}:0", "source": f"p{p}.txt",
                "issue_date": None, "value": i, **extra}

    pages = {5: [fig(5, 0, per="万"), fig(5, 1)], 1: [fig(1, 0, zz_extra="x")], 3: [fig(3, 0)]}
    spool, whole = export.Tables(spool=tmp_path), export.Tables()
    for key, figs in pages.items():                  # 5 first, then 1, then 3
        page = {t: [] for t in export.tables()} | {"figures": figs}
        spool.add(key, page)
        whole.add(key, page)
    try:
        final = spool.columns("figures")
        assert final == export.columns("figures", whole.get("figures"))
        assert any(made != final for made in spool._made["figures"].values())
        for col in final:
            assert spool.column("figures", col) == export._column(whole.get("figures"), col), col
    finally:
        spool.close()


def test_a_spooling_tables_columns_follow_each_page_added(tmp_path):
    """``Tables.columns`` is made once and kept until a page comes: asked between pages that
    bring new columns (and after a caller changed the list it got), it is always the columns of
    the rows added so far."""
    rnd = random.Random(11)
    spool, whole = export.Tables(spool=tmp_path), export.Tables()
    try:
        for key in rnd.sample(range(40), 40):
            figs = [{"figure_id": f"p{key}:f{i}", "article_id": f"p{key}:0", "source": f"p{key}.txt",
                     "issue_date": None, "value": i,
                     **({rnd.choice(["per", "zz_a", "zz_b", "zz_c"]): 1} if rnd.random() < 0.3 else {})}
                    for i in range(rnd.randint(0, 3))]
            page = {t: [] for t in export.tables()} | {"figures": figs}
            spool.add(key, page)
            whole.add(key, page)
            for _ in range(2):
                got = spool.columns("figures")
                assert got == export.columns("figures", whole.get("figures"))
                got.append("changed by a caller")
    finally:
        spool.close()
