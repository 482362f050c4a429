"""Rules an independent production expert found unanswered in persona round 22 (issue #10 point 4): lithium
batteries by road and their safety adviser, cosmetics labels, soap and the product information file, CBAM,
MDR class I with a measuring function and rule 10, and who the manufacturer is when a factory builds the
product. The advice names the rule for the product; the first passages are in test_kb_regulation_facts.py."""

from __future__ import annotations

import re

import pytest
from test_advisor_rules24 import rules_text

from bot.actions.resolve import subordinate_when
from bot.kb import KnowledgeBase


@pytest.fixture
def kb(shipped_kb: KnowledgeBase) -> KnowledgeBase:
    return shipped_kb


def test_the_cbam_threshold_is_the_commissions_word(kb: KnowledgeBase) -> None:
    entry = kb.get("cbam")
    assert entry is not None
    threshold = next(p for p in entry.passages if "50 ton" in p.text)
    assert threshold.source.url and "ec.europa.eu" in threshold.source.url


@pytest.mark.parametrize(
    ("text", "subordinate"),
    [
        ("när vi skickar packen med lastbil till Norge – är det farligt gods?", True),
        ("När vi säljer i Tyskland, behöver vi registrera oss?", True),
        ("när börjar utlysningen?", False),
        ("När stänger ansökan, vet du det?", False),
    ],
)
def test_a_leading_when_clause_completed_by_a_question_asks_no_date(text: str, subordinate: bool) -> None:
    assert subordinate_when(text) is subordinate


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("vi bygger egna batteripack av köpta celler", "ADR"),
        ("vi bygger egna batteripack av köpta celler", "säkerhetsrådgivare"),
        ("en spirometer som mäter lungfunktionen", "regel 10"),
        ("en spirometer som mäter lungfunktionen", "mätfunktion"),
        ("en ansiktsolja med nyponolja", "ingrediensförteckning"),
        ("en ansiktsolja med nyponolja", "Produktinformationsdokumentet"),
    ],
)
def test_the_advice_names_the_rule_for_the_product(kb: KnowledgeBase, text: str, fact: str) -> None:
    assert re.search(rf"\b{fact}\b", rules_text(kb, text))


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("en TENS-apparat mot smärta", "Regel 10 för aktiva"),
        ("en hudkräm", "ADR"),
    ],
)
def test_the_rule_stays_with_its_own_product(kb: KnowledgeBase, text: str, fact: str) -> None:
    assert not re.search(rf"\b{fact}\b", rules_text(kb, text))
