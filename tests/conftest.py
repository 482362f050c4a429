"""Shared fixtures. `assistant` starts the real Rasa server and action server once per test session."""

from __future__ import annotations

import dataclasses
import json
import shutil
import tempfile
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.kb import KnowledgeBase
from bot.runner import Stack, free_port
from bot.scaled import ScaledStack, ScaleError, debian_binary
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


@pytest.fixture(scope="session")
def shipped_kb() -> KnowledgeBase:
    """The knowledge base built from the shipped knowledge/ (`make kb`)."""
    path = get_settings().knowledge_db
    if not path.exists():
        pytest.skip("no var/knowledge.db (run `make kb`)")
    return KnowledgeBase(path)


@pytest.fixture(scope="session")
def domain() -> dict[str, object]:
    """The real domain, as the action server receives it (a module may define its own)."""
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "domain")).as_dict()


@pytest.fixture()
def kb(shipped_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> Iterator[KnowledgeBase]:
    """The actions read the shipped knowledge base (a module may define its own `kb`)."""
    from bot.actions.kbaccess import get_kb

    monkeypatch.setenv("KNOWLEDGE_DB", str(get_settings().knowledge_db))
    get_kb.cache_clear()
    yield get_kb()
    get_kb.cache_clear()


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


@dataclass
class Scaled:
    """A running scaled mode: nginx in front of two replicas, on PostgreSQL and Redis of its own."""

    stack: ScaledStack
    url: str

    def post(
        self, sender: str, message: str, url: str | None = None, timeout: float = 60.0
    ) -> tuple[int, object]:
        """POST a message to nginx (or to `url`, a replica): the status and the decoded JSON."""
        request = urllib.request.Request(
            f"{url or self.url}/webhooks/rest/webhook",
            data=json.dumps({"sender": sender, "message": message}).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, json.loads(response.read().decode())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read().decode() or "null")

    def say(self, sender: str, message: str, url: str | None = None) -> list[dict[str, object]]:
        status, replies = self.post(sender, message, url)
        assert status == 200 and isinstance(replies, list), (status, replies)
        return replies

    def replica(self, number: int) -> str:
        """Base URL of Rasa replica `number` (1 or 2), bypassing nginx."""
        return f"http://127.0.0.1:{self.stack.rasa_ports[number - 1]}"

    def user_texts(self, sender: str) -> list[str]:
        """The user messages stored in PostgreSQL for `sender`, in order."""
        engine = sa.create_engine(self.stack.tracker_url())
        try:
            with engine.connect() as conn:
                rows = conn.execute(
                    sa.text(
                        "SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id"
                    ),
                    {"s": sender},
                ).fetchall()
        finally:
            engine.dispose()
        return [json.loads(data)["text"] for (data,) in rows]


@pytest.fixture(scope="session")
def scaled() -> Iterator[Scaled]:
    """`lotsen run-scaled` with 2 replicas and 2 action servers, every port free, data in a temp dir."""
    # Under var/, not pytest's private /tmp folder: PostgreSQL runs as its own user when we are root.
    (ROOT / "var").mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="test-scale-", dir=ROOT / "var"))
    tmp.chmod(0o755)
    settings = dataclasses.replace(
        get_settings(),
        rasa_port=free_port(),
        action_port=free_port(),
        widget_port=free_port(),
        postgres_host="",
        postgres_port=free_port(),
        redis_host="",
        redis_port=free_port(),
        scale_dir=tmp,
        telegram_bot_token="",
    )
    settings = dataclasses.replace(settings, rasa_url=f"http://127.0.0.1:{settings.rasa_port}")
    for binary in ("postgres", "redis-server", "nginx"):
        try:
            debian_binary(binary)
        except ScaleError as exc:
            pytest.fail(f"{exc}: run the tests with `make test` (it installs them)")
    stack = ScaledStack(
        settings, with_widget=False, with_telegram=False, log_dir=ARTIFACTS / "scaled-logs", replicas=2,
        action_servers=2,
    )  # fmt: skip
    stopping = threading.Event()
    supervisor = threading.Thread(target=stack.supervise, args=(stopping, 0.1), daemon=True)
    try:
        stack.start()
        stack.wait_ready()
        supervisor.start()
        yield Scaled(stack, settings.rasa_url)
    finally:
        stopping.set()
        if supervisor.is_alive():
            supervisor.join(5)
        stack.stop()
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(stack.pg_data, ignore_errors=True)  # outside tmp when postgres can't reach var/
