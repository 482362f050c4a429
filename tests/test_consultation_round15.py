"""Persona round 15, p05: a medtech company that described itself and asked "Ska vi bygga egen tillverkning
eller lägga ut?" got facts about MDR instead of the consultation. Which of two ways to take, asked about
the user's own production, is a request for advice; a choice between two facts or a yes/no question is not."""

from __future__ import annotations

import pytest

from bot.actions.advice import asks_for_advice, describes_what_to_do


@pytest.mark.parametrize(
    ("text", "advice"),
    [
        (
            "Vi utvecklar ett sterilt engångsinstrument i formsprutad plast, 20 000 st per år. Ska vi bygga "
            "egen tillverkning eller lägga ut?",
            True,
        ),
        ("Ska vi tillverka i Sverige eller i Kina?", True),
        ("Bör jag lägga ut tillverkningen eller göra den själv?", True),
        ("Måste produkten CE-märkas eller inte?", False),
        ("Ska vi söka Almis lån eller Vinnovas bidrag?", False),
        ("Vi har en prototyp. Kan vi gå direkt till full produktion?", False),
        # Judging one's own plan (persona round 15, p10).
        ("Vi bygger styrskåp, plåten köper vi. Borde vi lägga ut tillverkningen?", True),
        ("Vi vill bygga batteripacken själva här i Malmö, vi har ca 5 mille. Dumt eller smart?", True),
        ("Är det dumt att CE-märka själv?", False),
    ],
)
def test_which_way_to_take_is_a_request_for_advice(text: str, advice: bool) -> None:
    assert asks_for_advice(text) is advice


def test_a_description_ending_in_a_choice_of_ways_opens_the_consultation() -> None:
    assert describes_what_to_do(
        "Vi är sex personer och gör ett medicintekniskt instrument. Ska vi tillverka själva eller lägga ut?"
    )
    assert not describes_what_to_do("Vi säljer lampor. Måste de CE-märkas eller räcker en försäkran?")


@pytest.mark.parametrize(
    ("text", "opens"),
    [
        # Persona round 20b, p10: a plan described and closed with "Funkar det?" got a machinery passage.
        (
            "Vi är fyra personer i Borås och syr regnkläder till hundar. Vi tänker sy 2 000 st om året "
            "själva i vår lokal. Funkar det?",
            True,
        ),
        ("Vi vill låta en verkstad i Polen svetsa ramarna, ungefär 500 om året. Vad tror du?", True),
        ("Vi planerar att montera pumparna här och köpa gjutgodset. Håller det?", True),
        ("Går det att söka innovationslån två gånger?", False),
        ("Vad tror du om Almi?", False),
    ],
)
def test_a_plan_closed_with_does_it_work_asks_for_advice(text: str, opens: bool) -> None:
    assert describes_what_to_do(text) is opens
