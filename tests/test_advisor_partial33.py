"""Persona round 32, p04: a machine builder that wants to buy its sheet metal and electrical cabinets and keep
design, programming and commissioning proposed part of the work bought, not "lägg ut allt": the wish is the
hybrid path, weighed against the answers like any wish."""

from __future__ import annotations

import pytest

from bot.actions.advice import opening_wish
from bot.actions.followup import bought_part
from bot.advisor import recommend
from bot.advisor.engine import WANTED
from bot.swedish import fold


@pytest.mark.parametrize(
    "text",
    [
        "Vi funderar på om vi ska lägga ut plåtjobben och elskåpen i stället för att göra dem själva.",
        "Vi vill lägga ut lackeringen och behålla monteringen.",
        "Vi funderar på om vi ska lägga ut mer av bygget, vi hinner inte.",
        "Vi vill lägga ut komponenterna men montera själva.",
    ],
)
def test_part_of_the_work_bought_is_the_hybrid_wish(text: str) -> None:
    wish = opening_wish(text) or []
    assert "hybrid" in wish and "asia_contract" not in wish


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("Vi vill lägga ut tillverkningen till en legotillverkare.", "asia_contract"),
        ("Vi funderar på att lägga ut produktionen.", "nearshore_europe"),
        ("Vi funderar på att lägga ut svetsningen till Polen.", "nearshore_europe"),
        ("Vi funderar på att lägga ut monteringen på en legotillverkare.", "swedish_contract"),
    ],
)
def test_the_whole_making_or_a_named_place_keeps_its_paths(text: str, path: str) -> None:
    wish = opening_wish(text) or []
    assert path in wish and "hybrid" not in wish


MACHINE_BUILDER = {
    "situation": "cost_leadtime",
    "stage": "production",
    "product_type": ["machinery", "electrical", "mechanical"],
    "capability": "full",
    "volume": 20,
    "variants": "many",
    "markets": ["nordics", "sweden"],
    "company": "sme",
    "capital": 1_000_000,
    "ip": "some",
    "priorities": ["lead_time", "flexibility"],
}


def test_buying_parts_while_building_on_the_own_production_is_taken_in() -> None:
    advice = recommend({**MACHINE_BUILDER, WANTED: ["hybrid"]})
    assert advice.category == "in_house"
    assert advice.wish is not None and "går ihop med rådet" in advice.wish
    assert "väger rekommendationen tyngre" not in advice.wish and "lägga ut allt" not in advice.wish


def test_a_contract_maker_proposed_to_the_same_shop_is_still_weighed_against() -> None:
    advice = recommend({**MACHINE_BUILDER, WANTED: ["swedish_contract"]})
    assert advice.wish is not None and "går ihop med rådet" not in advice.wish


@pytest.mark.parametrize(
    "text",
    [
        # Persona round 33b, p04, after the advice: without the article, and with a material.
        "Verkstan ÄR flaskhalsen. Borde vi inte lägga ut svetsning och plåt istället för att bygga ut?",
        "Kan vi lägga ut plåten och behålla monteringen?",
    ],
)
def test_part_of_the_work_without_the_article_is_a_part_bought(text: str) -> None:
    assert bought_part(fold(text))


def test_buying_a_machine_is_no_part_of_the_work_bought() -> None:
    assert not bought_part(fold("Finns det något bidrag för att köpa en svetsrobot?"))
    assert not bought_part(fold("Ska vi lägga ut tillverkningen?"))
