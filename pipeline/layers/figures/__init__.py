"""The figures layer: numbers with normalised values (``figures.find_figures``), and what
each measures (``semantics.describe``: metric, subject, period, status, change, basis), read
with the entities and dates of the same text."""
from baozhi.layers.spec import Context, Layer
from baozhi.resources.units import KINDS


def find(text: str, ctx: Context) -> list[dict]:
    from baozhi.layers.figures.figures import find_figures
    from baozhi.layers.figures.semantics import describe
    from baozhi.layers.targets import targets_of

    figures = find_figures(text)
    if not figures:
        return figures
    dates = ctx.found.get("dates") or []
    # the statuses read the targets: found here once, handed on to the targets layer
    targets = targets_of(text, figures, dates, ctx, hand_on=True)
    tokens = ctx.tokens() if ctx.tokens else None
    return describe(text, figures, ctx.found.get("entities") or [], dates, targets,
                    ctx.issue_date, ctx.home, tokens=tokens,
                    words=ctx.words() if tokens is not None and ctx.words else None)


LAYER = Layer(
    name="figures", item="figure", prefix="f", label="kind", find=find,
    fields=("start", "end", "text", "kind", "value", "low", "high", "unit", "approx",
            "magnitude", "count", "metric", "subject", "subject_entity", "period_text",
            "period_start", "period_end", "status", "change", "basis"),
    description="Figures with normalised values: money, percent, quantity, count, magnitude; "
                "what each measures (metric, subject, period, status, change, basis).",
    show_columns=("figure_id", "issue_date", "text", "kind", "value", "low", "high", "unit", "approx",
                  "metric", "subject", "status"),
    needs=("entities", "dates"), refs={"subject_entity": "entities"},
    values={"kind": KINDS,
            "approx": ("exact", "about", "over", "under", "at_least", "at_most"),
            "status": ("actual", "target", "rule", "other"),
            "change": ("increase", "decrease", "level")},
)
