"""Rule triggers the user states reach the advice's rules (issue #10 point 4, round 27): a stated pressure in
bar or MPa brings the Pressure Equipment Directive (and the simple pressure vessels directive only for series
air/nitrogen vessels), PED's category decides the notified body, a product that touches food is never food
itself and keeps GPSR, RoHS/WEEE carry the caveat for large-scale fixed installations, and producer
registration is per country."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_advisor_issue10 import profile
from test_advisor_round19 import product

from bot.actions.resolve import Message, resolve
from bot.advisor import recommend
from bot.kb import KnowledgeBase, build
from bot.settings import ROOT


@pytest.fixture
def kb(shipped_kb: KnowledgeBase) -> KnowledgeBase:
    return shipped_kb


def rules(kb: KnowledgeBase, text: str, **answers: Any) -> list[str]:
    return [r.id for r in recommend(profile(text, **answers), kb).regulations]


def rules_text(kb: KnowledgeBase, text: str, **answers: Any) -> str:
    return recommend(profile(text, **answers), kb).regulations_part()


# --- A stated pressure brings PED ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "vi bygger skid för vattenrening, det går tryck i systemet upp till 12 bar",
        "en doseringsanläggning som arbetar med 6 bars tryck",
        "en rengöringsmaskin med ånggenerator på 0,8 MPa",
        "rören står under tryck när anläggningen körs",
        "filterhus med ett arbetstryck på 16 bar",
    ],
)
def test_a_stated_pressure_is_pressure_equipment(text: str) -> None:
    assert "pressure" in product(text)


@pytest.mark.parametrize(
    "text",
    [
        "vi gör hydrauliska vedklyvar med en vanlig cylinder",
        "en bar i ek till restaurangen",
        "trycket på förpackningen är i fyrfärg",
        "vi gör en tryckknapp till dörrar",
    ],
)
def test_hydraulics_and_other_words_are_no_pressure_equipment(text: str) -> None:
    assert "pressure" not in product(text)


def test_a_process_skid_under_pressure_gets_ped_and_not_simple_vessels(kb: KnowledgeBase) -> None:
    ids = rules(kb, "processkid med pumpar för vattenrening, upp till 10 bar i rören")
    assert "tryckbarande-anordningar" in ids
    assert "enkla-tryckkarl" not in ids


def test_series_air_receivers_get_the_simple_pressure_vessels_directive(kb: KnowledgeBase) -> None:
    assert {"simple_pressure_vessel", "pressure"} <= product("svetsade tryckluftsbehållare till kompressorer")
    ids = rules(kb, "svetsade tryckluftsbehållare till kompressorer")
    assert "enkla-tryckkarl" in ids


def test_ped_names_the_category_that_decides_the_notified_body(kb: KnowledgeBase) -> None:
    part = rules_text(kb, "trycksatta filterhus i rostfritt")
    assert "Anmält organ och kategori:" in part
    assert "modul A" in part


# --- A product that touches food is no food -----------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "en kolgrill för balkongen där maten grillas på ett rostfritt galler",
        "serveringsbrickor i ek som man lägger maten på",
        "ett stekbord där maten steks direkt på plåten",
        "en vedeldad pizzagrill för trädgården",
    ],
)
def test_what_touches_food_is_food_contact_not_food(text: str) -> None:
    found = product(text)
    assert "food_contact" in found
    assert "food" not in found


def test_food_producers_stay_food() -> None:
    assert "food" in product("vi gör sylt och saft av bär från egen odling")
    assert "food" in product("jag vill börja tillverka mat i större skala")


def test_a_grill_gets_food_contact_and_gpsr_and_no_food_registration(kb: KnowledgeBase) -> None:
    ids = rules(kb, "en kolgrill där maten grillas direkt på gallret")
    assert "livsmedelskontaktmaterial" in ids
    assert "produktsakerhet-gpsr" in ids
    assert "livsmedel" not in ids


# --- RoHS and WEEE: large-scale fixed installations ---------------------------------------------------------
def test_a_process_line_with_electrics_gets_the_fixed_installation_caveat(kb: KnowledgeBase) -> None:
    part = rules_text(kb, "kompletta sågverkslinjer med elskåp och styrning, bara till företag")
    assert "Storskaliga fasta installationer" in part


def test_a_consumer_gadget_gets_no_fixed_installation_caveat(kb: KnowledgeBase) -> None:
    part = rules_text(kb, "en laddbar bluetooth-högtalare till konsumenter")
    assert "Storskaliga fasta installationer" not in part


# --- Producer registration in each country ------------------------------------------------------------------
def test_battery_packs_sold_abroad_are_registered_in_each_country(kb: KnowledgeBase) -> None:
    part = rules_text(kb, "vi monterar litiumbatteripack till elverktyg", markets=["nordics", "eu"])
    assert "Producentregistrering i varje land:" in part


def test_electronics_sold_in_europe_names_national_weee_registration(kb: KnowledgeBase) -> None:
    part = rules_text(kb, "en elektronisk styrenhet till värmepumpar", markets=["eu"])
    assert "Registrering och avgifter är nationella" in part
    assert "Registrering och avgifter är nationella" not in rules_text(
        kb, "en elektronisk styrenhet till värmepumpar", markets=["sweden"]
    )


# --- The German electrical registration is found for electronics ------------------------------
@pytest.fixture(scope="module")
def real_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    db: Path = tmp_path_factory.mktemp("reg31") / "knowledge.db"
    build(ROOT / "knowledge", db)
    return KnowledgeBase(db)


def test_selling_electronics_in_germany_finds_the_electrical_registration(real_kb: KnowledgeBase) -> None:
    found = resolve(real_kb, Message("vad krävs för att sälja elektronik i Tyskland?", "ask"))
    assert found.passages and found.passages[0].entry_id == "producentregistrering-tyskland"
