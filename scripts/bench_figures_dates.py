"""Time find_figures and find_dates alone on every article of the corpus and the pd1998 pages.

    .venv/bin/python scripts/bench_figures_dates.py [--limit N] [--rounds R]

CPU time (``time.process_time``); the first round includes what is computed on first use
(holidays' calendars, lunar years, numeral memo), later ones do not: print each round's best.
Runs whichever ``baozhi`` the Python that runs it has installed, so two checkouts can be
compared with the same script (README, Speed per stage).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=0, help="at most this many pages per folder")
    ap.add_argument("--rounds", type=int, default=1)
    args = ap.parse_args(argv)
    from baozhi.layers.dates.dates import find_dates
    from baozhi.layers.figures.figures import find_figures
    from baozhi.run.batch import find_pages
    from baozhi.run.process import article_text
    from baozhi.stages.articles import split_articles
    from baozhi.stages.ingest import load_metadata, read_page
    from baozhi.stages.repair import repair
    folders = [ROOT / "corpus"] + [p for p in [ROOT.parent / "shared" / "pd1998" / "pages"] if p.is_dir()]
    arts = []
    for folder in folders:
        meta = load_metadata(folder)
        paths = find_pages(folder)
        for path in paths[: args.limit] if args.limit else paths:
            page = read_page(path, folder, meta)
            rep = repair(page.text)
            arts += [(article_text(rep, a), page.issue_date) for a in split_articles(rep)]
    find_figures(arts[0][0])
    find_dates(*arts[0])
    best = {"figures": float("inf"), "dates": float("inf")}
    for _ in range(args.rounds):
        t = time.process_time()
        for text, _d in arts:
            find_figures(text)
        best["figures"] = min(best["figures"], time.process_time() - t)
        t = time.process_time()
        for text, d in arts:
            find_dates(text, d)
        best["dates"] = min(best["dates"], time.process_time() - t)
    chars = sum(len(t) for t, _ in arts)
    print(f"{len(arts)} articles, {chars:,} characters: figures {best['figures']:.2f} s, "
          f"dates {best['dates']:.2f} s, both {best['figures'] + best['dates']:.2f} s (CPU)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
