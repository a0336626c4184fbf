"""Hostile and broken page folders (issue 13): every file gets a clear answer, and nothing
good is lost. Each test builds its folder in a temporary directory and checks what the user
sees: the errors row (file, line or byte offset, what is wrong), the exit status, the
message, and that good tables on disk are unchanged."""
from __future__ import annotations

import errno
import os

import pytest

from baozhi.run import batch, chunked
from faultkit import PAGE, folder, run_cli, snapshot, strict_json, table

TRAD = ("太原市發展和改革委員會表示，全市今年將投資二十四億元建設中厚板生產線，預計十月底建設完畢。\n\n"
        "記者從會上獲悉，該項目總投資達到百分之十五，新簽約項目三十五個。\n")


def test_a_file_name_in_gbk_bytes_is_a_page_named_by_escapes(tmp_path, capfd):
    name = "报纸03.txt".encode("gbk")
    src = folder(tmp_path, {name: PAGE, "ok.txt": PAGE})
    code, err = run_cli(capfd, src, tmp_path / "out")
    assert code == 0, err
    sources = {a["source"] for a in table(tmp_path / "out", "articles")}
    escaped = name.decode("utf-8", "backslashreplace")
    assert sources == {escaped, "ok.txt"} and escaped.startswith("\\xb1\\xa8")
    assert (tmp_path / "out" / "articles.csv").read_text(encoding="utf-8-sig").count(escaped) >= 1


def test_a_gbk_file_name_gives_its_issue_date_page_and_metadata(tmp_path, capfd):
    # the date and page are read from the name as a reader writes it, not from its escapes;
    # a metadata.toml written (in UTF-8) under that name applies to the page
    dated = "太原日报2022年11月18日第03版.txt".encode("gbk")
    listed = "晚报第7版.txt".encode("gbk")
    src = folder(tmp_path, {dated: PAGE, listed: PAGE})
    (src / "metadata.toml").write_text('paper = "太原日报"\n\n[pages."晚报第7版.txt"]\n'
                                       'issue_date = 2023-01-02\n', encoding="utf-8")
    code, err = run_cli(capfd, src, tmp_path / "out")
    assert code == 0, err
    got = {a["source"]: (a["issue_date"], a["issue_date_origin"], a["page"])
           for a in table(tmp_path / "out", "articles")}
    assert got[dated.decode("utf-8", "backslashreplace")] == ("2022-11-18", "filename", 3)
    assert got[listed.decode("utf-8", "backslashreplace")] == ("2023-01-02", "metadata", 7)


@pytest.mark.parametrize("encoding", ["big5", "gbk", "utf-16-le", "utf-16-be"])
def test_big5_gbk_and_utf16_without_bom_are_read(tmp_path, capfd, encoding):
    src = folder(tmp_path, {"p.txt": TRAD.encode(encoding)})
    code, err = run_cli(capfd, src, tmp_path / "out")
    assert code == 0, err
    (art,) = table(tmp_path / "out", "articles")
    assert art["text"].startswith("太原市發展和改革委員會") and table(tmp_path / "out", "errors") == []


def test_a_stray_byte_in_a_utf8_page_is_read_with_replacement_and_named(tmp_path, capfd):
    raw = PAGE.encode("utf-8")
    at = raw.index("同比".encode())                # a byte offset on line 5
    src = folder(tmp_path, {"p.txt": raw[:at] + b"\xff" + raw[at:]})
    code, err = run_cli(capfd, src, tmp_path / "out")
    assert code == 1
    (row,) = table(tmp_path / "out", "errors")
    assert row["source"] == "p.txt" and row["stage"] == "ingest" and row["line"] == 5
    assert f"1 undecodable byte in utf-8 at byte offset {at}" in row["error"]
    texts = " ".join(a["text"] for a in table(tmp_path / "out", "articles"))
    assert "24.7亿元" in texts and "\ufffd同比增长" in texts       # the page is still there
    assert {f["text"] for f in table(tmp_path / "out", "figures")} >= {"24.7亿元", "12.5%"}


