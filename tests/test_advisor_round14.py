"""Persona round 14. p03 (unsound): a silicone dog bowl made in Shenzhen and sold 90 % on Amazon US, moved
because of US tariffs with cost first, was sent to a contract manufacturer in Europe, which is no nearer its
customers. p01: "2-3000" (2 000-3 000 a year) was read as 1 501."""

from __future__ import annotations

from typing import Any

import pytest

from bot.advisor import parse_answer, recommend

BOWL = {
    "situation": "relocate",
    "product_type": ["plastics", "consumer"],
    "volume": 12000,
    "capability": "none",
    "current_location": "asia",
    "markets": ["outside_eu"],
    "capital": 300_000,
    "ip_sensitivity": "low",
    "priorities": ["cost"],
}


@pytest.mark.parametrize(
    ("changes", "category"),
    [
        ({}, "asia_contract"),
        ({"priorities": ["lead_time"]}, "asia_contract"),
        ({"product_type": ["electronics"], "volume": 3000}, "asia_contract"),
        # Customers in Europe as well: nearer is nearer them too.
        ({"markets": ["outside_eu", "eu"]}, "nearshore_europe"),
        ({"markets": ["nordics"]}, "nearshore_europe"),
    ],
)
def test_moving_from_asia_follows_where_the_customers_are(changes: dict[str, Any], category: str) -> None:
    assert recommend({**BOWL, **changes}).category == category


def test_the_move_for_customers_outside_the_eu_compares_countries_with_their_duty() -> None:
    advice = recommend(BOWL)
    assert any("utanför EU" in r for r in advice.reasons)
    assert any("ursprungsland" in step for step in advice.next_steps[:3])
    assert "Europa" in (advice.alternative or "")


@pytest.mark.parametrize(
    ("text", "volume"),
    [
        ("2-3000", 2500),
        ("kanske 2–3000 per år", 2500),
        ("15-20 000 om året", 17500),
        ("2 000-3 000", 2500),
        # Read as written: the low end scaled up would pass the high end, or the high end is small.
        ("500-3000", 1750),
        ("2-30 st", 16),
    ],
)
def test_a_range_written_short_is_read_as_meant(text: str, volume: int) -> None:
    assert parse_answer(text, "volume").values["volume"] == volume


def test_a_support_run_by_an_organisation_links_to_its_page_not_a_policy_page(shipped_kb: Any) -> None:
    """Round 14: "Testbädd Sverige" linked to the government's page on Smart industri; RISE runs the beds."""
    profile = {
        "situation": "new_product",
        "stage": "prototype",
        "company": "sme",
        "product_type": ["mechanics"],
    }
    supports = {s.id: s for s in recommend(profile, shipped_kb).supports}
    assert "testbadd-sverige" in supports
    assert supports["testbadd-sverige"].url == "https://ri.se"
    assert not any("regeringen.se/regeringens-politik" in (s.url or "") for s in supports.values())
