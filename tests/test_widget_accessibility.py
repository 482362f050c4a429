"""The widget's accessibility, keyboard only, at a desktop (1280×800) and a phone (375×740) size.

axe-core runs from the npm package that `make npm` installs (package.json, package-lock.json), in the
page, offline. Each state a user can reach (closed with an unread badge, the greeting with quick
replies, markdown and a long collapsed answer, a failed message, the "Ny konversation" question, the
slow-answer notice) must have no axe violation at all. Screenshots go to test-artifacts/widget/.
"""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import test_widget as widget
from playwright.sync_api import Browser, Page, expect
from test_widget import (
    QUICK_REPLIES,
    FakeRasa,
    focused_class,
    log_view,
    say,
    screenshot,
    serve_in_thread,
    wait_for,
)

from bot.settings import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WEB = ROOT / "bot" / "web"
# A host page of someone else's: nothing but a heading, a paragraph and the one tag (no demo page styles).
BARE_PAGE = """<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Värdsida</title></head>
<body><main><h1>Ett företag</h1><p>En sida som bäddar in chatten.</p></main>
<script src="/widget.js" data-server="{rasa}" defer></script></body></html>
"""
SIZES = {"desktop": (1280, 800), "phone": (375, 740)}

# The widget tests' fixtures: the fake Rasa, the widget server in front of it, headless chromium.
fake_rasa = widget.fake_rasa
widget_site = widget.widget_site
browser = widget.browser


