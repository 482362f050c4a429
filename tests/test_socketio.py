"""Rasa's socket.io channel (bot.socketio_channel) against the real assistant: a python-socketio client,
and rasa-webchat from npm (`make npm`) on a page of its own in headless chromium."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import socketio
from playwright.sync_api import Browser, Page, expect, sync_playwright

from bot import edge
from bot.settings import ROOT
from bot.socketio_channel import origin_allowed

WEBCHAT = ROOT / "node_modules" / "rasa-webchat" / "lib" / "index.js"
ARTIFACTS = ROOT / "test-artifacts" / "widget"
CHROMIUM = "/usr/bin/chromium"
LOCAL_PAGE = "http://127.0.0.1:8080"

# The snippet the README shows, with the script served from this test's own page server.
WEBCHAT_PAGE = """<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>rasa-webchat</title></head>
<body><main><h1>rasa-webchat</h1></main>
<div id="webchat"></div>
<script src="/webchat.js"></script>
<script>
  window.WebChat.default({{
    selector: "#webchat",
    socketUrl: "{rasa}",
    socketPath: "/socket.io/",
    initPayload: "/greet",
    title: "Produktionslotsen",
    inputTextFieldHint: "Skriv ett meddelande…",
    params: {{ storage: "session" }},
  }}, null);
</script>
</body></html>"""


async def converse(
    rasa_url: str, session_id: str, messages: list[str], origin: str = LOCAL_PAGE
) -> list[dict[str, Any]]:
    """Connect as rasa-webchat does, send each message and collect the answers to each."""
    client = socketio.AsyncClient(reconnection=False)
    answers: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    confirmed: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    client.on("bot_uttered", answers.put)
    client.on("session_confirm", lambda sid: confirmed.done() or confirmed.set_result(sid))
    # Long polling: python-engineio's WebSocket client needs a newer aiohttp than Rasa 3.6 allows. The
    # browser test below uses WebSocket.
    await client.connect(
        rasa_url,
        headers={"Origin": origin},
        socketio_path="/socket.io",
        transports=["polling"],
        wait_timeout=10,
    )
    try:
        await client.emit("session_request", {"session_id": session_id})
        assert await asyncio.wait_for(confirmed, 10) == session_id
        received = []
        for message in messages:
            await client.emit("user_uttered", {"message": message, "session_id": session_id})
            received.append(await asyncio.wait_for(answers.get(), 30))
            await asyncio.sleep(0.3)
            while not answers.empty():
                received.append(answers.get_nowait())
        return received
    finally:
        # Without abort, the client waits for its pending long poll: the server's 25 s ping interval.
        await client.eio.disconnect(abort=True)


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("http://localhost:8080", True),
        ("http://127.0.0.1:3000", True),
        ("http://localhost.attacker.example", False),
        ("https://attacker.example", False),
        (None, False),
    ],
)
def test_the_same_origins_as_the_rest_channel_may_connect(origin: str | None, allowed: bool) -> None:
    assert origin_allowed(origin) is allowed


@pytest.mark.e2e
def test_a_socketio_client_with_a_persistent_session_gets_answers(assistant: Any) -> None:
    session_id = uuid.uuid4().hex
    answers = asyncio.run(converse(assistant.rasa_url, session_id, ["/greet", "Hej"]))
    greeting = answers[0]
    assert "Produktionslotsen" in greeting["text"]
    assert [q["title"] for q in greeting["quick_replies"]] == [
        "Hjälp mig välja produktionsstrategi",
        "Vilka stöd finns?",
    ]
    assert len(answers) == 2, "a message's paragraphs arrive as one message"
    # The same session, reconnected: Rasa kept the conversation under the session id.
    events = assistant.say(session_id, "tack")
    assert events and events[0]["text"]


@pytest.mark.e2e
def test_a_socketio_message_over_the_limit_gets_the_polite_reply(assistant: Any) -> None:
    too_long = "a" * (edge.MAX_MESSAGE_CHARS + 1)
    answers = asyncio.run(converse(assistant.rasa_url, uuid.uuid4().hex, [too_long]))
    assert answers == [{"text": edge.too_long_reply("x", too_long)["text"]}]


@pytest.mark.e2e
def test_a_page_from_another_origin_cannot_connect(assistant: Any) -> None:
    with pytest.raises(socketio.exceptions.ConnectionError):
        asyncio.run(converse(assistant.rasa_url, uuid.uuid4().hex, [], origin="https://attacker.example"))


# ---- rasa-webchat in a browser -------------------------------------------------------------------------


@pytest.fixture
def webchat_site(assistant: Any) -> Iterator[str]:
    """A page of its own embedding rasa-webchat (from node_modules) pointed at the real Rasa."""
    if not WEBCHAT.exists():
        pytest.fail(f"{WEBCHAT} is missing: run `make npm` (npm ci from package-lock.json)")
    pages = {
        "/": ("text/html", WEBCHAT_PAGE.format(rasa=assistant.rasa_url).encode()),
        "/webchat.js": ("text/javascript", WEBCHAT.read_bytes()),
    }

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def do_GET(self) -> None:
            content_type, body = pages.get(self.path, ("text/plain", b""))
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", f"{content_type}; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def browser() -> Iterator[Browser]:
    """Debian's chromium, headless."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"], headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.mark.e2e
@pytest.mark.browser
def test_rasa_webchat_from_npm_gets_an_answer_over_socketio(
    browser: Browser, webchat_site: str, assistant: Any
) -> None:
    rasa_url = assistant.rasa_url.replace("localhost", "127.0.0.1")
    page: Page = browser.new_page(viewport={"width": 1280, "height": 800})
    websockets: list[str] = []
    page.on("websocket", lambda ws: websockets.append(ws.url))
    # Nothing leaves this machine (rasa-webchat would fetch an avatar and a font from the internet).
    local = (webchat_site, rasa_url)
    page.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith(local) else route.abort()
    )
    page.goto(webchat_site)
    page.locator(".rw-launcher").click()
    answers = page.locator(".rw-from-response .rw-message-text")
    expect(answers.first).to_contain_text("Produktionslotsen", timeout=30_000)
    page.locator(".rw-new-message").fill("vad kan du hjälpa mig med")
    page.locator(".rw-new-message").press("Enter")
    expect(answers).to_have_count(2, timeout=30_000)
    answer = answers.nth(1).inner_text()
    assert answer.strip() and answer != answers.first.inner_text()
    assert "förstod jag inte" not in answer
    assert any("/socket.io/" in url for url in websockets), websockets
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "rasa-webchat.png"))
    page.close()
