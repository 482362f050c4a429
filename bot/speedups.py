"""Measured speed-ups for Rasa 3.6, installed in the Rasa server process by `bot.channels`.

- Rasa checks every action server response with `jsonschema.validate`, which first re-validates the schema
itself: 27 ms per custom action on our machine, more than half of a knowledge answer's latency. This
compiles the same schema once and checks responses with it (under 1 ms), raising the same
`ValidationError` with the same message as Rasa does.
  Most of what is left is the events' `oneOf` over 23 event types, each event tried against all of them;
  the types are told apart by their `event` constant, so a response is first checked with the schema
  minus that `oneOf` and each event against its own type's branch only. Only a response that passes
  this is accepted without the full check (the two verdicts are the same: exactly one branch can
  match an event, the one with its `event` constant); any other goes through the full schema, which
  raises Rasa's error.
- Rasa finds an event's class from its JSON by walking every subclass of `Event` (with
  `inspect.isabstract` on each) for every event it loads: 32 % of a long conversation's turn when
  profiled (issue 13). The class for a type name is now looked up once and remembered.
- Rasa runs its model graph through dask's synchronous scheduler for every message and every prediction
  (2-3 per message); its bookkeeping cost more than several of the graph's nodes. `_run_graph` runs the
  same nodes with the same inputs, each once, in dependency order, and returns the same results.
- The rule policy turns the whole loaded history into states twice per prediction, although a rule only
  ever compares the last few (`RulePolicy._is_rule_applicable` accepts every state further back than the
  rule is long). `_recent_prediction_states` builds only the states one longer than the longest rule:
  the rules that apply, the rule key and the prediction are the same (issue 13, throughput). The two
  calls of one prediction (text, then intent) share one replay of the tracker, and which rules apply to
  a sequence of states is remembered (the same few states recur in every conversation).
- Events and slots are `ABC`s and plain objects, and Rasa asks about them in its hottest loops: every
  `isinstance(event, …)` goes through `ABCMeta.__instancecheck__` (about 920,000 calls for 360 messages,
  10 % of the Rasa server's time; `applied_events` runs 4 times per message over the whole history, and
  `DialogueStateTracker.update` checks every replayed event), and every tracker copy copies each of its
  slots with `copy.copy`, i.e. `__reduce_ex__` and `copyreg` (46,000 copies, 5 %). `_applied_events` is
  Rasa's own algorithm with each event's kind looked up once per event class (`issubclass`, the same
  answer `isinstance` gives for these classes); `_update` and `_last_states` do the same for their
  checks; a slot is copied by copying its `__dict__` into a new instance, which is what `copy.copy` does
  for a class that defines no copy or pickle hooks (checked per class; any other class gets
  `copy.copy`'s own path).
- `DialogueStateTracker.copy` (twice per action: Rasa runs an action on a copy) replays every event into
  a new tracker. A tracker's state is, by Rasa's own rule, what replaying its events builds (`trackers.py`:
  "MUST be re-creatable by processing all the events"), so `_copy_tracker` gives the new tracker the same
  events and that state directly: slots copied, the active loop and latest action as new objects (Rasa's
  events change those in place), the latest message and bot utterance as the same event objects a replay
  would set. A tracker whose slots are not a plain dict gets Rasa's replay.
- Every custom action call carries the whole tracker as JSON (about 35 kB after 27 messages); a third of
  it was the intent ranking and token offsets of every earlier user message, which no action reads (the
  actions read the latest message whole, earlier messages' text and intent name). `_action_call_format`
  leaves those two keys out of the earlier user messages' `parse_data`; the latest user message and
  `latest_message` are sent whole.
"""

from __future__ import annotations

import copy
import copyreg
import dataclasses
import operator
from collections import deque
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.core.featurizers.tracker_featurizers import MaxHistoryTrackerFeaturizer
from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.constants import ASSISTANT_ID_KEY, DOCS_BASE_URL
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.slots import Slot
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import METADATA_MODEL_ID

