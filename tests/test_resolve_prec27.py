"""Issue #11, branch prec27: who is behind a thing, an unknown loan spelled with a known actor, and a
below-threshold guess that the message's words do not ask."""

from __future__ import annotations

import pytest

from bot.actions.resolve import Message, asked_field, question_part, resolve, story_asks
from bot.kb import KnowledgeBase


def keys(kb: KnowledgeBase, msg: Message) -> list[str]:
    return [f"{p.entry_id}:{p.key}" for p in resolve(kb, msg).passages]


@pytest.mark.parametrize("verb", ["ligger", "låg", "står"])
def test_who_lies_behind_gets_who_runs_it_first(shipped_kb: KnowledgeBase, verb: str) -> None:
    """ "Vilka ligger bakom X?" asks who runs it, like "vilka står bakom": the passage that says so comes
    first, not the purpose the NLU guessed."""
    found = keys(shipped_kb, Message(f"Vilka {verb} bakom Robotlyftet egentligen?", "ask_purpose"))
    assert found[0] == "robotlyftet:summary"


@pytest.mark.parametrize(
    "text, name",
    [
        ("Vad ligger räntan på för Almis Produktionsbryggan-lån?", "Produktionsbryggan"),
        ("Hur länge löper Almis Exportbryggan-lån?", "Exportbryggan"),
    ],
)
def test_an_unknown_loan_is_not_made_known_by_the_actor_and_its_kind(
    shipped_kb: KnowledgeBase, text: str, name: str
) -> None:
    """The actor's name and the name's own "-lån" spell the alias "almi-lån", but the loan asked about is the
    unknown one: it is said to be unknown, with the actor to ask."""
    found = resolve(shipped_kb, Message(text, "ask_entry"))
    assert found.unknown_name == name
    assert found.entry is not None and found.entry.id == "almi"


def test_a_known_loan_named_with_its_actor_is_still_known(shipped_kb: KnowledgeBase) -> None:
    found = resolve(shipped_kb, Message("Vad kostar Almis innovationslån?", "ask_amount"))
    assert found.unknown_name is None
    assert found.passages[0].entry_id == "almi-innovationslan"


@pytest.mark.parametrize(
    "text, guess, stands",
    [
        # "hos" made the NLU guess a contact question; the words ask for no field.
        ("Provmiljöer hos forskningsinstitutet?", "ask_contact", False),
        ("Vem kan jag kontakta hos forskningsinstitutet?", "ask_contact", True),
        ("Hur mycket kan man få?", "ask_amount", True),
        ("Provmiljöer hos forskningsinstitutet?", "ask_entry", True),
    ],
)
def test_a_guess_below_threshold_stands_only_for_the_field_asked(text: str, guess: str, stands: bool) -> None:
    assert story_asks(text, guess) is stands


def test_a_final_report_in_users_words_finds_slutredovisning(shipped_kb: KnowledgeBase) -> None:
    """Users say "slutrapporten" of what an assignment's dates call "slutredovisning"
    (knowledge/concepts.yml): the date of the assignment the question names answers, not another call's
    "slutrapporteras", with or without å, ä, ö."""
    for text in (
        "När skulle slutrapporten om kompetensförsörjning lämnas in till regeringen?",
        "nar skulle slutrapporten om kompetensforsorjning lamnas in",
    ):
        found = resolve(shipped_kb, Message(text, "ask_dates", ("kompetensforsorjning",)))
        assert found.passages[0].entry_id == "kompetensuppdraget-2018"
        assert "2020" in found.passages[0].text


@pytest.mark.parametrize(
    "text, field",
    [
        ("När i utvecklingsarbetet bör vi ta in verktygsmakaren?", None),
        ("nar i processen ska man prata med fabriken", None),
        ("När i september stängde utlysningen?", "dates"),
        ("När kom strategin?", "dates"),
    ],
)
def test_when_in_ones_own_work_asks_no_date(text: str, field: str | None) -> None:
    """ "När i utvecklingen …?" asks at which stage of a process, not for a calendar date."""
    assert asked_field(text) == field


def test_the_stage_to_bring_in_the_toolmaker_is_advice_not_a_calls_date(shipped_kb: KnowledgeBase) -> None:
    found = keys(shipped_kb, Message("När i utvecklingsarbetet bör vi ta in verktygsmakaren?", "ask_dates"))
    assert found[0] == "design-for-manufacturing:summary"


@pytest.mark.parametrize(
    "text",
    [
        "Vilka faser måste vi ta oss igenom för att gå från prototyp till serie?",
        "Vilka steg brukar man ta från prototyp till serieproduktion?",
    ],
)
def test_which_steps_gets_the_advice_that_lists_them(shipped_kb: KnowledgeBase, text: str) -> None:
    """ "Vilka steg …" asks for the whole way, which the advice's summary lists, not one step's paragraph."""
    found = keys(shipped_kb, Message(text, "ask_production_stages"))
    assert found[0] == "fran-prototyp-till-serie:summary"


# A long story whose reported measure is said with "om" and "statliga", and whose question names nothing.
HEARD_OF_SUPPORT = (
    "Jag driver en liten svetsverkstad i Dalarna med ett trettiotal anställda och vi har länge haft svårt "
    "att rekrytera, och ingen har riktigt koll på vad våra egna svetsare kan. Min kompanjon hörde på en "
    "mässa om det där statliga stödet för att kartlägga och validera de anställdas kompetens. "
    "Vem stod bakom det och vem var det till för?"
)


def test_what_was_heard_of_with_om_is_what_the_question_asks_about(shipped_kb: KnowledgeBase) -> None:
    """ "hörde … om det där statliga stödet för …" reports a public measure like "hörde att regeringen …":
    the question that names nothing ("Vem stod bakom det …?") asks about it, not about a school's owner."""
    assert "statliga stödet" in question_part(HEARD_OF_SUPPORT, reported=True)
    found = resolve(shipped_kb, Message(HEARD_OF_SUPPORT, "ask_competence_supply"))
    text = " ".join(p.text for p in found.passages)
    assert "Tillväxtverket" in text and "små och medelstora" in text
