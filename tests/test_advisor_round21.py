"""Persona round 21b's unsound recommendations, as the parser reads the user: "X har inget med Y att göra"
denies Y, not X (p02: a wood splitter lost the machine and its CE rules); what the money goes to is no
priority (p03: "mest till lager och certifieringar" became quality first and a Swedish contract manufacturer);
climbing frames for small children are toys (p10: "GPSR för produkter utan CE-krav")."""

from __future__ import annotations

import pytest
from test_advisor_round19 import product, values

from bot.advisor import recommend
from bot.kb import KnowledgeBase


@pytest.mark.parametrize(
    ("text", "kept", "denied"),
    [
        (
            "Men obs, vedklyven har inget med fordon att göra, kunderna är fordonsbolag.",
            "machinery",
            "vehicle",
        ),
        ("kompressorn har inget med medicinteknik att göra", "machinery", "medtech"),
    ],
)
def test_nothing_to_do_with_denies_what_follows(text: str, kept: str, denied: str) -> None:
    found = product(text)
    assert kept in found
    assert denied not in found


def test_a_negation_still_takes_back_the_mention_before_it() -> None:
    assert "plastics" not in product("plast har vi ingen")


@pytest.mark.parametrize(
    ("text", "expected", "priorities"),
    [
        ("runt en miljon, det mesta går till lager och certifieringar", "capital", None),
        ("certifieringar och spårbarhet är viktigast", "priorities", ["control"]),
    ],
)
def test_certification_is_a_priority_only_as_an_answer_to_that_question(
    text: str, expected: str, priorities: list[str] | None
) -> None:
    assert values(text, expected).get("priorities") == priorities


@pytest.mark.parametrize(
    "text",
    [
        "vi gör klätterställningar i björk för de minsta barnen",
        "en piklertriangel med rutschbräda",
        "aktivitetsleksaker för förskolebarn",
    ],
)
def test_climbing_frames_for_children_are_toys(text: str) -> None:
    assert "toys" in product(text)


def test_a_childrens_chair_is_no_toy() -> None:
    assert "toys" not in product("en barnstol för småbarn")


@pytest.mark.parametrize(
    ("text", "volume"),
    [
        ("kanske 3-500 om året, beror på butikerna", 400),  # p02: read as 252
        ("2-300 st per år", 250),
        ("2-30 st", 16),  # a short range read as written
        ("10-100 st om året", 55),
    ],
)
def test_a_range_written_short(text: str, volume: int) -> None:
    assert values(text, "volume")["volume"] == volume


def test_when_staff_retire_is_no_time_to_market() -> None:
    """Round 21b p08: "går i pension inom två år" was stored as "Ingen brådska"."""
    found = values("tre svetsare går i pension inom två år och vi hittar ingen ersättare")
    assert "time_to_market" not in found
    assert values("vi vill lansera inom två år").get("time_to_market") == "relaxed"


def test_correcting_no_hurry_to_a_hurry() -> None:
    """Round 21b p08: "det är inte 'ingen brådska' – det är bråttom" changed nothing."""
    assert values("Nej, det är inte 'ingen brådska', vi har bråttom!").get("time_to_market") == "urgent"
    assert values("ingen brådska", "time_to_market").get("time_to_market") == "relaxed"


def test_a_cosmetics_maker_who_makes_it_herself_gets_advice_on_her_own_premises(kb: KnowledgeBase) -> None:
    """Round 21 p09: a soap and cream maker selling from her kitchen got "välj en legotillverkare"."""
    answers = {
        "situation": "scale_up",
        "stage": "production",
        "capability": "manual",
        "product_type": ["cosmetics", "consumer"],
        "volume": 5000,
        "company": "micro",
    }
    steps = " ".join(recommend(answers, kb).next_steps)
    assert "fortsätta tillverka själv" in steps
    assert "Välj en legotillverkare för kosmetika" not in steps
    bought = recommend({**answers, "capability": "none"}, kb)
    assert "Välj en legotillverkare för kosmetika" in " ".join(bought.next_steps)


def test_an_idea_to_license_starts_with_the_cheap_checks(kb: KnowledgeBase) -> None:
    """Round 21 p07: a student with no money got "Skydda tekniken först (patentansökan …)" first."""
    answers = {
        "situation": "license",
        "stage": "idea",
        "capability": "none",
        "company": "none",
        "product_type": ["mechanics", "consumer"],
        "priorities": ["cost"],
    }
    result = recommend(answers, kb)
    assert result.category == "licensing_odm"
    assert result.next_steps[0].startswith("Börja med det som är billigt")
    prototype = recommend({**answers, "stage": "prototype"}, kb)
    assert not prototype.next_steps[0].startswith("Börja med det som är billigt")
