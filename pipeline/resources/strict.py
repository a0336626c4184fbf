"""Values every output can carry as strict JSON: no NaN, no Infinity, no lone surrogate."""
from __future__ import annotations

import math


# values of these exact types are returned as they are without a call (most of a row's)
_PLAIN = frozenset({str, int, bool, type(None)})
PLAIN = _PLAIN      # (public: the rows' builder, run/process.py, skips ``finite`` for them too)


def finite(value):
    """``value`` with every non-finite float (NaN, ±Infinity: 1e2022个 overflows) made None,
    through dicts, lists and tuples. Other values are returned as they are."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: v if type(v) in _PLAIN else finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [v if type(v) in _PLAIN else finite(v) for v in value]
    if isinstance(value, tuple):
        return tuple(v if type(v) in _PLAIN else finite(v) for v in value)
    return value


def no_surrogates(s: str) -> str:
    """``s`` with every lone surrogate (``"\\ud800"`` in JSON) made U+FFFD: same length, so
    offsets into it stay those into the text as given."""
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        return "".join("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in s)
