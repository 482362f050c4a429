"""Faults of the eighth persona evaluation that round 9 fixes in the consultation: a product whose own rules
require CE marking is never told about "products without CE requirements", a company that already
assembles its product grows its own production, components bought abroad are not where the product is
made, reshoring's cost, and support that the user can apply for. Tested by behaviour: free-text answers
in, what the user would see out."""

from __future__ import annotations

from typing import Any

import pytest

from bot.advisor import parse_answer, recommend, slot_updates
from bot.kb import KnowledgeBase


@pytest.fixture
def kb(shipped_kb: KnowledgeBase) -> KnowledgeBase:
    return shipped_kb


def answers(opening: str, **later: str) -> dict[str, Any]:
    """The opening's values, then each later answer parsed as the answer to its question."""
    values = dict(parse_answer(opening).values)
    for slot, text in later.items():
        values.update(slot_updates(values, parse_answer(text, expected=slot)))
    return values


# --- 1. Battery packs: CE marking, never "GPSR för produkter utan CE-krav" --------------------------

VOLT = (
    "Tjena. Volt Cykel AB i Umeå, vi bygger om vanliga cyklar till elcyklar och vill börja tillverka egna "
    "batteripack, ca 1000 st om året. Köper celler och BMS från Kina och sätter ihop själva. Hur gör vi det "
    "här rätt?"
)
VOLT_ANSWERS = {
    "stage": "Prototyp",
    "capability": "Viss, t.ex. montering",
    "markets": "Sverige och Norden",
    "capital": "Kanske 1 mille",
    "time_to_market": "Inom ett år",
    "ip_sensitivity": "Något känslig",
    "priorities": "Kvalitet och kontroll, säkerheten är A och O",
}


def volt(**change: Any) -> dict[str, Any]:
    return {**answers(VOLT, **VOLT_ANSWERS), **change}


def test_a_metal_battery_pack_gets_no_rules_for_products_without_ce(kb: KnowledgeBase) -> None:
    profile = volt()
    assert {"mechanics", "battery_pack"} <= set(profile["product_type"])
    advice = recommend(profile, kb)
    ids = [r.id for r in advice.regulations]
    assert "produktsakerhet-gpsr" not in ids and "utan CE-krav" not in advice.as_text()
    assert "ce-markning" in ids and "CE-märkning" in advice.short_text()


@pytest.mark.parametrize("product", [["mechanics"], ["wood"], ["plastics"]])
def test_a_consumer_product_without_ce_rules_still_gets_general_product_safety(
    product: list[str], kb: KnowledgeBase
) -> None:
    profile = {"situation": "new_product", "stage": "prototype", "product_type": product}
    assert "produktsakerhet-gpsr" in [r.id for r in recommend(profile, kb).regulations]


@pytest.mark.parametrize("other", ["machinery", "electronics", "toys", "battery"])
def test_a_product_with_its_own_ce_rules_gets_no_rules_for_products_without_ce(
    other: str, kb: KnowledgeBase
) -> None:
    profile = {"situation": "new_product", "stage": "prototype", "product_type": ["mechanics", other]}
    assert "produktsakerhet-gpsr" not in [r.id for r in recommend(profile, kb).regulations]


# --- 2. A company that already builds the packs grows its own production ----------------------------


def test_components_bought_abroad_are_not_where_the_product_is_made() -> None:
    assert "current_location" not in parse_answer(VOLT).values
    assert parse_answer("Vi tillverkar i Kina i dag").values["current_location"] == "asia"


def test_a_correction_of_where_it_is_made_replaces_the_answer() -> None:
    values = answers("Vi vill flytta hem tillverkningen från Kina", current_location="Nej, i Polen")
    assert values["current_location"] == "europe"


@pytest.mark.parametrize(
    "text",
    [
        "Köper celler och BMS från Kina och sätter ihop själva.",
        "Men obs, vi sätter ihop batterierna själva här i Umeå, det är bara cellerna som kommer från Kina.",
        "vi bygger packen själva",
    ],
)
def test_assembling_the_packs_yourself_is_own_manufacturing(text: str) -> None:
    values = parse_answer(text).values
    assert values.get("capability") == "some" and "current_location" not in values


def test_a_company_that_already_builds_its_battery_packs_grows_its_own_production() -> None:
    advice = recommend(volt())
    assert advice.category == "in_house"
    assert "legotillverkare" not in advice.short_text()
    assert not any("I Asien" in line for line in advice.answers)


def test_a_battery_pack_without_own_production_is_still_made_by_a_manufacturer() -> None:
    assert recommend(volt(capability="none")).category != "in_house"
