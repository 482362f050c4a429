"""Which consultation question a number in a free answer answers, if any: "5000 st per år" (volume),
"2 miljoner" (capital), "inom 3 månader" (time to market), but not "ISO 9001", "sen 5 år" or
"50 st gjorda" (units made so far, not a yearly volume).

Units and cue words come from knowledge/advisor/questions.yml; the words below are Swedish grammar.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.advisor.model import QuestionsData, QuestionSpec
from bot.advisor.parsing.numbers import Number, find_numbers
from bot.advisor.parsing.textmatch import (
    CLAUSE_PUNCTUATION,
    Match,
    PhraseSet,
    clause_around,
    fold,
    words_after,
    words_before,
)
from bot.advisor.profile import bound_value

__all__ = [
    "NumberRules",
    "founding_years",
    "in_thousands",
    "number_values",
    "read_in_thousands",
    "numbers_in",
    "planned",
]

# Right after a count these words make it the units made so far ("50 st gjorda"), not a yearly volume.
_MADE_SO_FAR = frozenset(
    "gjorda gjort gjordes tillverkade tillverkat producerade producerat byggda byggt salda salt levererade "
    "levererat hittills".split()
)
_SO_FAR_WINDOW = 3
_YEAR_ANSWER_MAX_WORDS = 3
# How far from a number "i dag" or "målet" may stand to say what the number is.
_NEAR_WORDS = 4
# How near a `not_with` word must stand: "omsätter vi ca 60 mille" (3 before), "15 st sitter i en pilot"
# (5 after), but not "40 000 om året i ca 150 varianter" (varianter is the 6th word after 40 000).
_NOT_WITH_BEFORE = 3
_NOT_WITH_AFTER = 5
_WORDS = re.compile(r"[a-z0-9]+")
_ZERO = re.compile(r"\bnoll\b")
# A word between a number and a unit that makes the unit a point in time, not the number's unit:
# "1500 nästa år" is a volume next year, not 1500 years.
_TIME_DETERMINERS = frozenset("nasta forra detta i till fran".split())
# A word right after an amount that spreads it over a time: "8 miljoner över ett par år", "under tre år".
_SPREAD_WORDS = frozenset("over under pa".split())
# "Första året 500, sen 2000": a figure right before "sen" makes the year-like number a growth target.
_AFTER_FIGURE = re.compile(r"\d[\d ]*\s*(?:st|stycken|enheter)?\s*[,;]?\s*(?:och\s+)?$")
_UNTIL_FIGURE = re.compile(r"\s*(?:-|–|—|till)\s*\d")
# A bare number below this, as the answer to a money question, is in thousands: people write "max 500" or
# "ca 300" for 500 000 and 300 000 kr (issue #10 item 3: "max 500" became 500 kr). No one has a few hundred
# kronor for tools or a pilot series; the reading is confirmed with the user ("Jag uppfattade …").
THOUSANDS_BELOW = 1_000
THOUSAND = 1_000
# A rate after a number ("5000 per år") makes it a volume even right after a stage word and a comma.
_PER_TIME = re.compile(
    r"\s*(st\s+|stycken\s+|enheter\s+)?(per|om|i|varje)\s+(ar|aret|manad|manaden|vecka|veckan)\b|\s*arligen\b"
)


@dataclass(frozen=True)
class NumberRules:
    """The number rules of questions.yml, compiled: unit and cue phrases per question."""

    data: QuestionsData
    units: Mapping[str, PhraseSet]
    cues: Mapping[str, PhraseSet]
    not_with: Mapping[str, PhraseSet]
    clause_words: frozenset[str]
    exclude_before: tuple[str, ...]
    current: Mapping[str, PhraseSet]
    plan: Mapping[str, PhraseSet]
    # Hedges ("kanske", "ungefär") between a number and the words near it don't count as words between them.
    hedges: frozenset[str] = frozenset()
    # Words before a year that make it when the company started ("AB sen 2022"), not a figure.
    year_words: frozenset[str] = frozenset()
    # Words anywhere before the number in its clause that make it no answer to the question (a unit price).
    not_in_clause: Mapping[str, PhraseSet] = field(default_factory=dict)

    @classmethod
    def compile(cls, data: QuestionsData, clause_words: frozenset[str]) -> NumberRules:
        """The rules of `data`, with `clause_words` ending a clause ("och", "men")."""
        return cls(
            data=data,
            units={
                q.slot: PhraseSet((w, str(u.factor)) for u in q.numbers.units for w in u.words)
                for q in data.questions
                if q.numbers
            },
            cues={
                q.slot: PhraseSet((w, q.slot) for w in q.numbers.cues) for q in data.questions if q.numbers
            },
            not_with={
                q.slot: PhraseSet((w, q.slot) for w in q.numbers.not_with)
                for q in data.questions
                if q.numbers and q.numbers.not_with
            },
            clause_words=clause_words,
            exclude_before=tuple(fold(w) for w in data.parsing["number_exclude_before"]),
            current={
                q.slot: PhraseSet((w, q.slot) for w in q.numbers.current_words)
                for q in data.questions
                if q.numbers and q.numbers.current_slot
            },
            plan={
                q.slot: PhraseSet((w, q.slot) for w in q.numbers.plan_words)
                for q in data.questions
                if q.numbers and q.numbers.plan_words
            },
            hedges=frozenset(fold(w) for w in data.parsing.get("hedge_words", ())),
            year_words=frozenset(fold(w) for w in data.parsing.get("company_age", {}).get("year_words", ())),
            not_in_clause={
                q.slot: PhraseSet((w, q.slot) for w in q.numbers.not_in_clause)
                for q in data.questions
                if q.numbers and q.numbers.not_in_clause
            },
        )


def numbers_in(rules: NumberRules, folded: str, masked: str) -> list[Number]:
    """The positive numbers in the text and zero sums ("typ noll kr", round 18), minus those after an
    excluded word and counts made so far."""
    found = find_numbers(folded, rules.exclude_before)
    # The number parser finds no spelled-out zero: "noll" is no count, but "noll kr" is an amount.
    zeros = [Number(m.start(), m.end(), 0.0, 1.0, True, False) for m in _ZERO.finditer(folded)]
    founded = founding_years(rules, folded, found)
    return sorted(
        (
            n
            for n in [*found, *zeros]
            if (n.value > 0 or _zero_sum(rules, masked, n))
            and not _made_so_far(rules, masked, n)
            and n not in founded
        ),
        key=lambda n: n.start,
    )


def founding_years(rules: NumberRules, folded: str, numbers: list[Number]) -> list[Number]:
    """The years among `numbers` that say when the company started ("AB sen 2022", "i drift sedan 1987",
    "grundat 2010"): a year right after a `year_words` word, unless a figure stands right before that word
    ("första året 500, sen 2000" is a growth target) or a range goes on from it ("från 2000 till 5000")."""
    found = []
    for number in numbers:
        before = folded[: number.start].rstrip()
        word = before.rsplit(maxsplit=1)[-1] if before else ""
        if (
            _looks_like_year(number)
            and word in rules.year_words
            and not _AFTER_FIGURE.search(before[: len(before) - len(word)])
            and not _UNTIL_FIGURE.match(folded, number.end)
        ):
            found.append(number)
    return found


def in_thousands(rules: NumberRules, masked: str, number: Number) -> bool:
    """Whether a number answering a money question is in thousands: bare (no unit, no scale word), below
    THOUSANDS_BELOW ("max 500", "ca 300")."""
    return _bare_small(number) and _unit_slot(rules, masked, number)[0] is None


def read_in_thousands(folded: str, value: float) -> bool:
    """Whether `value` was read from a bare small number of `folded` taken as thousands (`in_thousands`):
    "max 500" for 500 000 kr, which the user is asked to confirm."""
    return any(_bare_small(n) and n.value * THOUSAND == value for n in find_numbers(folded))


def _bare_small(number: Number) -> bool:
    """A number in digits without a scale or money word, below THOUSANDS_BELOW."""
    plain = not number.needs_unit and not number.money and number.scale == 1
    return plain and 0 < number.value < THOUSANDS_BELOW


def _zero_sum(rules: NumberRules, masked: str, number: Number) -> bool:
    """Whether a zero is an amount of money ("noll kr"): its unit is a money question's."""
    slot, _ = _unit_slot(rules, masked, number)
    spec = rules.data.question(slot).numbers if slot else None
    return number.value == 0 and bool(spec and spec.money)


