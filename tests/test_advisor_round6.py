"""Faults found in the sixth persona evaluation of the consultation (docs/evaluations/
2026-11-26-advisor-personas-round6.md), tested by behaviour."""

from __future__ import annotations

import pytest

from bot.advisor import parse_answer, recommend

# A hand warmer for Amazon US: electronics with a battery in a plastic shell, cost first (round 6, p03).
HAND_WARMER = {
    "situation": "new_product",
    "stage": "prototype",
    "product_type": ["electronics", "battery", "plastics"],
    "capability": "none",
    "volume": 5000,
    "markets": ["outside_eu", "eu"],
    "company": "startup",
    "capital": 800_000,
    "priorities": ["cost"],
}


def test_cheap_consumer_electronics_for_the_us_market_goes_to_asia() -> None:
    advice = recommend(HAND_WARMER)
    assert advice.category == "asia_contract"
    assert any("säljer utanför EU" in reason for reason in advice.reasons)


@pytest.mark.parametrize(
    "change",
    [
        {"markets": ["sweden", "nordics"]},  # customers at home
        {"priorities": ["quality"]},  # not cost first
        {"product_type": ["machinery"]},  # not a consumer-goods kind
        {"volume": 300},  # a small series
    ],
)
def test_without_every_condition_the_rule_does_not_decide(change: dict) -> None:
    advice = recommend({**HAND_WARMER, **change})
    assert not any("säljer utanför EU: för den här sortens" in reason for reason in advice.reasons)


@pytest.mark.parametrize("text", ["vi har sökt patent på låsmekanismen", "vi har sökt designskydd i EU"])
def test_applying_for_a_patent_is_no_recruitment(text: str) -> None:
    assert "recruitment" not in parse_answer(text, expected="ip_sensitivity").values


@pytest.mark.parametrize(
    "text",
    ["vi har sökt personal länge utan att hitta", "sökt i månader, inga sökande", "sökt svetsare länge"],
)
def test_recruitment_that_failed_is_still_understood(text: str) -> None:
    assert parse_answer(text, expected="recruitment").values.get("recruitment") == "failed"
