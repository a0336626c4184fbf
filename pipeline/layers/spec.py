"""What a layer is: the one description from which the rest of baozhi derives its tables,
fields, ids, spaCy components, command-line choices and outputs (see ``registry``).

A layer is a plain function from text to records (dicts with ``start``, ``end``, ``text``
and the layer's own fields, offsets into the text it was given), plus the facts about its
records that every consumer needs. It imports nothing heavy: a layer's code is imported
only when ``find`` first runs.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Sequence

Record = dict


def issue_day(value: object) -> dt.date | None:
    """An issue date as every layer reads it: a ``datetime.date`` (a ``datetime``: its day);
    anything else is no issue date (None)."""
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


@dataclass
class Context:
    """What a layer may read besides the text: the issue date (relative dates resolve against
    it), the paper's home region, the text's tokens (and their surfaces, ``words``), and the
    records of the layers it ``needs``, already computed on the same text.

    ``handed``: records a layer computed on the way for a later layer of the same text,
    ``{layer name: (inputs, records)}`` (the figures layer finds the targets its statuses
    read; the targets layer takes them when its inputs are the same instead of finding them
    again). The frame gives every layer of one text the same dict (``plain.records``: one per
    call; the spaCy frame: one per Doc); a Context of its own has an empty one."""

    issue_date: dt.date | None = None
    home: str | None = None
    tokens: Callable[[], Sequence[tuple[int, int]]] | None = None
    # the tokens' surfaces (``text[s:e]`` of each of ``tokens()``, in order), when the frame has
    # them at hand (its segmenter's words): a layer reads them instead of slicing the text again
    words: Callable[[], Sequence[str]] | None = None
    found: dict[str, list[Record]] = field(default_factory=dict)
    handed: dict[str, tuple] = field(default_factory=dict)
    # what the layer's ``prepare`` made for this text beforehand, with other texts (or None)
    prepared: object = None


@dataclass(frozen=True)
class Layer:
    name: str                 # table, Doc extension, doc.spans key, --layers choice: "figures"
    item: str                 # one record: "figure" (its id column is figure_id)
    prefix: str               # id letter: a figure's id is <article_id>:f<n>
    fields: tuple[str, ...]   # the contract's fields, in its order; start, end, text first
    label: str                # the field a Span's label comes from
    find: Callable[[str, Context], list[Record]]
    description: str          # one line, for Datasette, the report and --help
    show_columns: tuple[str, ...] = ()   # what `baozhi show` prints unless --columns says
    needs: tuple[str, ...] = ()          # layers computed first on the same text (Context.found)
    refs: dict[str, str] = field(default_factory=dict)  # field -> layer whose indices it holds
    # field -> the values it can take (``show --kind``/``--label`` are checked against them)
    values: dict[str, tuple[str, ...]] = field(default_factory=dict)
    ents: bool = False        # its spans are also the Doc's entities (doc.ents)
    # a pass over the records of a whole page (or annotate line), in place, after every article
    finish: Callable[[list[Record]], None] | None = None
    # optional, for a layer that needs no other: the part of ``find`` that is cheaper done for
    # many texts at once (a page's articles): given [(text, Context)], a result per text that
    # ``find`` then reads as ``ctx.prepared`` (None: nothing prepared, ``find`` does it all).
    # ``find``'s records must be the same either way.
    prepare: Callable[[list[tuple[str, "Context"]]], list | None] | None = None

    @property
    def id_field(self) -> str:
        return f"{self.item}_id"

    def ordered(self, rec: Record) -> Record:
        """The record with the contract's fields first, in order, then any others
        (keys starting with ``_`` are private and dropped)."""
        head = {k: rec.get(k) for k in self.fields}
        head.update({k: v for k, v in rec.items() if k not in head and not k.startswith("_")})
        return head
