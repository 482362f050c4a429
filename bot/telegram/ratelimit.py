"""Per-chat flood protection: at most N updates in a sliding window of M seconds."""

from __future__ import annotations

import enum
import time
from collections import deque
from collections.abc import Callable


class Verdict(enum.Enum):
    """What to do with one update."""

    ALLOW = "allow"
    DENY_AND_TELL = "deny_and_tell"
    """The first update over the limit: drop it and tell the user, once per flood."""
    DENY = "deny"


class RateLimiter:
    """Sliding-window counter per chat. Denied updates don't count, so a chat recovers on its own."""

    MAX_CHATS = 10_000
    """Above this many remembered chats, idle ones are forgotten."""

    def __init__(
        self, limit: int = 10, window: float = 30.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._limit = limit
        self._window = window
        self._clock = clock
        self._events: dict[int, deque[float]] = {}
        self._told: set[int] = set()

    def check(self, chat_id: int) -> Verdict:
        """Count one update from chat_id and say whether it may pass."""
        now = self._clock()
        if len(self._events) > self.MAX_CHATS:
            self._forget_idle(now)
        events = self._events.setdefault(chat_id, deque())
        while events and events[0] <= now - self._window:
            events.popleft()
        if len(events) < self._limit:
            events.append(now)
            self._told.discard(chat_id)
            return Verdict.ALLOW
        if chat_id in self._told:
            return Verdict.DENY
        self._told.add(chat_id)
        return Verdict.DENY_AND_TELL

    def _forget_idle(self, now: float) -> None:
        idle = [
            chat for chat, events in self._events.items() if not events or events[-1] <= now - self._window
        ]
        for chat in idle:
            del self._events[chat]
            self._told.discard(chat)
