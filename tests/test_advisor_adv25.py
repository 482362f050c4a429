"""Options weighed against the user's own situation (issue #10 point 2, persona round 22): a supplier abroad
that already makes the company's products counts for a new product, a sewn textile product in thousands a
year is not sent to a Swedish contract manufacturer without a reason, a correction that also asks recomputes
the advice, a bottleneck in assembly gets a concrete make/buy split, and a machine's rule step agrees with
the rules block."""

from __future__ import annotations

from typing import Any

import pytest
from test_followup_objections import run, slots

from bot.actions.newfacts import read_statements
from bot.advisor import parse_answer, recommend
from bot.kb import KnowledgeBase

# A small company with no own production and a new sewn product with a battery, for customers in the US.
HEATED_COAT: dict[str, Any] = {
    "situation": "new_product",
    "product_type": ["textile"],
    "capability": "none",
    "stage": "prototype",
    "volume": 6000,
    "markets": ["outside_eu"],
    "company": "micro",
    "capital": 400000,
    "time_to_market": "normal",
    "ip_sensitivity": "low",
    "priorities": ["control"],
}


@pytest.fixture
def kb(shipped_kb: KnowledgeBase) -> KnowledgeBase:
    return shipped_kb


@pytest.mark.parametrize(
    "text",
    [
        "våra kuddar sys av en fabrik i Estland",
        "allt sys i Polen, vi ritar bara",
        "en syfabrik i Litauen gör våra jackor",
    ],
)
def test_a_european_country_named_for_the_current_products_is_where_they_are_made(text: str) -> None:
    assert parse_answer(text).values.get("current_location") == "europe"


@pytest.mark.parametrize(
    "text",
    ["vi vill sälja i Polen och Tyskland", "vi har kunder i Estland", "den ska finnas i butiker i Litauen"],
)
def test_a_market_in_a_european_country_is_no_place_of_production(text: str) -> None:
    assert "current_location" not in parse_answer(text).values


def test_a_known_supplier_in_europe_takes_a_new_product() -> None:
    without = recommend(HEATED_COAT)
    known = recommend({**HEATED_COAT, "current_location": "europe"})
    assert without.category != "nearshore_europe"
    assert not any("nuvarande leverantör" in step for step in without.next_steps)
    assert known.category == "nearshore_europe"
    assert known.first_steps[0].startswith("Börja hos er nuvarande leverantör")
    assert any("Era nuvarande produkter görs redan" in r for r in known.reasons)


def test_sewing_in_thousands_is_not_sent_to_a_swedish_contract_maker() -> None:
    answers = {**HEATED_COAT, "markets": ["sweden", "eu"], "priorities": ["cost"]}
    assert recommend(answers).category != "swedish_contract"


def test_craft_as_the_point_keeps_sewing_at_home_possible() -> None:
    answers = {**HEATED_COAT, "markets": ["sweden"], "priorities": ["craft"], "volume": 3000}
    scores = dict(recommend(answers).scores)
    plain = dict(recommend({**answers, "priorities": ["control"]}).scores)
    assert (
        scores["swedish_contract"] - scores["nearshore_europe"]
        > plain["swedish_contract"] - plain["nearshore_europe"]
    )


def test_a_correction_split_over_clauses_gives_the_new_priority() -> None:
    read = read_statements(
        "Vänta, låg kostnad var inte det viktigaste – kvalitet går först. Varför Asien?",
        {**HEATED_COAT, "priorities": ["cost"]},
    )
    assert read.answers.get("priorities") == ["control"]


def test_a_supplier_named_after_the_advice_counts_for_a_new_product() -> None:
    read = read_statements("Vi har redan en bra syfabrik i Estland. Måste vi byta?", HEATED_COAT)
    assert read.answers.get("current_location") == "europe"


def test_a_correction_that_also_asks_recomputes_the_advice(kb: KnowledgeBase, domain: dict) -> None:
    asia = {**HEATED_COAT, "priorities": ["cost"], "volume": 8000}
    assert recommend(asia).category == "asia_contract"
    text, events = run(
        "Nej, priset var inte viktigast – kvalitet går först. Och vi har en syfabrik i Estland, "
        "måste vi verkligen till Asien?",
        asia,
        domain,
    )
    assert slots(events)["priorities"] == ["control"]
    assert slots(events)["current_location"] == "europe"
    assert "närliggande Europa" in slots(events)["advisor_summary"]
    assert "nuvarande produkter" in text


FITTERS: dict[str, Any] = {
    "situation": "cost_leadtime",
    "bottleneck": ["assembly"],
    "workload": "one_off",
    "product_type": ["machinery"],
    "capability": "full",
    "variants": "many",
    "volume": 30,
    "markets": ["sweden"],
    "company": "small",
    "priorities": ["lead_time"],
}


def test_fitters_as_the_bottleneck_get_a_make_buy_split() -> None:
    steps = recommend(FITTERS).next_steps
    split = next(s for s in steps if s.startswith("Köp plåten"))
    assert "laserskära" in split and "leveransprov (FAT)" in split
    assert any("odularisera" in s for s in steps)
    other = recommend({**FITTERS, "bottleneck": ["engineering"]}).next_steps
    assert not any(s.startswith("Köp plåten") for s in other)


def test_a_machine_with_a_motor_gets_the_machinery_rules_as_its_rule_step(kb: KnowledgeBase) -> None:
    answers = {**HEATED_COAT, "product_type": ["machinery", "electronics"], "markets": ["sweden"]}
    rec = recommend(answers, kb)
    step = next(s for s in rec.first_steps if s.startswith("Säkra"))
    assert "maskinreglerna" in step and "lågspänningsdirektivet" not in step
    assert rec.regulations[0].id == "maskiner"


def test_a_concrete_mixer_is_a_machine() -> None:
    assert "machinery" in parse_answer("en eldriven betongblandare").values.get("product_type", [])
