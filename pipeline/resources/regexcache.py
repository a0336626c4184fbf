"""Compiled regular expressions kept on disk between processes (issue 12, the cold start).

``regex`` parses a pattern in Python before its C part compiles the program: the few hundred
patterns the rules make cost a fresh process ~0.3 CPU-s, a third of a one-line
``baozhi annotate``. ``compile(pattern, flags)`` returns what ``regex.compile(pattern,
flags)`` returns. The first time a pattern is compiled, the program regex's parser made of it
(the arguments regex gives its C compiler, ``_regex.compile``: the code as integers, the
group names, the required string) is kept in one table on disk, in
``resources.diskcache.cache_dir()``, keyed by regex's version, its default version, its C
module's program format (MAGIC, CODE_SIZE), Python's implementation and version and the
machine; a later process hands those arguments to the C compiler itself and skips the parse.
The patterns are the ones ``regex.compile`` makes (tests/faults/test_cold_caches.py matches
both on text).

The table is read once per process, at the first ``compile``, and written when a process that
compiled patterns the table did not hold ends (``save``: merged with what other processes
wrote meanwhile, replaced atomically; ``run.chunked.warm_up`` saves before workers fork). It
stays bounded: where the merged table would pass ``MAX_BYTES``, a process writes only the
patterns it used itself (the programs of rules since changed, or of other checkouts sharing
the folder, would otherwise pile up: 2,473 programs, 12 MB, read in 0.11 s by every process,
where its own 376 take 0.2 MB), and the tables of other regex or Python versions go as
``diskcache.prune`` says. A pattern with
the LOCALE or DEBUG flag or named lists, a regex whose compiler is not where this module looks
for it (another layout of the package), an unreadable table or an unwritable folder: the
pattern is compiled by ``regex.compile`` as without a cache.
Call it from the builders that are run once per process (``functools.cache``, module level),
not with patterns made from a text, which would only fill the table.
"""
from __future__ import annotations

import atexit
import contextlib
import hashlib
import pickle
import platform
import sys
import threading
from pathlib import Path

import regex

from baozhi.resources import diskcache
from baozhi.resources.atomic import replacing

FORMAT = 1
NAME = "regex"
MAX_BYTES = 2_000_000     # ~10x the package's own programs; ~9 ms a MB to read
# the arguments of regex's ``_regex.compile`` after the pattern (regex 2020 – 2026)
ARGS = 10

try:   # regex's Python half, where it calls its C compiler
    from regex import _main
except ImportError:   # another layout of the package: no cache
    _main = None

_LOCK = threading.Lock()
_memo: dict[tuple, regex.Pattern] = {}      # (pattern, flags) -> the compiled pattern, this process
_table: dict[tuple, tuple] | None = None    # (pattern, flags) -> program, as read from the disk
_new: dict[tuple, tuple] = {}               # programs this process made, not yet written
_path: Path | None = None
_at_exit = False
_oversized = False      # the table read was past MAX_BYTES: rewritten at exit even with nothing new


def compile(pattern: str, flags: int = 0) -> regex.Pattern:  # noqa: A001 - regex's own name
    """``regex.compile(pattern, flags)``, its program read from the disk where an earlier
    process compiled the same pattern."""
    key = (pattern, flags)
    got = _memo.get(key)
    if got is None:
        got = _compile(pattern, flags, key)
        _memo[key] = got
    return got


def _compile(pattern: str, flags: int, key: tuple) -> regex.Pattern:
    if _main is None or not isinstance(pattern, str) or flags & (regex.LOCALE | regex.DEBUG):
        return regex.compile(pattern, flags)
    program = _programs().get(key) or _new.get(key)
    if program is not None:
        try:
            return _main._regex.compile(pattern, *program)
        except Exception:  # noqa: BLE001 - a table of another build: parsed below
            pass
    compiled, program = _capture(pattern, flags)
    if program is not None:
        _new[key] = program
        _save_at_exit()
    return compiled


class _Recorder:
    """regex's C module as its Python half sees it during one ``_capture``: the arguments
    of the ``compile`` call for the pattern being compiled are kept."""

    def __init__(self, real, pattern: str):
        self._real, self._pattern, self.args = real, pattern, None

    def __getattr__(self, name):
        return getattr(self._real, name)

    def compile(self, *args):
        if args and args[0] is self._pattern:
            self.args = args
        return self._real.compile(*args)


