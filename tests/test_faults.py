"""Fault tests against the real servers: bad input, size limits, bursts, killed processes (issue 12).

One supervised stack (Rasa, action server, widget server) for the module, on free ports with its own
tracker database, so killing its processes does not disturb the other tests.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import http.client
import json
import os
import signal
import sqlite3
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ARTIFACTS

from bot.advisor import question_for
from bot.edge import MAX_MESSAGE_CHARS, RETRY_MARKER
from bot.runner import Stack, free_port
from bot.settings import get_settings

pytestmark = pytest.mark.e2e

KNOWLEDGE_QUESTION = "vem kan söka almis innovationslån?"


@dataclass
class Faulty:
    """A supervised stack whose processes the tests may kill."""

    stack: Stack
    rasa: str
    widget: str
    tracker_db: Path

    def post(self, body: bytes, timeout: float = 30.0) -> tuple[int, object]:
        """POST raw bytes to the REST channel: status and decoded JSON (or text)."""
        request = urllib.request.Request(
            f"{self.rasa}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw.decode(errors="replace")

    def say(self, sender: str, message: str, timeout: float = 30.0) -> list[dict[str, object]]:
        status, replies = self.post(json.dumps({"sender": sender, "message": message}).encode(), timeout)
        assert status == 200, replies
        assert isinstance(replies, list)
        return replies

    def pid(self, name: str) -> int:
        return self.stack.procs[name].pid

    def user_texts(self, sender: str) -> list[str]:
        """The user messages stored for `sender`, in order."""
        with sqlite3.connect(self.tracker_db) as db:
            rows = db.execute(
                "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id", (sender,)
            ).fetchall()
        return [json.loads(data)["text"] for (data,) in rows]


def temporary(replies: list[dict[str, object]]) -> bool:
    return any((r.get("custom") or {}).get(RETRY_MARKER) for r in replies)  # type: ignore[union-attr]


def user() -> str:
    return f"fault-{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Faulty]:
    tmp = tmp_path_factory.mktemp("faulty")
    settings = dataclasses.replace(
        get_settings(),
        rasa_port=free_port(),
        action_port=free_port(),
        widget_port=free_port(),
        tracker_db=tmp / "tracker.db",
        telegram_bot_token="",
    )
    settings = dataclasses.replace(settings, rasa_url=f"http://127.0.0.1:{settings.rasa_port}")
    stack = Stack(settings, with_widget=True, with_telegram=False, log_dir=ARTIFACTS / "fault-logs")
    stopping = threading.Event()
    supervisor = threading.Thread(target=stack.supervise, args=(stopping, 0.1), daemon=True)
    try:
        stack.start()
        stack.wait_ready()
        supervisor.start()
        yield Faulty(
            stack, settings.rasa_url, f"http://127.0.0.1:{settings.widget_port}", settings.tracker_db
        )
    finally:
        stopping.set()
        if supervisor.is_alive():
            supervisor.join(5)
        stack.stop()


def wait_until_answers(faulty: Faulty, timeout: float = 60.0) -> float:
    """Seconds until a knowledge question gets a real answer again."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        replies = faulty.say(user(), KNOWLEDGE_QUESTION)
        if replies and not temporary(replies):
            return time.monotonic() - started
        time.sleep(0.2)
    raise AssertionError(f"no real answer within {timeout:.0f} s")


# ---- Bad input ---------------------------------------------------------------------------------------


def test_a_lone_surrogate_in_the_sender_is_refused_and_the_server_keeps_serving(faulty: Faulty) -> None:
    status, reply = faulty.post(b'{"sender": "\\udfff", "message": "hej"}')
    assert status == 400 and "sender" in reply["error"]  # type: ignore[index]
    assert faulty.say(user(), "Hej")


