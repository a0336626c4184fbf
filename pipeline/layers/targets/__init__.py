"""The targets layer: promised or planned outcomes with their deadline
(``targets.find_targets``); reads the figures and dates of the same text."""
from baozhi.layers.spec import Context, Layer


def find(text: str, ctx: Context) -> list[dict]:
    from baozhi.layers.targets.targets import find_targets

    return find_targets(text, ctx.found.get("figures") or [], ctx.found.get("dates") or [],
                        ctx.issue_date)


LAYER = Layer(
    name="targets", item="target", prefix="t", label="modality", find=find,
    fields=("start", "end", "text", "deadline_text", "deadline_start", "deadline_end",
            "modality", "figures"),
    description="Promised outcomes with deadlines; figures lists the figure_ids they name.",
    show_columns=("target_id", "issue_date", "modality", "deadline_start", "deadline_end", "text"),
    needs=("figures", "dates"), refs={"figures": "figures"},
)
