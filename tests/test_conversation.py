"""Multi-turn Swedish conversations over the REST channel against the real Rasa and action servers."""

from __future__ import annotations

import contextlib
import sqlite3
import uuid

import pytest
from conftest import Assistant, buttons, texts

from bot.kb import KnowledgeBase

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase()


def new_user() -> str:
    return f"test-{uuid.uuid4().hex[:8]}"


def test_greeting_is_swedish(assistant: Assistant) -> None:
    replies = assistant.say(new_user(), "Hej")
    assert replies[0]["text"].startswith("Hej!")
    assert "Produktionslotsen" in replies[0]["text"]


def test_the_assistant_says_it_is_not_a_person(assistant: Assistant) -> None:
    assert "automatisk" in texts(assistant.say(new_user(), "är du en människa?"))


def test_capabilities_offer_buttons(assistant: Assistant) -> None:
    replies = assistant.say(new_user(), "vad kan du hjälpa mig med?")
    assert "produktionsstrategi" in texts(replies)
    assert len(buttons(replies)) >= 3


def test_question_and_follow_up_refer_to_the_same_call(assistant: Assistant, kb: KnowledgeBase) -> None:
    call = kb.get("regional-utlysning-2016")
    user = new_user()
    first = texts(assistant.say(user, "hur mycket kunde regionerna söka i utlysningen 2016?"))
    assert call.amount in first
    assert "Källa:" in first and call.facts_as_of.isoformat() in first
    follow_up = texts(assistant.say(user, "när skulle projekten slutrapporteras?"))
    assert call.dates.final_report.isoformat() in follow_up


def test_a_closed_call_is_reported_closed_with_where_to_look(assistant: Assistant, kb: KnowledgeBase) -> None:
    call = kb.get("regional-utlysning-2016")
    answer = texts(assistant.say(new_user(), "går det att söka den regionala utlysningen från 2016 nu?"))
    assert "stängd" in answer and call.dates.closes.isoformat() in answer
    assert call.current_info_url in answer
    assert "är öppen" not in answer


def test_an_unclear_name_gives_candidates_to_choose(assistant: Assistant) -> None:
    replies = assistant.say(new_user(), "vem kan söka checkarna?")
    payloads = [b["payload"] for b in buttons(replies)]
    assert "Vilken menar du?" in texts(replies)
    assert len(payloads) >= 2 and all(p.startswith("/ask_eligibility{") for p in payloads)


def test_a_candidate_button_answers_the_original_question(assistant: Assistant, kb: KnowledgeBase) -> None:
    entry = kb.get("almi-innovationslan")
    answer = texts(assistant.say(new_user(), '/ask_eligibility{"kb_entry": "almi-innovationslan"}'))
    assert entry.who_can_apply in answer


def test_out_of_scope_says_so_and_offers_a_person(assistant: Assistant) -> None:
    replies = assistant.say(new_user(), "kan du boka en resa till mallorca åt mig?")
    assert "kan jag tyvärr inte hjälpa till med" in texts(replies)
    assert "/request_human" in [b["payload"] for b in buttons(replies)]


def test_handoff_points_to_organisations(assistant: Assistant, kb: KnowledgeBase) -> None:
    answer = texts(assistant.say(new_user(), "jag vill prata med en människa"))
    assert kb.by_intent("request_human").summary in answer


def test_a_typo_ridden_question_is_understood(assistant: Assistant, kb: KnowledgeBase) -> None:
    answer = texts(assistant.say(new_user(), "vem kan soka almis inovationslan"))
    assert kb.get("almi-innovationslan").who_can_apply in answer


def test_two_misses_in_a_row_offer_a_person(assistant: Assistant, kb: KnowledgeBase) -> None:
    user = new_user()
    first = assistant.say(user, "blorpf snuddel vrax")
    assert buttons(first), "the first miss suggests what can be asked"
    second = texts(assistant.say(user, "grumf plinka zatt"))
    assert kb.by_intent("request_human").summary in second


def test_conversations_survive_in_the_tracker_database(assistant: Assistant) -> None:
    user = new_user()
    assistant.say(user, "Hej")
    # Through SQLite, not the file's bytes: in WAL mode new rows sit in tracker.db-wal until a checkpoint.
    with contextlib.closing(sqlite3.connect(assistant.tracker_db)) as db:
        (stored,) = db.execute("SELECT count(*) FROM events WHERE sender_id = ?", (user,)).fetchone()
    assert stored > 0


def test_every_menu_button_gets_a_real_answer(assistant: Assistant) -> None:
    menu = buttons(assistant.say(new_user(), "vad kan du hjälpa mig med?"))
    for button in menu:
        answer = texts(assistant.say(new_user(), button["payload"]))
        assert answer and "hittar jag tyvärr inget" not in answer, button
        assert "förstod inte" not in answer, button


def test_an_unknown_programme_is_said_unknown_not_answered_with_another(assistant: Assistant) -> None:
    said = texts(assistant.say(new_user(), "Hur mycket kan man låna hos Norrlandsfonden?"))
    assert "Norrlandsfonden finns inte i min kunskapsbas" in said
    assert "kronor" not in said


def test_an_answer_is_short_with_its_source_and_read_more_gives_the_whole_entry(
    assistant: Assistant, kb: KnowledgeBase
) -> None:
    user = new_user()
    replies = assistant.say(user, "vem kan söka almis innovationslån?")
    answer = texts(replies)
    assert "250" in answer and "\nKälla: " in answer and len(answer) <= 500
    more = next(b for b in buttons(replies) if b["title"] == "Läs mer")
    whole = texts(assistant.say(user, more["payload"]))
    assert kb.get("almi-innovationslan").summary in whole and len(whole) > len(answer)


def test_an_english_question_gets_swedish_facts_and_one_english_line(assistant: Assistant) -> None:
    said = texts(assistant.say(new_user(), "How much can a company borrow with Almi's innovation loan?"))
    assert said.startswith("I answer in Swedish") and "500 000" in said and "Källa:" in said


def test_och_den_andra_da_answers_the_same_question_about_the_other_one(assistant: Assistant) -> None:
    user = new_user()
    assert "20 miljoner" in texts(
        assistant.say(user, "Hur mycket fick Tillväxtverket för tillverkningsuppdraget 2018?")
    )
    assert "10 miljoner" in texts(assistant.say(user, "och den andra då?"))
