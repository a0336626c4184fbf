"""Time every stage on a folder of pages, in one process (one core).

    python scripts/bench_stages.py [FOLDER ...] [--repeat N] [--clock cpu] [--huge CHARS]
                                   [--workers-pages N] [--workers-repeat N] [--no-punct-mb MB]
                                   [--spacy]

Defaults to the bundled corpus, plus ../shared/pd1998/pages when it is there. Times the path
``baozhi run`` takes: ``run.process.process_page`` on every page (repair, articles, the
layers' records by ``frame/plain.py``, rows), best of ``--repeat`` passes, each followed by a
pass of ``jieba.lcut`` on the same texts (rounds: the best of each side, and the median of
the rounds' ratios, which a slower spell of the shared machine moves less); then, in one more run with
each part timed inside, per stage (repair, articles, item texts = each item's text with what
is not its own blanked, segment = jieba's tokens, each layer's ``find``, ``<layer> page`` = a
layer's page pass (entities: the CRF scored and decoded for all the page's items at once),
rows = rows with ids and file offsets, finish = the page's finish passes (entities' short
names), rest = the frame's token copies and splits and the layers' contexts)
seconds and characters per second, and the peak memory; then
``jieba.lcut`` alone on the same page texts and the pipeline/jieba speed ratio, and the cold
start of ``baozhi annotate`` on one line (3 fresh processes, each with its own CPU time and
peak RSS from ``wait4``, as ``bench_cold.py`` measures them: best and median). Loading
(rules, jieba, the NER model) is timed apart from the work: it happens once per process.
``--clock cpu`` times the process's CPU (``time.process_time``) instead of the wall clock:
steadier on a machine whose cores are shared. The pages run under the cyclic collector's
settings of ``baozhi run`` (``as_the_run``: the loaded models frozen, a collection past
``WORKER_GC_THRESHOLD`` new objects, each page's survivors frozen after it), and so does jieba's
reference; ``--repeat`` defaults to 3 (issue 12 measures the best of 3, loading excluded: the first
pass also pays what loads on first use). The script runs whichever ``baozhi`` the Python
that runs it has installed, so two checkouts can be compared with the same script.

Then: one line of ``--huge`` characters (the pages' lines joined) against the same text as its
many lines, through ``layer_records`` as ``baozhi annotate`` runs them (CPU time, chars/s, the
ratio; goal >= 0.75); ``baozhi run`` on ``--workers-pages`` pages with 1 and 2 workers in
fresh processes, ``--workers-repeat`` runs each (``bench_scale.compare``: wall time, CPU time
and peak RSS of each run's own process tree, the 2/1 ratios); with ``--no-punct-mb``, one page of that many MB with no punctuation in a fresh process
(its peak RSS; goal < 1 GB); with ``--spacy``, the spaCy Doc path (``components.annotate``,
which ``baozhi run`` does not take) as one more, clearly named, line. Last, the issue's table in Markdown for the README.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))     # bench_scale, bench_cold: their measurements


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folders", nargs="*")
    ap.add_argument("--repeat", type=int, default=3, help="runs of the pages; the best is kept")
    ap.add_argument("--limit", type=int, default=0, help="at most this many pages per folder")
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall")
    ap.add_argument("--huge", type=int, default=400_000, help="characters of the one long line (0: skip)")
    ap.add_argument("--workers-pages", type=int, default=40, help="pages for 1 vs 2 workers (0: skip)")
    ap.add_argument("--workers-repeat", type=int, default=1, help="runs of each worker count")
    ap.add_argument("--no-punct-mb", type=float, default=0, help="MB of a page with no punctuation")
    ap.add_argument("--spacy", action="store_true", help="also time the spaCy Doc path")
    args = ap.parse_args()
    table: dict[str, str] = {}
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    folders = [Path(f) for f in args.folders] or [ROOT / "corpus"] + [
        p for p in [ROOT.parent / "shared" / "pd1998" / "pages"] if p.is_dir()]

    # the cold start first, while this process is small: a child's peak RSS (``wait4``) counts
    # the parent's pages it was forked with
    cold = cold_start()
    t0 = clock()
    from baozhi.run.batch import find_pages
    from baozhi.run.chunked import warm_up
    from baozhi.stages.ingest import load_metadata, read_page
    warm_up()       # jieba, the CRF, the rules: loaded once per process, not counted as work
    import jieba

    jieba.lcut("初始化词典")      # the default tokenizer loads its dictionary on first use
    load_s = clock() - t0
    as_the_run()
    print(f"loading (once per process): {load_s:.2f} s")

    for folder in folders:
        meta = load_metadata(folder)
        paths = find_pages(folder)
        if args.limit:
            paths = paths[: args.limit]
        pages = [read_page(p, folder, meta) for p in paths]
        texts = [p.text for p in pages]
        chars = sum(map(len, texts))
        # the pipeline's pass and jieba's alternate, round by round: a slower spell of the
        # shared machine then falls on both sides of a round's ratio, not on one side's best
        pipe_r, jieba_r = paired(lambda: pipeline_pass(pages),
                                 lambda: [jieba.lcut(t) for t in texts], clock, args.repeat)
        times = stage_times(pages, clock)
        total, jieba_s = min(pipe_r), min(jieba_r)
        ratio = jieba_s / total if total else 0
        rounds = sorted(j / p for p, j in zip(pipe_r, jieba_r) if p)
        paired_ratio = statistics.median(rounds) if rounds else 0
        print(f"\n{folder} — {len(paths)} pages, {chars:,} characters; the path of `baozhi run` "
              f"(process_page: frame/plain.py records, rows), best of {args.repeat}")
        print(f"{'stage':<14} {'seconds':>8} {'chars/s':>12}   (per stage: one more run, timed inside)")
        for stage, sec in times.items():
            print(f"{stage:<14} {sec:8.2f} {chars / sec if sec else float('inf'):12,.0f}")
        print(f"{'all':<14} {total:8.2f} {chars / total:12,.0f}")
        print(f"{'jieba.lcut':<14} {jieba_s:8.2f} {chars / jieba_s if jieba_s else float('inf'):12,.0f}"
              f"   (alone, same texts; pipeline/jieba speed: {ratio:.2f}×)")
        print(f"pipeline/jieba per round (each round: one pass of each): "
              f"{', '.join(f'{x:.3f}' for x in rounds)}; median {paired_ratio:.3f}×")
        # one block per folder: its lines are named by the folder so a second folder's
        # figures do not overwrite the first's (the keys of ``table`` are its rows)
        label = folder.name
        table[f"{label}: {len(paths)} pages, {chars:,} characters"] = ""
        for stage, sec in times.items():
            table[f"  {label}: {stage}"] = f"{chars / sec:,.0f} chars/s" if sec else "-"
        table[f"  {label}: whole pipeline (`baozhi run`'s path)"] = f"{chars / total:,.0f} chars/s"
        table[f"  {label}: jieba.lcut alone, same texts"] = f"{chars / jieba_s:,.0f} chars/s"
        table[f"  {label}: pipeline / jieba (goal >= 0.5)"] = f"{ratio:.2f}×"
        table[f"  {label}: pipeline / jieba, median of {len(rounds)} paired rounds"] = \
            f"{paired_ratio:.2f}× (rounds {rounds[0]:.2f}–{rounds[-1]:.2f}×)" if rounds else "-"
        if args.spacy:
            doc_s = spacy_path(pages, clock)
            print(f"{'spaCy Doc path':<12} {doc_s:8.2f} {chars / doc_s:12,.0f}   (components.annotate "
                  f"per article, not `baozhi run`'s path; pipeline/jieba: {jieba_s / doc_s:.2f}×)")
            table[f"  {label}: spaCy Doc path (components.annotate, not `baozhi run`'s)"] = \
                f"{chars / doc_s:,.0f} chars/s ({jieba_s / doc_s:.2f}× jieba)"
    table["cold start, `baozhi annotate` of one line (goal <= 1.5 s)"] = cold
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory: {peak:.0f} MB")
    texts_all = [read_page(p, f, load_metadata(f)).text for f in folders for p in find_pages(f)]
    if args.huge:
        table.update(huge_line(texts_all, args.huge))
    if args.workers_pages:
        table.update(workers(folders[-1], args.workers_pages, args.workers_repeat))
    if args.no_punct_mb:
        table.update(no_punctuation(texts_all, args.no_punct_mb))
    print(f"\n| measure ({args.clock} clock) | value |\n| --- | ---: |")
    for k, v in table.items():
        print(f"| {k} | {v} |")


def as_the_run() -> None:
    """The cyclic collector set as ``baozhi run`` sets it in the process that runs the pages (a
    local worker; a 1-worker run after its first page; a Dask worker): what is loaded frozen
    out of its reach, and a collection only past ``batch.WORKER_GC_THRESHOLD`` new objects. The
    pages' timings then freeze after each page, as the run does (``page_done``); jieba's
    reference runs under the same settings. Without this the timings include full collections
    that walk the loaded models again and again, which no run pays (~1.5 CPU-s of 262 pages)."""
    import gc

    from baozhi.run.batch import WORKER_GC_THRESHOLD

    gc.freeze()
    gc.set_threshold(*WORKER_GC_THRESHOLD)


def page_done() -> None:
    """What the run does after each page (``batch``): that page's survivors frozen too."""
    import gc

    gc.freeze()