def test_a_binary_file_is_an_error_row_naming_the_first_bad_byte(tmp_path, capfd):
    src = folder(tmp_path, {"p.txt": PAGE, "img.txt": bytes(range(128, 256)) * 8})
    code, err = run_cli(capfd, src, tmp_path / "out")
    assert code == 1
    (row,) = table(tmp_path / "out", "errors")
    assert row["source"] == "img.txt" and "first bad byte at offset 0" in row["error"]


@pytest.mark.parametrize("content,why", [(b"", "empty file (0 bytes)"),
                                         (b" \n\n \r\n", "empty file (6 bytes, only whitespace)")])
def test_an_empty_page_is_an_error_row(tmp_path, capfd, content, why):
    src = folder(tmp_path, {"a.txt": PAGE, "blank.txt": content})
    code, _ = run_cli(capfd, src, tmp_path / "out")
    assert code == 1
    (row,) = table(tmp_path / "out", "errors")
    assert row["source"] == "blank.txt" and why in row["error"]


def test_a_link_to_a_file_outside_the_folder_is_not_read(tmp_path, capfd):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密：口令是 hunter2。\n", encoding="utf-8")
    src = folder(tmp_path, {"p.txt": PAGE})
    os.symlink(secret, src / "passwd.txt")
    os.symlink(src / "p.txt", src / "inside.txt")       # a link inside the folder is a page
    code, err = run_cli(capfd, src, tmp_path / "out")
    assert code == 1
    (row,) = table(tmp_path / "out", "errors")
    assert row["source"] == "passwd.txt" and "outside" in row["error"] and "not read" in row["error"]
    out_text = "".join(p.read_text(encoding="utf-8-sig") for p in (tmp_path / "out").glob("*.csv"))
    assert "hunter2" not in out_text
    assert {a["source"] for a in table(tmp_path / "out", "articles")} == {"inside.txt", "p.txt"}


# ----------------------------------------------------------------------------- metadata


@pytest.mark.parametrize("toml,says", [
    ('pages = "oops"\n', "pages = 'oops' is a string; it must be a table of pages"),
    ('[pages."p.txt"]\nissue_date = 10:00:00\n', 'pages."p.txt".issue_date = datetime.time(10, 0) is a time'),
    ('[pages."p.txt"]\nissue_date = 12\n', 'pages."p.txt".issue_date = 12 is a whole number'),
    ('[pages."p.txt"]\nissue_date = "18.11.2022"\n', "it must be a date such as 2022-11-18"),
    ('paper = ["太原日报"]\n', "paper = ['太原日报'] is an array; it must be a string"),
    ('paper = \n', "cannot read metadata"),
])
def test_metadata_of_the_wrong_type_stops_the_run_and_changes_nothing(tmp_path, capfd, toml, says):
    src = folder(tmp_path, {"p.txt": PAGE})
    out = tmp_path / "out"
    assert run_cli(capfd, src, out)[0] == 0
    before = snapshot(out)
    (src / "metadata.toml").write_text(toml, encoding="utf-8")
    code, err = run_cli(capfd, src, out)
    assert code == 2
    assert "metadata.toml" in err and says in err and "Traceback" not in err
    assert snapshot(out) == before


# ----------------------------------------------------------------------------- size


def test_a_long_page_without_punctuation_is_processed_in_chunks_with_exact_offsets(tmp_path, capfd, monkeypatch):
    monkeypatch.setattr(chunked, "MAX_CHARS", 400)
    body = "".join(f"项目{i}投资{i % 90 + 10}亿元建设" for i in range(300))   # no punctuation
    text = "生产线\n\n" + body + "\n"
    assert len(body) > 5 * chunked.MAX_CHARS
    src = folder(tmp_path, {"p.txt": text})
    code, err = run_cli(capfd, src, tmp_path / "out")
    assert code == 0, err
    figures = table(tmp_path / "out", "figures")
    assert len([f for f in figures if f["unit"] == "CNY"]) == 300   # none lost at a cut
    for f in figures:
        assert text[f["start"]:f["end"]] == f["text"]


