"""Which consultation question to ask next, with its Swedish text and buttons (from questions.yml).

A question is asked only while its slot is empty and it still matters: `skip_when` in questions.yml
drops questions whose answer would not change the advice (no time-to-market question for a product
that is already in production). A skipped question ("vet inte") counts as answered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.advisor.data import load_questions
from bot.advisor.model import QuestionsData
from bot.advisor.profile import SKIP, answer_lines, is_relevant, to_profile


@dataclass(frozen=True)
class Button:
    """A reply button: Swedish title, and the slot value it sets."""

    title: str
    value: str


@dataclass(frozen=True)
class Question:
    """A question ready to show: which slot it fills, its Swedish text and buttons."""

    slot: str
    text: str
    buttons: tuple[Button, ...]
    multiple: bool


def required_slots(filled: Mapping[str, Any], questions: QuestionsData | None = None) -> list[str]:
    """The slots that matter for these answers, in asking order (for a Rasa form's required_slots)."""
    data = questions or load_questions()
    profile = to_profile(filled, data)
    return [q.slot for q in data.questions if is_relevant(q, profile)]


def next_question(filled: Mapping[str, Any], questions: QuestionsData | None = None) -> Question | None:
    """The next question to ask, or None when every question that matters has an answer (or was skipped)."""
    data = questions or load_questions()
    for slot in required_slots(filled, data):
        if filled.get(slot) in (None, "", []):
            return question_for(slot, data)
    return None


def question_for(slot: str, questions: QuestionsData | None = None) -> Question:
    """The question that fills `slot`, with one button per option and a "Vet inte" button."""
    data = questions or load_questions()
    spec = data.question(slot)
    buttons = tuple(Button(o.title, o.value) for o in spec.options if o.button)
    return Question(slot, spec.text, (*buttons, Button(data.texts["skip_button"], SKIP)), spec.multiple)


def left_with_goal(
    filled: Mapping[str, Any], updates: Mapping[str, Any], questions: QuestionsData | None = None
) -> list[str]:
    """The answered slots that only mattered for the goal the user has just corrected: their questions
    matter for the answers before `updates` but not after (the bottleneck and shifts of a staffing problem
    that was really a new product, persona round 13, p02)."""
    data = questions or load_questions()
    after = {**filled, **updates}
    kept = set(required_slots(after, data))
    return [
        slot
        for slot in required_slots(filled, data)
        if slot not in kept and after.get(slot) not in (None, "", [])
    ]


def describe_answers(filled: Mapping[str, Any], questions: QuestionsData | None = None) -> str:
    """The answers so far, one "Fas: Prototyp" line each, for "vad har jag svarat?"."""
    data = questions or load_questions()
    return "\n".join(answer_lines(to_profile(filled, data), data))
