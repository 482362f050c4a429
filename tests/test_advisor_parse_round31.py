"""Persona round 31 (branch parse31): how the consultation reads the user's free text.

- a unit price with a trade term ("180 kr FOB", "inköpspriset ... CIF") is never the capital;
- a company that has just been started or registered is a startup, however few its owners;
- the IP question answered with one level word ("låg", "medel", "hög");
- "nej, räkna med 2000" corrects a number: a figure after the asked question's cue is no year, and a leading
  "nej," says the correction phrase;
- the kind of jobs ("Blandat") is kept when a later answer mentions series;
- who makes the product by hand at home is not asked where it is made;
- a question or a complaint about a market ("du svarade inte om Norge") removes no market.
The cases are in other words than the graders' quotes.
"""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker

from bot.actions.advice import parsed_updates
from bot.advisor import parse_answer, slot_updates
from bot.advisor.questions import required_slots


def tracker_for(text: str, slots: dict[str, Any], requested: str) -> Tracker:
    message = {"text": text, "intent": {"name": "inform", "confidence": 0.7}, "entities": []}
    slots = {**slots, "requested_slot": requested}
    return Tracker("r31", slots, message, [], False, None, {}, "action_listen")


# ------------------------------------------------------------------ a unit price is no capital
@pytest.mark.parametrize(
    "text",
    [
        "180 kr FOB",
        "Fabriken i Xiamen offererade 95 kr FOB per styck",
        "inköpspriset landar på 60 kr CIF Göteborg",
        "FOB-priset blir runt 180 kr",
        "styckkostnaden hamnar på 45 kr",
    ],
)
def test_a_unit_price_with_a_trade_term_is_no_capital(text: str) -> None:
    assert "capital" not in parse_answer(text, "capital").values


def test_money_for_the_next_step_is_still_capital() -> None:
    assert parse_answer("vi har runt 400 000 kr att satsa", "capital").values["capital"] == 400_000
    assert parse_answer("typ 300 papp", "capital").values["capital"] == 300_000


# ------------------------------------------------------------------ a company just started
@pytest.mark.parametrize(
    "text",
    [
        "bolaget registrerades för några veckor sedan, vi är två delägare",
        "vi har precis startat aktiebolaget",
        "Vi är två kompanjoner som just startat ett bolag",
        "företaget startades förra månaden",
    ],
)
def test_a_company_just_started_is_a_startup(text: str) -> None:
    assert parse_answer(text, "company").values.get("company") == "startup"


def test_a_handful_of_owners_alone_is_still_a_micro_company() -> None:
    assert parse_answer("vi är två delägare", "company").values.get("company") == "micro"


# ------------------------------------------------------------------ the IP level in one word
@pytest.mark.parametrize(("text", "level"), [("låg", "low"), ("Medel", "medium"), ("hög", "high")])
def test_the_ip_level_in_one_word(text: str, level: str) -> None:
    assert parse_answer(text, "ip_sensitivity").values == {"ip_sensitivity": level}


# ------------------------------------------------------------------ a corrected number
@pytest.mark.parametrize("text", ["nej, räkna med 2000", "Nej räkna med 2000", "räkna med 2000"])
def test_a_year_like_figure_after_the_questions_cue_is_the_answer(text: str) -> None:
    assert parse_answer(text, "volume").values.get("volume") == 2000


@pytest.mark.parametrize("text", ["AB sen 2022, vi gör möbler", "vi startade verkstaden 2019 i Borås"])
def test_a_year_is_still_no_volume(text: str) -> None:
    assert "volume" not in parse_answer(text, "volume").values


def test_a_no_with_a_new_figure_corrects_an_earlier_answer() -> None:
    result = parse_answer("nej, räkna med 1200 om året", "markets")
    assert result.correction and result.values["volume"] == 1200
    filled = {"situation": "new_product", "volume": 5000}
    updates = parsed_updates(tracker_for("nej, räkna med 1200 om året", filled, "markets"), "markets", result)
    assert updates["volume"] == 1200


def test_a_no_without_a_comma_phrase_is_no_correction() -> None:
    assert not parse_answer("nej, inte än", "company").correction


# ------------------------------------------------------------------ the kind of jobs is kept
def test_the_kind_of_jobs_is_kept_when_series_are_mentioned_later() -> None:
    text = "vi kör långa serier på natten"
    assert parse_answer(text, "shifts").values.get("workload") == "repeat"  # what would have overwritten it
    filled = {"situation": "capacity", "workload": "mixed"}
    assert "workload" not in parsed_updates(tracker_for(text, filled, "shifts"), "shifts")


# ------------------------------------------------------------------ handmade at home: no "where is it made"
def test_own_production_by_hand_is_not_asked_where_it_is_made() -> None:
    filled = parse_answer("Vi kokar chilisås i köket på gården och vill skala upp").values
    assert filled.get("capability") == "manual"
    assert "current_location" not in required_slots(filled)
    assert "current_location" in required_slots({**filled, "capability": "none"})


# ------------------------------------------------------------------ a question or complaint about a market
@pytest.mark.parametrize(
    "text",
    [
        "Du svarade inte om Finland",
        "Du har inte tagit upp Danmark alls",
        "Men Finland är inte med i EU, gäller CE där?",
        "Räcker CE i Finland?",
    ],
)
def test_a_question_or_complaint_about_a_market_removes_no_market(text: str) -> None:
    filled = {"situation": "new_product", "markets": ["nordics", "eu"]}
    assert "markets" not in slot_updates(filled, parse_answer(text, "priorities"))


def test_a_stated_market_change_still_applies() -> None:
    filled = {"situation": "new_product", "markets": ["nordics", "eu"]}
    updates = slot_updates(filled, parse_answer("vi säljer inte i Tyskland", "priorities"))
    assert updates["markets"] == ["nordics"]
