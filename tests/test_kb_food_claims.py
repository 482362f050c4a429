"""Health claims on a food's label (persona round 29b, p09, unsound: "får etiketten säga att det stärker
immunförsvaret?" got no answer and no warning): the food entry says that a health claim must be authorised
beforehand and that no food may be said to prevent, treat or cure a disease, each with its source."""

from __future__ import annotations

from typing import Any

import pytest
from test_followup_limits import reply, tracker

from bot.actions.handoff import ActionClarify
from bot.actions.resolve import Message, resolve
from bot.kb import KnowledgeBase

JUICE: dict[str, Any] = {
    "situation": "new_product",
    "product_type": ["food"],
    "stage": "prototype",
    "capability": "manual",
    "volume": 5000,
    "markets": ["sweden"],
    "company": "micro",
}


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("Får vi skriva på etiketten att havtornsjuicen stärker immunförsvaret?", "godkänt i förväg"),
        ("Vad gäller för hälsopåståenden på en juice?", "godkänt i förväg"),
        ("får man påstå att saften botar förkylning", "förebygger, behandlar eller botar"),
    ],
)
def test_a_claim_question_gets_the_paragraph_that_answers(
    shipped_kb: KnowledgeBase, question: str, words: str
) -> None:
    found = resolve(shipped_kb, Message(question, "nlu_fallback"))
    assert found.passages and found.passages[0].entry_id == "livsmedel"
    assert words in found.passages[0].text


def test_the_claim_question_after_the_advice_is_answered_with_its_source(
    kb: KnowledgeBase, domain: dict[str, Any]
) -> None:
    question = "Får vi skriva på flaskan att drycken stärker immunförsvaret?"
    text = reply(ActionClarify(), tracker(question, "nlu_fallback", JUICE), domain)
    assert "godkänt i förväg" in text and "evira.fi" in text, text
