"""Free follow-ups after a recommendation as persona rounds 15 and 15b asked them
(docs/evaluations/2026-11-27-advisor-personas-round15*.md): a direct question gets the passage that
answers it, not the whole list of rules again; a rules question the knowledge base cannot answer names the
authority that supervises the rule, never a financier; a product sold already gets that the rules apply now;
"kan vi inte montera själva?" is weighed as own production. Run with the real actions over the shipped
knowledge base."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from test_followup import COSMETICS, STUDENT
from test_followup_limits import reply, said, tracker
from test_followup_round14 import PACKS

from bot.actions.followup import CONDITIONAL_WHEN
from bot.actions.handoff import ActionClarify, ActionOutOfScope
from bot.actions.limits import authority_for
from bot.actions.proposal import proposed_path
from bot.kb import KnowledgeBase

RULES_BLOCK = "Regler som gäller produkten:"


@pytest.mark.parametrize(
    ("text", "read"),
    [
        # A condition, not a question about a date.
        ("När vi sätter nya celler i ett gammalt pack – räknas vi som tillverkare?", "Om vi sätter"),
        ("när kunden skickar tillbaka packet, vem ansvarar?", "Om kunden"),
        # A question about a date keeps its "när".
        ("När ska vi ansöka?", "När ska"),
        ("När måste anmälan vara klar?", "När måste"),
    ],
)
def test_a_leading_when_that_opens_a_condition(text: str, read: str) -> None:
    assert CONDITIONAL_WHEN.sub(r"\1Om", text).startswith(read)


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("Kan vi inte montera själva? Vi har lokal och folk.", "in_house"),
        ("Borde vi inte tillverka armaturerna själva i Borås?", "in_house"),
        # No proposal: a question about someone else assembling.
        ("Kan legotillverkaren montera kablarna?", None),
    ],
)
def test_own_assembly_is_a_proposal_of_own_production(text: str, path: str | None) -> None:
    assert proposed_path(text) == path


@pytest.mark.parametrize(
    ("rules", "authority"),
    [
        (["kosmetika"], "lakemedelsverket"),
        (["medicinteknik-mdr"], "lakemedelsverket"),
        (["elektrisk-utrustning-lvd-emc"], "elsakerhetsverket"),
        # The first rule with an authority decides; a rule without one names none.
        (["batterier", "kosmetika"], "lakemedelsverket"),
        (["batterier"], None),
        ([], None),
    ],
)
def test_the_authority_of_a_rule(kb: KnowledgeBase, rules: list[str], authority: str | None) -> None:
    found = authority_for(kb, rules)
    assert (found.id if found else None) == authority


def test_a_rules_question_without_an_answer_names_the_authority(
    kb: KnowledgeBase, domain: dict[str, Any]
) -> None:
    # Claims on the jar are answered since facts25 added the claims rules (655/2013); plastic glitter is not.
    question = "Får jag ha glitter av plast i krämen?"
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionClarify().run(dispatcher, tracker(question, "nlu_fallback", COSMETICS), domain))
    text = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert said(domain, "utter_followup_no_answer") in text
    assert "Läkemedelsverket" in text and "lakemedelsverket.se" in text
    assert "Almi" not in text and "innovationslån" not in text
    # The full rules are one button away, not sent again.
    assert RULES_BLOCK not in text
    payloads = [b["payload"] for m in dispatcher.messages for b in m.get("buttons") or []]
    assert any('"regulations"' in p for p in payloads), payloads


def test_a_claim_on_the_jar_gets_the_claims_rules(kb: KnowledgeBase, domain: dict[str, Any]) -> None:
    question = "Får jag skriva att krämen är ekologisk på burken?"
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionClarify().run(dispatcher, tracker(question, "nlu_fallback", COSMETICS), domain))
    assert "655/2013" in "\n".join(m.get("text") or "" for m in dispatcher.messages)


def test_a_rules_question_in_general_still_gets_the_rules(kb: KnowledgeBase, domain: dict[str, Any]) -> None:
    question = "Vilka regler gäller för produkten?"
    text = reply(ActionClarify(), tracker(question, "nlu_fallback", PACKS), domain)
    assert text.startswith(RULES_BLOCK), text


@pytest.mark.parametrize(
    ("summary", "must"),
    [
        # After a recommendation the question is read against it: PRV's fees with their source.
        ("Rekommendation: …", ["3 000 kronor", "prv.se"]),
        # Without one it is out of scope as before.
        (None, []),
    ],
)
def test_an_out_of_scope_question_after_a_recommendation(
    kb: KnowledgeBase, domain: dict[str, Any], summary: str | None, must: list[str]
) -> None:
    dispatcher = CollectingDispatcher()
    t = tracker("vad kostar ett patent ungefär?", "out_of_scope", STUDENT, summary=summary)
    asyncio.run(ActionOutOfScope().run(dispatcher, t, domain))
    text = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    if must:
        assert all(word in text for word in must), text
    else:
        assert [m.get("response") for m in dispatcher.messages] == ["utter_out_of_scope"], dispatcher.messages
