"""Shared fixtures. `assistant` starts the real Rasa server and action server once per test session."""

from __future__ import annotations

import dataclasses
import json
import shutil
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.runner import Stack, free_port
from bot.settings import ROOT, get_settings

ARTIFACTS = ROOT / "test-artifacts"
KB_FIXTURES = ROOT / "tests" / "data" / "kb_fixtures" / "good"


@dataclass
class Assistant:
    """A running assistant: where to reach it, and a helper to talk to it."""

    rasa_url: str
    action_url: str
    tracker_db: Path

    def say(self, sender: str, message: str, timeout: float = 30.0) -> list[dict[str, object]]:
        """Send one message over the REST channel and return the replies."""
        request = urllib.request.Request(
            f"{self.rasa_url}/webhooks/rest/webhook",
            data=json.dumps({"sender": sender, "message": message}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode())


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    """A writable copy of the valid fixture knowledge (tests/data/kb_fixtures/good)."""
    target = tmp_path / "knowledge"
    shutil.copytree(KB_FIXTURES, target)
    return target


def texts(replies: list[dict[str, object]]) -> str:
    """All reply texts joined by newlines."""
    return "\n".join(str(r.get("text") or "") for r in replies)


def buttons(replies: list[dict[str, object]]) -> list[dict[str, str]]:
    """All buttons of the replies, in order."""
    return [b for r in replies for b in (r.get("buttons") or [])]  # type: ignore[union-attr]


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    """The real Rasa server and action server on free ports, with a temporary tracker database."""
    tmp = tmp_path_factory.mktemp("assistant")
    settings = dataclasses.replace(
        get_settings(),
        rasa_port=free_port(),
        action_port=free_port(),
        tracker_db=tmp / "tracker.db",
        telegram_bot_token="",
    )
    settings = dataclasses.replace(settings, rasa_url=f"http://127.0.0.1:{settings.rasa_port}")
    for path in (settings.model_path, settings.knowledge_db):
        if not path.exists():
            pytest.fail(f"{path} is missing: run the tests with `make test` (it trains and builds first)")
    stack = Stack(settings, with_widget=False, with_telegram=False, log_dir=ARTIFACTS / "server-logs")
    try:
        stack.start()
        stack.wait_ready()
        yield Assistant(settings.rasa_url, f"http://127.0.0.1:{settings.action_port}", settings.tracker_db)
    finally:
        stack.stop()
