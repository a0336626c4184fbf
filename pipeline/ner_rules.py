"""Rule and gazetteer layer of the entity stage (``rules/entities/``)."""
from __future__ import annotations


def merge_rules(text: str, found: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    return found