def test_chunks_cut_at_sentence_ends_then_clauses_then_the_limit():
    text = "甲" * 30 + "。" + "乙" * 30 + "，" + "丙" * 100
    bounds = chunked.chunk_bounds(text, 40)
    assert bounds[0] == (0, 31) and bounds[1] == (31, 62)
    assert all(e - s <= 40 for s, e in bounds) and bounds[-1][1] == len(text)
    assert [b[0] for b in bounds[1:]] == [b[1] for b in bounds[:-1]]


def test_chunks_are_never_cut_just_after_an_opening_bracket_or_quote():
    # a clause's end before a later opening quote wins; with no clause end, the cut comes
    # before the opening mark, and a closing one is cut after
    text = "甲" * 55 + "，" + "乙" * 30 + "“说明书”" + "丙" * 40
    assert chunked.chunk_bounds(text, 100)[0] == (0, 56)
    text = "甲" * 70 + "（" + "乙" * 60
    assert chunked.chunk_bounds(text, 100)[0] == (0, 70)
    text = "甲" * 60 + "（乙）" + "丙" * 10 + "“" + "丁" * 60
    assert chunked.chunk_bounds(text, 100)[0] == (0, 63)


def test_a_target_names_its_figures_across_chunks(monkeypatch):
    monkeypatch.setattr(chunked, "MAX_CHARS", 60)
    text = "今年新签约项目35个。" * 4 + "力争到2025年，全市投资达到24.7亿元。"
    recs = chunked.layer_records(text, issue_date=None, home=None)
    assert recs["targets"], recs
    for t in recs["targets"]:
        named = [recs["figures"][j]["text"] for j in t["figures"]]
        assert "24.7亿元" in named


# ----------------------------------------------------------------------------- output


def test_temporary_files_of_a_killed_run_are_removed_at_the_next_start(tmp_path, capfd):
    src = folder(tmp_path, {"p.txt": PAGE})
    out = tmp_path / "out"
    assert run_cli(capfd, src, out)[0] == 0
    left = [out / ".articles.csv.k3x9q_1a", out / ".baozhi.sqlite.a8f2kd-journal",
            out / ".baozhi.sqlite.a8f2kd", out / ".state" / ".manifest.json.zz81",
            out / ".state" / "pages" / ".0123abcd.json.q1"]
    for p in left:
        p.write_bytes(b"half written")
    keep = out / ".my-notes"           # not ours: left alone
    keep.write_text("mine", encoding="utf-8")
    code, err = run_cli(capfd, src, out)
    assert code == 0 and "removed 5 temporary file(s)" in err
    assert not any(p.exists() for p in left) and keep.exists()


@pytest.mark.parametrize("err_no", [errno.ENOSPC, errno.EROFS])
def test_a_full_disk_or_read_only_output_is_exit_3_and_keeps_the_old_tables(tmp_path, capfd, monkeypatch, err_no):
    src = folder(tmp_path, {"p.txt": PAGE})
    out = tmp_path / "out"
    assert run_cli(capfd, src, out)[0] == 0
    before = snapshot(out)
    (src / "q.txt").write_text(PAGE.replace("35", "36"), encoding="utf-8")

    def fail(*args, **kwargs):
        raise OSError(err_no, os.strerror(err_no), str(out / "articles.csv"))

    monkeypatch.setattr(batch, "write_tables", fail)
    code, err = run_cli(capfd, src, out)
    assert code == 3
    assert f"cannot write {out / 'articles.csv'}: {os.strerror(err_no)}" in err
    assert "Traceback" not in err
    after = snapshot(out)
    assert {k: v for k, v in after.items() if not k.startswith(".state/pages/")} == \
        {k: v for k, v in before.items() if not k.startswith(".state/pages/")}


