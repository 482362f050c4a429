"""What the assistant keeps about a person, and how it is deleted: retention, erasure and export.

Rasa keeps each conversation as rows of the tracker store's `events` table (sender id, event type,
timestamp, intent or action name, and the event as JSON, message texts included). This module works on
that table through SQLAlchemy, so the same code serves the SQLite file (endpoints.yml) and PostgreSQL
(endpoints.scale.yml):

- `purge` deletes every conversation inactive for `RETENTION_DAYS`; `lotsen run` calls it at start and
  every hour, so no manual step is needed.
- `forget` deletes one person's conversation (`lotsen privacy forget SENDER`).
- `export` returns it as JSON (`lotsen privacy export SENDER`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import time
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
import yaml

from bot.settings import Settings, get_settings

# The tracker store types whose data lives in an SQL `events` table.
SQL_TYPES = ("sql", "bot.trackerstore.sqltrackerstore")
SECONDS_PER_DAY = 86400


class PrivacyError(Exception):
    """The tracker store can't be reached or isn't one this module knows how to clean."""


class NothingStored(PrivacyError):
    """The SQLite tracker database does not exist yet: nothing has been stored."""


def _expand(value: Any, env: Mapping[str, str]) -> Any:
    """`${VAR}` in a string from the endpoints file, filled in like Rasa does."""
    if not isinstance(value, str):
        return value
    return re.sub(r"\$\{(\w+)\}", lambda m: env.get(m.group(1), ""), value)


def tracker_url(settings: Settings, env: Mapping[str, str] | None = None) -> sa.engine.URL:
    """The SQLAlchemy URL of the tracker store that RASA_ENDPOINTS configures."""
    if env is None:
        from bot.runner import rasa_env

        env = rasa_env(settings)
    path = settings.rasa_endpoints
    try:
        config = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("tracker_store") or {}
    except OSError as exc:
        raise PrivacyError(f"{path}: cannot read it ({exc.strerror}); set RASA_ENDPOINTS") from exc
    kind = str(config.get("type", "")).lower()
    if kind not in SQL_TYPES:
        raise PrivacyError(
            f"{path}: tracker_store type {config.get('type')!r} is not SQL "
            "(expected: bot.trackerstore.SQLTrackerStore or SQL)"
        )
    values = {key: _expand(value, env) for key, value in config.items()}
    dialect = values.get("dialect") or "sqlite"
    if dialect == "sqlite":
        return sa.engine.URL.create("sqlite", database=str(values.get("db") or "rasa.db"))
    host = values.get("url") or None
    if host and "://" in host:
        return sa.engine.make_url(host)
    port = values.get("port")
    return sa.engine.URL.create(
        dialect,
        username=values.get("username") or None,
        password=values.get("password") or None,
        host=host,
        port=int(port) if port else None,
        database=values.get("db") or None,
    )


def _engine(url: sa.engine.URL) -> sa.engine.Engine:
    if url.get_backend_name() == "sqlite" and not os.path.exists(url.database or ""):
        raise NothingStored(f"{url.database}: no tracker database yet (nothing is stored)")
    return sa.create_engine(url)


def _events(engine: sa.engine.Engine) -> sa.Table | None:
    """The `events` table, or None when Rasa has not created it yet."""
    if not sa.inspect(engine).has_table("events"):
        return None
    return sa.Table("events", sa.MetaData(), autoload_with=engine)


def purge(url: sa.engine.URL, days: int, now: float | None = None) -> int:
    """Delete every conversation whose last event is older than `days` days; return how many."""
    if days <= 0:
        return 0
    cutoff = (time.time() if now is None else now) - days * SECONDS_PER_DAY
    engine = _engine(url)
    try:
        events = _events(engine)
        if events is None:
            return 0
        stale = (
            sa.select(events.c.sender_id)
            .group_by(events.c.sender_id)
            .having(sa.func.max(events.c.timestamp) < cutoff)
        )
        with engine.begin() as conn:
            senders = [row[0] for row in conn.execute(stale)]
            for start in range(0, len(senders), 500):
                conn.execute(sa.delete(events).where(events.c.sender_id.in_(senders[start : start + 500])))
        return len(senders)
    finally:
        engine.dispose()


def forget(url: sa.engine.URL, sender: str) -> int:
    """Delete every event of conversation `sender`; return how many were deleted."""
    engine = _engine(url)
    try:
        events = _events(engine)
        if events is None:
            return 0
        with engine.begin() as conn:
            return int(conn.execute(sa.delete(events).where(events.c.sender_id == sender)).rowcount or 0)
    finally:
        engine.dispose()


def export(url: sa.engine.URL, sender: str) -> dict[str, Any]:
    """Everything stored about conversation `sender`: its events in order, as Rasa stored them."""
    engine = _engine(url)
    try:
        events = _events(engine)
        rows = []
        if events is not None:
            with engine.connect() as conn:
                query = sa.select(events.c.data).where(events.c.sender_id == sender).order_by(events.c.id)
                rows = [json.loads(row[0]) for row in conn.execute(query)]
    finally:
        engine.dispose()
    return {
        "sender_id": sender,
        "exported_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "events": rows,
    }


def _run(args: argparse.Namespace) -> int:
    settings = get_settings()
    try:
        url = tracker_url(settings)
        if args.action == "purge":
            count = purge(url, settings.retention_days)
            print(f"deleted {count} conversation(s) inactive for {settings.retention_days} days")
        elif args.action == "forget":
            count = forget(url, args.sender)
            print(
                f"deleted {count} event(s) of {args.sender}" if count else f"nothing stored for {args.sender}"
            )
        else:
            json.dump(export(url, args.sender), sys.stdout, ensure_ascii=False, indent=2)
            print()
    except PrivacyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except sa.exc.SQLAlchemyError as exc:
        print(f"error: tracker store: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register `lotsen privacy forget|export|purge`."""
    parser = sub.add_parser(
        "privacy",
        help="delete or export one person's conversation; delete conversations past RETENTION_DAYS",
        description="Work on the conversations in the tracker store that RASA_ENDPOINTS configures.",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    forget_parser = actions.add_parser(
        "forget",
        help="delete everything stored about one conversation (a request to be forgotten)",
        description="Delete every stored event of SENDER. Works while the assistant runs.",
        epilog="Example: lotsen privacy forget tg-123456789   (Telegram: tg-<chat id>; widget: web-…)",
    )
    forget_parser.add_argument("sender", help="the conversation's sender id")
    export_parser = actions.add_parser(
        "export",
        help="print everything stored about one conversation as JSON",
        description="Print SENDER's stored events (messages, answers, slots) as JSON on stdout.",
        epilog="Example: lotsen privacy export web-0123abcd > export.json",
    )
    export_parser.add_argument("sender", help="the conversation's sender id")
    actions.add_parser(
        "purge",
        help="delete conversations inactive for RETENTION_DAYS now (lotsen run does it hourly)",
        description="Delete every conversation whose last event is older than RETENTION_DAYS days.",
        epilog="Example: RETENTION_DAYS=30 lotsen privacy purge",
    )
    parser.set_defaults(func=_run)