def paired(first, second, clock, repeat: int) -> tuple[list[float], list[float]]:
    """The times of ``repeat`` rounds (at least one), each a run of ``first`` then one of
    ``second``: the two lists, round by round."""
    a, b = [], []
    for _ in range(max(1, repeat)):
        for fn, out in ((first, a), (second, b)):
            t = clock()
            fn()
            out.append(clock() - t)
    return a, b


def pipeline_pass(pages: list) -> None:
    """``process_page`` on every page, as the run does it (ingest not in it: pages are read
    before)."""
    from baozhi.run import process

    for p in pages:
        process.process_page(p)
        page_done()


def stage_times(pages: list, clock) -> dict[str, float]:
    """Seconds per stage in one run of the pages with every stage timed inside."""
    import dataclasses

    from baozhi.frame import plain
    from baozhi.layers import registry
    from baozhi.run import process
    from baozhi.resources import segmenter
    from baozhi.resources.segmenter import Segmenter

    times: dict[str, float] = {}

    def timed(name, fn):
        times[name] = 0.0

        def run(*a, **kw):
            t = clock()
            try:
                return fn(*a, **kw)
            finally:
                times[name] += clock() - t
        return run

    saved = (process.repair, process.split_articles, plain.spans_of, process.article_text,
             process.page_rows, list(registry.LAYERS))
    seg = segmenter.default()       # (records_many cuts each text with its words, then spans_of)

    def with_timers(layer):
        # a layer's find, its page pass (entities: the CRF of all the page's articles at once)
        # and its finish pass (entities: short names) are each their own line
        return dataclasses.replace(
            layer, find=timed(layer.name, layer.find),
            prepare=layer.prepare and timed(f"{layer.name} page", layer.prepare),
            finish=layer.finish and timed("finish", layer.finish))
    try:
        process.repair = timed("repair", saved[0])
        process.split_articles = timed("articles", saved[1])
        plain.spans_of = timed("segment", saved[2])
        seg.words = timed("segment", Segmenter.words.__get__(seg))   # (an instance attribute: removed after)
        process.article_text = timed("item texts", saved[3])
        process.page_rows = timed("rows", saved[4])
        registry.LAYERS[:] = [with_timers(layer) for layer in saved[5]]
        t = clock()
        for page in pages:
            process.process_page(page)
            page_done()
        whole = clock() - t
    finally:
        (process.repair, process.split_articles, plain.spans_of, process.article_text,
         process.page_rows) = saved[:5]
        seg.__dict__.pop("words", None)
        registry.LAYERS[:] = saved[5]
    # the rest: the frame's token copies and splits (plain.records), the layers' contexts
    times["rest"] = max(0.0, whole - sum(times.values()))
    return times


