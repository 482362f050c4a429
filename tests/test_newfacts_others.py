"""A sentence about others in a message that asks is no fact of the user's case (persona round 29b, p10: "Och
Norge då? De är ju inte med i EU – räcker vår CE-märkning där?" took the EU out of the user's markets)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.actions.newfacts import read_statements

LAMPS: dict[str, Any] = {
    "situation": "scale_up",
    "product_type": ["lighting", "wood", "electronics"],
    "capability": "full",
    "volume": 800,
    "markets": ["sweden", "eu"],
    "company": "micro",
}


@pytest.mark.parametrize(
    "text",
    [
        "Och Norge då? De är ju inte med i EU – räcker vår CE-märkning där eller blir det nåt eget?",
        "Vad gäller i Schweiz? Dom är inte med i EU heller.",
    ],
)
def test_a_sentence_about_others_changes_no_answer(text: str) -> None:
    assert read_statements(text, LAMPS).answers == {}


def test_the_users_own_sentence_still_tells() -> None:
    answers = read_statements("Vi säljer inte i Tyskland längre. Vad gäller då?", LAMPS).answers
    assert answers == {"markets": ["sweden"]}
