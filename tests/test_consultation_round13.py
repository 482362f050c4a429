"""The consultation's entry and course after persona round 13: a corrected goal takes effect at any question
and drops the answers that only belonged to the wrong one, "börja om" and a start after "avbryt" begin
clean, a description of the company's situation that asks what to do opens the consultation, and a stated
number of employees names the EU size class (p02, p04, p08)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.advice import ActionStartAdvisor, ValidateAdvisorForm, opens_consultation
from bot.actions.texts import Texts
from bot.advisor import describe_answers, parse_answer
from bot.kb import KnowledgeBase

# A machine shop that wants its own product, misread as a staffing problem (round 13, p02).
MISREAD = {
    "situation": "capacity",
    "bottleneck": ["welding", "machining"],
    "shifts": "one",
    "product_type": ["mechanics"],
    "capability": "full",
    "company": "small",
}


def validate(text: str, slots: dict[str, Any], expected: str, domain: dict[str, Any]) -> tuple[dict, list]:
    """The slot values the form sets for `text` as the answer to `expected`, and the messages it sends."""
    message = {"text": text, "intent": {"name": "inform", "confidence": 0.5}, "entities": []}
    tracker = Tracker("r13", {**slots, "requested_slot": expected}, message, [], False, None, {}, "")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ValidateAdvisorForm().get_validation_events(dispatcher, tracker, domain))
    values = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    return values, [m.get("text") or "" for m in dispatcher.messages]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Vi har inga rekryteringsproblem alls. Du har missförstått, vi har ingen brist på personal. "
            "Det vi vill ha hjälp med är att få en ny egen produkt tillverkad.",
            "recruitment",
        ),
        (
            "Vi kör ett skift men det är inte det som är problemet, vi har snarare ledig kapacitet. "
            "Vi vill ta fram en egen produkt så vi inte är så beroende av legojobben.",
            "shifts",
        ),
        ("Nej, vi vill få en ny produkt tillverkad, vi har ingen personalbrist.", "bottleneck"),
    ],
)
def test_a_corrected_goal_changes_it_and_drops_what_belonged_to_the_old_one(
    text: str, expected: str, domain: dict[str, Any]
) -> None:
    values, said = validate(text, MISREAD, expected, domain)
    assert values["situation"] == "new_product"
    assert values["bottleneck"] is None and values["shifts"] is None
    assert values.get("product_type", MISREAD["product_type"]) == MISREAD["product_type"]  # kept
    texts = Texts(domain)
    assert texts.get("utter_advisor_not_understood") not in said
    assert len(said) == 1 and "ny produkt" in said[0] and "flaskhals" in said[0]


def test_the_old_goal_taken_back_alone_is_asked_again(domain: dict[str, Any]) -> None:
    values, said = validate("Vi har ingen brist på personal.", MISREAD, "shifts", domain)
    assert values["situation"] is None
    assert not any("missförstod" in s for s in said)


def test_a_priority_later_is_no_new_goal(domain: dict[str, Any]) -> None:
    slots = {"situation": "new_product", "stage": "prototype"}
    values, said = validate("korta ledtider och kvalitet", slots, "priorities", domain)
    assert "situation" not in values
    assert not any("missförstod" in s for s in said)


def test_start_over_during_the_consultation_starts_with_that_message(domain: dict[str, Any]) -> None:
    values, said = validate(
        "Kan vi börja om? Vi vill få en ny produkt tillverkad, inte lösa personalbrist.",
        MISREAD,
        "recruitment",
        domain,
    )
    assert values["situation"] == "new_product"
    assert values["bottleneck"] is None and values["shifts"] is None and values["company"] is None
    assert said[0] == Texts(domain).get("utter_advisor_intro")


def event_log(*steps: tuple[str, Any]) -> list[dict[str, Any]]:
    """Tracker events: ("user", text), ("loop", name or None)."""
    events: list[dict[str, Any]] = [{"event": "action", "name": "action_session_start"}]
    for kind, value in steps:
        if kind == "user":
            events.append({"event": "user", "text": value})
        else:
            events.append({"event": "active_loop", "name": value})
    return events


@pytest.mark.parametrize(
    "before",
    [
        # Cancelled: the messages of the cancelled consultation are no description for the new one.
        [
            ("user", "hjälp mig välja produktionsstrategi"),
            ("loop", "advisor_form"),
            ("user", "Kan vi börja om? Vi vill lösa personalbrist, svetsare saknas."),
            ("user", "avbryt"),
            ("loop", None),
        ],
        # After a recommendation, "Börja om rådgivningen": the last answers were button titles.
        [
            ("loop", "advisor_form"),
            ("user", "Ja, egen produktion"),
            ("user", "Kvalitet och kontroll"),
            ("loop", None),
        ],
    ],
)
def test_a_new_start_keeps_nothing_from_the_earlier_consultation(
    before: list[tuple[str, Any]], kb: KnowledgeBase, domain: dict[str, Any]
) -> None:
    text = "hjälp mig välja produktionsstrategi"
    events = event_log(*before, ("user", text))
    message = {"text": text, "intent": {"name": "start_consultation", "confidence": 0.9}, "entities": []}
    tracker = Tracker("r13", dict(MISREAD), message, events, False, None, {}, "action_listen")
    result = asyncio.run(ActionStartAdvisor().run(CollectingDispatcher(), tracker, domain))
    values = {e["name"]: e["value"] for e in result if e.get("event") == "slot"}
    assert all(values[slot] is None for slot in ("situation", "bottleneck", "capability", "priorities"))


def test_a_start_still_reads_the_situation_told_just_before(
    kb: KnowledgeBase, domain: dict[str, Any]
) -> None:
    told = "Vi är en legoverkstad med 30 anställda och vill ta fram en egen produkt."
    events = event_log(("user", told), ("user", "/start_consultation"))
    message = {"text": "/start_consultation", "intent": {"name": "start_consultation"}, "entities": []}
    tracker = Tracker("r13", {}, message, events, False, None, {}, "action_listen")
    result = asyncio.run(ActionStartAdvisor().run(CollectingDispatcher(), tracker, domain))
    values = {e["name"]: e["value"] for e in result if e.get("event") == "slot"}
    assert values["situation"] == "new_product" and values["company"] == "small"


def opens(text: str, understood: bool) -> bool:
    message = {"text": text, "intent": {"name": "ask_entry", "confidence": 0.8}, "entities": []}
    tracker = Tracker("r13", {}, message, [], False, None, {}, "action_listen")
    return opens_consultation(tracker, understood=understood)


@pytest.mark.parametrize(
    ("text", "understood", "expected"),
    [
        # p04: engineer-to-order, weighing out loud whether to buy more of the build (NLU unsure).
        (
            "Hej, vi är ett litet bolag i Västerås, 12 pers, bygger doseringsutrustning för vattenrening "
            "åt industrin – skids med pumpar, tankar, rördragning, elskåp och PLC. Ca 30 st per år och i "
            "princip varje är unik. Vi funderar på om vi ska lägga ut mer av bygget, vi drunknar i montage "
            "och hinner inte konstruera.",
            False,
            True,
        ),
        # p08: the NLU reads a staffing topic, but the message describes the company and asks what to do.
        (
            "Hej, jag är produktionschef på ett plåt- och svetsföretag i Lindesberg, 65 anställda. "
            "Orderingången har ökat med 30% men vi hittar inte svetsare och CNC-operatörer, och tre av våra "
            "bästa går i pension inom två år. Vad gör vi?",
            True,
            True,
        ),
        # One fact asked about one step: the knowledge base answers.
        (
            "Legotillverkaren vill ha 180 000 kr för ett formsprutningsverktyg. Vem äger verktyget sen?",
            True,
            False,
        ),
        ("Vad gör vi för fel när vi svetsar aluminium?", True, False),
        (
            "Vi är en gjutverkstad med 40 anställda och vi hittar inte formare, två går i pension i vår. "
            "Hur löser vi det?",
            True,
            True,
        ),
        (
            "Vi har en prototyp av en vattenpump och vill tillverka 2000 om året. Vad föreslår du?",
            True,
            True,
        ),
        ("Vad rekommenderar du för legotillverkare i Småland för våra 2000 pumpar?", True, False),
    ],
)
def test_a_described_situation_asking_what_to_do_opens_the_consultation(
    text: str, understood: bool, expected: bool
) -> None:
    assert opens(text, understood) is expected


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("Vi är 6 anställda sedan länge", "Företag: Etablerat mikroföretag"),
        ("Vi är en verkstad med 28 anställda", "Företag: Etablerat litet företag"),
        ("plåtverkstad i Lindesberg, 65 anställda", "Företag: Etablerat medelstort företag"),
        ("ett gjuteri med 300 anställda", "Företag: Större företag"),
        ("Vi är tre grundare och har 3 anställda", "Företag: Nystartat företag"),
        ("ett etablerat familjeföretag", "Företag: Etablerat små- eller medelstort företag"),
    ],
)
def test_the_company_size_follows_the_eu_size_classes(text: str, line: str) -> None:
    assert line in describe_answers(parse_answer(text).values).splitlines()


@pytest.mark.parametrize(
    ("text", "situation"),
    [
        ("vi får inte tag på svetsare", "capacity"),
        ("vi vill få en ny produkt tillverkad, inte lösa personalbrist", "new_product"),
        ("vi har ingen brist på personal, vi vill ha en egen produkt", "new_product"),
        ("vi drunknar i montage och hinner inte konstruera", "capacity"),
    ],
)
def test_a_denied_staffing_problem_is_none(text: str, situation: str) -> None:
    assert parse_answer(text).values.get("situation") == situation
