"""A run's tables as pandas DataFrames with the right dtypes: ``read_tables(out_dir)``.

Read from the JSONL files (the true values: lists as lists, codes as text), then typed:

- ids, codes (``adcode``, ``region_adcode``) and other text stay Python ``str`` (object
  dtype): ``140100`` is never ``140100.0``;
- dates (``issue_date``, ``start_date``, ``deadline_end``, ... every column whose values are
  all ``YYYY-MM-DD``) are ``datetime64[ns]``, NaT where unknown;
- whole numbers (``start``, ``end``, ``count``, ...) are ``int64``, or the nullable ``Int64``
  where some are missing; measures (``value``, ``low``, ``high``, ...) are ``float64``;
- lists (``authors``, ``parents``, a target's ``figures``) are Python lists.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from baozhi.layers import registry
from baozhi.run.export import FIELD_TYPES, columns

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DATE_COLUMNS = ("issue_date",)   # dates even when no row has one


class TablesError(Exception):
    """No run in the folder."""


def is_date_column(col: str, values: list) -> bool:
    present = [v for v in values if v is not None]
    if not present:
        return col in DATE_COLUMNS or col.endswith("_date")
    return all(isinstance(v, str) and ISO_DATE.fullmatch(v) for v in present)


def frame(table: str, rows: list[dict]):
    """One table's rows as a DataFrame with the dtypes above."""
    import pandas as pd

    cols = columns(table, rows)
    data = {}
    for col in cols:
        values = [r.get(col) for r in rows]
        kinds = {type(v) for v in values if v is not None}
        if is_date_column(col, values):
            data[col] = pd.to_datetime(pd.Series(values, dtype="object"), format="%Y-%m-%d")
        elif kinds <= {int, bool} and (kinds or FIELD_TYPES.get(col) is int):
            data[col] = pd.Series(values, dtype="Int64" if None in values or not kinds else "int64")
        elif kinds <= {int, float} and (kinds or FIELD_TYPES.get(col) is float):
            data[col] = pd.Series([float("nan") if v is None else v for v in values], dtype="float64")
        else:
            data[col] = pd.Series(values, dtype="object")
    return pd.DataFrame(data, columns=cols)


def read_tables(out_dir, tables=None) -> dict:
    """``{table: DataFrame}`` for every table of the run in ``out_dir`` (or those named)."""
    out_dir = Path(out_dir)
    names = list(tables) if tables else list(registry.tables())
    result = {}
    for table in names:
        path = out_dir / f"{table}.jsonl"
        if not path.is_file():
            raise TablesError(f"{path} not found: run `baozhi run INPUT_DIR --out {out_dir}` first")
        with path.open(encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh if line.strip()]
        result[table] = frame(table, rows)
    return result
