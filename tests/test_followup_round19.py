"""Follow-ups after a recommendation get an answer to what they ask, with the real actions over the shipped
knowledge base: the situations of persona round 19 (docs/evaluations/2026-11-27-advisor-personas-round19.md,
"Viktigaste felen", points 1 and 5), in our own words (not those of tests/data/followup_tuning12.yml)."""

from __future__ import annotations

from typing import Any

import pytest
from test_followup_round16 import assert_answers

from bot.actions.followup import questions_of, usable_support
from bot.actions.limits import asked_thing, asks_obligation, holds_thing
from bot.advisor.engine import ended
from bot.kb import KnowledgeBase
from bot.settings import get_settings

# Machines for food plants, built to order; parts bought from many workshops (p04).
CONVEYORS = {
    "situation": "cost_leadtime",
    "product_type": ["machinery", "mechanics"],
    "capability": "some",
    "current_location": "sweden",
    "volume": 30,
    "variants": "many",
    "markets": ["sweden", "nordics"],
    "company": "sme",
    "capital": 500_000,
    "ip_sensitivity": "low",
    "priorities": ["lead_time"],
}
# A medical device made by an EMS for the legal manufacturer (p05).
DEVICE = {
    "situation": "new_product",
    "product_type": ["medtech", "electronics"],
    "capability": "none",
    "stage": "prototype",
    "volume": 1500,
    "markets": ["eu"],
    "company": "startup",
    "capital": 3_000_000,
    "ip_sensitivity": "high",
    "priorities": ["control"],
}
# A welding shop whose experienced staff retire (p08).
WORKSHOP = {
    "situation": "capacity",
    "bottleneck": ["welding"],
    "shifts": "one",
    "recruitment": "failed",
    "workload": "mixed",
    "capability": "full",
    "company": "sme",
    "markets": ["sweden"],
    "capital": 1_500_000,
    "priorities": ["quality"],
}
# Cosmetics mixed at home, to be scaled up (p09).
BALM = {
    "situation": "scale_up",
    "product_type": ["cosmetics"],
    "capability": "manual",
    "current_location": "sweden",
    "volume": 20_000,
    "markets": ["sweden"],
    "company": "micro",
    "capital": 180_000,
    "ip_sensitivity": "high",
    "priorities": ["quality"],
}
# A table for a store chain (p10).
TABLE = {
    "situation": "new_product",
    "product_type": ["furniture"],
    "capability": "none",
    "stage": "prototype",
    "volume": 1500,
    "markets": ["sweden"],
    "company": "micro",
    "capital": 350_000,
    "ip_sensitivity": "medium",
    "priorities": ["quality"],
}
# A consumer product whose samples a factory in China made (p03).
KETTLE = {
    "situation": "new_product",
    "product_type": ["mechanics", "consumer"],
    "capability": "none",
    "current_location": "asia",
    "stage": "prototype",
    "volume": 6000,
    "markets": ["eu"],
    "company": "startup",
    "capital": 500_000,
    "ip_sensitivity": "medium",
    "priorities": ["cost"],
}
# A student with an idea and no company (p07).
STUDENT = {
    "situation": "new_product",
    "product_type": ["plastics"],
    "capability": "none",
    "stage": "idea",
    "volume": 1000,
    "markets": ["sweden"],
    "company": "none",
    "capital": 15_000,
    "priorities": ["cost"],
}

