"""The entities layer: organisations, places and people with official names and division
codes (``entities.find_entities``: CRF + rules + names)."""
from baozhi.layers.spec import Context, Layer


def find(text: str, ctx: Context) -> list[dict]:
    from baozhi.layers.entities.entities import find_entities

    return find_entities(text, ctx.home, ctx.tokens() if ctx.tokens else None, ctx.prepared)


def prepare(items: list[tuple[str, Context]]) -> list | None:
    """The CRF's tags of many texts at once (a page's articles): one scoring and one Viterbi
    for all, each text's result then handed to ``find`` as ``ctx.prepared``."""
    from baozhi.layers.entities.entities import tag_many

    return tag_many([(text, ctx.tokens() if ctx.tokens else None) for text, ctx in items])


def finish(records: list[dict]) -> None:
    from baozhi.layers.entities.entities import link_short_forms

    link_short_forms(records)


LAYER = Layer(
    name="entities", item="entity", prefix="e", label="label", find=find, finish=finish, prepare=prepare,
    fields=("start", "end", "text", "label", "canonical", "adcode"),
    description="Organisations, places and people (ORG/LOC/PER), with official names and adcodes.",
    show_columns=("entity_id", "issue_date", "text", "label", "canonical", "adcode"),
    values={"label": ("ORG", "LOC", "PER")},
    ents=True,
)
