"""Rules applied to the case and support that fits (persona round 29): Canada is its own market, not the
USA; packaged products sold in the EU get the packaging regulation; a consumer sensor bought by private
persons gets GPSR; PTS is named as the authority for radio equipment; a machine launched under the Machinery
Regulation is told that its Annex I decides the notified body; Produktionslyftet only for a company with its
own production; regional investment aid for an investment in own production in the assisted areas."""

from __future__ import annotations

from typing import Any

import pytest
from test_advisor_adv23 import BEFORE, dated_lines
from test_advisor_issue10 import profile
from test_advisor_supports import ROBOT_CELL

from bot.advisor import recommend
from bot.advisor.parsing.parse import parse_answer
from bot.kb import KnowledgeBase


@pytest.fixture
def kb(shipped_kb: KnowledgeBase) -> KnowledgeBase:
    return shipped_kb


def rule_ids(kb: KnowledgeBase, text: str, **answers: Any) -> list[str]:
    return [r.id for r in recommend(profile(text, **answers), kb).regulations]


def support_ids(kb: KnowledgeBase, answers: dict[str, Any]) -> set[str]:
    return {item.id for item in recommend(answers, kb).supports}


# ---------------------------------------------------------------- Canada is not the USA
@pytest.mark.parametrize(
    "text", ["bara Kanada", "vi säljer till en kanadensisk kedja", "Kanada till att börja med"]
)
def test_canada_is_its_own_market(text: str) -> None:
    markets = parse_answer(text, "markets").values["markets"]
    assert "canada" in markets and "outside_eu" not in markets


def test_the_usa_is_still_outside_the_eu() -> None:
    assert parse_answer("vi säljer i USA", "markets").values["markets"] == ["outside_eu"]


def test_a_product_sold_only_in_canada_gets_canadian_rules_and_no_us_rules(kb: KnowledgeBase) -> None:
    advice = recommend(profile("elektronik med bluetooth", markets=["canada"]), kb)
    ids = [r.id for r in advice.regulations]
    assert ids[0] == "export-kanada"
    assert "export-utanfor-eu" not in ids
    text = advice.regulations_part() + advice.short_text()
    assert "FCC" not in text and "amerikansk" not in text
    assert "rådgivningen här går inte igenom dem" in advice.short_text()


def test_usa_and_canada_get_both(kb: KnowledgeBase) -> None:
    ids = rule_ids(kb, "elektronik med bluetooth", markets=["outside_eu", "canada"])
    assert {"export-kanada", "export-utanfor-eu"} <= set(ids)


# ---------------------------------------------------------------- packaging regulation
def test_a_consumer_product_sold_in_the_eu_gets_the_packaging_regulation(kb: KnowledgeBase) -> None:
    assert "forpackningar-ppwr" in rule_ids(kb, "skärbrädor i trä till konsumenter", markets=["eu"])


@pytest.mark.parametrize(
    "answers",
    [{"markets": ["outside_eu"]}, {"markets": ["canada"]}],
)
def test_no_packaging_regulation_outside_the_eu(kb: KnowledgeBase, answers: dict[str, Any]) -> None:
    assert "forpackningar-ppwr" not in rule_ids(kb, "skärbrädor i trä till konsumenter", **answers)


def test_no_packaging_regulation_for_parts_sold_only_to_companies(kb: KnowledgeBase) -> None:
    assert "forpackningar-ppwr" not in rule_ids(kb, "svarvade detaljer, vi säljer bara till företag")


# ---------------------------------------------------------------- consumer sensors and radio authority
@pytest.mark.parametrize(
    "text",
    [
        "en fuktsensor med wifi som säljs till privatpersoner",
        "konsumentelektronik med bluetooth",
        "en rökdetektor med zigbee för hemmet",
        "en högtalare med bluetooth som ska säljas i butiker",
    ],
)
def test_a_radio_product_for_private_persons_gets_gpsr(kb: KnowledgeBase, text: str) -> None:
    assert "gpsr-vid-sidan-av-ce" in rule_ids(kb, text)


def test_not_to_private_persons_is_no_consumer_product() -> None:
    values = parse_answer("en givare med wifi, inte till privatpersoner", "product_type").values
    assert "consumer" not in values.get("product_type", [])


def test_the_radio_rules_name_pts_as_the_authority(kb: KnowledgeBase) -> None:
    part = recommend(profile("en tagg med bluetooth"), kb).regulations_part()
    assert "Post- och telestyrelsen (PTS) är ansvarig myndighet" in part


# ---------------------------------------------------------------- Machinery Regulation: its Annex I decides
def test_a_machine_launched_under_the_regulation_is_told_annex_i_decides_the_notified_body(
    kb: KnowledgeBase,
) -> None:
    (line,) = dated_lines(kb, BEFORE, time_to_market="normal")
    assert "förordningens bilaga I" in line and "inte av direktivets bilaga IV" in line


# ---------------------------------------------------------------- supports that fit
RELOCATING_BUYER: dict[str, Any] = {
    "situation": "relocate",
    "stage": "production",
    "product_type": ["lighting"],
    "current_location": "asia",
    "volume": 8000,
    "markets": ["eu"],
    "company": "medium",
    "capital": 2_000_000,
    "priorities": ["lead_time"],
}


def test_produktionslyftet_not_for_a_company_that_only_buys_its_manufacturing(kb: KnowledgeBase) -> None:
    assert "produktionslyftet" not in support_ids(kb, RELOCATING_BUYER)
    buyer = {**RELOCATING_BUYER, "situation": "cost_leadtime", "capability": "none"}
    assert "produktionslyftet" not in support_ids(kb, buyer)


def test_produktionslyftet_for_a_company_with_own_production(kb: KnowledgeBase) -> None:
    maker = {**RELOCATING_BUYER, "situation": "cost_leadtime", "capability": "full"}
    assert "produktionslyftet" in support_ids(kb, maker)


@pytest.mark.parametrize("region", ["vasterbotten", "jamtland", "dalarna"])
def test_a_robot_investment_in_the_assisted_areas_gets_regional_investment_aid(
    kb: KnowledgeBase, region: str
) -> None:
    offered = support_ids(kb, {**ROBOT_CELL, "region": region})
    assert "regionalt-investeringsstod" in offered
    assert "almi-lan-rorelsekapital" in offered


@pytest.mark.parametrize("answers", [{}, {"region": "skane"}])
def test_no_regional_investment_aid_outside_the_assisted_areas(
    kb: KnowledgeBase, answers: dict[str, Any]
) -> None:
    assert "regionalt-investeringsstod" not in support_ids(kb, {**ROBOT_CELL, **answers})
