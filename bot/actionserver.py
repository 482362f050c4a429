"""The action server: rasa-sdk's, bound to ACTION_HOST (127.0.0.1 by default), with errors that echo nothing.

`python -m rasa_sdk` always listens on every interface (it reads only SANIC_HOST) and, when an action
fails, answers with the whole request (the conversation) in the error body and logs it. This runs the
same rasa-sdk app, but binds to the given host and answers a failure with a short error; the log names
the action and the error's type and place, never the conversation or the exception's message, which
may quote the user (issue 12). `lotsen run` starts it as
`python -m bot.actionserver --actions bot.actions --host 127.0.0.1 --port 5055`.
"""

from __future__ import annotations

import argparse
import logging
import traceback
from collections.abc import Sequence

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger("bot.actionserver")


def _action_name(request: Request) -> str:
    try:
        payload = request.json
    except Exception:
        return "?"
    name = payload.get("next_action") if isinstance(payload, dict) else None
    return name if isinstance(name, str) else "?"


async def on_error(request: Request, exception: Exception) -> HTTPResponse:
    """Log where an action failed, without the conversation, and answer 500 without echoing it."""
    action = _action_name(request)
    where = "".join(traceback.format_tb(exception.__traceback__))
    logger.error("action %s failed with %s at\n%s", action, type(exception).__name__, where.rstrip())
    return response.json({"error": f"action {action} failed", "action_name": action}, status=500)


def build_app(actions: str) -> Sanic:
    """rasa-sdk's Sanic app for the action package `actions`, with `on_error` as its error handler."""
    app = create_app(actions, cors_origins=None)
    app.error_handler.add(Exception, on_error)
    return app


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the command line and serve until stopped."""
    parser = argparse.ArgumentParser(prog="python -m bot.actionserver", description=__doc__)
    parser.add_argument("--actions", default="bot.actions", help="action package (default: bot.actions)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=5055, help="port (default: 5055)")
    args = parser.parse_args(argv)
    utils.configure_colored_logging("INFO")
    utils.update_sanic_log_level()
    app = build_app(args.actions)
    logger.info("Action server listening on http://%s:%d", args.host, args.port)
    app.run(args.host, args.port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
