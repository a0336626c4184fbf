"""``baozhi run --executor dask``: pages processed on a Dask distributed cluster.

Entry point: ``dask_map(fn, jobs, workers, scheduler) -> iterator of (job index, result or
exception)``. ``batch`` hands it ``work`` and, per page, its path, the input folder and the
folder's metadata: a worker reads the page file itself (the workers must see the input folder
under the same path as the machine that runs ``baozhi run``) and only the page's rows travel
back. Everything else of a run — keys, saved results, tables, manifest — stays in the main
process, so a Dask run writes the same tables and ``.state`` as a local one.

Without ``scheduler`` a ``LocalCluster`` is started on 127.0.0.1 (``workers`` processes with
one thread each) and closed at the end; with ``scheduler`` (``tcp://host:8786``) the run
connects to a running cluster whose workers have baozhi installed. Each worker loads the
models once, before its first page (``WarmUp``, a worker plugin).
"""
from __future__ import annotations

import contextlib
import gc
import logging
from typing import Callable, Iterable, Iterator

from distributed import WorkerPlugin

from baozhi.run.chunked import warm_up  # the same warm-up as the local workers'


class WarmUp(WorkerPlugin):
    """A Dask worker plugin: every worker (and every one that joins later) loads the models
    when it starts, before it is given a page, then freezes them out of the cyclic collector's
    reach (``gc.freeze``, as the parent of local workers does before they fork) — unless
    something on the worker is frozen already. ``teardown`` (``dask_map`` unregisters the
    plugin when the run ends; a re-registration or the worker's close does it too) unfreezes
    what ``setup`` froze: a long-lived worker (``--scheduler``) is not left frozen across runs,
    where whatever it held at the time (other clients' data, leftovers) would never be
    collected."""

    name = "baozhi-warm-up"

    def setup(self, worker) -> None:  # noqa: D401 - Dask's hook
        warm_up()
        self.froze = not gc.get_freeze_count()
        if self.froze:
            gc.freeze()

    def teardown(self, worker) -> None:
        if getattr(self, "froze", False):
            self.froze = False
            gc.unfreeze()


@contextlib.contextmanager
def client(workers: int | None, scheduler: str | None):
    """A ``distributed.Client``: to ``scheduler``, or to a LocalCluster of ``workers``
    processes (one thread each, on 127.0.0.1, no dashboard) closed on the way out."""
    import dask
    from distributed import Client, LocalCluster

    with dask.config.set({"distributed.worker.daemon": False,
                          "distributed.scheduler.work-stealing": True,
                          "logging.distributed": "error"}):
        if scheduler:
            c = Client(scheduler, timeout="30s")
            try:
                yield c
            finally:
                c.close()
            return
        cluster = LocalCluster(n_workers=max(1, workers or 2), threads_per_worker=1,
                               processes=True, host="127.0.0.1", dashboard_address=None,
                               silence_logs=logging.ERROR)
        try:
            c = Client(cluster)
            try:
                yield c
            finally:
                c.close()
        finally:
            cluster.close()


def dask_map(fn: Callable, jobs: Iterable[tuple], workers: int | None = None,
             scheduler: str | None = None) -> Iterator[tuple[int, object]]:
    """Run ``fn(*job)`` for every job on the cluster; yield ``(index, result)`` as each
    finishes, or ``(index, exception)`` when a job failed (its worker died, ...). Closing the
    iterator early (Ctrl-C) cancels what has not finished."""
    from distributed import as_completed

    jobs = list(jobs)
    with client(workers, scheduler) as c:
        c.register_plugin(WarmUp())
        futures = [c.submit(fn, *job, key=f"baozhi-page-{i}", pure=False, retries=0)
                   for i, job in enumerate(jobs)]
        index = {f.key: i for i, f in enumerate(futures)}
        try:
            for fut in as_completed(futures):
                try:
                    result = fut.result()
                except Exception as exc:  # noqa: BLE001 - a page's worker failed
                    result = exc
                yield index[fut.key], result
                fut.release()
        finally:
            c.cancel([f for f in futures if not f.done()], force=True)
            # the workers' teardown: each unfreezes what its setup froze (a cluster that
            # outlives the run is left as it was found, but for the models' imports)
            with contextlib.suppress(Exception):
                c.unregister_worker_plugin(WarmUp.name)
