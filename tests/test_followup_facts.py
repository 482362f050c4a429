"""New product facts after a recommendation (bot/actions/newfacts.py) and concrete follow-ups (bot/actions/
followup.py): the situations of persona round 11 (docs/evaluations/2026-11-26-advisor-personas-round11.md),
run with the real actions over the shipped knowledge base."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from test_followup_limits import reply, said, tracker

from bot.actions.advice import ActionUpdateAdvisor
from bot.actions.handoff import ActionClarify
from bot.actions.newfacts import stated_facts
from bot.kb import KnowledgeBase

# Garden watering parts moulded in China today, to be moved closer (p06).
WATERING = {
    "situation": "relocate",
    "current_location": "asia",
    "product_type": ["plastics"],
    "capability": "none",
    "volume": 20_000,
    "variants": "many",
    "markets": ["nordics"],
    "company": "sme",
    "capital": 600_000,
    "priorities": ["lead_time", "control"],
}
# Face cream made in the kitchen, to be scaled up for a retail chain (p09).
CREAM = {
    "situation": "scale_up",
    "product_type": ["cosmetics"],
    "capability": "manual",
    "volume": 36_000,
    "markets": ["sweden"],
    "company": "startup",
    "capital": 150_000,
    "priorities": ["control", "sustainability"],
}
# Conversion kits for electric cargo bikes with battery packs built in house (p10).
EBIKE = {
    "situation": "scale_up",
    "product_type": ["electronics", "battery", "machinery"],
    "capability": "full",
    "volume": 2000,
    "markets": ["nordics", "eu"],
    "company": "sme",
    "capital": 2_000_000,
    "priorities": ["control"],
}
# A breathing trainer with bluetooth and an app (p05).
TRAINER = {
    "situation": "new_product",
    "stage": "prototype",
    "product_type": ["medtech", "electronics", "radio"],
    "capability": "none",
    "volume": 1000,
    "markets": ["eu"],
    "company": "startup",
    "capital": 1_500_000,
    "priorities": ["control"],
}
# A student's bike lamp with a motion alarm, an idea without a company (p07).
BIKE_LAMP = {
    "situation": "new_product",
    "stage": "idea",
    "product_type": ["lighting", "electrical"],
    "capability": "none",
    "volume": 1000,
    "markets": ["sweden"],
    "company": "none",
    "capital": 10_000,
}
# Customised conveyors and dosing stations for the food industry (p04).
FOOD_MACHINES = {
    "situation": "cost_leadtime",
    "product_type": ["machinery"],
    "capability": "some",
    "volume": 35,
    "variants": "many",
    "markets": ["sweden", "nordics"],
    "company": "sme",
    "capital": 1_500_000,
    "priorities": ["lead_time", "cost"],
}

# The kind of answer a follow-up gets: `passage` is a knowledge-base passage with its source (not the
# recommendation again); `no_rule_support` says no support is for that rule in particular, names an actor
# and shows the supports that fit; `comparison` is the recommendation's reasoning and runner-up; `proposal` is
# the path the user puts forward weighed against their answers.
CASES = [
    # p06: moving own moulds from China got the recommendation repeated ("istället" read as its runner-up).
    (
        WATERING,
        "Vi har betalat för formverktygen i Kina. Kan vi ta hem dem och köra dem här istället för att göra "
        "nya?",
        "passage",
        ["flytta", "äger"],
    ),
    (
        WATERING,
        "Formverktygen i Kina har vi redan betalat för. Går det att frakta hem dem och låta en ny leverantör "
        "köra dem, i stället för att bygga nya?",
        "passage",
        ["flytta"],
    ),
    # "varför inte X istället?" proposes X: it is weighed against the answers (round 14b, p01).
    (WATERING, "Varför inte Kina istället?", "proposal", ["Det passar bättre"]),
    # p09: her own premises instead of a contract manufacturer: the proposal weighed against her answers
    # (round 17), and what GMP asks of the premises.
    (
        CREAM,
        "Jag vill helst fortsätta göra dem själv här i byn. Kan jag inte bara hyra en egen liten lokal och "
        "anställa någon istället för att lämna bort det?",
        "proposal",
        ["lokaler"],
    ),
    # p10: shipping the kits got the producer responsibility for batteries; transport is dangerous goods.
    (
        EBIKE,
        "Vi skickar kiten med budfirma till kunderna. Finns det särskilda krav på batterierna vid transport?",
        "passage",
        ["UN 38.3"],
    ),
    (EBIKE, "Får vi flyga ut batteripacken till en kund?", "passage", ["PI 965"]),
    # p05: support for the MDR work got the MDR rule; no support is for MDR in particular.
    (TRAINER, "Vilket stöd kan vi söka för att klara MDR-biten?", "no_rule_support", ["Almi"]),
    (TRAINER, "Vilket stöd kan vi söka?", "supports", []),
]


def start_of(domain: dict, name: str) -> str:
    """The fixed start of a response with placeholders."""
    return str(domain["responses"][name][0]["text"]).split("{")[0]


@pytest.mark.parametrize(("profile", "question", "kind", "must"), CASES)
def test_a_concrete_follow_up_gets_the_kind_of_answer_that_fits(
    kb: KnowledgeBase, domain: dict, profile: dict[str, Any], question: str, kind: str, must: list[str]
) -> None:
    text = reply(ActionClarify(), tracker(question, "nlu_fallback", profile), domain)
    recommendation = text.startswith("Rekommendation:")
    no_rule_support = start_of(domain, "utter_followup_no_rule_support") in text
    supports = text.startswith("Stöd och aktörer") or "\nStöd och aktörer" in text
    assert recommendation is (kind == "comparison"), text
    assert text.startswith(start_of(domain, "utter_followup_proposal")) is (kind == "proposal"), text
    assert no_rule_support is (kind == "no_rule_support"), text
    if kind == "passage":
        assert "Källa:" in text and said(domain, "utter_followup_no_answer") not in text
    if kind in {"no_rule_support", "supports"}:
        assert supports
    if kind == "no_rule_support":
        assert "http" in text  # the actor to ask, with its link
    assert all(word in text for word in must), text


def run_update(text: str, profile: dict[str, Any], domain: dict) -> tuple[str, list[dict[str, Any]], list]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionUpdateAdvisor().run(dispatcher, tracker(text, "inform", profile), domain))
    said_text = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    return said_text, events, dispatcher.messages


def slot_value(events: list[dict[str, Any]], name: str) -> Any:
    return next(e["value"] for e in events if e.get("event") == "slot" and e.get("name") == name)


def test_new_facts_after_the_advice_update_it_and_say_what_changed(kb: KnowledgeBase, domain: dict) -> None:
    # p07: "bluetooth och laddningsbart batteri" after the advice brought no RED and no battery rules.
    text, events, messages = run_update(
        "lampan får förresten bluetooth och ett laddningsbart batteri", BIKE_LAMP, domain
    )
    assert {"radio", "battery"} <= set(slot_value(events, "product_type"))
    assert "Radioutrustning" in slot_value(events, "advisor_summary")
    assert "Radioutrustning" in text and "Batterier" in text
    assert "Rekommendation:" not in text and "leksak" not in text.lower()  # what changed, not all again
    assert not any(e.get("event") == "followup" for e in events)  # no form again
    assert messages[0].get("buttons")  # the whole advice is behind the buttons


def test_new_facts_in_a_question_update_the_advice_before_answering(kb: KnowledgeBase, domain: dict) -> None:
    # p04: food contact fell out of the advice for machines in food factories.
    question = "Maskinerna står i livsmedelsfabriker och är i kontakt med maten – finns det krav på det?"
    dispatcher = CollectingDispatcher()
    t = tracker(question, "nlu_fallback", FOOD_MACHINES)
    events = asyncio.run(ActionClarify().run(dispatcher, t, domain))
    text = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert "food_contact" in slot_value(events, "product_type")
    assert "Material i kontakt med livsmedel" in text
    assert said(domain, "utter_followup_no_answer") not in text


def test_facts_that_change_nothing_are_no_update(kb: KnowledgeBase, domain: dict) -> None:
    text, events, _ = run_update("jag menar 5000 per år", BIKE_LAMP, domain)
    assert start_of(domain, "utter_followup_facts_noted") not in text
    assert {"event": "slot", "timestamp": None, "name": "volume", "value": 5000} in events


@pytest.mark.parametrize(
    ("text", "filled", "expected"),
    [
        ("den har bluetooth och laddningsbart batteri", {"product_type": ["lighting"]}, {"radio", "battery"}),
        ("Det sitter ett litiumbatteri i, gäller det regler?", {"product_type": ["plastics"]}, {"battery"}),
        # A question is no statement: "what if we sold in the US?" tells nothing about the product.
        ("Vad gäller om vi säljer i USA?", {"markets": ["sweden"]}, set()),
        ("vi ska sälja i USA också", {"markets": ["sweden"]}, {"outside_eu"}),
        # Already known: nothing new.
        ("den har ett batteri", {"product_type": ["lighting", "battery"]}, set()),
    ],
)
def test_stated_facts_are_read_from_the_statements(
    text: str, filled: dict[str, Any], expected: set[str]
) -> None:
    found = stated_facts(text, filled)
    added = {v for slot, values in found.items() for v in values if v not in (filled.get(slot) or [])}
    assert added == expected
