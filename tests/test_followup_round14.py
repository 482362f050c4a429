"""Free follow-ups after a recommendation as persona round 14b asked them (/work/scratch/p14b/report.md): a
path the user proposes is weighed against their answers, a deadline shorter than a change of maker is named
with the bridging order, "måste jag sluta sälja?" gets that the rules apply now, selling in Germany gets the
registration there, and the runner-up is a path the company can take. Run with the real actions over the
shipped knowledge base."""

from __future__ import annotations

from typing import Any

import pytest
from test_followup import COSMETICS, SENSOR, SLEDGE
from test_followup_limits import reply, said, tracker

from bot.actions.handoff import ActionClarify
from bot.actions.proposal import bridging_risk, proposed_path
from bot.advisor import load_rules, recommend, weigh
from bot.kb import KnowledgeBase

# Custom pump skids, 35 a year, nearly all unique; parts bought, assembled in an own hall (p04).
SKIDS = {
    "situation": "cost_leadtime",
    "stage": "production",
    "product_type": ["machinery", "electronics"],
    "capability": "some",
    "volume": 35,
    "variants": "very_many",
    "markets": ["sweden", "nordics"],
    "company": "sme",
    "capital": 1_000_000,
    "priorities": ["lead_time", "flexibility"],
}
# A bath toy for the USA made by a small workshop, stock running out, cost first (p03).
BATH_TOY = {
    "situation": "new_product",
    "stage": "pilot",
    "product_type": ["toys", "plastics", "consumer"],
    "capability": "none",
    "volume": 12000,
    "markets": ["outside_eu"],
    "company": "startup",
    "capital": 250_000,
    "time_to_market": "urgent",
    "priorities": ["cost"],
}
# Charcoal grills made in China today, moving closer; own production never asked (p06).
GRILLS = {
    "situation": "relocate",
    "current_location": "asia",
    "product_type": ["mechanics", "consumer"],
    "volume": 7000,
    "markets": ["nordics", "eu"],
    "company": "sme",
    "capital": 4_000_000,
    "priorities": ["quality", "lead_time"],
}
# Replacement e-bike battery packs assembled in-house, sold in Sweden and Germany (p10).
PACKS = {
    "situation": "scale_up",
    "stage": "production",
    "product_type": ["battery_pack", "battery", "electronics", "light_vehicle"],
    "capability": "full",
    "volume": 1200,
    "markets": ["sweden", "eu"],
    "company": "sme",
    "capital": 700_000,
    "priorities": ["quality"],
}


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("Borde vi inte lägga det i Kina direkt när vi ska upp i 10 000 om året?", "asia_contract"),
        ("Är det inte smartare att ta produktionen till Asien när volymen växer?", "asia_contract"),
        ("Vi funderar på att köpa en egen kantpress för miljonen. Är det klokt?", "in_house"),
        ("Lönar det sig att investera i egna maskiner för plåten?", "in_house"),
        ("Varför inte i Sverige? Med robotsvets spelar lönen mindre roll.", "automation_home"),
        ("Är det inte bättre med en leverantör i Polen?", "nearshore_europe"),
        # No proposal: a support question, a question about moulds, a plain rules question.
        ("Finns det något bidrag för att köpa en svetsrobot?", None),
        ("Hur gör vi med formarna som står i Kina?", None),
        ("Vilka regler gäller för grillen?", None),
        # Two places set against each other are a comparison, not one proposal.
        ("Är det bättre att tillverka lampan i Kina än i Sverige?", None),
        ("Borde vi välja Kina eller Polen?", None),
    ],
)
def test_the_path_a_follow_up_proposes(text: str, path: str | None) -> None:
    assert proposed_path(text) == path


