"""Faults left open after corr22/cap22/facts22 (issue #10, branch adv23; tuning sets
tests/data/advisor_tuning_scenarios18.yml and followup_tuning15.yml).

Rules that start to apply on a day are said against the launch window (today + time to market), with the
source of the entry's paragraph that gives the day; "visa sammanfattningen igen" while the questions of a
corrected goal are asked says that the recommendation is being recomputed; a figure said earlier stays as
today's volume when a later message gives the plan; and everyday products (hobby and garden machines,
kitchen appliances, clothes, pet beds, sports gear) are recognised.
"""

from __future__ import annotations

import asyncio
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.advice import ActionRepeatSummary
from bot.actions.followup import CAPACITY
from bot.actions.newfacts import CHECK_SLOT
from bot.advisor import parse_answer, recommend, slot_updates
from bot.advisor.data import load_rules, validate_advisor
from bot.kb import KnowledgeBase
from bot.swedish import dates_in_words, fold

ROOT = Path(__file__).resolve().parents[1]
BEFORE = date(2026, 11, 27)  # before the Machinery Regulation (the entry maskiner gives its day)
AFTER = date(2027, 3, 1)  # after it and after the battery passport's day

MACHINE = {
    "situation": "new_product",
    "stage": "prototype",
    "product_type": ["machinery"],
    "capability": "none",
    "volume": 300,
    "markets": ["sweden"],
    "company": "startup",
}


@pytest.fixture
def kb(shipped_kb: KnowledgeBase) -> KnowledgeBase:
    return shipped_kb


def dated_lines(kb: KnowledgeBase, today: date, **answers: Any) -> list[str]:
    caveats = recommend({**MACHINE, **answers}, kb, today=today).caveats
    return [c for c in caveats if "från och med den" in c]


# ---------------------------------------------------------------- rules with a day, against the launch


@pytest.mark.parametrize("time", ["urgent", "half_year", "normal"])
def test_a_machine_launched_after_the_day_is_told_the_new_regulation_applies(
    kb: KnowledgeBase, time: str
) -> None:
    lines = dated_lines(kb, BEFORE, time_to_market=time)
    assert len(lines) == 1
    assert lines[0].startswith("Du vill ut på marknaden")
    assert "20 januari 2027" in lines[0] and "maskinförordningen" in lines[0]
    assert "Källa: https://www.av.se/" in lines[0]  # the source of the paragraph that gives the day


def test_the_launch_window_is_counted_from_today(kb: KnowledgeBase) -> None:
    """Three months from September end before the day: what is placed on the market from then still counts,
    said without "you want to be on the market by then"."""
    early = dated_lines(kb, date(2026, 9, 1), time_to_market="urgent")
    assert len(early) == 1 and early[0].startswith("Varje maskin")
    later = dated_lines(kb, date(2026, 9, 1), time_to_market="half_year")
    assert len(later) == 1 and later[0].startswith("Du vill ut på marknaden")


def test_a_machine_already_sold_is_told_what_is_placed_on_the_market_from_the_day(kb: KnowledgeBase) -> None:
    lines = dated_lines(kb, BEFORE, stage="production", situation="scale_up")
    assert len(lines) == 1 and "också av en modell som redan säljs" in lines[0]


def test_no_word_once_the_day_has_passed_or_for_a_product_without_the_rule(kb: KnowledgeBase) -> None:
    assert dated_lines(kb, AFTER, time_to_market="normal") == []
    assert dated_lines(kb, BEFORE, product_type=["textile"], time_to_market="normal") == []
    assert dated_lines(kb, BEFORE, product_type=["kitchen_appliance"], time_to_market="normal") == []


def test_an_e_bike_battery_is_told_about_the_battery_passport(kb: KnowledgeBase) -> None:
    lines = dated_lines(kb, BEFORE, product_type=["light_vehicle", "electronics"], time_to_market="half_year")
    assert len(lines) == 1 and "18 februari 2027" in lines[0] and "batteripass" in lines[0]
    assert "eur-lex.europa.eu" in lines[0]


def test_the_day_is_read_from_the_entry_not_from_the_rules(kb: KnowledgeBase) -> None:
    for rule in load_rules().dated_rules:
        entry = kb.get(rule["entry"])
        assert entry is not None
        paragraph = next(p.text for p in entry.passages if p.text.startswith(rule["passage"]))
        assert dates_in_words(paragraph), paragraph


def test_a_dated_rule_whose_paragraph_is_missing_fails_validation(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "knowledge", tmp_path / "knowledge")
    rules = tmp_path / "knowledge" / "advisor" / "rules.yml"
    rules.write_text(
        rules.read_text(encoding="utf-8").replace(
            "passage: Den nya maskinförordningen", "passage: Ingen sådan"
        ),
        encoding="utf-8",
    )
    problems = validate_advisor(tmp_path / "knowledge" / "advisor")
    assert any("dated_rules[0].passage" in p and "Ingen sådan" in p for p in problems), problems


def test_days_in_swedish_text_are_read() -> None:
    assert dates_in_words("Från den 18 februari 2027 ska varje …") == [date(2027, 2, 18)]
    assert dates_in_words("i maj 2027, den 31 februari 2027") == []


# ---------------------------------------------------------------- the summary while recomputing


def repeat_summary(slots: dict[str, Any], domain: dict[str, Any]) -> str:
    message = {"text": "visa sammanfattningen igen", "intent": {"name": "repeat_summary"}, "entities": []}
    tracker = Tracker("adv23", slots, message, [], False, None, {"name": "advisor_form"}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionRepeatSummary().run(dispatcher, tracker, domain))
    return "\n".join(m.get("text") or "" for m in dispatcher.messages)


