"""`lotsen widget`: serve widget.js, widget.css and the demo page that embeds them."""

from __future__ import annotations

import argparse
import signal
import sys

from bot.settings import get_settings
from bot.web.server import make_server


def _interrupt(signum: int, frame: object) -> None:
    """Turn SIGTERM into the same clean shutdown as Ctrl-C."""
    raise KeyboardInterrupt


def serve(args: argparse.Namespace) -> int:
    """Serve the widget files until Ctrl-C or SIGTERM."""
    settings = get_settings()
    port = settings.widget_port if args.port is None else args.port
    try:
        server = make_server(args.host, port, settings.rasa_url, settings.privacy_url)
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{port}: {exc.strerror} (try --port)", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, _interrupt)
    shown_host = "localhost" if args.host in ("127.0.0.1", "0.0.0.0", "") else args.host
    print(
        f"Widget demo page: http://{shown_host}:{server.server_address[1]}/ "
        f"(widget talks to {settings.rasa_url}). Stop with Ctrl-C.",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register `lotsen widget`."""
    parser = sub.add_parser(
        "widget",
        help="serve widget.js, widget.css and a demo page that embeds the chat widget",
        description=(
            "Serve the chat widget files and a demo page. The page's widget talks to RASA_URL; "
            "the Rasa server must accept the page's origin (CORS_ORIGINS)."
        ),
        epilog="Example: lotsen widget --port 8080   (then open http://localhost:8080/)",
    )
    parser.add_argument(
        "--port", type=int, default=None, help="port to listen on (default: WIDGET_PORT, 8080)"
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1; 0.0.0.0 for all interfaces)"
    )
    parser.set_defaults(func=serve)
