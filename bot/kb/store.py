"""Read access to the compiled knowledge database for the action server and the CLI.

Opened lazily and read-only. Before each query the file is stat'ed; when `lotsen kb build` has
replaced it, the new database is opened, so a running action server serves new content at once.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from bot.kb.concepts import told_topics
from bot.kb.errors import KnowledgeError
from bot.kb.model import KINDS, LIST_FIELDS, Entry, Status, status
from bot.kb.search import SearchIndex, Term
from bot.settings import get_settings

CallFilter = Literal["open", "upcoming", "closed", "all"]
_KIND_ORDER = {kind: index for index, kind in enumerate(KINDS)}


@dataclass(frozen=True)
class Hit:
    """One search result: the entry and its score (higher is better)."""

    entry: Entry
    score: float


@dataclass
class _Snapshot:
    """Everything read from one version of the database file."""

    conn: sqlite3.Connection
    stamp: tuple[int, int, int]
    entries: dict[str, Entry]
    index: SearchIndex


class KnowledgeBase:
    """The knowledge entries and their search. Safe to share between threads."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else get_settings().knowledge_db
        self._lock = threading.RLock()
        self._snapshot: _Snapshot | None = None

    def search(self, text: str, kind: str | None = None, limit: int = 5) -> list[Hit]:
        """Entries matching a Swedish question or name, best first. Any text is accepted."""
        _check_kind(kind)
        with self._lock:
            snap = self._current()
            ranked = snap.index.search(snap.conn, text or "", kind, limit)
            return [Hit(snap.entries[entry_id], score) for entry_id, score in ranked]

    def weighted_terms(self, text: str) -> list[tuple[Term, float]]:
        """The message's terms as the index resolves them, each with its share of the information."""
        with self._lock:
            return self._current().index.weighted_terms(text or "")

    def unresolved(self, text: str) -> list[str]:
        """The message's content words that nothing in the knowledge base matches."""
        with self._lock:
            return self._current().index.unresolved(text or "")

    def joined(self, text: str) -> str:
        """The text with a name's compound typed as two words joined ("tillverknings uppdraget")."""
        with self._lock:
            return self._current().index.joined(text)

    def stems_of(self, text: str) -> frozenset[str]:
        """A text's stems as the index sees them (with compound parts), for matching passages."""
        with self._lock:
            return self._current().index.stems_of(text)

    def situation_topics(self, text: str) -> frozenset[str]:
        """The entry topics of the situations a text tells ("en fabrik i Asien": contract-manufacturing)."""
        with self._lock:
            return told_topics(self._current().index.situations, text)

    def get(self, entry_id: str) -> Entry | None:
        """The entry with this id, or None."""
        return self._entries().get(entry_id)

    def all(self, kind: str | None = None) -> list[Entry]:
        """Every entry (of one kind), ordered by kind and id."""
        _check_kind(kind)
        entries = [e for e in self._entries().values() if kind is None or e.kind == kind]
        return sorted(entries, key=lambda e: (_KIND_ORDER[e.kind], e.id))

    def by_intent(self, intent: str) -> Entry | None:
        """The entry that is the default answer for a Rasa intent, or None."""
        return next((e for e in self.all() if intent in e.answers_intents), None)

    def by_topic(self, topic: str, kinds: tuple[str, ...] | None = None) -> list[Entry]:
        """Entries tagged with a topic (optionally only some kinds), ordered by kind and id."""
        for kind in kinds or ():
            _check_kind(kind)
        return [e for e in self.all() if topic in e.topics and (kinds is None or e.kind in kinds)]

    def calls(self, as_of: dt.date, status: CallFilter = "all") -> list[Entry]:
        """Calls by status on a date: open ones by nearest closing date, upcoming ones by nearest opening
        date, others newest first."""
        if status not in ("open", "upcoming", "closed", "all"):
            raise KnowledgeError(f"unknown call status '{status}' (expected: open, upcoming, closed, all)")
        calls = [e for e in self.all("call") if status == "all" or self.status(e, as_of) == status]
        if status == "open":
            return sorted(calls, key=lambda e: (e.dates.closes or dt.date.max, e.id))
        if status == "upcoming":
            return sorted(calls, key=lambda e: (e.dates.opens or dt.date.max, e.id))
        return sorted(calls, key=lambda e: (_latest(e), e.id), reverse=True)

    @staticmethod
    def status(entry: Entry, as_of: dt.date) -> Status:
        """open, closed, upcoming or unknown (see bot.kb.model.status)."""
        return status(entry, as_of)

    def meta(self) -> dict[str, str]:
        """Build information: content_hash, entries, index_version."""
        with self._lock:
            return dict(self._current().conn.execute("SELECT key, value FROM meta"))

    def close(self) -> None:
        """Close the database connection (it is reopened on the next query)."""
        with self._lock:
            if self._snapshot is not None:
                self._snapshot.conn.close()
                self._snapshot = None

    def _entries(self) -> dict[str, Entry]:
        """The entries of the current database file, by id."""
        with self._lock:
            return self._current().entries

    def _current(self) -> _Snapshot:
        """The snapshot of the file now at self.path, reopening it if the file was replaced."""
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            if self._snapshot is not None:
                return self._snapshot
            raise KnowledgeError(f"no knowledge database at {self.path} (run `lotsen kb build`)") from None
        stamp = (info.st_ino, info.st_mtime_ns, info.st_size)
        if self._snapshot is None or self._snapshot.stamp != stamp:
            fresh = _open(self.path, stamp)
            self.close()
            self._snapshot = fresh
        return self._snapshot


def _open(path: Path, stamp: tuple[int, int, int]) -> _Snapshot:
    """Open the database read-only and load the entries and the in-memory search index."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
    try:
        cursor = conn.cursor()
        cursor.row_factory = sqlite3.Row  # type: ignore[assignment]  # typeshed: Row is a valid factory
        entries = {row["id"]: _entry(row) for row in cursor.execute("SELECT * FROM entries ORDER BY id")}
        index = SearchIndex(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise KnowledgeError(f"{path} is not a knowledge database ({exc}; run `lotsen kb build`)") from exc
    return _Snapshot(conn=conn, stamp=stamp, entries=entries, index=index)


def _entry(row: sqlite3.Row) -> Entry:
    """An entry from its row (JSON columns decoded)."""
    data: dict[str, Any] = dict(row)
    for name in (*LIST_FIELDS, "sources", "dates", "cites"):
        data[name] = json.loads(data[name]) if data[name] else None
    return Entry.from_dict(data)


def _latest(entry: Entry) -> dt.date:
    """The latest date of a call, for listing the most recent first."""
    return max(entry.dates.every(), default=entry.facts_as_of)


def _check_kind(kind: str | None) -> None:
    """Raise for a kind that does not exist (a typo in calling code, not in user text)."""
    if kind is not None and kind not in KINDS:
        raise KnowledgeError(f"unknown kind '{kind}' (expected: {', '.join(KINDS)})")
