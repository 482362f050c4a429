"""Issue #10 in the consultation: batteries for light electric vehicles (LMT), REACH for articles as a
pointer under the rules, the medical-device realism checks worded for a device that needs a notified body,
and upper bounds ("under en halv miljon") read as below the number. Tested by behaviour: free text or
profiles in, what the user would see out."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.actions.verdicts import product_rules
from bot.advisor import load_questions, parse_answer, recommend
from bot.advisor.profile import to_profile
from bot.kb import KnowledgeBase


@pytest.fixture
def kb(shipped_kb: KnowledgeBase) -> KnowledgeBase:
    return shipped_kb


def profile(text: str, **answers: Any) -> dict[str, Any]:
    """A new product at prototype stage, sold in Sweden, with the product read from `text`."""
    base: dict[str, Any] = {
        "situation": "new_product",
        "stage": "prototype",
        "capability": "none",
        "volume": 2000,
        "markets": ["sweden"],
        "company": "startup",
    }
    return {**base, **parse_answer(text).values, **answers}


def rule_ids(kb: KnowledgeBase, text: str, **answers: Any) -> list[str]:
    return [r.id for r in recommend(profile(text, **answers), kb).regulations]


@pytest.mark.parametrize(
    ("text", "lmt"),
    [
        ("vi bygger elcyklar", True),
        ("batteri till elcykel", True),
        ("batteripack till elcyklar", True),
        ("vi tillverkar elsparkcyklar med app", True),
        ("ellastcyklar för budfirmor", True),
        ("LMT-batterier", True),
        ("vi bygger litiumbatteripack till lastcyklar", True),
        ("en lastcykel med batteri", True),
        # A cargo bike can be pedal-only; a battery-powered lamp is no vehicle battery.
        ("en lastcykel i trä", False),
        ("en lampa med batteri", False),
        ("en powerbank", False),
    ],
)
def test_light_electric_vehicles_get_the_lmt_battery_rules(kb: KnowledgeBase, text: str, lmt: bool) -> None:
    ids = rule_ids(kb, text)
    assert ("lmt-batterier" in ids) is lmt
    if lmt:
        # The battery rules in general stay, before the LMT ones.
        assert "batterier" in ids and ids.index("batterier") < ids.index("lmt-batterier")


def test_the_lmt_rules_show_the_battery_passport_and_the_standard(kb: KnowledgeBase) -> None:
    advice = recommend(profile("vi bygger batteripack till elcyklar"), kb)
    part = advice.regulations_part()
    assert "Batteripass:" in part and "EN 50604-1" in part and "eur-lex.europa.eu" in part


@pytest.mark.parametrize(
    ("text", "answers", "reach"),
    [
        ("en produkt i plast", {}, True),
        ("textil", {"markets": ["eu"]}, True),
        ("möbler i ek", {}, True),
        ("en elektronisk produkt", {}, True),
        ("en sensor med bluetooth", {}, True),
        ("en produkt i plast", {"product_type": ["plastics", "business_only"]}, False),
        ("hudkräm", {}, False),
        ("en maskin", {}, False),
    ],
)
def test_reach_for_articles_is_a_line_under_the_rules(
    kb: KnowledgeBase, text: str, answers: dict[str, Any], reach: bool
) -> None:
    advice = recommend(profile(text, **answers), kb)
    assert ("reach-varor" in [r.id for r in advice.regulations]) is reach
    # Never in the short first message, with or without other rules.
    assert "Reach" not in advice.short_text() and "kandidatförteckning" not in advice.short_text()
    if reach:
        lines = advice.regulations_part().split("\n• ")
        # One line with its source, after the product's own rules (only other one-line rules, such as the
        # packaging regulation, may follow), without the entry's paragraphs.
        at = next(i for i, line in enumerate(lines) if line.startswith("Reach och varor"))
        assert all("\n  –" not in line for line in lines[at:])
        assert "0,1 viktprocent" in lines[at] and "kemi.se" in lines[at]


def test_reach_does_not_decide_when_the_rules_step_comes(kb: KnowledgeBase) -> None:
    # General product safety alone comes after the path's first two steps; REACH beside it changes nothing.
    first = recommend(profile("en produkt i plast"), kb).first_steps
    assert "GPSR" in first[2] and "Reach" not in " ".join(first)


def test_reach_is_no_answer_to_whether_a_product_must_be_ce_marked(kb: KnowledgeBase) -> None:
    ids = [e.id for e in product_rules(kb, "måste en produkt i plast som bara säljs till företag CE-märkas?")]
    assert "reach-varor" not in ids


MEDTECH = {
    "situation": "new_product",
    "stage": "prototype",
    "product_type": ["medtech"],
    "capability": "none",
    "volume": 500,
    "markets": ["sweden"],
    "company": "startup",
    "capital": 300_000,
    "time_to_market": "half_year",
}


def test_the_medtech_checks_are_conditional_on_a_notified_body() -> None:
    # The profile has no device class or risk signal: a class I device needs no notified body, so both the
    # whole texts and the short lines say "if", and none says that one is required.
    advice = recommend(MEDTECH)
    assert len(advice.realism) == 2 and len(advice.realism_short) == 2
    for text in (*advice.realism, *advice.realism_short):
        assert "om ett anmält organ ska granska produkten" in text
        assert not re.search(r"(krävs|måste anlita|behöver|kräver) (ett )?anmält organ", text)
    assert all("klass I-produkter CE-märker tillverkaren själv" in text for text in advice.realism)


@pytest.mark.parametrize(
    ("text", "slot", "option"),
    [
        ("under en halv miljon", "capital", "low"),
        ("under en halv miljon kronor", "capital", "low"),
        ("mindre än 500 000 kr", "capital", "low"),
        ("max 500 000 kr", "capital", "low"),
        ("högst 500 000 kronor", "capital", "low"),
        ("knappt 5 miljoner", "capital", "medium"),
        ("under 2 miljoner", "capital", "medium"),
        # Without a bound the number itself counts, as before.
        ("en halv miljon", "capital", "medium"),
        ("ungefär 500 000 kr", "capital", "medium"),
        ("under 5 miljoner", "capital", "medium"),
        ("över 5 miljoner", "capital", "high"),
        ("under 4 månader", "time_to_market", "urgent"),
        ("inom högst tre månader", "time_to_market", "urgent"),
    ],
)
def test_an_upper_bound_lands_below_the_number(text: str, slot: str, option: str) -> None:
    questions = load_questions()
    found = parse_answer(text, expected=slot).values
    assert to_profile(found, questions).values[slot] == (option,)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("under en halv miljon", "högst 500 000 kronor"),
        ("max 300 000 kr", "högst 300 000 kronor"),
        ("ca 300 000 kr", "cirka 300 000 kronor"),
    ],
)
def test_an_upper_bound_is_shown_as_said(text: str, shown: str) -> None:
    questions = load_questions()
    lines = recommend({**MEDTECH, **parse_answer(text, expected="capital").values}).answers
    assert any(shown in line for line in lines)
    assert to_profile(parse_answer(text, expected="capital").values, questions).known("capital")


def test_an_upper_bound_meets_the_realism_limit_it_equals() -> None:
    # Everything under 2 000 000 is below the medtech check's limit of 2 000 000.
    advice = recommend({**MEDTECH, **parse_answer("under 2 miljoner", expected="capital").values})
    assert any("räcker budgeten sällan" in text for text in advice.realism)


# --- Persona round 10: risk management and biocompatibility for any medical device; schools for staffing


@pytest.mark.parametrize(
    ("text", "shown"),
    [("ett andningshjälpmedel i plast, utan elektronik", True), ("en pall i trä", False)],
)
def test_every_medical_device_gets_risk_management_and_biocompatibility(
    kb: KnowledgeBase, text: str, shown: bool
) -> None:
    advice = recommend(profile(text, product_type=["medtech", "plastics"] if shown else ["wood"]), kb)
    standards = [r for r in advice.regulations if r.id == "medicinteknik-riskhantering-och-sterilisering"]
    assert bool(standards) is shown
    if shown:
        details = " ".join(d.text for d in standards[0].details)
        assert "ISO 14971" in details and "ISO 10993-1" in details


@pytest.mark.parametrize(("situation", "offered"), [("capacity", True), ("new_product", False)])
def test_a_staffing_problem_is_offered_the_school_cooperation(
    kb: KnowledgeBase, situation: str, offered: bool
) -> None:
    answers = {
        "situation": situation,
        "product_type": ["mechanics"],
        "stage": "production",
        "own_production": "full",
        "company": "sme",
    }
    supports = [s.id for s in recommend(answers, kb).supports]
    assert ("teknikcollege" in supports) is offered


# --- Persona round 11, p03: kitchenware for Amazon US with cost first is made where such goods are made ---


@pytest.mark.parametrize(
    ("markets", "path"),
    [(["outside_eu"], "asia_contract"), (["sweden", "nordics"], None)],
)
def test_cost_first_kitchenware_sold_outside_the_eu_goes_to_asia(
    kb: KnowledgeBase, markets: list[str], path: str | None
) -> None:
    answers = {
        "situation": "new_product",
        "stage": "pilot",
        "product_type": ["food_contact", "mechanics", "consumer"],
        "capability": "none",
        "volume": 10_000,
        "company": "startup",
        "capital": 800_000,
        "priorities": ["cost"],
        "ip_sensitivity": "high",  # a design that may be copied: registration and contracts
        "markets": markets,
    }
    category = recommend(answers, kb).category
    assert (category == "asia_contract") is (path == "asia_contract")
