"""Turn a free Swedish answer into consultation slot values, using the synonyms and number rules in
knowledge/advisor/questions.yml.

One message may answer several questions ("vi har en prototyp i plast, räknar med 10 000 st per år"),
skip the question just asked ("vet inte") or correct an earlier answer ("jag menar 5000 per år").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.advisor.data import QuestionsData, QuestionSpec, load_questions
from bot.advisor.numbers import Number, find_numbers
from bot.advisor.profile import SKIP
from bot.advisor.textmatch import (
    CLAUSE_PUNCTUATION,
    Match,
    PhraseSet,
    clause_around,
    fold,
    mask,
    words_before,
)

__all__ = ["SKIP", "ParseResult", "parse_answer", "slot_updates"]

_IGNORE = "ignore"
_UTAN = re.compile(r"(?<![a-z0-9])utan(?![a-z0-9])")


@dataclass(frozen=True)
class ParseResult:
    """What one message said: slot values, whether the user skipped, whether it was a correction."""

    values: Mapping[str, Any]
    skipped: bool
    correction: bool


@dataclass(frozen=True)
class _Compiled:
    data: QuestionsData
    options: Mapping[str, PhraseSet]
    short_answers: Mapping[str, PhraseSet]
    units: Mapping[str, PhraseSet]
    cues: Mapping[str, PhraseSet]
    skip: PhraseSet
    correction: PhraseSet
    planned: PhraseSet
    negation: frozenset[str]
    clause_words: frozenset[str]
    number_exclude: tuple[str, ...]


_compiled: list[_Compiled] = []


def parse_answer(
    text: str, expected: str | None = None, questions: QuestionsData | None = None
) -> ParseResult:
    """Slot values found in `text`; `expected` is the slot of the question just asked (or None).

    Values are option values (str), a list of option values for `priorities`, an int for a volume given
    as a number, or SKIP for the expected slot when the user said "vet inte" / "hoppa över". An answer
    to the expected question that matches nothing takes the question's `fallback`, if it has one.
    """
    c = _compile(questions or load_questions())
    folded = fold(text)
    masked = _mark_contrast(c, mask(folded))
    numbers = [n for n in find_numbers(folded, c.number_exclude) if n.value > 0]
    matched = _match_options(c, masked, numbers)
    values: dict[str, Any] = {slot: _pick(c.data.question(slot), ms) for slot, ms in matched.items()}
    taken = [m for ms in matched.values() for m in ms]
    numbers = [n for n in numbers if not any(n.start < m.end and m.start < n.end for m in taken)]
    values.update(_match_numbers(c, masked, numbers, expected, matched))
    if expected and expected not in values:
        short = c.short_answers[expected].find(masked)
        if short:
            values[expected] = _pick(c.data.question(expected), short)
    skipped = c.skip.contains(masked)
    if skipped and expected and expected not in values:
        values[expected] = SKIP
    fallback = c.data.question(expected).fallback if expected else None
    if fallback and not values and any(ch.isalnum() for ch in masked):
        values[expected] = fallback
    return ParseResult(values=values, skipped=skipped, correction=c.correction.contains(masked))


def slot_updates(
    filled: Mapping[str, Any], result: ParseResult, questions: QuestionsData | None = None
) -> dict[str, Any]:
    """The slots to set after `result`: new priorities are added to earlier ones unless the user corrected."""
    data = questions or load_questions()
    updates: dict[str, Any] = {}
    for slot, value in result.values.items():
        old = filled.get(slot)
        if data.question(slot).multiple and isinstance(old, list) and isinstance(value, list):
            value = value if result.correction else old + [v for v in value if v not in old]
        if old != value:
            updates[slot] = value
    return updates


def _compile(data: QuestionsData) -> _Compiled:
    """Phrase sets for `data`, built once per loaded questions file."""
    if _compiled and _compiled[0].data is data:
        return _compiled[0]
    parsing = data.parsing
    fuzzy = (parsing["fuzzy"]["one_typo_min_length"], parsing["fuzzy"]["two_typos_min_length"])
    compiled = _Compiled(
        data=data,
        options={q.slot: PhraseSet(_option_phrases(q), *fuzzy) for q in data.questions},
        short_answers={
            q.slot: PhraseSet((s, o.value) for o in q.options for s in o.short_answers)
            for q in data.questions
        },
        units={
            q.slot: PhraseSet((w, str(u.factor)) for u in q.numbers.units for w in u.words)
            for q in data.questions
            if q.numbers
        },
        cues={q.slot: PhraseSet((w, q.slot) for w in q.numbers.cues) for q in data.questions if q.numbers},
        skip=PhraseSet((p, "skip") for p in parsing["skip_phrases"]),
        correction=PhraseSet((p, "correction") for p in parsing["correction_phrases"]),
        planned=PhraseSet((p, "planned") for p in parsing["planned_words"]),
        negation=frozenset(fold(w) for w in parsing["negation_words"]),
        clause_words=frozenset(fold(w) for w in parsing["clause_words"]),
        number_exclude=tuple(fold(w) for w in parsing["number_exclude_before"]),
    )
    _compiled[:] = [compiled]
    return compiled


def _option_phrases(question: QuestionSpec) -> list[tuple[str, str]]:
    return [(s, o.value) for o in question.options for s in (o.value, o.title, *o.synonyms)]


def _mark_contrast(c: _Compiled, masked: str) -> str:
    """In "inte plast utan elektronik" the "utan" starts a new clause instead of negating what follows."""
    for m in _UTAN.finditer(masked):
        if c.negation & set(words_before(masked, m.start(), 6, c.clause_words)):
            masked = masked[: m.start()] + "," + " " * 3 + masked[m.end() :]
    return masked


def _match_options(c: _Compiled, masked: str, numbers: list[Number]) -> dict[str, list[Match]]:
    """Per slot, the option matches that survive negation ("ingen fabrik") and plans ("vill göra en ...").

    Words inside a number ("2 miljoner") are not option matches, nor are typo matches on a word that
    another question matched exactly.
    """
    parsing = c.data.parsing
    candidates = {q.slot: c.options[q.slot].find(masked) for q in c.data.questions}
    exact = [m for ms in candidates.values() for m in ms if m.exact]
    found: dict[str, list[Match]] = {}
    for question in c.data.questions:
        kept = []
        for match in candidates[question.slot]:
            inside_number = any(n.start <= match.start and match.end <= n.end for n in numbers)
            if inside_number or (not match.exact and any(match.overlaps(e) for e in exact)):
                continue
            before = words_before(
                masked,
                match.start,
                max(parsing["negation_window"], parsing["planned_window"]),
                c.clause_words,
            )
            value = _in_context(c, question, match.value, before)
            if value and value != _IGNORE:
                kept.append(Match(match.start, match.end, value))
        if kept:
            found[question.slot] = kept
    return found


def _in_context(c: _Compiled, question: QuestionSpec, value: str, before: list[str]) -> str | None:
    parsing = c.data.parsing
    if c.negation & set(before[-parsing["negation_window"] :]):
        return question.negated
    option = question.option(value)
    if option and option.planned and c.planned.contains(" ".join(before[-parsing["planned_window"] :])):
        return option.planned
    return value


def _pick(question: QuestionSpec, matches: list[Match]) -> Any:
    """All mentioned values in order for a multiple-choice slot; otherwise the last one mentioned."""
    if question.multiple:
        return list(dict.fromkeys(m.value for m in matches))
    return matches[-1].value


def _match_numbers(
    c: _Compiled, masked: str, numbers: list[Number], expected: str | None, matched: Mapping[str, list[Match]]
) -> dict[str, Any]:
    """Numbers with a unit go to that unit's question; others by context (see `_context_slot`)."""
    values: dict[str, Any] = {}
    for number in numbers:
        slot, factor = _unit_slot(c, masked, number)
        if slot is None and not number.needs_unit:
            slot, factor = _context_slot(c, masked, number, expected, alone=len(numbers) == 1), 1.0
        spec = c.data.question(slot).numbers if slot else None
        if (
            slot
            and spec
            and not _right_after(masked, number, [m for s in spec.not_after for m in matched.get(s, [])])
        ):
            values[slot] = _store(c.data.question(slot), number.value * factor)
    return values


