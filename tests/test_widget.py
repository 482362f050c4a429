"""The web chat widget: its static server, and the widget itself in headless chromium.

Most browser tests talk to a small fake Rasa REST server (deterministic, fast, can be made unreachable or
slow); the `e2e` tests at the end talk to the real assistant. Screenshots go to test-artifacts/widget/.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect, sync_playwright

from bot import edge
from bot.settings import ROOT
from bot.web import cli as web_cli
from bot.web.server import make_server

ARTIFACTS = ROOT / "test-artifacts" / "widget"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
GREETING = "Welcome from the fake server, see https://example.org/about."
QUICK_REPLIES = [("Show an example", "/example"), ("Something else", "/other")]
XSS = '<img src=x onerror="window.__pwned = 1"><script>window.__pwned = 2</script><b>bold</b>'
MARKDOWN = (
    "**Almis innovationslån** – så här söker du:\n\n"
    "- Kontakta **Almi** i din region\n- Skicka in en ansökan\n\n"
    "1. först\n2. sedan\n\n"
    "Läs mer på www.almi.se/lan, https://example.org/a_(b). eller mejla info@example.se. <i>inte html</i>"
)
LONG_ANSWER = "**Rekommendation: legotillverkning i Sverige**\n\n" + "\n\n".join(
    f"Stycke {n}: " + "Det här är en lång förklaring om produktionsstrategi och vad den innebär. " * 3
    for n in range(1, 16)
)
CANNED = {"markdown": MARKDOWN, "lång": LONG_ANSWER}
# A rateable answer: the REST channel's `rating` marker (bot/feedback.py) comes with it.
FACT = "Almis innovationslån är på upp till 1 miljon kronor.\n\nKälla: Almi (uppgifter per 2026-01-15)"
FACT_MARKER = {"answer": "almi-innovationslan#amount", "ref": "1a2b3c4d"}


# ---- Servers used by the tests -----------------------------------------------------------------------


@dataclass
class FakeRasa:
    """What the fake REST channel received, and switches that change how it behaves."""

    received: list[tuple[str, str]] = field(default_factory=list)
    down: bool = False
    delay: float = 0.0
    temporary_errors: int = 0
    """How many of the next messages get the channel's temporary-error reply (bot/edge.py)."""
    url: str = ""


def fake_rasa_handler(fake: FakeRasa) -> type[BaseHTTPRequestHandler]:
    """A handler class answering like Rasa's REST channel: greeting with buttons, otherwise an echo."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def _cors(self) -> None:
            self.send_header("Access-Control-Allow-Origin", self.headers.get("Origin", "*"))
            self.send_header("Access-Control-Allow-Methods", "POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "content-type")

        def do_OPTIONS(self) -> None:
            if fake.down:
                self.close_connection = True
                return
            self.send_response(200)
            self._cors()
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_POST(self) -> None:
            request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if fake.down:
                self.close_connection = True
                return
            time.sleep(fake.delay)
            fake.received.append((request["sender"], request["message"]))
            if fake.temporary_errors and request["message"] != "/greet":
                fake.temporary_errors -= 1
                replies = [edge.temporary_error_reply(request["sender"])]
            elif request["message"] == "tom":
                replies = []
            elif request["message"] == "fakta":
                replies = [{"recipient_id": request["sender"], "text": FACT, "rating": FACT_MARKER}]
            elif request["message"].startswith("/rate_answer"):
                down = json.loads(request["message"][len("/rate_answer") :])["rating"] == "down"
                replies = [{"recipient_id": request["sender"], "text": "Vad saknades?" if down else "Tack!"}]
            elif request["message"] in CANNED:
                replies = [{"recipient_id": request["sender"], "text": CANNED[request["message"]]}]
            elif request["message"] == "/greet":
                buttons = [{"title": title, "payload": payload} for title, payload in QUICK_REPLIES]
                replies = [{"recipient_id": request["sender"], "text": GREETING, "buttons": buttons}]
            else:
                replies = [{"recipient_id": request["sender"], "text": "echo: " + request["message"]}]
            body = json.dumps(replies).encode()
            self.send_response(200)
            self._cors()
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def page_handler(pages: dict[str, str]) -> type[BaseHTTPRequestHandler]:
    """A handler class serving fixed HTML pages: a site "nobody on the team wrote"."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def do_GET(self) -> None:
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def serve_in_thread(server: ThreadingHTTPServer) -> Iterator[str]:
    """Run `server` in a thread, yield its base URL, and stop it afterwards."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def fake_rasa() -> Iterator[FakeRasa]:
    """A fake Rasa REST server on a free port."""
    fake = FakeRasa()
    for url in serve_in_thread(ThreadingHTTPServer(("127.0.0.1", 0), fake_rasa_handler(fake))):
        fake.url = url
        yield fake


@pytest.fixture
def widget_site(fake_rasa: FakeRasa) -> Iterator[str]:
    """The widget server (bot.web.server) with its demo page pointing at the fake Rasa."""
    yield from serve_in_thread(make_server("127.0.0.1", 0, fake_rasa.url))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium, headless, driven by Playwright."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh desktop-sized browser tab with its own storage."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="sv-SE")
    try:
        yield context.new_page()
    finally:
        context.close()


# ---- Helpers -------------------------------------------------------------------------------------------


def screenshot(page: Page, name: str) -> None:
    """Save a screenshot under test-artifacts/widget/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def bubbles(page: Page, who: str) -> list[str]:
    """The visible text of the bot's or the user's messages, without screen-reader-only hints."""
    return page.evaluate(
        """(who) => {
            const root = document.querySelector("produktionslotsen-widget").shadowRoot;
            return [...root.querySelectorAll(`.pl-msg--${who} .pl-text`)].map((p) => {
                const copy = p.cloneNode(true);
                copy.querySelectorAll(".pl-sr").forEach((hint) => hint.remove());
                return copy.textContent;
            });
        }""",
        who,
    )


