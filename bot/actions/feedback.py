"""Ratings of answers: store a 👍/👎 with the answer it rates, and for 👎 ask "Vad saknades?" once. A typed
complaint that carries a question ("du svarade inte, ska jag köra Kina eller inte?") gets the question
answered.

A rating is a `SlotSet` of slot `answer_rating` (a dict), so it is a tracker event like any other: stored
in the SQLite or PostgreSQL tracker store, kept as long as the conversation (RETENTION_DAYS), deleted by
`lotsen privacy forget`, read by `lotsen report`. Which answer a payload rates: `bot.feedback`.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.advice import ActionUpdateAdvisor, corrects_or_disputes
from bot.actions.answers import ATTRIBUTE_INTENTS
from bot.feedback import COMMENT_SLOT, RATE_INTENT, RATING_SLOT, RATINGS, rated_answer
from bot.swedish import in_question_form

# Where a complaint ends and what it carries begins: "ok men du svarade inte, ska jag köra Kina …?".
CLAUSE_END = re.compile(r"[,;:.!]\s+|\?\s*")

COMMENT_FORM = "rating_comment_form"
# A comment longer than this is cut: it is read by staff in the report, not processed.
MAX_COMMENT_CHARS = 1000
# A user who skips "Vad saknades?" and asks something new gets an answer, not a stored comment: a message
# in question form goes to the answering action of its intent when the NLU is at least this sure (the
# consultation's side-question confidence, advice.SIDE_QUESTION_CONFIDENCE). "Beloppet saknades"
# (ask_amount, no question form) stays a comment; so does a bare keyword query ("designskydd i Kina"),
# which by its form can't be told from a comment ("inget om tullar").
QUESTION_CONFIDENCE = 0.6
ANSWER_INTENTS = (
    *sorted(ATTRIBUTE_INTENTS),
    "ask_entry",
    "ask_make_or_buy",
    "ask_offshore_vs_sweden",
    "ask_find_manufacturer",
    "ask_production_stages",
    "ask_competence_supply",
)
QUESTION_ACTIONS = {
    **{intent: "action_answer_kb" for intent in ANSWER_INTENTS},
    "ask_support_for": "action_support_for",
    "ask_open_calls": "action_open_calls",
    "request_human": "action_handoff",
}


def _entity(tracker: Tracker, name: str) -> str | None:
    """The first value of entity `name` in the latest message."""
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == name and entity.get("value") not in (None, ""):
            return str(entity["value"])
    return None


def new_question(message: dict[str, Any]) -> str | None:
    """The action that answers `message` when it is a new question rather than a comment, else None.

    Only a message in question form counts (a question mark, or a question word first). Then a question
    the NLU is sure of goes to its answering action, an out-of-scope one gets that reply, and any other
    to `action_clarify`, which asks back like for any unclear question.
    """
    if not in_question_form(str(message.get("text") or "")):
        return None
    intent = message.get("intent") or {}
    name = str(intent.get("name") or "")
    if name in QUESTION_ACTIONS and float(intent.get("confidence") or 0) >= QUESTION_CONFIDENCE:
        return QUESTION_ACTIONS[name]
    return "action_out_of_scope" if name == "out_of_scope" else "action_clarify"


def carried_question(text: str) -> bool:
    """Whether a complaint carries a question after it: a clause after the first in question form
    ("du svarade inte, ska jag …?"). "Varför svarar du inte?" is the complaint itself."""
    clauses = [c.strip() for c in CLAUSE_END.split(text) if c.strip()]
    return any(in_question_form(clause) for clause in clauses[1:])


class ActionFeedbackNegative(Action):
    """A typed complaint about an answer: answer the question it carries, else say sorry and offer a
    person (utter_feedback_negative)."""

    def name(self) -> str:
        return "action_feedback_negative"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if corrects_or_disputes(tracker):
            # "Det stämmer inte, vi vill lansera till våren" after the recommendation corrects an answer.
            return await ActionUpdateAdvisor().run(dispatcher, tracker, domain)
        if carried_question(str(tracker.latest_message.get("text") or "")):
            from bot.actions.handoff import ActionClarify  # handoff imports the knowledge actions

            return await ActionClarify().run(dispatcher, tracker, domain)
        dispatcher.utter_message(response="utter_feedback_negative")
        return []


class ActionRateAnswer(Action):
    """Store a rating of an answer; after 👎 (outside a consultation) ask what was missing."""

    def name(self) -> str:
        return "action_rate_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        rating = _entity(tracker, "rating")
        answer = rated_answer(tracker.events, _entity(tracker, "answer"), _entity(tracker, "ref"))
        if rating not in RATINGS or answer is None:
            dispatcher.utter_message(response="utter_rating_unknown")
            return []
        record = {
            "rating": rating,
            "answer": answer.answer_id,
            "question": answer.question,
            "answered_at": answer.timestamp,
        }
        events: list[EventType] = [SlotSet(RATING_SLOT, record)]
        if rating == "up":
            dispatcher.utter_message(response="utter_rating_thanks")
            return events
        if tracker.active_loop.get("name"):
            # In the middle of a consultation a follow-up question would end it: take the 👎 alone.
            dispatcher.utter_message(response="utter_rating_noted")
            return events
        return [*events, SlotSet(COMMENT_SLOT, None), FollowupAction(COMMENT_FORM)]


class ActionSaveRatingComment(Action):
    """Store the answer to "Vad saknades?" with the 👎 it explains (a tapped button is no comment)."""

    def name(self) -> str:
        return "action_save_rating_comment"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        comment = str(tracker.get_slot(COMMENT_SLOT) or "").strip()
        record: dict[str, Any] = dict(tracker.get_slot(RATING_SLOT) or {})
        events: list[EventType] = [SlotSet(COMMENT_SLOT, None)]
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == RATE_INTENT:
            # Another 👍/👎 tapped instead of writing: that is a new rating, not a comment.
            return [*events, FollowupAction("action_rate_answer")]
        answer_with = new_question(tracker.latest_message)
        if answer_with:
            return [*events, FollowupAction(answer_with)]
        if not comment or comment.startswith("/") or not record:
            dispatcher.utter_message(response="utter_rating_noted")
            return events
        record["comment"] = comment[:MAX_COMMENT_CHARS]
        dispatcher.utter_message(response="utter_rating_comment_thanks")
        return [SlotSet(RATING_SLOT, record), *events]
