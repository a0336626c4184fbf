"""scripts/label_agreement.py: two labellers' files of the same figures, matched by source, start
and end, and per field the share of matched rows on which they agree (by eval_semantics'
lenient matches)."""
from __future__ import annotations

from label_agreement import main

HEADER = "source\tstart\tend\ttext\tmetric\tsubject\tperiod_text\tstatus\tchange\tbasis\n"
A = [
    "p.txt\t3\t9\t24.7亿元\t总投资\t大钢中厚板生产线智能化升级项目\t\tactual\t\t\n",
    "p.txt\t40\t45\t20%以上\t工业产值增速\t省市专业镇\t年内\ttarget\tincrease\t\n",
    "p.txt\t60\t63\t21家\t企业\t阳曲县人才招聘会\t5月30日\tactual\t\t\n",
    "p.txt\t80\t84\t280米\t钢结构桥梁\t小牛线西延\t\tactual\t\t\n",
    "p.txt\t99\t101\t8项\t国际专利\t中来光能\t\tactual\t\t\n",          # only in A
]
B = [
    "p.txt\t3\t9\t24.7亿元\t总 投资\t升级项目\t\tactual\t\t\n",        # lenient: contained
    "p.txt\t40\t45\t20%以上\t产值增速\t省市专业镇\t年内\ttarget\tincrease\t\n",
    "p.txt\t60\t63\t21家\t企业\t阳曲县\t5月30日\tactual\t\t\n",           # subject contained
    "p.txt\t80\t84\t280米\t桥梁的长度\t小牛线西延\t日前\ttarget\t\t\n",    # metric, period, status
    "p.txt\t120\t122\t2条\t生产线\t三强煤基新材料项目\t\tactual\t\t\n",   # only in B
]


def _write(path, rows):
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def test_agreement_per_field_over_the_rows_both_files_label(tmp_path, capsys):
    a, b = _write(tmp_path / "a.tsv", A), _write(tmp_path / "b.tsv", B)
    assert main([str(a), str(b)]) == 0
    head, shares = capsys.readouterr().out.splitlines()
    assert head == ("a.tsv (5 rows) ~ b.tsv (5 rows): 4 matched, "
                    "1 only in the first, 1 only in the second")
    # 4 matched rows: metric 3 agree (桥梁的长度 contains no 钢结构桥梁), subject all 4 (阳曲县人才
    # 招聘会 contains 阳曲县, 大钢…升级项目 contains 升级项目), period 3, status 3
    assert shares == ("metric 0.75  subject 1.00  period 0.75  status 0.75  "
                      "change 1.00  basis 1.00")


def test_verbose_lists_each_disagreeing_row_with_both_cells(tmp_path, capsys):
    a, b = _write(tmp_path / "a.tsv", A), _write(tmp_path / "b.tsv", B)
    main([str(a), str(b), "-v"])
    out = capsys.readouterr().out
    assert "  metric   p.txt:80 280米: '钢结构桥梁' ~ '桥梁的长度'" in out
    assert "  period   p.txt:80 280米: None ~ '日前'" in out
    assert "  status   p.txt:80 280米: 'actual' ~ 'target'" in out
    assert "only in the first: p.txt:99 8项" in out and "only in the second: p.txt:120 2条" in out
    assert "p.txt:3 " not in out                  # agrees on every field
