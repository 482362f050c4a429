"""Read the tracker store's `events` table and sum it up: turns, outcomes, ratings, consultations.

Works on Rasa's event JSON only, through SQLAlchemy, so the SQLite file and PostgreSQL are read alike.
One conversation is one Rasa session (a sender's events between two `action_session_start`s). Sender ids
are used to tell conversations apart and to name the channel (`tg-` Telegram, `web-` widget), and are
never kept in what this module returns.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from bot.feedback import RATING_SLOT, RECOMMENDATION, answers, is_response

# Dates in the report are Swedish dates: the servers may run in UTC, the staff read Swedish time.
ZONE = ZoneInfo("Europe/Stockholm")
CHANNELS = {"tg-": "Telegram", "web-": "Webbwidget"}
OTHER_CHANNEL = "Annat (REST)"

# Outcomes of one typed message.
ANSWERED = "answered"
CLARIFIED = "clarified"  # a menu of candidates: "Menade du något av det här?"
NOT_UNDERSTOOD = "not_understood"  # NLU fallback that did not end in an answer
NOT_FOUND = "not_found"  # understood, but nothing in the knowledge base
OUT_OF_SCOPE = "out_of_scope"
MENU_IGNORED = "menu_ignored"  # a menu whose suggestions the user did not take
OTHER = "other"  # small talk, consultation answers, greetings …
UNANSWERED = (NOT_UNDERSTOOD, NOT_FOUND, OUT_OF_SCOPE, MENU_IGNORED)

CONSULTATION_FORM = "advisor_form"
START_PAYLOAD = "/start_consultation"


class ReportError(Exception):
    """The tracker store can't be read for a report."""


@dataclass
class Turn:
    """One message a user typed (not a button) and what the assistant made of it."""

    text: str
    timestamp: float
    intent: str
    outcome: str
    in_consultation: bool = False
    menu_ignored: bool = False  # a menu answered it and the user's next message was not one of its buttons

    @property
    def reason(self) -> str:
        """Why the turn counts as unanswered (its outcome, or MENU_IGNORED), else its outcome."""
        return MENU_IGNORED if self.outcome == CLARIFIED and self.menu_ignored else self.outcome


@dataclass
class Rating:
    """The last 👍/👎 a conversation gave one answer, with every "Vad saknades?" text for it."""

    rating: str
    answer: str
    question: str
    timestamp: float
    comments: list[str] = field(default_factory=list)


@dataclass
class Conversation:
    """What the report needs from one conversation; no sender id."""

    channel: str
    start: float
    messages: int = 0
    turns: list[Turn] = field(default_factory=list)
    answered_entries: list[str] = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)
    offered: bool = False
    started: bool = False
    asked: list[str] = field(default_factory=list)  # consultation questions (slots) in the order asked
    stopped: bool = False  # said "avbryt" in the consultation
    recommended: bool = False
    recommendation_rated: bool = False

    @property
    def day(self) -> dt.date:
        """The Swedish date the conversation started."""
        return dt.datetime.fromtimestamp(self.start, ZONE).date()


def channel_of(sender: str) -> str:
    """Which front end a sender id belongs to."""
    return next((name for prefix, name in CHANNELS.items() if sender.startswith(prefix)), OTHER_CHANNEL)


# bot.trackerstore.SNAPSHOT, written out so that the report does not load Rasa.
SNAPSHOT_TYPE = "lotsen_snapshot"


def read_events(url: sa.engine.URL | str, start: float, end: float) -> Iterator[tuple[str, dict[str, Any]]]:
    """(sender id, event) for each event in [start, end), conversation by conversation, in order."""
    engine = sa.create_engine(url)
    try:
        if not sa.inspect(engine).has_table("events"):
            return
        events = sa.Table("events", sa.MetaData(), autoload_with=engine)
        query = (
            sa.select(events.c.sender_id, events.c.data)
            .where(events.c.timestamp >= start, events.c.timestamp < end)
            # The bounded tracker store's state snapshots repeat earlier events: not conversation.
            .where(events.c.type_name != SNAPSHOT_TYPE)
            .order_by(events.c.sender_id, events.c.id)
        )
        with engine.connect() as conn:
            for sender, data in conn.execute(query):
                yield sender, json.loads(data)
    except sa.exc.SQLAlchemyError as exc:
        raise ReportError(f"tracker store: {exc.__class__.__name__}: {exc}") from exc
    finally:
        engine.dispose()


