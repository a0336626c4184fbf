"""Time every stage on a folder of pages, in one process (one core).

    python scripts/bench_stages.py [FOLDER ...] [--repeat N] [--clock cpu]

Defaults to the bundled corpus, plus ../shared/pd1998/pages when it is there. Prints, per
stage, seconds and characters per second, and the peak memory of the process; then
``jieba.lcut`` alone on the same page texts and the pipeline/jieba speed ratio, and the cold
start of ``baozhi annotate`` on one line (a fresh process: CPU time and peak RSS). Loading
(rules, jieba, spaCy, the NER model) is timed apart from the work: it happens once per process.
``--clock cpu`` times the process's CPU (``time.process_time``) instead of the wall clock:
steadier on a machine whose cores are shared. The script runs whichever ``baozhi`` the Python
that runs it has installed, so two checkouts can be compared with the same script.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folders", nargs="*")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--limit", type=int, default=0, help="at most this many pages per folder")
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall")
    args = ap.parse_args()
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    folders = [Path(f) for f in args.folders] or [ROOT / "corpus"] + [
        p for p in [ROOT.parent / "shared" / "pd1998" / "pages"] if p.is_dir()]

    t0 = clock()
    from baozhi.frame import components as nlp
    from baozhi.layers import registry
    from baozhi.stages.articles import split_articles
    from baozhi.run.batch import find_pages
    from baozhi.stages.ingest import load_metadata, read_page
    from baozhi.run.process import article_text
    from baozhi.stages.repair import repair
    pipe = nlp.get_nlp()
    # warm every layer once so that model and rules loading is not counted as work
    nlp.annotate("太原市公安局11月16日投资24.7亿元，到2025年形成四大千亿级产业集群。")
    load_s = clock() - t0
    print(f"loading (once per process): {load_s:.2f} s")

    for folder in folders:
        meta = load_metadata(folder)
        paths = find_pages(folder)
        if args.limit:
            paths = paths[: args.limit]
        times = {k: 0.0 for k in ("ingest", "repair", "articles", "segment", *(l.name for l in registry.compute_order(registry.names())))}
        chars = 0
        texts = []
        for _ in range(args.repeat):
            for path in paths:
                t = clock()
                page = read_page(path, folder, meta)
                times["ingest"] += clock() - t
                chars += len(page.text)
                texts.append(page.text)
                t = clock()
                rep = repair(page.text)
                times["repair"] += clock() - t
                t = clock()
                arts = split_articles(rep)
                times["articles"] += clock() - t
                for art in arts:
                    text = article_text(rep, art)
                    t = clock()
                    doc = pipe.make_doc(text)
                    for name, proc in pipe.pipeline:
                        if not isinstance(proc, nlp.LayerComponent):
                            doc = proc(doc)
                    times["segment"] += clock() - t
                    doc._.issue_date = page.issue_date
                    doc._.home = page.home
                    for layer in (l.name for l in registry.compute_order(registry.names())):
                        t = clock()
                        doc = pipe.get_pipe(f"baozhi_{layer}")(doc)
                        times[layer] += clock() - t
        total = sum(times.values())
        print(f"\n{folder} — {len(paths)} pages × {args.repeat}, {chars:,} characters")
        print(f"{'stage':<10} {'seconds':>8} {'chars/s':>12}")
        for stage, sec in times.items():
            print(f"{stage:<10} {sec:8.2f} {chars / sec if sec else float('inf'):12,.0f}")
        print(f"{'all':<10} {total:8.2f} {chars / total:12,.0f}")
        import jieba

        jieba.lcut("初始化词典")      # the default tokenizer loads its dictionary on first use
        t = clock()
        for text in texts:
            jieba.lcut(text)
        jieba_s = clock() - t
        print(f"{'jieba.lcut':<10} {jieba_s:8.2f} {chars / jieba_s if jieba_s else float('inf'):12,.0f}"
              f"   (alone, same texts; pipeline/jieba speed: {jieba_s / total if total else 0:.2f}×)")
    cold_start()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory: {peak:.0f} MB")


def cold_start() -> None:
    """``baozhi annotate`` on one line in a fresh process: its CPU time and peak RSS."""
    line = json.dumps({"id": "1", "text": "太原市公安局11月16日投资24.7亿元，到2025年形成四大千亿级产业集群。"},
                      ensure_ascii=False)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "baozhi", "annotate"], input=line, text=True,
                          capture_output=True, cwd=ROOT)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    ok = "ok" if proc.returncode == 0 else f"exit {proc.returncode}"
    print(f"\ncold start, baozhi annotate on one line: {cpu:.2f} s CPU, {wall:.2f} s wall, "
          f"peak RSS {after.ru_maxrss / 1024:.0f} MB ({ok})")


if __name__ == "__main__":
    main()