def spacy_path(pages: list, clock) -> float:
    """Seconds of the spaCy frame (``components.annotate`` and its records) on every article."""
    from baozhi.frame import components as nlp
    from baozhi.layers import registry
    from baozhi.run.process import article_text
    from baozhi.stages.articles import split_articles
    from baozhi.stages.repair import repair

    nlp.get_nlp()
    nlp.annotate("太原市公安局11月16日投资24.7亿元。")
    t = clock()
    for page in pages:
        rep = repair(page.text)
        for art in split_articles(rep):
            nlp.records(nlp.annotate(article_text(rep, art), issue_date=page.issue_date,
                                     home=page.home), registry.names())
    return clock() - t


def huge_line(texts: list[str], n: int) -> dict[str, str]:
    """One line of ``n`` characters against the same characters as their many lines."""
    from baozhi.run.chunked import layer_records

    lines, size = [], 0
    for text in texts:
        for line in text.splitlines():
            if line.strip() and size < n:
                lines.append(line)
                size += len(line)
    one = "".join(lines)
    t = time.process_time()
    for line in lines:
        layer_records(line)
    small = time.process_time() - t
    t = time.process_time()
    layer_records(one)
    big = time.process_time() - t
    print(f"\none line of {len(one):,} characters: {len(one) / big:,.0f} chars/s CPU; the same as "
          f"{len(lines):,} lines: {len(one) / small:,.0f} chars/s (ratio {small / big:.2f})")
    return {f"one line of {len(one):,} characters (CPU)": f"{len(one) / big:,.0f} chars/s",
            f"the same as {len(lines):,} lines": f"{len(one) / small:,.0f} chars/s",
            "one line / many lines (goal >= 0.75)": f"{small / big:.2f}×"}


