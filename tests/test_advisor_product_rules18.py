"""Persona rounds 18 and 18b: the product is recognised right and only the rules that apply are shown, and
engineer-to-order equipment gets its own advice. Free text or profiles in, what the user would see out."""

from __future__ import annotations

from typing import Any

import pytest
from test_advisor_issue10 import profile

from bot.advisor import parse_answer, recommend
from bot.kb import KnowledgeBase


@pytest.fixture
def kb(shipped_kb: KnowledgeBase) -> KnowledgeBase:
    return shipped_kb


def product(text: str) -> set[str]:
    return set(parse_answer(text).values.get("product_type", ()))


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        # 18b p05: a sterile single-use fixation for peripheral venous catheters.
        ("en steril engångsfixering för perifera venkatetrar (PVK)", {"medtech", "sterile"}, set()),
        ("en steril engångsklämma för navelsträngen", {"medtech", "sterile"}, set()),
        # 18b p01: a smart device is connected; a termostat is no vacuum flask.
        ("en smart termostat för elementen i stugan", {"radio"}, {"food_contact"}),
        ("en termos i rostfritt stål", {"food_contact"}, set()),
        # 18b p07: silicone folded flat is no sheet metal; a platform is no metal product either.
        ("en matlåda i silikon som viks ihop platt", {"plastics"}, {"mechanics"}),
        ("vi bygger en modulär plattform", set(), {"mechanics"}),
        ("konsoler i plåt", {"mechanics"}, set()),
        # 18b p10: a machine the company buys for its own workshop is not the product.
        ("Vi funderar på en halvautomatisk punktsvets och en bättre testrigg.", set(), {"machinery"}),
        ("vi funderar på att köpa en halvautomatisk svets", set(), {"machinery"}),
        ("vi bygger halvautomatiska maskiner för förpackning", {"machinery"}, set()),
        # 18 p08: parts for a truck maker are vehicle parts.
        ("vi gör hyttkomponenter åt lastbilsindustrin", {"vehicle"}, set()),
        # 18b p06 and 18 p04: grill grates and equipment for the food industry touch food.
        ("vi säljer grillar och eldkorgar i stål", {"food_contact", "mechanics"}, set()),
        ("blandningsanläggningar till livsmedels- och kemiindustrin", {"food_contact", "machinery"}, set()),
        # An industrial customer says the product is sold to businesses only.
        ("vi gör provbänkar åt verkstadsindustrin", {"business_only"}, set()),
        ("provbänkar med hydraulik och motor", {"machinery"}, set()),
    ],
)
def test_the_product_is_recognised(text: str, present: set[str], absent: set[str]) -> None:
    found = product(text)
    assert present <= found, found
    assert not absent & found, found


@pytest.mark.parametrize(
    ("text", "volume"),
    [("ett tiotal om året", 10), ("ett tjugotal maskiner per år", 20), ("ett hundratal per år", 100)],
)
def test_about_so_many_is_that_many_not_one(text: str, volume: int) -> None:
    assert parse_answer(text).values["volume"] == volume


def advice(kb: KnowledgeBase, **answers: Any) -> Any:
    """The recommendation for a new product at prototype stage with these answers."""
    return recommend(profile("", **answers), kb)


def details(result: Any, entry: str) -> str:
    return " ".join(d.text for r in result.regulations if r.id == entry for d in r.details)


def test_a_non_active_sterile_device_gets_sterilisation_not_electrical_standards(kb: KnowledgeBase) -> None:
    result = advice(kb, product_type=["medtech", "sterile", "plastics"])
    ids = [r.id for r in result.regulations]
    assert "medicinteknik-standarder" not in ids
    text = details(result, "medicinteknik-riskhantering-och-sterilisering")
    assert "ISO 11135" in text and "ISO 14971" in text
    assert "60601" not in result.as_text() and "62304" not in result.as_text()


def test_a_device_that_is_not_sterile_gets_no_sterilisation(kb: KnowledgeBase) -> None:
    result = advice(kb, product_type=["medtech", "plastics"])
    assert "ISO 11135" not in details(result, "medicinteknik-riskhantering-och-sterilisering")


def test_a_medical_device_with_electronics_keeps_the_electrical_standards(kb: KnowledgeBase) -> None:
    ids = [r.id for r in advice(kb, product_type=["medtech", "electronics"]).regulations]
    assert "medicinteknik-standarder" in ids and "medicinteknik-riskhantering-och-sterilisering" in ids


