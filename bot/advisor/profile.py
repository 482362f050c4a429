"""The user's answers as the advisor sees them: normalised values, `when:` conditions, and the answers
rendered back in Swedish (from the phrases in questions.yml)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from bot.advisor.model import SCALE_STEP, SKIP, SLOTS, UNKNOWN, QuestionsData, QuestionSpec

_NUMERIC = re.compile(r"\d+(?:[ .]\d{3})*(?:[.,]\d+)?")
# A number said as an upper bound ("under en halv miljon") is stored as "<500000": the answer lies below it.
BOUND_PREFIX = "<"


@dataclass(frozen=True)
class Profile:
    """Normalised answers: option values per slot (empty when unknown), numbers as given, skipped slots."""

    values: Mapping[str, tuple[str, ...]]
    numbers: Mapping[str, float]
    skipped: frozenset[str]
    # Slots whose number is an upper bound: the answer lies below `numbers[slot]`.
    bounds: frozenset[str] = frozenset()
    # Slots answered for the first year (`numbers[slot]`, which the path is chosen for), with the plan the
    # user aims at later as the horizon: {"volume": 5000.0} for "500 första året, sen 5 000".
    horizons: Mapping[str, float] = field(default_factory=dict)

    def known(self, slot: str) -> bool:
        """Whether the slot has a usable answer."""
        return bool(self.values.get(slot))


def to_profile(raw: Mapping[str, Any], questions: QuestionsData) -> Profile:
    """Normalise slot values from Rasa or `parse_answer`: option values, lists, numbers, SKIP or None.

    Unusable values (a typo in a button payload, an unknown option) count as unanswered.
    """
    values: dict[str, tuple[str, ...]] = {}
    numbers: dict[str, float] = {}
    skipped = set()
    bounds = set()
    for question in questions.questions:
        value = raw.get(question.slot)
        if value is None or value == "":
            continue
        if value == SKIP:
            skipped.add(question.slot)
            continue
        # Per answer, its option and the options it implies ("Etablerat medelstort företag" is also `sme`).
        found: list[list[str]] = []
        for item in value if isinstance(value, (list, tuple)) else [value]:
            number = _as_number(item)
            bound = bound_number(item)
            option = None
            if bound is not None and question.numbers:
                option = question.bucket_below(bound)
                if question.numbers.store == "number":
                    numbers[question.slot] = bound
                    bounds.add(question.slot)
            elif number is not None and question.numbers:
                option = question.bucket(number)
                if question.numbers.store == "number":
                    numbers[question.slot] = number
            elif isinstance(item, str):
                option = question.option(item)
            if option is not None:
                found.append([option.value, *option.implies])
        if found:
            kept = found if question.multiple else found[-1:]
            values[question.slot] = tuple(dict.fromkeys(v for group in kept for v in group))
    profile = Profile(values=values, numbers=numbers, skipped=frozenset(skipped), bounds=frozenset(bounds))
    return _scale_step(_first_year_decides(profile, questions), questions)


def _scale_step(profile: Profile, questions: QuestionsData) -> Profile:
    """The profile with `scale_step` set to the largest named step (`current.steps`) that the plan reaches as
    a multiple of today's figure: "150 i år, 1 500 om året" is a tenfold step (issue #10)."""
    for question in questions.questions:
        spec = question.numbers
        if not spec or not spec.current_slot or not spec.current_steps:
            continue
        today = profile.numbers.get(spec.current_slot)
        plan = profile.horizons.get(question.slot, profile.numbers.get(question.slot))
        if today is None or plan is None or question.slot in profile.bounds:
            continue
        reached = [(ratio, name) for name, ratio in spec.current_steps.items() if plan >= ratio * today]
        if reached:
            return replace(profile, values={**profile.values, SCALE_STEP: (max(reached)[1],)})
    return profile


def _first_year_decides(profile: Profile, questions: QuestionsData) -> Profile:
    """For a product not yet made (`decides_when`), the first-year figure answers the question and the
    larger plan becomes its horizon: the path is chosen for the 500 units of the first year, not the 5 000
    hoped for later (persona round 11, p01)."""
    values, numbers, horizons = dict(profile.values), dict(profile.numbers), {}
    for question in questions.questions:
        spec = question.numbers
        if not spec or not spec.current_slot or not spec.current_decides_when:
            continue
        first, plan = numbers.get(spec.current_slot), numbers.get(question.slot)
        if first is None or plan is None or question.slot in profile.bounds or first >= plan:
            continue
        if any(matches(when, profile) for when in spec.current_decides_when):
            values[question.slot] = (question.bucket(first).value,)
            numbers[question.slot] = first
            horizons[question.slot] = plan
    return replace(profile, values=values, numbers=numbers, horizons=horizons) if horizons else profile


