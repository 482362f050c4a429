"""👍/👎 under the answers Rasa marks as rateable: one row of two inline buttons under the answer.

A tap rates the answer (the payload goes to Rasa like any button's, see `bot.feedback`) and edits that
message's keyboard in place: the chosen button is marked, the other stays tappable to change the rating,
and the answer's other buttons stay. No new keyboard is sent.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.error import TelegramError

from bot.feedback import RATE_INTENT, rating_payload
from bot.telegram.formatting import Button, CallbackTable
from bot.telegram.messages import Messages


def is_rating(payload: str) -> bool:
    """Whether a button's payload is a rating."""
    return payload.startswith(f"/{RATE_INTENT}{{")


def with_rating(
    markup: InlineKeyboardMarkup | None, marker: Mapping[str, str], table: CallbackTable, messages: Messages
) -> InlineKeyboardMarkup:
    """`markup` (or no keyboard) with a last row of 👍 and 👎 for the answer that `marker` names."""
    row = [
        InlineKeyboardButton(
            title, callback_data=table.data_for(Button(title, rating_payload(value, marker)))
        )
        for value, title in (("up", messages.rate_up), ("down", messages.rate_down))
    ]
    rows = [list(r) for r in markup.inline_keyboard] if markup else []
    return InlineKeyboardMarkup([*rows, row])


def rated(markup: InlineKeyboardMarkup, tapped: str, messages: Messages) -> InlineKeyboardMarkup:
    """The same keyboard with the rating row showing which one was chosen (the last row)."""
    *rows, last = [list(r) for r in markup.inline_keyboard]
    titles = (messages.rate_up, messages.rate_down)
    marked = [
        InlineKeyboardButton(
            messages.rated.format(title=title) if b.callback_data == tapped else title,
            callback_data=b.callback_data,
        )
        for b, title in zip(last, titles, strict=False)
    ]
    return InlineKeyboardMarkup([*rows, marked])


async def mark_rated(query: CallbackQuery, messages: Messages) -> None:
    """Edit the tapped message's keyboard to show the rating; a failed edit does not stop the rating."""
    markup = query.message.reply_markup if isinstance(query.message, Message) else None
    if markup is None or not markup.inline_keyboard:
        return
    with contextlib.suppress(TelegramError):
        await query.edit_message_reply_markup(reply_markup=rated(markup, query.data or "", messages))
