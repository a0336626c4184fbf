"""What each figure measures: ``metric``, ``subject`` (+ ``subject_entity``), ``period_*``,
``status``, ``change`` and ``basis``, added in place to the figure records of one text.

Entry point: ``describe(text, figures, entities, dates, issue_date, home)``. No parser is
used: the figure's clause and sentence (bounds from ``rules/bounds/bounds.yaml``), jieba's
words and their dictionary tags (``resources.segmenter``), and the entities, dates and targets
of the same text. Each decision is a named rule in one of the tables ``METRIC_RULES``,
``SUBJECT_RULES``, ``PERIOD_RULES``, ``STATUS_RULES``, ``CHANGE_RULES``; the first rule of a
table that decides wins. The names, what each decides and examples that need it are in the
rules file (``tests/test_named_rules.py`` turns each off and sees an example fail).
"""
from __future__ import annotations

import bisect
import calendar
import datetime as dt
import functools
import itertools
import operator
from dataclasses import dataclass, field
from typing import Iterator, Sequence

import regex

from baozhi.layers import bounds
from baozhi.layers.bounds import Bounds
from baozhi.layers.entities import names
from baozhi.resources import gates, marks, numerals, regexcache, ruleset, segmenter

_FIRST = operator.itemgetter(0)
_SECOND = operator.itemgetter(1)
RULES_FILE = "figures/semantics.yaml"
FIGURES_FILE = "figures/figures.yaml"     # change_words
TARGETS_FILE = "targets/targets.yaml"     # markers: their modalities are plan words
WORD_CHARS = regexcache.compile(r"^[\p{Han}A-Za-z]+$")
HAN_WORD = regexcache.compile(r"^\p{Han}+$")
REFERENCE = regexcache.compile(r"(?:该|这|此|其)\p{Han}?")
FIELDS = ("metric", "subject", "subject_entity", "period_text", "period_start", "period_end",
          "status", "change", "basis")


# the rules file's patterns and word sets the rules read as they are (compiled, as sets);
# the entries below them are built from the file in other ways
_PATTERNS = (
    "list_marks", "link_aside", "reporting_frame", "standard_compare", "standard_share", "standard_share_target", "name_brackets", "offer_cues", "level_reached", "share_cue", "share_target_cue", "share_list_item", "standard_comparison", "carry_openers",
    "participant_counter", "participant_verbs", "event_determiner",
    "extent_before_de", "carry_clause_end", "no_carry_after", "demonstrative", "aside_openers",
    "dateline", "speech_colon", "dateline_after", "attributive_clause", "cleft_mark", "list_item_mark", "one_of_link", "one_of_after", "published_list_frame",
    "plan_cue_attributive", "plan_cue_disposal", "purpose_aside", "present_fronted", "past_cues", "budget_cue", "budget_gap", "breakdown_mark",
    "present_words", "deontic_cues", "rule_not_whole",
    "measure_verbs", "goal_verbs", "goal_done", "duration_frame", "duration_frame_needs",
    "duration_frame_clause", "same_year_words", "list_item_gap",
    "per_unit", "date_after_end", "date_after_not", "goal_scale_verbs", "completion_forecast",
    "name_after_figure", "shared_head_gap", "table_header", "respective_lead", "respective_gap", "respective_share_gap", "part_nouns", "zone_join",
    "organise_verbs",
    "join_verbs", "member_bodies", "year_parts", "norm_article", "penalty_after", "norm_item_end", "annual_bases", "row_label", "row_end", "compared_date", "estimate_words", "norm_frame", "record_after",
    "pronouns", "place_reference", "surveyed_skip", "quoted_not_name", "work_title_glue", "verb_sum_bare",
    "compared_level", "noun_gloss", "copula_item_rank",
)
_SETS = (
    "speech_verbs", "person_governing_words", "table_label_not_kinds", "respective_any_kinds", "dimension_words", "np_trim", "copula_words", "item_marks", "modifier_only_tags", "source_prepositions", "verb_complements", "list_words", "name_tags", "noun_tags", "attribute_tags", "noun_words", "not_metric",
    "noun_joins", "owner_lead_tags", "generic_counters", "carry_period_after", "topic_tags",
    "not_topic", "topic_skip_words", "numeral_chars", "topic_skip_tags", "entity_labels", "rule_approx",
    "modifier_tags", "zero_subject_skip_tags", "date_after_kinds", "goal_scale_kinds", "metric_found_before", "topic_after_time",
    "clause_owner_after", "clause_topic_tags", "link_adverbs", "metric_tail_chars",
    "topic_stop", "subject_adverb_tags", "aside_tags", "common_noun_tags", "present_not_units",
    "modifier_noun_tags", "relative_verb_tags",
    "attribute_heads",
    "share_units", "share_kinds", "standard_comparison_units", "budget_kinds", "zone_units", "relative_after_kinds", "verb_sum_kinds", "name_not_kinds",
    "topic_lead_tags", "metric_owner_handed", "verb_compound_lead_tags", "verb_compound_noun_lead_tags",
    "subject_not_carried", "subject_told_by", "subject_carried_past", "period_not_carried", "clause_owner_through", "subject_by_default",
    "batch_classifiers", "plan_nouns", "plan_measured_by", "plan_noun_next_tags", "statistic_run_grains",
    "future_grains", "comparatives", "count_verb_not_after", "attribute_not_heads", "part_units",
    "link_adverb_tags", "link_adverb_straddled_tags",
)


def _work_title(raw: dict) -> str:
    """A title in any pair of ``work_title_marks`` (《…》), 1 to ``work_title_chars`` characters."""
    n = int(raw["work_title_chars"])
    return "|".join("%s[^%s\\n]{1,%d}%s" % (regex.escape(o), regex.escape(o + c), n, regex.escape(c))
                    for o, c in raw["work_title_marks"])


# word lists a pattern names as {list} (the comparison and share readers share them; the
# verbs of saying, person_owner's and the report frames'; the comparatives, change_word's and
# cleft_owner's)
_FILLED = ("standard_comparatives", "share_target_verbs", "speech_verbs", "comparatives")


def _filled(raw: dict, pattern: str) -> str:
    """``pattern`` with each ``{list}`` of ``_FILLED`` replaced by the list's words as an
    alternation, longest first."""
    for key in _FILLED:
        pattern = pattern.replace("{%s}" % key, "|".join(sorted(raw[key], key=len, reverse=True)))
    return pattern


@functools.cache
def _cfg() -> dict:
    raw = ruleset.load(RULES_FILE)
    words = lambda key: tuple(sorted(raw[key], key=len, reverse=True))  # noqa: E731
    return {
        **raw,
        **{k: regexcache.compile(_filled(raw, raw[k])) for k in _PATTERNS},
        **{k: set(raw[k]) for k in _SETS},
        # the marks of bounds/bounds.yaml: a figure's sentence goes on after ；, its clause
        # ends at a phrase's end too
        "sentence_end": bounds.marks()["figure_sentence"],
        "clause_end": bounds.marks()["phrase"],
        "clause_end_re": bounds.marks()["phrase_re"],   # (one of clause_end: any_of)
        "link_verbs": words("link_verbs"),
        "link_verb_set": set(raw["link_verbs"]),
        # (_before_link: the link verbs that are no size word, by length, longest first)
        "link_verbs_not_sizes": set(raw["link_verbs"]) - set(raw["dimension_words"]),
        "link_verb_lengths": sorted({len(w) for w in raw["link_verbs"]}, reverse=True),
        "home_words": {w: part for part, ws in raw["home_words"].items() for w in ws},
        "home_re": regexcache.compile("|".join(sorted(
            (w for ws in raw["home_words"].values() for w in ws), key=len, reverse=True))),
        "country_at_metric": tuple(raw["country_at_metric"]),
        "scoped_set_heads": tuple(raw["scoped_set_heads"]),                   # (str.endswith)
        "measure_heads": tuple(raw["measure_heads"]),                         # (str.endswith)
        "work_title_not_heads": tuple(raw["work_title_not_heads"]),           # (str.endswith)
        "scoped_set_re": regexcache.compile("|".join(raw["scoped_set_heads"])),
        "scoped_set_measures": tuple(raw["scoped_set_measures"]),             # (str.endswith)
        "subject_position_tags": tuple(raw["subject_position_tags"]),     # (str.startswith)
        "person_title_tags": tuple(raw["person_title_tags"]),             # (str.startswith)
        "person_predicate_tags": tuple(raw["person_predicate_tags"]),     # (str.startswith)
        "person_governing_tags": tuple(raw["person_governing_tags"]),     # (str.startswith)
        "told_skip_tags": tuple(raw["told_skip_tags"]),                   # (str.startswith)
        "told_topic_openers": tuple(raw["told_topic_openers"]),           # (str.startswith)
        "aspect_marks": tuple(raw["aspect_marks"]),
        "subject_trim_tags": tuple(raw["subject_trim_tags"]),
        "subject_segment_tags": tuple(raw["subject_segment_tags"]),             # (str.startswith)
        "function_pair_tags": tuple(raw["function_pair_tags"]),                 # (str.startswith)                         # (str.startswith)
        "link_adverb_last": {w[-1] for k in ("link_adverbs", "metric_link_adverbs") for w in raw[k]},
        "world_re": regexcache.compile("|".join(sorted(raw["world_words"], key=len, reverse=True))),
        "owner_word_last": {w[-1] for k in ("project_suffixes", "owner_suffixes") for w in raw[k]},
        "owner_word_re": regexcache.compile("(?:(?P<project>%s)|(?P<body>%s))$" % tuple(
            "|".join(sorted(raw[k], key=len, reverse=True)) for k in ("project_suffixes", "owner_suffixes"))),
        "report_frames": [regexcache.compile(_filled(raw, p)) for p in raw["report_frames"]],
        "listed": regexcache.compile("(?:%s[^，,。；;、：:\\s]{1,8}?)*(?:%s)?" % (raw["list_marks"],
                                                                           raw["list_end"])),
        "carry_sentences": int(raw["carry_sentences"]),
        "demonstrative_sentences": int(raw["demonstrative_sentences"]),
        "project_re": regexcache.compile("(?:%s)$" % "|".join(sorted(raw["project_suffixes"], key=len,
                                                               reverse=True))),
        # the change words are figures.yaml's; the plan words the targets' marker words too
        "change_re": regexcache.compile("|".join(
            f"(?P<{kind}>{'|'.join(sorted(ws, key=len, reverse=True))})"
            for kind, ws in ruleset.load(FIGURES_FILE)["change_words"].items())),
        "plan_cues": regexcache.compile("(?<!%s)(?:%s)" % (raw["plan_cue_not_after"], "|".join(sorted(
            {m["modality"] for m in ruleset.load(TARGETS_FILE)["markers"]} | set(raw["plan_words"])
            | set(raw["due_words"]), key=lambda w: (-len(w), w))))),
        "plan_noun_re": regexcache.compile("|".join(sorted(raw["plan_nouns"], key=len, reverse=True))),
        "due_words": regexcache.compile("|".join(sorted(raw["due_words"], key=lambda w: (-len(w), w)))),
        "rate_metrics": {k: regexcache.compile(v) for k, v in raw["rate_metrics"].items()},
        "unit_changes": dict(raw["unit_changes"]),
        "unit_metric_words": {u: regexcache.compile("|".join(sorted(ws, key=len, reverse=True)))
                              for u, ws in raw["unit_metric_words"].items()},
        "basis_re": regexcache.compile(raw["basis"].replace("{change_words}", "|".join(sorted(
            (w for ws in ruleset.load(FIGURES_FILE)["change_words"].values() for w in ws),
            key=len, reverse=True)))),
        "event_yield": regexcache.compile("%s|%s" % (raw["participant_verbs"], raw["event_yield"])),
        "rule_cues": regexcache.compile("%s|%s" % (raw["deontic_cues"], raw["rule_cues"])),
        **{k: regexcache.compile(raw[k].replace("{person_classes}", "|".join(sorted(
            raw["person_classes"], key=len, reverse=True)))) for k in (
            "addressee", "rule_class_opener", "surveyed_group", "surveyed_heads")},
        "reference_counts": dict(raw["reference_counts"]),
        # (titled_work: the title pattern, the one after the figure's noun and the quick test's
        # opening marks, all built from work_title_marks, work_title_chars, work_title_after_chars)
        "work_title": regexcache.compile(_work_title(raw)),
        "work_title_after": regexcache.compile("\\p{Han}{0,%d}?(?P<title>%s)" % (
            int(raw["work_title_after_chars"]), _work_title(raw))),
        "work_title_marks": tuple((pair[0], pair[1]) for pair in raw["work_title_marks"]),
        "work_title_chars": int(raw["work_title_chars"]),
        "work_title_after_chars": int(raw["work_title_after_chars"]),
        "reference_sentences": int(raw["reference_sentences"]),
        "respective_join": regexcache.compile(raw["respective_join"]),
        **{k: regexcache.compile(raw[k].replace("{event_fairs}", "|".join(sorted(
            raw["event_fairs"], key=len, reverse=True)))) for k in ("event_name", "event_heads")},
        # (_event_names: where a name may be; the last non-name character before an offset)
        "event_name_cue": regexcache.compile("[%s]" % raw["event_name_cues"]),
        "event_name_gap": regexcache.compile("[^%s]" % raw["event_name_chars"]),
        "event_name_gap_before": regexcache.compile("(?r)[^%s]" % raw["event_name_chars"]),
    }


# --------------------------------------------------------------------------- cue gates

@functools.cache
def _needs(pattern) -> tuple:
    """A gate for ``pattern`` (a regex of the rules file, compiled or its source): at most two
    sets of characters, each of which every match of ``pattern`` consumes a character of
    (``gates.needs_chars``, read off its parse: none where the parse could mislead, as with
    ``(?i)``, a POSIX class or a fuzzy match), each with its character class compiled; () where
    none can be told. So where one of them is absent from [a, b), ``pattern`` matches nothing
    inside [a, b): a rule that needs such a match fails at once (``_may_match``)."""
    return tuple((s, marks.any_of(s)) for s in gates.needs_chars(pattern))   # (stdlib re)


def _may_match(t: "_Text", pattern, a: int, b: int) -> bool:
    """False only where ``pattern`` (compiled) cannot match inside ``text[a:b]``: a character
    every match consumes (``_needs``) is absent from it."""
    for chars, need in _needs(pattern):
        if len(chars) == 1:
            if t.text.find(next(iter(chars)), a, b) < 0:
                return False
        elif need.search(t.text, a, b) is None:
            return False
    return True


# --------------------------------------------------------------------------- the text