_stock_resolve_by_type = Event.resolve_by_type
_stock_prediction_states = RulePolicy._prediction_states
_stock_get_possible_keys = RulePolicy._get_possible_keys
_stock_update = DialogueStateTracker.update
_stock_applied_events = DialogueStateTracker.applied_events
_stock_copy = DialogueStateTracker.copy
_stock_action_call_format = RemoteAction._action_call_format
# Parse results of earlier user messages that no action reads (`_action_call_format`).
_NOT_SENT = ("intent_ranking", "text_tokens")
# Sequences of states whose applicable rules a policy remembers (emptied when full).
_RULE_MEMORY = 5000
_event_classes: dict[str, type[Event] | None] = {}


@lru_cache(maxsize=1)
def _response_validator() -> Any:
    spec = RemoteAction.action_response_format_spec()
    return validator_for(spec)(spec)


@dataclass(frozen=True)
class _EventDispatch:
    """The response schema without the events' oneOf, and a validator for each event type's branch."""

    outer: Any
    by_type: dict[str, Any]


@lru_cache(maxsize=1)
def _event_dispatch() -> _EventDispatch | None:
    """The quick check's validators, or None when the schema's branches are not told apart by `event`."""
    spec = copy.deepcopy(RemoteAction.action_response_format_spec())
    try:
        items = spec["properties"]["events"]["items"]
        branches = items.pop("oneOf")
        types = [branch["properties"]["event"]["const"] for branch in branches]
    except (KeyError, TypeError):
        return None
    if len(set(types)) != len(types):
        return None
    make = validator_for(spec)
    return _EventDispatch(make(spec), {t: make(b) for t, b in zip(types, branches, strict=True)})


def _quickly_valid(result: Any) -> bool:
    """True only when `result` is valid (see the module docstring); False means: check it fully."""
    dispatch = _event_dispatch()
    if dispatch is None or not dispatch.outer.is_valid(result):
        return False
    for event in result.get("events") or ():
        branch = dispatch.by_type.get(event["event"])
        if branch is None or not branch.is_valid(event):
            return False
    return True


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """Rasa's RemoteAction._validate_action_result with a validator compiled once."""
    if _quickly_valid(result):
        return True
    try:
        _response_validator().validate(result)
        return True
    except ValidationError as e:
        e.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise e


def _resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """Rasa's Event.resolve_by_type, remembering each type name's class once found."""
    if type_name not in _event_classes:
        try:
            _event_classes[type_name] = _stock_resolve_by_type(type_name)
        except ValueError:
            if default is not None:
                return default
            raise
    return _event_classes[type_name]


def _run_graph(
    self: DaskGraphRunner, inputs: dict[str, Any] | None = None, targets: list[str] | None = None
) -> dict[str, Any]:
    """DaskGraphRunner.run without dask: the same graph of (node, *needs) tasks, each run once."""
    run_targets = targets if targets else self._graph_schema.target_names
    graph = self._build_dask_graph(self._graph_schema.minimal_graph_schema(run_targets))
    if inputs:
        self._add_inputs_to_graph(inputs, graph)
    results: dict[str, Any] = {}

    def compute(key: str) -> Any:
        if key not in results:
            task = graph[key]
            if callable(task[0]):
                # As in dask, an argument that names a task is replaced by that task's result.
                args = [compute(a) if isinstance(a, str) and a in graph else a for a in task[1:]]
                results[key] = task[0](*args)
            else:  # an input: the literal (name, value) pair
                results[key] = task
        return results[key]

    try:
        return dict(compute(target) for target in run_targets)
    except RuntimeError as e:
        raise GraphRunError("Error running runner.") from e


def _rule_states_needed(policy: RulePolicy) -> int:
    """How many of the latest states the policy's rules can look at, plus one (so a longer history's
    key is never a rule's key either)."""
    needed = policy.__dict__.get("_lotsen_states_needed")
    if needed is None:
        keys = [*policy.lookup.get(RULES, {}), *policy.lookup.get(RULES_FOR_LOOP_UNHAPPY_PATH, {})]
        needed = max((len(policy._rule_key_to_state(key)) for key in keys), default=0) + 1
        policy.__dict__["_lotsen_states_needed"] = needed
    return int(needed)


