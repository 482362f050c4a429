"""The rule that defines the product comes first and the horizontal rules after it (persona round 33)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.advisor import recommend
from bot.advisor.data import load_rules
from bot.kb import KnowledgeBase

BASE: dict[str, Any] = {
    "situation": "new_product",
    "stage": "prototype",
    "volume": 2000,
    "capability": "none",
    "company": "micro",
    "markets": ["sweden", "eu"],
}


def advice(**change: Any) -> Any:
    return {**BASE, **change}


def test_a_toy_with_a_sound_module_leads_with_the_toy_rules(kb: KnowledgeBase) -> None:
    result = recommend(advice(product_type=["toys", "wood", "electronics", "battery", "consumer"]), kb)
    assert result.regulations[0].id == "leksaker"
    ids = [r.id for r in result.regulations]
    assert ids.index("leksaker") < ids.index("elektrisk-utrustning-lvd-emc") < ids.index("reach-varor")
    short = result.short_text()
    assert "leksaksreglerna" in short and "EMC" not in short


def test_a_radio_toy_leads_with_the_toy_rules_and_keeps_red(kb: KnowledgeBase) -> None:
    result = recommend(advice(product_type=["toys", "radio", "battery", "software"]), kb)
    assert result.regulations[0].id == "leksaker"
    assert "radioutrustning-red" in [r.id for r in result.regulations]


def test_the_deforestation_regulation_is_never_the_rule_step(kb: KnowledgeBase) -> None:
    result = recommend(advice(product_type=["wood", "consumer"], stage="idea", company="none"), kb)
    ids = [r.id for r in result.regulations]
    assert ids.index("produktsakerhet-gpsr") < ids.index("eudr-avskogningsforordningen")
    assert "avskogning" not in result.short_text()


def test_wood_exported_from_the_eu_keeps_the_deforestation_regulation(kb: KnowledgeBase) -> None:
    # The regulation covers export from the EU too (the entry says so), so a market outside the EU keeps it,
    # after the product's own rules.
    result = recommend(advice(product_type=["wood", "furniture"], markets=["outside_eu"]), kb)
    ids = [r.id for r in result.regulations]
    assert "eudr-avskogningsforordningen" in ids and ids[0] != "eudr-avskogningsforordningen"


def test_a_module_built_into_a_line_is_not_promised_ce_marking(kb: KnowledgeBase) -> None:
    result = recommend(advice(product_type=["machinery", "built_in", "business_only"], capability="some"), kb)
    step = next(s for s in result.first_steps if s.startswith("Säkra"))
    assert "delvis fullbordad" in step and "försäkran för inbyggnad" in step
    assert "CE-märkning;" not in step
    assert result.regulations[0].id == "maskiner"


def test_a_whole_machine_still_gets_ce_marking_in_its_step(kb: KnowledgeBase) -> None:
    result = recommend(advice(product_type=["machinery", "electronics"]), kb)
    assert any("CE-märkning" in s and "maskinreglerna" in s for s in result.first_steps)


@pytest.mark.parametrize("product", [["electronics", "consumer"], ["lighting", "electronics", "battery"]])
def test_a_product_with_only_horizontal_rules_names_them(product: list[str], kb: KnowledgeBase) -> None:
    assert "EMC" in recommend(advice(product_type=product), kb).short_text()


def test_horizontal_entries_are_real_entries() -> None:
    from bot.advisor.data import missing_entries
    from bot.settings import get_settings

    rules = load_rules()
    assert rules.settings["horizontal_entries"]
    assert missing_entries(rules, get_settings().knowledge_dir / "entries") == []
