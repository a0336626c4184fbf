"""The ``baozhi`` command."""
from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

from baozhi import __version__
from baozhi.layers import registry

# Exit statuses of `baozhi run` and `baozhi annotate` (README: "Exit codes and bad input")
EXIT_OK = 0
EXIT_FAILED = 1         # some pages (run) or lines (annotate) failed: see the errors rows
EXIT_BAD_INPUT = 2      # cannot start: bad arguments, rules or metadata; nothing was changed
EXIT_CANNOT_WRITE = 3   # the output could not be written (disk full, read-only); old tables kept
EXIT_INTERRUPTED = 130

# spaCy (through pipeline.nlp) is imported only by the commands that need it, so that
# `baozhi run` with nothing to redo, `show` and `report` start at once.


# Arrow's allocator for ``baozhi run``'s Parquet writing, unless the user chose one: the system's
# (malloc) instead of mimalloc, whose first use in a process costs more than the writing it
# serves (262 pd1998 pages: write_parquet 0.62-0.87 CPU-s, median 0.72 -> 0.44-0.57, median
# 0.53). Read by Arrow when it loads, hence set here, before anything imports pyarrow; this
# process (and what it starts) only, never by the library (``batch.run``).
ARROW_POOL = ("ARROW_DEFAULT_MEMORY_POOL", "system")


def _cmd_run(args) -> int:
    from baozhi.run.batch import RunError, run

    if "pyarrow" not in sys.modules:
        os.environ.setdefault(*ARROW_POOL)
    try:
        summary = run(Path(args.input_dir), Path(args.out), workers=args.workers,
                      executor=args.executor, scheduler=args.scheduler)
    except RunError as exc:   # 2: cannot start (bad rules, metadata, folder); 3: cannot write
        print(f"baozhi run: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    if summary.interrupted:
        return EXIT_INTERRUPTED
    return EXIT_FAILED if summary.counts.get("errors") else EXIT_OK


def _cmd_show(args) -> int:
    from baozhi.apps.show import Filters, ShowError, show

    filters = Filters(date=args.date, date_from=args.date_from, date_to=args.date_to,
                      article=args.article, kind=args.kind, label=args.label,
                      source=args.source, text=args.text, subject=args.subject,
                      metric=args.metric)
    columns = [c.strip() for c in args.columns.split(",") if c.strip()] if args.columns else None
    sys.stdout.reconfigure(encoding="utf-8")
    try:
        show(Path(args.out), args.table, filters, columns, args.limit, args.format)
    except ShowError as exc:
        print(f"baozhi show: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `baozhi show ... | head`
        sys.stderr.close()
    return 0


def _cmd_report(args) -> int:
    from baozhi.apps.report import ReportError, write_report
    from baozhi.apps.show import Filters, ShowError

    filters = Filters(date=args.date, date_from=args.date_from, date_to=args.date_to)
    html = Path(args.html) if args.html else Path(args.out) / "report.html"
    try:
        write_report(Path(args.out), html, filters=filters,
                     input_dir=Path(args.input) if args.input else None, max_rows=args.max_rows)
    except (ReportError, ShowError) as exc:
        print(f"baozhi report: {exc}", file=sys.stderr)
        return 2
    print(f"baozhi report: wrote {html}", file=sys.stderr)
    return 0


def _cmd_browse(args) -> int:
    from baozhi.apps.browse import BrowseError, browse

    try:
        return browse(Path(args.out), port=args.port, open_browser=args.open)
    except BrowseError as exc:
        print(f"baozhi browse: {exc}", file=sys.stderr)
        return 2


def _add_date_filters(p) -> None:
    p.add_argument("--date", help="rows of this issue date (YYYY-MM-DD)")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="issue date on or after")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="issue date on or before")


