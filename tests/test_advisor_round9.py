"""Faults of the eighth persona evaluation that round 9 fixes in the consultation: a product whose own rules
require CE marking is never told about "products without CE requirements", a company that already
assembles its product grows its own production, components bought abroad are not where the product is
made, reshoring's cost, and support that the user can apply for. Tested by behaviour: free-text answers
in, what the user would see out."""

from __future__ import annotations

from typing import Any

import pytest
from advisor_answers import answers

from bot.advisor import parse_answer, recommend
from bot.kb import KnowledgeBase


@pytest.fixture
def kb(shipped_kb: KnowledgeBase) -> KnowledgeBase:
    return shipped_kb


# --- 1. Battery packs: CE marking, never "GPSR för produkter utan CE-krav" --------------------------

VOLT = (
    "Tjena. Volt Cykel AB i Umeå, vi bygger om vanliga cyklar till elcyklar och vill börja tillverka egna "
    "batteripack, ca 1000 st om året. Köper celler och BMS från Kina och sätter ihop själva. Hur gör vi det "
    "här rätt?"
)
VOLT_ANSWERS = {
    "stage": "Prototyp",
    "capability": "Viss, t.ex. montering",
    "markets": "Sverige och Norden",
    "capital": "Kanske 1 mille",
    "time_to_market": "Inom ett år",
    "ip_sensitivity": "Något känslig",
    "priorities": "Kvalitet och kontroll, säkerheten är A och O",
}


def volt(**change: Any) -> dict[str, Any]:
    return {**answers(VOLT, **VOLT_ANSWERS), **change}


def test_a_metal_battery_pack_gets_no_rules_for_products_without_ce(kb: KnowledgeBase) -> None:
    profile = volt()
    assert {"mechanics", "battery_pack"} <= set(profile["product_type"])
    advice = recommend(profile, kb)
    ids = [r.id for r in advice.regulations]
    assert "produktsakerhet-gpsr" not in ids and "utan CE-krav" not in advice.as_text()
    assert "ce-markning" in ids and "CE-märkning" in advice.short_text()
    battery = next(r for r in advice.regulations if r.id == "batterier")
    assert any("ska alla batterier CE-märkas" in d.text for d in battery.details)


@pytest.mark.parametrize("product", [["mechanics"], ["wood"], ["plastics"]])
def test_a_consumer_product_without_ce_rules_still_gets_general_product_safety(
    product: list[str], kb: KnowledgeBase
) -> None:
    profile = {"situation": "new_product", "stage": "prototype", "product_type": product}
    assert "produktsakerhet-gpsr" in [r.id for r in recommend(profile, kb).regulations]


@pytest.mark.parametrize("other", ["machinery", "electronics", "toys", "battery"])
def test_a_product_with_its_own_ce_rules_gets_no_rules_for_products_without_ce(
    other: str, kb: KnowledgeBase
) -> None:
    profile = {"situation": "new_product", "stage": "prototype", "product_type": ["mechanics", other]}
    assert "produktsakerhet-gpsr" not in [r.id for r in recommend(profile, kb).regulations]


# --- 2. A company that already builds the packs grows its own production ----------------------------


def test_components_bought_abroad_are_not_where_the_product_is_made() -> None:
    assert "current_location" not in parse_answer(VOLT).values
    assert parse_answer("Vi tillverkar i Kina i dag").values["current_location"] == "asia"


def test_a_correction_of_where_it_is_made_replaces_the_answer() -> None:
    values = answers("Vi vill flytta hem tillverkningen från Kina", current_location="Nej, i Polen")
    assert values["current_location"] == "europe"


@pytest.mark.parametrize(
    "text",
    [
        "Köper celler och BMS från Kina och sätter ihop själva.",
        "Men obs, vi sätter ihop batterierna själva här i Umeå, det är bara cellerna som kommer från Kina.",
        "vi bygger packen själva",
    ],
)
def test_assembling_the_packs_yourself_is_own_manufacturing(text: str) -> None:
    values = parse_answer(text).values
    assert values.get("capability") == "some" and "current_location" not in values


def test_a_company_that_already_builds_its_battery_packs_keeps_assembly_and_buys_cells() -> None:
    # Round 29: cells, BMS and modules are bought, assembly, integration and test kept (the hybrid), not "all
    # in-house".
    advice = recommend(volt())
    assert advice.category == "hybrid"
    assert "legotillverkare" not in advice.short_text()
    assert not any("I Asien" in line for line in advice.answers)


