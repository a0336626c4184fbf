"""Stage 5b — dates: every date expression resolved against the issue date.

Entry point: ``find_dates(text, issue_date) -> list[dict]`` with start, end, text,
start_date, end_date (inclusive ISO dates or None), granularity. Date words live in
``rules/dates/``.
"""
from __future__ import annotations

import datetime as dt


def find_dates(text: str, issue_date: dt.date | None) -> list[dict]:
    return []
