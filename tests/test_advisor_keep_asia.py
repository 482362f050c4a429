"""A company that has its product made in Asia and says the making stays there is not told to move it
(persona round 29, p03: stainless mugs made in China, to be sold on Amazon in the USA and in the EU, got
"närliggande Europa" after saying three times that the making stays in China)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.advisor import parse_answer, recommend

MUGS: dict[str, Any] = {
    "stage": "production",
    "product_type": ["food_contact", "mechanics", "plastics", "consumer"],
    "current_location": "asia",
    "capability": "none",
    "volume": 10000,
    "markets": ["outside_eu", "eu"],
    "capital": 300000,
    "ip_sensitivity": "low",
    "priorities": ["cost", "quality"],
}


@pytest.mark.parametrize(
    "text",
    [
        "Tillverkningen ska ligga kvar i Kina, vi vill bara veta vad som krävs för att sälja i USA",
        "Vänta, vi ska INTE flytta från Kina. Fabriken där funkar bra, vi vill bara börja sälja i USA.",
        "vi vill behålla tillverkaren i Vietnam",
    ],
)
def test_saying_the_making_stays_takes_back_a_move(text: str) -> None:
    result = parse_answer(text, expected="situation")
    assert "relocate" in result.negated.get("situation", ())
    assert result.values.get("situation") != "relocate"


def test_a_move_is_still_a_move() -> None:
    assert parse_answer("vi vill flytta hem tillverkningen från Kina", expected="situation").values == {
        "situation": "relocate"
    }


@pytest.mark.parametrize("situation", [None, "scale_up", "cost_leadtime"])
def test_a_working_maker_in_asia_is_kept(situation: str | None) -> None:
    answers = {**MUGS, **({"situation": situation} if situation else {})}
    advice = recommend(answers)
    assert advice.category == "asia_contract", advice.category
    assert "flytta" not in advice.short_text().split("Varför:")[1].split("\n")[1].lower()


def test_a_move_from_asia_is_still_weighed() -> None:
    advice = recommend({**MUGS, "situation": "relocate", "priorities": ["lead_time"]})
    assert advice.category != "asia_contract"
