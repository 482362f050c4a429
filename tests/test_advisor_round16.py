"""Persona rounds 15 and 15b, the faults still open after 1a7a706/3059f9f (issue #10, branch adv16).

- "kantpressen, inte svetsen" kept welding as the bottleneck (15b p08);
- "tackat nej till order för flera miljoner" became 1 000 000 kr of capital (15b p08);
- "800, kanske 3000 om två år" lost today's volume (the plan word stood after the plan);
- "larmar till mobilen" was no radio, an "utsug" no machine, wood dust no ATEX (15b);
- coupling, programming and testing in house ("det är där vårt kunnande sitter") was no own production
  (15 p04), so the advice was to hand everything to a contract manufacturer;
- "Borde vi lägga ut …?" and "Dumt eller smart?" after a description did not open the consultation (15 p10;
  tests/test_consultation_round15.py);
- "jag menar att vi har viss egen tillverkning …" after the recommendation gave a general text and the advice
  built on "Ni har ingen egen tillverkning" stood (15 p10).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.advice import corrects_advice
from bot.actions.knowledge import ActionAnswerKb
from bot.advisor import parse_answer, recommend


@pytest.mark.parametrize(
    ("text", "expected", "slot", "value"),
    [
        ("kantpressen, inte svetsen", "bottleneck", "bottleneck", ["sheet_metal"]),
        ("lackeringen, inte svetsen", "bottleneck", "bottleneck", ["finishing"]),
        (
            "Det är pulverlackeringen som är flaskhalsen, inte svetsen – svetsarna hinner med.",
            None,
            "bottleneck",
            ["finishing"],
        ),
        # A negation that is no contrast still names the bottleneck.
        ("vi får inte tag på svetsare", "bottleneck", "bottleneck", ["welding"]),
        ("800, kanske 3000 om två år", "volume", "current_volume", 800),
        ("800, kanske 3000 om två år", "volume", "volume", 3000),
        ("vi gör 800 om året, kanske 3000 om två år", None, "current_volume", 800),
        (
            "en läckagevakt som skickar en notis till mobilen",
            "product_type",
            "product_type",
            ["monitoring", "radio"],
        ),
        ("ett fuktlarm som larmar till mobilen", "product_type", "product_type", ["monitoring", "radio"]),
        ("ett mobilställ i plast", "product_type", "product_type", ["plastics"]),
        ("ett mobilt utsug med filter", "product_type", "product_type", ["machinery"]),
        ("en spånsug för trädamm", "product_type", "product_type", ["wood_dust", "atex", "machinery"]),
        (
            "vi kopplar, programmerar och provar själva, plåt och kretskort köps",
            "capability",
            "capability",
            "some",
        ),
        ("plåten köper vi men konfigureringen gör vi själva", "capability", "capability", "some"),
        ("vi har 2 miljoner", "capital", "capital", 2_000_000),
    ],
)
def test_words_are_read_as_meant(text: str, expected: str | None, slot: str, value: Any) -> None:
    assert parse_answer(text, expected).values.get(slot) == value


@pytest.mark.parametrize(
    "text",
    [
        "vi har tackat nej till order för flera miljoner senaste året",
        "vi fick tacka nej till ordrar på 3 miljoner",
    ],
)
def test_lost_orders_are_no_capital(text: str) -> None:
    assert "capital" not in parse_answer(text, "capital").values


def test_an_excluded_bottleneck_takes_back_the_earlier_answer() -> None:
    negated = parse_answer("kantpressen, inte svetsen", "bottleneck").negated
    assert negated.get("bottleneck") == ("welding",)


# Custom equipment in low volume whose value is in the steps done in house (15 p04, in other words).
CABINETS = {
    "situation": "scale_up",
    "stage": "production",
    "product_type": ["electronics", "mechanics"],
    "volume": 35,
    "variants": "very_many",
    "capability": "some",
    "markets": ["sweden", "nordics"],
    "capital": 1_000_000,
    "ip_sensitivity": "medium",
    "priorities": ["control", "flexibility"],
}


@pytest.mark.parametrize(
    ("profile", "category"),
    [
        (CABINETS, "hybrid"),
        ({**CABINETS, "variants": None}, "hybrid"),
        # The same company without production of its own buys it.
        ({**CABINETS, "capability": "none", "variants": None}, "swedish_contract"),
    ],
)
def test_the_steps_done_in_house_decide(profile: dict[str, Any], category: str) -> None:
    assert recommend(profile).category == category


def test_own_production_is_never_called_missing() -> None:
    advice = recommend({**CABINETS, "capability": "full", "situation": "new_product", "stage": "prototype"})
    assert "ingen egen tillverkning" not in advice.as_text().lower()


ADVISED = {
    "situation": "new_product",
    "stage": "prototype",
    "product_type": ["battery"],
    "capability": "none",
    "volume": 1000,
    "markets": ["eu"],
    "capital": 3_000_000,
    "priorities": ["control"],
    "advisor_summary": "Rekommendation: Lägg tillverkningen hos en svensk legotillverkare",
}


def tracker_for(text: str, slots: dict[str, Any]) -> Tracker:
    message = {"text": text, "intent": {"name": "ask_make_or_buy", "confidence": 0.7}, "entities": []}
    return Tracker("r16", dict(slots), message, [], False, None, {}, "action_listen")


@pytest.mark.parametrize(
    ("text", "slots", "corrects"),
    [
        (
            "jag menar att vi har viss egen tillverkning, vi punktsvetsar och monterar packen själva",
            ADVISED,
            True,
        ),
        # Before the recommendation the form takes it; a question is a follow-up; no change, no correction.
        (
            "jag menar att vi har viss egen tillverkning, vi monterar själva",
            {k: v for k, v in ADVISED.items() if k != "advisor_summary"},
            False,
        ),
        ("jag menar att vi har viss egen tillverkning, hur gör vi då?", ADVISED, False),
        ("jag menar att vi har ingen egen tillverkning", ADVISED, False),
        ("vi har viss egen tillverkning, vi monterar själva", ADVISED, False),
    ],
)
def test_a_correction_after_the_recommendation_is_recognised(
    text: str, slots: dict[str, Any], corrects: bool
) -> None:
    assert corrects_advice(tracker_for(text, slots)) is corrects


def test_a_correction_after_the_recommendation_recomputes_it(kb: Any, domain: dict[str, Any]) -> None:
    text = "jag menar att vi har viss egen tillverkning, vi punktsvetsar och monterar packen själva"
    result = asyncio.run(ActionAnswerKb().run(CollectingDispatcher(), tracker_for(text, ADVISED), domain))
    values = {e["name"]: e["value"] for e in result if e.get("event") == "slot"}
    assert values.get("capability") in {"some", "full"}
    assert any(e.get("event") == "followup" and e.get("name") == "advisor_form" for e in result)


# A budget lamp for Amazon US, cost first (15 p03, in other words): urgency is no reason to make it in Sweden
# when the customers are in the USA; with customers in Europe too, a maker near them still wins.
LAMP = {
    "situation": "new_product",
    "stage": "prototype",
    "product_type": ["lighting", "consumer", "battery"],
    "capability": "none",
    "volume": 3000,
    "markets": ["outside_eu"],
    "capital": 400_000,
    "ip_sensitivity": "low",
    "priorities": ["cost"],
    "company": "startup",
}


@pytest.mark.parametrize(
    ("changes", "category"),
    [
        ({}, "asia_contract"),
        ({"time_to_market": "urgent"}, "asia_contract"),
        ({"time_to_market": "urgent", "markets": ["sweden"]}, "swedish_contract"),
        # Cost first with customers in Europe too: a cheaper maker near them, in nearby Europe (round 29).
        ({"time_to_market": "urgent", "markets": ["outside_eu", "eu"]}, "nearshore_europe"),
    ],
)
def test_urgency_alone_does_not_bring_production_home(changes: dict[str, Any], category: str) -> None:
    assert recommend({**LAMP, **changes}).category == category


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("vi hittar inte svetsare", ["welding"]),
        ("lackeringen och inte svetsarna", ["finishing"]),
    ],
)
def test_only_a_negation_alone_before_a_bottleneck_excludes_it(text: str, value: list[str]) -> None:
    assert parse_answer(text, "bottleneck").values.get("bottleneck") == value
