"""Persona round 20b: a real word one letter from an answer word is no typo of it ("inledningsvis" is
not "inredning"), the factory people leave for is a workplace, not the product, and gas appliances get their
own CE regulation with a notified body instead of the general product safety line."""

from __future__ import annotations

import pytest
from test_advisor_issue10 import profile as new_product
from test_advisor_round19 import product, profile, rule_ids, values

from bot.advisor import recommend
from bot.kb import KnowledgeBase


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # p05: a medtech sensor became a piece of furniture through "inledningsvis" ~ "inredning".
        ("Vi har kliniska prototyper och räknar med ca 2000 st per år inledningsvis.", "furniture"),
        ("Inledningsvis säljer vi bara i Sverige", "furniture"),
        # p08: welders leave for the battery factory; the shop makes no batteries.
        ("svetsare och operatörer försvinner till batterifabriken", "battery"),
        ("folk går hellre till fabriken i grannkommunen som betalar mer", "battery"),
    ],
)
def test_a_word_that_only_looks_like_a_product_is_none(text: str, absent: str) -> None:
    assert absent not in product(text)


@pytest.mark.parametrize(
    ("text", "present"),
    [
        ("inredning till caféer", "furniture"),  # the word itself still counts
        ("inredningsdetaljer till butiker", "furniture"),
        ("vi gör batterier till truckar", "battery"),
        ("Vi säljer gasolkök för camping som görs i Kina", "gas_appliance"),
        ("en gasolgrill för balkonger", "gas_appliance"),
        ("terrassvärmare på gasol", "gas_appliance"),
    ],
)
def test_the_product_is_still_recognised(text: str, present: str) -> None:
    assert present in product(text)


def test_a_gas_appliance_gets_its_ce_regulation_and_no_gpsr_line(kb: KnowledgeBase) -> None:
    answers = profile(product_type=["gas_appliance", "food_contact"])
    ids = rule_ids(answers, kb)
    assert ids[0] == "gasapparater-gar" and "ce-markning" in ids
    assert "produktsakerhet-gpsr" not in ids  # "för produkter utan CE-krav" would be wrong
    assert "anmält organ" in recommend(answers, kb).as_text()


def test_a_food_contact_product_without_gas_keeps_gpsr(kb: KnowledgeBase) -> None:
    ids = rule_ids(profile(product_type=["mechanics", "food_contact"]), kb)
    assert "livsmedelskontaktmaterial" in ids and "produktsakerhet-gpsr" in ids


@pytest.mark.parametrize(
    ("text", "capital"),
    [
        # p06: "är" folds to "ar" like "år", and a year word next to an amount made it no capital.
        ("vi har ca 4-5 mille att investera om det är lönsamt", 4_500_000),
        ("budgeten är 2 miljoner", 2_000_000),
        ("det är typ 300 000 kr", 300_000),
    ],
)
def test_an_amount_beside_the_word_is_is_capital(text: str, capital: int) -> None:
    assert values(text, "capital").get("capital") == capital


@pytest.mark.parametrize(
    "text", ["5 miljoner om året i investeringar", "vi har 15 år i branschen", "vi har funnits i 20 år"]
)
def test_an_amount_per_year_or_years_in_business_is_no_capital(text: str) -> None:
    assert "capital" not in values(text, "capital")


@pytest.mark.parametrize(
    ("text", "answers", "ems"),
    [
        # Round 20 p01 / 20b p01: electronics leaving the prototype stage get an EMS pilot series and a
        # production test among the first steps.
        ("en mätare med eget kretskort som loggar temperatur i frysrum", {}, True),
        ("en styrenhet med kretskort för bevattning", {"stage": "pilot"}, True),
        # No electronics, or already in series production: no such step.
        ("en pall i massiv ek", {}, False),
        ("en mätare med eget kretskort som loggar temperatur i frysrum", {"stage": "production"}, False),
    ],
)
def test_electronics_from_prototype_get_an_ems_pilot_and_a_production_test(
    kb: KnowledgeBase, text: str, answers: dict[str, str], ems: bool
) -> None:
    steps = recommend(new_product(text, **answers), kb).next_steps
    first = " ".join(steps[:3])
    assert ("EMS" in first and "produktionstest" in first) is ems


@pytest.mark.parametrize(
    ("capital", "shown"),
    [(20000, True), (80000, True), (300000, False)],
)
def test_a_small_budget_at_the_idea_stage_gets_cheap_prototyping(
    kb: KnowledgeBase, capital: int, shown: bool
) -> None:
    """Round 20 p07: a student with 20 000 kr got no word on how far the money goes."""
    answers = new_product("en smart vattenflaska", stage="idea", company="none", capital=capital)
    result = recommend(answers, kb)
    assert result.category == "idea_stage"
    assert ("3D-utskrift" in " ".join(result.realism)) is shown


def test_bought_welding_gets_welding_quality_requirements(kb: KnowledgeBase) -> None:
    """Welded frames bought from a supplier abroad: the order sets the welding quality (ISO 3834, procedures,
    qualified welders), and the welding entry is among the rules (tuning set 1, welded frames to Poland)."""
    answers = new_product(
        "svetsade stativ i rostfritt till våra tvättmaskiner",
        situation="relocate",
        stage="production",
        current_location="sweden",
        capability="some",
        volume=1500,
        markets=["eu"],
        company="sme",
    )
    result = recommend(answers, kb)
    assert result.category in {"nearshore_europe", "swedish_contract", "hybrid"}
    assert "ISO 3834" in " ".join(result.next_steps)
    assert "svetsad-tillverkning-iso-3834" in [r.id for r in result.regulations]


def test_welding_in_the_own_workshop_is_not_a_bought_weld() -> None:
    assert "welded" not in product("vi har svetsat prototypen själva")


def test_a_vehicle_parts_welding_shop_reads_no_en_1090(kb: KnowledgeBase) -> None:
    """Welding standards for a shop making truck brackets, without the construction-products standard in the
    text (scenario set 13: EN 1090 is for load-bearing structures in buildings)."""
    result = recommend(
        {
            "situation": "capacity",
            "bottleneck": ["welding"],
            "capability": "full",
            "stage": "production",
            "product_type": ["mechanics", "vehicle"],
        },
        kb,
    )
    assert "svetsad-tillverkning-iso-3834" in [r.id for r in result.regulations]
    assert "EN 1090" not in result.as_text()
