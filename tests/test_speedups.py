"""Rasa with `bot.speedups` (and the intent classifier's own predict_proba) decides exactly as without:
the action-response check accepts and rejects what Rasa's does, the graph runs as under dask, the rule
policy sees the end of the same states and predicts the same, the classifier gives the same numbers."""

from __future__ import annotations

import copy
from typing import Any

import jsonschema
import numpy as np
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    Event,
    LoopInterrupted,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.slots import AnySlot, BooleanSlot, CategoricalSlot, FloatSlot, ListSlot, Slot, TextSlot
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from bot import speedups
from bot.nlu import classifier
from bot.settings import ROOT

RESPONSES = [
    {"events": [{"event": "slot", "name": "current_entry", "value": "x"}], "responses": [{"text": "Hej"}]},
    {"events": [], "responses": [{"text": "Välj", "buttons": [{"title": "A", "payload": "/a"}]}]},
    {"events": "not a list", "responses": []},
    {"events": [{"name": "no event type"}], "responses": []},
    {"responses": [{"text": 5}]},
]


@pytest.mark.parametrize("response", RESPONSES)
def test_same_verdict_as_rasa(response: dict[str, Any]) -> None:
    try:
        jsonschema.validate(response, RemoteAction.action_response_format_spec())
        expected_ok = True
    except jsonschema.ValidationError:
        expected_ok = False
    action = RemoteAction("action_answer_kb", None)
    if expected_ok:
        assert speedups._validate_action_result(action, response) is True
    else:
        with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
            speedups._validate_action_result(action, response)


def test_install_replaces_rasas_check() -> None:
    speedups.install()
    assert RemoteAction._validate_action_result is speedups._validate_action_result


MORE_RESPONSES = [
    {
        "events": [
            {"event": "slot", "name": "stage", "value": "prototype", "timestamp": None},
            {"event": "active_loop", "name": "advisor_form"},
            {"event": "followup", "name": "advisor_form"},
            {"event": "bot", "text": "Hej", "data": {}},
            {"event": "action", "name": "action_listen", "policy": None, "confidence": 1.0},
        ],
        "responses": [],
    },
    {"events": [{"event": "slot", "value": 1}], "responses": []},  # a slot without a name
    {"events": [{"event": "no_such_event"}], "responses": []},
    {"events": [{"event": 5}], "responses": []},
    {"events": [{"event": "action", "hide_rule_turn": "yes"}], "responses": []},
    {"events": [], "responses": "not a list"},
    {"events": [{"event": "slot", "name": "x", "value": None}]},
    "not an object",
]


@pytest.mark.parametrize("response", RESPONSES + MORE_RESPONSES)
def test_the_quick_check_accepts_only_what_the_schema_accepts(response: Any) -> None:
    full = jsonschema.Draft7Validator(RemoteAction.action_response_format_spec()).is_valid(response)
    if speedups._quickly_valid(response):
        assert full
    elif isinstance(response, dict) and all(isinstance(e, dict) for e in response.get("events") or ()):
        # Everything the schema accepts the quick check accepts too, so the full check stays rare.
        assert not full


class _Schema:
    def __init__(self, targets: list[str]) -> None:
        self.target_names = targets

    def minimal_graph_schema(self, targets: list[str]) -> _Schema:
        return self


class _Runner:
    """The parts of a DaskGraphRunner that `run` uses, with a small graph of (node name, output) nodes."""

    def __init__(self, calls: list[str]) -> None:
        self._graph_schema = _Schema(["c", "d"])
        self.calls = calls

    def node(self, name: str) -> Any:
        def run(*inputs: tuple[str, Any]) -> tuple[str, Any]:
            self.calls.append(name)
            return name, [value for _, value in inputs]

        return run

    def _build_dask_graph(self, schema: _Schema) -> dict[str, Any]:
        return {
            "a": (self.node("a"), "x"),
            "b": (self.node("b"), "a", "x"),
            "c": (self.node("c"), "a", "b"),
            "d": (self.node("d"), "b", "y"),
        }

    _add_inputs_to_graph = staticmethod(DaskGraphRunner._add_inputs_to_graph)


