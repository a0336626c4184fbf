"""Stage 5c — targets: promised or planned outcomes with their deadline.

Entry point: ``find_targets(text, figures, dates, issue_date) -> list[dict]`` with start,
end, text, deadline_text, deadline_start, deadline_end, modality, figures (indices into the
given figures list). Marker words live in ``rules/targets/``.
"""
from __future__ import annotations

import datetime as dt


def find_targets(text: str, figures: list[dict], dates: list[dict],
                 issue_date: dt.date | None) -> list[dict]:
    return []
