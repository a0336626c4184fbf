"""``check_rules()``: every rules file parses, fits its schema and every pattern compiles,
before any page is touched (``baozhi run`` and ``baozhi annotate`` call it at start).

The file checks are ``resources.validate``'s; here are the builders of the stages and layers
that read the rules and compile their patterns (each cached for the life of the process, so
calling them now costs nothing later). Builders that load models or build large automata
(the tagger, the lexicon) are left to first use: they read no patterns of their own.
"""
from __future__ import annotations

import importlib

from baozhi.resources import validate

# "module:function" of every zero-argument rules builder below the run tier
BUILDERS = (
    "baozhi.stages.ingest:_cfg",
    "baozhi.stages.repair:_cfg",
    "baozhi.stages.articles:_cfg",
    "baozhi.resources.numerals:cfg",
    "baozhi.resources.numerals:_token_re",
    "baozhi.resources.numerals:_token_first",
    "baozhi.resources.numerals:_run_re",
    "baozhi.resources.numerals:_not_numbers_re",
    "baozhi.resources.numerals:_followers_re",
    "baozhi.resources.numerals:part_of_re",
    "baozhi.resources.numerals:_calendar_re",
    "baozhi.resources.numerals:_squeeze_re",
    "baozhi.resources.numerals:chars",
    "baozhi.resources.units:units",
    "baozhi.resources.units:context_units",
    "baozhi.layers.figures.figures:_patterns",
    "baozhi.layers.dates.dates:_cfg",
    "baozhi.layers.dates.grammar:grammar",
    "baozhi.resources.marks:marks",
    "baozhi.layers.targets.targets:_cfg",
    "baozhi.layers.figures.semantics:_cfg",
    "baozhi.layers.entities.features:_chunk_re",
    "baozhi.layers.entities.names:_tables",
    "baozhi.layers.entities.names:_term_re",
    "baozhi.layers.entities.ner_rules:_org",
    "baozhi.layers.entities.ner_rules:_bodies",
    "baozhi.layers.entities.ner_rules:_byline",
    "baozhi.layers.entities.ner_rules:_places",
    "baozhi.layers.entities.ner_rules:_infrastructure",
    "baozhi.layers.entities.ner_rules:_alias_cfg",
    "baozhi.layers.entities.ner_rules:_context_cfg",
    "baozhi.layers.entities.ner_rules:_short_re",
    "baozhi.layers.entities.ner_rules:_latin_re",
    "baozhi.layers.entities.guards:config",
    "baozhi.layers.entities.ner_rules:_gazetteer",
    "baozhi.layers.entities.ner_rules:_full_division_names",
    "baozhi.layers.entities.entities:_info",
    "baozhi.layers.entities.entities:_checks",
    "baozhi.layers.entities.organisations:config",
    "baozhi.layers.entities.roads:config",
)

# zero-argument caches below the run tier that are no builders to call here: they load
# models or build automata (slow, no patterns of their own), or they only read what a
# builder above reads already (tests/faults/test_rule_faults.py checks every cache is in
# one list or the other)
NOT_BUILDERS = (
    "baozhi.layers.entities.entities:_has_model",
    "baozhi.layers.entities.entities:_tagger",
    "baozhi.layers.entities.entities:_scorer",
    "baozhi.layers.entities.entities:_ids",
    "baozhi.layers.entities.kernels:compiled",    # numba's machine code of the CRF, no rules
    "baozhi.layers.entities.entities:_known_people",
    "baozhi.layers.entities.entities:_common_words",
    "baozhi.layers.entities.entities:automata",
    "baozhi.layers.entities.features:lexicon_automaton",
    "baozhi.layers.entities.features:jieba_tags",
    "baozhi.layers.entities.features:config",
    "baozhi.layers.entities.features:_numerals",
    "baozhi.layers.entities.features:_space_table",   # spaces by code point: no rules read
    "baozhi.layers.entities.names:division_names",
    "baozhi.layers.entities.ner_rules:_reversed_division_names",   # _full_division_names' trie
    "baozhi.layers.figures.figures:_cfg",
    "baozhi.resources.ruleset:version",
    "baozhi.resources.segmenter:default",
    "baozhi.resources.units:_cfg",
    "baozhi.resources.units:unit_table",
    "baozhi.layers.dates.grammar:_calendars",    # the holidays package's calendars, no rules
    "baozhi.resources.script:_table",            # OpenCC's character table, no rules
    "baozhi.resources.script:translation",       # takes arguments: derived from _table
    "baozhi.resources.script:_changed",          # takes arguments: derived from translation
    "baozhi.resources.script:_changed_mask",     # takes arguments: derived from translation
    "baozhi.resources.numerals:_parse_memo",     # takes arguments: a memo of parse_number
    "baozhi.resources.numerals:_run_memo",       # takes arguments: a memo of scan's runs
    "baozhi.resources.numerals:_minus_reach",    # only reads cfg (a builder above)
    "baozhi.layers.figures.semantics:_needs",    # takes arguments: a pattern's gate, off its text
)


def builders() -> list:
    """The builder functions (a name that no longer resolves is an error: see the tests)."""
    out = []
    for spec in BUILDERS:
        mod, name = spec.split(":")
        out.append(getattr(importlib.import_module(mod), name))
    return out


def check_rules() -> None:
    """Raise ``ruleset.RulesError`` naming file, line and rule of every problem.

    A pass is remembered on disk (``resources/diskcache.py``) under the rules folder, the
    rules' and models' version (a hash of every file's bytes), the regex module's version and
    the source of the checking
    code and of every builder's module: a changed rules file or builder checks again, a
    failure is never remembered."""
    import sys

    from baozhi.resources import diskcache, ruleset

    import regex

    modules = sorted({spec.split(":")[0] for spec in BUILDERS})
    # the regex module's version too: a pattern that compiles under one may not under another
    key = (str(ruleset.rules_dir()), ruleset.version(), regex.__version__,
           diskcache.source_digest([validate, ruleset, sys.modules[__name__],
                                    *(importlib.import_module(m) for m in modules)]))
    diskcache.cached("rulecheck", key, _check)


def _check() -> bool:
    validate.check(builders())
    return True
