"""Rasa's SQL tracker store, with a turn cost that does not grow with the conversation.

Selected in endpoints*.yml with `type: bot.trackerstore.SQLTrackerStore` (same keys as Rasa's
`type: SQL`, SQLite or PostgreSQL). Two changes to Rasa 3.6's store:

- **Bounded history (issue 13).** Rasa loads and replays every event of the current session on every
  message, featurizes all of them for the rule policy and sends them all to the action server: a
  200-turn Telegram chat cost 7.6× its first turns (profiled: loading 59 %, rule states 15 %, action
  payload 6 %). Here, once a session holds more than `MAX_TURNS` user messages, `save` writes a
  snapshot row (`type_name = 'lotsen_snapshot'`, in the same `events` table, so privacy erasure and
  retention cover it): the tracker's whole state (slots, active loop, paused, latest message, action
  and bot utterance) as it was `KEEP_TURNS` user messages ago, and the id of the last event it
  includes. `retrieve` then loads the latest snapshot of the session and only the events after it; the
  tracker starts with a `StateRestored` event that puts that state back, so slots, forms, rules
  (which look at the last few turns) and session expiry (the last user message) behave as before.
  A tracker holds between `KEEP_TURNS` and `MAX_TURNS` user messages of history. Snapshot rows are
  never replayed as events: Rasa's own queries (full tracker, `rasa export`) skip them.
- **The last trackers kept in memory (issue 13).** Loading a tracker (three queries, decoding and
  replaying 50-100 events) was a fifth of Rasa's time per message. `save` keeps the tracker it stored,
  with the id of the sender's newest row; the next `retrieve` of that sender returns it when one indexed
  query shows the database unchanged (same newest id, so no other replica, erasure or purge has written
  or deleted since) and it was kept less than `KEPT_FOR_S` ago. It is handed out once: a turn that
  fails is never saved, so the next one loads what the database holds.
- **No `sys.exit` inside a request.** Rasa's `session_scope` turns any `ValueError` into
  `print_error_and_exit` (meant for a missing PostgreSQL schema at start-up); SQLite raises a
  `ValueError` subclass for text it cannot store (a lone surrogate in a sender id), so one request
  stopped the server (issue 12). Here the error stays an exception of that request.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import json
import time
from collections import OrderedDict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
import ujson
from rasa.core.tracker_store import SQLTrackerStore as StockSQLTrackerStore
from rasa.core.tracker_store import ensure_schema_exists
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    UserUttered,
    deserialise_events,
)
from rasa.shared.core.trackers import DialogueStateTracker, TrackerActiveLoop
from rasa.shared.nlu.constants import INTENT_NAME_KEY

if TYPE_CHECKING:
    from sqlalchemy.orm import Query, Session

SNAPSHOT = "lotsen_snapshot"
# History a tracker keeps. The longest rule (stories/) spans one user message and the consultation looks
# back at 2 earlier user messages (`bot/actions/advice.py`), but a rating finds the answer it rates in
# the history (`bot/feedback.rated_answer`), and Telegram leaves 👍/👎 under older answers: 8 user
# messages keep the answers a user can still see on a phone's screen. A snapshot is written when 16 have
# piled up, so a turn replays 8-16 user messages (about 50-100 events) however long the conversation.
KEEP_TURNS = 8
MAX_TURNS = 16
# Without these, finding a session's start and its events scans every row of the sender: PostgreSQL
# and SQLite use them for the session-start, snapshot and window queries below.
INDEXES = (
    "CREATE INDEX IF NOT EXISTS ix_events_sender_type ON events (sender_id, type_name, id)",
    "CREATE INDEX IF NOT EXISTS ix_events_sender_id_id ON events (sender_id, id)",
)
# The three queries of every message's `retrieve`, as plain SQL: SQLAlchemy's ORM spent more time
# building them than the database spent answering. Same session rule as Rasa: the events from the
# latest `session_started` on (by timestamp), all of them when there is none.
SESSION_START = sa.text(
    "SELECT max(timestamp) FROM events WHERE sender_id = :s AND type_name = 'session_started'"
)
LATEST_SNAPSHOT = sa.text(
    f"SELECT data FROM events WHERE sender_id = :s AND type_name = '{SNAPSHOT}' AND timestamp >= :start "
    "ORDER BY id DESC LIMIT 1"
)
LAST_ID = sa.text("SELECT max(id) FROM events WHERE sender_id = :s")
WINDOW = sa.text(
    f"SELECT data FROM events WHERE sender_id = :s AND id > :after AND type_name != '{SNAPSHOT}' "
    "AND timestamp >= :start ORDER BY id"
)
# Trackers kept in memory after `save`, and for how long one is trusted (with the newest-id check).
KEPT_TRACKERS = 256
KEPT_FOR_S = 600.0
NO_SESSION = -1.0  # a start before every timestamp: no session_started yet
# Attribute of a tracker this store loaded or saved: how many of its events are stored.
STORED = "_lotsen_stored_events"


def _loads(data: str) -> Any:
    """An event row's JSON: ujson (a locked dependency of sanic) reads it in 2/3 of json's time, to the
    same values; anything it refuses goes to json, which wrote it."""
    try:
        return ujson.loads(data)
    except (ValueError, OverflowError):
        return json.loads(data)


class StateRestored(Event):
    """First event of a bounded tracker: the conversation's state before its loaded events."""

    type_name = "lotsen_state"

    def __init__(self, state: dict[str, Any], after_id: int, timestamp: float | None = None) -> None:
        self.state = state
        self.after_id = after_id
        super().__init__(timestamp)

    def __str__(self) -> str:
        return f"StateRestored(after event {self.after_id})"

    def __hash__(self) -> int:
        return hash((self.type_name, self.after_id))

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, StateRestored) and (other.state, other.after_id) == (
            self.state,
            self.after_id,
        )

    def as_story_string(self) -> None:
        """Not part of a story: it only restores state."""
        return None

    def as_dict(self) -> dict[str, Any]:
        """The event as JSON (it reaches the action server as the first event of the tracker)."""
        return {**super().as_dict(), "after_id": self.after_id, "state": self.state}

    @classmethod
    def _from_parameters(cls, parameters: dict[str, Any]) -> StateRestored:
        return cls(parameters["state"], parameters["after_id"], parameters.get("timestamp"))

    def apply_to(self, tracker: DialogueStateTracker) -> None:
        """Put the saved state back (also when Rasa replays the tracker after a revert)."""
        restore_state(tracker, self.state)


