"""A company's size against an entry's size condition, and the answer that judges it."""

from __future__ import annotations

from typing import Any

import pytest
from test_actions import domain, entity, fixture_db, kb, run, tracker  # noqa: F401  (fixtures)

from bot.actions.eligibility import asked_size, size_limits, size_verdict
from bot.actions.knowledge import ActionAnswerKb
from bot.kb import KnowledgeBase


@pytest.mark.parametrize(
    ("question", "size"),
    [
        ("Vi är 60 anställda på fabriken, kan vi få en check?", 60),
        ("vi är 12 personer, kan vi söka?", 12),
        ("ett företag med 8 medarbetare", 8),
        ("vi är 3", 3),
        # Typed without å, ä, ö: the size is read from the folded question.
        ("kan vi soka checken, vi ar typ 75 anstallda", 75),
        ("vi ar 14 pers", 14),
        ("kan vi få 60 000 kronor?", None),
        ("vi har 2 fabriker", None),
    ],
)
def test_the_size_a_question_gives(question: str, size: int | None) -> None:
    assert asked_size(question) == size


@pytest.mark.parametrize(
    ("condition", "limits"),
    [
        ("Företag med 2–49 anställda och minst 3 miljoner kronor i omsättning.", (2, 49)),
        ("Aktiebolag med 3-249 anställda.", (3, 249)),
        ("Företag i Sverige med högst 250 anställda.", (None, 250)),
        ("Företag med färre än 50 anställda.", (None, 49)),
        ("Företag med minst 10 anställda.", (10, None)),
        ("Regionalt utvecklingsansvariga aktörer.", None),
    ],
)
def test_the_size_a_condition_allows(condition: str, limits: tuple[int | None, int | None] | None) -> None:
    found = size_limits(condition)
    assert (found[:2] if found else None) == limits


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        ("Vi är 60 anställda, kan vi få en affärsutvecklingscheck?", "too_many"),
        ("Vi är 49 anställda, kan vi få en affärsutvecklingscheck?", "fits"),
        ("vi är 1 person, kan jag söka?", "too_few"),
        ("kan vi soka den, vi ar ungefar 120 anstallda", "too_many"),
        ("kan vi få en affärsutvecklingscheck?", None),
    ],
)
def test_the_verdict(question: str, verdict: str | None) -> None:
    found = size_verdict(question, "Företag med 2–49 anställda och en omsättning på minst 3 miljoner kronor.")
    assert (found.verdict if found else None) == verdict


def test_a_company_too_big_is_told_no_before_the_condition(kb: KnowledgeBase, domain: dict[str, Any]) -> None:  # noqa: F811
    question = "Vi är 300 anställda, kan vi få innovationslån hos almi?"
    messages, _ = run(ActionAnswerKb(), tracker("ask_eligibility", question), domain)
    text = messages[0]["text"]
    assert text.startswith("Nej, inte med 300 anställda: villkoret är högst 250 anställda.")
    assert "50 miljoner euro" in text and "Källa:" in text


def test_a_company_that_fits_is_told_so_and_sees_the_other_conditions(
    kb: KnowledgeBase,  # noqa: F811
    domain: dict[str, Any],  # noqa: F811
) -> None:
    question = "vi är 40 personer, kan vi söka almis innovationslån?"
    messages, _ = run(ActionAnswerKb(), tracker("ask_entry", question), domain)
    text = messages[0]["text"]
    assert text.startswith("Storleken stämmer: 40 anställda")
    assert "50 miljoner euro" in text
