"""Openings outside the template and advice that takes up the stated core problem (issue #10, round 27).

A stated production decision starts the consultation with its goal noted, whatever the NLU made of it; the
Swedish regions are a Swedish market; a named design bottleneck leads the first steps to configure-to-order;
and a path the user says they want is weighed in the first recommendation.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.advice import describes_what_to_do, opening_wish, opens_consultation, states_own_problem
from bot.actions.handoff import ActionOutOfScope
from bot.actions.knowledge import ActionAnswerKb
from bot.actions.newfacts import wished_paths
from bot.advisor import parse_answer, recommend
from bot.advisor.engine import WANTED
from bot.swedish import fold


def tracker_for(text: str, intent: str = "ask_make_or_buy") -> Tracker:
    message = {"text": text, "intent": {"name": intent, "confidence": 0.7}, "entities": []}
    return Tracker("o28", {}, message, [], False, None, {}, "action_listen")


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.mark.parametrize(
    ("text", "opens"),
    [
        ("Vi överväger att flytta hem produktionen av våra utemöbler från Vietnam.", True),
        ("Vi funderar på att automatisera lackeringen.", True),
        ("Vi vill ta hem sömnaden från Litauen.", True),
        ("Vi har bestämt oss för att byta leverantör till våra lampskärmar.", True),
        ("Vi måste anställa fler svetsare.", True),
        ("Vi funderar på att lägga ut monteringen.", True),
        # Not the user's own decision, or a question the knowledge base answers.
        ("Många företag flyttar hem produktion från Asien nu.", False),
        ("Vi funderar på att flytta hem tillverkningen. Vilka stöd finns det?", False),
    ],
)
def test_a_stated_production_decision_asks_for_advice(text: str, opens: bool) -> None:
    assert states_own_problem(text, parse_answer(text).values) is opens


@pytest.mark.parametrize("intent", ["ask_make_or_buy", "ask_entry", "nlu_fallback"])
def test_a_decision_alone_opens_the_consultation_whatever_the_intent(intent: str) -> None:
    # One answer (the goal) is enough when the message states the decision.
    text = "Vi funderar på att automatisera lackeringen."
    assert parse_answer(text).values == {"situation": "automate"}
    assert opens_consultation(tracker_for(text, intent), understood=True)


def test_a_move_stated_without_a_question_starts_with_the_goal(kb: Any, domain: dict[str, Any]) -> None:
    text = "Vi överväger att flytta hem produktionen av våra utemöbler från Vietnam."
    result = asyncio.run(ActionAnswerKb().run(CollectingDispatcher(), tracker_for(text), domain))
    assert slot_events(result).get("situation") == "relocate"
    assert any(e.get("event") == "followup" and e.get("name") == "advisor_form" for e in result)


def test_an_outsourcing_decision_starts_the_consultation_with_the_wish(
    kb: Any, domain: dict[str, Any]
) -> None:
    # No answer yet, but a decision: the goal is asked first, and the contract paths are noted as wished.
    text = "Vi funderar på att lägga ut monteringen på en legotillverkare."
    result = asyncio.run(
        ActionOutOfScope().run(CollectingDispatcher(), tracker_for(text, "out_of_scope"), domain)
    )
    assert "swedish_contract" in (slot_events(result).get(WANTED) or [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("vi vill sälja till regionerna", None),
        ("Vår första kund blir Region Dalarna", None),
        ("regionerna", "markets"),
        ("svenska regioner och privata vårdgivare", "markets"),
    ],
)
def test_the_regions_are_a_swedish_market(text: str, expected: str | None) -> None:
    assert parse_answer(text, expected).values.get("markets") == ["sweden"]


def test_a_device_sold_to_the_regions_gets_no_rules_for_the_usa() -> None:
    profile = {
        "situation": "new_product",
        "stage": "prototype",
        "product_type": ["medtech"],
        "markets": parse_answer("vi vill sälja till regionerna").values["markets"],
    }
    text = recommend(profile).as_text()
    assert "USA" not in text and "utanför EU" not in text


@pytest.mark.parametrize(
    "text",
    [
        "Flaskhalsen är att konstruktionen av varje order tar för lång tid.",
        "Varje skåp ritas från grunden efter kundens önskemål.",
        "Det är konstruktionsavdelningen som inte hinner med.",
    ],
)
def test_a_design_bottleneck_is_named(text: str) -> None:
    assert parse_answer(text).values.get("bottleneck") == ["engineering"]


ENGINEERED = {
    "situation": "cost_leadtime",
    "capability": "full",
    "volume": 30,
    "variants": "many",
    "markets": ["nordics"],
}


@pytest.mark.parametrize(
    "profile",
    [
        {**ENGINEERED, "bottleneck": ["engineering"]},
        # Whichever path wins, a named design bottleneck leads the first steps: here a contract maker.
        {
            "situation": "new_product",
            "stage": "production",
            "capability": "none",
            "bottleneck": ["engineering"],
        },
    ],
)
def test_a_design_bottleneck_leads_to_configure_to_order(profile: dict[str, Any]) -> None:
    advice = recommend(profile)
    assert "konfigurering mot order" in advice.first_steps[0]
    assert "konfigurering mot order" in advice.short_text()


def test_without_a_design_bottleneck_the_first_step_is_the_paths_own() -> None:
    advice = recommend({"situation": "new_product", "stage": "production", "capability": "none"})
    assert not any("konfigurering mot order" in step for step in advice.next_steps)


def test_a_step_under_two_conditions_is_said_once() -> None:
    advice = recommend({**ENGINEERED, "bottleneck": ["engineering"]})
    assert sum("konfigurering mot order" in step for step in advice.next_steps) == 1


@pytest.mark.parametrize(
    ("text", "paths"),
    [
        (
            "Jag vill bygga upp egna lokaler enligt GMP i stället för att anlita en kontraktstillverkare",
            ("in_house",),
        ),
        ("vi vill hellre tillverka i Polen än i Kina", ("nearshore_europe",)),
        ("vi vill ha egen produktion", ("in_house",)),
        ("vi har ingen egen produktion", ()),
    ],
)
def test_the_wished_path_is_the_one_before_what_it_sets_aside(text: str, paths: tuple[str, ...]) -> None:
    assert wished_paths(fold(text)) == paths


def test_an_opening_that_asks_whether_its_own_course_is_right_asks_for_advice() -> None:
    text = (
        "Jag gör tvålar och vill bygga egna lokaler i stället för att anlita en legotillverkare. "
        "Är det rätt väg?"
    )
    assert describes_what_to_do(text)
    assert opening_wish(text) == ["in_house"]
    assert not describes_what_to_do("Är det rätt väg att söka ett lån hos Almi?")


# A cosmetics maker who mixes some of it herself and wants her own premises: a hybrid wins on these answers.
COSMETICS = {
    "situation": "scale_up",
    "product_type": ["cosmetics"],
    "capability": "some",
    "volume": 6000,
    "capital": 400_000,
}


def test_the_wished_path_is_weighed_in_the_first_answer() -> None:
    plain = recommend(COSMETICS)
    advice = recommend({**COSMETICS, WANTED: ["in_house"]})
    assert advice.category == plain.category != "in_house"
    short = advice.short_text()
    assert 'Du föreslår "Bygg vidare på er egen produktion"' in short
    # The reason against it is the rules' own: the capital stated is too small for premises.
    assert "400 000" in short.split("Du föreslår", 1)[1]
    assert plain.wish is None and "föreslår" not in plain.short_text()


def test_a_wished_path_that_wins_is_said_to_be_the_users_own() -> None:
    plain = recommend(COSMETICS)
    advice = recommend({**COSMETICS, WANTED: [plain.category]})
    assert "den väg du själv föreslår" in advice.short_text()
