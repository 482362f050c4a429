"""Round 29: which paragraph of advice answers a strategy question, and pointers that answer nothing."""

from __future__ import annotations

from bot.actions.resolve import Message, resolve
from bot.kb import KnowledgeBase


def keys(kb: KnowledgeBase, msg: Message) -> list[str]:
    return [f"{p.entry_id}:{p.key}" for p in resolve(kb, msg).passages]


def test_preparing_a_quote_gets_the_paragraph_on_what_to_send(shipped_kb: KnowledgeBase) -> None:
    """The summary compares quotes; the question asks what to have ready before asking for one."""
    msg = Message(
        "Vad behöver vi ha klart innan vi ber en tillverkare om offert på vår produkt?",
        "ask_find_manufacturer",
    )
    found = resolve(shipped_kb, msg)
    assert "ritningar" in found.passages[0].text


def test_why_a_zero_series_gets_the_paragraph_on_it_not_the_list_of_stages(shipped_kb: KnowledgeBase) -> None:
    msg = Message(
        "Vad är vitsen med en nollserie innan man drar igång riktig produktion?",
        "ask_production_stages",
        ("nollserie",),
    )
    text = resolve(shipped_kb, msg).passages[0].text
    assert "tester" in text and "koncept och konceptbevis" not in text


def test_a_paragraph_that_points_elsewhere_is_not_picked_for_the_question(shipped_kb: KnowledgeBase) -> None:
    msg = Message(
        "Vi tar fram ett medicintekniskt hjälpmedel. Vilken certifiering ska kontraktstillverkaren ha?",
        "start_consultation",
        ("medicinteknik-mdr",),
    )
    found = resolve(shipped_kb, msg).passages
    assert found and "finns beskrivet under" not in found[0].text


def test_the_stages_of_production_are_not_credited_to_the_press_release(shipped_kb: KnowledgeBase) -> None:
    entry = shipped_kb.get("fran-prototyp-till-serie")
    assert entry is not None
    for passage in entry.passages[:2]:
        assert "regeringen.se" not in (entry.source_for(passage.key).url or "")
