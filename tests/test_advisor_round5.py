"""Faults found in the fifth persona evaluation of the consultation (docs/evaluations/
2026-11-26-advisor-personas-round5.md), tested by behaviour."""

from __future__ import annotations

import pytest

from bot.actions.advice import doubtful
from bot.advisor import parse_answer, recommend
from bot.kb import KnowledgeBase


def test_salmon_is_no_amount() -> None:
    assert parse_answer("vi röker lax, 20 st i veckan", expected="capital").values.get("capital") is None


@pytest.mark.parametrize(
    "text",
    [
        "ett redskapsfäste med hydraulisk låsning för traktorlastare",
        "snabbfästen till lastmaskiner",
        "redskap för lastare, svetsade i stål",
    ],
)
def test_interchangeable_equipment_for_loaders_is_machinery(text: str) -> None:
    assert "machinery" in parse_answer(text, expected="product_type").values.get("product_type", [])


def test_capital_too_small_to_be_meant_is_confirmed() -> None:
    assert doubtful({"capital": 600}, "capital", "600 spänn") == ["capital"]
    assert doubtful({"capital": 600_000}, "capital", "600 lax") == []
    assert doubtful({"capital": 2_000_000}, "capital", "2 mille") == []


@pytest.fixture(scope="module")
def kb(shipped_kb: KnowledgeBase) -> KnowledgeBase:
    return shipped_kb


SELLER = {
    "situation": "cost_leadtime",
    "capability": "none",
    "current_location": "asia",
    "volume": 24_000,
    "markets": ["outside_eu"],
    "capital": 300_000,
}


def test_a_seller_outside_the_eu_who_makes_it_in_asia_stays_in_asia(kb: KnowledgeBase) -> None:
    advice = recommend(SELLER, kb)
    assert advice.category == "asia_contract"
    assert any("tillverkar redan i Asien och säljer utanför EU" in reason for reason in advice.reasons)


@pytest.mark.parametrize(
    "change", [{"markets": ["sweden", "nordics"]}, {"situation": "relocate"}, {"current_location": "sweden"}]
)
def test_selling_at_home_or_moving_home_is_not_kept_in_asia_by_that_rule(
    kb: KnowledgeBase, change: dict
) -> None:
    advice = recommend({**SELLER, **change}, kb)
    assert not any("tillverkar redan i Asien och säljer utanför EU" in reason for reason in advice.reasons)


def test_a_workshop_at_idea_stage_builds_the_prototype_itself(kb: KnowledgeBase) -> None:
    workshop = {"situation": "new_product", "stage": "idea", "capability": "full"}
    workshop["company"] = "established_small"
    steps = " ".join(recommend(workshop, kb).next_steps)
    assert "egen verkstad" in steps and "inkubator" not in steps
    startup = {**workshop, "capability": "none", "company": "startup"}
    assert "inkubator" in " ".join(recommend(startup, kb).next_steps)
