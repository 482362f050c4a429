"""Free-text readings from persona rounds 30/30b: a company name is no typo of a product word ("Handkraft
Medical" is no "handkräm"), "ingen kosmetisk produkt" takes cosmetics back, and "tillverkningen i Kina funkar
okej" is no move."""

from __future__ import annotations

import pytest

from bot.advisor import parse_answer


@pytest.mark.parametrize("text", ["Jag är vd på Handkraft Medical i Göteborg.", "vi heter Handkraft AB"])
def test_a_word_that_goes_on_after_a_changed_last_letter_is_no_typo(text: str) -> None:
    assert "cosmetics" not in (parse_answer(text).values.get("product_type") or [])


@pytest.mark.parametrize("text", ["handkrämen", "hudkramer", "en ansiktskram"])
def test_real_typos_and_forms_still_count(text: str) -> None:
    assert "cosmetics" in parse_answer(text).values["product_type"]


def test_no_cosmetic_product_takes_cosmetics_back() -> None:
    result = parse_answer(
        "Det är ingen kosmetisk produkt och ingen maskin! Det är en medicinteknisk produkt.",
        expected="product_type",
    )
    assert result.values["product_type"] == ["medtech"]
    assert set(result.negated["product_type"]) == {"cosmetics", "machinery"}


def test_making_that_works_is_no_move() -> None:
    text = "Vi vill väl främst få ut den på marknaden i USA, tillverkningen i Kina funkar okej"
    result = parse_answer(text, expected="situation")
    assert result.values.get("situation") != "relocate"
    assert "relocate" in result.negated["situation"]


@pytest.mark.parametrize(
    ("text", "capability"),
    [
        ("vi konstruerar, monterar och driftsätter själva", "some"),
        ("vi monterar inte själva", "none"),
    ],
)
def test_assembling_with_other_steps_between_is_some_own_making(text: str, capability: str) -> None:
    assert parse_answer(text, expected="capability").values["capability"] == capability