def tracker_state(tracker: DialogueStateTracker) -> dict[str, Any]:
    """Everything a tracker's events have built up, as JSON (the inverse of `restore_state`)."""
    latest = tracker.latest_message
    return {
        "slots": {name: slot.value for name, slot in tracker.slots.items() if slot.has_been_set},
        "active_loop": dataclasses.asdict(tracker.active_loop) if tracker.active_loop else None,
        "paused": tracker.is_paused(),
        "followup_action": tracker.followup_action,
        "latest_action": tracker.latest_action,
        "latest_message": latest.as_dict() if latest is not None and not latest.is_empty() else None,
        "use_text_for_featurization": latest.use_text_for_featurization if latest else None,
        "latest_bot_utterance": tracker.latest_bot_utterance.as_dict()
        if tracker.latest_bot_utterance is not None
        else None,
    }


def restore_state(tracker: DialogueStateTracker, state: dict[str, Any]) -> None:
    """Set the tracker's slots, loop and latest events to `state` (from `tracker_state`)."""
    for name, slot in tracker.slots.items():
        slot.reset()
        if name in state["slots"]:
            slot.value = state["slots"][name]
    loop = state["active_loop"]
    tracker.active_loop = TrackerActiveLoop(**loop) if loop else None
    tracker._paused = state["paused"]
    tracker.followup_action = state["followup_action"]
    tracker.latest_action = state["latest_action"]
    if state["latest_message"] is not None:
        message = UserUttered._from_parameters(state["latest_message"])
        message.use_text_for_featurization = state["use_text_for_featurization"]
        tracker.latest_message = message
    else:
        tracker.latest_message = UserUttered.empty()
    bot = state["latest_bot_utterance"]
    tracker.latest_bot_utterance = BotUttered._from_parameters(bot) if bot else BotUttered.empty()


