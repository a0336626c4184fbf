"""The targets layer: promised or planned outcomes with their deadline
(``targets.find_targets``); reads the figures and dates of the same text."""
from baozhi.layers.spec import Context, Layer


def find(text: str, ctx: Context) -> list[dict]:
    return targets_of(text, ctx.found.get("figures") or [], ctx.found.get("dates") or [], ctx)


def targets_of(text: str, figures: list[dict], dates: list[dict], ctx: Context,
               hand_on: bool = False) -> list[dict]:
    """The targets of ``text`` given its figures and dates: those a layer before found from
    the same inputs and handed on (``ctx.handed``: the figures layer finds them for its
    statuses), else found now; ``hand_on``: leave them in ``ctx.handed`` for the targets
    layer, so that a text's targets are found once."""
    from baozhi.layers.targets.targets import find_targets, inputs

    key = inputs(figures, dates, ctx.issue_date)
    got = ctx.handed.pop(LAYER.name, None)
    if got is not None and got[0] == key:
        return got[1]
    found = find_targets(text, figures, dates, ctx.issue_date, ctx.tokens)
    if hand_on:
        ctx.handed[LAYER.name] = (key, found)
    return found


LAYER = Layer(
    name="targets", item="target", prefix="t", label="modality", find=find,
    fields=("start", "end", "text", "deadline_text", "deadline_start", "deadline_end",
            "modality", "figures"),
    description="Promised outcomes with deadlines; figures lists the figure_ids they name.",
    show_columns=("target_id", "issue_date", "modality", "deadline_start", "deadline_end", "text"),
    needs=("figures", "dates"), refs={"figures": "figures"},
)
