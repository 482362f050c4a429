"""Knowledge actions run with a Tracker built from a dict and a CollectingDispatcher, over a fixture KB."""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.advice import ActionUpdateAdvisor, names_entry
from bot.actions.handoff import ActionClarify
from bot.actions.kbaccess import get_kb
from bot.actions.knowledge import ActionAnswerKb, ActionOpenCalls, ActionSupportFor
from bot.kb import KnowledgeBase, build
from bot.settings import ROOT

FIXTURES = ROOT / "tests" / "data" / "kb_fixtures" / "good"


@pytest.fixture(scope="module")
def domain() -> dict[str, Any]:
    """The real domain, as the action server receives it."""
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "domain")).as_dict()


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("kb") / "knowledge.db"
    build(FIXTURES, db)
    return db


@pytest.fixture()
def kb(fixture_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[KnowledgeBase]:
    """The actions' knowledge base pointed at the fixture database; today is 2026-11-23."""
    monkeypatch.setenv("KNOWLEDGE_DB", str(fixture_db))
    monkeypatch.setenv("LOTSEN_TODAY", "2026-11-23")
    get_kb.cache_clear()
    yield get_kb()
    get_kb.cache_clear()


def tracker(
    intent: str, text: str = "", entities: list[dict[str, str]] | None = None, **slots: Any
) -> Tracker:
    message = {
        "text": text or f"/{intent}",
        "intent": {"name": intent, "confidence": 0.95},
        "entities": entities or [],
    }
    return Tracker("test-user", slots, message, [], False, None, {}, "action_listen")


def run(action: Action, t: Tracker, domain: dict[str, Any]) -> tuple[list[dict[str, Any]], list[Any]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, domain))
    return dispatcher.messages, events


def entity(value: str) -> list[dict[str, str]]:
    return [{"entity": "kb_entry", "value": value}]


def test_amount_of_a_closed_call_says_closed_and_cites_source(kb: KnowledgeBase, domain: dict) -> None:
    call = kb.get("regional-utlysning-2016")
    question = "hur mycket kunde man söka i regionala utlysningen 2016?"
    messages, events = run(ActionAnswerKb(), tracker("ask_amount", question, entity(call.id)), domain)
    text = messages[0]["text"]
    assert call.amount in text
    assert "stängd" in text and "2016-09-30" in text and call.current_info_url in text
    assert call.sources[0].url in text and "2016-09-30" in text
    assert SlotSet("current_entry", call.id) in events


def test_a_status_question_answered_with_another_fact_still_says_closed(
    kb: KnowledgeBase, domain: dict
) -> None:
    call = kb.get("regional-utlysning-2016")
    question = "kan jag fortfarande söka de 400 000 kronorna i regionala utlysningen 2016?"
    messages, _ = run(ActionAnswerKb(), tracker("ask_status", question, entity(call.id)), domain)
    text = messages[0]["text"]
    assert "400 000" in text
    assert "stängd" in text and "2016-09-30" in text and "är öppen" not in text


def test_an_answer_is_marked_for_rating_with_the_passage_it_answers_from(
    kb: KnowledgeBase, domain: dict
) -> None:
    call = kb.get("regional-utlysning-2016")
    question = "hur mycket kunde man söka i regionala utlysningen 2016?"
    messages, _ = run(ActionAnswerKb(), tracker("ask_amount", question, entity(call.id)), domain)
    assert messages[0]["rating"] == {"answer": f"{call.id}#amount"}
    # "Läs mer" answers with the whole entry: the rating is about the entry.
    messages, _ = run(ActionAnswerKb(), tracker("read_more", "/read_more", entity(call.id)), domain)
    assert messages[0]["rating"] == {"answer": call.id}


def test_follow_up_uses_the_entry_under_discussion(kb: KnowledgeBase, domain: dict) -> None:
    t = tracker("ask_dates", "när ska det redovisas?", current_entry="regional-utlysning-2016")
    messages, _ = run(ActionAnswerKb(), t, domain)
    assert "2017-03-30" in messages[0]["text"]