def number_values(
    rules: NumberRules,
    masked: str,
    numbers: list[Number],
    expected: str | None,
    matched: Mapping[str, list[Match]],
) -> dict[str, Any]:
    """Numbers with a unit go to that unit's question; others by context (see `_context_slot`).

    A question whose numbers need a unit ("om två år") takes one outside its own question only right after
    one of its cues: "i Polen sen 5 år" says nothing about the time to market.
    """
    values: dict[str, Any] = {}
    taken: dict[str, list[tuple[Number, float]]] = {}
    for number in numbers:
        slot, factor = _unit_slot(rules, masked, number)
        if slot and number.money and not _money_question(rules, slot):
            # "3-5 mille per år", "3 mkr om året": a sum of money a year (turnover), not units a year
            # (tuning set 1: read as 4 000 000 units); money goes to a money question or nowhere.
            slot = None
        if slot is None and not number.needs_unit:
            slot, factor = _context_slot(rules, masked, number, expected, alone=len(numbers) == 1), 1.0
        spec = rules.data.question(slot).numbers if slot else None
        if not slot or not spec:
            continue
        if spec.require_unit and slot != expected and not _cued(rules, masked, number, slot):
            continue
        if spec.require_unit and slot != expected and _after_other_number(rules, masked, number, numbers):
            continue
        if _said_with(rules, masked, number, slot):
            continue
        if slot == expected and spec.money and in_thousands(rules, masked, number):
            factor = THOUSAND
        if not _right_after(masked, number, [m for s in spec.not_after for m in matched.get(s, [])]):
            value = _store(rules.data.question(slot), number.value * factor, number.bound)
            # Several numbers for one question ("300 st nu, 1500 nästa år", "4 modeller i 2 storlekar"):
            # plan for the largest.
            previous = values.get(slot)
            taken.setdefault(slot, []).append((number, number.value * factor))
            restated = previous is not None and _restated(masked, number)
            if restated or not (isinstance(previous, int) and isinstance(value, int) and previous > value):
                values[slot] = value
    values.update(_current_values(rules, masked, numbers, values, taken))
    return values


