"""Practical follow-ups after a recommendation (issues #10/#11, persona round 27): where to test a product in
the cold, whether cosmetics need approval, a notified body and registration in other countries for batteries,
help with selling, and a question that is no goodbye. In our own words."""

from __future__ import annotations

from typing import Any

import pytest
from test_followup import COSMETICS, SENSOR, reply, tracker

from bot.actions.handoff import ActionClarify
from bot.actions.knowledge import ActionAnswerKb
from bot.actions.verdicts import asked_topic
from bot.kb import KnowledgeBase
from bot.nlu.classifier import is_question

BATTERY = {**SENSOR, "product_type": ["electronics", "battery"]}
MACHINE = {
    "situation": "scale_up",
    "product_type": ["machinery"],
    "capability": "full",
    "volume": 300,
    "markets": ["sweden"],
    "company": "sme",
    "capital": 900_000,
    "priorities": ["cost"],
}


@pytest.mark.parametrize(
    "message",
    [
        "Var kan vi frysprova givaren ner till minus 30?",
        "Vem kan testa att höljet klarar IP67?",
        "Vilka labb gör klimatprov på elektronik?",
    ],
)
def test_where_to_test_in_cold_or_water_gets_the_test_environments(
    kb: KnowledgeBase, domain: dict[str, Any], message: str
) -> None:
    text = reply(ActionClarify(), tracker(message, "nlu_fallback", BATTERY), domain)
    assert "testbädd" in text.lower()
    assert "38.3" not in text and "riskklass" not in text


def test_an_ip_class_is_no_risk_class() -> None:
    assert asked_topic("Vem kan testa kapslingens IP-klass?") is None
    assert asked_topic("Vilken riskklass blir det?") is not None


@pytest.mark.parametrize(
    "message",
    [
        "Ska krämen godkännas av Läkemedelsverket innan jag börjar sälja?",
        "Behöver en myndighet godkänna min kräm innan den säljs?",
    ],
)
def test_cosmetics_need_no_approval_before_sale(
    kb: KnowledgeBase, domain: dict[str, Any], message: str
) -> None:
    text = reply(ActionClarify(), tracker(message, "nlu_fallback", COSMETICS), domain)
    assert "godkänns aldrig" in text
    assert "tvål" not in text.lower()


def test_a_notified_body_for_a_battery_pack_gets_the_battery_regulations_modules(
    kb: KnowledgeBase, domain: dict[str, Any]
) -> None:
    message = "Måste ett anmält organ vara med när vi CE-märker batteriet?"
    text = reply(ActionClarify(), tracker(message, "nlu_fallback", BATTERY), domain)
    assert "modul A" in text
    assert "maskinförordning" not in text.lower()


def test_registering_in_other_countries_gets_the_rule_for_every_member_state(
    kb: KnowledgeBase, domain: dict[str, Any]
) -> None:
    message = "Måste vi registrera batterierna i Finland och Danmark också?"
    text = reply(ActionClarify(), tracker(message, "nlu_fallback", BATTERY), domain)
    assert "varje medlemsstat" in text or "varje land" in text
    assert "ADR" not in text


@pytest.mark.parametrize(
    "message", ["Kan ni hjälpa oss att marknadsföra vedklyvarna?", "kan du hjälpa mig med försäljningen?"]
)
def test_help_with_selling_is_said_to_be_outside_what_the_assistant_knows(
    kb: KnowledgeBase, domain: dict[str, Any], message: str
) -> None:
    # Round 31: with who helps instead (test_followup_round31.py), not only "can't help with that".
    text = reply(ActionClarify(), tracker(message, "nlu_fallback", MACHINE), domain)
    assert "inget säkert underlag" in text
    assert "läkemedel" not in text.lower() and "Elcyklar" not in text


def test_rules_on_selling_are_no_request_for_help_with_selling(
    kb: KnowledgeBase, domain: dict[str, Any]
) -> None:
    message = "Kan ni hjälpa oss med vilka regler som gäller för att sälja vedklyven?"
    text = reply(ActionAnswerKb(), tracker(message, "ask_entry", MACHINE), domain)
    assert "inte hjälpa till med" not in text


@pytest.mark.parametrize(
    ("text", "question"),
    [("Behöver vi ett ombud i Norge för att sälja där?", True), ("hejdå?", False), ("Tack och hej!", False)],
)
def test_a_question_of_several_words_is_no_goodbye(text: str, question: bool) -> None:
    assert is_question(text) is question
