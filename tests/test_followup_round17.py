"""Follow-ups after a recommendation answered on target, with the real actions over the shipped knowledge
base: the situations of persona round 17 (docs/evaluations/2026-11-27-advisor-personas-round17.md, "De
viktigaste felen", points 3 and 5), in our own words."""

from __future__ import annotations

from typing import Any

import pytest
from test_followup_limits import reply
from test_followup_round16 import follow_up

from bot.actions.handoff import ActionClarify
from bot.actions.limits import asked_thing, holds_thing, other_origin
from bot.actions.newfacts import covering_passage
from bot.actions.proposal import proposed_path, weighs
from bot.advisor import recommend
from bot.kb import KnowledgeBase

# Customer-specific conveyors, 60 a year, own design and assembly, sheet metal bought in (p04).
CONVEYORS = {
    "situation": "cost_leadtime",
    "product_type": ["machinery", "mechanics"],
    "capability": "some",
    "current_location": "sweden",
    "volume": 60,
    "variants": "many",
    "markets": ["nordics", "eu"],
    "company": "sme",
    "capital": 7_000_000,
    "ip_sensitivity": "low",
    "priorities": ["lead_time", "flexibility"],
}
# The same with all its making in house: the advice is to build on the own production (as in round 17).
OWN_CONVEYORS = {**CONVEYORS, "capability": "full"}
# Sea-buckthorn face cream made in the kitchen, to be scaled up for a chain (p09).
CREAM = {
    "situation": "scale_up",
    "product_type": ["cosmetics"],
    "capability": "manual",
    "current_location": "sweden",
    "volume": 10_000,
    "markets": ["sweden"],
    "company": "startup",
    "capital": 150_000,
    "ip_sensitivity": "medium",
    "priorities": ["control", "sustainability"],
}
# Wooden toys for small children made in Sweden and sold in the USA (p03).
TOYS = {
    "situation": "relocate",
    "product_type": ["toys", "wood", "consumer"],
    "capability": "none",
    "current_location": "sweden",
    "volume": 4000,
    "markets": ["outside_eu"],
    "company": "startup",
    "capital": 300_000,
    "ip_sensitivity": "medium",
    "priorities": ["control", "sustainability"],
}
# An upholstered oak lounge chair for hotels, made by a workshop for the designers (p10).
ARMCHAIR = {
    "situation": "scale_up",
    "product_type": ["furniture", "wood"],
    "capability": "none",
    "current_location": "sweden",
    "volume": 800,
    "markets": ["nordics", "eu"],
    "company": "startup",
    "capital": 1_000_000,
    "ip_sensitivity": "high",
    "priorities": ["control", "sustainability"],
}
# A moisture meter with its own circuit board (p01), before the radio is told.
METER = {
    "situation": "new_product",
    "stage": "prototype",
    "product_type": ["electronics"],
    "capability": "none",
    "volume": 500,
    "markets": ["nordics"],
    "company": "startup",
    "capital": 800_000,
    "ip_sensitivity": "medium",
    "priorities": ["control", "lead_time"],
}
PROPOSAL = "Ditt förslag vägt mot dina svar"
NO_ANSWER = "inget säkert svar"

CASES = [
    # p04: an own fibre laser and press brake is weighed against the answers, not the moving of moulds.
    (
        CONVEYORS,
        "Ska vi köpa en egen fiberlaser och en kantpress för ungefär 7 miljoner?",
        [PROPOSAL, "kapital"],
        ["formverktyg", "verktygen", "stängkraft"],
    ),
    # The same investment when the advice is to build on the own production: weighed, with what it demands.
    (
        OWN_CONVEYORS,
        "Ska vi köpa en egen fiberlaser och en kantpress för ungefär 7 miljoner?",
        [PROPOSAL, "binder kapital"],
        ["formverktyg", "verktygen", "stängkraft"],
    ),
    (
        CONVEYORS,
        "Är det rätt att lägga 7 mille på egen laser och kantpress, eller ska vi jobba vidare med"
        " leverantörerna?",
        [PROPOSAL],
        ["formverktyg", "verktygen", "stängkraft"],
    ),
    # p09: renting premises to make the cream oneself is weighed, not automation or Robotlyftet; with both
    # ways named, the two are set against each other (branch dec26, persona round 24).
    (
        CREAM,
        "Ska jag hyra en egen lokal och tillverka enligt GMP själv, eller ta en legotillverkare?",
        ["Ingen av de två är det dina svar talar mest för", "egen produktion", "legotillverkare"],
        ["Robotlyftet", "Automation lönar sig"],
    ),
    # p03: US duty on goods made in Sweden: never the extra duty on Chinese goods.
    (
        TOYS,
        "Hur blir det med den amerikanska tullen för oss som tillverkar i Sverige?",
        [],
        ["Section 301", "varor från Kina"],
    ),
    (
        TOYS,
        "Vad blir det för tull när våra leksaker är gjorda i Sverige och säljs i USA?",
        [],
        ["Section 301", "varor från Kina"],
    ),
    # p10: the furniture test standards (mobler-provning-standarder, branch rules20) answer with the seating
    # paragraph, not the tables' standards; before that entry the honest answer was that there was none.
    (
        ARMCHAIR,
        "Vilka krav på hållfasthet och brandsäkerhet gäller för fåtöljer i offentliga miljöer som hotell?",
        ["EN 16139", "EN 1021"],
        ["Förbered dig innan du kontaktar", "EN 15372", NO_ANSWER],
    ),
]


