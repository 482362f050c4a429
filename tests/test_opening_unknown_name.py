"""A first message that asks about a programme the knowledge base does not hold is told so, even when the
NLU guessed start_consultation with low confidence (question set 15: "Vilken ränta har Almis Produktionslån
Plus för tillverkande företag?" opened the consultation with "Egen tillverkning: Ja")."""

from __future__ import annotations

from typing import Any

import pytest
from test_consultation_route15 import offered, opened, run

from bot.actions.advice import ActionStartAdvisor
from bot.kb import KnowledgeBase


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Vilken ränta har Almis Produktionslån Plus för tillverkande företag?", "Produktionslån Plus"),
        (
            "Hur mycket kan man få från Vinnovas Tillverkningsbidrag Norr till en ny fabrik?",
            "Tillverkningsbidrag Norr",
        ),
    ],
)
def test_an_unknown_programme_in_a_first_question_is_said_to_be_unknown(
    text: str, name: str, domain: dict[str, Any], kb: KnowledgeBase
) -> None:
    ranking = [("start_consultation", 0.21), ("ask_eligibility", 0.13), ("ask_support_for", 0.09)]
    messages, _ = run(ActionStartAdvisor(), text, "start_consultation", ranking, domain)
    assert not opened(messages, domain)
    assert name in messages[0]["text"] and "finns inte i min kunskapsbas" in messages[0]["text"]
    assert offered(messages)


def test_a_request_for_advice_that_names_an_unknown_product_still_opens(
    domain: dict[str, Any], kb: KnowledgeBase
) -> None:
    text = "Vi har tagit fram Kompostkvarnen Plus och vill ha hjälp att välja hur den ska tillverkas."
    ranking = [("start_consultation", 0.45), ("inform", 0.2)]
    messages, _ = run(ActionStartAdvisor(), text, "start_consultation", ranking, domain)
    assert opened(messages, domain)