# A later figure that restates an earlier one for the same question replaces it, larger or not: "vi tog in 12
# mkr … säg 3 milj till tillverkningen" (persona round 17, p05: read as 12 MSEK), "500, alltså 300 per år".
_RESTATING = re.compile(
    r"\b(?:sag|alltsa|dvs|snarare|egentligen|rattare sagt|eller snarare)\s+"
    r"(?:(?:ca|cirka|ungefar|typ|runt|kanske)\s+)?$"
)


def _restated(masked: str, number: Number) -> bool:
    """Whether a restating word stands right before the number ("säg 3 milj", "alltså 300")."""
    return bool(_RESTATING.search(masked[: number.start]))


def _current_values(
    rules: NumberRules,
    masked: str,
    numbers: list[Number],
    values: Mapping[str, Any],
    taken: Mapping[str, list[tuple[Number, float]]],
) -> dict[str, Any]:
    """Today's figure beside the plan: "vi gör 50 i år men siktar på 500" keeps 500 as the volume and 50
    as today's. A smaller number counts when a `current` word stands by it ("i dag", "i år"), or when the
    plan has a plan word by it ("växa till ca 80", "3000 om två år") and the smaller one was read for the
    same question."""
    found: dict[str, Any] = {}
    others = {id(n) for slot, pairs in taken.items() for n, _ in pairs}
    for slot, current in rules.current.items():
        plan = values.get(slot)
        spec = rules.data.question(slot).numbers
        if not isinstance(plan, int) or spec is None or spec.current_slot is None:
            continue
        # The plan word may stand before the plan ("växa till ca 80") or after it ("800, kanske 3000 om två
        # år": persona round 15b), also across a comma ("vill serietillverka stolen, 1 500 om året"; branch
        # adv23): the same length, so the positions hold.
        unbroken = masked.replace(",", " ")
        planned = any(
            v == plan and _near(rules.plan[slot], rules, unbroken, n)
            for n, v in taken.get(slot, [])
            if slot in rules.plan
        )
        best: float | None = None
        for number in numbers:
            same = [v for n, v in taken.get(slot, []) if n is number]
            unit_slot, factor = _unit_slot(rules, masked, number)
            if same:
                value = same[0]
            elif (
                id(number) in others
                or number.money
                or number.needs_unit
                or _looks_like_year(number)
                or unit_slot not in (None, slot)
                or _said_with_other(rules, masked, number, slot, current)
            ):
                continue
            else:
                value = number.value * factor
            if not value < plan:
                continue
            if _near(current, rules, masked, number) or (planned and same):
                best = max(best or 0.0, value)
        if best:
            found[spec.current_slot] = int(round(best))
    return found


