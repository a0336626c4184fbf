"""``baozhi annotate``: JSONL in, JSONL out, as ``../shared/contract.md`` says.

Entry point: ``annotate_record(record, ...) -> dict``. The text is repaired, annotated on the
repaired text, and every offset is mapped back to the text as given. A line that cannot be
processed gives ``{"id": ..., "error": ...}`` and the run goes on.

``annotate_stream`` reads bytes, line by line, and writes exactly one line of strict JSON
(no NaN or Infinity, valid UTF-8) per input line, whatever the line holds: invalid UTF-8,
a blank line, JSON nested too deeply, NaN, a lone surrogate, a UTF-8 BOM on the first line
(dropped). It returns how many lines gave an error line (the exit status says whether any).
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from typing import IO, Iterable

from baozhi.layers import registry
from baozhi.resources.strict import finite, no_surrogates
from baozhi.run.chunked import layer_records
from baozhi.stages.repair import Repaired, repair

SCHEMA = 1


class InputError(ValueError):
    pass


def parse_date(value: str | None, what: str = "issue_date") -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"{what} {value!r} is not a date of the form YYYY-MM-DD") from None


def to_source(rep: Repaired, recs: list[dict], base: int = 0) -> list[dict]:
    """Records with offsets into ``rep.text[base:]`` -> offsets into the original text.
    Contract fields first, in the contract's order, then any extra fields."""
    out = []
    for r in recs:
        s, e = rep.source_span(base + r["start"], base + r["end"])
        row = dict(r)
        row["start"], row["end"] = s, e
        out.append(row)
    return out


def annotate_text(text: str, issue_date: dt.date | None, home: str | None,
                  layers: Iterable[str] | None = None) -> dict[str, list[dict]]:
    """Layers of ``text`` (default: all) with offsets into ``text`` as given."""
    layers = tuple(registry.names() if layers is None else layers)
    rep = repair(text)
    recs_of = layer_records(rep.text, issue_date=issue_date, home=home, layers=layers)
    out = {name: [finite(registry.get(name).ordered(r)) for r in to_source(rep, recs)]
           for name, recs in recs_of.items()}
    for name, rows in out.items():
        finish = registry.get(name).finish
        if finish:
            finish(rows)
    return out


def _json_type(v) -> str:
    return {dict: "an object", list: "an array", bool: "true/false", int: "a number",
            float: "a number", str: "a string"}.get(type(v), type(v).__name__)


def _clean_id(rid):
    """The id as it can be echoed: as given (a string with a lone surrogate is written
    back with its ``\\ud800`` escape), non-finite numbers (rejected when parsing) null."""
    return finite(rid)


def annotate_record(rec: object, *, issue_date: dt.date | None = None, home: str | None = None,
                    layers: Iterable[str] | None = None) -> dict:
    """One output line for one input record (already parsed from JSON)."""
    rid = _clean_id(rec.get("id")) if isinstance(rec, dict) else None
    layers = registry.output_layers(registry.names() if layers is None else layers)
    try:
        if not isinstance(rec, dict):
            raise InputError("a line must be a JSON object with \"id\" and \"text\"")
        text = rec.get("text")
        if not isinstance(text, str):
            raise InputError("no \"text\" string in this line")
        for key in ("issue_date", "home"):
            if rec.get(key) is not None and not isinstance(rec[key], str):
                raise InputError(f"\"{key}\" must be a string, not {_json_type(rec[key])}")
        day = parse_date(rec["issue_date"]) if rec.get("issue_date") else issue_date
        where = no_surrogates(rec.get("home") or "") or home
        text = no_surrogates(text)   # same length: offsets unchanged
        out = {"id": rid, "schema": SCHEMA, "issue_date": day.isoformat() if day else None}
        out.update(annotate_text(text, day, where, layers))
        return out
    except InputError as exc:
        return {"id": rid, "error": str(exc)}
    except Exception as exc:  # noqa: BLE001 - one bad line must not stop the run
        return {"id": rid, "error": f"internal error: {type(exc).__name__}: {exc}"}


def _reject_constant(name: str):
    raise ValueError(f"{name} is not strict JSON")


def parse_line(raw: bytes | str, lineno: int) -> object:
    """One input line as a JSON value. Raises InputError saying what is wrong with it."""
    if isinstance(raw, bytes):
        if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8: byte {raw[exc.start]:#04x} at byte offset "
                             f"{exc.start} of the line") from None
    elif lineno == 1:
        raw = raw.removeprefix("\ufeff")
    if not raw.strip():
        raise InputError("blank line: no JSON object")
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise InputError(f"not JSON: {exc.msg} at column {exc.colno}") from None
    except RecursionError:
        raise InputError("not JSON this program reads: nested too deeply") from None
    except ValueError as exc:   # NaN/Infinity, an integer of too many digits
        raise InputError(f"not JSON this program reads: {exc}") from None


def _lines(inp) -> Iterable[bytes | str]:
    """The lines of ``inp`` without their line ends; bytes when it is binary."""
    stream = getattr(inp, "buffer", inp)
    for line in stream:
        if isinstance(line, bytes):
            yield line[:-1] if line.endswith(b"\n") else line
        else:
            yield line[:-1] if line.endswith("\n") else line


def dumps(result: dict) -> str:
    """One strict JSON line (no NaN/Infinity; \\u escapes where text is not UTF-8)."""
    result = finite(result)
    line = json.dumps(result, ensure_ascii=False, allow_nan=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(result, ensure_ascii=True, allow_nan=False)
    # characters that some readers take for line ends, only ever inside strings here
    return line.translate(_LINE_ENDS)


_LINE_ENDS = {0x2028: "\\u2028", 0x2029: "\\u2029", 0x85: "\\u0085"}


def annotate_stream(inp: IO, out: IO[str], *, issue_date: dt.date | None = None,
                    home: str | None = None, layers: Iterable[str] | None = None,
                    err: IO[str] = sys.stderr) -> int:
    """Read JSONL from ``inp`` (bytes, or text), write exactly one line per input line to
    ``out``. Returns the number of lines that gave an error line."""
    layers = registry.output_layers(registry.names() if layers is None else layers)
    errors = 0
    for lineno, raw in enumerate(_lines(inp), 1):
        if isinstance(raw, bytes):
            raw = raw.removesuffix(b"\r")
        else:
            raw = raw.removesuffix("\r")
        try:
            rec = parse_line(raw, lineno)
        except InputError as exc:
            result = {"id": None, "error": f"line {lineno}: {exc}"}
        else:
            try:
                result = annotate_record(rec, issue_date=issue_date, home=home, layers=layers)
            except RecursionError:
                result = {"id": None, "error": f"line {lineno}: nested too deeply"}
        if "error" in result:
            errors += 1
            why = result["error"].removeprefix(f"line {lineno}: ")
            print(f"baozhi annotate: <stdin> line {lineno}: {why}", file=err)
        out.write(dumps(result) + "\n")
        out.flush()
    return errors
