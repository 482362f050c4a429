"""Whether and when a product must be CE-marked: the product's own rule answers, not the definition."""

from __future__ import annotations

import pytest

from bot.actions.resolve import Message, resolve
from bot.actions.verdicts import CE_ENTRY, asks_whether_ce, ce_passages
from bot.kb import KnowledgeBase
from bot.swedish import fold


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("Behöver jag CE-märka min lampa?", True),
        ("måste en maskin vara ce-märkt", True),
        ("Ska vår bluetooth-högtalare CE-märkas?", True),
        ("när krävs CE?", True),
        ("krävs ce-märkning för tryckkärl?", True),
        ("är CE obligatoriskt för leksaker?", True),
        ("Vad är CE-märkning?", False),
        ("vem ansvarar för CE-märkningen?", False),
        ("är det vi eller fabriken som ska CE-märka produkten?", False),
        ("vem ska CE-märka lampan som fabriken bygger?", False),
        ("Behöver jag CE-märka min lampa, och vem ansvarar för det?", True),
        ("Vad krävs för att CE-märka en maskin?", False),
    ],
)
def test_a_question_whether_ce_is_required_is_recognised(text: str, asks: bool) -> None:
    assert asks_whether_ce(text) is asks


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        # The advisor's reading of the product ("leksak" is a toy, "batteripacket" a battery pack).
        ("behöver jag CE-märka en leksak?", "leksaker"),
        ("behöver batteripacket ce-märkas", "batterier"),
        # Its words found by the search when the advisor's words don't name it.
        ("måste en maskin vara ce-märkt", "maskiner"),
        ("behöver mitt kosmetiska serum ce märkas", "kosmetika"),
    ],
)
def test_the_products_own_rule_says_whether(shipped_kb: KnowledgeBase, text: str, entry: str) -> None:
    """The first passage is the product's rule sentence that says it must (or must not) be CE-marked."""
    found = ce_passages(shipped_kb, text)
    assert found is not None
    assert found[0].entry_id == entry
    assert "ce-mark" in fold(found[0].text)
    assert found[-1].entry_id == CE_ENTRY


def test_when_ce_is_required_is_the_general_rule(shipped_kb: KnowledgeBase) -> None:
    found = ce_passages(shipped_kb, "när krävs CE?")
    assert found is not None and [p.entry_id for p in found] == [CE_ENTRY]
    assert "kravs" in fold(found[0].text)


def test_the_resolver_answers_whether_not_what(shipped_kb: KnowledgeBase) -> None:
    """Before, "behöver jag CE-märka en leksak?" got the definition of CE marking."""
    definition = shipped_kb.get(CE_ENTRY).passages[0]
    found = resolve(shipped_kb, Message("behöver jag CE-märka en leksak?", "ask_entry"))
    assert found.passages[0].entry_id == "leksaker"
    assert definition not in found.passages


def test_what_ce_marking_is_still_gets_the_definition(shipped_kb: KnowledgeBase) -> None:
    assert ce_passages(shipped_kb, "Vad är CE-märkning?") is None


def test_a_second_question_about_ce_gets_the_passage_that_holds_it(shipped_kb: KnowledgeBase) -> None:
    found = ce_passages(
        shipped_kb, "Måste min produkt CE-märkas, och vem ansvarar för det – jag eller tillverkaren?"
    )
    assert found is not None and len(found) == 2
    assert found[-1].entry_id == CE_ENTRY and "ansvarar" in found[-1].text
