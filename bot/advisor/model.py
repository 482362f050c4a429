"""The advisor's data model: the consultation's slots and the typed contents of knowledge/advisor/.

Loaders (`bot.advisor.data`) and checks (`bot.advisor.checks`) both depend on this module and not on
each other.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The consultation's slots (domain/advisor.yml); questions.yml has exactly one question for each, and
# asks them in its own order.
SLOTS = (
    "situation",
    "bottleneck",
    "shifts",
    "recruitment",
    "workload",
    "stage",
    "product_type",
    "capability",
    "current_location",
    "volume",
    "current_volume",
    "variants",
    "region",
    "markets",
    "company",
    "capital",
    "time_to_market",
    "ip_sensitivity",
    "priorities",
)
# Slots whose answer is a number taken from free text: confirmed with the user before it is used.
NUMBER_SLOTS = ("volume", "variants", "capital")
UNKNOWN = "unknown"
# A question's `negated: unchanged`: a negated mention keeps its value ("vi får inte tag på svetsare").
UNCHANGED = "unchanged"
SKIP = "skipped"
# A condition key that is no slot: how many times today's volume the plan is (volume's `current.steps`).
SCALE_STEP = "scale_step"


@dataclass(frozen=True)
class Option:
    """One answer option of a question: a button and the free-text synonyms that select it."""

    value: str
    title: str
    phrase: str
    synonyms: tuple[str, ...]
    short_answers: tuple[str, ...]
    max: float | None
    planned: str | None
    button: bool = True
    outranks: tuple[str, ...] = ()
    negation_agrees: bool = False
    # Says something about the product (radio, a battery) but not what it is: alone, it answers the question
    # only when that question was asked.
    modifier: bool = False
    # Other values that hold whenever this one does: lighting is also electrical equipment.
    implies: tuple[str, ...] = ()
    # Values that, named for the same product, make this one only the material of a part or of what the
    # product sits on: a moisture sensor in a wooden frame is electronics, not a wood product (persona round
    # 16, p01); `yields_unless` keeps it (a wooden table with a charger is still wooden furniture).
    yields_to: tuple[str, ...] = ()
    yields_unless: tuple[str, ...] = ()
    # Words right before a mention that make it what the product is for or sits on, not what it is:
    # "en givare för pumpar" is no pump (persona round 11, p01).
    ignore_right_after: tuple[str, ...] = ()
    # Phrases that take this option back wherever they stand: "ingen brist på personal", "vi har snarare
    # ledig kapacitet" are no staffing problem, although the role words in `negation_agrees` options agree
    # with a negation (persona round 13, p02).
    denied_by: tuple[str, ...] = ()
    # The value a mention stands for when the message only says it may come ("kanske en sensor sen", "en app
    # på sikt": parsing.possibility_words), or IGNORE; None keeps the mention as said (persona round 33, p07:
    # a future sensor made a steel bowl electronics).
    possible: str | None = None
    # The value when a degree word stands before the mention in its clause ("lite känsligt", "lite oro för att
    # den kopieras": parsing.degree_words); None keeps it (persona round 33, p07: "lite oro" became very
    # sensitive).
    slight: str | None = None


@dataclass(frozen=True)
class UnitGroup:
    """Unit words after a number and the factor that converts the number to the question's unit."""

    words: tuple[str, ...]
    factor: float


