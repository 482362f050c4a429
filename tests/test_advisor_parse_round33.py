"""Persona round 33 (branch state33): free text changes only what the user says, at the strength they say it.

- how many the team is ("vi är tre", "två kompisar", "jag och min kompis") says a young team, not an
  established company; years in business still say established, also in a compound ("snickerifirma");
- a possibility ("kanske en sensor sen", "en app på sikt") is not what the product is now, and a degree word
  ("lite känsligt") makes the IP answer something, not very, sensitive;
- a sentence that opens with a question word asks even without "?": it changes no given answer;
- product words the graders' companies used and the parser missed (a puzzle, a felt pouf);
- a negation takes back only what it names.
The cases are in other words than the graders' quotes.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.advisor import parse_answer, slot_updates


def read(text: str, expected: str | None = None) -> dict[str, Any]:
    return dict(parse_answer(text, expected).values)


# ------------------------------------------------------------------ team size is no company age
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vi är tre som driver ett bolag och har ritat en hundgrind i stål.", None),
        ("Vi är två kompisar som har tagit fram en kanotkärra.", None),
        ("jag och min kompis", "company"),
        ("Jag och en kollega har byggt en prototyp på en fågelholk.", None),
        ("vi är fyra", "company"),
    ],
)
def test_the_size_of_a_team_is_a_young_company(text: str, expected: str | None) -> None:
    assert read(text, expected)["company"] == "startup"


@pytest.mark.parametrize(
    "text",
    [
        "Vi är två som driver en snickerifirma sedan 1998.",
        "Vi är tre som har drivit en plåtslageriverkstad i tjugo år och vill göra en egen brevlåda.",
        "vi är tre och har drivit firman i tjugo år",
    ],
)
def test_years_in_business_make_a_small_team_established(text: str) -> None:
    assert read(text)["company"] in ("sme", "micro")


# ------------------------------------------------------------------ a possibility is no category
@pytest.mark.parametrize(
    ("text", "left_out"),
    [
        ("en vattenskål i rostfritt stål, kanske med en sensor sen", "electronics"),
        ("en kattlucka i aluminium, eventuellt en app på sikt", "software"),
        ("Skålen är i stål, bluetooth kan komma längre fram", "radio"),
    ],
)
def test_a_part_that_may_come_later_is_not_the_product_now(text: str, left_out: str) -> None:
    values = read(text, "product_type")
    assert "mechanics" in values["product_type"]
    assert left_out not in values["product_type"]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("en cykellampa med batteri", "battery"),
        ("kanske 500 lampor med batteri om året", "battery"),
        ("en termometer med lite elektronik", "electronics"),
        ("en dörrsensor med bluetooth", "radio"),
    ],
)
def test_a_part_said_plainly_stays(text: str, kept: str) -> None:
    assert kept in read(text, "product_type")["product_type"]


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("lite känsligt", "medium"),
        ("vi har lite oro för att den kopieras", "medium"),
        ("ja lite grann", "medium"),
        ("mycket känslig, vi har sökt patent", "high"),
        ("ja, den är patenterad", "high"),
    ],
)
def test_a_degree_word_lowers_the_ip_answer(text: str, level: str) -> None:
    assert read(text, "ip_sensitivity")["ip_sensitivity"] == level


# ------------------------------------------------------------------ a question is no answer
@pytest.mark.parametrize(
    "text",
    [
        "vad finns det för lån om vi ska automatisera slipningen",
        "Finns det bidrag för att automatisera packningen",
        "Hur mycket kostar det att automatisera svetsen?",
    ],
)
def test_a_question_about_money_keeps_the_goal(text: str) -> None:
    filled = {"situation": "capacity"}
    assert "situation" not in slot_updates(filled, parse_answer(text, "capital"))


def test_a_goal_said_as_a_statement_still_changes_it() -> None:
    filled = {"situation": "capacity"}
    result = parse_answer("Nej, vi vill automatisera slipningen i stället", "capital")
    assert slot_updates(filled, result)["situation"] == "automate"


# ------------------------------------------------------------------ product words in the first message
@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("Vi har gjort ett pussel i plywood för förskolebarn.", {"toys", "children"}),
        ("Jag har formgett en sittpuff i ullfilt.", {"furniture", "textile"}),
    ],
)
def test_product_words_of_an_opening(text: str, values: set[str]) -> None:
    assert values <= set(read(text)["product_type"])


# ------------------------------------------------------------------ a negation takes back only what it names
@pytest.mark.parametrize(
    "text",
    [
        "Det finns ingen elektronik i den, bara bok och en magnet.",
        "Nej, ingen elektronik alls, den är helt i trä",
        "Inga batterier, bara trä",
    ],
)
def test_a_negation_keeps_the_toy(text: str) -> None:
    filled = {"product_type": ["toys", "wood", "electronics", "battery"]}
    updated = slot_updates(filled, parse_answer(text, "capital")).get("product_type", filled["product_type"])
    assert {"toys", "wood"} <= set(updated)
