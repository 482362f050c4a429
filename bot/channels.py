"""Rasa's REST channel, answering each bot message whole.

Rasa's stock collector splits every text at blank lines into separate messages. Our answers are one
fact, its status and its source, and the advisor's summary must arrive as one message the user can copy,
so this channel keeps paragraphs together. Same URL and payloads: POST /webhooks/rest/webhook.
Loaded by the Rasa server through credentials.yml (`bot.channels.RestInput`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput as StockRestInput
from sanic import Blueprint

from bot import speedups

# The Rasa server imports this module (credentials.yml) before it serves: the place to install speed-ups.
speedups.install()


def keep_paragraphs(channel: CollectingOutputChannel) -> None:
    """Make `channel` store a text message as one message instead of one per paragraph."""

    async def send_text_message(recipient_id: str, text: str, **kwargs: Any) -> None:
        await channel._persist_message(channel._message(recipient_id, text=text.strip()))

    channel.send_text_message = send_text_message  # type: ignore[method-assign]


class RestInput(StockRestInput):
    """The REST channel (`rest`), with whole messages."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def whole_messages(message: UserMessage) -> None:
            if isinstance(message.output_channel, CollectingOutputChannel):
                keep_paragraphs(message.output_channel)
            await on_new_message(message)

        return super().blueprint(whole_messages)
