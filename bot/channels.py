"""Rasa's REST channel, hardened: it validates every request, answers each message whole, and never empty.

Same URL and payloads as Rasa's stock channel: POST /webhooks/rest/webhook with
`{"sender": "...", "message": "..."}` → list of `{"recipient_id", "text", "buttons"?}`. Loaded by the
Rasa server through credentials.yml (`bot.channels.RestInput`). What it adds (issue 12):

- Bodies over `edge.MAX_BODY_BYTES` get 413 before they are parsed (over `edge.MAX_READ_BYTES`, before
  they are read); a body that is not a JSON object, or a missing, empty or unsafe sender or message gets
  400 with a short JSON error (`bot.edge`).
- A message over `edge.MAX_MESSAGE_CHARS` gets a polite Swedish reply and is not processed.
- If processing fails (an action or the tracker store fails) or yields no message, the user gets the
  temporary-error reply with a retry marker, never `[]`; a failed message is not saved (`bot.outage`),
  so resending it is safe. Nothing a request does can stop the server (Rasa's SQL tracker store turns
  some database errors into `sys.exit`, see `bot.trackerstore`).
- Paragraphs stay together: Rasa's stock collector splits every text at blank lines into separate
  messages, but our answers (a fact, its status, its source) and the advisor's summary are one message.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import edge, feedback, keepalive, outage, speedups

logger = logging.getLogger(__name__)

# The Rasa server imports this module (credentials.yml) before it serves: the place to patch Rasa.
speedups.install()
outage.install()
keepalive.install()


def keep_paragraphs(channel: CollectingOutputChannel) -> None:
    """Make `channel` store a text message as one message instead of one per paragraph.

    A rateable answer also gets its `rating` marker (`bot.feedback.rating_marker`): the front ends show
    👍/👎 under the replies that have one.
    """

    async def send_text_message(recipient_id: str, text: str, **kwargs: Any) -> None:
        await channel._persist_message(_marked(channel._message(recipient_id, text=text.strip()), kwargs))

    async def send_text_with_buttons(
        recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await channel._persist_message(
            _marked(channel._message(recipient_id, text=text, buttons=buttons), kwargs)
        )

    channel.send_text_message = send_text_message  # type: ignore[method-assign]
    channel.send_text_with_buttons = send_text_with_buttons  # type: ignore[method-assign]


def _marked(message: dict[str, Any], metadata: dict[str, Any]) -> dict[str, Any]:
    """`message` with its rating marker when it is a rateable answer."""
    marker = feedback.rating_marker(str(message.get("text") or ""), metadata)
    return {**message, "rating": marker} if marker else message


def _error(status: int, message: str) -> HTTPResponse:
    return response.json({"error": message}, status=status)


class RestInput(InputChannel):
    """The REST channel (`rest`): validated requests, whole messages, never an empty reply."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The channel's routes: GET / (health) and POST /webhook."""
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.listener("before_server_start")
        async def limit_body_size(app: Sanic, _: object) -> None:
            # Sanic reads this per connection and answers 413 from the Content-Length header (or while
            # a chunked body arrives), before the body is read. Smaller bodies over MAX_BODY_BYTES are
            # read and refused below, unparsed, so that ordinary clients see the 413.
            app.config.REQUEST_MAX_SIZE = edge.MAX_READ_BYTES
            # Sanic's own errors (413, 404, …) as JSON like ours, not an HTML page.
            app.config.FALLBACK_ERROR_FORMAT = "json"

        @webhook.listener("after_server_start")
        async def freeze_loaded_objects(app: Sanic, _: object) -> None:
            # The model, domain and libraries loaded at start are hundreds of thousands of objects that
            # live as long as the server: out of the garbage collector's full passes, which otherwise
            # walk them all again and again while answering (latency spikes under load, issue 13).
            gc.collect()
            gc.freeze()

        @webhook.listener("after_server_stop")
        async def close_kept_sessions(app: Sanic, _: object) -> None:
            await keepalive.close()

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if len(request.body) > edge.MAX_BODY_BYTES:
                return _error(413, f"the body is larger than {edge.MAX_BODY_BYTES} bytes")
            try:
                incoming = edge.check_request(request.body)
            except edge.BadRequest as exc:
                return _error(400, str(exc))
            if len(incoming.message) > edge.MAX_MESSAGE_CHARS:
                logger.info("message from %s too long: %d characters", incoming.sender, len(incoming.message))
                return response.json([edge.too_long_reply(incoming.sender, incoming.message)])
            return response.json(await self._process(on_new_message, incoming))

        return webhook

    async def _process(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]], incoming: edge.Incoming
    ) -> list[dict[str, Any]]:
        """Run the message through Rasa; the bot's messages, or the temporary-error reply."""
        collector = CollectingOutputChannel()
        keep_paragraphs(collector)
        message = UserMessage(incoming.message, collector, incoming.sender, input_channel=self.name())
        try:
            with outage.watch() as failed:
                await on_new_message(message)
        except outage.ActionFailed:
            logger.warning("message from %s not saved: custom action %s failed", incoming.sender, failed[0])
            return [edge.temporary_error_reply(incoming.sender)]
        except (Exception, SystemExit):
            # SystemExit: Rasa's SQL tracker store exits on some database errors; one message must never
            # stop the server. Logged without the message text (privacy).
            logger.exception("message from %s failed", incoming.sender)
            return [edge.temporary_error_reply(incoming.sender)]
        if not collector.messages:
            logger.warning("message from %s produced no reply", incoming.sender)
            return [edge.temporary_error_reply(incoming.sender)]
        return collector.messages
