"""Issue #10, item 6 (persona round 32b, p06): a yes to the offer of questions starts the consultation
whatever the NLU made of the message ("Hm, jag frågade inte om lån. Men ja, ställ frågorna." read as a
request for a person), a request to be asked the questions starts it without an offer, and a stated decision
closed by a doubting question ("Är det vansinne?") is a request for advice, not a knowledge question."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker

from bot.actions.advice import START_PAYLOAD, accepts_consultation, describes_what_to_do


def after(bot_buttons: list[dict[str, Any]], text: str, loop: str | None = None) -> Tracker:
    events: list[dict[str, Any]] = [
        {"event": "user", "text": "Vad är Almi?"},
        {"event": "bot", "text": "Almi är …", "data": {"buttons": bot_buttons}},
        {"event": "user", "text": text},
    ]
    return Tracker(
        "s",
        {},
        {"text": text, "intent": {"name": "request_human", "confidence": 0.6}, "entities": []},
        events,
        False,
        None,
        {"name": loop} if loop else {},
        "action_listen",
    )


OFFER = [{"title": "Ja, ställ frågorna", "payload": START_PAYLOAD}]


@pytest.mark.parametrize(
    "text", ["Hm, jag frågade inte om lån. Men ja, ställ frågorna.", "ja gärna", "Okej. Kör!", "Gärna"]
)
def test_a_yes_after_the_offer_accepts_it(text: str) -> None:
    assert accepts_consultation(after(OFFER, text))


@pytest.mark.parametrize("text", ["ja, ställ frågorna", "Fråga på!", "Du får gärna ställa dina frågor"])
def test_asking_to_be_asked_accepts_without_an_offer(text: str) -> None:
    assert accepts_consultation(after([], text))


@pytest.mark.parametrize(
    "text",
    [
        "ja gärna",  # a yes to nothing offered
        "Ja, men vad kostar det?",  # a question, not a yes
        "Jag vill prata med en människa",
        "Jag vill ställa några frågor om Almis lån",  # the user asks, not the assistant
    ],
)
def test_no_offer_or_a_question_is_no_acceptance(text: str) -> None:
    tracker = after(OFFER if "?" in text else [], text)
    assert not accepts_consultation(tracker)


def test_during_the_consultation_a_yes_is_an_answer() -> None:
    assert not accepts_consultation(after(OFFER, "ja gärna", loop="advisor_form"))


@pytest.mark.parametrize(
    "text",
    [
        "Vi köper speglar från Kina, 8000 om året. Vi funderar på att ta hem det. Är det vansinne?",
        "Vi vill flytta monteringen till Sverige. Är det helt galet?",
    ],
)
def test_a_decision_closed_by_a_doubting_question_asks_for_advice(text: str) -> None:
    assert describes_what_to_do(text)


def test_a_doubting_question_about_a_fact_is_no_request_for_advice() -> None:
    assert not describes_what_to_do("Är det dumt att söka Almis lån i år?")
