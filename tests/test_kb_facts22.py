"""Facts that persona graders missed (rounds 20/20b, issue #10; round 33): the first passage holds it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.actions.resolve import Message, resolve
from bot.kb import KnowledgeBase, build
from bot.settings import ROOT


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    db: Path = tmp_path_factory.mktemp("facts22") / "knowledge.db"
    build(ROOT / "knowledge", db)
    return KnowledgeBase(db)


# (message, entry that answers, regex the first passage must hold)
CASES = [
    (
        Message("måste min bordslampa vara UL-listad för att säljas i USA?"),
        "export-utanfor-eu",
        r"butikskedjor|återförsäljare",
    ),
    (Message("kan en amerikansk kund stämma oss om produkten skadar någon?"), "export-utanfor-eu", r"stämma"),
    (Message("vad är Medtech4Health?"), "medtech4health", r"medicinteknik"),
    (Message("vad är Swelife för något?"), "swelife", r"life science"),
    (Message("gäller kosmetikareglerna för småskalig tillverkning?"), "kosmetika", r"undantag"),
    (Message("vad betyder nyhetskravet?"), "nyhetskrav-patent", r"känd|offentliggjorts"),
    (Message("vad kostar ett anmält organ för medicinteknik?"), "medicinteknik-mdr", r"standardavgifter"),
    # Round 33: battery replacement, Amazon, cold, IP classes, MDR lead times, the work-permit salary floor.
    (
        Message("ska kunden själv kunna byta ut batteriet i apparaten efter 2027?"),
        "batterier",
        r"slutanvändaren",
    ),
    (Message("vilka batteritester kräver Amazon av oss som säljare?"), "batterier", r"Amazon"),
    (Message("tål ett litiumbatteri att laddas i minusgrader?"), "batterier", r"minusgrader"),
    (Message("vad står siffrorna i IP67 för?"), "ip-klass", r"damm"),
    (Message("vilken IP-klass krävs för en lampa i duschen?"), "ip-klass", r"område 0|IPX7"),
    (
        Message("hur lång tid tar det innan ett anmält organ granskar vår tekniska dokumentation?"),
        "medicinteknik-mdr",
        r"månad",
    ),
    (Message("vilken lägsta lön krävs för att få arbetstillstånd?"), "arbetstillstand", r"medianlön"),
]


@pytest.mark.parametrize(("msg", "entry_id", "fact"), CASES, ids=[c[0].text for c in CASES])
def test_the_first_passage_holds_the_fact(kb: KnowledgeBase, msg: Message, entry_id: str, fact: str) -> None:
    resolution = resolve(kb, msg)
    assert resolution.passages, resolution
    first = resolution.passages[0]
    assert first.entry_id == entry_id
    assert re.search(fact, first.text), first.text


def test_a_programme_whose_funding_runs_out_says_so(kb: KnowledgeBase) -> None:
    entry = kb.get("swelife")
    assert entry is not None and "löper den nuvarande finansieringen ut 2026" in entry.summary
