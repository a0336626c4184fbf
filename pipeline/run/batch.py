"""``baozhi run``: a folder of page files to tables, redoing only what changed.

Entry point: ``run(input_dir, out_dir, workers) -> Summary``.

State lives in ``OUT/.state/``:

- ``pages/<key>.json``: one page's result (its rows of every table), saved atomically as
  soon as the page is done. ``key`` hashes everything the result depends on: the page's
  path in the folder, its bytes, its metadata entry and the folder's defaults (paper,
  home), ``ruleset.version()`` (rules files and shipped models) and the code of the stages.
  A page whose key has a result is not processed again.
- ``manifest.json``: written after the tables, at the end of a complete run: the input
  folder, each page's key and row counts, and a hash of every table file written.

A run finds the pages, computes their keys (reading and hashing each file; spaCy and the
models are only imported when some page has no result), processes the missing ones
(in ``workers`` processes), and rebuilds the tables from the saved results in source
order, so they are exactly what a fresh run gives. When every page is reused and the table
files still match the manifest, the tables are left alone. A run that is interrupted
(Ctrl-C, or killed) leaves the previous tables; the next run reuses the pages already
saved. A page that cannot be read or processed becomes rows of ``errors``; the run goes on.
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import sqlite3
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from baozhi.resources import collector, ruleset
from baozhi.resources.atomic import atomic_write, temp_prefix
from baozhi.layers import registry
from baozhi.run.export import (DB_NAME, PARQUET_DIR, FtsBuilder, Tables, dataset_hash,
                               preload, write_tables)
from baozhi.stages.ingest import (IngestError, Metadata, MetadataError, load_metadata,
                                  read_page, source_of)

STATE_DIR = ".state"
RULES_STAMP = "rules-checked"   # the rules and code version whose rules last passed the check
STATE_FORMAT = 1
# modules that do not make a page's rows: changing them does not redo any page
# source files that make no page's rows: the apps tier, and how a run schedules and writes
_NOT_IN_RESULTS = ("apps/", "run/batch.py", "run/export.py", "run/cluster.py")
# a test hook: seconds each page's processing is made to last longer (0 in real runs)
_DELAY_ENV = "BAOZHI_TEST_PAGE_DELAY"
# set (to anything): the run prints where the main process spent its time (Timeline)
TIMELINE_ENV = "BAOZHI_TIMELINE"


class RunError(Exception):
    """The run cannot start (no such folder, another run writing the same output, bad rules
    or metadata): nothing under the output folder was changed. Exit status 2."""

    exit_code = 2


class OutputError(RunError):
    """The output folder cannot be written (disk full, read-only, no permission): the run
    stopped and the tables already there are the previous ones. Exit status 3."""

    exit_code = 3


@contextlib.contextmanager
def _writing(what: Path | str):
    """An OSError (or SQLite's "database or disk is full") while writing ``what`` becomes
    an OutputError naming it."""
    try:
        yield
    except OSError as exc:
        name = exc.filename or what
        raise OutputError(f"cannot write {name}: {exc.strerror or exc}") from exc
    except sqlite3.OperationalError as exc:   # disk full, read-only database
        raise OutputError(f"cannot write {what}: {exc}") from exc


@dataclass
class Summary:
    """What a run did. ``counts`` are rows per table of the tables as written."""

    pages: int = 0
    failed_pages: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    processed: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    tables_written: bool = False
    interrupted: bool = False
    timeline: "Timeline | None" = None
    hashes: dict[str, str | None] | None = None     # of the table files, as written

    def line(self) -> str:
        c = self.counts
        return (f"{self.pages} pages ({len(self.processed)} processed, {len(self.reused)} reused, "
                f"{len(self.removed)} removed), {c.get('articles', 0)} articles, "
                f"{c.get('figures', 0)} figures, {c.get('dates', 0)} dates, "
                f"{c.get('targets', 0)} targets, {c.get('entities', 0)} entities, "
                f"{c.get('errors', 0)} errors, {self.seconds:.1f} s")


def find_pages(input_dir: Path, exclude: Path | None = None) -> list[Path]:
    """Every page file under ``input_dir`` (hidden folders and ``exclude`` skipped), sorted."""
    input_dir = Path(input_dir)
    found = set()
    for pattern in ruleset.load("ingest/ingest.yaml")["page_globs"]:
        for p in input_dir.rglob(pattern):
            rel = p.relative_to(input_dir)
            if any(part.startswith(".") for part in rel.parts) or not p.is_file():
                continue
            if exclude is not None and p.resolve().is_relative_to(exclude.resolve()):
                continue
            found.add(p)
    return sorted(found, key=lambda p: p.relative_to(input_dir).as_posix())


# --------------------------------------------------------------------------- keys

_code_version: str | None = None


def code_version() -> str:
    """A hash of the source of the modules that make a page's rows: every ``*.py`` of the
    package, in every folder, but the apps tier and the run's own scheduling and writing."""
    global _code_version
    if _code_version is None:
        h = hashlib.sha256()
        for p in sorted(ruleset.PACKAGE_DIR.rglob("*.py")):
            rel = p.relative_to(ruleset.PACKAGE_DIR).as_posix()
            if not rel.startswith(_NOT_IN_RESULTS):
                h.update(rel.encode() + b"\0" + p.read_bytes() + b"\0")
        _code_version = h.hexdigest()[:16]
    return _code_version


def page_key(source: str, sha256: str, meta: Metadata) -> str:
    """The hash a page's result is saved under: changes when anything it depends on does."""
    basis = {"format": STATE_FORMAT, "rules": ruleset.version(), "code": code_version(),
             "source": source, "sha256": sha256, "entry": meta.for_page(source),
             "paper": meta.paper, "home": meta.home}
    return hashlib.sha256(json.dumps(basis, sort_keys=True, default=str,
                                     ensure_ascii=False).encode()).hexdigest()[:32]


# --------------------------------------------------------------------------- work


def _empty() -> dict[str, list[dict]]:
    return {t: [] for t in registry.tables()}


def _error_row(source: str, stage: str, message: str) -> dict:
    # same shape as process.error_row, without importing spaCy in the main process
    return {"source": source, "article_id": None, "stage": stage, "line": None, "error": message}


def _freeze() -> bool:
    """``gc.freeze()``: everything this process holds now (the loaded models) out of the cyclic
    collector's reach — full collections would otherwise walk them again and again, and in
    forked workers they stay shared copy-on-write pages. Only when nothing is frozen yet: a
    caller that froze its own objects keeps them frozen, and ``run`` unfreezes only what it
    froze (True: this call froze; the caller then owes a ``gc.unfreeze()``, so that ``run``
    leaves the process as it found it)."""
    if gc.get_freeze_count():
        return False
    gc.freeze()
    return True


def work(path: Path, root: Path, meta: Metadata) -> tuple[str | None, dict[str, list[dict]]]:
    """One page: (sha256 of the bytes read, its rows of every table). A page that fails
    gives one row of ``errors`` instead; sha256 is None when the file could not be read."""
    source = source_of(path, root)
    delay = float(os.environ.get(_DELAY_ENV) or 0)
    if delay:
        time.sleep(delay)
    try:
        page = read_page(path, root, meta)
    except IngestError as exc:
        try:
            sha = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        except OSError:
            sha = None
        return sha, _empty() | {"errors": [_error_row(source, "ingest", str(exc))]}
    try:
        from baozhi.run.process import process_page

        rows = process_page(page)
        rows["errors"][:0] = [_error_row(source, "ingest", msg) | {"line": line}
                              for msg, line in page.problems]
        return page.sha256, rows
    except Exception as exc:  # noqa: BLE001 - one page must not stop the run
        return page.sha256, _empty() | {
            "errors": [_error_row(source, "process", f"{type(exc).__name__}: {exc}")]}


def _work_args(args):
    return work(*args)


# a local worker's cyclic collector: the first threshold (tracked objects allocated less freed
# between two young collections; the later ones as gc's own). With what the worker holds
# frozen after each page (``_worker_page``), a page's objects are collected by refcount and
# the collector all but never runs (GC of 262 pd1998 pages, 2 workers: 0.30-0.32 CPU-s in
# each worker at gc's default 700, 10, 10 -> ~0.004)
WORKER_GC_THRESHOLD = (20_000, 10, 10)


def _worker_page(*args) -> tuple:
    """``work_and_save`` in a local worker, then everything the worker holds now (the memos a
    page filled) frozen out of the cyclic collector's reach: the next pages' collections do
    not walk them again. Frozen, a reference cycle would never be freed: a warm page leaves
    none (tests/test_batch.py ``test_a_page_leaves_nothing_for_the_cyclic_collector``)."""
    try:
        return work_and_save(*args)
    finally:
        gc.freeze()


def work_and_save(path: Path, root: Path, meta: Metadata, source: str, out_dir: Path) -> tuple:
    """``work``, and its result saved by the process that made it (a local worker: the
    main process only collects). Returns (sha256, the rows, the key they were saved under or
    None, None or the message of a failed save); saved, the rows are the saved file's text
    (``rows_of`` reads them back in the main process: a string crosses the pipe for the cost
    of a copy, where pickling the rows cost the worker and unpickling them the main process
    more than the worker's reading them back from the text)."""
    sha, rows = work(path, root, meta)
    if sha is None:
        return sha, rows, None, None
    state = State(out_dir)
    key = page_key(source, sha, meta)
    try:
        text = state.save_text(key, source, sha, rows)
    except OSError as exc:
        return sha, rows, None, f"cannot write {exc.filename or state.pages_dir}: {exc.strerror or exc}"
    return sha, text, key, None


def rows_of(saved: str) -> dict[str, list[dict]]:
    """The rows of a saved result's text (``State.save_text``), as ``State.save`` returns them."""
    return json.loads(saved)["rows"]


def _largest_first(todo: list[tuple[Path, str]]) -> list[tuple[Path, str]]:
    """The pages to hand to workers, largest file first: the last pages to finish are
    small ones, so no worker is left alone with a big page at the end."""
    def size(item: tuple[Path, str]) -> int:
        try:
            return item[0].stat().st_size
        except OSError:
            return 0
    return sorted(todo, key=size, reverse=True)


def _chars_each(todo: list[tuple[Path, str]], workers: int) -> int:
    """About how many characters each of ``workers`` will read: the pages' bytes over 3 (UTF-8
    Chinese; a GBK page's 2 bytes a character make it an underestimate) shared among them.
    Decides whether loading the CRF's compiled kernels before forking pays back."""
    total = 0
    for path, _ in todo:
        with contextlib.suppress(OSError):
            total += path.stat().st_size
    return total // 3 // max(1, workers)


# ASCII letters, digits and the signs of jieba's blocks (``jieba.re_han_default``): a block of a
# text holding one is cut by jieba's own code, which looks words up in the frequency table
# (``segmenter.fast_cut``), where jieba-rs cuts the rest; look-ups per such character, about
# (corpus/: 12,267 look-ups for 745 of them)
LATIN = bytes(range(0x30, 0x3A)) + bytes(range(0x41, 0x5B)) + bytes(range(0x61, 0x7B)) + b"+#&._%-"
FREQ_LOOKUPS_PER_LATIN = 16


def _latin_each(todo: list[tuple[Path, str]], workers: int) -> int:
    """About how many characters of ``LATIN`` each of ``workers`` will read: the pages' bytes
    of them (a GB18030 or UTF-16 page's other bytes make it an overestimate) shared among
    them. Decides whether jieba's frequency table is made a dict before forking (262 pd1998
    pages: none, and ~600 look-ups in all)."""
    total = 0
    for path, _ in todo:
        with contextlib.suppress(OSError):
            data = path.read_bytes()
            total += len(data) - len(data.translate(None, LATIN))
    return total // max(1, workers)


_LOCK_FD: int | None = None    # the run's lock file, which forked workers must not keep


def _worker_init(ctrl_c: bool = False) -> None:
    """In each worker: leave Ctrl-C to the main process (it reaches the whole process
    group; ``ctrl_c``: take it too), set the cyclic collector's ``WORKER_GC_THRESHOLD``, drop
    the inherited lock file (so a killed run's lock goes with the main process), and exit when the main process is gone (killed outright), not
    linger."""
    if not ctrl_c:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.set_threshold(*WORKER_GC_THRESHOLD)
    if _LOCK_FD is not None:
        with contextlib.suppress(OSError):
            os.close(_LOCK_FD)
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _in_order(todo: list[tuple[Path, str]], workers: int) -> list[tuple[Path, str]]:
    """The pages to hand to workers when their rows feed the full-text index (``FtsAhead``,
    which takes them in the pages' order): in that order, so the index keeps up with the
    workers, but for the last ``4 × workers`` pages, largest first (no worker is left alone
    with a big page at the end)."""
    cut = max(0, len(todo) - 4 * workers)
    return todo[:cut] + _largest_first(todo[cut:])


class FtsAhead:
    """The articles' full-text index built by the main process while the workers make the
    pages, from the articles of their rows as they come (``export.FtsBuilder``, into a
    temporary file beside the SQLite file), page after page in the tables' order: a page
    that comes before those ahead of it waits for them. Writing the tables after the last
    page then copies it in (``export.write_sqlite``) instead of building it, about half the
    SQLite file's time, when the articles are the ones it was built from (else it is built
    there as before: the same rows either way).

    ``sources``: the pages in the tables' order; ``none``: those whose rows have no
    articles (not read); ``reused``: the pages the run reuses, whose rows ``saved(source)``
    reads from their saved results (their articles are those rows': a page saved as failed
    has none); None when that file is missing or bad (the run makes the page again after
    the workers', so the index is then built with the tables, as after an error of its
    file)."""

    def __init__(self, out_dir: Path, sources: list[str], none=frozenset(), reused=frozenset(),
                 saved=None):
        fd, name = tempfile.mkstemp(prefix=temp_prefix(Path(out_dir) / DB_NAME), dir=out_dir)
        os.close(fd)
        self.path, self.cpu = Path(name), 0.0
        self._order, self._none, self._saved = list(sources), set(none), saved
        self._reused = set(reused)
        self._next = 0
        self._come: dict[str, list[tuple]] = {}
        self._builder: FtsBuilder | None = None
        self._got: tuple[str, int] | None = None
        self._done = False

    def add(self, source: str, rows: dict[str, list[dict]]) -> None:
        """A page's rows, come from a worker: its articles are indexed, and those of the
        pages after it that came before it."""
        if self._done:
            return
        cpu = time.process_time()
        self._come[source] = [(a.get("headline"), a.get("text")) for a in rows.get("articles") or ()]
        self._advance()
        self.cpu += time.process_time() - cpu

    def _advance(self) -> None:
        """Index the pages come (or reused) in order, up to the first still to come. An
        error of the index's file (a full disk) stops it: the index is then built with the
        tables."""
        try:
            while self._next < len(self._order):
                src = self._order[self._next]
                if src in self._none:
                    arts = ()
                elif src in self._come:
                    arts = self._come.pop(src)
                elif src in self._reused:
                    saved = self._saved(src)
                    if saved is None:               # its saved result is missing or bad
                        self._stop()
                        return
                    arts = [(a.get("headline"), a.get("text")) for a in saved.get("articles") or ()]
                else:
                    return                          # still to come
                if arts:
                    if self._builder is None:
                        self._builder = FtsBuilder(self.path)
                    self._builder.add(arts)
                self._next += 1
        except (sqlite3.Error, OSError):
            self._stop()

    def _stop(self) -> None:
        """No index: it is built with the tables (the pages that come are not kept)."""
        self._done = True
        self._come.clear()
        if self._builder is not None:
            self._builder.close()

    def result(self) -> tuple[str, int] | None:
        """(path, number of articles) of the index built, or None when a page's articles never came or
        its file failed (the index is then built with the tables)."""
        if not self._done:
            cpu = time.process_time()
            self._advance()
            if not self._done and self._next == len(self._order):
                try:
                    if self._builder is None:
                        self._builder = FtsBuilder(self.path)
                    self._got = (str(self.path), self._builder.finish())
                except (sqlite3.Error, OSError):
                    self._got = None
            self._done = True
            self.cpu += time.process_time() - cpu
        return self._got

    def close(self) -> None:
        """Close and remove the index's file. Raises nothing: it runs while the run unwinds
        (its Ctrl-C summary returned, or its error raised)."""
        self._done = True
        if self._builder is not None:
            self._builder.close()
        with contextlib.suppress(OSError):
            os.unlink(self.path)


def _index_by_fork() -> bool:
    """Whether a run's full-text index is built by a forked process (``FtsFork``), not from
    the workers' rows (``FtsAhead``): where there is ``fork`` and no other thread runs
    (forking threads is unsafe)."""
    return hasattr(os, "fork") and threading.active_count() == 1


def page_articles(path: Path, root: Path, meta: Metadata) -> list[tuple]:
    """(headline, text) of each ``articles`` row ``work`` gives the page at ``path``, without
    its layers: the page read, repaired and split as ``process_page`` does it (none where
    reading, repairing or splitting fails: ``work`` then gives no articles either), by
    ``process``' own ``page_items`` and ``article_body``."""
    from baozhi.run.process import article_body, page_items

    try:
        rep, arts = page_items(read_page(path, root, meta))
        return [(art.headline, article_body(rep, art)) for art in arts]
    except Exception:  # noqa: BLE001 - as work's page: no articles
        return []


class FtsFork:
    """The articles' full-text index built by a forked process from the page files themselves
    (``page_articles``, the pages in the tables' order, into a temporary file beside the
    SQLite file, ``export.FtsBuilder``), started before the main process loads the models:
    it runs on the core ``warm_up`` leaves idle, and the main process does not index the
    workers' rows as they come (``FtsAhead``: ~1.8 CPU-s of 262 pd1998 pages taken from the
    workers' cores). Writing the tables copies it in when its articles are the rows' (else
    it is built there: a page whose file changed meanwhile, or whose worker failed). The
    same interface as ``FtsAhead``: ``add`` does nothing, ``result`` waits for the process.

    ``pages``: (source, path) of each page in the tables' order, in the folder ``root``;
    ``none``: the sources not read (their rows have no articles)."""

    def __init__(self, out_dir: Path, root: Path, meta: Metadata, pages: list[tuple[str, Path]],
                 none=frozenset()):
        fd, name = tempfile.mkstemp(prefix=temp_prefix(Path(out_dir) / DB_NAME), dir=out_dir)
        os.close(fd)
        self.path, self.cpu = Path(name), 0.0
        self._got: tuple[str, int] | None = None
        self._pid: int | None = None
        self._read: int | None = None
        try:
            read, written = os.pipe()
            try:
                pid = os.fork()
            except OSError:
                os.close(read)
                os.close(written)
                raise
        except OSError:             # no process (nor pipe): no file left behind either
            with contextlib.suppress(OSError):
                os.unlink(self.path)
            raise
        if pid == 0:                # the child: index, say how many articles, exit without cleanup
            code = 1
            parent = os.getppid()
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C: the parent stops it
                os.close(read)
                if _LOCK_FD is not None:                          # the run's lock is the parent's
                    os.close(_LOCK_FD)
                gc.disable()
                builder = FtsBuilder(self.path)
                for source, path in pages:
                    if os.getppid() != parent:       # the run was killed: stop too, no file left
                        with contextlib.suppress(OSError):
                            os.unlink(self.path)
                        os._exit(1)
                    if source not in none:
                        builder.add(page_articles(path, root, meta))
                os.write(written, str(builder.finish()).encode())
                code = 0
            except BaseException:  # noqa: BLE001 - no index: built with the tables
                pass
            finally:
                os._exit(code)
        os.close(written)
        self._pid, self._read = pid, read

    def add(self, source: str, rows: dict[str, list[dict]]) -> None:
        """Nothing (the index is made from the page files), but for a page that failed as a
        whole after its file was split (``work``'s ``process`` error, or its worker died): its
        rows have no articles where the index has its file's, so the index would not be
        copied, and the process is stopped at once (the index is built with the tables)."""
        if not rows.get("articles") and any(e.get("stage") == "process" and e.get("article_id") is None
                                            for e in rows.get("errors") or ()):
            self.stop()

    def result(self) -> tuple[str, int] | None:
        """(path, number of articles) of the index built, or None when its process failed or
        was stopped; waits for it (interrupted while waiting, ``close`` still stops it)."""
        if self._pid is not None:
            data = b""
            while chunk := os.read(self._read, 64):
                data += chunk
            _, status, usage = os.wait4(self._pid, 0)
            self._pid = None              # reaped: only now (close() kills what is not)
            self._close_read()
            self.cpu = usage.ru_utime + usage.ru_stime
            if os.waitstatus_to_exitcode(status) == 0 and data.isdigit():
                self._got = (str(self.path), int(data))
        return self._got

    def stop(self) -> None:
        """Stop the process now (its index would not be copied: a page's rows came without
        the articles its file holds); ``result`` then gives None."""
        if self._pid is not None:
            pid, self._pid = self._pid, None
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)
        self._close_read()

    def _close_read(self) -> None:
        if self._read is not None:
            fd, self._read = self._read, None
            with contextlib.suppress(OSError):
                os.close(fd)

    def close(self) -> None:
        """Stop the process (if still running) and remove the index's file. Raises nothing."""
        self.stop()
        with contextlib.suppress(OSError):
            os.unlink(self.path)