def open_widget(page: Page, url: str) -> None:
    """Load a page and open the widget with its launcher."""
    page.goto(url)
    page.get_by_role("button", name="Öppna chatten").click()
    expect(page.locator(".pl-panel")).to_be_visible()


def say(page: Page, text: str) -> None:
    """Type a message and press Enter."""
    page.get_by_role("textbox", name="Meddelande").fill(text)
    page.get_by_role("textbox", name="Meddelande").press("Enter")


def focused_class(page: Page) -> str:
    """The class of the element focused inside the widget ('' if focus is elsewhere)."""
    return page.evaluate(
        """() => {
            const host = document.querySelector("produktionslotsen-widget");
            const active = host && host.shadowRoot.activeElement;
            return active ? active.className : "";
        }"""
    )


def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Poll until `condition()` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


# ---- The static server ---------------------------------------------------------------------------------


def fetch(url: str, method: str = "GET") -> tuple[int, str, str]:
    """Status, content type and body of one request."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method=method), timeout=5) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/widget.js", "text/javascript"),
        ("/widget.css", "text/css"),
        ("/", "text/html"),
        ("/index.html", "text/html"),
    ],
)
def test_server_serves_widget_files_with_their_content_type(
    widget_site: str, path: str, content_type: str
) -> None:
    status, served_type, body = fetch(widget_site + path)
    assert status == 200
    assert served_type == f"{content_type}; charset=utf-8"
    assert body


@pytest.mark.parametrize("path", ["/server.py", "/cli.py", "/__init__.py", "/bot/web/", "/../settings.py"])
def test_server_serves_nothing_but_the_widget_files(widget_site: str, path: str) -> None:
    status, _, body = fetch(widget_site + path)
    assert status == 404
    assert "import" not in body


def test_demo_page_embeds_the_widget_with_one_tag_pointing_at_rasa(
    fake_rasa: FakeRasa, widget_site: str
) -> None:
    _, _, page_html = fetch(widget_site + "/")
    tags = re.findall(r"<script [^>]*></script>", page_html)
    assert tags == [
        f'<script src="{widget_site}/widget.js" data-server="{fake_rasa.url}" '
        'data-title="Produktionslotsen" data-privacy-url="" defer></script>'
    ]


def headers(url: str) -> dict[str, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return dict(response.headers)


@pytest.mark.parametrize("path", ["/", "/widget.js", "/widget.css"])
def test_server_sends_security_headers(widget_site: str, path: str) -> None:
    sent = headers(widget_site + path)
    assert sent["X-Content-Type-Options"] == "nosniff"
    assert sent["Referrer-Policy"] == "no-referrer"


def test_demo_page_policy_allows_its_own_files_and_rasa_only(fake_rasa: FakeRasa, widget_site: str) -> None:
    policy = headers(widget_site + "/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["connect-src"] == fake_rasa.url
    assert directives["style-src"].startswith("'self' 'sha256-")
    assert directives["frame-ancestors"] == "'none'"


def test_widget_command_reports_a_busy_port(capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    web_cli.add_commands(parser.add_subparsers())
    busy = make_server("127.0.0.1", 0, "http://localhost:5005")
    try:
        args = parser.parse_args(["widget", "--port", str(busy.server_address[1])])
        assert args.func(args) == 1
    finally:
        busy.server_close()
    assert "cannot listen" in capsys.readouterr().err


# ---- The widget in a browser, against the fake Rasa ----------------------------------------------------


@pytest.mark.browser
def test_first_open_greets_and_a_message_gets_a_reply(
    page: Page, widget_site: str, fake_rasa: FakeRasa
) -> None:
    problems: list[str] = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    open_widget(page, widget_site)
    expect(page.locator(".pl-msg--bot")).to_have_count(1)
    assert bubbles(page, "bot") == [GREETING]
    assert focused_class(page) == "pl-input"
    # Nothing the widget does is refused by the demo page's Content-Security-Policy.
    assert page.locator("produktionslotsen-widget").evaluate("(host) => host.style.display") == "block"

    say(page, "Hej")
    expect(page.locator(".pl-msg--bot")).to_have_count(2)
    assert bubbles(page, "user") == ["Hej"]
    assert bubbles(page, "bot")[-1] == "echo: Hej"
    assert [message for _, message in fake_rasa.received] == ["/greet", "Hej"]
    assert problems == []
    screenshot(page, "desktop-conversation")


@pytest.mark.browser
def test_an_answer_is_rated_by_keyboard_once_and_the_rating_can_be_changed(
    page: Page, widget_site: str, fake_rasa: FakeRasa
) -> None:
    open_widget(page, widget_site)
    expect(page.locator(".pl-msg--bot")).to_have_count(1)
    # Only a rateable answer gets 👍/👎: the greeting and the echo have no marker.
    say(page, "Hej")
    expect(page.locator(".pl-msg--bot")).to_have_count(2)
    say(page, "fakta")
    expect(page.locator(".pl-msg--bot")).to_have_count(3)
    group = page.get_by_role("group", name="Var svaret till hjälp?")
    expect(group).to_have_count(1)
    up, down = group.get_by_role("button", name="Bra svar"), group.get_by_role("button", name="Dåligt svar")
    expect(up).to_have_attribute("aria-pressed", "false")

    # Keyboard only: Shift+Tab from the input walks back to 👎 in the latest answer.
    page.get_by_role("textbox", name="Meddelande").focus()
    for _ in range(10):
        if (
            page.evaluate(
                "() => document.querySelector('produktionslotsen-widget').shadowRoot"
                ".activeElement.getAttribute('aria-label')"
            )
            == "Dåligt svar"
        ):
            break
        page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".pl-msg--bot").last).to_contain_text("Vad saknades?")
    expect(down).to_have_attribute("aria-pressed", "true")
    rating = json.loads(fake_rasa.received[-1][1][len("/rate_answer") :])
    assert rating == {"rating": "down", **FACT_MARKER}
    # The rating is no message of the user's: no bubble for it.
    assert bubbles(page, "user") == ["Hej", "fakta"]
    screenshot(page, "rated-down")

    # Pressing the chosen one again sends nothing; the other one changes the rating.
    sent = len(fake_rasa.received)
    down.click()
    up.click()
    expect(page.locator(".pl-msg--bot").last).to_contain_text("Tack!")
    assert [json.loads(m[len("/rate_answer") :])["rating"] for _, m in fake_rasa.received[sent:]] == ["up"]
    expect(up).to_have_attribute("aria-pressed", "true")
    expect(down).to_have_attribute("aria-pressed", "false")

    # The rating is part of the conversation's history: still shown after a reload.
    page.reload()
    expect(page.get_by_role("button", name="Bra svar")).to_have_attribute("aria-pressed", "true")


@pytest.mark.browser
def test_links_open_in_a_new_tab_without_opener(page: Page, widget_site: str) -> None:
    open_widget(page, widget_site)
    link = page.locator(".pl-msg--bot a")
    expect(link).to_have_count(1)
    assert link.get_attribute("href") == "https://example.org/about"
    assert link.get_attribute("target") == "_blank"
    assert set(link.get_attribute("rel").split()) >= {"noopener", "noreferrer"}


@pytest.mark.browser
def test_quick_reply_sends_its_payload_and_shows_its_title(
    page: Page, widget_site: str, fake_rasa: FakeRasa
) -> None:
    open_widget(page, widget_site)
    title, payload = QUICK_REPLIES[0]
    page.get_by_role("button", name=title).click()
    expect(page.locator(".pl-msg--bot")).to_have_count(2)
    assert bubbles(page, "user") == [title]
    assert fake_rasa.received[-1][1] == payload
    expect(page.locator(".pl-quick-reply")).to_have_count(0)


@pytest.mark.browser
def test_html_in_either_direction_shows_up_as_text(page: Page, widget_site: str) -> None:
    open_widget(page, widget_site)
    say(page, XSS)
    expect(page.locator(".pl-msg--bot")).to_have_count(2)
    assert bubbles(page, "user") == [XSS]
    assert bubbles(page, "bot")[-1] == "echo: " + XSS
    assert page.locator(".pl-log img, .pl-log script, .pl-log b").count() == 0
    assert page.evaluate("window.__pwned") is None
    screenshot(page, "xss-as-text")


@pytest.mark.browser
def test_conversation_survives_a_reload_and_ny_konversation_starts_afresh(
    page: Page, widget_site: str, fake_rasa: FakeRasa
) -> None:
    open_widget(page, widget_site)
    say(page, "Hej")
    expect(page.locator(".pl-msg--bot")).to_have_count(2)
    before = (bubbles(page, "bot"), bubbles(page, "user"))

    page.reload()
    expect(page.locator(".pl-panel")).to_be_visible()
    assert (bubbles(page, "bot"), bubbles(page, "user")) == before
    say(page, "Igen")
    expect(page.locator(".pl-msg--bot")).to_have_count(3)
    assert len({sender for sender, _ in fake_rasa.received}) == 1

    page.get_by_role("button", name="Ny konversation").click()
    page.get_by_role("button", name="Avbryt").click()
    expect(page.locator(".pl-msg--user")).to_have_count(2)
    page.get_by_role("button", name="Ny konversation").click()
    expect(page.get_by_text("Vill du börja om?")).to_be_visible()
    page.get_by_role("button", name="Börja om").click()
    expect(page.locator(".pl-msg--user")).to_have_count(0)
    expect(page.locator(".pl-msg--bot")).to_have_count(1)
    assert fake_rasa.received[-1][1] == "/greet"
    assert len({sender for sender, _ in fake_rasa.received}) == 2


@pytest.mark.browser
def test_unreachable_server_shows_a_swedish_error_and_retry_delivers_the_message(
    page: Page, widget_site: str, fake_rasa: FakeRasa
) -> None:
    open_widget(page, widget_site)
    expect(page.locator(".pl-msg--bot")).to_have_count(1)
    fake_rasa.down = True
    say(page, "Hej")
    expect(page.locator(".pl-error")).to_be_visible()
    expect(page.locator(".pl-error-text")).to_have_text("Kunde inte nå assistenten. Försök igen.")
    assert bubbles(page, "user") == ["Hej"]
    screenshot(page, "server-unreachable")

    fake_rasa.down = False
    page.get_by_role("button", name="Försök igen").click()
    expect(page.locator(".pl-msg--bot")).to_have_count(2)
    expect(page.locator(".pl-error")).to_be_hidden()
    assert bubbles(page, "user") == ["Hej"]
    assert [message for _, message in fake_rasa.received] == ["/greet", "Hej"]


@pytest.mark.browser
def test_a_temporary_error_offers_to_send_the_same_message_again(
    page: Page, widget_site: str, fake_rasa: FakeRasa
) -> None:
    open_widget(page, widget_site)
    expect(page.locator(".pl-msg--bot")).to_have_count(1)
    fake_rasa.temporary_errors = 1
    say(page, "vi har en prototyp")
    expect(page.locator(".pl-error")).to_be_visible()
    expect(page.locator(".pl-error-text")).to_contain_text("Tillfälligt fel – försök igen om en stund")
    expect(page.locator(".pl-msg--bot")).to_have_count(1)
    screenshot(page, "temporary-error")

    page.get_by_role("button", name="Skicka igen").click()
    expect(page.locator(".pl-msg--bot")).to_have_count(2)
    expect(page.locator(".pl-error")).to_be_hidden()
    assert bubbles(page, "user") == ["vi har en prototyp"]
    assert bubbles(page, "bot")[1] == "echo: vi har en prototyp"
    assert [message for _, message in fake_rasa.received][1:] == ["vi har en prototyp"] * 2


@pytest.mark.browser
def test_a_one_line_privacy_notice_links_to_privacy_url(page: Page, fake_rasa: FakeRasa) -> None:
    server = make_server("127.0.0.1", 0, fake_rasa.url, "https://example.org/integritet")
    for site in serve_in_thread(server):
        open_widget(page, site)
        notice = page.locator(".pl-privacy")
        expect(notice).to_contain_text("Samtalet sparas")
        expect(notice.get_by_role("link", name="Om personuppgifter")).to_have_attribute(
            "href", "https://example.org/integritet"
        )
        assert page.get_by_role("textbox", name="Meddelande").get_attribute("maxlength") == "2000"


@pytest.mark.browser
def test_messages_sent_while_waiting_are_queued_in_order(
    page: Page, widget_site: str, fake_rasa: FakeRasa
) -> None:
    open_widget(page, widget_site)
    expect(page.locator(".pl-msg--bot")).to_have_count(1)
    fake_rasa.delay = 0.4
    for text in ("ett", "två", "tre"):
        say(page, text)
    expect(page.locator(".pl-typing")).to_be_visible()
    expect(page.locator(".pl-msg--bot")).to_have_count(4)
    expect(page.locator(".pl-typing")).to_be_hidden()
    assert bubbles(page, "bot")[1:] == ["echo: ett", "echo: två", "echo: tre"]
    assert [message for _, message in fake_rasa.received] == ["/greet", "ett", "två", "tre"]


@pytest.mark.browser
def test_controls_are_labelled_in_swedish_and_new_messages_are_announced(
    page: Page, widget_site: str
) -> None:
    open_widget(page, widget_site)
    for name in ("Stäng chatten", "Stäng", "Ny konversation", "Större fönster", "Skicka"):
        expect(page.get_by_role("button", name=name, exact=True)).to_have_count(1)
    expect(page.get_by_role("textbox", name="Meddelande")).to_have_attribute(
        "placeholder", "Skriv ett meddelande…"
    )
    log = page.get_by_role("log")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(log.locator(".pl-msg--bot")).to_have_count(1)
    expect(page.get_by_role("dialog", name="Produktionslotsen")).to_be_visible()


@pytest.mark.browser
def test_keyboard_alone_opens_chats_picks_a_quick_reply_and_closes(
    page: Page, widget_site: str, fake_rasa: FakeRasa
) -> None:
    page.goto(widget_site)
    for _ in range(30):
        page.keyboard.press("Tab")
        if focused_class(page) == "pl-launcher":
            break
    assert focused_class(page) == "pl-launcher"
    launcher = page.locator(".pl-launcher")
    assert launcher.evaluate("(el) => getComputedStyle(el).outlineStyle") == "solid"
    screenshot(page, "keyboard-focus-launcher")

    page.keyboard.press("Enter")
    expect(page.locator(".pl-panel")).to_be_visible()
    assert focused_class(page) == "pl-input"
    expect(page.locator(".pl-quick-reply")).to_have_count(len(QUICK_REPLIES))

    page.keyboard.press("Shift+Tab")
    assert focused_class(page) == "pl-quick-reply"
    page.keyboard.press("Enter")
    expect(page.locator(".pl-msg--bot")).to_have_count(2)
    assert bubbles(page, "user") == [QUICK_REPLIES[-1][0]]

    page.keyboard.type("Tack")
    page.keyboard.press("Enter")
    expect(page.locator(".pl-msg--bot")).to_have_count(3)
    assert fake_rasa.received[-1][1] == "Tack"

    page.keyboard.press("Escape")
    expect(page.locator(".pl-panel")).to_be_hidden()
    assert focused_class(page) == "pl-launcher"


@pytest.mark.browser
def test_phone_layout_fills_a_375_px_screen_without_sideways_scrolling(
    browser: Browser, widget_site: str, fake_rasa: FakeRasa
) -> None:
    context = browser.new_context(
        viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    try:
        page = context.new_page()
        page.goto(widget_site)
        screenshot(page, "phone-closed")
        page.locator(".pl-launcher").tap()
        expect(page.locator(".pl-quick-reply")).to_have_count(len(QUICK_REPLIES))
        page.get_by_role("button", name=QUICK_REPLIES[0][0]).tap()
        say(page, "https://example.org/" + "a-very-long-path-segment" * 6)
        expect(page.locator(".pl-msg--bot")).to_have_count(3)
        screenshot(page, "phone-open")

        panel = page.locator(".pl-panel").bounding_box()
        assert panel == {"x": 0, "y": 0, "width": 375, "height": 667}
        for selector in (".pl-input", ".pl-send", ".pl-close", ".pl-reset", ".pl-msg--user >> nth=-1"):
            box = page.locator(selector).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 375, selector
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()


def log_view(page: Page, selector: str) -> dict[str, float]:
    """Where the last element matching `selector` is, relative to the visible part of the log."""
    return page.evaluate(
        """(selector) => {
            const root = document.querySelector("produktionslotsen-widget").shadowRoot;
            const log = root.querySelector(".pl-log").getBoundingClientRect();
            const all = root.querySelectorAll(selector);
            const el = all[all.length - 1].getBoundingClientRect();
            return {top: el.top - log.top, bottom: el.bottom - log.top, height: log.height};
        }""",
        selector,
    )


def announced(page: Page) -> str:
    """What the widget's status region says to screen readers."""
    return page.locator(".pl-root [role=status]").inner_text()


