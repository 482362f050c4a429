"""The production-strategy consultation: a Rasa form over `bot.advisor` (questions, parsing, advice).

The form asks only the questions that matter for the answers so far (`required_slots`). Every message
is parsed for all answers it holds, so a rich first message or a correction fills several slots at once.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.answers import ATTRIBUTE_INTENTS
from bot.actions.correction import disputes, reply_to_dispute
from bot.actions.followup import answer_follow_up, has_recommendation, offered_buttons, send_part
from bot.actions.handoff import ActionClarify, named_in
from bot.actions.kbaccess import get_kb
from bot.actions.knowledge import ActionAnswerKb, gives_guidance, message_of, respond_to
from bot.actions.newfacts import (
    CHECK_SLOT,
    IMPLAUSIBLE_CAPITAL,
    PENDING_SLOT,
    SENTENCE,
    named_paths,
    replaces,
    stated_facts,
    wished_paths,
)
from bot.actions.productcheck import (
    PRODUCT_SLOT,
    check_buttons,
    needs_check,
    product_phrase,
    read_check_answer,
)
from bot.actions.resolve import NAMED_KINDS, Message, Resolution, question_part, resolve
from bot.actions.schools import for_users_school
from bot.actions.texts import Texts
from bot.advisor import (
    SKIP,
    ParseResult,
    describe_answers,
    left_with_goal,
    parse_answer,
    question_for,
    recommend,
    slot_updates,
)
from bot.advisor import required_slots as advisor_required_slots
from bot.advisor.data import load_questions, load_rules
from bot.advisor.engine import WANTED
from bot.advisor.model import NUMBER_SLOTS, SLOTS
from bot.advisor.parsing.numbers import has_range
from bot.advisor.parsing.numberslots import read_in_thousands
from bot.advisor.profile import answer_phrase, bound_number, join, to_profile
from bot.feedback import RECOMMENDATION
from bot.kb.errors import KnowledgeError
from bot.swedish import fold, in_question_form

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
        "greet",
        "smalltalk",
        "thank",
    }
)
SIDE_QUESTION_CONFIDENCE = 0.6
# Where one sentence ends and the next begins ("… ängelinvesterare. Vad kostar …?").
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# A message without "?" is a question asked in the middle of the consultation only in the word order of a
# direct question: a question word and no subject right after it ("vad kostar ett formverktyg",
# "hur gör man"), or a verb first and a subject after it ("måste jag CE-märka", "finns det stöd"). "var vi
# ska bygga första batchen" and "vad som krävs för CE" are answers (indirect questions), and so are
# "kan investera om det lönar sig" and "finns om kalkylen håller". Verbs in ANY_SUBJECT take a noun too
# ("gäller maskindirektivet en sensor").
WH_WORDS = frozenset("vad vem vilka vilken vilket hur när var varför".split())
QUESTION_VERBS = frozenset("finns kan ska får går är har måste behöver gäller kostar krävs behövs".split())
ANY_SUBJECT = frozenset("gäller kostar krävs behövs".split())
SUBJECTS = frozenset(
    "jag vi man det den de dom ni du han hon min mitt mina vår vårt våra er ert era en ett".split()
)
INDIRECT = frozenset({"som"}) | SUBJECTS
MISSES_BEFORE_SKIP = 2
# A message outside a consultation must give this many answers to start one by itself.
MIN_ANSWERS_TO_START = 2
# The consultation's slots (domain/advisor.yml); knowledge/advisor/questions.yml has a question for each.
ADVISOR_SLOTS = SLOTS
# A direct answer of at most this many words to the question asked is not doubtful ("ca 5000 st").
PLAIN_ANSWER_WORDS = 4
YES_WORDS = frozenset("ja japp jo jepp yes ok okej stammer korrekt precis exakt absolut ratt javisst".split())
NO_WORDS = frozenset("nej nä nae no fel andra inte".split())
# An answer to "what do you want to decide?" that the NLU takes for a strategy question answers it.
SITUATION_INTENTS = {
    "ask_competence_supply": "capacity",
    "ask_offshore_vs_sweden": "relocate",
    "ask_make_or_buy": "new_product",
    "ask_find_manufacturer": "new_product",
    "ask_production_stages": "new_product",
}
# The payload of every button that starts the consultation.
START_PAYLOAD = "/start_consultation"
# Earlier messages read when a consultation starts: the situation the user described before asking.
EARLIER_MESSAGES = 2
# Answers kept unless the user answers that very question again or corrects it: numbers, what the user
# wants to decide (a later "korta ledtider" is a priority, not a new situation) and the kind of jobs (persona
# round 31: "Blandat" became "Återkommande serier" when a later answer mentioned series).
KEPT_SLOTS = frozenset({*NUMBER_SLOTS, "current_volume", "situation", "workload"})
# The parts of a recommendation shown on request (payload /advisor_more{"advice_part": ...}).
ADVICE_PARTS = ("alternative", "regulations", "supports", "caveats")
# Typed requests for a part ("visa reglerna"): word stems (folded) that name each part.
PART_WORDS = {
    "regulations": ("regel", "regl", "ce", "certifi", "direktiv"),
    "supports": ("stod", "aktor", "finansier", "lan"),
    "caveats": ("tanka", "risk", "varning"),
    "alternative": ("nast", "annat", "alternativ", "andra"),
}


def filled_slots(tracker: Tracker) -> dict[str, Any]:
    """The consultation's answers so far."""
    return {slot: tracker.get_slot(slot) for slot in ADVISOR_SLOTS}


def doubtful(updates: dict[str, Any], expected: str | None, text: str) -> list[str]:
    """Number slots taken from free text with some doubt: not a short direct answer to the question asked,
    a range ("8–10 miljoner") that was taken as its midpoint, capital too small to be meant, or capital read
    in thousands ("max 500": 500 000 kr)."""
    plain = len(text.split()) <= PLAIN_ANSWER_WORDS and not has_range(fold(text))
    numbers = {
        slot: value
        for slot in NUMBER_SLOTS
        if (value := bound_number(updates.get(slot)) or _plain_number(updates.get(slot))) is not None
    }
    return [
        slot
        for slot, value in numbers.items()
        if not (slot == expected and plain)
        or (slot == "capital" and (value < IMPLAUSIBLE_CAPITAL or read_in_thousands(fold(text), value)))
    ]


def _plain_number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def check_events(slots: list[str], pending: list[str] | None = None) -> list[EventType]:
    """Events that make the form confirm `slots` (added to what already waits) before it goes on."""
    waiting = list(dict.fromkeys([*(pending or []), *slots]))
    if not slots:
        return []
    return [SlotSet(PENDING_SLOT, waiting), SlotSet(CHECK_SLOT, None)]


def understood(slots: list[str], filled: dict[str, Any]) -> str:
    """ "cirka 40 000 enheter per år och cirka 150 varianter": the values to confirm, as phrases."""
    questions = load_questions()
    profile = to_profile(filled, questions)
    return join([answer_phrase(slot, profile, questions) for slot in slots], questions)


def yes_or_no(text: str, intent: str | None) -> str | None:
    """ "yes", "no" or None for an answer to "stämmer det?"."""
    words = set(fold_words(text))
    if intent == "deny" or words & NO_WORDS:
        return "no"
    if intent == "affirm" or words & YES_WORDS:
        return "yes"
    return None


def fold_words(text: str) -> list[str]:
    """Lowercase words without diacritics."""
    from bot.advisor.parsing.textmatch import fold

    return [w for w in "".join(c if c.isalnum() else " " for c in fold(text)).split()]


# Only these words end the consultation: an answer the NLU merely mistakes for "stop" ("EU först, USA
# längre fram") is parsed as an answer. Folded (no diacritics), whole words.
STOP_WORDS = re.compile(
    r"\b(avbryt\w*|avslut\w*|sluta|stopp|stoppa|stop|strunta|glom det|cancel|quit|exit|lagg ner|orkar inte"
    r"|skiter i|hoppa ur|angrar mig|racker det|vill inte (fortsatta|svara|gora))\b"
)


