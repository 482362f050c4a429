"""Persona round 13, p02: a machine shop that lists its processes ("kör CNC …, svetsar MIG/TIG") and wants
its own product was read as a staffing problem: "svetsar" (we weld) was taken as a typo of "svetsare"
(welders), the shortage word. Another form of the same word is no typo."""

from __future__ import annotations

from typing import Any

import pytest

from bot.advisor import parse_answer


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        (
            "Vi är en legoverkstad, kör CNC fräs och svarv, svetsar MIG/TIG. Vi vill börja med en egen "
            "produkt.",
            {"situation": "new_product", "capability": "full"},
            ("bottleneck",),
        ),
        ("kör CNC fräs och svarv, svetsar MIG/TIG", {"capability": "full"}, ("situation", "bottleneck")),
        # The shortage itself is still read.
        ("vi får inte tag på svetsare", {"situation": "capacity", "bottleneck": ["welding"]}, ()),
        ("vi saknar svetsare och montörer", {"situation": "capacity"}, ()),
        # A real typo still matches.
        ("vi har en protoyp", {"stage": "prototype"}, ()),
        ("vill ha en egen produkt vid sidan av legojobben", {"situation": "new_product"}, ()),
    ],
)
def test_processes_are_no_shortage(text: str, expected: dict[str, Any], absent: tuple[str, ...]) -> None:
    values = parse_answer(text).values
    assert {k: values.get(k) for k in expected} == expected
    assert not set(absent) & set(values)


@pytest.mark.parametrize(
    ("text", "expected_slot", "capability"),
    [
        # Said in passing, "full produktion" is full-scale production, not the company's own production
        # (tuning set 7, x044).
        (
            "Vi har en prototyp och en kund som vill ha 10 000 st. Kan vi gå direkt till full produktion?",
            None,
            None,
        ),
        ("när kan vi gå över till fullskalig produktion?", None, None),
        # As the answer to "har ni egen produktion?" it still means own production.
        ("full produktion", "capability", "full"),
        ("ja, full produktion", "capability", "full"),
        ("vi har egen produktion i Borås", None, "full"),
    ],
)
def test_full_production_in_passing_is_no_own_production(
    text: str, expected_slot: str | None, capability: str | None
) -> None:
    assert parse_answer(text, expected_slot).values.get("capability") == capability
