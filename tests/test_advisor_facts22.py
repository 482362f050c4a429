"""Persona rounds 20/20b, rules and support that fit the case (issue #10): US buyers' NRTL listing and product
liability for mains products sold in the US, the medtech programmes for a medical device, the cosmetics rules
already at the market stall (and no CE marking), the novelty requirement for an invention at idea stage, and
radio rules, not machinery, for a battery gadget with an app."""

from __future__ import annotations

from typing import Any

import pytest
from test_advisor_issue10 import profile

from bot.advisor import recommend
from bot.kb import KnowledgeBase


@pytest.fixture
def kb(shipped_kb: KnowledgeBase) -> KnowledgeBase:
    return shipped_kb


def supports(kb: KnowledgeBase, text: str, **answers: Any) -> list[str]:
    return [s.id for s in recommend(profile(text, **answers), kb).supports]


def test_a_mains_lamp_sold_in_the_us_gets_what_buyers_require_and_liability(kb: KnowledgeBase) -> None:
    text = recommend(profile("en golvlampa med nätsladd", markets=["outside_eu", "sweden"]), kb).as_text()
    assert "USA, UL-listning" in text and "butikskedjor" in text
    assert "USA, produktansvar" in text


def test_a_lamp_sold_only_in_sweden_gets_no_us_listing(kb: KnowledgeBase) -> None:
    text = recommend(profile("en golvlampa med nätsladd"), kb).as_text()
    assert "UL-listning" not in text and "produktansvar" not in text


def test_a_medical_device_is_offered_the_medtech_programmes_first(kb: KnowledgeBase) -> None:
    ids = supports(kb, "ett trådlöst EKG-plåster", product_type=["medtech", "radio"])
    assert ids[:2] == ["medtech4health", "swelife"]


def test_a_product_that_is_no_medical_device_gets_no_medtech_programme(kb: KnowledgeBase) -> None:
    ids = supports(kb, "en hylla i plåt")
    assert "medtech4health" not in ids and "swelife" not in ids


def test_a_soap_maker_hears_the_rules_apply_already_and_that_cosmetics_get_no_ce(kb: KnowledgeBase) -> None:
    text = recommend(profile("tvål och läppbalsam", company="none", stage="production"), kb).as_text()
    assert "Reglerna gäller redan vid egen försäljning" in text
    assert "ska inte CE-märkas" in text


@pytest.mark.parametrize("ip", [{"ip_sensitivity": "high"}, {}])  # the IP question is skipped at idea stage
def test_an_invention_at_idea_stage_gets_the_novelty_requirement(
    kb: KnowledgeBase, ip: dict[str, str]
) -> None:
    answers = profile("ett lås till en takbox", stage="idea", company="none", **ip)
    steps = " ".join(recommend(answers, kb).next_steps)
    assert "nyhetskravet" in steps and "sekretessavtal" in steps.lower()


def test_an_idea_that_is_no_invention_keeps_the_general_protection_step(kb: KnowledgeBase) -> None:
    answers = profile("ett lås till en takbox", stage="idea", company="none", ip_sensitivity="low")
    steps = " ".join(recommend(answers, kb).next_steps)
    assert "nyhetskravet" not in steps and "Skydda idén" in steps


def test_a_battery_gadget_with_an_app_gets_radio_rules_and_no_machinery(kb: KnowledgeBase) -> None:
    text = "en batteridriven pryl som känner när krukväxterna behöver vatten och säger till i en app"
    answers = profile(text, stage="idea", company="none")
    ids = [r.id for r in recommend(answers, kb).regulations]
    assert "radioutrustning-red" in ids and "maskiner" not in ids


def test_radio_leads_over_a_small_pump_in_a_battery_gadget(kb: KnowledgeBase) -> None:
    text = "en batteridriven pryl med en liten pump som vattnar krukväxterna, kanske styrd med app"
    regulations = recommend(profile(text, stage="idea", company="none"), kb).regulations
    assert regulations[0].id == "radioutrustning-red" and regulations[0].lead
