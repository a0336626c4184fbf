"""`baozhi run --executor dask` on a two-worker LocalCluster (127.0.0.1, one thread each):
the same tables, byte for byte, and the same rerun state as the local run, error row included."""
from __future__ import annotations

import io
import json
import shutil

from baozhi.run import batch

from conftest import CORPUS
from test_batch import TABLES, assert_same_tables


def test_dask_localcluster_gives_the_local_runs_tables_state_and_error_rows(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(CORPUS / "metadata.toml", src / "metadata.toml")
    for n in sorted(p.name for p in CORPUS.glob("*.txt"))[:2]:
        shutil.copy(CORPUS / n, src / n)
    (src / "broken.txt").write_bytes(b"\xff\xfe\x00\xd8" * 3)       # cannot be read: errors row

    local = tmp_path / "local"
    batch.run(src, local, workers=1, log=io.StringIO())
    out = tmp_path / "dask"
    summary = batch.run(src, out, workers=2, log=io.StringIO(), executor="dask")
    assert summary.processed == sorted(p.name for p in src.glob("*.txt"))
    assert_same_tables(local, out)                   # Parquet included
    errors = [json.loads(l) for l in (out / "errors.jsonl").open(encoding="utf-8")]
    assert [e["source"] for e in errors] == ["broken.txt"]
    # the same saved results under the same keys: a local rerun of the Dask output reuses all
    assert sorted(p.name for p in (out / ".state" / "pages").iterdir()) == \
        sorted(p.name for p in (local / ".state" / "pages").iterdir())
    again = batch.run(src, out, workers=1, log=io.StringIO())
    assert again.processed == [] and not again.tables_written
    assert set(TABLES) <= set(summary.counts)