def test_the_graph_runs_as_with_dask() -> None:
    import dask

    ours: list[str] = []
    result = speedups._run_graph(_Runner(ours), {"x": 1, "y": 2})  # type: ignore[arg-type]
    theirs: list[str] = []
    runner = _Runner(theirs)
    graph = runner._build_dask_graph(runner._graph_schema)
    runner._add_inputs_to_graph({"x": 1, "y": 2}, graph)
    assert result == dict(dask.get(graph, ["c", "d"]))
    assert result == {"c": [[1], [[1], 1]], "d": [[[1], 1], 2]}
    assert sorted(ours) == sorted(theirs) == ["a", "b", "c", "d"]  # each node once
    assert speedups._run_graph(_Runner([]), {"x": 1, "y": 2}, ["a"]) == {"a": [1]}  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain"))


def test_the_last_states_are_the_end_of_all_states(domain: Domain) -> None:
    events = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
    for i in range(6):
        events += [
            UserUttered(f"fråga {i}", {"name": "ask_entry", "confidence": 1.0}),
            ActionExecuted("action_answer_kb"),
            SlotSet("current_entry", f"entry-{i}"),
            BotUttered(f"svar {i}"),
        ]
        if i == 2:
            events += [
                ActionExecuted("advisor_form"),
                ActiveLoop("advisor_form"),
                SlotSet("requested_slot", "stage"),
            ]
        if i == 4:
            events += [ActiveLoop(None), SlotSet("requested_slot", None)]
        events.append(ActionExecuted("action_listen"))
    for end in range(1, len(events) + 1):
        tracker = DialogueStateTracker.from_events("anna", events[:end], domain.slots)
        every = tracker.past_states(domain)
        for keep in (1, 2, 3, 5, len(every), len(every) + 3):
            assert speedups._last_states(tracker, domain, keep) == every[-keep:]


def test_the_last_states_of_a_growing_tracker_are_the_end_of_all_states(domain: Domain) -> None:
    """One tracker, updated event by event as Rasa does between predictions (with loops run again,
    reverts and restarts that undo applied events): the kept replay gives what a full one gives."""
    events = _conversation(11)
    tracker = DialogueStateTracker("anna", domain.slots)
    resumed = 0
    for event in events:
        tracker.update(event)
        every = tracker.past_states(domain)
        for keep in (4, 4, 1, len(every) + 2, 4, 4):
            before = tracker.__dict__.get("_lotsen_replay")
            replayed = len(before.applied) if before is not None and before.keep == keep else 0
            assert speedups._last_states(tracker, domain, keep) == every[-keep:]
            resumed += replayed > 0 and tracker.__dict__["_lotsen_replay"] is before
    assert resumed > len(events)  # most calls went on from the kept replay


def _history(i: int) -> list[Event]:
    """A conversation's turn `i`, with the events that make `applied_events` drop or undo some."""
    turn: list[Event] = [
        UserUttered(f"fråga {i}", {"name": "ask_entry", "confidence": 1.0}),
        ActionExecuted("action_answer_kb"),
        SlotSet("current_entry", f"entry-{i}"),
        BotUttered(f"svar {i}"),
        ActionExecuted("action_listen"),
    ]
    if i % 5 == 1:  # a form: activated, interrupted (unhappy path), run again, rejected, ended
        turn += [
            UserUttered("/start_consultation", {"name": "start_consultation", "confidence": 1.0}),
            ActionExecuted("advisor_form"),
            ActiveLoop("advisor_form"),
            SlotSet("requested_slot", "stage"),
            ActionExecuted("action_listen"),
            UserUttered("vad är det?", {"name": "ask_entry", "confidence": 1.0}),
            ActionExecutionRejected("advisor_form"),
            LoopInterrupted(True),
            ActionExecuted("action_answer_kb"),
            ActionExecuted("advisor_form"),
            ActionExecuted("action_listen"),
            UserUttered("prototyp", {"name": "inform", "confidence": 1.0}),
            ActionExecuted("advisor_form"),
            SlotSet("stage", "prototype"),
            ActionExecuted("advisor_form"),
            ActiveLoop(None),
            SlotSet("requested_slot", None),
            ActionExecuted("action_listen"),
        ]
    if i % 5 == 2:
        turn += [ActionReverted(), UserUtteranceReverted(), AllSlotsReset()]
    if i % 5 == 3:
        turn += [Restarted(), ActionExecuted("action_session_start"), SessionStarted()]
    return turn


