"""Decision questions after a recommendation (issue #10 point 2, persona rounds 23–24): a question that sets
two ways against each other, or an investment with its hours a year, is answered from the advisor's own
weighing of the user's answers (`bot.advisor.engine.compare`), in our own words."""

from __future__ import annotations

from typing import Any

import pytest
from test_followup_limits import reply
from test_followup_round16 import follow_up

from bot.actions.handoff import ActionClarify
from bot.actions.proposal import choice_paths
from bot.advisor import load_questions, recommend
from bot.advisor.engine import compare
from bot.kb import KnowledgeBase

# Lip balm stirred by hand by a sole trader, to be sold in larger numbers; little capital.
BALM = {
    "situation": "scale_up",
    "stage": "production",
    "product_type": ["cosmetics"],
    "capability": "manual",
    "current_location": "sweden",
    "volume": 4000,
    "markets": ["sweden"],
    "company": "micro",
    "capital": 200_000,
    "time_to_market": "year",
    "ip_sensitivity": "low",
    "priorities": ["control"],
}
# A start-up's smart door sensor at the prototype stage, no production of its own, modest volume.
SENSOR = {
    "situation": "new_product",
    "stage": "prototype",
    "product_type": ["electronics"],
    "capability": "none",
    "volume": 1200,
    "markets": ["sweden"],
    "company": "startup",
    "capital": 500_000,
    "priorities": ["control"],
}
# A welding shop with its own production that buys its sheet metal parts in.
FRAMES = {
    "situation": "cost_leadtime",
    "stage": "production",
    "product_type": ["welded", "mechanics"],
    "capability": "full",
    "current_location": "sweden",
    "volume": 300,
    "variants": "few",
    "markets": ["sweden"],
    "company": "small",
    "capital": 6_000_000,
    "ip_sensitivity": "low",
    "priorities": ["lead_time"],
}


@pytest.mark.parametrize(
    ("text", "paths"),
    [
        ("Ska vi satsa på ett eget labb eller ta en legotillverkare?", ["in_house", "swedish_contract"]),
        (
            "Hyra en egen verkstad eller lägga det hos en legotillverkare, vad är klokast?",
            ["in_house", "swedish_contract"],
        ),
        ("Är Vietnam eller Polen bättre för oss?", ["asia_contract", "nearshore_europe"]),
        # One way put forward is a proposal, weighed against the recommendation, not a choice of two.
        ("Borde vi inte ta det till Vietnam?", []),
        # Two ways named without asking to choose: a story, not a decision question.
        ("Vi har en egen verkstad och köper lite av en legotillverkare.", []),
    ],
)
def test_a_question_that_sets_two_ways_against_each_other_names_both(text: str, paths: list[str]) -> None:
    assert choice_paths(text) == paths


def test_the_rules_scoring_decides_between_the_two_ways_named() -> None:
    choice = compare(BALM, "in_house", "swedish_contract")
    assert choice.better == "swedish_contract" and choice.other == "in_house"
    assert choice.reasons and choice.against
    # The order named does not change the answer.
    assert compare(BALM, "swedish_contract", "in_house").better == "swedish_contract"


def test_an_unanswered_question_that_could_turn_the_choice_is_named() -> None:
    # A large run where price decides: how sensitive the design is to copying is unanswered and could tip
    # the scale between a Swedish maker and Asia.
    # (Since path29's cost rules, how urgent the launch is can tip it as well; either is a fair question.)
    large = {**SENSOR, "volume": 200_000, "priorities": ["cost"]}
    questions = load_questions()
    asked = {"ip_sensitivity": "low", "time_to_market": "normal"}
    texts = {questions.question(slot).text: slot for slot in asked}
    deciding = compare(large, "swedish_contract", "asia_contract").deciding
    assert deciding in texts, deciding
    # Answered, it no longer is the open question.
    slot = texts[deciding]
    answered = {**large, slot: asked[slot]}
    assert compare(answered, "swedish_contract", "asia_contract").deciding != deciding


def test_own_lab_or_contract_maker_is_answered_with_the_weighing(
    kb: KnowledgeBase, domain: dict[str, Any]
) -> None:
    assert recommend(BALM, kb).category == "out_of_scope"
    question = "Är det bättre att bygga ett eget labb eller att anlita en legotillverkare?"
    text = reply(ActionClarify(), follow_up(question, "nlu_fallback", BALM), domain)
    first = text.splitlines()[0]
    assert "svensk legotillverkare" in first and "egen produktion" in first, text
    assert 'Varför inte "Bygg vidare på er egen produktion"' in text, text
    # The recommendation, which is neither, still stands and is said so.
    assert "Börja hos rätt myndighet" in text, text


def test_an_investment_with_its_hours_a_year_gets_the_utilisation_to_weigh(
    kb: KnowledgeBase, domain: dict[str, Any]
) -> None:
    assert recommend(FRAMES, kb).category == "in_house"
    question = "Vi funderar på en egen laser för 3 miljoner som skulle gå 250 timmar om året. Lönar det sig?"
    text = reply(ActionClarify(), follow_up(question, "nlu_fallback", FRAMES), domain)
    assert "250 timmar" in text and "bära investeringen" in text, text
    # No hours given: no utilisation line with a number the user never said.
    plain = "Vi funderar på en egen laser för 3 miljoner. Lönar det sig?"
    without_hours = reply(ActionClarify(), follow_up(plain, "nlu_fallback", FRAMES), domain)
    assert "bära investeringen" not in without_hours, without_hours


# Rain ponchos sewn in Sweden today, to be made cheaper at a good volume: the advice is nearshoring.
PONCHOS = {
    "situation": "cost_leadtime",
    "stage": "production",
    "product_type": ["textile"],
    "capability": "none",
    "current_location": "sweden",
    "volume": 9000,
    "markets": ["nordics", "eu"],
    "company": "small",
    "capital": 1_000_000,
    "time_to_market": "year",
    "ip_sensitivity": "low",
    "priorities": ["cost"],
}


def test_which_country_gets_the_paths_own_description(kb: KnowledgeBase, domain: dict[str, Any]) -> None:
    advice = recommend(PONCHOS, kb)
    assert advice.category == "nearshore_europe"
    text = reply(ActionClarify(), follow_up("Vilket land blir det då?", "nlu_fallback", PONCHOS), domain)
    assert advice.description.split(".")[0] in text, text
    assert "Polen" in text, text


def test_the_cheapest_way_at_a_named_volume_is_weighed_without_changing_the_answers(
    kb: KnowledgeBase, domain: dict[str, Any]
) -> None:
    small = {**SENSOR, "volume": 800}
    question = "Vilket blir billigast om vi säljer 90 000 st?"
    text = reply(ActionClarify(), follow_up(question, "nlu_fallback", small), domain)
    at_volume = recommend({**small, "volume": 90_000, "priorities": ["cost"]}, kb)
    assert f'talar reglerna för "{at_volume.title}"' in text, text
    # The user's own advice is named as what still holds.
    assert f'gäller rådet "{recommend(small, kb).title}"' in text, text


def test_when_a_proposed_path_would_fit_is_a_proposal(kb: KnowledgeBase, domain: dict[str, Any]) -> None:
    question = "Vad skulle få Vietnam att bli rätt för oss?"
    text = reply(ActionClarify(), follow_up(question, "nlu_fallback", SENSOR), domain)
    assert "Kontraktstillverkning i Asien" in text and "mycket stora volymer" in text, text
