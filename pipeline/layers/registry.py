"""The one registry of layers. Everything that names a layer — the ``annotate`` fields, the
table columns, the CSV/JSONL/SQLite schema, the spaCy components, the ``--layers`` choices,
``show``, ``report`` and ``browse`` — derives it from ``LAYERS`` here.

Adding a layer: a folder under ``layers/`` whose ``__init__`` defines ``LAYER`` (a
``spec.Layer``), and one entry below. ``register()`` adds one at run time (a user's own
layer, or a test's).
"""
from __future__ import annotations

from typing import Iterable

from baozhi.layers import dates, entities, figures, targets
from baozhi.layers.spec import Context, Layer

__all__ = ["Context", "Layer", "LAYERS", "get", "names", "tables", "register", "unregister",
           "compute_order", "output_layers", "columns", "BASE_COLUMNS"]

# in the contract's order: the order of annotate's keys and of the tables
LAYERS: list[Layer] = [entities.LAYER, figures.LAYER, dates.LAYER, targets.LAYER]

# every layer row's columns before the layer's own fields
BASE_COLUMNS = ("article_id", "source", "issue_date")


def names() -> tuple[str, ...]:
    return tuple(layer.name for layer in LAYERS)


def get(name: str) -> Layer:
    for layer in LAYERS:
        if layer.name == name:
            return layer
    raise ValueError(f"unknown layer {name!r}; layers are {', '.join(names())}")


def tables() -> tuple[str, ...]:
    """Every table of a run: articles, one per layer, errors."""
    return ("articles", *names(), "errors")


def columns(layer: Layer) -> list[str]:
    """A layer table's fixed columns: id, article, source, issue date, the layer's fields."""
    return [layer.id_field, *BASE_COLUMNS, *layer.fields]


def register(layer: Layer) -> None:
    """Add a layer (after the others), replacing one of the same name."""
    unregister(layer.name)
    LAYERS.append(layer)


def unregister(name: str) -> None:
    LAYERS[:] = [layer for layer in LAYERS if layer.name != name]


def compute_order(wanted: Iterable[str]) -> tuple[Layer, ...]:
    """The layers to compute for ``wanted``, those they need included, each after what it
    needs (otherwise in the registry's order)."""
    todo: list[Layer] = []
    for name in [n for n in names() if n in set(wanted)] + [n for n in wanted if n not in names()]:
        _add_needed(name, (), todo)
    return tuple(todo)


def _add_needed(name: str, path: tuple[str, ...], todo: list[Layer]) -> None:
    """``name``'s layer to ``todo`` after those it needs (``path``: the layers that led here).
    A module function, not a closure of ``compute_order``: a closure that calls itself is a
    reference cycle (function <-> cell), left to the cyclic collector on every page — which
    a run's local workers all but turn off (docs/BATCH.md)."""
    if name in path:
        raise ValueError(f"layers need each other in a circle: {' -> '.join((*path, name))}")
    layer = get(name)
    for need in layer.needs:
        _add_needed(need, (*path, name), todo)
    if layer not in todo:
        todo.append(layer)


def output_layers(asked: Iterable[str]) -> tuple[str, ...]:
    """The layers an output carries for ``asked``, in the registry's order: the asked ones
    and those whose indices they hold (targets name their figures by index)."""
    want = {a.strip() for a in asked if a.strip()}
    for name in list(want):
        get(name)
    grown = True
    while grown:
        refs = {r for n in want for r in get(n).refs.values()} - want
        grown = bool(refs)
        want |= refs
    return tuple(n for n in names() if n in want)
