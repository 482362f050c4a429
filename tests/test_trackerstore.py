"""The tracker store's bounded history: same state as a full replay, bounded size, nothing lost."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.settings import ROOT
from bot.trackerstore import KEEP_TURNS, MAX_TURNS, SQLTrackerStore, StateRestored, tracker_state


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.e2e)])
def store(request: pytest.FixtureRequest, tmp_path: Path, domain: Domain) -> Iterator[SQLTrackerStore]:
    """The store on a fresh SQLite file, or on the scaled mode's PostgreSQL (fixture `scaled`)."""
    if request.param == "sqlite":
        store = SQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "t.db"))
    else:
        settings = request.getfixturevalue("scaled").stack.settings
        store = SQLTrackerStore(
            domain, dialect="postgresql", host="127.0.0.1", port=settings.postgres_port,
            db=settings.postgres_db, username=settings.postgres_user, password=settings.postgres_password,
        )  # fmt: skip
    yield store
    store.engine.dispose()


def new_sender(name: str) -> str:
    """A sender id not used before (the PostgreSQL database is shared by the test session)."""
    return f"{name}-{uuid.uuid4().hex[:8]}"


def turn_events(i: int) -> list[Event]:
    """One user turn: a message, an action that sets a slot, a reply, listening again."""
    events: list[Event] = [
        UserUttered(f"fråga {i}", {"name": "ask_entry", "confidence": 1.0}),
        ActionExecuted("action_answer_from_kb"),
        SlotSet("current_entry", f"entry-{i}"),
        BotUttered(f"svar {i}"),
    ]
    if i == 30:  # a consultation starts and stays active past the next snapshots
        events += [
            ActionExecuted("advisor_form"),
            ActiveLoop("advisor_form"),
            SlotSet("requested_slot", "stage"),
        ]
    if i == 31:
        events += [SlotSet("stage", "prototype")]
    if i == 55:
        events += [ActiveLoop(None), SlotSet("requested_slot", None)]
    return [*events, ActionExecuted("action_listen")]


async def talk(store: SQLTrackerStore, sender: str, turns: range) -> DialogueStateTracker:
    """Play `turns` the way Rasa does: retrieve, append the turn's events, save."""
    tracker = None
    for i in turns:
        tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
        if not tracker.events:
            for event in (
                ActionExecuted("action_session_start"),
                SessionStarted(),
                ActionExecuted("action_listen"),
            ):
                tracker.update(event)
        for event in turn_events(i):
            tracker.update(event)
        await store.save(tracker)
    assert tracker is not None
    return tracker


def users(tracker: DialogueStateTracker) -> int:
    return sum(isinstance(event, UserUttered) for event in tracker.events)


@pytest.mark.parametrize("turns", [5, MAX_TURNS + 1, 40, 70])
def test_a_loaded_tracker_has_the_state_of_the_whole_conversation(
    store: SQLTrackerStore, domain: Domain, turns: int
) -> None:
    anna = new_sender("anna")
    asyncio.run(talk(store, anna, range(turns)))
    bounded = asyncio.run(store.retrieve(anna))
    full = asyncio.run(store.retrieve_full_tracker(anna))
    assert bounded is not None and full is not None
    assert tracker_state(bounded) == tracker_state(full)
    assert bounded.past_states(domain)[-6:] == full.past_states(domain)[-6:]
    assert not any(isinstance(event, StateRestored) for event in full.events)
    assert users(full) == turns
    assert users(bounded) <= MAX_TURNS
    if turns > MAX_TURNS:
        assert users(bounded) >= KEEP_TURNS
        assert isinstance(bounded.events[0], StateRestored)


def test_a_consultation_open_at_the_cut_is_still_open(store: SQLTrackerStore) -> None:
    bo = new_sender("bo")
    asyncio.run(talk(store, bo, range(50)))
    tracker = asyncio.run(store.retrieve(bo))
    assert tracker is not None and isinstance(tracker.events[0], StateRestored)
    assert tracker.active_loop_name == "advisor_form"
    assert tracker.get_slot("stage") == "prototype"
    assert tracker.get_slot("requested_slot") == "stage"


