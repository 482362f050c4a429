"""Free questions after a recommendation, answered in the user's context.

Once the consultation has given its recommendation (the slot `advisor_summary` is set), a typed question
is read against it before the general knowledge answer:

1. A question that names a rule (a regulation entry: "maskindirektivet", "litiumbatteri", "medicinteknisk
   produkt") gets that rule's passage, found by the resolver within that entry, whether or not the
   recommendation listed the rule: a user who asks about the battery has one.
2. A question about one part of the recommendation ("vilket stöd kan vi söka?", "varför inte Kina?",
   "vad ska vi tänka på?", "vilka regler gäller?", "vad är nästa steg?") gets that part, filtered by the
   profile, as the button /advisor_more gives it.
3. Any other question gets the knowledge base's answer, but never an old programme or call picked up by a
   word in passing (that is background, not advice for this user), and never an offer to start the
   consultation the user has already had.

A message with several questions ("… gäller det några särskilda regler? Och hur gör vi med de första
200 …?") gets an answer to each.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.kbaccess import get_kb
from bot.actions.knowledge import message_of, respond_to
from bot.actions.resolve import Message, named_entries, resolve
from bot.actions.texts import Texts
from bot.advisor import recommend
from bot.advisor.model import SLOTS
from bot.kb.errors import KnowledgeError
from bot.kb.store import KnowledgeBase
from bot.swedish import fold

# The slot that holds the last recommendation: set means a consultation has been completed.
SUMMARY_SLOT = "advisor_summary"
# Where one question ends and the next begins: "?" (or "." before "Och"/"Men"/a question word).
QUESTION_END = re.compile(
    r"(?<=\?)\s+|(?<=[.!])\s+(?=(?:och|men|vad|hur|när|var|vilk\w*|kan|ska|måste)\b)", re.I
)
# The parts of a recommendation a question can be about, and the phrases (folded, regexes) that ask for
# them. Checked in this order: "varför inte Kina?" asks for the alternative, not for a rule.
PART_PHRASES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "alternative",
        re.compile(
            r"\bvarfor inte\b|\bannat alternativ|\balternativ(et|en)?\b|\bnast basta\b"
            r"|\b(i|fran) (kina|asien|indien|vietnam|polen|baltikum|utlandet)\b|\butomlands\b|\bistallet\b"
        ),
    ),
    (
        "supports",
        re.compile(
            r"\bstod(et|en)?\b|\bbidrag\w*|\bfinansier\w*|\blan(a|et)?\b|\bsoka pengar\b"
            r"|\bvem kan hjalpa\b|\baktorer(na)?\b"
        ),
    ),
    ("caveats", re.compile(r"\btanka pa\b|\brisk(er|erna)?\b|\bfallgropar\b|\bse upp\b|\bakta (oss|mig)\b")),
    (
        "regulations",
        re.compile(
            r"\bregl(er|erna)\b|\bregel(verk\w*)?\b|\bce\b|\bce-?mark\w*|\bcertifier\w*"
            r"|\bdirektiv(et|en)?\b|\blagar(na)?\b|\bvilka krav\b|\bkravs\b.*\bsalja\b"
        ),
    ),
    ("steps", re.compile(r"\bnasta steg\b|\bborja med\b|\bforsta steg\w*\b|\bvad gor (vi|jag) nu\b")),
)
# Entries that are background, not advice for a user who has had a recommendation: a programme or call
# reached through a word in passing is no answer to a question about the user's own product.
BACKGROUND_KINDS = frozenset({"programme", "call"})
# Messages that are no new question: "läs mer" about the answer just given.
OWN_INTENTS = frozenset({"read_more"})


def has_recommendation(tracker: Tracker) -> bool:
    """Whether this conversation has a recommendation (a consultation was completed)."""
    return bool(tracker.get_slot(SUMMARY_SLOT))


def questions_of(text: str) -> list[str]:
    """The questions of a message, in order ("… regler? Och hur gör vi …?" is two)."""
    return [part.strip() for part in QUESTION_END.split(text) if part.strip()]


def asked_part(text: str) -> str | None:
    """The recommendation's part a question asks for, or None."""
    folded = fold(text)
    return next((part for part, phrase in PART_PHRASES if phrase.search(folded)), None)


