"""Money and support that fits (issue #10, persona rounds 21/21b): an export order gets EKN's guarantees,
little cash or a robot investment gets Almi's loans, a student gets the innovation office and Drivhuset
and is told a loan needs a company, a cheque for 2–49 employees is not offered to a company of 60, and a
cheque says to check whether it is open. Free-text answers in, the support part out."""

from __future__ import annotations

from typing import Any

import pytest
from advisor_answers import answers

from bot.advisor import recommend
from bot.advisor.data import load_questions, load_rules
from bot.advisor.engine import open_to
from bot.advisor.profile import to_profile
from bot.kb import KnowledgeBase

WORKSHOP = "Vi har en verkstad som svetsar och bearbetar stativ till maskiner, allt i egen regi."


@pytest.fixture
def kb(shipped_kb: KnowledgeBase) -> KnowledgeBase:
    return shipped_kb


def support_ids(profile: dict[str, Any], kb: KnowledgeBase) -> list[str]:
    return [s.id for s in recommend(profile, kb).supports]


def workshop(**later: str) -> dict[str, Any]:
    base = {"situation": "sänka ledtiden", "capability": "full egen produktion", "markets": "Sverige"}
    return answers(WORKSHOP, **{**base, **later})


@pytest.mark.parametrize("size", ["etablerat, 60 anställda", "vi är 120 anställda"])
def test_a_cheque_for_small_firms_is_not_offered_to_a_medium_sized_company(
    size: str, kb: KnowledgeBase
) -> None:
    profile = workshop(company=size)
    assert "medium" in profile["company"]
    assert "affarsutvecklingscheckar" not in support_ids(profile, kb)


def test_a_small_company_is_still_offered_the_cheque_and_told_to_check_it_is_open(kb: KnowledgeBase) -> None:
    profile = workshop(company="etablerat, 12 anställda")
    item = next(s for s in recommend(profile, kb).supports if s.id == "affarsutvecklingscheckar")
    assert "öppna just nu" in item.why and "region" in item.why


def test_a_size_condition_only_excludes_a_size_class_that_lies_wholly_outside_it(kb: KnowledgeBase) -> None:
    questions = load_questions()
    settings = load_rules(questions=questions).settings
    cheque = kb.get("affarsutvecklingscheckar")
    assert cheque is not None

    def fits(company: str) -> bool:
        return open_to(cheque, to_profile({"company": company}, questions), settings, questions)

    assert fits("micro") and fits("small") and fits("sme") and fits("startup")
    assert not fits("medium") and not fits("large")


def test_an_export_order_outside_the_eu_brings_eks_guarantees(kb: KnowledgeBase) -> None:
    export = workshop(company="etablerat, 12 anställda", markets="kunder i Kanada och USA")
    assert "ekn" in support_ids(export, kb)
    assert "ekn" not in support_ids(workshop(company="etablerat, 12 anställda"), kb)


def test_little_cash_brings_almis_loans_for_working_capital(kb: KnowledgeBase) -> None:
    tight = workshop(company="etablerat, 8 anställda", capital="under 200 000 kr")
    item = next(s for s in recommend(tight, kb).supports if s.id == "almi-lan-rorelsekapital")
    assert "rörelsekapital" in item.why
    rich = workshop(company="etablerat, 8 anställda", capital="mer än 10 miljoner")
    assert "almi-lan-rorelsekapital" not in support_ids(rich, kb)


def test_a_robot_investment_brings_almis_loans(kb: KnowledgeBase) -> None:
    profile = workshop(situation="vi vill automatisera med en robot", company="etablerat, 45 anställda")
    assert "automate" in profile["situation"]
    item = next(s for s in recommend(profile, kb).supports if s.id == "almi-lan-rorelsekapital")
    assert "robot" in item.why


def test_a_student_gets_student_actors_and_is_told_a_loan_needs_a_company(kb: KnowledgeBase) -> None:
    opening = "Jag pluggar till ingenjör och har en idé om en lampa som tänds av rörelse. Inget företag än."
    profile = answers(opening, stage="bara en idé")
    assert profile["company"] == "none"
    supports = {s.id: s for s in recommend(profile, kb).supports}
    assert {"innovationskontor", "drivhuset"} <= set(supports)
    assert "registrerat företag" in supports["almi"].why
    assert "almi-lan-rorelsekapital" not in supports and "ekn" not in supports


def test_a_large_order_with_little_cash_gets_a_step_about_financing_it(kb: KnowledgeBase) -> None:
    tight = workshop(situation="skala upp", company="etablerat, 8 anställda", capital="under 200 000 kr")
    assert any("innan kunden betalar" in step for step in recommend(tight, kb).next_steps)
    rich = workshop(situation="skala upp", company="etablerat, 8 anställda", capital="mer än 10 miljoner")
    assert not any("innan kunden betalar" in step for step in recommend(rich, kb).next_steps)


def test_produktionslyftet_says_it_was_running_in_2024_without_promising_it_is_open(
    kb: KnowledgeBase,
) -> None:
    entry = kb.get("produktionslyftet")
    assert entry is not None
    latest = next(p for p in entry.passages if p.text.startswith("I maj 2024"))
    assert "fråga Produktionslyftet direkt" in latest.text
    assert latest.source.url and "strategisk-prioritering" in latest.source.url
