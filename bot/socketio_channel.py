"""Rasa's socket.io channel, fixed and held to the REST channel's rules, for standard Rasa web clients.

rasa-webchat (npm `rasa-webchat`, botfront) and similar clients speak Rasa's socket.io protocol: the
client sends `session_request` with its session id, the server confirms it with `session_confirm`,
messages go up as `user_uttered` `{"message", "session_id"}` and answers come down as `bot_uttered`.
Loaded by the Rasa server through credentials.yml (`bot.socketio_channel.SocketIOInput`). What it
changes from Rasa 3.6's channel:

- Session persistence works: Rasa calls python-socketio's `enter_room` without awaiting it (it became
  a coroutine in python-socketio 5), so the client never joins the room its answers are sent to and
  gets no answer at all (RasaHQ/rasa#13027). Here it is awaited, and persistence is on by default.
- The same origins as the REST channel may connect (`CORS_ORIGINS`, matched the way Rasa's `--cors`
  matches them); Rasa's channel lets any page connect over WebSocket.
- The REST channel's limits (`bot.edge`): session ids like sender ids, lone surrogates removed, empty
  messages ignored, a message over `edge.MAX_MESSAGE_CHARS` gets the polite reply and is not
  processed, and a failure (or no answer) gets the temporary-error reply instead of silence.
- Paragraphs stay in one message, as on the REST channel (Rasa's splits every text at blank lines).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeGuard

import engineio
from rasa.core.channels import socketio as rasa_socketio
from rasa.core.channels.channel import InputChannel, UserMessage, decode_bearer_token
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sanic_cors.core import try_match_any
from socketio import AsyncServer

from bot import edge, outage, speedups
from bot.settings import get_settings

logger = logging.getLogger(__name__)

# Installed by bot.channels too; both are idempotent, and this channel also works configured alone.
speedups.install()
outage.install()


def origin_allowed(origin: str | None) -> bool:
    """Whether a page from `origin` may connect: the CORS_ORIGINS rules of the REST channel."""
    return bool(origin) and try_match_any(origin, get_settings().cors_origins.split())


class _EngineIOServer(engineio.AsyncServer):
    """Engine.IO that checks the origin but adds no CORS headers of its own: Rasa's `--cors` (sanic-cors)
    adds them to every response already, and two Access-Control-Allow-Origin headers make browsers
    refuse the long-polling requests."""

    def _cors_headers(self, environ: dict[str, Any]) -> list[tuple[str, str]]:
        return []


class _SocketIOServer(AsyncServer):
    """python-socketio's server on _EngineIOServer."""

    def _engineio_server_class(self) -> type[engineio.AsyncServer]:
        return _EngineIOServer


class SocketIOOutput(rasa_socketio.SocketIOOutput):
    """Rasa's socket.io output, sending each text whole and counting what it sent."""

    def __init__(self, sio: AsyncServer, bot_message_evt: str) -> None:
        super().__init__(sio, bot_message_evt)
        self.sent = 0

    async def _send_message(self, socket_id: str, response: Any) -> None:
        self.sent += 1
        await super()._send_message(socket_id, response)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Send the text as one message."""
        await self._send_message(recipient_id, {"text": text.strip()})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Send the text as one message with the buttons as quick replies."""
        quick_replies = [
            {"content_type": "text", "title": b["title"], "payload": b["payload"]} for b in buttons
        ]
        await self._send_message(recipient_id, {"text": text.strip(), "quick_replies": quick_replies})

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        """Send custom JSON to the recipient's room."""
        self.sent += 1
        await super().send_custom_json(recipient_id, json_message, **kwargs)


class SocketIOInput(rasa_socketio.SocketIOInput):
    """The socket.io channel (`socketio`), with session persistence that works."""

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """As Rasa's, but `session_persistence` defaults to true (what rasa-webchat expects)."""
        credentials = {"session_persistence": True, **(credentials or {})}
        return super().from_credentials(credentials)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The socket.io server at `socketio_path` and a health route."""
        sio = _SocketIOServer(async_mode="sanic", cors_allowed_origins=origin_allowed)
        webhook = rasa_socketio.SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: dict[str, Any], auth: dict[str, Any] | None) -> bool:
            if not self.jwt_key:
                return True
            token = (auth or {}).get("token")
            return bool(token and decode_bearer_token(token, self.jwt_key, self.jwt_algorithm))

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: dict[str, Any] | None) -> None:
            session_id = (data or {}).get("session_id")
            if not _valid_session_id(session_id):
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: dict[str, Any] | None) -> None:
            data = data if isinstance(data, dict) else {}
            sender = data.get("session_id") if self.session_persistence else sid
            if not _valid_session_id(sender):
                logger.info("socket.io message without a valid session_id ignored")
                return
            text = data.get("message")
            text = edge.SURROGATES.sub("", text) if isinstance(text, str) else ""
            if not text.strip():
                return
            output = SocketIOOutput(sio, self.bot_message_evt)
            if len(text) > edge.MAX_MESSAGE_CHARS:
                logger.info("message from %s too long: %d characters", sender, len(text))
                await output._send_message(sender, {"text": edge.too_long_reply(sender, text)["text"]})
                return
            metadata = data.get(self.metadata_key)
            message = UserMessage(
                text,
                output,
                sender,
                input_channel=self.name(),
                metadata=metadata if isinstance(metadata, dict) else None,
            )
            await self._process(on_new_message, message, output, sender)

        return webhook

    async def _process(
        self,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        message: UserMessage,
        output: SocketIOOutput,
        sender: str,
    ) -> None:
        """Run the message through Rasa; the temporary-error reply if that fails or says nothing."""
        try:
            with outage.watch() as failed:
                await on_new_message(message)
        except outage.ActionFailed:
            logger.warning("message from %s not saved: custom action %s failed", sender, failed[0])
        except (Exception, SystemExit):
            # As on the REST channel: one message must never stop the server; no message text logged.
            logger.exception("message from %s failed", sender)
        else:
            if output.sent:
                return
            logger.warning("message from %s produced no reply", sender)
        await output._send_message(sender, {"text": edge.temporary_error_reply(sender)["text"]})


def _valid_session_id(session_id: object) -> TypeGuard[str]:
    """Session ids become sender ids: the REST channel's rule for senders applies."""
    return (
        isinstance(session_id, str)
        and 0 < len(session_id) <= edge.MAX_SENDER_CHARS
        and edge.SENDER_PATTERN.fullmatch(session_id) is not None
    )
