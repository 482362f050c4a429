"""Asking back when the assistant didn't understand, and handing over to a person."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.answers import (
    ATTRIBUTE_INTENTS,
    MAX_CHOICES,
    Answerer,
    clear_win,
    entry_buttons,
    is_just_a_name,
    names_an_entry,
)
from bot.actions.knowledge import KbAction, send
from bot.actions.texts import Texts
from bot.settings import get_settings

MISSES_BEFORE_HANDOFF = 2


def send_contacts(dispatcher: CollectingDispatcher, texts: Texts, kb: Any) -> None:
    """Where to reach people, from the knowledge base (organisations' contact pages, no individuals)."""
    entry = kb.by_intent("request_human")
    if entry is not None:
        send(dispatcher, Answerer(texts, kb, get_settings().today_date()).answer(entry, "ask_entry"))


class ActionHandoff(KbAction):
    """The user asked for a person: say how to reach one."""

    def name(self) -> str:
        return "action_handoff"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, texts: Texts, kb: Any
    ) -> list[EventType]:
        dispatcher.utter_message(text=texts.get("utter_handoff"))
        send_contacts(dispatcher, texts, kb)
        return [SlotSet("fallback_count", 0.0)]


class ActionClarify(KbAction):
    """Low NLU confidence: suggest what the user may have meant; after repeated misses offer a person."""

    def name(self) -> str:
        return "action_clarify"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, texts: Texts, kb: Any
    ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        hits = kb.search(text, limit=MAX_CHOICES) if text and not text.startswith("/") else []
        # What the NLU thought likeliest below the fallback threshold (nlu_fallback is ranked first).
        guess = next((r["name"] for r in tracker.latest_message.get("intent_ranking", [])[1:2]), "")
        if hits and (
            is_just_a_name(hits[0].entry, text) or (clear_win(hits) and names_an_entry(hits[:1], text))
        ):
            # The NLU is unsure but the message clearly names one entry ("affärsutvecklingscheckar?",
            # "budget för kompetensuppdraget"): answer about it, for the attribute the NLU thought likeliest.
            intent = guess if guess in ATTRIBUTE_INTENTS else "ask_entry"
            send(dispatcher, Answerer(texts, kb, get_settings().today_date()).answer(hits[0].entry, intent))
            return [SlotSet("current_entry", hits[0].entry.id), SlotSet("fallback_count", 0.0)]
        current = kb.get(tracker.get_slot("current_entry") or "")
        if current is not None and guess in ATTRIBUTE_INTENTS and not names_an_entry(hits, text):
            # An unsure follow-up ("hur många projekt blev det?") about the entry under discussion.
            send(dispatcher, Answerer(texts, kb, get_settings().today_date()).answer(current, guess))
            return [SlotSet("fallback_count", 0.0)]
        misses = int(tracker.get_slot("fallback_count") or 0) + 1
        if misses >= MISSES_BEFORE_HANDOFF:
            dispatcher.utter_message(text=texts.get("utter_handoff_after_misses"))
            send_contacts(dispatcher, texts, kb)
            return [SlotSet("fallback_count", 0.0)]
        if hits:
            buttons = entry_buttons([h.entry for h in hits[:3]], "ask_entry")
            buttons += texts.buttons("utter_clarify_suggestions")[:2]
            dispatcher.utter_message(text=texts.get("utter_clarify"), buttons=buttons)
        else:
            dispatcher.utter_message(
                text=texts.get("utter_clarify_suggestions"),
                buttons=texts.buttons("utter_clarify_suggestions"),
            )
        return [SlotSet("fallback_count", float(misses))]