def _conversation(turns: int) -> list[Event]:
    events: list[Event] = [ActionExecuted("action_session_start"), SessionStarted()]
    events.append(ActionExecuted("action_listen"))
    for i in range(turns):
        events += _history(i)
    return events


def test_applied_events_are_rasas(domain: Domain) -> None:
    events = _conversation(12)
    dropped = 0
    for end in range(1, len(events) + 1):
        tracker = DialogueStateTracker.from_events("anna", events[:end], domain.slots)
        theirs = speedups._stock_applied_events(tracker)
        assert speedups._applied_events(tracker) == theirs
        assert [id(e) for e in speedups._applied_events(tracker)] == [id(e) for e in theirs]
        dropped = max(dropped, end - len(theirs))
    assert dropped > 20  # the restarts, reverts and loop re-runs were applied


def test_applied_events_of_a_growing_tracker_are_rasas(domain: Domain) -> None:
    tracker = DialogueStateTracker("anna", domain.slots)
    for event in _conversation(12):
        tracker.update(event)
        theirs = speedups._stock_applied_events(tracker)
        ours = speedups._applied_events(tracker)
        assert [id(e) for e in ours] == [id(e) for e in theirs]
        ours.clear()  # a caller changing its list changes nothing kept
        assert [id(e) for e in speedups._applied_events(tracker)] == [id(e) for e in theirs]
    tracker.events = tracker._create_events([])  # replaced, as Rasa's recreate does
    assert speedups._applied_events(tracker) == []


def test_a_tracker_updated_by_the_quick_update_is_rasas(domain: Domain) -> None:
    events = _conversation(6)
    theirs = DialogueStateTracker("anna", domain.slots)
    ours = DialogueStateTracker("anna", domain.slots)
    theirs.model_id = ours.model_id = "model-1"
    for event in events:
        speedups._stock_update(theirs, copy.deepcopy(event), domain)
        speedups._update(ours, copy.deepcopy(event), domain)
        assert ours.current_state() == theirs.current_state()
    assert list(ours.events) == list(theirs.events)
    assert all(e.metadata == {"model_id": "model-1"} for e in ours.events)
    with pytest.raises(ValueError, match="must be an instance"):
        speedups._update(ours, "not an event")  # type: ignore[arg-type]


class _PickledSlot(TextSlot):
    """A slot class with its own pickle state: `copy.copy` must take its own path."""

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "copied": True}


@pytest.mark.parametrize(
    "slot",
    [
        TextSlot("t", [], initial_value="x"),
        FloatSlot("f", [], max_value=3.0, min_value=1.0),
        BooleanSlot("b", []),
        ListSlot("l", [], initial_value=["a"]),
        CategoricalSlot("c", [], values=["a", "b"]),
        AnySlot("any", []),
        _PickledSlot("p", []),
    ],
)
def test_a_slot_is_copied_as_copy_copies_it(slot: Slot) -> None:
    slot.value = ["v"] if isinstance(slot, ListSlot) else "v"
    rv = slot.__reduce_ex__(4)
    theirs = copy._reconstruct(slot, None, *rv)  # type: ignore[attr-defined]
    ours = speedups._copy_slot(slot)
    assert type(ours) is type(theirs) is type(slot) and ours is not slot
    assert ours.__dict__ == theirs.__dict__
    assert all(ours.__dict__[k] is theirs.__dict__[k] for k in ours.__dict__ if k != "copied")  # shallow
    assert ("copied" in ours.__dict__) is isinstance(slot, _PickledSlot)
    speedups.install()
    assert copy.copy(slot).__dict__ == theirs.__dict__


