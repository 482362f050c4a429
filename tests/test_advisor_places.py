"""Where the product is made today is read from a manufacturing city as well as a country (persona round 20b,
p06: "en fabrik i Ningbo" in the opening, and the consultation still asked where they produce), and priorities
as the user means them (round 20, p01)."""

from __future__ import annotations

import pytest

from bot.advisor import parse_answer


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("stavarna görs av en fabrik i Ningbo och vi vill ta hem dem", "asia"),
        ("vår leverantör sitter i Shenzhen", "asia"),
        ("vi köper allt färdigt från Dongguan i dag", "asia"),
        ("en legotillverkare i Gdańsk svetsar ramarna åt oss", "europe"),
        ("de görs i Gdansk", "europe"),
        ("monteringen sker hos en partner i Kaunas", "europe"),
    ],
)
def test_a_manufacturing_city_tells_where_it_is_made(text: str, where: str) -> None:
    assert parse_answer(text).values.get("current_location") == where


@pytest.mark.parametrize(
    "text",
    [
        "vi vill sälja i Shanghai också",
        "vi har kunder i Riga och Tallinn",
        "vi köper celler från Shenzhen och bygger packen här",
    ],
)
def test_a_city_that_is_a_market_or_a_part_origin_is_not_where_it_is_made(text: str) -> None:
    assert parse_answer(text).values.get("current_location") is None


@pytest.mark.parametrize(
    ("text", "priorities"),
    [
        # Persona round 20, p01: being able to change the design quickly is flexibility, not short lead times.
        (
            "kvalitet, och att vi snabbt kan ändra när de första kunderna säger vad de tycker",
            ["control", "flexibility"],
        ),
        ("att det ska gå snabbt att justera saker mellan batcherna", ["flexibility"]),
        ("korta ledtider och att vi snabbt kan ändra", ["lead_time", "flexibility"]),
        ("snabba leveranser", ["lead_time"]),
    ],
)
def test_changing_quickly_is_flexibility(text: str, priorities: list[str]) -> None:
    assert parse_answer(text, expected="priorities").values.get("priorities") == priorities


@pytest.mark.parametrize(
    "text",
    ["projektbaserat, kanske 2-4 mille per år", "runt 3 mkr om året", "ungefär 5 MSEK per år i försäljning"],
)
def test_money_a_year_is_no_volume(text: str) -> None:
    """A sum of money a year (turnover) answering the volume question is no number of units (tuning set 1,
    a steel-stair maker: "3-5 mille per år" became 4 000 000 units a year)."""
    values = parse_answer(text, expected="volume").values
    assert "volume" not in values
    assert "capital" not in values


def test_units_a_year_are_still_a_volume() -> None:
    assert parse_answer("runt 3 000 st om året", expected="volume").values["volume"] == 3000
