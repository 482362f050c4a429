"""Actions that answer from the knowledge base: one entry, support for a need, open calls."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.answers import MAX_CHOICES, Answerer, Reply, calls_url, entry_buttons
from bot.actions.kbaccess import get_kb
from bot.actions.resolve import Message, Resolution, asks_for_support, resolve
from bot.actions.texts import Texts
from bot.advisor.parsing.parse import parse_answer
from bot.kb.errors import KnowledgeError
from bot.kb.model import Entry
from bot.kb.store import KnowledgeBase
from bot.settings import get_settings
from bot.swedish import content_stems, looks_english

logger = logging.getLogger(__name__)

SUPPORT_KINDS = ("support", "call", "programme", "actor")


def entity_values(tracker: Tracker, name: str) -> list[str]:
    """Values of entity `name` in the latest message, in order, without repeats."""
    values = [str(e["value"]) for e in tracker.latest_message.get("entities", []) if e.get("entity") == name]
    return list(dict.fromkeys(values))


def message_of(tracker: Tracker, intent: str | None = None) -> Message:
    """What the resolver needs from the tracker: text, intent, entities, the entries under discussion."""
    return Message(
        text=tracker.latest_message.get("text") or "",
        intent=intent or (tracker.latest_message.get("intent") or {}).get("name") or "ask_entry",
        entities=tuple(entity_values(tracker, "kb_entry")),
        current=tracker.get_slot("current_entry"),
        other=tracker.get_slot("other_entry"),
        last_intent=tracker.get_slot("last_intent"),
        recognised=tuple(
            str(e.get("text") or e.get("value") or "")
            for e in tracker.latest_message.get("entities", [])
            if e.get("entity") != "kb_entry"
        ),
    )


def send(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    """Send one composed reply, marked for rating with the passages it answers from."""
    extra = {"rating": {"answer": reply.answer}} if reply.answer else {}
    dispatcher.utter_message(text=reply.text, buttons=reply.buttons or None, **extra)


def respond_to(
    dispatcher: CollectingDispatcher,
    texts: Texts,
    kb: KnowledgeBase,
    msg: Message,
    found: Resolution,
    offer: bool = True,
) -> list[EventType] | None:
    """Send the answer, menu or "unknown" for a resolution; None when it found nothing. With `offer`
    False the answer never offers the consultation (it is running)."""
    if found.unknown_name:
        actor = found.entry
        site = actor and (actor.current_info_url or actor.apply_url or actor.sources[0].url)
        if actor is not None and site:
            # "Vinnovas Prototypcheck Plus": the named actor's own site is where to look.
            text = texts.get(
                "utter_kb_unknown_name_actor",
                programme=found.unknown_name,
                actor=actor.title,
                url=site,
            )
        else:
            text = texts.get(
                "utter_kb_unknown_name", programme=found.unknown_name, current_info_url=calls_url(kb)
            )
        dispatcher.utter_message(text=text)
        return [SlotSet("fallback_count", 0.0)]
    if found.candidates:
        dispatcher.utter_message(
            text=texts.get("utter_kb_choose"), buttons=entry_buttons(found.candidates, msg.intent)
        )
        # A follow-up typed instead of a tap ("och när skulle de vara klara?") goes to the best candidate.
        return [SlotSet("current_entry", found.candidates[0].id)]
    if not found.passages:
        return None
    entry = found.entry
    assert entry is not None
    english = looks_english(msg.text) and not msg.text.startswith("/")
    answerer = Answerer(texts, kb, get_settings().today_date())
    reply = answerer.compose(found, msg.intent, english=english, question=msg.text)
    if offer and offers_consultation(entry, msg.text):
        offer_text = texts.get("utter_consultation_offer")
        reply = Reply(
            f"{reply.text}\n\n{offer_text}",
            [*texts.buttons("utter_consultation_offer"), *reply.buttons],
            reply.answer,
        )
    send(dispatcher, reply)
    intent = msg.last_intent if msg.intent == "read_more" else msg.intent
    return [
        SlotSet("current_entry", entry.id),
        SlotSet("other_entry", other_entry(kb, found, msg)),
        SlotSet("last_intent", intent),
        SlotSet("fallback_count", 0.0),
    ]


# A message that says this much about the user's own situation deserves the consultation, not just a text.
SITUATION_ANSWERS = 3


# Kinds of entry that give guidance (under which the consultation is offered), as opposed to facts about
# a programme, call, support, actor or regulation.
GUIDANCE_KINDS = frozenset({"strategy", "glossary", "faq"})


def offers_consultation(entry: Entry, text: str) -> bool:
    """Whether to offer the consultation under an answer: for production-strategy guidance, and when the
    user described their own situation (several consultation answers in one message). A fact about a
    programme, call or actor with that topic ("Uppdraget att stärka … tillverkning (2018)") is no advice."""
    if gives_guidance(entry):
        return True
    return not text.startswith("/") and len(parse_answer(text).values) >= SITUATION_ANSWERS


def gives_guidance(entry: Entry) -> bool:
    """Whether an entry is production-strategy guidance rather than facts about a programme, call, support,
    actor or regulation."""
    return "production-strategy" in entry.topics and entry.kind in GUIDANCE_KINDS


def other_entry(kb: KnowledgeBase, found: Resolution, msg: Message) -> str | None:
    """What "och den andra då?" refers to after this answer: the second entry answered, else a sibling."""
    entry = found.entry
    assert entry is not None
    if len(found.entries) > 1:
        return found.entries[1].id
    if msg.other and msg.current and msg.other != entry.id and msg.current != entry.id:
        return msg.other
    if entry.id == msg.other and msg.current:
        return msg.current
    # The sibling most like this entry: "första handlingsplanen" -> "andra handlingsplanen".
    siblings = [s for s in (kb.get(rid) for rid in entry.related) if s is not None and s.kind == entry.kind]
    own = set(content_stems(entry.title))
    best = max(siblings, key=lambda s: _overlap(own, set(content_stems(s.title))), default=None)
    return best.id if best is not None else None


def _overlap(a: set[str], b: set[str]) -> float:
    """Jaccard similarity of two sets of stems."""
    return len(a & b) / len(a | b) if a | b else 0.0


class KbAction(Action, ABC):
    """An action that reads the knowledge base; tells the user when it can't be reached."""

    # Whether a typed question after a recommendation is first read against it (bot/actions/followup.py),
    # and whether one that nothing answers is told so there (the action has no answer of its own for it).
    follows_advice = False
    admits_unknown = False

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        texts = Texts(domain)
        # advice imports this module
        from bot.actions.advice import accepts_consultation, start_events

        if accepts_consultation(tracker):
            # "Hm, jag frågade inte om lån. Men ja, ställ frågorna." is a yes to the consultation, whatever
            # intent the NLU read (persona round 32b, p06: the handoff text).
            return start_events(tracker, dispatcher, domain) + [FollowupAction("advisor_form")]
        try:
            if self.follows_advice:
                # advice imports this module
                from bot.actions.advice import ActionUpdateAdvisor, corrects_or_disputes
                from bot.actions.followup import answer_follow_up  # followup imports this module

                if corrects_or_disputes(tracker):
                    return await ActionUpdateAdvisor().run(dispatcher, tracker, domain)
                answered = answer_follow_up(dispatcher, tracker, domain, admit=self.admits_unknown)
                if answered is not None:
                    return answered
            return self.respond(dispatcher, tracker, texts, get_kb())
        except KnowledgeError:
            logger.exception("knowledge base unavailable")
            dispatcher.utter_message(text=texts.get("utter_kb_unavailable"))
            return []

    @abstractmethod
    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, texts: Texts, kb: KnowledgeBase
    ) -> list[EventType]:
        """Send the answer; raise KnowledgeError when the knowledge base fails."""


