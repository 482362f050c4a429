"""The action server: rasa-sdk's, bound to ACTION_HOST (127.0.0.1 by default), with errors that echo nothing.

`python -m rasa_sdk` always listens on every interface (it reads only SANIC_HOST) and, when an action
fails, answers with the whole request (the conversation) in the error body and logs it. This runs the
same rasa-sdk app, but binds to the given host and answers a failure with a short error; the log names
the action and the error's type and place, never the conversation or the exception's message, which
may quote the user (issue 12). `lotsen run` starts it as
`python -m bot.actionserver --actions bot.actions --host 127.0.0.1 --port 5055 --model models/current.tar.gz`.

The domain is not sent with every call (issue 13): Rasa's `enable_selective_domain` (endpoints*.yml) leaves
it out of the request, a third of every request's JSON, and this server adds the domain of the model Rasa
serves (`--model`, the same file), read once and again whenever the file changes. Without a model file
a request keeps what Rasa sent.
"""

from __future__ import annotations

import argparse
import logging
import tarfile
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rasa.shared.core.domain import Domain
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


MODEL_DOMAIN = "components/domain_provider/domain.yml"


class ModelDomain:
    """The domain (as Rasa sends it) of a trained model file, re-read when the file changes."""

    def __init__(self, model: Path) -> None:
        self.model = model
        self._read: tuple[float, int] | None = None
        self._domain: dict[str, Any] | None = None

    def get(self) -> dict[str, Any] | None:
        """The domain as a dict, or None when the model file cannot be read."""
        try:
            stat = self.model.stat()
        except OSError:
            return None
        if self._read != (stat.st_mtime, stat.st_size):
            try:
                with tarfile.open(self.model) as archive:
                    member = archive.extractfile(MODEL_DOMAIN)
                    text = member.read().decode("utf-8") if member else None
            except (OSError, tarfile.TarError, KeyError):
                return None
            if text is None:
                return None
            self._domain = Domain.from_yaml(text).as_dict()
            self._read = (stat.st_mtime, stat.st_size)
        return self._domain


def build_app(actions: str, model: Path | None = None) -> Sanic:
    """rasa-sdk's Sanic app for the action package `actions`, with `on_error` as its error handler, and
    the domain of `model` for requests sent without one."""
    app = create_app(actions, cors_origins=None)
    app.error_handler.add(Exception, on_error)
    if model is not None:
        domain = ModelDomain(model)
        if domain.get() is None:
            logger.warning("no domain in %s: actions get only the domain Rasa sends", model)

        @app.on_request
        async def add_domain(request: Request) -> None:
            if request.method != "POST" or request.path != "/webhook":
                return
            try:
                payload = request.json
            except Exception:
                return  # rasa-sdk answers the malformed request itself
            if isinstance(payload, dict) and not payload.get("domain"):
                found = domain.get()
                if found is not None:
                    payload["domain"] = found

    return app


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the command line and serve until stopped."""
    parser = argparse.ArgumentParser(prog="python -m bot.actionserver", description=__doc__)
    parser.add_argument("--actions", default="bot.actions", help="action package (default: bot.actions)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=5055, help="port (default: 5055)")
    parser.add_argument("--model", type=Path, help="the model Rasa serves: its domain for the actions")
    args = parser.parse_args(argv)
    utils.configure_colored_logging("INFO")
    utils.update_sanic_log_level()
    app = build_app(args.actions, args.model)
    logger.info("Action server listening on http://%s:%d", args.host, args.port)
    app.run(args.host, args.port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
