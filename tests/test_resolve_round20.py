"""The resolver on the shipped knowledge, round 20: terms compared by name, what a thing is before why it
matters, and a name the user heard of.

Each case is a mechanism, phrased unlike any tuning question.
"""

from __future__ import annotations

import pytest
from test_resolve_precise import keys

from bot.actions.resolve import Message, resolve
from bot.kb import KnowledgeBase


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Vad skiljer en nollserie från en prototyp respektive serietillverkning?",
            ["nollserie:summary", "prototyp:summary", "serietillverkning:summary"],
        ),
        ("skillnad på MRL och TRL?", ["mrl:summary", "trl:summary"]),
    ],
)
def test_compared_terms_get_a_definition_each(
    shipped_kb: KnowledgeBase, text: str, expected: list[str]
) -> None:
    """A comparison of named terms defines each of them, in the message's order, instead of the one
    paragraph that mentions most of them."""
    assert keys(shipped_kb, Message(text, "ask_entry")) == expected


def test_a_comparison_with_a_second_question_is_not_only_definitions(shipped_kb: KnowledgeBase) -> None:
    """A second question after the comparison ("… och vad kostar …?") is not dropped for the definitions."""
    found = keys(
        shipped_kb,
        Message("Skillnaden mellan prototyp och nollserie, och vad kostar en nollserie?", "ask_entry"),
    )
    assert found != ["prototyp:summary", "nollserie:summary"]


@pytest.mark.parametrize(
    "text, intent, first",
    [
        # Advice whose summary is what to do: the paragraph that says what the term means comes first.
        (
            "dfm - vad är det och varför är det viktigt tidigt i konstruktionen?",
            "ask_entry",
            "design-for-manufacturing:body.1",
        ),
        # A name the user heard of is asked about as a whole before the yes/no question about it.
        (
            "Jag läste om något som kallades Robotlyftet? Gick det att köpa robotar för pengarna?",
            "ask_support_for",
            "robotlyftet:summary",
        ),
    ],
)
def test_what_a_thing_is_comes_first(shipped_kb: KnowledgeBase, text: str, intent: str, first: str) -> None:
    found = keys(shipped_kb, Message(text, intent, ()))
    assert found[0] == first and len(found) <= 2


def test_a_when_clause_after_a_date_noun_says_which_date(shipped_kb: KnowledgeBase) -> None:
    """ "nåt datum när de skulle vara färdiga" asks for that date: the clause is no situation to weigh
    less, and the call that states an end and report date answers, not a later call without one."""
    found = resolve(
        shipped_kb,
        Message(
            "Fanns det nåt datum när regionernas smart industri-projekt från hösten 2016 skulle vara färdiga "
            "och rapporterade?",
            "ask_dates",
            ("smart-industri",),
        ),
    )
    assert [p.entry_id for p in found.passages] == ["regional-utlysning-2016"]
    assert "30 mars 2017" in found.passages[0].text


@pytest.mark.parametrize(
    "text, intent, first",
    [
        # Advice on finding a manufacturer shares the story's words; the assignment says who decided it.
        (
            "Vem tog initiativet till att Tillväxtverket 2018 skulle hjälpa uppfinnare att få sina produkter "
            "tillverkade här?",
            "ask_find_manufacturer",
            "industrialiseringsuppdraget-2018:dates",
        ),
        # "förlängde och utökade regeringen …": the verb before the government states it too.
        (
            "Kompetensförsörjningsuppdraget, vem beslutade om det?",
            "ask_entry",
            "kompetensuppdraget-2018:summary",
        ),
    ],
)
def test_who_decided_is_answered_by_the_passage_naming_the_government(
    shipped_kb: KnowledgeBase, text: str, intent: str, first: str
) -> None:
    entities = ("tillvaxtverket",) if "Tillväxtverket" in text else ()
    found = resolve(shipped_kb, Message(text, intent, entities))
    assert f"{found.passages[0].entry_id}:{found.passages[0].key}" == first
    assert "regeringen" in found.passages[0].text.lower()


@pytest.mark.parametrize(
    "story",
    [
        "Vi gör hydraulcylindrar och har 30 anställda, och vi funderar på hur vi ska behålla kunnandet när "
        "folk slutar. Jag hörde att Tillväxtverket stöttade validering av kompetens i industriföretag för "
        "några år sedan. Vad handlade det om?",
        "Vi är ett snickeri i Dalarna med femton anställda och tre av de mest erfarna går snart i pension. "
        "Ingen vet riktigt vad de kan som inte står nedskrivet någonstans. Någon på banken sa att "
        "Tillväxtverket hade nåt för att kartlägga kompetensen hos personalen och validera den i industrin. "
        "Vad gick det ut på egentligen?",
    ],
)
def test_a_reported_measure_is_not_the_definition_of_its_words(shipped_kb: KnowledgeBase, story: str) -> None:
    """What the user heard a public body did ("validering av kompetens") names terms the glossary defines;
    the question asks about the measure, which the search also finds."""
    found = resolve(shipped_kb, Message(story, "ask_competence_supply", ("tillvaxtverket",)))
    assert found.passages
    assert {shipped_kb.get(p.entry_id).kind for p in found.passages} <= {"support", "programme", "call"}


@pytest.mark.parametrize(
    "text, entities, expected",
    [
        (
            "Min revisor tyckte att vi skulle kolla med RISE om en nollserie. Vad är det?",
            ("rise", "nollserie"),
            ["rise:summary", "nollserie:summary"],
        ),
        (
            "Någon nämnde Robotlyftet på en mässa. Vad var det för nåt?",
            ("robotlyftet",),
            ["robotlyftet:summary"],
        ),
    ],
)
def test_what_it_is_after_a_sentence_naming_things(
    shipped_kb: KnowledgeBase, text: str, entities: tuple[str, ...], expected: list[str]
) -> None:
    """A last sentence that only asks what "det" is points at what the sentence before names: each of them,
    in the message's order, rather than advice on talking to someone that the story's words find."""
    assert keys(shipped_kb, Message(text, "ask_entry", entities)) == expected


def test_a_named_thing_the_message_does_not_say_is_not_pointed_at(shipped_kb: KnowledgeBase) -> None:
    """An entity the NLU found but the sentences before don't name is not what "det" is."""
    message = Message("Vi funderar på att ta in hjälp utifrån. Vad är det?", "ask_entry", ("rise",))
    found = keys(shipped_kb, message)
    assert "rise:summary" not in found


def test_a_reported_measure_with_advice_in_the_story_answers_the_amount(shipped_kb: KnowledgeBase) -> None:
    """The story names advice (finding a Swedish manufacturer) and words a regulation knows (wood); the
    question asks the amount of the measure the user heard of."""
    story = (
        "Vi svarvar ljusstakar i trä hemma och en inredningskedja vill köpa tusentals. Vi har offerter "
        "från Kina men vill helst tillverka i Sverige. Jag hörde att regeringen för några år sen bestämde "
        "att staten skulle hjälpa företag att hitta svenska tillverkare och att det var mycket pengar. "
        "Stämmer det, och hur mycket var det och vem fick pengarna?"
    )
    found = keys(shipped_kb, Message(story, "nlu_fallback"))
    assert found[:2] == [
        "industrialiseringsuppdraget-2018:amount",
        "industrialiseringsuppdraget-2018:who_can_apply",
    ]
