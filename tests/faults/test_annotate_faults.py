"""`baozhi annotate` on hostile input (issue 13): exactly one line of strict JSON per input
line, whatever the line holds; later and earlier lines are never lost; the exit status says
whether any line failed."""
from __future__ import annotations

import io
import json
import sys

import pytest

from baozhi.apps.annotate import annotate_stream
from baozhi.apps.cli import main
from faultkit import strict_json

GOOD = '{"id":"g","text":"总投资24.7亿元。"}'


def run_lines(data: bytes, layers=("figures",)) -> tuple[list[dict], int, str]:
    out, err = io.StringIO(), io.StringIO()
    failed = annotate_stream(io.BytesIO(data), out, layers=layers, err=err)
    lines = out.getvalue().splitlines()
    return [strict_json(line) for line in lines], failed, err.getvalue()


@pytest.mark.parametrize("bad,says", [
    (b'{"id":"\\ud800x","text":"5\\u4e2a"}', None),                      # lone surrogate: echoed
    (b'{"id":"u","text":"\xff\xfe\xe4\xb8"}', "not UTF-8: byte 0xff at byte offset 18 of the line"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b"", "blank line"),
    (b"   \t", "blank line"),
    (b'{"id":NaN,"text":"x"}', "NaN is not strict JSON"),
    (b'{"id":"i","text":"x","score":Infinity}', "Infinity is not strict JSON"),
    (b'{"id":"h","text":"x","home":["\xe5\xb1\xb1\xe8\xa5\xbf"]}', '"home" must be a string, not an array'),
    (b'{"id":"d","text":"x","issue_date":20221118}', '"issue_date" must be a string'),
    (b'{"id":"t","text":["x"]}', 'no "text" string'),
    (b'"just a string"', "must be a JSON object"),
    (b'{"id": 1' + b"0" * 5000 + b', "text":"x"}', "not JSON this program reads"),
])
def test_a_bad_line_gets_its_own_line_and_the_others_go_on(bad, says):
    got, failed, err = run_lines(GOOD.encode() + b"\n" + bad + b"\n" + GOOD.encode() + b"\n")
    assert len(got) == 3
    assert got[0]["id"] == "g" and got[2]["id"] == "g" and got[2]["figures"][0]["text"] == "24.7亿元"
    if says is None:
        assert "error" not in got[1] and got[1]["id"] == "\ud800x" and failed == 0
    else:
        assert got[1]["id"] in (None, "h", "d", "t") and says in got[1]["error"], got[1]
        assert failed == 1 and "line 2:" in err


def test_a_utf8_bom_on_the_first_line_is_dropped():
    got, failed, _ = run_lines(b"\xef\xbb\xbf" + GOOD.encode() + b"\r\n" + GOOD.encode())
    assert failed == 0 and [g["id"] for g in got] == ["g", "g"]


def test_an_overflowing_number_is_null_not_infinity():
    got, failed, _ = run_lines('{"id":"o","text":"共1e2022个，另有1e400元"}\n'.encode())
    assert failed == 0
    assert all(f["value"] is None or abs(f["value"]) < float("inf") for f in got[0]["figures"])


def test_a_lone_surrogate_in_the_text_keeps_offsets():
    got, failed, _ = run_lines(b'{"id":"s","text":"\\udc00\\u603b\\u6295\\u8d4424.7\\u4ebf\\u5143"}\n')
    text = "\udc00总投资24.7亿元"
    (fig,) = got[0]["figures"]
    assert failed == 0 and text[fig["start"]:fig["end"]] == fig["text"] == "24.7亿元"


def _cli(monkeypatch, capsysbinary, data: bytes) -> tuple[int, list[dict]]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    code = main(["annotate", "--layers", "figures"])
    out = capsysbinary.readouterr().out.decode("utf-8")
    return code, [strict_json(line) for line in out.splitlines()]


def test_the_exit_status_says_whether_a_line_failed(monkeypatch, capsysbinary):
    code, got = _cli(monkeypatch, capsysbinary, (GOOD + "\n" + GOOD + "\n").encode())
    assert code == 0 and len(got) == 2
    code, got = _cli(monkeypatch, capsysbinary, GOOD.encode() + b"\n\xff\n" + GOOD.encode() + b"\n")
    assert code == 1 and len(got) == 3 and "not UTF-8" in got[1]["error"]
