"""The cyclic garbage collector paused for a while: ``with paused(): ...``.

``gc.disable()`` is process-wide: while paused, the other threads of the process run without
the collector too (reference counting still frees what is not in a cycle). Used where many
short-lived objects are made and none is left in a cycle (the entity tagger), and where
what is loaded lives as long as the process (``batch`` around ``warm_up``, ~1 s)."""
from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def paused():
    """The collector off, then on again if it was on (left off if the caller had it off)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
