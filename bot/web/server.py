"""A small static web server for the chat widget: widget.js, widget.css and a demo page that embeds them.

Only those three files are served (no directory listing, nothing else from disk). The demo page is a
template: the Rasa URL front ends should talk to (`RASA_URL`) and the address the browser used to reach
this server are filled in, so the page shows the exact tag to copy.
"""

from __future__ import annotations

import html
import logging
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


def render_demo(template: str, rasa_url: str, widget_origin: str) -> str:
    """The demo page with its placeholders filled in, HTML-escaped."""
    return template.replace("{{rasa_url}}", html.escape(rasa_url.rstrip("/"))).replace(
        "{{widget_origin}}", html.escape(widget_origin)
    )


class WidgetHandler(BaseHTTPRequestHandler):
    """Answers GET and HEAD for the routes in ROUTES; everything else is 404 or 405."""

    server_version = "Produktionslotsen"
    rasa_url = "http://localhost:5005"

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
        if name == "index.html":
            host = self.headers.get("Host") or f"localhost:{self.server.server_address[1]}"
            body = render_demo(body.decode("utf-8"), self.rasa_url, f"http://{host}").encode("utf-8")
        self._send(HTTPStatus.OK, content_type, body, with_body)

    def _send(self, status: HTTPStatus, content_type: str, body: bytes, with_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        """Log requests through `logging` instead of writing to stderr."""
        logger.info("%s " + format, self.address_string(), *args)


def make_server(host: str, port: int, rasa_url: str) -> ThreadingHTTPServer:
    """A server bound to host:port (port 0 picks a free one); call serve_forever() to run it."""
    handler = type("ConfiguredWidgetHandler", (WidgetHandler,), {"rasa_url": rasa_url})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server
