"""Faults found in the fourth persona evaluation of the consultation (docs/evaluations/
2026-11-26-advisor-personas-round4.md), each tested by behaviour: free answers that must keep the
dialogue going, product categories that decide the rules, what the reasons may claim, and next steps
that must fit the product."""

from __future__ import annotations

import pytest

from bot.actions.advice import doubtful, is_stop_text
from bot.advisor import parse_answer, recommend, slot_updates
from bot.kb import KnowledgeBase


@pytest.fixture(scope="module")
def kb(shipped_kb: KnowledgeBase) -> KnowledgeBase:
    return shipped_kb


# --- 1. Free answers never abort the consultation; markets and amounts are understood ----------------


@pytest.mark.parametrize(
    "text",
    ["avbryt", "jag vill sluta", "sluta fråga", "glöm det", "nu räcker det med frågor", "stopp", "Avsluta!"],
)
def test_an_explicit_stop_word_stops(text: str) -> None:
    assert is_stop_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "EU först, USA längre fram",
        "Norden först och sedan Tyskland",
        "Ingen brådska",
        "vi stoppar in en sensor i handtaget",  # "stoppar" is no "stopp"
        "först en nollserie, sen serie",
    ],
)
def test_an_answer_is_no_stop_whatever_the_nlu_says(text: str) -> None:
    assert not is_stop_text(text)


@pytest.mark.parametrize(
    ("text", "markets"),
    [
        ("EU först, USA längre fram", ["eu", "outside_eu"]),
        ("USA", ["outside_eu"]),
        ("vi ska sälja i USA via Amazon", ["outside_eu"]),
        ("Kanada och Sverige", ["canada", "sweden"]),
        ("hela världen", ["global"]),
        ("globalt", ["global"]),
    ],
)
def test_a_market_outside_europe_is_not_the_whole_world(text: str, markets: list[str]) -> None:
    assert sorted(parse_answer(text, expected="markets").values["markets"]) == sorted(markets)


def test_where_it_is_made_is_no_market() -> None:
    assert "markets" not in parse_answer("vi tillverkar i Kina idag").values


def test_outside_the_eu_brings_the_target_markets_rules(kb: KnowledgeBase) -> None:
    profile = {
        "stage": "prototype",
        "capability": "none",
        "product_type": ["medtech"],
        "markets": ["outside_eu"],
    }
    advice = recommend(profile, kb)
    assert "export-utanfor-eu" in {r.id for r in advice.regulations}


@pytest.mark.parametrize(
    ("text", "capital"),
    [
        ("kanske en halv mille om det betalar sig", 500_000),
        ("en halv mille", 500_000),
        ("vi kan investera 8-10 miljoner över ett par år om kalkylen håller", 9_000_000),
        ("8–10 miljoner", 9_000_000),
        ("ungefär 3 miljoner under tre år", 3_000_000),
        # Slang for a thousand kronor (round 5, p10).
        ("vi har 600 lax att satsa", 600_000),
        ("nej alltså 600 lax", 600_000),
        ("ca 50 lakan", 50_000),
        ("typ 200 papp", 200_000),
    ],
)
def test_everyday_amounts_are_understood(text: str, capital: int) -> None:
    assert parse_answer(text, expected="capital").values.get("capital") == capital


def test_years_still_keep_a_number_from_being_capital() -> None:
    assert "capital" not in parse_answer("vi har funnits i 5 år", expected="capital").values


def test_a_range_is_confirmed_even_as_a_short_answer() -> None:
    assert doubtful({"capital": 9_000_000}, "capital", "8–10 miljoner") == ["capital"]
    assert doubtful({"capital": 9_000_000}, "capital", "9 miljoner") == []


# --- 2. Product categories decide the rules, and the user can correct them ---------------------------


def _rule_ids(profile: dict, kb: KnowledgeBase) -> set[str]:
    return {r.id for r in recommend(profile, kb).regulations}