@dataclass(frozen=True)
class NumberSpec:
    """How numbers in free text answer a question."""

    store: str
    phrase: str
    units: tuple[UnitGroup, ...]
    cues: tuple[str, ...]
    require_unit: bool
    money: bool
    not_after: tuple[str, ...]
    not_with: tuple[str, ...] = ()
    # Words anywhere before the number in its clause that make it no answer: "Priset ut ska vara runt 400 kr"
    # is a price per unit, however many words stand between "priset" and the number.
    not_in_clause: tuple[str, ...] = ()
    # Where a smaller number of the same kind goes when the message says it is today's ("vi gör 50 i år men
    # siktar på 500"): the plan is the larger one, today's is kept beside it.
    current_slot: str | None = None
    current_words: tuple[str, ...] = ()
    plan_words: tuple[str, ...] = ()
    # When one of these holds (a product not yet made), the path is chosen for the smaller, first-year figure
    # and the plan is the horizon; `horizon_phrase` states both (round 11, p01: 500 first, 5 000 later).
    current_decides_when: tuple[Mapping[str, Any], ...] = ()
    horizon_phrase: str | None = None
    # Named scale steps by the plan's ratio to today's figure ({"large": 5}): the largest reached is the
    # profile's `scale_step`, a condition for the rules (issue #10: a tenfold step for one person is not
    # the same advice as a third more for a workshop).
    current_steps: Mapping[str, float] = field(default_factory=dict)
    # How an upper bound reads ("högst {number} kronor" for "under en halv miljon"); else `phrase`.
    bound_phrase: str | None = None
    # Options that, named in words, decide over a number in the same message: "tre grundare, två anställda"
    # is a startup, not a micro-enterprise.
    words_first: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuestionSpec:
    """One question of the consultation, as written in questions.yml."""

    slot: str
    label: str
    text: str
    multiple: bool
    negated: str | None
    fallback: str | None
    skip_when: tuple[Mapping[str, Any], ...]
    numbers: NumberSpec | None
    options: tuple[Option, ...]
    ask: bool = True
    # Words before a mention that make it no answer ("vi bygger robotceller" names the product, not the
    # wish to automate), and word endings that make it a customer industry ("batteriindustrin").
    ignore_after: tuple[str, ...] = ()
    ignore_suffixes: tuple[str, ...] = ()
    # Words right after a mention that make it the origin of bought parts, not an answer: "kinesiska
    # celler" says where the cells come from, not where the product is made (persona round 11, p10).
    ignore_before: tuple[str, ...] = ()
    # A single-choice answer that names several options equally often takes the first one ("Två skift i
    # svetsen, CNC kör dagtid": the answer names the bottleneck first); otherwise it fills nothing.
    tie_first: bool = False
    # Phrases that settle no tie when another option is named otherwise: "monteringen kör dagtid men CNC:n
    # går två skift" names the count of shifts; "dagtid" may be another process's (persona round 27).
    tie_weak: tuple[str, ...] = ()
    # A mention right after a number says when that number is reached ("5 000 om ett par år"), not an answer
    # to this question (adv16's report: read as "ingen brådska").
    not_after_number: bool = False
    # A mention inside a question ("ska jag hitta en fabrik i Kina?") asks, it says nothing about today.
    not_in_questions: bool = False
    # A correction ("jag menar ...") of a multiple-choice answer adds to it instead of replacing it: a
    # product is often a machine and electrical at once ("det är en maskin också").
    corrections_add: bool = False
    # Words that make a message speak of this question, so its short answers count in any answer: "men
    # flaskhalsen är lika mycket svetsen" names the bottleneck while answering the question on shifts.
    cues: tuple[str, ...] = ()
    # Options offered, most rule-heavy first, when an answer taken from free text is checked once ("Gäller
    # något av det här också?"): a regulated category the words missed is caught (actions/productcheck.py).
    check_options: tuple[str, ...] = ()

    @property
    def by_value(self) -> dict[str, Option]:
        """The options by their value."""
        return {o.value: o for o in self.options}

    def option(self, value: str) -> Option | None:
        """The option with this value, or None."""
        return self.by_value.get(value)

    def bucket(self, number: float) -> Option:
        """The first option whose `max` is at least `number` (the last option has no upper bound). Options
        before the first with a `max` take no numbers (a startup is no size class)."""
        numbered = self.numbered()
        return next((o for o in numbered if o.max is None or number <= o.max), numbered[-1])

    def numbered(self) -> tuple[Option, ...]:
        """The options that numbers sort into: from the first with a `max` on (all when none has one)."""
        first = next((i for i, o in enumerate(self.options) if o.max is not None), 0)
        return self.options[first:]

    def bucket_below(self, bound: float) -> Option:
        """The option for an answer below `bound` ("under 500 000" is "Under 500 000 kr", whose `max` is
        499 999): the options' `max` values are whole numbers, so the largest one below `bound` counts."""
        return self.bucket(math.ceil(bound) - 1)


@dataclass(frozen=True)
class QuestionsData:
    """The parsed questions.yml."""

    path: Path
    parsing: Mapping[str, Any]
    texts: Mapping[str, str]
    questions: tuple[QuestionSpec, ...]

    def question(self, slot: str) -> QuestionSpec:
        """The question that fills `slot`."""
        return next(q for q in self.questions if q.slot == slot)


@dataclass(frozen=True)
class RulesData:
    """The parsed rules.yml; rule lists keep the YAML mappings (their keys are fixed by the schema)."""

    path: Path
    settings: Mapping[str, Any]
    categories: tuple[Mapping[str, str], ...]
    scoring: tuple[Mapping[str, Any], ...]
    stages: tuple[Mapping[str, str], ...]
    next_steps: tuple[Mapping[str, Any], ...]
    caveats: tuple[Mapping[str, Any], ...]
    supports: tuple[Mapping[str, Any], ...]
    regulations: tuple[Mapping[str, Any], ...]
    texts: Mapping[str, Any]
    # Realism checks: when the user's capital or timeline looks too small for what the path demands.
    realism: tuple[Mapping[str, Any], ...] = ()
    # Rules that start to apply on a date (the Machinery Regulation): compared with the launch window.
    dated_rules: tuple[Mapping[str, Any], ...] = ()

    def category(self, category_id: str) -> Mapping[str, str]:
        """The category with this id."""
        return next(c for c in self.categories if c["id"] == category_id)


def unless_conditions(rule: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """A rule's `unless`: no condition, one, or a list of them (any of which cancels the rule)."""
    unless = rule.get("unless") or []
    return list(unless) if isinstance(unless, list) else [unless]
