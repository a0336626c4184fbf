"""``baozhi run``: a folder of page files to tables.

Entry point: ``run(input_dir, out_dir, workers) -> Summary``. Every page goes through
``process.process_page``; pages that cannot be read become rows of ``errors`` and the run
goes on. Rows are ordered by source file and article, so the tables do not depend on the
number of workers.
"""
from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import rules
from .export import TABLES, write_tables
from .ingest import IngestError, Metadata, load_metadata, read_page


@dataclass
class Summary:
    pages: int = 0
    failed_pages: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def line(self) -> str:
        c = self.counts
        return (f"{self.pages} pages, {c.get('articles', 0)} articles, {c.get('figures', 0)} figures, "
                f"{c.get('dates', 0)} dates, {c.get('targets', 0)} targets, "
                f"{c.get('entities', 0)} entities, {c.get('errors', 0)} errors, "
                f"{self.seconds:.1f} s")


def find_pages(input_dir: Path, exclude: Path | None = None) -> list[Path]:
    """Every page file under ``input_dir`` (hidden folders and ``exclude`` skipped), sorted."""
    input_dir = Path(input_dir)
    found = set()
    for pattern in rules.load("ingest/ingest.yaml")["page_globs"]:
        for p in input_dir.rglob(pattern):
            rel = p.relative_to(input_dir)
            if any(part.startswith(".") for part in rel.parts) or not p.is_file():
                continue
            if exclude is not None and p.resolve().is_relative_to(exclude.resolve()):
                continue
            found.add(p)
    return sorted(found, key=lambda p: p.relative_to(input_dir).as_posix())


def work(path: Path, root: Path, meta: Metadata) -> dict[str, list[dict]]:
    """One page's rows; a page that fails gives one row of errors instead."""
    from .process import error_row, process_page

    source = path.relative_to(root).as_posix()
    try:
        page = read_page(path, root, meta)
    except IngestError as exc:
        return {t: [] for t in TABLES} | {"errors": [error_row(source, "ingest", str(exc))]}
    try:
        return process_page(page)
    except Exception as exc:  # noqa: BLE001 - one page must not stop the run
        return {t: [] for t in TABLES} | {
            "errors": [error_row(source, "process", f"{type(exc).__name__}: {exc}")]}


def _work_args(args):
    return work(*args)


def run(input_dir: Path, out_dir: Path, workers: int | None = None,
        log=sys.stderr) -> Summary:
    started = time.perf_counter()
    input_dir, out_dir = Path(input_dir), Path(out_dir)
    if not input_dir.is_dir():
        raise FileNotFoundError(f"{input_dir}: no such folder")
    meta = load_metadata(input_dir)
    pages = find_pages(input_dir, exclude=out_dir)
    workers = max(1, workers or os.cpu_count() or 1)
    jobs = [(p, input_dir, meta) for p in pages]
    if workers == 1 or len(jobs) <= 1:
        results = [_work_args(j) for j in jobs]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(_work_args, jobs, chunksize=1))
    tables: dict[str, list[dict]] = {t: [] for t in TABLES}
    failed = 0
    for res in results:
        if res["errors"] and not res["articles"]:
            failed += 1
        for t in TABLES:
            tables[t].extend(res[t])
    write_tables(out_dir, tables)
    summary = Summary(pages=len(pages), failed_pages=failed,
                      counts={t: len(rows) for t, rows in tables.items()},
                      seconds=time.perf_counter() - started)
    print(summary.line(), file=log)
    return summary
