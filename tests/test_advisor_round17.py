"""Persona round 16 and what adv16 left (issue #10, branch adv17): reading the user's own words.

- "en arduino-grej på skrivbordet" made a bird box with a camera a piece of furniture (p07, unsound);
- "fuktsensor i trästomme" became a wood product and "det är ingen träprodukt" did not take it back (p01);
- "ingen aning. tusentals? ..." was answered from the knowledge base as a side question (p07);
- a goal stated in the opening ("ledtiderna drar iväg") was asked again (p04);
- "någon miljon", "100-150 st om året i början ... kanske 300", "designstudio-AB sedan 4 år" (p04, p02, p10);
- "900 nu, kanske 4000" for a product already made was decided at 4 000, and "om ett par år" after the plan
  was read as "ingen brådska" (adv16);
- "viss egen tillverkning, vi punktsvetsar …" became full own production; "svetsarna och inte CNC" said no
  own production (adv16);
- own moulds that exist got "let the new supplier make the tools" (p06); repeat orders were not used in the
  advice to a company short of staff (p08); a staffing statement without "?" opened no consultation (adv16).
"""

from __future__ import annotations

from typing import Any

import pytest
from advisor_answers import answers

from bot.actions.advice import guesses_answer, states_own_problem
from bot.advisor import parse_answer, recommend
from bot.advisor.parsing.parse import slot_updates


@pytest.mark.parametrize(
    ("text", "expected", "slot", "value"),
    [
        # Where something lies is no product; a camera or an Arduino is electronics.
        (
            "en fågelholk med kamera som skickar notiser till mobilen, bara en arduino-grej på skrivbordet",
            None,
            "product_type",
            ["electronics", "radio"],
        ),
        (
            "prototypen står på köksbordet, det är en lampa med wifi",
            None,
            "product_type",
            ["lighting", "radio", "electronics"],
        ),
        ("ett skrivbord i ek", "product_type", "product_type", ["furniture", "wood"]),
        # Wood in what an electronic product sits in is no wood product; a wooden table stays one.
        (
            "en trådlös givare som skruvas fast i träbalken i trähus",
            None,
            "product_type",
            ["radio", "electronics"],
        ),
        (
            "ett matbord i ek med trådlös laddare",
            None,
            "product_type",
            ["furniture", "wood", "radio", "electronics"],
        ),
        # Numbers the user guesses or rounds.
        ("Någon miljon kanske, men helst mer konstruktionstid än maskiner", "capital", "capital", 1_000_000),
        ("ingen aning ärligt talat. tusentals? typ alla vill ha en", "volume", "volume", 3000),
        ("ingen aning. några hundra? alla med katt vill ha en", "volume", "volume", 300),
        (
            "Kanske 100-150 st om året i början, säljer vi via maskinhandlare kanske 300",
            "volume",
            "current_volume",
            125,
        ),
        # A time right after a plan says when the plan is reached, not how urgent the launch is.
        ("1 200 nu, kanske 5 000 om ett par år", "volume", "time_to_market", None),
        ("5000 st om ett par år", None, "time_to_market", None),
        ("ingen brådska, vi lanserar om ett par år", "time_to_market", "time_to_market", "relaxed"),
        # A company's age.
        (
            "Jag har ett designstudio-AB sedan 4 år, bara jag och en deltidsanställd",
            "company",
            "company",
            "sme",
        ),
        ("ett smides-AB sedan 6 år, jag och en anställd", None, "company", "sme"),
        ("Vi har ett AB sedan ett år", None, "company", "startup"),
        ("vi har utvecklat den i 4 år", None, "company", None),
        # A growing lead time is the goal.
        (
            "Problemet är att ledtiderna drar iväg, 16-20 veckor. Vad ska vi göra?",
            None,
            "situation",
            "cost_leadtime",
        ),
        # The user's own words for an option decide; bought processes are no own production.
        (
            "viss egen tillverkning, vi punktsvetsar och monterar, laserskärningen köper vi",
            "capability",
            "capability",
            "some",
        ),
        ("viss egen tillverkning, vi punktsvetsar och monterar", "current_location", "capability", "some"),
        ("vi har egen tillverkning", None, "capability", "full"),
        ("laserskärningen köper vi, vi monterar själva", "capability", "capability", "some"),
        # "X och inte Y" about the bottleneck says nothing about own production.
        ("svetsarna och inte CNC", "bottleneck", "capability", None),
        ("inte egen produktion", "capability", "capability", "none"),
        # Moulds the company owns.
        (
            "Allt formsprutas i Vietnam i elva verktyg som vi själva äger",
            None,
            "product_type",
            ["plastics", "own_tooling"],
        ),
    ],
)
def test_the_users_words(text: str, expected: str | None, slot: str, value: Any) -> None:
    assert parse_answer(text, expected=expected).values.get(slot) == value


