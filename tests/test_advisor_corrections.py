"""Free-text answers read as the user means them, and corrections after the recommendation (issue #10,
persona rounds 20 and 20b; tuning sets tests/data/advisor_tuning_scenarios17.yml and followup_tuning13.yml).

A company's experience is no negation of its goal, where a bought part comes from is not where the product is
made, a season or holiday is a time in months, "X är vår grej" is something to protect, and "det stämmer inte,
…", "rätta: …" or a bare "nej, det stämmer inte" after the recommendation change an answer or ask which one.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.advice import ActionStartAdvisor, ActionUpdateAdvisor
from bot.actions.correction import ActionDeny, disputes, named_question
from bot.actions.feedback import ActionFeedbackNegative
from bot.actions.knowledge import ActionAnswerKb
from bot.advisor import parse_answer, recommend, slot_updates

NOVEMBER = date(2026, 11, 27)

# A machine shop that has only done subcontracting and now wants a product of its own.
SHOP = {
    "situation": "new_product",
    "product_type": ["mechanical"],
    "capability": "full",
    "company": "small",
}

# A recommendation already given (the summary slot is set).
ADVISED = {
    "situation": "new_product",
    "stage": "prototype",
    "product_type": ["mechanical"],
    "capability": "none",
    "volume": 800,
    "markets": ["sweden"],
    "company": "startup",
    "capital": 300_000,
    "time_to_market": "normal",
    "ip_sensitivity": "low",
    "priorities": ["control"],
    "advisor_summary": "Rekommendation: Lägg tillverkningen hos en svensk legotillverkare",
}


def tracker_for(text: str, slots: dict[str, Any], intent: str = "inform") -> Tracker:
    message = {"text": text, "intent": {"name": intent, "confidence": 0.7}, "entities": []}
    return Tracker("corr", dict(slots), message, [], False, None, {}, "action_listen")


def run(action: Any, text: str, slots: dict[str, Any], domain: dict[str, Any], intent: str = "inform") -> Any:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker_for(text, slots, intent), domain))
    return dispatcher, events


def slots_set(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def follows_with_form(events: list[dict[str, Any]]) -> bool:
    return any(e.get("event") == "followup" and e.get("name") == "advisor_form" for e in events)


# ------------------------------------------------------------------ 1 experience is no negation
@pytest.mark.parametrize(
    "text",
    [
        "Vi har aldrig sålt en egen produkt förut. Vad ska vi tänka på?",
        "Vi har inte lanserat någon egen produkt tidigare, bara legojobb.",
        "Vi har ingen erfarenhet av en egen produkt.",
    ],
)
def test_experience_does_not_take_the_goal_back(text: str) -> None:
    result = parse_answer(text, "stage")
    assert "situation" not in result.negated
    assert "situation" not in slot_updates(SHOP, result)


def test_a_first_own_product_of_a_machine_shop_gets_the_manufacturer_warning() -> None:
    filled = {
        **SHOP,
        **slot_updates(SHOP, parse_answer("Vi har aldrig sålt en egen produkt förut.", "stage")),
    }
    advice = recommend({**filled, "stage": "prototype"})
    assert "produktansvar" in advice.as_text()


# ------------------------------------------------------------------ 3 a bought part's origin
@pytest.mark.parametrize(
    "text",
    [
        "LED-modulen kommer från Kina",
        "Förstärkarkortet kommer från Kina men resten gör jag här",
        "vi köper motorerna från Tyskland",
        "Malverket kommer från Kina",
    ],
)
def test_where_a_part_comes_from_is_not_where_the_product_is_made(text: str) -> None:
    assert "current_location" not in parse_answer(text, "current_location").values


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("LED-modulen kommer från Kina, lampan görs här i Sverige", "sweden"),
        ("Lamporna tillverkas i Kina", "asia"),
        ("vi köper motorerna från Tyskland, resten tillverkar vi själva i Sverige", "sweden"),
    ],
)
def test_where_the_product_itself_is_made_still_counts(text: str, place: str) -> None:
    assert parse_answer(text, "current_location").values.get("current_location") == place


# ------------------------------------------------------------------ 4 amounts and time horizons
@pytest.mark.parametrize(
    ("text", "amount"),
    [("ca 4-5 mille", 4_500_000), ("4–5 mille", 4_500_000), ("runt 5 mkr", 5_000_000)],
)
def test_amounts_in_mille_and_mkr_are_capital(text: str, amount: int) -> None:
    assert parse_answer(text, "capital").values.get("capital") == amount


@pytest.mark.parametrize(
    ("text", "today", "option"),
    [
        ("till våren", NOVEMBER, "half_year"),
        ("Ingen panik egentligen, men helst till våren", NOVEMBER, "half_year"),
        ("ingen stress, men gärna innan jul", NOVEMBER, "urgent"),
        ("om ett halvår", NOVEMBER, "half_year"),
        ("i höst", date(2027, 6, 1), "half_year"),
    ],
)
def test_a_season_or_holiday_is_a_time_horizon_not_no_hurry(text: str, today: date, option: str) -> None:
    assert parse_answer(text, "time_to_market", today=today).values.get("time_to_market") == option


def test_a_season_counts_outside_the_time_question_only_beside_a_launch_word() -> None:
    assert (
        parse_answer("vi vill lansera till våren", today=NOVEMBER).values.get("time_to_market") == "half_year"
    )
    assert "time_to_market" not in parse_answer("vill ha 10 st till våren", today=NOVEMBER).values


# ------------------------------------------------------------------ 5 what is unique is worth protecting
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Receptet är min grej", "ip_sensitivity"),
        ("det unika är kryddblandningen", "ip_sensitivity"),
        ("formeln är det unika med vallan", None),
        ("designen är vår grej, resten är standard", None),
    ],
)
def test_the_unique_recipe_or_design_is_ip_sensitivity(text: str, expected: str | None) -> None:
    assert parse_answer(text, expected).values.get("ip_sensitivity") in {"medium", "high"}


# ------------------------------------------------------------------ 2 corrections after the recommendation
@pytest.mark.parametrize(
    ("text", "disputed"),
    [
        ("Nej, det där stämmer inte alls.", True),
        ("det stämmer inte, vi vill lansera om ett halvår", True),
        ("rätta: Kapital", True),
        ("Stämmer det att vi behöver CE-märka?", False),
        ("Tack, det låter bra.", False),
    ],
)
def test_a_correction_is_recognised(text: str, disputed: bool) -> None:
    assert disputes(text) is disputed


def test_a_bare_no_after_the_recommendation_asks_which_answer_with_buttons(domain: dict[str, Any]) -> None:
    dispatcher, events = run(ActionDeny(), "Nej, det där stämmer inte alls.", ADVISED, domain, "deny")
    assert events == []
    message = dispatcher.messages[-1]
    assert "Vilket svar stämmer inte?" in message["text"]
    titles = [b["title"] for b in message["buttons"]]
    assert "Kapital" in titles and "Volym" in titles
    assert all(b["payload"].startswith("rätta:") for b in message["buttons"])


def test_a_no_without_a_recommendation_is_only_acknowledged(domain: dict[str, Any]) -> None:
    slots = {k: v for k, v in ADVISED.items() if k != "advisor_summary"}
    dispatcher, events = run(ActionDeny(), "Nej, det där stämmer inte alls.", slots, domain, "deny")
    assert events == []
    assert dispatcher.messages[-1]["response"] == "utter_deny"


def test_the_change_button_clears_the_answer_and_asks_again(kb: Any, domain: dict[str, Any]) -> None:
    dispatcher, events = run(ActionAnswerKb(), "rätta: Kapital", ADVISED, domain, "ask_entry")
    assert slots_set(events) == {"capital": None}
    assert follows_with_form(events)
    assert "Kapital" in dispatcher.messages[-1]["text"]


def test_a_correction_read_as_a_complaint_changes_the_answer(kb: Any, domain: dict[str, Any]) -> None:
    text = "det stämmer inte, vi vill lansera om ett halvår"
    dispatcher, events = run(ActionFeedbackNegative(), text, ADVISED, domain, "feedback_negative")
    assert slots_set(events).get("time_to_market") == "half_year"
    assert follows_with_form(events)
    said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    # One line of what changed, not the whole list of answers again.
    assert "Jag har uppdaterat dina svar" in said and "Tid till marknad" in said
    assert "Volym" not in said


def test_a_corrected_goal_after_the_recommendation_is_no_restart(kb: Any, domain: dict[str, Any]) -> None:
    slots = {**ADVISED, "situation": "scale_up", "stage": "production"}
    text = "nej, vi vill ju få en ny produkt tillverkad"
    dispatcher, events = run(ActionStartAdvisor(), text, slots, domain, "start_consultation")
    assert slots_set(events).get("situation") == "new_product"
    said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert "missförstod" in said
    assert "Gärna! Jag ställer några korta frågor" not in said


def test_a_named_part_taken_from_a_label_is_no_word_inside_another() -> None:
    assert named_question("kapitalet stämmer inte", ADVISED) == "capital"
    assert named_question("fast det stämmer inte", ADVISED) is None


def test_an_update_with_a_new_answer_says_only_what_changed(kb: Any, domain: dict[str, Any]) -> None:
    dispatcher, events = run(ActionUpdateAdvisor(), "rätta: volymen är 2000 per år", ADVISED, domain)
    assert slots_set(events).get("volume") == 2000
    said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert "Volym" in said and "Kapital" not in said
