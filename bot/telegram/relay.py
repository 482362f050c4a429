"""Per-chat delivery between Telegram and Rasa.

Each chat has an ordered queue of what the user sent and one worker that forwards it to Rasa
with a typing indicator. While Rasa is down the queue is kept, the user is told once, and the
worker retries with growing waits; when Rasa is back the user gets the answers. Nothing is
dropped without telling the user.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ChatAction, ParseMode
from telegram.error import RetryAfter, TelegramError

from bot.edge import RETRY_MARKER
from bot.telegram.formatting import Button, CallbackTable, keyboard, split_text, to_html
from bot.telegram.messages import Messages
from bot.telegram.rasa_client import RasaClient, RasaError, RasaReply, RasaUnavailable
from bot.telegram.rating import with_rating

# How often one message is sent again after Telegram answers 429 Too Many Requests.
FLOOD_RETRIES = 3
LOGGER = logging.getLogger(__name__)
TYPING_INTERVAL = 4.0
"""Seconds between typing indicators; Telegram shows one for about five seconds."""
MAX_SESSIONS = 10_000
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


@dataclass(frozen=True)
class RetryPolicy:
    """Timeouts and retry timing (seconds). Tests shorten them."""

    attempts: int = 3
    """Quick tries per message before the user is told that Rasa is unavailable."""
    backoff: float = 0.5
    timeout: float = 30.0
    """Longest wait for one answer from Rasa."""
    slow_notice_after: float = 8.0
    retry_after: float = 2.0
    """First wait between rounds of tries while Rasa is down; doubles up to retry_max."""
    retry_max: float = 15.0
    give_up_after: float = 3600.0
    """A message still undelivered this long after it arrived is given up (and the user told)."""
    max_pending: int = 20
    shutdown_grace: float = 2.0


@dataclass
class Pending:
    """One message waiting to be forwarded to Rasa."""

    message: str
    fallback: str
    """Shown when Rasa answers with nothing."""
    received: float = field(default_factory=time.monotonic)
    told_slow: bool = False


@dataclass
class ChatSession:
    """The state of one chat: its queue, its worker, and the payloads behind its buttons."""

    queue: deque[Pending] = field(default_factory=deque)
    worker: asyncio.Task[None] | None = None
    outage: bool = False
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    """Set when the user writes during an outage: try Rasa again now instead of after the wait."""
    buttons: CallbackTable = field(default_factory=CallbackTable)


def sender_id(chat_id: int) -> str:
    """The Rasa conversation id of a Telegram chat, namespaced so other channels can't collide."""
    return f"tg-{chat_id}"