@dataclass
class _Replay:
    """How far `_last_states` has replayed a tracker's applied events (kept on the tracker)."""

    domain: Domain
    keep: int
    applied: list[Event]  # the applied events replayed, in order
    tracker: DialogueStateTracker  # the replay: the state after them
    states: deque[State]  # the states before the last `keep` actions among them


def _last_states(tracker: DialogueStateTracker, domain: Domain, keep: int) -> list[State]:
    """The last `keep` of `tracker.past_states(domain)`: the states of the trackers before each action
    and of the whole tracker, built by the same replay but only for the last `keep` of them.

    The replay is kept on the tracker: its next prediction (after the action, or in the next message,
    as the tracker store hands the same tracker back) replays only the events applied since, as long as
    the applied events before them are still the same (a loop run again or a revert undoes some: then
    everything is replayed)."""
    applied = tracker.applied_events()
    replay: _Replay | None = tracker.__dict__.get("_lotsen_replay")
    if not (
        replay is not None
        and replay.domain is domain
        and replay.keep == keep
        and len(replay.applied) <= len(applied)
        and all(map(operator.is_, replay.applied, applied))
    ):
        replay = _Replay(domain, keep, [], tracker.init_copy(), deque(maxlen=keep))
        tracker.__dict__["_lotsen_replay"] = replay
    for event in applied[len(replay.applied) :]:
        if _is_a(type(event), ActionExecuted):
            replay.states.append(domain._clean_state(domain.get_active_state(replay.tracker)))
        replay.tracker.update(event)
        replay.applied.append(event)
    if keep < 1:
        return []
    states = list(replay.states)[max(0, len(replay.states) - keep + 1) :] if keep > 1 else []
    return [*states, domain._clean_state(domain.get_active_state(replay.tracker))]


def _recent_prediction_states(
    self: RulePolicy,
    tracker: DialogueStateTracker,
    domain: Domain,
    use_text_for_last_user_input: bool = False,
    rule_only_data: dict[str, Any] | None = None,
) -> list[State]:
    """RulePolicy._prediction_states, with only the states its rules can look at."""
    featurizer = self.featurizer
    stock = (
        type(featurizer) is not MaxHistoryTrackerFeaturizer
        or featurizer.max_history is not None
        or type(tracker).past_states is not DialogueStateTracker.past_states
        or type(domain).states_for_tracker_history is not Domain.states_for_tracker_history
    )
    if stock:
        return list(
            _stock_prediction_states(self, tracker, domain, use_text_for_last_user_input, rule_only_data)
        )
    events = tracker.events
    last = events[-1] if events else None
    memo = self.__dict__.get("_lotsen_last_states")
    fresh = memo is not None and memo[0] is tracker and memo[1] is domain and memo[2] == len(events)
    if not (fresh and memo is not None and memo[3] is last):
        memo = (tracker, domain, len(events), last, _last_states(tracker, domain, _rule_states_needed(self)))
        self.__dict__["_lotsen_last_states"] = memo
    # A copy: choosing the last user input deletes keys from the states' parts.
    states = [[{part: dict(sub) for part, sub in state.items()} for state in memo[4]]]
    featurizer._choose_last_user_input(states, use_text_for_last_user_input)
    return states[0]


def _frozen(states: list[State]) -> Any:
    """A hashable, exact image of a list of states (None when a value is not hashable)."""
    try:
        frozen = tuple(
            tuple(sorted((part, tuple(sorted(sub.items()))) for part, sub in state.items()))
            for state in states
        )
        hash(frozen)
    except TypeError:
        return None
    return frozen


def _possible_keys(self: RulePolicy, lookup: dict[str, str], states: list[State]) -> set[str]:
    """RulePolicy._get_possible_keys, remembered per rule table and sequence of states."""
    frozen = _frozen(states)
    if frozen is None:
        return set(_stock_get_possible_keys(self, lookup, states))
    memory: dict[Any, frozenset[str]] = self.__dict__.setdefault("_lotsen_possible_keys", {})
    key = (id(lookup), frozen)
    found = memory.get(key)
    if found is None:
        if len(memory) >= _RULE_MEMORY:
            memory.clear()
        found = memory[key] = frozenset(_stock_get_possible_keys(self, lookup, states))
    return set(found)