def _cmd_annotate(args) -> int:
    from baozhi.apps.annotate import InputError, annotate_stream, parse_date
    from baozhi.layers.rulecheck import check_rules
    from baozhi.resources.ruleset import RulesError

    try:
        issue = parse_date(args.issue_date, "--issue-date")
        layers = registry.output_layers(args.layers.split(","))
        check_rules()
    except (InputError, ValueError, RulesError) as exc:
        print(f"baozhi annotate: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    sys.stdout.reconfigure(encoding="utf-8")
    try:   # stdin is read as bytes, line by line: a bad line is an error line, not a crash
        failed = annotate_stream(sys.stdin.buffer, sys.stdout, issue_date=issue,
                                 home=args.home, layers=layers)
    except OSError as exc:   # stdout closed or full
        with contextlib.suppress(OSError):
            print(f"baozhi annotate: cannot write the output: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_CANNOT_WRITE
    return EXIT_FAILED if failed else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="baozhi", description="Tables of figures, dates, targets and entities from Chinese newspaper pages.")
    parser.add_argument("--version", action="version", version=f"baozhi {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser(
        "run", help="a folder of page files to tables (CSV, JSONL, SQLite)",
        description="Reads every page file under INPUT_DIR and writes the tables under OUT. "
        "A rerun redoes only pages that are new or changed (or all, when a rule or model "
        "changed) and leaves the tables as a fresh run would; the state is kept in OUT/.state. "
        "Ctrl-C (or a kill) leaves the previous tables; the next run goes on where it stopped. "
        "Exit status: 0, 1 if any page failed (see the errors table), 2 cannot start (bad "
        "arguments, rules or metadata, or another run on OUT; nothing changed), 3 cannot write "
        "the output (the previous tables are kept), 130 interrupted.")
    p.add_argument("input_dir", help="folder of page files (*.txt), with an optional metadata.toml")
    p.add_argument("--out", default="outputs", help="output folder (default: outputs/)")
    p.add_argument("--workers", type=int, default=None,
                   help="worker processes (default: cores); with --executor dask, the "
                   "LocalCluster's workers")
    p.add_argument("--executor", choices=("local", "dask"), default="local",
                   help="local: a pool of processes on this machine (default); dask: a Dask "
                   "distributed cluster, a LocalCluster unless --scheduler is given (docs/SCALE.md)")
    p.add_argument("--scheduler", default=None, metavar="tcp://HOST:8786",
                   help="with --executor dask: a running scheduler whose workers have baozhi "
                   "installed and see INPUT_DIR under the same path")
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser("show", help="print a table of a run, with filters")
    p.add_argument("table", help=", ".join(registry.tables()) + ", or the view series")
    p.add_argument("--out", default="outputs", help="the run's output folder (default: outputs/)")
    _add_date_filters(p)
    p.add_argument("--article", help="an article id, or a page id for all its articles")
    p.add_argument("--kind", help="figures or articles of this kind (money, percent, ...)")
    p.add_argument("--label", help="entities with this label (ORG, LOC, PER)")
    p.add_argument("--source", help="rows from page files whose path contains this")
    p.add_argument("--text", help="rows whose text contains this")
    p.add_argument("--subject", help="figures (or series) whose subject contains this, or has this adcode")
    p.add_argument("--metric", help="figures (or series) whose metric contains this")
    p.add_argument("--columns", help="comma-separated columns, or * for all")
    p.add_argument("--limit", type=int, default=None,
                   help="at most this many rows (terminal default: 50)")
    p.add_argument("--format", default="table", choices=["table", "csv", "json", "jsonl"])
    p.set_defaults(func=_cmd_show)

    p = sub.add_parser("report", help="one self-contained HTML file: highlighted text, tables, charts")
    p.add_argument("--out", default="outputs", help="the run's output folder (default: outputs/)")
    p.add_argument("--html", default=None, help="where to write it (default: OUT/report.html)")
    p.add_argument("--input", default=None,
                   help="the page folder, if it moved since the run (default: as recorded by the run)")
    _add_date_filters(p)
    p.add_argument("--max-rows", type=int, default=5000, help="rows per table in the report (default 5000)")
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser("browse", help="open the tables in Datasette on 127.0.0.1")
    p.add_argument("--out", default="outputs", help="the run's output folder (default: outputs/)")
    p.add_argument("--port", type=int, default=8001, help="port on 127.0.0.1 (default 8001)")
    p.add_argument("--open", action="store_true", help="open a web browser at the page")
    p.set_defaults(func=_cmd_browse)

    p = sub.add_parser(
        "annotate", help="JSONL in (id, text), JSONL out (entities, figures, dates, targets)",
        description="Reads one JSON object per line on stdin and writes exactly one line of "
        "strict JSON per input line on stdout (an {\"id\", \"error\"} line where a line cannot "
        "be processed). Exit status: 0, 1 if any line gave an error line, 2 bad arguments or "
        "rules, 3 the output could not be written.")
    p.add_argument("--issue-date", default=None, help="YYYY-MM-DD for lines that give none")
    p.add_argument("--home", default=None, help="the paper's home region, e.g. 山西省太原市")
    p.add_argument("--layers", default=",".join(registry.names()),
                   help=f"comma-separated layers, of {', '.join(registry.names())} (default: all)")
    p.set_defaults(func=_cmd_annotate)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:   # a wrong flag: the subcommand's own usage, not the top-level one
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        sub.choices[args.command].error(f"unrecognized arguments: {' '.join(extra)}")
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
