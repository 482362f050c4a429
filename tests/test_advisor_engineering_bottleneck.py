"""Design hours as the bottleneck of a maker of customer-specific equipment are no staffing shortage
(persona round 29b, p04: "vi drunknar i konstruktionstimmar", "konstruktörerna ritar allt från noll varje
gång" got "Lös kompetensförsörjningen"): the bottleneck is read as engineering, and the advice is a modular
platform with bought modules."""

from __future__ import annotations

from typing import Any

import pytest

from bot.advisor import parse_answer, recommend

CELLS: dict[str, Any] = {
    "situation": "capacity",
    "bottleneck": ["engineering"],
    "shifts": "one",
    "product_type": ["machinery", "electronics"],
    "capability": "some",
    "current_location": "sweden",
    "volume": 16,
    "variants": "many",
    "markets": ["eu"],
    "priorities": ["lead_time", "flexibility"],
}


@pytest.mark.parametrize(
    "text",
    [
        "Varje projekt är unikt och vi drunknar i konstruktionstimmar.",
        "det är att konstruktörerna ritar allt från noll varje gång",
    ],
)
def test_design_hours_are_the_engineering_bottleneck(text: str) -> None:
    assert "engineering" in parse_answer(text, expected="bottleneck").values["bottleneck"]


def test_an_engineering_bottleneck_gets_the_platform_not_recruitment() -> None:
    advice = recommend(CELLS)
    assert advice.category == "hybrid", advice.category
    assert "konfigurering mot order" in advice.short_text()


def test_a_shop_floor_bottleneck_is_still_competence_supply() -> None:
    advice = recommend({**CELLS, "bottleneck": ["welding"], "recruitment": "failed"})
    assert advice.category == "competence_supply", advice.category
