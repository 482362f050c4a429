"""The product type as persona round 12 found it misread: a customer ("åt batterifabrikerna") is no battery,
furniture of aluminium is no wood, what a sensor measures in ("fukt i bjälklag") is no construction product,
and the buttons for food and for cosmetics are separate. Dust and solvents mark equipment for explosive
atmospheres (ATEX). The table is the `parse_cases` of tests/data/advisor_tuning_scenarios8.yml; the rule
tests below check what the profile then brings in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_advisor_parse_round11 import check_parse_case, parse_cases

from bot.advisor.data import load_questions

CASES = Path(__file__).parent / "data" / "advisor_tuning_scenarios8.yml"


@pytest.mark.parametrize("case", parse_cases(CASES))
def test_parse_case(case: dict[str, Any]) -> None:
    check_parse_case(case)


def test_food_and_cosmetics_are_separate_buttons() -> None:
    """A combined button made a face cream a food (round 12, p09)."""
    question = next(q for q in load_questions().questions if q.slot == "product_type")
    titles = {o.value: o.title for o in question.options if o.button}
    assert titles.get("food") == "Livsmedel"
    assert titles.get("cosmetics") == "Kosmetika"
    assert not any("eller kosmetika" in t.lower() for t in titles.values())