def part_text(advice: Any, part: str) -> str:
    """The text of one part of a recommendation; "" when it has nothing for it."""
    if part == "steps":
        t = advice.texts
        steps = [t["numbered"].format(number=i, text=s) for i, s in enumerate(advice.next_steps, 1)]
        return "\n".join([t["steps_heading"], *steps]) if steps else ""
    return str(getattr(advice, f"{part}_part")())


_PART_PAYLOAD = re.compile(r'"advice_part":\s*"(\w+)"')


def offered_buttons(texts: Texts, advice: Any, shown: str | None = None) -> list[dict[str, Any]]:
    """The buttons under a recommendation or one of its parts: one per part that has something for these
    answers (not the part just `shown`), then the summary and restart. A button that could only answer
    "Det finns inget mer att visa" is not offered (round 7, p01)."""
    buttons = []
    for button in texts.buttons("utter_advisor_after"):
        found = _PART_PAYLOAD.search(button["payload"])
        if found is None or (found.group(1) != shown and advice.has_part(found.group(1))):
            buttons.append(button)
    return buttons


def send_part(dispatcher: CollectingDispatcher, texts: Texts, advice: Any, part: str) -> None:
    """Send one part of the recommendation with buttons for the other parts."""
    others = offered_buttons(texts, advice, shown=part)
    dispatcher.utter_message(
        text=part_text(advice, part) or texts.get("utter_advisor_nothing_more"), buttons=others
    )


def answer_question(
    dispatcher: CollectingDispatcher, texts: Texts, kb: KnowledgeBase, msg: Message, advice: Any
) -> list[EventType] | None:
    """Answer one question in the context of the recommendation; None when nothing here answers it."""
    named = named_entries(kb, msg.text)
    rules = [entry.id for entry in named if entry.kind == "regulation"]
    if rules:
        found = resolve(kb, dataclasses.replace(msg, intent="ask_entry", entities=tuple(rules)))
        if found.passages and not found.candidates:
            return respond_to(dispatcher, texts, kb, msg, found, offer=False)
    part = asked_part(msg.text)
    if part is not None and not named:  # "kan vi söka Almis innovationslån?" is about that loan
        send_part(dispatcher, texts, advice, part)
        return []
    found = resolve(kb, msg)
    if found.entry is not None and found.entry.kind in BACKGROUND_KINDS and not msg.entities:
        found = dataclasses.replace(found, passages=[], entries=[])
    own = [item.id for item in advice.regulations]
    if not found.passages and not found.candidates and own:
        # Nothing general answers it: what the product's own rules say, if they hold its words.
        found = resolve(kb, dataclasses.replace(msg, intent="ask_entry", entities=tuple(own)))
        if not found.passages or found.entry is None or found.entry.id not in own:
            return None
    if not found.passages and not found.candidates:
        return None
    return respond_to(dispatcher, texts, kb, msg, found, offer=False)


def drop_repeats(dispatcher: CollectingDispatcher, start: int, sent: set[str]) -> None:
    """Remove the messages from `start` on whose text was already sent for an earlier question of the
    same message (two questions answered by one passage get it once); remember the rest."""
    fresh = []
    for message in dispatcher.messages[start:]:
        text = message.get("text") or ""
        if text and text in sent:
            continue
        sent.add(text)
        fresh.append(message)
    dispatcher.messages[start:] = fresh


def answer_follow_up(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> list[EventType] | None:
    """Answer a typed question after a recommendation from it (see the module docstring); None when
    there is no recommendation, no typed question, or nothing here answers it."""
    text = (tracker.latest_message.get("text") or "").strip()
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if not has_recommendation(tracker) or tracker.active_loop_name or not text or text.startswith("/"):
        return None
    if intent in OWN_INTENTS:
        return None
    texts = Texts(domain)
    try:
        kb = get_kb()
        advice = recommend({slot: tracker.get_slot(slot) for slot in SLOTS}, kb)
        base = message_of(tracker)
        events: list[EventType] = []
        answered = False
        sent: set[str] = set()
        for question in questions_of(text):
            msg = dataclasses.replace(base, text=question, entities=() if question != text else base.entities)
            before = len(dispatcher.messages)
            result = answer_question(dispatcher, texts, kb, msg, advice)
            answered |= result is not None
            events += result or []
            drop_repeats(dispatcher, before, sent)
        return events if answered else None
    except KnowledgeError:
        return None
