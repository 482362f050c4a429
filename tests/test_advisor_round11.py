"""Faults of the eleventh persona evaluation in the consultation's advice: the user's own words steered it
wrong (a sensor for pumps read as a machine, the hoped-for volume instead of the first year's), and "Att
tänka på" was thin where the risk is (own battery-pack assembly, a workshop turning product owner, a
consumer design made far away, medtech). The free-text table is in test_advisor_parse_round11.py. Tested
by behaviour: answers in, what the user would see out."""

from __future__ import annotations

from typing import Any

import pytest
from advisor_answers import answers

from bot.actions.advice import doubtful, understood
from bot.advisor import parse_answer, recommend
from bot.kb import KnowledgeBase

SENSOR_OPENING = (
    "Hej! Vi är tre grundare i Umeå som byggt en vibrationssensor för pumpar, BLE + LoRa, batteridriven. "
    "Har ca 15 prototyper. Hur går vi vidare till riktig tillverkning?"
)
FIRST_YEAR = "Första året kanske 500 st, sen hoppas vi på runt 5000 om två-tre år"
NEW_SENSOR: dict[str, Any] = {
    "situation": "new_product",
    "stage": "prototype",
    "product_type": ["electronics", "radio", "battery"],
    "capability": "none",
    "markets": ["nordics", "eu"],
    "company": "startup",
    "capital": 2_000_000,
    "time_to_market": "normal",
    "ip_sensitivity": "medium",
    "priorities": ["control", "flexibility"],
}


def rule_titles(profile: dict[str, Any], kb: KnowledgeBase) -> str:
    return " ".join(r.title for r in recommend(profile, kb).regulations)


def caveats(profile: dict[str, Any]) -> str:
    return " ".join(recommend(profile).caveats)


# --- The user's words ---------------------------------------------------------------------------------


def test_a_sensor_for_pumps_gets_the_radio_rules_not_the_machinery_rules(shipped_kb: KnowledgeBase) -> None:
    values = answers(SENSOR_OPENING)
    titles = rule_titles({**NEW_SENSOR, **values, "volume": 500}, shipped_kb)
    assert "radioutrustningsdirektivet" in titles.lower()
    assert "maskin" not in titles.lower()
    # A machine that drives pumps is still one: the rule is about what the product is for, not the word.
    assert "machinery" in answers("vi bygger ett pumpaggregat med motorer och styrskåp")["product_type"]


@pytest.mark.parametrize(
    ("stage", "situation", "chosen_for", "states_both"),
    [
        ("prototype", "new_product", 500, True),  # the path fits the first year, the target is the horizon
        ("idea", "new_product", 500, True),
        # Already made and to be made by someone else: today's volume decides, "maybe later" is the horizon
        # (adv16's report: "900 nu, kanske 4000" was decided at 4 000).
        ("production", "new_product", 500, True),
        ("production", "scale_up", 5000, False),  # scaling up: the plan is what the advice is for
    ],
)
def test_the_first_year_volume_chooses_the_path_for_a_new_product(
    stage: str, situation: str, chosen_for: int, states_both: bool
) -> None:
    values = {**NEW_SENSOR, "stage": stage, "situation": situation, **answers("", volume=FIRST_YEAR)}
    assert (values["volume"], values["current_volume"]) == (5000, 500)
    advice = recommend(values)
    alone = recommend({**NEW_SENSOR, "stage": stage, "situation": situation, "volume": chosen_for})
    assert advice.category == alone.category
    text = " ".join(advice.reasons + advice.answers)
    assert ("500 enheter per år till att börja med och målet cirka 5 000 enheter" in text) is states_both


def test_a_path_for_the_first_year_says_how_to_reach_the_target() -> None:
    values = {**NEW_SENSOR, **answers("", volume=FIRST_YEAR)}
    assert "prototypverktyg" in caveats(values)
    assert "prototypverktyg" not in caveats({**NEW_SENSOR, "volume": 5000})