def test_a_battery_pack_without_own_production_is_still_made_by_a_manufacturer() -> None:
    assert recommend(volt(capability="none")).category != "in_house"


# --- 3. Reshoring from Asia: the unit cost rises, DFM/DFA and automation bring it down ---------------

LJUSFORM = (
    "Hej! Vi är Ljusform AB i Halmstad, designlampor. Vi har tillverkat i Kina i 10 år, ca 20 000 lampor per "
    "år, men ledtiderna och fraktstrulet har blivit ohållbart och kunderna vill ha svensktillverkat. Vi "
    "funderar på att ta hem produktionen. Är det galet?"
)


def test_moving_home_from_asia_says_the_unit_cost_rises_and_what_brings_it_down() -> None:
    profile = answers(LJUSFORM, capital="ca 4 miljoner", markets="Sverige och Norden, lite Tyskland")
    assert profile["situation"] == "relocate" and profile["current_location"] == "asia"
    advice = recommend(profile)
    assert "styckpriset blir oftast högre" in advice.short_text()
    caveats = " ".join(advice.caveats)
    assert "styckkostnaden blir högre" in caveats and "DFM/DFA" in caveats and "automatiseras" in caveats


def test_staying_in_asia_gets_no_reshoring_cost_warning() -> None:
    profile = {"situation": "cost_leadtime", "current_location": "asia", "product_type": ["electronics"]}
    assert not any("DFM/DFA" in c for c in recommend(profile).caveats)


# --- 4. Lamps: ecodesign and energy labelling of light sources, besides the electrical rules ----------


@pytest.mark.parametrize("text", ["designlampor", "vi gör LED-armaturer", "utomhusbelysning"])
def test_lighting_gets_the_electrical_rules_and_ecodesign_for_light_sources(
    text: str, kb: KnowledgeBase
) -> None:
    profile = {"situation": "new_product", "stage": "prototype", **parse_answer(text).values}
    advice = recommend(profile, kb)
    ids = [r.id for r in advice.regulations]
    assert "elektrisk-utrustning-lvd-emc" in ids and "ekodesign-och-energimarkning" in ids
    details = " ".join(d.text for r in advice.regulations for d in r.details)
    assert "2019/2020" in details and "2019/2015" in details and "armatur" in details


def test_electronics_that_is_no_lamp_gets_no_ecodesign_for_light_sources(kb: KnowledgeBase) -> None:
    profile = {"situation": "new_product", "stage": "prototype", **parse_answer("en fuktsensor").values}
    assert "ekodesign-och-energimarkning" not in [r.id for r in recommend(profile, kb).regulations]


# --- 5. Free-text reading: a wish is no capability, a named bottleneck is kept, "några tusen" ----------

VETLANDA = (
    "Hej. Vetlanda Plåt & Lack, 60 anställda, plåtbearbetning och pulverlack. Vi får in mer order än vi "
    "klarar, men vi hittar inte svetsare och CNC-operatörer. Har fått tacka nej till två stora kunder i år. "
    "Vad gör vi?"
)


def test_welders_that_cannot_be_found_make_welding_a_bottleneck() -> None:
    assert {"welding", "machining"} <= set(parse_answer(VETLANDA).values["bottleneck"])


def test_a_bottleneck_named_in_another_answer_is_added_and_used_in_the_advice() -> None:
    opening = VETLANDA.replace("svetsare och ", "")
    values = answers(
        opening,
        shifts="Ett skift, ibland lite övertid. Men flaskhalsen är lika mycket svetsen.",
        recruitment="Sökt länge utan att hitta",
        workload="Blandat",
        capability="Ja, egen produktion",
        priorities="Korta ledtider, vi vill kunna säga ja till kunderna",
    )
    assert {"machining", "welding"} <= set(values["bottleneck"])
    advice = recommend(values)
    assert advice.category == "competence_supply"
    assert "svets" in " ".join(advice.next_steps).lower()


def test_a_process_word_without_talk_of_the_bottleneck_is_no_bottleneck() -> None:
    assert "bottleneck" not in parse_answer("Ett skift, vi svetsar mest", expected="shifts").values


