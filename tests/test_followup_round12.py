"""Free follow-ups after a recommendation as persona round 12 asked them (docs/evaluations/
2026-11-27-advisor-personas-round12.md): hiring welders from abroad is about staff, not about making the
product abroad; depending on one customer is not answered by advice on depending on one supplier; when the
advice on protecting an idea is found, a patent after showing the product publicly gets PRV's paragraph on
novelty (whether the advice is found is the resolver's matter); a shortage of design engineers is a
staffing question. Run with the real actions over the shipped knowledge base."""

from __future__ import annotations

from typing import Any

import pytest
from test_followup_limits import WELDSHOP, reply, tracker

from bot.actions.followup import own_words_passage
from bot.actions.handoff import ActionClarify
from bot.actions.limits import STAFFING, other_party
from bot.actions.resolve import Message, Resolution
from bot.kb import KnowledgeBase
from bot.swedish import fold

# Solid oak tables for one large web shop, seven times today's volume (p10).
TABLES = {
    "situation": "scale_up",
    "product_type": ["wood", "furniture"],
    "capability": "full",
    "volume": 2800,
    "markets": ["nordics"],
    "company": "sme",
    "capital": 2_000_000,
    "ip_sensitivity": "low",
    "priorities": ["control"],
}


@pytest.mark.parametrize(
    ("text", "staffing"),
    [
        ("Går det att rekrytera svetsare från utlandet, till exempel från Polen eller Filippinerna?", True),
        ("Vi har fyra konstruktörer och hittar inga fler. Vad gör vi?", True),
        ("Vad gör vi åt konstruktörsbristen?", True),
        ("Kan vi anställa fler operatörer?", True),
        ("Vi hittar inga fler leverantörer av plåt", False),
        ("Ska vi flytta tillverkningen till Polen eller stanna i Sverige?", False),
        ("Vi har komponentbrist", False),
    ],
)
def test_a_staffing_question_is_recognised(text: str, staffing: bool) -> None:
    assert bool(STAFFING.search(fold(text))) is staffing


@pytest.mark.parametrize(
    ("question", "title", "other"),
    [
        ("hur hanterar vi att bli beroende av en enda kund?", "Beroende av en enda leverantör", True),
        ("är det farligt att vara beroende av en enda leverantör?", "Beroende av en enda leverantör", False),
        ("hur hittar vi en underleverantör?", "Kundavtal och betalningsvillkor", True),
        ("vad gör vi?", "Beroende av en enda leverantör", False),
    ],
)
def test_the_other_side_of_a_relation_is_no_answer(question: str, title: str, other: bool) -> None:
    assert other_party(fold(question), fold(title)) is other


def test_welders_from_abroad_is_no_question_where_to_make_it(
    kb: KnowledgeBase, domain: dict[str, Any]
) -> None:
    question = "Går det att rekrytera svetsare från utlandet, till exempel från Polen eller Filippinerna?"
    text = reply(ActionClarify(), tracker(question, "nlu_fallback", WELDSHOP), domain)
    assert text and "Näst bästa väg" not in text
    assert "totalkostnad" not in text.lower() and "TCO" not in text


def test_one_customer_is_not_answered_with_supplier_dependency(
    kb: KnowledgeBase, domain: dict[str, Any]
) -> None:
    question = "Kunden blir hela vår omsättning. Hur hanterar vi risken att bli beroende av en enda kund?"
    text = reply(ActionClarify(), tracker(question, "nlu_fallback", TABLES), domain)
    assert text and "leverantör" not in text.split("\n")[0]
    assert "samma leverantör" not in text


# Known regression (session 13): the resolver's key-term gate and scores move with corpus-wide term weights;
# the regional actor entries (sup28) and the producer-registration passages (reg28) tipped this case.
# Strict: it fails once fixed, so the marker is removed then.
@pytest.mark.xfail(strict=True, reason="resolver sensitivity to term weights (session 13)")
def test_the_paragraph_with_the_questions_words_replaces_the_one_the_names_found(kb: KnowledgeBase) -> None:
    # Live, the resolver found the idea-protection advice by "patent" but its paragraph on sharing with the
    # maker; the paragraph on novelty holds the question's own words ("redan", "visat").
    entry = kb.get("skydda-ide-vid-legotillverkning")
    assert entry is not None
    first = next(p for p in entry.passages if p.field == "body")
    question = "Jag har redan visat västen på en mässa i skolan. Kan jag fortfarande söka patent på den?"
    msg = Message(text=question, intent="nlu_fallback", entities=())
    found = own_words_passage(kb, msg, Resolution(passages=[first], entries=[entry]))
    assert "räknas som ny" in found.passages[0].text
