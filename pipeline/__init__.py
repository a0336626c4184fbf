"""baozhi (报纸): tables of figures, dates, targets and entities from Chinese newspaper pages.

The code is in tiers, lowest first; a module imports only from its own tier or lower ones
(checked by the import contract in ``pyproject.toml``)::

    resources  rule files, the segmenter, numerals and units
    stages     page file -> repaired text -> articles       (ingest, repair, articles)
    layers     text -> records: figures, dates, targets, entities; the layer registry
    frame      the spaCy Language and its components
    run        one page -> rows; a folder of pages -> tables (process, batch, export)
    apps       the command line: run, annotate, show, report, browse

From Python: ``nlp = baozhi.load(home="山西省太原市")`` is a ``spacy.Language`` whose Docs carry
``doc.spans[<layer>]``, ``doc.ents`` and ``span._.record`` (README, "Python API").

The rules (``baozhi/rules``, the top-level ``rules/`` folder of a checkout) and the entity
model (``baozhi/models``) ship inside the package.
"""
__version__ = "0.2.0"

__all__ = ["load", "read_tables", "__version__"]


def load(home: str | None = None, *, issue_date=None, layers=None):
    """A ``spacy.Language`` with jieba tokens, sentences and baozhi's layers::

        nlp = baozhi.load(home="山西省太原市")
        doc = nlp.make_doc(text)
        doc._.issue_date = datetime.date(2022, 11, 18)   # or "2022-11-18"; per text
        doc = nlp(doc)
        doc.spans["figures"], doc.spans["dates"], doc.spans["targets"], doc.ents
        span._.record                                    # the span's contract record

    ``home`` (the paper's region, e.g. 山西省太原市) and ``issue_date`` are defaults for
    texts that carry none (``doc._.home`` / ``doc._.issue_date`` win); ``layers`` a subset of
    ``entities, figures, dates, targets`` (the layers they need are added). spaCy is
    imported here, not at ``import baozhi``. See README, "Python API".
    """
    from baozhi.frame.components import load as _load

    return _load(home, issue_date=issue_date, layers=layers)


def read_tables(out_dir, tables=None):
    """A run's tables as pandas DataFrames with the right dtypes (``baozhi.run.frames``)."""
    from baozhi.run.frames import read_tables as _read_tables

    return _read_tables(out_dir, tables)