@pytest.mark.browser
def test_a_long_answer_is_shown_from_its_start_and_collapsed_behind_visa_mer(
    page: Page, widget_site: str
) -> None:
    open_widget(page, widget_site)
    expect(page.locator(".pl-msg--bot")).to_have_count(1)
    say(page, "lång")
    expect(page.locator(".pl-msg--bot")).to_have_count(2)
    start = log_view(page, ".pl-msg--bot strong")
    assert 0 <= start["top"] < 40, start
    assert page.locator(".pl-msg--bot").last.locator("strong").inner_text().startswith("Rekommendation")
    more = page.get_by_role("button", name="Visa mer")
    expect(more).to_have_attribute("aria-expanded", "false")
    screenshot(page, "desktop-long-answer")
    more.click()
    expect(page.get_by_role("button", name="Visa mindre")).to_have_attribute("aria-expanded", "true")
    assert page.locator(".pl-body--collapsed").count() == 0


@pytest.mark.browser
def test_after_a_reload_the_latest_answer_is_in_view(page: Page, widget_site: str) -> None:
    open_widget(page, widget_site)
    for text in ("ett", "två", "tre", "fyra", "fem", "lång"):
        say(page, text)
    expect(page.locator(".pl-msg--bot")).to_have_count(7)
    page.reload()
    expect(page.locator(".pl-msg--bot")).to_have_count(7)
    wait_for(lambda: page.locator(".pl-log").evaluate("(log) => log.scrollTop") > 0)
    # The scroll may still be under way on a busy machine: the answer's start must come to the top.
    with contextlib.suppress(AssertionError):
        wait_for(lambda: 0 <= log_view(page, ".pl-msg--bot")["top"] < 40)
    start = log_view(page, ".pl-msg--bot")
    assert 0 <= start["top"] < 40, start


