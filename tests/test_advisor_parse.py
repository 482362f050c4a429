"""Free Swedish answers in the production-strategy consultation, and which question comes next."""

from __future__ import annotations

import pytest

from bot.advisor import (
    SKIP,
    describe_answers,
    load_questions,
    next_question,
    parse_answer,
    question_for,
    required_slots,
    slot_updates,
)

RICH = (
    "vi har en prototyp i plast, räknar med 10 000 st per år, "
    "ingen egen verkstad och vill hålla kostnaden nere"
)

CASES = [
    # (text, slot of the question just asked, expected slot values)
    (
        RICH,
        None,
        {
            "stage": "prototype",
            "product_type": "plastics",
            "volume": 10000,
            "capability": "none",
            "priorities": ["cost"],
        },
    ),
    ("Vi har en idé, bara en skiss än så länge", "stage", {"stage": "idea"}),
    ("koncept", "stage", {"stage": "idea"}),
    ("den funkar på bänken", "stage", {"stage": "prototype"}),
    ("proto", "stage", {"stage": "prototype"}),
    ("vi ska köra en pilotserie", None, {"stage": "prototype"}),
    ("Vi har gjort en testserie på 50 st", None, {"stage": "pilot"}),
    ("vi tillverkar redan och säljer redan", None, {"stage": "production"}),
    ("vi har en prototyp och vill göra en nollserie", None, {"stage": "prototype"}),
    ("vi vill ta fram en prototyp", None, {"stage": "idea"}),
    ("protoyp", "stage", {"stage": "prototype"}),
    ("elektronk med kretskort", None, {"product_type": "electronics"}),
    ("IDE", "stage", {"stage": "idea"}),
    ("livsmedel", "product_type", {"product_type": "food"}),
    ("inte plast utan elektronik", None, {"product_type": "electronics"}),
    ("en medicinteknisk produkt", None, {"product_type": "medtech"}),
    ("möbler i massivträ", None, {"product_type": "wood"}),
    ("en cykelhjälm", "product_type", {"product_type": "other"}),
    ("en cykelhjälm", "stage", {}),
    ("3D-printad modell", "stage", {"stage": "prototype"}),
    ("5000", "volume", {"volume": 5000}),
    ("5 000", "volume", {"volume": 5000}),
    ("5k", "volume", {"volume": 5000}),
    ("ca 5000 per år", None, {"volume": 5000}),
    ("tio tusen", "volume", {"volume": 10000}),
    ("ungefär 500 i månaden", None, {"volume": 6000}),
    ("mellan 5 000 och 10 000 per år", None, {"volume": 7500}),
    ("massproduktion", None, {"volume": "very_large"}),
    ("2 miljoner", "capital", {"capital": "medium"}),
    ("500k", "capital", {"capital": "medium"}),
    ("200 000 kr", None, {"capital": "low"}),
    ("kapital finns, runt 2 miljoner", None, {"capital": "medium"}),
    ("vi har 10 miljoner från investerare", None, {"capital": "high"}),
    ("lite pengar", None, {"capital": "low"}),
    ("nej", "capability", {"capability": "none"}),
    ("vi har en liten verkstad och kan montera själva", None, {"capability": "some"}),
    ("vi har ingen fabrik men vill ha kontroll", None, {"capability": "none", "priorities": ["control"]}),
    ("vi vill bygga en egen fabrik", "stage", {}),
    ("så fort som möjligt", None, {"time_to_market": "urgent"}),
    ("inom 3 månader", None, {"time_to_market": "urgent"}),
    ("inte bråttom", None, {"time_to_market": "relaxed"}),
    ("om två år", None, {"time_to_market": "relaxed"}),
    ("den är patenterad", None, {"ip_sensitivity": "high"}),
    ("inte så känslig", None, {"ip_sensitivity": "low"}),
    ("ja", "ip_sensitivity", {"ip_sensitivity": "high"}),
    ("kostnad och hållbarhet", None, {"priorities": ["cost", "sustainability"]}),
    ("Kontrol och kvalite", None, {"priorities": ["control"]}),
    ("tillverkat i Sverige, miljövänligt", None, {"priorities": ["proximity", "sustainability"]}),
    ("hallbarhet och narhet", None, {"priorities": ["sustainability", "proximity"]}),
    ("sa fort som mojligt", None, {"time_to_market": "urgent"}),
    ("mobler", None, {"product_type": "wood"}),
    ("vet inte", "volume", {"volume": SKIP}),
    ("hoppa över", "capital", {"capital": SKIP}),
    ("ingen aning", "ip_sensitivity", {"ip_sensitivity": SKIP}),
    ("jag menar 5000 per år", "capital", {"volume": 5000}),
    ("Nej vänta, det är elektronik", "volume", {"product_type": "electronics"}),
    ("ISO 13485 krävs", "volume", {}),
    (
        "vi har en prototyp, 2 miljoner i kassan och räknar med 5000 st",
        "volume",
        {"stage": "prototype", "capital": "medium", "volume": 5000},
    ),
]