def asks_to_stop(tracker: Tracker) -> bool:
    """Whether the latest message explicitly asks to stop: the payload /stop or a stop word."""
    text = (tracker.latest_message.get("text") or "").strip()
    if text.startswith("/"):
        return text.startswith("/stop")
    return is_stop_text(text)


def is_stop_text(text: str) -> bool:
    """Whether `text` contains an explicit request to stop ("avbryt", "sluta fråga", "glöm det")."""
    return bool(STOP_WORDS.search(" ".join(fold_words(text))))


def user_text(tracker: Tracker) -> str:
    """The latest user text, or "" for a payload like /start_consultation."""
    text = (tracker.latest_message.get("text") or "").strip()
    return "" if text.startswith("/") else text


def corrects_advice(tracker: Tracker) -> bool:
    """Whether a message after the recommendation corrects an earlier answer without asking anything ("jag
    menar att vi har viss egen tillverkning, vi monterar själva"): the recommendation is then recomputed,
    whatever topic the NLU read in it (persona round 15, p10, got a general text twice and the advice built
    on "Ni har ingen egen tillverkning" stood)."""
    text = user_text(tracker)
    if not text or text.startswith("/") or not has_recommendation(tracker):
        return False
    if "?" in text or asks_directly(text):
        return False
    if not parse_answer(text).correction:
        return False
    filled = filled_slots(tracker)
    return any(replaces(filled.get(slot), value) for slot, value in parsed_updates(tracker, None).items())


def corrects_or_disputes(tracker: Tracker) -> bool:
    """Whether a message after the recommendation corrects an answer, or says one is wrong without a new one
    ("Nej, det där stämmer inte", bot/actions/correction.py)."""
    return has_recommendation(tracker) and (corrects_advice(tracker) or disputes(user_text(tracker)))


def tell_corrected(
    dispatcher: CollectingDispatcher, texts: Texts, before: Mapping[str, Any], updates: Mapping[str, Any]
) -> None:
    """Say what a correction of the recommendation's answers changed, not all the answers again: the answers
    given anew, then those taken back."""
    changed = {slot: value for slot, value in updates.items() if value is not None}
    if changed:
        dispatcher.utter_message(text=texts.get("utter_advisor_updated", answers=describe_answers(changed)))
    cleared = {slot: before[slot] for slot, value in updates.items() if value is None and before.get(slot)}
    if cleared:
        answers = describe_answers(cleared)
        dispatcher.utter_message(text=texts.get("utter_followup_facts_taken_back", answers=answers))


def parsed_updates(
    tracker: Tracker, expected: str | None, result: ParseResult | None = None
) -> dict[str, Any]:
    """Slot values the latest message gives, merged with the answers so far.

    A number (or the situation) for a question already answered replaces that answer only when it answers
    the question just asked or the user corrects ("jag menar 5000 per år"): "vill ha 10 st till våren" in
    an answer about time is no new yearly volume. The situation also changes when the message takes the
    earlier one back ("vi har ingen brist på personal, vi vill få en ny produkt tillverkad").
    """
    text = user_text(tracker)
    if not text:
        return {}
    filled = filled_slots(tracker)
    result = result or parse_answer(text, expected=expected)
    updates = slot_updates(filled, result)
    return {
        slot: value
        for slot, value in updates.items()
        if not (
            slot in KEPT_SLOTS
            and filled.get(slot) not in (None, SKIP)
            and slot != expected
            and not result.correction
            and filled.get(slot) not in result.negated.get(slot, ())
        )
    }


def change_goal(
    tracker: Tracker, updates: dict[str, Any], dispatcher: CollectingDispatcher, domain: DomainDict
) -> bool:
    """When `updates` corrects what the user wants to decide, drop the answers that only belonged to the
    old goal (into `updates`) and say so in one line; False when the goal stays."""
    filled = filled_slots(tracker)
    old = filled.get("situation")
    if "situation" not in updates or old in (None, SKIP) or updates["situation"] == old:
        return False
    dropped = left_with_goal(filled, updates)
    updates.update({slot: None for slot in dropped})
    questions = load_questions()
    new = to_profile({**filled, **updates}, questions)
    goal = answer_phrase("situation", new, questions) if new.known("situation") else None
    if goal is None:
        return False  # the old goal taken back without a new one: its question is asked again
    texts = Texts(domain)
    labels = join([questions.question(slot).label.lower() for slot in dropped], questions)
    name = "utter_advisor_goal_changed_dropped" if dropped else "utter_advisor_goal_changed"
    dispatcher.utter_message(text=texts.get(name, goal=goal, dropped=labels))
    return True


def is_side_question(tracker: Tracker, updates: dict[str, Any], expected: str | None) -> bool:
    """A confident question of another kind that doesn't answer the question asked, and not the same
    message again (a user who repeats an answer we took for a question means it as an answer)."""
    intent = tracker.latest_message.get("intent") or {}
    earlier = earlier_user_texts(tracker, 1)
    return (
        intent.get("name") in SIDE_QUESTION_INTENTS
        and float(intent.get("confidence") or 0) >= SIDE_QUESTION_CONFIDENCE
        and (expected is None or expected not in updates)
        and not (earlier and earlier[0].strip().lower() == user_text(tracker).lower())
    )


def earlier_user_texts(tracker: Tracker, count: int, since_consultation: bool = False) -> list[str]:
    """Up to `count` user texts before the latest message in this session, newest first (no payloads);
    with `since_consultation` only those after the last consultation (its answers, or what a cancelled
    one was told, belong to it)."""
    texts: list[str] = []
    events = list(tracker.events)
    latest = next((i for i in range(len(events) - 1, -1, -1) if events[i].get("event") == "user"), None)
    for event in reversed(events[:latest] if latest is not None else []):
        if event.get("event") == "action" and event.get("name") == "action_session_start":
            break
        if since_consultation and event.get("event") == "active_loop":
            break
        text = (event.get("text") or "").strip() if event.get("event") == "user" else ""
        if text and not text.startswith("/"):
            texts.append(text)
            if len(texts) == count:
                break
    return texts


# How many earlier messages are searched for what was said in passing about the product.
MODIFIER_MESSAGES = 12