@pytest.mark.browser
def test_simple_markdown_is_rendered_and_html_is_not(page: Page, widget_site: str) -> None:
    open_widget(page, widget_site)
    say(page, "markdown")
    answer = page.locator(".pl-msg--bot").nth(1)
    expect(answer.locator("li")).to_have_count(4)
    # The first line is a title (it ends with a colon): bold as a whole, like on Telegram.
    assert answer.locator("strong").all_inner_texts() == ["Almis innovationslån – så här söker du:", "Almi"]
    assert answer.locator("ul li").count() == 2 and answer.locator("ol li").count() == 2
    hrefs = [a.get_attribute("href") for a in answer.locator("a").all()]
    assert hrefs == ["https://www.almi.se/lan", "https://example.org/a_(b)", "mailto:info@example.se"]
    assert answer.locator("i").count() == 0
    assert "<i>inte html</i>" in answer.inner_text()
    assert "**" not in answer.inner_text()
    screenshot(page, "desktop-markdown")


@pytest.mark.browser
def test_timestamps_show_on_hover_and_when_the_log_has_focus(page: Page, widget_site: str) -> None:
    open_widget(page, widget_site)
    say(page, "Hej")
    expect(page.locator(".pl-msg--bot")).to_have_count(2)
    stamp = page.locator(".pl-msg--user .pl-time")
    assert re.fullmatch(r"\d\d:\d\d", stamp.inner_text())
    assert stamp.evaluate("(t) => getComputedStyle(t).opacity") == "0"
    page.locator(".pl-msg--user").hover()
    wait_for(lambda: stamp.evaluate("(t) => getComputedStyle(t).opacity") == "1")
    page.mouse.move(0, 0)
    page.locator(".pl-log").focus()
    assert stamp.evaluate("(t) => getComputedStyle(t).opacity") == "1"


