"""Free questions after a recommendation (bot/actions/followup.py): run with the real actions over the shipped
knowledge base, with the profiles of the sixth persona round (docs/evaluations/
2026-11-26-advisor-personas-round6.md) in the slots."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.advice import ActionAdvisorMore, ActionUpdateAdvisor
from bot.actions.followup import asked_part, questions_of
from bot.actions.handoff import ActionClarify
from bot.actions.kbaccess import get_kb
from bot.actions.knowledge import ActionAnswerKb, ActionSupportFor
from bot.actions.resolve import Message, resolve
from bot.kb import KnowledgeBase
from bot.settings import ROOT, get_settings

# A snow-load sensor with LoRa radio and a lithium battery in a plastic enclosure (p01).
SENSOR = {
    "situation": "new_product",
    "stage": "prototype",
    "product_type": ["electronics", "radio", "plastics"],
    "capability": "none",
    "volume": 2000,
    "markets": ["sweden", "nordics"],
    "company": "startup",
    "capital": 1_000_000,
    "priorities": ["control"],
}
# A breathing trainer with a pressure sensor and an app (p05).
MEDTECH = {**SENSOR, "product_type": ["medtech", "electronics", "radio"], "markets": ["sweden", "eu"]}
# A face cream made in the kitchen (p09).
COSMETICS = {
    "situation": "scale_up",
    "product_type": ["cosmetics"],
    "capability": "manual",
    "volume": 18000,
    "markets": ["sweden", "eu"],
    "company": "startup",
    "capital": 150_000,
    "priorities": ["control", "sustainability"],
}
SUMMARY = "Rekommendation: …"
OFFER = "Vill du ha råd för just din produkt?"
NOT_UNDERSTOOD = "Jag är inte säker på att jag förstod"


@pytest.fixture(scope="module")
def domain() -> dict[str, Any]:
    """The real domain, as the action server receives it."""
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "domain")).as_dict()


@pytest.fixture()
def kb(shipped_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> Iterator[KnowledgeBase]:
    """The actions read the shipped knowledge base."""
    monkeypatch.setenv("KNOWLEDGE_DB", str(get_settings().knowledge_db))
    get_kb.cache_clear()
    yield get_kb()
    get_kb.cache_clear()


def tracker(text: str, intent: str, profile: dict[str, Any], summary: str | None = SUMMARY) -> Tracker:
    message = {"text": text, "intent": {"name": intent, "confidence": 0.4}, "entities": []}
    slots = {**profile, "advisor_summary": summary}
    return Tracker("follow-up", slots, message, [], False, None, {}, "action_listen")


def reply(action: Action, t: Tracker, domain: dict[str, Any]) -> str:
    dispatcher = CollectingDispatcher()
    asyncio.run(action.run(dispatcher, t, domain))
    return "\n".join(m.get("text") or "" for m in dispatcher.messages)


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("Vilket stöd kan vi söka?", "supports"),
        ("Finns det någon finansiering för verktygen?", "supports"),
        ("Varför inte tillverka i Polen?", "alternative"),
        ("Vad ska vi tänka på?", "caveats"),
        ("Vilka regler gäller för oss?", "regulations"),
        ("Måste den CE-märkas?", "regulations"),
        ("Vad är nästa steg?", "steps"),
        ("Hur lång ledtid har ett formverktyg?", None),
    ],
)
def test_a_question_is_read_as_the_part_it_asks_for(text: str, part: str | None) -> None:
    assert asked_part(text) == part


def test_a_message_with_two_questions_is_two_questions() -> None:
    text = "Det sitter ett litiumbatteri i, gäller det några regler? Och hur gör vi med de första 200?"
    first, second = text.split("? ")
    assert questions_of(text) == [f"{first}?", second]
    assert questions_of("Vilket stöd kan vi söka?") == ["Vilket stöd kan vi söka?"]


@pytest.mark.parametrize("action", [ActionAnswerKb(), ActionSupportFor(), ActionClarify()])
def test_support_after_a_recommendation_is_the_profiles_own_support_part(
    kb: KnowledgeBase, domain: dict, action: Action
) -> None:
    text = reply(action, tracker("Vilket stöd kan vi söka?", "ask_support_for", SENSOR), domain)
    assert text.startswith("Stöd och aktörer som kan hjälpa")
    assert "2016–2018" not in text and OFFER not in text
    # Without a recommendation the same question gets the general answer, not an advice part.
    before = reply(action, tracker("Vilket stöd kan vi söka?", "ask_support_for", SENSOR, None), domain)
    assert not before.startswith("Stöd och aktörer som kan hjälpa")


def test_a_named_rule_gets_its_passage_not_every_rule_again(kb: KnowledgeBase, domain: dict) -> None:
    question = "Vilka regler gäller för litiumbatteriet i sensorn?"
    text = reply(ActionAdvisorMore(), tracker(question, "advisor_more", SENSOR), domain)
    assert "batteri" in text.lower() and "Källa:" in text
    assert "Regler som gäller produkten" not in text and "RoHS" not in text


def test_the_machinery_question_is_answered_with_the_machinery_rule(kb: KnowledgeBase, domain: dict) -> None:
    machine = {**SENSOR, "product_type": ["electronics"], "situation": "scale_up"}
    question = "Skåpen har pumpar och motorer. Gäller maskindirektivet för oss?"
    text = reply(ActionClarify(), tracker(question, "nlu_fallback", machine), domain)
    assert text.startswith("Maskiner") and NOT_UNDERSTOOD not in text


def test_the_app_of_a_medical_device_gets_the_software_rule(kb: KnowledgeBase, domain: dict) -> None:
    question = "Appen ger feedback till patienten, räknas den som medicinteknisk produkt? Vilken klass?"
    text = reply(ActionClarify(), tracker(question, "nlu_fallback", MEDTECH), domain)
    assert "regel 11" in text and "Källa:" in text


def test_a_tooling_question_that_looks_like_an_answer_is_answered(kb: KnowledgeBase, domain: dict) -> None:
    question = "Behöver vi köpa formverktyg för kapslingen redan till de första 200 st?"
    text = reply(ActionUpdateAdvisor(), tracker(question, "inform", SENSOR), domain)
    assert "aluminium" in text and "Källa:" in text
    assert "Det här har jag med mig" not in text and OFFER not in text


def test_kitchen_production_of_cosmetics_gets_the_premises_rule(kb: KnowledgeBase, domain: dict) -> None:
    question = "Får jag fortsätta tillverka i köket tills vidare, för marknaderna?"
    text = reply(ActionAnswerKb(), tracker(question, "ask_entry", COSMETICS), domain)
    assert "särskilda lokaler" in text and "handlingsplan" not in text.lower()


def test_two_questions_in_one_message_get_two_answers(kb: KnowledgeBase, domain: dict) -> None:
    question = (
        "Det sitter ett litiumbatteri i, gäller det några särskilda regler? "
        "Och hur gör vi med de första 200, ska vi verkligen köpa formverktyg för kapslingen direkt?"
    )
    text = reply(ActionClarify(), tracker(question, "nlu_fallback", SENSOR), domain)
    assert "batteri" in text.lower() and "aluminium" in text
    assert OFFER not in text


def test_two_questions_answered_by_one_passage_get_it_once(kb: KnowledgeBase, domain: dict) -> None:
    question = (
        "Hinner vi få fram formverktyg och första leveransen på 5 månader? "
        "Och vad kostar ett verktyg ungefär?"
    )
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionClarify().run(dispatcher, tracker(question, "nlu_fallback", SENSOR), domain))
    texts = [m.get("text") for m in dispatcher.messages if m.get("text")]
    assert texts and any("verktyg" in t for t in texts)
    assert len(texts) == len(set(texts)), texts


def test_a_strategy_answer_after_a_recommendation_offers_no_new_consultation(
    kb: KnowledgeBase, domain: dict
) -> None:
    question = "Hur hittar jag en legotillverkare?"
    text = reply(ActionAnswerKb(), tracker(question, "ask_find_manufacturer", SENSOR), domain)
    assert "Källa:" in text and OFFER not in text


@pytest.mark.parametrize(
    ("question", "entry", "words"),
    [
        ("Vad kostar ett formverktyg för formsprutning?", "formverktyg", "dollar"),
        ("Hur lång ledtid har ett aluminiumverktyg jämfört med ett stålverktyg?", "formverktyg", "vecka"),
        ("Hur transporterar vi produkter med litiumbatterier?", "batterier", "UN 38.3"),
        ("Räknas vår app som medicinteknisk programvara?", "medicinteknisk-programvara", "appar"),
        ("Vilken klass får medicinteknisk programvara enligt regel 11?", "medicinteknisk-programvara", "IIa"),
        ("Får man tillverka kosmetika hemma i köket?", "kosmetika", "särskilda lokaler"),
    ],
)
def test_the_new_passages_are_found(shipped_kb: KnowledgeBase, question: str, entry: str, words: str) -> None:
    found = resolve(shipped_kb, Message(text=question))
    assert found.entry is not None and found.entry.id == entry
    assert any(words in passage.text for passage in found.passages), [p.text for p in found.passages]
