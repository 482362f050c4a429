"""A version number names the other round of the programme under discussion (question set 20, k052: "Och hur
mycket pengar fanns i version 2.0?" after an answer on Smart industri i regionerna 1.0 got 1.0's amount)."""

from __future__ import annotations

import pytest

from bot.actions.resolve import Message, resolve
from bot.kb import KnowledgeBase


@pytest.mark.parametrize(
    ("text", "current", "expected", "amount"),
    [
        ("Och hur mycket fanns i version 2.0?", "smart-industri-i-regionerna-1-0", "2-0", "80 miljoner"),
        ("Och 1.0 då, hur mycket var det?", "smart-industri-i-regionerna-2-0", "1-0", "25 miljoner"),
    ],
)
def test_a_version_number_names_the_other_round(
    shipped_kb: KnowledgeBase, text: str, current: str, expected: str, amount: str
) -> None:
    found = resolve(shipped_kb, Message(text, "ask_amount", current=current))
    assert found.entry is not None and found.entry.id == f"smart-industri-i-regionerna-{expected}"
    assert amount in found.passages[0].text


def test_the_version_of_the_entry_under_discussion_changes_nothing(shipped_kb: KnowledgeBase) -> None:
    current = "smart-industri-i-regionerna-1-0"
    found = resolve(shipped_kb, Message("Hur mycket pengar fanns i 1.0?", "ask_amount", current=current))
    assert found.entry is not None and found.entry.id == current


def test_a_name_asked_for_is_what_works_with_those_named(shipped_kb: KnowledgeBase) -> None:
    # Question set 20, k047: a platform described by its partners, its name asked for, got "förstod inte".
    text = (
        "Någon pratade om en digital plattform som kopplar ihop idéägare med svenska tillverkare, "
        "RISE och IUC och SISP var med. Jag glömde namnet. Vad hette det där?"
    )
    found = resolve(shipped_kb, Message(text, "nlu_fallback"))
    assert found.entry is not None and found.entry.id == "manufacturing-guide"


def test_a_name_asked_of_one_named_thing_is_no_description(shipped_kb: KnowledgeBase) -> None:
    found = resolve(shipped_kb, Message("Vad heter IUC:s kontaktperson?", "ask_entry"))
    assert found.entry is None or found.entry.id != "manufacturing-guide"
