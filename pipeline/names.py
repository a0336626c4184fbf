"""Official names and administrative codes for entity mentions.

Entry point: ``resolve(surface, label, home, context="") -> dict`` with at least
``canonical`` (full official name or None) and ``adcode`` (6-digit code of an
administrative division or None); extra keys (parent chain, level) may be added.
``home`` is the paper's home region (``"山西省太原市"``), which turns 省发改委 into
山西省发展和改革委员会 and 市公安局 into 太原市公安局. ``context`` is the text around the
mention, for short names that are also common words (合作, 城区, 郊区).
"""
from __future__ import annotations


def resolve(surface: str, label: str, home: str | None, context: str = "") -> dict:
    return {"canonical": None, "adcode": None}
