"""Persona rounds 32/32b: a wooden toy for small children with magnets and a button-cell sound module got
nothing on magnets, button cells or EN IEC 62115. The toy rules now hold both paragraphs (Tukes' guidance on
toys, and UL on EN 62115), and a question about either finds its paragraph, not the toy rules' summary."""

from __future__ import annotations

import pytest

from bot.actions.resolve import Message, resolve
from bot.kb import KnowledgeBase


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("Finns det särskilda krav för magneter i en leksak för ettåringar?", "Magneter i leksaker"),
        ("Vi gör en leksak i trä med magneter i klossarna. Vad gäller för dem?", "Magneter i leksaker"),
        ("Hur ska batterifacket för knappcellen i leksaken vara gjort?", "Knappceller och batterifack"),
        ("Får barnet kunna öppna luckan till knappcellen i leksaken?", "Knappceller och batterifack"),
    ],
)
def test_a_toy_question_finds_its_paragraph(shipped_kb: KnowledgeBase, question: str, lead: str) -> None:
    found = resolve(shipped_kb, Message(question, "ask_entry", ()))
    assert found.passages and found.passages[0].entry_id == "leksaker"
    assert found.passages[0].text.startswith(lead)


def test_the_paragraphs_cite_the_page_that_holds_them(shipped_kb: KnowledgeBase) -> None:
    toys = shipped_kb.get("leksaker")
    assert toys is not None
    magnets = next(p for p in toys.passages if p.text.startswith("Magneter i leksaker"))
    assert "50 kG" in magnets.text and "EN 71-1" in magnets.text
    assert "tukes.fi" in (toys.source_for(magnets.key).url or "")