OLD = "Rekommendation: Bygg vidare på er egen produktion\n\nDina svar:\n• Vad du vill åstadkomma: Skala upp"


def test_the_old_summary_is_not_shown_while_a_corrected_goal_is_asked(domain: dict[str, Any]) -> None:
    slots = {
        "advisor_summary": OLD,
        "requested_slot": "stage",
        "situation": "new_product",
        "capability": "full",
    }
    text = repeat_summary(slots, domain)
    assert "Skala upp" not in text and "räknas om" in text
    assert "Vad du vill åstadkomma: Få en ny produkt tillverkad" in text  # the answers so far


def test_the_summary_is_shown_while_a_number_waits_for_confirmation(domain: dict[str, Any]) -> None:
    assert repeat_summary({"advisor_summary": OLD, "requested_slot": CHECK_SLOT}, domain) == OLD


# ---------------------------------------------------------------- today's figure beside a later plan


def test_a_figure_said_earlier_stays_as_todays_beside_a_plan() -> None:
    filled: dict[str, Any] = {}
    for message in (
        "Jag svarvar runt 90 skålar om året för hand.",
        "Nu vill jag serietillverka dem, 900 om året.",
    ):
        filled |= slot_updates(filled, parse_answer(message))
    assert filled["volume"] == 900 and filled["current_volume"] == 90


def test_a_plan_after_a_comma_in_one_message_keeps_todays_figure() -> None:
    values = parse_answer(
        "Vi bygger ett 40-tal kajaker om året. Vi vill tillverka modellen, 400 om året."
    ).values
    assert values["volume"] == 400 and values["current_volume"] == 40


@pytest.mark.parametrize(
    ("message", "expected"), [("jag menar 900 om året", None), ("vi vill tillverka 900 om året", "volume")]
)
def test_a_corrected_or_asked_for_figure_replaces_the_old_one(message: str, expected: str | None) -> None:
    updates = slot_updates({"volume": 90}, parse_answer(message, expected=expected))
    assert updates.get("volume") == 900 and "current_volume" not in updates


# ---------------------------------------------------------------- everyday products


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("en bandsåg för hobbybruk", "machinery"),
        ("en bordssåg", "machinery"),
        ("en lövblås till traktorn", "machinery"),
        ("en eldriven jordfräs", "machinery"),
        ("en robotgräsklippare", "machinery"),
        ("en högtryckstvätt", "machinery"),
        ("en vattenkokare", "kitchen_appliance"),
        ("en brödrost i retrostil", "kitchen_appliance"),
        ("en regnjacka för cyklister", "textile"),
        ("en hundbädd i ull", "textile"),
        ("ett hundkoppel i läder", "textile"),
        ("en mountainbike", "mechanics"),
        ("en gungstol", "furniture"),
        ("en vedkamin", "mechanics"),
        ("en kajak", "other"),
        ("längdskidor", "other"),
    ],
)
def test_everyday_products_are_recognised(text: str, value: str) -> None:
    assert value in parse_answer(f"vi vill få {text} tillverkad").values.get("product_type", [])


def test_a_kitchen_appliance_gets_the_electrical_and_food_contact_rules_not_machinery(
    kb: KnowledgeBase,
) -> None:
    answers = {**MACHINE, **parse_answer("en vattenkokare").values, "time_to_market": "normal"}
    advice = recommend(answers, kb, today=BEFORE)
    ids = [r.id for r in advice.regulations]
    assert "elektrisk-utrustning-lvd-emc" in ids and "livsmedelskontaktmaterial" in ids
    assert "maskiner" not in ids and not any("maskinförordningen" in c for c in advice.caveats)


def test_who_a_product_is_for_says_nothing_about_the_company() -> None:
    assert "company" not in parse_answer("vi är ett AB som har tagit fram en bandsåg för hobbybruk").values
    assert parse_answer("det är ett hobbyprojekt").values.get("company") == "none"


# ---------------------------------------------------------------- capacity on a contract path


def test_a_contract_path_says_the_capacity_becomes_the_makers(kb: KnowledgeBase) -> None:
    answers = {**MACHINE, "product_type": ["mechanics"], "stage": "pilot", "volume": 1500}
    advice = recommend(answers, kb, today=BEFORE)
    assert advice.category == "swedish_contract"
    assert any(c.startswith("Kapaciteten blir legotillverkarens") for c in advice.caveats)


def test_a_large_step_on_a_contract_path_is_taken_in_stages(kb: KnowledgeBase) -> None:
    answers = {
        **MACHINE,
        "product_type": ["mechanics"],
        "situation": "relocate",
        "stage": "production",
        "volume": 1500,
        "current_volume": 120,
    }
    advice = recommend(answers, kb, today=BEFORE)
    assert advice.category in ("swedish_contract", "nearshore_europe", "asia_contract")
    assert any("stort skalsteg också för en legotillverkare" in c for c in advice.caveats)
    small = recommend({**answers, "current_volume": 1000}, kb, today=BEFORE)
    assert not any("också för en legotillverkare" in c for c in small.caveats)


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Hinner gjuteriet leverera så många?", True),
        ("hinner legotillverkaren?", True),
        ("Klarar vi 1 500 om året med en legotillverkare?", True),
        ("Vi klarar oss bra", False),
    ],
)
def test_a_question_about_the_makers_capacity_is_a_capacity_question(question: str, asks: bool) -> None:
    assert (CAPACITY.search(fold(question)) is not None) is asks