def test_a_correction_takes_a_category_back_though_the_message_names_it() -> None:
    result = parse_answer(
        "Något känslig. Det är ingen träprodukt, den sitter i trä men är elektronik.", "ip_sensitivity"
    )
    updates = slot_updates({"product_type": ["electronics", "wood", "radio"]}, result)
    assert "wood" not in updates["product_type"]
    assert {"electronics", "radio"} <= set(updates["product_type"])


@pytest.mark.parametrize(
    ("sentence", "expected", "guess"),
    [
        ("tusentals?", "volume", True),
        ("några hundra?", "volume", True),
        ("Vad kostar ett formverktyg?", "volume", False),
        ("några hundra?", None, False),
    ],
)
def test_a_guessed_number_with_a_question_mark_is_no_side_question(
    sentence: str, expected: str | None, guess: bool
) -> None:
    assert guesses_answer(sentence, expected) is guess


@pytest.mark.parametrize(
    ("text", "opens"),
    [
        (
            "Vi har fått säga nej till order i höstas. Vi är 45 anställda och hittar inte CNC-operatörer.",
            True,
        ),
        (
            "Vi har fått säga nej till order. Hur hittar man CNC-operatörer?",
            False,
        ),  # a question: the KB answers
        ("Det är svårt att hitta CNC-operatörer i Sverige.", False),  # not about the user's own company
    ],
)
def test_a_staffing_statement_without_a_question_asks_for_advice(text: str, opens: bool) -> None:
    assert states_own_problem(text, parse_answer(text).values) is opens


MADE_IN_ASIA: dict[str, Any] = {
    "situation": "relocate",
    "stage": "production",
    "product_type": ["plastics"],
    "current_location": "asia",
    "volume": 120_000,
    "markets": ["sweden", "nordics"],
    "capital": 1_500_000,
    "ip_sensitivity": "low",
    "priorities": ["sustainability"],
}


@pytest.mark.parametrize(
    ("own_tools", "takes_them", "new_supplier_makes_tools"),
    [(True, True, False), (False, False, True)],
)
def test_own_moulds_change_the_next_steps_of_a_move(
    own_tools: bool, takes_them: bool, new_supplier_makes_tools: bool
) -> None:
    product = ["plastics", "own_tooling"] if own_tools else ["plastics"]
    steps = " ".join(recommend({**MADE_IN_ASIA, "product_type": product}).next_steps)
    assert ("verktyg ni redan äger" in steps) is takes_them
    assert ("nya leverantören ta fram verktyg" in steps) is new_supplier_makes_tools


SHORT_OF_OPERATORS: dict[str, Any] = {
    "situation": "capacity",
    "bottleneck": ["machining"],
    "shifts": "two",
    "recruitment": "failed",
    "stage": "production",
    "product_type": ["mechanics"],
    "capability": "full",
    "priorities": ["leadtime", "control"],
}


@pytest.mark.parametrize(("workload", "says_it"), [("repeat", True), ("one_off", False)])
def test_repeat_orders_are_the_reason_automation_pays(workload: str, says_it: bool) -> None:
    advice = recommend({**SHORT_OF_OPERATORS, "workload": workload})
    assert any("beläggs en automatisering" in r for r in advice.reasons) is says_it


@pytest.mark.parametrize(
    ("situation", "decided_at"),
    [("new_product", 900), ("relocate", 900), ("scale_up", 4000)],
)
def test_todays_volume_decides_unless_the_user_wants_to_scale_up(situation: str, decided_at: int) -> None:
    values = {
        **answers("", volume="900 nu, kanske 4000 om ett par år"),
        "situation": situation,
        "stage": "production",
        "product_type": ["mechanics"],
        "capability": "none",
    }
    assert "time_to_market" not in values
    advice = recommend(values)
    alone = recommend({**values, "volume": decided_at, "current_volume": None})
    assert advice.category == alone.category
    # The plan is the horizon beside today's volume only when today's volume decides.
    assert ("900 enheter per år till att börja med" in " ".join(advice.answers)) is (decided_at == 900)