def test_a_unit_with_pumps_motors_and_a_400_volt_cabinet_is_a_machine(kb: KnowledgeBase) -> None:
    values = parse_answer("rostfria tankar med pumpar, motorer och ett elskåp på 400 V").values
    assert {"machinery", "electronics"} <= set(values["product_type"])
    rules = _rule_ids({"capability": "some", "volume": 50} | values, kb)
    assert {"maskiner", "elektrisk-utrustning-lvd-emc"} <= rules
    assert "produktsakerhet-gpsr" not in rules


def test_vehicle_and_trailer_parts_get_no_confident_no_ce_statement(kb: KnowledgeBase) -> None:
    values = parse_answer("en ram och dragstång till lantbrukssläp", expected="product_type").values
    assert "vehicle" in values["product_type"]
    profile = {"capability": "full", "volume": 200, "product_type": [*values["product_type"], "mechanics"]}
    advice = recommend(profile, kb)
    assert "produktsakerhet-gpsr" not in {r.id for r in advice.regulations}
    assert not any("utan CE-krav" in step for step in advice.first_steps)
    assert any("fordon" in c for c in advice.caveats)


@pytest.mark.parametrize(
    "text", ["jag menar att den är en maskin", "det är en maskin", "produkten är en maskin med elmotor"]
)
def test_the_product_type_can_be_corrected_in_free_text(text: str, kb: KnowledgeBase) -> None:
    before = {"capability": "some", "volume": 50, "product_type": ["mechanics"]}
    assert "produktsakerhet-gpsr" in _rule_ids(before, kb)
    after = before | slot_updates(before, parse_answer(text))
    assert "machinery" in after["product_type"]
    rules = _rule_ids(after, kb)
    assert "maskiner" in rules and "produktsakerhet-gpsr" not in rules


# --- 3. Reasons state only what the user said --------------------------------------------------------


def test_making_it_by_hand_in_the_kitchen_is_no_established_production(kb: KnowledgeBase) -> None:
    text = "jag blandar allt själv hemma i köket, fyller och etiketterar för hand"
    values = parse_answer(text, expected="capability").values
    assert values["capability"] == "manual"
    advice = recommend(
        {"situation": "scale_up", "product_type": ["cosmetics"], "volume": 24_000, "capital": 150_000}
        | values,
        kb,
    )
    said = " ".join([*advice.reasons, *advice.next_steps])
    assert "maskiner och personal" not in said and "egen produktion" not in said
    assert "legojobb" not in said
    assert "redan egen produktion" not in (advice.alternative_text or "")
    assert advice.category != "in_house"


def test_an_established_workshop_still_builds_on_its_own_production(kb: KnowledgeBase) -> None:
    values = parse_answer("vi har egen verkstad med CNC och svets", expected="capability").values
    assert values["capability"] == "full"
    advice = recommend(
        {"situation": "new_product", "stage": "prototype", "volume": 200, "company": "sme"} | values, kb
    )
    assert advice.category == "in_house"


# --- 4. Next steps fit the product, with the supplier requirements the rules name --------------------


def _steps(profile: dict) -> str:
    return " ".join(recommend(profile).next_steps)


@pytest.mark.parametrize(
    ("product", "assembled"),
    [(["food_contact", "mechanics"], False), (["plastics"], False), (["electronics"], True)],
)
def test_a_move_from_asia_starts_with_assembly_only_for_an_assembled_product(
    product: list, assembled: bool
) -> None:
    steps = _steps(
        {"situation": "relocate", "current_location": "asia", "volume": 80_000, "product_type": product}
    )
    assert ("slutmontering och variantbildning" in steps) == assembled
    assert "Flytta stegvis" in steps


def test_unmanned_running_is_not_only_for_pallet_changers() -> None:
    steps = _steps({"situation": "capacity", "bottleneck": "machining", "capability": "full"})
    assert "CNC-maskinerna" not in steps


@pytest.mark.parametrize(
    ("product", "requirement"), [(["cosmetics"], "ISO 22716"), (["medtech", "electronics"], "ISO 13485")]
)
def test_the_supplier_requirement_of_the_rules_is_a_next_step(product: list, requirement: str) -> None:
    profile = {"situation": "new_product", "stage": "prototype", "capability": "none", "volume": 1000}
    assert requirement in _steps(profile | {"product_type": product})
