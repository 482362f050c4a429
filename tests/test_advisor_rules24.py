"""Rule selection follows what the product is (issue #10, persona rounds 21/21b): a wood splitter, a process
skid, a robot cell, plastic food boxes, a climbing frame, boat batteries, a nerve stimulator and a snow shovel
for the US each bring the rules and the standard an expert names for them, from the regulation entries."""

from __future__ import annotations

from typing import Any

import pytest
from test_advisor_issue10 import profile
from test_advisor_round19 import product

from bot.advisor import recommend
from bot.kb import KnowledgeBase


@pytest.fixture
def kb(shipped_kb: KnowledgeBase) -> KnowledgeBase:
    return shipped_kb


def rules_text(kb: KnowledgeBase, text: str, **answers: Any) -> str:
    return recommend(profile(text, **answers), kb).regulations_part()


@pytest.mark.parametrize(
    ("text", "standard"),
    [
        ("vi har konstruerat en hydraulisk vedklyv för gårdar", "EN 609-1"),
        ("en stående kilklyv för brasved", "EN 609-1"),
        ("en robotcell med kobot för svetsning som vi säljer färdig", "ISO 10218"),
        ("kollaborativa robotar som plockar i lådor", "ISO 10218"),
        ("klätterställning i furu för vardagsrummet", "EN 71-8"),
        ("en gungställning för trädgården", "EN 71-8"),
    ],
)
def test_a_product_with_its_own_standard_gets_it(kb: KnowledgeBase, text: str, standard: str) -> None:
    assert standard in rules_text(kb, text)


@pytest.mark.parametrize(
    ("text", "standard"),
    [
        ("en lyftanordning med elmotor", "EN 609-1"),
        ("en hydraulisk lyftanordning", "ISO 10218"),
        ("en dockvagn i trä", "EN 71-8"),
    ],
)
def test_the_standard_stays_with_its_own_product(kb: KnowledgeBase, text: str, standard: str) -> None:
    assert standard not in rules_text(kb, text)


def test_a_robot_cell_builder_is_told_it_is_the_manufacturer(kb: KnowledgeBase) -> None:
    part = rules_text(kb, "vi bygger en robotcell runt en köpt industrirobot")
    assert "systemintegratören" in part and "försäkran för inbyggnad" in part


@pytest.mark.parametrize(
    "text",
    [
        "en processkid med pumpar, tankar och elskåp",
        "en doseringsskid för vattenrening",
        "skidmonterad reningsutrustning",
    ],
)
def test_a_skid_is_machinery(kb: KnowledgeBase, text: str) -> None:
    advice = recommend(profile(text), kb)
    assert "maskiner" in [r.id for r in advice.regulations]
    assert "produktsakerhet-gpsr" not in [r.id for r in advice.regulations]


def test_a_machine_with_an_electrical_cabinet_gets_en_60204_1(kb: KnowledgeBase) -> None:
    assert "EN 60204-1" in rules_text(kb, "en skid med pumpar och ett elskåp")
    assert "EN 60204-1" not in rules_text(kb, "en hydraulisk vinsch")


@pytest.mark.parametrize(
    "text",
    ["formsprutade matburkar i plast", "frysburkar av plast", "burkar i plast för att förvara mat i kylen"],
)
def test_plastic_food_boxes_get_the_plastics_regulation(kb: KnowledgeBase, text: str) -> None:
    part = rules_text(kb, text)
    assert "1935/2004" in part and "10/2011" in part and "Migrationsgränser" in part


def test_a_steel_food_box_gets_no_plastics_regulation(kb: KnowledgeBase) -> None:
    part = rules_text(kb, "matlådor i rostfritt stål")
    assert "1935/2004" in part and "10/2011" not in part


@pytest.mark.parametrize(
    "text",
    ["LiFePO4-batterier till fritidsbåtar", "vi bygger båtbatterier", "litiumbatterier till husbilar"],
)
def test_batteries_sold_as_products_get_the_categories_and_the_passport(kb: KnowledgeBase, text: str) -> None:
    advice = recommend(profile(text), kb)
    part = advice.regulations_part()
    assert advice.regulations[0].id == "batterier"
    assert "industribatteri" in part and "Batteripass" in part


@pytest.mark.parametrize("text", ["en TENS-apparat mot ryggsmärta", "en nervstimulator för smärtlindring"])
def test_a_nerve_stimulator_is_an_active_medical_device_under_rule_9(kb: KnowledgeBase, text: str) -> None:
    advice = recommend(profile(text), kb)
    ids = [r.id for r in advice.regulations]
    assert ids[0] == "medicinteknik-mdr" and "produktsakerhet-gpsr" not in ids
    assert "Regel 9" in advice.regulations_part() and "IIa" in advice.regulations_part()


def test_a_diagnostic_device_gets_no_rule_9(kb: KnowledgeBase) -> None:
    assert "Regel 9" not in rules_text(kb, "en blodtrycksmätare med bluetooth")


@pytest.mark.parametrize("text", ["en snöskyffel i aluminium", "en trämöbel", "en ryggsäck i textil"])
def test_us_consumer_goods_without_electricity_get_cpsc_and_prop_65(kb: KnowledgeBase, text: str) -> None:
    part = rules_text(kb, text, markets=["outside_eu"])
    assert "CPSC" in part and "Proposition 65" in part


def test_parts_sold_only_to_companies_in_the_us_get_no_consumer_rules(kb: KnowledgeBase) -> None:
    part = rules_text(kb, "en snöskyffel i aluminium, bara till företag", markets=["outside_eu"])
    assert "CPSC" not in part


@pytest.mark.parametrize(
    ("text", "food"),
    [
        ("lådor i plast för att förvara mat i frysen", False),
        ("skålar för mat till hundar", False),
        ("vi gör färdig mat till skolor", True),
    ],
)
def test_food_that_a_container_holds_is_no_food_product(text: str, food: bool) -> None:
    assert ("food" in product(text)) is food