def _right_after(masked: str, number: Number, mentions: list[Match]) -> bool:
    """Whether the number follows one of `mentions` within two words ("en nollserie på 50 st")."""
    for mention in mentions:
        between = masked[mention.end : number.start]
        if (
            mention.end <= number.start
            and len(between.split()) <= 2
            and not set(between) & set(CLAUSE_PUNCTUATION)
        ):
            return True
    return False


def _unit_slot(c: _Compiled, masked: str, number: Number) -> tuple[str | None, float]:
    """The question whose unit follows the number ("st per år", "kr", "månader"), at most one word later."""
    _, clause_end = clause_around(masked, number.start, number.end, c.clause_words)
    window = masked[number.end : clause_end]
    best: tuple[int, int, str, float] | None = None
    for slot, units in c.units.items():
        for m in units.find(window):
            if len(window[: m.start].split()) > 1:
                continue
            candidate = (m.start, m.start - m.end, slot, float(m.value))
            best = min(best, candidate) if best else candidate
    return (best[2], best[3]) if best else (None, 1.0)


def _context_slot(c: _Compiled, masked: str, number: Number, expected: str | None, alone: bool) -> str | None:
    """A number without a unit: money words, then the nearest cue word, then the question just asked."""
    free = [q for q in c.data.questions if q.numbers and not q.numbers.require_unit]
    money = next((q.slot for q in free if q.numbers and q.numbers.money), None)
    if number.money and money:
        return money
    left, right = clause_around(masked, number.start, number.end, c.clause_words)
    distances = [
        (abs(left + m.start - number.start), q.slot)
        for q in free
        for m in c.cues[q.slot].find(masked[left:right])
    ]
    if distances:
        return min(distances)[1]
    if expected in {q.slot for q in free} and (alone or not number.millions):
        return expected
    return money if number.millions else None


def _store(question: QuestionSpec, value: float) -> Any:
    """A volume keeps its number; other questions store the option the number falls into."""
    if question.numbers and question.numbers.store == "number":
        return int(round(value))
    return question.bucket(value).value