def _same(ours: np.ndarray, theirs: np.ndarray) -> bool:
    """Equal up to rounding, and the same ranking of intents."""
    return bool(
        np.allclose(ours, theirs, rtol=0, atol=1e-12)
        and (np.argsort(-ours, axis=1, kind="stable") == np.argsort(-theirs, axis=1, kind="stable")).all()
    )


def test_the_intent_classifier_gives_scikit_learns_probabilities() -> None:
    texts = [
        "hej",
        "hej hej",
        "god morgon",
        "tack så mycket",
        "tack",
        "tusen tack",
        "vad kostar det",
        "pris?",
    ]
    intents = ["greet", "greet", "greet", "thank", "thank", "thank", "ask", "ask"]
    config = {"word_ngram_range": [1, 2], "char_ngram_range": [1, 4], "C": 10.0, "max_iter": 1000,
              "random_state": 42}  # fmt: skip
    pipeline = classifier.build_pipeline(config).fit(texts, intents)
    assert classifier._plain(pipeline)
    for text in [*texts, "Hej!", "vad kostar en prototyp i Västra Götaland?", "x" * 300, "?"]:
        assert _same(classifier.predict_proba(pipeline, [text]), pipeline.predict_proba([text]))
    batch = ["hej", "tack", "pris", "zzz"]  # "zzz": no known word, some known characters
    assert _same(classifier.predict_proba(pipeline, batch), pipeline.predict_proba(batch))
    assert _same(classifier.predict_proba(pipeline, ["€€€"]), pipeline.predict_proba(["€€€"]))  # no feature
    two = classifier.build_pipeline(config).fit(texts[:6], intents[:6])
    assert not classifier._plain(two)  # two intents: one-vs-rest, left to scikit-learn
    assert np.array_equal(classifier.predict_proba(two, ["hej"]), two.predict_proba(["hej"]))


MODEL = ROOT / "models" / "current.tar.gz"


@pytest.mark.skipif(not MODEL.exists(), reason="needs the trained model (make train)")
def test_the_trained_rule_policy_sees_and_decides_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """At every prediction of a few conversations, the states are the end of Rasa's own, and the rules
    that apply are the same (the custom actions fail here: no action server; predictions still run)."""
    import asyncio

    from rasa.core.agent import Agent
    from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
    from rasa.core.tracker_store import InMemoryTrackerStore

    speedups.install()
    patched = RulePolicy._prediction_states
    compared = []

    def compare(self: RulePolicy, tracker: Any, domain: Any, *args: Any, **kwargs: Any) -> Any:
        ours = patched(self, tracker, domain, *args, **kwargs)
        theirs = speedups._stock_prediction_states(self, tracker, domain, *args, **kwargs)
        assert ours == theirs[-len(ours) :]
        for table in (RULES, RULES_FOR_LOOP_UNHAPPY_PATH):
            lookup = self.lookup[table]
            stock = speedups._stock_get_possible_keys(self, lookup, theirs)
            assert self._get_possible_keys(lookup, ours) == stock
        compared.append((len(ours), len(theirs)))
        return ours

    monkeypatch.setattr(RulePolicy, "_prediction_states", compare)

    async def talk() -> None:
        agent = Agent.load(str(MODEL), tracker_store=InMemoryTrackerStore(None))
        conversations = (["Hej", "vad kan du hjälpa mig med?", "tack"] * 4, ["/start_consultation", "hej"])
        for n, messages in enumerate(conversations):
            for message in messages:
                await agent.handle_text(message, sender_id=f"anna-{n}")

    asyncio.run(talk())
    assert len(compared) > 20
    assert any(ours < theirs for ours, theirs in compared)  # the long conversation's states were cut