# What `applied_events` does with an event, in the order Rasa tests it (the first that matches).
_RESTART, _REVERT_ACTION, _REVERT_UTTERANCE, _ACTION, _OTHER = range(5)
_event_kinds: dict[type, int] = {}
_subclasses: dict[tuple[type, type], bool] = {}
# Methods whose presence on a class makes `copy.copy` do something else than copy the `__dict__`.
_COPY_HOOKS = (
    "__copy__", "__reduce__", "__reduce_ex__", "__getstate__", "__setstate__", "__slots__",
    "__getnewargs__", "__getnewargs_ex__",
)  # fmt: skip
_plain_copy: dict[type, bool] = {}


def _event_kind(cls: type) -> int:
    """Which branch of `applied_events` an event of class `cls` takes (before any loop check)."""
    kind = _event_kinds.get(cls)
    if kind is None:
        if issubclass(cls, (Restarted, SessionStarted)):
            kind = _RESTART
        elif issubclass(cls, ActionReverted):
            kind = _REVERT_ACTION
        elif issubclass(cls, UserUtteranceReverted):
            kind = _REVERT_UTTERANCE
        elif issubclass(cls, ActionExecuted):
            kind = _ACTION
        else:
            kind = _OTHER
        _event_kinds[cls] = kind
    return kind


def _is_a(cls: type, base: type) -> bool:
    """`issubclass(cls, base)`, remembered: what `isinstance` answers for an instance of `cls`."""
    found = _subclasses.get((cls, base))
    if found is None:
        found = _subclasses[(cls, base)] = issubclass(cls, base)
    return found


def _applied_events(self: DialogueStateTracker) -> list[Event]:
    """Rasa's DialogueStateTracker.applied_events (each event's kind looked up by its class), worked out
    once per state of the tracker's events: Rasa asks 4 times per message. Events are only appended to
    a tracker, so the same event list, length and last event mean the same events (a copy of the list is
    returned: callers may change theirs)."""
    events = self.events
    last = events[-1] if events else None
    kept = self.__dict__.get("_lotsen_applied")
    if kept is not None and kept[0] is events and kept[1] == len(events) and kept[2] is last:
        return list(kept[3])
    applied = _applied(self, events)
    self.__dict__["_lotsen_applied"] = (events, len(events), last, applied)
    return list(applied)


def _applied(self: DialogueStateTracker, events: Any) -> list[Event]:
    """The applied events of `events`: Rasa's algorithm."""
    loop_names = [event.name for event in events if _is_a(type(event), ActiveLoop) and event.name]
    applied_events: list[Event] = []
    for event in events:
        kind = _event_kind(type(event))
        if kind == _OTHER:
            applied_events.append(event)
        elif kind == _RESTART:
            applied_events = []
        elif kind == _REVERT_ACTION:
            self._undo_till_previous(ActionExecuted, applied_events)
        elif kind == _REVERT_UTTERANCE:
            self._undo_till_previous(UserUttered, applied_events)
            self._undo_till_previous(ActionExecuted, applied_events)
        elif (
            event.action_name in loop_names  # type: ignore[attr-defined]
            and not self._first_loop_execution_or_unhappy_path(
                event.action_name,  # type: ignore[attr-defined]
                applied_events,
            )
        ):
            self._undo_till_previous_loop_execution(event.action_name, applied_events)  # type: ignore[attr-defined]
        else:
            applied_events.append(event)
    return applied_events


def _update(self: DialogueStateTracker, event: Event, domain: Domain | None = None) -> None:
    """Rasa's DialogueStateTracker.update, its `Event` check looked up by the event's class."""
    if not _is_a(type(event), Event):
        _stock_update(self, event, domain)  # raises Rasa's ValueError (or accepts a proxied Event)
        return
    if self.model_id and METADATA_MODEL_ID not in event.metadata:
        event.metadata = {**event.metadata, METADATA_MODEL_ID: self.model_id}
    if self.assistant_id and ASSISTANT_ID_KEY not in event.metadata:
        event.metadata = {**event.metadata, ASSISTANT_ID_KEY: self.assistant_id}
    self.events.append(event)
    event.apply_to(self)