def with_earlier_modifiers(tracker: Tracker, values: list[str]) -> list[str]:
    """The product answer plus what earlier messages said about the product in passing ("en våg med app":
    the app, i.e. radio), which alone did not answer the product question."""
    modifiers = {o.value for o in load_questions().question("product_type").options if o.modifier}
    earlier = [
        value
        for text in earlier_user_texts(tracker, MODIFIER_MESSAGES)
        for value in parse_answer(text).values.get("product_type") or []
        if value in modifiers
    ]
    return list(dict.fromkeys([*values, *earlier]))


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
        check = [CHECK_SLOT] if tracker.get_slot(PENDING_SLOT) else []
        order = advisor_required_slots(filled_slots(tracker))
        # After "Nej, ändra" the rejected answers are asked again first, not the next question in order.
        again = tracker.get_slot(CHECK_SLOT)
        first = [slot for slot in again if slot in order] if isinstance(again, list) else []
        return check + first + [slot for slot in order if slot not in first]

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        expected = tracker.get_slot("requested_slot")
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "stop" and asks_to_stop(tracker):
            return []  # the form rejects; the stop rule ends the consultation
        if expected == CHECK_SLOT and tracker.get_slot(PENDING_SLOT):
            return self.confirmation(dispatcher, tracker, domain, intent)
        if expected == CHECK_SLOT:
            # A restart during a check ("hjälp mig välja produktionsstrategi") emptied what waited for it: the
            # message is read like any answer (it failed with an IndexError and a "Tillfälligt fel").
            expected = None
        if _START_OVER.search(fold(user_text(tracker))):
            # "Kan vi börja om? Vi vill få en ny produkt tillverkad": a new consultation with this message.
            return start_events(tracker, dispatcher, domain)
        result = parse_answer(user_text(tracker), expected=expected)
        updates = parsed_updates(tracker, expected, result)
        if expected == "situation" and "situation" not in updates and intent in SITUATION_INTENTS:
            # Not what the answer takes back: "Tillverkningen ska ligga kvar i Kina" read as
            # ask_offshore_vs_sweden is no move (persona round 29, p03).
            if SITUATION_INTENTS[intent] not in result.negated.get("situation", ()):
                updates["situation"] = SITUATION_INTENTS[intent]
        if expected == "product_type" and isinstance(updates.get(expected), list):
            updates[expected] = with_earlier_modifiers(tracker, updates[expected])
        # A corrected goal ("Du har missförstått, vi vill få en ny produkt tillverkad") is said in one line
        # and the questions for the new goal follow; it is never a side question.
        if not change_goal(tracker, updates, dispatcher, domain):
            if is_side_question(tracker, updates, expected):
                return []  # the form rejects; a rule answers and resumes the consultation
            if expected and not updates:
                answered = answer_side_question(dispatcher, tracker, domain)
                if answered is not None:
                    return answered  # answered from the knowledge base; the form asks its question again
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
        events = [SlotSet(slot, value) for slot, value in updates.items()] + [SlotSet("advisor_misses", 0.0)]
        if updates:
            # "Vi har 3 miljoner. Vad kostar ett formverktyg?": the answer is taken and the question answered.
            events += answer_embedded_question(dispatcher, tracker, domain) or []
        waiting = tracker.get_slot(PENDING_SLOT)
        if waiting and expected in updates and isinstance(tracker.get_slot(CHECK_SLOT), list):
            # The value asked again after "Nej, ändra" is answered: confirm the values still waiting.
            events.append(SlotSet(CHECK_SLOT, None))
        checks = doubtful(updates, expected, user_text(tracker)) + needs_check(
            filled_slots(tracker), updates, expected
        )
        return events + check_events(checks, waiting)

    def confirmation(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, intent: str | None
    ) -> list[EventType]:
        """The answer to "Jag uppfattade ... – stämmer det?" about the first waiting value: keep it, take a
        new one or ask again. Only that value changes; the others wait for their own question, so "Nej,
        ändra" never clears a value the user has not been asked about (round 6, p09)."""
        pending = list(tracker.get_slot(PENDING_SLOT) or [])
        current, rest = pending[:1], pending[1:]
        text = user_text(tracker)
        done: list[EventType] = [
            SlotSet(PENDING_SLOT, rest or None),
            SlotSet(CHECK_SLOT, None if rest else "ok"),
        ]
        if current == [PRODUCT_SLOT]:
            return self.product_confirmation(dispatcher, tracker, domain, intent, done)
        corrected = (
            slot_updates(filled_slots(tracker), parse_answer(text, expected=current[0])) if text else {}
        )
        corrected = {slot: value for slot, value in corrected.items() if value != SKIP}
        answer = yes_or_no(text, intent)
        if corrected and answer != "yes":
            return [SlotSet(slot, value) for slot, value in corrected.items()] + done
        if answer == "yes":
            return done
        if answer == "no":
            dispatcher.utter_message(text=Texts(domain).get("utter_advisor_check_again"))
            # The rejected value is asked again first; the values still waiting are confirmed after it.
            return [SlotSet(slot, None) for slot in current] + [done[0], SlotSet(CHECK_SLOT, current)]
        dispatcher.utter_message(text=Texts(domain).get("utter_advisor_not_understood"))
        return []

    def product_confirmation(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
        intent: str | None,
        done: list[EventType],
    ) -> list[EventType]:
        """The answer to the product check (bot/actions/productcheck.py): a category added or taken back is
        said in one line; "Nej, det stämmer" or "vet inte" keeps the product type; an unclear answer gets
        the check again."""
        text = user_text(tracker)
        changed = read_check_answer(text, yes_or_no(text, intent), filled_slots(tracker))
        texts = Texts(domain)
        if changed is None:
            dispatcher.utter_message(text=texts.get("utter_advisor_not_understood"))
            return []
        if changed.get(PRODUCT_SLOT):
            dispatcher.utter_message(
                text=texts.get("utter_advisor_updated", answers=describe_answers(changed))
            )
        return [SlotSet(slot, value) for slot, value in changed.items()] + done


def asks_directly(text: str) -> bool:
    """Whether `text` is a direct question: a "?" at the end, or the word order of one (see WH_WORDS)."""
    if text.strip().endswith("?"):
        return True
    words = text.lower().split()[:2]
    if len(words) < 2 or not in_question_form(text, QUESTION_VERBS):
        return False
    first, second = words
    if first in WH_WORDS:
        return second not in INDIRECT
    return first in QUESTION_VERBS and (first in ANY_SUBJECT or second in SUBJECTS)


