"""Which first-person messages ask what to do (the consultation starts) and which ask about one topic that
the knowledge base answers first (bot/actions/advice.describes_what_to_do)."""

from __future__ import annotations

import pytest

from bot.actions.advice import describes_what_to_do


@pytest.mark.parametrize(
    ("text", "what_to_do"),
    [
        ("Vi bygger doseringsmoduler, ca 60 st om året i 40 varianter. Vad kan vi göra?", True),
        ("Vi tillverkar trädgårdsmöbler i Kina, 5000 per år, och vill flytta hem. Är det realistiskt?", True),
        ("Jag har en prototyp av en lampa. Hur ska jag tänka?", True),
        ("Vi gör allt för hand i dag. Lönar det sig för oss att automatisera?", True),
        # A what-to-do phrase that names its topic asks about the topic.
        ("Jag har två offerter, en från Kina. Hur ska jag tänka när jag jämför offerterna?", False),
        ("När lönar det sig att automatisera? Vi är åtta personer och monterar allt för hand.", False),
        # A judgement asked together with a question about one fact.
        (
            "Firman vill ha 180 000 kr för ett verktyg till min detalj. Är det rimligt och vem äger det sen?",
            False,
        ),
        # The step before a named milestone is one step, not the whole way to production.
        ("Vi har en färdig prototyp av en stol. Vad är nästa steg innan vi beställer 3000 stycken?", False),
        ("Jag har gjort en kökshylla. Vad blir nästa steg inför en stor order?", False),
        ("Vi har en färdig prototyp av en stol. Vad är nästa steg?", True),
        # No first person: a general question.
        ("Hur ska man tänka kring tillverkning?", False),
    ],
)
def test_what_to_do_or_a_question_about_a_topic(text: str, what_to_do: bool) -> None:
    assert describes_what_to_do(text) is what_to_do
