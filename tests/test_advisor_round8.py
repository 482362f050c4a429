"""Faults of the seventh persona evaluation that round 8 fixes in the consultation: the target market and a
battery pack decide which rules lead, cheap consumer goods sold online outside the EU, openings that
describe a situation, free-text answers (a button title first, "korta serier", a first year) and buttons
that promise nothing. Tested by behaviour: free-text answers in, what the user would see out."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from advisor_answers import answers
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.advice import ActionRecommend, ActionUpdateAdvisor, opens_consultation
from bot.actions.followup import send_part
from bot.actions.handoff import ActionClarify
from bot.actions.kbaccess import get_kb
from bot.actions.knowledge import ActionAnswerKb
from bot.actions.texts import Texts
from bot.advisor import parse_answer, recommend
from bot.kb import KnowledgeBase
from bot.settings import ROOT


@pytest.fixture
def kb(shipped_kb: KnowledgeBase) -> KnowledgeBase:
    return shipped_kb


@pytest.fixture(scope="module")
def domain() -> dict[str, Any]:
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "domain")).as_dict()


@pytest.fixture
def live_kb(monkeypatch: pytest.MonkeyPatch, shipped_kb: KnowledgeBase) -> Any:
    monkeypatch.setenv("KNOWLEDGE_DB", str(ROOT / "var" / "knowledge.db"))
    get_kb.cache_clear()
    yield
    get_kb.cache_clear()


# --- 1 and 2. A lamp for Amazon US: the target market's rules lead, and Asia at low cost -------------

LAMP = (
    "hej! jag har designat en bordslampa i LED som jag vill sälja, mest i USA via amazon och min egen "
    "webshop. behöver hjälp att få den tillverkad"
)
LAMP_ANSWERS = {
    "stage": "Prototyp",
    "capability": "Ingen egen tillverkning. Jag har en 3d-printad prototyp och ett kretskort från en kompis",
    "volume": "kanske 3000 st per år om det går bra",
    "capital": "ca 300 000 kr",
    "time_to_market": "Inom ett år, helst till julhandeln nästa år",
    "ip_sensitivity": "Inte känslig, det är designen som är grejen",
    "priorities": "Låg kostnad, och korta ledtider",
}


def lamp(**change: Any) -> dict[str, Any]:
    return {**answers(LAMP, **LAMP_ANSWERS), "company": "startup", **change}


def test_a_product_sold_only_outside_the_eu_is_told_the_target_markets_rules_first(kb: KnowledgeBase) -> None:
    advice = recommend(lamp(), kb)
    short = advice.short_text()
    assert "målmarknadens regler" in short and "EMC" not in short and "RoHS" not in short
    assert advice.regulations[0].id == "export-utanfor-eu"
    part = advice.regulations_part()
    assert "Part 15" in part and "CPSC" in part and "Proposition 65" in part
    # The EU rules are there, but only for what is sold inside the EU, after the target market's.
    note = part.index("Säljer ni också inom EU")
    assert part.index("Export utanför EU") < note < part.index("EMC-direktivet")


def test_with_sweden_as_a_market_too_the_eu_rules_are_named(kb: KnowledgeBase) -> None:
    short = recommend(lamp(markets=["sweden", "outside_eu"]), kb).short_text()
    assert "EMC" in short and "målmarknadens regler innan" not in short


def test_cheap_consumer_electronics_sold_online_in_the_us_go_to_asia() -> None:
    profile = lamp()
    assert "consumer" in profile["product_type"] and profile["markets"] == ["outside_eu"]
    advice = recommend(profile)
    assert advice.category == "asia_contract"
    assert any("konsumenter på nätet" in r for r in advice.reasons)


@pytest.mark.parametrize(
    "change", [{"markets": ["sweden", "nordics"]}, {"priorities": ["control"]}, {"volume": 300}]
)
def test_the_same_lamp_for_nordic_customers_quality_first_or_few_stays_near(change: dict) -> None:
    assert recommend(lamp(**change)).category != "asia_contract"


# --- 3. A battery pack: the battery rules lead -------------------------------------------------------

PACKS = (
    "Tjena. Vi renoverar elcykelbatterier idag, 8 pers i Umeå. Nu vill vi bygga egna batteripack till "
    "nordiska elcykeltillverkare, ca 500 st i månaden. Hur ska vi lägga upp produktionen?"
)


def packs() -> dict[str, Any]:
    later = {
        "situation": "Få en ny produkt tillverkad",
        "stage": "Vi har byggt några prototyper på 36V och 48V och testkört med en tillverkare",
        "capability": (
            "Viss, t.ex. montering. Vi punktsvetsar celler och bygger BMS-kopplingar i vår verkstad idag"
        ),
        "markets": "Norden",
        "priorities": "Kvalitet och säkerhet, de får inte börja brinna",
    }
    return {**answers(PACKS, **later), "capital": 2_000_000, "company": "sme"}


def test_a_battery_pack_is_told_the_battery_rules_first(kb: KnowledgeBase) -> None:
    profile = packs()
    assert "battery_pack" in profile["product_type"]
    advice = recommend(profile, kb)
    short = advice.short_text()
    assert "batteriförordning" in short and "UN 38.3" in short
    assert "EMC" not in short and "WEEE" not in short
    assert advice.regulations[0].id == "batterier"
    details = " ".join(d.text for d in advice.regulations[0].details)
    assert "farligt gods" in details and "RoHS" in details and "skydd mot olyckor" in details


def test_a_battery_pack_is_warned_about_fire_in_storage_and_production() -> None:
    caveats = " ".join(recommend(packs()).caveats)
    assert "brandrisk" in caveats and "räddningstjänst" in caveats


@pytest.mark.parametrize("text", ["en lampa med laddbart batteri", "en lampa som drivs av ett batteripack"])
def test_a_product_with_a_battery_is_no_battery_pack(text: str, kb: KnowledgeBase) -> None:
    product = parse_answer(text).values["product_type"]
    assert "battery" in product and "battery_pack" not in product
    profile = {"situation": "new_product", "stage": "prototype", "product_type": product}
    assert "EMC" in recommend(profile, kb).short_text()


# --- 4. Openings that describe a situation start the consultation ------------------------------------

DOSING = (
    "Vi bygger doseringsmoduler och styrskåp till livsmedelsindustrin, ca 60 st om året men i typ 40 olika "
    "varianter. Ledtiderna drar iväg och allt blir specialare. Vad kan vi göra?"
)
# Round 10 (persona round 9, p06 and p10): does the plan hold, or how to carry it out.
RESHORING = (
    "Hej. Vi säljer utemöbler i pulverlackerat stål med trädetaljer, ca 20 000 st per år, allt tillverkas i "
    "Kina idag. Ledtiderna och frakten har blivit ett elände och vi funderar på att flytta hem "
    "tillverkningen till Sverige. Är det realistiskt?"
)
PACKS_GROWING = (
    "Vi är nio personer som bygger litiumbatteripack till lastcyklar i vår egen verkstad. I år blir det 400 "
    "pack men kunderna vill ha 4 000 om året. Hur ska vi skala upp?"
)
STUDENT = (
    "hej! jag pluggar på KTH och har en idé om en självbevattnande blomkruka som man kan bygga ihop i "
    "moduler. har inget företag eller så, hur börjar man?"
)

# Persona round 10 (p02, p05): "Var börjar man?" got a food-registration passage, "Hur får vi den
# tillverkad?" the definition of a prototype.
MACHINE_SHOP = (
    "Hej. Vi är en verkstad i Småland, 35 pers, fleroperationssvarvar, 5-axlig fräs och robotsvets. Kör lego "
    "mest åt fordon. Nu vill vi ta fram en egen produkt, ett tillbehör till skogsmaskiner i svetsat och "
    "bearbetat stål. Tror på 200-400 st om året. Var börjar man?"
)
BREATHING_AID = (
    "Hej, vi är ett litet bolag (3 st) som har utvecklat ett andningshjälpmedel i plast för hemmabruk, utan "
    "elektronik. Vi har prototyper och tänker 2000-5000 st per år, sälja i EU. Hur får vi den tillverkad?"
)


def tracker_for(text: str, intent: str, confidence: float) -> Tracker:
    message = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": intent, "confidence": confidence}],
        "entities": [],
    }
    return Tracker("u", {}, message, [], False, None, {}, "action_listen")


def run(action: Any, tracker: Tracker, domain: dict) -> tuple[str, list[Any]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain))
    return " ".join(m.get("text") or "" for m in dispatcher.messages), events


@pytest.mark.parametrize(
    ("text", "intent", "action", "prefilled"),
    [
        (DOSING, "nlu_fallback", ActionClarify(), {"volume": 60, "variants": 40}),
        (STUDENT, "nlu_fallback", ActionClarify(), {"stage": "idea", "company": "none"}),
        (PACKS, "ask_make_or_buy", ActionAnswerKb(), {"volume": 6000}),
        (RESHORING, "ask_entry", ActionAnswerKb(), {"situation": "relocate", "current_location": "asia"}),
        (RESHORING, "nlu_fallback", ActionClarify(), {"volume": 20000}),
        (PACKS_GROWING, "ask_make_or_buy", ActionAnswerKb(), {"situation": "scale_up", "volume": 4000}),
        (PACKS_GROWING, "nlu_fallback", ActionClarify(), {"product_type": ["battery_pack", "cargo_bike"]}),
        (MACHINE_SHOP, "ask_entry", ActionAnswerKb(), {"volume": 300}),
        (MACHINE_SHOP, "nlu_fallback", ActionClarify(), {"volume": 300}),
        (BREATHING_AID, "ask_definition", ActionAnswerKb(), {"stage": "prototype"}),
    ],
)
def test_a_described_situation_with_a_what_to_do_question_starts_the_consultation(
    text: str, intent: str, action: Any, prefilled: dict, domain: dict, live_kb: Any
) -> None:
    said, events = run(action, tracker_for(text, intent, 0.3 if intent == "nlu_fallback" else 0.9), domain)
    assert Texts(domain).get("utter_advisor_intro") in said
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert prefilled.items() <= slots.items()


@pytest.mark.parametrize(
    "text",
    [
        "vad är en nollserie?",
        "hur hittar jag en legotillverkare?",
        "vad kostar ett formverktyg för en plastdetalj?",
        "Vi har en prototyp och 2 anställda, kan vi söka Almis innovationslån?",
    ],
)
def test_a_plain_knowledge_question_does_not_start_it(text: str, live_kb: Any) -> None:
    assert not opens_consultation(tracker_for(text, "ask_entry", 0.9))


TOOL_QUESTION = (
    "Tillverkaren vill ha 150 000 kr för ett formsprutningsverktyg till vår plastdetalj. "
    "Vem äger verktyget sen och vad bör vi skriva i avtalet?"
)


def test_a_specific_question_with_two_answers_in_it_does_not_start_it(live_kb: Any) -> None:
    """A sum and a material make two answers, but the message asks one thing the knowledge base answers."""
    assert not opens_consultation(tracker_for(TOOL_QUESTION, "ask_find_manufacturer", 0.8), understood=True)


def test_help_in_the_story_is_no_what_to_do_question(live_kb: Any) -> None:
    """Only the question sentence asks what to do: "få hjälp att ta reda på …" in the story before a
    support question does not make it an opening."""
    text = (
        "Vi är ett gjuteri med runt trettio anställda och de som kan maskinerna går i pension de närmaste "
        "åren. Min kollega sa att man kunde få hjälp att ta reda på vilken kompetens man har i huset. "
        "Vad fanns det för stöd för sånt?"
    )
    assert not opens_consultation(tracker_for(text, "nlu_fallback", 0.3))


def test_a_fresh_question_read_as_answers_is_answered_from_the_knowledge_base(
    domain: dict, live_kb: Any
) -> None:
    said, events = run(ActionUpdateAdvisor(), tracker_for(TOOL_QUESTION, "inform", 0.6), domain)
    assert "verktyg" in said and "Källa:" in said
    assert Texts(domain).get("utter_advisor_intro") not in said
    assert not [e for e in events if e.get("event") == "slot" and e["name"] == "capital"]


def test_no_new_consultation_in_the_middle_of_one(live_kb: Any) -> None:
    message = {"text": DOSING, "intent": {"name": "nlu_fallback"}, "entities": []}
    tracker = Tracker("u", {"stage": "prototype"}, message, [], False, None, {}, "action_listen")
    assert not opens_consultation(tracker)


# --- 5. Free-text answers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Något känslig, vi har sökt patent på flödesmätningen", "medium"),
        ("Inte känslig, men vi har ett patent på en detalj", "low"),
        ("Mycket känslig. Det är standardkomponenter men algoritmen är unik", "high"),
    ],
)
def test_a_button_title_first_is_the_answer_whatever_the_explanation_says(text: str, value: str) -> None:
    assert parse_answer(text, expected="ip_sensitivity").values["ip_sensitivity"] == value


def test_without_a_title_first_a_conflict_is_still_asked_again() -> None:
    assert "ip_sensitivity" not in parse_answer("patent men inte känslig", expected="ip_sensitivity").values


@pytest.mark.parametrize("text", ["blandat, korta serier", "mest små serier"])
def test_short_series_are_no_volume(text: str) -> None:
    assert "volume" not in parse_answer(text, expected="volume").values


def test_the_first_series_and_the_later_volume_are_both_kept() -> None:
    values = parse_answer("ca 1000 st, sen 10 000", expected="volume").values
    assert (values["volume"], values["current_volume"]) == (10000, 1000)


# --- 6. No button for a part that has nothing --------------------------------------------------------

SENSOR = {
    "situation": "new_product",
    "stage": "prototype",
    "product_type": ["electronics", "radio", "battery", "monitoring"],
    "capability": "none",
    "volume": 1000,
    "markets": ["sweden", "nordics"],
    "company": "startup",
    "capital": 2_000_000,
    "time_to_market": "relaxed",
    # Not sensitive: a stated IP sensitivity has its caveat (persona round 13, p01).
    "ip_sensitivity": "low",
    "priorities": ["control"],
}


def payloads(messages: list[dict[str, Any]]) -> str:
    return " ".join(b["payload"] for m in messages for b in m.get("buttons") or [])


def test_no_caveats_button_when_there_are_no_caveats(domain: dict, live_kb: Any, kb: KnowledgeBase) -> None:
    assert recommend(SENSOR).caveats == ()
    tracker = Tracker("u", SENSOR, {"text": "x"}, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionRecommend().run(dispatcher, tracker, domain))
    assert '"caveats"' not in payloads(dispatcher.messages) and '"supports"' in payloads(dispatcher.messages)
    dispatcher = CollectingDispatcher()
    send_part(dispatcher, Texts(domain), recommend(SENSOR, kb), "supports")
    assert '"caveats"' not in payloads(dispatcher.messages)
    assert '"regulations"' in payloads(dispatcher.messages) and '"supports"' not in payloads(
        dispatcher.messages
    )


def test_the_caveats_button_is_offered_when_there_are_some(domain: dict) -> None:
    dispatcher = CollectingDispatcher()
    send_part(dispatcher, Texts(domain), recommend({**SENSOR, "capital": 100_000}), "supports")
    assert '"caveats"' in payloads(dispatcher.messages)


@pytest.mark.parametrize("text", ["i ett 30-tal olika utföranden", "ett 30-tal olika modeller"])
def test_an_approximate_number_of_variants_is_read(text: str) -> None:
    assert parse_answer(f"kanske 80 st om året men {text}").values == {"volume": 80, "variants": 30}