@pytest.mark.browser
def test_a_slow_answer_gets_a_notice_after_eight_seconds(
    page: Page, widget_site: str, fake_rasa: FakeRasa
) -> None:
    page.clock.install()
    open_widget(page, widget_site)
    expect(page.locator(".pl-msg--bot")).to_have_count(1)
    fake_rasa.delay = 2.0
    say(page, "Hej")
    page.clock.fast_forward(7000)
    expect(page.locator(".pl-notice")).to_be_hidden()
    page.clock.fast_forward(1500)
    notice = "Det tar längre tid än vanligt"
    expect(page.locator(".pl-notice")).to_contain_text(notice)
    wait_for(lambda: notice in announced(page))
    screenshot(page, "slow-answer")
    expect(page.locator(".pl-msg--bot")).to_have_count(2, timeout=10_000)
    expect(page.locator(".pl-notice")).to_be_hidden()


@pytest.mark.browser
def test_a_failed_message_is_announced_and_not_sent_with_the_next_one(
    page: Page, widget_site: str, fake_rasa: FakeRasa
) -> None:
    open_widget(page, widget_site)
    expect(page.locator(".pl-msg--bot")).to_have_count(1)
    fake_rasa.down = True
    say(page, "ett")
    expect(page.locator(".pl-msg--user .pl-failed")).to_have_text("Inte skickat")
    wait_for(lambda: "Inte skickat: ett" in announced(page))
    fake_rasa.down = False
    say(page, "två")
    expect(page.locator(".pl-msg--bot")).to_have_count(2)
    assert [message for _, message in fake_rasa.received] == ["/greet", "två"]
    expect(page.locator(".pl-msg--failed")).to_have_count(1)
    expect(page.locator(".pl-error")).to_be_hidden()
    page.reload()
    expect(page.locator(".pl-msg--failed .pl-text")).to_have_text("ett")


