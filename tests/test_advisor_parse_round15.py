"""Persona rounds 15 and 15b (final build of the seventh session): words read as the wrong answer.

- 15b p04: a dust extractor "för snickerier och sågverk" became a wood product (the customers), no machine;
- 15b p03: a holder "i kontakt med varmt kaffe" became a food (outside the advisor's scope), not food contact;
- 15 p10: "Viss, vi har byggt prototyperna själva … med en punktsvets" became no own production;
- 15 p01: "Firmwaren … är det vi är rädda om, hårdvaran är inte så hemlig" became not sensitive, and "i tuff
  miljö" became the priority sustainability; folded, "för miljön" read as "miljon", 1 000 000 kr.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.advisor import parse_answer


@pytest.mark.parametrize(
    ("text", "expected", "slot", "value"),
    [
        (
            "Vi är 8 pers och bygger dammavskiljare/spånsugar för snickerier och sågverk.",
            None,
            "product_type",
            # A wood-dust extractor is a machine in an explosive atmosphere (regs26: ATEX too).
            ["machinery", "wood_dust", "atex"],
        ),
        ("vi gör möbler i trä", None, "product_type", ["furniture", "wood"]),
        (
            "en hållare till kaffekoppen, den är i kontakt med varmt kaffe",
            None,
            "product_type",
            ["food_contact"],
        ),
        ("vi säljer kaffe", None, "product_type", ["food"]),
        (
            "Viss, vi har byggt prototyperna själva i en verkstad med en punktsvets för cellerna",
            "capability",
            "capability",
            "some",
        ),
        ("nej, vi har bara byggt prototyperna själva", "capability", "capability", "none"),
        ("i viss mån, vi köper allt", "capability", "capability", "none"),
        (
            "Firmwaren och algoritmerna är det vi är rädda om, hårdvaran är inte så hemlig",
            "ip_sensitivity",
            "ip_sensitivity",
            "medium",
        ),
        ("inte så känslig", "ip_sensitivity", "ip_sensitivity", "low"),
        (
            "Kvalitet och kontroll, de sitter på maskiner i tuff miljö. Ledtid också.",
            "priorities",
            "priorities",
            ["control", "lead_time"],
        ),
        ("bra för miljön och låg kostnad", "priorities", "priorities", ["sustainability", "cost"]),
    ],
)
def test_words_are_read_as_meant(text: str, expected: str | None, slot: str, value: Any) -> None:
    assert parse_answer(text, expected).values.get(slot) == value


@pytest.mark.parametrize("text", ["bra för miljön", "miljön", "vi tänker på miljön"])
def test_the_environment_is_no_amount(text: str) -> None:
    assert "capital" not in parse_answer(text, "priorities").values


@pytest.mark.parametrize(("text", "amount"), [("en miljon", 1_000_000), ("en halv miljon", 500_000)])
def test_a_million_with_its_count_is_still_an_amount(text: str, amount: int) -> None:
    assert parse_answer(text, "capital").values["capital"] == amount
