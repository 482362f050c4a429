"""Honest limits and routing of free follow-ups after a recommendation (bot/actions/limits.py), and the
status of ended supports in every answer: the situations of persona round 9 (docs/evaluations/
2026-11-26-advisor-personas-round9.md), run with the real actions over the shipped knowledge base."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.advice import ActionUpdateAdvisor
from bot.actions.followup import questions_of
from bot.actions.handoff import ActionClarify
from bot.actions.knowledge import ActionAnswerKb
from bot.actions.limits import BUILDING_IN, advice_lines, weak_reason
from bot.actions.resolve import Message, Resolution
from bot.actions.texts import Texts
from bot.advisor import recommend
from bot.advisor.model import SLOTS
from bot.kb import KnowledgeBase

# A complete tractor-mounted log splitter from a job shop with its own production (p02).
SPLITTER = {
    "situation": "new_product",
    "stage": "prototype",
    "product_type": ["machinery"],
    "capability": "full",
    "volume": 200,
    "markets": ["sweden", "nordics"],
    "company": "sme",
    "capital": 1_500_000,
    "time_to_market": "normal",
    "ip_sensitivity": "low",
    "priorities": ["control"],
}
# Customised sawmill conveyors that are built into the customer's lines (p04).
SAWMILL = {
    "situation": "cost_leadtime",
    "product_type": ["machinery", "mechanics"],
    "capability": "full",
    "volume": 12,
    "variants": "many",
    "markets": ["sweden", "nordics"],
    "capital": 750_000,
    "ip_sensitivity": "medium",
    "priorities": ["cost", "lead_time"],
}
# A pour-over coffee dripper in steel, silicone and wood for the US market (p03).
DRIPPER = {
    "situation": "new_product",
    "stage": "prototype",
    "product_type": ["mechanics", "plastics", "wood", "consumer"],
    "capability": "none",
    "volume": 5000,
    "markets": ["outside_eu"],
    "company": "startup",
    "capital": 300_000,
    "time_to_market": "normal",
    "ip_sensitivity": "medium",
    "priorities": ["cost"],
}
# A handheld breathing meter with an app, little money and a year to market (p05).
BREATH = {
    "situation": "new_product",
    "stage": "prototype",
    "product_type": ["medtech"],
    "capability": "none",
    "volume": 500,
    "markets": ["sweden", "eu"],
    "company": "startup",
    "capital": 400_000,
    "time_to_market": "normal",
    "ip_sensitivity": "high",
    "priorities": ["control"],
}
# Garden furniture made in China today, maybe moved home (p06).
FURNITURE = {
    "situation": "relocate",
    "product_type": ["wood", "mechanics"],
    "current_location": "asia",
    "volume": 20_000,
    "markets": ["nordics", "eu"],
    "capital": 7_000_000,
    "ip_sensitivity": "low",
    "priorities": ["lead_time", "cost"],
}
# A sheet-metal and welding shop that cannot find welders, one shift (p08).
WELDSHOP = {
    "situation": "capacity",
    "bottleneck": ["welding"],
    "recruitment": "failed",
    "shifts": "one",
    "workload": "mixed",
    "product_type": ["mechanics"],
    "capability": "full",
    "company": "sme",
    "priorities": ["lead_time", "control"],
}
SUMMARY = "Rekommendation: …"


def tracker(
    text: str, intent: str, profile: dict[str, Any], summary: str | None = SUMMARY, current: str | None = None
) -> Tracker:
    message = {"text": text, "intent": {"name": intent, "confidence": 0.4}, "entities": []}
    slots = {**profile, "advisor_summary": summary, "current_entry": current}
    return Tracker("follow-up", slots, message, [], False, None, {}, "action_listen")


def reply(action: Action, t: Tracker, domain: dict[str, Any]) -> str:
    dispatcher = CollectingDispatcher()
    asyncio.run(action.run(dispatcher, t, domain))
    return "\n".join(m.get("text") or "" for m in dispatcher.messages)


def said(domain: dict[str, Any], name: str) -> str:
    """The fixed start of a response (before its first slot)."""
    return Texts(domain).get(name).split("{")[0]


# The kinds of answer a follow-up gets: `no_answer` says the knowledge base has none and names an actor of
# the recommendation with its link; `advice` quotes the recommendation's own steps or caveats; `passage`
# is a knowledge-base passage with its source; `any` is whatever is not off-target. `must`/`must_not` are
# what makes it the right one.
CASES = [
    # p02: a sales question once got "delvis fullbordad maskin", then ISO 9001 through "kunderna".
    (
        SPLITTER,
        "Hur får vi ut den till kunderna? Vi har aldrig sålt något eget, bara detaljer efter ritning.",
        "no_answer",
        [],
        ["delvis fullbordad", "ISO 9001"],
    ),
    # p02: the partly completed machine is an exception the complete splitter is not.
    (SPLITTER, "Hur får vi ut den på marknaden?", "any", [], ["delvis fullbordad", "inbyggnad"]),
    # p04: built into the customer's line: the rules on partly completed machinery and building in.
    (
        SAWMILL,
        "Våra transportörer byggs ihop med kundens linje. Vem ansvarar då för CE-märkningen?",
        "passage",
        ["inbyggnad", "byggs in"],
        ["CE-märkningen visar att tillverkaren intygar"],
    ),
    # p05: time and budget for a medical device: the caveat on the notified body, not a 2016 support.
    (BREATH, "Hinner vi ut på marknaden inom ett år med den budgeten?", "advice", ["anmält organ"], ["2016"]),
    # p06: an own factory: making it yourself, not the advantages of outsourcing.
    (
        FURNITURE,
        "Vi har ingen fabrik i dag. Vad skulle det kräva att bygga en egen med svetsrobotar?",
        "passage",
        ["tillverka själv"],
        ["Att lägga ut tillverkningen"],
    ),
    # p08: two shifts and apprentices: the recommendation's steps on them and the competence-supply advice.
    (WELDSHOP, "Vad tycker du om att vi går över till två skift i svetsen?", "advice", ["kvällsskift"], []),
    (
        WELDSHOP,
        "Vilka ska vi prata med för att få igång lärlingar och samarbete med vuxenutbildningen?",
        "advice",
        ["lärlingar", "Källa:"],
        [],
    ),
]


@pytest.mark.parametrize(("profile", "question", "kind", "must", "must_not"), CASES)
def test_a_follow_up_gets_the_kind_of_answer_that_fits(
    kb: KnowledgeBase,
    domain: dict,
    profile: dict[str, Any],
    question: str,
    kind: str,
    must: list[str],
    must_not: list[str],
) -> None:
    text = reply(ActionClarify(), tracker(question, "nlu_fallback", profile), domain)
    assert text and "Jag är inte säker på att jag förstod" not in text
    no_answer = said(domain, "utter_followup_no_answer") in text
    advice = said(domain, "utter_followup_from_advice") in text
    if kind != "any":
        assert no_answer is (kind == "no_answer")
    if kind == "no_answer":
        assert "http" in text  # the actor to ask, with its link
    if kind == "advice":
        assert advice
    if kind == "passage":
        assert "Källa:" in text and not advice
    assert all(word in text for word in must), text
    assert not any(word in text for word in must_not), text


def test_fda_after_a_food_contact_question_gets_the_food_contact_paragraph(
    kb: KnowledgeBase, domain: dict
) -> None:
    # p03: "vad säger FDA?" got the general text on target markets; the rule for selling abroad has a
    # paragraph on FDA and food contact, and one on FDA and medical devices that is no answer here.
    question = "Fast vi säljer ju i USA. Gäller den EU-regeln där, och vad kräver FDA?"
    t = tracker(question, "nlu_fallback", DRIPPER, current="livsmedelskontaktmaterial")
    text = reply(ActionClarify(), t, domain)
    assert "FDA" in text and "livsmedel" in text
    assert "medicinteknisk" not in text


def test_a_question_that_the_update_reads_as_a_change_is_answered(kb: KnowledgeBase, domain: dict) -> None:
    # p02: "inte" read as a changed product reopened the consultation.
    question = (
        "Menar du att vedklyven inte behöver CE-märkas? Den är ju en hel maskin som kopplas på traktorn."
    )
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionUpdateAdvisor().run(dispatcher, tracker(question, "inform", SPLITTER), domain))
    text = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert "CE-märk" in text and "Källa:" in text
    assert not any(e.get("event") == "followup" for e in events)  # no form again


def test_a_correction_after_a_recommendation_still_updates(kb: KnowledgeBase, domain: dict) -> None:
    dispatcher = CollectingDispatcher()
    t = tracker("jag menar 5000 per år", "inform", SPLITTER)
    events = asyncio.run(ActionUpdateAdvisor().run(dispatcher, t, domain))
    assert {"event": "slot", "timestamp": None, "name": "volume", "value": 5000} in events
    assert said(domain, "utter_followup_no_answer") not in "".join(
        m.get("text") or "" for m in dispatcher.messages
    )


def test_an_unanswered_question_without_its_own_fallback_is_left_to_the_action(
    kb: KnowledgeBase, domain: dict
) -> None:
    # Only the clarify action (whose own answer is "not sure") is told "no answer" for a question nothing
    # answers; the knowledge action keeps its own handling of its intent.
    t = tracker("Vilka utlysningar är öppna?", "ask_open_calls", SPLITTER)
    text = reply(ActionAnswerKb(), t, domain)
    assert text and said(domain, "utter_followup_no_answer") not in text


def test_story_before_the_first_question_is_read_with_it() -> None:
    text = "Bryggaren är i kontakt med kaffe. Måste materialet vara godkänt för livsmedel?"
    assert questions_of(text) == [text]
    assert questions_of("Vi har ingen fabrik.") == ["Vi har ingen fabrik."]


@pytest.mark.parametrize(
    ("text", "building_in"),
    [
        ("Anläggningen byggs ihop med kundens linje", True),
        ("Den integreras i en produktionslinje", True),
        ("En delvis fullbordad maskin CE-märks inte", True),
        ("Hur får vi ut den på marknaden?", False),
        ("Den är ju en hel maskin som kopplas på traktorn", False),
    ],
)
def test_building_in_is_recognised(text: str, building_in: bool) -> None:
    from bot.swedish import fold

    assert bool(BUILDING_IN.search(fold(text))) is building_in


@pytest.mark.parametrize(
    ("entry_id", "key", "question", "own", "reason"),
    [
        (
            "iso-9001-och-13485",
            "summary",
            "Hur får vi ut den till kunderna?",
            ["maskiner"],
            "another product's rule",
        ),
        ("export-utanfor-eu", "body.7", "Vad kräver FDA?", ["export-utanfor-eu"], "another product's rule"),
        ("maskiner", "body.12", "Hur får vi ut den på marknaden?", ["maskiner"], "building in, not asked"),
        (
            "stod-kompetenskartlaggning-validering",
            "amount",
            "Hinner vi ut på marknaden inom ett år med den budgeten?",
            [],
            "holds none of the question's words",
        ),
        ("robotlyftet", "body.2", "Hur många förstudier om automation gjordes?", [], "ended"),
        ("robotlyftet", "body.2", "Hur många förstudier gjordes i Robotlyftet?", [], None),
        ("maskiner", "summary", "Måste vedklyven CE-märkas som maskin?", ["maskiner"], None),
        ("maskiner", "body.12", "Den byggs in i kundens linje, ska den CE-märkas?", ["maskiner"], None),
    ],
)
def test_weak_evidence_is_recognised(
    kb: KnowledgeBase, entry_id: str, key: str, question: str, own: list[str], reason: str | None
) -> None:
    entry = kb.get(entry_id)
    assert entry is not None
    passage = next(p for p in entry.passages if p.key == key)
    found = Resolution(passages=[passage], entries=[entry])
    assert weak_reason(kb, Message(text=question), found, set(own)) == reason


def test_the_advice_lines_are_those_that_share_the_questions_words(kb: KnowledgeBase) -> None:
    advice = recommend({slot: WELDSHOP.get(slot) for slot in SLOTS}, kb)
    lines = advice_lines(advice, "Vad tycker du om att köra två skift?")
    assert lines and all("skift" in line for line in lines)
    assert advice_lines(advice, "Vad kostar en kaffebryggare?") == []


def test_an_ended_support_says_it_cannot_be_applied_for(kb: KnowledgeBase, domain: dict) -> None:
    # Round 9: Robotlyftet (2019–2021) was shown with a year only.
    text = reply(ActionAnswerKb(), tracker("Vad var Robotlyftet?", "ask_entry", {}, summary=None), domain)
    assert "Robotlyftet" in text and "Avslutat 2021 och går inte att söka nu" in text
    text = reply(
        ActionAnswerKb(), tracker("Vad är Almis innovationslån?", "ask_entry", {}, summary=None), domain
    )
    assert "Almi" in text and "går inte att söka" not in text


def test_a_support_question_after_advice_gets_no_ended_programme(kb: KnowledgeBase, domain: dict) -> None:
    # Round 19: the passage after the support part passes the support part's own filter, so an ended
    # programme (Robotlyftet, 2019–2021) is not offered beside the supports that can be applied for.
    question = "Finns det något bidrag för att köpa en svetsrobot?"
    text = reply(ActionClarify(), tracker(question, "nlu_fallback", WELDSHOP), domain)
    assert "Stöd och aktörer som kan hjälpa" in text
    assert "Robotlyftet" not in text


def test_no_support_for_companies_after_the_user_says_there_is_no_company(
    kb: KnowledgeBase, domain: dict
) -> None:
    """Persona round 12, p07: a student without a company asked for support and got the support list, then
    Vinnova's support for small limited companies."""
    student = {
        "situation": "new_product",
        "stage": "prototype",
        "product_type": ["electronics", "consumer"],
        "capability": "none",
        "volume": 300,
        "markets": ["sweden"],
        "company": "none",
        "capital": 50_000,
        "priorities": ["cost"],
    }
    said = reply(
        ActionUpdateAdvisor(),
        tracker("vilket stöd kan jag söka? jag har ju inget företag", "ask_support_for", student),
        domain,
    )
    assert "Stöd och aktörer" in said or "stöd" in said.lower()
    assert "aktiebolag" not in said
