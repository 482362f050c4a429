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
_BOLD = re.compile(r"\*\*([^*\n]+?)\*\*")
_LIST_ITEM = re.compile(r"([-*•]|\d{1,3}[.)])\s")
# The advisor's longest title line ("Rekommendation: " + the longest category title in
# knowledge/advisor/rules.yml) has 94 characters; a longer line is a sentence, not a title.
TITLE_MAX_CHARS = 100
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
    """Escape text for parse mode HTML; titles and **bold** become <b>, [label](https://…) links <a>."""
    lines = text.split("\n")
    return "\n".join(_line_to_html(line, is_title(lines, index)) for index, line in enumerate(lines))


def _line_to_html(line: str, title: bool) -> str:
    escaped = html.escape(line, quote=False)
    if title:
        # Telegram rejects <b> inside <b>: a title's own ** markers go.
        return "<b>" + _MARKDOWN_LINK.sub(r'<a href="\2">\1</a>', escaped.replace("**", "")) + "</b>"
    return _MARKDOWN_LINK.sub(r'<a href="\2">\1</a>', _BOLD.sub(r"<b>\1</b>", escaped))


def is_title(lines: Sequence[str], index: int) -> bool:
    """Whether line `index` of a message is a title, shown in bold (the web widget uses the same rule):
    a short line ending in ':' ("Nästa steg:"), or the first line of a longer message when it is short
    and ends without a full stop ("Rekommendation: Svensk legotillverkare – börja med en nollserie")."""
    line = lines[index].strip()
    if not line or _LIST_ITEM.match(line):
        return False
    if line.endswith(":") and len(line) <= TITLE_MAX_CHARS:
        return True
    more = any(rest.strip() for rest in lines[index + 1 :])
    return index == 0 and more and len(line) <= TITLE_MAX_CHARS and line[-1] not in ".!?…)"


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