@pytest.mark.parametrize(
    "text",
    [
        "Idag köper vi från en grossist men vill ha egen design och egen tillverkning.",
        "vi vill ha egen produktion",
    ],
)
def test_wanting_own_production_is_no_own_production(text: str) -> None:
    assert parse_answer(text).values.get("capability") != "full"


def test_having_own_design_and_production_is_own_production() -> None:
    assert parse_answer("vi har egen design och egen tillverkning").values["capability"] == "full"


def test_a_vague_quantity_is_a_rough_volume() -> None:
    assert parse_answer("kanske några tusen", expected="volume").values["volume"] == 3000


@pytest.mark.parametrize(
    ("text", "volume"),
    [("vet inte riktigt, om det blir bra kanske några tusen?", 3000), ("kanske 5000?", 5000)],
)
def test_a_hesitant_answer_with_a_question_mark_is_still_an_answer(text: str, volume: int) -> None:
    assert parse_answer(text, expected="volume").values["volume"] == volume


def test_a_question_back_is_no_answer() -> None:
    assert "volume" not in parse_answer("hur menar du, typ per år?", expected="volume").values


# --- 6. Support that fits: nothing only companies can apply for, to someone without a company --------

STUDENT = (
    "hej, jag pluggar maskinteknik på KTH och har en idé om ett smart cykellås som larmar till mobilen om "
    "nån bänder på det. har inget företag och typ inga pengar, men vill veta hur man ens får nåt sånt "
    "tillverkat"
)


SME_PROTOTYPE = {
    "situation": "new_product",
    "stage": "prototype",
    "company": "sme",
    "product_type": ["mechanics"],
}


def who_can_apply(kb: KnowledgeBase, entry_id: str) -> str:
    entry = kb.get(entry_id)
    assert entry is not None
    return " ".join(p.text for p in entry.passages if p.field == "who_can_apply")


@pytest.mark.parametrize("stage", ["idea", "prototype", "pilot"])
def test_someone_without_a_company_is_offered_nothing_only_companies_can_apply_for(
    stage: str, kb: KnowledgeBase
) -> None:
    profile = {**answers(STUDENT), "stage": stage}
    assert profile["company"] == "none"
    supports = recommend(profile, kb).supports
    assert supports
    for item in supports:
        text = who_can_apply(kb, item.id).lower()
        assert "företag" not in text.split() and "aktiebolag" not in text, item.id


def test_a_company_is_still_offered_support_for_companies(kb: KnowledgeBase) -> None:
    profile = {**SME_PROTOTYPE}
    assert "almi-innovationslan" in [s.id for s in recommend(profile, kb).supports]


def test_the_same_help_is_not_listed_twice_under_two_names(kb: KnowledgeBase) -> None:
    profile = {**SME_PROTOTYPE}
    ids = [s.id for s in recommend(profile, kb).supports]
    assert "testbadd-sverige" in ids and "rise" not in ids
    student = [s.id for s in recommend({**answers(STUDENT), "stage": "prototype"}, kb).supports]
    assert "rise" in student and "testbadd-sverige" not in student


# --- 4b. A machine's electrical safety is part of the machinery rules ---------------------------------


def test_an_electric_machine_is_told_its_electrical_safety_is_under_the_machinery_rules(
    kb: KnowledgeBase,
) -> None:
    product = parse_answer("en vedklyv med elmotor").values
    profile = {"situation": "new_product", "stage": "prototype", **product}
    assert {"machinery", "electronics"} <= set(profile["product_type"])
    rules = {r.id: " ".join(d.text for d in r.details) for r in recommend(profile, kb).regulations}
    assert "1.5.1" in rules["maskiner"] and "inte hänvisa till lågspänningsdirektivet" in rules["maskiner"]
    assert "EMC" in rules["elektrisk-utrustning-lvd-emc"]
    assert "märkspänning mellan 50 och 1000 V" not in rules["elektrisk-utrustning-lvd-emc"]


def test_electronics_that_is_no_machine_keeps_the_low_voltage_limits(kb: KnowledgeBase) -> None:
    profile = {"situation": "new_product", "stage": "prototype", "product_type": ["electronics"]}
    rules = {r.id: " ".join(d.text for d in r.details) for r in recommend(profile, kb).regulations}
    assert "märkspänning mellan 50 och 1000 V" in rules["elektrisk-utrustning-lvd-emc"]
