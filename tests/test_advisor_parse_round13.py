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