def snapshot_cut(events: list[Event]) -> int | None:
    """Index of the `action_listen` before the KEEP_TURNS-th last user message, once there are more
    than MAX_TURNS user messages (None: no snapshot due)."""
    # Only within the latest session: a snapshot holds one session's state.
    start = max((i for i, event in enumerate(events) if isinstance(event, SessionStarted)), default=0)
    users = [i for i in range(start, len(events)) if isinstance(events[i], UserUttered)]
    if len(users) <= MAX_TURNS:
        return None
    for i in range(users[-KEEP_TURNS] - 1, users[-KEEP_TURNS - 1], -1):
        event = events[i]
        if isinstance(event, ActionExecuted) and event.action_name == ACTION_LISTEN_NAME:
            return i
    return None


class SQLTrackerStore(StockSQLTrackerStore):
    """SQLTrackerStore that loads a bounded history and never exits on a database error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # sender -> (newest row id, when kept, tracker as saved, its number of events)
        self._kept: OrderedDict[str, tuple[int, float, DialogueStateTracker, int]] = OrderedDict()
        if self.engine.dialect.name == "sqlite":
            self._tune_sqlite()
        for statement in INDEXES:
            # Replicas starting together race to create the index; PostgreSQL's IF NOT EXISTS is not
            # atomic, so the loser gets a duplicate-key error: the index is there all the same.
            with contextlib.suppress(sa.exc.IntegrityError, sa.exc.ProgrammingError):
                with self.engine.begin() as connection:
                    connection.execute(sa.text(statement))

    def _tune_sqlite(self) -> None:
        """Keep SQLite connections open, in WAL mode, syncing at checkpoints only.

        SQLAlchemy 1.4 opens a new SQLite connection for every session (two or three per message), and
        SQLite's default journal syncs the disk several times per commit: committing was 15 % of Rasa's
        time under 10 concurrent conversations. WAL with synchronous=NORMAL cannot corrupt the database;
        a power cut may lose the last messages, like a crash of the Rasa process would.
        """
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(
            url, poolclass=sa.pool.QueuePool, pool_size=2, connect_args={"check_same_thread": False}
        )

        @sa.event.listens_for(self.engine, "connect")
        def _pragmas(connection: Any, record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    @contextlib.contextmanager
    def session_scope(self) -> Iterator[Session]:
        """A session that is always closed; errors propagate unchanged."""
        session = self.sessionmaker()
        try:
            ensure_schema_exists(session)
            yield session
        except Exception:
            session.rollback()
            raise
        finally:
            session.close()

    def _session_rows(self, session: Session, sender_id: str, all_sessions: bool) -> Query:
        """Rows of `sender_id` (of its latest session unless `all_sessions`), snapshots included."""
        event = self.SQLEvent
        query = session.query(event).filter(event.sender_id == sender_id)
        if all_sessions:
            return query
        start = (
            session.query(sa.func.max(event.timestamp).label("session_start"))
            .filter(event.sender_id == sender_id, event.type_name == SessionStarted.type_name)
            .subquery()
        )
        return query.filter(sa.or_(event.timestamp >= start.c.session_start, start.c.session_start.is_(None)))

    def _event_query(self, session: Session, sender_id: str, fetch_events_from_all_sessions: bool) -> Query:
        """Rasa's query for a conversation's events, without snapshot rows (they are not events)."""
        rows = self._session_rows(session, sender_id, fetch_events_from_all_sessions)
        return rows.filter(self.SQLEvent.type_name != SNAPSHOT).order_by(self.SQLEvent.id)

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        """The latest session's tracker from its latest snapshot on (the full tracker when asked)."""
        if fetch_events_from_all_sessions:
            return await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        with self.engine.connect() as connection:
            kept = self._kept.pop(sender_id, None)
            if kept is not None:
                last_id, since, tracker, length = kept
                fresh = time.monotonic() - since < KEPT_FOR_S and len(tracker.events) == length
                if fresh and connection.execute(LAST_ID, {"s": sender_id}).scalar() == last_id:
                    return tracker
            start = connection.execute(SESSION_START, {"s": sender_id}).scalar()
            window = {"s": sender_id, "start": NO_SESSION if start is None else start}
            snapshot_row = connection.execute(LATEST_SNAPSHOT, window).scalar()
            snapshot = json.loads(snapshot_row) if snapshot_row is not None else None
            window["after"] = snapshot["after_id"] if snapshot else 0
            rows = [_loads(data) for (data,) in connection.execute(WINDOW, window)]
        if not self.domain or not (rows or snapshot):
            return None
        events = deserialise_events(rows)
        if snapshot is not None:
            events.insert(0, StateRestored(snapshot["state"], snapshot["after_id"], snapshot["timestamp"]))
        tracker = DialogueStateTracker.from_events(sender_id, events, self.domain.slots)
        setattr(tracker, STORED, len(tracker.events))
        return tracker

    def _additional_events(self, session: Session, tracker: DialogueStateTracker) -> Iterator:
        """Events of the tracker not stored yet (a bounded tracker counts from its snapshot)."""
        first = tracker.events[0] if tracker.events else None
        if not isinstance(first, StateRestored):
            return super()._additional_events(session, tracker)
        stored = (
            self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False)
            .filter(self.SQLEvent.id > first.after_id)
            .count()
        )
        return itertools.islice(tracker.events, 1 + stored, len(tracker.events))

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the new events; write a snapshot when the history has grown past MAX_TURNS."""
        await self.stream_events(tracker)
        events = list(tracker.events)
        # A tracker this store loaded knows how many of its events are stored; any other (created, or
        # copied by Rasa) is compared with the database as Rasa does.
        stored = getattr(tracker, STORED, None)
        with self.session_scope() as session:
            new = events[stored:] if stored is not None else list(self._additional_events(session, tracker))
            rows = [self._row(tracker.sender_id, event) for event in new]
            if rows:
                session.execute(self.SQLEvent.__table__.insert(), rows)
            cut = snapshot_cut(events)
            if cut is not None:
                session.flush()
                self._add_snapshot(session, tracker.sender_id, events, cut)
                last_id = None  # the next load starts from the snapshot: the history stays bounded
            elif any(isinstance(event, SessionStarted) for event in events[2:]):
                last_id = None  # a new session: the next load holds only its events
            else:
                last_id = session.execute(LAST_ID, {"s": tracker.sender_id}).scalar()
            session.commit()
        setattr(tracker, STORED, len(events))
        self._keep(tracker, last_id)

    def _keep(self, tracker: DialogueStateTracker, last_id: int | None) -> None:
        """Keep `tracker` for the sender's next `retrieve` (forget it when `last_id` is None)."""
        self._kept.pop(tracker.sender_id, None)
        if last_id is None:
            return
        self._kept[tracker.sender_id] = (last_id, time.monotonic(), tracker, len(tracker.events))
        while len(self._kept) > KEPT_TRACKERS:
            self._kept.popitem(last=False)

    @staticmethod
    def _row(sender_id: str, event: Event) -> dict[str, Any]:
        """The `events` row of `event`, with the same columns as Rasa's own save."""
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }

    def _add_snapshot(self, session: Session, sender_id: str, events: list[Event], cut: int) -> None:
        """Store the state before `events[cut]` and the id of the last event it includes."""
        # The events from the cut on are the sender's last len(events) - cut stored rows.
        ids = (
            session.query(self.SQLEvent.id)
            .filter(self.SQLEvent.sender_id == sender_id, self.SQLEvent.type_name != SNAPSHOT)
            .order_by(self.SQLEvent.id.desc())
            .limit(len(events) - cut + 1)
            .all()
        )
        if len(ids) < len(events) - cut + 1:
            return
        state = DialogueStateTracker.from_events(sender_id, events[:cut], self.domain.slots)
        now = time.time()
        data = {"event": SNAPSHOT, "timestamp": now, "after_id": ids[-1][0], "state": tracker_state(state)}
        session.execute(
            self.SQLEvent.__table__.insert(),
            [{"sender_id": sender_id, "type_name": SNAPSHOT, "timestamp": now, "data": json.dumps(data)}],
        )
