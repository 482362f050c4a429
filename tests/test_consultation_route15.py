"""A direct question is answered, not turned into a consultation (issues #10/#11): a message that asks one
concrete question the knowledge base answers gets that answer and a one-line offer to start the
consultation, whatever intent the NLU gave it; a request for advice about the user's own situation still
opens the consultation. And a trailing "annars inget" limits an answer, it does not negate it (round 13,
p06)."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.advice import ActionStartAdvisor, ActionUpdateAdvisor, asks_for_advice
from bot.actions.texts import Texts
from bot.advisor import parse_answer
from bot.kb import KnowledgeBase

OFFER = "/start_consultation"


def run(
    action: Any, text: str, intent: str, ranking: list[tuple[str, float]], domain: dict[str, Any]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The messages and events of `action` for a first message with the NLU's `intent` and `ranking`."""
    confidence = ranking[0][1] if ranking else 0.5
    message = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking],
        "entities": [],
    }
    tracker = Tracker("route15", {}, message, [], False, None, {}, "")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain))
    return dispatcher.messages, events


def opened(messages: list[dict[str, Any]], domain: dict[str, Any]) -> bool:
    """Whether the replies open the consultation (its intro)."""
    return any(m.get("text") == Texts(domain).get("utter_advisor_intro") for m in messages)


def offered(messages: list[dict[str, Any]]) -> bool:
    """Whether the last reply offers the consultation with a button."""
    return any(b.get("payload") == OFFER for b in messages[-1].get("buttons") or [])


# Questions that ask one thing: the answer's words, and how the NLU ranked them.
ANSWERED = [
    (
        "Vi har en fungerande prototyp och en kund som vill ha 5 000 st. Kan vi gå direkt till "
        "serieproduktion?",
        [("start_consultation", 0.36), ("ask_production_stages", 0.29), ("inform", 0.26)],
        r"(pilot|noll)serie",
    ),
    (
        "Vi har en prototyp av en fuktmätare och behöver 600 000 kr till verktyg och första serien. Hur stor "
        "del av kostnaden kan Almis innovationslån täcka?",
        [("start_consultation", 0.4), ("ask_amount", 0.3), ("inform", 0.2)],
        r"50 procent",
    ),
]


@pytest.mark.parametrize(("text", "ranking", "answer"), ANSWERED)
def test_a_direct_question_read_as_a_request_is_answered_with_the_offer(
    text: str, ranking: list[tuple[str, float]], answer: str, domain: dict[str, Any], kb: KnowledgeBase
) -> None:
    messages, events = run(ActionStartAdvisor(), text, ranking[0][0], ranking, domain)
    assert not opened(messages, domain)
    assert re.search(answer, messages[0]["text"])
    assert offered(messages)
    # The rule's form does not start: the assistant waits for the user.
    assert any(e.get("event") == "followup" and e.get("name") == "action_listen" for e in events)


@pytest.mark.parametrize(("text", "ranking", "answer"), ANSWERED)
def test_the_same_question_read_as_answers_is_answered_too(
    text: str, ranking: list[tuple[str, float]], answer: str, domain: dict[str, Any], kb: KnowledgeBase
) -> None:
    ranking = [("inform", 0.35), *[r for r in ranking if r[0] != "inform"]]
    messages, _ = run(ActionUpdateAdvisor(), text, "inform", ranking, domain)
    assert not opened(messages, domain)
    assert re.search(answer, messages[0]["text"])


# Requests for advice about the user's own situation, in the forms the NLU reads as start_consultation.
REQUESTS = [
    "Vi har tagit fram en vattenmätare för villor och har tio prototyper. Var ska vi låta tillverka den?",
    "Jag har en idé om en cykelhållare i aluminium, ca 2000 st om året. Hur kommer jag vidare mot "
    "serietillverkning?",
    "Vi gör ett lock till glasburkar, ungefär 8000 om året. Vilken fabrik ska vi vända oss till?",
    "Vi har byggt en vedklyv som vi vill börja sälja.",
    "Vi har en prototyp på en lampa och ett AB. Kan du hjälpa oss att välja produktionsstrategi?",
    "Vi bygger en släpvagn i stål, 300 om året. Hur lägger vi upp det?",
]


@pytest.mark.parametrize("text", REQUESTS)
def test_a_request_for_advice_still_opens_the_consultation(
    text: str, domain: dict[str, Any], kb: KnowledgeBase
) -> None:
    assert asks_for_advice(text)
    ranking = [("start_consultation", 0.35), ("ask_find_manufacturer", 0.2), ("inform", 0.2)]
    messages, events = run(ActionStartAdvisor(), text, "start_consultation", ranking, domain)
    assert opened(messages, domain)
    assert not any(e.get("event") == "followup" for e in events)


@pytest.mark.parametrize(
    ("text", "advice"),
    [
        ("Kan vi gå direkt till full produktion?", False),
        ("Vad gick det uppdraget ut på och hur mycket pengar var det? Jag har ett litet företag.", False),
        ("Hur skyddar jag min idé när jag låter ett annat företag tillverka den?", False),
        ("Hur mycket kan vi låna till tillverkningen?", False),
        ("Vi funderar på om vi ska lägga ut mer av bygget. Hur löser vi det?", True),
        ("hjälp mig välja produktionsstrategi", True),
        ("Hur får jag den tillverkad?", True),
    ],
)
def test_what_asks_for_advice(text: str, advice: bool) -> None:
    assert asks_for_advice(text) is advice


def test_a_sure_request_opens_even_as_a_question(domain: dict[str, Any], kb: KnowledgeBase) -> None:
    text = "Kan ni ge råd om produktionsstrategi för vår produkt?"
    ranking = [("start_consultation", 0.9), ("ask_make_or_buy", 0.05)]
    messages, _ = run(ActionStartAdvisor(), text, "start_consultation", ranking, domain)
    assert opened(messages, domain)


@pytest.mark.parametrize(
    ("text", "capability"),
    [
        ("vi gör lite slutmontage här hemma, annars inget", "some"),
        ("vi monterar själva, inget mer", "some"),
        ("vi gör slutmonteringen själva, annars ingenting", "some"),
        ("vi svetsar och monterar själva, annars inget.", "full"),
        ("inget", "none"),
        ("inget mer än prototyperna vi byggt själva", "none"),
        ("nej, inget", "none"),
    ],
)
def test_a_trailing_annars_inget_limits_and_does_not_negate(text: str, capability: str) -> None:
    assert parse_answer(text, "capability").values.get("capability") == capability
