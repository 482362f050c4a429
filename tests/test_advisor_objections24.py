"""Objections that change a decisive factor after the recommendation, and the user's own premises during the
consultation (issue #10, "Options weighed, not a template", persona rounds 21 and 21b): duties that depend
on the country of origin and a wish to scale up with the Swedish maker already used move the advice from
Asia, and the reply says why; a craftsmanship priority keeps the maker's own production; tools whose
ownership is unknown are not assumed to be the company's."""

from __future__ import annotations

from typing import Any

import pytest
from test_followup_objections import run, slots, start

from bot.actions.newfacts import read_statements
from bot.actions.proposal import PROPOSES
from bot.advisor import parse_answer, recommend
from bot.advisor.engine import WANTED
from bot.kb import KnowledgeBase
from bot.swedish import fold

# Garden sprayers made by a Swedish contract maker, to be scaled up for a US buyer, cost first: Asia.
SPRAYER: dict[str, Any] = {
    "situation": "scale_up",
    "stage": "production",
    "product_type": ["plastics"],
    "capability": "none",
    "current_location": "sweden",
    "volume": 26_000,
    "markets": ["outside_eu"],
    "company": "micro",
    "capital": 700_000,
    "time_to_market": "normal",
    "ip_sensitivity": "low",
    "priorities": ["cost"],
}
DUTY_OBJECTION = (
    "Fast amerikanerna har straffat varor från Kina med extra tull, så Asien blir inte billigt. "
    "Vi skalar hellre upp hos vår svenska leverantör."
)


def test_a_duty_objection_is_about_the_origin_not_where_the_product_is_made() -> None:
    answers = read_statements(DUTY_OBJECTION, SPRAYER).answers
    assert "current_location" not in answers
    assert answers["priorities"] == ["cost", "duties"]
    assert answers[WANTED] == ["swedish_contract"]


def test_origin_duties_and_the_current_swedish_maker_move_the_advice_from_asia() -> None:
    assert recommend(SPRAYER).category == "asia_contract"
    answers = read_statements(DUTY_OBJECTION, SPRAYER).answers
    after = recommend({**SPRAYER, **answers})
    assert after.category == "swedish_contract"
    assert any("ursprungsland" in reason for reason in after.reasons)


def test_the_reply_to_the_objection_says_what_decided_the_new_path(kb: KnowledgeBase, domain: dict) -> None:
    text, events = run(DUTY_OBJECTION, SPRAYER, domain)
    assert "svensk legotillverkare" in slots(events)["advisor_summary"]
    deciding = start(domain, "utter_followup_facts_deciding")
    line = next(line for line in text.splitlines() if line.startswith(deciding))
    assert "tull" in line


def test_asia_for_customers_outside_the_eu_counts_the_duty_of_each_origin() -> None:
    steps = recommend(SPRAYER).next_steps
    assert any("ursprungsland" in step for step in steps)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("det lokala hantverket är det kunderna betalar för", ["craft"]),
        ("hantverket är poängen med hela varumärket", ["craft"]),
        ("tullarna till USA oroar oss", ["duties"]),
        ("det blir för dyrt", ["cost"]),
    ],
)
def test_priorities_read_from_the_users_own_words(text: str, expected: list[str]) -> None:
    assert set(expected) <= set(parse_answer(text, "priorities").values.get("priorities") or ())


def test_how_a_product_is_made_is_no_craft_priority() -> None:
    assert "priorities" not in parse_answer("jag gör handgjord tvål i köket").values


# A soap maker who makes everything by hand and says the craft is the point.
SOAP: dict[str, Any] = {
    "situation": "scale_up",
    "stage": "production",
    "product_type": ["cosmetics"],
    "capability": "manual",
    "volume": 4_000,
    "markets": ["sweden"],
    "company": "micro",
    "capital": 120_000,
    "priorities": ["craft"],
}


def test_a_craft_priority_keeps_own_production_and_offers_no_contract_maker() -> None:
    advice = recommend(SOAP)
    assert advice.category in ("out_of_scope", "in_house")
    assert any("hantverket" in reason.lower() for reason in advice.reasons)
    assert not any(step.startswith("Välj en legotillverkare") for step in advice.next_steps)
    assert "legotillverkare" not in (advice.alternative or "")


@pytest.mark.parametrize(
    "text",
    [
        "ingen vet riktigt vem som äger formarna",
        "vi vet inte vem som äger verktygen",
        "det är oklart vem som äger formarna",
    ],
)
def test_unknown_tool_ownership_is_not_read_as_owned_tools(text: str) -> None:
    found = parse_answer(text).values.get("product_type") or []
    assert "own_tooling" not in found
    assert "tooling_unclear" in found


def test_unknown_tool_ownership_is_the_first_step_of_a_move() -> None:
    moving = {
        "situation": "relocate",
        "stage": "production",
        "product_type": ["plastics", "tooling_unclear"],
        "capability": "none",
        "current_location": "asia",
        "volume": 60_000,
        "markets": ["sweden", "nordics"],
        "priorities": ["lead_time"],
    }
    steps = recommend(moving).next_steps
    assert "vem som äger verktygen" in steps[0]
    assert not any(step.startswith("Ta med de verktyg ni redan äger") for step in steps)


@pytest.mark.parametrize(
    ("text", "proposes"),
    [
        ("Kan vi tillverka dem i Sverige med automation vid 25 000 om året?", True),
        ("kan vi göra det själva i stället?", True),
        ("kan vi få stöd för en förstudie?", False),
    ],
)
def test_a_decision_question_about_a_path_is_a_proposal_to_weigh(text: str, proposes: bool) -> None:
    assert bool(PROPOSES.search(fold(text))) is proposes