@pytest.fixture(params=sorted(SIZES))
def sized_page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[str, Page]]:
    """A fresh tab at one of SIZES; the phone one as a touch device."""
    name = request.param
    width, height = SIZES[name]
    phone = name == "phone"
    context = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone, locale="sv-SE"
    )
    try:
        yield name, context.new_page()
    finally:
        context.close()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations for the whole page, the widget's shadow root included."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make npm` (npm ci from package-lock.json)")
    if not page.evaluate("Boolean(window.axe)"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => n.target.join(" ")),
            }));
        }"""
    )


def tab_to(page: Page, class_prefix: str, backwards: bool = False, limit: int = 40) -> None:
    """Press Tab (or Shift+Tab) until an element whose class starts with `class_prefix` has focus."""
    for _ in range(limit):
        if focused_class(page).startswith(class_prefix):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    assert focused_class(page).startswith(class_prefix), f"Tab never reached .{class_prefix}"


def type_and_send(page: Page, text: str) -> None:
    """Type into the focused input and press Enter, as a keyboard user does."""
    assert focused_class(page) == "pl-input"
    page.keyboard.type(text)
    page.keyboard.press("Enter")


# axe cannot measure the widget's text contrast: it only looks for elements under <body>, and the
# widget's host is a child of <html> (so that a transform on the page's body can't move it). This does
# what axe's color-contrast rule does, for every visible text in the widget: its colour against the
# first opaque background behind it, 4.5:1 (3:1 for large text).
LOW_CONTRAST_TEXTS = """() => {
    const root = document.querySelector("produktionslotsen-widget").shadowRoot;
    const rgba = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => [r, g, b].map((v) => v / 255)
        .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
        .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
    const background = (el) => {
        for (let node = el; node; node = node.parentElement || node.getRootNode().host) {
            const c = rgba(getComputedStyle(node).backgroundColor);
            if (c.length === 3 || c[3] === 1) return c;
        }
        return [255, 255, 255];
    };
    const low = [];
    for (const el of root.querySelectorAll(".pl-root *")) {
        const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
        const style = getComputedStyle(el);
        if (!own || !el.getClientRects().length || style.visibility === "hidden" || style.opacity === "0"
            || el.closest(".pl-sr")) continue;
        const [a, b] = [lum(rgba(style.color)), lum(background(el))];
        const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        const size = parseFloat(style.fontSize);
        const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
        if (ratio < (large ? 3 : 4.5)) low.push(`${el.className || el.tagName}: ${ratio.toFixed(2)}`);
    }
    return low;
}"""


def check(page: Page, size: str, state: str, found: dict[str, list[Any]]) -> None:
    """Run axe and the text contrast check in this state; keep what they found and a screenshot."""
    found[state] = axe_violations(page) + page.evaluate(LOW_CONTRAST_TEXTS)
    screenshot(page, f"a11y-{size}-{state}")


@pytest.mark.browser
def test_every_state_has_no_axe_violations_using_the_keyboard_only(
    sized_page: tuple[str, Page], widget_site: str, fake_rasa: FakeRasa
) -> None:
    size, page = sized_page
    found: dict[str, list[Any]] = {}
    page.goto(widget_site)
    tab_to(page, "pl-launcher")
    check(page, size, "closed", found)

    page.keyboard.press("Enter")
    expect(page.locator(".pl-quick-reply")).to_have_count(len(QUICK_REPLIES))
    assert focused_class(page) == "pl-input"
    check(page, size, "greeting", found)

    tab_to(page, "pl-quick-reply", backwards=True)
    page.keyboard.press("Enter")
    expect(page.locator(".pl-msg--bot")).to_have_count(2)
    type_and_send(page, "markdown")
    expect(page.locator(".pl-msg--bot")).to_have_count(3)
    type_and_send(page, "lång")
    expect(page.get_by_role("button", name="Visa mer")).to_be_visible()
    check(page, size, "long-answer", found)

    type_and_send(page, "fakta")
    tab_to(page, "pl-rate-button", backwards=True)
    page.keyboard.press("Enter")
    expect(page.locator(".pl-rate-button[aria-pressed='true']")).to_have_count(1)
    check(page, size, "rated", found)
    tab_to(page, "pl-input")

    fake_rasa.down = True
    type_and_send(page, "ett meddelande som inte når fram")
    expect(page.locator(".pl-failed")).to_be_visible()
    check(page, size, "failed", found)
    fake_rasa.down = False
    tab_to(page, "pl-retry", backwards=True)
    page.keyboard.press("Enter")
    expect(page.locator(".pl-failed")).to_have_count(0)

    tab_to(page, "pl-reset", backwards=True)
    page.keyboard.press("Enter")
    assert focused_class(page) == "pl-confirm-no"
    check(page, size, "confirm-reset", found)
    page.keyboard.press("Escape")
    assert focused_class(page) == "pl-reset"

    page.clock.install()
    fake_rasa.delay = 1.5
    tab_to(page, "pl-input")
    type_and_send(page, "Hej")
    page.clock.fast_forward(9000)
    expect(page.locator(".pl-notice")).to_be_visible()
    check(page, size, "slow", found)
    expect(page.locator(".pl-notice")).to_be_hidden(timeout=10_000)
    page.clock.resume()

    fake_rasa.delay = 0.5
    type_and_send(page, "Hej igen")
    page.keyboard.press("Escape")
    expect(page.locator(".pl-badge")).to_be_visible()
    assert focused_class(page).startswith("pl-launcher")
    check(page, size, "unread", found)

    problems = {state: v for state, v in found.items() if v}
    assert problems == {}, problems


@pytest.mark.browser
def test_full_screen_on_a_phone_keeps_focus_inside_and_the_page_still(
    browser: Browser, widget_site: str
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(widget_site)
        tab_to(page, "pl-launcher")
        page.keyboard.press("Enter")
        expect(page.locator(".pl-quick-reply")).to_have_count(len(QUICK_REPLIES))
        assert page.locator(".pl-panel").bounding_box() == {"x": 0, "y": 0, "width": 375, "height": 740}
        expect(page.get_by_role("dialog")).to_have_attribute("aria-modal", "true")

        seen = set()
        for key in ["Tab"] * 15 + ["Shift+Tab"] * 15:
            page.keyboard.press(key)
            current = focused_class(page)
            assert current, f"focus left the panel after {key}"
            seen.add(current.split()[0])
        assert {"pl-input", "pl-send", "pl-close", "pl-reset", "pl-quick-reply", "pl-log"} <= seen, seen

        style = "(el) => [getComputedStyle(el).overflow, el.inert]"
        assert page.locator("body").evaluate(style) == ["hidden", True]
        page.keyboard.press("End")
        page.mouse.wheel(0, 600)
        assert page.evaluate("window.scrollY") == 0
        screenshot(page, "phone-full-screen")

        page.keyboard.press("Escape")
        expect(page.locator(".pl-panel")).to_be_hidden()
        assert page.locator("body").evaluate(style) == ["visible", False]
        assert focused_class(page).startswith("pl-launcher")
    finally:
        context.close()


@pytest.mark.browser
def test_the_widget_is_swedish_and_adds_no_banner(page_at_desktop: Page, widget_site: str) -> None:
    page = page_at_desktop
    page.goto(widget_site)
    page.locator(".pl-launcher").click()
    expect(page.locator(".pl-msg--bot")).to_have_count(1)
    assert page.locator("produktionslotsen-widget").get_attribute("lang") == "sv"
    assert page.locator(".pl-root").get_attribute("lang") == "sv"
    assert page.locator(".pl-root header, .pl-root [role=banner]").count() == 0
    say(page, "Hej")
    wait_for(lambda: page.locator(".pl-msg--bot").count() == 2)


@pytest.fixture
def page_at_desktop(browser: Browser) -> Iterator[Page]:
    """A fresh 1280×800 tab."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="sv-SE")
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.mark.browser
def test_the_contrast_check_finds_a_pale_theme(page_at_desktop: Page, widget_site: str) -> None:
    page = page_at_desktop
    page.goto(widget_site)
    page.locator(".pl-launcher").click()
    expect(page.locator(".pl-msg--bot")).to_have_count(1)
    assert page.evaluate(LOW_CONTRAST_TEXTS) == []
    page.evaluate("document.documentElement.style.setProperty('--pl-muted', '#b0b0b0')")
    assert page.evaluate(LOW_CONTRAST_TEXTS) == ["pl-privacy: 2.17"]


