"""A company's turnover against an entry's turnover condition ("vi omsätter två miljoner, kan vi få en
affärsutvecklingscheck?" → no: at least 3 million kronor), and English size questions ("300 employees")."""

from __future__ import annotations

from typing import Any

import pytest
from test_followup_limits import reply, tracker

from bot.actions.eligibility import asked_size, turnover_verdict
from bot.actions.knowledge import ActionAnswerKb
from bot.kb import KnowledgeBase

CHECKS = "Företag med 2–49 anställda och en omsättning på minst 3 miljoner kronor (villkor omkring 2024)."
LOAN = "Företag i Sverige med högst 250 anställda och högst 50 miljoner euro i omsättning (villkor 2024)."


@pytest.mark.parametrize(
    ("question", "condition", "verdict"),
    [
        ("Vi omsätter ungefär två miljoner, kan vi få en check?", CHECKS, "too_low"),
        ("vi omsatter 2,5 mkr", CHECKS, "too_low"),
        ("Omsättningen är 12 MSEK i år", CHECKS, "fits"),
        ("vi har 4 MSEK i omsättning", CHECKS, "fits"),
        ("omsättning runt 60 miljoner euro", LOAN, "too_high"),
        ("omsättning runt 20 miljoner euro", LOAN, "fits"),
        # Kronor against a condition in euro: not compared (no exchange rate in the knowledge base).
        ("vi omsätter 60 miljoner", LOAN, None),
        # No turnover in the question, or none in the condition.
        ("vi är 12 anställda", CHECKS, None),
        ("vi omsätter 2 miljoner", "Företag med 2–49 anställda.", None),
    ],
)
def test_the_turnover_verdict(question: str, condition: str, verdict: str | None) -> None:
    found = turnover_verdict(question, condition)
    assert (found.verdict if found else None) == verdict


def test_the_condition_is_worded_with_its_floor() -> None:
    found = turnover_verdict("vi omsätter två miljoner", CHECKS)
    assert found is not None
    assert (found.turnover, found.condition) == ("2 miljoner kronor", "minst 3 miljoner kronor i omsättning")


@pytest.mark.parametrize(
    ("question", "size"), [("Can a company with 300 employees apply?", 300), ("we are 8 people", 8)]
)
def test_an_english_question_gives_its_size(question: str, size: int) -> None:
    assert asked_size(question) == size


def test_a_turnover_below_the_floor_is_told_no_though_the_size_fits(
    kb: KnowledgeBase, domain: dict[str, Any]
) -> None:
    question = "Vi är sju anställda och omsätter ungefär två miljoner. Kan vi få en affärsutvecklingscheck?"
    text = reply(ActionAnswerKb(), tracker(question, "ask_eligibility", {}, summary=None), domain)
    assert text.startswith("Nej, inte med en omsättning på 2 miljoner kronor"), text
    assert "Storleken stämmer" not in text


def test_size_and_turnover_that_fit_are_both_said(kb: KnowledgeBase, domain: dict[str, Any]) -> None:
    question = "Vi är 20 anställda och omsätter 15 miljoner, kan vi söka affärsutvecklingscheckar?"
    text = reply(ActionAnswerKb(), tracker(question, "ask_eligibility", {}, summary=None), domain)
    assert text.startswith("Storleken och omsättningen stämmer: 20 anställda och 15 miljoner kronor"), text
