"""The resolver on the shipped knowledge: the passage that holds the asked fact, from general evidence.

Each case is a mechanism, phrased unlike any tuning question: numbers the user tells, the kind of fact a
question asks for and where it is stated, markets, a term's own passages against the advice, and two
questions in one message.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.actions.resolve import Message, holds, markets, resolve, told_numbers
from bot.kb import KnowledgeBase, build
from bot.kb.model import Passage, Source
from bot.settings import ROOT
from bot.swedish import content_stems


@pytest.fixture(scope="module")
def real_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    db: Path = tmp_path_factory.mktemp("real") / "knowledge.db"
    build(ROOT / "knowledge", db)
    return KnowledgeBase(db)


def keys(kb: KnowledgeBase, msg: Message) -> list[str]:
    found = resolve(kb, msg)
    return [f"{p.entry_id}:{p.key}" for p in found.passages]


# (message, the passage that answers first)
FIRST = [
    # A person asked for, stated by a third entry: not the two advice entries the message's words name.
    (
        Message(
            "Vilken minister låg bakom att fler företag ska hitta tillverkare i Sverige i stället för att "
            "lägga produktionen på andra sidan jorden?",
            "nlu_fallback",
            ("valja-tillverkare",),
        ),
        "regeringens-industrisatsning-2018:body.2",
    ),
    # ... also when the NLU guessed a strategy question, whose default advice names no one.
    (
        Message(
            "Vilken minister stod bakom tanken att fler ska tillverka i Sverige i stället för att lägga "
            "produktionen på andra sidan jorden?",
            "ask_find_manufacturer",
        ),
        "regeringens-industrisatsning-2018:body.2",
    ),
    # An amount asked about what happened in a year: the entry titled with that year states it.
    (
        Message(
            "Nån berättade att regeringen gav Tillväxtverket pengar 2018 för att tillverka mer i Sverige i "
            "stället för utomlands. Hur mycket?",
            "ask_offshore_vs_sweden",
            ("tillvaxtverket",),
        ),
        "industrialiseringsuppdraget-2018:amount",
    ),
    # "nån siffra" asks for a number: the passage that states one, not the one about the figures.
    (
        Message("Betyder industrin mycket för exporten? Har Tillväxtverket nån siffra?", "nlu_fallback"),
        "industrins-betydelse-for-sverige:summary",
    ),
    # What a pilot series is for is the term's own text ("Syftet är …"), not the stages of the advice.
    (
        Message(
            "Vad är vitsen med en pilotserie innan man kör full produktion?",
            "ask_production_stages",
            ("pilotserie",),
        ),
        "pilotserie:body.1",
    ),
]


@pytest.mark.parametrize("msg, expected", FIRST, ids=[m.text[:50] for m, _ in FIRST])
def test_first_passage(real_kb: KnowledgeBase, msg: Message, expected: str) -> None:
    assert keys(real_kb, msg)[:1] == [expected]


@pytest.mark.parametrize("price", ["250 000 kr", "18 000 dollar"])
def test_a_told_price_is_no_evidence(real_kb: KnowledgeBase, price: str) -> None:
    """A price the user tells says nothing about what is asked: "000" is in every paragraph with a price in
    thousands (the summary on tool materials), and the question asks who owns the tool."""
    msg = Message(f"Vi betalar {price} för formverktyget. Vem äger verktyget sen?", "ask_find_manufacturer")
    found = resolve(real_kb, msg)
    assert found.passages and "äger" in found.passages[0].text and "avtal" in found.passages[0].text


def test_a_passage_about_another_market_is_no_answer(real_kb: KnowledgeBase) -> None:
    """ "EU-regler" for mains-powered LED lighting: the electrical rules, not the USA's rules for LEDs."""
    found = keys(
        real_kb, Message("Vilka EU-regler gäller för en LED-lampa som sitter i eluttaget?", "nlu_fallback")
    )
    assert found and not found[0].startswith("export-utanfor-eu")
    assert found[0].startswith("elektrisk-utrustning-lvd-emc")


