"""Follow-ups after a recommendation (issues #10/#11, persona rounds 28/28b): practical questions get the
passage that holds their subject (wellness or medical purpose, the language of instructions, the US importer,
where UN 38.3 is tested, company forms, work permits), a choice of company form is no question whether a
company is needed, and a line of advice that shares only generic words or "produkt" with a question answers
nothing. In our own words."""

from __future__ import annotations

from typing import Any

import pytest
from test_followup import LAMP, MEDTECH, SENSOR, STUDENT, WELDING, reply, tracker

from bot.actions.handoff import ActionClarify
from bot.actions.limits import advice_lines
from bot.actions.yesno import COMPANY_FORM
from bot.kb import KnowledgeBase
from bot.swedish import fold


@pytest.mark.parametrize(
    ("question", "profile", "expected"),
    [
        (
            "Om vi säljer pulsmätaren som träningsredskap för välbefinnande, är den då inte medicinteknisk?",
            MEDTECH,
            "medicinskt syfte",
        ),
        ("Vilket språk ska bruksanvisningen ha när vi säljer i Frankrike?", SENSOR, "språk"),
        ("Kan vi själva stå som importör när vi skickar varor till USA?", LAMP, "CBP"),
        ("Vilket labb gör provningen UN 38.3 på våra batterier?", SENSOR, "provningslaboratorium"),
        ("Vad skiljer en enskild firma från ett aktiebolag?", STUDENT, "25 000"),
        ("Hur får vi arbetstillstånd för en svetsare från Indien?", WELDING, "Migrationsverket"),
    ],
)
def test_a_practical_question_gets_the_passage_on_its_subject(
    kb: KnowledgeBase, domain: dict[str, Any], question: str, profile: dict[str, Any], expected: str
) -> None:
    text = reply(ActionClarify(), tracker(question, "nlu_fallback", profile), domain)
    assert expected in text


@pytest.mark.parametrize(
    ("question", "asks_form"),
    [
        ("Ska jag starta enskild firma eller aktiebolag först?", True),
        ("Aktiebolag eller enskild näringsverksamhet, vad passar oss?", True),
        ("Vilken bolagsform ska vi välja?", True),
        ("Måste jag starta ett företag först?", False),
    ],
)
def test_a_choice_of_company_form(question: str, asks_form: bool) -> None:
    assert bool(COMPANY_FORM.search(fold(question))) is asks_form


def test_choosing_a_company_form_is_not_answered_with_who_can_apply(
    kb: KnowledgeBase, domain: dict[str, Any]
) -> None:
    question = "Borde jag registrera enskild firma eller aktiebolag innan vi börjar?"
    text = reply(ActionClarify(), tracker(question, "nlu_fallback", STUDENT), domain)
    assert "juridisk person" in text
    assert "Inte för att få hjälp med idén" not in text


class _Advice:
    texts = {"unknown_caveat": "Okänt: {x}"}
    next_steps = ["Kontrollera att leverantören passar er volym och produktmix."]
    caveats: list[str] = []


def test_a_line_sharing_only_generic_words_and_product_is_no_answer() -> None:
    assert advice_lines(_Advice(), "Vilken försäljningskanal passar bäst för produkten?") == []
    assert advice_lines(_Advice(), "Vilken leverantör ska vi välja?") != []