def bound_value(number: float) -> str:
    """The slot value for an answer below `number` ("under en halv miljon" -> "<500000")."""
    return f"{BOUND_PREFIX}{round(number)}"


def bound_number(item: Any) -> float | None:
    """The number of an upper bound stored by `bound_value`, else None."""
    if isinstance(item, str) and item.startswith(BOUND_PREFIX):
        return _as_number(item[len(BOUND_PREFIX) :])
    return None


def _as_number(item: Any) -> float | None:
    """A positive number from an int, float or numeric string ("12000", "12 000"); otherwise None."""
    number: float | None = None
    if isinstance(item, (int, float)) and not isinstance(item, bool):
        number = float(item)
    elif isinstance(item, str) and _NUMERIC.fullmatch(item.strip()):
        text = item.strip()
        grouped = re.fullmatch(r"\d{1,3}(?:[ .]\d{3})+", text)
        number = float(re.sub(r"[ .]", "", text) if grouped else text.replace(",", "."))
    return number if number is not None and math.isfinite(number) and number > 0 else None


def matches(when: Mapping[str, Any], profile: Profile, category: str | None = None) -> bool:
    """Whether every key of a `when:` condition holds for the profile (and the chosen category)."""
    for key, wanted in when.items():
        allowed = set(wanted) if isinstance(wanted, list) else {wanted}
        if key == "category":
            if category not in allowed:
                return False
        elif not profile.known(key):
            if UNKNOWN not in allowed:
                return False
        elif not allowed & set(profile.values[key]):
            return False
    return True


def fill(template: str, profile: Profile, questions: QuestionsData) -> str:
    """`template` with {stage}, {volume}, ... replaced by the user's answers as phrases."""
    return template.format(**{slot: answer_phrase(slot, profile, questions) for slot in SLOTS})


def answer_phrase(slot: str, profile: Profile, questions: QuestionsData) -> str:
    """The answer to `slot` as it reads inside a sentence ("en prototyp", "cirka 10 000 enheter per år")."""
    question = questions.question(slot)
    if slot in profile.horizons and question.numbers and question.numbers.horizon_phrase:
        return question.numbers.horizon_phrase.format(
            current=format_number(profile.numbers[slot]), number=format_number(profile.horizons[slot])
        )
    if slot in profile.numbers and question.numbers:
        bound = slot in profile.bounds and question.numbers.bound_phrase
        phrase = question.numbers.bound_phrase if bound else question.numbers.phrase
        return str(phrase).format(number=format_number(profile.numbers[slot]))
    if not profile.known(slot):
        return questions.texts["unknown_answer"]
    # A single answer reads as its own option, not also as the options it implies.
    said = profile.values[slot] if question.multiple else profile.values[slot][:1]
    return join([question.by_value[v].phrase for v in said], questions)


def answer_lines(profile: Profile, questions: QuestionsData) -> tuple[str, ...]:
    """One "Fas: Prototyp" line per answered or skipped question, in question order."""
    lines = []
    for question in questions.questions:
        slot = question.slot
        if slot in profile.skipped:
            answer = questions.texts["skipped_answer"]
        elif not profile.known(slot):
            continue
        elif question.multiple or slot in profile.numbers:
            answer = answer_phrase(slot, profile, questions)
        else:
            answer = question.by_value[profile.values[slot][0]].title
        lines.append(questions.texts["answer_line"].format(label=question.label, answer=answer))
    return tuple(lines)


def join(items: Sequence[str], questions: QuestionsData) -> str:
    """The items as "a, b och c", with the joiners from questions.yml."""
    if len(items) < 2:
        return "".join(items)
    return questions.texts["list_joiner"].join(items[:-1]) + questions.texts["last_joiner"] + items[-1]


def format_number(number: float) -> str:
    """A whole number with spaces between thousands, as written in Swedish: 10 000."""
    return f"{round(number):,}".replace(",", " ")


def is_relevant(question: QuestionSpec, profile: Profile) -> bool:
    """False for a question never asked (`ask: false`) or when one of its `skip_when` conditions holds,
    i.e. its answer would not change the advice."""
    return question.ask and not any(matches(when, profile) for when in question.skip_when)
