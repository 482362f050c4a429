"""Turn Rasa's texts and buttons into what Telegram accepts: escaped HTML, parts under the length
limit, and inline keyboards whose callback data fits in 64 bytes."""

from __future__ import annotations

import hashlib
import html
import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

MESSAGE_LIMIT = 4096
"""Telegram's limit for one message, counted in UTF-16 code units after entity parsing."""
CALLBACK_DATA_LIMIT = 64
"""Telegram's limit for a button's callback data, in bytes."""
TOKEN_PREFIX = "#"

_MARKDOWN_LINK = re.compile(r"\[([^\[\]\n]+)\]\((https?://[^\s()<>\"]+)\)")
_SEPARATORS = ("\n\n", "\n", ". ", " ")


@dataclass(frozen=True)
class Button:
    """One Rasa button: what the user sees and what is sent back to Rasa when tapped."""

    title: str
    payload: str


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: characters outside the BMP (most emoji) count twice."""
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


def to_html(text: str) -> str:
    """Escape text for parse mode HTML; Markdown-style [label](https://…) links become real links."""
    return _MARKDOWN_LINK.sub(r'<a href="\2">\1</a>', html.escape(text, quote=False))


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split text into parts of at most `limit` UTF-16 units, at paragraph, line, sentence or word ends."""
    parts = []
    rest = text.strip()
    while utf16_len(rest) > limit:
        cut = _cut_point(rest, limit)
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts


def _cut_point(text: str, limit: int) -> int:
    """Where to end the next part: after the last separator that still fits, else at the limit."""
    fits = _prefix_fitting(text, limit)
    for separator in _SEPARATORS:
        index = text.rfind(separator, 0, fits)
        if index > 0:
            return index + len(separator.rstrip())
    return fits


def _prefix_fitting(text: str, limit: int) -> int:
    """The number of characters of text that fit in `limit` UTF-16 units."""
    units = 0
    for index, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


class CallbackTable:
    """Maps buttons to callback data of at most 64 bytes, and tapped callback data back to buttons.

    Short payloads are the callback data themselves, so their buttons keep working after a
    restart; longer ones get a short token. The most recent `capacity` buttons are remembered.
    """

    def __init__(self, capacity: int = 256) -> None:
        self._capacity = capacity
        self._issued: OrderedDict[str, Button] = OrderedDict()

    def data_for(self, button: Button) -> str:
        """The callback data that stands for button."""
        payload = button.payload
        if len(payload.encode()) <= CALLBACK_DATA_LIMIT and not payload.startswith(TOKEN_PREFIX):
            data = payload
        else:
            data = TOKEN_PREFIX + hashlib.sha256(payload.encode()).hexdigest()[:16]
        self._issued[data] = button
        self._issued.move_to_end(data)
        while len(self._issued) > self._capacity:
            self._issued.popitem(last=False)
        return data

    def button_for(self, data: str, markup: InlineKeyboardMarkup | None) -> Button | None:
        """The button behind tapped callback data: one issued recently, or a short payload on the
        tapped message's keyboard. None for anything else (a forgotten token or forged data)."""
        if data in self._issued:
            return self._issued[data]
        if data.startswith(TOKEN_PREFIX):
            return None
        for row in markup.inline_keyboard if markup else ():
            for button in row:
                if button.callback_data == data:
                    return Button(button.text, data)
        return None


def keyboard(buttons: Sequence[Button], table: CallbackTable) -> InlineKeyboardMarkup:
    """One button per row, so long Swedish titles stay readable."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.title, callback_data=table.data_for(b))] for b in buttons]
    )
