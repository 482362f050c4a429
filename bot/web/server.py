"""A small static web server for the chat widget: widget.js, widget.css and a demo page that embeds them.

Only those three files are served (no directory listing, nothing else from disk). The demo page is a
template: the Rasa URL front ends should talk to (`RASA_URL`), the privacy notice link (`PRIVACY_URL`)
and the address the browser used to reach this server are filled in, so the page shows the exact tag
to copy. Every answer carries `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer`; the
demo page also a Content-Security-Policy that allows only its own scripts and styles and requests to
the Rasa server.
"""

from __future__ import annotations

import base64
import hashlib
import html
import logging
import re
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

WEB_DIR = Path(__file__).resolve().parent

# URL path -> (file in bot/web, content type).
ROUTES: dict[str, tuple[str, str]] = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/index.html": ("index.html", "text/html; charset=utf-8"),
    "/widget.js": ("widget.js", "text/javascript; charset=utf-8"),
    "/widget.css": ("widget.css", "text/css; charset=utf-8"),
}

logger = logging.getLogger(__name__)


def render_demo(template: str, rasa_url: str, widget_origin: str, privacy_url: str = "") -> str:
    """The demo page with its placeholders filled in, HTML-escaped."""
    return (
        template.replace("{{rasa_url}}", html.escape(rasa_url.rstrip("/")))
        .replace("{{widget_origin}}", html.escape(widget_origin))
        .replace("{{privacy_url}}", html.escape(privacy_url))
    )


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def demo_csp(page: str, rasa_url: str) -> str:
    """The demo page's Content-Security-Policy: its own files, its inline style by hash, Rasa for fetch."""
    styles = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode() + "'"
        for css in re.findall(r"<style>(.*?)</style>", page, flags=re.DOTALL)
    )
    return (
        "default-src 'none'; script-src 'self'; "
        f"style-src 'self' {styles}; img-src 'self' data:; "
        f"connect-src {_origin(rasa_url) or 'self'}; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


class WidgetHandler(BaseHTTPRequestHandler):
    """Answers GET and HEAD for the routes in ROUTES; everything else is 404 or 405."""

    server_version = "Produktionslotsen"
    rasa_url = "http://localhost:5005"
    privacy_url = ""

    def version_string(self) -> str:
        """The Server header: no Python version."""
        return self.server_version

    def do_GET(self) -> None:
        """Send a file with its headers and body."""
        self._serve(with_body=True)

    def do_HEAD(self) -> None:
        """Send a file's headers only."""
        self._serve(with_body=False)

    def _serve(self, with_body: bool) -> None:
        route = ROUTES.get(urlsplit(self.path).path)
        if route is None:
            self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"404 Not Found\n", with_body)
            return
        name, content_type = route
        body = (WEB_DIR / name).read_bytes()
        csp = None
        if name == "index.html":
            host = self.headers.get("Host") or f"localhost:{getattr(self.server, 'server_port', 0)}"
            page = render_demo(body.decode("utf-8"), self.rasa_url, f"http://{host}", self.privacy_url)
            csp = demo_csp(page, self.rasa_url)
            body = page.encode("utf-8")
        self._send(HTTPStatus.OK, content_type, body, with_body, csp)

    def _send(
        self, status: HTTPStatus, content_type: str, body: bytes, with_body: bool, csp: str | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if csp:
            self.send_header("Content-Security-Policy", csp)
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        """Log requests through `logging` instead of writing to stderr."""
        logger.info("%s " + format, self.address_string(), *args)


def make_server(host: str, port: int, rasa_url: str, privacy_url: str = "") -> ThreadingHTTPServer:
    """A server bound to host:port (port 0 picks a free one); call serve_forever() to run it."""
    handler = type(
        "ConfiguredWidgetHandler", (WidgetHandler,), {"rasa_url": rasa_url, "privacy_url": privacy_url}
    )
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server
