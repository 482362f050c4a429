"""Follow-ups after a recommendation get an answer to what they ask, with the real actions over the shipped
knowledge base: the situations of persona rounds 20 and 20b (docs/evaluations/
2026-11-27-advisor-personas-round20.md and ...round20b.md, "Viktigaste felen" point 1), in our own words."""

from __future__ import annotations

from typing import Any

import pytest
from test_followup_limits import reply
from test_followup_round16 import assert_answers, follow_up

from bot.actions.advice import ActionUpdateAdvisor
from bot.actions.followup import bought_part
from bot.actions.newfacts import read_statements
from bot.swedish import fold

# A one-person maker of a lamp with a turned wooden foot, for a distributor abroad (p03).
LAMP = {
    "situation": "scale_up",
    "product_type": ["electronics", "lighting", "wood"],
    "capability": "manual",
    "current_location": "sweden",
    "volume": 2000,
    "markets": ["outside_eu"],
    "company": "micro",
    "capital": 300_000,
    "ip_sensitivity": "low",
    "priorities": ["cost"],
}
# A small joinery with a chair of its own (p10).
CHAIRS = {
    "situation": "scale_up",
    "product_type": ["furniture", "wood"],
    "capability": "full",
    "current_location": "sweden",
    "volume": 1500,
    "markets": ["eu"],
    "company": "micro",
    "capital": 1_500_000,
    "ip_sensitivity": "medium",
    "priorities": ["quality"],
}
# A sheet-metal shop short of welders (20b, p08).
WELDING = {
    "situation": "capacity",
    "bottleneck": ["welding"],
    "shifts": "one",
    "recruitment": "failed",
    "workload": "mixed",
    "capability": "full",
    "company": "sme",
    "markets": ["sweden"],
    "capital": 2_000_000,
    "priorities": ["lead_time"],
}
# A maker of machines built to each customer's measures, short of capacity.
MACHINES = {
    "situation": "capacity",
    "bottleneck": ["assembly"],
    "shifts": "one",
    "recruitment": "not_tried",
    "workload": "one_off",
    "product_type": ["machinery"],
    "stage": "production",
    "capability": "full",
    "current_location": "sweden",
    "volume": 300,
    "variants": "very_many",
    "markets": ["sweden", "nordics"],
    "company": "sme",
    "capital": 2_000_000,
    "ip_sensitivity": "low",
    "priorities": ["lead_time"],
}

CASES = [
    # p03: one step bought from a workshop nearby is make or buy for that step, not food-contact rules.
    (
        LAMP,
        "Vore det smartare att köpa färdigsvarvade fötter? Eller lägga ut slipningen på en träfirma?",
        ["kritiska stegen internt", "make or buy|total kostnad|Köp resten"],
        ["FDA", "livsmedel"],
    ),
    # p10: whether own staff make the volume: own capacity against buying parts, not furniture testing.
    (
        CHAIRS,
        "Klarar vi av 2 000 bord per år med sex snickare, eller ska vi köpa in komponenter?",
        ["(kritiska stegen internt|Köp resten)"],
        ["EN 16139", "Möbelfakta"],
    ),
    (
        CHAIRS,
        "Hinner 5 personer med 900 skåp om året?",
        ["(kritiska stegen internt|Köp resten)"],
        ["Möbelfakta"],
    ),
    # 20b p08: keeping staff is staffing, not the welding standard.
    (
        WELDING,
        "Vad gör vi för att inte tappa fler av svetsarna till andra firmor?",
        ["kompetens"],
        ["EN 1090", "FPC"],
    ),
    # 20b p03: the abbreviation the question names is the paragraph of the own rules that leads with it.
    (
        LAMP,
        "Måste lampan ha UL för att få säljas i amerikanska butiker?",
        ["UL-listning", "(frivillig|ingen federal lag)"],
        [],
    ),
]


@pytest.mark.parametrize(("profile", "question", "must", "must_not"), CASES)
def test_a_free_question_gets_an_answer_to_what_it_asks(
    profile: dict[str, Any], question: str, must: list[str], must_not: list[str], domain: dict[str, Any]
) -> None:
    assert_answers(domain, profile, question, must, must_not)


@pytest.mark.parametrize(
    ("statement", "bottleneck"),
    [
        ("Det är inte svetsare vi saknar, det som tar tid är lackeringen.", ["finishing"]),
        ("Flaskhalsen är konstruktionen av varje maskin.", ["engineering"]),
        ("Det vi saknar är folk till svetsningen.", ["welding"]),
        ("Det är inte montörer vi saknar.", None),
    ],
)
def test_a_statement_of_what_takes_the_time_names_the_bottleneck(
    statement: str, bottleneck: list[str] | None
) -> None:
    assert read_statements(statement, MACHINES).answers.get("bottleneck") == bottleneck


def test_a_new_bottleneck_is_told_as_an_update(domain: dict[str, Any]) -> None:
    text = reply(
        ActionUpdateAdvisor(),
        follow_up(
            "Monteringen går bra. Det som tar längst tid är konstruktionen av varje maskin.",
            "inform",
            MACHINES,
        ),
        domain,
    )
    assert "konstruktion" in text.lower()
    assert "blir desamma" not in text


@pytest.mark.parametrize(
    ("question", "bought"),
    [
        ("Kan vi köpa in sitsarna färdiga från en stolsfabrik?", True),
        ("Ska vi lägga ut lackeringen på en firma i grannkommunen?", True),
        ("Räcker vi till 3 000 lådor om året med fyra anställda?", True),
        ("Klarar vi 3 000 lådor om året med fyra anställda?", True),
        # A step moved to a place is a path proposed, weighed as one.
        ("Borde vi inte lägga ut lackeringen till Estland i stället?", False),
        ("Klarar produkten minus 30 grader?", False),
    ],
)
def test_a_question_about_buying_a_step_or_own_capacity(question: str, bought: bool) -> None:
    assert bought_part(fold(question)) is bought