def _copies_plainly(cls: type) -> bool:
    """True when `copy.copy` copies an instance of `cls` by copying its `__dict__` into a new one."""
    plain = _plain_copy.get(cls)
    if plain is None:
        plain = _plain_copy[cls] = cls not in copyreg.dispatch_table and all(
            hook not in vars(klass)
            or (klass is Slot and hook == "__copy__")
            or (hook == "__slots__" and not vars(klass)[hook])  # ABC's empty __slots__
            for klass in cls.__mro__
            if klass is not object
            for hook in _COPY_HOOKS
        )
    return plain


def _copy_slot(self: Slot) -> Slot:
    """`copy.copy(slot)`: a new instance with the same attributes (copy's own path for other classes)."""
    cls: type[Slot] = type(self)
    if not _copies_plainly(cls):  # the rest of copy.copy
        reductor = copyreg.dispatch_table.get(cls)
        rv = reductor(self) if reductor is not None else self.__reduce_ex__(4)
        if isinstance(rv, str):
            return self
        return copy._reconstruct(self, None, *rv)  # type: ignore[attr-defined,no-any-return]
    new: Slot = cls.__new__(cls)  # type: ignore[call-overload]
    new.__dict__.update(self.__dict__)
    return new


def _copy_tracker(self: DialogueStateTracker) -> DialogueStateTracker:
    """Rasa's `DialogueStateTracker.copy` (a replay of every event) without the replay."""
    if type(self.slots) is not dict:
        return _stock_copy(self)
    new = self.init_copy()
    for name, slot in self.slots.items():
        target = new.slots.get(name)
        if type(target) is not type(slot):
            return _stock_copy(self)
        target.__dict__.update(slot.__dict__)
    new.events.extend(self.events)
    new._paused = self._paused
    new.followup_action = self.followup_action
    new.latest_action = dict(self.latest_action) if self.latest_action is not None else None
    new.latest_message = self.latest_message
    new.latest_bot_utterance = self.latest_bot_utterance
    new.active_loop = dataclasses.replace(self.active_loop) if self.active_loop is not None else None
    return new


def _action_call_format(self: RemoteAction, tracker: DialogueStateTracker, domain: Domain) -> dict[str, Any]:
    """Rasa's request to the action server, without the earlier user messages' intent rankings and
    token offsets (new dicts: the events' own parse data is left as it is)."""
    result: dict[str, Any] = _stock_action_call_format(self, tracker, domain)
    events = result.get("tracker", {}).get("events") or []
    users = [i for i, event in enumerate(events) if event.get("event") == UserUttered.type_name]
    for i in users[:-1]:
        parse_data = events[i].get("parse_data")
        if isinstance(parse_data, dict) and any(key in parse_data for key in _NOT_SENT):
            kept = {key: value for key, value in parse_data.items() if key not in _NOT_SENT}
            events[i] = {**events[i], "parse_data": kept}
    return result


def install() -> None:
    """Replace Rasa's per-response schema check, per-event class search, graph scheduler and rule
    policy states with faster ones."""
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(_resolve_by_type)  # type: ignore[method-assign,assignment]
    DaskGraphRunner.run = _run_graph  # type: ignore[method-assign]
    RulePolicy._prediction_states = _recent_prediction_states  # type: ignore[method-assign]
    RulePolicy._get_possible_keys = _possible_keys  # type: ignore[method-assign]
    DialogueStateTracker.applied_events = _applied_events  # type: ignore[method-assign]
    DialogueStateTracker.update = _update  # type: ignore[method-assign]
    DialogueStateTracker.copy = _copy_tracker  # type: ignore[method-assign]
    RemoteAction._action_call_format = _action_call_format  # type: ignore[method-assign]
    if "__copy__" not in vars(Slot):
        Slot.__copy__ = _copy_slot  # type: ignore[attr-defined]