def answer_side_question(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> list[EventType] | None:
    """Answer a question the user asks instead of answering ("vad kostar ett formverktyg?") from the
    knowledge base, whatever intent the NLU gave it, without offering the consultation that is running.
    None when the message is no question or the knowledge base has no passage for it (then the answer is
    treated as unclear, as before)."""
    text = user_text(tracker)
    earlier = earlier_user_texts(tracker, 1)
    if not asks_directly(text) or (earlier and earlier[0].strip().lower() == text.lower()):
        return None  # no question, or the same words again: the user means them as an answer
    return answer_from_kb(dispatcher, domain, message_of(tracker, "ask_entry"))


def answer_embedded_question(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> list[EventType] | None:
    """Answer a direct question that follows an answer in the same message ("Vi har 3 miljoner från en
    ängelinvesterare. Vad kostar ett formverktyg ungefär?") from the knowledge base, like a side question;
    None when there is no such sentence or no passage for it."""
    sentences = [s.strip() for s in SENTENCE_END.split(user_text(tracker)) if s.strip()]
    expected = tracker.get_slot("requested_slot")
    question = next(
        (s for s in reversed(sentences[1:]) if asks_directly(s) and not guesses_answer(s, expected)), None
    )
    if question is None:
        return None
    msg = dataclasses.replace(message_of(tracker, "ask_entry"), text=question, entities=(), recognised=())
    return answer_from_kb(dispatcher, domain, msg)


def guesses_answer(sentence: str, expected: str | None) -> bool:
    """Whether a sentence with "?" is a guess at the question asked, not a question of its own: "ingen
    aning. tusentals? alla vill ha en" answers the volume question (persona round 16, p07, got a passage
    about pilot series)."""
    return bool(expected) and expected in parse_answer(sentence, expected).values


def answer_from_kb(
    dispatcher: CollectingDispatcher,
    domain: DomainDict,
    msg: Message,
    offer: bool = False,
    unknown_ok: bool = False,
) -> list[EventType] | None:
    """The knowledge base's answer to a question asked during the consultation (no offer to start one,
    unless `offer`); None when no single passage answers it or the knowledge base is unavailable. With
    `unknown_ok`, a programme or call name the knowledge base does not hold is answered as unknown."""
    try:
        kb = get_kb()
        found = resolve(kb, msg)
        if unknown_ok and found.unknown_name:
            return respond_to(dispatcher, Texts(domain), kb, msg, found, offer=offer)
        if not found.passages or found.candidates or found.unknown_name:
            return None
        return respond_to(dispatcher, Texts(domain), kb, msg, found, offer=offer)
    except KnowledgeError:
        return None


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


class ActionAskAdvisorCheck(Action):
    """Confirm numbers taken from free text before they are used: "Jag uppfattade ... – stämmer det?"."""

    def name(self) -> str:
        return f"action_ask_{CHECK_SLOT}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        texts = Texts(domain)
        # One value at a time, so that "Nej, ändra" is about that value only.
        pending = list(tracker.get_slot(PENDING_SLOT) or [])[:1]
        if pending == [PRODUCT_SLOT]:
            filled = filled_slots(tracker)
            name = "utter_advisor_product_check"
            dispatcher.utter_message(
                text=texts.get(name, product=product_phrase(filled)),
                buttons=check_buttons(filled) + texts.buttons(name),
            )
            return []
        dispatcher.utter_message(
            text=texts.get("utter_advisor_check", values=understood(pending, filled_slots(tracker))),
            buttons=texts.buttons("utter_advisor_check"),
        )
        return []


def start_events(tracker: Tracker, dispatcher: CollectingDispatcher, domain: DomainDict) -> list[EventType]:
    """Start (or restart) the consultation: forget earlier answers, keep what this message and the two
    before it already say (the situation the user described before asking for advice), but nothing said in
    an earlier consultation: a user who cancelled or starts over expects a fresh start (round 13, p02).

    Starting over ("Börja om rådgivningen", "kan vi börja om?") during or after a consultation keeps what
    the product is (`kept_product`), shown with what was noted: it is a fact about the user's product, not a
    choice to make again (issue #10, item 6: a skin salve became food contact). The messages of the old
    consultation and its follow-ups are not read again: out of their question a word of the making
    ("smälter vaxet i en kastrull") reads as the product."""
    answered = answer_choice_first(dispatcher, tracker, domain)
    dispatcher.utter_message(text=Texts(domain).get(intro_after(answered)))
    text = user_text(tracker)
    restarting = has_recommendation(tracker) or tracker.active_loop_name is not None
    earlier = [] if restarting else earlier_user_texts(tracker, EARLIER_MESSAGES, since_consultation=True)
    found: dict[str, Any] = {}
    for said in [*reversed(earlier), text]:
        if said:
            found |= slot_updates(found, parse_answer(said))
    if restarting:
        found = {**kept_product(tracker, found, text), **found}
    text = " ".join(earlier + [text])
    if found:  # say what was understood, so that nothing is asked again unseen
        answers = describe_answers(found)
        dispatcher.utter_message(text=Texts(domain).get("utter_advisor_noted", answers=answers))
    events: list[EventType] = [SlotSet(slot, found.get(slot)) for slot in ADVISOR_SLOTS]
    events += [SlotSet("advisor_summary", None), SlotSet("advisor_misses", 0.0), SlotSet(PENDING_SLOT, None)]
    # A wish was about the earlier advice; one said before this start is for the coming one.
    events.append(SlotSet(WANTED, None if restarting else opening_wish(text)))
    checks = doubtful(found, None, text) + needs_check({}, found, None)
    return answered + events + check_events(checks)


def opening_wish(text: str) -> list[str] | None:
    """The paths a message before the recommendation says the user wants ("jag vill bygga egna lokaler i
    stället för att anlita en kontraktstillverkare": own production), or None. The first recommendation
    weighs them (round 27: a cosmetics maker's own GMP premises were never weighed)."""
    folded = fold(text)
    # A stated decision ("vi funderar på att lägga ut monteringen") names the path it considers, in its own
    # sentence: "en legotillverkare bygger den åt oss" beside it is how things are, not a wish (round 31).
    decided = " ".join(s for s in SENTENCE.findall(folded) if _STATED_DECISION.search(s))
    return list(wished_paths(folded) or named_paths(decided)) or None


# Words that say the new consultation is about another product (folded): its product is asked again.
_OTHER_PRODUCT = re.compile(r"\b(annan|andra|nasta) (produkt|produkter|pryl|grej|vara)\b")


def kept_product(tracker: Tracker, found: Mapping[str, Any], text: str) -> dict[str, Any]:
    """What the product is, from the consultation being started over: unless this message names the product
    ("börja om, det gäller en lampa") or another one ("en annan produkt")."""
    product = tracker.get_slot("product_type")
    if "product_type" in found or not product or product == SKIP or _OTHER_PRODUCT.search(fold(text)):
        return {}
    return {"product_type": product}


def intro_after(answered: list[EventType]) -> str:
    """The consultation's introduction: after a rule of thumb it says why the questions follow."""
    return "utter_advisor_intro_after_answer" if answered else "utter_advisor_intro"


def answer_choice_first(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> list[EventType]:
    """The rule of thumb that answers a choice question ("Ska vi tillverka själva eller lägga ut allt?",
    "Borde vi köra full produktion direkt eller finns det ett klokare mellansteg?"), sent before the
    consultation that the question opens: an advisor names what usually decides before asking about the
    user's case (tuning sets 4 and 8 lost the general answer when the question only opened the
    consultation). Only production-strategy guidance is sent, never a programme's or regulation's facts
    (persona round 15, p05, wanted the consultation, not MDR facts); nothing when no single passage
    answers."""
    question = next(filter(None, map(weighed_clause, question_sentences(user_text(tracker)))), None)
    if question is None or tracker.active_loop_name is not None:
        return []
    msg = dataclasses.replace(message_of(tracker, "ask_entry"), text=question, entities=(), recognised=())
    try:
        kb = get_kb()
        found = resolve(kb, msg)
    except KnowledgeError:
        return []
    if found.candidates and gives_guidance(found.candidates[0]):
        # A menu whose best entry is the only guidance in it ("… full produktion direkt eller finns det nåt
        # klokare mellansteg?": the advice on the steps from prototype to series, and the pilot series term
        # the search found about as well): the advice's conclusion is the rule of thumb; the consultation that
        # follows is the way to the rest.
        guide = found.candidates[0]
        if not any(gives_guidance(other) for other in found.candidates[1:]):
            found = Resolution(passages=[guide.passages[0]], entries=[guide])
    entry = found.entry
    if found.candidates or found.unknown_name or not found.passages or entry is None:
        return []
    if not gives_guidance(entry):
        return []
    events = respond_to(dispatcher, Texts(domain), kb, msg, found, offer=False) or []
    return [e for e in events if e.get("name") == "current_entry"]


def offered_consultation(tracker: Tracker) -> bool:
    """Whether the assistant's last message offered the consultation (a button that starts it)."""
    users = 0
    for event in reversed(list(tracker.events)):
        if event.get("event") == "bot":
            buttons = (event.get("data") or {}).get("buttons") or []
            return any(b.get("payload") == START_PAYLOAD for b in buttons)
        users += event.get("event") == "user"
        if users > 1:  # the user's message before this one came after the last bot message
            return False
    return False


# A request to be asked the consultation's questions (folded), whatever the NLU made of the rest: "Men ja,
# ställ frågorna" after a complaint about the answer (persona round 32b, p06, got the handoff text).
_ASKS_TO_BE_ASKED = re.compile(
    r"\b(stall|ta|kor med) (dina |de |era |nagra |garna )?(fragor|fragorna)\b"
    r"|\bstalla (dina|era) fragor\b|\bfraga pa\b"
    r"|\b(starta|borja|kor igang|satt igang)( med)? (radgivningen|konsultationen|fragorna)\b"
)
# A yes to an offer, at the start of the message or of a sentence or after "men": "ja gärna", "kör",
# "Okej. Ja, kör", "Hm, men ja".
_ACCEPTS_OFFER = re.compile(
    r"(^|[.!,]\s*|\bmen )(ja|japp|javisst|jajamen|absolut|garna|kor|okej|ok|visst|gor det)\b"
)


def accepts_consultation(tracker: Tracker) -> bool:
    """Whether the message accepts the consultation, outside it and before a recommendation: it asks to be
    asked the questions, or says yes (and asks nothing) right after an offer of them (issue #10, item 6)."""
    if tracker.active_loop_name is not None or has_recommendation(tracker):
        return False
    text = user_text(tracker)
    if not text or text.startswith("/"):
        return False
    folded = fold(text)
    if _ASKS_TO_BE_ASKED.search(folded):
        return True
    return "?" not in text and bool(_ACCEPTS_OFFER.search(folded)) and offered_consultation(tracker)


def names_entry(text: str) -> bool:
    """Whether a message names a call, programme, support or actor of the knowledge base."""
    return any(entry.kind in NAMED_KINDS for entry in named_in(text))


class ActionAffirm(Action):
    """ "Ja gärna" after an offer to ask questions starts the consultation; otherwise a short reply."""

    def name(self) -> str:
        return "action_affirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if offered_consultation(tracker) or accepts_consultation(tracker):
            return start_events(tracker, dispatcher, domain) + [FollowupAction("advisor_form")]
        dispatcher.utter_message(text=Texts(domain).get("utter_affirm"))
        return []


# Words that ask to start the consultation over (folded): "börja om", "en ny rådgivning"; after a
# recommendation also "en annan produkt" (during the consultation that is an answer: "en ny produkt").
# Only "börja/ta det från början", not "göra rätt från början" (a priority; tuning set 1 medtech-iia-sarsensor
# restarted the consultation at the priorities question).
_START_OVER = re.compile(
    r"\b(borja|starta|ta det) om\b|(^|\b(borja|starta|ta det|tar det|tar vi det|om|igen)\s+)fran borjan\b"
    r"|\bnollstall|\bny (radgivning|konsultation)\b"
)
_RESTART = re.compile(_START_OVER.pattern + r"|\b(en )?(annan|ny) produkt\b")


def asks_to_restart(tracker: Tracker) -> bool:
    """Whether a message asks for a new consultation: a button, words that say start over, or a plain
    request that states nothing new ("hjälp mig välja produktionsstrategi", "starta rådgivning")."""
    text = user_text(tracker)
    if text.startswith("/") or _RESTART.search(fold(text)):
        return True
    return not in_question_form(text) and "?" not in text and not parsed_updates(tracker, None)


class ActionStartAdvisor(Action):
    """Start (or restart) the consultation."""

    def name(self) -> str:
        return "action_start_advisor"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if has_recommendation(tracker) and (corrects_advice(tracker) or not asks_to_restart(tracker)):
            # After a recommendation, a question the NLU read as "give me advice" ("Måste jag göra om
            # säkerhetsbedömningen om en legotillverkare gör krämen?", persona round 12, p09) is a follow-up:
            # starting over would drop every answer the user gave.
            events = await ActionUpdateAdvisor().run(dispatcher, tracker, domain)
            if not any(isinstance(e, dict) and e.get("event") == "followup" for e in events):
                # The rule after this action starts the form; an answered follow-up waits for the user.
                events.append(FollowupAction("action_listen"))
            return events
        if tracker.active_loop_name is None and not _START_OVER.search(fold(user_text(tracker))):
            # "Kan vi gå direkt till full produktion?" (tuning set 7, x044) asks one thing the knowledge base
            # answers: the answer comes first, with the offer to start the consultation under it.
            answered = answer_instead_of_opening(dispatcher, tracker, domain)
            if answered is not None:
                return [*answered, FollowupAction("action_listen")]
        return start_events(tracker, dispatcher, domain)


# Words that make a message about a product a question about manufacturing it.
_MANUFACTURING = re.compile(r"tillverk|produc|produktion|fabrik|legotillverk|serietillverk")
# A description of one's own product, company or idea speaks in the first person ("vi bygger", "jag har").
_FIRST_PERSON = re.compile(r"\b(vi|jag|oss|mig|min|mitt|mina)\b")
# A question about what to do next (folded): "Vad kan vi göra?", "hur börjar man?", "Hur ska vi lägga upp
# produktionen?". Not "hur hittar jag en legotillverkare?" nor "vad bör vi skriva in i avtalet?" (knowledge
# questions about one step).
_WHAT_TO_DO = re.compile(
    r"\bvad (kan|ska|bor|behover) (vi|jag|man) gora\b|\bvad gor (vi|jag|man) (nu|da)\b"
    r"|\bhur (ska|bor|kan) (vi|jag|man) (gora|borja|ga (vidare|tillvaga)|lagga upp|komma igang|tanka)\b"
    r"|\bhur (borjar|gor|gar) (vi|jag|man)\b|\bvar (borjar|ska) (vi|jag|man) borja\b"
    # In the present tense after a description (rules19): "Ett tiotal om året. Hur lägger vi upp det?".
    r"|\bhur (lagger|planerar|organiserar) (vi|jag|man) (upp )?(det|detta|tillverkningen|produktionen)\b"
    # "Vad gör vi?", "Hur löser vi det?", "Vad föreslår du?" closing a description of the company's
    # situation (round 13, p08).
    r"|\bvad gor (vi|jag|man)(?=( nu| da)?\s*[?.!]*\s*$)"
    r"|\bhur loser (vi|jag|man) (det|detta|problemet)\b"
    r"|\bvad (foreslar|rekommenderar|rader) du( oss| mig)?(?=\s*[?.!]*\s*$)"
    # Weighing a step out loud (round 13, p04): "Vi funderar på om vi ska lägga ut mer av bygget".
    r"|\b(vi|jag) (funderar|overvager|undrar|tanker) (pa |over )?(om|ifall|att) ((vi|jag) )?"
    r"(ska |bor |borde )?(lagga ut|flytta|skala upp|ta hem|automatisera|kopa in|outsourca|bygga ut)\b"
    r"|\bhjalp (med|att)\b|\bvad (ar|blir) (nasta|forsta) steg\b"
    # Whether the plan holds or how to carry it out (round 9, p06): "vi funderar på att flytta hem
    # tillverkningen. Är det realistiskt?", "Hur ska vi skala upp?", "Bör vi flytta hem?".
    # Also "är det ens lönt att försöka?" (persona round 22, p07: a student's opening got "förstod inte").
    r"|\bar det (ens )?(realistiskt|rimligt|mojligt|vettigt|lonsamt|klokt|smart|en bra ide|lont|vart)\b"
    # And its doubting form (persona round 32b, p06: "Vi funderar på att ta hem tillverkningen. Är det
    # vansinne?" got Almi's loans by "lagret äter kapital").
    r"|\bar det (helt )?(vansinne|vansinnigt|galet|dumt|orimligt|befangt|fel tankt|omojligt)(?=\s*[?.!]*\s*$)"
    # Whether the wished course is the right one (round 27: "… vill bygga egna lokaler enligt GMP i stället
    # för att anlita en kontraktstillverkare. Är det rätt väg?" got a definition of contract manufacturing).
    r"|\bar (det|detta|det har) (ratt|fel|en bra|en klok) (vag|beslut|val|vag att ga)\b"
    r"|\blonar det sig\b|\b(har|ska) (vi|jag) (en chans|satsa)\b"
    r"|\bhur (ska|bor|kan) (vi|jag|man) (skala upp|flytta|vaxa|lagga om|ta hem)\b"
    # The same in the present tense (persona round 23b: grills made in China, "Hur tar vi hem
    # tillverkningen?", got "Det hittar jag tyvärr inget om").
    r"|\bhur (tar|flyttar|lagger) (vi|jag) (hem|om|over|ut) (den|dem|det|tillverkningen|produktionen)\b"
    r"|\b(bor|borde|ska|skulle) (vi|jag) (flytta|skala upp|lagga ut|bygga (dem |den |det )?sjalva)\b"
    # Judging the user's own plan (persona round 15, p10): "Vi vill bygga dem själva … Dumt eller smart?".
    r"|\b(dumt|smart|klokt|vettigt) eller (dumt|smart|klokt|vettigt|inte)\b"
    # The same closing the description (persona round 20b, p10: "Tänker oss 3000 pack per år och att vi
    # monterar själva. Funkar det?" got a machinery passage), and "vad tror du?".
    r"|\b(funkar|fungerar|gar|haller|duger) (det|detta|planen|upplagget)( (sa|sadar|sa har))?"
    r"(?=\s*[?.!]*\s*$)"
    r"|\bvad (tror|tycker|sager) du( om det| om detta)?(?=\s*[?.!]*\s*$)"
    # Where to start and how to get it made (persona round 10, p02 and p05): "Var börjar man?", "Hur får vi
    # den tillverkad?".
    r"|\bvar (borjar|startar) (vi|jag|man)\b"
    r"|\bhur (far|kan) (vi|jag|man) ([a-z]+ )?(sant |sadant )?"
    r"(tillverkad|tillverkat|tillverkade|producerad|producerat|gjord|gjort)\b"
    # A how-question whose object points back at the situation just described, whatever its verb (persona
    # rounds 23-24b: "… 20 000 om året. Hur fixar jag det?", "hur ska vi klara det", "Hur gör vi det här?" got
    # the menu). A question with its own object ("hur söker jag lånet?") is not one.
    r"|\bhur ([a-z]+ )?(vi|jag|man) ([a-z]+ ){0,2}(det|detta|det har|allt|dit)(?=\s*[?.!]*\s*$)"
    # What to keep in mind, asked about the situation as a whole (persona round 24: "Vad behöver vi tänka
    # på?" after a description of a cargo-bike maker); "… när vi väljer leverantör?" names its topic.
    r"|\bvad (behover|bor|ska|maste|borde|skulle) (vi|jag|man) (tanka pa|ha koll pa|fundera pa|gora)"
    r"(?=\s*[?.!]*\s*$)"
    # Bringing down a lead time or a cost, or raising the output, in one's own company (persona round 24: a
    # lead-time question in engineering-to-order was read as staffing): "Hur kortar vi ledtiden?".
    r"|\bhur (ska|kan|bor) (vi|jag|man) (korta|sanka|minska|pressa|fa ner|oka|hoja|dubbla)\b"
    r"|\bhur (kortar|sanker|minskar|pressar|far ner|okar|hojer|dubblar) (vi|jag|man)\b"
    # Where to put the making, asked as a choice (persona round 24: "borde vi lägga det i Kina?").
    r"|\b(bor|borde|ska|skulle) (vi|jag) (lagga|flytta|ta hem|flytta hem) "
    r"(det|den|dem|allt|tillverkningen|produktionen) ?(i|till|hos|hem|utomlands)?\b"
    # Whether the present set-up will do for a larger order (persona round 25, p10: "… Nu vill en tysk
    # butikskedja ha 8000 st. Räcker det att vi har som vi har det?" got a cosmetics passage).
    r"|\b(racker|funkar|fungerar|haller|klarar) (det|vi|jag)( (att|med|om))?"
    r"( (vi|jag) (har|gor|kor|fortsatter))? (som|sa som|likadant som) (vi|jag) (har|gor|kor)"
    r"|\b(kan|klarar) (vi|jag) (fortsatta|kora vidare) (som|pa samma satt som) (nu|idag|i dag|forut)"
)


# A what-to-do phrase that names its topic asks about that topic, which the knowledge base may answer: "hur
# ska jag tänka när jag jämför offerterna?", "När lönar det sig att automatisera?".
_ABOUT_A_TOPIC = re.compile(
    r"\bhur (ska|bor|kan) (vi|jag|man) tanka (nar|kring|om|runt|med|infor|vid|gallande|angaende)\b"
    r"|\b(nar|hur) lonar det sig\b"
    # The step before a named milestone is one step the knowledge base describes (tuning set 11: "Vad är
    # nästa steg innan vi beställer 5000 st?" asks for the pilot series), not the whole way to production.
    r"|\b(nasta|forsta) steg(et)? (innan|fore|infor)\b"
)
# A judgement ("är det rimligt") asked together with a question about one fact: "Verktyget kostar 180 000
# kr. Är det rimligt och vem äger verktyget sen?" asks about the tool, not about the whole plan.
_JUDGING = re.compile(
    r"\bar det (ens )?(realistiskt|rimligt|mojligt|vettigt|lonsamt|klokt|smart|en bra ide|lont|vart)\b"
    r"|\bar (det|detta|det har) (ratt|fel|en bra|en klok) (vag|beslut|val|vag att ga)\b"
)
_FACT_QUESTION = re.compile(
    r"\b(vem|vilka|vilken|vilket|nar|hur mycket|hur manga|vad (kostar|betyder|innebar))\b"
)


def describes_what_to_do(text: str) -> bool:
    """A first-person description with a what-to-do question ("Vi bygger doseringsmoduler … Vad kan vi
    göra?")."""
    # The question asks what to do: "hjälp att ta reda på" in the story before "Vad fanns det för stöd?"
    # does not.
    asked = fold(question_part(text))
    found = [m.group(0) for m in _WHAT_TO_DO.finditer(asked)]
    if not found and _FIRST_PERSON.search(fold(text)):
        # "… Ska vi bygga egen tillverkning eller lägga ut?" asks which way to take (round 15, p05).
        return any(_chooses_own_course(q) for q in question_sentences(text))
    if not (found and _FIRST_PERSON.search(fold(text))):
        return False
    if _ABOUT_A_TOPIC.search(asked):
        return False
    judging = all(_JUDGING.fullmatch(phrase) for phrase in found)
    return not (judging and _FACT_QUESTION.search(asked))


# An open question about the user's own way to production (folded, one question sentence): "Var ska vi låta
# tillverka den?", "Hur kommer vi vidare mot serietillverkning?", "Vilken fabrik ska jag vända mig till?". Not
# one about an amount or a duration ("hur mycket kan vi låna?"), nor one whose main clause asks about another
# thing ("hur skyddar jag idén när jag låter någon tillverka den?": the clause after "när" is cut off).
_OPEN_QUESTION = re.compile(
    r"^(?:(?:och|men|sa) )?(?:hur|var|vart|vilken|vilket|vilka)\b"
    r"(?! (?:mycket|manga|stor|lang|lange|ofta|dyr))"
)
_SUBORDINATE = re.compile(r"\b(?:nar|om|ifall|innan|eftersom|medan|for att)\b")
_OWN_SUBJECT = re.compile(r"\b(?:vi|jag)\b")


# Which of two ways to take: "ska vi … eller …", "bör jag … eller …?" (folded).
def _choice(verbs: str) -> re.Pattern[str]:
    """A clause that starts with one of `verbs` + vi/jag and weighs two ways with "eller" (folded)."""
    return re.compile(rf"^(?:(?:och|men|sa) )?(?:{verbs}) (?:vi|jag)\b.*\beller\b")


_CHOICE_QUESTION = _choice("ska|bor|borde|skulle")
_WAY_TO_PRODUCTION = re.compile(
    _MANUFACTURING.pattern + r"|\bvidare\b|\blagg(?:a|er) (?:vi |jag )?upp\b|\btill vaga\b|\bigang\b"
    # Make or buy: "Ska vi köpa in korten färdiga eller löda dem själva?" (persona round 29: a clear
    # make-or-buy question was not understood).
    r"|\bkop(?:a|er) in\b|\blagg(?:a|er) ut\b|\bsjalva?\b|\bi egen regi\b"
)
# A request to the assistant itself: "Kan du hjälpa oss att välja produktionsstrategi?", "vi vill ha råd".
_ASKS_FOR_HELP = re.compile(
    r"\bhjalpa? (?:mig|oss)\b|\b(?:ge|ger) (?:mig |oss )?(?:rad|en rekommendation)\b"
    r"|\b(?:vill ha|behover|onskar) (?:lite )?(?:rad|hjalp|radgivning)\b"
)
# The NLU's confidence above which a start_consultation message is a request for advice whatever its form.
# Of the 38 different first messages of the tuning sets that the NLU read as start_consultation (route15),
# the 7 at 0.64-0.94 are all requests for advice ("Hjälp mig välja produktionsstrategi."); the 31 below 0.6
# hold both requests ("Var ska vi låta tillverka den?", 0.30) and questions (x044, 0.36): there the
# question's form decides.
SURE_REQUEST = 0.6


def asks_about_own_course(question: str) -> bool:
    """Whether a question asks how or where the user should get their product made (see _OPEN_QUESTION),
    or which of two ways they should take (_chooses_own_course)."""
    main = _own_course(question)
    return bool(main and (_OPEN_QUESTION.match(main) or _CHOICE_QUESTION.match(main)))


def _chooses_own_course(question: str) -> bool:
    """Whether a question asks which of two ways to get the user's product made ("Ska vi bygga egen
    tillverkning eller lägga ut?": persona round 15, p05, got MDR facts instead of the consultation)."""
    main = _own_course(question)
    return bool(main and _CHOICE_QUESTION.match(main))


# A clause that weighs two ways, "kan" included: "… vad jag ska göra nu, kan jag bara beställa 5000 direkt
# från en fabrik eller finns det något steg emellan?" (question set 9).
_WEIGHED_CLAUSE = _choice("ska|bor|borde|skulle|kan")


def weighed_clause(question: str) -> str | None:
    """The part of a question, from the clause on, that weighs two ways of getting the user's product made
    (see _chooses_own_course; also after a comma and with "kan"), or None. Decides only whether a rule of
    thumb comes before the consultation, not whether the consultation opens: "Frågan är väl vad jag ska göra
    nu, kan jag bara beställa …" is asked from "kan jag" on, so that "Frågan" does not pick the passage."""
    clauses = question.split(",")
    for i, clause in enumerate(clauses):
        main = _own_course(clause)
        if main and _WEIGHED_CLAUSE.match(main.strip()):
            return ",".join(clauses[i:]).strip()
    return None


def _own_course(question: str) -> str | None:
    """The main clause of a question about the user's own (vi/jag) way to production, or None."""
    main = _SUBORDINATE.split(fold(question).strip(), maxsplit=1)[0]
    return main if _OWN_SUBJECT.search(main) and _WAY_TO_PRODUCTION.search(main) else None


def question_sentences(text: str) -> list[str]:
    """The sentences of a message that ask directly (see asks_directly)."""
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip() and asks_directly(s.strip())]


def asks_for_advice(text: str) -> bool:
    """Whether a message asks for advice about the user's own situation rather than one thing the knowledge
    base answers: a description without a question ("Vi har byggt en vedklyv som vi vill börja sälja."), a
    request for help, a what-to-do question (describes_what_to_do) or an open question about the user's own
    way to production. A yes/no question ("Kan vi gå direkt till full produktion?") or a question about a
    fact ("Hur stor del kan Almi stå för?") is no request for advice, whatever story comes before it."""
    questions = question_sentences(text)
    if not questions or describes_what_to_do(text) or _ASKS_FOR_HELP.search(fold(text)):
        return True
    return any(asks_about_own_course(q) for q in questions)


def answer_instead_of_opening(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> list[EventType] | None:
    """The knowledge base's answer, with the offer to start the consultation under it, to a message that
    asks one concrete question; None when the message asks for advice about the user's own situation
    (asks_for_advice), the NLU is sure it is a request for advice, or no single passage answers it (a menu
    of entries or an unknown name is no confident answer: then the consultation opens as before)."""
    text = user_text(tracker)
    intent = tracker.latest_message.get("intent") or {}
    sure = intent.get("name") == "start_consultation" and (intent.get("confidence") or 0) >= SURE_REQUEST
    if not text or sure or asks_for_advice(text):
        return None
    # A direct question about a named programme the knowledge base does not hold ("Vilken ränta har Almis
    # Produktionslån Plus för tillverkande företag?", question set 15, read as start_consultation at 0.21)
    # is told that the name is unknown, not met with the consultation's first question.
    events = answer_from_kb(dispatcher, domain, message_of(tracker), offer=True, unknown_ok=True)
    if events is not None and not any(
        b.get("payload") == START_PAYLOAD for b in dispatcher.messages[-1].get("buttons") or []
    ):
        # The answer offers the consultation only under strategy guidance; the user who got a fact (Almi's
        # share) instead of the consultation is offered it all the same.
        texts = Texts(domain)
        dispatcher.utter_message(
            text=texts.get("utter_consultation_offer"), buttons=texts.buttons("utter_consultation_offer")
        )
    return events


def opens_consultation(tracker: Tracker, understood: bool = False) -> bool:
    """Whether a message is the opening of a consultation rather than a question for the knowledge base:
    no consultation is under way, it says at least two things the consultation asks about, and it is
    either about manufacturing ("jag har en idé om en blomkruka med fuktsensor, har inget företag, var ska
    jag börja med tillverkning??") or a first-person description with a what-to-do question ("Vi bygger
    doseringsmoduler, ca 60 st om året i 40 varianter ... Vad kan vi göra?"). A message that names a
    support or actor is left to the knowledge base, and so is a plain question ("vad är en nollserie?").
    When the NLU `understood` the message as a knowledge question, only the description with a what-to-do
    question counts: "Legotillverkaren vill ha 180 000 kr för ett verktyg. Vem äger det sen?" is about
    manufacturing and says two answers, but asks one thing the knowledge base answers."""
    text = user_text(tracker)
    if not text or text.startswith("/") or any(v is not None for v in filled_slots(tracker).values()):
        return False
    folded = fold(text)
    updates = parsed_updates(tracker, None)
    if states_own_problem(text, updates):
        # A stated decision is enough to start on: its goal is the first answer (see states_own_problem).
        return not names_entry(text)
    describes = describes_what_to_do(text)
    # A first-person description of the product that asks nothing ("Vi har utvecklat en sensor för vården och
    # behöver hitta en tillverkare") asks for advice even where the NLU read a knowledge question (persona
    # round 29: the opening got a passage, or another product's rules).
    tells = "?" not in text and bool(_FIRST_PERSON.search(folded))
    if not (describes or (_MANUFACTURING.search(folded) and (tells or not understood))):
        return False
    return len(updates) >= MIN_ANSWERS_TO_START and not names_entry(text)


# A production decision stated in the first person (folded), whatever answers it gives: "Vi funderar på att
# lägga ut monteringen", "Vi har bestämt oss för att byta leverantör", "Jag måste ta hem tillverkningen".
_STATED_DECISION = re.compile(
    r"\b(vi|jag) (funderar|overvager|tanker|planerar|vill|ska|maste|behover|har bestamt( oss| mig)?)"
    r"( (pa|over|for))?( (om|ifall|att))?( (vi|jag))?( (ska|bor|borde))?"
    r" (lagga ut|flytta|skala upp|ta hem|automatisera|kopa in|outsourca|bygga ut"
    r"|byta (leverantor|tillverkare)|bygga (upp )?(en |ett )?(egen|eget|egna))\b"
)
# Problems and production decisions a company states about itself without asking anything: the statement
# asks for advice. "Vi funderar på att flytta hem tillverkningen av våra grillar från Kina" (round 27: "hittar
# inget i min kunskapsbas"), "Vi funderar på att automatisera svetsningen" (a menu), "Vi vill ta hem
# produktionen från Estland" (a wage comparison). A new product or a licence is no decision about an existing
# production: those openings still need a second answer or a what-to-do question.
PROBLEM_SITUATIONS = frozenset({"capacity", "cost_leadtime", "relocate", "scale_up", "automate"})


def states_own_problem(text: str, updates: Mapping[str, Any]) -> bool:
    """A first-person statement of the company's own problem or production decision, without a question:
    "Vi har fått säga nej till order i höstas. Vi hittar inte CNC-operatörer." asks what to do as much as
    "Vad gör vi?" (adv16's report: it got a knowledge passage or "Jag är inte säker på att jag förstod"), and
    so does "Vi överväger att flytta hem tillverkningen från Kina"."""
    folded = fold(text)
    return (
        "?" not in text
        and bool(_FIRST_PERSON.search(folded))
        and (updates.get("situation") in PROBLEM_SITUATIONS or bool(_STATED_DECISION.search(folded)))
    )


class ActionUpdateAdvisor(Action):
    """Answers given outside the form ("jag menar 5000 per år"): update them, then let the form re-advise.

    Without an earlier consultation, one parsed answer is too little to start one on (the message may be
    a misread question): then the user is asked back. When such a message, or any question, names a call,
    programme, support or actor, the knowledge base decides instead, as for a message the NLU is unsure
    of: "är produktionsstödet i västra götaland öppet?" reads as an answer (the region) to a model that has
    never seen the call's name; the search knows it as soon as `make kb` has run, so a new name needs no
    retraining.
    """

    def name(self) -> str:
        return "action_update_advisor"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = user_text(tracker)
        # After a recommendation only what the statements say without doubt changes an answer; new facts
        # and objections ("den har bluetooth och batteri", "vi vill anlita en legotillverkare") are told with
        # what they change, not with the whole recommendation again (round 11, p07; rounds 18/18b). A
        # correction of an earlier answer ("jag menar …") recomputes the whole recommendation.
        follows = has_recommendation(tracker) and not corrects_advice(tracker)
        if follows:
            updates = stated_facts(text, filled_slots(tracker))
        else:
            updates = parsed_updates(tracker, None)
        changes = {slot: value for slot, value in updates.items() if tracker.get_slot(slot) != value}
        if has_recommendation(tracker) and not changes and disputes(text):
            # "Nej, det där stämmer inte" names no new answer: which one is wrong, with a button for each.
            return reply_to_dispute(dispatcher, Texts(domain), text, filled_slots(tracker))
        if asks_directly(text) or "?" in text or follows:
            # "Behöver vi formverktyg till de första 200 st?" after the recommendation asks, not corrects, and
            # so does "Menar du att den inte ska CE-märkas? Den är ju en hel maskin." (round 9, p02: its
            # "inte" read as a changed product). A question that changes no answer is told when nothing
            # answers it.
            answered = answer_follow_up(dispatcher, tracker, domain, admit=not changes)
            if answered is not None:
                return answered
        texts = Texts(domain)
        before = filled_slots(tracker)
        started = any(value is not None for value in before.values())
        # A stated problem or decision starts the consultation with its goal alone (see states_own_problem).
        stated = not started and states_own_problem(text, updates)
        too_few = len(updates) < (1 if started or stated else MIN_ANSWERS_TO_START)
        if (too_few or text.rstrip().endswith("?")) and names_entry(text):
            return await ActionClarify().run(dispatcher, tracker, domain)
        if not started:
            # "Legotillverkaren vill ha 180 000 kr för ett formsprutningsverktyg. Vem äger verktyget sen?"
            # holds two answers (plastics, a sum) but asks one thing: the knowledge base answers it when a
            # passage does; the consultation starts for a request for advice or when nothing answers.
            answered = answer_instead_of_opening(dispatcher, tracker, domain)
            if answered is not None:
                return answered
        if stated and not updates:
            # "Vi funderar på att lägga ut monteringen" answers no question yet: the consultation starts
            # with the paths it wishes for and asks the goal first.
            return start_events(tracker, dispatcher, domain) + [FollowupAction("advisor_form")]
        if too_few:
            dispatcher.utter_message(
                text=texts.get("utter_clarify_suggestions"),
                buttons=texts.buttons("utter_clarify_suggestions"),
            )
            return []
        events: list[EventType] = []
        if not started:
            events = answer_choice_first(dispatcher, tracker, domain)
            dispatcher.utter_message(text=texts.get(intro_after(events)))
        goal_changed = change_goal(tracker, updates, dispatcher, domain)
        if not goal_changed and has_recommendation(tracker):
            tell_corrected(dispatcher, texts, before, updates)
        elif not goal_changed:
            answers = describe_answers({**before, **updates})
            dispatcher.utter_message(text=texts.get("utter_advisor_noted", answers=answers))
        events += [SlotSet(slot, value) for slot, value in updates.items()]
        if not started and opening_wish(text):
            events.append(SlotSet(WANTED, opening_wish(text)))
        pending = tracker.get_slot(PENDING_SLOT)
        # The numbers are confirmed first, then the product type read from the words (once).
        checks = doubtful(updates, None, user_text(tracker))
        if not has_recommendation(tracker):
            checks += needs_check(before, updates, None)
        return events + check_events(checks, pending) + [FollowupAction("advisor_form")]


class ActionRecommend(Action):
    """Give the recommendation for the answers, with support and actors from the knowledge base."""

    def name(self) -> str:
        return "action_recommend"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        texts = Texts(domain)
        advice = recommendation(tracker, dispatcher, texts)
        buttons = offered_buttons(texts, advice)
        # The rating marker lets the front ends offer 👍/👎 under the recommendation (bot/feedback.py).
        dispatcher.utter_message(text=advice.short_text(), buttons=buttons, rating={"answer": RECOMMENDATION})
        dispatcher.utter_message(text=texts.get("utter_advisor_after"))
        return [SlotSet("advisor_summary", advice.as_text())]


def recommendation(tracker: Tracker, dispatcher: CollectingDispatcher, texts: Texts) -> Any:
    """The recommendation for the answers in the tracker (without support if the knowledge base is down)."""
    try:
        return for_users_school(recommend(advised_answers(tracker), get_kb()), tracker)
    except KnowledgeError:
        dispatcher.utter_message(text=texts.get("utter_kb_unavailable"))
        return recommend(advised_answers(tracker), None)


def advised_answers(tracker: Tracker) -> dict[str, Any]:
    """The answers the recommendation is for, with the paths the user said they want after an earlier one."""
    return {**filled_slots(tracker), WANTED: tracker.get_slot(WANTED)}


class ActionAdvisorMore(Action):
    """One more part of the recommendation on request: the runner-up, rules, support or caveats."""

    def name(self) -> str:
        return "action_advisor_more"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        texts = Texts(domain)
        # A typed question ("vilka regler gäller för litiumbatteriet?") is answered in the recommendation's
        # context: the battery rule, not the whole list of rules again.
        answered = answer_follow_up(dispatcher, tracker, domain)
        if answered is not None:
            return answered
        entities = tracker.latest_message.get("entities") or []
        part = next((e.get("value") for e in entities if e.get("entity") == "advice_part"), None)
        if part is None:
            words = fold_words(user_text(tracker))
            part = next(
                (p for p, stems in PART_WORDS.items() if any(w.startswith(stems) for w in words)), None
            )
        if not tracker.get_slot("advisor_summary") and user_text(tracker):
            # A typed question ("vilka regler gäller för leksaker?") without a recommendation is a question.
            return await ActionAnswerKb().run(dispatcher, tracker, domain)
        if not tracker.get_slot("advisor_summary") or part not in ADVICE_PARTS:
            dispatcher.utter_message(
                text=texts.get("utter_advisor_no_summary"), buttons=texts.buttons("utter_advisor_no_summary")
            )
            return []
        send_part(dispatcher, texts, recommendation(tracker, dispatcher, texts), part)
        return []


def recomputing(tracker: Tracker) -> bool:
    """Whether the recommendation is being recomputed: a consultation question is pending after it (the
    questions of a corrected goal). A pending number confirmation ("jag menar 20000 per år") is not: the
    recommendation stands until the number is confirmed, so the summary is still the one to show."""
    asked = tracker.get_slot("requested_slot")
    return tracker.active_loop_name == "advisor_form" and asked is not None and asked != CHECK_SLOT


class ActionRepeatSummary(Action):
    """Send the last recommendation again as one message the user can copy."""

    def name(self) -> str:
        return "action_repeat_summary"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        summary = tracker.get_slot("advisor_summary")
        texts = Texts(domain)
        if summary and recomputing(tracker):
            answers = describe_answers(filled_slots(tracker))
            dispatcher.utter_message(text=load_rules().texts["summary_recomputing"].format(answers=answers))
        elif summary:
            dispatcher.utter_message(text=summary)
        else:
            dispatcher.utter_message(
                text=texts.get("utter_advisor_no_summary"), buttons=texts.buttons("utter_advisor_no_summary")
            )
        return []
