"""Direct follow-ups after a recommendation answered from the passage about the user's case, with the real
actions over the shipped knowledge base: the situations of persona round 16 (docs/evaluations/
2026-11-27-advisor-personas-round16.md, "Viktigaste felen", points 2 and 4), in our own words."""

from __future__ import annotations

import re
from typing import Any

import pytest
from rasa_sdk import Tracker
from test_followup import COSMETICS
from test_followup_limits import SPLITTER, reply

from bot.actions.handoff import ActionClarify
from bot.actions.limits import exception_not_asked, worded_rules
from bot.actions.proposal import proposed_path
from bot.kb import KnowledgeBase

# Custom dosing machines, 25 a year, own assembly; lead time is the problem (p04).
DOSING = {
    "situation": "cost_leadtime",
    "product_type": ["machinery", "mechanics"],
    "capability": "some",
    "current_location": "sweden",
    "volume": 25,
    "variants": "many",
    "markets": ["nordics", "eu"],
    "company": "sme",
    "capital": 1_000_000,
    "ip_sensitivity": "medium",
    "priorities": ["lead_time", "control"],
}
# Kitchen utensils moulded in China in the company's own moulds, moving home (p06).
UTENSILS = {
    "situation": "relocate",
    "current_location": "asia",
    "product_type": ["food_contact", "plastics"],
    "volume": 70_000,
    "markets": ["sweden"],
    "capital": 2_000_000,
    "ip_sensitivity": "low",
    "priorities": ["proximity"],
}
# A stackable chair shown at a design fair (p10).
CHAIR = {
    "situation": "new_product",
    "stage": "prototype",
    "product_type": ["furniture", "wood", "consumer"],
    "capability": "none",
    "volume": 200,
    "markets": ["eu"],
    "company": "sme",
    "capital": 300_000,
    "ip_sensitivity": "medium",
    "priorities": ["control", "sustainability"],
}
# A headlamp with a built-in lithium battery for the US market (p03).
HEADLAMP = {
    "situation": "new_product",
    "stage": "prototype",
    "product_type": ["battery", "lighting", "electronics", "consumer"],
    "capability": "none",
    "volume": 3000,
    "markets": ["outside_eu"],
    "company": "micro",
    "capital": 600_000,
    "priorities": ["cost"],
}
# The answer the consultation gave before the follow-up was "where to make it": its entry is under discussion.
WHERE_ENTRY = "tillverka-i-sverige-eller-utomlands"


def follow_up(text: str, intent: str, profile: dict[str, Any], current: str | None = None) -> Tracker:
    message = {"text": text, "intent": {"name": intent, "confidence": 0.3}, "entities": []}
    slots = {**profile, "advisor_summary": "Rekommendation: …", "current_entry": current}
    return Tracker("follow-up", slots, message, [], False, None, {}, "action_listen")


def assert_answers(
    domain: dict[str, Any], profile: dict[str, Any], question: str, must: list[str], must_not: list[str]
) -> None:
    """A typed question after the advice for `profile` is answered with text that matches every `must`
    pattern and no `must_not` pattern (regexes; a must_not is matched per line)."""
    text = reply(ActionClarify(), follow_up(question, "nlu_fallback", profile), domain)
    for pattern in must:
        assert re.search(pattern, text), (pattern, text)
    for pattern in must_not:
        assert not re.search(pattern, text, re.M), (pattern, text)


