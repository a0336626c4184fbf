"""Stage 5a — figures: every number on the page with its normalised value.

Entry point: ``find_figures(text) -> list[dict]``, one dict per figure with the fields of
``../shared/contract.md``: start, end (offsets into ``text``), text, kind, value, low, high,
unit, approx, magnitude, count. Patterns, units and hedges live in ``rules/figures/``.
"""
from __future__ import annotations


def find_figures(text: str) -> list[dict]:
    return []
