"""A Bot that skips updates python-telegram-bot cannot read, instead of fetching them forever.

python-telegram-bot parses a whole getUpdates batch at once; one update it can't read (a newer or older
Bot API shape, e.g. a poll without fields PTB 22 requires) makes the batch fail, and the updater asks for
the same batch again: the bot is stuck and every later message waits. Here each update is checked on its
own; an unreadable one is replaced by an empty update with the same id (so polling moves on), and its
chat is remembered so the user can be told the message couldn't be read.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

from telegram import Update
from telegram.ext import ExtBot

logger = logging.getLogger(__name__)


class TolerantBot(ExtBot):  # type: ignore[type-arg]
    """ExtBot whose getUpdates never fails on a single unreadable update."""

    __slots__ = ("unreadable_chats",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # python-telegram-bot freezes its objects after __init__.
        self.unreadable_chats: dict[int, int | None]
        object.__setattr__(self, "unreadable_chats", {})

    async def _post(self, endpoint: str, data: Any = None, *args: Any, **kwargs: Any) -> Any:
        result = await super()._post(endpoint, data, *args, **kwargs)
        if endpoint == "getUpdates" and isinstance(result, list):
            result = [self._readable(raw) for raw in result]
        return result

    def _readable(self, raw: Any) -> Any:
        try:
            Update.de_json(copy.deepcopy(raw), self)
            return raw
        except Exception:
            update_id = raw.get("update_id") if isinstance(raw, dict) else None
            logger.warning("skipping update %s: python-telegram-bot cannot read it", update_id, exc_info=True)
            if not isinstance(update_id, int):
                raise
            self.unreadable_chats[update_id] = _chat_id(raw)
            return {"update_id": update_id}


def _chat_id(raw: dict[str, Any]) -> int | None:
    """The chat of a raw update, if it has one where a message would."""
    for key in ("message", "edited_message", "channel_post"):
        chat = (raw.get(key) or {}).get("chat") or {}
        if isinstance(chat.get("id"), int) and chat.get("type") == "private":
            return int(chat["id"])
    return None
