"""Issue #10: a question after the recommendation about the own capacity or a practical choice (hinner vi?,
låta ett snickeri svarva?, behålla svetsarna?) is answered from the user's own figures and the make-or-buy
advice, not with a rule that shares a word with it."""

from __future__ import annotations

from typing import Any

import pytest
from test_followup_round16 import assert_answers

from bot.actions.followup import bought_part
from bot.actions.limits import STAFFING
from bot.swedish import fold

# A woodturner alone, by hand, from 200 to 1 800 bowls a year (a food-contact product: the rule that an
# unrelated answer used to pick).
BOWLS = {
    "situation": "scale_up",
    "stage": "production",
    "product_type": ["wood", "food_contact"],
    "capability": "manual",
    "current_location": "sweden",
    "volume": 1800,
    "current_volume": 200,
    "capital": 150_000,
    "markets": ["sweden", "nordics"],
    "ip_sensitivity": "low",
    "priorities": ["control"],
}
# Five welders of stairs and railings, growing threefold.
STAIRS = {
    "situation": "scale_up",
    "stage": "production",
    "product_type": ["construction"],
    "capability": "full",
    "current_location": "sweden",
    "volume": 500,
    "current_volume": 150,
    "company": "micro",
    "capital": 600_000,
    "markets": ["sweden"],
    "ip_sensitivity": "low",
    "priorities": ["control"],
}

CASES = [
    # Own capacity: the recommendation's capacity step with the user's volume, then buying part of the work.
    (
        BOWLS,
        "Hinner jag verkligen göra 1800 skålar själv på ett år?",
        ["Räkna kapaciteten för cirka 1 800 enheter", "kritiska stegen internt"],
        ["TRL", "FDA", "[Kk]ontaktmaterial"],
    ),
    # A step done by another workshop is make or buy for that step.
    (
        BOWLS,
        "Borde jag låta ett snickeri grovsvarva ämnena åt mig?",
        ["kritiska stegen internt|underleverantör"],
        ["FDA", "[Kk]ontaktmaterial", "inte hjälpa till"],
    ),
    # Keeping the welders is staffing, not the welding standards.
    (STAIRS, "Hur behåller vi våra svetsare när vi växer?", ["kompetens"], ["EN 1090", "9606", "FPC"]),
]


@pytest.mark.parametrize(("profile", "question", "must", "must_not"), CASES)
def test_a_capacity_or_practical_question_is_answered_from_the_situation(
    profile: dict[str, Any], question: str, must: list[str], must_not: list[str], domain: dict[str, Any]
) -> None:
    assert_answers(domain, profile, question, must, must_not)


@pytest.mark.parametrize(
    ("question", "bought"),
    [
        ("Borde jag låta ett snickeri grovsvarva ämnena åt mig?", True),
        ("Kan vi låta en annan verkstad bocka plåten?", True),
        ("Ska vi låta en kund testa prototypen först?", False),
    ],
)
def test_letting_another_workshop_do_a_step_is_buying_it(question: str, bought: bool) -> None:
    assert bought_part(fold(question)) is bought


@pytest.mark.parametrize(
    ("question", "staffing"),
    [
        ("Hur behåller vi våra svetsare när vi växer?", True),
        ("Hur behåller vi kvaliteten när vi växer?", False),
    ],
)
def test_keeping_the_staff_is_a_staffing_question(question: str, staffing: bool) -> None:
    assert bool(STAFFING.search(fold(question))) is staffing
