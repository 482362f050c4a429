"""Follow-ups after a recommendation (issues #10/#11, persona rounds 26/26b): a question on what the user's
own product requires is answered from its own rules, a listed general rule gives way to the own rule's
paragraph that holds more of the question, and a question that asks only a cost is not answered by a paragraph
that names none. In our own words."""

from __future__ import annotations

from typing import Any

import pytest
from test_followup import COSMETICS, MEDTECH, reply, tracker
from test_followup_round21 import ONE_OFF

from bot.actions.followup import product_stems
from bot.actions.handoff import ActionClarify
from bot.actions.knowledge import ActionAnswerKb
from bot.actions.limits import COST_QUESTION
from bot.kb import KnowledgeBase
from bot.swedish import content_stems, fold

MAKE_YOURSELF_GIST = "Att tillverka själv ger mer kontroll"


def test_the_words_for_the_users_own_product_come_from_its_product_type() -> None:
    stems = product_stems(COSMETICS)
    assert content_stems("krämerna")[0] in stems and content_stems("lokal")[0] not in stems
    assert product_stems(None) == frozenset()


@pytest.mark.parametrize(
    "message",
    [
        "Vilka krav gäller för lokalen om vi börjar röra ihop krämerna själva?",
        "Vad krävs av lokalerna om vi tillverkar krämerna i egen regi?",
    ],
)
@pytest.mark.parametrize("intent", ["ask_make_or_buy", "nlu_fallback"])
def test_a_requirement_on_own_premises_gets_the_products_own_rules(
    kb: KnowledgeBase, domain: dict[str, Any], message: str, intent: str
) -> None:
    action = ActionAnswerKb() if intent == "ask_make_or_buy" else ActionClarify()
    text = reply(action, tracker(message, intent, COSMETICS), domain)
    assert MAKE_YOURSELF_GIST not in text
    assert "kosmetik" in text.lower() and "lokal" in text.lower()


def test_a_listed_general_rule_gives_way_to_the_own_rules_paragraph_on_the_subject(
    kb: KnowledgeBase, domain: dict[str, Any]
) -> None:
    message = "Vad blir det med CE-märket om elskåpen byggs av någon annan?"
    text = reply(ActionClarify(), tracker(message, "nlu_fallback", ONE_OFF), domain)
    assert "skåpbyggare" in text or "Elskåp" in text
    assert "kontraktstillverkare (legotillverkare, EMS)" not in text


def test_a_named_rule_the_own_paragraph_does_not_name_stays_the_answer(
    kb: KnowledgeBase, domain: dict[str, Any]
) -> None:
    message = "Omfattas filterhusen i skåpen av tryckutrustningsdirektivet?"
    text = reply(ActionClarify(), tracker(message, "nlu_fallback", ONE_OFF), domain)
    assert "PED" in text and "Elskåp från en skåpbyggare" not in text


@pytest.mark.parametrize(
    ("question", "asks_cost"),
    [
        ("Vad kostar det ungefär att få apparaten granskad?", True),
        ("Hur mycket kostar provningen?", True),
        ("Var provar man klossarna, och vad kostar det?", False),
        ("Vad kostar mest i en produktkalkyl, och hur sänker vi det?", False),
    ],
)
def test_a_question_only_about_cost(question: str, asks_cost: bool) -> None:
    assert bool(COST_QUESTION.search(fold(question))) is asks_cost


def test_what_a_notified_body_costs_gets_the_paragraph_on_its_fees(
    kb: KnowledgeBase, domain: dict[str, Any]
) -> None:
    message = "Vad kostar det att anlita ett anmält organ?"
    text = reply(ActionClarify(), tracker(message, "nlu_fallback", MEDTECH), domain)
    assert "avgift" in text