@pytest.fixture
def bare_site(fake_rasa: FakeRasa) -> Iterator[str]:
    """A minimal page of its own with the widget's one tag, served next to widget.js and widget.css."""
    files = {
        "/": ("text/html", BARE_PAGE.format(rasa=fake_rasa.url).encode()),
        "/widget.js": ("text/javascript", (WEB / "widget.js").read_bytes()),
        "/widget.css": ("text/css", (WEB / "widget.css").read_bytes()),
    }

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def do_GET(self) -> None:
            content_type, body = files.get(self.path.split("?")[0], ("text/plain", b""))
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", f"{content_type}; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    yield from serve_in_thread(ThreadingHTTPServer(("127.0.0.1", 0), Handler))


@pytest.mark.browser
def test_on_a_bare_host_page_a_long_answer_starts_in_view_also_after_a_reload_without_axe_violations(
    sized_page: tuple[str, Page], bare_site: str
) -> None:
    size, page = sized_page
    found: dict[str, list[Any]] = {}
    page.goto(bare_site)
    tab_to(page, "pl-launcher")
    page.keyboard.press("Enter")
    expect(page.locator(".pl-quick-reply")).to_have_count(len(QUICK_REPLIES))
    check(page, size, "bare-greeting", found)

    type_and_send(page, "lång")
    expect(page.locator(".pl-msg--bot")).to_have_count(2)
    expect(page.get_by_role("button", name="Visa mer")).to_be_visible()
    # The answer's first lines are in view (the log scrolls to its start, never to its end).
    start = log_view(page, ".pl-msg--bot")
    assert 0 <= start["top"] < start["height"] - 60, start
    check(page, size, "bare-long-answer", found)

    if size == "phone":
        for key in ["Tab"] * 12 + ["Shift+Tab"] * 12:
            page.keyboard.press(key)
            assert focused_class(page), f"focus left the full-screen panel after {key}"

    page.reload()
    expect(page.locator(".pl-msg--bot")).to_have_count(2)
    wait_for(lambda: abs(log_view(page, ".pl-msg--bot")["top"] - start["top"]) < 2)
    check(page, size, "bare-reloaded", found)

    problems = {state: v for state, v in found.items() if v}
    assert problems == {}, problems