class Relay:
    """Forwards messages from Telegram chats to Rasa and sends the replies back."""

    def __init__(self, bot: Bot, rasa: RasaClient, messages: Messages, policy: RetryPolicy) -> None:
        self._bot = bot
        self._rasa = rasa
        self._messages = messages
        self._policy = policy
        self._sessions: OrderedDict[int, ChatSession] = OrderedDict()

    def buttons(self, chat_id: int) -> CallbackTable:
        """The callback table of chat_id's buttons."""
        return self._session(chat_id).buttons

    async def submit(self, chat_id: int, message: str, fallback: str | None = None) -> None:
        """Queue message for Rasa; answers arrive in order, even after an outage. `fallback` is
        shown if Rasa answers with nothing (default: the 'no answer' text; "" shows nothing)."""
        session = self._session(chat_id)
        if len(session.queue) >= self._policy.max_pending:
            await self.send_text(chat_id, self._messages.queue_full)
            return
        session.queue.append(Pending(message, self._messages.no_reply if fallback is None else fallback))
        if session.outage:
            session.wake.set()
            await self.send_text(chat_id, self._messages.kept.format(count=len(session.queue)))
        if session.worker is None or session.worker.done():
            session.worker = asyncio.create_task(self._drain(chat_id, session), name=f"relay-{chat_id}")

    async def send_text(self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
        """Send text as escaped HTML, split under Telegram's limit; markup goes on the last part."""
        parts = split_text(text)
        for index, part in enumerate(parts):
            for attempt in range(FLOOD_RETRIES + 1):
                try:
                    await self._bot.send_message(
                        chat_id,
                        to_html(part),
                        parse_mode=ParseMode.HTML,
                        link_preview_options=NO_PREVIEW,
                        reply_markup=markup if index == len(parts) - 1 else None,
                    )
                    break
                except RetryAfter as exc:
                    # Telegram's flood control (429): wait as told and send again, so no answer is lost.
                    if attempt == FLOOD_RETRIES:
                        raise
                    delay = exc.retry_after
                    await asyncio.sleep(delay.total_seconds() if hasattr(delay, "total_seconds") else delay)

    async def close(self) -> None:
        """Let running requests finish briefly, then stop every worker and tell users what was left."""
        workers = [s.worker for s in self._sessions.values() if s.worker and not s.worker.done()]
        if workers:
            await asyncio.wait(workers, timeout=self._policy.shutdown_grace)
        for chat_id, session in self._sessions.items():
            if session.worker and not session.worker.done():
                session.worker.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await session.worker
            if session.queue:
                LOGGER.warning(
                    "Shutting down with %d unanswered messages in chat %s", len(session.queue), chat_id
                )
                await self._notify(chat_id, self._messages.shutdown)
        await self._rasa.aclose()

    def _session(self, chat_id: int) -> ChatSession:
        session = self._sessions.pop(chat_id, None) or ChatSession()
        self._sessions[chat_id] = session
        if len(self._sessions) > MAX_SESSIONS:
            oldest = next(iter(self._sessions))
            if not self._sessions[oldest].queue:
                del self._sessions[oldest]
        return session

    async def _drain(self, chat_id: int, session: ChatSession) -> None:
        """Forward the chat's queue to Rasa in order, waiting out outages."""
        wait = self._policy.retry_after
        while session.queue:
            item = session.queue[0]
            try:
                replies = await self._ask(chat_id, item)
            except RasaUnavailable as exc:
                LOGGER.warning("Rasa unavailable for chat %s: %s", chat_id, exc)
                if not await self._wait_for_rasa(chat_id, session, item, wait):
                    return
                wait = min(wait * 2, self._policy.retry_max)
                continue
            except RasaError:
                LOGGER.exception("Rasa rejected a message from chat %s", chat_id)
                session.queue.popleft()
                await self._notify(chat_id, self._messages.error)
                continue
            session.queue.popleft()
            wait = self._policy.retry_after
            if session.outage:
                session.outage = False
                await self._notify(chat_id, self._messages.back)
            try:
                await self._deliver(chat_id, session, item, replies)
            except Exception:  # the worker must outlive one failed delivery
                LOGGER.exception("Could not send Rasa's answer to chat %s", chat_id)

    async def _ask(self, chat_id: int, item: Pending) -> list[RasaReply]:
        """Rasa's replies to item, with a typing indicator and a notice if it takes long."""
        request = asyncio.ensure_future(self._rasa.send(sender_id(chat_id), item.message))
        try:
            async with self._typing(chat_id):
                done, _ = await asyncio.wait({request}, timeout=self._policy.slow_notice_after)
                if not done and not item.told_slow:
                    item.told_slow = True
                    await self._notify(chat_id, self._messages.slow)
                return await request
        finally:
            request.cancel()

    async def _wait_for_rasa(self, chat_id: int, session: ChatSession, item: Pending, wait: float) -> bool:
        """Tell the user once, then wait; False when the queue was given up."""
        if not session.outage:
            session.outage = True
            await self._notify(chat_id, self._messages.unavailable)
        if time.monotonic() - item.received > self._policy.give_up_after:
            session.queue.clear()
            session.outage = False
            await self._notify(chat_id, self._messages.gave_up)
            return False
        session.wake.clear()
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(session.wake.wait(), wait)
        return True

    async def _deliver(
        self, chat_id: int, session: ChatSession, item: Pending, replies: list[RasaReply]
    ) -> None:
        shown = [r for r in replies if r.text or r.buttons or r.image]
        if not shown and item.fallback:
            await self.send_text(chat_id, item.fallback)
        for reply in shown:
            buttons = reply.buttons
            if reply.custom.get(RETRY_MARKER) is True:
                # Rasa could not process the message and did not keep it: offer to send it again.
                buttons = (*buttons, Button(self._messages.resend, item.message))
            markup = keyboard(buttons, session.buttons) if buttons else None
            if reply.rating:
                markup = with_rating(markup, reply.rating, session.buttons, self._messages)
            text = "\n\n".join(p for p in (reply.text, reply.image) if p) or self._messages.choose
            await self.send_text(chat_id, text, markup)

    async def _notify(self, chat_id: int, text: str) -> None:
        """Send one of our own notices; a failure is logged, never raised into the worker."""
        try:
            await self.send_text(chat_id, text)
        except Exception:  # a notice must never stop the worker
            LOGGER.exception("Could not send a notice to chat %s", chat_id)

    @contextlib.asynccontextmanager
    async def _typing(self, chat_id: int) -> AsyncIterator[None]:
        task = asyncio.create_task(self._keep_typing(chat_id))
        try:
            yield
        finally:
            task.cancel()

    async def _keep_typing(self, chat_id: int) -> None:
        while True:
            try:
                await self._bot.send_chat_action(chat_id, ChatAction.TYPING)
            except TelegramError as exc:
                LOGGER.debug("Typing indicator for chat %s failed: %s", chat_id, exc)
            await asyncio.sleep(TYPING_INTERVAL)
