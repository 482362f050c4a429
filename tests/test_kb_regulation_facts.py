"""Regulation and IP questions graders asked (issues #10/#11): the first passage holds the fact."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.actions.resolve import Message, resolve
from bot.kb import KnowledgeBase, build
from bot.settings import ROOT


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    db: Path = tmp_path_factory.mktemp("regulation") / "knowledge.db"
    build(ROOT / "knowledge", db)
    return KnowledgeBase(db)


# (message, entry that answers, regex the first passage must hold)
CASES = [
    (Message("vad är EUDR?"), "eudr-avskogningsforordningen", r"\bträ\b.*avskogningsfria"),
    (Message("när börjar EUDR gälla?", "ask_dates"), "eudr-avskogningsforordningen", r"30 december 2026"),
    (Message("omfattas trämöbler av avskogningsförordningen?"), "eudr-avskogningsforordningen", r"9403"),
    (Message("behöver möbler följa REACH?"), "reach-varor", r"Möbler räknas som varor"),
    (Message("vad gäller för varor med ämnen på kandidatförteckningen?"), "reach-varor", r"0,1 viktprocent"),
    (Message("måste vi anmäla varor till SCIP?"), "scip-databasen", r"5 januari 2021"),
    (Message("vilka regler gäller för köksredskap som vi säljer i USA?"), "export-utanfor-eu", r"FDA"),
    (Message("vad är 21 CFR för kontaktmaterial?"), "export-utanfor-eu", r"21 CFR delarna"),
    (
        Message("vilken standard gäller för mjukvara i medicintekniska produkter?"),
        "medicinteknisk-programvara",
        r"IEC 62304",
    ),
    (Message("vad är IEC 60601-1?"), "medicinteknik-standarder", r"62304|60601"),
    (Message("vad är ett LMT-batteri?"), "lmt-batterier", r"25 kg"),
    (Message("behöver elcykelbatteriet ett batteripass?"), "lmt-batterier", r"18 februari 2027"),
    (Message("vilken standard gäller för säkerheten hos elcykelbatterier?"), "lmt-batterier", r"50604"),
    # Persona round 22 (issue #10 point 4): batteries by road, cosmetics labels, CBAM, MDR rule 10.
    (Message("gäller ADR när batterierna åker lastbil till kunden?"), "batterier", r"ADR"),
    (Message("räknas ett batteripack som farligt gods på väg?"), "batterier", r"klass 9.*ADR|ADR.*klass 9"),
    (
        Message("måste vi ha en säkerhetsrådgivare för att skicka batterier?"),
        "batterier",
        r"säkerhetsrådgivare",
    ),
    (
        Message("när vi kör batterierna med lastbil till Danmark – är det farligt gods?", "ask_dates"),
        "batterier",
        r"farligt gods",
    ),
    (Message("vad ska etiketten på ett ansiktsserum innehålla?"), "kosmetika", r"ingrediensförteckning"),
    (Message("är tvål kosmetika?"), "kosmetika", r"Tvål.*kosmetisk produkt"),
    (Message("vad innehåller ett produktinformationsdokument?"), "kosmetika", r"säkerhetsrapport"),
    (Message("vilka regler gäller för påståenden i reklam för kosmetika?"), "kosmetika", r"655/2013"),
    (Message("vilka varor gäller CBAM för?"), "cbam", r"aluminium.*cement|cement.*aluminium"),
    (Message("finns det en minsta mängd för CBAM?"), "cbam", r"50 ton"),
    (Message("kan man självcertifiera en pulsoximeter som klass I?"), "medicinteknik-mdr", r"mätfunktion"),
    # The rule 10 paragraph ("Regel 10 …: … riskklass IIa") or the rule 9 paragraph's remark on rule 10.
    (
        Message("vilken riskklass får en aktiv produkt för diagnostik?"),
        "medicinteknik-mdr",
        r"(?i:regel) 10.*IIa",
    ),
    # Persona round 10, p07: a student asked whether to file for a patent before showing the idea. Since the
    # twelfth session the novelty rule itself answers it (persona round 25, p07).
    (
        Message("ska jag söka patent innan jag visar idén?"),
        "nyhetskrav-patent",
        r"ny:.*före patentansökan.*visat",
    ),
]


@pytest.mark.parametrize(("msg", "entry_id", "fact"), CASES, ids=[c[0].text for c in CASES])
def test_the_first_passage_holds_the_fact(kb: KnowledgeBase, msg: Message, entry_id: str, fact: str) -> None:
    resolution = resolve(kb, msg)
    assert resolution.passages, resolution
    first = resolution.passages[0]
    assert first.entry_id == entry_id
    assert re.search(fact, first.text), first.text


def test_no_regulation_cites_the_weak_prop_65_source(kb: KnowledgeBase) -> None:
    entry = kb.get("export-utanfor-eu")
    assert entry is not None
    assert not [p.source.url for p in entry.passages if p.source.url and "boreal.com" in p.source.url]
