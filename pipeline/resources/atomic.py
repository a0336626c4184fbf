"""Files written whole or not at all: the one way this package replaces a file.

``replacing(path)`` gives a temporary file beside ``path`` (named ``.<name>.<random>``, with
the mode a new file gets under the umask) and renames it into place when the block ends, so a
reader sees the old file or the new one, never half of one; if the block fails the temporary
file is removed. With ``staged`` the rename is left to the caller (``(tmp, path)`` is
appended), so that several files can be written first and renamed together. ``atomic_write``
writes a text or bytes in one go. Used by the tables (``run/export.py``), a run's saved state
(``run/batch.py``) and the disk cache (``resources/diskcache.py``).
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator

TEMP_PREFIX = "."      # a temporary file is ``.<name>.<random>`` beside the file it becomes


def umask_mode() -> int:
    """The mode a new file gets (0o666 less the umask): ``mkstemp`` makes its files 0600."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def temp_prefix(path: Path) -> str:
    """The start of the name of every temporary file that becomes ``path``."""
    return f"{TEMP_PREFIX}{Path(path).name}."


@contextlib.contextmanager
def replacing(path: Path, staged: list | None = None) -> Iterator[str]:
    """A temporary file beside ``path`` (its name is yielded), renamed into place when the
    block ends, or, with ``staged``, left for the caller to rename (``(tmp, path)`` appended);
    removed if the block fails."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), dir=path.parent)
    os.close(fd)
    try:
        os.chmod(tmp, umask_mode())
        yield tmp
        if staged is None:
            os.replace(tmp, path)
        else:
            staged.append((tmp, path))
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` through a temporary file renamed into place."""
    with replacing(path) as tmp:
        if isinstance(data, str):
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                fh.write(data)
        else:
            with open(tmp, "wb") as fh:
                fh.write(data)
