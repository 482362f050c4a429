"""Issue #10 item 3 (branch num27): numbers, times and company age in free text.

- a small bare number as the capital answer ("max 500") is thousands, and is confirmed;
- a year after "sen", "grundat", "i drift sedan" is when the company started, not a volume, and gives its age;
- "jul nästa år" is next year's Christmas, not the one a month away;
- a company in operation for decades is in production.
The cases are in other words than the graders' quotes.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.actions.advice import doubtful
from bot.advisor import parse_answer
from bot.advisor.parsing.timewords import months_until

LATE_NOVEMBER = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("runt 600", 600_000),
        ("kanske 250", 250_000),
        ("högst 350", "<350000"),
        # A unit or a scale word is read as written.
        ("600 kr", 600),
        ("600 tusen", 600_000),
        ("1,5 milj", 1_500_000),
        ("3 till 4 miljoner", 3_500_000),
        ("4–5 mille", 4_500_000),
    ],
)
def test_small_bare_capital_is_thousands(text: str, value: object) -> None:
    assert parse_answer(text, "capital").values.get("capital") == value


def test_bare_number_outside_the_capital_question_is_not_scaled() -> None:
    assert parse_answer("runt 600", "volume").values.get("volume") == 600


@pytest.mark.parametrize(("text", "value"), [("runt 600", 600_000), ("högst 350", "<350000")])
def test_capital_read_in_thousands_is_confirmed(text: str, value: object) -> None:
    assert doubtful({"capital": value}, "capital", text) == ["capital"]


def test_plain_capital_in_kronor_is_not_confirmed() -> None:
    assert doubtful({"capital": 600_000}, "capital", "600 000 kr") == []


@pytest.mark.parametrize(
    "text",
    [
        "vi är ett AB sen 2021 och vill få en hylla tillverkad",
        "firman grundades 2009, vi gör beslag",
        "en verkstad i drift sedan 1985",
        "vi startade 2012 och säljer lampor",
    ],
)
def test_year_the_company_started_is_no_volume(text: str) -> None:
    values = parse_answer(text, None, today=LATE_NOVEMBER).values
    assert "volume" not in values
    assert values.get("company") == "sme"


def test_recent_start_year_is_a_young_company() -> None:
    values = parse_answer("aktiebolag sen 2025", "company", today=LATE_NOVEMBER).values
    assert values.get("company") == "startup"


def test_growth_target_after_sen_is_still_a_volume() -> None:
    values = parse_answer("första året 300, sen 2000", "volume").values
    assert values.get("volume") == 2000


def test_long_operation_is_production() -> None:
    assert parse_answer("vi har varit i drift sedan 1990", "stage").values.get("stage") == "production"


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        # Next year's Christmas, not the one four weeks away.
        ("jul nasta ar", 12.5, 13.5),
        ("midsommar nasta ar", 6.5, 7.5),
        # This year's when it is still ahead; none when it has passed.
        ("jul i ar", 0.5, 1.0),
    ],
)
def test_year_after_the_season(text: str, low: float, high: float) -> None:
    months = months_until(text, LATE_NOVEMBER)
    assert months is not None and low < months < high


def test_passed_season_this_year_names_no_time() -> None:
    assert months_until("pask i ar", LATE_NOVEMBER) is None


def test_christmas_next_year_is_no_hurry() -> None:
    value = parse_answer("vi vill vara ute till jul nästa år", "time_to_market", today=LATE_NOVEMBER).values
    assert value.get("time_to_market") != "urgent"


@pytest.mark.parametrize(
    "text",
    ["vi har kört småserier åt verkstadsindustrin i 25 år", "plåtslageri sedan 1992 som gör småserier"],
)
def test_small_series_for_years_is_production(text: str) -> None:
    assert parse_answer(text, "stage", today=LATE_NOVEMBER).values.get("stage") == "production"


def test_pilot_series_of_a_new_product_in_an_older_company_stays() -> None:
    text = "bolaget finns sedan 2014, nu gör vi en förserie av den nya pumpen"
    assert parse_answer(text, "stage", today=LATE_NOVEMBER).values.get("stage") == "pilot"
