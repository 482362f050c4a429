"""Issue #10, item 4: regulated product categories read from what the user says about the product. A medical
purpose makes a medical device whatever it is built of, a product "för barn" is no toy for it, charging via
USB means a built-in battery, a lamp of wood is lighting and no furniture, a rhetorical "Är det inte en X?"
says that it is X (also after the advice), and starting the consultation over keeps what the product is.
Tested by behaviour: free text in, the product answer or the advice's rules out."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from test_advisor_issue10 import profile
from test_followup_limits import tracker

from bot.actions.advice import ActionStartAdvisor, ActionUpdateAdvisor, ValidateAdvisorForm
from bot.actions.newfacts import stated_facts
from bot.advisor import affirms, parse_answer, recommend
from bot.kb import KnowledgeBase


def product(text: str, expected: str | None = "product_type") -> set[str]:
    return set(parse_answer(text, expected).values.get("product_type") or [])


@pytest.mark.parametrize(
    "text",
    [
        "en innersula med trycksensorer som ska varna diabetiker innan foten får sår",
        "ett bandage med sensor som följer hur bensår läker",
        "ett instrument som hjälper läkaren att ställa diagnos på halsfluss",
        "en klocka som ska upptäcka epilepsianfall och larma anhöriga",
        "en app och en sensor som hjälper personer med astma att ta medicinen i tid",
    ],
)
def test_a_medical_purpose_makes_a_medical_device(text: str) -> None:
    assert "medtech" in product(text)


@pytest.mark.parametrize(
    "text",
    [
        "bänkar i ek till väntrummen på vårdcentraler",
        "vi behandlar ytorna på borden med hårdvaxolja",
        "stolar som regionerna köper till sina kontor",
    ],
)
def test_where_a_product_stands_or_who_buys_it_makes_no_medical_device(text: str) -> None:
    assert "medtech" not in product(text, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("barnvattenflaskor i rostfritt stål", {"food_contact"}),
        ("en pipmugg för småbarn", {"food_contact", "consumer"}),
        ("nappflaskor till barn under tre år", {"food_contact", "consumer"}),
        ("tallrikar och muggar för barn", {"food_contact", "consumer"}),
    ],
)
def test_a_product_for_children_is_no_toy_for_that(text: str, expected: set[str]) -> None:
    found = product(text)
    assert expected <= found
    assert "toys" not in found


def test_a_product_for_children_is_a_childrens_consumer_product() -> None:
    assert {"children", "consumer"} <= product("en stol för barn i björk")
    assert {"children", "consumer"} <= product("en barnprodukt i plast")


def test_a_childrens_product_for_the_usa_gets_the_childrens_rules_not_the_toy_standard(
    kb: KnowledgeBase,
) -> None:
    text = recommend(
        profile("en vattenflaska i rostfritt för barn", markets="outside_eu"), kb
    ).regulations_part()
    assert "barnproduktcertifikat" in text and "spårbarhetsmärkning" in text.lower()
    assert "ASTM F963" not in text
    assert "USA, konsumentprodukter" not in text


def test_toys_for_children_stay_toys() -> None:
    assert {"toys", "consumer"} <= product("träleksaker för barn under tre år")


@pytest.mark.parametrize(
    "text",
    [
        "ett USB-C-laddat halsband",
        "ett pannband som är USB-laddat",
        "USB-C-laddade cykellampor",
        "man laddar den via USB-C",
        "den har en laddkabel",
    ],
)
def test_charging_via_usb_means_a_built_in_battery(text: str) -> None:
    assert "battery" in product(text)


@pytest.mark.parametrize(
    "text",
    ["en bordslampa i ek", "bordslampan i ek", "en skrivbordslampa i björk", "bordslamporna i ek, tygskärm"],
)
def test_a_lamp_of_wood_is_lighting_not_furniture_or_textile(text: str) -> None:
    found = product(text)
    assert {"lighting", "electronics"} <= found
    assert not found & {"furniture", "textile", "wood"}


def test_a_desk_is_still_furniture() -> None:
    assert "furniture" in product("ett skrivbord i ek")


def test_a_salve_is_cosmetics() -> None:
    assert product("en hudsalva av bivax i glasburk") == {"cosmetics"}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Är det inte en medicinteknisk produkt?", "medtech"),
        ("Borde den inte räknas som en maskin?", "machinery"),
        ("Räknas den inte som en leksak?", "toys"),
    ],
)
def test_a_rhetorical_question_affirms_what_it_names(text: str, value: str) -> None:
    result = parse_answer(text)
    assert value in result.values.get("product_type", [])
    assert value not in result.negated.get("product_type", ())
    assert affirms(text)


@pytest.mark.parametrize("text", ["Det är inte en maskin.", "Det är inte en maskin, är det?"])
def test_a_plain_negation_still_denies(text: str) -> None:
    assert "machinery" in parse_answer(text).negated.get("product_type", ())


def test_a_negated_question_about_the_way_of_making_is_no_fact() -> None:
    assert not affirms("Borde vi inte lägga ut tillverkningen?")


SENSOR_SOLE: dict[str, Any] = {
    "situation": "new_product",
    "stage": "prototype",
    "product_type": ["electronics", "software"],
    "capability": "none",
    "volume": 2000,
    "markets": ["sweden"],
    "company": "startup",
}


@pytest.mark.parametrize(
    "text",
    [
        "Vänta, sulan ska användas av vården för att förhindra sår hos diabetiker. Har den någon betydelse?",
        "Vänta lite. Är det inte en medicinteknisk produkt?",
        "Hmm, borde den inte räknas som medicinteknisk? Den har Bluetooth också.",
    ],
)
def test_after_the_advice_a_purpose_or_a_rhetorical_question_adds_the_medical_device(text: str) -> None:
    assert "medtech" in stated_facts(text, SENSOR_SOLE).get("product_type", [])


def test_after_the_advice_the_rhetorical_question_adds_the_medical_device(
    kb: KnowledgeBase, domain: dict[str, Any]
) -> None:
    text = "Vänta. Är det inte en medicinteknisk produkt? Den har Bluetooth till appen också."
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionUpdateAdvisor().run(dispatcher, tracker(text, "inform", SENSOR_SOLE), domain))
    values = next(e["value"] for e in events if e.get("event") == "slot" and e.get("name") == "product_type")
    assert {"medtech", "radio"} <= set(values)


COSMETIC: dict[str, Any] = {"situation": "new_product", "stage": "production", "product_type": ["cosmetics"]}


def start_over(text: str, slots: dict[str, Any], domain: dict[str, Any], before: list[str]) -> dict[str, Any]:
    """The slots a new start sets, after the user's messages `before` in an advised conversation."""
    events: list[dict[str, Any]] = [{"event": "action", "name": "action_session_start"}]
    events += [{"event": "active_loop", "name": "advisor_form"}, {"event": "active_loop", "name": None}]
    events += [{"event": "user", "text": t} for t in [*before, text]]
    message = {"text": text, "intent": {"name": "start_consultation", "confidence": 0.9}, "entities": []}
    advised = {**slots, "advisor_summary": "Rekommendation: …"}
    t = Tracker("c27", advised, message, events, False, None, {}, "")
    result = asyncio.run(ActionStartAdvisor().run(CollectingDispatcher(), t, domain))
    return {e["name"]: e["value"] for e in result if e.get("event") == "slot"}


