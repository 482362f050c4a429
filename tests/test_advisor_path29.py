"""Which path round 29 recommends: a stated low-cost priority for a price-driven consumer product leads to a
lower-cost contract manufacturer and stays there as more answers come, a working contract manufacturer in
Europe that serves customers in the EU is kept, and make-or-buy is decided per step (buy modules and
components, do final assembly, integration and test) for equipment in small series and battery packs."""

from __future__ import annotations

from typing import Any

import pytest

from bot.advisor import recommend

HYBRID = "Hybrid – köp moduler och komponenter, gör slutmontering, integration och test själva"
ASIA = "asia_contract"
NEARSHORE = "nearshore_europe"

# A price-driven garden product in plastic for shops in the Nordics and Germany, no own making.
PLANTER: dict[str, Any] = {
    "situation": "new_product",
    "stage": "prototype",
    "product_type": ["plastics", "consumer"],
    "capability": "none",
    "volume": 6000,
    "markets": ["nordics", "eu"],
    "priorities": ["cost"],
}
# A dog bowl made by a contract manufacturer in Poland, sold in the EU, growing.
BOWLS: dict[str, Any] = {
    "situation": "scale_up",
    "stage": "production",
    "product_type": ["plastics", "food_contact", "consumer"],
    "capability": "none",
    "current_location": "europe",
    "volume": 40000,
    "markets": ["eu"],
    "ip_sensitivity": "low",
    "priorities": ["cost"],
}
# A maker of customer-configured test rigs: buys boards and machined parts, assembles and tests itself.
RIGS: dict[str, Any] = {
    "situation": "scale_up",
    "stage": "production",
    "product_type": ["electronics", "machinery"],
    "capability": "some",
    "current_location": "sweden",
    "volume": 120,
    "markets": ["sweden", "eu"],
}


def test_cost_first_for_a_price_driven_product_goes_to_a_cheaper_contract_manufacturer() -> None:
    advice = recommend(PLANTER)
    assert advice.category == NEARSHORE
    assert any("närliggande Europa" in reason for reason in advice.reasons)


@pytest.mark.parametrize(
    "later",
    [
        {},
        {"capital": 150_000},
        {"capital": 150_000, "time_to_market": "half_year"},
        {"capital": 150_000, "time_to_market": "half_year", "company": "micro", "ip_sensitivity": "low"},
    ],
)
def test_the_cost_advice_stands_when_more_answers_come(later: dict[str, Any]) -> None:
    assert recommend({**PLANTER, **later}).category in (NEARSHORE, ASIA)


def test_a_few_thousand_a_year_is_not_called_too_small_for_far_away_when_cost_comes_first() -> None:
    for markets in (["nordics", "eu"], ["outside_eu"]):
        advice = recommend({**PLANTER, "markets": markets})
        text = advice.as_text()
        assert "sällan stor nog för tillverkning långt bort" not in text
        assert "relativt dyra" not in text


def test_without_a_cost_priority_a_few_thousand_a_year_still_stays_near() -> None:
    advice = recommend({**PLANTER, "priorities": ["control"]})
    assert advice.category == "swedish_contract"


def test_a_working_manufacturer_in_europe_selling_in_the_eu_is_kept() -> None:
    advice = recommend(BOWLS)
    assert advice.category == NEARSHORE
    assert any("tillverkare i Europa" in reason for reason in advice.reasons)
    scores = dict(advice.scores)
    assert scores[NEARSHORE] - scores[ASIA] >= 6


def test_a_working_manufacturer_in_europe_is_kept_when_the_cost_must_come_down() -> None:
    advice = recommend({**BOWLS, "situation": "cost_leadtime", "volume": 8000})
    assert advice.category == NEARSHORE


def test_a_user_who_wants_to_move_is_not_held_to_the_current_manufacturer() -> None:
    moving = recommend({**BOWLS, "situation": "relocate"})
    assert not any("Er tillverkare i Europa ligger nära kunderna" in r for r in moving.reasons)


def test_equipment_in_small_series_is_bought_as_modules_and_assembled_and_tested_in_house() -> None:
    advice = recommend(RIGS)
    assert advice.category == "hybrid"
    assert advice.title == HYBRID
    assert any("köper ni moduler" in reason for reason in advice.reasons)
    # The runner-up gets its reason why it lost.
    assert advice.alternative and advice.alternative_text


def test_equipment_with_many_variants_at_a_new_product_is_a_hybrid_too() -> None:
    advice = recommend({**RIGS, "situation": "new_product", "stage": "pilot", "variants": "many"})
    assert advice.category == "hybrid"


def test_a_contract_manufacturer_without_own_assembly_is_no_hybrid() -> None:
    assert recommend({**RIGS, "capability": "none"}).category != "hybrid"


def test_a_battery_pack_maker_buys_cells_and_modules_and_keeps_assembly_and_test() -> None:
    pack = {**RIGS, "product_type": ["battery_pack", "electronics"], "volume": 900, "variants": "many"}
    advice = recommend(pack)
    assert advice.category == "hybrid"
    assert "legotillverkare" not in advice.short_text()
    assert advice.alternative == "Bygg vidare på er egen produktion"
    assert "integration" in (advice.alternative_text or "")


@pytest.mark.parametrize("profile", [PLANTER, BOWLS, RIGS])
def test_the_first_message_stays_short(profile: dict[str, Any]) -> None:
    assert len(recommend(profile).short_text().split()) <= 190