def test_every_event_is_stored_once(store: SQLTrackerStore) -> None:
    cia = new_sender("cia")
    asyncio.run(talk(store, cia, range(65)))
    full = asyncio.run(store.retrieve_full_tracker(cia))
    assert full is not None
    expected = 3 + sum(len(turn_events(i)) for i in range(65))
    assert len(full.events) == expected
    assert [e.text for e in full.events if isinstance(e, UserUttered)] == [f"fråga {i}" for i in range(65)]


def test_a_new_session_starts_from_scratch_after_a_snapshot(store: SQLTrackerStore) -> None:
    dan = new_sender("dan")
    asyncio.run(talk(store, dan, range(40)))
    tracker = asyncio.run(store.retrieve(dan))
    assert tracker is not None
    for event in (ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")):
        tracker.update(event)
    asyncio.run(store.save(tracker))
    tracker = asyncio.run(store.retrieve(dan))
    assert tracker is not None
    assert not isinstance(tracker.events[0], StateRestored)
    assert tracker.get_slot("current_entry") is None
    assert users(tracker) == 0


def _replica(store: SQLTrackerStore, domain: Domain) -> SQLTrackerStore:
    """A second store on the same database, as another Rasa replica has."""
    url = store.engine.url
    if url.get_backend_name() == "sqlite":
        return SQLTrackerStore(domain, dialect="sqlite", db=url.database)
    return SQLTrackerStore(
        domain, dialect="postgresql", host=url.host, port=url.port, db=url.database,
        username=url.username, password=url.password,
    )  # fmt: skip


def test_the_saved_tracker_is_handed_back_while_the_database_is_unchanged(
    store: SQLTrackerStore, domain: Domain
) -> None:
    eva = new_sender("eva")
    saved = asyncio.run(talk(store, eva, range(3)))
    assert asyncio.run(store.retrieve(eva)) is saved
    # Handed out once: the next retrieve (the turn was not saved) loads from the database.
    again = asyncio.run(store.retrieve(eva))
    assert again is not None and again is not saved
    assert tracker_state(again) == tracker_state(saved) and list(again.events)[-5:] == list(saved.events)[-5:]


def test_a_turn_that_is_not_saved_is_not_in_the_next_tracker(store: SQLTrackerStore) -> None:
    fia = new_sender("fia")
    asyncio.run(talk(store, fia, range(3)))
    tracker = asyncio.run(store.retrieve(fia))
    assert tracker is not None
    for event in turn_events(3):  # the turn fails before Rasa saves it
        tracker.update(event)
    loaded = asyncio.run(store.retrieve(fia))
    assert loaded is not None and users(loaded) == 3 and loaded.get_slot("current_entry") == "entry-2"


def test_what_another_replica_saved_is_in_the_next_tracker(store: SQLTrackerStore, domain: Domain) -> None:
    other = _replica(store, domain)
    gun = new_sender("gun")
    asyncio.run(talk(store, gun, range(2)))
    asyncio.run(talk(other, gun, range(2, 4)))  # the conversation moved to the other replica
    tracker = asyncio.run(store.retrieve(gun))
    assert tracker is not None and users(tracker) == 4 and tracker.get_slot("current_entry") == "entry-3"
    asyncio.run(talk(store, gun, range(4, 5)))
    with store.engine.begin() as connection:  # erased (`lotsen privacy forget`) by another process
        connection.execute(sa.text("DELETE FROM events WHERE sender_id = :s"), {"s": gun})
    assert asyncio.run(store.retrieve(gun)) is None
    other.engine.dispose()


def test_a_long_conversation_is_reloaded_from_its_snapshot(store: SQLTrackerStore) -> None:
    has = new_sender("hans")
    tracker = asyncio.run(talk(store, has, range(MAX_TURNS + 1)))  # this save wrote a snapshot
    loaded = asyncio.run(store.retrieve(has))
    assert loaded is not None and loaded is not tracker and isinstance(loaded.events[0], StateRestored)
    assert users(loaded) <= MAX_TURNS