def test_a_full_disk_while_saving_a_page_result_is_exit_3(tmp_path, capfd, monkeypatch):
    src = folder(tmp_path, {"p.txt": PAGE})
    out = tmp_path / "out"
    assert run_cli(capfd, src, out)[0] == 0
    before = snapshot(out)
    (src / "q.txt").write_text(PAGE.replace("35", "36"), encoding="utf-8")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(batch.State, "save_text", full)   # what State.save writes with
    code, err = run_cli(capfd, src, out)
    assert code == 3 and "No space left on device" in err and str(out / ".state" / "pages") in err
    assert snapshot(out) == before


def test_a_full_disk_while_a_worker_saves_its_page_is_exit_3(tmp_path, capfd, monkeypatch):
    """Local workers save the pages they make: a failed save there stops the run as one in
    the main process does (exit 3, naming the folder; the old tables kept)."""
    src = folder(tmp_path, {"p.txt": PAGE})
    out = tmp_path / "out"
    assert run_cli(capfd, src, out)[0] == 0
    before = snapshot(out)
    for name, figure in (("q.txt", "36"), ("r.txt", "37")):
        (src / name).write_text(PAGE.replace("35", figure), encoding="utf-8")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(batch.State, "save_text", full)  # the forked workers inherit it
    code, err = run_cli(capfd, src, out, "--workers", "2")
    assert code == 3, err
    assert "No space left on device" in err and str(out / ".state" / "pages") in err
    assert "Traceback" not in err and snapshot(out) == before


def test_an_output_folder_that_cannot_be_made_is_exit_3(tmp_path, capfd):
    src = folder(tmp_path, {"p.txt": PAGE})
    blocker = tmp_path / "afile"
    blocker.write_text("x", encoding="utf-8")
    code, err = run_cli(capfd, src, blocker / "out")
    assert code == 3 and "cannot write" in err and "Traceback" not in err


def test_exit_1_when_a_page_failed_and_the_rows_are_strict_json(tmp_path, capfd):
    src = folder(tmp_path, {"p.txt": PAGE + "\n\n数量达1e2022个。\n", "e.txt": b""})
    code, _ = run_cli(capfd, src, tmp_path / "out")
    assert code == 1
    for name in ("figures", "errors", "articles"):
        for line in (tmp_path / "out" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            strict_json(line)


def test_sqlite_saying_the_disk_is_full_is_exit_3(tmp_path, capfd, monkeypatch):
    import sqlite3

    src = folder(tmp_path, {"p.txt": PAGE})
    out = tmp_path / "out"

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(batch, "write_tables", full)
    code, err = run_cli(capfd, src, out)
    assert code == 3 and f"cannot write {out}: database or disk is full" in err
    assert "Traceback" not in err and not list(out.glob("*.csv"))


def _tmpfs(path, size: str) -> bool:
    import subprocess

    path.mkdir()
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True).returncode == 0


@pytest.mark.skipif(os.geteuid() != 0, reason="mounts a small tmpfs: needs root")
def test_a_really_full_disk_and_a_really_read_only_folder(tmp_path, capfd):
    import subprocess

    disk = tmp_path / "disk"
    if not _tmpfs(disk, "2m"):
        pytest.skip("cannot mount a tmpfs here")
    try:
        src = folder(tmp_path, {"p.txt": PAGE})
        out = disk / "out"
        assert run_cli(capfd, src, out)[0] == 0
        before = snapshot(out)
        (src / "q.txt").write_text(PAGE * 40, encoding="utf-8")
        filler = disk / "filler"
        subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=4k"], capture_output=True)
        code, err = run_cli(capfd, src, out)                     # the disk is full
        assert code == 3 and "No space left on device" in err and "Traceback" not in err
        assert {k: v for k, v in snapshot(out).items() if not k.startswith(".state/")} == \
            {k: v for k, v in before.items() if not k.startswith(".state/")}
        filler.unlink()
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        code, err = run_cli(capfd, src, out)                     # read-only, even for root
        assert code == 3 and "Read-only file system" in err
        assert {k: v for k, v in snapshot(out).items() if not k.startswith(".state/")} == \
            {k: v for k, v in before.items() if not k.startswith(".state/")}
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)
