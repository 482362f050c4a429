"""Retention, erasure and export of conversations (bot/privacy.py), and a tracker store that never exits."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import privacy
from bot.cli import main
from bot.settings import get_settings
from bot.trackerstore import SQLTrackerStore

DAY = 86400


def store_for(db: Path) -> SQLTrackerStore:
    return SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(db))


def save(store: SQLTrackerStore, sender: str, text: str, at: float) -> None:
    """Add one user message at time `at` (seconds since the epoch) to `sender`'s conversation."""
    tracker = asyncio.run(store.retrieve(sender)) or DialogueStateTracker(sender, [])
    tracker.update(ActionExecuted("action_listen", timestamp=at))
    tracker.update(UserUttered(text, timestamp=at))
    asyncio.run(store.save(tracker))


def senders(db: Path) -> set[str]:
    with sa.create_engine(f"sqlite:///{db}").connect() as conn:
        return {row[0] for row in conn.execute(sa.text("SELECT DISTINCT sender_id FROM events"))}


@pytest.fixture
def tracker_db(tmp_path: Path) -> Path:
    """A tracker database written by the tracker store Rasa uses: an old, a recent and a fresh user."""
    db = tmp_path / "tracker.db"
    store = store_for(db)
    now = time.time()
    save(store, "old", "mitt organisationsnummer är 556677-8899", now - 91 * DAY)
    save(store, "recent", "hej", now - 89 * DAY)
    save(store, "fresh", "vem kan söka almis innovationslån?", now)
    return db


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tracker_db: Path) -> Path:
    """Settings pointing at the tracker database, as `lotsen privacy` reads them."""
    monkeypatch.setenv("TRACKER_DB", str(tracker_db))
    monkeypatch.delenv("RETENTION_DAYS", raising=False)
    return tracker_db


def test_retention_deletes_conversations_inactive_for_90_days(env: Path) -> None:
    url = privacy.tracker_url(get_settings())
    assert privacy.purge(url, get_settings().retention_days) == 1
    assert senders(env) == {"recent", "fresh"}


def test_retention_counts_inactivity_from_the_last_message(env: Path) -> None:
    save(store_for(env), "old", "jag är tillbaka", time.time())
    assert privacy.purge(privacy.tracker_url(get_settings()), 90) == 0
    assert "old" in senders(env)


def test_retention_zero_keeps_everything(env: Path) -> None:
    assert privacy.purge(privacy.tracker_url(get_settings()), 0) == 0
    assert senders(env) == {"old", "recent", "fresh"}


def test_forget_deletes_one_person_only(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["privacy", "forget", "fresh"]) == 0
    assert "deleted 2 event(s) of fresh" in capsys.readouterr().out
    assert senders(env) == {"old", "recent"}
    assert main(["privacy", "forget", "fresh"]) == 0
    assert "nothing stored for fresh" in capsys.readouterr().out


def test_export_prints_everything_stored_about_one_person(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["privacy", "export", "fresh"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert exported["sender_id"] == "fresh"
    assert [e.get("text") for e in exported["events"] if e["event"] == "user"] == [
        "vem kan söka almis innovationslån?"
    ]


def test_purge_command_uses_retention_days(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RETENTION_DAYS", "30")
    assert main(["privacy", "purge"]) == 0
    assert "deleted 2 conversation(s) inactive for 30 days" in capsys.readouterr().out
    assert senders(env) == {"fresh"}


def test_privacy_commands_explain_a_missing_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "none.db"))
    assert main(["privacy", "forget", "anna"]) == 1
    assert "none.db: no tracker database yet" in capsys.readouterr().err


def test_the_runner_purges_at_start(env: Path) -> None:
    from bot.runner import Stack

    settings = dataclasses.replace(get_settings(), tracker_db=env)
    stack = Stack(settings, with_widget=False, with_telegram=False)
    stack.commands = lambda: {}  # type: ignore[method-assign] # no servers: only the purge
    stack.start()
    assert senders(env) == {"recent", "fresh"}


def test_postgresql_settings_give_a_postgresql_url(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.settings import ROOT

    settings = dataclasses.replace(get_settings(), rasa_endpoints=ROOT / "endpoints.scale.yml")
    env = {"POSTGRES_HOST": "db", "POSTGRES_PORT": "5432", "POSTGRES_DB": "lotsen", "POSTGRES_USER": "u"}
    url = privacy.tracker_url(settings, env)
    assert (url.get_backend_name(), url.host, url.port, url.database) == ("postgresql", "db", 5432, "lotsen")


def test_a_sender_sqlite_cannot_store_is_an_error_not_an_exit(tmp_path: Path) -> None:
    """Rasa's own SQLTrackerStore calls sys.exit here, stopping the whole server (issue 12)."""
    store = store_for(tmp_path / "tracker.db")
    with pytest.raises(Exception) as caught:
        save(store, "\udfff", "hej", time.time())
    assert not isinstance(caught.value, SystemExit)
    save(store, "anna", "hej", time.time())
    assert senders(tmp_path / "tracker.db") == {"anna"}