def test_the_same_call_is_open_before_its_closing_date(
    kb: KnowledgeBase, domain: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOTSEN_TODAY", "2016-09-01")
    t = tracker("ask_status", "är den öppen?", current_entry="regional-utlysning-2016")
    messages, _ = run(ActionAnswerKb(), t, domain)
    assert (
        "Det går att söka Regional utlysning 2016 inom Smart industri till och med 2016-09-30"
        in messages[0]["text"]
    )


def test_a_call_without_closing_date_is_never_called_open(kb: KnowledgeBase, domain: dict) -> None:
    call = kb.get("industrialiseringshubbar-2019")
    assert call.dates.closes is None
    payload = f'/ask_status{{"kb_entry": "{call.id}"}}'
    messages, _ = run(ActionAnswerKb(), tracker("ask_status", payload, entity(call.id)), domain)
    assert "är en avslutad utlysning från 2019 och går inte att söka" in messages[0]["text"]
    assert "2019" in messages[0]["text"] and call.current_info_url in messages[0]["text"]


def test_a_bare_name_is_answered_not_asked_back(kb: KnowledgeBase, domain: dict) -> None:
    messages, events = run(ActionClarify(), tracker("nlu_fallback", "Robotlyftet?"), domain)
    assert kb.get("robotlyftet").summary in messages[0]["text"]
    assert SlotSet("current_entry", "robotlyftet") in events


def test_strategy_question_gets_its_default_entry_even_when_a_term_is_named(
    kb: KnowledgeBase, domain: dict
) -> None:
    t = tracker("ask_make_or_buy", "tillverka själv eller legotillverkning?", entity("legotillverkning"))
    assert kb.search("legotillverkning")[0].entry.id == "legotillverkning"
    messages, events = run(ActionAnswerKb(), t, domain)
    assert SlotSet("current_entry", "tillverka-sjalv-eller-kopa") in events
    assert kb.get("tillverka-sjalv-eller-kopa").summary in messages[0]["text"]


def test_unknown_topic_is_answered_honestly_with_where_to_look(kb: KnowledgeBase, domain: dict) -> None:
    messages, events = run(ActionAnswerKb(), tracker("ask_entry", "qwxz zzkj"), domain)
    assert "hittar jag tyvärr inget" in messages[0]["text"]
    assert any(kb.get("aktuella-utlysningar").summary in (m.get("text") or "") for m in messages)
    assert events == []


def test_an_unknown_programme_of_a_known_actor_points_to_the_actor(kb: KnowledgeBase, domain: dict) -> None:
    """ "Tillväxtverkets Exportcheckfonden" is unknown, and Tillväxtverket's own site is where to look."""
    text = "Hur söker man Tillväxtverkets Exportcheckfonden?"
    messages, _ = run(ActionAnswerKb(), tracker("ask_how_to_apply", text), domain)
    actor = kb.get("tillvaxtverket")
    site = actor.current_info_url or actor.apply_url or actor.sources[0].url
    assert "Exportcheckfonden finns inte i min kunskapsbas" in messages[0]["text"]
    assert f"Kontrollera hos {actor.title}: {site}" in messages[0]["text"]


def test_how_to_apply_to_an_ended_programme_is_the_ended_note(kb: KnowledgeBase, domain: dict) -> None:
    """ "Hur ansöker man …?" about an ended programme: that it has ended answers it, not "no how-to-apply in
    the knowledge base"."""
    text = "Hur ansöker man om pengar ur kompetensuppdraget?"
    said = run(ActionAnswerKb(), tracker("ask_how_to_apply", text), domain)[0][0]["text"]
    assert "Avslutat 2020 och går inte att söka nu" in said
    assert "Uppgift om så söker du" not in said


def test_an_ended_programme_asked_about_something_else_gets_no_ended_note(
    kb: KnowledgeBase, domain: dict
) -> None:
    """A government assignment is not applied for itself: the note is for questions about applying."""
    said = run(ActionAnswerKb(), tracker("ask_amount", "Hur mycket fick kompetensuppdraget?"), domain)[0]
    assert "20" in said[0]["text"] and "går inte att söka" not in said[0]["text"]
    question = "Kan vi söka pengar ur kompetensuppdraget?"
    asked = run(ActionAnswerKb(), tracker("ask_amount", question), domain)[0]
    assert "Avslutat 2020 och går inte att söka nu" in asked[0]["text"]


def test_open_calls_none_open_today_lists_closed_ones(kb: KnowledgeBase, domain: dict) -> None:
    messages, _ = run(ActionOpenCalls(), tracker("ask_open_calls"), domain)
    assert "Ingen av utlysningarna" in messages[0]["text"]
    closed = [b["payload"] for m in messages for b in m.get("buttons") or []]
    assert '/ask_entry{"kb_entry": "regional-utlysning-2016"}' in closed


def test_open_calls_are_listed_from_their_dates_with_the_upcoming_ones(
    kb: KnowledgeBase, domain: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOTSEN_TODAY", "2016-09-01")
    messages, _ = run(ActionOpenCalls(), tracker("ask_open_calls"), domain)
    said = "\n".join(m["text"] for m in messages)
    assert "De här utlysningarna är öppna" in messages[0]["text"]
    assert [b["title"] for b in messages[0]["buttons"]] == [kb.get("regional-utlysning-2016").title]
    upcoming = next(m for m in messages if "har inte öppnat ännu" in m["text"])
    assert [b["title"] for b in upcoming["buttons"]] == [kb.get("industrialiseringshubbar-2019").title]
    assert "Ingen av utlysningarna" not in said and "historisk" not in said


def test_a_question_the_nlu_takes_for_a_consultation_answer_is_answered_from_the_kb(
    kb: KnowledgeBase, domain: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A model trained before the call existed reads the region as an answer to the consultation.
    monkeypatch.setenv("LOTSEN_TODAY", "2016-09-01")
    t = tracker("inform", "ar regional utlysning 2016 oppen for oss i vastra gotaland?")
    messages, events = run(ActionUpdateAdvisor(), t, domain)
    assert (
        "Det går att söka Regional utlysning 2016 inom Smart industri till och med 2016-09-30"
        in (messages[0]["text"])
    )
    assert SlotSet("current_entry", "regional-utlysning-2016") in events


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("kan vi söka robotlyftet?", True),
        ("vi vill använda legotillverkning?", False),  # a term, not a named call, support or actor
        ("tillverkaren vill ha minst 5000 st per order, hur gör vi?", False),
    ],
)
def test_a_message_names_a_call_support_or_actor(kb: KnowledgeBase, text: str, names: bool) -> None:
    assert names_entry(text) is names


def test_a_consultation_answer_naming_nothing_is_asked_back(kb: KnowledgeBase, domain: dict) -> None:
    t = tracker("inform", "Tillverkaren vill ha minst 5000 st per order men vi behöver bara 500. Hur gör vi?")
    messages, events = run(ActionUpdateAdvisor(), t, domain)
    assert messages[0]["text"].startswith("Jag är inte säker på att jag förstod") and events == []


def test_support_for_a_topic_lists_matching_entries(kb: KnowledgeBase, domain: dict) -> None:
    t = tracker("ask_support_for", "stöd för automation", [{"entity": "topic", "value": "automation"}])
    messages, _ = run(ActionSupportFor(), t, domain)
    said = " ".join(m["text"] for m in messages) + " ".join(
        b["title"] for m in messages for b in m["buttons"]
    )
    assert kb.get("robotlyftet").title in said


def test_second_miss_in_a_row_offers_a_person(kb: KnowledgeBase, domain: dict) -> None:
    first, events = run(ActionClarify(), tracker("nlu_fallback", "blorp"), domain)
    assert events == [SlotSet("fallback_count", 1.0)]
    assert first[0]["buttons"], "the first miss suggests what to ask"
    second, events = run(ActionClarify(), tracker("nlu_fallback", "blorp", fallback_count=1.0), domain)
    assert "prata med en människa" in second[0]["text"].lower() or "människa" in second[0]["text"]
    assert events == [SlotSet("fallback_count", 0.0)]


def test_missing_database_gives_a_clear_swedish_message(
    domain: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KNOWLEDGE_DB", str(tmp_path / "missing.db"))
    get_kb.cache_clear()
    try:
        messages, events = run(ActionAnswerKb(), tracker("ask_entry", "robotlyftet"), domain)
    finally:
        get_kb.cache_clear()
    assert messages[0]["text"].startswith("Kunskapsbasen går inte att nå just nu")
    assert events == []


def test_running_actions_answer_from_a_rebuilt_database_without_restart(
    domain: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(FIXTURES, knowledge)
    db = tmp_path / "knowledge.db"
    build(knowledge, db)
    monkeypatch.setenv("KNOWLEDGE_DB", str(db))
    get_kb.cache_clear()
    try:
        question = tracker("ask_entry", "vad är formsprutning?", entity("formsprutning"))
        before, _ = run(ActionAnswerKb(), question, domain)
        assert "hittar jag tyvärr inget" in before[0]["text"]
        template = (knowledge / "entries" / "support" / "robotlyftet.yml").read_text(encoding="utf-8")
        new_entry = (
            template.replace("id: robotlyftet", "id: formsprutning")
            .replace("kind: support", "kind: glossary")
            .replace("title: Robotlyftet", "title: Formsprutning")
            .replace("aliases: [robotcheck]", "aliases: [formsprutning]")
            .replace("summary: Robotlyftet hjälpte", "summary: Formsprutning testar att")
        )
        (knowledge / "entries" / "glossary" / "formsprutning.yml").write_text(new_entry, encoding="utf-8")
        build(knowledge, db)
        after, events = run(ActionAnswerKb(), question, domain)
        assert "Formsprutning testar att" in after[0]["text"]
        assert SlotSet("current_entry", "formsprutning") in events
    finally:
        get_kb.cache_clear()


def test_an_unsure_follow_up_answers_about_the_entry_under_discussion(
    kb: KnowledgeBase, domain: dict
) -> None:
    t = tracker("nlu_fallback", "och hur mkt fick dom", current_entry="regional-utlysning-2016")
    t.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.2},
        {"name": "ask_amount", "confidence": 0.15},
    ]
    messages, events = run(ActionClarify(), t, domain)
    assert kb.get("regional-utlysning-2016").amount in messages[0]["text"]
    assert SlotSet("fallback_count", 0.0) in events


def test_support_question_naming_one_support_answers_about_it(kb: KnowledgeBase, domain: dict) -> None:
    t = tracker("ask_support_for", "robotlyftet, kan jag få pengar till att köpa en robot?")
    messages, events = run(ActionSupportFor(), t, domain)
    assert "inte användas till att köpa robotar" in messages[0]["text"]
    assert SlotSet("current_entry", "robotlyftet") in events


def test_a_menu_button_without_entity_gets_the_intents_default_entry(kb: KnowledgeBase, domain: dict) -> None:
    messages, events = run(ActionAnswerKb(), tracker("ask_make_or_buy", "/ask_make_or_buy"), domain)
    assert kb.get("tillverka-sjalv-eller-kopa").summary in messages[0]["text"]
    assert SlotSet("current_entry", "tillverka-sjalv-eller-kopa") in events


def test_the_consultation_is_offered_under_guidance_not_under_a_programmes_facts() -> None:
    from bot.actions.knowledge import offers_consultation
    from bot.kb.model import Entry, Source

    def entry(kind: str) -> Entry:
        return Entry(
            id="e",
            kind=kind,
            title="T",
            summary="S",
            facts_as_of=dt.date(2018, 7, 1),
            sources=(Source(supports="S", url="https://example.org"),),
            topics=("production-strategy",),
        )

    assert offers_consultation(entry("strategy"), "ska vi tillverka själva?")
    assert not offers_consultation(entry("programme"), "vad fick uppdraget för pengar 2018?")


def test_a_rule_in_force_is_cited_with_the_day_its_page_was_read(domain: dict) -> None:
    from bot.actions.answers import Answerer
    from bot.actions.texts import Texts
    from bot.kb.model import Source

    answerer = Answerer(Texts(domain), None, dt.date(2026, 11, 26))  # type: ignore[arg-type]
    page = Source(supports="CE", url="https://example.org/ce")
    read = answerer.source_line(page, dt.date(2026, 11, 26), read=True)
    assert read == "Källa: https://example.org/ce (sidan läst 2026-11-26)"
    # A date recorded as a year or a month is cited as one, not as a made-up day.
    assert answerer.source_line(page, dt.date(2024, 1, 1)).endswith("(uppgifterna avser 2024)")
    assert answerer.source_line(page, dt.date(2018, 7, 1)).endswith("(uppgifterna avser juli 2018)")
    assert answerer.source_line(page, dt.date(2016, 9, 30)).endswith("(uppgifterna avser 2016-09-30)")
    # A source that names its own date is cited with it.
    dated = Source(supports="CE", url="https://example.org/ce", date="juli 2018")
    assert answerer.source_line(dated, dt.date(2026, 11, 26), read=True).endswith(
        "(uppgifterna avser juli 2018)"
    )


def test_the_consultation_is_not_offered_again_after_its_recommendation(
    kb: KnowledgeBase, domain: dict
) -> None:
    question = "ska vi tillverka själva eller köpa tillverkningen?"
    ask = tracker("ask_entry", question, entity("tillverka-sjalv-eller-kopa"))
    messages, _ = run(ActionAnswerKb(), ask, domain)
    offer = domain["responses"]["utter_consultation_offer"][0]["text"]
    assert offer in messages[0]["text"]
    after = tracker(
        "ask_entry", question, entity("tillverka-sjalv-eller-kopa"), advisor_summary="Rekommendation: …"
    )
    messages, _ = run(ActionAnswerKb(), after, domain)
    assert offer not in messages[0]["text"] and "Källa:" in messages[0]["text"]  # the answer, no offer


def test_open_calls_question_naming_an_unknown_programme_says_it_is_unknown(domain: dict) -> None:
    """ "just nu" makes a question about open calls, but a programme the knowledge base lacks is unknown."""
    text = "Har Norrlandsfonden något lån öppet för tillverkare just nu?"
    messages, _ = run(ActionOpenCalls(), tracker("ask_open_calls", text), domain)
    said = "\n".join(m["text"] for m in messages)
    assert "Norrlandsfonden" in said and "Ingen av utlysningarna" not in said
