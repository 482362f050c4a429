"""Weak evidence for a follow-up answer (bot/actions/limits.py; persona rounds 32/32b, ideas from branch
fup33): a hyphened qualifier the knowledge base does not know says which kind of a thing is asked about, and
advice whose title names another kind of product's rule is advice for that kind."""

from __future__ import annotations

from bot.actions.limits import other_products_rule, unknown_qualifier
from bot.kb import KnowledgeBase


def test_a_class_of_another_kind_is_no_answer_to_an_unknown_qualifier(shipped_kb: KnowledgeBase) -> None:
    risk_classes = next(
        p for e in shipped_kb.all() if e.kind == "regulation" for p in e.passages if "klass" in p.text.lower()
    )
    assert unknown_qualifier(shipped_kb, "Vilken XQZ-klass behöver lampan?", risk_classes) == "xqz"
    # A qualifier the passage names, or no qualifier, is no objection.
    assert unknown_qualifier(shipped_kb, "Vilken klass behöver lampan?", risk_classes) is None


def test_advice_for_another_kind_of_product_is_weak_unless_allowed(shipped_kb: KnowledgeBase) -> None:
    entry = shipped_kb.get("legotillverkning-av-medicinteknik")
    assert entry is not None
    passage = entry.passages[0]
    assert other_products_rule(shipped_kb, passage, entry, allowed=set())
    named = {e.id for e in shipped_kb.all() if e.kind == "regulation"}
    assert not other_products_rule(shipped_kb, passage, entry, allowed=named)


def test_advice_whose_aliases_only_name_a_general_rule_stays(shipped_kb: KnowledgeBase) -> None:
    entry = shipped_kb.get("nearshoring-polen-baltikum")
    assert entry is not None
    assert not other_products_rule(shipped_kb, entry.passages[0], entry, allowed=set())
