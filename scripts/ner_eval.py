"""Scoring of the entity stage on the People's Daily 1998 data (``../shared/pd1998``).

Exact span and label; precision, recall and F1 per type and overall. Two ways to run the
stage over dev: sentence by sentence (as the gold is split), and article by article (the
sentences of one ``doc_id`` joined, paragraphs on their own lines, as the pipeline sees a
page's article), which lets the stage use what it found elsewhere in the same article.
"""
from __future__ import annotations

import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Callable, Iterable

LABELS = ("PER", "LOC", "ORG")


def read_jsonl(path: Path | str) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def score(gold: Iterable[set], pred: Iterable[set]) -> dict:
    """P/R/F1 per label and overall from per-item sets of (start, end, label)."""
    tp, fp, fn = defaultdict(int), defaultdict(int), defaultdict(int)
    for g, p in zip(gold, pred):
        for x in p & g:
            tp[x[2]] += 1
        for x in p - g:
            fp[x[2]] += 1
        for x in g - p:
            fn[x[2]] += 1
    out = {}
    for lab in (*LABELS, "ALL"):
        keys = LABELS if lab == "ALL" else (lab,)
        t = sum(tp[k] for k in keys)
        f_p = sum(fp[k] for k in keys)
        f_n = sum(fn[k] for k in keys)
        p = t / (t + f_p) if t + f_p else 0.0
        r = t / (t + f_n) if t + f_n else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[lab] = {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "gold": t + f_n}
    return out


def gold_set(row: dict, base: int = 0) -> set:
    return {(base + s, base + e, lab) for s, e, lab, _ in row["entities"]}


def articles(rows: list[dict]) -> list[tuple[str, set]]:
    """Join dev sentences into articles: (text, gold spans with offsets into it)."""
    return [(t, g) for t, g, _ in articles_home(rows)]


def articles_home(rows: list[dict]) -> list[tuple[str, set, str | None]]:
    """Articles as ``articles`` gives them, each with its paper's home (``home`` of its rows,
    None for 1998 text)."""
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_doc[r["doc_id"]].append(r)
    out = []
    for doc_rows in by_doc.values():
        text, gold, para = "", set(), None
        for r in doc_rows:
            if para is not None and r["para_id"] != para:
                text += "\n"
            para = r["para_id"]
            gold |= gold_set(r, len(text))
            text += r["text"]
        out.append((text, gold, doc_rows[0].get("home")))
    return out


Finder = Callable[[str, list | None], list[tuple[int, int, str]]]


def evaluate(rows: list[dict], find: Finder, tokenize: Callable[[str], list] | None = None,
             repeats: int = 3) -> dict:
    """Scores sentence by sentence and article by article, and the speed of ``find``.

    ``find(text, tokens)`` gives (start, end, label) spans. When ``tokenize`` is given the
    tokens are computed before the clock starts (tokens-in speed); the speed without tokens
    is measured too (``find`` then segments itself). Speed is CPU time on one core, the best
    of ``repeats`` runs.
    """
    if any(r.get("home") for r in rows):  # a paper's home, passed on to a finder that takes it
        run = lambda t, tk, h: find(t, tk, h)  # noqa: E731
    else:
        run = lambda t, tk, h: find(t, tk)  # noqa: E731
    gold = [gold_set(r) for r in rows]
    pred = [set(run(r["text"], None, r.get("home"))) for r in rows]
    sent_scores = score(gold, pred)
    arts = articles_home(rows)
    pred_a = [set(run(t, None, h)) for t, _, h in arts]
    doc_scores = score([g for _, g, _ in arts], pred_a)
    chars = sum(len(t) for t, _, _ in arts)
    speed = {"chars": chars, "repeats": repeats, "chars_per_s_without_tokens": round(chars / _best(
        lambda: [run(t, None, h) for t, _, h in arts], repeats))}
    if tokenize is not None:
        toks = [tokenize(t) for t, _, _ in arts]
        speed["chars_per_s_with_tokens"] = round(chars / _best(
            lambda: [run(t, tk, h) for (t, _, h), tk in zip(arts, toks)], repeats))
    return {"sentence": sent_scores, "article": doc_scores, "speed": speed}


def _best(run: Callable[[], object], repeats: int) -> float:
    """The least CPU time of ``repeats`` runs (other processes on the machine only slow a run
    down, so the least is the closest to the stage's own cost)."""
    times = []
    for _ in range(repeats):
        t0 = time.process_time()
        run()
        times.append(time.process_time() - t0)
    return min(times)


def table(scores: dict) -> str:
    lines = [f"{'':6} {'P':>7} {'R':>7} {'F1':>7} {'gold':>6}"]
    for lab in (*LABELS, "ALL"):
        s = scores[lab]
        lines.append(f"{lab:6} {s['p']:7.4f} {s['r']:7.4f} {s['f1']:7.4f} {s['gold']:6d}")
    return "\n".join(lines)
