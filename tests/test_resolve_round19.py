"""The resolver on the shipped knowledge, round 19: rambling questions about a public measure the user
heard of, and two-part questions whose first part asks what a thing was about.

Each case is a mechanism, phrased unlike any tuning question.
"""

from __future__ import annotations

import pytest
from test_resolve_precise import keys

from bot.actions.resolve import Message, field_words, holds, resolve
from bot.kb import KnowledgeBase

HEARD = (
    "Jag är snickare i grunden och har ritat en cykelhållare för balkonger som folk verkar gilla. Hittills "
    "har jag gjort alla själv i garaget men nu räcker inte tiden. Min granne berättade att regeringen för "
    "några år sen gav Tillväxtverket ett uppdrag så att företag med en ny produkt skulle hitta tillverkare i "
    "Sverige i stället för att lägga produktionen utomlands. "
)


@pytest.mark.parametrize(
    "question, intent, first, then",
    [
        # The question sentence names nothing ("det uppdraget"): what the user heard is the topic, and the
        # question decides which facts (what it was about, then the amount).
        (
            "Vad handlade det uppdraget om och hur mycket pengar fick de?",
            "ask_find_manufacturer",
            "industrialiseringsuppdraget-2018:summary",
            "industrialiseringsuppdraget-2018:amount",
        ),
        (
            "Vet du vad det var för uppdrag, och hur mycket pengar det rörde sig om?",
            "ask_offshore_vs_sweden",
            "industrialiseringsuppdraget-2018:summary",
            "industrialiseringsuppdraget-2018:amount",
        ),
    ],
)
def test_a_fact_of_a_reported_measure_is_not_advice(
    shipped_kb: KnowledgeBase, question: str, intent: str, first: str, then: str
) -> None:
    """The NLU reads a strategy from the story (finding a manufacturer, moving production home); the
    question asks facts of the assignment the user heard about."""
    found = keys(shipped_kb, Message(HEARD + question, intent, ("tillvaxtverket",)))
    assert found[:2] == [first, then]


def test_a_reported_measure_without_fact_words_keeps_the_advice(shipped_kb: KnowledgeBase) -> None:
    """A question that asks no fact ("Kan ni hjälpa mig vidare?") is not turned into one about the measure:
    the intent's advice still counts."""
    plain = keys(shipped_kb, Message(HEARD + "Kan ni hjälpa mig vidare med det?", "ask_find_manufacturer"))
    assert plain and not plain[0].startswith("industrialiseringsuppdraget-2018")


@pytest.mark.parametrize(
    "text, first, then",
    [
        # What it was about first, then the amount; and the other order.
        (
            "Vad gick tillverkningsuppdraget ut på, och hur mycket fick Tillväxtverket för det?",
            "industrialiseringsuppdraget-2018:summary",
            "industrialiseringsuppdraget-2018:amount",
        ),
        (
            "Hur mycket pengar fick tillverkningsuppdraget och vad handlade det om?",
            "industrialiseringsuppdraget-2018:amount",
            "industrialiseringsuppdraget-2018:summary",
        ),
    ],
)
def test_what_it_was_about_is_a_part_of_its_own(
    shipped_kb: KnowledgeBase, text: str, first: str, then: str
) -> None:
    found = keys(shipped_kb, Message(text, "ask_amount", ("industrialiseringsuppdraget-2018",)))
    assert found[:2] == [first, then]


def test_gist_is_no_field_of_a_single_question() -> None:
    """ "Vad gick det ut på?" alone asks for no field (the best passage answers); only as one part of two."""
    assert field_words("Vad gick tillverkningsuppdraget ut på?") is None


@pytest.mark.parametrize(
    "text",
    [
        "Vilken minister låg bakom Tillväxtverkets uppdrag 2018?",
        "Vilken minister var det som låg bakom uppdraget till Tillväxtverket 2018?",
    ],
)
def test_a_passage_that_states_the_person_is_not_contested_by_tied_summaries(
    shipped_kb: KnowledgeBase, text: str
) -> None:
    """Two assignments' summaries tie on "2018 … uppdrag"; neither names a person, so no menu: the
    paragraph that names the minister answers."""
    found = resolve(shipped_kb, Message(text, "ask_entry"))
    assert not found.candidates
    assert found.passages and holds(found.passages[0], "person")


@pytest.mark.parametrize(
    "text, entry, fields",
    [
        # "by when" and "by what date" ask for dates; "ministry" is "departement".
        (
            "Who was eligible for the 2016 regional call, and by when were the projects to be finished?",
            "regional-utlysning-2016",
            ["who_can_apply", "dates"],
        ),
        (
            "By what date was the final report of the manufacturing assignment due, and to which ministry?",
            "industrialiseringsuppdraget-2018",
            ["dates"],
        ),
    ],
)
def test_english_two_part_questions(
    shipped_kb: KnowledgeBase, text: str, entry: str, fields: list[str]
) -> None:
    found = resolve(shipped_kb, Message(text, "ask_entry"))
    assert {p.entry_id for p in found.passages} == {entry}
    # Each field asked is the passage's own or a fact it states (a paragraph with the projects' end date).
    assert all(any(p.field == f or holds(p, f) for p in found.passages) for f in fields)


def test_a_provider_named_after_fran_gives_way_to_what_it_provides(shipped_kb: KnowledgeBase) -> None:
    """ "en check … från Tillväxtverket" asks about the checks, not the agency; "vad kan man få?" asks how
    much."""
    text = (
        "Vi är en snickerifabrik i Dalarna med nio anställda och vi har fortfarande mest pappersrutiner i "
        "produktionen. En leverantör nämnde att det finns en check för digitalisering som små företag kan få "
        "från Tillväxtverket och regionerna. Är det sant, och vad kan man få?"
    )
    found = resolve(shipped_kb, Message(text, "ask_entry", ("tillvaxtverket",)))
    assert found.entry is not None and found.entry.id == "affarsutvecklingscheckar"
    assert "amount" in [p.field for p in found.passages]


def test_a_provider_is_no_owner_of_a_rule(shipped_kb: KnowledgeBase) -> None:
    """ "stöd från Vinnova" beside a word that finds a regulation ("maskinteknik" -> machinery): the rule is
    nothing Vinnova provides, so Vinnova's own support answers, not the Machinery Directive."""
    text = "Vad finns det för stöd från Vinnova till oss som studerar maskinteknik och har startat ett bolag?"
    found = resolve(shipped_kb, Message(text, "ask_support_for", ("vinnova",)))
    assert found.entry is not None and found.entry.id.startswith("vinnova")
