"""Asking back when the assistant didn't understand, and handing over to a person."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.answers import Answerer, entry_buttons
from bot.actions.followup import answer_follow_up
from bot.actions.kbaccess import get_kb
from bot.actions.knowledge import KbAction, may_offer_consultation, message_of, respond_to, send
from bot.actions.resolve import asked_intent, named_entries, resolve, story_asks
from bot.actions.texts import Texts
from bot.kb.errors import KnowledgeError
from bot.kb.model import Entry
from bot.kb.store import KnowledgeBase
from bot.settings import get_settings

MISSES_BEFORE_HANDOFF = 2


def send_contacts(dispatcher: CollectingDispatcher, texts: Texts, kb: KnowledgeBase) -> None:
    """Where to reach people, from the knowledge base (organisations' contact pages, no individuals)."""
    entry = kb.by_intent("request_human")
    if entry is not None:
        send(dispatcher, Answerer(texts, kb, get_settings().today_date()).answer(entry, "ask_entry"))


class ActionHandoff(KbAction):
    """The user asked for a person: say how to reach one."""

    def name(self) -> str:
        return "action_handoff"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, texts: Texts, kb: KnowledgeBase
    ) -> list[EventType]:
        dispatcher.utter_message(text=texts.get("utter_handoff"))
        send_contacts(dispatcher, texts, kb)
        return [SlotSet("fallback_count", 0.0)]


class ActionClarify(KbAction):
    """Low NLU confidence: suggest what the user may have meant; after repeated misses offer a person."""

    follows_advice = True
    admits_unknown = True

    def name(self) -> str:
        return "action_clarify"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        # A product described with a manufacturing question starts the consultation with what it says.
        from bot.actions.advice import ActionUpdateAdvisor, opens_consultation  # advice imports this module

        if opens_consultation(tracker):
            return await ActionUpdateAdvisor().run(dispatcher, tracker, domain)
        return await super().run(dispatcher, tracker, domain)

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, texts: Texts, kb: KnowledgeBase
    ) -> list[EventType]:
        # What the NLU thought likeliest below the fallback threshold (nlu_fallback is ranked first).
        guess = next((r["name"] for r in tracker.latest_message.get("intent_ranking", [])[1:2]), "")
        text = tracker.latest_message.get("text") or ""
        asked = asked_intent(text) if not text.startswith("/") else None
        if not story_asks(text, guess):
            guess = "ask_entry"
        msg = message_of(tracker, intent=asked or (guess if guess.startswith("ask_") else "ask_entry"))
        found = resolve(kb, msg) if msg.text and not msg.text.startswith("/") else None
        if found is not None and (found.passages or found.unknown_name):
            # The NLU is unsure, but the knowledge base holds a passage that answers the message.
            offer = may_offer_consultation(tracker)
            return respond_to(dispatcher, texts, kb, msg, found, offer=offer) or []
        misses = int(tracker.get_slot("fallback_count") or 0) + 1
        if misses >= MISSES_BEFORE_HANDOFF:
            dispatcher.utter_message(text=texts.get("utter_handoff_after_misses"))
            send_contacts(dispatcher, texts, kb)
            return [SlotSet("fallback_count", 0.0)]
        if found is not None and found.candidates:
            buttons = entry_buttons(found.candidates[:3], "ask_entry")
            buttons += texts.buttons("utter_clarify_suggestions")[:2]
            dispatcher.utter_message(text=texts.get("utter_clarify"), buttons=buttons)
        else:
            dispatcher.utter_message(
                text=texts.get("utter_clarify_suggestions"),
                buttons=texts.buttons("utter_clarify_suggestions"),
            )
        return [SlotSet("fallback_count", float(misses))]


def named_in(text: str) -> list[Entry]:
    """The entries a message names by title or alias; none when the knowledge base is down."""
    try:
        return named_entries(get_kb(), text)
    except KnowledgeError:
        return []


def names_knowledge(text: str) -> bool:
    """Whether a message names anything in the knowledge base (an entry's title or alias): "Måste jag
    CE-märka min USB-lampa?" is a question about a rule the knowledge base holds, whatever the NLU thought
    of the lamp."""
    return bool(text) and not text.startswith("/") and bool(named_in(text))


class ActionOutOfScope(Action):
    """A message the NLU put outside the assistant's field: say so, unless it names something the
    knowledge base holds; then it is answered like any question the NLU was unsure of. After a
    recommendation a question is first read against it ("vad kostar ett patent?", "får jag skriva
    ekologisk på burken?"; round 15b)."""

    def name(self) -> str:
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        # A stated production decision is the user's own situation, whatever the NLU made of it.
        from bot.actions.advice import ActionUpdateAdvisor, opens_consultation  # advice imports this module

        if opens_consultation(tracker):
            return await ActionUpdateAdvisor().run(dispatcher, tracker, domain)
        if names_knowledge(tracker.latest_message.get("text") or ""):
            return await ActionClarify().run(dispatcher, tracker, domain)
        answered = answer_follow_up(dispatcher, tracker, domain)
        if answered is not None:
            return answered
        dispatcher.utter_message(response="utter_out_of_scope")
        return []
