"""Issue 12: with local workers the articles' full-text index is built by the main process
from the workers' rows as they come, in the pages' order (``batch.FtsAhead``), and copied
into the SQLite file after the last page; the database is the one built at the end (its
dump, the index's tables included), and an index that does not match the articles makes it
be built as before."""
from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from baozhi.run import batch, export
from conftest import ROOT
from same_tables import differences, sqlite_rows
from test_batch import CORPUS, PAGES, articles, fail_page, make_input

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")


def _rows(out) -> dict[str, list[dict]]:
    """Every table of a run's output folder, from its saved page results, in page order."""
    state = batch.State(out)
    manifest = state.manifest()
    rows: dict[str, list[dict]] = {t: [] for t in export.tables()}
    for source in sorted(manifest["pages"]):
        got = state.load(manifest["pages"][source]["key"])
        for t in rows:
            rows[t] += got[t]
    return rows


def _by_page(out) -> dict[str, list[tuple]]:
    """(headline, text) of every article of a run's output, by page, in page order."""
    got: dict[str, list[tuple]] = {}
    for a in articles(out):
        got.setdefault(a["source"], []).append((a["headline"], a["text"]))
    return got


def _ahead(tmp_path, pages: list[list[tuple]]) -> tuple:
    """The full-text index of ``pages``' articles built ahead, a page at a time
    (``export.FtsBuilder``): its file and the number of articles it indexed."""
    ahead = tmp_path / "ahead.sqlite"
    builder = export.FtsBuilder(ahead)
    for arts in pages:
        builder.add(arts)
    return ahead, builder.finish()


def _indexed(path) -> list[tuple]:
    """The articles an index file built ahead holds: (rowid, headline, text) of each."""
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT rowid, headline, text FROM articles ORDER BY rowid").fetchall()
    finally:
        con.close()


def test_an_index_built_ahead_is_copied_in_and_gives_the_same_database(tmp_path, monkeypatch):
    src = make_input(tmp_path, PAGES[:3])
    out = tmp_path / "out"
    batch.run(src, out, workers=1, log=io.StringIO())
    ahead, indexed = _ahead(tmp_path, list(_by_page(out).values()))     # a page at a time

    def no_build(db):
        raise AssertionError("the index was built again")

    monkeypatch.setattr(export, "_fts", no_build)
    export.write_sqlite(tmp_path / "copied.sqlite", _rows(out), fts=(str(ahead), indexed))
    assert sqlite_rows(tmp_path / "copied.sqlite") == sqlite_rows(out / export.DB_NAME)
    con = sqlite3.connect(tmp_path / "copied.sqlite")
    headline = next(a["headline"] for a in articles(out) if len(a["headline"] or "") >= 3)
    hits = con.execute("SELECT a.headline FROM articles_fts JOIN articles a ON a.rowid = "
                       "articles_fts.rowid WHERE articles_fts MATCH ?", (f'"{headline}"',)).fetchall()
    assert (headline,) in hits


def test_an_index_built_from_other_articles_is_not_used(tmp_path):
    src = make_input(tmp_path, PAGES[:2])
    out = tmp_path / "out"
    batch.run(src, out, workers=1, log=io.StringIO())
    ahead, indexed = _ahead(tmp_path, list(_by_page(out).values())[1:])
    export.write_sqlite(tmp_path / "built.sqlite", _rows(out), fts=(str(ahead), indexed))
    assert sqlite_rows(tmp_path / "built.sqlite") == sqlite_rows(out / export.DB_NAME)


