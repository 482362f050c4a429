"""Where the product is made today is read from a manufacturing city as well as a country (persona round 20b,
p06: "en fabrik i Ningbo" in the opening, and the consultation still asked where they produce)."""

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
