"""Print a short markdown excerpt of each table of a run (for the README).

    python scripts/readme_excerpts.py [OUT_DIR]     # default outputs/
"""
from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PICKS = {
    "articles": ("select article_id, issue_date, kind, headline, kicker, dateline, authors, start, end "
                 "from articles where source like '000%' order by start limit 6"),
    "figures": ("select text, kind, value, low, high, unit, approx, magnitude, count, start, end, article_id "
                "from figures where text in ('总投资24.7亿元','24.7亿元','16吉瓦','近1500万元','四大千亿级','六大千亿级',"
                "'超100亿元','增长32.6%','30亿元以上','3到4个小时','近九成','2.58公顷') "
                "group by text order by article_id, start limit 12"),
    "dates": ("select text, start_date, end_date, granularity, issue_date, article_id from dates "
              "where source like '000%' group by text order by article_id, start limit 8"),
    "targets": ("select text, deadline_text, deadline_start, deadline_end, modality, figures, article_id "
                "from targets order by article_id, start limit 6"),
    "entities": ("select text, label, canonical, adcode, article_id from entities "
                 "where text in ('省发改委','山西转型综改示范区武宿综合保税区','中国铁路太原局集团有限公司',"
                 "'国家税务总局太原市税务局','小店区','古交','市公安局','太重集团','何宝国','韦韬','省司法厅','晋中') "
                 "group by text, label order by article_id, start limit 12"),
    "errors": "select source, stage, line, error from errors limit 3",
}


def cell(v, width=60) -> str:
    if v is None:
        return ""
    s = str(v).replace("\n", " ").replace("|", "\\|")
    return s if len(s) <= width else s[: width - 1] + "…"


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "outputs"
    con = sqlite3.connect(out / "baozhi.sqlite")
    for table, sql in PICKS.items():
        cur = con.execute(sql)
        cols = [d[0] for d in cur.description]
        rows = cur.fetchall()
        total = con.execute(f"select count(*) from {table}").fetchone()[0]
        print(f"**{table}** ({total} rows)\n")
        print("| " + " | ".join(cols) + " |")
        print("|" + "---|" * len(cols))
        for r in rows:
            print("| " + " | ".join(cell(v) for v in r) + " |")
        if not rows:
            print("| " + " | ".join("" for _ in cols) + " |")
        print()


if __name__ == "__main__":
    main()
