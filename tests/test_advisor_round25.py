"""Faults of persona rounds 25/25b fixed in the twelfth session."""

from __future__ import annotations

from typing import Any

import pytest

from bot.actions.newfacts import read_statements
from bot.advisor.parsing.parse import parse_answer


@pytest.mark.parametrize(
    "text",
    [
        "Vi har faktiskt aldrig testat leksakerna hos något labb.",
        "Ärligt talat har vi inte provat vedklyven i kyla.",
    ],
)
def test_a_negated_deed_does_not_take_back_the_product(text: str) -> None:
    # Round 25, p10: "aldrig testat leksakerna" dropped the toys and their CE rules.
    assert parse_answer(text).negated.get("product_type") is None


@pytest.mark.parametrize(
    ("text", "taken_back"),
    [
        ("Det är inte en leksak, det är en prydnad i trä.", "toys"),
        ("Produkten är inte en maskin.", "machinery"),
        ("ingen maskin", "machinery"),
    ],
)
def test_a_negated_identity_still_takes_the_product_back(text: str, taken_back: str) -> None:
    assert taken_back in (parse_answer(text).negated.get("product_type") or ())


def test_a_question_after_the_advice_keeps_the_toys() -> None:
    filled = {"product_type": ["toys", "wood"], "situation": "scale_up", "volume": 10000}
    said = read_statements(
        "Ärligt talat har vi aldrig testat leksakerna. Måste vi till ett anmält organ?", filled
    )
    assert "product_type" not in said.answers


@pytest.mark.parametrize(
    "text",
    [
        # Round 25, p10 got a cosmetics passage for a question whether the present set-up will do.
        "Vi målar träbilar för småbarn i Rättvik, en snickare gör dem åt oss, 1 500 om året. "
        "Nu vill en norsk kedja ha 6 000. Räcker det att vi gör som vi gör idag?",
        "Vi är sex personer som svetsar grillar i Borås, 800 om året. En kund vill ha 3 000. "
        "Kan vi fortsätta som nu?",
    ],
)
def test_whether_the_present_set_up_will_do_opens_the_consultation(text: str) -> None:
    from test_advisor_open26 import opening

    from bot.actions.advice import describes_what_to_do, opens_consultation

    assert describes_what_to_do(text)
    assert opens_consultation(opening(text))


def test_the_bank_is_no_bench() -> None:
    # Round 25b, p06: "banken är positiv" (folded "bank", as "bänk") made a bike trailer a piece of furniture.
    assert "product_type" not in parse_answer("2 miljoner kan vi satsa, och banken är med på det").values
    assert parse_answer("vi snickrar sittbänkar till hallen").values["product_type"] == ["furniture"]


def test_a_grinder_touches_what_it_grinds_and_is_no_food() -> None:
    # Round 25b, p03: a coffee grinder got food rules and a food-business registration.
    assert parse_answer("vi gör en handdriven pepparkvarn i ek").values["product_type"][0] == "food_contact"
    said = parse_answer("Kvarnen maler ju kryddor, vilka regler gäller för material i kontakt med livsmedel?")
    assert said.values["product_type"] == ["food_contact"]


@pytest.mark.parametrize(
    "question",
    [
        "oj, jag visade ritningarna på en mässa i våras och la ut en film på nätet. förstör det patentet?",
        "kan jag fortfarande få patent om jag redan visat idén offentligt?",
    ],
)
def test_showing_the_idea_in_public_is_answered_with_the_novelty_rule(question: str) -> None:
    # Round 25, p07 (unsound): asked twice, answered with PRV's fees. Asked after the advice it still gets
    # the advice on protecting an idea (left for the next session; see the closing note).
    from bot.actions.resolve import Message, resolve
    from bot.kb.store import KnowledgeBase
    from bot.settings import get_settings

    found = resolve(KnowledgeBase(get_settings().knowledge_db), Message(question, "ask_entry"))
    assert found.passages[0].entry_id == "nyhetskrav-patent"


STUDENT = {
    "situation": "new_product",
    "stage": "idea",
    "company": "none",
    "product_type": ["electronics", "plastics"],
    "capital": 20000,
    "priorities": ["sustainability"],
}


def test_after_the_advice_showing_the_idea_is_answered_with_the_novelty_rule(domain: dict[str, Any]) -> None:
    # The same question after the advice got the advice on protecting an idea (a related advice entry was
    # preferred to the definition although the definition holds more of the question).
    from test_followup_round16 import assert_answers

    assert_answers(
        domain,
        STUDENT,
        "kan jag fortfarande få patent om jag redan visat idén offentligt?",
        ["Nyhetskravet|ny:|inte ha blivit känd"],
        ["årsavgift", "Ansökningsavgiften", "sekretessavtal"],
    )


def test_what_to_keep_track_of_is_no_priority() -> None:
    # Round 25, p03 (unsound): "Vad behöver vi ha koll på?" became the priority quality and control, which
    # then decided the recommendation. A statement still says it.
    assert "priorities" not in parse_answer("Vi säljer hundselar. Vad måste vi ha koll på?").values
    assert parse_answer("Vi vill ha koll på kvaliteten.").values["priorities"] == ["control"]


def test_protecting_the_idea_says_nothing_of_the_stage() -> None:
    # Advisor tuning set 23, s02: "… och skydda idén" as a priority made three working prototypes an idea.
    assert "stage" not in parse_answer("billigt och fort, och att skydda idén", "priorities").values
    assert parse_answer("bara en idé än så länge", "stage").values["stage"] == "idea"
