"""The dates layer: date expressions resolved against the issue date (``dates.find_dates``)."""
from baozhi.layers.spec import Context, Layer


def find(text: str, ctx: Context) -> list[dict]:
    from baozhi.layers.dates.dates import find_dates

    return find_dates(text, ctx.issue_date)


LAYER = Layer(
    name="dates", item="date", prefix="d", label="granularity", find=find,
    fields=("start", "end", "text", "start_date", "end_date", "granularity"),
    description="Dates resolved against the issue date (inclusive start_date/end_date).",
    show_columns=("date_id", "issue_date", "text", "start_date", "end_date", "granularity"),
)
