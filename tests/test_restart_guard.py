"""After a recommendation, a message the NLU reads as "start a consultation" starts over only when the user
asks for it (the button, "börja om", a plain request); a question keeps every answer and is answered
(persona round 12, p09: a follow-up question wiped the consultation)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.advice import ActionStartAdvisor
from bot.kb import KnowledgeBase

CREAM = {
    "situation": "scale_up",
    "product_type": ["cosmetics", "consumer"],
    "capability": "small",
    "volume": 24000,
    "markets": ["sweden"],
    "capital": 150_000,
    "ip_sensitivity": "high",
    "priorities": ["quality", "sustainability"],
}


def start(text: str, domain: dict[str, Any]) -> list[dict[str, Any]]:
    message = {"text": text, "intent": {"name": "start_consultation", "confidence": 0.33}, "entities": []}
    slots = {**CREAM, "advisor_summary": "Rekommendation: …"}
    tracker = Tracker("restart", slots, message, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    return asyncio.run(ActionStartAdvisor().run(dispatcher, tracker, domain))


def cleared(events: list[dict[str, Any]]) -> set[str]:
    return {e["name"] for e in events if e.get("event") == "slot" and e["value"] is None}


@pytest.mark.parametrize(
    "text",
    [
        "Jag har en säkerhetsbedömning och produkten är anmäld i CPNP. Måste jag göra om det om en "
        "legotillverkare gör krämen?",
        "hur skyddar jag receptet när någon annan tillverkar?",
    ],
)
def test_a_question_after_the_recommendation_keeps_the_answers(
    text: str, kb: KnowledgeBase, domain: dict[str, Any]
) -> None:
    events = start(text, domain)
    assert not cleared(events) & {"product_type", "volume", "capital", "advisor_summary"}
    assert {"event": "followup", "timestamp": None, "name": "action_listen"} in events


@pytest.mark.parametrize(
    "text", ["/start_consultation", "börja om rådgivningen", "hjälp mig välja produktionsstrategi"]
)
def test_asking_to_start_over_starts_over(text: str, kb: KnowledgeBase, domain: dict[str, Any]) -> None:
    events = start(text, domain)
    assert {"volume", "capital", "advisor_summary"} <= cleared(events)
    # What the product is stays (shown as noted, so it can be corrected): a restart that forgot the cosmetics
    # gave a skin salve the food-contact rules (persona round 26, p09; ctx27).
    assert "product_type" not in cleared(events)