@pytest.mark.parametrize(
    ("product_type", "en_1090"),
    [
        (["vehicle", "mechanics"], False),
        (["machinery"], False),
        (["machinery", "pressure"], False),
        (["mechanics"], False),
        ([], False),
        (["construction"], True),
    ],
)
def test_a_welding_bottleneck_gets_the_welding_standards_and_en_1090_only_for_structures(
    kb: KnowledgeBase, product_type: list[str], en_1090: bool
) -> None:
    """Welder qualification and welding procedures (ISO 3834, EN ISO 9606) hold for every welding shop;
    EN 1090 only for load-bearing structures in buildings (persona round 20b, p04 and p08: cabinets and a
    sheet-metal shop got the construction-products standard)."""
    result = advice(
        kb,
        situation="capacity",
        bottleneck=["welding"],
        capability="full",
        stage="production",
        product_type=product_type,
    )
    ids = [r.id for r in result.regulations]
    assert "svetsad-tillverkning-iso-3834" in ids
    assert ("en-1090-och-iso-3834" in ids) is en_1090


def test_cabinets_with_pressure_vessels_get_no_structural_steel_standard(kb: KnowledgeBase) -> None:
    result = advice(kb, product_type=["machinery", "electronics", "pressure", "atex"], capability="some")
    ids = [r.id for r in result.regulations]
    assert "en-1090-och-iso-3834" not in ids
    assert "svetsad-tillverkning-iso-3834" in ids


@pytest.mark.parametrize(
    ("product_type", "shown"),
    [
        (["lighting", "radio", "battery", "consumer"], False),
        (["machinery", "electronics", "business_only"], True),
    ],
)
def test_workplace_certification_in_the_usa_only_for_products_used_at_work(
    kb: KnowledgeBase, product_type: list[str], shown: bool
) -> None:
    result = advice(kb, markets=["outside_eu"], product_type=product_type)
    assert ("arbetsplatser" in details(result, "export-utanfor-eu")) is shown


@pytest.mark.parametrize(
    ("product_type", "ce_question"),
    [(["other", "business_only"], True), (["other"], False), (["machinery", "business_only"], False)],
)
def test_an_unknown_product_for_businesses_is_told_what_decides_ce_instead_of_gpsr(
    kb: KnowledgeBase, product_type: list[str], ce_question: bool
) -> None:
    result = advice(
        kb, situation="cost_leadtime", stage="production", capability="some", product_type=product_type
    )
    ids = [r.id for r in result.regulations]
    assert ("CE-märkning krävs bara" in details(result, "ce-markning")) is ce_question
    if "business_only" in product_type:
        assert "produktsakerhet-gpsr" not in ids


def test_grill_grates_get_the_food_contact_rules(kb: KnowledgeBase) -> None:
    result = advice(kb, product_type=sorted(product("rostfria grillgaller och stekhällar")))
    assert "livsmedelskontaktmaterial" in [r.id for r in result.regulations]


ETO = {
    "situation": "cost_leadtime",
    "stage": "production",
    "product_type": ["machinery"],
    "capability": "some",
    "current_location": "sweden",
    "volume": 18,
    "variants": "many",
    "capital": 1_000_000,
    "priorities": ["lead_time"],
}


def test_engineer_to_order_gets_platform_parallel_work_and_framework_agreements(kb: KnowledgeBase) -> None:
    result = recommend(ETO, kb)
    first = " ".join(result.next_steps[:3])
    assert "konfigurering mot order" in first and "parallellt" in first and "ramavtal" in first.lower()
    assert "nollserie" not in " ".join(result.next_steps)


def test_a_high_mix_series_is_not_engineer_to_order(kb: KnowledgeBase) -> None:
    steps = " ".join(recommend({**ETO, "volume": 5000}, kb).next_steps)
    assert "ramavtal" not in steps.lower() and "Modularisera produkten" in steps


@pytest.mark.parametrize(("time", "warned"), [("urgent", True), ("normal", False)])
def test_three_months_to_the_usa_with_radio_is_short(kb: KnowledgeBase, time: str, warned: bool) -> None:
    result = advice(
        kb,
        markets=["outside_eu"],
        product_type=["lighting", "radio", "consumer"],
        time_to_market=time,
        volume=20000,
        capital=2_000_000,
    )
    assert any("FCC" in text for text in result.realism) is warned
