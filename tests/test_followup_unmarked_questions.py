"""A question after the recommendation changes no answer, with or without a question mark; a statement about
the user's own case still does (bot/actions/newfacts.py, issue #10 item 3: "behöver vi en importör i USA?"
changed the profile and the advice; a later volume must be taken)."""

from __future__ import annotations

import pytest

from bot.actions.newfacts import asks_in, stated_facts

# A Bluetooth kettle for consumers, sold in Sweden, made by a contract maker.
KETTLE = {
    "situation": "new_product",
    "stage": "prototype",
    "product_type": ["consumer", "electronics"],
    "capability": "none",
    "volume": 1_000,
    "markets": ["sweden"],
    "company": "startup",
    "capital": 600_000,
    "time_to_market": "normal",
    "ip_sensitivity": "low",
    "priorities": ["quality"],
}


@pytest.mark.parametrize(
    "text",
    [
        "måste vi ha en distributör i Kanada",
        "Jag undrar om det krävs ett ombud i USA",
        "undrar bara hur det blir med en importör i Japan",
        "behövs det en importör utanför EU",
    ],
)
def test_question_without_question_mark_changes_nothing(text: str) -> None:
    assert asks_in(text)
    assert stated_facts(text, KETTLE) == {}


@pytest.mark.parametrize(
    ("text", "slot", "value"),
    [
        ("Nu räknar vi med 4 000 st om året", "volume", 4_000),
        ("vi säljer i Norge och Finland också", "markets", ["sweden", "nordics"]),
    ],
)
def test_statement_about_own_case_still_changes_it(text: str, slot: str, value: object) -> None:
    assert not asks_in(text)
    assert stated_facts(text, KETTLE).get(slot) == value
