"""English questions are searched in their Swedish words and their names (issue #11: "an English question
gets a useful answer in Swedish"). The English words left in a mixed text matched English names by chance
("manufacturing" → Manufacturing Guide) and counted as words nothing answers, so "What support can I get from
Tillväxtverket for manufacturing?" got nothing at all."""

from __future__ import annotations

import pytest

from bot.actions.resolve import Message, english_intent, resolve
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


@pytest.mark.parametrize(
    ("text", "nlu_guess", "entry", "field"),
    [
        # The Swedish NLU read "What is …" as a purpose question: the English question words decide.
        ("What is Produktionslyftet?", "ask_purpose", "produktionslyftet", "summary"),
        # No English question word names a fact, but "can … apply" asks who may.
        ("Can a small firm apply directly for money from the European Regional Development Fund?",
         "ask_entry", "regionalfonden", "who_can_apply"),
        ("How many people are employed by Swedish industry and industry-related services?",
         "ask_amount", "industrins-betydelse-for-sverige", None),
    ],
)  # fmt: skip
def test_an_english_question_is_read_by_its_own_question_words(
    shipped_kb: KnowledgeBase, text: str, nlu_guess: str, entry: str, field: str | None
) -> None:
    found = resolve(shipped_kb, Message(text, nlu_guess))
    assert found.passages[0].entry_id == entry
    if field:
        assert found.passages[0].field == field


def test_an_english_two_part_question_gets_both_parts(shipped_kb: KnowledgeBase) -> None:
    found = resolve(
        shipped_kb,
        Message(
            "What is the loan range of Almi's innovation loan, and which companies can get one?", "ask_amount"
        ),
    )
    assert {(p.entry_id, p.field) for p in found.passages[:2]} == {
        ("almi-innovationslan", "amount"),
        ("almi-innovationslan", "who_can_apply"),
    }


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Who is eligible for the call?", "ask_eligibility"),
        ("How much can we borrow?", "ask_amount"),
        ("When does it close?", "ask_dates"),
        ("Is it still open?", "ask_status"),
        ("What was the purpose of the assignment?", "ask_purpose"),
        ("Tell me about Robotlyftet", "ask_entry"),
    ],
)
def test_english_question_words_name_the_fact_asked(text: str, intent: str) -> None:
    assert english_intent(text) == intent
