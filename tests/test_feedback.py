"""Ratings: which answer a 👍/👎 rates, the events the rating actions store, the REST marker."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.feedback import ActionRateAnswer, ActionSaveRatingComment, new_question
from bot.feedback import answer_ref, answers, rated_answer, rating_marker, rating_payload
from bot.settings import ROOT

ALMI = (
    "Almis innovationslån – belopp: upp till 2 miljoner.\n\n"
    "Källa: https://www.almi.se (uppgifterna avser 2024-01-01)"
)
ROBOT = "Robotlyftet: stöd för robotar.\n\nKälla: https://robotlyftet.se (uppgifterna avser 2025-01-01)"


def user(text: str, intent: str = "ask_amount") -> dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}


def answered(action: str, text: str, entry: str | None, **metadata: Any) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = [
        {"event": "action", "name": action},
        {"event": "bot", "text": text, "timestamp": 100.0, "metadata": metadata, "data": {}},
    ]
    if entry:
        events.append({"event": "slot", "name": "current_entry", "value": entry})
    return [*events, {"event": "action", "name": "action_listen"}]


CONVERSATION = [
    user("hur mycket kan man låna hos almi?"),
    *answered("action_answer_kb", ALMI, "almi-innovationslan"),
    user('/ask_entry{"kb_entry": "robotlyftet"}', "ask_entry"),
    *answered("action_answer_kb", ROBOT, "robotlyftet"),
    user('/rate_answer{"rating": "up"}', "rate_answer"),
]


@pytest.fixture(scope="module")
def domain() -> dict[str, Any]:
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "domain")).as_dict()


def run(action: Any, tracker: Tracker, domain: dict[str, Any]) -> tuple[list[dict[str, Any]], list[Any]]:
    dispatcher = CollectingDispatcher()
    return dispatcher.messages, asyncio.run(action.run(dispatcher, tracker, domain))


def rating_tracker(
    rating: str, events: list[dict[str, Any]], loop: str | None = None, **extra: str
) -> Tracker:
    entities = [{"entity": "rating", "value": rating}] + [{"entity": k, "value": v} for k, v in extra.items()]
    message = {"text": rating_payload(rating, extra), "intent": {"name": "rate_answer"}, "entities": entities}
    return Tracker("t", {}, message, events, False, None, {"name": loop} if loop else {}, "action_listen")


def test_answers_know_their_entry_and_the_question_or_tapped_button() -> None:
    events = [
        {
            "event": "bot",
            "text": "Välj",
            "data": {"buttons": [{"title": "Robotlyftet", "payload": CONVERSATION[5]["text"]}]},
        },
        *CONVERSATION,
    ]
    found = answers(events)
    assert [(a.answer_id, a.question) for a in found] == [
        ("almi-innovationslan", "hur mycket kan man låna hos almi?"),
        ("robotlyftet", "Robotlyftet"),
    ]


@pytest.mark.parametrize(
    ("answer_id", "ref", "expected"),
    [
        (None, None, "robotlyftet"),
        ("almi-innovationslan", None, "almi-innovationslan"),
        (None, answer_ref(ALMI), "almi-innovationslan"),
        ("okänd", None, None),
        (None, "00000000", None),
    ],
)
def test_a_rating_rates_the_answer_it_names_else_the_latest(
    answer_id: str | None, ref: str | None, expected: str | None
) -> None:
    """Without a reference the latest answer is rated; a reference no longer in the history rates nothing."""
    found = rated_answer(CONVERSATION, answer_id, ref)
    assert (found.answer_id if found else None) == expected


def test_the_recommendation_is_rated_by_its_marker() -> None:
    events = [
        user("ja", "affirm"),
        *answered("action_recommend", "Vi rekommenderar…", None, rating={"answer": "recommendation"}),
    ]
    found = rated_answer(events)
    assert found is not None and found.answer_id == "recommendation"


def test_rest_marker_only_on_answers_with_a_source_or_a_marker() -> None:
    assert rating_marker(ALMI, {}) == {"ref": answer_ref(ALMI)}
    assert rating_marker("Hej! Vad vill du veta?", {}) is None
    assert rating_marker("Rekommendation", {"rating": {"answer": "recommendation"}}) == {
        "answer": "recommendation",
        "ref": answer_ref("Rekommendation"),
    }


def test_payload_fits_telegrams_callback_data() -> None:
    assert rating_payload("down", {"ref": "1a2b3c4d"}) == '/rate_answer{"rating":"down","ref":"1a2b3c4d"}'
    assert len(rating_payload("down", {"ref": "1a2b3c4d"}).encode()) <= 64
    with pytest.raises(ValueError, match="expected: up, down"):
        rating_payload("meh")


def test_thumbs_up_stores_the_rating_with_answer_and_question(domain: dict[str, Any]) -> None:
    messages, events = run(
        ActionRateAnswer(), rating_tracker("up", CONVERSATION, ref=answer_ref(ALMI)), domain
    )
    assert messages[0]["response"] == "utter_rating_thanks"
    assert events == [
        SlotSet(
            "answer_rating",
            {
                "rating": "up",
                "answer": "almi-innovationslan",
                "question": "hur mycket kan man låna hos almi?",
                "answered_at": 100.0,
            },
        )
    ]


def test_thumbs_down_asks_what_was_missing(domain: dict[str, Any]) -> None:
    _, events = run(ActionRateAnswer(), rating_tracker("down", CONVERSATION), domain)
    assert events[0]["value"]["rating"] == "down" and events[0]["value"]["answer"] == "robotlyftet"
    assert events[-1] == FollowupAction("rating_comment_form")


def test_thumbs_down_during_a_consultation_does_not_interrupt_it(domain: dict[str, Any]) -> None:
    messages, events = run(
        ActionRateAnswer(), rating_tracker("down", CONVERSATION, loop="advisor_form"), domain
    )
    assert messages[0]["response"] == "utter_rating_noted"
    assert not any(e.get("event") == "followup" for e in events)


def test_nothing_to_rate_says_so(domain: dict[str, Any]) -> None:
    messages, events = run(ActionRateAnswer(), rating_tracker("up", [user("hej", "greet")]), domain)
    assert messages[0]["response"] == "utter_rating_unknown" and events == []


@pytest.mark.parametrize(
    ("written", "intent", "stored"),
    [
        ("Beloppet för små företag saknades", "inform", "Beloppet för små företag saknades"),
        ("/deny", "deny", None),
    ],
)
def test_the_comment_is_stored_with_its_rating(
    domain: dict[str, Any], written: str, intent: str, stored: str | None
) -> None:
    rating = {"rating": "down", "answer": "robotlyftet", "question": "Robotlyftet", "answered_at": 100.0}
    slots = {"answer_rating": rating, "rating_comment": written}
    message = {"text": written, "intent": {"name": intent}, "entities": []}
    t = Tracker("t", slots, message, [], False, None, {}, "action_listen")
    _, events = run(ActionSaveRatingComment(), t, domain)
    saved = [e["value"] for e in events if e.get("name") == "answer_rating"]
    assert saved == ([{**rating, "comment": stored}] if stored else [])


@pytest.mark.parametrize(
    ("text", "intent", "confidence", "action"),
    [
        ("Beloppet saknades", "ask_amount", 0.9, None),
        ("hur söker jag startbidrag hos Jordbruksverket", "ask_how_to_apply", 0.8, "action_answer_kb"),
        ("vilket stöd finns för automation?", "ask_support_for", 0.9, "action_support_for"),
        ("vad blir vädret i morgon", "out_of_scope", 0.9, "action_out_of_scope"),
        ("vilket ESD-skydd behövs i fabriken", "nlu_fallback", 0.2, "action_clarify"),
    ],
)
def test_a_new_question_instead_of_a_comment_is_answered(
    text: str, intent: str, confidence: float, action: str | None
) -> None:
    message = {"text": text, "intent": {"name": intent, "confidence": confidence}}
    assert new_question(message) == action
