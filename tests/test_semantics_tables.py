"""``semantics._table_rows`` finds a text's table rows in one pass (review rev1 F6: the rule
``table_header`` used to scan every figure for every row). It must give the rows a plain
reading gives: a line is a row of a table when it holds exactly two figures and spaces, the
first no sum of money nor percent, and every line between it and a line ending with the
``table_header`` pattern is blank or such a row. Checked on random texts of headers, rows of
two and three figures, rows of two values, blank lines and prose."""
from __future__ import annotations

import random

from baozhi.layers.figures import semantics

HEADERS = ["各级电压导线的边线延伸距离如下：", "今年主要指标见下表", "记者了解到：", "各组人数如下表：",
           "全县的情况如下"]
PROSE = ["全县今年新建学校３所。", "在厂矿地区可略小。", ""]
FIGS = [("１—１０千伏", "quantity", "kV"), ("５米", "quantity", "m"), ("１２—１４岁", "quantity", "a"),
        ("３２０人", "count", "人"), ("１２０亿元", "money", "CNY"), ("８％", "percent", "%"),
        ("２．０升", "quantity", "l")]


def _text(rng: random.Random) -> tuple[str, list[dict]]:
    lines, figures, pos = [], [], 0
    for _ in range(rng.randint(3, 14)):
        kind = rng.random()
        if kind < 0.25:
            line = rng.choice(HEADERS)
            parts = [line]
        elif kind < 0.4:
            line = rng.choice(PROSE)
            parts = [line]
        else:
            n = rng.choice([2, 2, 2, 3, 1])
            parts = []
            for i in range(n):
                parts.append(rng.choice(FIGS))
                if i + 1 < n and rng.random() < 0.4:
                    parts.append("\u3000")
            line = ""
            for p in parts:
                if isinstance(p, tuple):
                    figures.append({"start": pos + len(line), "end": pos + len(line) + len(p[0]),
                                    "text": p[0], "kind": p[1], "unit": p[2]})
                    line += p[0]
                else:
                    line += p
        lines.append(line)
        pos += len(line) + 1
    return "\n".join(lines), figures


def _plain(t: semantics._Text) -> set[int]:
    starts = t.paragraph_starts
    header = t.cfg["table_header"]

    def bounds(k):
        return starts[k], starts[k + 1] if k + 1 < len(starts) else len(t.text)

    def row(k):
        a, b = bounds(k)
        figs = [f for f in t.figures if a <= f["start"] < b]
        rest = t.text[a:b]
        for f in figs:
            rest = rest.replace(f["text"], "", 1)
        return len(figs) == 2 and not rest.strip() and figs[0]["kind"] not in ("money", "percent")

    def blank(k):
        a, b = bounds(k)
        return not t.text[a:b].strip() and not any(a <= f["start"] < b for f in t.figures)

    out = set()
    for k in range(len(starts)):
        if not row(k):
            continue
        j = k - 1
        while j >= 0 and (blank(j) or row(j)):
            j -= 1
        a, b = bounds(j) if j >= 0 else (0, 0)
        if j >= 0 and any(m.end() == len(t.text[a:b].rstrip("\n")) + a
                          for m in header.finditer(t.text, a, b)):
            out.add(k)
    return out


def test_table_rows_are_those_of_a_plain_reading():
    rng = random.Random(14)
    cfg = semantics._cfg()
    found = 0
    for _ in range(300):
        text, figures = _text(rng)
        t = semantics._Text(text, figures, [], [], [], None, None, cfg)
        got = set(semantics._table_rows(t))
        assert got == _plain(t), text
        found += len(got)
    assert found > 50       # (the case cannot go vacuous)