CASES = [
    # p02: notified body for a machine: the machinery rules, never the medical-device rules.
    (
        SPLITTER,
        "Behöver vi ett anmält organ för vedklyven?",
        None,
        ["anmält organ"],
        ["Medicinteknisk", "MDR"],
    ),
    # p03: the battery sits in the lamp: not the rule for batteries shipped alone. Since facts25 the UN number
    # of a battery in equipment (UN 3481, road and air alike) answers as well as the air rule PI 967.
    (
        HEADLAMP,
        "Finns det något speciellt med litiumbatteriet när vi skickar till Amazons lager?",
        None,
        ["UN 38.3"],
        ["bara flygas med fraktflyg"],
    ),
    # p03: US duties by country of manufacture: the Section 301 paragraph, told in the story.
    (
        HEADLAMP,
        "Vi har läst att USA har höjt tullarna rejält på kinesiska varor. Spelar det någon roll var i"
        " Asien vi tillverkar?",
        None,
        ["Section 301"],
        [],
    ),
    # p04: lead time of engineer-to-order machines: modules and configuring, not a school partnership.
    (
        DOSING,
        "Hur kortar vi ledtiden konkret? Det är ju det kunderna klagar på.",
        None,
        ["modul"],
        ["Teknikcollege"],
    ),
    # p06: own moulds moved home, while the entry on where to make it is under discussion.
    (
        UTENSILS,
        "Vi äger ju redan formverktygen i Kina. Kan vi inte bara ta hem dem?",
        WHERE_ENTRY,
        ["äger dem"],
        ["Ditt förslag vägt", "TCO Estimator"],
    ),
    # p09: already sold without notification and safety report: the rules apply to what is sold now.
    (
        COSMETICS,
        "Oj, jag har inte gjort någon säkerhetsrapport eller CPNP-anmälan för burkarna jag sålt hittills."
        " Är det ett problem?",
        None,
        ["CPNP", "säkerhetsrapport"],
        ["leverantör"],
    ),
    # p10: shown at a fair: the grace period for registering the design, not an NDA before sharing.
    (
        CHAIR,
        "Stolen har redan visats offentligt på designveckan. Kan jag fortfarande skydda designen mot kopior?",
        None,
        ["tolv månader", "PRV"],
        ["sekretessavtal (NDA) innan"],
    ),
]


@pytest.mark.parametrize(("profile", "question", "current", "must", "must_not"), CASES)
def test_a_direct_follow_up_gets_the_passage_about_the_users_case(
    kb: KnowledgeBase,
    domain: dict[str, Any],
    profile: dict[str, Any],
    question: str,
    current: str | None,
    must: list[str],
    must_not: list[str],
) -> None:
    text = reply(ActionClarify(), follow_up(question, "nlu_fallback", profile, current), domain)
    assert "Källa:" in text
    assert all(word in text for word in must), text
    assert not any(word in text for word in must_not), text


@pytest.mark.parametrize(
    ("text", "path"),
    [
        # Taking one's own moulds home is a move to Sweden, no proposal to make it in Asia.
        ("Vi äger ju redan verktygen i Kina. Kan vi inte bara ta hem dem?", None),
        ("Kan vi inte flytta hem formarna från Kina?", None),
        ("Borde vi inte ta det i Kina vid 10 000 st?", "asia_contract"),
    ],
)
def test_a_move_home_proposes_no_place_away(text: str, path: str | None) -> None:
    assert proposed_path(text) == path


@pytest.mark.parametrize(
    ("question", "own", "named"),
    [
        # Words the machinery rules hold too name no medical-device rule for a machine.
        ("Behöver vi ett anmält organ för vedklyven?", ["maskiner"], False),
        # Without own rules that hold them, the same words name it.
        ("Behöver vi ett anmält organ för vedklyven?", [], True),
    ],
)
def test_words_the_own_rules_hold_name_no_other_rule(
    kb: KnowledgeBase, question: str, own: list[str], named: bool
) -> None:
    assert ("medicinteknik-mdr" in worded_rules(kb, question, own)) is named


@pytest.mark.parametrize(
    ("question", "excepted"),
    [
        ("Vad gäller när vi skickar lamporna?", True),
        ("Hur skickar vi batterierna ensamma som reservdelar?", False),
    ],
)
def test_batteries_shipped_alone_answer_only_when_asked(
    kb: KnowledgeBase, question: str, excepted: bool
) -> None:
    alone = next(p for p in kb.get("batterier").passages if "(UN 3480) bara flygas" in p.text)
    both = next(p for p in kb.get("batterier").passages if "PI 967" in p.text)
    assert (exception_not_asked(alone, question) is not None) is excepted
    assert exception_not_asked(both, question) is None
