""" "X är ingen Y" says what X is not; it does not take X back (persona round 17, p02: "Inte känslig,
vedklyvar är ingen raketforskning" took the machine back, so a wood splitter got "general product safety,
no CE")."""

from __future__ import annotations

import pytest

from bot.advisor import parse_answer
from bot.advisor.parsing.parse import slot_updates


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Inte känslig, vedklyvar är ingen raketforskning", "machinery"),
        ("plasten är inget problem för oss", "plastics"),
        ("elektroniken är inga konstigheter", "electronics"),
    ],
)
def test_a_noun_after_the_negation_is_what_is_negated(text: str, kept: str) -> None:
    before = {"product_type": [kept, "mechanics"]}
    assert kept in (slot_updates(before, parse_answer(text)).get("product_type") or before["product_type"])
    assert kept not in parse_answer(text).negated.get("product_type", ())


@pytest.mark.parametrize(
    ("text", "dropped"),
    [
        ("trä är inget vi använder", "wood"),
        ("plast har vi ingen", "plastics"),
        ("Det är ingen träprodukt", "wood"),
        ("hållbarhet har jag inte sagt", "sustainability"),
        ("hållbarhet spelar ingen roll", "sustainability"),
    ],
)
def test_a_negation_with_no_noun_of_its_own_still_takes_the_answer_back(text: str, dropped: str) -> None:
    negated = parse_answer(text).negated
    assert any(dropped in values for values in negated.values()), negated