def test_two_questions_about_one_thing_each(real_kb: KnowledgeBase) -> None:
    """A count about the first plan, a date about the second: each its own fact, in the message's order."""
    msg = Message(
        "Hur många åtgärder hade den första handlingsplanen för Smart industri, och när kom den andra?",
        "ask_dates",
        ("handlingsplan-1-smart-industri",),
    )
    found = resolve(real_kb, msg)
    assert [(p.entry_id, p.field) for p in found.passages] == [
        ("handlingsplan-1-smart-industri", "summary"),
        ("handlingsplan-2-smart-industri", "dates"),
    ]
    assert "45" in found.passages[0].text


def test_a_second_question_about_both_things_is_asked_of_both(real_kb: KnowledgeBase) -> None:
    """ "… 1.0 jämfört med 2.0 i pengar, och vem fick söka?" names both things in its first question."""
    msg = Message(
        "Hur mycket pengar hade Smart industri i regionerna 1.0 jämfört med 2.0, och vem fick söka?",
        "ask_amount",
    )
    fields = {p.field for p in resolve(real_kb, msg).passages}
    assert fields == {"amount", "who_can_apply"}


def test_the_first_question_is_answered_first(real_kb: KnowledgeBase) -> None:
    """When the best passage answers the second question, the first is resolved on its own and comes first."""
    msg = Message(
        "Vad skiljer en pilotserie från serietillverkning? Och har Almi nåt lån för innovationer?",
        "ask_production_stages",
        ("pilotserie", "almi"),
    )
    found = keys(real_kb, msg)
    assert found[-1].startswith("almi-innovationslan:")
    assert found[0].split(":")[0] in {"pilotserie", "serietillverkning"}


def test_what_it_is_then_the_size_condition(real_kb: KnowledgeBase) -> None:
    """ "Vad är X? … vi är 120 anställda": what the programme is, then its condition on size."""
    msg = Message(
        "Vad är Produktionslyftet? Skulle det passa oss, vi är 120 anställda",
        "ask_entry",
        ("produktionslyftet",),
    )
    assert keys(real_kb, msg) == ["produktionslyftet:summary", "produktionslyftet:who_can_apply"]


@pytest.mark.parametrize(
    "text, told",
    [
        ("verktyget kostar 180 000 kr", {"180", "000", "kr"}),
        ("verktyget kostar 18 000 dollar", {"18", "000", "doll"}),
        ("vi vill beställa 500 st", {"500"}),
        ("ett gjuteri med ca 80 anställda", {"80"}),
        ("handlingsplanen 2016 hade 45 åtgärder", set()),
        ("kan jag fortfarande söka de 400 000 kronorna?", set()),
        ("priset är 9 000:-", {"9", "000"}),
    ],
)
def test_told_numbers(text: str, told: set[str]) -> None:
    assert told_numbers(text) == told


@pytest.mark.parametrize(
    "text, named",
    [
        ("Vilka EU-regler gäller?", {"eu"}),
        ("sälja i USA och Kanada", {"usa", "canada"}),
        ("tillverka i Sverige", set()),
    ],
)
def test_markets(text: str, named: set[str]) -> None:
    assert markets(text) == named


@pytest.mark.parametrize(
    "text, person",
    [
        ("Dåvarande närings- och innovationsministern Mikael Damberg förklarade", True),
        ("Bakom strategin stod ministern Mikael Damberg.", True),
        ("Sök tillverkare i Manufacturing Guide eller via Business Sweden.", False),
        ("Hela Sverige.", False),
    ],
)
def test_a_person_is_named_with_a_role(text: str, person: bool) -> None:
    passage = Passage("x", "body.1", "body", text, Source(supports="", url="https://example.org"))
    assert holds(passage, "person") is person


def test_reporting_verbs_and_funkar_are_no_content() -> None:
    """ "Jag läste att …" ("läste" folds onto "låst") and "hur funkar …" ("funk" met "funktioner")."""
    assert content_stems("jag läste att det funkar") == []


def test_a_thing_compared_by_description_is_answered_too(real_kb: KnowledgeBase) -> None:
    """ "skillnaden mellan en pilotserie och fullskalig tillverkning": the second thing is described, not
    named, and both are answered."""
    msg = Message(
        "Vilken är skillnaden mellan en pilotserie och fullskalig tillverkning?", "ask_production_stages"
    )
    assert {p.entry_id for p in resolve(real_kb, msg).passages} == {"pilotserie", "serietillverkning"}
