"""English questions are searched in their Swedish words and their names (issue #11: "an English question
gets a useful answer in Swedish"). The English words left in a mixed text matched English names by chance
("manufacturing" → Manufacturing Guide) and counted as words nothing answers, so "What support can I get from
Tillväxtverket for manufacturing?" got nothing at all."""

from __future__ import annotations

import pytest

from bot.actions.resolve import Message, resolve
from bot.kb.store import KnowledgeBase
from bot.swedish import from_english, looks_english


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("Can I get a loan for working capital from Almi?", "almi-lan-rorelsekapital"),
        ("Who may apply for business development vouchers?", "affarsutvecklingscheckar"),
        ("What does Tillväxtverket offer manufacturers?", "tillvaxtverket"),
        ("Tell me about the Manufacturing Guide", "manufacturing-guide"),
    ],
)
def test_an_english_question_finds_its_swedish_passage(
    shipped_kb: KnowledgeBase, text: str, entry: str
) -> None:
    assert looks_english(text)
    found = resolve(shipped_kb, Message(text, "ask_entry"))
    assert [p.entry_id for p in found.passages][:1] == [entry]


def test_domain_phrases_are_said_in_swedish() -> None:
    assert "rörelsekapital" in from_english("is there a loan for working capital")
    assert "vem äger" in from_english("who owns it")
    # A Swedish sentence is not taken for English.
    assert not looks_english("Vem kan söka affärsutvecklingscheckar från Tillväxtverket?")
