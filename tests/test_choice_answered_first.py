"""A choice question about the user's own production ("Ska vi tillverka själva eller lägga ut allt?") opens
the consultation (persona round 15, p05) and gets the rule of thumb that answers it first, as an advisor
names what usually decides before asking about the case (tuning sets 4 and 8 lost the general answer). Only
production-strategy guidance comes first: a choice question whose best passage is a regulation's or a
programme's fact opens the consultation with nothing before it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from test_consultation_route15 import run

from bot.actions.advice import ActionStartAdvisor, weighed_clause
from bot.actions.texts import Texts
from bot.kb import KnowledgeBase

RANKING = [("start_consultation", 0.7), ("ask_entry", 0.2)]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        (
            "Ska vi tillverka själva eller lägga ut allt? Vi är fyra personer med en ny sorts cykelhjälm och "
            "har inga egna maskiner.",
            r"kärnkompetens|immateriell",
        ),
        (
            "Borde vi köra igång full produktion direkt eller finns det nåt klokare mellansteg?",
            r"(pilot|noll)serie",
        ),
    ],
)
def test_a_choice_question_gets_the_rule_of_thumb_before_the_questions(
    text: str, rule: str, domain: dict[str, Any], kb: KnowledgeBase
) -> None:
    messages, events = run(ActionStartAdvisor(), text, RANKING[0][0], RANKING, domain)
    texts = [m.get("text") or "" for m in messages]
    intro = Texts(domain).get("utter_advisor_intro_after_answer")
    assert intro in texts, texts
    first = texts.index(intro)
    assert first >= 1 and re.search(rule, " ".join(texts[:first]))
    assert "Källa:" in texts[first - 1]
    # The consultation still starts: its slots are set by this action.
    assert any(e.get("event") == "slot" and e.get("name") == "advisor_summary" for e in events)


def test_a_plain_request_for_advice_has_no_rule_before_it(domain: dict[str, Any], kb: KnowledgeBase) -> None:
    text = "Vi har byggt en vedklyv och vill börja tillverka den. Hjälp oss!"
    messages, _ = run(ActionStartAdvisor(), text, RANKING[0][0], RANKING, domain)
    assert messages[0]["text"] == Texts(domain).get("utter_advisor_intro")


@pytest.mark.parametrize(
    "text",
    [
        # The best passages are the toy rules and the pressure-equipment rules: facts, not a rule of thumb.
        "Ska vi tillverka leksakerna själva eller köpa tillverkningen?",
        "Ska vi tillverka tryckkärlen själva eller lägga ut dem?",
    ],
)
def test_a_choice_whose_best_passage_is_no_guidance_sends_only_the_consultation(
    text: str, domain: dict[str, Any], kb: KnowledgeBase
) -> None:
    messages, _ = run(ActionStartAdvisor(), text, RANKING[0][0], RANKING, domain)
    assert messages[0]["text"] == Texts(domain).get("utter_advisor_intro")
    assert not any("Källa:" in (m.get("text") or "") for m in messages)


def test_an_intermediate_step_is_the_pilot_series(domain: dict[str, Any], kb: KnowledgeBase) -> None:
    # "mellansteg" is a word for the pilot series (knowledge/concepts.yml); "10 000 st" is a quantity the user
    # states, no evidence for the pressure-vessel limit of 10 000 bar·L.
    text = "Ska vi beställa 10 000 st direkt från en fabrik eller finns det något smartare mellansteg?"
    messages, _ = run(ActionStartAdvisor(), text, RANKING[0][0], RANKING, domain)
    assert re.search(r"pilotserie", messages[0]["text"]), messages[0]["text"]
    assert not any("bar" in (m.get("text") or "") for m in messages)


@pytest.mark.parametrize(
    ("question", "clause"),
    [
        (
            "Frågan är väl vad jag ska göra nu, kan jag bara beställa 5000 direkt från en fabrik eller finns "
            "det något steg emellan som man borde göra först?",
            "kan jag bara beställa 5000 direkt från en fabrik eller finns det något steg emellan som man "
            "borde göra först?",
        ),
        ("Ska vi tillverka själva eller lägga ut allt?", "Ska vi tillverka själva eller lägga ut allt?"),
        ("Kan vi gå direkt till full produktion?", None),
        ("Måste produkten CE-märkas eller inte?", None),
        ("Ska vi söka Almis lån eller Vinnovas bidrag?", None),
    ],
)
def test_the_clause_that_weighs_two_ways_is_what_the_rule_of_thumb_answers(
    question: str, clause: str | None
) -> None:
    assert weighed_clause(question) == clause
