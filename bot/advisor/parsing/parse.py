"""Turn a free Swedish answer into consultation slot values, using the synonyms and number rules in
knowledge/advisor/questions.yml.

One message may answer several questions ("vi har en prototyp i plast, räknar med 10 000 st per år"),
skip the question just asked ("vet inte"), correct an earlier answer ("jag menar 5000 per år") or take
one back ("hållbarhet har jag inte sagt").

The parser is conservative: an answer the user never gave is worse than asking again, because a filled
question is not asked. A slot is filled only on a clear mention (`synonyms`); generic words
(`short_answers`, button titles) count only as an answer to the question just asked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.advisor.data import load_questions
from bot.advisor.model import SKIP, UNCHANGED, QuestionsData, QuestionSpec
from bot.advisor.parsing.numbers import Number, find_numbers
from bot.advisor.parsing.numberslots import NumberRules, founding_years, number_values, numbers_in, planned
from bot.advisor.parsing.textmatch import (
    CLAUSE_PUNCTUATION,
    Match,
    PhraseSet,
    clause_around,
    fold,
    mask,
    words_after,
    words_before,
)
from bot.advisor.parsing.timewords import months_until
from bot.settings import get_settings

__all__ = ["SKIP", "ParseResult", "affirms", "parse_answer", "slot_updates"]

_IGNORE = "ignore"
# A place name as a style ("med skandinavisk look", "i nordisk design") says how it looks, not where it is
# sold (persona round 11, p03: "skandinavisk look" became the Nordic market).
_STYLE = re.compile(r"\b[a-z]+(isk|sk)[at]?\s+(look|design|stil|kansla|formsprak|estetik|stuk|uttryck)\b")
_UTAN = re.compile(r"(?<![a-z0-9])utan(?![a-z0-9])")
_UTAN_ATT = re.compile(r"(?<![a-z0-9])utan att(?![a-z0-9])")
# How far back `ignore_after` words are looked for ("vi bygger kundanpassade transportörer och robotceller").
_IGNORE_WINDOW = 6
# How far ahead `ignore_before` words are looked for: "kinesiska 18650-celler" (the type number between).
_BEFORE_WINDOW = 2
# Common verbs that start a new statement after "vi bygger X och ...".
_FINITE_VERBS = frozenset(
    fold(w)
    for w in "har är vill ska kan får behöver saknar hittar tackar måste hinner klarar söker letar".split()
)
# The verbs of making end what an ignore phrase before them covers: in "en verkstad med svarv och bandsåg där
# vi gör leksaker" the toys are what the company makes, the lathe is its equipment (persona round 24b, p10).
# Unless the phrase is the making itself: "vi bygger robotceller" is no wish to automate. Not "säljer",
# "levererar", "köper": they start ignore phrases of their own ("levererar till", "köper").
_MAKING_VERBS = frozenset(
    fold(w) for w in "gör tillverkar bygger producerar snickrar svarvar målar syr gjuter".split()
)
# "vi gör lite slutmontage här hemma, annars inget" (persona round 13, p06): a trailing "annars inget" or
# "inget mer" after an answer limits it to what was said; it is no answer of its own ("inget": no own
# production).
_LIMITER = re.compile(
    r"(?<=[a-z0-9])[\s,;]+(?:(?:men|och) )?(?:annars (?:inget|ingenting|inga|inte mer)(?: annat| mer)?"
    r"|(?:inget|ingenting) (?:mer|mera|annat))(?=\s*(?:[.!,;]|$))"
)
# "och"/"eller" join the things a company makes; they don't end the sentence about them.
_LIST_WORDS = frozenset({"och", "eller", "samt"})
_SLASH_UNIT = re.compile(r"\s*/\s*(?=[a-z])")
# The first word of a message and the comma after it ("Nej, räkna med 2000").
_LEADING_WORD = re.compile(r"\s*([a-z]+)\s*,\s*")
# The first clause of an answer: "Något känslig, vi har sökt patent" starts with a button title.
_FIRST_CLAUSE = re.compile(r"[^,.;:!?]*")
# Button-title heads that say only yes or no ("Ja, egen produktion"): "ja, lite montering" is no choice of it.
_YES_NO_HEADS = frozenset({"ja", "nej", "japp", "nix"})
_WORDS = re.compile(r"[a-z0-9]+")
# What stands between two items of a list: "Danmark och Tyskland", "Norge, Tyskland".
_LISTED = re.compile(r"\s*(,|och|samt|,\s*och)\s*")
# A negation after a mention ("hållbarhet har jag inte sagt") stops at a relative clause ("en prototyp
# som inte funkar än" still says prototype, and "en egen produkt så vi inte är så beroende av legojobben" a
# product, round 13, p02); "X utan Y" means "X without Y", not "not X".
_STOP_AFTER = frozenset({"som", "att", "sa"})
_NOT_NEGATING_AFTER = frozenset({"utan"})
# "X är ingen raketforskning": the determiner negates the noun after it (see _negates_what_follows).
_NEGATING_DETERMINERS = frozenset({"ingen", "inget", "inga"})
_PRONOUNS = frozenset("vi jag man de du ni han hon den det dom som".split())
_COPULAS = frozenset({"ar", "var", "blir"})
# A negation that, alone before a mention in its clause, excludes it even where a negation agrees with the
# answer ("kantpressen, inte svetsen", "lackeringen och inte svetsarna"); "vi hittar inte svetsare" says
# they are missing.
_CONTRAST_NEGATIONS = frozenset({"inte", "ej"})
# "vet inte om/hur/vad ..." doesn't skip the question asked: it says what the user wonders about.
_QUESTION_WORDS = frozenset("om ifall hur vad vem var nar varfor vilken vilket vilka".split())
# "om det går bra" in a hesitant answer is a condition, not a question.
_CONDITIONAL = frozenset({"om", "ifall"})
# Seasons, holidays and months ("till våren") answer this question, as months from today.
_TIME_SLOT = "time_to_market"
# The question whose answers come in order of importance ("kvalitet, sen kostnad").
_RANKED_SLOT = "priorities"
# A sentence that ends with "?"; one of at most this many words around a number is a guess ("några hundra?",
# "typ 2000?"), not a question.
_ASKED = re.compile(r"[^.!?]*\?")
_GUESS_WORDS = 4
# A number as the word before a mention: digits, or a number word ("tusen", "femhundra").
_NUMBER_WORD = re.compile(r"[0-9]+|[a-z]*(tusen|hundra|miljon|miljoner)")
# The sentence up to a position: "X och inte Y" has words before the "inte", a lone "inte bråttom" none.
_SENTENCE_SO_FAR = re.compile(r"[^.!?]*$")
# `fallback` ("en cykelhjälm" → other) takes only a short answer, not a sentence about something else.
_FALLBACK_MAX_WORDS = 12
# Where a clause ends, for words that count only beside a cue in their own clause.
_CLAUSE = re.compile(r"[,.;:!?]")
# Where a clause ends for a cue: what follows a colon or a dash explains it ("kostnad var inte viktigast –
# säkerhet och kvalitet först").
_CUE_CLAUSE = re.compile(r"[,.;!?]")
# Where a sentence ends: a rhetorical question affirms only up to its "?" (`_affirmed`).
_SENTENCE_END = re.compile(r"[.!?]")
# What ends the user's own short question before its answer: "Kosmetika? Nej", "Livsmedel: nej".
_OWN_QUESTION_END = frozenset("?:")
_DASH_AFTER = re.compile(r"\s*[-–]\s")


@dataclass(frozen=True)
class ParseResult:
    """What one message said: slot values, whether the user skipped or corrected, and negated answers.

    `negated` holds, per slot, option values the user mentioned negatively ("inte plast"): an earlier
    answer among them is taken back by `slot_updates`.
    """

    values: Mapping[str, Any]
    skipped: bool
    correction: bool
    negated: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    expected: str | None = None
    # Number slots whose figure was said as a plan ("vill serietillverka, 1 500 om året"): beside a smaller
    # figure from an earlier message, that one is today's (`slot_updates`).
    plans: frozenset[str] = frozenset()
    # Slots named only inside a question ("borde vi inte ta en fabrik i Kina?", "ska vi flytta till
    # Litauen?"): they may fill an empty slot, never change a given answer (`slot_updates`).
    asked: frozenset[str] = frozenset()


@dataclass(frozen=True)
class _Compiled:
    data: QuestionsData
    options: Mapping[str, PhraseSet]
    answers: Mapping[str, PhraseSet]
    titles: Mapping[str, Mapping[str, str]]
    numbers: NumberRules
    skip: PhraseSet
    correction: PhraseSet
    planned: PhraseSet
    negation: frozenset[str]
    clause_words: frozenset[str]
    planned_words: frozenset[str]
    hedges: frozenset[str] = frozenset()
    denials: Mapping[str, PhraseSet] = field(default_factory=dict)
    company_age: re.Pattern[str] | None = None
    # A company word or a founding word ("AB", "grundat", "i drift"): a year after it is the company's start.
    founded: re.Pattern[str] | None = None
    not_only: tuple[tuple[str, ...], ...] = ()
    secondary: PhraseSet | None = None
    affirming: PhraseSet | None = None
    tie_weak: Mapping[str, PhraseSet] = field(default_factory=dict)
    answered_no: frozenset[str] = frozenset()
    complaints: PhraseSet = field(default_factory=lambda: PhraseSet(()))
    # "plywooden var bara för prototypen": a clause about the prototype, whose material is not the product's
    # when another clause names the product's (parsing.prototype_words and prototype_materials).
    prototype: PhraseSet | None = None
    prototype_materials: frozenset[str] = frozenset()
    # "eventuellt", "på sikt", "lite": what the message only may have, or has a little of (parsing's
    # possibility_words, later_words and degree_words; options' `possible` and `slight`).
    # First words (folded) of a sentence that asks without a "?" (parsing.question_starts).
    question_starts: tuple[str, ...] = ()
    possibility: PhraseSet | None = None
    later: PhraseSet | None = None
    degree: PhraseSet | None = None


@dataclass(frozen=True)
class _Mentions:
    """Option mentions per slot: the values they stand for, the values negated, whether any was seen, and
    the spans of the expected question matched only by a short answer."""

    found: dict[str, list[Match]]
    negated: dict[str, tuple[str, ...]]
    seen: bool
    weak: set[tuple[int, int]]
    # Where a value was negated in the message's own words (not by "Kosmetika? Nej"), per slot.
    negated_at: dict[str, list[Match]] = field(default_factory=dict)


_compiled: list[_Compiled] = []


def parse_answer(
    text: str,
    expected: str | None = None,
    questions: QuestionsData | None = None,
    today: date | None = None,
) -> ParseResult:
    """Slot values found in `text`; `expected` is the slot of the question just asked (or None).

    Values are option values (str), a list of option values for `priorities`, an int for a volume given
    as a number, or SKIP for the expected slot when the user said "vet inte" / "hoppa över". A button
    title, a short answer ("nej") or a bare number ("5000") answers only the expected question, and not in a
    message that asks something ("?"); a time word ("till våren", counted from `today`) answers the time
    question, elsewhere only beside one of its cues ("lansera till våren"). A short
    answer to the expected question that mentions no option at all takes the question's `fallback`.
    """
    c = _compile(questions or load_questions())
    folded = _SLASH_UNIT.sub(" per ", fold(text))
    masked = _STYLE.sub(lambda m: " " * len(m.group(0)), _mark_contrast(c, mask(folded)))
    masked = _LIMITER.sub(lambda m: " " * len(m.group(0)), masked)
    unaffirmed = masked
    masked = _affirmed(c, masked)
    title = c.titles[expected].get(_words(masked)) if expected else None
    if expected and title:
        value = [title] if c.data.question(expected).multiple else title
        return ParseResult(values={expected: value}, skipped=False, correction=False)
    numbers = numbers_in(c.numbers, folded, masked)
    answering = expected if "?" not in masked or _hedged(c, masked, numbers) else None
    mentions = _match_options(c, masked, numbers, answering)
    picked = {
        slot: _pick(
            c.data.question(slot),
            ms,
            (mentions.weak if slot == answering else set()) | _tie_weak(c, slot, masked, ms),
        )
        for slot, ms in mentions.found.items()
    }
    values: dict[str, Any] = {
        slot: _with_implied(c.data.question(slot), value)
        for slot, value in picked.items()
        if value is not None
    }
    if isinstance(values.get(_PRODUCT_SLOT), list):
        values[_PRODUCT_SLOT] = _without_prototype_materials(
            c, masked, mentions.found.get(_PRODUCT_SLOT, []), values[_PRODUCT_SLOT]
        )
    taken = [m for ms in mentions.found.values() for m in ms]
    numbers = [n for n in numbers if not any(n.start < m.end and m.start < n.end for m in taken)]
    numbered = number_values(c.numbers, masked, numbers, answering, mentions.found)
    for slot, value in numbered.items():
        spec = c.data.question(slot).numbers
        if spec and values.get(slot) in spec.words_first:
            continue  # "tre grundare, två anställda": the startup named in words decides
        values[slot] = value
    # The settings' date (LOTSEN_TODAY in tests and demos), like the calls' open and closed.
    today = today or get_settings().today_date()
    aged = _company_age(c, masked, today)
    if aged and values.get("company") in (None, c.data.parsing["company_age"]["young"]):
        # "ett smides-AB sedan 6 år, jag och en anställd": the years say established, though few people work
        # there (one employee is a `startup` word).
        values["company"] = aged
    operating = _operating_stage(c, masked, mentions.found.get("stage", []), values.get("stage"), today)
    if operating:
        values["stage"] = operating
    if _RANKED_SLOT in mentions.found and isinstance(values.get(_RANKED_SLOT), list):
        values[_RANKED_SLOT] = _first_ranked(c, masked, mentions.found[_RANKED_SLOT], values[_RANKED_SLOT])
    when = _time_named(c, masked, answering, today)
    if when is not None and _TIME_SLOT not in numbered and _sooner(c, when, values.get(_TIME_SLOT)):
        values[_TIME_SLOT] = when
    leading = _leading_title(c, masked, expected) if expected else None
    if expected and leading is not None:
        # A button title first, then why: the user's own choice decides over words in the explanation.
        values[expected] = leading
    skipped = _skipped(c, masked)
    if skipped and expected in values and expected not in numbered and c.hedges & set(_WORDS.findall(masked)):
        # "vet inte riktigt, kanske licensiera? eller göra den själv?" is a guess, no answer to build advice
        # on (persona round 22, p07: licensing was recommended because "you don't want own production").
        values[expected] = SKIP
    if expected and expected not in values:
        if skipped:
            values[expected] = SKIP
        elif answering:
            values.update(_answer_only(c, masked, answering, values, mentions))
    complaints = _complaint_spans(c, masked)
    return ParseResult(
        values=values,
        skipped=skipped,
        correction=c.correction.contains(_without_comma_after_no(c, masked)),
        negated=mentions.negated,
        expected=expected,
        plans=frozenset(s for s, v in values.items() if planned(c.numbers, masked, numbers, s, v)),
        asked=_asked(unaffirmed, masked, mentions.found, answering, complaints, c.question_starts)
        | _asked(unaffirmed, masked, mentions.negated_at, expected, complaints, c.question_starts),
    )


def _without_comma_after_no(c: _Compiled, masked: str) -> str:
    """`masked` with the comma after a leading "nej" as a space, so that "Nej, räkna med 2000" and "Nej, vi
    har egen verkstad" say the correction phrases "nej räkna med" and "nej vi" (persona round 31: the
    corrected volume was only asked again)."""
    lead = _LEADING_WORD.match(masked)
    if lead is None or lead.group(1) not in c.answered_no:
        return masked
    return masked[: lead.end(1)] + " " + masked[lead.end() :]


def _asked(
    unaffirmed: str,
    masked: str,
    found: Mapping[str, list[Match]],
    answering: str | None,
    complaints: Sequence[tuple[int, int]] = (),
    question_starts: Sequence[str] = (),
) -> frozenset[str]:
    """The slots whose every mention stands in a sentence that asks: one that ends with "?" and is no
    rhetorical question (`_affirmed` changed nothing in it), one that opens with a question word without a
    "?" (`question_starts`: "vad finns det för finansiering om vi ska automatisera"), or one that complains
    about what the assistant did not answer (`complaints`, "Du svarade inte om Norge"). The slot being
    answered is not among them (a hedged answer may end with "?")."""
    asked = set()
    for slot, matches in found.items():
        if slot == answering:
            continue
        ends = [_SENTENCE_END.search(masked, m.end) for m in matches]
        if all(
            any(start <= m.start and m.end <= end for start, end in complaints)
            or _opens_with(masked[_sentence_start(masked, m.start) :].lstrip(" -–"), question_starts)
            or (
                end is not None
                and end.group() == "?"
                and masked[_sentence_start(masked, m.start) : end.end()]
                == unaffirmed[_sentence_start(masked, m.start) : end.end()]
            )
            for m, end in zip(matches, ends, strict=True)
        ):
            asked.add(slot)
    return frozenset(asked)


def _opens_with(sentence: str, starts: Sequence[str]) -> bool:
    """Whether the sentence opens with one of `starts` as whole words."""
    return any(sentence == start or sentence.startswith(start + " ") for start in starts)


def _complaint_spans(c: _Compiled, masked: str) -> list[tuple[int, int]]:
    """The sentences that complain about what the assistant did not answer ("Du svarade inte om Norge")."""
    spans = []
    for match in c.complaints.find(masked):
        end = _SENTENCE_END.search(masked, match.end)
        spans.append((_sentence_start(masked, match.start), end.end() if end else len(masked)))
    return spans


def _sentence_start(masked: str, position: int) -> int:
    """Where the sentence holding `position` starts."""
    return max(masked.rfind(p, 0, position) for p in ".!?") + 1


def affirms(text: str, questions: QuestionsData | None = None) -> bool:
    """Whether `text` holds a rhetorical question that affirms what it names ("Är det inte en medicinteknisk
    produkt?"): a statement put as a question, which the user means as a fact."""
    c = _compile(questions or load_questions())
    masked = mask(fold(text))
    return _affirmed(c, masked) != masked


def _affirmed(c: _Compiled, masked: str) -> str:
    """`masked` without the negation of a rhetorical question ("är det inte en maskin?", `affirming_questions`
    in questions.yml): it says the product is one (issue #10, item 5: medtech was read as denied). Only in a
    sentence that ends with "?"; "det är inte en maskin." still denies."""
    if c.affirming is None or "?" not in masked:
        return masked
    chars = list(masked)
    for phrase in c.affirming.find(masked):
        end = _SENTENCE_END.search(masked, phrase.end)
        if end is None or end.group() != "?":
            continue
        for word in _WORDS.finditer(masked, phrase.start, phrase.end):
            if word.group() in c.negation:
                chars[word.start() : word.end()] = " " * (word.end() - word.start())
    return "".join(chars)


def _first_ranked(c: _Compiled, masked: str, mentions: list[Match], values: list[str]) -> list[str]:
    """The priorities without those named after a marker of second rank ("säkerhet och kvalitet, sen
    kostnad"), when something was named before it; a list with only later ones is kept whole."""
    if c.secondary is None:
        return values
    for marker in c.secondary.find(masked):
        first = {m.value for m in mentions if m.end <= marker.start}
        later = {m.value for m in mentions if m.start >= marker.end} - first
        if first and later:
            return [v for v in values if v not in later]
    return values


def _hedged(c: _Compiled, masked: str, numbers: list[Number]) -> bool:
    """Whether a "?" is a hesitant answer, not a question: "om det blir bra kanske några tusen?", or each
    sentence with a "?" only a guessed number ("ingen aning. tusentals? alla vill ha en", persona round 16,
    p07)."""
    words = set(_WORDS.findall(masked))
    if words & (_QUESTION_WORDS - _CONDITIONAL):
        return False
    return bool(words & c.hedges) or all(
        any(m.start() <= n.start < m.end() for n in numbers)
        and len(_WORDS.findall(m.group())) <= _GUESS_WORDS
        for m in _ASKED.finditer(masked)
    )


def _with_implied(question: QuestionSpec, value: Any) -> Any:
    """A multiple-choice answer with the values its options imply ("designlampor" is also electrical)."""
    if not isinstance(value, list):
        return value
    implied = [v for item in value if (o := question.option(item)) for v in o.implies]
    return _without_yielded(question, list(dict.fromkeys([*value, *implied])))


def _without_yielded(question: QuestionSpec, values: list[str]) -> list[str]:
    """`values` without those that only name the material of a part beside what the product is: "en
    fuktsensor i trästommen" is electronics, not a wood product (`yields_to`)."""
    present = set(values)
    return [
        v
        for v in values
        if not (
            (o := question.option(v)) and present & set(o.yields_to) and not present & set(o.yields_unless)
        )
    ]


def _leading_title(c: _Compiled, masked: str, expected: str | None) -> str | None:
    """The option whose button title is the first clause of the answer to a single-choice question
    ("Något känslig, vi har sökt patent på flödesmätningen"), or None."""
    if expected is None or c.data.question(expected).multiple:
        return None
    first = _FIRST_CLAUSE.match(masked)
    head = _words(first.group()) if first else ""
    return c.titles[expected].get(head) if head and head != _words(masked) else None


def _skipped(c: _Compiled, masked: str) -> bool:
    """Whether the user skips ("vet inte"), but not "vet inte om vi ska bygga egen lina", which is about
    something else."""
    return any(
        not {w.group() for w in words_after(masked, m.end, 1, frozenset())} & _QUESTION_WORDS
        for m in c.skip.find(masked)
    )


def _answer_only(
    c: _Compiled, masked: str, expected: str, values: Mapping[str, Any], mentions: _Mentions
) -> dict[str, Any]:
    """What counts only as an answer to the question just asked: the `fallback`."""
    question = c.data.question(expected)
    words = _words(masked).split()
    unsure = bool(c.skip.find(masked))  # "vet inte om vi ska ..." is no description of the product
    if (
        question.fallback
        and not values
        and not mentions.seen
        and not unsure
        and 0 < len(words) <= _FALLBACK_MAX_WORDS
    ):
        return {expected: [question.fallback] if question.multiple else question.fallback}
    return {}


def _time_named(c: _Compiled, masked: str, answering: str | None, today: date) -> str | None:
    """The time to market that a season, holiday or month names, as the option for its months from today.

    In an answer to the time question it decides over a vague phrase beside it: "ingen panik, men helst innan
    jul" is a month away, not "Ingen brådska" (persona round 20b: "till våren" was saved as no hurry). In any
    other message only in a clause with one of the question's cues ("vi vill lansera till våren"): "10 st till
    våren" in an answer about volume says nothing about the launch.
    """
    if _TIME_SLOT not in c.numbers.cues:
        return None
    if answering == _TIME_SLOT:
        months = months_until(masked, today)
    else:
        cued = [part for part in _CLAUSE.split(masked) if c.numbers.cues[_TIME_SLOT].contains(part)]
        months = months_until(" , ".join(cued), today) if cued else None
    # Half months: "innan nästa vinter" in late November is a year away, not a few days more than a year.
    return None if months is None else c.data.question(_TIME_SLOT).bucket(round(months * 2) / 2).value


def _sooner(c: _Compiled, named: str, said: Any) -> bool:
    """Whether the time a season or month names is to replace the option said in words: when nothing was
    said, when the words set no bound ("ingen panik, men helst innan jul") or a later one. "Innan nästa
    vinter, alltså inom ett år" keeps the year the user spelled out (persona round 22, p01)."""
    if not isinstance(said, str) or said == SKIP:
        return True
    question = c.data.question(_TIME_SLOT)
    bound, own = question.by_value[said].max, question.by_value[named].max
    return bound is None or (own is not None and own < bound)


def _words(masked: str) -> str:
    """The words of `masked`, one space apart: how button titles are compared."""
    return " ".join(_WORDS.findall(masked))


def slot_updates(
    filled: Mapping[str, Any], result: ParseResult, questions: QuestionsData | None = None
) -> dict[str, Any]:
    """The slots to set after `result`: new priorities are added to earlier ones unless the user corrected.

    A negated mention of an earlier answer takes it back: the slot gets what is left, or None (cleared,
    so the question is asked again).
    """
    data = questions or load_questions()
    updates: dict[str, Any] = {}
    for slot in dict.fromkeys([*result.values, *result.negated]):
        old = filled.get(slot)
        if slot in result.asked and old not in (None, SKIP):
            # A question in the middle of the consultation ("borde vi inte ta en fabrik i Kina?") is no
            # answer: what the user said before stands (persona round 29: "Tillverkas i dag: I Asien").
            continue
        dropped = result.negated.get(slot, ())
        if slot in result.values:
            value = result.values[slot]
            if _only_modifiers(data.question(slot), value, old) and slot != result.expected:
                continue  # "en våg med app" said in passing: the product question is still asked
            question = data.question(slot)
            if question.multiple and isinstance(value, list):
                # "det är inte en träprodukt, den sitter i trä": the negation takes it back though named.
                value = [v for v in value if v not in dropped]
                kept = [v for v in old if v not in dropped] if isinstance(old, list) else []
                replace = result.correction and not question.corrections_add
                if replace:
                    value = _without_yielded(question, value) or None
                else:
                    # What the product already was stays: only what this message names yields ("Inga
                    # batterier, bara trä" about a wooden toy with electronics dropped the wood; persona
                    # round 33, p10).
                    added = [v for v in value if v not in kept]
                    value = kept + [v for v in _without_yielded(question, kept + added) if v in added] or None
        elif isinstance(old, list):
            value = [v for v in old if v not in dropped] or None
        else:
            value = None if old in dropped else old
        if old != value and (old or value):
            updates[slot] = value
    updates.update(_today_beside_plan(data, filled, result))
    return updates


def _today_beside_plan(data: QuestionsData, filled: Mapping[str, Any], result: ParseResult) -> dict[str, Any]:
    """Today's figure from an earlier message: "vi gör runt 120 om året", then "vill serietillverka stolen,
    1 500 om året" (a plan word by the larger figure) keeps 120 as today's volume. Not for a correction
    ("jag menar 1 500"), which replaces the figure."""
    found: dict[str, Any] = {}
    for slot in result.plans:
        spec = data.question(slot).numbers
        old, new = filled.get(slot), result.values.get(slot)
        if (
            spec is None
            or spec.current_slot is None
            or result.correction
            or result.expected == slot  # the answer to the volume question itself replaces the figure
            or spec.current_slot in result.values
            or filled.get(spec.current_slot) is not None
        ):
            continue
        if isinstance(old, int) and isinstance(new, int) and old < new:
            found[spec.current_slot] = old
    return found


def _only_modifiers(question: QuestionSpec, value: Any, old: Any) -> bool:
    """Whether `value` only says something about the product (radio, a battery), and nothing earlier says
    what it is."""
    modifiers = {o.value for o in question.options if o.modifier}
    known = [*(old if isinstance(old, list) else []), *(value if isinstance(value, list) else [value])]
    return bool(modifiers) and all(v in modifiers for v in known)


def _title_heads(question: QuestionSpec) -> dict[str, str]:
    """The first clause of a button title that has one ("Viss" of "Viss, t.ex. montering"), when no other
    option's title starts the same way and it is no bare yes or no: "Viss, vi har byggt prototyperna själva
    med en punktsvets" chose that button (persona round 15, p10, was read as no own production)."""
    heads: dict[str, list[str]] = {}
    for option in question.options:
        if "," in option.title:
            head = _words(mask(fold(option.title.split(",", 1)[0])))
            heads.setdefault(head, []).append(option.value)
    return {h: values[0] for h, values in heads.items() if len(values) == 1 and h not in _YES_NO_HEADS}


def _compile(data: QuestionsData) -> _Compiled:
    """Phrase sets for `data`, built once per loaded questions file."""
    if _compiled and _compiled[0].data is data:
        return _compiled[0]
    parsing = data.parsing
    fuzzy = (
        parsing["fuzzy"]["one_typo_min_length"],
        parsing["fuzzy"]["two_typos_min_length"],
        parsing["fuzzy"].get("known_words", ()),
    )
    clause_words = frozenset(fold(w) for w in parsing["clause_words"])
    compiled = _Compiled(
        data=data,
        options={q.slot: PhraseSet(_phrases(q, short=False), *fuzzy) for q in data.questions},
        answers={q.slot: PhraseSet(_phrases(q, short=True), *fuzzy) for q in data.questions},
        titles={
            q.slot: {_words(mask(fold(o.phrase.split("(", 1)[0]))): o.value for o in q.options}
            | {_words(mask(fold(s))): o.value for o in q.options for s in (o.value, o.title)}
            | _title_heads(q)
            for q in data.questions
        },
        numbers=NumberRules.compile(data, clause_words),
        skip=PhraseSet((p, "skip") for p in parsing["skip_phrases"]),
        correction=PhraseSet((p, "correction") for p in parsing["correction_phrases"]),
        planned=PhraseSet((p, "planned") for p in parsing["planned_words"]),
        negation=frozenset(fold(w) for w in parsing["negation_words"]),
        clause_words=clause_words,
        planned_words=frozenset(w for p in parsing["planned_words"] if " " not in (w := fold(p))),
        hedges=frozenset(fold(w) for w in parsing.get("hedge_words", ())),
        company_age=_age_pattern(parsing["company_age"]) if "company_age" in parsing else None,
        founded=_founded_pattern(parsing["company_age"]) if "company_age" in parsing else None,
        not_only=tuple(tuple(fold(p).split()) for p in parsing.get("not_only_words", ())),
        secondary=PhraseSet((p, "secondary") for p in parsing.get("secondary_markers", ())),
        affirming=PhraseSet((p, "affirming") for p in parsing.get("affirming_questions", ())),
        answered_no=frozenset(fold(w) for w in parsing.get("answered_no_words", ())),
        complaints=PhraseSet((p, "complaint") for p in parsing.get("complaint_phrases", ())),
        prototype=PhraseSet((p, "prototype") for p in parsing.get("prototype_words", ())),
        prototype_materials=frozenset(parsing.get("prototype_materials", ())),
        question_starts=tuple(fold(w) for w in parsing.get("question_starts", ())),
        possibility=PhraseSet((p, "possible") for p in parsing.get("possibility_words", ())),
        later=PhraseSet((p, "later") for p in parsing.get("later_words", ())),
        degree=PhraseSet((p, "slight") for p in parsing.get("degree_words", ())),
        denials={
            q.slot: PhraseSet((d, o.value) for o in q.options for d in o.denied_by)
            for q in data.questions
            if any(o.denied_by for o in q.options)
        },
        tie_weak={q.slot: PhraseSet((p, "weak") for p in q.tie_weak) for q in data.questions if q.tie_weak},
    )
    _compiled[:] = [compiled]
    return compiled


# Years of operation in a clause: "i 40 år", "sedan 12 år", "sen tjugo år".
_DURATION = re.compile(r"\b(?:i|sedan|sen)\s+([a-z0-9 ]{1,20}?)\s+ar\b")


def _alternatives(words: Sequence[str]) -> str:
    """A regex alternation of `words`, longest first; a word written "*verkstad" is also the last part of a
    compound ("plåtslageriverkstad", "snickerifirma")."""
    folded = sorted((fold(w) for w in words), key=lambda w: len(w.lstrip("*")), reverse=True)
    return "|".join(rf"[a-z]*{re.escape(w[1:])}" if w.startswith("*") else re.escape(w) for w in folded)


def _age_pattern(age: Mapping[str, Any]) -> re.Pattern[str]:
    """The company age pattern: a company word, then in its clause a since word, the years and "år"."""
    return re.compile(
        rf"\b(?:{_alternatives(age['company_words'])})\b[^,.;:!?]{{0,40}}?"
        rf"\b(?:{_alternatives(age['since_words'])})\s+([a-z0-9 ]{{1,20}}?)\s+ar\b"
    )


def _founded_pattern(age: Mapping[str, Any]) -> re.Pattern[str]:
    """A company word or a founding word (`company_words`, `founded_words`), as whole words."""
    return re.compile(rf"\b(?:{_alternatives([*age['company_words'], *age.get('founded_words', ())])})\b")


def _company_age(c: _Compiled, masked: str, today: date) -> str | None:
    """The company option that a company's age says (`parsing.company_age`), or None when none is given: in
    years ("AB sedan 6 år") or from the year it started ("AB sen 2022", "grundat 2010"), as of `today`."""
    if c.company_age is None:
        return None
    age = c.data.parsing["company_age"]
    for year in founding_years(c.numbers, masked, find_numbers(masked)):
        clause = masked[max(0, masked.rfind(",", 0, year.start)) : year.start]
        if c.founded is not None and c.founded.search(clause) and year.value <= today.year:
            old = today.year - year.value >= age["established_from_years"]
            return str(age["established"] if old else age["young"])
    for m in c.company_age.finditer(masked):
        years = find_numbers(m.group(1))
        if years:
            return str(
                age["established"] if years[0].value >= age["established_from_years"] else age["young"]
            )
    return None


def _operating_stage(c: _Compiled, masked: str, mentions: list[Match], stage: Any, today: date) -> str | None:
    """Production, for a small-series stage said beside years of operation: "vi har gjort småserier åt
    industrin i 30 år", "legoverkstad sedan 1987 som kör småserier" (issue #10 item 3: a contract shop in
    production for 40 years got the stage "nollserie"). A stage in another clause ("AB sedan 2015, nu kör vi
    en nollserie") stays."""
    age = c.data.parsing.get("company_age") or {}
    if stage not in age.get("operating_replaces", ()):
        return None
    for mention in mentions:
        left, right = clause_around(masked, mention.start, mention.end, frozenset())
        clause = masked[left:right]
        years = [today.year - y.value for y in founding_years(c.numbers, clause, find_numbers(clause))]
        years += [n.value for m in _DURATION.finditer(clause) for n in find_numbers(m.group(1))[:1]]
        if any(y >= age["established_from_years"] for y in years):
            return str(age["operating_stage"])
    return None


def _phrases(question: QuestionSpec, short: bool) -> list[tuple[str, str]]:
    """Each option's synonyms, and with `short` also its short answers (for the question just asked)."""
    return [
        (s, o.value) for o in question.options for s in (*o.synonyms, *(o.short_answers if short else ()))
    ]


def _mark_contrast(c: _Compiled, masked: str) -> str:
    """In "inte plast utan elektronik" the "utan" starts a new clause instead of negating what follows."""
    for m in _UTAN.finditer(masked):
        if c.negation & set(words_before(masked, m.start(), 6, c.clause_words)):
            masked = masked[: m.start()] + "," + " " * 3 + masked[m.end() :]
    return masked


def _match_options(c: _Compiled, masked: str, numbers: list[Number], expected: str | None) -> _Mentions:
    """Per slot, the option mentions that survive negation ("ingen fabrik") and plans ("vill göra en ...").

    Words inside a number ("2 miljoner") are no mentions, nor is a word that another question matched as
    part of a longer phrase ("inga maskiner"), nor a typo match on a word that another question matched.
    """
    words = set(_WORDS.findall(masked))
    candidates = {
        q.slot: c.answers[q.slot].find(masked)
        if q.slot == expected
        else _cued(c, q, masked)
        if words & set(q.cues)
        else c.options[q.slot].find(masked)
        for q in c.data.questions
    }
    exact = [(slot, m) for slot, ms in candidates.items() for m in ms if m.exact]
    found: dict[str, list[Match]] = {}
    negated: dict[str, tuple[str, ...]] = {}
    negated_at: dict[str, list[Match]] = {}
    seen = False
    for question in c.data.questions:
        kept, dropped = [], []
        # "ingen brist på personal": the option is taken back, and no mention inside the phrase counts.
        denied = c.denials[question.slot].find(masked) if question.slot in c.denials else []
        dropped += [d.value for d in denied]
        mentions = [
            m
            for m in candidates[question.slot]
            if not any(n.start <= m.start and m.end <= n.end for n in numbers)
            and not _outweighed(question.slot, m, exact)
            and not any(m.overlaps(d) for d in denied)
        ]
        if not question.multiple:
            # "viss egen tillverkning": the longer phrase is the answer, not "egen tillverkning" inside it.
            mentions = [m for m in mentions if not any(_inside(m, o) for o in mentions)]
        excluded = [d.value for d in denied]
        for match in mentions:
            seen = True
            value, is_negated = _in_context(c, question, match, masked, mentions, expected)
            if is_negated:
                dropped.append(match.value)
                if not _answered_no(c, masked, match):
                    negated_at.setdefault(question.slot, []).append(match)
                if question.negated == UNCHANGED:
                    # Excluded outright ("inte svetsen"): no other mention in the message brings it back.
                    excluded.append(match.value)
            if value and value != _IGNORE:
                kept.append(Match(match.start, match.end, value))
        kept = [m for m in kept if m.value not in excluded]
        if question.multiple and kept and question.slot != expected:
            kept += _listed_with(c, question, masked, kept, candidates[question.slot])
        if kept:
            found[question.slot] = kept
        if dropped:
            negated[question.slot] = tuple(dict.fromkeys(dropped))
    strong = {(m.start, m.end) for m in c.options[expected].find(masked)} if expected else set()
    weak = {(m.start, m.end) for m in candidates.get(expected or "", []) if (m.start, m.end) not in strong}
    return _Mentions(found, negated, seen, weak, negated_at)


def _cued(c: _Compiled, question: QuestionSpec, masked: str) -> list[Match]:
    """Mentions of a question's answers in a message that names one of its cues: the short answers only
    in the clauses with the cue, when any is there ("montörerna är flaskhalsen, vi gör all plåt och svets
    själva" names assembly, not sheet metal and welding; persona round 22, p04), else anywhere."""
    found = c.answers[question.slot].find(masked)
    spans, start = [], 0
    for clause in [*_CUE_CLAUSE.finditer(masked), None]:
        end = clause.start() if clause else len(masked)
        if set(_WORDS.findall(masked[start:end])) & set(question.cues):
            spans.append((start, end))
        start = clause.end() if clause else end
    cued = [m for m in found if any(a <= m.start and m.end <= b for a, b in spans)]
    if not cued:
        return found
    # What the other clauses deny still counts: "lackeringen är flaskhalsen, inte svetsen – svetsarna hinner
    # med" takes welding back.
    window = c.data.parsing["negation_window"]
    denied = [
        m for m in found if c.negation & set(words_before(masked, m.start, window, c.clause_words)[-window:])
    ]
    clear = c.options[question.slot].find(masked)
    kept = {(m.start, m.end, m.value): m for m in [*cued, *denied, *clear]}
    return sorted(kept.values(), key=lambda m: m.start)


def _inside(match: Match, other: Match) -> bool:
    """Whether `match` lies inside a longer exact mention of another value."""
    return (
        other.exact
        and other.value != match.value
        and other.start <= match.start
        and match.end <= other.end
        and other.end - other.start > match.end - match.start
    )


def _listed_with(
    c: _Compiled, question: QuestionSpec, masked: str, kept: list[Match], clear: list[Match]
) -> list[Match]:
    """Short answers listed right next to a clear answer to the same question: "i Danmark och Tyskland"
    names Germany as clearly as Denmark, though "Tyskland" alone may be where the product is made. Not
    a word that a clear mention covers, nor a negated one ("inte plast, elektronik")."""
    found = list(kept)
    short = [
        m
        for m in c.answers[question.slot].find(masked)
        if m.exact
        and not any(m.overlaps(k) for k in [*kept, *clear])
        and _in_context(c, question, m, masked, [*clear, m]) == (m.value, False)
    ]
    added: list[Match] = []
    for match in sorted(short, key=lambda m: m.start):
        if any(
            _LISTED.fullmatch(masked[a.end : b.start])
            for other in found
            for a, b in ((other, match), (match, other))
            if a.end <= b.start
        ):
            found.append(match)
            added.append(match)
    return added


def _outweighed(slot: str, match: Match, exact: list[tuple[str, Match]]) -> bool:
    """Whether another question matched these words exactly: as a longer phrase, or at all for a typo."""
    for other_slot, other in exact:
        if other_slot == slot or not match.overlaps(other):
            continue
        longer = (
            other.start <= match.start
            and match.end <= other.end
            and other.end - other.start > match.end - match.start
        )
        if longer or not match.exact:
            return True
    return False


def _in_context(
    c: _Compiled,
    question: QuestionSpec,
    match: Match,
    masked: str,
    mentions: list[Match],
    expected: str | None = None,
) -> tuple[str | None, bool]:
    """The value a mention stands for in its context, and whether it was negated."""
    parsing = c.data.parsing
    window = parsing["negation_window"]
    before = words_before(masked, match.start, max(window, parsing["planned_window"]), c.clause_words)
    if _not_an_answer(c, question, masked, match, expected):
        return None, False
    tail = before[-window:]
    negation = {w for i, w in enumerate(tail) if w in c.negation and not _not_only(c, tail[i + 1 :])}
    if negation and _UTAN_ATT.search(" ".join(before[-window:])):
        # "utan att anställa fler" says what the user wants to avoid doing, nothing about what they have.
        return None, False
    option = question.option(match.value)
    if question.negated == UNCHANGED or (option and option.negation_agrees):
        if _contrasted(before, match):
            # "kantpressen, inte svetsen": "inte" alone before the mention in its clause sets it apart
            # (persona round 15b, p08), unlike "vi hittar inte svetsare" or "vi får inte tag på svetsare",
            # where a verb says they are missing: welders are still the bottleneck.
            return None, True
        return match.value, False
    if (
        question.slot != expected
        and question.negated not in (None, UNCHANGED)
        and _contrasted(before, match)
        and len(_WORDS.findall(_SENTENCE_SO_FAR.search(masked[: match.start]).group())) > 1  # type: ignore[union-attr]
    ):
        # "svetsarna och inte CNC" answers which step is the bottleneck; it says nothing about whether the
        # company has its own production (adv16's report: own production became none).
        return None, False
    if negation and question.slot == "product_type" and _negates_an_act(tail, c.negation):
        # "vi har aldrig testat leksakerna": the negation denies a deed done to the product, not what the
        # product is (persona round 25, p10: toys and their CE rules were dropped).
        return match.value, False
    if _answered_no(c, masked, match):
        return (question.negated if question.negated != UNCHANGED and match.exact else None), True
    if negation or _negated_after(c, masked, match, mentions):
        # A typo match under a negation is two guesses at once: neither the option nor its opposite.
        return (question.negated, True) if match.exact else (None, False)
    if option and option.possible and _only_possible(c, masked, match, before):
        return option.possible, False
    if option and option.slight and _slight(c, masked, match):
        return option.slight, False
    planned = c.planned.contains(" ".join(before[-parsing["planned_window"] :]))
    if option and option.planned and (planned or _wished_in_list(c, masked, match)):
        return option.planned, False
    return match.value, False


# How many words before a mention a possibility word ("kanske en sensor", "kanske med en sensor", "kanske
# lägger till bluetooth") still hedges it, and how many after it a time word ("en app på sikt") does.
_POSSIBILITY_WINDOW = 3
# How far back in its clause a degree word softens a mention: "lite oro för att den kopieras" (round 33, p07).
_DEGREE_WINDOW = 6


def _only_possible(c: _Compiled, masked: str, match: Match, before: Sequence[str]) -> bool:
    """Whether the mention is only a possibility: a possibility or time word just before it in its clause
    ("kanske en sensor sen", "eventuellt en app") or a time word just after ("bluetooth längre fram"). A
    number after the possibility word takes the hedge ("kanske 500 lampor med batteri")."""
    if c.possibility is None or c.later is None:
        return False
    near = list(before[-_POSSIBILITY_WINDOW:])
    joined = " ".join(near)
    if c.possibility.contains(joined) or c.later.contains(joined):
        return not any(_NUMBER_WORD.fullmatch(w) for w in near)
    after = words_after(masked, match.end, _POSSIBILITY_WINDOW + 1, c.clause_words)
    return c.later.contains(" ".join(w.group() for w in after))


def _slight(c: _Compiled, masked: str, match: Match) -> bool:
    """Whether a degree word ("lite", "något") stands before the mention in its clause: "lite känsligt"."""
    before = words_before(masked, match.start, _DEGREE_WINDOW, c.clause_words)
    return c.degree is not None and c.degree.contains(" ".join(before))


def _answered_no(c: _Compiled, masked: str, match: Match) -> bool:
    """Whether the mention stands in the user's own short question that they answer no at once: "Kosmetika?
    Nej.", "Leksak? Nej", "Livsmedel: nej", "livsmedel – nej" (persona round 29: cosmetics read as a yes)."""
    dash = _DASH_AFTER.match(masked, match.end)
    end = _CLAUSE.search(masked, match.end)
    if dash is not None:
        answer_at = dash.end()
    elif end is not None and end.group() in _OWN_QUESTION_END:
        answer_at = end.end()
    else:
        return False
    following = _WORDS.search(masked, answer_at)
    return (
        following is not None
        and following.group() in c.answered_no
        and not masked[answer_at : following.start()].strip(" -–")
    )


# A supine or participle right after a negation: "aldrig testat", "inte provat", "inte fått", "inte ritat".
_ACT_AFTER_NEGATION = re.compile(r"\w{2,}(at|it|tt|ats|its|att)")


def _negates_an_act(tail: Sequence[str], negations: frozenset[str]) -> bool:
    """Whether the last negation before a mention is followed by a verb of a deed ("aldrig testat
    leksakerna"), so that it denies the deed, not the thing mentioned."""
    last = max(i for i, w in enumerate(tail) if w in negations)
    following = tail[last + 1 : last + 2]
    return bool(following) and _ACT_AFTER_NEGATION.fullmatch(following[0]) is not None


def _not_only(c: _Compiled, following: Sequence[str]) -> bool:
    """Whether the words after a negation make it "not only" ("inte bara elektronik"): that adds, it
    doesn't take back."""
    return any(tuple(following[: len(p)]) == p for p in c.not_only)


def _contrasted(before: list[str], match: Match) -> bool:
    """Whether "inte" alone before the mention in its clause sets it apart: "X, inte Y", "X och inte Y"."""
    return match.exact and len(before) == 1 and before[0] in _CONTRAST_NEGATIONS


def _wished_in_list(c: _Compiled, masked: str, match: Match) -> bool:
    """Whether the mention is one of several things wished for ("vi vill ha egen design och egen
    tillverkning"): a plan word before it, with only "och"/"eller" and no other verb in between."""
    words = words_before(masked, match.start, _IGNORE_WINDOW, c.clause_words - _LIST_WORDS)
    for word in reversed(words):
        if word in c.planned_words:
            return True
        if word in _FINITE_VERBS:
            return False
    return False


def _not_an_answer(
    c: _Compiled, question: QuestionSpec, masked: str, match: Match, expected: str | None = None
) -> bool:
    """Whether a mention names something else than an answer: what the company makes or sells ("vi
    bygger robotceller" is no wish to automate), a customer industry ("batteri- och gruvindustrin"), what
    the product is for ("en givare för pumpar") or where bought parts come from ("kinesiska celler")."""
    option = question.option(match.value)
    end = _CLAUSE.search(masked, match.end)
    if question.not_in_questions and question.slot != expected and end is not None and end.group() == "?":
        # A clause that ends in "?": "ska jag söka patent först eller hitta en fabrik i kina?" asks; nothing
        # is made in China today (persona round 23, p07: a student's idea got "Tillverkas i dag: I Asien").
        return True
    if question.not_after_number and any(
        _NUMBER_WORD.fullmatch(w) for w in words_before(masked, match.start, 2, frozenset())
    ):
        # "5 000 om ett par år", "5000 st om ett par år": the number and its unit just before.
        return True
    if option and option.ignore_right_after:
        # "på maskiner och motorer": the preposition before the list holds for each of its items.
        previous = words_before(masked, match.start, 3, frozenset())
        listed = len(previous) == 3 and previous[-1] in _LIST_WORDS
        if previous and (previous[-1] if not listed else previous[0]) in option.ignore_right_after:
            return True
    if question.ignore_before:
        after = words_after(masked, match.end, _BEFORE_WINDOW, frozenset())
        if any(w.group() in question.ignore_before for w in after):
            return True
    if question.ignore_suffixes:
        word = re.match(r"[a-z0-9]*", masked[match.start :])
        following = _WORDS.findall(masked[match.end : match.end + 40])[:2]
        # "batteri- och gruvindustrin": the first part of a compound whose last part comes after "och".
        elided = (
            following[:1] in (["och"], ["eller"])
            and len(following) == 2
            and masked[match.end : match.end + 1] == " "
        )
        ends = [word.group() if word else ""] + (following[1:] if elided else [])
        if any(w.endswith(question.ignore_suffixes) for w in ends if w):
            return True
    if question.ignore_after:
        words = words_before(masked, match.start, _IGNORE_WINDOW, c.clause_words - _LIST_WORDS)
        # An item of a comma list carries the phrase before the list: "en verkstad med svarv, fräs och
        # bandsåg" (persona round 24b, p10).
        words = _listed_after_comma(masked, match, c.clause_words - _LIST_WORDS) + words
        if _ends_in_mention(
            words, _WORDS.findall(masked[match.start : match.end])[:1], question.ignore_after
        ):
            return True
        for i in range(len(words) - 1, -1, -1):
            if words[i] in c.planned_words or words[i] in _FINITE_VERBS:
                # "vi bygger maskiner och vill automatisera", "... och har svårt att få folk": the
                # mention belongs to a later verb, not to what the company makes.
                return False
            if any(_words_at(words, i, p) for p in question.ignore_after):
                return True
            if words[i] in _MAKING_VERBS:
                return i > 0 and any(_words_at(words, i - 1, p) for p in question.ignore_after)
    return False


# A list item is a word or two ("bandsåg", "cnc-maskin"); a longer mention is a statement of its own ("…,
# lampan görs här i Sverige", "…, resten tillverkar vi själva i Sverige").
_LIST_ITEM_WORDS = 2


def _listed_after_comma(masked: str, match: Match, clause_words: frozenset[str]) -> list[str]:
    """The words before a comma list that the mention continues ("med svarv, fräs och bandsåg"): the clause
    before the comma, when only list items (a word or two and "och") stand between it and the mention and
    the mention is itself an item."""
    if len(_WORDS.findall(masked[match.start : match.end])) > _LIST_ITEM_WORDS:
        return []
    start = match.start
    head = masked[:start]
    cut = max(head.rfind(p) for p in CLAUSE_PUNCTUATION)
    if cut < 0 or head[cut] != ",":
        return []
    items = [w for w in _WORDS.findall(head[cut + 1 :]) if w not in _LIST_WORDS]
    if len(items) > 1:
        return []
    return words_before(masked, cut, _IGNORE_WINDOW, clause_words)


def _ends_in_mention(before: list[str], first: list[str], phrases: Sequence[str]) -> bool:
    """Whether an ignore phrase ends with the mention's own first word: "kunder i" before the mention "i
    Estland" (persona round 22, p03: a market read as where the products are made)."""
    for phrase in phrases:
        *head, last = phrase.split()
        if head and not phrase.startswith("*") and first == [last] and before[-len(head) :] == head:
            return True
    return False


def _words_at(words: list[str], i: int, phrase: str) -> bool:
    """Whether `phrase` stands at `words[i]`; a phrase starting with "*" also as the last part of a compound
    ("*kortet" is "förstärkarkortet"), as for synonyms."""
    if phrase.startswith("*"):
        return words[i].endswith(phrase[1:])
    return words[i : i + len(phrase.split())] == phrase.split()


def _negated_after(c: _Compiled, masked: str, match: Match, mentions: list[Match]) -> bool:
    """A negation shortly after the mention ("hållbarhet har jag inte sagt", "patent har vi inte").

    Not when another answer to the same question follows the negation at once ("metall inte plast"): that
    negates the second one.
    """
    window = c.data.parsing["negation_window"]
    after = words_after(masked, match.end, window + 1, c.clause_words | _STOP_AFTER)
    for i, word in enumerate(after[:window]):
        if word.group() in c.negation - _NOT_NEGATING_AFTER:
            if _not_only(c, [w.group() for w in after[i + 1 : i + 3]]):
                return False
            if _negates_what_follows(after[i - 1 : i], word.group(), after[i + 1 : i + 2]):
                return False
            return not any(
                m.start > word.end() and not masked[word.end() : m.start].strip() for m in mentions
            )
    return False


def _negates_what_follows(
    preceding: list[re.Match[str]], negation: str, following: list[re.Match[str]]
) -> bool:
    """Whether "är ingen/inget/inga" + a noun says what the mention before it is not, rather than taking it
    back: "vedklyvar är ingen raketforskning" still says a wood splitter (persona round 17, p02, lost the
    machine and with it the CE rules); "trä är inget vi använder", "hållbarhet spelar ingen roll" and "plast
    har vi ingen" take the answer back."""
    if negation in _NEGATING_DETERMINERS and following and following[0].group() == "med":
        # "vedklyven har inget med fordon att göra": what is denied is what follows "med", not the mention
        # before (persona round 21b, p02, unsound: the wood splitter lost the machine and its CE rules).
        return True
    return (
        negation in _NEGATING_DETERMINERS
        and bool(preceding)
        and preceding[0].group() in _COPULAS
        and bool(following)
        and following[0].group() not in _PRONOUNS
    )


def _tie_weak(c: _Compiled, slot: str, masked: str, matches: list[Match]) -> set[tuple[int, int]]:
    """The spans of `matches` inside one of the question's `tie_weak` phrases ("kör dagtid")."""
    phrases = c.tie_weak.get(slot)
    if phrases is None:
        return set()
    weak = phrases.find(masked)
    return {(m.start, m.end) for m in matches if any(w.start <= m.start and m.end <= w.end for w in weak)}


def _pick(question: QuestionSpec, matches: list[Match], weak: set[tuple[int, int]]) -> Any:
    """All mentioned values in order for a multiple-choice slot; otherwise the value mentioned most often,
    leaving out values that a clearly mentioned option `outranks` ("CNC och svets, och vi monterar
    själva" is own production, not just assembly).

    A tie is settled by the clear mentions alone ("vår stora hemlighet, så ganska känslig": the synonym
    "ganska känslig" beats the short answer "hemlighet"); a tie that remains is ambiguous ("aluminium och
    gummi") and fills nothing (None), so the question is asked, unless the question takes the first
    (`tie: first`).
    """
    values = [m.value for m in matches]
    if question.multiple:
        return list(dict.fromkeys(values))
    clear = {m.value for m in matches if (m.start, m.end) not in weak}
    outranked = {v for o in question.options if o.value in clear for v in o.outranks}
    values = [v for v in values if v not in outranked]
    most = max(values.count(v) for v in values)
    top = {v for v in values if values.count(v) == most}
    if len(top) > 1:
        top = {m.value for m in matches if m.value in top and (m.start, m.end) not in weak} or top
    if len(top) > 1 and question.tie_first:
        return min((m for m in matches if m.value in top), key=lambda m: m.start).value
    return top.pop() if len(top) == 1 else None


# Where a clause ends, for the prototype's material: a sentence or clause mark, or "men" ("prototypen är i
# trä men serien blir i plast").
_CLAUSE_END = re.compile(r"[.,;:!?]|\bmen\b")
_PRODUCT_SLOT = "product_type"


def _without_prototype_materials(
    c: _Compiled, masked: str, found: list[Match], values: list[str]
) -> list[str]:
    """`values` without the materials named only in a clause about the prototype, when another clause names a
    material of the product ("plywooden var bara för prototypen, riktiga ska vara plast eller alu": plastic
    and metal, not wood; persona round 29, p07: the plywood of a prototype brought the wood rules). A
    material named only for the prototype, with no other, is kept: it may well be the product's."""
    if c.prototype is None or not c.prototype_materials:
        return values
    cuts = [0, *(m.end() for m in _CLAUSE_END.finditer(masked)), len(masked)]
    spans = list(zip(cuts, cuts[1:], strict=False))
    about = [(a, b) for a, b in spans if any(a <= p.start < b for p in c.prototype.find(masked))]
    if not about:
        return values
    materials = [m for m in found if m.value in c.prototype_materials]
    inside = {m.value for m in materials if any(a <= m.start < b for a, b in about)}
    outside = {m.value for m in materials if not any(a <= m.start < b for a, b in about)}
    if not outside:
        return values
    return [v for v in values if v not in inside - outside]