def planned(rules: NumberRules, masked: str, numbers: list[Number], slot: str, value: Any) -> bool:
    """Whether the number that gave `value` to `slot` has a plan word by it ("vill serietillverka stolen,
    1 500 om året"): a larger figure than the one an earlier message gave is then the plan, and the earlier
    one today's figure."""
    words = rules.plan.get(slot)
    if words is None or not isinstance(value, int):
        return False
    unbroken = masked.replace(",", " ")
    return any(
        round(n.value * _unit_slot(rules, masked, n)[1]) == value and _near(words, rules, unbroken, n)
        for n in numbers
    )


def _said_with_other(rules: NumberRules, masked: str, number: Number, slot: str, current: PhraseSet) -> bool:
    """`_said_with`, except for the words that make it today's figure ("50 i år"): "i dag har vi 3
    anställda" is no volume today."""
    words = rules.not_with.get(slot)
    if words is None:
        return False
    before = " ".join(words_before(masked, number.start, _NOT_WITH_BEFORE, rules.clause_words))
    after = " ".join(w.group() for w in words_after(masked, number.end, _NOT_WITH_AFTER, rules.clause_words))
    return any(
        not any(hit.overlaps(today) for today in current.find(text))
        for text in (before, after)
        for hit in words.find(text)
    )


def _near(words: PhraseSet, rules: NumberRules, masked: str, number: Number, after: bool = True) -> bool:
    """Whether one of `words` stands within a few words before (or after) the number and its unit, in its
    clause: "100-150 st om året i början" (persona round 16, p02: the unit hid "i början")."""
    # "I år blir det kanske 150": the hedge is no word between "i år" and the number (tuning set 15).
    before = [
        w
        for w in words_before(masked, number.start, 2 * _NEAR_WORDS, rules.clause_words)
        if w not in rules.hedges
    ][-_NEAR_WORDS:]
    end = number.end + _unit_length(rules, masked, number)
    following = [w.group() for w in words_after(masked, end, _NEAR_WORDS, rules.clause_words)]
    return words.contains(" ".join(before)) or (after and words.contains(" ".join(following)))


def _said_with(rules: NumberRules, masked: str, number: Number, slot: str) -> bool:
    """Whether a `not_with` word of the question stands near the number ("15 st i en pilot" is no yearly
    volume, "omsättning 60 mille" is no capital): three words before it or five after, in its clause; or a
    `not_in_clause` word anywhere before it in its clause ("priset ut ska vara runt 400 kr")."""
    clause_words = rules.not_in_clause.get(slot)
    if clause_words is not None:
        left, _ = clause_around(masked, number.start, number.end, rules.clause_words)
        if clause_words.find(masked[left : number.start]):
            return True
    words = rules.not_with.get(slot)
    if words is None:
        return False
    # "första batchen 10 000 st" is the first order, which the question counts (a `current` word), though
    # "10 000 per batch" alone is no yearly volume (persona round 11, p03).
    first = rules.current.get(slot)
    for found in first.find(masked) if first else ():
        masked = masked[: found.start] + " " * (found.end - found.start) + masked[found.end :]
    before = words_before(masked, number.start, _NOT_WITH_BEFORE, rules.clause_words)
    after = [w.group() for w in words_after(masked, number.end, _NOT_WITH_AFTER, rules.clause_words)]
    # "8 miljoner över ett par år" spreads the number over time; the years are not what it counts.
    spread = next((i for i, word in enumerate(after) if word in _SPREAD_WORDS), None)
    if spread is not None and spread <= 1:
        after = after[:spread]
    return words.contains(" ".join(before)) or words.contains(" ".join(after))


def _after_other_number(rules: NumberRules, masked: str, number: Number, numbers: list[Number]) -> bool:
    """Whether another number stands before this one in its clause: "5000 per år om två år" says when the
    volume is reached, not when the product must be on the market. An article ("En kedja vill ha den om
    fyra månader") is no number here."""
    left, _ = clause_around(masked, number.start, number.end, rules.clause_words)
    return any(
        left <= other.start and other.end <= number.start and not (other.needs_unit and other.value == 1)
        for other in numbers
    )


def _cued(rules: NumberRules, masked: str, number: Number, slot: str) -> bool:
    """Whether one of the question's cue words stands in the two words before the number ("inom 3 mån")."""
    return rules.cues[slot].contains(" ".join(words_before(masked, number.start, 2, rules.clause_words)))


