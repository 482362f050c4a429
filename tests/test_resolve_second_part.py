"""Two-part questions on the shipped knowledge: a pronoun that ends the second question stands for the
first question's thing, and "Vad betyder det?" about a name said before gets what the name means."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.actions.resolve import Message, _pronoun_resolved, resolve
from bot.kb import KnowledgeBase, build
from bot.settings import ROOT


@pytest.fixture(scope="module")
def real_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    db: Path = tmp_path_factory.mktemp("parts") / "knowledge.db"
    build(ROOT / "knowledge", db)
    return KnowledgeBase(db)


# (message, "entry:key" of each passage the answer must hold, in any order)
CASES = [
    # Who owns the tool is in the contract advice; when to order "it" (the tool) in the tooling advice.
    (
        Message("Vem äger verktyget och när ska vi beställa det?", "ask_entry"),
        {"avtal-med-tillverkare:summary", "formverktyg:body.4"},
    ),
    (
        Message(
            "Gjutformen kostar 90 000. Vem äger verktyget sen och när är det dags att beställa det?",
            "ask_entry",
        ),
        {"formverktyg:body.4"},
    ),
    # The thing pointed at is the name said before ("svår att tillverka" is design for manufacturing):
    # what it means, then what to do about it; not the definition of the story's "prototyp".
    (
        Message(
            "Fabriken tycker att vår prototyp är svår att producera. Vad innebär det och vad gör vi åt det?",
            "ask_entry",
        ),
        {"design-for-manufacturing:body.1", "design-for-manufacturing:summary"},
    ),
]


@pytest.mark.parametrize(("msg", "held"), CASES, ids=[m.text[:60] for m, _ in CASES])
def test_both_parts_are_answered(real_kb: KnowledgeBase, msg: Message, held: set[str]) -> None:
    found = {f"{p.entry_id}:{p.key}" for p in resolve(real_kb, msg).passages}
    assert held <= found


def test_what_it_means_comes_first(real_kb: KnowledgeBase) -> None:
    msg = Message(
        "Verkstaden säger att detaljen är svår att producera. Vad betyder det och vad gör vi åt det?"
    )
    passages = resolve(real_kb, msg).passages
    assert [p.key for p in passages][:2] == ["body.1", "summary"]
    assert "DFM" in passages[0].text


@pytest.mark.parametrize(
    ("first", "second", "searched"),
    [
        ("Vem äger formen", " och när ska vi beställa den?", " och när ska vi beställa formen"),
        # Both clauses point back at the message's subject: nothing to resolve.
        ("Vilka år gällde det", " och när fick de det?", " och när fick de det?"),
        # No pronoun at the end.
        ("Vem äger formen", " och vad kostar en ny?", " och vad kostar en ny?"),
    ],
)
def test_an_ending_pronoun_stands_for_the_first_questions_thing(
    real_kb: KnowledgeBase, first: str, second: str, searched: str
) -> None:
    assert _pronoun_resolved(real_kb, first, second) == searched
