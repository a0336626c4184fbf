"""The ``baozhi`` command."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

# spaCy (through pipeline.nlp) is imported only by the commands that need it, so that
# `baozhi run` with nothing to redo, `show` and `report` start at once.
LAYERS = ("entities", "figures", "dates", "targets")   # = nlp.LAYERS (checked in tests)


def _cmd_run(args) -> int:
    from .batch import RunError, run

    try:
        summary = run(Path(args.input_dir), Path(args.out), workers=args.workers)
    except RunError as exc:
        print(f"baozhi run: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    if summary.interrupted:
        return 130
    return 1 if summary.counts.get("errors") else 0


def _cmd_annotate(args) -> int:
    from . import nlp
    from .annotate import InputError, annotate_stream, parse_date

    try:
        issue = parse_date(args.issue_date, "--issue-date")
        layers = nlp.resolve_output_layers(args.layers.split(","))
    except (InputError, ValueError) as exc:
        print(f"baozhi annotate: {exc}", file=sys.stderr)
        return 2
    sys.stdin.reconfigure(encoding="utf-8")
    sys.stdout.reconfigure(encoding="utf-8")
    annotate_stream(sys.stdin, sys.stdout, issue_date=issue, home=args.home, layers=layers)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="baozhi", description="Tables of figures, dates, targets and entities from Chinese newspaper pages.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run", help="a folder of page files to tables (CSV, JSONL, SQLite)")
    p.add_argument("input_dir", help="folder of page files (*.txt), with an optional metadata.toml")
    p.add_argument("--out", default="outputs", help="output folder (default: outputs/)")
    p.add_argument("--workers", type=int, default=None, help="worker processes (default: cores)")
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser("annotate", help="JSONL in (id, text), JSONL out (entities, figures, dates, targets)")
    p.add_argument("--issue-date", default=None, help="YYYY-MM-DD for lines that give none")
    p.add_argument("--home", default=None, help="the paper's home region, e.g. 山西省太原市")
    p.add_argument("--layers", default=",".join(LAYERS), help="comma-separated layers")
    p.set_defaults(func=_cmd_annotate)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