@pytest.mark.parametrize(
    ("profile", "path", "against"),
    [
        # p01: the volume counts against Asia.
        (SENSOR, "asia_contract", "minsta ordervolymer"),
        # p04: own machines at 35 a year are seldom fully loaded.
        (SKIDS, "in_house", "belagda"),
        # p06: no own production here to automate.
        (GRILLS, "automation_home", "ingen egen produktion"),
    ],
)
def test_a_proposed_path_is_weighed_against_the_answers(
    kb: KnowledgeBase, profile: dict[str, Any], path: str, against: str
) -> None:
    weighing = weigh(profile, path)
    assert any(against in line for line in weighing.against), weighing
    assert weighing.when


@pytest.mark.parametrize(
    ("profile", "question", "must", "must_not"),
    [
        (
            SENSOR,
            "Borde vi inte ta det i Kina direkt om vi ska upp i 10 000 st?",
            ["Kontraktstillverkning i Asien", "minsta ordervolymer", "Det passar bättre", "står rådet kvar"],
            ["Rekommendation:", "sex steg"],
        ),
        (
            SKIDS,
            "Vi har funderat på att köpa en egen kantpress och svets för ramarna för den där miljonen. "
            "Är det smart?",
            ["Bygg vidare på er egen produktion", "belagda", "Källa:"],
            ["inget säkert svar", "Rekommendation:"],
        ),
        (
            GRILLS,
            "Varför inte Sverige? Jag har hört att man kan robotsvetsa så att lönekostnaden inte spelar så "
            "stor roll",
            ["Automatisera tillverkningen här hemma", "ingen egen produktion"],
            ["Rekommendation:"],
        ),
    ],
)
def test_a_proposal_is_weighed_not_answered_with_the_recommendation(
    kb: KnowledgeBase,
    domain: dict[str, Any],
    profile: dict[str, Any],
    question: str,
    must: list[str],
    must_not: list[str],
) -> None:
    text = reply(ActionClarify(), tracker(question, "nlu_fallback", profile), domain)
    assert all(word in text for word in must), text
    assert not any(word in text for word in must_not), text


def test_a_proposal_of_the_recommended_path_is_not_weighed(kb: KnowledgeBase, domain: dict[str, Any]) -> None:
    question = "Borde vi inte ta det i Kina direkt?"
    text = reply(ActionClarify(), tracker(question, "nlu_fallback", BATH_TOY), domain)
    assert domain["responses"]["utter_followup_proposal"][0]["text"].split("{")[0] not in text


@pytest.mark.parametrize(
    ("question", "risk"),
    [
        ("Lagret tar slut om fyra månader. Ska vi lägga en sista order hos verkstaden?", True),
        ("Hinner vi byta till en ny fabrik innan lagret räcker slut?", True),
        ("Vi har slut i lager om tre månader, vad gör vi?", True),
        ("Hur lång ledtid har ett formverktyg?", False),
    ],
)
def test_a_deadline_against_a_change_of_maker(kb: KnowledgeBase, question: str, risk: bool) -> None:
    advice = recommend(BATH_TOY, kb)
    assert bridging_risk(question, advice) is risk


def test_a_deadline_gets_the_bridging_order_not_the_recommendation(
    kb: KnowledgeBase, domain: dict[str, Any]
) -> None:
    question = (
        "Vi har slut i lager om ca 4 månader. Ska vi beställa en sista omgång från silikonverkstaden så att "
        "vi inte står utan lager medan vi startar upp i Asien?"
    )
    text = reply(ActionClarify(), tracker(question, "nlu_fallback", BATH_TOY), domain)
    assert said(domain, "utter_followup_bridging") in text
    assert "Rekommendation:" not in text


def test_own_production_has_no_bridging_risk(kb: KnowledgeBase) -> None:
    advice = recommend(PACKS, kb)
    assert not bridging_risk("Lagret tar slut om tre månader, hinner vi byta?", advice)


