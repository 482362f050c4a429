"""Precision cases of the twelfth session's tuning (question set 13): the passage that answers what to
prepare before contacting a manufacturer, and the thing that came after the one a question dates."""

from __future__ import annotations

from bot.actions.resolve import Message, resolve
from bot.kb.store import KnowledgeBase


def _first(kb: KnowledgeBase, text: str) -> tuple[str, str]:
    found = resolve(kb, Message(text, "ask_entry"))
    assert found.passages, found
    return found.passages[0].entry_id, found.passages[0].text


def test_what_to_prepare_before_asking_for_a_quote_is_the_paragraph_on_the_drawings(
    shipped_kb: KnowledgeBase,
) -> None:
    # "hör av mig" is a way to say "contact": "hör" is no topic word ("risker hör till kostnaden" answered),
    # and "förberett" finds the paragraph that says "Förbered".
    entry, text = _first(
        shipped_kb, "Vad bör jag ha förberett när jag hör av mig till en verkstad om en offert?"
    )
    assert entry == "offerter-fran-tillverkare"
    assert "ritningar" in text and "volym" in text


def test_the_call_after_a_dated_one_is_the_later_call(shipped_kb: KnowledgeBase) -> None:
    entry, _ = _first(shipped_kb, "Vilken utlysning för regionerna kom efter den som stängde hösten 2016?")
    assert entry == "utlysning-februari-2017"
    # Without "after", the year names the call itself.
    entry, _ = _first(shipped_kb, "När stängde den regionala utlysningen 2016?")
    assert entry == "regional-utlysning-2016"


def test_a_decade_names_its_years(shipped_kb: KnowledgeBase) -> None:
    # "på 2010-talet" read as the year 2010 ruled out every entry of 2016 (set 13 d047: a menu).
    entry, _ = _first(
        shipped_kb,
        "Min företrädare skötte ett projekt på 2010-talet med pengar från Tillväxtverket för "
        "nyindustrialisering, upp till 400 000 kr. När skulle de projekten vara avslutade?",
    )
    assert entry == "regional-utlysning-2016"


def test_the_next_call_is_found_when_asked_when_it_opens(shipped_kb: KnowledgeBase) -> None:
    # The year said dates the first call; the later call is the one asked about, not the list of calls.
    found = resolve(
        shipped_kb,
        Message(
            "Regionutlysningen 2016 skulle följas av nästa, för större satsningar – när öppnade den?",
            "ask_dates",
        ),
    )
    assert found.passages[0].entry_id == "utlysning-februari-2017"