@pytest.mark.parametrize("change", ["text", "headline", "rowid"])
def test_an_index_of_as_many_articles_one_of_them_other_is_not_used(tmp_path, monkeypatch, change):
    """The same number of articles, one of them another text, headline or place: built here."""
    src = make_input(tmp_path, PAGES[:2])
    out = tmp_path / "out"
    batch.run(src, out, workers=1, log=io.StringIO())
    pages = [list(arts) for arts in _by_page(out).values()]
    headline, text = pages[-1][-1]
    if change == "text":
        pages[-1][-1] = (headline, (text or "") + "。")
    elif change == "headline":
        pages[-1][-1] = ((headline or "") + "x", text)
    else:
        pages[-1][-1], pages[0][0] = pages[0][0], pages[-1][-1]
    ahead, indexed = _ahead(tmp_path, pages)
    copied = []
    real = export._copy_fts
    monkeypatch.setattr(export, "_copy_fts", lambda *a: copied.append(real(*a)) or copied[-1])
    export.write_sqlite(tmp_path / "built.sqlite", _rows(out), fts=(str(ahead), indexed))
    assert copied == [False]
    assert sqlite_rows(tmp_path / "built.sqlite") == sqlite_rows(out / export.DB_NAME)


@needs_fork
def test_two_workers_with_a_failing_page_keep_the_others_rows_and_a_rerun_redoes_only_it(tmp_path):
    src = make_input(tmp_path, PAGES)
    one, two = tmp_path / "one", tmp_path / "two"
    # in a fresh process (no thread yet: the index's builder forks), the first page made to fail
    code = """if True:
        import io, json, sys
        from pathlib import Path
        from baozhi.run import batch
        import baozhi.run.process as process
        real = process.process_page
        def flaky(page):
            if page.source == sys.argv[3]:
                raise RuntimeError("layer exploded")
            return real(page)
        process.process_page = flaky
        s = batch.run(Path(sys.argv[1]), Path(sys.argv[2]), workers=int(sys.argv[4]),
                      log=io.StringIO())
        print(json.dumps({"processed": s.processed, "steps": list(s.timeline.steps)}))
    """
    got = {}
    for out, workers in ((one, 1), (two, 2)):
        proc = subprocess.run([sys.executable, "-c", code, str(src), str(out), PAGES[0],
                               str(workers)], capture_output=True, text=True, cwd=ROOT)
        assert proc.returncode == 0, proc.stderr
        got[workers] = json.loads(proc.stdout)
    assert got[2]["processed"] == PAGES and "fts_child" in got[2]["steps"]
    assert differences(one, two) == []
    errors = [json.loads(line) for line in (two / "errors.jsonl").open(encoding="utf-8")]
    assert [(e["source"], e["stage"]) for e in errors] == [(PAGES[0], "process")]
    assert {a["source"] for a in articles(two)} == set(PAGES[1:])
    assert not [p for p in two.iterdir() if p.name.startswith(".") and p.name != ".state"]
    # the page mended: only it is made again (its failure was saved: its key is the same, so
    # it is redone here by changing its bytes), and the tables are a fresh run's
    (src / PAGES[0]).write_text((src / PAGES[0]).read_text(encoding="utf-8") + "\n",
                                encoding="utf-8")
    s = batch.run(src, two, workers=2, log=io.StringIO())
    assert s.processed == [PAGES[0]]
    fresh = tmp_path / "fresh"
    batch.run(src, fresh, workers=1, log=io.StringIO())
    assert differences(fresh, two) == []
    assert PAGES[0] in {a["source"] for a in articles(two)}


def test_a_damaged_index_file_is_not_copied_and_the_index_is_built(tmp_path):
    """An index file built ahead that is damaged afterwards (its articles were right) is left
    aside: the index is built with the tables, the same database as without it."""
    src = make_input(tmp_path, PAGES[:2])
    out = tmp_path / "out"
    batch.run(src, out, workers=1, log=io.StringIO())
    ahead, indexed = _ahead(tmp_path, list(_by_page(out).values()))
    raw = bytearray(ahead.read_bytes())
    raw[:16] = b"not a database!!"
    ahead.write_bytes(bytes(raw))
    export.write_sqlite(tmp_path / "built.sqlite", _rows(out), fts=(str(ahead), indexed))
    assert sqlite_rows(tmp_path / "built.sqlite") == sqlite_rows(out / export.DB_NAME)