@pytest.mark.parametrize(
    "question",
    [
        "Jag har inte anmält nåt någonstans. Måste jag sluta sälja nu?",
        "Får jag fortsätta sälja krämen medan jag ordnar anmälan?",
        # Round 15b, p09: a product sold already, asked without "sluta sälja".
        "Jag säljer ju redan krämerna från köket – gäller reglerna för mig redan nu?",
        "Är det ett problem att jag har sålt 150 burkar i månaden utan att ha anmält något?",
    ],
)
def test_selling_already_gets_that_the_rules_apply_now(
    kb: KnowledgeBase, domain: dict[str, Any], question: str
) -> None:
    text = reply(ActionClarify(), tracker(question, "nlu_fallback", COSMETICS), domain)
    assert said(domain, "utter_followup_rules_apply_now") in text
    assert "CPNP" in text and "säkerhetsrapport" in text and "lakemedelsverket.se" in text
    assert not text.startswith("Den ansvariga personen")


def test_selling_in_germany_gets_the_registration_there(kb: KnowledgeBase, domain: dict[str, Any]) -> None:
    question = "Behöver vi registrera oss hos stiftelsen ear i Tyskland för batterierna och elen?"
    text = reply(ActionClarify(), tracker(question, "nlu_fallback", PACKS), domain)
    assert "stiftelsen ear" in text and "stiftung-ear.de" in text


IN_HOUSE = "Bygg vidare på er egen produktion"


@pytest.mark.parametrize("profile", [GRILLS, SLEDGE])
def test_the_runner_up_is_a_path_the_company_can_take(kb: KnowledgeBase, profile: dict[str, Any]) -> None:
    advice = recommend(profile, kb)
    assert advice.alternative is not None
    assert advice.alternative != IN_HOUSE


def test_a_company_with_own_production_gets_the_highest_scoring_runner_up(kb: KnowledgeBase) -> None:
    advice = recommend({**GRILLS, "capability": "full"}, kb)
    scores = dict(advice.scores)
    best = max((c for c in scores if c != advice.category), key=lambda c: scores[c])
    assert advice.alternative == load_rules().category(best)["title"]


@pytest.mark.parametrize(
    ("profile", "question", "must", "must_not"),
    [
        # p04: a named rule the advice did not list is what is asked about, not the cabinets paragraph.
        (SKIDS, "Gäller tryckutrustningsdirektivet för filterhusen i skåpen?", ["PED"], ["skåpbyggare"]),
        # p06: the grill grate is a food contact material.
        (GRILLS, "Vilka regler gäller för grillgallret?", ["1935/2004"], ["Regler som gäller produkten:"]),
        # p05: a pilot with patients before CE marking is a clinical investigation.
        (
            {**SENSOR, "product_type": ["medtech", "electronics"]},
            "Kan vi inte köra en pilot på några vårdcentraler innan vi har CE-märkt den?",
            ["klinisk prövning", "Läkemedelsverket"],
            ["Regler som gäller produkten:", "CE-märkningen visar att tillverkaren intygar"],
        ),
        # Round 15b, p10: renovated packs are batteries under the regulation; its passage, not the list again.
        (
            PACKS,
            "Gäller batteriförordningen också för de pack vi renoverar åt kunder, eller bara för nya?",
            ["omtillverk", "Källa:"],
            ["Regler som gäller produkten:"],
        ),
        # Round 15, p05: validated sterilisation, not a pointer to IUC.
        (
            {**SENSOR, "product_type": ["medtech", "electronics", "radio"]},
            "Vad gäller för steriliseringen av produkten?",
            ["11135", "Källa:"],
            ["IUC", "Regler som gäller produkten:"],
        ),
    ],
)
def test_a_rule_the_situation_raises_is_answered_with_that_rule(
    kb: KnowledgeBase,
    domain: dict[str, Any],
    profile: dict[str, Any],
    question: str,
    must: list[str],
    must_not: list[str],
) -> None:
    text = reply(ActionClarify(), tracker(question, "nlu_fallback", profile), domain)
    assert all(word in text for word in must), text
    assert not any(word in text for word in must_not), text