def sessions(rows: Iterable[tuple[str, dict[str, Any]]]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Split each sender's events into Rasa sessions; yields (channel, events)."""
    sender: str | None = None
    current: list[dict[str, Any]] = []
    for row_sender, event in rows:
        starts = event.get("event") == "action" and event.get("name") == "action_session_start"
        if row_sender != sender or (starts and current):
            if current and sender is not None:
                yield channel_of(sender), current
            sender, current = row_sender, []
        current.append(event)
    if current and sender is not None:
        yield channel_of(sender), current


def _intent(event: Mapping[str, Any]) -> str:
    return str(((event.get("parse_data") or {}).get("intent") or {}).get("name") or "")


def _outcome(intent: str, actions: list[str], texts: list[str], answered: bool) -> str:
    """What the assistant made of one typed message, from the actions and texts that followed it."""
    if any(is_response(t, "utter_handoff_after_misses") for t in texts):
        return NOT_UNDERSTOOD  # its contact details are an answer, but not to what was asked
    if answered:
        return ANSWERED
    if any(
        is_response(t, name)
        for t in texts
        for name in ("utter_kb_not_found", "utter_support_none", "utter_kb_unknown_name")
    ):
        return NOT_FOUND
    if any(is_response(t, "utter_clarify") or is_response(t, "utter_kb_choose") for t in texts):
        return CLARIFIED
    if intent == "nlu_fallback" or "action_default_fallback" in actions:
        return NOT_UNDERSTOOD
    if intent == "out_of_scope" or any(is_response(t, "utter_out_of_scope") for t in texts):
        return OUT_OF_SCOPE
    return OTHER


def summarise(channel: str, events: list[dict[str, Any]]) -> Conversation | None:
    """One conversation's summary, or None when the user wrote nothing in it."""
    users = [e for e in events if e.get("event") == "user"]
    if not users:
        return None
    conv = Conversation(channel=channel, start=float(users[0].get("timestamp") or 0))
    conv.messages = len(users)
    rated = {round(a.timestamp, 3) for a in answers(events)}
    turn: Turn | None = None
    actions: list[str] = []
    texts: list[str] = []
    payloads: list[str] = []
    answered = False
    loop: str | None = None
    ratings: dict[tuple[str, float], Rating] = {}
    menu: tuple[Turn, set[str]] | None = None  # the latest turn answered by a menu, and its payloads

    def close() -> None:
        nonlocal menu
        if turn is not None:
            turn.outcome = _outcome(turn.intent, actions, texts, answered)
            if turn.outcome == CLARIFIED:
                menu = (turn, set(payloads))
            if turn.in_consultation and turn.outcome == NOT_UNDERSTOOD:
                # The consultation's own parser reads answers the NLU is unsure of ("typ 500 om året").
                turn.outcome = OTHER

    for event in events:
        kind = event.get("event")
        if kind == "user":
            close()
            text, intent = str(event.get("text") or ""), _intent(event)
            if menu is not None:
                menu[0].menu_ignored = text not in menu[1]
                menu = None
            # A tapped button sends its payload: "/intent{…}", or a consultation answer's title.
            typed = not text.startswith("/") and text not in payloads and loop != "rating_comment_form"
            when = float(event.get("timestamp") or 0)
            turn = Turn(text, when, intent, OTHER, loop == CONSULTATION_FORM) if typed else None
            if turn is not None:
                conv.turns.append(turn)
            if intent == "start_consultation":
                conv.offered = True
            actions, texts, payloads, answered = [], [], [], False
        elif kind == "action":
            name = str(event.get("name") or "")
            actions.append(name)
            if name == "action_start_advisor":
                conv.started = True
            elif name == "action_recommend":
                conv.recommended = True
            elif name == "utter_advisor_stopped":
                conv.stopped = True
        elif kind == "active_loop":
            loop = event.get("name")
            if loop == CONSULTATION_FORM:
                conv.started = True
        elif kind == "bot":
            text = str(event.get("text") or "")
            texts.append(text)
            buttons = (event.get("data") or {}).get("buttons") or []
            payloads.extend(str(b.get("payload")) for b in buttons)
            if any(b.get("payload") == START_PAYLOAD for b in buttons):
                conv.offered = True
            if round(float(event.get("timestamp") or 0), 3) in rated:
                answered = True
        elif kind == "slot" and event.get("name") == "requested_slot" and loop == CONSULTATION_FORM:
            slot = event.get("value")
            if slot and slot not in conv.asked:
                conv.asked.append(str(slot))
        elif kind == "slot" and event.get("name") == RATING_SLOT and isinstance(event.get("value"), dict):
            _add_rating(ratings, event["value"], float(event.get("timestamp") or 0))
    close()
    if menu is not None:
        menu[0].menu_ignored = True
    conv.answered_entries = [a.answer_id for a in answers(events) if a.answer_id]
    conv.ratings = list(ratings.values())
    conv.recommendation_rated = any(r.answer == RECOMMENDATION for r in conv.ratings)
    conv.offered = conv.offered or conv.started
    return conv


def _add_rating(ratings: dict[tuple[str, float], Rating], value: Mapping[str, Any], when: float) -> None:
    """Keep the last rating per answer; collect every comment given for it."""
    key = (str(value.get("answer") or ""), float(value.get("answered_at") or 0))
    previous = ratings.get(key)
    rating = Rating(
        str(value.get("rating") or ""),
        key[0],
        str(value.get("question") or ""),
        when,
        list(previous.comments) if previous else [],
    )
    comment = str(value.get("comment") or "").strip()
    if comment and comment not in rating.comments:
        rating.comments.append(comment)
    ratings[key] = rating


def conversations(url: sa.engine.URL | str, start: float, end: float) -> list[Conversation]:
    """Every conversation with a user message in [start, end)."""
    found = (summarise(channel, events) for channel, events in sessions(read_events(url, start, end)))
    return sorted((c for c in found if c is not None), key=lambda c: c.start)


def database_url(value: str) -> str:
    """A SQLAlchemy URL from `--db`: a URL as it is, a file path as SQLite."""
    if "://" in value:
        return value
    path = Path(value)
    if not path.exists():
        raise ReportError(f"{value}: no such tracker database (give a SQLite file or a SQLAlchemy URL)")
    return f"sqlite:///{path}"


def entry_counts(convs: Iterable[Conversation]) -> Counter[str]:
    """How often each entry was answered (the recommendation not counted). An answer id names passages
    (`entry#key`, several joined by "+", bot.actions.answers.answer_id); each entry counts once per answer."""
    return Counter(
        entry
        for c in convs
        for answer in c.answered_entries
        if answer != RECOMMENDATION
        for entry in dict.fromkeys(part.split("#", 1)[0] for part in answer.split("+"))
    )
