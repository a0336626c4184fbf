"""``baozhi browse``: the run's SQLite tables in Datasette, on 127.0.0.1 only.

Entry point: ``browse(out_dir, port, open_browser)``. Runs
``datasette serve -i OUT/baozhi.sqlite --host 127.0.0.1 --port PORT`` (the database opened
immutable: read-only, and Datasette can count rows once) with a small metadata file giving
the title and what each table holds, in this process (no child: stopping ``baozhi
browse`` by Ctrl-C or by killing its PID stops the server). The articles table has a
search box (Datasette finds the articles_fts index).
"""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

from baozhi.resources.atomic import atomic_write
from baozhi.run.batch import STATE_DIR
from baozhi.layers import registry
from baozhi.run.export import DB_NAME, view_descriptions

HOST = "127.0.0.1"
PAGE_DESCRIPTIONS = {
    "articles": "One row per article: headline, authors, text; start/end into the page file.",
    "errors": "Pages or articles that could not be read or processed.",
}


def descriptions() -> dict[str, str]:
    """What each table holds, in the tables' order (a layer's from the registry)."""
    return {t: PAGE_DESCRIPTIONS[t] if t in PAGE_DESCRIPTIONS else registry.get(t).description
            for t in registry.tables()}


class BrowseError(Exception):
    """No tables to browse, or Datasette is not installed."""


PAGES_DESCRIPTION = ("One row per page file: paper, page, issue date and where it came from "
                     "(metadata, filename, inferred; empty when none is known), sha256, articles.")


def metadata(out_dir: Path) -> dict:
    """Datasette metadata: a title and a description of each table and view."""
    tables = {"pages": {"description": PAGES_DESCRIPTION}}
    tables.update({t: {"description": d} for t, d in descriptions().items()})
    tables.update({v: {"description": d} for v, d in view_descriptions().items()})
    return {"title": f"baozhi — {Path(out_dir).resolve().name}",
            "databases": {Path(DB_NAME).stem: {"tables": tables}}}


def datasette_command(out_dir: Path, port: int = 8001, open_browser: bool = False,
                      metadata_file: Path | None = None) -> list[str]:
    """The command line that serves ``OUT/baozhi.sqlite`` on 127.0.0.1:port."""
    cmd = [sys.executable, "-m", "datasette", "serve", "-i", str(Path(out_dir) / DB_NAME),
           "--host", HOST, "--port", str(port)]
    if metadata_file is not None:
        cmd += ["--metadata", str(metadata_file)]
    if open_browser:
        cmd.append("--open")
    return cmd


def prepare(out_dir: Path, port: int = 8001, open_browser: bool = False) -> list[str]:
    """Check there is something to browse, write the metadata file, return the command."""
    out_dir = Path(out_dir)
    if not (out_dir / DB_NAME).is_file():
        raise BrowseError(f"{out_dir / DB_NAME} not found: run `baozhi run INPUT_DIR --out {out_dir}` first")
    if importlib.util.find_spec("datasette") is None:
        raise BrowseError("Datasette is not installed: pip install datasette")
    meta = out_dir / STATE_DIR / "datasette.json"
    atomic_write(meta, json.dumps(metadata(out_dir), ensure_ascii=False, indent=1))
    return datasette_command(out_dir, port, open_browser, meta)


def browse(out_dir: Path, port: int = 8001, open_browser: bool = False) -> int:
    """Serve the tables until Ctrl-C; returns Datasette's exit status."""
    cmd = prepare(out_dir, port, open_browser)
    print(f"baozhi browse: http://{HOST}:{port}/ (Ctrl-C to stop)", file=sys.stderr)
    from datasette.cli import cli

    try:   # Datasette's server (uvicorn) stops on SIGINT and SIGTERM
        cli.main(cmd[3:], prog_name="datasette", standalone_mode=False)
    except KeyboardInterrupt:
        return 0
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    return 0
