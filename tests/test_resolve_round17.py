"""The resolver on the shipped knowledge, round 17: which words of a message say what it asks about.

Each case is a mechanism, phrased unlike any tuning question: a clause that tells the situation, what the
speaker says they run, an unknown programme named after "heter" or in the genitive, and two-part questions
(what a thing is and a yes/no question; a second part held by a paragraph, not by a long title; the order
of the fields asked).
"""

from __future__ import annotations

import pytest
from test_resolve_precise import keys

from bot.actions.resolve import Message, field_words, resolve, subordinate_clause, unknown_name
from bot.kb import KnowledgeBase
from bot.swedish import content_stems


@pytest.mark.parametrize(
    "text, clause",
    [
        # The head asks (the contract), the clause tells when.
        ("Vad bör stå i kontraktet när vi anlitar en legotillverkare?", "när vi anlitar en legotillverkare"),
        # A head without words of its own: the clause is the question.
        ("Vad gäller när man säljer leksaker i EU?", None),
        # A head that asks what is special about a thing: the clause says what about it is asked.
        ("Finns det något särskilt med kondensatorerna när vi skickar med flyg?", None),
        ("Vilka krav gäller för märkningen när vi säljer kaffebryggaren i Norge?", None),
        # What comes before what is the question itself.
        ("Ska vi bygga klart verktygen innan vi pratar med en fabrik?", None),
        # A regulation named in the clause is what the head's rule applies to.
        ("Ska svetsarna vara certifierade om vi bygger tryckkärl enligt PED?", None),
        # A clause that starts the message is no situation told after a head.
        ("När vi lägger ut tillverkningen, vad ska avtalet reglera?", None),
    ],
)
def test_subordinate_clause(shipped_kb: KnowledgeBase, text: str, clause: str | None) -> None:
    assert subordinate_clause(shipped_kb, text) == clause


def test_a_name_in_the_clause_does_not_outweigh_the_head(shipped_kb: KnowledgeBase) -> None:
    """The alias "lägga ut tillverkningen" (make or buy) is said in the clause; the head asks about the
    contract."""
    msg = Message("Vad ska stå i kontraktet om vi lägger ut tillverkningen?", "nlu_fallback")
    assert resolve(shipped_kb, msg).entries[0].id == "avtal-med-tillverkare"


def test_what_the_speaker_runs_is_not_the_topic(shipped_kb: KnowledgeBase) -> None:
    msg = Message(
        "Jag driver en science park. Hur gick man till väga för att söka utlysningen om "
        "industrialiseringshubbar?",
        "ask_how_to_apply",
        ("industrialiseringshubbar-2019",),
    )
    assert resolve(shipped_kb, msg).entries[0].id == "industrialiseringshubbar-2019"


@pytest.mark.parametrize(
    "text, name",
    [
        ("Det finns visst ett lån som heter Grönt Företagarlån, vad är räntan?", "Grönt Företagarlån"),
        (
            "Vinnova har en satsning som kallas Snabbspår Tillverkning med 2 miljoner, när stänger den?",
            "Snabbspår Tillverkning",
        ),
        ("Mälardalsfondens lån för maskiner, hur mycket kan man låna?", "Mälardalsfonden"),
        # Known names stay known.
        ("Det finns en satsning som heter Smart industri, vad är det?", None),
    ],
)
def test_unknown_programme_named(shipped_kb: KnowledgeBase, text: str, name: str | None) -> None:
    assert unknown_name(shipped_kb, text) == name


def test_an_unknown_programme_is_not_answered_with_another(shipped_kb: KnowledgeBase) -> None:
    msg = Message("Jag hörde om ett program som heter Fabrik i Norr, när stänger ansökan?", "ask_dates")
    found = resolve(shipped_kb, msg)
    assert found.unknown_name == "Fabrik i Norr"
    assert not found.passages


def test_what_it_is_and_a_yes_no_question(shipped_kb: KnowledgeBase) -> None:
    msg = Message("Vad är Robotlyftet och får man köpa robotar för checken?", "ask_entry", ("robotlyftet",))
    assert keys(shipped_kb, msg)[0] == "robotlyftet:summary"
    assert len(keys(shipped_kb, msg)) == 2


def test_second_part_from_a_paragraph_not_the_title(shipped_kb: KnowledgeBase) -> None:
    """CE marking's title says "vem som ansvarar", which answers nothing: the paragraph that says who is
    responsible answers the second part."""
    msg = Message("Vad betyder CE-märkningen och vem har ansvaret för den?", "ask_entry", ("ce-markning",))
    found = keys(shipped_kb, msg)
    assert found[0] == "ce-markning:summary"
    assert "ce-markning:body.3" in found


def test_two_fields_in_the_order_asked(shipped_kb: KnowledgeBase) -> None:
    msg = Message(
        "Vem kunde söka Robotlyftet och vad var checkbeloppet?", "ask_eligibility", ("robotlyftet",)
    )
    assert keys(shipped_kb, msg) == ["robotlyftet:who_can_apply", "robotlyftet:amount"]


@pytest.mark.parametrize(
    "text, field",
    [
        ("och vad var maxbeloppet?", "amount"),
        ("hur stort är stödbeloppet", "amount"),
        ("vad var syftet", None),
        # "vad kan man få?" of something to apply for asks how much (round 19); help is no amount.
        ("Vad kan man få i affärsutvecklingscheck?", "amount"),
        ("Vad kunde företaget få från Robotlyftet?", "amount"),
        ("Vad kan man få hjälp med hos IUC?", None),
    ],
)
def test_field_words(text: str, field: str | None) -> None:
    assert field_words(text) == field


def test_question_frames_are_no_content() -> None:
    """ "viktigt" stems to "vikt" (weight), "tanken" met a paragraph where a minister explained his idea."""
    assert content_stems("vad är viktigt och vad var tanken") == []
