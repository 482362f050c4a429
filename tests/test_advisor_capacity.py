"""Issue #10: own production is weighed against the scale step and the team size, the runner-up is a real
alternative, and small-scale own production is not dismissed on capital alone (rules.yml, `scale_step`)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.advisor import recommend
from bot.advisor.checks import check_condition
from bot.advisor.data import load_questions
from bot.advisor.engine import weigh
from bot.advisor.parsing.parse import parse_answer
from bot.advisor.profile import to_profile

# Two partners who weld grills in their own premises, tenfold growth for a retail chain.
GRILLS = {
    "situation": "scale_up",
    "stage": "production",
    "product_type": ["mechanics"],
    "capability": "full",
    "current_location": "sweden",
    "volume": 1200,
    "current_volume": 120,
    "company": "micro",
    "capital": 500_000,
    "markets": ["sweden"],
    "ip_sensitivity": "low",
    "priorities": ["control"],
}
# A woodturner alone, by hand, from 150 to 1 500 a year.
TURNER = {
    "situation": "scale_up",
    "stage": "production",
    "product_type": ["wood"],
    "capability": "manual",
    "current_location": "sweden",
    "volume": 1500,
    "current_volume": 150,
    "capital": 200_000,
    "markets": ["sweden", "nordics"],
    "ip_sensitivity": "low",
    "priorities": ["control"],
}
# An established workshop of 28 growing by a third.
WORKSHOP = {**GRILLS, "company": "small", "volume": 800, "current_volume": 600, "capital": 2_000_000}


def test_the_scale_step_is_the_plan_over_today() -> None:
    questions = load_questions()
    assert to_profile(GRILLS, questions).values["scale_step"] == ("large",)
    assert "scale_step" not in to_profile(WORKSHOP, questions).values
    assert "scale_step" not in to_profile({**GRILLS, "current_volume": None}, questions).values


def test_a_large_step_for_a_small_team_keeps_the_critical_steps_and_buys_the_rest() -> None:
    advice = recommend(GRILLS)
    assert advice.category == "hybrid"
    assert "stort skalsteg" in advice.reasons[0]
    assert "underleverantör" in advice.next_steps[0]
    # The workshop already has its own production: "build on it" is no alternative beside the hybrid.
    assert advice.alternative != "Bygg vidare på er egen produktion"


def test_a_moderate_step_for_an_established_workshop_stays_in_house_without_a_warning() -> None:
    advice = recommend(WORKSHOP)
    assert advice.category == "in_house"
    assert not any("skalsteg" in text for text in (*advice.reasons, *advice.caveats))


def test_a_large_step_in_house_says_what_capacity_it_takes() -> None:
    advice = recommend({**WORKSHOP, "volume": 4000, "current_volume": 400, "capital": 5_000_000})
    assert advice.category == "in_house"
    assert any("stort skalsteg" in c and "maskintid" in c for c in advice.caveats)


def test_a_large_step_by_hand_buys_blanks_and_keeps_the_finish() -> None:
    advice = recommend(TURNER)
    assert advice.category == "hybrid"
    assert "underleverantör" in advice.reasons[0]
    assert advice.alternative != "Kontraktstillverkning i Asien – styrd på totalkostnad och kvalitet"


def test_asia_is_no_runner_up_for_a_craft_product_made_by_hand() -> None:
    # Round 20, p03 in our words: an oak lamp made alone, tenfold, cost first for a distributor abroad.
    lamp: dict[str, Any] = {**TURNER, "product_type": ["electronics", "lighting", "wood"], "volume": 2000}
    lamp.update(current_volume=200, markets=["outside_eu"], priorities=["cost"], company="micro")
    advice = recommend(lamp)
    scores = dict(advice.scores)
    others = sorted((c for c in scores if c != advice.category), key=lambda c: -scores[c])
    assert others[0] == "asia_contract"  # on points alone it would be the runner-up
    assert advice.category == "hybrid"
    assert advice.alternative == "Lägg tillverkningen hos en svensk legotillverkare"


def test_small_volume_own_making_is_not_dismissed_on_capital_alone() -> None:
    # "Varför inte själv?": a simple set-up fits the volume, weighed against a minimum order.
    small = {**TURNER, "volume": 800, "current_volume": 300, "capital": 80_000}
    against = " ".join(weigh(small, "in_house").against)
    assert "räcker inte till maskiner, lokaler och personal" not in against
    assert "enkel egen uppställning" in against and "minsta order" in against


def test_a_small_cosmetics_maker_hears_of_the_minimum_order() -> None:
    advice = recommend(
        {
            "situation": "scale_up",
            "stage": "production",
            "product_type": ["cosmetics"],
            "capability": "full",
            "volume": 2500,
            "current_volume": 1000,
            "capital": 120_000,
            "markets": ["sweden"],
        }
    )
    assert any("minsta order" in r and "enkel lokal" in r for r in advice.reasons)


@pytest.mark.parametrize(("value", "ok"), [("large", True), ("huge", False)])
def test_scale_step_values_are_checked(value: str, ok: bool) -> None:
    problems = check_condition(("scoring", 0, "when"), {"scale_step": value}, load_questions(), None)
    assert (problems == []) is ok


@pytest.mark.parametrize(
    ("text", "today", "plan"),
    [
        # A hedge between "i år" and the number does not hide that it is today's figure.
        ("I år blir det kanske 150 stycken, men en kedja vill ha 1500 om året.", 150, 1500),
        ("i dag ungefär 300, målet 2000", 300, 2000),
    ],
)
def test_todays_volume_is_read_past_a_hedge(text: str, today: int, plan: int) -> None:
    values = parse_answer(text).values
    assert (values.get("current_volume"), values.get("volume")) == (today, plan)


@pytest.mark.parametrize(
    ("text", "value"),
    [("jag svarvar, slipar och oljar allt själv för hand", "manual"), ("för hand", "none")],
)
def test_a_lone_maker_by_hand_is_small_scale_own_making(text: str, value: str) -> None:
    assert parse_answer(text, "capability").values == {"capability": value}


@pytest.mark.parametrize("text", ["Jag driver en enmansfirma", "Vi är två delägare som svetsar grillar"])
def test_a_team_of_a_few_is_a_micro_enterprise(text: str) -> None:
    assert parse_answer(text).values.get("company") == "micro"


def test_a_customer_who_wants_more_makes_the_smaller_figure_todays() -> None:
    values = parse_answer("Vi svarvar runt 200 skålar om året. En kedja i Norge vill ha 1800 om året.").values
    assert (values.get("current_volume"), values.get("volume")) == (200, 1800)


def test_a_maker_who_wants_to_hand_it_over_gets_no_scale_step_hybrid() -> None:
    # The step counts for growing oneself; who wants a joinery abroad to take it over has chosen already.
    moving = {**TURNER, "situation": "relocate", "volume": 5000, "current_volume": 600}
    advice = recommend(moving)
    assert not any("skalsteg" in text for text in (*advice.reasons, *advice.next_steps))
    # A caveat to build up the volume in stages at the new maker still fits a move (branch adv23).
    assert advice.category != "hybrid"
