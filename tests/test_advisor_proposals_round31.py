"""The recommended path weighs what the user proposes and objects to (persona round 31, branch path31)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.actions.advice import opening_wish
from bot.actions.proposal import choice_paths, choice_text, proposed_path
from bot.actions.texts import Texts
from bot.advisor import recommend
from bot.advisor.engine import WANTED

NO_PRODUCTION = {
    "situation": "new_product",
    "stage": "prototype",
    "product_type": ["other"],
    "capability": "none",
    "volume": 900,
    "markets": "sweden",
    "company": "micro",
    "capital": 500_000,
}


@pytest.mark.parametrize(
    "text",
    [
        "Vi ska göra den i Sverige och vill absolut inte ha den i Kina.",
        "Vi vill helst slippa Asien, förra leverantören där var en mardröm.",
        "Jag vill veta om en fabrik i Vietnam skulle bli billigare.",
        "Vi vill ha en verkstad i Sverige hellre än i Indien.",
    ],
)
def test_a_place_the_user_turns_away_from_is_no_wish(text: str) -> None:
    assert "asia_contract" not in (opening_wish(text) or [])


def test_the_wish_is_read_in_its_own_sentence() -> None:
    # The contract maker is how things are today; the wish is own, automated assembly.
    text = "En legotillverkare gör våra högtalare. Vi funderar på att bygga en egen automatiserad lina."
    assert opening_wish(text) == ["in_house"]


def test_the_place_the_user_wants_instead_is_the_wish() -> None:
    assert opening_wish("Vi vill lägga den i Estland snarare än i Kina.") == ["nearshore_europe"]


def test_an_own_automated_factory_is_one_proposal() -> None:
    text = "Vore det smart att bygga en egen robotiserad fabrik i Ulricehamn?"
    assert choice_paths(text) == []
    assert proposed_path(text) == "automation_home"
    # Two things set against each other stay a choice.
    assert choice_paths("Är det bättre med en svetsrobot eller en egen verkstad?") == [
        "automation_home",
        "in_house",
    ]


def test_a_proposal_is_weighed_as_the_users_own_with_the_deciding_reason() -> None:
    advice = recommend({**NO_PRODUCTION, WANTED: ["in_house"]})
    assert advice.category != "in_house"
    assert advice.wish is not None
    assert advice.wish.startswith('Du föreslår "Bygg vidare på er egen produktion"')
    # The deciding reason against it: no production and no know-how to run one.
    assert "kunnandet" in advice.wish and "ville helst" not in advice.short_text()


def test_the_reason_for_a_swedish_contract_maker_says_why_sweden() -> None:
    advice = recommend(NO_PRODUCTION)
    assert advice.category == "swedish_contract"
    first = next(r for r in advice.reasons if r.startswith("Ni har ingen egen tillverkning"))
    assert "svensk" in first


def test_a_bulky_product_in_volume_is_made_near_the_market() -> None:
    bulky = {**NO_PRODUCTION, "product_type": ["plastics", "bulky"], "volume": 250_000, "markets": "nordics"}
    plain = recommend({**bulky, "product_type": ["plastics"]})
    advice = recommend(bulky)
    assert plain.category != "swedish_contract" or "skrymmande" not in plain.as_text()
    assert advice.category in {"swedish_contract", "nearshore_europe"}
    assert any("skrymmande" in r and "frakt" in r for r in advice.reasons)
    assert "skillnaden i styckkostnad mot en svensk legotillverkare" not in advice.as_text()


def test_the_capacity_step_presupposes_no_work_for_others() -> None:
    own = {
        "situation": "new_product",
        "stage": "prototype",
        "product_type": ["machinery"],
        "capability": "full",
        "volume": 1200,
        "company": "sme",
        "capital": 5_000_000,
    }
    advice = recommend(own)
    assert advice.category == "in_house"
    assert "legojobb" not in advice.as_text()
    assert any("kapaciteten annars används till" in s for s in advice.next_steps)


def test_a_choice_where_neither_is_the_advice_says_so_first(domain: dict[str, Any]) -> None:
    advice = recommend(NO_PRODUCTION)
    text = choice_text(Texts(domain), advice, NO_PRODUCTION, ["automation_home", "in_house"])
    first = text.split("\n")[0]
    assert first.startswith("Ingen av de två") and advice.title in first
    assert "talar dina svar för" not in text


def test_a_wish_to_automate_without_own_production_is_no_automation_advice() -> None:
    wants = {**NO_PRODUCTION, "situation": "automate", "stage": "production", "volume": 10_000}
    advice = recommend({**wants, WANTED: ["in_house"]})
    assert advice.category not in {"automation_home", "in_house"}
    assert advice.wish is not None and "kunnandet" in advice.wish