def _event_or_value(tracker: DialogueStateTracker, latest: Event | None) -> Any:
    """One of the tracker's events by identity; the empty message or utterance a reset makes, by value."""
    if latest is None or any(latest is event for event in tracker.events):
        return id(latest)
    return {**latest.as_dict(), "timestamp": None}


def _state(tracker: DialogueStateTracker) -> tuple[Any, ...]:
    """Everything replaying a tracker's events builds, and its events (by identity)."""
    return (
        tracker.current_state(EventVerbosity.ALL),
        {name: (slot.value, slot.has_been_set) for name, slot in tracker.slots.items()},
        tracker.active_loop,
        tracker.is_paused(),
        tracker.followup_action,
        tracker.latest_action,
        _event_or_value(tracker, tracker.latest_message),
        _event_or_value(tracker, tracker.latest_bot_utterance),
        [id(event) for event in tracker.events],
    )


def test_a_copied_tracker_is_the_replayed_one(domain: Domain) -> None:
    events = _conversation(11)
    for end in range(len(events) + 1):
        tracker = DialogueStateTracker.from_events("anna", events[:end], domain.slots)
        ours, theirs = speedups._copy_tracker(tracker), speedups._stock_copy(tracker)
        assert _state(ours) == _state(theirs) == _state(tracker)
        # Changing the copy leaves the original as it was (events, slots, loop in place).
        before = _state(tracker)
        for event in (SlotSet("current_entry", "x"), LoopInterrupted(True), ActionExecuted("a")):
            ours.update(event)
        assert _state(tracker) == before


def test_a_tracker_with_slots_outside_the_domain_is_replayed(domain: Domain) -> None:
    tracker = DialogueStateTracker.from_events("anna", _conversation(2), None)  # AnySlotDict
    assert _state(speedups._copy_tracker(tracker)) == _state(speedups._stock_copy(tracker))


def test_the_action_server_gets_every_event_without_earlier_rankings(domain: Domain) -> None:
    ranking = [{"name": "ask_entry", "confidence": 0.9}, {"name": "greet", "confidence": 0.1}]
    parse = {"intent": ranking[0], "intent_ranking": ranking, "text_tokens": [[0, 3]], "entities": []}
    events: list[Event] = [ActionExecuted("action_listen")]
    for i in range(3):
        events += [
            UserUttered(f"fråga {i}", ranking[0], parse_data=dict(parse, text=f"fråga {i}")),
            ActionExecuted("action_listen"),
        ]
    tracker = DialogueStateTracker.from_events("anna", events, domain.slots)
    action = RemoteAction("action_answer_kb", None)
    theirs = speedups._stock_action_call_format(action, tracker, domain)
    ours = speedups._action_call_format(action, tracker, domain)
    assert len(ours["tracker"]["events"]) == len(theirs["tracker"]["events"]) == len(events)
    users = [
        (o, t)
        for o, t in zip(ours["tracker"]["events"], theirs["tracker"]["events"], strict=True)
        if t["event"] == "user"
    ]
    for o, t in users[:-1]:
        assert o["parse_data"] == {
            k: v for k, v in t["parse_data"].items() if k not in ("intent_ranking", "text_tokens")
        }
        assert o["parse_data"]["intent"]["name"] == "ask_entry" and o["text"] == t["text"]
    assert users[-1][0] == users[-1][1]  # the latest user message whole
    assert ours["tracker"]["latest_message"] == theirs["tracker"]["latest_message"]
    assert {k: v for k, v in ours.items() if k != "tracker"} == {
        k: v for k, v in theirs.items() if k != "tracker"
    }
    assert all(
        "intent_ranking" in e.parse_data for e in tracker.events if isinstance(e, UserUttered)
    )  # untouched
