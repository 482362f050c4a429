"""The resolver over the fixture knowledge base: one table of messages and what must answer them."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.actions.resolve import Message, resolve
from bot.kb import KnowledgeBase, build
from bot.settings import ROOT

FIXTURES = ROOT / "tests" / "data" / "kb_fixtures" / "good"


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    db: Path = tmp_path_factory.mktemp("kb") / "knowledge.db"
    build(FIXTURES, db)
    return KnowledgeBase(db)


# (message, expected: "entry-id:passage-key" of the first passage | "menu" | "unknown:<name>" | "nothing")
CASES = [
    (Message("hur mycket kan man få i innovationslån?", "ask_amount"), "almi-innovationslan:amount"),
    (Message("vem kan söka innovationslån", "ask_eligibility"), "almi-innovationslan:who_can_apply"),
    (Message("vad är legotillverkning", "ask_entry"), "legotillverkning:summary"),
    # A follow-up that names nothing is about the entry under discussion.
    (
        Message("och vem kan söka?", "ask_eligibility", current="almi-innovationslan"),
        "almi-innovationslan:who_can_apply",
    ),  # fmt: skip
    (
        Message("hur mkt fick dom", "ask_amount", current="regional-utlysning-2016"),
        "regional-utlysning-2016:amount",
    ),  # fmt: skip
    # A named programme the knowledge base does not hold is said to be unknown, not answered by another.
    (Message("Hur mycket kan vi låna från Norrlandsfonden?", "ask_amount"), "unknown:Norrlandsfonden"),
    (Message("kan vi söka Klimatklivet?", "ask_eligibility"), "unknown:Klimatklivet"),
    # A county NLU recognised is not an unknown programme.
    (
        Message(
            "Vilket stöd finns i Västerbotten för legotillverkning?",
            "ask_entry",
            recognised=("Västerbotten",),
        ),
        "legotillverkning:summary",
    ),  # fmt: skip
    # A strategy question that names a term gets the strategy's default entry.
    (
        Message("tillverka själv eller legotillverkning?", "ask_make_or_buy", ("legotillverkning",)),
        "tillverka-sjalv-eller-kopa:summary",
    ),  # fmt: skip
    # A button names its entry; "Läs mer" gives the whole entry.
    (
        Message('/ask_amount{"kb_entry": "robotlyftet"}', "ask_amount", ("robotlyftet",)),
        "robotlyftet:summary",
    ),
    (Message("läs mer", "read_more", current="robotlyftet"), "robotlyftet:summary"),
    # "och den andra då?" answers the same question about the other thing.
    (
        Message(
            "och den andra då?", "ask_entry", current="almi", other="tillvaxtverket", last_intent="ask_entry"
        ),
        "tillvaxtverket:summary",
    ),  # fmt: skip
    (Message("qwxz plörk", "ask_entry"), "nothing"),
    # "Hur stort får företaget vara?" asks who can apply, not an amount.
    (
        Message("Hur stort får företaget vara då?", "ask_amount", current="almi-innovationslan"),
        "almi-innovationslan:who_can_apply",
    ),  # fmt: skip
    # "de" points back at the entry under discussion, even when a word matches another entry better.
    (
        Message("vilka områden gäller de för?", "ask_entry", current="smart-industri"),
        "smart-industri:focus_areas",
    ),  # fmt: skip
]


def outcome(kb: KnowledgeBase, msg: Message) -> str:
    found = resolve(kb, msg)
    if found.unknown_name:
        return f"unknown:{found.unknown_name}"
    if found.candidates:
        return "menu"
    if not found.passages:
        return "nothing"
    return f"{found.passages[0].entry_id}:{found.passages[0].key}"


@pytest.mark.parametrize("msg, expected", CASES, ids=[m.text for m, _ in CASES])
def test_resolve(kb: KnowledgeBase, msg: Message, expected: str) -> None:
    assert outcome(kb, msg) == expected


def test_read_more_is_the_whole_entry(kb: KnowledgeBase) -> None:
    found = resolve(kb, Message("läs mer", "read_more", current="almi-innovationslan"))
    assert found.whole and len(found.passages) == len(kb.get("almi-innovationslan").passages)


def test_a_two_part_question_gets_both_parts(kb: KnowledgeBase) -> None:
    msg = Message("vem kan söka almis innovationslån och hur mycket kan man låna?", "ask_eligibility")
    fields = {p.field for p in resolve(kb, msg).passages}
    assert fields == {"who_can_apply", "amount"}


def test_a_long_passage_is_cut_to_the_sentences_that_answer(kb: KnowledgeBase) -> None:
    found = resolve(kb, Message("vad är smart industri", "ask_entry"))
    assert all(len(p.text) <= 400 for p in found.passages)


@pytest.mark.parametrize(
    ("field", "text", "held"),
    [
        ("amount", "Det första uppdraget fick 20 miljoner kronor för 2018–2019.", True),
        ("amount", "Lånet är på 50 000–500 000 kr.", True),
        ("amount", "Regionerna skulle kartlägga industrins behov.", False),
        ("dates", "Strategin beslutades den 21 januari 2016.", True),
        ("dates", "Utlysningen stängde 2016-09-30.", True),
        ("dates", "Den skulle öppna i februari 2017.", True),
        ("dates", "Satsningen omfattade 18 projekt i 20 regioner.", False),
        ("contact", "Kontakta Almi på www.almi.se.", True),
        ("who_can_apply", "Små och medelstora företag.", False),  # no form to recognise: the field decides
    ],
)
def test_a_passage_holds_a_fact_by_its_form(field: str, text: str, held: bool) -> None:
    from bot.actions.resolve import holds
    from bot.kb.model import Passage, Source

    assert holds(Passage("e", "body.1", "body", text, Source(supports="e", title="t")), field) is held


@pytest.mark.parametrize(
    ("text", "unresolved", "topic"),
    [
        ("pris på kvantdator", ["kvantdator"], True),
        ("vilket ESD-skydd behövs i fabriken", ["esd"], True),
        # A long question's longest word is not necessarily what it is about.
        (
            "Hur mycket pengar satsade regeringen på att hjälpa produktbolag hitta svensk tillverkning?",
            ["produktbolag"],
            False,
        ),
        ("pris på legotillverkning", [], False),
        ("vad kostar en cnc", ["cnc"], False),  # short, lower case, not the longest word
    ],
)
def test_an_unknown_word_can_be_what_the_question_is_about(
    text: str, unresolved: list[str], topic: bool
) -> None:
    from bot.actions.resolve import _unknown_topic

    assert _unknown_topic(unresolved, text) is topic
