"""Built tables kept on disk between runs, keyed so that a changed input is never served stale.

``cache_dir()`` is ``$BAOZHI_CACHE``, else ``$XDG_CACHE_HOME/baozhi``, else
``~/.cache/baozhi``. ``cached(name, key, build)`` returns what ``build()`` returns, from the
file ``<name>-<sha256 of key>.pickle`` when it is there, else built and written (atomically:
a reader never sees half a file). The key must name every input of the build: the rules'
and models' version (``ruleset.version()``), the package's version, the source of the code
that builds, the versions of the libraries whose data it reads. Where the folder cannot be
written, the table is built in memory, as without a cache.

The folder stays bounded: writing an entry removes the entries of the same name that other
keys left behind (other rules, models, dictionaries or code), all but the ``KEEP`` used
last; the entries of any name that no process has used for ``UNUSED_S`` (a name the code
no longer writes, such as an older version's ``jieba-tags``: a read renews an entry, so one
in use is never old); and the temporary files of writers that were killed (``prune``).
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import re
import sys
import time
from pathlib import Path
from typing import Callable, Iterable, TypeVar

from baozhi.resources.atomic import TEMP_PREFIX, replacing

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
    """``build()``, or its result as saved under ``key`` by an earlier process. Writing a
    new entry removes the entries of the same ``name`` that other keys left behind, but the
    ``KEEP`` last used (``prune``)."""
    h = hashlib.sha256(f"{FORMAT}\0{sys.version_info[:2]}".encode())
    for part in key:
        h.update(b"\0" + str(part).encode())
    folder = cache_dir() if folder is None else folder
    path = folder / f"{name}-{h.hexdigest()[:32]}.pickle"
    try:
        with open(path, "rb") as fh:
            value = pickle.load(fh)
    except Exception:  # noqa: BLE001 - absent, unreadable or half-written: built again below
        pass
    else:
        with contextlib.suppress(OSError):
            os.utime(path)        # last used now: what ``prune`` keeps
        return value
    value = build()
    try:
        with replacing(path) as tmp, open(tmp, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError:
        return value   # not writable: built in memory
    prune(folder, f"{name}-", ".pickle", path)
    return value


# entries of one name kept beside the one just written: the tables of the last few rules,
# models or checkouts used (two checkouts side by side do not rebuild each other's)
KEEP = 3
# a temporary file older than this is a writer's that was killed: removed
STALE_TMP_S = 3600
# an entry of any name not used (read or written) for this long is removed: names the code no
# longer writes go, and a checkout still in use renews its own entries at every start
UNUSED_S = 14 * 86400
# what an entry's name looks like (``<name>-<hex digest>.pickle``, the CRF's ``crf-….npz``):
# only files of this shape are removed for age, whatever else the folder holds
ENTRY = re.compile(r"[^.].*-[0-9a-f]{32,64}\.(pickle|npz)")
# a temporary file of one (``resources/atomic.py``'s ``.<entry name>.<random>``): only these
# are removed as a killed writer's, never another dotfile of a folder the user chose
TEMP = re.compile(re.escape(TEMP_PREFIX) + ENTRY.pattern + r"\.[^.]+")


def prune(folder: Path, prefix: str, suffix: str, current: Path, keep: int = KEEP) -> list[Path]:
    """Remove the files ``prefix*suffix`` of ``folder`` but ``current`` and the ``keep``
    used last (by modification time, which a read from the cache renews), the entries of
    other names unused for ``UNUSED_S``, and temporary files left by killed writers;
    returns what was removed. Safe beside other processes:
    an entry is only ever replaced whole (written to a temporary file, then renamed), a
    process that has a removed file open reads it to the end, and one that finds it gone
    builds the table again; two processes pruning at once only both try to remove."""
    removed = []
    try:
        entries = [p for p in folder.iterdir() if p != current]
    except OSError:
        return removed
    now = time.time()
    same, stale = [], []
    for p in entries:
        try:
            mtime = p.stat().st_mtime
        except OSError:
            continue
        if p.name.startswith(prefix) and p.name.endswith(suffix):
            same.append((mtime, p))
        elif now - mtime > STALE_TMP_S and TEMP.fullmatch(p.name):
            stale.append(p)
        elif now - mtime > UNUSED_S and ENTRY.fullmatch(p.name):
            stale.append(p)
    same.sort(key=lambda entry: entry[0], reverse=True)
    for p in [p for _, p in same[keep:]] + stale:
        with contextlib.suppress(OSError):
            p.unlink()
            removed.append(p)
    return removed


# A set of words kept as one string: unpickling a list of 100,000 words builds each through
# pickle's opcodes, one split in C builds them all (``pack_words``/``unpack_words``).
SEP = "\n"


def pack_words(words: Iterable[str]) -> str | tuple[str, ...]:
    """``words`` as one SEP-joined string (a tuple where some word holds SEP)."""
    words = list(words)
    return tuple(words) if any(SEP in w for w in words) else SEP.join(words)


def unpack_words(packed: str | tuple[str, ...]) -> list[str] | tuple[str, ...]:
    """The words ``pack_words`` packed, in their order."""
    if isinstance(packed, tuple):
        return packed
    return packed.split(SEP) if packed else []
