"""The rules map follows what the product is (issue #10 point 4, persona rounds 23b, 24 and 24b): an e-bike
is a machine, a workshop's lathe is no product, wood-dust extraction brings ATEX, consumer products with CE
rules keep GPSR, outdoor furniture gets no indoor furniture standards, and the missing standards are named
from the entries."""

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


def rules(kb: KnowledgeBase, text: str, **answers: Any) -> list[str]:
    return [r.id for r in recommend(profile(text, **answers), kb).regulations]


def rules_text(kb: KnowledgeBase, text: str, **answers: Any) -> str:
    return recommend(profile(text, **answers), kb).regulations_part()


# --- An electrically assisted bicycle is a machine (EN 15194), not "GPSR" or LVD first --------------------
@pytest.mark.parametrize(
    "text",
    [
        "en lådcykel med elassist och 48 volts batteri för barnfamiljer",
        "vi har byggt en elcykel med tramphjälp på 36 V",
        "pedelecs för pendlare",
    ],
)
def test_an_e_bike_is_led_by_the_machinery_rules_with_en_15194(kb: KnowledgeBase, text: str) -> None:
    advice = recommend(profile(text), kb)
    ids = [r.id for r in advice.regulations]
    assert ids[0] == "maskiner" and advice.regulations[0].lead
    assert "produktsakerhet-gpsr" not in ids
    part = advice.regulations_part()
    assert "EN 15194" in part and "märkspänning mellan 50 och 1000 V" not in part
    # An e-bike has no control cabinet of its own.
    assert "EN 60204-1" not in part


def test_an_e_cargo_bike_gets_the_cargo_bike_standard(kb: KnowledgeBase) -> None:
    assert "EN 17860" in rules_text(kb, "en ellastcykel med tre hjul")
    assert "EN 17860" not in rules_text(kb, "en elcykel för pendling")


def test_an_electric_scooter_is_no_e_bike(kb: KnowledgeBase) -> None:
    assert "epac" not in product("en elsparkcykel för uthyrning")


# --- Shop equipment in the story is no product; what the company makes is -----------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "jag svarvar träleksaker för småbarn i min verkstad med svarv och bandsåg",
        "vi har en verkstad med bandsåg, kapsåg och cnc och gör skärbrädor i ek",
        "vårt snickeri med en maskinpark med bandsåg och bordssåg gör barnmöbler",
        "jag har en verkstad med svarv, fräs och bandsåg och gör smörknivar",
    ],
)
def test_the_workshops_machines_are_not_the_product(text: str) -> None:
    assert "machinery" not in product(text)


@pytest.mark.parametrize(
    "text",
    [
        "en verkstad med svets och kantpress som gör vedklyvar",
        "vi har en verkstad med bandsåg där vi bygger vedklyvar",
        "vi är en verkstad som tillverkar vedklyvar",
        "vi tillverkar hydrauliska lyftbord, vedklyvar och kapsågar",
    ],
)
def test_a_workshop_that_makes_machines_makes_machines(text: str) -> None:
    assert {"log_splitter", "machinery"} <= set(product(text))


# --- Dust extraction for wood brings ATEX; a machine with controls gets ISO 13849 -------------------------
@pytest.mark.parametrize(
    "text", ["vi bygger spånsugar till snickerier", "ett utsug för trädamm till sågverk"]
)
def test_wood_dust_extraction_gets_atex_without_being_asked(kb: KnowledgeBase, text: str) -> None:
    ids = rules(kb, text)
    assert ids[0] == "maskiner" and "atex-utrustning" in ids
    assert "Trädamm:" in rules_text(kb, text)


def test_extraction_built_into_the_customers_line_gets_the_declaration_of_incorporation(
    kb: KnowledgeBase,
) -> None:
    text = "vi gör spånsugar med fläktar och filter. Oftast byggs de in i kundens linje."
    assert "built_in" in product(text)
    assert "försäkran för inbyggnad" in rules_text(kb, text)


def test_a_metal_dust_separator_is_no_wood_dust_equipment(kb: KnowledgeBase) -> None:
    assert "Trädamm:" not in rules_text(kb, "en dammavskiljare för slipdamm från stål")


def test_a_machine_with_controls_gets_the_safety_control_standard(kb: KnowledgeBase) -> None:
    assert "EN ISO 13849-1" in rules_text(kb, "en förpackningsmaskin med elskåp och PLC")
    assert "EN ISO 13849-1" not in rules_text(kb, "en gjutjärnsgryta")


# --- Consumer products with CE rules keep GPSR beside them --------------------------------------------------
def test_a_consumer_radio_product_gets_gpsr_beside_red(kb: KnowledgeBase) -> None:
    ids = rules(kb, "en bluetooth-högtalare som säljs till konsumenter på nätet")
    assert ids[0] == "radioutrustning-red"
    assert "gpsr-vid-sidan-av-ce" in ids and "produktsakerhet-gpsr" not in ids


def test_equipment_sold_only_to_companies_gets_no_gpsr(kb: KnowledgeBase) -> None:
    ids = rules(kb, "en elcykel för budfirmor, bara till företag")
    assert "gpsr-vid-sidan-av-ce" not in ids and "produktsakerhet-gpsr" not in ids


# --- Outdoor furniture gets no indoor furniture standards --------------------------------------------------
@pytest.mark.parametrize(
    "text", ["parkbänkar i varmförzinkat stål", "utemöbler i galvaniserat stål till kommuner"]
)
def test_outdoor_furniture_gets_no_indoor_furniture_standards(kb: KnowledgeBase, text: str) -> None:
    part = rules_text(kb, text)
    assert "EN 16139" not in part and "EN 1021-1" not in part


def test_indoor_chairs_still_get_the_furniture_standards(kb: KnowledgeBase) -> None:
    assert "EN 16139" in rules_text(kb, "en stapelbar stol till skolor")


# --- Missing standards and rules named from the entries -----------------------------------------------------
def test_toys_get_flammability_and_the_new_toy_regulation(kb: KnowledgeBase) -> None:
    part = rules_text(kb, "leksaker i trä för barn under tre år")
    assert "EN 71-2" in part and "2025/2509" in part


def test_an_electrical_medical_device_gets_the_emc_and_home_use_standards(kb: KnowledgeBase) -> None:
    part = rules_text(kb, "en TENS-apparat som patienten använder hemma")
    assert "IEC 60601-1-2" in part and "IEC 60601-1-11" in part


def test_cosmetics_get_the_claims_regulation(kb: KnowledgeBase) -> None:
    assert "655/2013" in rules_text(kb, "en handkräm")


def test_a_battery_pack_for_e_bike_makers_is_no_e_bike() -> None:
    text = "vi renoverar elcykelbatterier och vill bygga egna batteripack till elcykeltillverkare"
    assert "epac" not in product(text) and "machinery" not in product(text)
