"""Objections and new facts typed after a recommendation (bot/actions/newfacts.py): every answer a statement
gives without doubt updates the advice, a wish for a way of making the product is followed when the answers
allow it, and doubtful readings are left out or confirmed (persona rounds 18 and 18b)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from test_followup_limits import tracker

from bot.actions.advice import CHECK_SLOT, PENDING_SLOT, ActionUpdateAdvisor
from bot.actions.newfacts import CONTRACT_PATHS, read_statements
from bot.advisor import parse_answer, recommend
from bot.advisor.engine import WANTED
from bot.kb import KnowledgeBase

# A sheet-metal shop with its own burner design (own production, new product): the advice is in-house.
BURNER = {
    "situation": "new_product",
    "product_type": ["machinery"],
    "stage": "prototype",
    "capability": "full",
    "current_location": "sweden",
    "volume": 400,
    "markets": ["sweden"],
    "company": "sme",
    "capital": 1_500_000,
    "time_to_market": "normal",
    "ip_sensitivity": "medium",
    "priorities": ["cost"],
}
# A designer's birch stool in large volume at low cost, nothing made in house: the advice is Asia.
STOOL = {
    "situation": "new_product",
    "product_type": ["wood", "furniture"],
    "stage": "prototype",
    "capability": "none",
    "volume": 20_000,
    "markets": ["eu"],
    "company": "startup",
    "capital": 3_000_000,
    "time_to_market": "normal",
    "ip_sensitivity": "low",
    "priorities": ["cost"],
}


@pytest.mark.parametrize(
    ("text", "answers", "doubtful", "dropped"),
    [
        # A wish for a contract maker, also beside "instead of building it ourselves".
        (
            "Vi vill anlita en legotillverkare för brännaren i stället för att bygga den själva.",
            {WANTED: list(CONTRACT_PATHS)},
            (),
            False,
        ),
        ("Vi vill helst tillverka i Polen.", {WANTED: ["nearshore_europe"]}, (), False),
        # Made in Sweden is the priority the rules weigh.
        ("vi vill tillverka i Sverige", {"priorities": ["cost", "proximity"]}, (), False),
        ("vi vill inte tillverka i Sverige", {}, (), False),
        ("vi vill inte lägga ut något", {}, (), False),
        # A negation the parser does not read is no answer: not a staff shortage, not "Inte känslig".
        ("Det är inte direkt brist på folk, snarare att delarna väntar mellan stationerna.", {}, (), True),
        # A time about something else is no time to market; one about the launch is.
        ("Vår konstruktör är föräldraledig i ett halvår.", {}, (), True),
        ("Vi vill lansera om ett halvår.", {"time_to_market": "half_year"}, (), False),
        # Money: a plain sum updates, a range is confirmed, "typ noll kr" is little capital.
        ("Vi har precis fått in 5 miljoner från en investerare.", {"capital": 5_000_000}, (), False),
        ("Nu har vi 8-10 miljoner.", {"capital": 9_000_000}, ("capital",), False),
        ("Pengarna gick åt, jag har typ noll kr kvar att investera.", {"capital": "low"}, (), False),
        # A new volume, and a fact about the production that changes the premise.
        ("Ett avtal är klart, så nu blir det 40 000 om året.", {"volume": 40_000}, (), False),
        ("Vi har inga egna maskiner längre.", {"capability": "none"}, (), False),
        # A question proposes, it states nothing; nor does a step considered, or a wish asked with a question.
        ("Vi har funderat på att köpa en egen kantpress för den där miljonen.", {}, (), False),
        ("Borde vi inte lägga ut svetsningen till Polen i stället?", {}, (), False),
        ("Vi vill göra dem själva. Kan vi inte hyra en lokal?", {}, (), False),
    ],
)
def test_statements_after_the_advice_give_only_answers_without_doubt(
    text: str, answers: dict[str, Any], doubtful: tuple[str, ...], dropped: bool
) -> None:
    read = read_statements(text, BURNER)
    assert read.answers == answers
    assert read.doubtful == doubtful
    assert read.dropped is dropped


def test_a_wished_path_wins_only_when_the_answers_rate_it_about_as_well() -> None:
    # In-house leads the contract maker by less than alternative_margin: the wish decides.
    assert recommend(BURNER).category == "in_house"
    assert recommend({**BURNER, WANTED: list(CONTRACT_PATHS)}).category == "swedish_contract"
    # Own production is no path for a company that has none (runner_up_needs), wished or not.
    assert recommend({**STOOL, WANTED: ["in_house"]}).category == recommend(STOOL).category
    # An idea is no product to give a contract maker, however much it is wished (BEFORE_MAKING).
    idea = {**STOOL, "stage": "idea"}
    assert recommend({**idea, WANTED: ["asia_contract"]}).category == "idea_stage"
    assert recommend({**idea, WANTED: list(CONTRACT_PATHS)}).category == "idea_stage"


def start(domain: dict, name: str) -> str:
    """The fixed start of a response, before its first placeholder."""
    return str(domain["responses"][name][0]["text"]).split("{")[0]


def run(text: str, profile: dict[str, Any], domain: dict) -> tuple[str, list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionUpdateAdvisor().run(dispatcher, tracker(text, "inform", profile), domain))
    return "\n".join(m.get("text") or "" for m in dispatcher.messages), events


def slots(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_a_wish_for_a_contract_maker_moves_the_advice(kb: KnowledgeBase, domain: dict) -> None:
    text, events = run(
        "Vi vill anlita en legotillverkare i stället för att bygga brännaren själva.", BURNER, domain
    )
    assert slots(events)[WANTED] == list(CONTRACT_PATHS)
    assert "svensk legotillverkare" in slots(events)["advisor_summary"]
    assert start(domain, "utter_followup_facts_new_path") + "Lägg tillverkningen hos en svensk" in text
    assert start(domain, "utter_followup_facts_deciding") in text


def test_made_in_sweden_moves_the_advice_from_asia(kb: KnowledgeBase, domain: dict) -> None:
    text, events = run("Jag vill att pallen ska vara tillverkad i Sverige.", STOOL, domain)
    # Cost first at 20 000 a year: a lower-cost contract manufacturer abroad (nearby Europe since path29).
    assert recommend(STOOL).category in ("asia_contract", "nearshore_europe")
    assert "proximity" in slots(events)["priorities"]
    assert start(domain, "utter_followup_facts_new_path") + "Lägg tillverkningen hos en svensk" in text


def test_a_wish_the_answers_rule_out_is_told_why_not(kb: KnowledgeBase, domain: dict) -> None:
    text, _ = run("Vi vill helst tillverka i Kina.", {**STOOL, "stage": "idea"}, domain)
    assert start(domain, "utter_followup_facts_wish_stands") in text
    assert "Det ändrar rekommendationen" not in text


def test_a_new_answer_that_keeps_the_path_says_why_it_stands(kb: KnowledgeBase, domain: dict) -> None:
    text, events = run("Vi har precis fått in 5 miljoner från en investerare.", BURNER, domain)
    assert slots(events)["capital"] == 5_000_000
    assert start(domain, "utter_followup_facts_stands") in text
    assert start(domain, "utter_followup_facts_same") not in text


def test_a_doubtful_reading_sets_nothing_and_the_advice_stands(kb: KnowledgeBase, domain: dict) -> None:
    text, events = run(
        "Det är inte direkt brist på folk, snarare att delarna väntar mellan stationerna.", BURNER, domain
    )
    assert not slots(events)
    assert start(domain, "utter_followup_facts_unchanged") in text


def test_a_doubtful_number_is_confirmed_by_the_form(kb: KnowledgeBase, domain: dict) -> None:
    _, events = run("Nu har vi 8-10 miljoner.", BURNER, domain)
    assert slots(events)[PENDING_SLOT] == ["capital"] and CHECK_SLOT in slots(events)
    assert {"event": "followup", "timestamp": None, "name": "advisor_form"} in events


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jag har typ noll kr kvar", {"capital": "low"}),
        ("noll kronor", {"capital": "low"}),
        ("vi har 0 kr", {"capital": "low"}),
        # A zero that is no amount of money answers nothing.
        ("vi har sålt noll", {}),
        ("noll koll", {}),
    ],
)
def test_zero_kronor_is_little_capital(text: str, expected: dict[str, Any]) -> None:
    assert dict(parse_answer(text).values) == expected
