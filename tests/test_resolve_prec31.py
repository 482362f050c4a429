"""Branch prec31: a passage whose own heading names another market, and another entry's note that states no
date, don't take a question from the passage that answers it."""

from __future__ import annotations

from test_resolve_precise import keys

from bot.actions.resolve import Message
from bot.kb import KnowledgeBase


def test_a_paragraph_headed_by_another_market_does_not_answer(shipped_kb: KnowledgeBase) -> None:
    # Duty on exports to the USA is asked about; the paragraph headed "USA, tull på varor från Kina" is about
    # Chinese goods, which the message never mentions.
    found = keys(shipped_kb, Message("Vad gäller för tull när vi exporterar skidstavar till USA?"))
    assert found and "export-utanfor-eu:body.19" not in found


def test_the_market_the_heading_names_still_finds_its_paragraph(shipped_kb: KnowledgeBase) -> None:
    found = keys(shipped_kb, Message("Vilken extra tull tar USA på varor från Kina?"))
    assert found[:1] == ["export-utanfor-eu:body.19"]


def test_a_compiled_note_does_not_answer_when_to_involve_the_maker(shipped_kb: KnowledgeBase) -> None:
    # "konstruktionen" is in the welding rules' title; their dates passage is only a note on when the
    # entry was compiled, and the advice on choosing a maker says when to bring the maker in.
    found = keys(shipped_kb, Message("När ska vi blanda in tillverkaren i konstruktionen?", "ask_dates"))
    assert found and not found[0].endswith(":dates")
    assert found[0].split(":")[0] in {"valja-tillverkare", "design-for-manufacturing"}
