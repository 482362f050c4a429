"""Rasa's SQL tracker store, minus the `sys.exit` inside a request.

Rasa 3.6's `SQLTrackerStore.session_scope` turns any `ValueError` raised while a session is open into
`print_error_and_exit` (meant for a missing PostgreSQL schema at start-up). SQLite raises a `ValueError`
subclass for text it cannot store (a lone UTF-16 surrogate in a sender id), so one request stopped the
whole Rasa server (issue 12). Here the error stays an ordinary exception of that request; the REST
channel answers it with its temporary-error reply. Selected in endpoints*.yml with
`type: bot.trackerstore.SQLTrackerStore` (same keys as Rasa's `type: SQL`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from rasa.core.tracker_store import SQLTrackerStore as StockSQLTrackerStore
from rasa.core.tracker_store import ensure_schema_exists

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class SQLTrackerStore(StockSQLTrackerStore):
    """SQLTrackerStore whose database errors are exceptions of the request, never an exit."""

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