@dataclass
class _Text:
    """One text with what the rules read: clause and sentence bounds (``bounds.Bounds``, a
    figure's), words with tags, the
    other layers' records, and the subject found for each sentence so far."""

    text: str
    figures: list[dict]
    entities: list[dict]
    dates: list[dict]
    targets: list[dict]
    issue_date: dt.date | None
    home: str | None
    cfg: dict
    sentence_starts: list[int] = field(default_factory=list)
    subjects: "_Subjects" = field(default=None)  # type: ignore[assignment]  # sentence -> subject
    periods: dict[int, dict] = field(default_factory=dict)      # sentence -> its last figure's period
    clause_subjects: dict[int, tuple] = field(default_factory=dict)  # sentence -> last clause owner
    told: dict[int, tuple] = field(default_factory=dict)  # sentence -> its last owned figure's start, owner, a person?
    defaulted: set[int] = field(default_factory=set)    # sentences whose subject is a default
    metrics_told: dict[int, set[str]] = field(default_factory=dict)    # sentence -> its figures' metrics so far
    tokens: Sequence[tuple[int, int]] | None = None     # the Doc's words, when it has jieba's
    token_words: Sequence[str] | None = None    # the surfaces of ``tokens``, when the caller has them
    paragraph_starts: list[int] = field(default_factory=list)
    # sentence -> its words (word, start, end, tag) and their (starts, ends), for bisection
    _sw: dict[int, tuple[list[tuple[str, int, int, str]], tuple[list[int], list[int]]]] = field(
        default_factory=dict)
    _projects: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    _frames: dict[int, tuple[list[int], list[int], list[tuple[int, int]]]] = field(default_factory=dict)
    # (report_source_not_owner: sentence -> its clause starts, how many read, their frames)
    _floors: dict[tuple[int, int], int] = field(default_factory=dict)
    _memo: dict[tuple[str, int], object] = field(default_factory=dict)  # the reference rules' reads
    counted_ok: dict[tuple[int, int], int] = field(default_factory=dict)  # counted_then_measured's
    # spans -> the sentence of the figure each was checked for
    _word_edges: dict[int, tuple[set[int], set[int]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.subjects = _Subjects(self)
        self.b = Bounds(self.text, figure=True, max_chars=self.cfg["sentence_max_chars"], keep=(
            (r["start"], r["end"]) for rs in (self.figures, self.dates, self.entities) for r in rs))
        self.sentence_starts = self.b.sentence_starts
        self.paragraph_starts = self.b.paragraph_starts
        self._edges = sorted({x for g in self.figures for x in (g["start"], g["end"])})
        self._starts = sorted(g["start"] for g in self.figures)
        # (the figures by start with the furthest end so far: figure_overlaps by bisection;
        # how many figures end at each offset: _metric_ok)
        spans = sorted((g["start"], g["end"]) for g in self.figures)
        self._fig_starts = [a for a, _ in spans]
        self._fig_reach = list(itertools.accumulate((b for _, b in spans), max))
        self._fig_ends: dict[int, int] = {}
        self._figs_ending: dict[int, list[dict]] = {}     # end -> the figures ending there
        for g in self.figures:
            self._fig_ends[g["end"]] = self._fig_ends.get(g["end"], 0) + 1
            self._figs_ending.setdefault(g["end"], []).append(g)
        # the entities and dates by start (numerals.Cover), the entities by span (the first of a span:
        # _entity_at), the earliest end of a date (same_year_word)
        self.ents, self.dts = numerals.record_cover(self.entities), numerals.record_cover(
            self.dates)
        self._ent_at: dict[tuple[int, int], int] = {}
        for j, ent in enumerate(self.entities):
            self._ent_at.setdefault((ent["start"], ent["end"]), j)
        self._first_date_end = min((d["end"] for d in self.dates), default=None)
        self._names: dict[int, tuple[list, bool]] = {}   # paragraph -> name_brackets (_in_name)
        # the bounds' look-ups called directly (the methods below say what each does): the
        # rules ask them tens of times a figure
        self.sentence, self.clause_start, self.clause_end, self.paragraph = (
            self.b.sentence, self.b.clause_start, self.b.clause_end, self.b.paragraph)
        self._organised: tuple[list[int], list[tuple[int, int]]] | None = None  # (ends, events), on first use
        self._named: tuple | None = None     # (ends, names, the pass, its last end): _named_upto
        self._same_years: list[dict] | None = None  # the dates with 当年 as dates, on first use
        self._norm_spans: list[tuple[int, int]] | None = None  # a law's articles, on first use
        self._norm_frames: dict[int, int | None] = {}  # sentence -> the end of its rule's frame
        self._table_rows: dict[int, tuple[int, int] | None] | None = None  # row -> its header's metric

    @functools.cached_property
    def fig_at(self) -> dict[int, dict]:
        """The figures' records by start (the first one at a start), on first use."""
        out: dict[int, dict] = {}
        for r in self.figures:
            out.setdefault(r["start"], r)
        return out

    @functools.cached_property
    def figs(self) -> numerals.Cover:
        """The figures by start (respective_owners), on first use."""
        return numerals.record_cover(self.figures)

    def _find_organised(self) -> tuple[list[int], list[tuple[int, int]]]:
        """What an organiser holds (举办了…活动, 开展“…”科普直播课, 组织开展…培训), found in one
        pass on first use, as the list of their ends (for bisection) and the list of the events:
        the object of an organising verb up to its clause's end (a comma inside quotes does not
        end it) ending with an event word, as its (start, end). (The named events apart:
        ``_named_upto``.)"""
        if self._organised is not None:
            return self._organised
        cfg = self.cfg
        organised = []
        for m in cfg["organise_verbs"].finditer(self.text):
            a = i = m.end()
            quote = None
            while i < len(self.text) and i - a <= cfg["event_max_chars"]:
                c = self.text[i]
                if quote:
                    quote = None if c == quote else quote
                elif c in cfg["topic_quotes"]:
                    quote = cfg["topic_quotes"][c]
                elif c in cfg["clause_end"] or c in "\n":
                    break
                i += 1
            head = None if quote or i - a > cfg["event_max_chars"] else cfg["event_heads"].search(
                self.text, a, i)
            if head is None or head.end() != i:
                continue
            if self.figure_overlaps(a, i):
                continue        # 组织21家企业参加: a count, no event's name
            organised.append((a, i))
        self._organised = ([e for _, e in organised], organised)
        return self._organised

    def figure_overlaps(self, a: int, b: int) -> bool:
        """Whether a figure overlaps [a, b) (starts before ``b``, ends after ``a``)."""
        n = bisect.bisect_left(self._fig_starts, b)
        return n > 0 and self._fig_reach[n - 1] > a

    def figure_starts_in(self, a: int, b: int) -> bool:
        """Whether a figure starts in [a, b)."""
        n = bisect.bisect_left(self._starts, a)
        return n < len(self._starts) and self._starts[n] < b

    def in_date(self, a: int, b: int) -> bool:
        """Whether a date holds [a, b) (starts at or before ``a``, ends at or after ``b``)."""
        return self.dts.holds(a, b)

    def _named_upto(self, pos: int) -> tuple[list[int], list[str]]:
        """The named events the text tells of — a contest, an election, a fair (event_name) —
        as the list of their ends (for bisection) and the list of their names, as far as the
        first one ending after ``pos``: event_name's pass over the text (slow on a long text,
        and only a count of participants needs it) goes on only as far as a figure asks (its
        matches follow each other, so their ends rise, and the events read by bisection up to
        ``pos`` are those the pass over the whole text finds)."""
        got = self._named
        if got is None:
            got = self._named = ([], [], self._event_names(), [-1])
        ends, names, matches, last = got
        if last[0] > pos or matches is None:
            return ends, names
        for m in matches:
            last[0] = m.end()
            # a name that opens inside a date or right after a digit (于２０日开赛: 日 is the
            # day's) is no name
            if not (self.in_date(m.start(1), m.start(1) + 1)
                    or self.text[m.start(1) - 1:m.start(1)].isdigit()):
                ends.append(m.end())
                names.append(m.group(1))
            if last[0] > pos:
                return ends, names
        self._named = (ends, names, None, last)      # (the whole text read)
        return ends, names

    def _event_names(self) -> Iterator[regex.Match]:
        """``event_name``'s matches in the text, in order, as its pass over the whole text
        finds them: a match is made of ``event_name_chars`` only and holds a cue character, so
        only the stretches of those characters that hold a cue are read (a match starts at none
        of the characters between them, and ends before the next one: its look-ahead reads
        that one, so the stretch is read up to it)."""
        cfg, text, n = self.cfg, self.text, len(self.text)
        name, gap, gap_before = cfg["event_name"], cfg["event_name_gap"], cfg["event_name_gap_before"]
        end = 0
        for cue in cfg["event_name_cue"].finditer(text):
            q = cue.start()
            if q < end:
                continue            # (in the stretch read last)
            g = gap_before.search(text, 0, q)
            g2 = gap.search(text, q)
            end = g2.start() if g2 else n
            yield from name.finditer(text, g.end() if g else 0, min(n, end + 1))

    @staticmethod
    def _last_event(found: tuple[list[int], list], pos: int):
        """The last of ``found``'s events (their ends, the events) ending at or before ``pos``."""
        ends, events = found
        j = bisect.bisect_right(ends, pos) - 1
        return events[j] if j >= 0 else None

    def event_before(self, pos: int) -> str | None:
        """The name of the last named event (a contest, an election, a fair) ending at or before
        ``pos``."""
        return self._last_event(self._named_upto(pos), pos)

    def organised_before(self, pos: int) -> tuple[int, int] | None:
        """(start, end) of the last event an organiser holds ending at or before ``pos``."""
        return self._last_event(self._find_organised(), pos)

    def paragraph(self, pos: int) -> int:
        """The index of the paragraph (line) holding ``pos``."""
        return self.b.paragraph(pos)

    def sentence(self, pos: int) -> tuple[int, int, int]:
        """(index, start, end) of the sentence holding ``pos``."""
        return self.b.sentence(pos)

    def clause_start(self, pos: int) -> int:
        """Just after the last clause or sentence end before ``pos`` (0 if none)."""
        return self.b.clause_start(pos)

    def clause_end(self, pos: int) -> int:
        """The first clause or sentence end at or after ``pos`` (the text's end if none)."""
        return self.b.clause_end(pos)

    def words(self, pos: int) -> list[tuple[str, int, int, str]]:
        """(word, start, end, tag) of the sentence holding ``pos``, segmented once."""
        return self._indexed(pos)[0]

    def _segment(self, pos: int) -> tuple[list, tuple[list[int], list[int]]]:
        """The words of the sentence holding ``pos`` (not segmented yet) and their starts and
        ends (for bisection), kept as ``_sw``'s entry of the sentence."""
        k, s, e = self.sentence(pos)
        seg = segmenter.default()
        tags = seg.tags
        if self.tokens is not None:      # the Doc's own words: no second segmentation
            lo = bisect.bisect_left(self.tokens, s, key=_FIRST)   # (by start: no list of
            hi = bisect.bisect_left(self.tokens, e, lo, key=_FIRST)  # starts built per text)
            spans = self.tokens[lo:hi]
            if spans and spans[-1][1] > e:   # (the words follow each other: only the last
                spans = [ab for ab in spans if ab[1] <= e]      # can run past the end)
            whole = spans
            spans = self._cut_spans(spans, s, e)
            if not spans:
                got = self._sw[k] = ([], ([], []))
                return got
            starts, ends = list(map(_FIRST, spans)), list(map(_SECOND, spans))
            if spans is whole and self.token_words is not None:   # (no word cut: the caller's
                ws = self.token_words[lo:lo + len(spans)]        # surfaces of the same tokens)
            else:
                ws = list(map(self.text.__getitem__, map(slice, starts, ends)))
            words = _verb_compounds(list(zip(ws, starts, ends, map(tags.get, ws, itertools.repeat("x")))),
                                    ws, tags, self.cfg)
            got = self._sw[k] = (words, (starts, ends))
        else:
            words = self._cut_at_figures([(w, s + a, s + b, tags.get(w, "x"))
                                          for w, a, b in seg.tokenize(self.text[s:e])], tags)
            words = _verb_compounds(words, list(map(_FIRST, words)), tags, self.cfg)
            got = self._sw[k] = (words, ([w[1] for w in words], [w[2] for w in words]))
        return got

    def _cut_spans(self, spans: list, s: int, e: int) -> list:
        """``_cut_at_figures`` on (start, end) spans of the sentence [s, e), sorted and not
        overlapping: only the spans a figure's edge falls inside are looked at."""
        edges = self._edges
        i, j = bisect.bisect_right(edges, s), bisect.bisect_left(edges, e)
        if i >= j:
            return spans
        cut: dict[int, list[int]] = {}
        for x in edges[i:j]:
            n = bisect.bisect_right(spans, x, key=_FIRST) - 1
            if n >= 0 and spans[n][0] < x < spans[n][1]:
                cut.setdefault(n, []).append(x)
        if not cut:
            return spans
        out = []
        for n, (a, b) in enumerate(spans):
            if n in cut:
                pts = [a, *cut[n], b]
                out.extend(zip(pts, pts[1:]))
            else:
                out.append((a, b))
        return out

    def words_in(self, pos: int, lo: int, hi: int | None = None) -> list[tuple[str, int, int, str]]:
        """The words of the sentence holding ``pos`` that start at or after ``lo`` and end at or
        before ``hi`` (the sentence's end if None), found by bisection (the words of a sentence
        follow each other without overlapping)."""
        words, index = self._indexed(pos)
        i = bisect.bisect_left(index[0], lo)
        return words[i:] if hi is None else words[i:bisect.bisect_right(index[1], hi)]

    def _indexed(self, pos: int) -> tuple[list, tuple[list[int], list[int]]]:
        """The words of the sentence holding ``pos`` and their starts and ends (for bisection):
        the one look-up of ``_sw`` by the sentence's index, for every word reader."""
        got = self._sw.get(bisect.bisect_right(self.sentence_starts, pos) - 1)
        return got if got is not None else self._segment(pos)

    def word_at(self, pos: int, within: int | None = None) -> tuple[str, int, int, str] | None:
        """The word of the sentence holding ``pos`` (``within`` if given) that starts at ``pos``,
        if one does."""
        words, (starts, _) = self._indexed(pos if within is None else within)
        i = bisect.bisect_left(starts, pos)
        return words[i] if i < len(words) and starts[i] == pos else None

    def word_ending(self, pos: int) -> tuple[str, int, int, str] | None:
        """The word of the sentence holding ``pos - 1`` that ends at ``pos``, if one does."""
        words, (_, ends) = self._indexed(pos - 1)
        i = bisect.bisect_left(ends, pos)
        return words[i] if i < len(words) and ends[i] == pos else None

    def word_edges(self, pos: int) -> tuple[set[int], set[int]]:
        """The offsets where the words of the sentence holding ``pos`` start, and end."""
        k = self.sentence(pos)[0]
        if k not in self._word_edges:
            starts, ends = self._indexed(pos)[1]
            self._word_edges[k] = (set(starts), set(ends))
        return self._word_edges[k]

    def _cut_at_figures(self, words: list, tags) -> list:
        """A word a figure's edge falls inside (８|个省, where the figure is ８个) is two words,
        each tagged as a word of its own: what follows a figure starts a word."""
        out = []
        for w in words:
            a, b = w[1], w[2]
            i = bisect.bisect_right(self._edges, a)
            if i >= len(self._edges) or self._edges[i] >= b:
                out.append(w)
                continue
            cuts = [a]
            while i < len(self._edges) and self._edges[i] < b:
                cuts.append(self._edges[i])
                i += 1
            cuts.append(b)
            out.extend((self.text[x:y], x, y, tags.get(self.text[x:y], "x"))
                       for x, y in zip(cuts, cuts[1:]))
        return out


def _verb_compounds(words: list, ws: Sequence[str], tags, cfg: dict) -> list:
    """A four-character word made of an adverb or a verb and a verb of the dictionary (深入|开展,
    充分|发挥, 积极|开展; ``verb_compound_lead_tags``) is a verb phrase, whatever its own tag (i, n, l):
    tagged vd (the tagset's adverb-verb), so no noun phrase runs over it and no name holds it
    (博物馆充分发挥… -> 博物馆; 环境保护, a noun and a verb, stays a noun). A word the dictionary
    tags a noun only with a manner adverb first (``verb_compound_noun_lead_tags``: 充分|发挥, not
    快速|通道, 特别|报道)."""
    lead, noun_lead, nouns = cfg["verb_compound_lead_tags"], cfg["verb_compound_noun_lead_tags"], cfg["noun_tags"]
    # (the four-character words picked out without a Python step per word: most sentences have few)
    for n in itertools.compress(itertools.count(), map((4).__eq__, map(len, ws))):   # (ws: the words' surfaces)
        w = words[n]
        if w[3] != "v" and tags.get(w[0][2:]) == "v" and tags.get(w[0][:2]) in (
                noun_lead if w[3] in nouns else lead):
            words[n] = (w[0], w[1], w[2], "vd")
    return words


class _Subjects:
    """The subject found for each sentence (sentence -> subject), read by ``get``, ``in`` and
    ``[]`` and set by ``[] =`` only. A sentence without a figure that a figure after it in its
    paragraph passes over is *pending*: its subject (the one a figure at its end would have,
    ``_subject``) is found on the first read of it, not for every sentence passed — most are
    never read. A pending subject reads only the sentences before it (and their subjects, found
    the same way when pending), so it is the one an eager pass would have found; setting a
    sentence's subject drops its pending entry. Callers rely on that independence from the
    time of the read: ``_carry_period`` asks a pending subject only where a period would carry
    (tests/test_semantics_frame.py compares it with asking first) — a rule that wrote, during a
    resolution, state another sentence's rules read would break it silently."""

    __slots__ = ("t", "found", "pending")

    def __init__(self, t: "_Text"):
        self.t = t
        self.found: dict[int, tuple] = {}
        self.pending: dict[int, tuple[int, int]] = {}   # sentence -> (start, end)

    def wait(self, k: int, s: int, e: int) -> None:
        """Sentence ``k`` ([s, e)) names a subject if a rule asks for it."""
        self.pending[k] = (s, e)

    def _resolve(self, k: int) -> None:
        s, e = self.pending.pop(k)
        got = _subject(self.t, _Fig(-1, {}, e - 1, e - 1), k, s)
        if got:
            self.found[k] = got

    def get(self, k: int, default=None):
        if k in self.pending:
            self._resolve(k)
        return self.found.get(k, default)

    def __contains__(self, k: int) -> bool:
        if k in self.pending:
            self._resolve(k)
        return k in self.found

    def __getitem__(self, k: int):
        if k in self.pending:
            self._resolve(k)
        return self.found[k]

    def __setitem__(self, k: int, subject) -> None:
        self.pending.pop(k, None)
        self.found[k] = subject


@dataclass
class _Fig:
    i: int
    rec: dict
    start: int
    end: int
    metric: tuple[int, int] | None = None
    owner: tuple[int, int] | None = None     # the owner a metric of size names (跑道全长)
    subject: tuple | None = None
    subject_by: str | None = None            # the subject rule that named it
    link: int | None = None                  # where _before_link found the metric ends
    link_floor: int | None = None            # where the metric may start, if a gloss moved it
    period: dict | None = None               # the period found (the status rules read it)
    basis: str | None | bool = False         # the basis, once found (False: not yet)


# --------------------------------------------------------------------------- noun phrases

def _is_noun(t: _Text, word: str, tag: str) -> bool:
    cfg = t.cfg
    if word in cfg["not_metric"] or not WORD_CHARS.match(word):
        return False
    return (tag in cfg["noun_tags"] or word in cfg["noun_words"] or word in cfg["dimension_words"]
            or (tag == "x" and cfg["unknown_is_noun"]))


def _trim_joins(t: _Text, s: int, e: int) -> tuple[int, int] | None:
    """[s, e) without the words of ``np_trim`` (的, 和, 与, 及) at either edge; whole words
    only: 及格率, 与会代表 keep their first character."""
    trim = t.cfg["np_trim"]
    while s < e:
        w = t.word_at(s)
        if w is None or w[0] not in trim or w[2] > e:
            break
        s = w[2]
    while e > s:
        w = t.word_ending(e)
        if w is None or w[0] not in trim or w[1] < s:
            break
        e = w[1]
    return (s, e) if s < e else None


def _np_left(t: _Text, end: int, floor: int, longest: int | None = None,
             joins: bool = True, verbs: bool = False,
             lead_tags: frozenset | set = frozenset()) -> tuple[int, int] | None:
    """The noun phrase of contiguous nouns ending at ``end`` (not before ``floor``)."""
    cfg = t.cfg
    longest = longest or cfg["metric_max_chars"]
    words = t.words_in(end - 1, floor, end)
    start = end
    for word, s, e, tag in reversed(words):
        if e != start:
            break
        if _is_noun(t, word, tag) or (tag in lead_tags and start < end) or (
                verbs and start < end and tag.startswith("v") and len(word) > 1
                                      and HAN_WORD.match(word)) or (joins and start < end and (
                word == "的" or word in cfg["noun_joins"])):
            if end - s > longest:
                break
            start = s
            continue
        break
    return _trim_joins(t, start, end)


def _np_right(t: _Text, start: int, ceil: int) -> tuple[int, int] | None:
    cfg = t.cfg
    words = t.words_in(start, start, ceil)
    end = start
    for k, (word, s, e, tag) in enumerate(words):
        if s != end:
            break
        if _is_noun(t, word, tag) and not (end == start and word in cfg["dimension_words"]
                                            and len(word) > 1):
            if e - start > cfg["metric_max_chars"]:
                break
            end = e
            continue
        nxt = words[k + 1] if k + 1 < len(words) else None
        if tag in cfg["modifier_tags"] and nxt and nxt[1] == e and _is_noun(t, nxt[0], nxt[3]):
            end = e     # 高效单晶电池: an adjective before a noun
            continue
        if end > start and word in cfg["noun_joins"] and nxt and _is_noun(t, nxt[0], nxt[3]):
            end = e
            continue
        break
    return _trim_joins(t, start, end)


def _strip_owner(t: _Text, span: tuple[int, int] | None) -> tuple[int, int] | None:
    """A metric does not start with its owner: drop an entity, a home word or a
    demonstrative at its head (大连港年吞吐量 -> 年吞吐量, 海上油田的年产能力 -> 年产能力)."""
    if span is None:
        return None
    s, e = span
    # (only the dates and entities across (s, e) can move s or drop the span)
    for d in map(t.dates.__getitem__, t.dts.overlapping(s, e)):
        if d["start"] < s < d["end"] < e:   # １９９７年世界旅游总收入: the date's 年 is no part of the metric
            s = d["end"]
    for ent in map(t.entities.__getitem__, t.ents.overlapping(s, e)):
        if ent["start"] == s and ent["end"] < e:
            s = ent["end"]
        elif ent["start"] <= s and e <= ent["end"] and ent.get("label") in ("ORG", "PER"):
            return None             # an organisation owns a figure, it does not measure one
    m = t.cfg["change_re"].match(t.text, s, e)
    if m and m.end() < e and any(w[2] == m.end() for w in t.words(s)):
        s = m.end()                 # 节省电费 -> 电费: the change is change_word's (not 增|幅)
    m = t.cfg["home_re"].match(t.text, s, e) or REFERENCE.match(t.text, s, e) or t.cfg[
        "world_re"].match(t.text, s, e)
    if m and m.end() < e:
        s = m.end()
    return _trim_joins(t, s, e)


# --------------------------------------------------------------------------- METRIC_RULES

def quoted_after(t: _Text, f: _Fig, done: Sequence["_Fig"] = ()) -> tuple[int, int] | None:
    """A count followed (after 的) by a name in quotes (１５２个“绿色学校”, 一支３０人的“红马甲”
    服务队) counts what the quotes name: the words inside them, whatever their tags."""
    cfg = t.cfg
    if f.rec.get("kind") not in cfg["quoted_after_kinds"]:
        return None
    pos = f.end + 1 if t.text.startswith("的", f.end) else f.end
    close = cfg["topic_quotes"].get(t.text[pos:pos + 1])
    if not close:
        return None
    end = t.text.find(close, pos + 1, pos + 2 + cfg["topic_quote_max_chars"])
    if end < 0 or cfg["quoted_not_name"].search(t.text[pos + 1:end]):
        return None
    ceil = t.clause_end(end + 1)    # the head noun right after the quotes is part of the name
    head = _np_right(t, end + 1, ceil) if end + 1 < ceil else None
    return (pos, head[1]) if head and head[1] - pos <= cfg["metric_max_chars"] else (pos + 1, end)


def attributive_after(t: _Text, f: _Fig, done: Sequence["_Fig"] = ()) -> tuple[int, int] | None:
    cfg = t.cfg
    ceil = t.clause_end(f.end)
    pos = f.end
    after = t.word_at(pos)
    if after and after[0] in cfg["dimension_words"] and len(after[0]) == 1:
        pos = after[2]          # 23米宽机动车道: the size word is no part of the noun
    m = cfg["extent_before_de"].match(t.text, pos)
    if m and not t.text.startswith("的", pos):
        pos = m.end() - 1       # 200公里外的工地: the extent word is no part of the noun
    if t.text.startswith("的", pos):
        # 总投资24.7亿元的生产线: the noun before measures, the one after owns (not an owner
        # before: 美国７０％的俱乐部, person_not_metric)
        before = noun_before(t, f)
        if before and not any(r(t, f, before) for r in METRIC_FILTER_RULES) and (
                _metric_ok(t, before, f) or not _attribute_head_ok(t, pos + 1, ceil)):
            after = _np_right(t, pos + 1, ceil)
            if after:               # up to its project word (的项目进展 -> 项目)
                ends = [w[2] for w in t.words_in(after[0], after[0], after[1])
                        if t.cfg["project_re"].search(w[0])]
                f.owner = (after[0], ends[0] if ends else after[1])
            return None
        pos += 1
    first = t.word_at(pos)
    if (first and first[3] in cfg["attribute_tags"] and len(first[0]) <= 4
            and t.text.startswith("的", first[2])):
        head = _np_right(t, first[2] + 1, ceil)
        if head:                # ８栋崭新的楼房: an attribute and 的 before the noun counted
            return head
    got = _np_right(t, pos, ceil)
    # a bracket of the kinds the noun stands for (１１个县（市、区）) makes the one character before it
    # the noun counted (县 is no noun to jieba: zg); the bracket, a gloss, is left out
    if not got and pos + 1 < len(t.text) and HAN_WORD.match(t.text[pos]) and cfg["noun_gloss"].match(
            t.text, pos + 1):
        return (pos, pos + 1)
    return None if got and t.text[slice(*got)] in cfg["attribute_not_heads"] else got


def _attribute_head_ok(t: _Text, pos: int, ceil: int) -> bool:
    """The noun phrase after a figure's 的 names a thing the figure sizes: not a generic level or
    ground (９．７％的基础上, ３．８％的水平, `attribute_not_heads`), not a person
    (近６０岁的丁玉珍)."""
    after = _np_right(t, pos, ceil)
    if not after or t.text[slice(*after)] in t.cfg["attribute_not_heads"]:
        return False
    return not any(t.entities[j].get("label") in t.cfg["owner_labels"]
                   for j in t.ents.overlapping(*after))


def shared_head(t: _Text, f: _Fig, done: Sequence["_Fig"] = ()) -> tuple[int, int] | None:
    """A figure joined to the next one of its unit by 及/和/与/、 (一期４吉瓦及二期８吉瓦项目, ３个
    和５个…) sizes or counts the noun phrase after that one: what attributive_after finds for it."""
    i = bisect.bisect_left(t._starts, f.end)
    if i >= len(t._starts) or not t.cfg["shared_head_gap"].fullmatch(t.text, f.end, t._starts[i]):
        return None
    rec = t.fig_at.get(t._starts[i])
    if rec is None or rec.get("kind") != f.rec.get("kind") or rec.get("unit") != f.rec.get("unit"):
        return None
    g = _Fig(-1, rec, rec["start"], rec["end"])
    span = attributive_after(t, g)
    return span if span and _metric_ok(t, span, g) else None    # (a metric for that one)


def relative_after(t: _Text, f: _Fig, done: Sequence["_Fig"] = ()) -> tuple[int, int] | None:
    """A count followed by a relative clause and 的 counts the noun after 的: the clause holds a
    verb (３０位搞运销的农民, ５６户重点支持的国有企业) or ends with a noun of kind or scale
    (１５２处各种湿地类型的自然保护区)."""
    cfg = t.cfg
    if f.rec.get("kind") not in cfg["relative_after_kinds"] or t.text.find(
            "的", f.end + 1, f.end + cfg["relative_max_chars"] + 1) < 0:
        return None
    ceil = t.clause_end(f.end)
    words = t.words_in(f.end, f.end, ceil)
    if not words or words[0][1] != f.end or words[0][0] == "的" or (
            _is_noun(t, words[0][0], words[0][3]) and words[0][0] not in cfg["not_topic"]):
        return None         # (a noun of its own, not one of manner: ３２位棋手参加了…的比赛)
    end = f.end
    i = bisect.bisect_right(t._starts, f.end)     # the next figure's start
    for k, (word, s, e, tag) in enumerate(words):
        if s != end or e - f.end > cfg["relative_max_chars"] or (
                i < len(t._starts) and t._starts[i] < e):
            return None     # (no other figure inside the clause)
        if word == "的":
            inner = words[:k]
            if not (any(w[3].startswith("v") and w[3] != "vn" for w in inner)
                    or inner[-1][0] in cfg["attribute_heads"]):
                return None
            return _np_right(t, e, ceil)
        end = e
    return None


def _before_link(t: _Text, f: _Fig) -> int:
    """Where the metric before the figure ends: before the link verbs and adverbs that
    stand between it and the figure."""
    if f.link is not None:
        return f.link
    cfg = t.cfg
    floor = t.clause_start(f.start)
    pos = f.start
    links, lengths = cfg["link_verbs_not_sizes"], cfg["link_verb_lengths"]
    bases: dict[int, int] | None = None     # the basis matches of the clause: end -> start
    moved = True
    while moved:
        moved = False
        while pos > floor and t.text[pos - 1] in cfg["link_spaces"]:
            pos -= 1                        # 增长 7%: a space before the figure
        # a gloss in brackets (国内生产总值(GDP)556亿元) and a manner phrase (按可比价格计算增长)
        # between the metric and its verb
        # (a bracket ends a phrase: the gloss may stand right before the figure's phrase)
        lo = pos - cfg["link_aside_max_chars"] if pos == floor else max(floor, pos - cfg[
            "link_aside_max_chars"])
        m = cfg["link_aside"].search(t.text[max(lo, 0):pos]) if pos > 0 else None
        if m:
            pos -= m.end() - m.start()
            if pos < floor:
                floor = f.link_floor = t.clause_start(pos)
            moved = True
        for n in lengths:                   # the longest link verb ending at pos
            if pos - n >= floor and t.text[pos - n:pos] in links:
                pos -= n
                moved = True
                break
        m = t.cfg["change_re"].search(t.text[max(floor, pos - 4):pos] + "\x00")
        if m and m.end() == len(t.text[max(floor, pos - 4):pos]):
            pos -= m.end() - m.start()
            moved = True
        # (searched up to the figure: a basis may look ahead at its change word)
        if bases is None:
            bases = {}
            for m in t.cfg["basis_re"].finditer(t.text, floor, f.start):
                bases.setdefault(m.end(), m.start())
        if pos in bases:
            pos = bases[pos]
            moved = True
        elif pos - 1 in bases and t.text[pos - 1] in cfg["comparatives"]:
            pos = bases[pos - 1]            # 增幅比上年高０．３个百分点: a comparison, no size
            moved = True
        if pos > floor and (t.text[pos - 1] == "了" or (
                t.text[pos - 1] == "的" and f.rec.get("kind") == "percent")):
            pos -= 1
            moved = True
        # a plan word before the verb (固定资产投资力争完成381亿元, 产量预计比上年增长5%): the
        # metric stands before it; not a plan noun, which may be the metric's (年度目标, 计划投资)
        if floor < pos < f.start:
            plan = _word_ending_at(t, pos, floor)
            if plan and cfg["plan_cues"].fullmatch(plan[0]) and plan[0] not in cfg["plan_nouns"]:
                pos = plan[1]
                moved = True
        # a per-unit word between the verb and the figure (速度可能达到每天２·６万吨)
        per = _word_ending_at(t, pos, floor)
        if per and cfg["per_unit"].fullmatch(per[0]):
            pos = per[1]
            moved = True
        # an adverb between the metric and its verb (存款余额也已达, 股价也上升)
        if pos > floor and t.text[pos - 1] in cfg["link_adverb_last"]:
            adv = _word_ending_at(t, pos, floor)
            if adv and (adv[0] in cfg["link_adverbs"] or adv[0] in cfg["metric_link_adverbs"]):
                pos = adv[1]
                moved = True
        elif pos > floor and pos < f.start and cfg["change_re"].match(t.text, pos):
            adv = _word_ending_at(t, pos, floor)     # an adverb of manner before a change verb
            if adv and adv[3] in cfg["change_adverb_tags"] and len(adv[0]) == cfg["change_adverb_chars"]:
                pos = adv[1]
                moved = True
        elif floor < pos < f.start:
            # any adverb right before the link verb of the figure (…最多，总共有７９４１件), or
            # whose end the link verb took (总共|有 read 总|共有)
            words, (starts, _) = t._indexed(pos)
            i = bisect.bisect_right(starts, pos - 1) - 1    # (the word holding pos - 1)
            adv = words[i] if i >= 0 and words[i][2] >= pos else None
            if adv and not (adv[2] == pos and t.text[pos:f.start] in cfg["link_verb_set"]) and not (
                    adv[1] < pos < adv[2] and t.text[adv[2]:f.start] in cfg["link_verb_set"]):
                adv = None
            if adv and adv[1] >= floor and len(adv[0]) > 1 and adv[3] in cfg[
                    "link_adverb_tags" if adv[2] == pos else "link_adverb_straddled_tags"]:
                pos = adv[1]
                moved = True
    f.link = pos
    return pos


def owner_class_change(t: _Text, f: _Fig, done: Sequence["_Fig"] = ()) -> tuple[int, int] | None:
    """A sector or a market right before a change verb (国有工业增长５．４％, 墨西哥股市下跌２％)
    is whose change it is, not what changed: the figure measures the metric its paragraph
    reports (乡以上工业完成工业增加值…亿元。…国有工业增长…), the last one before it that is no
    such word."""
    cfg = t.cfg
    if f.rec.get("kind") not in cfg["owner_class_kinds"]:
        return None
    pos = _before_link(t, f)
    cs = t.clause_start(f.start)
    if not cfg["change_re"].search(t.text, pos, f.start):
        return None
    w = _word_ending_at(t, pos, cs)
    floor = cs
    if pos <= cs and cs > t.sentence(f.start)[1]:
        # a clause of only the change verb and the figure (集体工业回落大，增１１．７％; 其次是…
        # 股市，下跌３．２４％): the sector the clause before opens or ends with (class_topic_change)
        pcs = max(t.sentence(f.start)[1], t.clause_start(cs - 1))
        i = bisect.bisect_left(t._starts, pcs)      # (a figure of its own there: previous_metric's)
        words = t.words_in(pcs, pcs, cs - 1) if i >= len(t._starts) or t._starts[i] >= cs else ()
        w = next((x for i, x in enumerate(words) if x[0] in cfg["owner_classes"] and (
            i + 1 == len(words) or words[i + 1][3].startswith(cfg["person_predicate_tags"]))), None)
        if w:       # (the sector is the clause's subject: a verb after it, 工业|发展|快, or none)
            pos, floor = w[2], pcs
    if not w or w[0] not in cfg["owner_classes"]:
        return None
    para = t.paragraph(f.start)
    for g in reversed(done):
        if t.paragraph(g.start) != para:
            break
        if g.metric and g.metric[0] != g.end and not any(
                t.text.endswith(c, *g.metric) for c in cfg["owner_classes"]) and not any(
                p.search(t.text, *g.metric) for p in cfg["rate_metrics"].values()) and t.text[
                slice(*g.metric)] not in cfg["dimension_words"]:
            f.owner = _np_left(t, pos, floor)     # (the sector owns it)
            return g.metric         # (a level, not a rate of it: 增幅比上年高…)
    return None


def noun_before(t: _Text, f: _Fig, done: Sequence["_Fig"] = ()) -> tuple[int, int] | None:
    """The noun phrase right before the figure or its link verb (总投资为…, 产量达…). A head
    dropped from it (a verb-noun, an owner, a project word) leaves no particle or join at the
    metric's start (特许经营的零售业比重 -> 零售业比重, not 的零售业比重)."""
    span = _noun_before(t, f)
    return _trim_joins(t, *span) if span else None


def _noun_before(t: _Text, f: _Fig) -> tuple[int, int] | None:
    pos = _before_link(t, f)
    span = _strip_owner(t, _np_left(t, pos, t.clause_start(f.start) if f.link_floor is None
                                    else f.link_floor))
    if not span:
        span = next((got for rule in LINK_EDGE_RULES if (got := rule(t, f, pos))), None)
    if not span:
        return None
    s, e = span
    words = t.words_in(s, s, e)
    # a one-character metric word (量, 额, 率) after a verb and a noun: the verb is inside the
    # metric (外汇|结算|量, 货物|运输|量)
    if len(words) == 1 and e - s == 1 and t.text[s] in t.cfg["metric_tail_chars"]:
        before = t.words_in(s, t.clause_start(f.start), s)
        if before and before[-1][2] == s and before[-1][3].startswith("v") and len(
                before[-1][0]) == 2 and HAN_WORD.match(before[-1][0]):
            got = _np_left(t, before[-1][1], t.clause_start(f.start)) if len(before) >= 2 and _is_noun(
                t, before[-2][0], before[-2][3]) else None
            return (got[0] if got else before[-1][1], e)     # (挖掘|力: the verb alone)
    # a size word at the end names the size of what comes before it (跑道全长 -> 全长, owner 跑道)
    if len(words) > 1 and words[-1][0] in t.cfg["dimension_words"]:
        own = _strip_owner(t, (words[0][1], words[-1][1]))
        if own:
            f.owner = own
        return (words[-1][1], e)
    # a project word ends the owner, not the metric (项目总投资 -> 总投资); a verb-noun
    # opening a longer phrase is the verb (设置床位 -> 床位)
    for w in reversed(words[:-1]):
        if t.cfg["project_re"].search(w[0]):
            return (w[2], e)
    if len(words) > 1 and words[0][3] == "vn":
        return (words[1][1], e)
    return span


def word_across_link(t: _Text, f: _Fig, pos: int) -> tuple[int, int] | None:
    """A word that runs across the link or change verb before the figure (价格上涨, 产量下降 as
    one word): its part before the verb, where that part is a noun of its own, ends the noun
    phrase the figure measures (居民消费价格上涨0.9% -> 居民消费价格)."""
    floor = t.clause_start(f.start)
    if pos in t.word_edges(pos)[1]:
        return None                 # (a word ends there: nothing hides)
    words, (starts, _) = t._indexed(pos)
    i = bisect.bisect_left(starts, pos) - 1      # (the word starting last before pos)
    w = words[i] if i >= 0 and pos < words[i][2] and words[i][1] >= floor else None
    if w is None:
        return None
    rest = t.text[pos:w[2]]
    if not (t.cfg["change_re"].fullmatch(rest) or rest in t.cfg["link_verb_set"]):
        return None                 # (the word's end is the verb the figure follows: 上涨, not 就|是)
    part = t.text[w[1]:pos]
    tag = segmenter.default().tags.get(part)    # (a word of the dictionary, not any two characters)
    if tag in t.cfg["change_adverb_tags"] and t.cfg["change_re"].fullmatch(rest):
        # 稳步增长 as one word: the noun is before it (not 就是: an adverb before a link verb)
        return _strip_owner(t, _np_left(t, w[1], floor))
    if tag is None or len(part) < t.cfg["subject_min_chars"] or not _is_noun(t, part, tag):
        return None
    head = _np_left(t, w[1], floor)
    return _strip_owner(t, (head[0] if head else w[1], pos))


def verb_before_change(t: _Text, f: _Fig, pos: int) -> tuple[int, int] | None:
    """What a change verb changes is a noun phrase, even where its last word is a verb (个人消费
    支出增长1%, 财政收支下降２％): a two-character verb after a noun, right before the change verb,
    ends the metric."""
    floor = t.clause_start(f.start)
    if not t.cfg["change_re"].search(t.text, pos, f.start):
        return None             # (only the doer of a change: 完成旧城改造 is nominal_verb_before's)
    w = _verb_at(t, pos, floor)
    if not w or t.cfg["change_re"].fullmatch(w[0]):
        return None
    np = _np_left(t, w[1], floor)
    before = _word_ending_at(t, np[0], floor) if np else None
    if not np or (before and before[3] in t.cfg["aside_tags"]):
        return None             # (按年率计算: a preposition's object, not the doer)
    return _strip_owner(t, (np[0], pos))


def change_verb_run(t: _Text, f: _Fig, pos: int) -> tuple[int, int] | None:
    """A count right after a change verb and the verb of what is counted, after a noun
    (城镇新增就业1269万人, 全区新增用工３万人): the two verbs name what is counted."""
    if f.rec.get("kind") not in t.cfg["verb_run_kinds"]:
        return None
    floor = t.clause_start(f.start)
    last = _word_ending_at(t, pos, floor)
    first = _word_ending_at(t, last[1], floor) if last else None
    if not (first and last[3] in t.cfg["verb_run_tags"] and first[3] in t.cfg["verb_run_tags"]
            and t.cfg["change_re"].fullmatch(first[0]) and not t.cfg["change_re"].fullmatch(last[0])):
        return None
    before = _word_ending_at(t, first[1], floor)
    return (first[1], pos) if before and _is_noun(t, before[0], before[3]) else None


LINK_EDGE_RULES = (word_across_link, verb_before_change, change_verb_run)    # noun_before's metric where a word hides its end


def _word_ending_at(t: _Text, pos: int, floor: int) -> tuple[str, int, int, str] | None:
    """The word of its sentence that ends at ``pos`` and starts at or after ``floor``, if any."""
    if pos <= floor:
        return None
    w = t.word_ending(pos)
    return w if w is not None and w[1] >= floor else None


def _verb_at(t: _Text, pos: int, floor: int) -> tuple | None:
    """The two-character verb ending at ``pos`` (not a link, change or time word), if any."""
    w = _word_ending_at(t, pos, floor)
    if w and w[3] == "v" and len(w[0]) == 2 and HAN_WORD.match(w[0]) and (
            w[0] not in t.cfg["link_verb_set"] and w[0] not in t.cfg["not_metric"]):
        return w
    return None


def nominal_verb_before(t: _Text, f: _Fig, done: Sequence["_Fig"] = ()) -> tuple[int, int] | None:
    """A noun and the verb of what is done to it, right before the figure and the object of a
    verb before them, name it as one phrase (完成旧城改造１０万平方米, 发布工作提醒２９次,
    放映电影录像２０场)."""
    floor = t.clause_start(f.start)
    pos = _before_link(t, f)
    w = _verb_at(t, pos, floor)
    if not w or t.cfg["change_re"].match(w[0]):
        return None         # (农民增收: the noun before a change verb is the one that gains)
    np = _np_left(t, w[1], floor)
    head = next((x for x in t.words(np[0] - 1) if x[2] == np[0]), None) if np and np[0] > floor else None
    if not (head and head[3].startswith("v")):
        return None         # the phrase is the object of a verb (完成|旧城改造), not its doer (新政实施)
    return _strip_owner(t, (np[0], pos))


def plan_noun_verb(t: _Text, f: _Fig, done: Sequence["_Fig"] = ()) -> tuple[int, int] | None:
    """A plan that does its figure with a verb (１９９８年普通高等教育招生计划安排１０８万人, 投资计划下达
    ３亿元): the noun phrase ending with the plan noun (`plan_nouns`; a verb inside it, 招生, kept)
    measures the figure — what the plan sets, not the verb."""
    floor = t.clause_start(f.start)
    verb = _verb_at(t, _before_link(t, f), floor)
    plan = _word_ending_at(t, verb[1], floor) if verb and not t.cfg["change_re"].fullmatch(verb[0]) else None
    if not plan or plan[0] not in t.cfg["plan_nouns"]:
        return None
    start = plan[1]
    lead = _word_ending_at(t, start, floor)     # (招生|计划: the verb of what is planned)
    if lead and lead[3].startswith("v") and len(lead[0]) == 2 and HAN_WORD.match(lead[0]):
        start = lead[1]
    np = _np_left(t, start, floor)
    if not np and start == plan[1]:
        return None             # a bare 计划 before the verb plans it (计划演出４０００余场): no plan noun
    return _strip_owner(t, (np[0] if np else start, plan[2]))


def verb_before_money(t: _Text, f: _Fig, done: Sequence["_Fig"] = ()) -> tuple[int, int] | None:
    """A sum right after the verb that spends, earns or pays it, with no noun of its own
    (办理贴现１７０亿元, 全省将斥资４０亿元, 政府拨款拟削减到３４亿卢布): the verb says what it is.
    A bare magnitude with no unit (海关征税九百四十亿, 江苏投入四十亿: a headline's sum with 元
    left out, `verb_sum_bare`) is such a sum too."""
    if f.rec.get("kind") not in t.cfg["verb_sum_kinds"] and not (
            f.rec.get("unit") is None and t.cfg["verb_sum_bare"].search(f.rec.get("text") or "")):
        return None
    w = _verb_at(t, _before_link(t, f), t.clause_start(f.start))
    return (w[1], w[2]) if w else None


def previous_metric(t: _Text, f: _Fig, done: list[_Fig]) -> tuple[int, int] | None:
    got = _previous_metric(t, f, done)
    return got[0] if got else None


def _previous_metric(t: _Text, f: _Fig, done: list[_Fig]) -> tuple[tuple[int, int], _Fig] | None:
    """The metric of the last figure before ``f`` in its sentence that has one, and that figure."""
    _, s, _ = t.sentence(f.start)
    for g in reversed(done):
        if g.start < s:
            break
        if g.metric:
            return g.metric, g
    return None


def link_clause_topic(t: _Text, f: _Fig, done: Sequence["_Fig"] = ()) -> tuple[int, int] | None:
    """A clause that is only a link verb and the figure (…运动员最多，达２０７人) gives the value of
    the noun phrase opening the clause before it in the sentence (past times and adverbs)."""
    cfg = t.cfg
    cs = t.clause_start(f.start)
    _, s, _ = t.sentence(f.start)
    link = _before_link(t, f)
    if cs <= s or link > cs or link == f.start:
        return None
    pcs = max(s, t.clause_start(cs - 1))
    words = t.words_in(pcs, pcs, cs - 1)
    k = 0
    while k < len(words) and (words[k][3] in cfg["topic_skip_tags"] or words[k][0] in cfg[
            "not_metric"] or t.in_date(words[k][1], words[k][2])):
        k += 1
    i = bisect.bisect_left(t._starts, pcs)
    if k >= len(words) or (i < len(t._starts) and t._starts[i] < cs):
        return None         # (a figure of its own: its metric is previous_metric's)
    np = _np_right(t, words[k][1], cs - 1)
    if np and t.text.startswith("的", np[1]):     # 东道主的教练员: the head after 的
        np = _np_right(t, np[1] + 1, cs - 1) or np
    return _strip_owner(t, np)


def count_verb_after(t: _Text, f: _Fig, done: Sequence["_Fig"] = ()) -> tuple[int, int] | None:
    """A count with no noun that a verb phrase follows (1139家完成治理任务, 120余人使用): what
    the counted did is what the number is of."""
    cfg = t.cfg
    if f.rec.get("kind") != "count":
        return None
    w = _word_ending_at(t, f.start, t.clause_start(f.start))
    if w and w[0] in cfg["count_verb_not_after"]:
        return None     # 以４．５分并列第七: a means, not the doers
    ceil = t.clause_end(f.end)
    words = t.words_in(f.end, f.end, ceil)
    k = 0
    while k < len(words) and words[k][0] in cfg["count_verb_adverbs"]:
        k += 1
    if k >= len(words) or words[k][1] != (words[k - 1][2] if k else f.end) or not (
            words[k][3].startswith("v") and HAN_WORD.match(words[k][0])):
        return None
    if words[k][0] in cfg["copula_words"]:     # ９个是贫困县: what the counted are, a noun
        span = _np_right(t, words[k][2], ceil)  # phrase after the copula that ends in a head
        last = t.word_ending(span[1]) if span else None     # (not 是常有的事, 是所谓…: a
        return None if not last or last[3] in cfg["modifier_only_tags"] or t.text.startswith(
            "的", span[1]) else span                         # modifier, none)
    s = end = words[k][1]
    obj = False
    for word, ws, we, tag in words[k:]:
        noun = _is_noun(t, word, tag)
        if ws != end or we - s > cfg["metric_max_chars"] or not (tag.startswith("v") or noun) or (
                obj and not noun):
            break               # one verb phrase: a verb after its object starts the next
        obj = obj or (noun and end > s)
        end = we
    return (s, end)


def _one_char_noun(t: _Text, pos: int) -> bool:
    """The word at ``pos`` is a one-character noun ending its clause or followed by a verb
    (２００多台戏深入…, ８个省): not the first character of a longer phrase."""
    words = t.words(pos)
    k = next((i for i, w in enumerate(words) if w[1] == pos), None)
    if k is None or len(words[k][0]) != 1:
        return False
    if t.cfg["noun_gloss"].match(t.text, pos + 1):
        return True             # 县（市、区）: a noun whatever its tag (noun_gloss)
    if not words[k][3].startswith("n"):
        return False
    nxt = words[k + 1] if k + 1 < len(words) else None
    return nxt is None or nxt[0] in t.cfg["clause_end"] or not _is_noun(t, nxt[0], nxt[3])


def same_counter_metric(t: _Text, f: _Fig, done: list[_Fig]) -> tuple[int, int] | None:
    """A count with no noun of its own counts what the paragraph's last count with the same
    counter counted (四位九段棋手…。其中４位 -> 九段棋手)."""
    if f.rec.get("kind") != "count" or not f.rec.get("unit") or f.rec["unit"] in t.cfg["generic_counters"]:
        return None             # (个 counts anything: 五个方面…产业园2个)
    para = t.paragraph(f.start)
    for g in reversed(done):
        if t.paragraph(g.start) != para:
            break
        if g.metric and g.rec.get("kind") == "count" and g.rec.get("unit") == f.rec.get("unit"):
            return g.metric
    return None


def share_of(t: _Text, f: _Fig, done: list[_Fig]) -> tuple[int, int] | None:
    """X占Y的N%: the share is of X, the noun before 占 (出口占全市外贸的60% -> 出口), else the
    metric of the figure before it in the sentence (进出口1636亿美元，占外贸总值的50% -> 进出口).
    So too X完成/达到/实现Y的N% (a share of a target or a standard reached: 就业…完成省定任务的
    130% -> 就业, not 任务), and a clause that is only Y的N% right after such a share (，市定任务
    的127%: its list goes on)."""
    if f.rec.get("kind") not in t.cfg["share_kinds"]:
        return None
    cs = t.clause_start(f.start)
    m = t.cfg["share_cue"].search(t.text, cs, f.start) or _share_of_target(t, f, done)
    if not m:
        return None
    if m is True:
        return done[-1].metric          # (the list's figure before it: its metric, as found)
    span = _strip_owner(t, _np_left(t, m.start(), cs))
    if span:
        return span
    got = _previous_metric(t, f, done)    # the sentence's last metric (其中…占…的N%)
    return got[0] if got else None


def _share_of_target(t: _Text, f: _Fig, done: Sequence[_Fig] = ()):
    """Whether the figure is a share of a target or a standard (完成…的N%, its cue's match), or
    (True) the next item of such a list (，市定任务的127%: the figure before it in the sentence
    is one, in the clause right before)."""
    if f.rec.get("kind") not in t.cfg["share_kinds"]:
        return None
    cs = t.clause_start(f.start)
    m = next((m for m in t.cfg["share_target_cue"].finditer(t.text, cs, f.start) if t.cfg[
        "share_list_item"].fullmatch(t.text, m.end(), f.start)), None)     # (完成 Y的 N%)
    if m or not done or not t.cfg["share_list_item"].fullmatch(t.text, cs, f.start):
        return m
    g = done[-1]
    if g.metric is None or t.sentence(g.start)[0] != t.sentence(f.start)[0] or t.clause_end(
            g.end) + 1 != cs or not _share_of_target(t, g, done[:-1]):
        return None
    return True


def _standard_compared(t: _Text, f: _Fig):
    """The match of 高于/低于/超过 + a noun right before points (低于省控线0.8个百分点), its
    group 1 the standard or place compared with; None if there is none."""
    if f.rec.get("unit") not in t.cfg["standard_comparison_units"]:
        return None
    cs = t.clause_start(f.start)
    m = t.cfg["standard_comparison"].search(t.text, max(cs, f.start - 16), f.start)
    if not m or m.end() != f.start or t.dts.starting_in(m.start(1), m.end(1)):
        return None             # (超过去年…: a date is a basis_re's, not a standard)
    return m


def standard_comparison(t: _Text, f: _Fig, done: list[_Fig]) -> tuple[int, int] | None:
    """高于/低于/超过 + a noun + the figure (增速高于全省4.7个百分点, 低于省控线0.8个百分点) compares
    a metric with a standard or another place: the metric is the noun before the comparative
    (增速), else the sentence's last metric (失业率为3%，…，低于省控线…), never the standard;
    the standard is the basis (`_find_basis`) and no change is stated (`compared_no_change`)."""
    m = _standard_compared(t, f)
    if not m:
        return None
    span = _strip_owner(t, _np_left(t, m.start(), t.clause_start(f.start)))
    if span:
        return span
    got = _previous_metric(t, f, done)
    return got[0] if got else None


def share_attribute(t: _Text, f: _Fig, done: Sequence["_Fig"] = ()) -> tuple[int, int] | None:
    """A share in an attribute before 的 (占全市出口６０％的机电产品): the share is of the noun
    the attribute modifies, where no noun stands before 占."""
    if f.rec.get("kind") not in t.cfg["share_kinds"] or not t.text.startswith("的", f.end):
        return None
    cs = t.clause_start(f.start)
    m = t.cfg["share_cue"].search(t.text, cs, f.start)
    if not m or _np_left(t, m.start(), cs):
        return None
    return _strip_owner(t, _np_right(t, f.end + 1, t.clause_end(f.end)))


def unit_metric(t: _Text, f: _Fig, done: Sequence["_Fig"] = ()) -> tuple[int, int] | None:
    """A figure whose unit names what it measures (`unit_metric_words`: a score's 比分) takes
    that word where its clause prints it, the occurrence nearest the figure."""
    words = t.cfg["unit_metric_words"].get(f.rec.get("unit"))
    if words is None:
        return None
    s, e = t.clause_start(f.start), t.clause_end(f.end)
    at, unit = t.fig_at, f.rec.get("unit")
    while e + 1 < len(t.text) and t.text[e] == "、" and at.get(e + 1, {}).get("unit") == unit:
        e = t.clause_end(at[e + 1]["end"])      # a run of scores (６∶４、４∶６、６∶４的比分)
    best = None
    for m in words.finditer(t.text, s, e):
        d = f.start - m.end() if m.end() <= f.start else m.start() - f.end
        if d >= 0 and (best is None or d < best[0]):
            best = (d, m.span())
    return best[1] if best else None


def row_label(t: _Text, f: _Fig, done: Sequence["_Fig"] = ()) -> tuple[int, int] | None:
    """A row of a list or a table (面积：６２２９８４平方公里, １．出口：１０２亿美元, 粮食总产量
    ５２０万吨 on a line of its own): the label that opens the line, before a colon or a space
    right before the figure (`row_label`), is what the figure measures; after a space only where
    the figure ends the line (`row_end`); not a time word (去年：, `not_metric`)."""
    line = t.paragraph_starts[t.paragraph(f.start)]
    if f.start - line > t.cfg["row_label_max_chars"]:
        return None             # (the label, an item's number and a colon are short)
    m = t.cfg["row_label"].fullmatch(t.text, line, f.start)
    if not m or m.group("label") in t.cfg["not_metric"] or not (
            m.group("colon") or t.cfg["row_end"].match(t.text, f.end)):
        return None             # a heading's phrases apart (工程项目更加公开 四个地区成为试点)
    return m.span("label")


def _table_rows(t: _Text) -> dict[int, tuple[int, int] | None]:
    """The rows of the tables of the text, found in one pass on first use: a paragraph that holds
    two figures and spaces only (a label — a range often, no sum of money nor percent,
    `table_label_not_kinds` — and its value: １—１０千伏５米), in a run
    of such rows right below a line ending with `table_header` (…的边线延伸距离如下：), maps to
    what that line announces (a blank line may stand between rows)."""
    if t._table_rows is not None:
        return t._table_rows
    rows: dict[int, int] = {}     # row -> where its announcement starts
    starts, text, at = t.paragraph_starts, t.text, t.fig_at
    for m in t.cfg["table_header"].finditer(text):
        k = t.paragraph(m.start()) + 1
        while k < len(starts):
            a, b = starts[k], starts[k + 1] if k + 1 < len(starts) else len(text)
            i = bisect.bisect_left(t._starts, a)
            n, pos = 0, a
            while i + n < len(t._starts) and t._starts[i + n] < b and not text[
                    pos:t._starts[i + n]].strip():
                pos, n = max(pos, at[t._starts[i + n]]["end"]), n + 1
            if text[pos:b].strip() or n not in (0, 2):
                break
            if n == 2 and at[t._starts[i]].get("kind") in t.cfg["table_label_not_kinds"]:
                break           # (１２０亿元　８％: two values, no label)
            if n == 2:
                rows[k] = m.start()
            k += 1
    heads: dict[int, tuple[int, int] | None] = {}
    for h in set(rows.values()):
        span = _np_left(t, h, t.paragraph_starts[t.paragraph(h)], verbs=True)
        if span:            # (导线的边线延伸距离: the head after 的)
            span = (max(span[0], t.text.rfind("的", *span) + 1), span[1])
        heads[h] = _strip_owner(t, span)
    out = t._table_rows = {k: heads[h] for k, h in rows.items()}
    return out


def table_header(t: _Text, f: _Fig, done: Sequence["_Fig"] = ()) -> tuple[int, int] | None:
    """The value of a table's row — the second of two figures that fill a line (１—１０千伏５米)
    in the rows right below a line that ends announcing them (…导线的边线延伸距离如下：,
    `table_header`: 如下, 下表) — measures what that line announces."""
    if not t.cfg["row_end"].match(t.text, f.end):
        return None
    k = t.paragraph(f.start)
    rows = _table_rows(t)
    if k not in rows or bisect.bisect_left(t._starts, t.paragraph_starts[k]) + 1 != bisect.bisect_left(
            t._starts, f.start):
        return None             # (the row's first figure is its label)
    return rows[k]


def respective_metric(t: _Text, f: _Fig, done: Sequence["_Fig"] = ()) -> tuple[int, int] | None:
    """A list of figures after 分别 (…，这四项指标分别达到…的９７％、９４％、１００％和１００％;
    出口…，进口…，分别增长５％和３％) gives them in turn the metrics of the figures told before
    分别 in the sentence (since its last ；), in their order: as many as the list holds (not three told, two listed),
    of the list's kind and unit (money for money: not 职工２０００人 for 销售收入５亿元) unless the
    list is of percents (a change or a share of each); only where nothing but a basis and a link
    or change verb stands between 分别 and the list (分别有学生６０００人: the metric named there,
    `respective_gap`), or, before percents, the whole they are shares of (分别达到…标准的９７％…,
    `respective_share_gap`)."""
    cfg = t.cfg
    _, s, _ = t.sentence(f.start)
    p = t.text.rfind(cfg["respective_word"], s, f.start)
    if p < 0:
        return None
    i = bisect.bisect_right(t._starts, p)
    at = t.fig_at
    items = [t._starts[i]] if i < len(t._starts) else []
    while len(items) < len(t._starts) - i and cfg["respective_join"].fullmatch(
            t.text, at[items[-1]]["end"], t._starts[i + len(items)]):
        items.append(t._starts[i + len(items)])
    if len(items) < 2 or f.start not in items:
        return None
    gap = p + len(cfg["respective_word"])
    if not (cfg["respective_gap"].fullmatch(t.text, gap, items[0]) or (
            all(at[k].get("kind") in cfg["respective_any_kinds"] for k in items)
            and cfg["respective_share_gap"].fullmatch(t.text, gap, items[0]))):
        return None             # (分别实现销售收入５亿元和３亿元: the list's metric named after 分别)
    cs = t.clause_start(p)      # (not 这四项 of 这四项指标分别…: the clause's own)
    if not cfg["respective_lead"].fullmatch(t.text[cs:p].strip()):
        return None             # (商品零售价格指数和居民消费价格指数分别上涨…: named in the clause)
    run = max([s] + [t.text.rfind(c, s, cs) + 1 for c in cfg["respective_run_marks"]])
    before = [g for g in done if run <= g.start < cs]     # (the clauses since a ； before it)
    if len(before) != len(items) or not all(g.metric for g in before) or len(
            {g.metric for g in before}) < len(before):
        return None             # (产值…、利润…、税金…，分别增长５％和３％: which two? 进口８亿元，
                                # 增长３％，分别占…: one metric span twice, no parallel run)
    for g, k in zip(before, items):
        rec = at[k]
        if rec.get("kind") not in cfg["respective_any_kinds"] and (
                rec.get("kind"), rec.get("unit")) != (g.rec.get("kind"), g.rec.get("unit")):
            return None
    return before[items.index(f.start)].metric


def person_not_metric(t: _Text, f: _Fig, span: tuple[int, int]) -> bool:
    """A phrase before the figure that holds a person's name (男子特级大师王某３胜), or is a
    place's name and nothing else (日本平均每天有２６人…), names whose the figure is, not what it
    measures: an owner does not measure. So does a place's name that ends the phrase, right
    before the figure (其次是东道主日本１６６人, 全力攻坚贵州１７４万人越过温饱线: whose count,
    the words before it no noun of what is counted; `place_not_metric`)."""
    s, e = span
    ents = t.entities
    if e > f.start:         # (after the figure a name stands beside its class: ５０多岁的农民王某;
        return any(ents[j]["start"] == s and ents[j]["end"] == e   # a name alone is no metric:
                   and ents[j].get("label") in t.cfg["person_owner_labels"]  # ２０岁的塔纳苏加恩)
                   for j in t.ents.starting_in(s, s + 1))
    return any((ents[j]["end"] <= e and ents[j].get("label") in t.cfg["owner_labels"])
               or (ents[j]["end"] == e and ents[j].get("label") in t.cfg["place_labels"] and (
                   ents[j]["start"] == s or (e == f.start and not _governed(t, ents[j]["start"], s))))
               for j in t.ents.starting_in(s, e))


def _governed(t: _Text, pos: int, floor: int) -> bool:
    """Whether the word ending at ``pos`` (after ``floor``) is a verb or a preposition, whose
    object the name after it is (距太原市９０公里, 访问日本３次: the metric names the place): a word
    so tagged, or one character (距, 离, 赴: jieba tags 距 a noun; a title before a name in
    apposition, 东道主日本, 邻国韩国, has two or more)."""
    w = _word_ending_at(t, pos, floor)
    return bool(w and (len(w[0]) == 1 or w[3].startswith(t.cfg["person_governing_tags"])))


METRIC_FILTER_RULES = (person_not_metric,)     # a metric found, then dropped


METRIC_RULES = (unit_metric, row_label, table_header, respective_metric, share_attribute, share_of, standard_comparison, relative_after, quoted_after, attributive_after, owner_class_change, noun_before, plan_noun_verb, verb_before_money, nominal_verb_before,
                shared_head, previous_metric, link_clause_topic,
                count_verb_after,
                same_counter_metric)


# --------------------------------------------------------------------------- SUBJECT_RULES

Subject = tuple[str, "int | None"]
Owner = tuple[int, int, str, "int | None"]   # start, end, name, entity index


def _owner_floor(t: _Text, s: int, pos: int) -> int:
    """Where owners of a figure at ``pos`` may start in its sentence (from ``s``): after a
    dateline, after a speaker's colon, after clauses that open with an aside (为…, 据…)."""
    key = (s, pos)
    if key in t._floors:
        return t._floors[key]
    t._floors[key] = lo = _floor(t, s, pos)
    return lo


def _floor(t: _Text, s: int, pos: int) -> int:
    cfg = t.cfg
    lo = s
    m = cfg["dateline"].match(t.text, lo, pos)
    if m:
        lo = m.end()
    colon = max(t.text.rfind("：", lo, pos), t.text.rfind(":", lo, pos))
    if colon >= 0 and _may_match(t, cfg["speech_colon"], lo, pos):     # (it needs a colon)
        for m in cfg["speech_colon"].finditer(t.text, lo, pos):
            lo = m.end()
        colon = max(t.text.rfind("：", lo, pos), t.text.rfind(":", lo, pos))
    if colon >= 0:
        lo = colon + 1          # what follows a colon is said of its own owners
    while cfg["aside_openers"].match(t.text, lo):
        end = min([i for i in (t.text.find(c, lo, pos) for c in "，,") if i >= 0] or [pos])
        if end >= pos or t.figure_starts_in(lo, end):
            break               # 在淮河流域1562家污染企业中，: a set with its figures, no aside
        lo = end + 1
    return lo


def _home_in_text(t: _Text, part: str, pos: int) -> tuple[str, int] | None:
    """The nearest place of ``part``'s level named before ``pos`` (for a paper with no home)."""
    want = t.cfg["home_levels"].get(part)
    if not want:
        return None
    for j in range(len(t.entities) - 1, -1, -1):
        ent = t.entities[j]
        if ent["end"] > pos or ent.get("label") != "LOC":
            continue
        name = ent.get("canonical") or ent.get("text") or t.text[ent["start"]:ent["end"]]
        level = ent.get("level")
        suffixed = name.endswith(tuple(want["suffix"]))
        if want.get("suffix_required"):     # 全区: a district or an autonomous region
            if suffixed and (level is None or level in want["level"]):
                return name, j
        elif level == want["level"] or (level is None and suffixed):
            return name, j
    return None


def _home_name(t: _Text, part: str, pos: int) -> tuple[str | None, int | None]:
    """The place a home word of level ``part`` at ``pos`` names (我国 -> 中国; 全省 -> the paper's
    home's province), else the place of that level the text named last (its entity's index);
    (None, None) if neither."""
    if part == "country":
        return t.cfg["country_name"], None
    name, want = None, t.cfg["home_levels"].get(part, {})
    if t.home and part in ("province", "city"):
        name = names.home_region_name(t.home, part)
    elif t.home and want.get("division"):   # 自治区: the home province, if one
        name = names.home_region_name(t.home, want["division"])
        if name and not name.endswith(tuple(want["suffix"])):
            name = None
    elif t.home:                # 我县, 全区: the home's county-level division of that kind
        name = names.home_region_name(t.home, "county", tuple(want["suffix"]))
        if name is None and want.get("home_division"):     # 全区 in a region's paper: the region
            name = names.home_region_name(t.home, want["home_division"])
            if name and not name.endswith(tuple(want["home_division_suffix"])):
                name = None
    if name is None:
        got = _home_in_text(t, part, pos)
        if got:
            return got
    return name, None


def _home_word_at(t: _Text, m) -> bool:
    """A home word match stands as a word of its own: it starts a word of the sentence and no
    name starts before it and runs over it (广西壮族自治区, 安全区: no 自治区, no 全区)."""
    if m.start() not in t.word_edges(m.start())[0]:
        return False
    return not any(t.entities[j]["start"] < m.start() < t.entities[j]["end"]
                   for j in t.ents.overlapping(m.start(), m.end()))


def home_word(t: _Text, f: _Fig, lo: int) -> list[Owner]:
    """全省/我省, 全市/我市, 全县, 我国: the paper's home, else the place of that level the text
    named last; 全国 where it opens the figure's own metric."""
    cfg = t.cfg
    out = []
    for m in cfg["home_re"].finditer(t.text, lo, f.start):
        if not _home_word_at(t, m):
            continue
        part = cfg["home_words"][m.group()]
        ent = next((j for j in t.ents.overlapping(m.start(), m.end())
                    if t.entities[j]["start"] <= m.start() and t.entities[j]["end"] >= m.end()), None)
        name, named = _home_name(t, part, m.start())
        if named is not None:
            ent = named
        if name is None and cfg["home_levels"].get(part, {}).get("suffix_required"):
            continue            # (自治区, 全区 where no such place is home or named: none)
        out.append((m.start(), m.end(), name or m.group(), ent))
    if f.metric:                # 世界旅游总收入, 全球跨国旅游人数: the world's, where it opens the metric
        k = f.metric[0] - 2
        m = cfg["world_re"].match(t.text, max(lo, k), f.metric[0]) if k >= lo else None
        if m and m.end() == f.metric[0]:
            out.append((m.start(), m.end(), m.group(), None))
    if not t.home:              # a national paper's 全国 is its country, like 我国
        for w in cfg["country_at_metric"]:
            k = t.text.find(w, lo, f.start)
            while k >= 0:
                out.append((k, k + len(w), cfg["country_name"], None))
                k = t.text.find(w, k + len(w), f.start)
    elif f.metric:              # 全国 opening the noun phrase of the metric (全国城镇就业人员)
        cs = max(lo, t.clause_start(f.metric[0]))
        for w in cfg["country_at_metric"]:
            k = t.text.rfind(w, cs, f.metric[0])
            if k >= 0 and HAN_WORD.match(t.text[k:f.metric[0]]) and all(
                    _is_noun(t, x[0], x[3]) or x[3].startswith("v") for x in t.words(k)
                    if k + len(w) <= x[1] and x[2] <= f.metric[0]) and \
                    f.metric[0] - k - len(w) <= cfg["metric_max_chars"]:
                out.append((k, k + len(w), cfg["country_name"], None))
    return [_scoped_set(t, f, o) for o in out]


def _scoped_set(t: _Text, f: _Fig, o: Owner) -> Owner:
    """A home or country word that opens a noun phrase naming the markets that set a price
    (全国农产品批发市场猪肉平均价格, 全市农贸市场…零售价格: ``scoped_set_heads``) gives a price or
    an index there (the figure's metric ends with a ``scoped_set_measures`` word, or its unit is
    money per unit, 元/公斤) to those markets, the home word resolved as the owner is (全市 → the
    paper's home city: 太原市农贸市场; 全国 in a paper with no home → 中国农产品批发市场); not any
    other figure (全市房地产市场成交金额, 我市劳动力市场…月薪: the place's); else the owner as it is."""
    cfg = t.cfg
    if not cfg["scoped_set_re"].search(t.text, o[1], f.start) or not _price_figure(t, f):
        return o
    got, pos = None, o[1]
    for word, ws, we, tag in t.words_in(o[1], o[1], f.start):
        if ws != pos:
            break
        pos = we
        if not HAN_WORD.match(word) or not (tag in cfg["topic_tags"] or tag in cfg["modifier_only_tags"]):
            break
        if word.endswith(cfg["scoped_set_heads"]):
            got = we
    return (o[0], got, o[2] + t.text[o[1]:got], None) if got else o


def _price_figure(t: _Text, f: _Fig) -> bool:
    """A price or an index: the figure's metric ends with a ``scoped_set_measures`` word
    (平均价格, 批发价格指数) or its unit is money per unit (元/公斤)."""
    if f.metric and t.text[f.metric[0]:f.metric[1]].endswith(t.cfg["scoped_set_measures"]):
        return True
    return f.rec.get("kind") == "money" and "/" in (f.rec.get("unit") or "")


def entity_in_sentence(t: _Text, f: _Fig, lo: int) -> list[Owner]:
    out = []
    for j in t.ents.starting_in(lo, f.start):
        ent = t.entities[j]
        if ent["end"] <= f.start and ent.get("label") in t.cfg["entity_labels"]:
            if f.metric and ent["start"] >= f.metric[0] and ent["end"] <= f.metric[1]:
                continue
            out.append((ent["start"], ent["end"], ent.get("text") or t.text[ent["start"]:ent["end"]], j))
    return out


def _project_spans(t: _Text, pos: int, lo: int) -> list[tuple[int, int]]:
    """Every noun phrase ending with a project word in the sentence of ``pos`` from ``lo``
    on, in order (computed once per sentence and floor)."""
    key = (t.sentence(pos)[0], lo)
    if key in t._projects:
        return t._projects[key]
    cfg = t.cfg
    words = t.words_in(pos, lo)
    out = []
    # (only the words ending with a project or body word's last character can end one: those
    # of the sentence found once, the ones from lo on read here)
    cands, starts = _project_candidates(t, pos)
    for word, ws, we, tag in cands[bisect.bisect_left(starts, lo):]:
        # the project word may span words (专业 + 镇)
        m = cfg["owner_word_re"].search(t.text, max(lo, we - 4), we)
        if not m or not (_is_noun(t, word, tag) or len(word) == 1):
            continue
        if m.start() == ws + 1 and word not in segmenter.default().tags and segmenter.default().tags.get(
                t.text[ws]) == "v":
            continue            # 设|镇 glued into a word of no dictionary (本届运动会设镇街团): a
            #                     one-character verb and its object, no name ending with a body word —
            #                     a noun phrase does not run over a verb (导线, 专线: words of the
            #                     dictionary; 建设|项目, 排水|工程: a verb-noun inside a name, kept)
        body = m.lastgroup == "body"
        # a verb inside a project's name (跑道延长工程), none inside a body's (省科协联合省教育厅)
        span = _np_left(t, we, lo, cfg["subject_max_chars"], joins=False, verbs=not body,
                        lead_tags=cfg["owner_lead_tags"] if body else frozenset())
        if span:                 # a verb inside a name (跑道延长工程), not before it (实施…专业镇),
            # nor a verb phrase (文化馆深入开展|文化惠民工程: the name starts after it)
            inner = t.words_in(pos, span[0], span[1])
            cut = [n for n, w in enumerate(inner) if w[3] == "vd"]
            if cut:
                inner = inner[cut[-1] + 1:]
            while inner and inner[0][3].startswith("v") and inner[0][3] != "vn":
                inner.pop(0)
            span = (inner[0][1], span[1]) if inner else None
        if span:
            span = _head_of(t, span, words)
        if not span or span[1] - span[0] < 3 or any(     # 该校, 这条铁路: a reference
                cfg["demonstrative"].match(t.text, x) for x in range(max(lo, span[0] - 2), span[0] + 1)):
            continue
        out.append(span)
    t._projects[key] = out
    return out


def _project_candidates(t: _Text, pos: int) -> tuple[list, list[int]]:
    """The words of the sentence holding ``pos`` whose last character is one a project or body
    word ends with (``owner_word_last``), in order, and their starts (once per sentence)."""
    key = ("project_candidates", bisect.bisect_right(t.sentence_starts, pos) - 1)
    got = t._memo.get(key)
    if got is None:
        last = t.cfg["owner_word_last"]
        cands = [w for w in t.words(pos) if w[0][-1] in last]
        got = t._memo[key] = (cands, [w[1] for w in cands])
    return got


def _head_of(t: _Text, span: tuple[int, int], words: list) -> tuple[int, int] | None:
    """A noun phrase does not open with the tail of a number or date (１９９７年国有企业 ->
    国有企业): the words glued to a digit, or inside a date or figure row, are dropped."""
    s, e = span
    # past every date and figure that starts before e and ends after s: the furthest end of
    # those starting before e (by bisection)
    for starts, reach in ((t.dts.starts, t.dts.reach), (t._fig_starts, t._fig_reach)):
        n = bisect.bisect_left(starts, e)
        if n:
            s = max(s, reach[n - 1])
    while s < e and s > 0 and t.text[s - 1].isdigit():
        nxt = next((w[2] for w in words if w[1] == s), None)
        if nxt is None or nxt >= e:
            return None
        s = nxt
    return (s, e) if e - s >= 2 else None


def project_noun(t: _Text, f: _Fig, lo: int) -> list[Owner]:
    """Noun phrases ending with a project word before the figure; one that runs on into a
    later one (河北省重点建设项目石家庄机场跑道延长工程) is taken whole."""
    out: list[Owner] = []
    for span in _project_spans(t, f.start, lo):
        if span[1] > f.start:
            break
        if f.metric and span[0] >= f.metric[0]:
            continue
        if out and span[0] <= out[-1][1]:
            out[-1] = (min(out[-1][0], span[0]), span[1], t.text[min(out[-1][0], span[0]):span[1]], None)
        else:
            out.append((span[0], span[1], t.text[span[0]:span[1]], None))
    return out


def size_owner(t: _Text, f: _Fig, lo: int) -> list[Owner]:
    """跑道全长 -> 跑道; 总投资24.7亿元的生产线 -> 生产线; not a share's whole (回收利用２５％的
    城市垃圾, １０％的目标: a percentage of X is part of X, X owns nothing)."""
    if f.owner and (f.owner[0] >= lo or f.owner[0] > f.start) and not (
            f.owner[0] > f.start and f.rec.get("unit") in t.cfg["share_units"]):
        s, e = f.owner
        while s < e and t.text[s] in "的":
            s += 1
        de = t.text.find("的", s, e)
        if de >= 0:                  # 新建的滨江大道 -> 滨江大道
            s = de + 1
        if s < e:
            return [(s, e, t.text[s:e], _entity_at(t, s, e))]
    return []


def _topic(t: _Text, f: _Fig, lo: int, starts: tuple | None = None,
           tags: set | None = None) -> list[Owner]:
    """The noun phrase opening the sentence (after its asides) or the figure's clause, after a
    date or time word, owns the figures after it (印尼盾对美元的比价跌到…, 基金年度经费由600万元…,
    莫伊在5个省获得了25%的选票); cut where the figure's metric starts, none if it is the metric."""
    cfg = t.cfg
    out, late = [], []
    for cs in starts or dict.fromkeys((lo, max(lo, t.clause_start(f.start)))):
        words = t.words_in(cs, cs, f.start)
        i = 0
        comma = skipped = False
        while i < len(words) and (words[i][0].isspace() or (
                words[i][0] in cfg["topic_skip_words"] and any(True for _ in t.ents.starting_in(
                    words[i][2], words[i][2] + 1))) or (
                words[i][3] in cfg["topic_skip_tags"] and not (comma and words[i][3] in cfg["aside_tags"])) or t.in_date(
                words[i][1], words[i][2]) or (
                i and not comma and words[i][0] in cfg["topic_after_time"])):
            # (１９９７年，工商银行…: the comma after a fronted time too, not an aside after it:
            # 今年，因市场…)
            comma = comma or words[i][0] in cfg["topic_after_time"]
            skipped = skipped or words[i][0] in cfg["topic_skip_words"]
            i += 1
        if i >= len(words) or words[i][0][0] in cfg["numeral_chars"]:
            continue            # 两市, 三方: a reference by number, not a name
        start = end = words[i][1]
        j = i
        if words[i][0] in cfg["topic_quotes"]:      # “新党和平”共有…: a quoted name
            close = t.text.find(cfg["topic_quotes"][words[i][0]], words[i][2],
                                words[i][2] + cfg["topic_quote_max_chars"])
            if close > words[i][2] + 1 and close < f.start and _verb_follows(t, close + 1, f):
                out.append((words[i][2], close, t.text[words[i][2]:close], None))
            continue
        stopped = False
        for n, (word, ws, we, tag) in enumerate(words[i:], i):
            if ws > start and word in cfg["topic_stop"]:
                stopped = True
                break           # 基金年度经费: the time word starts the metric
            nxt = words[n + 1] if n + 1 < len(words) else None
            lead = (tag in cfg["topic_lead_tags"] and nxt is not None and nxt[1] == we
                    and nxt[3] in (tags or cfg["topic_tags"]))      # 救灾|部队: a verb-noun before a noun
            if ws != end or word in cfg["not_metric"] or word in cfg["not_topic"] or not HAN_WORD.match(word) or not (
                    lead or tag in (tags or cfg["topic_tags"]) or (tag == "x" and cfg["unknown_is_noun"] and not tags)):
                break
            end = we
            j += 1
        # in subject position: a verb or a preposition follows (印尼盾对美元…, 莫伊在…, 基金共资助…)
        # (any adverb after a name or an owner noun, a body or a project: 图书馆始终…, 公司一直…;
        # whether it is one asked only when such an adverb follows)
        owner_like = None
        while j < len(words) and not stopped:
            if words[j][0] not in cfg["link_adverbs"]:
                if words[j][3] not in cfg["subject_adverb_tags"]:
                    break
                if owner_like is None:
                    owner_like = _entity_at(t, start, end) is not None or bool(
                        cfg["owner_word_re"].search(t.text, start, end))
                if not owner_like:
                    break
            j += 1
        if j < len(words) and not (stopped or words[j][3].startswith(cfg["subject_position_tags"]) or (
                f.metric and words[j][1] == f.metric[0])):
            continue
        if f.metric and f.metric[0] <= start:
            continue
        if f.metric and start < f.metric[0] < end:
            end = f.metric[0]
        if end - start < 2 or end > f.start or t.figure_overlaps(start, end):
            continue
        if skipped and cs < t.clause_start(f.start):    # (其中财产险…，…；人身险保费收入389亿元: a
            late.append((start, end, t.text[start:end], _entity_at(t, start, end)))  # later
            continue                                     # clause's own topic first)
        out.append((start, end, t.text[start:end], _entity_at(t, start, end)))
    return out + late


def _entity_at(t: _Text, s: int, e: int) -> int | None:
    return t._ent_at.get((s, e))


OWNER_RULES = (home_word, entity_in_sentence, project_noun, size_owner)


def object_not_owner(t: _Text, f: _Fig, o: "Owner") -> bool:
    """Keep an owner unless it is the object of a verb of its clause (举办了山西…活动: 山西 owns
    nothing); a verb that ends in 的 before it describes it (改造而成的方舱医院) and does not count."""
    cs = t.clause_start(o[0])
    if t.text[o[1]:f.start] in ("", "的") and t.cfg["home_re"].match(t.text, o[0]) and not any(
            _is_noun(t, w[0], w[3]) for w in t.words_in(cs, cs, o[0])):
        return True     # (将改造全县32所学校, no subject before the verb: a home word glued
        #                 before the count is whose it is; 污水处理中心管理着全市35座泵站: the subject's)
    key = ("verbs", bisect.bisect_right(t.sentence_starts, o[0]) - 1)
    verbs = t._memo.get(key)
    if verbs is None:           # the sentence's verbs (start, end), found once: the last before
        got = [w for w in t.words(o[0])     # the owner by bisection, not a scan per owner
               if w[3].startswith("v") and w[3] != "vn" and len(w[0]) > 1]
        verbs = t._memo[key] = ([w[1] for w in got], [w[2] for w in got])
    k = bisect.bisect_right(verbs[1], o[0]) - 1
    verb_end = verbs[1][k] if k >= 0 and verbs[0][k] >= cs else None
    # (…进行分析后，发现美国的企业兼并案最多: the verb that ends a report's frame is what was
    # found, its object the owner)
    return verb_end is None or "的" in t.text[verb_end:o[0]] or any(
        b == verb_end for _, b in _report_frames(t, o[0]))


def report_source_not_owner(t: _Text, f: _Fig, o: "Owner") -> bool:
    """Keep an owner unless it is the source of a report (记者从海关总署获悉, 据邮电部统计,
    国家统计局局长说，): what is reported is not the source's."""
    return not any(a <= o[0] and o[1] <= b for a, b in _report_frames(t, o[0]))


def _report_frames(t: _Text, pos: int) -> list[tuple[int, int]]:
    """The spans of the report frames (``report_frames``) that open a clause of the sentence of
    ``pos`` at or before it (read as far as asked, once per sentence)."""
    k, s, e = t.sentence(pos)
    got = t._frames.get(k)
    if got is None:             # the sentence's clause starts, found once, and the frames that
        # can match in it (each needs characters the sentence may lack: _may_match); none, no
        # clause start to read
        pats = [p for p in t.cfg["report_frames"] if _may_match(t, p, s, e)]
        got = t._frames[k] = ([s] + [m.end() for m in t.cfg["clause_end_re"].finditer(t.text, s, e)]
                              if pats else [], [0], [], pats)
    starts, read, frames, pats = got
    # a frame opening a clause, matched once per clause start; a frame starts at its clause's
    # start, so only those opening at or before the owner can hold it: the clause starts are
    # read as far as the owners asked so far
    if read[0] < len(starts) and starts[read[0]] <= pos:
        n = read[0]
        while n < len(starts) and starts[n] <= pos:
            frames.extend(m.span() for pat in pats if (m := pat.match(t.text, starts[n], e)))
            n += 1
        read[0] = n
    return frames


def listed_not_owner(t: _Text, f: _Fig, o: "Owner") -> bool:
    """Keep an owner unless it is one of the names a count right after them counts
    (南京、福州、徐州9个机场: the cities are the airports, not their owner)."""
    if f.rec.get("kind") != "count":
        return True
    between = t.text[o[1]:f.start]
    if not t.cfg["listed"].fullmatch(between):
        return True
    before = t.text[max(0, o[0] - 1):o[0]]
    return not (t.cfg["list_marks"].search(between) or t.cfg["list_marks"].fullmatch(before))


def metric_modifier(t: _Text, f: _Fig, o: "Owner") -> bool:
    """Keep an owner unless it is a bare common noun or verbal noun glued before the figure's
    metric (企业|研发经费, 进口|环节税), no extracted entity, no home or world word (企业研发经费增长15.5%: 企业 says whose kind of 经费 it is, not
    whose figure — the owner of the sentence before, in the paragraph, carries on)."""
    if o[3] is not None or not f.metric or o[1] != f.metric[0]:
        return True
    cfg = t.cfg
    if o[2] != t.text[o[0]:o[1]] or cfg["home_re"].match(t.text, o[0]) or cfg["world_re"].match(
            t.text, o[0]):
        return True             # (a resolved home word: 全国 -> 中国)
    words = t.words_in(o[0], o[0], o[1])
    if not (len(words) == 1 and words[0][3] in cfg["modifier_noun_tags"]):
        return True
    k, s, _ = t.sentence(f.start)
    return _previous(t, k, s) is None   # (国有企业利润增长8%, told first: the class is all there is)


def source_not_owner(t: _Text, f: _Fig, o: "Owner") -> bool:
    """Keep an owner unless a preposition of where from or where to opens the names it is
    one of (从日本、澳大利亚等国组织了…货源, 向全国２０余家商场输出): a source or a recipient
    owns nothing of the clause."""
    if f.start - o[1] <= 1 and t.text[o[1]:f.start] in ("", "的"):
        return True     # (向全市５.８万名退伍军人, 从北京市１８个区县: whose the count is)
    if not report_source_not_owner(t, f, o):
        return True     # (记者从…获悉: a report's source, which that rule weighs)
    cfg = t.cfg
    after = t.words_in(o[1], o[1], f.start)
    k = 0
    while k < len(after) and after[k][1] == (after[k - 1][2] if k else o[1]) and (
            after[k][3].startswith("v") or after[k][0] in cfg["verb_complements"]):
        k += 1
    if k and k < len(after) and after[k][0] == "的" and after[k][1] == after[k - 1][2]:
        return True     # (从天津港运出的煤炭: a relative clause naming the thing by its source)
    # (from the sentence's start: a list's 、 may open a clause)
    for word, ws, we, tag in reversed(t.words_in(o[0] - 1, t.sentence(o[0])[1], o[0])):
        if word in cfg["source_prepositions"]:
            return False
        if not (word in cfg["list_words"] or tag in cfg["name_tags"]
                or t.ents.overlapping(ws, we)):
            return True
    return True


def measure_not_owner(t: _Text, f: _Fig, o: "Owner") -> bool:
    """Keep an owner unless it is no extracted entity and names a measure, not a thing — it ends
    with a word of ``measure_heads`` (“钢材综合价格指数”为98.6点, 铁矿石进口价格区间…,
    增幅比上年高…): what is measured owns nothing; the owner rules after it, or the sentence
    before's, say whose."""
    return o[3] is not None or not o[2].endswith(t.cfg["measure_heads"])


def title_part_not_owner(t: _Text, f: _Fig, o: "Owner") -> bool:
    """Keep an owner unless it lies inside a title in book marks (《舌尖上的山西》带动…, 《太行山上》
    在…巡演): a place or a body in a work's name is part of the name, not whose the figure is."""
    cfg = t.cfg
    n = cfg["work_title_chars"] + 2         # (a title's longest match, marks included)
    return not any(m.start() < o[0] and o[1] < m.end() for m in cfg["work_title"].finditer(
        t.text, max(0, o[0] - n), min(len(t.text), o[1] + n)))


def standard_not_owner(t: _Text, f: _Fig, o: "Owner") -> bool:
    """Keep an owner unless it lies inside the standard the figure is measured against, the Y of
    its clause's comparison (高于全省0.4个百分点, 低于全国平均水平…) or of its share (达到全年计划的
    86%, then 岳阳市年度目标的92%, 占全县耕地面积的40%): ``standard_compare``/``standard_share`` read
    over the figure's clause up to the figure (_standard_at); the standard owns nothing."""
    y = _standard_span(t, f)
    return y is None or not (y[0] <= o[0] and o[1] <= y[1])


def _standard_span(t: _Text, f: _Fig) -> tuple[int, int] | None:
    return _standard_at(t, f.start, f.rec.get("kind"))


def _standard_at(t: _Text, start: int, kind: str | None) -> tuple[int, int] | None:
    """The span of the standard Y the figure at ``start`` is measured against, in its clause (see
    standard_not_owner); memoised, with whether it is a share of a target (``("target", start)``)."""
    key = ("standard", start)
    if key not in t._memo:
        ss = t.sentence(start)[1]
        cs = _comma_start(t, ss, start)
        text = t.text[cs:start].rstrip()
        cfg, got, target = t.cfg, None, False
        m = next(reversed(list(cfg["standard_compare"].finditer(text))), None)
        if m and 0 < len(text) - m.end() <= cfg["standard_max_chars"] and not cfg["clause_end_re"].search(
                text, m.end()):
            got = (cs + m.end(), cs + len(text))        # 高于全省|1.2个百分点
        elif text.endswith("的") and kind in cfg["share_kinds"]:
            m = next(reversed(list(cfg["standard_share"].finditer(text))), None)
            a = m.end() if m else 0
            if 0 < len(text) - 1 - a <= cfg["standard_max_chars"] and (m or (all(
                    _is_noun(t, w[0], w[3]) for w in t.words_in(cs, cs, cs + len(text) - 1))
                    and _after_target_share(t, ss, cs))):
                got = (cs + a, cs + len(text) - 1)      # 达到|全年计划|的86%
                target = bool(cfg["standard_share_target"].search(text)) or not m
        t._memo[key] = got
        t._memo[("target", start)] = target
    return t._memo[key]


def _after_target_share(t: _Text, ss: int, cs: int) -> bool:
    """The clause before ``cs`` (in the sentence from ``ss``) ends with a share of a target,
    ``standard_share_target`` …的N% (达到全年计划的86%), or a list item after one: a verb-less
    Y的N% (全市下达任务的92%) continues such a list; after anything else Y is its owner
    (日本的失业率为3.5%，美国的4.7%: 美国's)."""
    if cs <= ss:
        return False
    i = bisect.bisect_left(t._starts, cs) - 1
    if i < 0 or t._starts[i] < ss:
        return False
    g = next(g for g in t.figures if g["start"] == t._starts[i])
    if g["end"] > cs or t.text[g["end"]:cs].strip("，,；; ") or _standard_at(t, g["start"], g.get("kind")) is None:
        return False
    return t._memo[("target", g["start"])]


def _comma_start(t: _Text, ss: int, pos: int) -> int:
    """Where the clause holding ``pos`` starts, by commas and semicolons, not before ``ss``."""
    return max([t.text.rfind(c, ss, pos) + 1 for c in t.cfg["clause_owner_after"]] + [ss])


def home_in_clause(t: _Text, f: _Fig, o: "Owner") -> bool:
    """Keep an owner unless it is no extracted entity and no home word, stands before the
    figure's clause, and a home word (全区, 我县, 全自治区) stands in that clause before the figure,
    not in the standard it is compared with nor as a verb's object (守牢“耕地红线”，…，今年全县
    粮食播种面积稳定在35万亩: 全县's, not the slogan's); a clause opened by 其中 is read
    with the one before it."""
    if o[3] is not None or o[1] > f.start or t.cfg["home_re"].match(t.text, o[0]):
        return True
    # the clause by commas and semicolons (a list's 、 does not end it), in the sentence; a
    # clause opened by 其中 (topic_skip_words) is a part of the one before: from its start
    ss = t.sentence(f.start)[1]
    cs = _comma_start(t, ss, f.start)
    while cs > ss and t.text.startswith(tuple(t.cfg["topic_skip_words"]), cs):
        cs = _comma_start(t, ss, cs - 1)
    if o[0] >= cs:
        return True             # (污水处理中心管理着全市35座泵站: the clause's own subject)
    y = _standard_span(t, f)
    return not any(_home_word_at(t, m) and not (y and y[0] <= m.start() < y[1])
                   and object_not_owner(t, f, (m.start(), m.end(), m.group(), None))
                   and not _after_verb(t, m.start(), f)
                   for m in t.cfg["home_re"].finditer(t.text, max(cs, o[1]), f.start))


def _after_verb(t: _Text, pos: int, f: _Fig) -> bool:
    """A verb (any length: 来我国投资) ends right at ``pos``, and the home word there is not
    glued before the figure (改造全县32所: whose the count is)."""
    w = t.word_ending(pos)
    if not (w and w[3].startswith("v") and w[3] != "vn"):
        return False
    m = t.cfg["home_re"].match(t.text, pos)
    return not (m and t.text[m.end():f.start] in ("", "的"))


OWNER_FILTER_RULES = (object_not_owner, report_source_not_owner, listed_not_owner, metric_modifier,
                      source_not_owner, measure_not_owner, title_part_not_owner, standard_not_owner,
                      home_in_clause)


def _owner(t: _Text, f: _Fig, s: int) -> Subject | None:
    """The sentence's first owner before the figure; an owner inside a longer one is part of
    it, and one that only modifies a later owner of its clause (会展中心改造而成的方舱医院) gives way."""
    lo = _owner_floor(t, s, f.start)
    owners = []
    for rule in OWNER_RULES:
        got = rule(t, f, lo)
        if got and rule.__name__ == "size_owner":   # named by the figure's own phrase
            return (got[0][2], got[0][3])           # (跑道全长, 24.7亿元的生产线)
        owners += got
    if not owners:
        return None
    # 29项收费项目: what a figure counts owns nothing
    # (a figure ending at o[0] or o[0] + 1, looked up by its end)
    ending = t._figs_ending
    owners = [o for o in owners if not any(g["start"] < o[1] and g is not f.rec
                                           for e in (o[0], o[0] + 1) for g in ending.get(e, ()))]
    kept_all = [o for o in owners if all(keep(t, f, o) for keep in OWNER_FILTER_RULES)]
    # a report's source owns the figures where the sentence names no one else
    # (记者从太原理工大学获悉，…该校共有10人)
    owners = kept_all or [o for o in owners if all(
        keep(t, f, o) for keep in OWNER_FILTER_RULES if keep is not report_source_not_owner)]
    if not owners:
        return None
    owners.sort(key=lambda o: (o[0], -o[1]))
    kept: list[Owner] = []
    for o in owners:
        if kept and o[0] < kept[-1][1]:     # inside (or overlapping) the one before
            if kept[-1][3] is None and o[3] is not None and o[0] == kept[-1][0] and o[1] == kept[-1][1]:
                kept[-1] = o
            continue
        kept.append(o)
    first = kept[0]
    for nxt in kept[1:]:
        between = t.text[first[1]:nxt[0]]
        if ("的" in between and not set(between) & t.cfg["clause_end"]) or (
                not between and first[3] is None and nxt[3] is not None):
            first = nxt         # (本届奥运会|中国体育代表团: a noun glued before a name modifies it)
        else:
            break
    return (first[2], first[3])


def _demonstrative(t: _Text, f: _Fig, k: int, s: int):
    """The 该/这/此 + noun of the figure's sentence that stands in subject position, with the
    sentence before it that has words; (None, 0) if none (once per figure: two rules read it)."""
    key = ("demonstrative", f.start)
    if key not in t._memo:
        t._memo[key] = _find_demonstrative(t, f, k, s)
    return t._memo[key]


def _find_demonstrative(t: _Text, f: _Fig, k: int, s: int):
    if k < 1 or not _may_match(t, t.cfg["demonstrative"], s, f.start):
        return None, 0          # (no 该/这/此 in the sentence before the figure: the floor is in it)
    lo = _owner_floor(t, s, f.start)
    m = t.cfg["demonstrative"].search(t.text, lo, f.start)
    if not m or k < 1 or t.cfg["home_re"].search(t.text, m.end(), f.start):
        return None, 0          # 这是…，全市有17个: the home word nearer the figure owns it
    cs = t.clause_start(m.start())
    if any(w[3].startswith("v") and (w[3] != "vn" or t.text.startswith(t.cfg["aspect_marks"], w[2]))
           for w in t.words_in(m.start(), cs, m.start())):
        return None, 0          # 长野冬奥会创造这些纪录…: the object of a verb, no subject
    back = k - 1               # the sentence before that has words (not the blank one at a break)
    while back > 0 and not t.text[t.sentence_starts[back]:t.sentence_starts[back + 1]].strip():
        back -= 1
    return m, back


def _classified_antecedent(t: _Text, f: _Fig, k: int, s: int, batch: bool) -> Subject | None:
    """A demonstrative with a classifier (这批年货, 此项工程) stands for its noun as the sentences
    before named it, even bare; ``batch``: only a batch classifier's (batch_classifiers), else
    only another's."""
    m, back = _demonstrative(t, f, k, s)
    if m is None:
        return None
    classifier = t.text[m.start() + 1:m.start(1)]
    if not classifier or (classifier in t.cfg["batch_classifiers"]) != batch:
        return None
    noun = m.group(1)
    return _antecedent(t, back, (noun,), len(noun))


def batch_antecedent(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    """这批/这类/这些 + a noun stands for that noun as the sentences before named it, even bare
    (运送年货。这批年货包括… -> 年货); the batch goes on the report before it (its period
    carries: carry_period_after)."""
    return _classified_antecedent(t, f, k, s, True)


def classifier_antecedent(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    """此项/这个/该座 + a noun: one thing, named as the sentences before named it (自制了轨道装卸
    平台。这个平台… -> 轨道装卸平台); no batch, so no period carries with it."""
    return _classified_antecedent(t, f, k, s, False)


def demonstrative_antecedent(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    m, back = _demonstrative(t, f, k, s)
    if m is None:
        return None
    # 该车 -> the noun phrase of the sentence before that ends with 车 (新型后勤保障车)
    noun = m.group(1) or ""
    # the sentence before, else the nearest before it that names such a noun (该市 -> 哈尔滨市
    # two sentences up), at most `demonstrative_sentences` back
    got = _antecedent(t, back, dict.fromkeys((noun, noun[:1])))
    if got:
        return got
    return t.subjects.get(back)


def _antecedent(t: _Text, back: int, heads, shortest: int = 3) -> Subject | None:
    """The nearest noun phrase of at least ``shortest`` characters ending with one of ``heads``
    in sentence ``back`` or the `demonstrative_sentences` with words before it."""
    seen = 0
    for j in range(back, -1, -1):
        ps, pe = t.sentence_starts[j], t.sentence_starts[j + 1]
        if not t.text[ps:pe].strip():
            continue            # (the blank one at a paragraph break counts for nothing)
        seen += 1
        if seen > t.cfg["demonstrative_sentences"]:
            break
        if not any(h and h in t.text[ps:pe] for h in heads):
            continue            # (no need to read its words)
        for head in heads:
            for w in reversed(t.words(ps)):
                if ps <= w[1] and w[2] <= pe and w[0].endswith(head):
                    span = _np_left(t, w[1], ps, t.cfg["subject_max_chars"], joins=False, verbs=True)
                    start = span[0] if span else w[1]
                    np = _head_of(t, (start, w[2]), t.words(ps))     # not 26日|项目
                    if np and np[1] - np[0] >= shortest:
                        return (t.text[np[0]:np[1]], _entity_at(t, np[0], np[1]))
    return None


def event_participants(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    """A count of those taking part (420名选手参加了比赛, 4位九段被淘汰) belongs to the last named
    event (a contest, an election, a fair: …技能大赛, 天元战, 总统大选) the text told of before it."""
    if not t.cfg["participant_counter"].search(t.text, f.start, f.end) or not t.cfg[
            "participant_verbs"].search(t.text, t.clause_start(f.start), t.clause_end(f.end)):
        return None
    name = t.event_before(f.start)
    if not name:
        return None
    # a place or body named in the count's own clause before it (中国另３名参赛的棋手) owns it,
    # not one that organises them (阳曲县组织21家企业参加: the event's)
    cs = max(s, t.clause_start(f.start))
    ents = t.entities
    if any(e["end"] <= f.start and e.get("label") in t.cfg["entity_labels"]
           and name not in (e.get("text") or "")
           and not t.cfg["organise_verbs"].search(t.text, e["end"], f.start)
           for e in (ents[j] for j in t.ents.starting_in(cs, f.start))):
        return None
    return (t.cfg["event_determiner"].sub("", name), None)


def organised_event(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    """What happens at an event an organiser holds — the count of those taking part, what it
    sold or signed (举办了…展销活动。20多家企业进行了产品展示…现场销售金额15万元) — belongs to
    the event, not its organiser: the last organised event before the figure in its sentence
    or the two before it in the paragraph, with no other owner named between (not the teams a
    campaign sends out after its ceremony: …举行出征仪式。４００余名演员…组成的工作队)."""
    if f.i < 0:
        return None
    got = t.organised_before(f.start)
    if not got:
        return None
    a, b = got
    ke = t.sentence(a)[0]
    if k - ke > t.cfg["event_sentences"] or t.paragraph(a) != t.paragraph(f.start):
        return None
    cfg = t.cfg
    # a count of people or firms in the event's own sentence; else what the figure's clause
    # says they did there (参与, 现场, 销售, 达成…意向)
    if not ((k == ke and cfg["participant_counter"].search(t.text, f.start, f.end)) or cfg[
            "event_yield"].search(t.text, max(b, t.clause_start(f.start)), t.clause_end(f.end))):
        return None
    metric = f.metric or (f.start, f.start)
    lo = max(b, s)
    if any(lo <= e["start"] and e["end"] <= f.start and not (metric[0] <= e["start"] < metric[1])
           and e.get("label") in cfg["entity_labels"] for e in t.entities) or \
            cfg["home_re"].search(t.text, lo, f.start) or any(
                t.subjects.get(j) and j not in t.defaulted for j in range(ke + 1, k)):
        return None             # another owner named after the event
    return (t.text[a:b], _entity_at(t, a, b))


def rule_addressee(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    """A sentence that opens with the people it is about (对…入境人员，实施7天集中隔离; 对本省
    人员…实施3天居家健康监测) gives its figures to them: the persons a measure or rule is for,
    not the place in their name (本省人员, not 山西省)."""
    if not _may_match(t, t.cfg["addressee"], s, f.start):
        return None             # (its characters are not in the sentence before the figure)
    lo = _owner_floor(t, s, f.start)
    m = t.cfg["addressee"].match(t.text, lo, f.start)
    if not m:
        return None
    a, b = m.span("group")
    de = t.text.rfind("的", a, b)
    a = de + 1 if de >= 0 else a
    return (t.text[a:b], _entity_at(t, a, b)) if b - a >= 2 else None


def member_of(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    """A count of members that join a body (确定200多名专家进入太原市企业数字化转型专家智库, 12家
    企业加入产业联盟) counts that body's members: the body joined is the subject, not whoever
    announced it."""
    if f.i < 0 or not t.cfg["participant_counter"].search(t.text, f.start, f.end):
        return None
    ce = t.clause_end(f.end)
    m = t.cfg["join_verbs"].match(t.text, f.metric[1] if f.metric and f.metric[0] >= f.end else f.end, ce)
    if not m:
        return None
    end = m.end()
    words = t.words_in(end, end, ce)
    last = end
    for word, ws, we, tag in words:        # the body: the nouns up to the clause's end
        if ws != last or not (_is_noun(t, word, tag) or tag in t.cfg["modifier_tags"] or word == "的"):
            break
        last = we
    if last - end < 2 or not t.cfg["member_bodies"].search(t.text, end, last):
        return None             # (…名监测人员进入各大污染企业: a place entered, no body joined)
    return (t.text[end:last].strip("的"), _entity_at(t, end, last))


def published_list(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    """A count in the clause right after one that publishes a list (``published_list_frame``:
    公布/发布/印发…名单/目录/清单，共计663个项目) counts the list's entries: the list as printed owns
    it, not whoever published it."""
    if f.i < 0 or f.rec.get("kind") != "count":
        return None
    cs = _comma_clause(t, f, s)
    if cs <= s:
        return None
    m = None
    for m in t.cfg["published_list_frame"].finditer(t.text, s, cs):
        pass
    if m is None or m.end() != cs:
        return None
    a, b = m.span("list")
    return (_resolve_home(t, a, b), _entity_at(t, a, b))


def figure_in_name(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    """A figure inside a project's name — a name glued before it, a noun phrase ending with a
    project word glued after it (西上庄2×660MW低热值煤热电厂项目, 盂县上社140万千瓦抽水蓄能电站)
    — sizes that project, not the sentence's owner: its subject is the organisation or place
    entity that opens the name (西上庄, 中来光能), else the whole name."""
    if f.i < 0 or (f.metric and f.metric[1] <= f.start) or f.rec.get("kind") in t.cfg[
            "name_not_kinds"]:
        return None             # (温州3个机场: a count of things, no capacity in a name)
    cs, ce = t.clause_start(f.start), t.clause_end(f.end)
    left = _np_left(t, f.start, cs, t.cfg["subject_max_chars"], joins=False)
    right = _np_right(t, f.end, ce)
    if not left or not right or left[1] - left[0] < 2 or not HAN_WORD.match(t.text[left[0]:left[1]]) \
            or t.text[left[0]] in t.cfg["numeral_chars"]:      # 二期8吉瓦项目: a phase, no name
        return None
    ends = [w[2] for w in t.words_in(right[0], right[0], right[1])
            if t.cfg["project_re"].search(w[0])]
    if not ends or any(g["start"] < left[1] and left[0] < g["end"] for g in t.figures if g is not f.rec):
        return None
    # the organisation or place that opens the name owns it (中来光能年产16吉瓦…工厂 -> 中来光能,
    # joined by its entity); the whole name only where no entity opens it
    opener = max(((j, ent) for j, ent in ((j, t.entities[j]) for j in t.ents.starting_in(left[0], left[0] + 1))
                  if ent["end"] <= left[1]),
                 key=lambda je: je[1]["end"], default=None)
    if opener is not None:
        return (t.text[left[0]:opener[1]["end"]], opener[0])
    return (t.text[left[0]:ends[-1]], None)


def _own_clause_between(t: _Text, a: int, b: int) -> bool:
    """A clause between ``a`` and ``b`` opens with an owner of its own (a name or a home word)."""
    cfg = t.cfg
    i = t.clause_end(a)
    while i < b:
        cs = i + 1
        while cs < b and t.text[cs].isspace():
            cs += 1
        if cs >= b:
            break
        if cfg["home_re"].match(t.text, cs) or cs in _entity_starts(t):
            return True
        i = t.clause_end(cs)
    return False


def _resolve_home(t: _Text, a: int, b: int) -> str:
    """我国城镇居民 -> 中国城镇居民, 全省农民 -> 山西省农民: a home word opening the group at
    [a, b) named as home_word names it (the paper's home, else the place the text named last)."""
    m = t.cfg["home_re"].match(t.text, a, b)
    if not m:
        return t.text[a:b]
    home = _home_name(t, t.cfg["home_words"][m.group()], a)[0]
    return (home + t.text[m.end():b]) if home else t.text[a:b]


def _comma_clause(t: _Text, f: _Fig, s: int) -> int:
    """Where the figure's clause starts, by commas and semicolons only (a list's 、 inside it
    does not end it), not before its owner floor (once per figure)."""
    key = ("comma_clause", f.start)
    if key not in t._memo:
        t._memo[key] = _find_comma_clause(t, f, s)
    return t._memo[key]


def _find_comma_clause(t: _Text, f: _Fig, s: int) -> int:
    cs = _comma_start(t, _owner_floor(t, s, f.start), f.start)
    while cs < f.start and t.text[cs].isspace():
        cs += 1
    return cs


def surveyed_group(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    """What a survey of a group found, what a budget gives a body, belongs to that group or
    body, not to the surveyor or the payer (国家统计局城调队对我国城镇居民家庭消费结构的抽样调查
    显示，…人均可支配收入4839元 -> 中国城镇居民家庭; 俄政府对航天部门的预算拨款应为38亿 -> 航天部门):
    the group of 对 + group + 的 + a survey or funding word earlier in the figure's sentence,
    cut after its last person or body word, unless a later clause opens with an owner of its own."""
    if f.i < 0:
        return None
    cfg = t.cfg
    if not _may_match(t, cfg["surveyed_group"], s, f.start):
        return None             # (no 对, no 的 before the figure)
    m = None
    for m in cfg["surveyed_group"].finditer(t.text, s, f.start):
        pass
    if m is None or _own_clause_between(t, m.end(), f.start):
        return None
    a, b = m.span("group")
    for d in t.dates + t.figures:            # (对１９９１年到１９９６年我国…: its span is no group)
        if d["start"] < b and a < d["end"]:
            a = max(a, d["end"])
    while a < b and cfg["surveyed_skip"].match(t.text, a):
        a += 1
    heads = [h.end() for h in cfg["surveyed_heads"].finditer(t.text, a, b)]
    b = heads[-1] if heads else b
    if b - a < 2 or not HAN_WORD.match(t.text[a:b]):
        return None
    return (_resolve_home(t, a, b), _entity_at(t, a, b))


def _entity_starts(t: _Text) -> set[int]:
    """Where the text's organisations and places start (once per text)."""
    key = ("entity_starts", -1)
    if key not in t._memo:
        t._memo[key] = {e["start"] for e in t.entities if e.get("label") in t.cfg["entity_labels"]}
    return t._memo[key]


def _coordinated_before(t: _Text, pos: int, lo: int, n: int | None) -> tuple[int, int] | None:
    """(start, end) of the last run of two or more organisations or places named before
    ``pos`` (from ``lo``), glued or joined by a list mark (太原晋中, 太原、晋中和阳泉); of ``n``
    names when ``n`` is given."""
    cfg = t.cfg
    ents = sorted((e["start"], e["end"]) for e in map(t.entities.__getitem__, t.ents.starting_in(lo, pos))
                  if e["end"] <= pos and e.get("label") in cfg["entity_labels"])
    best = None
    run: list[tuple[int, int]] = []
    for a, b in ents:
        if run and (a == run[-1][1] or cfg["list_marks"].fullmatch(t.text[run[-1][1]:a])):
            run.append((a, b))
        else:
            run = [(a, b)]
        if len(run) >= 2 and (n is None or len(run) == n):
            best = (run[0][0], run[-1][1])
    return best


def place_reference(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    """两市, 两地, 双方, 三省 in the figure's clause before it refer to the places or bodies
    named before, as many as it counts and coordinated (太原晋中…，两市联手推介12条旅游线路 ->
    太原晋中): the last such run of names in the sentence or the `reference_sentences` before it."""
    if f.i < 0 or not _may_match(t, t.cfg["place_reference"], s, f.start):
        return None
    cfg = t.cfg
    cs = _comma_clause(t, f, s)
    m = None
    for m in cfg["place_reference"].finditer(t.text, cs, f.start):
        pass
    if m is None or t.figure_overlaps(m.start(), m.start() + 1):
        return None
    n = cfg["reference_counts"].get(m.group("n"))
    back = max(0, k - cfg["reference_sentences"])
    got = _coordinated_before(t, m.start(), t.sentence_starts[back], n)
    if not got:
        return None
    return (t.text[got[0]:got[1]], None)


def respective_owners(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    """分别 pairs a list of figures after it with the names before it, in order (甲公司营收…，乙公司
    营收…，分别下降3%和7% -> 甲公司, 乙公司; 杭州、宁波分别增长5%、6%): the figure's place in the
    list of figures listed after 分别 in its clause, the name at that place among as many distinct
    places or bodies (entities) before 分别 in the sentence; none where they are fewer."""
    if f.i < 0:
        return None
    cfg = t.cfg
    at = t.text.rfind(cfg["respective_word"], s, f.start)
    if at < 0:
        return None
    # the figures listed after 分别 in its clause, each joined to the last by a list mark
    figs = t.figures
    listed = [figs[j] for j in t.figs.starting_in(at + 1, f.start + 1)]
    if not listed or t.clause_start(listed[0]["start"]) > at:
        return None
    run = []
    for g in listed:
        if run and not cfg["respective_join"].fullmatch(t.text, run[-1]["end"], g["start"]):
            break
        run.append(g)
    if f.rec not in run:
        return None
    while m := cfg["respective_join"].match(t.text, run[-1]["end"]):   # (the items after the
        last = run[-1]      # figure: one starting where the list mark and its spaces may end)
        g = next((figs[j] for j in t.figs.starting_in(last["end"], m.end() + 1)
                  if figs[j]["start"] > last["start"]
                  and cfg["respective_join"].fullmatch(t.text, last["end"], figs[j]["start"])), None)
        if g is None:
            break
        run.append(g)
    if len(run) < 2:
        return None
    ents = [(j, e) for j, e in ((j, t.entities[j]) for j in t.ents.starting_in(s, at))
            if e["end"] <= at and e.get("label") in cfg["entity_labels"]]
    names: list = []
    nxt = None
    for j, e in reversed(ents):          # the last names before 分别, listed (joined by 、/和/及)
        if nxt is not None and not (e["end"] <= nxt["start"] and cfg["respective_join"].fullmatch(
                t.text, e["end"], nxt["start"])):
            break       # (not 接待人数…，创汇…分别 after one owner: its figures are that owner's)
        names.insert(0, (e.get("text") or t.text[e["start"]:e["end"]], j))
        nxt = e
        if len(names) == len(run):
            break
    if len(names) < len(run):
        return None
    return names[[g is f.rec for g in run].index(True)]


def _set_noun(t: _Text, g: dict) -> str | None:
    """What a count ``g`` counts, as printed where its metric stands before it in its clause
    (_set_is_topic: no verb before it): the clause from its opening word (past dates and
    adverbs) to the metric's end, a home word opening it resolved (我县省市县重点工程项目共30项 ->
    沁水县省市县重点工程项目, 中国运动员有29人 -> 中国运动员); else its metric (found before it: the
    figures go in order)."""
    metric = g.get("metric")
    cs = t.clause_start(g["start"])
    k = t.text.rfind(metric, cs, g["start"]) if metric else -1
    if k < 0:
        return metric
    end = k + len(metric)
    words = t.words_in(cs, cs, k)
    i = _clause_opening(t, words, through_basis=False)
    a = words[i][1] if i is not None and i < len(words) else k
    if end - a > 2 * t.cfg["metric_max_chars"]:
        a = k
    if not t.home:              # (a national paper's 全国 is its country, as home_word reads it)
        w = next((w for w in t.cfg["country_at_metric"] if t.text.startswith(w, a)), None)
        if w and a + len(w) < end:
            return t.cfg["country_name"] + t.text[a + len(w):end]
    return _resolve_home(t, a, end)


def _breakdown_set(t: _Text, f: _Fig, s: int) -> tuple[dict, bool] | None:
    """The count whose set the figure's clause breaks down and whether the figure stands in a
    bracket right after it, or None: the count right before a
    bracket the figure stands in (建设项目27项（省级6项…）), else the last count before a
    ``breakdown_mark`` (其中) that opens a clause of the figure's sentence, in that sentence or the
    one before in its paragraph; either with the figure's own counter (项 for 项)."""
    cfg, text, rec = t.cfg, t.text, f.rec
    unit = rec.get("unit")
    ob = max(text.rfind(b, s, f.start) for b in cfg["subset_brackets"])
    if ob > s and not any(c in text[ob:f.start] for c in cfg["subset_brackets_close"]):
        g = next((g for g in t._figs_ending.get(ob, ()) if g.get("kind") == "count"
                  and g.get("unit") == unit), None)
        return (g, True) if g else None
    m = None
    for m in cfg["breakdown_mark"].finditer(text, s, f.start):
        pass            # (其中: breakdown_status's mark, opening a clause)
    if m is None or (m.start() > s and text[m.start() - 1] not in cfg["clause_end"]):
        return None
    k = t.sentence(s)[0]
    lo = t.sentence_starts[k - 1] if m.start() == s and k > 0 and t.paragraph(
        t.sentence_starts[k - 1]) == t.paragraph(s) else s
    key = ("figures_by_start", 0)
    if key not in t._memo:      # (the figures in order of start, once: bisected, not walked)
        order = sorted(t.figures, key=lambda g: g["start"])
        t._memo[key] = ([g["start"] for g in order], order)
    starts, order = t._memo[key]
    got = None
    for g in order[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, m.start())]:
        if g.get("kind") == "count" and g.get("unit") == unit:
            got = g
    return (got, False) if got else None


def one_of_set(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    """A count in X是/作为…N个Z之一 (``one_of_link``, ``one_of_after``) counts the set X is one of,
    not X: its owner is the place or name standing between the link and the count (恭城是广西49个
    贫困县之一 -> 广西); none there, the rules after it decide."""
    if f.i < 0 or f.rec.get("kind") != "count":
        return None
    cfg, text = t.cfg, t.text
    if not cfg["one_of_after"].match(text, f.end):
        return None
    cs = _comma_clause(t, f, s)
    m = None
    for m in cfg["one_of_link"].finditer(text, cs, f.start):
        pass
    if m is None:
        return None
    owners = sorted((o for rule in (home_word, entity_in_sentence) for o in rule(t, f, m.end())),
                    key=lambda o: (o[0], -o[1]))     # (the first, the longest there)
    return (owners[0][2], owners[0][3]) if owners else None


def subset_count(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    """A count of a kind within a counted set — in a bracket right after the set's count
    (建设项目27项（省级6项、市级5项）), or in the clauses a 其中 opens after it (重点工程项目共30项，
    其中：建设项目27项…，前期项目3项; 高等动物约1500种。其中水禽约300种) — with the set's counter,
    fewer than the set, its own noun printed, counts a part of that set: where the set is its
    clause's topic (its noun before its count, no verb before it), the set owns the part. Not
    where the set is a verb's object (申请了100多项专利，其中国际专利8项: the clause's owner's, as
    the set is), nor where the part's clause names an owner of its own (其中太原市120家)."""
    rec = f.rec
    if f.i < 0 or rec.get("kind") != "count" or not rec.get("unit") or not f.metric:
        return None
    got = _breakdown_set(t, f, s)
    if got is None:
        return None
    g, bracketed = got
    if not _set_is_topic(t, g) or not (
            (f.rec.get("value") or 0) < (g.get("value") or 0)):
        return None             # (a part is fewer than its set: not 户均２．６１人…，其中…４万人)
    lo = max(_comma_clause(t, f, s), g["end"])
    counted_after = f.metric[0] >= f.end
    for o in (o for rule in (home_word, entity_in_sentence) for o in rule(t, f, lo)):
        if counted_after and _names_only(t, o[1], f.start):
            continue            # (香港米埔７处自然保护区: the names listed are what it counts)
        if all(keep(t, f, o) for keep in OWNER_FILTER_RULES):
            return None
    name = _set_noun(t, g)
    if name and not bracketed and not _opens_sentence(t, g):
        # (全市共有学校500所，教师3万人，其中高级教师5000人: 教师 is a later item of the
        # sentence's owner's list; the set is that owner's, named with it, never bare)
        own = g.get("subject")
        if not own or own in name:
            return None
        name = own + name
    return (name, None) if name else None


def _opens_sentence(t: _Text, g: dict) -> bool:
    """The count ``g``'s clause (by commas) opens its sentence, past a fronted time or date and
    its comma (2021年,我县…重点工程项目共30项; 到去年底，…)."""
    _, sg, _ = t.sentence(g["start"])
    lo = _owner_floor(t, sg, g["start"])
    cs = _comma_start(t, lo, g["start"])
    cfg = t.cfg
    words = t.words_in(lo, lo, cs)
    return all(w[0].isspace() or w[3] in cfg["topic_skip_tags"] or w[0] in cfg["clause_owner_after"]
               or t.in_date(w[1], w[2]) or (n + 1 < len(words) and (
                   t.in_date(*words[n + 1][1:3]) or words[n + 1][3] in cfg["date_word_tags"]))
               for n, w in enumerate(words))     # (到|去年底, 到|目前: a word opening a time's phrase)


def _set_is_topic(t: _Text, g: dict) -> bool:
    """The noun a count ``g`` counts (its metric) stands before it in its clause with no verb
    before it: the set is the clause's topic (重点工程项目共30项, 高等动物约1500种), not a verb's
    object (中来光能申请了100多项专利: its parts are the clause's owner's, like the set)."""
    metric = g.get("metric")
    if not metric or metric.endswith(tuple(t.cfg["subset_measure_ends"])):
        return False            # (人数减为3.1万人: a measure, no set of things)
    cs = t.clause_start(g["start"])
    k = t.text.rfind(metric, cs, g["start"])
    return k >= 0 and not any(w[3].startswith("v") and w[3] != "vn" for w in t.words_in(cs, cs, k))


def _names_only(t: _Text, a: int, b: int) -> bool:
    """[a, b) holds only names (entities) and list marks (、和)."""
    marks = t.cfg["list_marks"]
    while a < b:
        j = next(iter(t.ents.starting_in(a, a + 1)), None)
        if j is not None and t.entities[j]["start"] == a:
            a = t.entities[j]["end"]
        elif marks.fullmatch(t.text, a, a + 1):
            a += 1
        else:
            return False
    return True


def _counted_set_span(t: _Text, f: _Fig, s: int):
    """(the count, the span of its noun) opening the figure's clause in subject position
    (counted_set), or None (once per figure)."""
    key = ("counted_set", f.start)
    if key not in t._memo:
        t._memo[key] = _find_counted_set(t, f, s)
    return t._memo[key]


def _find_counted_set(t: _Text, f: _Fig, s: int):
    if f.i < 0 or _is_heading(t, f.start):
        return None
    cs = _comma_clause(t, f, s)
    j = bisect.bisect_left(t._starts, cs)
    if j >= len(t._starts) or t._starts[j] >= f.start:
        return None             # no count opens the clause
    words = t.words_in(cs, cs, f.start)
    i = _clause_opening(t, words, through_basis=False)
    if i is None or i >= len(words):
        return None
    g = next((g for g in t.figures if g["start"] == words[i][1] and g is not f.rec
              and g.get("kind") == "count" and g["end"] < f.start), None)
    if g is None or g["start"] == f.start:
        return None
    np = _np_right(t, g["end"], t.clause_end(g["end"]))
    if not np or np[0] != g["end"] or np[1] > f.start or not _verb_follows(t, np[1], f):
        return None
    if f.metric and np[0] < f.metric[0] < np[1]:
        np = (np[0], f.metric[0])     # 千户企业|净资产达…: the set ends where the metric starts
    return g, np


def counted_set(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    """A clause that opens with a count and its noun in subject position (两家银行共有雇员9.2万人)
    gives its figures to that set as printed, and the clauses after it with no owner of their
    own go on about it (，去年共盈利30亿加元 -> 两家银行); not in a heading."""
    got = _counted_set_span(t, f, s)
    if got is None:
        return None
    g, np = got
    t.clause_subjects[k] = (t.text[g["start"]:np[1]], None)
    return t.clause_subjects[k]


def pronoun_antecedent(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    """A clause that opens with 他们/它们/其 speaks of the owner named last before it: the
    nearest organisation or place before the pronoun in its sentence, else the sentence
    before's subject (肯尼亚是第一次参加冬奥会，他们将派出两名运动员 -> 肯尼亚)."""
    if f.i < 0 or not _may_match(t, t.cfg["pronouns"], s, f.start):
        return None
    cfg = t.cfg
    cs = _comma_clause(t, f, s)
    m = cfg["pronouns"].match(t.text, cs, f.start)
    if not m:
        return None
    ents = [(j, e) for j, e in ((j, t.entities[j]) for j in t.ents.starting_in(s, m.start()))
            if e["end"] <= m.start() and e.get("label") in cfg["entity_labels"]]
    if ents:
        j, e = max(ents, key=lambda je: je[1]["end"])
        run = _coordinated_before(t, m.start(), s, None)
        if run and run[1] == e["end"]:
            return (t.text[run[0]:run[1]], None)
        return (e.get("text") or t.text[e["start"]:e["end"]], j)
    return _previous(t, k, s)


def coordinated_owners(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    """A clause that opens with a list of organisations or places in subject position (甲、乙和丙
    都只有一名运动员参赛) gives its figures to the list as printed; not names a count right after
    them counts (杭州、宁波、温州3个机场)."""
    if f.i < 0:
        return None
    cfg = t.cfg
    cs = _comma_clause(t, f, s)
    if cs not in _entity_starts(t):
        return None
    run = _coordinated_before(t, f.start, cs, None)
    if not run or run[0] != cs:
        return None
    nxt = next((w for w in t.words_in(run[1], run[1]) if not w[0].isspace()
                and w[3] not in cfg["subject_adverb_tags"]), None)
    if nxt is None or nxt[1] >= f.start or not (
            nxt[3].startswith(cfg["subject_position_tags"]) or nxt[0] in cfg["link_verb_set"]):
        return None             # (杭州、宁波、温州3个机场: the names a count counts)
    return (t.text[run[0]:run[1]], None)


def cleft_owner(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    """A cleft (``cleft_mark``: 并购额最高的是X，/ 居第三位的是X，/ 其次是X) names X, a noun phrase
    or a list of them up to the clause's comma (or the figure right after it: 其次是东道主日本166人):
    X owns the figures after it in the sentence, in its clause and the clauses after it, up to a
    clause that opens with an owner of its own (a name or a home word), not past a ； (``item_marks``:
    the next item of a list); a 其 after it is X's
    (其次为甲银行的并购，其总额为…: before pronoun_antecedent)."""
    if f.i < 0:
        return None
    cfg, text = t.cfg, t.text
    m = None
    for m in cfg["cleft_mark"].finditer(text, _owner_floor(t, s, f.start), f.start):
        pass
    if m is None:
        return None
    a = m.end()
    e = next((i for i in range(a, f.start) if text[i] in cfg["clause_owner_after"]), f.start)
    if e - a < 2 or e - a > cfg["metric_max_chars"] or t.figure_starts_in(a, e):
        return None             # (最高的为５０毫米: a figure, no owner)
    words = t.words_in(a, a, e)
    for n, (word, ws, we, tag) in enumerate(words):
        if not (_is_noun(t, word, tag) or word in cfg["list_words"] or tag in cfg["modifier_tags"]
                or (word == "的" and a < ws)
                or (n == len(words) - 1 and n and words[n - 1][0] == "的" and tag.startswith("v"))):
            return None         # (最重要的是加快…: no noun phrase; …银行的并购: a verb named after 的 is)
    for i in range(e, f.start):
        if text[i] in cfg["item_marks"]:
            return None         # (…，其次是电子邮件；而…用户数只有1/5: a list's next item)
        if text[i] in cfg["clause_owner_after"] and _clause_names_own(t, f, i + 1):
            return None         # (…，智利股市下挫３％; …，李华也捐款3000元: an owner of its own)
    return (text[a:e], _entity_at(t, a, e))


def _clause_names_own(t: _Text, f: _Fig, c: int) -> bool:
    """The clause from ``c`` opens (past times, adverbs, dates) with an owner of its own: a home
    word, a name, or a noun in subject position (a verb after it) that is no part of the figure's
    metric (并购总额为…: what is measured, not whose)."""
    cfg, text = t.cfg, t.text
    words = t.words_in(c, c, min(t.clause_end(c), f.start) if c < f.start else c)
    i = _clause_opening(t, words, through_basis=True)
    if i is None or i >= len(words):
        return False
    word, ws, we, tag = words[i]
    if cfg["home_re"].match(text, ws) or ws in _entity_starts(t):
        return True
    topical = lambda w: w[3] in cfg["clause_topic_tags"] or (    # noqa: E731  (a word jieba
        w[3] == "x" and cfg["unknown_is_noun"] and HAN_WORD.match(w[0]))  # does not know: 赵丽)
    if not topical(words[i]) or (f.metric and f.metric[0] < we and ws < f.metric[1]):
        return False
    end = we
    for w in words[i + 1:]:         # (the noun phrase it opens, up to its verb)
        if w[1] != end or not topical(w):
            break
        end = w[2]
    return not (f.metric and f.metric[0] < end) and _verb_follows(t, end, f)


def titled_work(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    """A work named by its title in book marks (a film, a series, a book, a paper) owns the
    counts and sums of its clause that it stands beside: right before the figure (past 中/的:
    《晋祠古建》一书共收录照片400幅, 《大百科全书》的0.4幅) or glued to its metric (《长津湖》票房突破57亿元),
    opening the clause with a verb after it, or right after the figure's noun (十二集系列片《人类的
    敦煌》: the figure's metric between; not 十三篇《新华文摘》转载的文章);
    the title as printed, marks kept. Not a title inside an aside (在《人民日报》上发表…)."""
    cfg = t.cfg
    if f.i < 0 or all(t.text.find(o, s, f.end + cfg["work_title_after_chars"] + 1) < 0
                      for o, _ in cfg["work_title_marks"]):
        return None
    cs = _comma_clause(t, f, s)
    ce = t.clause_end(f.end)
    m = cfg["work_title_after"].match(t.text, f.end, ce)     # 二十四集电视剧《汾河湾》
    if m and f.metric and f.metric[0] == f.end and t.text[f.metric[1]:m.start("title")] in ("", "的"):
        # (the figure's noun between, 长达１００万字的《…文集》 — a document too: 长达３万字的《…报告》
        # is the report's length; not 十三篇《新华文摘》转载的文章, 两次对《虎踞钟山》进行了介绍)
        return (m.group("title"), None)
    for m in cfg["work_title"].finditer(t.text, cs, f.start):
        if _document_title(t, m.group()):
            continue
        glue = cfg["work_title_glue"].match(t.text, m.end(), f.start)
        if (glue.end() if glue else m.end()) == f.start or (f.metric and m.end() == f.metric[0]):
            return (m.group(), None)    # right before the figure (past 中/的) or its metric
        if m.start() == cs or not t.text[cs:m.start()].strip():
            if _verb_follows(t, m.end(), f) and not _clause_names_owner(t, f, cs, m):
                return (m.group(), None)    # opening the clause, a verb after it, no owner in it
    return None


def _document_title(t: _Text, title: str) -> bool:
    """A title whose last word is a document's or a publication's (《…行动计划》, 《政府工作报告》,
    《金融时报》: ``work_title_not_heads``): a document states figures, a paper reports them;
    neither owns them."""
    return title[1:-1].endswith(t.cfg["work_title_not_heads"])


def _clause_names_owner(t: _Text, f: _Fig, cs: int, m) -> bool:
    """The figure's clause names an owner of its own outside the title ``m`` — an extracted
    entity or the paper's home word (《…》提出到２０２５年全市培育…３００家): the later rules take it."""
    ents = t.entities
    for j in t.ents.starting_in(cs, f.start):
        ent = ents[j]
        if ent["end"] <= f.start and ent.get("label") in t.cfg["entity_labels"] \
                and not (ent["start"] >= m.start() and ent["end"] <= m.end()):
            return True
    return any(not (h.start() >= m.start() and h.end() <= m.end())
               for h in t.cfg["home_re"].finditer(t.text, cs, f.start))


def _person_is_subject(t: _Text, cs: int, a: int, end: int, fs: int, fe: int) -> bool:
    """The figure at ``fs``..``fe`` is said of the name at ``a``..``end`` by its clause's (from
    ``cs``) grammar. A figure in a modifier on the name (７０岁的哈罗维兹, 被错误关押８６天的季正清,
    身高１米９０的中锋张伟) is the person's, whatever governs the name, unless a verb or preposition
    follows the figure in it (两个入球分别是…的坦皮斯特: the figure is that clause's subject). A
    figure after the name is the person's when the name is the clause's subject: between the last
    的 before it and it only its titles — with no 的, words of title tags or names (退休工人,
    公司副总经理); after a 的 anything but a preposition or a verb of giving (…的中锋张伟;
    not …的干部职工自发为王国栋, 资助学生吴庭良: the recipient) —, before that 的 a modifier with
    no subject of its own (参加过三届奥运会的, ６０多岁的; not 法庭裁决洛里拉德公司付给７０岁的: a
    verb after a noun, the name its object), and after the name not only verbs and adverbs then
    的 before the figure (王国栋打工的宜昌县华龙石材公司决定…: the name modifies a noun)."""
    cfg, text = t.cfg, t.text
    governing = cfg["person_governing_tags"]
    d = text.rfind("的", cs, a)
    for word, ws, we, tag in t.words_in(cs, cs if d < 0 else d + 1, a):
        if word.isspace():
            continue
        if word in cfg["person_governing_words"] or (tag.startswith("p") if d >= 0 else not (
                t.ents.overlapping(ws, we) or tag.startswith(cfg["person_title_tags"]))):
            return False        # (a verb or preposition before the name: the person is its object)
    if fs < a:                  # the figure in a modifier on the name
        return d >= fe and not any(w[3].startswith(governing) for w in t.words_in(fe, fe, d))
    if d >= 0:
        noun = False
        for word, ws, we, tag in t.words_in(cs, cs, d):
            if tag.startswith(governing) and noun:
                return False    # (the modifier is a clause with a subject of its own)
            noun = noun or tag in cfg["clause_topic_tags"] or bool(t.ents.overlapping(ws, we))
    if fs > end + 1:
        m = text.find("的", end + 1, fs)
        between = [w[3] for w in t.words_in(end, end, m) if not w[0].isspace()] if m >= 0 else ()
        if any(tag.startswith("v") for tag in between) and all(
                tag.startswith("v") or tag in cfg["subject_adverb_tags"] for tag in between):
            return False        # (name, verb, 的: a relative clause on a noun after it)
    return True


def person_owner(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    """A person who is the subject of the figure's clause (``_person_is_subject``) owns its
    figures: what a person did, won or has (王芳向灾区捐款１０万元; 身高１米９０的中锋张伟拿下
    ２８分); persons joined by 和/与/、 own them together. Only the clause's first person, and a
    verb, a preposition or the figure follows it (past adverbs), not a verb of saying
    (speech_verbs: a source, 张华表示，)."""
    if f.i < 0 or _is_heading(t, f.start):
        return None
    cfg = t.cfg
    cs = max(_owner_floor(t, s, f.start), t.clause_start(f.start))
    ce = t.clause_end(f.start)
    ents, text = t.entities, t.text
    first = next((j for j in t.ents.starting_in(cs, ce)
                  if ents[j].get("label") in cfg["person_owner_labels"]), None)
    if first is None:
        return None
    a, end = ents[first]["start"], ents[first]["end"]
    joined = False
    while end + 1 < ce and text[end] in cfg["person_joins"]:
        nxt = next((j for j in t.ents.starting_in(end + 1, end + 2)
                    if ents[j].get("label") in cfg["person_owner_labels"]), None)
        if nxt is None:
            break
        end, joined = ents[nxt]["end"], True
    if a <= f.start < end:
        return None
    if not _person_is_subject(t, cs, a, end, f.start, f.end):
        return None
    tags = segmenter.default().tags
    for word, ws, we, tag in t.words_in(end, end, ce):
        if word.isspace() or tag in cfg["subject_adverb_tags"] or word in cfg["link_adverbs"]:
            continue
        if tag == "x" and len(word) > 1 and all(          # an unknown word read by its characters:
                tags.get(c, "x") in cfg["person_adverb_tags"] for c in word[:-1]):  # 各|以
            tag = tags.get(word[-1], "x")
        if word in cfg["speech_verbs"] or not (
                t.figure_starts_in(ws, ws + 1) or word in cfg["person_with"]
                or tag.startswith(cfg["person_predicate_tags"])):
            return None
        break
    else:
        return None
    if cfg["participant_counter"].search(text, f.start, f.end):
        return None             # (…高迈两位舰长, 和另外４名队员: persons counted, not the person's)
    return (text[a:end], None if joined else first)


def copula_item_owner(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    """An item of a list parted by semicolons whose first clause is a rank, a copula and X (居第二位的是
    X，共发生…；第三是Y，…; ``copula_item_rank``, not a reason or a part: 问题是成本): X, the words after
    the copula up to the clause's end when they end with a noun, owns the item's figures after that
    clause — not the owner of the list's first item."""
    if f.i < 0:
        return None
    cfg = t.cfg
    ss = s
    item = max([t.text.rfind(c, ss, f.start) for c in cfg["item_marks"]])
    if item < ss:
        return None             # (the sentence's first item: the owner rules read it)
    item += 1
    ce = t.clause_end(item)
    if ce >= f.start or t.figure_starts_in(item, ce):
        return None             # (the figure in the opening clause, or a figure there)
    words = [w for w in t.words_in(item, item, ce) if not w[0].isspace()]
    at = next((n for n, w in enumerate(words) if w[0] in cfg["copula_words"]), None)
    if at is None or not cfg["copula_item_rank"].fullmatch(t.text, item, words[at][1]):
        return None             # (a rank or an order before the copula, no reason: 问题是成本)
    head = words[at + 1:]
    if not head or not all(HAN_WORD.match(w[0]) for w in head) or not _is_noun(t, head[-1][0], head[-1][3]):
        return None             # (a noun phrase to the clause's end, a verb inside it: 视听|传媒;
        #                          not a clause: 原因是成本下降)
    a, e = head[0][1], head[-1][2]
    if not 2 <= e - a <= cfg["subject_max_chars"]:
        return None
    return (t.text[a:e], _entity_at(t, a, e))


def attributive_owner(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    """A figure in an attributive before the name it sizes (投资7.6亿元的X项目, 年产30万吨的Y基地;
    the mirror of figure_in_name): the noun phrase after its 的 that attributive_after read as
    the figure's owner (``_Fig.owner``, after the figure), when it holds a project word, owns
    it — before a verb opening the clause (即投资…的…项目) hands the sentence before's owner on."""
    if f.i < 0 or not f.owner or f.owner[0] < f.end or not size_owner(t, f, t.clause_start(f.start)):
        return None             # (a share's whole: size_owner refuses it)
    # the name as the owner rules read a project's (a verb inside it: 排水工程, 提质扩容工程),
    # from right after the 的 to the end of the first project phrase that starts there or
    # later in the same noun phrase (nouns, place words, modifiers between: 高新区南部|园区排水工程;
    # not 价格从某|银行子公司)
    a0, end = f.owner[0], None
    for a, e in _project_spans(t, f.start, _owner_floor(t, s, f.start)):
        if end is not None:
            if a > end:
                break
            end = max(end, e)   # (铁路|专用线: one running on into a later one, whole)
        elif a >= a0 and e - a0 <= t.cfg["subject_max_chars"] and all(
                _is_noun(t, w[0], w[3]) or w[3] in t.cfg["owner_lead_tags"] or w[3] in t.cfg["modifier_tags"]
                for w in t.words_in(a0, a0, a)):
            end = e
    return (t.text[a0:end], _entity_at(t, a0, end)) if end else None


def zero_subject(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    """A clause that opens with a verb (after a date or an adverb) has no subject of its own:
    the sentence before's carries on (完成了湛江50万吨浆厂等6个项目 -> 林业部)."""
    verb = _opening_verb(t, f, s)
    if verb is None:
        return None
    we = verb[2]
    if not t.text.startswith(t.cfg["aspect_marks"], we) and "的" in t.text[we:min(t.clause_end(we), f.start)]:
        return None       # 计划于今年开通的公路: the verb describes the owner (完成了…: it does not)
    return _previous(t, k, s)


def _clause_opening(t: _Text, words: list, through_basis: bool) -> int | None:
    """The index in ``words`` (a clause's, words_in) of the first word past spaces, words of
    topic_skip_tags and dates; None where an aside or a preposition's object opens the clause
    (因…, 在…, 对…: aside_tags), except, ``through_basis``, a comparison (比上年…: stops there)."""
    cfg = t.cfg
    i = 0
    while i < len(words) and (words[i][0].isspace() or words[i][3] in cfg["topic_skip_tags"] or t.in_date(
            words[i][1], words[i][2])):
        if words[i][3] in cfg["aside_tags"] and not words[i][0].isspace():
            if through_basis and cfg["basis_re"].match(t.text, words[i][1]):
                break
            return None
        i += 1
    return i


def clause_owner(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    """A later clause of the sentence that opens with an owner of its own (a name, a project or
    body noun, a home word; or a noun phrase a verb follows) speaks of that owner, not of the
    sentence's first: 甲银行资产为…，乙银行资产为２０７８亿加元 -> 乙银行; 我国湿地总面积…，内陆湿地有
    高等植物１５４０余种 -> 内陆湿地."""
    if f.i < 0 or _is_heading(t, f.start):
        return None
    lo = _owner_floor(t, s, f.start)
    cs = t.clause_start(f.start)
    while lo < cs and t.text[cs - 1] in t.cfg["clause_owner_through"]:
        cs = t.clause_start(cs - 1)     # 北京地区“龙卡”发行总量: a quoted name inside the clause
    if cs <= lo or t.text[cs - 1] not in t.cfg["clause_owner_after"]:
        return None             # the figure's clause opens the sentence: the owner rules decide
    cfg = t.cfg
    if all(w[0].isspace() or w[3] in cfg["topic_skip_tags"] or w[0] in cfg["clause_owner_after"] or t.in_date(
            w[1], w[2])
           for w in t.words_in(lo, lo, cs)):
        return None             # only a fronted time before it (一年多来，村里…): the first clause
    words = t.words_in(cs, cs, f.start)
    i = _clause_opening(t, words, through_basis=True)
    if i is None or i >= len(words):
        return None
    pos = words[i][1]
    if cfg["basis_re"].match(t.text, pos):
        return t.clause_subjects.get(k)     # 比上年度增加…: a comparison goes on about the last
    owners = [o for o in home_word(t, f, cs) if o[0] == pos] if (
        cfg["home_re"].match(t.text, pos) or cfg["world_re"].match(t.text, pos)) else []
    owners += [(e["start"], e["end"], e.get("text") or t.text[e["start"]:e["end"]], j)
               for j, e in ((j, t.entities[j]) for j in t.ents.starting_in(pos, pos + 1))
               if e["start"] == pos and e["end"] <= f.start
               and e.get("label") in cfg["entity_labels"]]
    owners += [o for o in project_noun(t, f, lo) if o[0] == pos]
    if not owners:
        owners = [o for o in _topic(t, f, cs, (cs,), cfg["clause_topic_tags"])
                  if o[0] == pos and _verb_follows(t, o[1], f)
                  and not (f.metric and f.metric[0] == o[1])]     # (工程验收|审批事项10项)
    owners = [o for o in owners if all(keep(t, f, o) for keep in OWNER_FILTER_RULES)]
    if not owners:
        # a clause with no owner of its own after one that had (…，内陆湿地有高等植物…，高等动物
        # 约１５００种) goes on about it
        return t.clause_subjects.get(k) if (f.metric and f.metric[0] == pos) or (
            words[i][3].startswith("v") and words[i][3] != "vn") else None
    o = max(owners, key=lambda o: o[1] - o[0])
    t.clause_subjects[k] = (o[2], o[3])
    return t.clause_subjects[k]


def _verb_follows(t: _Text, end: int, f: _Fig) -> bool:
    """A verb or a preposition follows ``end`` (after adverbs): the noun phrase is a subject."""
    for word, ws, we, tag in t.words(end):
        if ws < end:
            continue
        if tag in t.cfg["subject_adverb_tags"] or word.isspace():
            continue
        if f.metric and we == f.metric[0] and word not in t.cfg["link_verb_set"]:
            return False        # 工程验收|审批事项10项: a verb glued to the metric is part of it
        return tag.startswith(t.cfg["subject_position_tags"]) and ws < f.start
    return False


def _previous(t: _Text, k: int, s: int) -> Subject | None:
    """The subject of the sentence before, when it is in the same paragraph."""
    if k < 1 or t.paragraph(t.sentence_starts[k - 1]) != t.paragraph(s):
        return None
    return t.subjects.get(k - 1)


def topic_noun(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    """Where the sentence names no owner: the noun phrase opening it (after its asides) or the
    figure's clause, in subject position, owns the figure (印尼盾对美元的比价跌到…,
    基金年度经费由600万元增加到…, 莫伊在5个省获得了25%的选票)."""
    if _is_heading(t, f.start):
        return None
    got = _topic(t, f, _owner_floor(t, s, f.start))
    if not got:
        return None
    got = [o for o in got if all(keep(t, f, o) for keep in OWNER_FILTER_RULES)]
    if not got:
        return None
    o = got[0]
    # a bare common noun (基金共资助…) names the thing told of before: the nearest longer noun
    # phrase ending with it in the sentences before (资助优秀年轻教师基金)
    if o[3] is None and k > 0 and len([w for w in t.words(o[0]) if o[0] <= w[1] and w[2] <= o[1]]) == 1 \
            and t.words(o[0]) and next(w[3] for w in t.words(o[0]) if w[1] == o[0]) in t.cfg["common_noun_tags"]:
        ante = _antecedent(t, k - 1, (o[2],), len(o[2]) + 2)
        if ante:
            return ante
    return (o[2], o[3])


def sentence_subject(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    """A figure whose clause names no owner takes the owner of the figures told before it in its
    own sentence, the nearest told, before the sentence before's (身高１米９０的中锋张伟拿下２８分，
    又抢下篮板球１５个 -> 张伟)."""
    if f.i < 0 or k not in t.told:
        return None
    pos, subject, person = t.told[k]
    if pos < _owner_floor(t, s, f.start):
        return None                                 # (not across a speaker's colon)
    cfg = t.cfg
    if person and cfg["participant_counter"].search(t.text, f.start, f.end):
        return None             # (和另外４名队员: persons counted are not the person's)
    c = t.clause_start(f.start)
    while c > pos:              # every clause since the told figure's has no topic of its own
        if _clause_has_topic(t, c, f):
            return None         # (…，本轮共有１２盘棋分出胜负: the round's, not the player's)
        c = t.clause_start(c - 1)
    return subject


def _clause_has_topic(t: _Text, c: int, f: _Fig) -> bool:
    """The clause from ``c`` opens, past adverbs, conjunctions and time words, with a topic of
    its own before any figure: a demonstrative or 本/全 word (told_topic_openers: 本轮共有…, 这
    场比赛…; not a personal pronoun referring back, told_pronouns, nor the figure's metric)."""
    cfg = t.cfg
    for word, ws, we, tag in t.words_in(c, c, t.clause_end(c)):
        if word.isspace() or tag.startswith(cfg["told_skip_tags"]):
            continue
        if t.figure_starts_in(ws, ws + 1) or word in cfg["told_pronouns"]:
            return False
        if f.metric and f.metric[0] <= ws < f.metric[1]:
            return False
        return tag in cfg["told_topic_tags"] and word.startswith(cfg["told_topic_openers"])
    return False


def colon_list_owner(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    """A paragraph that opens with a list mark (``list_item_mark``: ———, 一是, （1）, 一、) after a
    paragraph that ends with a colon, or after other such items up to one, continues the colon's
    sentence (采取了一系列措施：⏎———…全年通过审价补税26.6亿元): the owner of that sentence (what a
    figure at its colon would have) owns the figures its clause names no owner for (a short item
    is an item, not a heading)."""
    cfg, text = t.cfg, t.text
    p = t.paragraph(f.start)
    for q in range(p, max(-1, p - cfg["colon_list_items"] - 1), -1):
        a = t.paragraph_starts[q]
        if cfg["list_item_mark"].match(text, a):
            continue
        if q == p:
            return None
        end = t.paragraph_starts[q + 1] - 1
        while end > a and text[end - 1].isspace():
            end -= 1
        if end <= a or text[end - 1] not in cfg["colon_marks"] or not any(
                w[3].startswith("v") for w in t.words_in(end - 1, a, end)):
            return None         # (图片：⏎１、…⏎２、…: a label over captions, no verb, no sentence)
        key = ("colon_list", end)
        if key not in t._memo:
            kc, sc, _ = t.sentence(end - 1)
            got = _subject(t, _Fig(-1, {}, end - 1, end - 1), kc, sc)
            t._memo[key] = got if got and _named_before(t, got, a, end) else None
        return t._memo[key]
    return None


def _named_before(t: _Text, subject: Subject, a: int, end: int) -> bool:
    """The subject is named in [a, end): its entity starts there, or its name stands there or not
    in the first item's clause (a resolved home word: 全国 -> 中国) — not a phrase of the lines after
    (会议要求：⏎一是新建…: a sentence with no 。 before the break runs on into the items)."""
    if subject[1] is not None:
        return a <= t.entities[subject[1]]["start"] < end
    return subject[0] in t.text[a:end] or subject[0] not in t.text[end:t.clause_end(end + 1) + 1]


def carry_subject(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    return _previous(t, k, s)


def _is_heading(t: _Text, pos: int) -> tuple[int, int] | None:
    """(start, end) of the line holding ``pos`` when it is a heading: short, no sentence end
    (once per line)."""
    p = t.paragraph(pos)
    key = ("heading", p)
    if key not in t._memo:
        t._memo[key] = _line_heading(t, p)
    return t._memo[key]


def _line_heading(t: _Text, p: int) -> tuple[int, int] | None:
    a = t.paragraph_starts[p]
    b = t.paragraph_starts[p + 1] - 1 if p + 1 < len(t.paragraph_starts) else len(t.text)
    line = t.text[a:b]
    if not line.strip() or len(line) > t.cfg["heading_max_chars"] or any(
            c in t.cfg["sentence_end"] for c in line):
        return None
    return a, b


def lead_subject(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    """A heading's figure with no owner of its own belongs to the owner of the lead: the first
    sentence of the next line that is not a heading (a byline) and not blank."""
    head = _is_heading(t, f.start)
    if not head or _in_name(t, f):
        return None             # 【五个集群】, （附图片1张）: a section's name, not the story's
    pos = head[1] + 1
    for _ in range(3):
        if pos >= len(t.text):
            return None
        if t.text[pos] == "\n" or _is_heading(t, pos):
            nxt = t.text.find("\n", pos)
            if nxt < 0:
                return None
            pos = nxt + 1
            continue
        kk, ss, ee = t.sentence(pos)
        got = t.subjects.get(kk) or _owner(t, _Fig(-1, {}, ee - 1, ee - 1), ss)
        return got
    return None


def _opening_verb(t: _Text, f: _Fig, s: int) -> tuple[str, int, int, str] | None:
    """The word (word, start, end, tag) the figure's sentence opens with past dates, adverbs
    and conjunctions (zero_subject_skip_tags), when it is a verb; else None (once per offset:
    several rules ask)."""
    key = ("opening_verb", f.start, s)
    if key not in t._memo:
        t._memo[key] = _find_opening_verb(t, f.start, s)
    return t._memo[key]


def _find_opening_verb(t: _Text, pos: int, s: int) -> tuple[str, int, int, str] | None:
    lo = _owner_floor(t, s, pos)
    for w in t.words_in(max(lo, pos - 1), lo):
        word, ws, we, tag = w
        if ws < lo or word.isspace() or t.in_date(ws, we) \
                or tag in t.cfg["zero_subject_skip_tags"]:
            continue
        return w if tag.startswith("v") and tag != "vn" else None
    return None


def heading_owner(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    """A figure nothing else gives an owner to belongs to the place or organisation the
    nearest heading above it names (太原工业“链”接未来 … 全力打造六大千亿级产业链 -> 太原; a
    section 吕梁 瞄准定位 资源互通 … 打造…9个工业经济重点产业链 -> 吕梁): the article's or
    section's subject. Not a bracketed column name or byline; the nearest heading only."""
    if f.i < 0 or _opening_verb(t, f, s) is None:
        return None             # only a sentence with no subject of its own (打造…, 首批认定…)
    labels = t.cfg["entity_labels"]
    return _heading_owner_above(t, t.paragraph(f.start), lambda e: e.get("label") in labels,
                                past_unnamed=False)


def title_owner(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    """Last: a figure no rule gave an owner belongs to the place or organisation of the
    nearest heading above it that names one — a report's title (2024年上杭县国民经济和社会
    发展统计公报 … 一、综合 … 全年实现地区生产总值556.8亿元 -> 上杭县), past section headings
    that name none (一、综合); an administrative division only (an entity with an adcode: a
    river or a dam in a headline, 淮河, 三峡, owns no count of the story); not a bracketed
    column name."""
    if f.i < 0:
        return None
    p = t.paragraph(f.start)
    key = ("title", p)
    if key not in t._memo:
        t._memo[key] = _heading_owner_above(t, p, lambda e: bool(e.get("adcode")),
                                            past_unnamed=True)
    return t._memo[key]


def _heading_owner_above(t: _Text, p: int, accept, past_unnamed: bool) -> Subject | None:
    """The first entity ``accept`` takes in the nearest heading above paragraph ``p`` (within
    heading_lines; not a bracketed column name or byline, heading_skip_open); with
    ``past_unnamed`` on up past headings that name none, else the nearest heading only."""
    for q in range(p - 1, max(-1, p - 1 - t.cfg["heading_lines"]), -1):
        head = _is_heading(t, t.paragraph_starts[q])
        if not head:
            continue
        line = t.text[head[0]:head[1]].strip()
        if not line or line[0] in t.cfg["heading_skip_open"]:
            continue
        for j, e in ((j, t.entities[j]) for j in t.ents.starting_in(head[0], head[1])):
            if e["end"] <= head[1] and accept(e):
                return (e.get("text") or t.text[e["start"]:e["end"]], j)
        if not past_unnamed:
            return None
    return None


def _owner_rule(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    return _owner(t, f, s)


SUBJECT_RULES = (batch_antecedent, classifier_antecedent, demonstrative_antecedent, cleft_owner, pronoun_antecedent,
                 coordinated_owners, event_participants, organised_event, rule_addressee, surveyed_group, member_of,
                 published_list, figure_in_name, respective_owners, place_reference, one_of_set, subset_count,
                 counted_set, titled_work, person_owner, copula_item_owner, attributive_owner, zero_subject,
                 clause_owner, _owner_rule, colon_list_owner, topic_noun, sentence_subject, carry_subject,
                 lead_subject, heading_owner, title_owner)


def function_word_subject(t: _Text, subject: Subject) -> Subject | None:
    """A subject that is no extracted entity does not open with a function word: the adverbs,
    prepositions, conjunctions and particles (subject_trim_tags) opening it are dropped (须经医药
    主管部门 -> 医药主管部门, 由市财政 -> 市财政, 的国防知识竞赛 -> 国防知识竞赛), and so is an
    unknown word made of two such characters or verbs (将会, 仅为, 共送), and verbs and 的 before its
    noun (举办的国防知识竞赛 -> 国防知识竞赛); a subject left with
    fewer than two characters, or that is one verb (剥离), is none."""
    text, ent = subject
    if ent is not None:
        return subject
    key = ("nominal", text)
    if key not in t._memo:
        t._memo[key] = _nominal(t, text)
    got = t._memo[key]
    return None if got is None else (got, None) if got != text else subject


def _nominal(t: _Text, text: str) -> str | None:
    cfg = t.cfg
    seg = segmenter.default()
    tags = seg.tags
    trim = cfg["subject_trim_tags"]
    # the longest dictionary word opening it: a noun or a name there, and it opens no relative
    # clause, needs no segmenting (most subjects)
    least = cfg["subject_min_chars"]
    first = next((text[:n] for n in range(min(cfg["subject_word_max_chars"], len(text)), 0, -1)
                  if text[:n] in tags), None)
    if first is not None and not tags[first].startswith(trim + cfg["subject_segment_tags"]) \
            and len(text) >= least and "的" not in text:
        return text

    def function(word: str) -> bool:
        tag = tags.get(word, "x")
        if tag.startswith(trim):
            return True
        return tag == "x" and len(word) == 2 and all(   # (an unknown pair of function characters)
            tags.get(c, "x").startswith(trim + cfg["function_pair_tags"]) for c in word) and tags.get(
                word[0], "x").startswith(trim)

    words = [(w, a) for w, a, _ in seg.tokenize(text)]
    i = 0
    while i < len(words) and (words[i][0].isspace() or function(words[i][0])):
        i += 1
    j = i       # a relative clause of verbs opening it (举办的国防知识竞赛 -> 国防知识竞赛)
    while j < len(words) and tags.get(words[j][0], "x") in cfg["relative_verb_tags"]:
        j += 1
    if i < j < len(words) - 1 and words[j][0] == "的":
        i = j + 1
    if i == len(words):
        return None
    rest = text[words[i][1]:]
    if len(rest) < least or (i == len(words) - 1 and tags.get(words[i][0], "x") in cfg["relative_verb_tags"]):
        return None
    return rest


SUBJECT_FILTER_RULES = (function_word_subject,)


def metric_not_owner(t: _Text, f: _Fig, k: int, subject: Subject, by: str) -> bool:
    """Keep a subject unless it is no extracted entity nor a project or body (建设项目６项，其中…
    ３项: a set of projects owns its parts) and is, word for word, the metric of a figure before
    it in its sentence that did not take it for its owner too (目标是：地区生产总值增长5.5%；…零售
    总额增长5%: the first item's metric owns none of the items after it), or the figure's own
    metric handed on from another clause or sentence (``metric_owner_handed``: 图书馆始终…为读者
    提供…。全年接待读者12.6万人次 — 读者 is what is counted, not whose): the rules after the one
    that gave it decide."""
    if subject[0] in t.metrics_told.get(k, ()) or (
            by in t.cfg["metric_owner_handed"] and f.metric and t.text[f.metric[0]:f.metric[1]] == subject[0]):
        return subject[1] is not None or bool(t.cfg["owner_word_re"].search(subject[0]))
    return True


SUBJECT_KEEP_RULES = (metric_not_owner,)    # a subject found, then dropped: the next rule's


# --------------------------------------------------------------------------- PERIOD_RULES

def _target_of(t: _Text, f: _Fig) -> dict | None:
    key = ("target_of", -1)
    if key not in t._memo:      # figure index -> the first target naming it, once per text
        first: dict[int, dict] = {}
        for tg in t.targets:
            for i in tg.get("figures") or []:
                first.setdefault(i, tg)
        t._memo[key] = first
    return t._memo[key].get(f.i)


def target_deadline(t: _Text, f: _Fig) -> dict | None:
    tg = _target_of(t, f)
    if not tg or not tg.get("deadline_text"):
        return None
    for d in map(t.dates.__getitem__, t.dts.starting_in(tg["start"], tg["end"])):
        if d["text"] == tg["deadline_text"]:
            return d
    return {"text": tg["deadline_text"], "start_date": tg.get("deadline_start"),
            "end_date": tg.get("deadline_end")}


def _same_year(t: _Text) -> list[dict]:
    """The dates date_before reads: ``t.dates`` with the words that name the year last named
    (当年新增贷款…, after １９９７年，…) that every DATE_BEFORE_RULES rule takes, each as a date
    record of that whole year (null days when no year was named before it), merged by start;
    found once per text (no such word: ``t.dates`` itself)."""
    if t._same_years is None:
        words = []
        for m in t.cfg["same_year_words"].finditer(t.text):
            told = [d for d in t.dates if d["end"] <= m.start() and d.get("start_date")]
            y = max(told, key=lambda d: d["end"])["start_date"][:4] if told else None
            words.append({"text": m.group(), "start": m.start(), "end": m.end(),
                          "start_date": f"{y}-01-01" if y else None,
                          "end_date": f"{y}-12-31" if y else None})
        kept = [d for d in words if all(rule(t, d) for rule in DATE_BEFORE_RULES)]
        t._same_years = sorted(t.dates + kept, key=lambda d: d["start"]) if kept else t.dates
    return t._same_years


def date_before(t: _Text, f: _Fig) -> dict | None:
    cfg = t.cfg
    _, s, _ = t.sentence(f.start)
    best = None
    dates = _same_year(t)
    key = ("same_year_spans", -1)
    if key not in t._memo:      # (the dates by start: those of the sentence before the figure)
        t._memo[key] = t.dts if dates is t.dates else numerals.record_cover(dates)
    for d in map(dates.__getitem__, t._memo[key].starting_in(s, f.start + 1)):
        if s <= d["start"] and d["end"] <= f.start:
            if _compared_or_dateline(t, d, s):
                continue
            if _item_date(t, d, s, f.start):
                continue
            head = cfg["dateline"].match(t.text, s)
            if head and d["end"] <= head.end():
                continue
            # a date in a clause that describes a thing (今年开通的公路) is not the figure's
            if t.clause_end(d["end"]) >= f.start and cfg["attributive_clause"].match(
                    t.text, d["end"], f.start):
                m = cfg["attributive_clause"].match(t.text, d["end"], f.start)
                words, (_, ends) = t._indexed(d["end"])     # the word ending before 的: by
                at = m.end() - 1                            # bisection, not a scan of the sentence
                words = words[bisect.bisect_left(ends, at):bisect.bisect_right(ends, at)]
                if words and words[0][3].startswith("v"):
                    continue
            best = d
    return best


def _item_date(t: _Text, d: dict, s: int, pos: int) -> bool:
    """Whether date ``d`` stands inside an item of its sentence after the first, past the item's
    start, and an item mark comes between it and ``pos`` (…；城镇调查失业率全年控制在５．５％以内；
    居民消费价格涨幅３％左右: 全年 is that item's, not the next one's: ``date_before``, ``item_marks``)."""
    marks = t.cfg["item_marks"]
    last = max(t.text.rfind(c, s, d["start"]) for c in marks)
    if last < 0 or not any(c in t.text[d["end"]:pos] for c in marks):
        return False            # (in the sentence's first item, or in the figure's own)
    return bool(t.text[last + 1:d["start"]].strip())


def present_time(t: _Text, f: _Fig) -> dict | None:
    """A present-time word before the figure in its clause with no date between them (目前已达
    283个; 至今已带动300多户): the period is the issue's day, or runs up to it (至今, 截至目前).
    Only its own clause: a fronted 目前， dates the clause it opens (目前，方案已公示，…全长600米)."""
    _, s, _ = t.sentence(f.start)
    if not (_may_match(t, t.cfg["present_words"], s, f.start)
            or _may_match(t, t.cfg["present_fronted"], s, f.start)):
        return None             # (no present word can stand in the sentence before the figure)
    last = None
    for m in t.cfg["present_words"].finditer(t.text, t.clause_start(f.start), f.start):
        last = m
    if last is None:            # 截至目前，… / 到目前为止，… / 目前，…: a fronted present clause
        for m in t.cfg["present_fronted"].finditer(t.text, _owner_floor(t, s, f.start), f.start):
            last = m
        if last is not None and last.group("now") and (f.rec.get("unit") in t.cfg[
                "present_not_units"] or f.metric and t.text[f.metric[0]:f.metric[1]] in t.cfg[
                "dimension_words"]):
            return None         # 目前，方案已公示，新建道路全长约600米: the size of a thing
    if last is None or any(t.dates[j]["end"] <= f.start for j in t.dts.starting_in(last.end(), f.start + 1)):
        return None
    day = t.issue_date.isoformat() if t.issue_date else None
    if last.group("here"):      # 至此: up to the last day the narrative told before it
        told = [d for d in t.dates if d["end"] <= last.start() and d.get("end_date")]
        day = max(told, key=lambda d: d["end"])["end_date"] if told else None
    text = last.group().strip()
    return {"text": text, "start": last.end() - len(text), "end": last.end(),
            "start_date": None if last.group("upto") or last.group("here") else day, "end_date": day}


def date_after(t: _Text, f: _Fig) -> dict | None:
    """A figure no date before it governs (date_before and carry_period found none): the first
    date after it in its clause, up to a comma, is the day of what is counted (３２位棋手参加了今天的比赛; ３个新政党…今天正式成立); not
    a deadline or span that opens a new matter (…，到2025年), not a dateline."""
    cfg = t.cfg
    if f.rec.get("kind") not in cfg["date_after_kinds"] or cfg["no_carry_after"].match(t.text, f.end):
        return None             # 280米钢结构桥梁日前合龙, ７３岁的莫伊自１９７８年…: a size, no event
    _, s, e = t.sentence(f.start)
    end = cfg["date_after_end"].search(t.text, f.end, e)
    end = end.start() if end else e
    for d in map(t.dates.__getitem__, t.dts.starting_in(f.end, end + 1)):
        if d["end"] <= end and not cfg["dateline_after"].match(
                t.text, d["end"]) and not cfg["date_after_not"].search(t.text, max(f.end, d["start"] - 2), d["start"]):
            return d
    return None


def duration_frame(t: _Text, f: _Fig) -> dict | None:
    """A duration that frames what was done before the figure in its sentence (通过４年的苦干实干，
    先后投资２０多亿元; 已连续七年每年编制…，累计发放8万余册): the figure's period, as printed
    (its days are not anchored: null), where no date stands between it and the figure."""
    cfg = t.cfg
    _, s, _ = t.sentence(f.start)
    if not _may_match(t, cfg["duration_frame"], s, f.start):
        return None
    last = None
    for m in cfg["duration_frame"].finditer(t.text, _owner_floor(t, s, f.start), f.start):
        if m.end("span") <= f.start and cfg["duration_frame_needs"].search(m.group()) and not (
                cfg["duration_frame_clause"].match(t.text, m.start(), m.end())
                and m.start() < t.clause_start(f.start)):
            last = m
    if last is None or last.end() >= f.start or any(
            t.dates[j]["end"] <= f.start for j in t.dts.starting_in(last.end(), f.start + 1)):
        return None
    return {"text": last.group("span"), "start": last.start("span"), "end": last.end("span"),
            "start_date": None, "end_date": None}   # (carried to no sentence after: period_not_carried)


def carry_period(t: _Text, f: _Fig) -> dict | None:
    """A sentence with no date of its own that goes on about the same owner carries the period
    of the sentence before in the same paragraph (1997年，…全年进出口…。其中出口749亿美元 ->
    全年): the period of its figures, else a date opening it (1月6日上午举行仪式。400余名…)."""
    k, s, _ = t.sentence(f.start)
    if k < 1 or t.paragraph(t.sentence_starts[k - 1]) != t.paragraph(s) or any(
            not _compared_date(t, t.dates[i]) for i in t.dts.starting_in(s, f.start)):
        return None
    if t.cfg["no_carry_after"].match(t.text, f.end):
        return None             # 50多岁的农民, 200公里外的工地: a size of a thing, no flow
    # a figure before it in its sentence took the report's period: the sentence goes on with
    # it (carry_in_sentence) — about the same owner, or one the report named before that figure,
    # in this sentence or the one before (德江…等１２个贫困县…，农民人均纯收入…), or with no owner of
    # its own, or in a later item (日本，６０８亿美元；香港，５０７亿美元); not a clause with an owner
    # first named after it (…，平遥古城城墙全长６公里: a standing fact)
    key = ("carried", k)
    if key in t._memo:
        got, end, owner = t._memo[key]
        if f.subject is None or owner is None or f.subject[0] == owner or f.subject_by in t.cfg[
                "carry_period_after"] or f.subject[0] in t.text[t.sentence_starts[k - 1]:end] or any(
                c in t.text[end:f.start] for c in t.cfg["item_marks"]):
            return got
        return _carry_period(t, f, k, s)
    got = _carry_period(t, f, k, s)
    if got:
        t._memo[key] = (got, f.end, f.subject[0] if f.subject else None)
    return got


def _carry_period(t: _Text, f: _Fig, k: int, s: int) -> dict | None:
    if f.subject_by not in t.cfg["carry_period_after"] and not t.cfg[
            "carry_openers"].match(t.text, _owner_floor(t, s, f.start)) and not (
            f.subject is None and t.cfg["carry_openers"].match(t.text, s)) and not any(
            rule(t, k, s) for rule in CARRY_ACROSS_RULES):
        # a sentence naming another owner starts afresh (唐海县…节地率达70%): only one about the
        # subject of the sentence before carries on — asked last, and only where there is a
        # period to carry (that subject is most often a pending one, found by a whole subject
        # chain: most of those a period would not carry from anyway)
        if not f.subject:
            return None
        got = _period_back(t, k, s)
        return got if got is not None and t.subjects.get(k - 1, (None,))[0] == f.subject[0] else None
    return _period_back(t, k, s)


def _period_back(t: _Text, k: int, s: int) -> dict | None:
    """The period carried into sentence ``k`` (from ``s``): back through the paragraph's
    sentences of the same report, while they give no date."""
    para = t.paragraph(s)
    for j in range(k - 1, max(-1, k - 1 - t.cfg["carry_sentences"]), -1):
        ps, pe = t.sentence_starts[j], t.sentence_starts[j + 1]
        if t.paragraph(ps) != para:
            return None
        if j in t.periods:
            return t.periods[j]
        lo = ps
        m = t.cfg["dateline"].match(t.text, ps, pe)
        if m:
            lo = m.end()
        cut = t.cfg["carry_clause_end"].search(t.text, lo, pe)
        first_clause = cut.start() if cut else pe
        for d in map(t.dates.__getitem__, t.dts.starting_in(lo, first_clause + 1)):
            if d["end"] <= first_clause and not t.cfg["dateline_after"].match(t.text, d["end"]) and not any(
                    rule(t, d) for rule in TOLD_DATE_FILTER_RULES):     # (4月18日，记者从…获悉: no)
                return d
        if any(not _compared_date(t, t.dates[i]) for i in t.dts.starting_in(ps, pe)):
            return None         # a sentence with a date of its own that its figures do not take
    return None


def statistic_run(t: _Text, k: int, s: int) -> bool:
    """Whether sentence ``k`` goes on with the statistics of the sentence before: that sentence's
    figures took a period and this one states a change (增长, 下降, 新增 … before a figure) with no
    plan word: a run of a report's results (2021年，…增长8.1%。全国财政收入…增长10.7%。城镇新增
    就业1269万人…)."""
    if (t.periods.get(k - 1) or {}).get("granularity") not in t.cfg["statistic_run_grains"]:
        return False            # (１０年来全市共开发…。唐海县…累计达…: a span since, no report's year)
    key = ("statistic_run", k)      # (asked per figure; the sentence's answer is read once)
    if key not in t._memo:
        e = t.sentence_starts[k + 1] if k + 1 < len(t.sentence_starts) else len(t.text)
        t._memo[key] = bool(t.cfg["change_re"].search(t.text, s, e)) and not any(
            _cue_word(t, m) for m in t.cfg["plan_cues"].finditer(t.text, s, e))
    return t._memo[key]


CARRY_ACROSS_RULES = (statistic_run,)       # what carries a period into another owner's sentence


def _compared_date(t: _Text, d: dict) -> bool:
    """Whether date ``d`` is only compared with (比昨天, 与上年同期相比, 『七五』以来最多): no date
    of its sentence's own, so it does not stop a carried period (carry_period); not where the
    comparison opens its sentence (与１９９７年初相比，…: a frame of its own)."""
    return t.clause_start(d["start"]) > t.sentence(d["start"])[1] and not t.cfg[
        "dateline_after"].match(t.text, d["end"]) and _compared_or_dateline(t, d, 0)


def same_year_word(t: _Text, d: dict) -> bool:
    """当年 (that year) before a figure is a date like the year it refers back to (１９９７年，工商银行
    与…签订了协议，当年新增贷款３５２．７亿元 -> 当年, 1997) where a date was told before it;
    not 当年的 (of those years past: same_year_words)."""
    return d["start_date"] is not None or (t._first_date_end is not None
                                          and t._first_date_end <= d["start"])


DATE_BEFORE_RULES = (same_year_word,)       # the words date_before takes as dates besides `dates`


def record_span(t: _Text, d: dict) -> bool:
    """A date a record is measured over (『七五』以来最多的, 近十年来最高, 有记录以来之最: a span
    right before 最/之最/新高, `record_after`) is what the figure is compared with, not its
    period: no date told (date_before, annual_basis_period, bulletin_year skip it)."""
    return bool(t.cfg["record_after"].match(t.text, d["end"]))


def reporting_day(t: _Text, d: dict) -> bool:
    """A day that opens a report frame (4月18日，记者从县供电公司获悉，…; 6月8日，县人民医院传来
    消息，…: ``reporting_frame`` right after it) is the day the news was told, like a dateline's:
    it dates none of the report's figures."""
    return d.get("start_date") is not None and d.get("start_date") == d.get("end_date") and bool(
        t.cfg["reporting_frame"].match(t.text, d["end"]))


TOLD_DATE_FILTER_RULES = (record_span, reporting_day)     # a date before the figure that is no date told


def _told_dates(t: _Text, pos: int, lo: int = 0):
    """The dates told before ``pos`` in the text (from ``lo``), the last first (a dateline and
    a date compared with, 比上年, 与上年…相当, left out; only those whose days are known)."""
    for d in reversed(t.dates):
        if d["end"] > pos or d["start"] < lo or not d.get("end_date"):
            continue
        key = ("not_told", d["start"], d["end"])    # (once per date: every figure asks again)
        if key not in t._memo:
            t._memo[key] = _compared_or_dateline(t, d, 0)
        if t._memo[key]:
            continue
        yield d


def _compared_or_dateline(t: _Text, d: dict, lo: int) -> bool:
    """Whether date ``d`` is a dateline's (1月4日讯), a date compared with (比上年) or inside a
    basis (与上年同期相比), the basis looked for from ``lo`` on: no date a figure is of."""
    cfg = t.cfg
    if any(rule(t, d) for rule in TOLD_DATE_FILTER_RULES):
        return True
    return bool(cfg["dateline_after"].match(t.text, d["end"]) or cfg["compared_date"].match(
        t.text, max(0, d["start"] - 1), d["start"]) or cfg["compared_level"].match(
        t.text, d["end"]) or any(
        m.start() <= d["start"] and d["end"] <= m.end()
        for m in cfg["basis_re"].finditer(t.text, max(lo, d["start"] - 8), d["end"] + 6)))


def _told_year(t: _Text, pos: int) -> int | None:
    """The year of the last date told before ``pos`` in the text: the year its middle day falls
    in (过去一年 in a January paper: the year past), or its end's where it has no start
    (截至１９９７年１２月３１日)."""
    for d in _told_dates(t, pos):
        if t.cfg["year_parts"].fullmatch(d["text"].strip()):
            continue            # a bare 全年 before it takes its year from before it too
        end = dt.date.fromisoformat(d["end_date"])
        if not d.get("start_date"):
            return end.year
        start = dt.date.fromisoformat(d["start_date"])
        return (start + (end - start) / 2).year
    return None


def annual_basis_period(t: _Text, f: _Fig) -> dict | None:
    """A figure compared with the year before (比上年, 与上年同期相比, 比年初: `annual_bases`)
    with no date of its own and none carried is of the span its paragraph was reporting: the
    last date told before it in the paragraph that spans a month or more or ends a span
    (１９９７年 sentences up, 全年, 截至１９９７年底); not a day (the day of the report).""" 
    basis = _basis(t, f)
    if not basis or not t.cfg["annual_bases"].search(basis):
        return None
    for d in _told_dates(t, f.start, t.paragraph_starts[t.paragraph(f.start)]):
        if not d.get("start_date") or (dt.date.fromisoformat(d["end_date"]) - dt.date.fromisoformat(
                d["start_date"])).days >= t.cfg["annual_basis_min_days"]:
            return d
        return None
    return None


def bulletin_year(t: _Text, d: dict) -> dict | None:
    """A bare part of a year (全年, 年末, 上半年: `year_parts`) is a part of the year the text
    was telling of, the year of the last date told before it in the text (１９９７年，…，
    全年进出口… in a January 1998 paper: 1997), not the issue year the dates layer gives it:
    the same date, its days moved to that year (None where they already are, or no date was
    told before it)."""
    if "start" not in d or not d.get("end_date") or not t.cfg["year_parts"].fullmatch(
            d["text"].strip()):
        return None
    year = _told_year(t, d["start"])
    start = dt.date.fromisoformat(d["start_date"]) if d.get("start_date") else None
    end = dt.date.fromisoformat(d["end_date"])
    if year is None or year == end.year:
        return None

    def moved(day: dt.date) -> str:
        last = calendar.monthrange(year, day.month)[1]
        return dt.date(year, day.month, last if day.day == calendar.monthrange(
            day.year, day.month)[1] else min(day.day, last)).isoformat()
    return {**d, "start_date": moved(start) if start else None, "end_date": moved(end)}


PERIOD_RULES = (target_deadline, present_time, date_before, duration_frame, carry_period,
                annual_basis_period, date_after)
PERIOD_YEAR_RULES = (bulletin_year,)        # a period found, moved to the year it is of


# --------------------------------------------------------------------------- STATUS_RULES

def estimate_of_past(t: _Text, f: _Fig) -> str | None:
    """An estimate of a period already over (in January 1998: 预计…１９９７年…增长１８％左右;
    一般估计，１９９７年…可达３·７％) reports that period's result, not a goal: actual. An
    estimate word (`estimate_words`) stands before the figure in its sentence, no other plan word
    after it, and the figure's period ends before the issue's day."""
    cfg = t.cfg
    end = (f.period or {}).get("end_date")
    if not t.issue_date or not end or end >= t.issue_date.isoformat():
        return None
    _, s, _ = t.sentence(f.start)
    est = None
    for m in cfg["estimate_words"].finditer(t.text, s, f.start):
        if _cue_word(t, m):
            est = m
    if est is None or any(_cue_word(t, m) for m in cfg["plan_cues"].finditer(
            t.text, est.end(), f.start)):
        return None             # no estimate, or a plan word after it (预计…将力争…)
    return "actual"


def norm_frame(t: _Text, f: _Fig) -> str | None:
    """A figure a rule's frame governs — the sentence says before it that a rule provides it
    (规定在连续驾驶4个小时后…不少于20分钟; 根据…《…管理办法》，超过4小时…的，…缴纳200元的罚款:
    `norm_frame`) — is a rule, whatever 将/要 it holds (将会被扣除…: the rule's consequence);
    not a rule only referred to (按规定, 有关规定的)."""
    k, s, e = t.sentence(f.start)
    if k not in t._norm_frames:             # the sentence's first frame, found once
        m = t.cfg["norm_frame"].search(t.text, s, e)
        t._norm_frames[k] = m.end() if m else None
    frame = t._norm_frames[k]
    if frame is None or frame > f.start or t.cfg["rule_not_whole"].match(t.text, f.end):
        return None             # ８个省中的: how many there are, not the rule's (deontic_cue too)
    return "rule"


def in_target(t: _Text, f: _Fig) -> str | None:
    tg = _target_of(t, f)
    if not tg or any(rule(t, f, tg) for rule in TARGET_FILTER_RULES):
        return None
    # a plan word in an attributive (计划于今年开通的公路全长283公里) names a thing planned: the
    # figures the target gathers after it are the thing's, stated as facts (plan_cue's test too)
    cfg, mod = t.cfg, tg.get("modality") or ""
    k = t.text.rfind(mod, tg["start"], f.start) if mod else -1
    if k >= 0 and cfg["plan_cues"].fullmatch(mod) and cfg["plan_cue_attributive"].match(
            t.text, k + len(mod), f.start):
        return None
    return "target"


def plan_in_metric(t: _Text, f: _Fig) -> str | None:
    """A plan word in the figure's own metric (计划投资20亿元, 年度计划完成投资404亿元: the plan
    word, then only verbs up to the metric's end, the last a noun of action, vn: not 行动计划筹到, a
    plan's name then what was done) names the planned amount: a target — though
    no plan_cue finds it (年度计划 is one word) or in_target's attributive test drops it. Not a
    plan word that a noun follows (规划面积: a planned thing's size), nor one inside a word
    (计划生育率), nor a plan measured against (超计划完成投资, 按计划完成: what was done by the plan,
    `plan_measured_by` before the plan word, in its word or the word before)."""
    if not f.metric:
        return None
    cs, (_, end) = t.clause_start(f.start), f.metric
    if not t.cfg["plan_noun_re"].search(t.text, cs, end):
        return None             # (no plan word in the clause up to the metric's end: speed)
    words = [w for w in t.words_in(f.start, cs, end) if w[2] <= end]
    for i in range(len(words) - 2, -1, -1):
        w = words[i]
        if not w[3].startswith("v"):
            plan = next((p for p in t.cfg["plan_nouns"] if w[0].endswith(p)), None)
            if plan and words[-1][2] == end and all(
                    x[3].startswith("v") for x in words[i + 1:]) and words[-1][3] != "v":
                by = t.cfg["plan_measured_by"]
                before = w[0][:-len(plan)] or (words[i - 1][0] if i else "")
                if not any(before.endswith(b) for b in by):
                    return "target"
            break
    return None


def year_past_report(t: _Text, f: _Fig, tg: dict) -> bool:
    """A target found only by its bare year part (全年进出口…: the marker is the deadline
    itself, no plan word) is no target where that part is of a year past (bulletin_year: a
    January paper's 全年 after １９９７年): it reports the year."""
    if not t.issue_date or (tg.get("modality") or "") != (tg.get("deadline_text") or ""):
        return False
    d = next((d for d in map(t.dates.__getitem__, t.dts.starting_in(tg["start"], tg["end"]))
              if d["text"] == tg["deadline_text"]), None)
    moved = d and next((got for rule in PERIOD_YEAR_RULES if (got := rule(t, d))), None)
    return bool(moved) and moved["end_date"] < t.issue_date.isoformat()


def deadline_not_ahead(t: _Text, f: _Fig, tg: dict) -> bool:
    """A target found only by its date (the marker is the deadline itself, no plan word:
    截至今日14:00时，…猪肉平均价格为40.12元/公斤) whose date ends on or before the issue's day is
    no goal: it reports the state up to that day (a date ahead, 年内, 到2025年, stays a target)."""
    if not t.issue_date or (tg.get("modality") or "") != (tg.get("deadline_text") or ""):
        return False
    end = tg.get("deadline_end")
    return bool(end) and end <= t.issue_date.isoformat()


TARGET_FILTER_RULES = (year_past_report, deadline_not_ahead)   # a target's figure that is none the less no target


def _in_name(t: _Text, f: _Fig) -> bool:
    line = t.paragraph(f.start)
    a = t.paragraph_starts[line]
    got = t._names.get(line)
    if got is None:             # the paragraph's names found once (a long line has thousands)
        names = [m.span() for m in t.cfg["name_brackets"].finditer(t.text, a, t.b.paragraph_end(a))]
        got = t._names[line] = (names, any(y - x > _NAME_SCAN for x, y in names))
    names, long_names = got
    if long_names:
        # a longer name than the once-found scan answers for: read as before, up to
        # _NAME_SCAN characters after the figure
        return any(m.start() < f.start and f.end < m.end()
                   for m in t.cfg["name_brackets"].finditer(t.text, a, f.end + _NAME_SCAN))
    # the names do not overlap: only the last one starting before the figure can hold it
    i = bisect.bisect_left(names, (f.start,))
    return i > 0 and names[i - 1][1] > f.end


_NAME_SCAN = 20     # a bracketed name holding a figure ends at most this far after it


def name_or_offer(t: _Text, f: _Fig) -> str | None:
    """A figure inside a short name, slogan or heading in brackets or quotes (【五个集群】,
    “两个根本转变”), or a price after an ad's offer word (赠送价值60元), is none of the others."""
    if _in_name(t, f):
        return "other"
    if f.rec.get("kind") == "money":
        lo = max(t.clause_start(f.start), f.start - t.cfg["offer_window"])
        if t.cfg["offer_cues"].search(t.text, lo, f.start):
            return "other"
    return None


def norm_bound(t: _Text, f: _Fig) -> str | None:
    cfg = t.cfg
    if f.rec.get("approx") not in cfg["rule_approx"]:
        return None
    clause = t.text[t.clause_start(f.start):f.end]
    if cfg["rule_cues"].search(clause.replace(f.rec.get("text") or "", "")):
        return "rule"
    return None


def _cue_word(t: _Text, m) -> bool:
    """A cue that is a word of its own, not part of one (须 in 必须 is the 必须; not in 无须;
    要 in 要求, 主要): a word of its sentence starts where it starts and one ends where it ends."""
    starts, ends = t.word_edges(m.start())
    return m.start() in starts and m.end() in ends


def deontic_cue(t: _Text, f: _Fig) -> str | None:
    """A figure a duty or a ban governs is a rule: a deontic word (必须, 须, 一律, 不得, 应当 …)
    before it in its clause or in the clause before it in the sentence (…规定，候选人必须在５个
    省获２５％的选票); not the whole of a part (８个省中的５个省: the ８个 is how many there are)."""
    cfg = t.cfg
    _, s, _ = t.sentence(f.start)
    if not _may_match(t, cfg["deontic_cues"], s, f.start):
        return None
    cs = t.clause_start(f.start)
    lo = max(s, t.clause_start(cs - 1)) if cs > s else s
    if cfg["rule_not_whole"].match(t.text, f.end):
        return None
    if any(_cue_word(t, m) for m in cfg["deontic_cues"].finditer(t.text, lo, f.start)):
        return "rule"
    return None


def due_for_each(t: _Text, f: _Fig) -> str | None:
    """What is due for each one (每名学生每天应锻炼1小时, 每户应缴纳…100元: a word of duty,
    `due_words` — 应, 应为, 应该, which alone say a sum due or planned, 预算拨款应为３８亿, a target
    by plan_cue —, after a per-unit word, 每名/每天, in the figure's sentence and before the
    figure in its clause) is a bound set for every one: a rule."""
    cfg = t.cfg
    _, s, _ = t.sentence(f.start)
    if not (_may_match(t, cfg["due_words"], s, f.start) and _may_match(t, cfg["per_unit"], s, f.start)):
        return None
    cs = t.clause_start(f.start)
    due = [m for m in cfg["due_words"].finditer(t.text, cs, f.start) if _cue_word(t, m)]
    if due and cfg["per_unit"].search(t.text, s, due[-1].start()):
        return "rule"
    return None


def measure_for_class(t: _Text, f: _Fig) -> str | None:
    """A measure a notice sets for a class of persons (对…入境人员，…实施7天集中隔离…，分别间隔
    24小时再开展2次核酸检测) is a rule: the sentence opens with 对 and the class, and a measure
    verb stands before the figure in its clause."""
    cfg = t.cfg
    _, s, _ = t.sentence(f.start)
    if not _may_match(t, cfg["rule_class_opener"], s, f.start) or not cfg[
            "rule_class_opener"].match(t.text, _owner_floor(t, s, f.start), f.start):
        return None
    if any(_cue_word(t, m) for m in cfg["measure_verbs"].finditer(
            t.text, t.clause_start(f.start), f.start)):
        return "rule"
    return None


def penalty_bound(t: _Text, f: _Fig) -> str | None:
    """A bound on a sanction (处…五千元以下的罚款, 一倍以上三倍以下的罚款, 三年以下有期徒刑) is what
    a law sets, a rule; a fine imposed (被罚款２００万里拉, 处以３０００万里拉的罚款) names no bound
    and stays what happened."""
    cfg = t.cfg
    if f.rec.get("approx") in cfg["rule_approx"] and cfg["penalty_after"].match(t.text, f.end):
        return "rule"
    return None


def _norm_spans(t: _Text) -> list[tuple[int, int]]:
    """The lines of a law's or a regulation's articles in the text, found once: from a line that
    opens with its article number (第九条…, ２．“第二十七条…: `norm_article`) over the lines after
    it (the article's further paragraphs, its items and list rows) up to a heading that holds no
    figure and ends with no clause mark (第六章附则, the next story's headline, （新华社…电）;
    not an item, （一）向导线抛掷物体；)."""
    if t._norm_spans is None and not _may_match(t, t.cfg["norm_article"], 0, len(t.text)):
        t._norm_spans = []      # (no 第…条 in the text: no article)
    if t._norm_spans is None:
        spans, open_at = [], None
        starts = t.paragraph_starts + [len(t.text) + 1]
        for i, a in enumerate(t.paragraph_starts):
            b = starts[i + 1] - 1
            if t.cfg["norm_article"].match(t.text, a, b):
                open_at = a if open_at is None else open_at
            elif open_at is not None and _is_heading(t, a) and not t.cfg["norm_item_end"].search(
                    t.text, a, b) and not t.figure_starts_in(a, b):
                spans.append((open_at, a))
                open_at = None
        if open_at is not None:
            spans.append((open_at, len(t.text)))
        t._norm_spans = spans
    return t._norm_spans


def norm_article(t: _Text, f: _Fig) -> str | None:
    """A figure in the text of a law's or a regulation's article (第九条…每次采集血液量一般为
    二百毫升, 最多不得超过四百毫升; the rows of its list: 各级电压导线的边线延伸距离如下：５００千伏
    ２０米) is what the article sets: a rule; not a figure that opens a row and names its class,
    another figure after it on its line (５００千伏 of ５００千伏２０米: a class, actual)."""
    if not any(a <= f.start < b for a, b in _norm_spans(t)):
        return None
    line = t.paragraph_starts[t.paragraph(f.start)]
    end = t.text.find("\n", f.end)
    if not t.text[line:f.start].strip() and t.figure_starts_in(
            f.end, end if end >= 0 else len(t.text)):
        return None
    return "rule"


def past_cue(t: _Text, f: _Fig) -> str | None:
    return "actual" if t.cfg["past_cues"].search(t.text, t.clause_start(f.start), f.start) else None


def part_count(t: _Text, f: _Fig) -> str | None:
    """A count of the parts or levels a thing is made of (省、市、县三级专业镇, 在…五个方面布局)
    states how it is divided, not an amount planned: actual, even after a plan word."""
    cfg = t.cfg
    if f.rec.get("kind") != "count":
        return None
    if f.rec.get("unit") in cfg["part_units"] or cfg["part_nouns"].match(t.text, f.end):
        return "actual"
    return None


def plan_cue(t: _Text, f: _Fig) -> str | None:
    cfg = t.cfg
    _, s, _ = t.sentence(f.start)
    if not _may_match(t, cfg["plan_cues"], s, f.start):
        return None
    for m in cfg["plan_cues"].finditer(t.text, s, f.start):
        if not _cue_word(t, m):
            continue        # part of a word: 要求, 主要
        if any(rule(t, m) for rule in PLAN_CUE_FILTER_RULES):
            continue
        # in an attributive (计划于今年开通的公路): names a thing planned, not this figure
        if cfg["plan_cue_attributive"].match(t.text, m.end(), f.start):
            continue
        # 将 that takes an object (将“…”方案的时限压缩…, 将…列为…, 春节将至) plans nothing
        if cfg["plan_cue_disposal"].match(t.text, m.start(), t.sentence(m.start())[2]):
            continue
        # inside a purpose aside before the figure's clause (为确保平安度汛，…会商１４次)
        cs = t.clause_start(m.start())
        if cs < t.clause_start(f.start) and cfg["purpose_aside"].match(t.text, cs):
            continue
        return "target"
    return None


def plan_noun(t: _Text, m) -> bool:
    """A plan word used as a noun (`plan_nouns`: 计划, 规划, 目标) that an adverb or a noun follows
    — the plan is what the clause talks of, or it modifies a noun — says no plan of the figure:
    航天发射计划仅完成一半 (what was done of the plan), 道路规划红线宽50米, 规划面积10平方公里
    (a planned thing's size), unlike 计划修建道路100公里, 计划今年完成."""
    if m.group() not in t.cfg["plan_nouns"]:
        return False
    nxt = t.word_at(m.end(), within=m.start())     # (the plan word's sentence: not the next one)
    return nxt is not None and nxt[3] in t.cfg["plan_noun_next_tags"]


PLAN_CUE_FILTER_RULES = (plan_noun,)        # a plan word that plans nothing after all


def budget_allotted(t: _Text, f: _Fig) -> str | None:
    """A sum allotted (安排财政资金58亿元, 下达…资金3亿元) for a period not yet over on the issue's
    day (its period ends on or after it) is a budget: a target; a sum allotted in a year past
    (去年安排…) is what was spent: actual."""
    end = (f.period or {}).get("end_date")
    if f.rec.get("kind") not in t.cfg["budget_kinds"] or not t.issue_date or not end or (
            end < t.issue_date.isoformat()):
        return None
    cs = t.clause_start(f.start)
    return "target" if any(_cue_word(t, m) and t.cfg["budget_gap"].fullmatch(t.text, m.end(), f.start)
                           for m in t.cfg["budget_cue"].finditer(t.text, max(cs, f.start - 10), f.start)) else None


def breakdown_status(t: _Text, f: _Fig) -> str | None:
    """A part after 其中 (…安排58亿元…，其中，道路建设10亿元，教育设施12亿元) is what its head is —
    the last figure before 其中 in the sentence: a budget's parts are budgeted too (target)."""
    k, s, _ = t.sentence(f.start)
    last = None
    for last in t.cfg["breakdown_mark"].finditer(t.text, s, f.start):
        pass                    # (the last mark before the figure)
    if last is None:
        return None
    at = last.start()
    head = next((g for g in reversed(t.figures[:f.i]) if g["end"] <= at), None)
    if not head or head["start"] < s or head.get("status") != "target":
        return None
    return "target"


def goal_verb(t: _Text, f: _Fig) -> str | None:
    """A count or scale a goal verb aims at (全力打造六大千亿级产业链, 着力培育50户链主企业) is a
    target: the verb, with an adverb of effort before it (全力, 着力, 加快: 打造 alone also
    tells what a project built, 今年…项目打造四套设备), stands before the figure in its own
    clause (not an earlier one), with no 了/出 after it (打造了, 培育出: done)."""
    cfg = t.cfg
    verbs = cfg["goal_verbs"] if f.rec.get("kind") not in cfg["goal_scale_kinds"] else cfg[
        "goal_scale_verbs"]
    cs = t.clause_start(f.start)
    if not _may_match(t, verbs, cs, f.start):
        return None
    for m in verbs.finditer(t.text, cs, f.start):
        if _cue_word(t, m) and not cfg["goal_done"].match(t.text, m.end()):
            return "target"
    return None


def goal_list(t: _Text, f: _Fig) -> str | None:
    """A clause that repeats a goal verb with no adverb (…着力打造“985”重点产业链，即：打造…等９个
    …产业链；打造…８个…) goes on with the goal its sentence set before it: a target."""
    cfg = t.cfg
    _, s, _ = t.sentence(f.start)
    if not _may_match(t, cfg["goal_verbs"], s, f.start):
        return None
    cs = max(t.text.rfind(c, s, f.start) for c in cfg["goal_list_marks"]) + 1   # (、 goes on)
    if cs <= s or not _may_match(t, cfg["goal_scale_verbs"], cs, f.start):
        return None
    m = cfg["goal_scale_verbs"].match(t.text, cs)
    if not m or cfg["goal_done"].match(t.text, m.end()):
        return None         # (the clause opens with the verb: one item of the goal's list)
    return "target" if any(_cue_word(t, g) and not cfg["goal_done"].match(t.text, g.end())
                           for g in cfg["goal_verbs"].finditer(t.text, s, cs)) else None


def forecast_after_completion(t: _Text, f: _Fig) -> str | None:
    """What a project can do once built (建成后可实现年产2400吨…, 投产后可达产值5亿元) is a
    forecast: a target (可 alone states a property: 每年可节省费用十余万元, actual)."""
    if t.cfg["completion_forecast"].search(t.text, t.clause_start(f.start), f.start):
        return "target"
    return None


def zone_name(t: _Text, f: _Fig) -> str | None:
    """A travel time in a set phrase naming a zone (融入省城1小时经济圈, 半小时生活圈) is part of
    a name (other), as a figure in brackets is (name_or_offer, run just before), whatever past
    word stands before it (已融入…); not where the targets table names it (到２０２５年全面融入…:
    in_target, tested first) nor where a plan makes the zone a goal (加快构建…2小时交通圈: a
    target) — though a zone joined (融入, zone_join) is named even in a plan —, not a count of
    zones (新建3个商圈: zone_units)."""
    if f.rec.get("unit") not in t.cfg["zone_units"] or not t.cfg["name_after_figure"].match(
            t.text, f.end):
        return None
    if in_target(t, f):
        return None         # (the targets table names it: its status agrees, whatever the verb)
    if t.cfg["zone_join"].search(t.text, t.clause_start(f.start), f.start):
        return "other"      # (积极融入京津冀1小时经济圈: a zone that is there, joined — named)
    return None if plan_cue(t, f) or goal_verb(t, f) else "other"


def future_period(t: _Text, f: _Fig) -> str | None:
    """A figure whose period starts after the issue's day (今后３年沿淮要建设５０多座…, a round
    of games dated tomorrow: 第二轮比赛１月７日…经过５轮角逐) tells of what has not happened yet:
    a target, where no rule before it found it a rule, a name or a report; a closed period only
    (进入九十年代以后: an open span's start says little of when the figure is)."""
    start, end = (f.period or {}).get("start_date"), (f.period or {}).get("end_date")
    if not (t.issue_date and start and end and start > t.issue_date.isoformat()):
        return None
    if f.period.get("granularity") not in t.cfg["future_grains"]:
        return None             # 元旦的前两天, 腊月廿六, ５月２１日 in a January story: a year guessed
    _, s, _ = t.sentence(f.start)
    if not s <= f.period.get("start", -1) < f.start or end >= "%04d%s" % (
            int(start[:4]) + t.cfg["future_max_years"], start[4:]):    # (ISO dates: as strings)
        return None             # a period carried from a sentence before, or an age (２１世纪)
    at = f.period.get("end")
    if at is not None and at <= f.start and t.clause_end(at) >= f.start and _describes_thing(
            t, at, f.start):
        return None             # 计划于明年建成的污水处理厂日处理能力8万吨: the plant's size
    return "target"


def _describes_thing(t: _Text, at: int, pos: int) -> bool:
    """Whether the text from ``at`` (a date's end) to ``pos`` is a clause that describes a
    thing, ending with a verb and 的 (今年开通的公路…, 明年建成的厂…)."""
    m = t.cfg["attributive_clause"].match(t.text, at, pos)
    if not m:
        return False
    words = [w for w in t.words(at) if w[2] == m.end() - 1]
    return bool(words) and words[0][3].startswith("v")


STATUS_RULES = (name_or_offer, zone_name, estimate_of_past, norm_frame, in_target, norm_bound, deontic_cue, due_for_each, measure_for_class,
                penalty_bound, norm_article, past_cue, plan_in_metric, part_count,
                plan_cue, budget_allotted, goal_verb, goal_list, forecast_after_completion, future_period, breakdown_status)


# --------------------------------------------------------------------------- CHANGE_RULES

def change_word(t: _Text, f: _Fig) -> str | None:
    best = None
    for m in t.cfg["change_re"].finditer(t.text, t.clause_start(f.start), f.start):
        if f.metric and f.metric[0] <= m.start() < f.metric[1] and not any(
                w[1:3] == f.metric and w[3] == "v" for w in t.words(f.metric[0])) and not (
                m.start() == f.metric[0] and m.end() < f.metric[1] and m.end() in t.word_edges(
                    m.end())[0]):
            continue            # inside the metric (增速 is rate_metric's); not a metric that is
            #                     a verb of change itself (农民增收１８亿元, verb_before_money), nor
            #                     one a change word opens as a word (新增|就业, change_verb_run)
        near = f.start - m.end() <= t.cfg["change_window"] or (
            f.metric and 0 <= f.metric[0] - m.end() <= 1)
        if near or any(rule(t, f, m.end()) for rule in CHANGE_NEAR_RULES):
            best = m.lastgroup  # right before the figure or its metric (节省电费), or its noun phrase
    return best


def change_opens_noun(t: _Text, f: _Fig, pos: int) -> bool:
    """A change word that opens the noun phrase right before the figure (新增本土确诊病例614例,
    净增注册企业3000户): what is counted is the change. The phrase ends with a noun, and no link
    verb (达到, 为 …) stands in it; a verb may modify a noun inside it (确诊病例)."""
    if not f.start - pos <= t.cfg["change_np_chars"]:
        return False
    between = t.words_in(f.start, pos, f.start)
    return bool(between) and between[0][1] == pos and _noun_run(t, between, f) and not (
        t.dts.starting_in(pos, f.start))                    # 增长|去年进出口总值: a new clause


def _noun_run(t: _Text, words: list, f: _Fig) -> bool:
    """Words that make a noun phrase ending right before the figure: a noun last, no link verb,
    time or reference word in it (a verb may modify a noun inside it: 确诊病例, 示范社)."""
    return bool(words) and words[-1][2] == f.start and _is_noun(t, words[-1][0], words[-1][3]) and all(
        HAN_WORD.match(w[0]) and w[0] not in t.cfg["link_verb_set"] and w[0] not in t.cfg[
            "not_metric"] and not w[3].startswith("t") for w in words)


def unit_change(t: _Text, f: _Fig) -> str | None:
    """A unit that is itself a change (翻了一番, 翻两番: the doublings of an increase)."""
    return t.cfg["unit_changes"].get(f.rec.get("unit"))


def rate_metric(t: _Text, f: _Fig) -> str | None:
    if not f.metric:
        return None
    metric = t.text[f.metric[0]:f.metric[1]]
    for kind, pattern in t.cfg["rate_metrics"].items():
        if pattern.search(metric):
            return kind
    return None


def change_in_list(t: _Text, f: _Fig) -> str | None:
    """The later item of a list the change word opens shares its change (全年新增省级专业镇1个、
    市级专业镇4个左右: both new): the figure before it in its sentence, then 、/和/及 and nouns."""
    if f.i < 1:
        return None
    prev = t.figures[f.i - 1]
    if not prev.get("change") or t.sentence(prev["end"])[0] != t.sentence(f.start)[0]:
        return None
    if not t.cfg["list_item_gap"].fullmatch(t.text, prev["end"], f.start):
        return None
    between = t.words_in(f.start, prev["end"] + 1, f.start)
    return prev["change"] if _noun_run(t, between, f) else None


def level_reached(t: _Text, f: _Fig) -> bool:
    """A level reached after a change (上升到214辆, 降至5%, 提升至70%) states no change."""
    m = t.cfg["level_reached"].search(t.text, max(t.clause_start(f.start), f.start - 8), f.start)
    return bool(m) and not (f.metric and 0 <= f.metric[0] - m.end() <= 1)


def compared_no_change(t: _Text, f: _Fig) -> bool:
    """A comparison with a standard or another place (增速高于全省4.7个百分点: standard_comparison)
    states how far apart two levels are, no change."""
    return bool(_standard_compared(t, f))


CHANGE_RULES = (change_word, unit_change, rate_metric, change_in_list)
CHANGE_NEAR_RULES = (change_opens_noun,)     # where change_word may stand further back
CHANGE_FILTER_RULES = (level_reached, compared_no_change)   # a change found, then dropped


def rule_names() -> list[str]:
    """The named rules, in the order of the rules file."""
    at = SUBJECT_RULES.index(_owner_rule)     # the owner rules stand in its place
    d = PERIOD_RULES.index(date_before) + 1   # the rules of the dates it reads stand after it
    cp = PERIOD_RULES.index(carry_period) + 1  # what carries across owners stands after it
    c = CHANGE_RULES.index(change_word) + 1   # where change_word may stand further back
    s = STATUS_RULES.index(in_target) + 1     # what in_target drops stands after it
    p = STATUS_RULES.index(plan_cue) + 1      # what plan_cue skips stands after it
    return [r.__name__ for r in METRIC_RULES + LINK_EDGE_RULES + METRIC_OK_RULES + METRIC_FILTER_RULES
            + SUBJECT_RULES[:at] + OWNER_RULES + OWNER_FILTER_RULES
            + SUBJECT_RULES[at + 1:] + SUBJECT_FILTER_RULES + SUBJECT_KEEP_RULES + PERIOD_RULES[:d] + DATE_BEFORE_RULES + TOLD_DATE_FILTER_RULES
            + PERIOD_RULES[d:cp] + CARRY_ACROSS_RULES + PERIOD_RULES[cp:] + PERIOD_YEAR_RULES + STATUS_RULES[:s] + TARGET_FILTER_RULES
            + STATUS_RULES[s:p] + PLAN_CUE_FILTER_RULES + STATUS_RULES[p:] + CHANGE_RULES[:c] + CHANGE_NEAR_RULES + CHANGE_RULES[c:]
            + CHANGE_FILTER_RULES]



# --------------------------------------------------------------------------- the driver

def _basis(t: _Text, f: _Fig) -> str | None:
    if f.basis is not False:
        return f.basis          # found once (annual_basis_period reads it too)
    f.basis = _find_basis(t, f)
    return f.basis


def _find_basis(t: _Text, f: _Fig) -> str | None:
    _, s, _ = t.sentence(f.start)
    lo = max(s, t.clause_start(t.clause_start(f.start) - 1)) if t.clause_start(f.start) > s else s
    m = _standard_compared(t, f)
    if m:
        return m.group(1)       # 低于省控线0.8个百分点: the standard (standard_comparison)
    if _share_of_target(t, f):
        lo = t.clause_start(f.start)    # a share of a target (完成…的N%) is compared with the
        #                                 target: no basis from the clause before (share_of)
    found = None
    for m in t.cfg["basis_re"].finditer(t.text, lo, f.start):
        found = m.group()
    return found


def _subject(t: _Text, f: _Fig, k: int, s: int) -> Subject | None:
    """A 该/这 back to the sentence before, else the sentence's own owner, else the sentence
    before's subject."""
    return next((got for rule in SUBJECT_RULES if (got := rule(t, f, k, s)) and (got := _filtered(t, got))),
                None)


def _filtered(t: _Text, subject: Subject | None) -> Subject | None:
    for rule in SUBJECT_FILTER_RULES:
        if subject:
            subject = rule(t, subject)
    return subject


def _metric_ok(t: _Text, span: tuple[int, int], f: _Fig) -> bool:
    """Not one character (用时 cut to 时) unless a size word or a noun a count counts (２００多台戏,
    ８个省), not the rest of a figure (人中)."""
    s, e = span
    if e - s < 2 and t.text[s:e] not in t.cfg["dimension_words"] and not (
            s == f.end and f.rec.get("kind") in ("count", "money") and _one_char_noun(t, s)):
        return False
    return t._fig_ends.get(s, 0) == (f.rec.get("end") == s) or any(     # no other figure ends there
        r(t, span, f) for r in METRIC_OK_RULES)


def counted_then_measured(t: _Text, span: tuple[int, int], f: _Fig) -> bool:
    """A phrase that opens with the noun another count counts and goes on to what is measured of
    it (抽查的12种蔬菜平均价格为5元, ３个乡镇财政收入达２亿元) measures the later figure."""
    s, e = span
    if t.counted_ok.get(span) == t.sentence(f.start)[0]:
        return True             # (taken for a figure before it in its sentence, the metric
        #                          previous_metric gives on: 5.62元/公斤，比昨天下降1.2%)
    if f.rec.get("end") == s or e != _before_link(t, f) or not any(
            g.get("kind") in t.cfg["counted_kinds"] for g in t._figs_ending.get(s, ())):
        return False            # (only the phrase right before the figure's own verb)
    words = t.words_in(s, s, e)
    if len(words) < 2 or not _is_noun(t, words[-1][0], words[-1][3]):
        return False            # (a noun phrase, not a verb after a count: ３２人扩大到６４人)
    t.counted_ok[span] = t.sentence(f.start)[0]
    return True


METRIC_OK_RULES = (counted_then_measured,)     # a metric _metric_ok would refuse, taken


def describe(text: str, figures: list[dict], entities: list[dict], dates: list[dict],
             targets: list[dict], issue_date: dt.date | None = None,
             home: str | None = None, tokens: Sequence[tuple[int, int]] | None = None,
             words: Sequence[str] | None = None) -> list[dict]:
    """The figures with the fields of ``FIELDS`` set (None where the text says nothing).
    ``tokens``: (start, end) of the text's jieba words, when known (else it is segmented);
    ``words``: their surfaces (``text[s:e]`` of each token, in order), when the caller has
    them (the frame: its segmenter's words), else sliced from the text; the records are the
    same either way (tests/test_semantics_given.py).
    The text's one reference cycle (``_Subjects`` <-> ``_Text``) is broken at the end, so
    reference counting frees all a call made and nothing is left for the cyclic collector
    (``tests/test_semantics.py`` checks it)."""
    cfg = _cfg()
    if words is not None and (tokens is None or len(words) != len(tokens)):
        words = None            # (not the tokens' surfaces)
    t = _Text(text, figures, entities or [], dates or [], targets or [], issue_date, home, cfg,
              tokens=tokens, token_words=words)
    # the tables read once a call (a test swaps a rule for a neutral one between calls), each
    # with what the loop asks of a rule's name
    found_before, not_carried = cfg["metric_found_before"], cfg["period_not_carried"]
    metric_rules = [(rule, rule.__name__ in found_before) for rule in METRIC_RULES]
    metric_filters, subject_rules, subject_filters = METRIC_FILTER_RULES, SUBJECT_RULES, SUBJECT_FILTER_RULES
    subject_keeps = SUBJECT_KEEP_RULES
    period_rules = [(rule, rule.__name__ not in not_carried) for rule in PERIOD_RULES]
    year_rules, status_rules = PERIOD_YEAR_RULES, STATUS_RULES
    change_rules, change_filters = CHANGE_RULES, CHANGE_FILTER_RULES
    rate_rules = [rule for rule in change_rules if rule is rate_metric]
    subject_not_carried, subject_by_default = cfg["subject_not_carried"], cfg["subject_by_default"]
    sentence, paragraph, starts = t.sentence, t.paragraph, t.sentence_starts
    subjects = t.subjects
    done: list[_Fig] = []
    last_k = -1
    for i, rec in enumerate(figures):
        f = _Fig(i, rec, rec["start"], rec["end"])
        k, s, _ = sentence(f.start)
        # the sentences since the last figure's name subjects too (for 该…, and to carry on)
        if k > last_k + 1:
            para = paragraph(f.start)
            for kk in range(last_k + 1, k):
                ss = starts[kk]
                if paragraph(ss) != para:
                    continue             # a subject carries on within its paragraph only
                subjects.wait(kk, ss, starts[kk + 1])     # (found if a rule reads it)
        last_k = k
        for rule, again in metric_rules:    # (each reads the figures done so far if it needs;
            span = rule(t, f, done)         # again: may be a metric found before)
            if span and (again or _metric_ok(t, span, f)) and not any(
                    r(t, f, span) for r in metric_filters):
                f.metric = span
                break
        for rule in subject_rules:
            subject = f.subject = rule(t, f, k, s)
            if subject:
                for r in subject_filters:       # (_filtered)
                    if subject:
                        subject = r(t, subject)
                if subject and subject[1] is None:  # (an entity is kept by every keep rule)
                    for keep in subject_keeps:
                        if not keep(t, f, k, subject, rule.__name__):
                            subject = None
                            break
                f.subject = subject
            if subject:
                f.subject_by = rule.__name__
                break
        if subject and k not in subjects:
            if f.subject_by in cfg["subject_carried_past"]:     # a person: the sentence's owner
                at = subject_rules.index(next(r for r in subject_rules if r.__name__ == f.subject_by))
                got = next((g for r in subject_rules[at + 1:] if (g := _filtered(t, r(t, f, k, s)))), None)
                if got:                         # the rules after it give, for the sentences after
                    subjects[k] = got
            elif f.subject_by in subject_not_carried:    # a figure's own name (湛江５０万吨
                subject = _subject(t, _Fig(-1, {}, f.start, f.start), k, s)  # 浆厂): the sentence's
                if subject:
                    subjects[k] = subject
                subject = f.subject
            else:
                subjects[k] = subject
                if f.subject_by in subject_by_default:
                    t.defaulted.add(k)
        if f.metric and (not subject or subject[0] != text[f.metric[0]:f.metric[1]]):
            t.metrics_told.setdefault(k, set()).add(text[f.metric[0]:f.metric[1]])   # (metric_not_owner)
        if f.subject and (f.subject[1] is not None or f.subject_by in cfg["subject_told_by"]):
            t.told[k] = (f.start, f.subject, f.subject_by == "person_owner" or (  # (a name told,
                f.subject[1] is not None                                          # not a noun)
                and t.entities[f.subject[1]].get("label") in cfg["person_owner_labels"]))
        period = None
        for rule, carried in period_rules:
            if period := rule(t, f):
                for r in year_rules:
                    if got := r(t, period):
                        period = got
                        break
                if carried:                         # (duration_frame: its sentence's only)
                    t.periods[k] = period
                break
        f.period = period
        status = "actual"
        for rule in status_rules:
            if got := rule(t, f):
                status = got
                break
        # the figures layer's own change word right before the number comes first
        # (but a growth rate is an increase whatever it does: 增速降至3%)
        rate = None
        if rec.get("unit") == "%":      # a rate's level, not its change (百分点)
            for rule in rate_rules:
                if rate := rule(t, f):
                    break
        change = rate or rec.get("change")
        if not change:
            for rule in change_rules:
                if got := rule(t, f):
                    change = got
                    break
            else:
                change = None
        if change and not rate and any(rule(t, f) for rule in change_filters):
            change = None
        rec.update({
            "metric": text[f.metric[0]:f.metric[1]] if f.metric else None,
            "subject": subject[0] if subject else None,
            "subject_entity": subject[1] if subject else None,
            "period_text": period["text"] if period else None,
            "period_start": period.get("start_date") if period else None,
            "period_end": period.get("end_date") if period else None,
            "status": status,
            "change": change,
            "basis": _basis(t, f),
        })
        done.append(f)
    t.subjects = None       # (the text's one reference cycle: freed now, by its count)
    return figures
