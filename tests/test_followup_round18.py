"""Follow-ups after a recommendation get an answer to what they ask, with the real actions over the shipped
knowledge base: the situations of persona rounds 18 and 18b (docs/evaluations/2026-11-27-advisor-personas-
round18.md and ...round18b.md, "De viktigaste felen", point 1: a loosely related passage instead of an
answer), in our own words (not those of tests/data/followup_tuning11.yml)."""

from __future__ import annotations

from typing import Any

import pytest
from test_followup_limits import reply
from test_followup_round16 import assert_answers, follow_up

from bot.actions.followup import PART_OUT, TO_WORK
from bot.actions.handoff import ActionClarify
from bot.actions.limits import shared_stems
from bot.kb import KnowledgeBase
from bot.swedish import content_stems, fold

# Solid soap and shampoo bars mixed in a small rented room, to be scaled up for a chain (18b p09, 18 p09).
SOAP = {
    "situation": "scale_up",
    "product_type": ["cosmetics"],
    "capability": "manual",
    "current_location": "sweden",
    "volume": 60_000,
    "markets": ["sweden", "nordics"],
    "company": "micro",
    "capital": 350_000,
    "ip_sensitivity": "medium",
    "priorities": ["control"],
}
# A welding shop with more orders than welders, recurring series (18 p08).
WELDERS = {
    "situation": "capacity",
    "bottleneck": ["welding"],
    "shifts": "one",
    "recruitment": "failed",
    "workload": "series",
    "capability": "full",
    "company": "sme",
    "markets": ["sweden"],
    "capital": 2_500_000,
    "priorities": ["lead_time"],
}

CASES = [
    # "gå till väga" is no question about weighing scales: the advice on contract manufacturing of cosmetics.
    (
        SOAP,
        "Hur ska vi gå till väga om vi vill att en legotillverkare gör tvålarna åt oss?",
        ["legotillverk"],
        ["NAWI", "vågar", "Legotillverkning, eller kontraktstillverkning, betyder"],
    ),
    # What to demand of a toll manufacturer: the cosmetics advice, not the definition of the word.
    (
        SOAP,
        "Vilka krav ska vi ställa på en lönetillverkare av våra tvålar?",
        ["(produktinformationsdokument|god tillverkningssed)"],
        ["Legotillverkning, eller kontraktstillverkning, betyder", "AQL"],
    ),
    # Buying part of the welding from a subcontractor nearby: the recommendation's line on buying capacity and
    # the passage on the place, not the nearshore path weighed with the advice repeated.
    (
        WELDERS,
        "Kan vi köpa en del av svetsningen från en underleverantör i Lettland?",
        ["partnerverkstad", "Lettland"],
        ["Ditt förslag vägt", "^Rekommendation:"],
    ),
    # Staffing agencies as a bridge: the recommendation's own line on it and the advice on staffing agencies,
    # not the general competence plan of 2018.
    (
        WELDERS,
        "Är det smart att ta in några svetsare via en bemanningsfirma under en period?",
        ["bemanning eller inhyrd personal", "Källa: https://sv.m.wikipedia.org/wiki/Bemanningsf"],
        ["juli 2018", "kollaborativ svetsrobot"],
    ),
]


@pytest.mark.parametrize(("profile", "question", "must", "must_not"), CASES)
def test_a_follow_up_gets_an_answer_to_what_it_asks(
    kb: KnowledgeBase,
    domain: dict[str, Any],
    profile: dict[str, Any],
    question: str,
    must: list[str],
    must_not: list[str],
) -> None:
    assert_answers(domain, profile, question, must, must_not)


def test_a_definition_still_answers_what_a_thing_is(kb: KnowledgeBase, domain: dict[str, Any]) -> None:
    text = reply(ActionClarify(), follow_up("Vad betyder lönetillverkning?", "nlu_fallback", SOAP), domain)
    assert "Legotillverkning, eller kontraktstillverkning, betyder" in text


@pytest.mark.parametrize(
    ("question", "line", "shared"),
    [
        ("bemanningsbolag", "Använd bemanning som brygga", True),
        ("en annan verkstad", "Köp av en partnerverkstad", True),
        ("svetsare", "Utbilda plåtslagare", False),
    ],
)
def test_a_line_shares_a_compound_with_the_question(question: str, line: str, shared: bool) -> None:
    assert bool(shared_stems(set(content_stems(question)), content_stems(line))) is shared


@pytest.mark.parametrize(
    ("text", "proceeds"),
    [
        ("Hur går vi till väga?", True),
        ("Hur gick ni till väga då?", True),
        ("Hur mycket ska vågen väga?", False),
    ],
)
def test_how_to_proceed_is_not_read_as_weighing(text: str, proceeds: bool) -> None:
    assert bool(TO_WORK.search(text)) is proceeds


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("Kan vi lägga ut en del av jobben på en verkstad i Polen?", True),
        ("Vi vill köpa toppar av en underleverantör", True),
        ("Ska vi lägga ut tillverkningen i Polen?", False),
    ],
)
def test_buying_part_of_the_work_is_told_from_moving_it(text: str, part: bool) -> None:
    assert bool(PART_OUT.search(fold(text))) is part