@pytest.mark.parametrize(("text", "expected_slot", "values"), CASES, ids=[c[0][:40] for c in CASES])
def test_free_text_fills_slots(text: str, expected_slot: str | None, values: dict) -> None:
    assert dict(parse_answer(text, expected=expected_slot).values) == values


def test_every_button_title_parses_back_to_its_value() -> None:
    for question in load_questions().questions:
        for option in question.options:
            parsed = parse_answer(option.title, expected=question.slot).values.get(question.slot)
            assert parsed in (option.value, [option.value]), (question.slot, option.title, parsed)


def test_correction_and_skip_are_flagged() -> None:
    assert parse_answer("jag menar 5000 per år").correction
    assert not parse_answer("5000 per år").correction
    assert parse_answer("vet inte").skipped
    assert parse_answer("vet inte").values == {}


def test_a_second_priority_is_added_unless_corrected() -> None:
    filled = {"priorities": ["cost"], "volume": 10000}
    assert slot_updates(filled, parse_answer("hållbarhet också")) == {
        "priorities": ["cost", "sustainability"]
    }
    assert slot_updates(filled, parse_answer("jag menar hållbarhet")) == {"priorities": ["sustainability"]}


def test_correction_changes_only_what_was_corrected() -> None:
    filled = {"stage": "prototype", "volume": 10000}
    assert slot_updates(filled, parse_answer("jag menar 5000 per år")) == {"volume": 5000}
    assert slot_updates(filled, parse_answer("prototyp")) == {}


def _asked(filled: dict) -> str | None:
    question = next_question(filled)
    return question.slot if question else None


def test_questions_come_in_order_and_skip_what_is_known() -> None:
    assert _asked({}) == "stage"
    filled = dict(parse_answer(RICH).values)
    assert _asked(filled) == "capital"
    assert _asked(filled | {"capital": SKIP}) == "time_to_market"


def test_questions_that_do_not_matter_are_not_asked() -> None:
    assert "time_to_market" not in required_slots({"stage": "production"})
    assert "ip_sensitivity" not in required_slots({"stage": "idea"})
    assert len(required_slots({})) == 8


def test_consultation_ends_when_everything_is_answered_or_skipped() -> None:
    filled = {slot: SKIP for slot in required_slots({})}
    assert _asked(filled) is None
    assert (
        _asked(
            {
                "stage": "production",
                "product_type": "food",
                "volume": 10,
                "capability": "none",
                "capital": "low",
                "ip_sensitivity": "low",
                "priorities": ["cost"],
            }
        )
        is None
    )
    assert _asked({"stage": "idea"} | {slot: SKIP for slot in required_slots({"stage": "idea"})[1:]}) is None


def test_question_has_swedish_text_and_buttons_with_skip() -> None:
    question = question_for("stage")
    assert question.text.endswith("?")
    assert [b.value for b in question.buttons] == ["idea", "prototype", "pilot", "production", SKIP]
    assert question.buttons[-1].title == "Vet inte / hoppa över"
    assert question_for("priorities").multiple


def test_describe_answers_lists_what_the_user_said() -> None:
    text = describe_answers(
        {"stage": "prototype", "volume": 10000, "priorities": ["cost", "proximity"], "capital": SKIP}
    )
    assert text.splitlines() == [
        "Fas: Prototyp",
        "Volym: cirka 10 000 enheter per år",
        "Kapital: hoppade över",
        "Prioriteringar: låg kostnad och närhet till tillverkningen",
    ]
