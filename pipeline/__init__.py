"""baozhi (报纸): tables of figures, dates, targets and entities from Chinese newspaper pages.

The code is in tiers, lowest first; a module imports only from its own tier or lower ones
(checked by the import contract in ``pyproject.toml``)::

    resources  rule files, the segmenter, numerals and units
    stages     page file -> repaired text -> articles       (ingest, repair, articles)
    layers     text -> records: figures, dates, targets, entities; the layer registry
    frame      the spaCy Language and its components
    run        one page -> rows; a folder of pages -> tables (process, batch, export)
    apps       the command line: run, annotate, show, report, browse

The rules (``baozhi/rules``, the top-level ``rules/`` folder of a checkout) and the entity
model (``baozhi/models``) ship inside the package.
"""
__version__ = "0.2.0"


def read_tables(out_dir, tables=None):
    """A run's tables as pandas DataFrames with the right dtypes (``baozhi.run.frames``)."""
    from baozhi.run.frames import read_tables as _read_tables

    return _read_tables(out_dir, tables)