@pytest.mark.browser
def test_an_empty_reply_is_reported_and_can_be_sent_again(
    page: Page, widget_site: str, fake_rasa: FakeRasa
) -> None:
    open_widget(page, widget_site)
    say(page, "tom")
    expect(page.locator(".pl-error")).to_be_visible()
    expect(page.locator(".pl-error-text")).to_have_text("Assistenten gav inget svar. Försök igen.")
    page.get_by_role("button", name="Försök igen").click()
    wait_for(lambda: [m for _, m in fake_rasa.received].count("tom") == 2)


@pytest.mark.browser
def test_nothing_is_sent_while_offline_and_the_user_is_told(
    page: Page, widget_site: str, fake_rasa: FakeRasa
) -> None:
    open_widget(page, widget_site)
    expect(page.locator(".pl-msg--bot")).to_have_count(1)
    page.context.set_offline(True)
    say(page, "Hej")
    expect(page.locator(".pl-notice")).to_contain_text("inte ansluten till internet")
    expect(page.get_by_role("textbox", name="Meddelande")).to_have_value("Hej")
    assert bubbles(page, "user") == []
    screenshot(page, "offline")
    page.context.set_offline(False)
    expect(page.locator(".pl-notice")).to_be_hidden()
    page.get_by_role("textbox", name="Meddelande").press("Enter")
    expect(page.locator(".pl-msg--bot")).to_have_count(2)
    assert [message for _, message in fake_rasa.received] == ["/greet", "Hej"]


@pytest.mark.browser
def test_a_reply_while_closed_shows_an_unread_badge_and_the_launcher_says_what_it_does(
    page: Page, widget_site: str, fake_rasa: FakeRasa
) -> None:
    open_widget(page, widget_site)
    expect(page.locator(".pl-msg--bot")).to_have_count(1)
    expect(page.locator(".pl-launcher")).to_have_attribute("aria-label", "Stäng chatten")
    fake_rasa.delay = 0.5
    say(page, "Hej")
    page.keyboard.press("Escape")
    launcher = page.locator(".pl-launcher")
    expect(launcher).to_have_attribute("aria-label", "Öppna chatten, 1 nytt meddelande")
    expect(page.locator(".pl-badge")).to_have_text("1")
    screenshot(page, "unread-badge")
    page.reload()
    expect(page.locator(".pl-badge")).to_have_text("1")
    page.locator(".pl-launcher").click()
    expect(page.locator(".pl-badge")).to_be_hidden()
    expect(launcher).to_have_attribute("aria-label", "Stäng chatten")


@pytest.mark.browser
def test_the_panel_can_be_widened_on_a_desktop(page: Page, widget_site: str) -> None:
    open_widget(page, widget_site)
    assert page.locator(".pl-panel").bounding_box()["width"] == 440
    page.get_by_role("button", name="Större fönster").click()
    expect(page.get_by_role("button", name="Mindre fönster")).to_have_attribute("aria-pressed", "true")
    box = page.locator(".pl-panel").bounding_box()
    assert box["width"] == 760 and box["height"] == 800 - 2 * 20 - 72
    say(page, "lång")
    expect(page.locator(".pl-msg--bot")).to_have_count(2)
    screenshot(page, "desktop-wide")


