"""The Parquet dataset of `baozhi run`: every table under OUT/parquet/<table>/, hive-partitioned
by issue year and month, typed columns, read back by pyarrow and by DuckDB with every row
counted against the JSONL; written atomically and exactly as a fresh run writes it."""
from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from baozhi.layers.registry import tables as _tables
from baozhi.run import batch, export

from conftest import CORPUS

TABLES = _tables()
PAGES = sorted(p.name for p in CORPUS.glob("*.txt"))


def jsonl(out: Path, table: str) -> list[dict]:
    return [json.loads(l) for l in (out / f"{table}.jsonl").open(encoding="utf-8")]


# the partition columns' types are given, as SCALE.md says (a table whose rows all lack an
# issue date has only null partitions, from which pyarrow cannot infer a type)
PARTITIONING = ds.partitioning(pa.schema([("issue_year", pa.int32()), ("issue_month", pa.int32())]),
                               flavor="hive")


def dataset(out: Path, table: str):
    return ds.dataset(out / "parquet" / table, format="parquet", partitioning=PARTITIONING)


def files(out: Path) -> dict[str, bytes]:
    root = out / "parquet"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("parquet")
    src = tmp / "in"
    src.mkdir()
    shutil.copy(CORPUS / "metadata.toml", src / "metadata.toml")
    for n in PAGES[:3]:
        shutil.copy(CORPUS / n, src / n)
    (src / "broken.txt").write_bytes(b"\xff\xfe\x00\xd8" * 3)      # an errors row
    # a dated page with one undecodable byte: its articles, and an errors row ("ingest") that
    # has no issue_date of its own and goes in its page's partition
    raw = (CORPUS / PAGES[1]).read_bytes()           # dated by metadata.toml
    cut = raw.index(b"\n", len(raw) // 2) + 1
    (src / PAGES[1]).write_bytes(raw[:cut] + b"\xff" + raw[cut:])
    out = tmp / "out"
    batch.run(src, out, workers=1, log=io.StringIO())
    return src, out


def test_every_table_is_read_back_by_pyarrow_and_duckdb_with_every_row(ran):
    _, out = ran
    assert sum(len(jsonl(out, t)) for t in TABLES) > 100
    for t in TABLES:
        rows = jsonl(out, t)
        d = dataset(out, t)
        assert d.count_rows() == len(rows), t
        got = duckdb.sql(f"SELECT count(*) FROM read_parquet('{out}/parquet/{t}/**/*.parquet', "
                         "hive_partitioning = true)").fetchall()[0][0]
        assert got == len(rows), t
        # same rows, same order within the table's source order, same ids
        key = export.columns(t, rows)[0]
        assert sorted(map(str, d.to_table(columns=[key]).column(key).to_pylist())) == \
            sorted(str(r[key]) for r in rows), t


def test_columns_are_typed_and_partitioned_by_issue_year_and_month(ran):
    _, out = ran
    arts = dataset(out, "articles")
    schema = arts.schema
    assert schema.field("article_id").type == pa.string()
    assert schema.field("issue_date").type == pa.date32()
    assert schema.field("chars").type == pa.int64()
    assert schema.field("authors").type == pa.list_(pa.string())
    assert schema.field("issue_year").type == pa.int32()
    ents = dataset(out, "entities").schema
    assert ents.field("adcode").type == pa.string()
    dates = dataset(out, "dates").schema
    assert dates.field("start_date").type == pa.date32()
    figs = dataset(out, "figures").schema
    assert figs.field("value").type == pa.float64()
    # each row sits in the partition of its issue date; rows without one in the null partition
    table = arts.to_table(columns=["issue_date", "issue_year", "issue_month"]).to_pylist()
    for r in table:
        if r["issue_date"] is None:
            assert r["issue_year"] is None and r["issue_month"] is None
        else:
            assert (r["issue_year"], r["issue_month"]) == (r["issue_date"].year, r["issue_date"].month)
    # every table's rows: in the partition of their own issue date, else of their page's (its
    # articles'), else in the null partition (arrow_table's fallback to the page's date)
    page_date = {r["source"]: r["issue_date"] for r in jsonl(out, "articles")}
    fell_back = 0
    for t in TABLES:
        for r in dataset(out, t).to_table().to_pylist():
            own = r.get("issue_date")
            day = own.isoformat() if own is not None else page_date.get(r["source"])
            want = (None, None) if day is None else (int(day[:4]), int(day[5:7]))
            assert (r["issue_year"], r["issue_month"]) == want, (t, r)
            fell_back += own is None and day is not None
    assert fell_back                  # the dated page's errors row: the fallback was exercised
    folders = {p.name for p in (out / "parquet" / "articles").iterdir()}
    assert all(f.startswith("issue_year=") for f in folders)
    # the broken page's error row: in the null partition, readable by DuckDB as a null year
    errs = duckdb.sql(f"SELECT source, issue_year FROM read_parquet('{out}/parquet/errors/**/*.parquet', "
                      "hive_partitioning = true)").fetchall()
    assert ("broken.txt", None) in errs


def test_rerun_gives_a_fresh_runs_dataset_and_a_failed_write_keeps_the_old_one(ran, tmp_path, monkeypatch):
    src, out = ran
    before = files(out)
    shutil.rmtree(out / "parquet" / "dates")                    # a table removed by hand
    batch.run(src, out, workers=1, log=io.StringIO())
    assert files(out) == before                                  # rewritten, byte for byte

    fresh = tmp_path / "fresh"
    batch.run(src, fresh, workers=1, log=io.StringIO())
    assert files(fresh) == before

    (src / PAGES[0]).write_text((src / PAGES[0]).read_text(encoding="utf-8") + "\n\n本报讯 新增。\n",
                                encoding="utf-8")

    def fail(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "write_parquet", fail)
    with pytest.raises(batch.OutputError):
        batch.run(src, out, workers=1, log=io.StringIO())
    assert files(out) == before                                  # the old dataset stays
    assert not [p for p in out.iterdir() if p.name.startswith(".parquet.")]


def test_the_columns_and_dates_fast_paths_are_the_plain_ones():
    # export._column, _dates and _distinct (arrow_table's loops in C, each distinct date read
    # once) against the per-value loops they replace, on random rows with missing keys, odd values
    import datetime as dt
    import random

    rng = random.Random(7)
    pool = [None, "1998-01-01", "1998-01-02", "1998-13-01", "", "x", dt.date(1998, 1, 3),
            dt.datetime(1998, 1, 4, 5), 19980105, 1.5, True, ["1998-01-01"]]
    for _ in range(300):
        rows = [{k: rng.choice(pool) for k in rng.sample(["a", "b", "issue_date"], rng.randint(0, 3))}
                for _ in range(rng.randint(0, 12))]
        for col in ("a", "b", "issue_date"):
            values = export._column(rows, col)
            assert values == [r.get(col) for r in rows]
            assert export._dates(values) == [export._date(v) for v in values]
            got = export.arrow_type(col + "_date", values)
            plain = all(v is None or export._date(v) is not None for v in values)
            assert got == (pa.date32() if plain else pa.string())


def test_arrow_tables_partitions_are_the_rows_own_date_else_its_pages():
    # arrow_table's issue_year/issue_month against the plain per-row expression, on rows with
    # and without an issue_date, of pages with and without one
    import random

    rng = random.Random(11)
    pages = {"a.txt": "1998-01-05", "b.txt": None, "c.txt": "2001-12-31"}
    for _ in range(200):
        rows = []
        for i in range(rng.randint(0, 8)):
            r = {"source": rng.choice(["a.txt", "b.txt", "c.txt", "d.txt"]), "article_id": None,
                 "stage": "x", "line": i, "error": "e"}
            if rng.random() < 0.5:
                r["issue_date"] = rng.choice([None, "1998-02-03", "2010-07-01"])
            rows.append(r)
        got = export.arrow_table("errors", rows, pages).to_pylist()
        for r, g in zip(rows, got):
            day = export._date(r.get("issue_date") or pages.get(r.get("source")))
            assert (g["issue_year"], g["issue_month"]) == \
                ((day.year, day.month) if day else (None, None)), (r, g)
        assert len(got) == len(rows)
