"""The situation a message tells (`situations` in knowledge/concepts.yml) as evidence for the resolver:
someone else making the product raises the advice on contract manufacturing."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import bot.actions.resolve as resolver
from bot.actions.resolve import Message, resolve, told_situation
from bot.cli import main
from bot.kb import KnowledgeBase, build
from bot.kb.concepts import phrase_stems, told_topics
from bot.settings import ROOT


@pytest.fixture(scope="module")
def real_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    db: Path = tmp_path_factory.mktemp("situation") / "knowledge.db"
    build(ROOT / "knowledge", db)
    return KnowledgeBase(db)


TABLE = {
    phrase_stems("lägga ut"): ("contract-manufacturing",),
    phrase_stems("fabrik"): ("contract-manufacturing",),
}


@pytest.mark.parametrize(
    ("text", "told"),
    [
        ("vi funderar på att lägga ut monteringen", True),
        ("vi lägger ut allt", True),
        ("en fabrik i Vietnam syr dem", True),
        ("fabrikerna i Portugal", True),
        # Our own factory is no one else making it.
        ("vi har en egen fabrik i Småland", False),
        # The words apart are not the phrase.
        ("lägga pengarna på ett ut-verktyg", False),
        ("hur skyddar jag designen?", False),
    ],
)
def test_a_situation_phrase_in_any_inflection(text: str, told: bool) -> None:
    assert bool(told_topics(TABLE, text)) is told


@pytest.mark.parametrize(
    ("text", "told"),
    [
        # The clause after the question's head tells the situation.
        (
            "Hur skyddar vi formen om vi låter en fabrik i Kina göra den?",
            "om vi låter en fabrik i Kina göra den",
        ),
        # A sentence that states rather than asks does too.
        (
            "En leverantör i Asien syr våra väskor. Hur skyddar vi mönstret?",
            "En leverantör i Asien syr våra väskor.",
        ),
        # A long story is background: only the question's own clause would count.
        (
            "Jag har sytt väskor i ett par år och allt görs av en fabrik i Kina sedan starten, men nu har jag"
            " hört att staten gav pengar till att hitta tillverkare här hemma och jag undrar lite över det."
            " Hur mycket pengar handlade det om?",
            "",
        ),
        # The question's own head is what is asked about, whoever makes it.
        ("Kan jag beställa 3000 direkt från en fabrik eller ska jag testa först?", ""),
    ],
)
def test_the_told_situation_is_outside_the_questions_head(
    real_kb: KnowledgeBase, text: str, told: str
) -> None:
    assert told_situation(real_kb, text) == told


# (message, the entry whose passage must answer first)
CASES = [
    # Someone else makes it: the advice on protecting an idea at a contract manufacturer, not the grace
    # period for a design already shown (both share "skydda", "design").
    (
        Message("Hur skyddar jag min design om jag låter en fabrik i Asien tillverka den?", "nlu_fallback"),
        "skydda-ide-vid-legotillverkning",
    ),
    (
        Message("Hur skyddar vi designen om vi lägger ut tillverkningen?", "ask_entry"),
        "skydda-ide-vid-legotillverkning",
    ),
    # Without that situation the design question keeps its own answer.
    (
        Message("Hur skyddar jag min design när jag har visat den på en mässa?", "ask_entry"),
        "designskydd-efter-visning",
    ),
    (Message("Hur skyddar jag min design?", "ask_entry"), "designskydd-efter-visning"),
    # The situation raises contract-manufacturing advice, it does not replace the question's subject.
    (
        Message("Hur kontrollerar vi kvaliteten om vi låter en fabrik i Kina tillverka?", "ask_entry"),
        "kvalitetskontroll-hos-tillverkare",
    ),
    (Message("Vad ska stå i avtalet när vi lägger ut tillverkningen?", "ask_entry"), "avtal-med-tillverkare"),
    # A factory abroad is the offshoring advice's situation too: no menu against make-or-buy.
    (
        Message(
            "En fabrik i Vietnam ger oss 30 % lägre styckpris än verkstaden här hemma. "
            "Är det inte givet att flytta dit?",
            "ask_offshore_vs_sweden",
        ),
        "tillverka-i-sverige-eller-utomlands",
    ),
]


@pytest.mark.parametrize(("msg", "entry"), CASES, ids=[m.text[:60] for m, _ in CASES])
def test_the_situation_chooses_among_close_advice(real_kb: KnowledgeBase, msg: Message, entry: str) -> None:
    found = resolve(real_kb, msg)
    assert [p.entry_id for p in found.passages][:1] == [entry]


def test_without_the_situation_evidence_the_shown_design_answers(real_kb: KnowledgeBase) -> None:
    msg = CASES[0][0]
    weights = dataclasses.replace(resolver.WEIGHTS, situation=0.0)
    assert resolve(real_kb, msg, weights).passages[0].entry_id == "designskydd-efter-visning"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            "situations:\n  - topic: kontraktstillverkning\n    said: [fabrik]\n",
            "unknown topic 'kontraktstillverkning'",
        ),
        ("situations:\n  - said: [fabrik]\n", "a situation needs 'topic:'"),
        ("situations:\n  - topic: advice\n    said: ['?']\n", "'said' must list phrases with words"),
    ],
)
def test_validate_reports_a_broken_situation(
    knowledge: Path, capsys: pytest.CaptureFixture[str], table: str, message: str
) -> None:
    (knowledge / "concepts.yml").write_text(table, "utf-8")
    assert main(["kb", "validate", "--knowledge", str(knowledge)]) == 1
    assert message in capsys.readouterr().err
