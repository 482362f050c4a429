"""Consultation faults from the third persona evaluation, against the real Rasa and action servers."""

from __future__ import annotations

import uuid

import pytest
from conftest import Assistant, texts
from test_consultation import CHECK_SLOT, asked

pytestmark = pytest.mark.e2e


def new_user() -> str:
    return f"round3-{uuid.uuid4().hex[:8]}"


def test_an_opening_the_nlu_does_not_know_starts_the_consultation_with_what_it_says(
    assistant: Assistant,
) -> None:
    user = new_user()
    replies = assistant.say(
        user,
        "hej! jag pluggar och har en idé om en självbevattnande blomkruka med fuktsensor och app. har bara "
        "skisser och en 3d-utskrift. har inget företag. var ska jag börja med tillverkning??",
    )
    text = texts(replies)
    assert "Jag är inte säker på att jag förstod" not in text
    assert "Idé eller koncept" in text and "Inget företag än" in text  # kept, not asked again
    assert asked(replies) not in (None, "stage", "company")


def test_no_change_asks_the_rejected_question_again_first(assistant: Assistant) -> None:
    user = new_user()
    replies = assistant.say(
        user,
        "Vi är två snickare som gör balanscyklar i björk för barn, ca 200 om året för hand. Vi vill skala "
        "upp från 200 till 3000 om året. Hur ska vi tänka kring tillverkningen?",
    )
    assert asked(replies) == CHECK_SLOT and "3 000 enheter per år" in texts(replies)
    replies = assistant.say(user, "Nej, ändra")
    assert "frågar jag igen" in texts(replies)
    assert asked(replies) == "volume"


def test_a_staffing_problem_is_asked_about_its_bottleneck(assistant: Assistant) -> None:
    user = new_user()
    replies = assistant.say(user, "hjälp mig välja produktionsstrategi")
    replies = assistant.say(
        user, "Orderboken är full men vi får inte tag på svetsare, det fattas sex personer och vi tackar nej"
    )
    seen = []
    while (slot := asked(replies)) is not None and len(seen) < 12:
        seen.append(slot)
        replies = assistant.say(
            user, {"shifts": "ett skift", "workload": "mest korta serier"}.get(slot, "vet inte")
        )
    assert "shifts" in seen and "workload" in seen and "bottleneck" not in seen and "recruitment" not in seen
    text = texts(replies)
    assert "Rekommendation: Lös kompetensförsörjningen" in text
    assert "lärlingar" in text and "kobot" in text
