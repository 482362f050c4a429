"""Follow-ups after a recommendation (persona round 31): practical, money and sales questions get the passage
that holds their subject (help with selling and who gives it, export help, a small series at an electronics
maker, what NRE means in a quote, licensing an invention), and a question on selling is told plainly that the
knowledge base has no advice on it, with the actors that help instead. In our own words."""

from __future__ import annotations

from typing import Any

import pytest
from test_followup import LAMP, SENSOR, SLEDGE, STUDENT, WELDING, reply, tracker

from bot.actions.followup import named_advice
from bot.actions.handoff import ActionClarify
from bot.actions.limits import SALES_HELP, sales_help_answer
from bot.actions.resolve import Message
from bot.kb import KnowledgeBase
from bot.swedish import fold


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Det svåra för oss är försäljningen. Vem kan hjälpa till med den?", True),
        ("Marknadsföring är vår svaga sida – finns det någon som ger råd om det?", True),
        ("Kan du hjälpa mig med försäljningen?", True),
        ("Vilka regler gäller för försäljningen i Norge, kan du hjälpa oss?", False),
        ("Finns det lån som kan hjälpa oss att öka försäljningen?", False),
        ("Hur hjälper en pilotserie oss?", False),
    ],
)
def test_a_request_for_help_with_selling(question: str, asks: bool) -> None:
    assert bool(SALES_HELP.search(fold(question))) is asks


@pytest.mark.parametrize("profile", [WELDING, LAMP])
def test_help_with_selling_names_who_helps_instead_of_the_supports_list(
    kb: KnowledgeBase, domain: dict[str, Any], profile: dict[str, Any]
) -> None:
    question = "Det svåra för oss är marknaden och försäljningen. Vem kan stötta oss med det?"
    text = reply(ActionClarify(), tracker(question, "nlu_fallback", profile), domain)
    assert "inget säkert underlag" in text
    assert "Almi" in text and "Business Sweden" in text
    assert "RISE" not in text and "Källa:" in text


def test_the_sales_entry_is_found_by_its_topic(kb: KnowledgeBase) -> None:
    found = sales_help_answer(kb, Message(text="Marknadsföringen – vem kan hjälpa oss där?"))
    assert found is not None and found.entry is not None
    assert "sales" in found.entry.topics
    assert sales_help_answer(kb, Message(text="Vad kostar ett formverktyg?")) is None


@pytest.mark.parametrize(
    ("question", "profile", "expected", "wrong"),
    [
        ("Vem hjälper oss att börja exportera till Finland?", WELDING, "Business Sweden", "Arctic"),
        ("Gör EMS-företag små serier på några hundra kort?", SENSOR, "minsta orderkvantitet", "AS9100"),
        ("Kan vi licensiera ut idén till ett företag som redan tillverkar?", STUDENT, "licens", "KTH"),
        ("Hur räknar vi in tull och frakt i jämförelsen med Asien?", SLEDGE, "tull", "inget säkert svar"),
    ],
)
def test_a_money_or_sales_question_gets_the_passage_on_its_subject(
    kb: KnowledgeBase,
    domain: dict[str, Any],
    question: str,
    profile: dict[str, Any],
    expected: str,
    wrong: str,
) -> None:
    text = reply(ActionClarify(), tracker(question, "nlu_fallback", profile), domain)
    assert expected in text
    assert wrong not in text


def test_a_question_what_a_named_term_means_gets_its_definition(kb: KnowledgeBase) -> None:
    found = named_advice(kb, Message(text="Vad betyder NRE på fakturan och varför är den så hög?"), [])
    assert found is not None and found.entry is not None
    assert found.entry.id == "nre"
    assert "engångskostnader" in found.passages[0].text
    # Not a question what it is: the definition is no answer on its own words.
    assert named_advice(kb, Message(text="Hur förhandlar vi ner NRE på fakturan?"), []) is None
