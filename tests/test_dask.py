"""`baozhi run --executor dask` on a two-worker LocalCluster (127.0.0.1, one thread each):
the same tables, byte for byte, and the same rerun state as the local run, error row included."""
from __future__ import annotations

import gc
import io
import json
import logging
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


def test_a_dask_worker_is_frozen_during_a_run_and_not_after_it():
    # a cluster that outlives the run (--scheduler): WarmUp.setup freezes the worker's models,
    # dask_map unregisters the plugin at the end and its teardown unfreezes them
    from distributed import Client, LocalCluster

    from baozhi.run.cluster import dask_map

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, silence_logs=logging.ERROR) as cluster:
        during = list(dask_map(gc.get_freeze_count, [()], scheduler=cluster.scheduler_address))
        assert len(during) == 1 and during[0][1] > 0
        with Client(cluster) as c:
            assert list(c.run(gc.get_freeze_count).values()) == [0]
    assert gc.get_freeze_count() == 0           # nothing frozen in the calling process
