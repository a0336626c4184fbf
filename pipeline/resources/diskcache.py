"""Built tables kept on disk between runs, keyed so that a changed input is never served stale.

``cache_dir()`` is ``$BAOZHI_CACHE``, else ``$XDG_CACHE_HOME/baozhi``, else
``~/.cache/baozhi``. ``cached(name, key, build)`` returns what ``build()`` returns, from the
file ``<name>-<sha256 of key>.pickle`` when it is there, else built and written (atomically:
a reader never sees half a file). The key must name every input of the build: the rules'
and models' version (``ruleset.version()``), the package's version, the source of the code
that builds, the versions of the libraries whose data it reads. Where the folder cannot be
written, the table is built in memory, as without a cache.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")
FORMAT = 1


def cache_dir() -> Path:
    """``$BAOZHI_CACHE``, else ``$XDG_CACHE_HOME/baozhi``, else ``~/.cache/baozhi``."""
    if os.environ.get("BAOZHI_CACHE"):
        return Path(os.environ["BAOZHI_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "baozhi"


def source_digest(modules: Iterable[object]) -> str:
    """sha256 of the source files of ``modules`` (the code that builds a cached table)."""
    h = hashlib.sha256()
    for mod in modules:
        h.update(Path(mod.__file__).read_bytes())
    return h.hexdigest()


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes, or ``absent`` (an input of a cached build named by its content,
    not by where it lies)."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "absent"


def cached(name: str, key: Iterable[str], build: Callable[[], T], folder: Path | None = None) -> T:
    """``build()``, or its result as saved under ``key`` by an earlier process."""
    h = hashlib.sha256(f"{FORMAT}\0{sys.version_info[:2]}".encode())
    for part in key:
        h.update(b"\0" + str(part).encode())
    folder = cache_dir() if folder is None else folder
    path = folder / f"{name}-{h.hexdigest()[:32]}.pickle"
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except Exception:  # noqa: BLE001 - absent, unreadable or half-written: built again below
        pass
    value = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError:
        pass   # not writable: built in memory
    return value

