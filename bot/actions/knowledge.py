"""Actions that answer from the knowledge base: one entry, support for a need, open calls."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.answers import (
    MAX_CHOICES,
    Answerer,
    Reply,
    clear_win,
    entry_buttons,
    names_an_entry,
    resolve,
)
from bot.actions.kbaccess import get_kb
from bot.actions.texts import Texts
from bot.kb.errors import KnowledgeError
from bot.settings import get_settings

logger = logging.getLogger(__name__)

SUPPORT_KINDS = ("support", "call", "programme", "actor")


def entity_values(tracker: Tracker, name: str) -> list[str]:
    """Values of entity `name` in the latest message, in order, without repeats."""
    values = [str(e["value"]) for e in tracker.latest_message.get("entities", []) if e.get("entity") == name]
    return list(dict.fromkeys(values))


def send(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    """Send one composed reply."""
    dispatcher.utter_message(text=reply.text, buttons=reply.buttons or None)


class KbAction(Action, ABC):
    """An action that reads the knowledge base; tells the user when it can't be reached."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        texts = Texts(domain)
        try:
            return self.respond(dispatcher, tracker, texts, get_kb())
        except KnowledgeError:
            logger.exception("knowledge base unavailable")
            dispatcher.utter_message(text=texts.get("utter_kb_unavailable"))
            return []

    @abstractmethod
    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, texts: Texts, kb: Any
    ) -> list[EventType]:
        """Send the answer; raise KnowledgeError when the knowledge base fails."""


class ActionAnswerKb(KbAction):
    """Answer a question about a call, programme, support, actor, term or strategy topic."""

    def name(self) -> str:
        return "action_answer_kb"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, texts: Texts, kb: Any
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or "ask_entry"
        found = resolve(
            kb,
            intent,
            entity_values(tracker, "kb_entry"),
            tracker.latest_message.get("text") or "",
            tracker.get_slot("current_entry"),
        )
        if found.entry is None and found.candidates:
            dispatcher.utter_message(
                text=texts.get("utter_kb_choose"), buttons=entry_buttons(found.candidates, intent)
            )
            # A follow-up typed instead of a tap ("och när skulle de vara klara?") goes to the best candidate.
            return [SlotSet("current_entry", found.candidates[0].id)]
        if found.entry is None:
            return not_found(dispatcher, texts, kb, intent)
        answerer = Answerer(texts, kb, get_settings().today_date())
        send(dispatcher, answerer.answer(found.entry, intent))
        return [SlotSet("current_entry", found.entry.id), SlotSet("fallback_count", 0.0)]


def not_found(dispatcher: CollectingDispatcher, texts: Texts, kb: Any, intent: str) -> list[EventType]:
    """Say honestly, in one message, that nothing was found and where current information is published."""
    where = kb.by_intent("ask_open_calls")
    hint = ""
    if where is not None:
        answerer = Answerer(texts, kb, get_settings().today_date())
        hint = f"{where.summary}\n\n{answerer.source(where)}"
    dispatcher.utter_message(
        text=texts.get("utter_kb_not_found", where=hint).strip(),
        buttons=texts.buttons("utter_clarify_suggestions"),
    )
    return []


class ActionSupportFor(KbAction):
    """List the support, calls and actors that fit a need ("vilket stöd finns för automation?")."""

    def name(self) -> str:
        return "action_support_for"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, texts: Texts, kb: Any
    ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        hits = kb.search(text, limit=20) if not text.startswith("/") else []
        if (
            hits
            and hits[0].entry.kind in SUPPORT_KINDS
            and clear_win(hits)
            and names_an_entry(hits[:1], text)
        ):
            # "Robotlyftet – kan jag få pengar till en robot?" asks about one named support: answer it.
            entry = hits[0].entry
            send(dispatcher, Answerer(texts, kb, get_settings().today_date()).answer(entry, "ask_entry"))
            return [SlotSet("current_entry", entry.id)]
        entries: list[Any] = []
        # A named term ("stöd för prototyper" names the glossary entry prototyp) stands for its topics.
        named = [kb.get(value) for value in entity_values(tracker, "kb_entry")]
        topics = entity_values(tracker, "topic") + [t for e in named if e is not None for t in e.topics]
        for topic in dict.fromkeys(topics):
            entries += [e for e in kb.by_topic(topic, kinds=SUPPORT_KINDS) if e not in entries]
        if not entries:
            entries = [h.entry for h in hits if h.entry.kind in SUPPORT_KINDS]
        if not entries:
            dispatcher.utter_message(text=texts.get("utter_support_none"))
            return not_found(dispatcher, texts, kb, "ask_support_for")
        today = get_settings().today_date()
        # Open calls first, then what the message itself points at ("stöd från Vinnova"), then support.
        rank = {h.entry.id: i for i, h in enumerate(hits)}
        entries.sort(
            key=lambda e: (kb.status(e, today) != "open", rank.get(e.id, len(rank)), e.kind != "support")
        )
        dispatcher.utter_message(
            text=texts.get("utter_support_for"),
            buttons=entry_buttons(entries[: MAX_CHOICES + 2], "ask_entry"),
        )
        return []


class ActionOpenCalls(KbAction):
    """Which calls are open today, and where current calls are published."""

    def name(self) -> str:
        return "action_open_calls"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, texts: Texts, kb: Any
    ) -> list[EventType]:
        today = get_settings().today_date()
        open_calls = kb.calls(today, "open")
        if open_calls:
            dispatcher.utter_message(
                text=texts.get("utter_open_calls_list"), buttons=entry_buttons(open_calls, "ask_entry")
            )
        else:
            dispatcher.utter_message(text=texts.get("utter_open_calls_none"))
        where = kb.by_intent("ask_open_calls")
        if where is not None:
            send(dispatcher, Answerer(texts, kb, today).answer(where, "ask_entry"))
        closed = kb.calls(today, "closed")
        if closed:
            dispatcher.utter_message(
                text=texts.get("utter_recent_calls"), buttons=entry_buttons(closed[:MAX_CHOICES], "ask_entry")
            )
        return []
