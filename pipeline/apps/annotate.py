"""``baozhi annotate``: JSONL in, JSONL out, as ``../shared/contract.md`` says.

Entry point: ``annotate_record(record, ...) -> dict``. The text is repaired, annotated on the
repaired text, and every offset is mapped back to the text as given. A line that cannot be
processed gives ``{"id": ..., "error": ...}`` and the run goes on.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from typing import IO, Iterable

from baozhi.frame import components as nlp
from baozhi.layers import registry
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
    doc = nlp.annotate(rep.text, issue_date=issue_date, home=home, layers=layers)
    out = {name: [registry.get(name).ordered(r) for r in to_source(rep, recs)]
           for name, recs in nlp.records(doc, layers).items()}
    for name, rows in out.items():
        finish = registry.get(name).finish
        if finish:
            finish(rows)
    return out


def annotate_record(rec: object, *, issue_date: dt.date | None = None, home: str | None = None,
                    layers: Iterable[str] | None = None) -> dict:
    """One output line for one input record (already parsed from JSON)."""
    rid = rec.get("id") if isinstance(rec, dict) else None
    layers = registry.output_layers(registry.names() if layers is None else layers)
    try:
        if not isinstance(rec, dict):
            raise InputError("a line must be a JSON object with \"id\" and \"text\"")
        text = rec.get("text")
        if not isinstance(text, str):
            raise InputError("no \"text\" string in this line")
        day = parse_date(rec["issue_date"]) if rec.get("issue_date") else issue_date
        where = rec.get("home") or home
        out = {"id": rid, "schema": SCHEMA, "issue_date": day.isoformat() if day else None}
        out.update(annotate_text(text, day, where, layers))
        return out
    except InputError as exc:
        return {"id": rid, "error": str(exc)}
    except Exception as exc:  # noqa: BLE001 - one bad line must not stop the run
        return {"id": rid, "error": f"internal error: {type(exc).__name__}: {exc}"}


def annotate_stream(inp: IO[str], out: IO[str], *, issue_date: dt.date | None = None,
                    home: str | None = None, layers: Iterable[str] | None = None,
                    err: IO[str] = sys.stderr) -> int:
    """Read JSONL from ``inp``, write one line per input line to ``out``. Returns the number
    of lines that gave an error."""
    layers = registry.output_layers(registry.names() if layers is None else layers)
    errors = 0
    for lineno, line in enumerate(inp, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            result = {"id": None, "error": f"line {lineno}: not JSON: {exc.msg}"}
        else:
            result = annotate_record(rec, issue_date=issue_date, home=home, layers=layers)
        if "error" in result:
            errors += 1
            why = result["error"].removeprefix(f"line {lineno}: ")
            print(f"baozhi annotate: <stdin> line {lineno}: {why}", file=err)
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return errors