CASES = [
    # How many suppliers: nothing on labelling food-contact materials or cabinets from a panel builder.
    (
        CONVEYORS,
        "Vi köper detaljer från 18 olika leverantörer, är det för många?",
        ["(inget säkert svar|leverantör)"],
        ["Kontaktmaterial ska märkas", "Elskåp från en skåpbyggare"],
    ),
    # The legal manufacturer's own quality system: MDR's requirement, not the definition of ISO 9001.
    (
        DEVICE,
        "Räcker det att kontraktstillverkaren är certifierad, eller måste vi själva ha ett kvalitetssystem?",
        ["(ska ha ett kvalitetsledningssystem|hänvisa till leverantörens system)"],
        ["ISO 9001 ställer krav", "Kraven i ISO 9001 kompletterar"],
    ),
    # Know-how of retiring staff: the advice on competence, not CE marking of welded structures.
    (
        WORKSHOP,
        "Hur tar vi hand om erfarenheten hos svetsarna som snart går i pension?",
        ["kompetens"],
        ["EN 1090", "FPC"],
    ),
    # Premises of one's own, to keep the recipe: weighed as own production, not Teknikcollege's "lokala".
    (
        BALM,
        "Kan jag hyra en egen liten lokal och fortsätta blanda själv?",
        ["Ditt förslag vägt"],
        ["Teknikcollege"],
    ),
    # A test standard for a table: no definition of harmonised standards, no passage on the "kedja" of EUDR.
    # Since rules20's furniture-standards entry (Möbelfakta) the knowledge base has an answer, where before it
    # honestly had none.
    (
        TABLE,
        "Butikskedjan vill att bordet ska vara provat enligt någon EN-standard, vad gäller då?",
        ["mobelfakta|EN 15372|EN 12521"],
        ["En harmoniserad standard är", "tillbörlig aktsamhet"],
    ),
    # Protecting the design from the factory: design protection, not the TCO text that lists copying.
    (
        KETTLE,
        "Hur skyddar vi designen på kannan mot att fabriken gör kopior?",
        ["[Dd]esign"],
        ["TCO", "ägandekostnad"],
    ),
    # Retiring staff's know-how: the recommendation's own line on training and the competence advice.
    (
        WORKSHOP,
        "Hur behåller vi kunnandet när de erfarna montörerna slutar om ett år?",
        ["kompetens"],
        ["EN 1090", "FPC"],
    ),
    # Help or money without a company: the support part's actors for an idea.
    (
        STUDENT,
        "Vad finns det för hjälp eller pengar att få innan jag har startat ett bolag?",
        ["(SISP|innovationskontor)"],
        ["[Bb]emanning", "aktiebolag"],
    ),
    # A student without a company: the actors for an idea, and no extra passage the student cannot use.
    (
        STUDENT,
        "Vilka stöd finns för mig som student? har ju inte nåt företag",
        ["(SISP|innovationskontor)"],
        ["[Bb]emanning", "aktiebolag", "små och medelstora"],
    ),
]


@pytest.mark.parametrize(("profile", "question", "must", "must_not"), CASES)
def test_a_follow_up_gets_an_answer_to_what_it_asks(
    kb: KnowledgeBase,
    domain: dict[str, Any],
    profile: dict[str, Any],
    question: str,
    must: list[str],
    must_not: list[str],
) -> None:
    assert_answers(domain, profile, question, must, must_not)


@pytest.mark.parametrize(
    ("question", "thing"),
    [
        ("Hur skyddar vi formen på lampan?", "formen"),
        ("hur tar vi vara på kunnandet hos de äldre?", "kunnandet"),
        ("Måste företaget ha en egen kemist?", "kemist"),
        ("Vi har 12 olika kunder, är det för få?", "kunder"),
        ("Ska den provas enligt en ISO-standard?", "standard"),
        ("Hur blir det med momsen?", "momsen"),
        ("Hur gör vi med formen?", None),
    ],
)
def test_the_thing_a_question_asks_about(question: str, thing: str | None) -> None:
    assert asked_thing(question) == thing


@pytest.mark.parametrize(
    ("question", "obliged"),
    [
        ("Behöver vi ett eget kvalitetssystem?", False),
        ("Behöver vi ha ett eget kvalitetssystem?", True),
        ("Kan vi ha en egen lokal?", False),
    ],
)
def test_a_question_whether_one_must_have_a_thing(question: str, obliged: bool) -> None:
    assert asks_obligation(question) is obliged


@pytest.mark.parametrize(
    ("thing", "text", "held"),
    [
        ("kvalitetssystem", "ska ha ett kvalitetsledningssystem", True),
        ("designen", "skydda den med designskydd", True),
        ("kunskapen", "Lägg till frakt och tull", False),
    ],
)
def test_a_text_holds_the_thing_also_as_a_longer_compound(thing: str, text: str, held: bool) -> None:
    assert holds_thing(thing, text) is held


def test_a_statement_without_subject_belongs_to_the_question_before() -> None:
    assert questions_of("Vilket stöd kan jag få? har inte ens ett företag") == [
        "Vilket stöd kan jag få? har inte ens ett företag"
    ]
    assert len(questions_of("Vilket stöd kan jag få? Har ni en lista?")) == 2


def test_an_extra_support_is_one_the_user_can_use(kb: KnowledgeBase) -> None:
    grant = kb.get("vinnova-innovativa-startups")
    assert grant is not None
    assert not usable_support(grant, STUDENT)
    # For a company, only its dates decide.
    current = not ended(grant, get_settings().today_date())
    assert usable_support(grant, {**STUDENT, "company": "startup"}) is current
