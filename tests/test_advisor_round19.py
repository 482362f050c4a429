"""Persona round 19: answers are read as the user means them (a prototype made abroad, design protection
in the EU) and the rules follow the product (wooden furniture, modules built into a line, connected and
rechargeable products, an indicator lamp, a smart meter, lifting tables). Free text or profiles in, what the
user sees out."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from test_advisor_issue10 import profile as new_product
from test_followup_objections import run, start

from bot.actions.advice import opens_consultation
from bot.actions.newfacts import read_statements
from bot.advisor import parse_answer, recommend
from bot.kb import KnowledgeBase


def values(text: str, expected: str | None = None) -> dict[str, Any]:
    return dict(parse_answer(text, expected=expected).values)


def product(text: str) -> set[str]:
    return set(values(text).get("product_type", ()))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # p03: where a prototype, sample or quote was made is not where the product is made today.
        ("har en prototyp som en verkstad i Kina gjort åt mig, 3D-printade handtag", "stage"),
        ("vi har ett prov som en fabrik i Vietnam tog fram åt oss förra månaden", "stage"),
        ("en verkstad i Kina gjorde prototypen", "stage"),
        ("vi har en offert från en fabrik i Kina", None),
    ],
)
def test_a_prototype_made_abroad_is_no_production_there_today(text: str, expected: str | None) -> None:
    assert "current_location" not in values(text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("den tillverkas i Kina i dag", "current_location"), ("vi tillverkar i Kina men vill flytta hem", None)],
)
def test_production_abroad_is_still_read(text: str, expected: str | None) -> None:
    assert values(text, expected)["current_location"] == "asia"


@pytest.mark.parametrize(
    ("text", "markets"),
    [
        # p03: design protection in the EU says where the design is protected, not where it is sold.
        ("något känslig, har sökt designskydd i EU", None),
        ("något känslig, vi har registrerat designen i EU", None),
        ("designen är skyddad i EU men vi säljer i USA", ["outside_eu"]),
        ("vi säljer i EU", ["eu"]),
    ],
)
def test_design_protection_in_the_eu_is_no_market(text: str, markets: list[str] | None) -> None:
    assert values(text).get("markets") == markets


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        # p10: a chair in birch plywood is wooden furniture, whatever else the message says.
        ("en stapelbar stol i böjd björkplywood", {"furniture", "wood"}, set()),
        ("en stapelbar skolbänk i massiv björk", {"furniture", "wood"}, set()),
        ("en pall i ek", {"furniture", "wood"}, set()),
        # rules19: the tables of a lifting-table maker are machines, not furniture.
        ("hydrauliska lyftbord, konstruktionen av varje bord anpassas", {"machinery"}, {"furniture"}),
        ("ett höj- och sänkbart skrivbord i ek med motor", {"furniture", "wood", "machinery"}, set()),
        ("prototypen står på bänken", set(), {"furniture"}),
        # p07: a small lamp that shows a state is electronics, not lighting; a lamp is still lighting.
        ("flaskan ska ha en liten lampa och bluetooth till en app", {"electronics", "radio"}, {"lighting"}),
        ("en vattenkanna med en liten lysdiod som blinkar", {"electronics"}, {"lighting"}),
        ("en matlåda med en indikatorlampa", {"food_contact", "electronics"}, {"lighting"}),
        ("vi gör designlampor", {"lighting", "electronics"}, set()),
        # p01/p07 and rules19: connected and smart products have radio; a smart meter is still a meter.
        ("ett uppkopplat halsband som visar var hunden är i en app", {"radio"}, set()),
        ("en smart vattenflaska som påminner en om att dricka", {"radio", "food_contact"}, set()),
        ("en smart vattenmätare för flerfamiljshus", {"radio", "measuring"}, set()),
        ("en smart lösning för lagret", set(), {"radio"}),
        # A portable product that is charged has a battery; a machine loaded with material has none.
        ("halsbandet laddas med USB-C", {"battery"}, set()),
        ("en sladdlös hårtrimmer", {"battery"}, set()),
        ("maskinen laddas med material", set(), {"battery"}),
        # p04: modules built into the customer's line are (partly completed) machinery.
        ("våra moduler byggs oftast in i kundens linje", {"built_in", "machinery"}, set()),
        ("sorteringsmoduler som byggs in i kundernas förpackningslinjer", {"built_in", "machinery"}, set()),
    ],
)
def test_the_product_is_recognised(text: str, present: set[str], absent: set[str]) -> None:
    found = product(text)
    assert present <= found, found
    assert not absent & found, found


def profile(**answers: Any) -> dict[str, Any]:
    """A new product at prototype stage, nothing made in house, sold in Sweden, with these answers."""
    more = {"capital": 400_000, "time_to_market": "normal", "ip_sensitivity": "medium"}
    more["priorities"] = ["control"]
    return new_product("", **{**more, **answers})


def rule_ids(answers: dict[str, Any], kb: KnowledgeBase) -> list[str]:
    return [r.id for r in recommend(answers, kb).regulations]


def test_a_wooden_chair_gets_deforestation_and_furniture_testing(kb: KnowledgeBase) -> None:
    ids = rule_ids(profile(product_type=["furniture", "wood"]), kb)
    assert "eudr-avskogningsforordningen" in ids and "mobler-provning-standarder" in ids
    text = recommend(profile(product_type=["furniture", "wood"]), kb).as_text()
    assert "EN 16139" in text


def test_furniture_testing_follows_the_product_not_the_material(kb: KnowledgeBase) -> None:
    assert "mobler-provning-standarder" in rule_ids(profile(product_type=["furniture", "mechanics"]), kb)
    assert "mobler-provning-standarder" not in rule_ids(profile(product_type=["wood"]), kb)


def test_modules_built_into_a_line_get_the_declaration_of_incorporation(kb: KnowledgeBase) -> None:
    answers = profile(product_type=["machinery", "built_in"], capability="some")
    text = recommend(answers, kb).as_text()
    assert "delvis fullbordad maskin" in text and "försäkran för inbyggnad" in text
    plain = recommend(profile(product_type=["machinery"], capability="some"), kb)
    assert "delvis fullbordad" not in plain.as_text()


def test_an_indicator_lamp_gets_no_ecodesign(kb: KnowledgeBase) -> None:
    found = values("en vattenkanna med en liten lysdiod som blinkar")["product_type"]
    ids = rule_ids(profile(product_type=found), kb)
    assert "rohs" in ids and "ekodesign-och-energimarkning" not in ids


def test_a_smart_meter_keeps_mid_and_gets_red(kb: KnowledgeBase) -> None:
    found = values("en smart vattenmätare för flerfamiljshus")["product_type"]
    ids = rule_ids(profile(product_type=found), kb)
    assert "matinstrument-mid" in ids and "radioutrustning-red" in ids


# p03: a new product whose prototype was read as made in Asia, sold outside the EU at low cost.
CAMPING = profile(
    product_type=["food_contact", "mechanics", "consumer"],
    current_location="asia",
    volume=3000,
    markets=["outside_eu"],
    capital=600_000,
    priorities=["cost"],
)


def test_taking_back_a_place_of_production_after_the_advice_clears_it() -> None:
    text = "vi tillverkar inte i Asien än, det var bara prototypen. hur skyddar jag designen?"
    read = read_statements(text, CAMPING)
    assert read.answers == {"current_location": None}


def test_the_reply_says_what_was_taken_back_and_drops_it_as_a_reason(kb: KnowledgeBase, domain: dict) -> None:
    assert any("redan i Asien" in r for r in recommend(CAMPING, kb).reasons)
    text, events = run("vi tillverkar inte i Asien än, det var bara prototypen", CAMPING, domain)
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots["current_location"] is None
    assert start(domain, "utter_followup_facts_taken_back") in text and "I Asien" in text
    assert "redan i Asien" not in slots["advisor_summary"]


def opening(text: str) -> Tracker:
    return Tracker(
        "s",
        {},
        {"text": text, "intent": {"name": "inform", "confidence": 0.9}, "entities": []},
        [],
        False,
        None,
        {},
        "action_listen",
    )


@pytest.mark.parametrize(
    ("text", "opens"),
    [
        (
            "Vi är sex personer i Mora som bygger hydrauliska lyftbord åt lager och verkstäder. "
            "Ett tiotal om året. Hur lägger vi upp det?",
            True,
        ),
        # A question about one step names its topic: the knowledge base answers it.
        (
            "Vi är sex personer i Mora som bygger hydrauliska lyftbord, ett tiotal om året. "
            "Hur lägger man upp en riskbedömning?",
            False,
        ),
    ],
)
def test_how_do_we_set_it_up_after_a_description_opens_the_consultation(text: str, opens: bool) -> None:
    assert opens_consultation(opening(text), understood=True) is opens