def may_offer_consultation(tracker: Tracker) -> bool:
    """Whether an answer may offer the consultation: not in the middle of one (a side question answered by
    a rule), nor after it gave its recommendation: the user has had it ("visa sammanfattningen igen")."""
    return tracker.active_loop_name is None and not tracker.get_slot("advisor_summary")


class ActionAnswerKb(KbAction):
    """Answer a question about a call, programme, support, actor, term or strategy topic."""

    follows_advice = True

    def name(self) -> str:
        return "action_answer_kb"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        # A description of one's own situation with a what-to-do question ("Vi vill bygga egna batteripack,
        # ca 500 st i månaden. Hur ska vi lägga upp produktionen?") starts the consultation with what it
        # says, even when the NLU reads it as a question about one topic (make or buy).
        from bot.actions.advice import ActionUpdateAdvisor, opens_consultation  # advice imports this module

        if opens_consultation(tracker, understood=True):
            return await ActionUpdateAdvisor().run(dispatcher, tracker, domain)
        return await super().run(dispatcher, tracker, domain)

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, texts: Texts, kb: KnowledgeBase
    ) -> list[EventType]:
        msg = message_of(tracker)
        events = respond_to(
            dispatcher, texts, kb, msg, resolve(kb, msg), offer=may_offer_consultation(tracker)
        )
        return events if events is not None else not_found(dispatcher, texts, kb)


