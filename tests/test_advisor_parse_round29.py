"""Persona round 29: free text in the consultation read as facts it does not state.

- "Kosmetika? Nej" became a cosmetic product (a question the user answers no at once);
- a question in the middle ("borde vi inte ta en fabrik i Kina?", "ska vi flytta till Litauen?") changed an
  answer already given;
- "vi gör inga maskiner själva" (about the product) became "Ingen egen tillverkning";
- a make-or-buy question and a product described without a question got a passage instead of the
  consultation.
The cases are in other words than the transcripts.
"""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker

from bot.actions.advice import describes_what_to_do, opens_consultation
from bot.actions.newfacts import stated_facts
from bot.advisor import parse_answer, slot_updates


def tracker_for(text: str, intent: str = "ask_entry") -> Tracker:
    message = {"text": text, "intent": {"name": intent, "confidence": 0.7}, "entities": []}
    return Tracker("p29", {}, message, [], False, None, {}, "action_listen")


@pytest.mark.parametrize(
    ("text", "denied"),
    [
        ("Ett ställ i lackerad plåt. Kosmetika? Nej. Leksak? Nej.", {"cosmetics", "toys"}),
        ("Livsmedel: nej, det är en hylla i trä", {"food"}),
        ("en lampa i mässing, leksak – nej", {"toys"}),
    ],
)
def test_a_question_answered_no_denies_what_it_names(text: str, denied: set[str]) -> None:
    result = parse_answer(text)
    assert not denied & set(result.values.get("product_type") or [])
    assert denied <= set(result.negated["product_type"])


def test_a_question_answered_no_keeps_the_rest_of_the_product() -> None:
    result = parse_answer("Kosmetika? Nej. Det är en apparat med elektronik i ett plasthölje.")
    assert {"electronics", "plastics"} <= set(result.values["product_type"])
    assert "cosmetics" not in result.values["product_type"]


def test_a_question_answered_yes_still_names_the_product() -> None:
    assert "cosmetics" in parse_answer("Kosmetika? Ja, en hudkräm.").values["product_type"]


def test_after_the_advice_a_denial_in_its_own_clause_adds_nothing() -> None:
    filled = {"situation": "new_product", "product_type": ["lighting"]}
    assert "product_type" not in stated_facts("kosmetika – nej, livsmedel – nej", filled)


@pytest.mark.parametrize(
    ("text", "filled"),
    [
        ("Ska vi flytta sömnaden till Estland?", {"situation": "cost_leadtime"}),
        ("Borde vi inte köpa allt från en leverantör?", {"capability": "full"}),
        ("Gäller samma sak för leksaker?", {"product_type": ["textile"]}),
    ],
)
def test_a_question_does_not_change_a_given_answer(text: str, filled: dict[str, Any]) -> None:
    assert slot_updates(filled, parse_answer(text, expected="capital")) == {}


def test_a_question_may_fill_an_empty_answer() -> None:
    # An opening is often a question: what it names is all there is to go on.
    assert slot_updates({}, parse_answer("Ska vi flytta tillverkningen till Polen?")) == {
        "situation": "relocate"
    }


def test_a_rhetorical_question_still_tells_what_the_product_is() -> None:
    updates = slot_updates(
        {"product_type": ["electronics"]}, parse_answer("Är den inte medicinteknisk?", expected="capital")
    )
    assert "medtech" in updates["product_type"]


@pytest.mark.parametrize(
    "text",
    [
        "vi gör inga maskiner själva",
        "vi bygger inga maskiner, vi är underleverantör",
    ],
)
def test_what_the_company_does_not_make_is_no_answer_about_own_production(text: str) -> None:
    assert parse_answer(text, expected="capability").values.get("capability") != "none"


def test_a_workshop_after_what_the_company_does_not_make_is_own_production() -> None:
    text = "vi gör inga maskiner själva men svetsar och bockar i vår verkstad"
    assert parse_answer(text, expected="capability").values["capability"] == "full"


def test_no_machines_of_ones_own_is_still_no_own_production() -> None:
    assert parse_answer("vi har inga maskiner", expected="capability").values["capability"] == "none"


@pytest.mark.parametrize(
    "text",
    [
        "nej, vi har egen verkstad med svarv och fräs",
        "Det stämmer inte. Vi tillverkar allt i egen regi.",
    ],
)
def test_a_correction_in_plain_words_gives_own_production(text: str) -> None:
    filled = {"situation": "new_product", "capability": "none", "product_type": ["mechanical"]}
    assert stated_facts(text, filled).get("capability") == "full"


def test_a_make_or_buy_question_asks_for_advice() -> None:
    assert describes_what_to_do("Ska vi köpa in korten färdiga eller löda dem själva? Vi gör pumpstyrningar.")


def test_a_product_described_without_a_question_opens_the_consultation() -> None:
    text = "Vi har tagit fram en pulsmätare som sjukhusen ska använda, och behöver hitta en tillverkare."
    assert opens_consultation(tracker_for(text), understood=True)


def test_a_question_about_one_fact_does_not_open_it() -> None:
    text = "Vi har tagit fram en pulsmätare. Vilken tillverkare kan göra en nollserie?"
    assert not opens_consultation(tracker_for(text), understood=True)