def test_a_lone_surrogate_in_the_message_is_dropped(faulty: Faulty) -> None:
    sender = user()
    status, replies = faulty.post(json.dumps({"sender": sender, "message": "Hej\udfff"}).encode())
    assert status == 200 and replies and not temporary(replies)  # type: ignore[arg-type]
    assert faulty.user_texts(sender) == ["Hej"]


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"[]",
        b"null",
        b"not json",
        b"\xff\xfe\xfd",
        b'{"message": "hej"}',
        b'{"sender": "", "message": "hej"}',
        b'{"sender": "x", "message": 5}',
        b'{"sender": "x"}',
        b'{"sender": "x", "message": ""}',
        json.dumps({"sender": "x" * 129, "message": "hej"}).encode(),
        b'{"sender": "<script>", "message": "hej"}',
    ],
    ids=lambda body: body[:30].decode(errors="replace") or "empty",
)
def test_malformed_requests_get_400_with_a_json_error(faulty: Faulty, body: bytes) -> None:
    status, reply = faulty.post(body)
    assert status == 400
    assert isinstance(reply, dict) and reply["error"]


def test_a_message_over_the_limit_gets_a_polite_swedish_reply_and_is_not_stored(faulty: Faulty) -> None:
    sender = user()
    replies = faulty.say(sender, "a" * (MAX_MESSAGE_CHARS + 1))
    assert len(replies) == 1 and "för långt" in str(replies[0]["text"])
    assert faulty.user_texts(sender) == []
    assert faulty.say(sender, "ord " * (MAX_MESSAGE_CHARS // 4)), "a message at the limit is answered"


def test_a_5_mb_body_gets_413_at_once_while_other_users_are_answered(faulty: Faulty) -> None:
    big = json.dumps({"sender": "big", "message": "a" * 5_000_000}).encode()
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        huge = pool.submit(faulty.post, big)
        timed = [pool.submit(timed_say, faulty, user(), KNOWLEDGE_QUESTION) for _ in range(3)]
        status, _ = huge.result(timeout=30)
        latencies = [future.result(timeout=30) for future in timed]
    assert status == 413
    # Others are not held up by the big body (read through NLU it would take far longer); 5 s leaves room
    # for a loaded machine, where 2 s failed at 2.1-2.3 s three times in the seventh session.
    assert max(latencies) < 5.0, latencies


def timed_say(faulty: Faulty, sender: str, message: str) -> float:
    started = time.monotonic()
    assert faulty.say(sender, message)
    return time.monotonic() - started


def test_a_burst_from_one_sender_is_answered_in_order_within_3_s(faulty: Faulty) -> None:
    sender = user()
    faulty.say(sender, "Hej")
    messages = [f"{KNOWLEDGE_QUESTION} ({n})" for n in range(20)]
    connections = [
        http.client.HTTPConnection("127.0.0.1", int(faulty.rasa.rsplit(":", 1)[1])) for _ in messages
    ]
    started = time.monotonic()
    for connection, message in zip(connections, messages, strict=True):
        # Sent one after the other on separate connections, all in flight at once.
        connection.request(
            "POST", "/webhooks/rest/webhook", json.dumps({"sender": sender, "message": message})
        )
        time.sleep(0.005)
    replies = [json.loads(connection.getresponse().read()) for connection in connections]
    seconds = time.monotonic() - started
    assert all(r and not temporary(r) for r in replies)
    # Measured alone: about 1.2 s (was 18 s with Rasa's 1 s lock polling). The bound leaves room for a
    # loaded CI machine and still fails if the messages are serialised in 1 s steps again.
    assert seconds < 8.0, f"20 messages took {seconds:.1f} s"
    assert faulty.user_texts(sender)[1:] == messages


# ---- Network surface ---------------------------------------------------------------------------------


def test_the_action_server_listens_on_loopback_only(faulty: Faulty) -> None:
    port = faulty.stack.settings.action_port
    with open("/proc/net/tcp") as table:
        listening = [line.split()[1] for line in table.readlines()[1:] if line.split()[3] == "0A"]
    assert f"0100007F:{port:04X}" in listening
    assert f"00000000:{port:04X}" not in listening


def test_an_action_error_does_not_echo_the_request(faulty: Faulty) -> None:
    secret = "mitt personnummer 19121212-1212"
    body = json.dumps({"next_action": "action_handoff", "tracker": {"text": secret}}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{faulty.stack.settings.action_port}/webhook",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=10)
    assert caught.value.code == 500
    assert "19121212" not in caught.value.read().decode()
    log = (ARTIFACTS / "fault-logs" / "actions.log").read_text(errors="replace")
    assert "action action_handoff failed" in log and "19121212" not in log


# ---- Killed processes --------------------------------------------------------------------------------


def load(faulty: Faulty, stop: threading.Event, results: list[list[dict[str, object]] | str]) -> None:
    """One user asking knowledge questions until `stop`; every reply (or error) goes to `results`."""
    sender = user()
    while not stop.is_set():
        try:
            results.append(faulty.say(sender, KNOWLEDGE_QUESTION, timeout=15))
        except (AssertionError, OSError) as exc:
            results.append(f"error: {exc}")


def test_killing_the_action_server_under_load_never_gives_an_empty_reply(faulty: Faulty) -> None:
    results: list[list[dict[str, object]] | str] = []
    stop = threading.Event()
    users = [threading.Thread(target=load, args=(faulty, stop, results)) for _ in range(4)]
    for thread in users:
        thread.start()
    time.sleep(1.0)
    killed = faulty.pid("actions")
    os.kill(killed, signal.SIGKILL)
    killed_at = time.monotonic()
    try:
        recovery = wait_until_answers(faulty)
    finally:
        time.sleep(0.5)
        stop.set()
        for thread in users:
            thread.join(30)
    errors = [r for r in results if isinstance(r, str)]
    empty = [r for r in results if r == []]
    print(
        f"\naction server kill -9: {len(results)} requests, {len(errors)} errors, {len(empty)} empty, "
        f"{sum(1 for r in results if isinstance(r, list) and temporary(r))} temporary-error replies, "
        f"answering again after {recovery:.1f} s (restart at {time.monotonic() - killed_at:.1f} s)"
    )
    assert not errors and not empty
    assert faulty.pid("actions") != killed, "the runner restarted the action server"
    assert recovery < 20


def test_a_consultation_answer_given_while_the_actions_are_down_is_asked_again_not_lost(
    faulty: Faulty,
) -> None:
    sender = user()
    faulty.say(sender, "jag behöver hjälp att välja produktionsstrategi")
    os.kill(faulty.pid("actions"), signal.SIGKILL)
    time.sleep(0.2)  # the runner waits 1 s before restarting it
    during = faulty.say(sender, "få en ny produkt tillverkad")
    assert temporary(during), during
    assert "Tillfälligt fel" in str(during[0]["text"])
    wait_until_answers(faulty)
    after = faulty.say(sender, "få en ny produkt tillverkad")
    assert not temporary(after)
    assert question_for("stage").text in "\n".join(str(r.get("text")) for r in after)
    assert faulty.user_texts(sender) == [
        "jag behöver hjälp att välja produktionsstrategi",
        "få en ny produkt tillverkad",
    ], "the answer given during the outage was not stored half-processed"


def test_killing_the_widget_server_leaves_rasa_serving_and_it_comes_back(faulty: Faulty) -> None:
    killed = faulty.pid("widget")
    os.kill(killed, signal.SIGKILL)
    assert faulty.say(user(), "Hej"), "Rasa keeps answering"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{faulty.widget}/widget.js", timeout=2) as response:
                assert response.status == 200
                break
        except OSError:
            time.sleep(0.2)
    else:
        raise AssertionError("the widget server did not come back")
    assert faulty.pid("widget") != killed
    assert faulty.stack.procs["rasa"].poll() is None
