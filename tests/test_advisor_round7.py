"""Faults of the sixth persona evaluation (docs/evaluations/2026-11-26-advisor-personas-round6.md) that
round 7 fixes in the consultation engine: product classification, "Nej, ändra", today's volume beside the
plan, time realism, GPSR for consumer products only, no ended support, and no second consultation offer.
Tested by behaviour: free-text answers in, what the user would see out."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.advice import CHECK_SLOT, PENDING_SLOT, ActionAskAdvisorCheck, ValidateAdvisorForm
from bot.actions.handoff import ActionClarify
from bot.actions.kbaccess import get_kb
from bot.advisor import describe_answers, parse_answer, recommend, slot_updates
from bot.advisor.engine import ended
from bot.kb import KnowledgeBase
from bot.kb.model import Dates
from bot.settings import ROOT


@pytest.fixture
def kb(shipped_kb: KnowledgeBase) -> KnowledgeBase:
    return shipped_kb


def rules_of(profile: dict[str, Any], kb: KnowledgeBase) -> list[str]:
    return [rule.id for rule in recommend(profile, kb).regulations]


# --- 1. Product classification: signals anywhere in free text, corrections add -----------------------

SENSOR = "Den har kretskort med LoRa-radio, litiumbatteri och en tät kapsling. Vi har 5 prototyper."
DOSING = (
    "Vi är 12 pers i Västerås och bygger doseringsskåp och blandningsutrustning åt livsmedels- och "
    "kemiindustrin. Rostfria ramar, elskåp, PLC."
)


@pytest.mark.parametrize("text", [SENSOR, "en lampa med knappcellsbatterier", "drivs av en blyackumulator"])
def test_a_battery_named_in_a_compound_word_is_a_battery(text: str) -> None:
    assert "battery" in parse_answer(text).values["product_type"]


def test_the_sensor_with_a_lithium_battery_gets_the_battery_rules(kb: KnowledgeBase) -> None:
    product = parse_answer(SENSOR).values["product_type"]
    profile = {"situation": "new_product", "stage": "prototype", "product_type": product}
    assert {"batterier", "radioutrustning-red"} <= set(rules_of(profile, kb))


@pytest.mark.parametrize(
    "text",
    [DOSING, "Skåpen har pumpar, omrörare och motorer.", "den doserar automatiskt och har rörliga delar"],
)
def test_a_unit_with_pumps_stirrers_or_moving_parts_is_a_machine(text: str) -> None:
    assert "machinery" in parse_answer(text).values["product_type"]


def test_the_dosing_cabinet_gets_machine_and_electrical_rules(kb: KnowledgeBase) -> None:
    product = parse_answer(DOSING).values["product_type"]
    rules = rules_of({"situation": "scale_up", "product_type": product, "capability": "some"}, kb)
    assert {"maskiner", "elektrisk-utrustning-lvd-emc"} <= set(rules)


@pytest.mark.parametrize(
    "text",
    ["jag menar att produkten är en maskin med elmotorer", "det är en maskin också", "den har också motorer"],
)
def test_adding_a_product_type_keeps_the_earlier_ones(text: str) -> None:
    filled = {"product_type": ["mechanics", "electronics"]}
    updated = slot_updates(filled, parse_answer(text))["product_type"]
    assert updated == ["mechanics", "electronics", "machinery"]


def test_saying_it_is_not_a_machine_still_removes_it() -> None:
    filled = {"product_type": ["electronics", "machinery"]}
    assert slot_updates(filled, parse_answer("jag menar att det inte är en maskin"))["product_type"] == [
        "electronics"
    ]


def test_a_correction_of_priorities_still_replaces_them() -> None:
    filled = {"priorities": ["cost"]}
    result = parse_answer("jag menar kvalitet", expected="priorities")
    assert slot_updates(filled, result)["priorities"] == ["control"]  # quality and control


# --- 2. "Nej, ändra" changes only the value it was asked about ---------------------------------------


@pytest.fixture(scope="module")
def domain() -> dict[str, Any]:
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "domain")).as_dict()


def form_turn(text: str, domain: dict[str, Any], **slots: Any) -> tuple[list[dict[str, Any]], list[Any]]:
    message = {"text": text, "intent": {"name": "inform", "confidence": 0.9}, "entities": []}
    tracker = Tracker("u", slots, message, [], False, None, {"name": "advisor_form"}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ValidateAdvisorForm().get_validation_events(dispatcher, tracker, domain))
    return dispatcher.messages, events


OPENING = {"volume": 1200, "capital": 150_000, PENDING_SLOT: ["volume", "capital"]}


def test_the_check_asks_about_one_value_at_a_time(domain: dict) -> None:
    tracker = Tracker("u", OPENING, {"text": "hej"}, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAskAdvisorCheck().run(dispatcher, tracker, domain))
    text = dispatcher.messages[0]["text"]
    assert "1 200 enheter per år" in text and "kronor" not in text


def test_no_to_the_volume_keeps_the_capital(domain: dict) -> None:
    _, events = form_turn("Nej, ändra", domain, requested_slot=CHECK_SLOT, **OPENING)
    assert SlotSet("volume", None) in events
    assert not any(e.get("name") == "capital" for e in events)  # the capital is neither cleared nor set
    assert SlotSet(PENDING_SLOT, ["capital"]) in events  # and is confirmed after the new volume


def test_the_new_volume_is_taken_and_the_capital_then_confirmed(domain: dict) -> None:
    slots = {
        "capital": 150_000,
        PENDING_SLOT: ["capital"],
        CHECK_SLOT: ["volume"],
        "requested_slot": "volume",
    }
    _, events = form_turn("1500 burkar i månaden", domain, **slots)
    assert SlotSet("volume", 18000) in events
    assert SlotSet(CHECK_SLOT, None) in events  # the waiting capital is asked about next
    assert not any(e.get("name") == PENDING_SLOT and e.get("value") is None for e in events)


def test_yes_confirms_only_the_first_value_and_the_next_waits(domain: dict) -> None:
    _, events = form_turn("Ja, det stämmer", domain, requested_slot=CHECK_SLOT, **OPENING)
    assert SlotSet(PENDING_SLOT, ["capital"]) in events and SlotSet(CHECK_SLOT, None) in events


# --- 3. Today's volume beside the plan, and every market named --------------------------------------

COSMETICS = (
    "Jag gör en ansiktskräm med havtorn hemma i köket och säljer på marknader, ca 100 burkar i månaden. Nu "
    "vill två butiker och en webbshop i Danmark och Tyskland ta in den. Jag vill upp till 1000-2000 "
    "burkar/mån. Har enskild firma och kanske 150 000 kr att lägga."
)


@pytest.mark.parametrize(
    ("text", "plan", "today"),
    [
        ("vi gör 50 i år men siktar på 500 om två år", 500, 50),
        ("i dag 200 st/år, målet 2000", 2000, 200),
        ("300 st nu, 1500 nästa år", 1500, 300),
        (COSMETICS, 18000, 1200),
        ("Typ 20-40 enheter om året. Vi vill kunna växa till ca 80/år utan att drunkna.", 80, 30),
        # A first order or first year, then the plan (round 7, p01): both are kept.
        ("en fastighetskund vill ha 200 st och sen kanske 2000 om året", 2000, 200),
        ("Första året kanske ca 1000 st, sen hoppas vi på 10 000 om ett par år", 10000, 1000),
    ],
)
def test_the_plan_is_the_volume_and_today_is_kept_beside_it(text: str, plan: int, today: int) -> None:
    values = parse_answer(text).values
    assert (values["volume"], values["current_volume"]) == (plan, today)
    answers = describe_answers(values)
    assert f"Volym: cirka {plan:,}".replace(",", " ") in answers
    assert f"Volym i dag eller första året: cirka {today:,}".replace(",", " ") in answers


@pytest.mark.parametrize(
    "text",
    [
        "vi räknar med 5000 per år",
        "Vi vill tillverka 10 000 per år, i dag har vi 3 anställda",
    ],
)
def test_without_a_word_for_today_there_is_no_todays_volume(text: str) -> None:
    assert "current_volume" not in parse_answer(text).values


@pytest.mark.parametrize(
    ("text", "markets"),
    [
        (COSMETICS, {"nordics", "eu"}),
        ("mest Sverige och Norden, några till Tyskland", {"sweden", "nordics", "eu"}),
    ],
)
def test_every_market_in_a_list_is_kept(text: str, markets: set[str]) -> None:
    assert set(parse_answer(text).values["markets"]) == markets


def test_a_country_alone_outside_a_list_of_markets_is_no_market() -> None:
    assert "markets" not in parse_answer("vi köper lagren från Tyskland").values


# --- 4. Time realism -----------------------------------------------------------------------------

# A start-up with a prototype and no workshop of its own: the personas p01, p03, p05 and p10.
START_UP = {"situation": "new_product", "stage": "prototype", "capability": "none", "company": "startup"}
BREATHING_TRAINER = {
    **START_UP,
    "product_type": ["medtech", "electronics", "radio"],
    "volume": 2000,
    "markets": ["eu"],
    "capital": 4_000_000,
    "ip_sensitivity": "medium",
    "priorities": ["quality"],
}
PLANT_POT = {
    **START_UP,
    "product_type": ["plastics"],
    "volume": 50_000,
    "markets": ["sweden", "nordics"],
    "capital": 2_000_000,
    "priorities": ["sustainability"],
}


def caveats(profile: dict[str, Any], kb: KnowledgeBase | None = None) -> str:
    return " ".join(recommend(profile, kb).caveats)


@pytest.mark.parametrize("when", ["inom ett år", "inom 3 månader", "om ca 5 månader"])
def test_a_medical_device_wanted_within_a_year_is_warned_about_the_notified_body(when: str) -> None:
    time = parse_answer(when, expected="time_to_market").values["time_to_market"]
    assert "anmält organ" in caveats({**BREATHING_TRAINER, "time_to_market": time})


def test_no_time_warning_for_a_medical_device_without_hurry() -> None:
    assert "anmält organ" not in caveats({**BREATHING_TRAINER, "time_to_market": "relaxed"})


def test_the_notified_bodys_waiting_time_is_shown_with_its_source(kb: KnowledgeBase) -> None:
    advice = recommend({**BREATHING_TRAINER, "time_to_market": "normal"}, kb)
    details = [d for r in advice.regulations for d in r.details if "väntetider" in d.text]
    assert details and details[0].source.startswith("https://")


def test_a_new_mould_in_five_months_is_warned_about() -> None:
    time = parse_answer("i butik till våren, alltså om ca 5 månader", expected="time_to_market").values
    assert time["time_to_market"] == "half_year"
    assert "formverktyg" in caveats({**PLANT_POT, "time_to_market": time["time_to_market"]})


def test_an_article_before_the_time_does_not_hide_it() -> None:
    text = (
        "En trädgårdskedja vill ha den i butik om ungefär fyra månader och vi räknar med 40 000 st om året."
    )
    # "i butik" also says the product is sold to consumers (rules29).
    assert parse_answer(text).values == {
        "product_type": ["consumer"],
        "time_to_market": "half_year",
        "volume": 40000,
    }


@pytest.mark.parametrize(
    "change", [{"time_to_market": "normal"}, {"stage": "production", "time_to_market": "urgent"}]
)
def test_no_mould_warning_with_time_enough_or_a_mould_already_made(change: dict) -> None:
    assert "formverktyg" not in caveats({**PLANT_POT, **change})


# --- 5. GPSR for consumer products only -----------------------------------------------------------

SHEET_METAL_SHOP = {
    "situation": "capacity",
    "bottleneck": ["welding", "machining"],
    "recruitment": "failed",
    "product_type": ["mechanics"],
    "capability": "full",
    "company": "sme",
    "shifts": "two",
    "workload": "mixed",
}


def test_a_subcontractor_short_of_staff_gets_no_consumer_product_rules(kb: KnowledgeBase) -> None:
    assert "produktsakerhet-gpsr" not in rules_of(SHEET_METAL_SHOP, kb)


def test_parts_sold_only_to_companies_get_no_gpsr(kb: KnowledgeBase) -> None:
    product = parse_answer("fästen i stål som vi bara säljer till företag, inte till konsumenter").values
    profile = {"situation": "new_product", "stage": "prototype", **product}
    assert "business_only" in product["product_type"] and "mechanics" in product["product_type"]
    assert "produktsakerhet-gpsr" not in rules_of(profile, kb)
    consumer = {**profile, "product_type": ["mechanics"]}
    assert "produktsakerhet-gpsr" in rules_of(consumer, kb)


# --- 6. Ended support is never offered -------------------------------------------------------------


@dataclass
class FakeEntry:
    id: str
    kind: str = "support"
    title: str = "Ett stöd"
    summary: str = "Ett stöd."
    apply_url: str | None = None
    sources: tuple[Any, ...] = ()
    dates: Dates = field(default_factory=Dates)


class FakeKb:
    """Every entry rules.yml names exists; `old` ones closed in 2019."""

    def __init__(self, old: set[str]) -> None:
        self.old = old

    def by_topic(self, topic: str, kinds: tuple[str, ...]) -> list[FakeEntry]:
        return []

    def get(self, entry_id: str) -> FakeEntry:
        dates = Dates(closes=dt.date(2019, 9, 30)) if entry_id in self.old else Dates()
        return FakeEntry(entry_id, dates=dates)


def test_support_whose_dates_have_passed_is_not_offered() -> None:
    profile = {**PLANT_POT, "time_to_market": "normal"}
    listed = {s.id for s in recommend(profile, FakeKb(set())).supports}  # type: ignore[arg-type]
    assert "iuc" in listed
    after = {s.id for s in recommend(profile, FakeKb({"iuc"}), today=dt.date(2026, 11, 26)).supports}  # type: ignore[arg-type]
    assert after == listed - {"iuc"}


def test_an_entry_without_dates_is_current_and_one_with_a_future_date_too() -> None:
    today = dt.date(2026, 11, 26)
    assert not ended(FakeEntry("x"), today)
    assert not ended(
        FakeEntry("x", dates=Dates(opens=dt.date(2025, 1, 1), closes=dt.date(2027, 1, 1))), today
    )
    assert ended(FakeEntry("x", dates=Dates(opens=dt.date(2017, 2, 1))), today)


# --- 7. No second offer of the consultation after its recommendation ---------------------------------


def test_an_unsure_answer_after_the_recommendation_does_not_offer_the_consultation_again(
    domain: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KNOWLEDGE_DB", str(ROOT / "var" / "knowledge.db"))
    get_kb.cache_clear()
    offer = domain["responses"]["utter_consultation_offer"][0]["text"]
    text = "ska vi tillverka själva eller köpa tillverkningen?"
    message = {
        "text": text,
        "intent": {"name": "nlu_fallback", "confidence": 0.3},
        "intent_ranking": [{"name": "nlu_fallback"}, {"name": "ask_make_or_buy"}],
        "entities": [],
    }

    def reply(**slots: Any) -> str:
        tracker = Tracker("u", slots, message, [], False, None, {}, "action_listen")
        dispatcher = CollectingDispatcher()
        asyncio.run(ActionClarify().run(dispatcher, tracker, domain))
        return " ".join(m.get("text") or "" for m in dispatcher.messages)

    try:
        assert offer in reply()  # before any recommendation the offer is made
        assert offer not in reply(advisor_summary="Rekommendation: …")
    finally:
        get_kb.cache_clear()


# --- 8. Cheap consumer goods sold outside the EU still go to Asia ------------------------------------


def test_the_hand_warmer_for_amazon_us_still_goes_to_asia() -> None:
    text = (
        "en handvärmare med laddbart batteri i plastskal, ca 30 dollar, 5000 st per år, säljs på Amazon i USA"
    )
    values = parse_answer(text).values
    profile = {**START_UP, "capital": 800_000, "priorities": ["cost"], **values}
    assert "outside_eu" in profile["markets"] and "battery" in profile["product_type"]
    assert recommend(profile).category == "asia_contract"
