"""What the user stated shapes the advice (persona round 13): the reasons follow the priorities the user
named, in their order (p06: "kostnaden driver flytten" for a user who named lead time and quality); a stated
IP sensitivity gives advice on what to keep, how to split suppliers and what the contract says (p01, p05);
an engineer-to-order company whose designers assemble weighs buying sub-assemblies and modular design
(p04)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.advisor import recommend

# LED luminaires made in Shenzhen, moving closer for lead time and quality (p06).
LUMINAIRES = {
    "situation": "relocate",
    "product_type": ["electronics", "lighting"],
    "volume": 15000,
    "capability": "some",
    "current_location": "asia",
    "markets": ["sweden", "nordics", "eu"],
    "capital": 9_000_000,
    "ip_sensitivity": "low",
}


@pytest.mark.parametrize(
    ("priorities", "named", "not_named"),
    [
        (["lead_time", "control", "cost"], ["Korta ledtider", "Kvalitet"], ["nämnde kostnaden"]),
        (["control", "lead_time"], ["Kvalitet", "Korta ledtider"], ["nämnde kostnaden"]),
        (["cost"], ["nämnde kostnaden"], []),
    ],
)
def test_the_reasons_follow_the_priorities_in_the_users_order(
    priorities: list[str], named: list[str], not_named: list[str]
) -> None:
    reasons = recommend({**LUMINAIRES, "priorities": priorities}).reasons
    assert len(reasons) == 3
    for word in named:
        assert any(word in r for r in reasons), (word, reasons)
    for word in not_named:
        assert not any(word in r for r in reasons), (word, reasons)
    assert not any("driver flytten" in r for r in reasons)


def test_without_priorities_the_strongest_reasons_decide() -> None:
    reasons = recommend(LUMINAIRES).reasons
    assert reasons and not any("viktigt för dig" in r for r in reasons)


# A LoRa leak sensor before its first series (p01), and a spirometer with a patent pending (p05).
SENSOR = {
    "situation": "new_product",
    "stage": "prototype",
    "product_type": ["electronics", "radio", "battery", "monitoring"],
    "capability": "none",
    "volume": 2000,
    "markets": ["nordics"],
    "company": "startup",
    "capital": 1_500_000,
    "time_to_market": "normal",
    "priorities": ["control", "cost"],
}
SPIROMETER = {
    **SENSOR,
    "product_type": ["electronics", "medtech", "software"],
    "volume": 500,
    "capital": 4_000_000,
}


def advice_text(profile: dict[str, Any]) -> str:
    return recommend(profile).as_text()


def test_a_somewhat_sensitive_firmware_stays_with_the_company() -> None:
    text = advice_text({**SENSOR, "ip_sensitivity": "medium"})
    assert "firmwaren" in text and "sekretessavtal" in text and "äger verktyg" in text


def test_a_patent_pending_measuring_principle_is_filed_before_it_is_shown() -> None:
    text = advice_text({**SPIROMETER, "ip_sensitivity": "high"})
    assert "patentansökan innan ni visar" in text
    assert "dela upp tillverkningen" in text and "algoritmer" in text


def test_a_design_without_firmware_gets_no_firmware_advice() -> None:
    text = advice_text({**LUMINAIRES, "ip_sensitivity": "medium", "priorities": ["lead_time"]})
    assert "sekretessavtal" in text and "firmware" not in text


def test_nothing_sensitive_gets_no_ip_advice() -> None:
    text = advice_text({**SENSOR, "ip_sensitivity": "low"})
    assert "sekretessavtal" not in text and "patentansökan innan" not in text


# Customer-specific dosing skids with pumps, piping, cabinets and PLC, ~30 a year (p04).
SKIDS = {
    "situation": "capacity",
    "product_type": ["machinery", "electronics"],
    "bottleneck": ["assembly"],
    "shifts": "one",
    "recruitment": "failed",
    "workload": "one_off",
    "capability": "some",
    "priorities": ["flexibility", "lead_time"],
}


def test_engineer_to_order_weighs_buying_sub_assemblies_and_modular_design() -> None:
    advice = recommend(SKIDS)
    short = advice.short_text()
    assert "skåpbyggare" in short and "FAT" in short and "modularisera" in short
    assert "tillverkare av maskinen" in advice.as_text()


@pytest.mark.parametrize(
    "change",
    [
        {"product_type": ["mechanics"]},  # a subcontractor's metal parts: no cabinets to buy
        {"workload": "repeat"},  # series: automation and training decide
        {"capability": "none"},
    ],
)
def test_not_engineer_to_order_gets_no_cabinet_builder(change: dict[str, Any]) -> None:
    assert "skåpbyggare" not in recommend({**SKIDS, **change}).as_text()