def contrast(rgb_a: str, rgb_b: str) -> float:
    """WCAG contrast ratio of two computed `rgb(r, g, b)` colours."""

    def luminance(rgb: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(rgb_a), luminance(rgb_b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.browser
def test_input_border_and_focus_rings_have_three_to_one_contrast(page: Page, widget_site: str) -> None:
    open_widget(page, widget_site)
    style = "(el, p) => getComputedStyle(el)[p]"
    field = page.locator(".pl-input")
    assert contrast(field.evaluate(style, "borderTopColor"), field.evaluate(style, "backgroundColor")) >= 3
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert focused_class(page) == "pl-input"
    panel_background = page.locator(".pl-panel").evaluate(style, "backgroundColor")
    assert contrast(field.evaluate(style, "outlineColor"), panel_background) >= 3
    for _ in range(10):
        page.keyboard.press("Shift+Tab")
        if focused_class(page).startswith("pl-close"):
            break
    close = page.locator(".pl-close")
    header_background = page.locator(".pl-header").evaluate(style, "backgroundColor")
    assert contrast(close.evaluate(style, "outlineColor"), header_background) >= 3
    screenshot(page, "focus-ring-header")


FOREIGN_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Someone else's site</title>
<style>
  :root {{ --pl-accent: rgb(122, 31, 92); }}
  * {{ font-size: 40px !important; color: lime !important; line-height: 3 !important; }}
  div, section, button, p {{ display: inline !important; margin: 50px !important; }}
  body {{ transform: translateX(0); }}
</style>
<script>window.__globalsBefore = Object.keys(window).concat("__globalsBefore");</script>
</head><body><p>Hello</p><div id="main">content</div>
<script src="{widget}/widget.js" data-server="{rasa}" data-title="Hjälp om tillverkning"
        data-text-send="Skicka nu" defer></script>
</body></html>"""


@pytest.fixture
def foreign_site(widget_site: str, fake_rasa: FakeRasa) -> Iterator[str]:
    """A third origin serving FOREIGN_PAGE, which embeds the widget with the one tag."""
    pages = {"/": FOREIGN_PAGE.format(widget=widget_site, rasa=fake_rasa.url)}
    yield from serve_in_thread(ThreadingHTTPServer(("127.0.0.1", 0), page_handler(pages)))


@pytest.mark.browser
def test_widget_works_on_a_foreign_page_with_hostile_css(
    page: Page, foreign_site: str, widget_site: str, fake_rasa: FakeRasa
) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    open_widget(page, foreign_site)
    expect(page.get_by_role("dialog", name="Hjälp om tillverkning")).to_be_visible()
    expect(page.get_by_role("button", name="Skicka nu")).to_be_visible()
    expect(page.locator(".pl-msg--bot")).to_have_count(1)
    text = page.locator(".pl-msg--bot .pl-text")
    assert text.evaluate("(el) => getComputedStyle(el).fontSize") == "16px"
    launcher = page.locator(".pl-launcher")
    assert launcher.evaluate("(el) => getComputedStyle(el).backgroundColor") == "rgb(122, 31, 92)"
    assert launcher.bounding_box() == {"x": 1280 - 20 - 60, "y": 800 - 20 - 60, "width": 60, "height": 60}
    new_globals = page.evaluate("Object.keys(window).filter((k) => !window.__globalsBefore.includes(k))")
    assert new_globals == ["ProduktionslotsenWidget"]
    assert all(url.startswith((foreign_site, widget_site, fake_rasa.url)) for url in requested), requested
    screenshot(page, "foreign-page")


# ---- The widget against the real assistant -------------------------------------------------------------


def domain_responses() -> dict[str, set[str]]:
    """Every response text in the domain, by response name: what the real assistant can say verbatim."""
    texts: dict[str, set[str]] = {}
    for path in sorted(Path(ROOT / "domain").glob("*.yml")):
        responses = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses", {})
        for name, variants in responses.items():
            texts.setdefault(name, set()).update(v["text"] for v in variants if "text" in v)
    return texts


@pytest.fixture
def real_widget_site(assistant: Any) -> Iterator[str]:
    """The widget server with its demo page pointing at the real Rasa server."""
    yield from serve_in_thread(make_server("127.0.0.1", 0, assistant.rasa_url))


@pytest.mark.e2e
@pytest.mark.browser
def test_real_assistant_greets_and_answers_hej_in_swedish(page: Page, real_widget_site: str) -> None:
    open_widget(page, real_widget_site)
    expect(page.locator(".pl-msg--bot").first).to_be_visible(timeout=30_000)
    say(page, "Hej")
    expect(page.locator(".pl-msg--user")).to_have_count(1)
    wait_for(lambda: len(bubbles(page, "bot")) > 1 and page.locator(".pl-typing").is_hidden(), timeout=30)
    expect(page.locator(".pl-error")).to_be_hidden()
    replies = bubbles(page, "bot")
    assert set(replies) <= set().union(*domain_responses().values()), replies
    assert re.search("[åäö]", replies[-1])
    screenshot(page, "real-assistant-hej")


@pytest.mark.e2e
@pytest.mark.browser
def test_real_assistant_quick_reply_gets_an_answer(page: Page, real_widget_site: str) -> None:
    open_widget(page, real_widget_site)
    expect(page.locator(".pl-msg--bot").first).to_be_visible(timeout=30_000)
    say(page, "vad kan du hjälpa mig med")
    wait_for(lambda: len(bubbles(page, "bot")) > 1 and page.locator(".pl-typing").is_hidden(), timeout=30)
    choices = page.locator(".pl-quick-reply")
    expect(choices.first).to_be_visible()
    title = choices.first.inner_text()
    answered = len(bubbles(page, "bot"))
    choices.first.click()
    wait_for(
        lambda: len(bubbles(page, "bot")) > answered and page.locator(".pl-typing").is_hidden(), timeout=30
    )
    expect(page.locator(".pl-error")).to_be_hidden()
    assert bubbles(page, "user")[-1] == title
    assert bubbles(page, "bot")[-1].strip()
    assert bubbles(page, "bot")[-1] not in domain_responses()["utter_default"], (
        "the quick reply was not understood"
    )
    screenshot(page, "real-assistant-quick-reply")


@pytest.mark.e2e
@pytest.mark.browser
def test_real_answer_is_rated_down_and_the_comment_is_thanked_for(page: Page, real_widget_site: str) -> None:
    open_widget(page, real_widget_site)
    expect(page.locator(".pl-msg--bot").first).to_be_visible(timeout=30_000)
    say(page, "hur mycket kan man låna med almis innovationslån?")
    rate = page.get_by_role("group", name="Var svaret till hjälp?")
    expect(rate).to_have_count(1, timeout=30_000)
    assert "Källa:" in bubbles(page, "bot")[-1]
    answered = len(bubbles(page, "bot"))
    rate.get_by_role("button", name="Dåligt svar").click()
    wait_for(
        lambda: len(bubbles(page, "bot")) > answered and page.locator(".pl-typing").is_hidden(), timeout=30
    )
    assert "Vad saknades" in bubbles(page, "bot")[-1]
    say(page, "Inget om räntan")
    wait_for(lambda: len(bubbles(page, "bot")) > answered + 1, timeout=30)
    assert bubbles(page, "bot")[-1] in domain_responses()["utter_rating_comment_thanks"]
    expect(page.locator(".pl-error")).to_be_hidden()
    screenshot(page, "real-assistant-rated")


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("http://localhost:8080", True),
        ("http://127.0.0.1:3000", True),
        ("http://localhost", True),
        ("http://localhost.attacker.example", False),
        ("http://127.0.0.1.attacker.example", False),
        ("https://attacker.example", False),
    ],
)
def test_real_assistant_lets_only_local_pages_embed_the_widget_by_default(
    assistant: Any, origin: str, allowed: bool
) -> None:
    preflight = urllib.request.Request(
        f"{assistant.rasa_url}/webhooks/rest/webhook",
        method="OPTIONS",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    with urllib.request.urlopen(preflight, timeout=10) as response:
        granted = response.headers.get("Access-Control-Allow-Origin")
    assert (granted == origin) is allowed


@pytest.mark.e2e
@pytest.mark.browser
@pytest.mark.parametrize("viewport", [(1280, 800), (375, 740)])
def test_real_consultation_summary_arrives_from_its_start_and_after_a_reload_too(
    browser: Browser, real_widget_site: str, assistant: Any, viewport: tuple[int, int]
) -> None:
    sender = "web-" + uuid.uuid4().hex
    replies = assistant.say(sender, "/start_consultation")
    for _ in range(40):  # the first option each time, until the recommendation
        if any("Rekommendation:" in str(r.get("text")) for r in replies):
            break
        payloads = [b["payload"] for r in replies for b in (r.get("buttons") or [])]
        replies = assistant.say(sender, payloads[0])
    width, height = viewport
    context = browser.new_context(viewport={"width": width, "height": height}, locale="sv-SE")
    try:
        page = context.new_page()
        key = f"produktionslotsen:{assistant.rasa_url}:sender"
        page.add_init_script(f"localStorage.setItem({json.dumps(key)}, {json.dumps(sender)})")
        page.goto(real_widget_site)
        page.get_by_role("button", name="Öppna chatten").click()
        expect(page.locator(".pl-msg--bot").first).to_be_visible(timeout=30_000)
        say(page, "visa sammanfattningen igen")
        summary = page.locator(".pl-msg--bot").last.locator("strong").first
        expect(summary).to_contain_text("Rekommendation:", timeout=30_000)
        assert 0 <= log_view(page, ".pl-msg--bot")["top"] < 40
        expect(page.get_by_role("button", name="Visa mer")).to_be_visible()
        screenshot(page, f"real-summary-{width}")
        page.reload()
        expect(page.locator(".pl-msg--bot").last.locator("strong").first).to_contain_text("Rekommendation:")
        wait_for(lambda: 0 <= log_view(page, ".pl-msg--bot")["top"] < 40)
        screenshot(page, f"real-summary-{width}-reloaded")
    finally:
        context.close()
