"""The material of a prototype is not the product's when another clause says what the product will be made of
(persona round 29, p07: "plywooden var bara för prototypen, riktiga ska nog vara plast eller alu" kept wood,
and the deforestation regulation became a next step for a plastic sled)."""

from __future__ import annotations

import pytest

from bot.advisor import parse_answer


@pytest.mark.parametrize(
    ("text", "kept", "dropped"),
    [
        (
            "det är en pulka för isfiske. plywooden var bara för prototypen, riktiga ska nog vara plast "
            "eller alu",
            ["plastics", "mechanics"],
            ["wood"],
        ),
        ("vi har gjort prototypen i trä, serien blir i plast", ["plastics"], ["wood"]),
        ("Prototypen syddes i bomull men produkten blir i plast", ["plastics"], ["textile"]),
    ],
)
def test_a_prototype_only_material_gives_way_to_the_products(
    text: str, kept: list[str], dropped: list[str]
) -> None:
    types = parse_answer(text, expected="product_type").values["product_type"]
    assert all(v in types for v in kept), types
    assert not any(v in types for v in dropped), types


@pytest.mark.parametrize(
    ("text", "material"),
    [
        # No other material named: the prototype's may well be the product's.
        ("vi har en prototyp i trä", "wood"),
        # The same material for both.
        ("prototypen är i plast och serien också i plast", "plastics"),
        # Not about a prototype at all.
        ("en skärbräda i trä med handtag i plast", "wood"),
    ],
)
def test_a_material_is_kept_otherwise(text: str, material: str) -> None:
    assert material in parse_answer(text, expected="product_type").values["product_type"]
