"""The figures layer: numbers with normalised values (``figures.find_figures``)."""
from baozhi.layers.spec import Context, Layer
from baozhi.resources.units import KINDS


def find(text: str, ctx: Context) -> list[dict]:
    from baozhi.layers.figures.figures import find_figures

    return find_figures(text)


LAYER = Layer(
    name="figures", item="figure", prefix="f", label="kind", find=find,
    fields=("start", "end", "text", "kind", "value", "low", "high", "unit", "approx",
            "magnitude", "count"),
    description="Figures with normalised values: money, percent, quantity, count, magnitude.",
    show_columns=("figure_id", "issue_date", "text", "kind", "value", "low", "high", "unit", "approx"),
    values={"kind": KINDS,
            "approx": ("exact", "about", "over", "under", "at_least", "at_most")},
)
