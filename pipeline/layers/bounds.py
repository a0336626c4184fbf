"""Sentence, clause and paragraph bounds of a text, from the marks of ``rules/bounds/bounds.yaml``
(``resources.marks``, re-exported here as ``marks``):
the one reading of them for the targets layer (a target's scope) and the figures' semantics
(a figure's clause and sentence: clauses cut finer, at ``phrase_end`` too, and sentences not
at a half's end, ；).

``Bounds(text, figure=False)``: the marks found once, then every look-up is a bisection.
"""
from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable

from baozhi.resources.marks import any_of, marks  # noqa: F401 - the layers' names for them

_NEWLINE = re.compile("\n")


class Bounds:
    """Clause, sentence and paragraph bounds of a text, for fast look-ups. ``figure``: the
    bounds a figure is read within (a sentence does not end at a half's end, a clause ends at
    a phrase's end too); else a target's."""

    def __init__(self, text: str, figure: bool = False, max_chars: int | None = None,
                 keep: Iterable[tuple[int, int]] = ()):
        m = marks()
        self.n = len(text)
        clause, sentence = ("phrase", "figure_sentence") if figure else ("clause", "sentence")
        self.clause = [x.start() for x in m[clause + "_re"].finditer(text)]
        # (one pass over the text: a sentence's and a line's ends are clause ends too, read
        # off the clause ends' characters; marks() nests the sets, a sentence's in a clause's)
        ends = list(map(text.__getitem__, self.clause))
        self.sent = list(itertools.compress(self.clause, map(m[sentence].__contains__, ends)))
        self.para = (list(itertools.compress(self.clause, map("\n".__eq__, ends))) if "\n" in m[clause]
                     else [x.start() for x in _NEWLINE.finditer(text)])
        if max_chars:
            cuts = _cuts(self.sent, self.n, max_chars, keep)
            if cuts:        # (a cut ends a clause too)
                self.sent = sorted(self.sent + cuts)
                self.clause = sorted(set(self.clause + cuts))
        self.sentence_starts = [0] + [i + 1 for i in self.sent]
        # (sentence's ends by index; index -1, a position before the text: the first start)
        self._sentence_ends = [*self.sentence_starts[1:], self.n, self.sentence_starts[0]]
        self.paragraph_starts = [0] + [i + 1 for i in self.para]

    @staticmethod
    def _before(marks: list[int], pos: int) -> int:
        """Start of the unit holding ``pos``: just after the last mark before it."""
        k = bisect.bisect_left(marks, pos)
        return marks[k - 1] + 1 if k else 0

    def _after(self, marks: list[int], pos: int) -> int:
        """End (exclusive) of the unit holding ``pos``: the next mark at or after it."""
        k = bisect.bisect_left(marks, pos)
        return marks[k] if k < len(marks) else self.n

    def clause_start(self, pos: int) -> int:
        """Just after the last clause or sentence end before ``pos`` (0 if none)."""
        k = bisect.bisect_left(self.clause, pos)        # (_before, inline: the rules ask it
        return self.clause[k - 1] + 1 if k else 0       # tens of times a figure)

    def clause_end(self, pos: int) -> int:
        """The first clause or sentence end at or after ``pos`` (the text's end if none)."""
        k = bisect.bisect_left(self.clause, pos)        # (_after, inline)
        return self.clause[k] if k < len(self.clause) else self.n

    def sentence_start(self, pos: int) -> int:
        return self._before(self.sent, pos)

    def sentence_end(self, pos: int) -> int:
        """The sentence's end mark at or after ``pos`` (the text's end if none)."""
        return self._after(self.sent, pos)

    def sentence(self, pos: int) -> tuple[int, int, int]:
        """(index, start, end) of the sentence holding ``pos``; its end mark is in it."""
        k = bisect.bisect_right(self.sentence_starts, pos) - 1
        return k, self.sentence_starts[k], self._sentence_ends[k]

    def paragraph(self, pos: int) -> int:
        """The index of the paragraph (line) holding ``pos``."""
        return bisect.bisect_right(self.paragraph_starts, pos) - 1

    def paragraph_end(self, pos: int) -> int:
        return self._after(self.para, pos)


def _cuts(sent: list[int], n: int, max_chars: int, keep: Iterable[tuple[int, int]]) -> list[int]:
    """Where a sentence longer than ``max_chars`` (a text with no sentence end: a list, a page
    stripped of its punctuation) is cut into pieces of at most that many characters, as the
    positions of their last characters (the marks' positions): each piece ends before a ``keep``
    span (a figure, a date, a name) it would split, so every look-up stays within one piece."""
    ends = [i + 1 for i in sent] + [n]
    if all(b - a <= max_chars for a, b in zip([0] + ends, ends)):
        return []           # (no sentence to cut: the spans are not even sorted)
    spans = sorted(keep)
    starts = [a for a, _ in spans]
    reach = list(itertools.accumulate((b for _, b in spans), max))
    cuts: list[int] = []
    begin = 0
    for end in ends:
        while end - begin > max_chars:
            cut = first = begin + max_chars         # the next piece starts here, or before the
            while True:                             # earliest span that holds it
                k = bisect.bisect_left(starts, cut)
                if not k or reach[k - 1] <= cut:
                    break
                cut = starts[bisect.bisect_right(reach, cut)]
            if cut <= begin:                        # (a span as long as a piece: after the
                cut = first                         # spans that hold its end)
                while (k := bisect.bisect_left(starts, cut)) and reach[k - 1] > cut:
                    cut = reach[k - 1]
                if cut >= end:
                    break
            cuts.append(cut - 1)
            begin = cut
        begin = end
    return cuts
