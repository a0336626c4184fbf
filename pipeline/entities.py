"""Stage 6 — entities: organisations, places and people, with official names and codes.

Entry point: ``find_entities(text, home) -> list[dict]`` with start, end, text, label
(ORG, LOC, PER), canonical, adcode.
"""
from __future__ import annotations


def find_entities(text: str, home: str | None) -> list[dict]:
    return []