def not_found(dispatcher: CollectingDispatcher, texts: Texts, kb: KnowledgeBase) -> list[EventType]:
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
    """Support, calls and actors that fit a need ("vilket stöd finns för automation?")."""

    follows_advice = True

    def name(self) -> str:
        return "action_support_for"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, texts: Texts, kb: KnowledgeBase
    ) -> list[EventType]:
        msg = message_of(tracker)
        text = msg.text
        hits = kb.search(text, limit=20) if not text.startswith("/") else []
        entries: list[Entry] = []
        # A named term ("stöd för prototyper" names the glossary entry prototyp) stands for its topics.
        named = [kb.get(value) for value in msg.entities]
        topics = entity_values(tracker, "topic") + [t for e in named if e is not None for t in e.topics]
        for topic in dict.fromkeys(topics):
            entries += [e for e in kb.by_topic(topic, kinds=SUPPORT_KINDS) if e not in entries]
        if not entries:
            entries = [h.entry for h in hits if h.entry.kind in SUPPORT_KINDS]
        today = get_settings().today_date()
        # Open calls first, then what the message itself points at ("stöd från Vinnova"), then support.
        rank = {h.entry.id: i for i, h in enumerate(hits)}
        entries.sort(
            key=lambda e: (kb.status(e, today) != "open", rank.get(e.id, len(rank)), e.kind != "support")
        )
        found = resolve(kb, msg) if not text.startswith("/") else Resolution()
        listed_ids = {e.id for e in entries}
        fits = found.entry is not None and (
            found.entry.id in listed_ids
            or found.entry.id in msg.entities
            or found.entry.id == msg.current
            # Advice on the need asked about ("vem kan hjälpa mig med en prototyp?") answers it; the
            # support that fits follows as buttons.
            or (found.entry.kind == "strategy" and bool(set(found.entry.topics) & set(topics)))
            # A question that asks for no support ("Hur viktig är industrin för svensk export?") is answered
            # by its passage, whatever topic the NLU heard.
            or not asks_for_support(text)
        )
        if (found.passages and (fits or not entries)) or found.unknown_name:
            # The passage that answers the question first; what else fits as buttons under it.
            events = respond_to(dispatcher, texts, kb, msg, found)
            answered = {e.id for e in found.entries}
            others = [e for e in entries if e.id not in answered][:MAX_CHOICES]
            if others:
                dispatcher.utter_message(
                    text=texts.get("utter_support_more"), buttons=entry_buttons(others, "ask_entry")
                )
            return events or []
        if not entries:
            dispatcher.utter_message(text=texts.get("utter_support_none"))
            return not_found(dispatcher, texts, kb)
        listed = entries[: MAX_CHOICES + 2]
        dispatcher.utter_message(
            text=texts.get("utter_support_for", titles="\n".join(f"• {e.title}" for e in listed)),
            buttons=entry_buttons(listed, "ask_entry"),
        )
        return []


class ActionOpenCalls(KbAction):
    """Which calls are open today (and which open later), from the calls' dates in the knowledge base, and
    where current calls are published."""

    def name(self) -> str:
        return "action_open_calls"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, texts: Texts, kb: KnowledgeBase
    ) -> list[EventType]:
        msg = message_of(tracker)
        if not msg.text.startswith("/"):
            found = resolve(kb, msg)
            if found.unknown_name:
                # "Vilken ränta har Norrlandsfondens lån just nu?": "just nu" made it a question about open
                # calls, but it names a programme the knowledge base does not hold: say so, and where to look,
                # rather than listing other calls.
                return respond_to(dispatcher, texts, kb, msg, found) or []
        today = get_settings().today_date()
        open_calls = kb.calls(today, "open")
        if open_calls:
            dispatcher.utter_message(
                text=texts.get("utter_open_calls_list"), buttons=entry_buttons(open_calls, "ask_entry")
            )
        else:
            dispatcher.utter_message(text=texts.get("utter_open_calls_none"))
        upcoming = kb.calls(today, "upcoming")
        if upcoming:
            dispatcher.utter_message(
                text=texts.get("utter_upcoming_calls"), buttons=entry_buttons(upcoming, "ask_status")
            )
        where = kb.by_intent("ask_open_calls")
        if where is not None:
            send(dispatcher, Answerer(texts, kb, today).answer(where, "ask_entry"))
        closed = kb.calls(today, "closed")
        if closed:
            dispatcher.utter_message(
                text=texts.get("utter_recent_calls"), buttons=entry_buttons(closed[:MAX_CHOICES], "ask_entry")
            )
        return []