def _right_after(masked: str, number: Number, mentions: list[Match]) -> bool:
    """Whether the number follows one of `mentions` within two words ("en nollserie på 50 st"), or right
    after it and a comma ("Prototyp, fem exemplar": the prototypes, not a yearly volume)."""
    for mention in mentions:
        between = masked[mention.end : number.start]
        after_comma = between.strip() == "," and not _PER_TIME.match(masked, number.end)
        if mention.end <= number.start and (
            after_comma or (len(between.split()) <= 2 and not set(between) & set(CLAUSE_PUNCTUATION))
        ):
            return True
    return False


def _unit_length(rules: NumberRules, masked: str, number: Number) -> int:
    """How many characters after the number its unit ends ("st om året"), or 0 without one right after."""
    window = masked[number.end :]
    ends = [
        m.end for units in rules.units.values() for m in units.find(window) if not window[: m.start].strip()
    ]
    return max(ends, default=0)


def _money_question(rules: NumberRules, slot: str) -> bool:
    """Whether the question's numbers are amounts of money."""
    spec = rules.data.question(slot).numbers
    return bool(spec and spec.money)


def _unit_slot(rules: NumberRules, masked: str, number: Number) -> tuple[str | None, float]:
    """The question whose unit follows the number ("st per år", "kr", "månader"), at most one word later."""
    _, clause_end = clause_around(masked, number.start, number.end, rules.clause_words)
    window = masked[number.end : clause_end]
    best: tuple[int, int, str, float] | None = None
    for slot, units in rules.units.items():
        for m in units.find(window):
            between = window[: m.start].split()
            if len(between) > 1 or set(between) & _TIME_DETERMINERS:
                continue
            candidate = (m.start, m.start - m.end, slot, float(m.value))
            best = min(best, candidate) if best else candidate
    return (best[2], best[3]) if best else (None, 1.0)


def _context_slot(
    rules: NumberRules, masked: str, number: Number, expected: str | None, alone: bool
) -> str | None:
    """A number without a unit: money words, then the nearest cue word, then the question just asked.

    A bare year ("utlysningen 2016") answers only when it is all the message says ("ca 2000").
    """
    free = [q for q in rules.data.questions if q.numbers and not q.numbers.require_unit]
    money = next((q.slot for q in free if q.numbers and q.numbers.money), None)
    if number.money and money:
        return money
    planned = [slot for slot, words in rules.plan.items() if _near(words, rules, masked, number)]
    if planned and not number.millions:
        return planned[0]  # "målet 2000", "1500 nästa år": a plan, not a year
    if _looks_like_year(number):
        short = alone and len(_WORDS.findall(masked)) <= _YEAR_ANSWER_MAX_WORDS
        # A cue of the question just asked right before it makes it a figure: "nej, räkna med 2000" (persona
        # round 31: the corrected volume was read as a year and the question asked again).
        cues = rules.cues.get(expected or "")
        cued = cues is not None and _near(cues, rules, masked, number, after=False)
        return expected if (short or cued) and expected in {q.slot for q in free} else None
    left, right = clause_around(masked, number.start, number.end, rules.clause_words)
    if expected in {q.slot for q in free} and rules.cues[expected].contains(masked[left:right]):
        # The question just asked, named in the answer's clause, outweighs a nearer cue of another
        # question: "600k totalt om man räknar med egna pengar" answers the capital question.
        return expected
    distances = [
        (abs(left + m.start - number.start), q.slot)
        for q in free
        for m in rules.cues[q.slot].find(masked[left:right])
    ]
    if distances:
        return min(distances)[1]
    if expected in {q.slot for q in free} and (alone or not number.millions):
        return expected
    return money if number.millions else None


def _looks_like_year(number: Number) -> bool:
    """A bare number like 2018 next to "tillverka" is more likely a year than a volume."""
    return (
        not number.needs_unit
        and number.scale == 1
        and number.value.is_integer()
        and 1900 <= number.value <= 2100
    )


def _store(question: QuestionSpec, value: float, bound: bool = False) -> Any:
    """A volume keeps its number; other questions, and zero ("noll kr"), store the option the number falls
    into. An upper bound ("under en halv miljon") lands below the number: stored as a bound, or as the option
    below it."""
    if question.numbers and question.numbers.store == "number" and value > 0:
        return bound_value(value) if bound else int(round(value))
    return (question.bucket_below(value) if bound else question.bucket(value)).value


def _made_so_far(rules: NumberRules, masked: str, number: Number) -> bool:
    """Whether the number counts units already made ("ca 50 st gjorda"), which is no yearly volume."""
    after = words_after(masked, number.end, _SO_FAR_WINDOW, rules.clause_words)
    return any(w.group() in _MADE_SO_FAR for w in after)