def test_the_confirmation_of_a_first_year_and_a_target_names_both() -> None:
    filled = {**NEW_SENSOR, **answers("", volume=FIRST_YEAR)}
    assert doubtful({"volume": 5000, "current_volume": 500}, "volume", FIRST_YEAR) == ["volume"]
    assert (
        understood(["volume"], filled)
        == "cirka 500 enheter per år till att börja med och målet cirka 5 000 enheter per år"
    )


def test_cells_from_china_leave_the_pack_made_here_and_get_the_pack_rules() -> None:
    values = answers(
        "Vi säljer konverteringskit till lastcyklar, motor, styrenhet och ett eget batteripack som vi bygger "
        "själva av kinesiska 18650-celler. Ca 2000 kit per år."
    )
    assert "current_location" not in values
    assert "battery_pack" in values["product_type"]


# --- Caveats where the risk is ------------------------------------------------------------------------

PACK_ASSEMBLY: dict[str, Any] = {
    "situation": "scale_up",
    "product_type": ["battery_pack", "light_vehicle", "electronics"],
    "capability": "some",
    "volume": 2000,
    "markets": ["nordics", "eu"],
    "capital": 2_000_000,
    "ip_sensitivity": "medium",
    "priorities": ["quality"],
}
# A job shop's own product, in its own words (p02).
WORKSHOP_PRODUCT = answers(
    "Vi är en verkstad i Värnamo, 28 anställda, kör CNC, svets och laser åt andra. Nu vill vi ta fram en "
    "egen produkt – en snöplog till kompakttraktorer, typ 200 st om året.",
    situation="Få en ny produkt tillverkad",
    stage="Vi har svetsat ihop en prototyp som vi testat i vintras",
    markets="Sverige och Norge",
    capital="vi kan lägga kanske 800 tusen på det",
    ip_sensitivity="Inte känslig",
    priorities="kvalitet och kostnad",
)
CONSUMER_MUG: dict[str, Any] = {
    "situation": "new_product",
    "stage": "prototype",
    "product_type": ["food_contact", "mechanics", "consumer"],
    "capability": "none",
    "volume": 30000,
    "markets": ["outside_eu"],
    "company": "startup",
    "capital": 800_000,
    "ip_sensitivity": "low",
    "priorities": ["cost"],
}


@pytest.mark.parametrize(
    ("profile", "words", "without"),
    [
        (
            PACK_ASSEMBLY,
            ("ingångskontroll", "spårbarhet", "prova varje pack", "brand"),
            {"capability": "none"},
        ),
        (
            WORKSHOP_PRODUCT,
            ("tillverkare i lagens mening", "produktansvar", "återförsäljare"),
            {"capability": "none"},
        ),
        (CONSUMER_MUG, ("designskydd",), {"product_type": ["food_contact", "mechanics"]}),
        (
            {**NEW_SENSOR, "product_type": ["medtech", "software"]},
            ("medicinteknik och MDR",),
            {"product_type": []},
        ),
    ],
    ids=["own-pack-assembly", "workshop-own-product", "consumer-design-far-away", "medtech"],
)
def test_caveats_where_the_risk_is(
    profile: dict[str, Any], words: tuple[str, ...], without: dict[str, Any]
) -> None:
    """Each caveat is there in its situation, and not when the situation is different."""
    advice = recommend(profile)
    text = " ".join(advice.caveats)
    assert all(w in text for w in words), (advice.category, text)
    assert words[0] not in caveats({**profile, **without})


def test_the_consumer_design_caveat_comes_with_a_path_far_away() -> None:
    assert recommend(CONSUMER_MUG).category in {"asia_contract", "nearshore_europe"}


def test_a_first_order_is_no_pilot_series() -> None:
    result = parse_answer("Vi vill sälja på Amazon i USA. Första batchen typ 10 000 st.")
    assert result.values.get("stage") is None
    assert result.values.get("volume") == 10000