# --------------------------------------------------------------------------- state


class State:
    """``OUT/.state``: saved page results and the manifest of the last complete run."""

    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        self.dir = self.out_dir / STATE_DIR
        self.pages_dir = self.dir / "pages"
        self.manifest_path = self.dir / "manifest.json"
        self.rules_stamp = self.dir / RULES_STAMP

    def manifest(self) -> dict:
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) and data.get("format") == STATE_FORMAT else {}

    def result_path(self, key: str) -> Path:
        return self.pages_dir / f"{key}.json"

    def has(self, key: str) -> bool:
        return self.result_path(key).is_file()

    def save(self, key: str, source: str, sha256: str, rows: dict[str, list[dict]]) -> dict:
        """Save one page's result atomically; returns the rows as they read back."""
        return rows_of(self.save_text(key, source, sha256, rows))

    def save_text(self, key: str, source: str, sha256: str, rows: dict[str, list[dict]]) -> str:
        """Save one page's result atomically; returns the text saved."""
        text = json.dumps({"key": key, "source": source, "sha256": sha256, "rows": rows},
                          ensure_ascii=False)
        atomic_write(self.result_path(key), text)
        return text

    def load(self, key: str) -> dict[str, list[dict]] | None:
        try:
            data = json.loads(self.result_path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        rows = data.get("rows") or {}
        return {t: rows.get(t) or [] for t in registry.tables()}

    def prune(self, keep: set[str]) -> None:
        """Remove saved results no page of the last complete run uses (and stray temp files)."""
        if not self.pages_dir.is_dir():
            return
        for p in self.pages_dir.iterdir():
            if p.name.startswith(".") or (p.suffix == ".json" and p.stem not in keep):
                with contextlib.suppress(OSError):
                    p.unlink()

    @contextlib.contextmanager
    def lock(self):
        """Hold ``.state/lock`` for the run: two runs must not write one output folder."""
        self.dir.mkdir(parents=True, exist_ok=True)
        try:
            import fcntl
        except ImportError:  # not POSIX: no lock
            yield
            return
        with open(self.dir / "lock", "w") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                raise RunError(f"another baozhi run is writing to {self.out_dir}") from None
            global _LOCK_FD
            _LOCK_FD = fh.fileno()
            try:
                yield
            finally:
                _LOCK_FD = None
                fcntl.flock(fh, fcntl.LOCK_UN)


def table_files(out_dir: Path) -> list[Path]:
    out_dir = Path(out_dir)
    return [out_dir / f"{t}{s}" for t in registry.tables() for s in (".csv", ".jsonl")] + [out_dir / DB_NAME]


def file_hashes(out_dir: Path, known: dict[str, str | None] | None = None) -> dict[str, str | None]:
    """sha256 of every table file and of the Parquet dataset (None where missing); ``known``:
    hashes already made of the files just written (``write_tables(hashes=)``), by name."""
    known = known or {}
    out = {PARQUET_DIR: known[PARQUET_DIR] if PARQUET_DIR in known
           else dataset_hash(Path(out_dir) / PARQUET_DIR)}
    for p in table_files(out_dir):
        if p.name in known:
            out[p.name] = known[p.name]
            continue
        try:
            out[p.name] = hashlib.sha256(p.read_bytes()).hexdigest()
        except OSError:
            out[p.name] = None
    return out


# --------------------------------------------------------------------------- timeline


class Timeline:
    """Where the main process of a run spends its time: each step's wall and CPU seconds
    (this process only: user + system) from the end of the step before. ``mark(name)`` ends a
    step; a step marked twice adds up. ``line()`` is what ``BAOZHI_TIMELINE=1`` prints and
    scripts/bench_scale.py reads."""

    def __init__(self, wall0: float | None = None, cpu0: float | None = None):
        self.wall = time.perf_counter() if wall0 is None else wall0
        self.cpu = time.process_time() if cpu0 is None else cpu0
        self.steps: dict[str, list[float]] = {}

    def mark(self, name: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        step = self.steps.setdefault(name, [0.0, 0.0])
        step[0] += wall - self.wall
        step[1] += cpu - self.cpu
        self.wall, self.cpu = wall, cpu

    def child(self, name: str, cpu: float) -> None:
        """The CPU seconds of a forked helper (``*_child``: no wall of its own, it ran beside
        the steps)."""
        self.steps[name] = [0.0, cpu]

    def part(self, name: str, cpu: float) -> None:
        """The CPU seconds of work inside the steps (``*_part``: counted in them already)."""
        self.steps[f"{name}_part"] = [0.0, cpu]

    def line(self) -> str:
        return "timeline (wall/CPU s of the main process): " + ", ".join(
            f"{name} {w:.2f}/{c:.2f}" for name, (w, c) in self.steps.items())


def parse_timeline(text: str) -> dict[str, tuple[float, float]]:
    """The steps of the last timeline line in ``text`` (a run's stderr): name -> (wall, CPU)."""
    lines = [ln for ln in text.splitlines() if "timeline (wall/CPU s" in ln]
    if not lines:
        return {}
    out = {}
    for item in lines[-1].split("): ", 1)[1].split(", "):
        name, _, figures = item.rpartition(" ")
        wall, cpu = figures.split("/")
        out[name] = (float(wall), float(cpu))
    return out


# --------------------------------------------------------------------------- progress


class Progress:
    """A tqdm bar on a terminal; in a log, a plain line every 10 % or every 30 s."""

    def __init__(self, total: int, log, every_s: float = 30.0):
        self.total, self.done, self.log, self.every_s = total, 0, log, every_s
        self.t0 = self.last_t = time.perf_counter()
        self.last_pct = 0
        self.bar = None
        if total and getattr(log, "isatty", lambda: False)():
            from tqdm import tqdm

            tqdm.monitor_interval = 0   # no monitor thread: the tables' writer forks (export.aside)
            self.bar = tqdm(total=total, unit="page", desc="baozhi run", file=log,
                            dynamic_ncols=True)

    def step(self, source: str) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.update(1)
            return
        now = time.perf_counter()
        pct = 100 * self.done // self.total
        if self.done == self.total or pct >= self.last_pct + 10 or now - self.last_t >= self.every_s:
            self.last_pct, self.last_t = pct - pct % 10, now
            rate = self.done / max(now - self.t0, 1e-9)
            left = (self.total - self.done) / rate if rate else 0
            print(f"baozhi run: {self.done}/{self.total} pages ({pct}%), {rate:.1f} pages/s, "
                  f"{_clock(left)} left", file=self.log, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _clock(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


# --------------------------------------------------------------------------- run


def _names(items: list[str], n: int = 10) -> str:
    return ", ".join(items[:n]) + (f" and {len(items) - n} more" if len(items) > n else "")


EXECUTORS = ("local", "dask")


def run(input_dir: Path, out_dir: Path, workers: int | None = None, log=None,
        executor: str = "local", scheduler: str | None = None) -> Summary:
    """Bring the tables under ``out_dir`` up to date with the pages under ``input_dir``.

    Returns a Summary (``interrupted`` when Ctrl-C stopped it: the previous tables are left
    and the pages done so far are kept for the next run). Raises RunError when the run
    cannot start (bad folder, rules or metadata: nothing under ``out_dir`` is touched) and
    OutputError when the output cannot be written (the previous tables are kept).

    ``executor="dask"`` processes the pages on a Dask cluster (``run.cluster``): a
    LocalCluster of ``workers`` processes, or the one at ``scheduler``; the tables and state
    are the same as with the local executor."""
    started = time.perf_counter()
    if executor not in EXECUTORS:
        raise RunError(f"unknown executor {executor!r}; executors are {', '.join(EXECUTORS)}")
    if scheduler and executor != "dask":
        raise RunError("--scheduler needs --executor dask")
    log = log or sys.stderr        # the stderr of the time of the call
    input_dir, out_dir = Path(input_dir), Path(out_dir)
    if not input_dir.is_dir():
        raise RunError(f"{input_dir}: no such folder")
    rules_checked = _check_rules(out_dir)
    meta = _load_metadata(input_dir)
    state = State(out_dir)
    with contextlib.ExitStack() as stack:
        with _writing(state.dir):
            stack.enter_context(state.lock())
            if not rules_checked:
                atomic_write(state.rules_stamp, _rules_stamp())
        timeline = Timeline(wall0=started, cpu0=0.0)   # CPU: this process's since it began
        timeline.mark("start")
        summary = _run(input_dir, out_dir, state, meta, workers, log, started, executor,
                       scheduler, timeline)
        if os.environ.get(TIMELINE_ENV):
            print(f"baozhi run: {timeline.line()}", file=log, flush=True)
        return summary


# --------------------------------------------------------------------------- run steps


def _rules_stamp() -> str:
    return f"{ruleset.version()} {code_version()}\n"


def _check_rules(out_dir: Path) -> bool:
    """Every rules file parses and every pattern compiles, before any page is touched
    (skipped when this output folder's last run checked these very rules and code).
    Returns whether the stamp was already there; raises RunError naming file, line, rule."""
    try:
        if (Path(out_dir) / STATE_DIR / RULES_STAMP).read_text(encoding="utf-8") == _rules_stamp():
            return True
    except (OSError, ValueError):
        pass
    from baozhi.layers.rulecheck import check_rules

    try:
        check_rules()
    except ruleset.RulesError as exc:
        raise RunError(f"{exc}\nno page was read and {out_dir} was not changed") from None
    return False


def _load_metadata(input_dir: Path) -> Metadata:
    try:
        return load_metadata(input_dir)
    except MetadataError as exc:
        raise RunError(str(exc)) from None


@dataclass
class Plan:
    """The pages of a run and what is known of each before processing."""

    sources: list[str] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)
    keys: dict[str, str | None] = field(default_factory=dict)
    shas: dict[str, str | None] = field(default_factory=dict)
    todo: list[tuple[Path, str]] = field(default_factory=list)
    # pages that give errors rows without being processed (unreadable, outside the folder)
    unread: dict[str, dict[str, list[dict]]] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)


def _clean_temp(out_dir: Path, state: State, log) -> None:
    """Remove the temporary files of a run killed while writing (``.articles.csv.x1y2``,
    ``.baozhi.sqlite.x1y2-journal``, ``.state/.manifest.json.x1y2``, ``.state/pages/.*``)."""
    prefixes = tuple(f".{p.name}." for p in table_files(out_dir))
    found = []
    if out_dir.is_dir():     # a Parquet dataset half written, or an old one set aside
        for p in out_dir.iterdir():
            if p.name.startswith(f".{PARQUET_DIR}.") and p.is_dir():
                shutil.rmtree(p, ignore_errors=True)
                found.append(p.name)
    for folder, pre in ((out_dir, prefixes), (state.dir, (f".{state.manifest_path.name}.",
                                                           f".{RULES_STAMP}.")),
                        (state.pages_dir, (".",))):
        if not folder.is_dir():
            continue
        for p in folder.iterdir():
            if p.name.startswith(pre) and p.is_file():
                with contextlib.suppress(OSError):
                    p.unlink()
                    found.append(p.name)
    if found:
        print(f"baozhi run: removed {len(found)} temporary file(s) of an earlier run that "
              f"was stopped while writing: {_names(sorted(found), 5)}", file=log, flush=True)


def _outside(path: Path, input_dir: Path) -> bool:
    """A page that is a link to a file outside the input folder."""
    try:
        return not path.resolve().is_relative_to(input_dir.resolve())
    except OSError:
        return False


def _plan(input_dir: Path, out_dir: Path, state: State, meta: Metadata, old_pages: dict,
          log) -> Plan:
    """Find the pages, hash each and say which must be processed."""
    pages = find_pages(input_dir, exclude=out_dir)
    if not pages:
        globs = ", ".join(ruleset.load("ingest/ingest.yaml")["page_globs"])
        print(f"baozhi run: no page files ({globs}) under {input_dir}", file=log, flush=True)
    plan = Plan()
    for path in pages:
        source = source_of(path, input_dir)
        plan.sources.append(source)
        plan.paths[source] = path
        plan.keys[source] = None
        if _outside(path, input_dir):
            plan.unread[source] = _empty() | {"errors": [_error_row(
                source, "ingest", f"{source}: a link to a file outside {input_dir}; not read")]}
            continue
        try:
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as exc:
            plan.unread[source] = _empty() | {"errors": [_error_row(
                source, "ingest", f"{source}: cannot read: {exc.strerror or exc}")]}
            continue
        plan.shas[source] = sha
        plan.keys[source] = key = page_key(source, sha, meta)
        if not state.has(key):
            plan.todo.append((path, source))
    plan.removed = sorted(set(old_pages) - set(plan.sources))
    return plan


def _collect(plan: Plan, results: dict, input_dir: Path, meta: Metadata, state: State,
             summary: Summary, tables: Tables) -> dict[str, dict[str, int]]:
    """Every page's rows into ``tables`` (those not given yet: reused, unread), and each
    page's row counts."""
    counts: dict[str, dict[str, int]] = {}
    for i, source in enumerate(plan.sources):
        rows = plan.unread.get(source) or results.get(source) or state.load(plan.keys[source])
        if rows is None:  # a saved result went missing or bad since: redo it now
            with _writing(state.pages_dir):
                rows = _redo(input_dir / source, input_dir, meta, state, plan.keys, plan.shas, source)
            summary.processed.append(source)
            summary.reused.remove(source)
        counts[source] = {t: len(rows[t]) for t in registry.tables()}
        if i not in tables:
            with _writing(state.out_dir):
                tables.add(i, rows)
    return counts


def _save_manifest(state: State, old: dict, input_dir: Path, out_dir: Path, plan: Plan,
                   counts: dict, summary: Summary) -> None:
    manifest = {
        "format": STATE_FORMAT, "input_dir": str(input_dir.resolve()),
        "rules_version": ruleset.version(), "code_version": code_version(),
        "pages": {s: {"key": plan.keys[s], "sha256": plan.shas.get(s), "counts": counts[s]}
                  for s in plan.sources},
        "counts": summary.counts,
        "tables": file_hashes(out_dir, summary.hashes) if summary.tables_written
        else old.get("tables"),
    }
    if manifest != {k: old.get(k) for k in manifest}:
        with _writing(state.manifest_path):
            atomic_write(state.manifest_path, json.dumps(manifest, ensure_ascii=False, indent=1))


def _say_done(summary: Summary, out_dir: Path, log) -> None:
    if summary.processed and len(summary.processed) <= 10:
        print(f"baozhi run: processed {_names(summary.processed)}", file=log)
    if summary.removed:
        print(f"baozhi run: removed {_names(summary.removed)}", file=log)
    where = "written to" if summary.tables_written else "unchanged in"
    print(f"baozhi run: {summary.line()}; tables {where} {out_dir}", file=log, flush=True)


def _run(input_dir, out_dir, state: State, meta: Metadata, workers, log, started,
         executor: str = "local", scheduler: str | None = None,
         timeline: Timeline | None = None) -> Summary:
    """The steps of a run, under its lock: clean up, plan, process, collect, write, record."""
    _clean_temp(out_dir, state, log)
    old = state.manifest()
    old_pages = old.get("pages") or {}
    plan = _plan(input_dir, out_dir, state, meta, old_pages, log)
    summary = Summary(pages=len(plan.sources), removed=plan.removed)
    summary.timeline = timeline = timeline or Timeline()
    timeline.mark("plan")
    todo_sources = {src for _, src in plan.todo}
    summary.reused = [s for s in plan.sources if plan.keys[s] and s not in todo_sources]
    if plan.todo:
        print(f"baozhi run: {len(plan.sources)} pages in {input_dir}: {len(plan.todo)} to "
              f"process, {len(summary.reused)} reused, {len(plan.removed)} removed",
              file=log, flush=True)

    results: dict[str, dict[str, list[dict]]] = {}
    # the full-text index, built from the workers' rows as they come (local workers, and most
    # pages to make: a rerun of a few pages would index the reused ones while they are made)
    reused = {s: plan.keys[s] for s in summary.reused}

    def saved(source: str) -> dict[str, list[dict]] | None:
        """A reused page's saved rows (kept for ``_collect``), None when its file is missing
        or bad (``_collect`` makes the page again)."""
        rows = results.get(source) or state.load(reused[source])
        if rows is not None:
            results[source] = rows
        return rows

    cores = max(1, workers or os.cpu_count() or 1)
    ahead = None
    with contextlib.ExitStack() as cleanup:
        if executor == "local" and cores > 1 and len(plan.todo) > 1 and \
                2 * len(plan.todo) >= len(plan.sources):
            with contextlib.suppress(OSError):     # an optional gain: the run goes on without it
                if _index_by_fork():
                    # pages whose rows have no articles: not read, and reused pages saved so
                    # (a page saved as failed: its file's articles would not match its rows)
                    none = set(plan.unread) | {
                        s for s in summary.reused if (old_pages.get(s) or {}).get("key") == plan.keys[s]
                        and ((old_pages[s].get("counts") or {}).get("articles") == 0)}
                    ahead = FtsFork(out_dir, input_dir, meta,
                                    [(s, plan.paths[s]) for s in plan.sources], none)
                    cleanup.callback(ahead.close)
                    timeline.mark("fts_fork")
                else:
                    ahead = FtsAhead(out_dir, plan.sources, plan.unread, reused, saved)
                    cleanup.callback(ahead.close)
        return _write(input_dir, out_dir, state, meta, workers, log, started, executor,
                      scheduler, timeline, plan, summary, old, old_pages, results, ahead, cores)


def _write(input_dir, out_dir, state: State, meta: Metadata, workers, log, started, executor,
           scheduler, timeline: Timeline, plan: Plan, summary: Summary, old: dict,
           old_pages: dict, results: dict, ahead: "FtsAhead | None", cores: int) -> Summary:
    """Process the pages to make and write the tables (``_run``'s second half; ``cores``: the
    workers asked for, or the machine's cores)."""
    # pages to make: the tables are written (spooled) as each page comes, not all at the end
    with contextlib.closing(Tables(spool=out_dir) if plan.todo else Tables()) as tables:
        try:
            _process(plan.todo, input_dir, meta, state, plan.keys, plan.shas, results, summary,
                     workers, log, executor, scheduler, tables, plan.sources, timeline, ahead)
        except KeyboardInterrupt:
            summary.interrupted = True
            summary.seconds = time.perf_counter() - started
            if ahead is not None:
                _index_cpu(timeline, ahead)
            print(f"baozhi run: interrupted after {len(summary.processed)} of {len(plan.todo)} "
                  "pages; the tables were not changed. Run again to finish (pages done are kept).",
                  file=log, flush=True)
            return summary

        changed = bool(plan.todo or plan.removed or plan.unread) or \
            any((old_pages.get(s) or {}).get("key") != plan.keys[s] for s in plan.sources)
        stale = old.get("tables") != file_hashes(out_dir)
        if changed or stale or not old:
            counts = _collect(plan, results, input_dir, meta, state, summary, tables)
            timeline.mark("collect")
            with _writing(out_dir):     # the previous tables stay until every new file is written
                # with more than one worker, the SQLite file is written beside the rest
                fts = ahead.result() if ahead is not None else None
                timeline.mark("fts_join")
                if ahead is not None:
                    _index_cpu(timeline, ahead)
                summary.hashes = {}
                write_tables(out_dir, tables, cores=cores, timeline=timeline, fts=fts,
                             hashes=summary.hashes)
            summary.tables_written = True
            summary.counts = {t: len(tables.get(t)) for t in registry.tables()}
        else:
            counts = {s: old_pages[s]["counts"] for s in plan.sources}
            summary.counts = dict(old.get("counts") or {})

        summary.failed_pages = sum(1 for s in plan.sources if counts[s].get("errors"))
        _save_manifest(state, old, input_dir, out_dir, plan, counts, summary)
        state.prune({k for k in plan.keys.values() if k})
        timeline.mark("manifest")
        summary.seconds = time.perf_counter() - started
        _say_done(summary, out_dir, log)
        return summary


def _index_cpu(timeline: Timeline, ahead: "FtsAhead | FtsFork") -> None:
    """The full-text index's CPU seconds: this process's (``fts_index_part``, inside the
    pages' step) or its forked builder's (``fts_child``, beside the steps; 0 when it was
    stopped)."""
    if isinstance(ahead, FtsFork):
        timeline.child("fts_child", ahead.cpu)
    else:
        timeline.part("fts_index", ahead.cpu)


def _redo(path, root, meta, state, keys, shas, source) -> dict[str, list[dict]]:
    sha, rows = work(path, root, meta)
    if sha is None:
        return rows
    shas[source] = sha
    keys[source] = key = page_key(source, sha, meta)
    return state.save(key, source, sha, rows)


def _process(todo, input_dir, meta, state: State, keys, shas, results, summary: Summary,
             workers, log, executor: str = "local", scheduler: str | None = None,
             tables: Tables | None = None, sources: list[str] = (),
             timeline: Timeline | None = None, ahead: FtsAhead | None = None) -> None:
    """Process the pages in ``todo``, saving each result as it comes and giving its rows to
    ``tables`` (keyed by the page's place in ``sources``) and to ``ahead`` (the full-text
    index: local workers then get the pages in ``sources``' order, ``_in_order``)."""
    if not todo:
        return
    timeline = timeline or Timeline()
    progress = Progress(len(todo), log)
    order = {source: i for i, source in enumerate(sources)}

    def give(source: str, rows: dict[str, list[dict]]) -> None:
        results[source] = rows
        if tables is not None and source in order:
            with _writing(state.out_dir):
                tables.add(order[source], rows)
        if ahead is not None:
            ahead.add(source, rows)

    def finish(source: str, sha: str | None, rows: dict[str, list[dict]] | str,
               saved: str | None = None, unsaved: str | None = None) -> None:
        """A page made: ``rows`` are its rows, or, where ``saved`` (the key a local worker
        saved it under), the saved result's text (``State.save_text``), parsed here."""
        if unsaved:          # the worker could not save it: the output cannot be written
            raise OutputError(unsaved)
        if sha is not None:  # saved under the bytes actually read
            shas[source] = sha
            keys[source] = key = saved or page_key(source, sha, meta)
            if saved:        # a local worker saved it: its rows come as the saved text
                rows = rows_of(rows)
            else:
                with _writing(state.pages_dir):
                    rows = state.save(key, source, sha, rows)
        give(source, rows)
        summary.processed.append(source)
        progress.step(source)

    def failed(source: str, exc: BaseException) -> None:
        give(source, _empty() | {"errors": [_error_row(
            source, "process", f"worker failed: {type(exc).__name__}: {exc}")]})
        keys[source] = None  # not saved: tried again next run
        summary.processed.append(source)
        progress.step(source)

    workers = max(1, workers or os.cpu_count() or 1)
    try:
        if executor == "dask":
            from baozhi.run.cluster import dask_map

            # absolute paths (not resolved: a link keeps its own name as its source)
            root = input_dir.absolute()
            jobs = [(root / path.relative_to(input_dir), root, meta) for path, _ in todo]
            done = dask_map(work, jobs, workers, scheduler)
            try:
                preload()
                for i, result in done:
                    if isinstance(result, BaseException):
                        failed(todo[i][1], result)
                    else:
                        finish(todo[i][1], *result)
            finally:
                done.close()
            return
        if workers == 1 or len(todo) == 1:
            froze = False
            threshold = gc.get_threshold()
            try:
                for n, (path, source) in enumerate(todo):
                    finish(source, *work(path, input_dir, meta))
                    if n == 0 and len(todo) > 1:
                        # the models the first page loaded, out of the cyclic collector's
                        # reach for the other pages (as the local workers' parent does);
                        # then, as in a local worker, each page's memos and rows too, and
                        # a collection only past WORKER_GC_THRESHOLD new objects (both undone
                        # below). GC of 262 pd1998 pages in one process: 1.65 CPU-s -> ~0.1
                        froze = _freeze()
                        if froze:
                            gc.set_threshold(*WORKER_GC_THRESHOLD)
                    elif froze:
                        gc.freeze()
            finally:
                if froze:
                    gc.set_threshold(*threshold)
                    gc.unfreeze()
            return
        # load the models here, once, before the workers fork: each starts with them loaded
        # (shared copy-on-write pages, frozen out of the cyclic collector's reach) instead of
        # paying the loading itself
        from baozhi.layers.entities.entities import JIT_AFTER
        from baozhi.resources.segmenter import Freq
        from baozhi.run.chunked import warm_up

        # the collector off while the models load (what warm_up loads lives as long as the
        # process, and is frozen right after; collections over it cost 0.035-0.05 CPU-s)
        with collector.paused():
            # the frequency table as a dict where a worker would make it one itself
            warm_up(kernels=_chars_each(todo, workers) >= JIT_AFTER,
                    freq=_latin_each(todo, workers) * FREQ_LOOKUPS_PER_LATIN >= Freq.DICT_AFTER)
            if not gc.get_freeze_count():
                # what warm_up left in reference cycles, freed before _freeze keeps it for the
                # run and every worker's life: with the collector off it is all young (a warm
                # cache: ~420 objects, 0.025 CPU-s to find; a first run that compiles numba
                # kernels: ~96,000, 20 MB). Once the collector is on again its first young
                # collection would do the same at the next allocation — not if the caller
                # has it off, hence here. The collector on during warm_up: 0.035-0.05 CPU-s
                gc.collect(0)
        timeline.mark("warm_up")
        froze = _freeze()
        fork = (multiprocessing.get_context("fork")
                if "fork" in multiprocessing.get_all_start_methods() else None)
        try:
            pool = ProcessPoolExecutor(max_workers=min(workers, len(todo)),
                                       initializer=_worker_init, mp_context=fork)
        except BaseException:
            if froze:            # no pool: the ``finally`` below that unfreezes is not reached
                gc.unfreeze()
            raise
        try:
            # each worker saves the pages it made; the largest pages go first, or, when the
            # index is built from the rows (``FtsAhead``), the pages in order but for the last few
            futures = {pool.submit(_worker_page, path, input_dir, meta, source, state.out_dir): source
                       for path, source in (_in_order(todo, workers) if isinstance(ahead, FtsAhead)
                                            else _largest_first(todo))}
            timeline.mark("fork")
            preload()     # the workers are forked: the writers' libraries load while they work
            timeline.mark("preload")
            # each page as it comes (``as_completed`` waits on every future once: a ``wait``
            # for the first of those pending, page after page, installed and removed a waiter
            # on each pending future every time, ~0.2 CPU-s of this process over 262 pages)
            for fut in as_completed(futures):
                source = futures[fut]
                try:
                    result = fut.result()
                except Exception as exc:  # noqa: BLE001 - a worker died (killed, out of memory)
                    failed(source, exc)
                    continue
                finish(source, *result)   # a failed save stops the run (OutputError)
                if froze:    # its rows out of the collector's reach too (unfrozen below)
                    gc.freeze()
        except BaseException:  # Ctrl-C: stop the workers now, mid-page (their pages are redone)
            procs = list((getattr(pool, "_processes", None) or {}).values())
            for proc in procs:
                with contextlib.suppress(Exception):
                    proc.terminate()
            # a worker stopped while sending a page's rows leaves half a message in the results'
            # pipe: the pool's thread waits for the rest in ``recv`` and this process, exiting,
            # for that thread (seen: the test's Ctrl-C comes as a page is saved, just before its
            # rows are sent). With the workers gone and this end of the pipe closed, the read
            # ends (EOF) and the thread with it.
            for proc in procs:
                with contextlib.suppress(Exception):
                    proc.join(5)
            with contextlib.suppress(Exception):
                pool._result_queue._writer.close()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        finally:
            if froze:
                gc.unfreeze()
        pool.shutdown(wait=True)
    finally:
        progress.close()
        summary.processed.sort()
        timeline.mark("pages")
