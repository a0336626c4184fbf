"""The entities layer: organisations, places and people with official names and division
codes (``entities.find_entities``: CRF + rules + names)."""
from baozhi.layers.spec import Context, Layer


def find(text: str, ctx: Context) -> list[dict]:
    from baozhi.layers.entities.entities import find_entities

    return find_entities(text, ctx.home, ctx.tokens() if ctx.tokens else None)


def finish(records: list[dict]) -> None:
    from baozhi.layers.entities.entities import link_short_forms

    link_short_forms(records)


LAYER = Layer(
    name="entities", item="entity", prefix="e", label="label", find=find, finish=finish,
    fields=("start", "end", "text", "label", "canonical", "adcode"),
    description="Organisations, places and people (ORG/LOC/PER), with official names and adcodes.",
    show_columns=("entity_id", "issue_date", "text", "label", "canonical", "adcode"),
    values={"label": ("ORG", "LOC", "PER")},
    ents=True,
)