@pytest.mark.parametrize(("profile", "question", "must", "must_not"), CASES)
def test_a_follow_up_is_answered_on_target(
    domain: dict[str, Any], profile: dict[str, Any], question: str, must: list[str], must_not: list[str]
) -> None:
    text = reply(ActionClarify(), follow_up(question, "nlu_fallback", profile), domain)
    assert text
    assert all(word in text for word in must), text
    assert not any(word in text for word in must_not), text


def test_radio_added_says_red_covers_safety_and_emc(domain: dict[str, Any]) -> None:
    question = (
        "Den skickar data med Bluetooth till mobilen och har ett laddbart batteri. Påverkar det reglerna?"
    )
    text = reply(ActionClarify(), follow_up(question, "nlu_fallback", METER), domain)
    assert "Radioutrustning" in text, text
    assert "faller bort" not in text, text
    assert "gäller fortfarande" in text and "EMC" in text and "eur-lex" in text, text


@pytest.mark.parametrize(
    ("text", "path", "weighed"),
    [
        ("Ska vi köpa en egen fiberlaser och en kantpress för 7 miljoner?", "in_house", True),
        ("Kan jag inte göra krämerna själv i en egen hyrd lokal?", "in_house", True),
        # Building on one's own production without an investment put forward is the advice itself.
        ("Kan vi inte montera dem själva?", "in_house", False),
        ("Ska vi ta fram en egen produkt?", None, False),
    ],
)
def test_an_investment_in_the_recommended_path_is_weighed(
    kb: KnowledgeBase, text: str, path: str | None, weighed: bool
) -> None:
    advice = recommend(OWN_CONVEYORS, kb)
    assert advice.category == "in_house"
    assert proposed_path(text) == path
    assert weighs(text, path, advice) is weighed


@pytest.mark.parametrize(
    ("question", "other"),
    [
        ("Vad blir tullen när leksakerna är gjorda i Sverige?", True),
        ("Spelar tullen roll om vi tillverkar i Kina?", False),
        # No origin of one's own named: the rule on Chinese goods may answer.
        ("USA har höjt tullarna på kinesiska varor – spelar det roll var i Asien vi tillverkar?", False),
    ],
)
def test_a_rule_on_goods_of_one_origin_is_no_answer_for_another(
    kb: KnowledgeBase, question: str, other: bool
) -> None:
    section_301 = next(p for p in kb.get("export-utanfor-eu").passages if "Section 301" in p.text)
    assert other_origin(section_301, question) is other


def test_a_dropped_rule_without_a_covering_paragraph_is_not_covered(kb: KnowledgeBase) -> None:
    red = recommend({**METER, "product_type": ["electronics", "radio"]}, kb).regulations
    assert covering_passage(kb, "Elektriska produkter: EMC-direktivet och LVD", list(red)) is not None
    assert covering_passage(kb, "Leksaker: leksaksdirektivet", list(red)) is None


@pytest.mark.parametrize(
    ("question", "text", "holds"),
    [
        ("Vad blir det för tull när leksakerna är gjorda i Sverige?", "tull på varor från Kina", True),
        ("Vad blir det för tull när leksakerna är gjorda i Sverige?", "varje leksak ska provas i USA", False),
        ("Hur blir det med den amerikanska tullen?", "varans tullnummer avgör", True),
        ("Hur blir det med CE?", "certifiering av produkten", False),
        ("Hur blir det med CE?", "CE-märkningen visar", True),
    ],
)
def test_a_question_that_names_its_thing_needs_a_text_that_holds_it(
    question: str, text: str, holds: bool
) -> None:
    thing = asked_thing(question)
    assert thing is not None
    assert holds_thing(thing, text) is holds
