"""A text's tokens with their look-ups made once: the entity rules ask "does a token start
(end) here?", "which token ends here?" many times per text, and each rule used to build its
own sets from the token list.

``Tokens(tokens)`` is the list of (start, end) pairs itself (every rule that walks or indexes
the tokens reads it as before); its look-ups are made when first asked and kept for the text
(the frame's ``plain.spans_of`` makes one per text with its starts, ends and order known
(``Tokens.known``), and each layer's ``Context.tokens()`` is a ``copy`` of it, which shares
no mutable look-up with it; changing a ``Tokens``' pairs drops its look-ups). The
fast paths that find tokens by where they end (``end_index``) hold only for tokens in
text order, each ending after the one before (the frame's tokens always are); ``ordered``
says so, and the rules fall back on their token-by-token form when it is False.
"""
from __future__ import annotations

from bisect import bisect_left
from functools import cached_property
from itertools import islice
from operator import lt
from typing import Sequence


class Tokens(list):
    """(start, end) of a text's tokens, with the sets and indexes of them made at first use."""

    @classmethod
    def of(cls, tokens: Sequence[tuple[int, int]]) -> "Tokens":
        """``tokens`` themselves when they are ``Tokens`` already, else a ``Tokens`` of them."""
        return tokens if isinstance(tokens, cls) else cls(tokens)

    @classmethod
    def known(cls, tokens: Sequence[tuple[int, int]], starts: list[int], ends: list[int],
              ordered: bool | None) -> "Tokens":
        """A ``Tokens`` of ``tokens`` whose lists of starts and ends its maker had already (the
        frame's ``plain.spans_of`` makes them on the way) and whose starts are sorted; also
        ``ordered`` where the maker knows it (None: found at first use, as for any tokens).
        ``tests/test_entity_fast_paths.py`` checks these against the look-ups made at first use."""
        t = cls(tokens)
        d = t.__dict__
        d["start_list"], d["end_list"], d["starts_sorted"] = starts, ends, True
        if ordered is not None:
            d["ordered"] = ordered
        return t

    def copy(self) -> "Tokens":
        """A copy (a list of the same pairs, as ``list.copy``) with the look-ups made so far,
        each list, set or dict of them copied too: a layer that changes its copy (or a look-up
        of it) changes nothing in the original or in the other layers' copies."""
        t = Tokens(self)
        t.__dict__.update({k: v.copy() if isinstance(v, (list, set, dict)) else v
                           for k, v in self.__dict__.items()})
        return t

    # changing the pairs drops the look-ups made so far (they are made again when asked)
    def _changed(name):
        method = getattr(list, name)

        def changed(self, *args, **kwargs):
            self.__dict__.clear()
            return method(self, *args, **kwargs)

        changed.__name__ = changed.__qualname__ = name
        changed.__doc__ = f"``list.{name}``, dropping the look-ups made so far."
        return changed

    for _name in ("append", "extend", "insert", "__setitem__", "__delitem__", "__iadd__",
                  "__imul__", "sort", "reverse", "pop", "remove", "clear"):
        locals()[_name] = _changed(_name)
    del _name, _changed

    @cached_property
    def starts(self) -> set[int]:
        """Where a token starts."""
        return {s for s, _ in self}

    @cached_property
    def ends(self) -> set[int]:
        """Where a token ends."""
        return set(self.end_list)

    @cached_property
    def pairs(self) -> set[tuple[int, int]]:
        """The (start, end) pairs, to ask whether one token spans exactly ``s:e``."""
        return set(self)

    @cached_property
    def end_list(self) -> list[int]:
        """The tokens' ends, in the tokens' order."""
        return [e for _, e in self]

    @cached_property
    def start_list(self) -> list[int]:
        """The tokens' starts, in the tokens' order."""
        return [s for s, _ in self]

    @cached_property
    def ordered(self) -> bool:
        """Every token ends after the one before (text order, no two ending together): then
        ``end_list`` is sorted and a token is found by its end by bisection (``end_index``)."""
        return _increasing(self.end_list)

    @cached_property
    def starts_sorted(self) -> bool:
        """``start_list`` is sorted (two tokens may start together)."""
        st = self.start_list
        return st == sorted(st)

    def is_start(self, x: int) -> bool:
        """``x in starts``: by bisection where the starts are sorted (the set is made only
        for tokens out of order: a text's few questions need no set of all its tokens)."""
        if self.starts_sorted:
            st = self.start_list
            k = bisect_left(st, x)
            return k < len(st) and st[k] == x
        return x in self.starts

    def is_end(self, x: int) -> bool:
        """``x in ends``, by bisection where the tokens are ``ordered``."""
        if self.ordered:
            ends = self.end_list
            k = bisect_left(ends, x)
            return k < len(ends) and ends[k] == x
        return x in self.ends

    def start_ending_at(self, end: int) -> int | None:
        """``start_by_end.get(end)``: by bisection where the tokens are ``ordered`` (one token
        ends there at most), no dict of every token."""
        if self.ordered:
            ends = self.end_list
            k = bisect_left(ends, end)
            return self[k][0] if k < len(ends) and ends[k] == end else None
        return self.start_by_end.get(end)

    def has(self, start: int, end: int) -> bool:
        """``(start, end) in pairs``: one token spans exactly ``start:end``."""
        if self.ordered:
            return self.start_ending_at(end) == start
        return (start, end) in self.pairs

    @cached_property
    def start_by_end(self) -> dict[int, int]:
        """The start of the token that ends at each end (the last such token, as a dict of
        the tokens in order keeps it)."""
        return {e: s for s, e in self}

    @cached_property
    def index_by_end(self) -> dict[int, int]:
        """The index of the token that ends at each end (the last such token)."""
        return dict(zip(self.end_list, range(len(self))))

    def end_index(self, end: int) -> int | None:
        """The index of the token that ends at ``end``, or None (tokens ``ordered``; the hot
        loops do the same bisection inline)."""
        ends = self.end_list
        k = bisect_left(ends, end)
        return k if k < len(ends) and ends[k] == end else None


def _increasing(xs: list) -> bool:
    """Each item is greater than the one before (sorted, no two equal): one C loop."""
    return all(map(lt, xs, islice(xs, 1, None)))
