"""A message after the recommendation that says an answer is wrong, when it gives no new answer to read.

"Nej, det där stämmer inte" or "rätta: Kapital" after the recommendation got "förstod inte", a sorry or an
"Okej" with nothing to do, and the misread answer stayed in the summary (persona rounds 20 and 20b). A
correction that gives a new answer ("det stämmer inte, vi vill lansera till våren") is recomputed by
`ActionUpdateAdvisor` (bot/actions/advice.py, `corrects_advice`); this module answers the rest: a message that
names one answer's question ("rätta: Tillverkas i dag") clears that answer and the consultation asks it again;
one that names none is told so, with a button per given answer to change. What counts as a correction is the
consultation's `parsing.correction_phrases` in knowledge/advisor/questions.yml.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.texts import Texts
from bot.advisor import load_questions, parse_answer
from bot.advisor.model import SKIP
from bot.swedish import fold, in_question_form

# The button that changes one answer sends this, with the question's label: read back by `named_question`.
CHANGE_PREFIX = "rätta:"
# Endings a label's word may have when the user names it ("kapitalet", "marknaderna", "volymen").
ENDINGS = ("", "en", "et", "n", "na", "er", "erna", "arna", "orna")


def disputes(text: str) -> bool:
    """Whether a message says that an earlier answer is wrong (a correction phrase) and asks nothing."""
    text = text.strip()
    if not text or text.startswith("/") or "?" in text or in_question_form(text):
        return False
    return parse_answer(text).correction


def named_question(text: str, filled: Mapping[str, Any]) -> str | None:
    """The slot of the one given answer whose question's label the message names ("rätta: Kapital",
    "kapitalet stämmer inte"), or None when it names none or several."""
    words = fold(text).replace(":", " ").split()
    named = [
        question.slot
        for question in load_questions().questions
        if filled.get(question.slot) not in (None, SKIP) and _names(words, fold(question.label).split())
    ]
    return named[0] if len(named) == 1 else None


def _names(words: list[str], label: list[str]) -> bool:
    """Whether `words` hold the label's words in order, each as it is or with a definite or plural ending
    ("kapitalet" names "Kapital", "fast" does not name "Fas")."""
    for start in range(len(words) - len(label) + 1):
        if all(words[start + i] in {part + e for e in ENDINGS} for i, part in enumerate(label)):
            return True
    return False


def reply_to_dispute(
    dispatcher: CollectingDispatcher, texts: Texts, text: str, filled: Mapping[str, Any]
) -> list[EventType]:
    """Clear the answer a correction names and ask its question again, or ask which answer is wrong."""
    questions = load_questions()
    slot = named_question(text, filled)
    if slot is not None:
        dispatcher.utter_message(
            text=texts.get("utter_advisor_correction_asks_again", label=questions.question(slot).label)
        )
        return [SlotSet(slot, None), FollowupAction("advisor_form")]
    given = [q for q in questions.questions if filled.get(q.slot) not in (None, SKIP)]
    buttons = [{"title": q.label, "payload": f"{CHANGE_PREFIX} {q.label}"} for q in given]
    dispatcher.utter_message(text=texts.get("utter_advisor_correction_which"), buttons=buttons)
    return []


class ActionDeny(Action):
    """A "nej" outside a question: after a recommendation a correction of it ("Nej, det stämmer inte"),
    otherwise utter_deny."""

    def name(self) -> str:
        return "action_deny"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        from bot.actions.advice import ActionUpdateAdvisor, corrects_or_disputes  # advice imports this module

        if corrects_or_disputes(tracker):
            return await ActionUpdateAdvisor().run(dispatcher, tracker, domain)
        dispatcher.utter_message(response="utter_deny")
        return []
