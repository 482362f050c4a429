"""The production-strategy consultation: a Rasa form over `bot.advisor` (questions, parsing, advice).

The form asks only the questions that matter for the answers so far (`required_slots`). Every message
is parsed for all answers it holds, so a rich first message or a correction fills several slots at once.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.answers import ATTRIBUTE_INTENTS
from bot.actions.kbaccess import get_kb
from bot.actions.texts import Texts
from bot.advisor import (
    SKIP,
    describe_answers,
    parse_answer,
    question_for,
    recommend,
    slot_updates,
)
from bot.advisor import required_slots as advisor_required_slots
from bot.kb.errors import KnowledgeError

# Questions that interrupt the consultation: answered, then the form resumes (stories/advisor.yml).
SIDE_QUESTION_INTENTS = frozenset(
    {
        *ATTRIBUTE_INTENTS,
        "ask_entry",
        "ask_support_for",
        "ask_open_calls",
        "ask_make_or_buy",
        "ask_offshore_vs_sweden",
        "ask_find_manufacturer",
        "ask_production_stages",
        "ask_competence_supply",
        "bot_identity",
        "bot_capabilities",
        "request_human",
        "repeat_summary",
    }
)
SIDE_QUESTION_CONFIDENCE = 0.6
MISSES_BEFORE_SKIP = 2
# A message outside a consultation must give this many answers to start one by itself.
MIN_ANSWERS_TO_START = 2
# The consultation's slots (domain/advisor.yml); knowledge/advisor/questions.yml has a question for each.
ADVISOR_SLOTS = (
    "stage",
    "product_type",
    "volume",
    "capability",
    "capital",
    "time_to_market",
    "ip_sensitivity",
    "priorities",
)


def filled_slots(tracker: Tracker) -> dict[str, Any]:
    """The consultation's answers so far."""
    return {slot: tracker.get_slot(slot) for slot in ADVISOR_SLOTS}


def user_text(tracker: Tracker) -> str:
    """The latest user text, or "" for a payload like /start_consultation."""
    text = (tracker.latest_message.get("text") or "").strip()
    return "" if text.startswith("/") else text


def parsed_updates(tracker: Tracker, expected: str | None) -> dict[str, Any]:
    """Slot values the latest message gives, merged with the answers so far."""
    text = user_text(tracker)
    if not text:
        return {}
    return slot_updates(filled_slots(tracker), parse_answer(text, expected=expected))


def is_side_question(tracker: Tracker, updates: dict[str, Any], expected: str | None) -> bool:
    """A confident question of another kind that doesn't answer the question asked."""
    intent = tracker.latest_message.get("intent") or {}
    return (
        intent.get("name") in SIDE_QUESTION_INTENTS
        and float(intent.get("confidence") or 0) >= SIDE_QUESTION_CONFIDENCE
        and (expected is None or expected not in updates)
    )


class ValidateAdvisorForm(FormValidationAction):
    """Parse each answer, ask only what matters, skip a question after repeated unclear answers."""

    def name(self) -> str:
        return "validate_advisor_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        return advisor_required_slots(filled_slots(tracker))

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        expected = tracker.get_slot("requested_slot")
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "stop":
            return []  # the form rejects; the stop rule ends the consultation
        updates = parsed_updates(tracker, expected)
        if is_side_question(tracker, updates, expected):
            return []  # the form rejects; a rule answers and resumes the consultation
        if expected and not updates:
            misses = int(tracker.get_slot("advisor_misses") or 0) + 1
            texts = Texts(domain)
            if misses < MISSES_BEFORE_SKIP:
                dispatcher.utter_message(text=texts.get("utter_advisor_not_understood"))
                return [SlotSet("advisor_misses", float(misses))]
            dispatcher.utter_message(text=texts.get("utter_advisor_skipping"))
            updates[expected] = SKIP
        elif expected and expected not in updates:
            # A correction of an earlier answer ("jag menar 5000 per år"): confirm it, then ask again.
            answers = describe_answers(updates)
            if answers:  # a removed answer ("hållbarhet har jag inte sagt") is simply asked again
                dispatcher.utter_message(text=Texts(domain).get("utter_advisor_updated", answers=answers))
        return [SlotSet(slot, value) for slot, value in updates.items()] + [SlotSet("advisor_misses", 0.0)]