def test_starting_over_after_the_advice_keeps_the_product(domain: dict[str, Any]) -> None:
    # A follow-up about how the salve is made is no product answer for the new consultation.
    told = ["Vi smälter vaxet i en kastrull, behöver köket godkännas?"]
    values = start_over("/start_consultation", COSMETIC, domain, told)
    assert values["product_type"] == ["cosmetics"]
    assert values["situation"] is None and values["stage"] is None


def test_starting_over_for_another_product_asks_for_it_again(domain: dict[str, Any]) -> None:
    values = start_over("Kan vi börja om? Det gäller en annan produkt.", COSMETIC, domain, [])
    assert values["product_type"] is None


def test_starting_over_with_a_new_product_takes_that_one(domain: dict[str, Any]) -> None:
    values = start_over("Kan vi börja om, det gäller en bordslampa.", COSMETIC, domain, [])
    assert "lighting" in values["product_type"] and "cosmetics" not in values["product_type"]


def test_starting_over_during_the_consultation_keeps_the_product(domain: dict[str, Any]) -> None:
    message = {"text": "Kan vi börja om från början?", "intent": {"name": "inform", "confidence": 0.5}}
    slots = {**COSMETIC, "requested_slot": "volume"}
    earlier = [
        {"event": "active_loop", "name": "advisor_form"},
        {"event": "user", "text": "vi häller upp den i burkar som rör maten"},
    ]
    form = {"name": "advisor_form"}
    t = Tracker("c27", slots, {**message, "entities": []}, earlier, False, None, form, "")
    events = asyncio.run(ValidateAdvisorForm().get_validation_events(CollectingDispatcher(), t, domain))
    values = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert values["product_type"] == ["cosmetics"] and values["stage"] is None
