"""Asking back when the assistant didn't understand, and handing over to a person."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.answers import Answerer, entry_buttons
from bot.actions.knowledge import KbAction, may_offer_consultation, message_of, respond_to, send
from bot.actions.resolve import asked_intent, resolve
from bot.actions.texts import Texts
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