async def ask_question(slot: str, dispatcher: CollectingDispatcher) -> list[EventType]:
    """Ask one consultation question with its answer buttons (texts from knowledge/advisor/)."""
    question = question_for(slot)
    # A button sends its title: the parser maps every title back to its value.
    buttons = [{"title": b.title, "payload": b.title} for b in question.buttons]
    dispatcher.utter_message(text=question.text, buttons=buttons)
    return []


def _ask_action(slot: str) -> type[Action]:
    """The `action_ask_<slot>` action the form calls to ask for `slot`."""

    async def run(
        self: Action, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return await ask_question(slot, dispatcher)

    return type(
        f"ActionAsk_{slot}",
        (Action,),
        {"name": lambda self: f"action_ask_{slot}", "run": run, "__module__": __name__},
    )


ASK_ACTIONS = [_ask_action(slot) for slot in ADVISOR_SLOTS]


class ActionStartAdvisor(Action):
    """Start (or restart) the consultation: forget earlier answers, keep what this message already says."""

    def name(self) -> str:
        return "action_start_advisor"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(text=Texts(domain).get("utter_advisor_intro"))
        text = user_text(tracker)
        found = slot_updates({}, parse_answer(text)) if text else {}
        events: list[EventType] = [SlotSet(slot, found.get(slot)) for slot in ADVISOR_SLOTS]
        return events + [SlotSet("advisor_summary", None), SlotSet("advisor_misses", 0.0)]


class ActionUpdateAdvisor(Action):
    """Answers given outside the form ("jag menar 5000 per år"): update them, then let the form re-advise.

    Without an earlier consultation, one parsed answer is too little to start one on (the message may be
    a misread question): then the user is asked back instead.
    """

    def name(self) -> str:
        return "action_update_advisor"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        updates = parsed_updates(tracker, None)
        texts = Texts(domain)
        before = filled_slots(tracker)
        started = any(value is not None for value in before.values())
        if len(updates) < (1 if started else MIN_ANSWERS_TO_START):
            dispatcher.utter_message(
                text=texts.get("utter_clarify_suggestions"),
                buttons=texts.buttons("utter_clarify_suggestions"),
            )
            return []
        if not started:
            dispatcher.utter_message(text=texts.get("utter_advisor_intro"))
        answers = describe_answers({**before, **updates})
        dispatcher.utter_message(text=texts.get("utter_advisor_noted", answers=answers))
        return [SlotSet(slot, value) for slot, value in updates.items()] + [FollowupAction("advisor_form")]


class ActionRecommend(Action):
    """Give the recommendation for the answers, with support and actors from the knowledge base."""

    def name(self) -> str:
        return "action_recommend"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        texts = Texts(domain)
        try:
            kb = get_kb()
            summary = recommend(filled_slots(tracker), kb).as_text()
        except KnowledgeError:
            summary = recommend(filled_slots(tracker), None).as_text()
            dispatcher.utter_message(text=texts.get("utter_kb_unavailable"))
        dispatcher.utter_message(text=summary)
        dispatcher.utter_message(
            text=texts.get("utter_advisor_after"), buttons=texts.buttons("utter_advisor_after")
        )
        return [SlotSet("advisor_summary", summary)]


class ActionRepeatSummary(Action):
    """Send the last recommendation again as one message the user can copy."""

    def name(self) -> str:
        return "action_repeat_summary"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        summary = tracker.get_slot("advisor_summary")
        texts = Texts(domain)
        if summary:
            dispatcher.utter_message(text=summary)
        else:
            dispatcher.utter_message(
                text=texts.get("utter_advisor_no_summary"), buttons=texts.buttons("utter_advisor_no_summary")
            )
        return []