def _capture(pattern: str, flags: int) -> tuple[regex.Pattern, tuple | None]:
    """``regex.compile(pattern, flags)`` and the program it gave its C compiler (None when
    it cannot be kept: named lists, a locale)."""
    with _LOCK:
        real = _main._regex
        recorder = _Recorder(real, pattern)
        _main._regex = recorder
        try:
            compiled = regex.compile(pattern, flags, cache_pattern=False)
        finally:
            _main._regex = real
    args = recorder.args
    if args is None or len(args) != ARGS + 1 or args[1] & regex.LOCALE or args[5]:
        return compiled, None
    return compiled, tuple(args[1:])


def _key() -> str:
    """What a stored program depends on: regex's version and default version, its C module's
    program format (``MAGIC``, ``CODE_SIZE``: the programs are handed to it unchecked), the
    Python implementation and version, the machine."""
    c = getattr(_main, "_regex", None)
    h = hashlib.sha256("\0".join(map(str, (
        FORMAT, sys.version_info[:2], regex.__version__, getattr(regex, "DEFAULT_VERSION", ""),
        getattr(c, "MAGIC", ""), getattr(c, "CODE_SIZE", ""), sys.implementation.cache_tag,
        platform.machine()))).encode())
    return h.hexdigest()[:32]


def _programs() -> dict[tuple, tuple]:
    """The table on disk, read once per process."""
    global _table, _path, _oversized
    if _table is None:
        _path = diskcache.cache_dir() / f"{NAME}-{_key()}.pickle"
        _table = _read(_path)
        with contextlib.suppress(OSError):
            if _table and _path.stat().st_size > MAX_BYTES:   # (grown before the bound, or
                _oversized = True                            # by a writer with a larger one)
                _save_at_exit()
    return _table


def _read(path: Path) -> dict[tuple, tuple]:
    try:
        with open(path, "rb") as fh:
            table = pickle.load(fh)
    except Exception:  # noqa: BLE001 - absent, unreadable, half-written: none
        return {}
    return table if isinstance(table, dict) else {}


def _save_at_exit() -> None:
    global _at_exit
    if not _at_exit:
        _at_exit = True
        atexit.register(save)


def save() -> None:
    """Write the programs this process made to the table on disk, merged with the table as
    it is there now (another process may have written since it was read); a table read past
    ``MAX_BYTES`` is written again, bounded, even with nothing new."""
    global _oversized
    if not (_new or _oversized) or _path is None:
        return
    table = {**_read(_path), **_programs(), **_new}
    data = pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL)
    if len(data) > MAX_BYTES:      # only what this process used
        table = {k: table[k] for k in _memo if k in table}
        data = pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        _path.parent.mkdir(parents=True, exist_ok=True)
        with replacing(_path) as tmp, open(tmp, "wb") as fh:
            fh.write(data)
    except OSError:
        return      # not writable: compiled again next time
    _programs().update(_new)
    _new.clear()
    _oversized = False
    with contextlib.suppress(OSError):
        diskcache.prune(_path.parent, f"{NAME}-", ".pickle", _path)


def trie_pattern(words) -> str:
    """One pattern for many words, factored by common prefixes (longest match first): the
    regex engine tries one branch per character instead of every word at every position. It
    matches where the alternation of the words longest first matches, with the same spans (at a
    position, the longest word that starts there), so either may stand for the other."""
    return guarded_trie(dict.fromkeys(words, ""))


def guarded_trie(guards: dict[str, str]) -> str:
    """One pattern for the words of ``guards`` (word -> the look-aheads that must hold after
    it, "" for none), factored by common prefixes: it matches what the alternation of each word
    with its guards, longest word first, matches (at a position, the longest word whose guards
    hold; on backtracking, the next shorter one), without trying every word at every position.
    (tests/test_equivalences.py compares the two on random words, guards and texts.)"""
    if not guards:
        return "(?:)"
    trie: dict = {}
    for w, g in guards.items():
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[None] = g

    def emit(node: dict) -> str:
        branches = [regex.escape(ch) + emit(node[ch]) for ch in sorted(k for k in node if k is not None)]
        if None in node:
            branches.append(node[None])      # the word ends here: its guards, after every longer one
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return "(?:" + emit(trie) + ")"
