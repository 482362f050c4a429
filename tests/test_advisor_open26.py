"""Issue #10, points 1 and 3 (persona rounds 23-24b): a first-person description that asks what to do now
starts the consultation with what it says, and free text fills the profile only with what the user said (a
market size, a stock value or a question is no answer). The parse table is the `parse_cases` of
tests/data/advisor_tuning_scenarios25.yml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from test_advisor_parse_round11 import check_parse_case, parse_cases

from bot.actions.advice import describes_what_to_do, opens_consultation
from bot.advisor import parse_answer

CASES = Path(__file__).parent / "data" / "advisor_tuning_scenarios25.yml"


@pytest.mark.parametrize("case", parse_cases(CASES))
def test_parse_case(case: dict[str, Any]) -> None:
    check_parse_case(case)


def opening(text: str, intent: str = "inform") -> Tracker:
    return Tracker(
        "s",
        {},
        {"text": text, "intent": {"name": intent, "confidence": 0.5}, "entities": []},
        [],
        False,
        None,
        {},
        "action_listen",
    )


@pytest.mark.parametrize(
    "text",
    [
        # The question points back at the situation, whatever its verb.
        "Jag bakar knäckebröd i mitt bageri i Ystad, 3 000 paket om året, och en grossist vill ha "
        "40 000. Hur löser jag det?",
        "vi är fyra som gör snöskor i Kiruna, runt 600 par per år men nu vill en sportkedja ha 5000 "
        "par. hur ska vi hinna med det",
        "Jag svarvar pennor i ädelträ hemma, ett par hundra om året. Nu vill en designbutik ha 3 000. "
        "Hur får vi till det här?",
        # What to keep in mind, about the whole situation.
        "Vi tillverkar båtkapell i Karlskrona, åtta anställda, 900 kapell om året. Vi vill fördubbla "
        "till nästa år. Vad måste vi tänka på?",
        # Bringing down a lead time in one's own company.
        "Vi bygger skräddarsydda hyvelmaskiner efter order, 30 anställda, och leveranstiden är nu 16 veckor. "
        "Hur minskar vi den?",
        # Where to put the making, asked as a choice.
        "Vi gör kattklätterträd i egen verkstad, 2 000 om året. Ska vi flytta det till Polen?",
        # Bringing the making home, in the present tense.
        "Våra tältpinnar görs i Vietnam i dag, 50 000 om året. Hur flyttar vi hem produktionen?",
        # "Hur får jag X tillverkad" with any object.
        "Jag har ritat en cykelhjälm med inbyggd LED-lampa, ca 2000 om året. Hur får jag hjälmen tillverkad?",
    ],
)
def test_a_description_asking_what_to_do_now_opens_the_consultation(text: str) -> None:
    assert describes_what_to_do(text)
    assert opens_consultation(opening(text))
    assert opens_consultation(opening(text, "ask_competence_supply"), understood=True)


@pytest.mark.parametrize(
    "text",
    [
        # A question that names its own topic is for the knowledge base.
        "Vi gör båtkapell, 900 om året. Vad behöver vi tänka på när vi väljer tygleverantör?",
        "Vi gör båtkapell, 900 om året. Hur hittar jag en legotillverkare?",
        # No first person: a general question.
        "Hur kan man skydda det?",
    ],
)
def test_a_question_about_one_topic_is_no_request_for_advice(text: str) -> None:
    assert not describes_what_to_do(text)


def test_a_stock_value_is_no_capital_but_a_budget_still_is() -> None:
    """Persona round 24: "lager för flera miljoner" became 1 MSEK of capital."""
    assert "capital" not in parse_answer("Vi har ett varulager värt fyra miljoner").values
    assert parse_answer("Vi har fyra miljoner att investera").values["capital"] == 4_000_000


def test_a_market_size_is_no_volume_but_the_own_plan_is() -> None:
    """Persona round 24: "250 000 renar totalt" (the market size) became the yearly volume."""
    values = parse_answer("Det finns 80 000 fritidsbåtar i landet och vi vill sälja 1 200 om året").values
    assert values["volume"] == 1200


def test_the_company_form_asked_about_is_no_company() -> None:
    """Persona round 24: "behöver jag starta enskild firma eller AB nu?" set "Nystartat företag"."""
    assert "company" not in parse_answer("Ska jag registrera ett aktiebolag innan jag beställer?").values
    assert parse_answer("Jag registrerade ett aktiebolag i våras.").values["company"] == "startup"


def test_founders_with_angel_money_are_a_start_up() -> None:
    """Persona round 23b: three founders with money from an angel became an established micro company."""
    text = "Vi är fyra som grundat bolaget, och en affärsängel har gått in med pengar"
    assert parse_answer(text).values["company"] == "startup"


def test_spoken_nan_is_about_one() -> None:
    """Persona round 24: "nån miljon" as the answer to the capital question was not taken."""
    assert parse_answer("nån miljon kanske", expected="capital").values["capital"] == 1_000_000
    assert "capital" not in parse_answer("nån", expected="capital").values


def test_not_costing_too_much_is_the_cost_priority() -> None:
    """Persona round 24: "att det inte kostar för mycket" was not understood as the priority cost."""
    assert parse_answer("att det inte blir för dyrt", expected="priorities").values["priorities"] == ["cost"]