_RUN = """if True:
    import io, json, sys
    from pathlib import Path
    from baozhi.run import batch, export
    marker = Path(sys.argv[3])
    real = export._copy_fts
    def copy(*args):                 # (in the forked SQLite writer: told through a file)
        copied = real(*args)
        marker.write_text(str(copied))
        return copied
    export._copy_fts = copy
    if sys.argv[4] == "fail":        # the index's file fails (a full disk) with the 2nd page
        import sqlite3
        class Full(export.FtsBuilder):
            def add(self, articles):
                if self.rows:
                    raise sqlite3.OperationalError("database or disk is full")
                super().add(articles)
        batch.FtsBuilder = Full
    if sys.argv[5] == "rows":        # the index from the workers' rows (FtsAhead), not forked
        batch._index_by_fork = lambda: False
    s = batch.run(Path(sys.argv[1]), Path(sys.argv[2]), workers=2, log=io.StringIO())
    print(json.dumps({"processed": s.processed, "steps": list(s.timeline.steps)}))
"""


@needs_fork
@pytest.mark.parametrize("kind", ["fork", "rows"])
@pytest.mark.parametrize("builder", ["ok", "fail"])
def test_two_workers_copy_the_index_built_ahead_or_build_it_when_that_failed(tmp_path, builder, kind):
    """A 2-worker run copies in the index built ahead (by a forked process from the page
    files, ``FtsFork``, or from the workers' rows, ``FtsAhead``), or builds it when the
    index's file failed: the SQLite file's dump is a 1-worker run's either way."""
    src = make_input(tmp_path, PAGES[:3])
    one, two, marker = tmp_path / "one", tmp_path / "two", tmp_path / "copied"
    batch.run(src, one, workers=1, log=io.StringIO())
    proc = subprocess.run([sys.executable, "-c", _RUN, str(src), str(two), str(marker), builder,
                           kind], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    assert got["processed"] == PAGES[:3]
    assert ("fts_child" if kind == "fork" else "fts_index_part") in got["steps"]
    if builder == "ok":
        assert marker.read_text() == "True"
    else:
        assert not marker.exists()
    assert sqlite_rows(two / export.DB_NAME) == sqlite_rows(one / export.DB_NAME)
    assert differences(one, two) == []
    assert not [p for p in two.iterdir() if p.name.startswith(".") and p.name != ".state"]


def test_a_reused_page_saved_as_failed_gives_the_index_no_articles(tmp_path, monkeypatch):
    """The index takes a reused page's articles from its saved rows: a page whose processing
    failed (saved with no articles) gives none, as its rows; pages that come out of order are
    indexed in the pages' order."""
    src = make_input(tmp_path, PAGES[:3])
    out = tmp_path / "out"
    fail_page(monkeypatch, PAGES[1])
    batch.run(src, out, workers=1, log=io.StringIO())
    state = batch.State(out)
    keys = {s: p["key"] for s, p in state.manifest()["pages"].items()}
    want_path, want = _ahead(tmp_path, list(_by_page(out).values()))
    assert {a["source"] for a in articles(out)} == {PAGES[0], PAGES[2]}
    # PAGES[1] reused (saved as failed), the others come from workers, the last one first
    ahead = batch.FtsAhead(tmp_path, PAGES[:3], (), {PAGES[1]}, lambda s: state.load(keys[s]))
    try:
        ahead.add(PAGES[2], state.load(keys[PAGES[2]]))
        ahead.add(PAGES[0], state.load(keys[PAGES[0]]))
        path, indexed = ahead.result()
        assert indexed == want == len(_indexed(want_path))
        assert _indexed(path) == _indexed(want_path)
    finally:
        ahead.close()
    assert not Path(path).exists()
    # a page that never came: no index (it is built with the tables)
    ahead = batch.FtsAhead(tmp_path, PAGES[:3])
    ahead.add(PAGES[0], state.load(keys[PAGES[0]]))
    assert ahead.result() is None
    ahead.close()


def test_a_reused_page_whose_saved_file_is_bad_stops_the_index_at_once(tmp_path):
    """A reused page whose saved result is missing or bad (the run makes it again after the
    workers'): the index is left to the tables at once, its file read once, and the pages
    that come after it are not kept."""
    src = make_input(tmp_path, PAGES[:3])
    out = tmp_path / "out"
    batch.run(src, out, workers=1, log=io.StringIO())
    state = batch.State(out)
    keys = {s: p["key"] for s, p in state.manifest()["pages"].items()}
    state.result_path(keys[PAGES[0]]).write_text('{"key": "cut sh', encoding="utf-8")
    asked = []

    def saved(source):
        asked.append(source)
        return state.load(keys[source])

    ahead = batch.FtsAhead(tmp_path, PAGES[:3], (), {PAGES[0]}, saved)
    try:
        for source in PAGES[1:3]:
            ahead.add(source, state.load(keys[source]))
            assert ahead._come == {}
        assert ahead.result() is None
    finally:
        ahead.close()
    assert asked == [PAGES[0]]


_DAMAGED = """if True:
    import io, json, sys
    from pathlib import Path
    from baozhi.run import batch
    held, results = [], []
    add, result = batch.FtsAhead.add, batch.FtsAhead.result
    def counted(self, source, rows):
        add(self, source, rows)
        held.append(len(self._come))
    def told(self):
        results.append(result(self))
        return results[-1]
    batch.FtsAhead.add, batch.FtsAhead.result = counted, told
    batch._index_by_fork = lambda: False     # the index from the workers' rows (FtsAhead)
    s = batch.run(Path(sys.argv[1]), Path(sys.argv[2]), workers=2, log=io.StringIO())
    print(json.dumps({"processed": s.processed, "held": held, "results": results}))
"""


@needs_fork
def test_two_workers_with_a_reused_page_whose_saved_file_is_bad_build_the_index_with_the_tables(tmp_path):
    """A rerun whose reused page's saved result was damaged: the index is built with the
    tables (the page made again), the database a fresh run's, and the pages that came from
    the workers meanwhile were not kept for the index."""
    src = make_input(tmp_path, PAGES[:3])
    two = tmp_path / "two"
    batch.run(src, two, workers=1, log=io.StringIO())
    state = batch.State(two)
    key = state.manifest()["pages"][PAGES[0]]["key"]
    for name in PAGES[1:3]:             # two pages of three changed: the index is built ahead
        (src / name).write_text((src / name).read_text(encoding="utf-8") + "\n", encoding="utf-8")
    state.result_path(key).write_text("{not json", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", _DAMAGED, str(src), str(two)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    assert sorted(got["processed"]) == PAGES[:3]        # the damaged page made again
    assert got["results"] == [None] and got["held"] and not any(got["held"])
    fresh = tmp_path / "fresh"
    batch.run(src, fresh, workers=1, log=io.StringIO())
    assert sqlite_rows(two / export.DB_NAME) == sqlite_rows(fresh / export.DB_NAME)
    assert differences(fresh, two) == []
    assert not [p for p in two.iterdir() if p.name.startswith(".") and p.name != ".state"]


def test_the_index_holds_each_article_once(tmp_path):
    """The full-text index is what FTS5 builds from the articles by itself ('rebuild'): each
    article indexed once (a second fill doubled the index data and gave the same hits)."""
    src = make_input(tmp_path, PAGES[:2])
    out = tmp_path / "out"
    batch.run(src, out, workers=1, log=io.StringIO())
    con = sqlite3.connect(out / export.DB_NAME)

    def index_bytes():
        return sum(len(b) for (b,) in con.execute("SELECT block FROM articles_fts_data"))

    written = index_bytes()
    con.execute("INSERT INTO articles_fts(articles_fts) VALUES('rebuild')")
    con.commit()
    assert index_bytes() == written
    headline = next(a["headline"] for a in articles(out) if len(a["headline"] or "") >= 3)
    hits = con.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?",
                       (f'"{headline}"',)).fetchall()
    assert hits and len(hits) == len(set(hits))


def test_page_articles_are_the_articles_rows(tmp_path, shared):
    """``batch.page_articles`` (what the forked index builder reads of a page without its
    layers) gives each page's ``articles`` rows' (headline, text), for the corpus pages, 30
    pd1998 pages and a file of every byte; none for a file that cannot be read."""
    for root, names in ((Path(ROOT) / "corpus", PAGES),
                        (shared / "pd1998" / "pages",
                         sorted(p.name for p in (shared / "pd1998" / "pages").glob("*.txt"))[:30])):
        meta = batch.load_metadata(root)
        for name in names:
            rows = batch.work(root / name, root, meta)[1]["articles"]
            assert batch.page_articles(root / name, root, meta) == [
                (a["headline"], a["text"]) for a in rows], name
    meta = batch.load_metadata(tmp_path)
    odd = tmp_path / "odd.txt"
    odd.write_bytes(bytes(range(256)) * 50)
    assert batch.page_articles(odd, tmp_path, meta) == [
        (a["headline"], a["text"]) for a in batch.work(odd, tmp_path, meta)[1]["articles"]]
    gone = tmp_path / "gone.txt"
    assert batch.work(gone, tmp_path, meta)[1]["articles"] == [] == \
        batch.page_articles(gone, tmp_path, meta)


@needs_fork
def test_the_forked_builder_indexes_the_pages_as_their_rows_would(tmp_path):
    """``FtsFork`` over the pages (one not read, one missing since the plan) holds the index
    ``FtsAhead`` builds from the rows of a run of them, rowid for rowid; ``close`` removes its
    file, and a builder stopped before its end gives none."""
    src = make_input(tmp_path, PAGES[:3])
    out = tmp_path / "out"
    batch.run(src, out, workers=1, log=io.StringIO())
    want_path, want = _ahead(tmp_path, [arts for s, arts in _by_page(out).items() if s != PAGES[1]])
    meta = batch.load_metadata(src)
    pages = [(s, src / s) for s in PAGES[:3]] + [("gone.txt", src / "gone.txt")]
    fork = batch.FtsFork(tmp_path, src, meta, pages, {PAGES[1]})
    try:
        path, indexed = fork.result()
        assert fork.result() == (path, indexed) and fork.cpu > 0
        assert indexed == want and _indexed(path) == _indexed(want_path)
    finally:
        fork.close()
    assert not Path(path).exists()


@needs_fork
def test_a_builder_interrupted_while_waited_for_is_stopped_and_reaped(tmp_path, monkeypatch):
    """Ctrl-C while ``FtsFork.result`` waits for the builder (review F1): ``close`` still kills
    and reaps it (no process left running nor a zombie) and removes its file; a builder
    stopped (``stop``: a page's rows came without their file's articles) gives no index."""
    src = make_input(tmp_path, PAGES[:3])
    meta = batch.load_metadata(src)
    pages = [(s, src / s) for s in PAGES[:3]] * 400      # long enough to be waited for
    fork = batch.FtsFork(tmp_path, src, meta, pages)
    pid = fork._pid
    real_read = os.read

    def interrupted(fd, n):
        raise KeyboardInterrupt

    monkeypatch.setattr(batch.os, "read", interrupted)
    with pytest.raises(KeyboardInterrupt):
        fork.result()
    monkeypatch.setattr(batch.os, "read", real_read)
    assert os.waitpid(pid, os.WNOHANG) == (0, 0), "still running, not reaped"
    fork.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
    assert not fork.path.exists()
    stopped = batch.FtsFork(tmp_path, src, meta, pages)
    pid = stopped._pid
    stopped.add(PAGES[0], {"articles": [], "errors": [
        {"source": PAGES[0], "article_id": None, "stage": "process", "error": "worker failed: x"}]})
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
    assert stopped.result() is None and stopped.path.exists()
    stopped.close()
    assert not stopped.path.exists()
    kept = batch.FtsFork(tmp_path, src, meta, pages[:3])
    kept.add(PAGES[0], {"articles": [], "errors": [       # an article's error: the page is whole
        {"source": PAGES[0], "article_id": "x:01", "stage": "layers", "error": "E"}]})
    assert kept.result() is not None
    kept.close()


@needs_fork
def test_a_builder_that_cannot_fork_leaves_no_file_and_the_run_builds_the_index(tmp_path, monkeypatch):
    """``os.fork`` failing (no process left) for the index's builder: ``FtsFork`` raises
    OSError with no file of its own left, and a run goes on without an index built ahead (the
    tables a 1-worker run's)."""
    src = make_input(tmp_path, PAGES[:2])
    one = tmp_path / "one"
    batch.run(src, one, workers=1, log=io.StringIO())
    real_fork, failed = os.fork, []

    def fork_once_failing():        # the builder's fork fails, the SQLite writer's does not
        if not failed:
            failed.append(True)
            raise BlockingIOError(11, "Resource temporarily unavailable")
        return real_fork()

    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(batch.os, "fork", fork_once_failing)
    with pytest.raises(OSError):
        batch.FtsFork(out, src, batch.load_metadata(src), [(s, src / s) for s in PAGES[:2]])
    assert list(out.iterdir()) == [] and failed
    failed.clear()
    proc = subprocess.run([sys.executable, "-c", _NO_FORK, str(src), str(out)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    steps = json.loads(proc.stdout)["steps"]
    assert "fts_fork" not in steps and "fts_child" not in steps and "sqlite_child" in steps
    assert differences(one, out) == []
    assert not [p for p in out.iterdir() if p.name.startswith(".") and p.name != ".state"]


_NO_FORK = """if True:
    import io, json, os, sys
    from pathlib import Path
    from baozhi.run import batch
    real_fork, failed = os.fork, []
    def fork_once_failing():
        if not failed:
            failed.append(True)
            raise BlockingIOError(11, "Resource temporarily unavailable")
        return real_fork()
    os.fork = fork_once_failing
    s = batch.run(Path(sys.argv[1]), Path(sys.argv[2]), workers=2, log=io.StringIO())
    print(json.dumps({"steps": list(s.timeline.steps)}))
"""


_FLAKY = """if True:
    import io, json, sys
    from pathlib import Path
    from baozhi.run import batch, export
    import baozhi.run.process as process
    marker = Path(sys.argv[3])
    real = export._copy_fts
    def copy(*args):
        copied = real(*args)
        marker.write_text(str(copied))
        return copied
    export._copy_fts = copy
    real_page = process.process_page
    def flaky(page):
        if page.source == sys.argv[4]:
            raise RuntimeError("layer exploded")
        return real_page(page)
    process.process_page = flaky
    s = batch.run(Path(sys.argv[1]), Path(sys.argv[2]), workers=2, log=io.StringIO())
    print(json.dumps({"steps": {k: v[1] for k, v in s.timeline.steps.items()},
                      "reused": s.reused}))
"""


@needs_fork
def test_a_page_saved_as_failed_is_no_page_of_the_forked_index(tmp_path):
    """A page that fails as a whole (review F2): the forked builder, whose index could not be
    copied, is stopped when its rows come (the index built with the tables); a later run
    that reuses the page saved as failed gives the builder no articles for it, and copies
    the index. The tables are a 1-worker run's each time."""
    src = make_input(tmp_path, PAGES[:2])
    two, marker = tmp_path / "two", tmp_path / "copied"

    def run(fail: str) -> dict:
        marker.unlink(missing_ok=True)
        proc = subprocess.run([sys.executable, "-c", _FLAKY, str(src), str(two), str(marker), fail],
                              capture_output=True, text=True, cwd=ROOT)
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)

    got = run(PAGES[0])
    assert "fts_child" in got["steps"] and not marker.exists()     # stopped: nothing to copy
    for n in PAGES[2:]:                  # more new pages than reused ones: an index built ahead
        shutil.copy(CORPUS / n, src / n)
    got = run(PAGES[0])
    assert PAGES[0] in got["reused"] and got["steps"]["fts_child"] > 0
    assert marker.read_text() == "True"
    one = tmp_path / "one"
    import baozhi.run.process as process
    real = process.process_page
    try:
        process.process_page = lambda page: (_ for _ in ()).throw(RuntimeError("layer exploded")) \
            if page.source == PAGES[0] else real(page)
        batch.run(src, one, workers=1, log=io.StringIO())
    finally:
        process.process_page = real
    assert differences(one, two) == []
