"""Persona round 31 (the baseline of session 15): the path for a firm's own workshop, an idea, and words that
look like answers.

- an importer of garden hand tools ("handverktyg") got "build on your own craft production": the compound was
  read as a typo of "hantverk";
- a joinery that turns and assembles its wooden toys itself and buys a finished sound module got "a Swedish
  contract manufacturer" for the new toy (the prototype stage gave the points to a contract maker whatever the
  firm makes itself);
- a student with an idea, no company and a few thousand kronor got "a Swedish contract manufacturer" when the
  priorities were "cheap and close";
- a student who builds in the school's workshop was read as having own production.
The cases are in other words than the transcripts.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.advisor import parse_answer, recommend


@pytest.mark.parametrize(
    "text",
    [
        "vi säljer handverktyg för trädgården",
        "Handverktygen tillverkas i Kina i dag",
    ],
)
def test_hand_tools_are_no_craft(text: str) -> None:
    assert "craft" not in (parse_answer(text).values.get("priorities") or [])


def test_craft_is_still_read() -> None:
    assert "craft" in parse_answer("hantverket är det kunderna köper").values["priorities"]


@pytest.mark.parametrize(
    "text",
    [
        "vi svarvar och monterar allt själva",
        "i verkstaden fräser och monterar vi stommarna",
    ],
)
def test_machining_and_assembly_is_own_production(text: str) -> None:
    assert parse_answer(text, expected="capability").values["capability"] == "full"


@pytest.mark.parametrize(
    "text",
    ["jag bygger den i skolans verkstad", "vi har gjort prototyperna i en makerspace"],
)
def test_a_borrowed_workshop_is_no_own_production(text: str) -> None:
    assert parse_answer(text, expected="capability").values["capability"] == "none"


TOY_SHOP: dict[str, Any] = {
    "situation": "new_product",
    "stage": "prototype",
    "product_type": ["toys", "wood", "battery"],
    "capability": "full",
    "volume": 2000,
    "markets": ["nordics"],
    "capital": 300000,
    "priorities": ["quality"],
}


@pytest.mark.parametrize("capability", ["full", "some"])
def test_a_prototype_in_a_firm_with_its_own_workshop_is_made_there(capability: str) -> None:
    advice = recommend({**TOY_SHOP, "capability": capability})
    assert advice.category in {"in_house", "hybrid"}


def test_a_prototype_without_own_production_still_goes_to_a_contract_maker() -> None:
    advice = recommend({**TOY_SHOP, "capability": "none"})
    assert advice.category == "swedish_contract"


IDEA: dict[str, Any] = {
    "situation": "new_product",
    "stage": "idea",
    "company": "none",
    "capability": "none",
    "volume": 300,
    "markets": ["sweden"],
    "capital": 15000,
    "time_to_market": "relaxed",
}


@pytest.mark.parametrize("priorities", [["cost", "proximity"], ["quality", "lead_time"], ["cost"]])
def test_an_idea_is_made_ready_first_whatever_the_priorities(priorities: list[str]) -> None:
    assert recommend({**IDEA, "priorities": priorities}).category == "idea_stage"