def workers(folder: Path, n: int, repeat: int = 1) -> dict[str, str]:
    """``baozhi run`` of ``n`` pages with 1 and 2 workers (``bench_scale.compare``: fresh
    processes, each run's own CPU and peak RSS): wall, CPU, the ratios."""
    from bench_scale import compare, summary

    print()
    got = compare(folder, n, (1, 2), repeat)
    lines = {f"`baozhi run` {n} pages, {k.split(' | ', 1)[1]}": v for k, v in summary(got, n).items()}
    for k, v in lines.items():
        print(f"{k}: {v}")
    lines["load average after"] = f"{os.getloadavg()[0]:.1f}"
    return lines


def no_punctuation(texts: list[str], mb: float) -> dict[str, str]:
    """One page of ``mb`` MB (UTF-8) with no punctuation, annotated in a fresh process."""
    import unicodedata

    from bench_scale import run_child

    body = "".join(ch for t in texts for ch in t
                   if not unicodedata.category(ch).startswith(("P", "Z", "C")))
    want = int(mb * 1_000_000 / 3)
    page = (body * (want // max(1, len(body)) + 1))[:want]
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "page.txt"
        src.write_text(json.dumps({"id": "1", "text": page}, ensure_ascii=False), encoding="utf-8")
        code = (f"import sys; sys.stdin = open({str(src)!r}, encoding='utf-8'); "
                "sys.argv = ['baozhi', 'annotate']; from baozhi.apps.cli import main; "
                "sys.stdout = open('/dev/null', 'w'); sys.exit(main())")
        run, _ = run_child([sys.executable, "-c", code], cwd=ROOT)
    print(f"\none page of {mb} MB with no punctuation ({len(page):,} characters): {run.cpu:.1f} s "
          f"CPU, peak RSS {run.rss_mb:.0f} MB (exit {run.code})")
    return {f"a {mb:g} MB page with no punctuation: CPU / peak RSS (goal < 1 GB)":
            f"{run.cpu:.0f} s / {run.rss_mb:.0f} MB"}


def cold_start(runs: int = 3) -> str:
    """``baozhi annotate`` on one line in ``runs`` fresh processes (``bench_cold.one_run``:
    each child's own CPU and peak RSS, from ``wait4``): best and median."""
    from bench_cold import LINE, one_run

    with tempfile.TemporaryDirectory() as tmp:
        line = Path(tmp) / "line.jsonl"
        line.write_text(LINE, encoding="utf-8")
        got = [one_run(sys.executable, dict(os.environ), line) for _ in range(runs)]
    cpus, rss = [c for c, _ in got], [r for _, r in got]
    text = (f"{min(cpus):.2f} s CPU best, {statistics.median(cpus):.2f} s median of {runs} fresh "
            f"processes; peak RSS {min(rss):.0f}–{max(rss):.0f} MB")
    print(f"\ncold start, baozhi annotate on one line: {text}")
    return text


if __name__ == "__main__":
    main()
