"""Conversation lock stores that hand a conversation to its next message at once, in arrival order.

Rasa processes one message per conversation at a time. Its lock stores poll: a waiting message looks
again every second, so a burst of 20 messages from one sender took 18 s to answer (issue 12).

- `InMemoryLockStore` (one Rasa server, endpoints.yml): one `asyncio.Lock` per conversation. Waiters
  are woken first come, first served the moment the lock is released.
- `RedisLockStore` (several replicas, endpoints.scale.yml): Rasa's Redis ticket lock, polled every
  `POLL_SECONDS` instead of every second, and held at most `REDIS_LOCK_SECONDS`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore
from rasa.core.lock_store import RedisLockStore as StockRedisLockStore
from rasa.utils.endpoints import EndpointConfig

# A message takes 15-40 ms to process here; polling at 20 ms keeps the added wait below one message.
POLL_SECONDS = 0.02
# How long a replica's claim on a conversation lasts in Redis (Rasa's default: 60 s). A replica killed
# while it handles a message leaves its claim behind, and the message that nginx resends to another
# replica waits for it to lapse: 10 s instead of a minute. A message needs well under 1 s here.
REDIS_LOCK_SECONDS = 10.0


class InMemoryLockStore(LockStore):
    """Per-conversation asyncio locks for a single Rasa server process."""

    def __init__(self, endpoint_config: EndpointConfig | None = None) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: dict[str, int] = {}
        super().__init__()

    @asynccontextmanager
    async def lock(
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME, wait_time_in_seconds: float = 1
    ) -> AsyncIterator[TicketLock]:
        """Hold `conversation_id` for the block; wait at most `lock_lifetime` seconds for it."""
        lock = self._locks.setdefault(conversation_id, asyncio.Lock())
        self._users[conversation_id] = self._users.get(conversation_id, 0) + 1
        try:
            try:
                await asyncio.wait_for(lock.acquire(), timeout=lock_lifetime)
            except asyncio.TimeoutError as exc:
                raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.") from exc
            try:
                yield TicketLock(conversation_id)
            finally:
                lock.release()
        finally:
            self._users[conversation_id] -= 1
            if not self._users[conversation_id]:
                # Nobody holds or waits for it: forget it, so memory does not grow with every sender.
                del self._users[conversation_id]
                del self._locks[conversation_id]

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        """Rasa's ticket-lock interface is unused here: every caller goes through `lock()`."""
        return None

    def delete_lock(self, conversation_id: str) -> None:
        """Nothing to delete: locks are forgotten when their last user leaves."""

    def save_lock(self, lock: TicketLock) -> None:
        """Nothing to save: the asyncio locks live in this process."""

    def is_someone_waiting(self, conversation_id: str) -> bool:
        """Whether another message for `conversation_id` holds or waits for the lock."""
        return self._users.get(conversation_id, 0) > 0


class RedisLockStore(StockRedisLockStore):
    """Rasa's Redis lock store, polling every POLL_SECONDS instead of every second."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        kwargs: dict[str, Any] = dict(endpoint_config.kwargs)
        super().__init__(host=endpoint_config.url or "localhost", **kwargs)

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = REDIS_LOCK_SECONDS,
        wait_time_in_seconds: float = 1,
    ) -> AsyncIterator[TicketLock]:
        """Rasa's ticket lock with a short poll interval and a claim that lapses after REDIS_LOCK_SECONDS."""
        async with super().lock(conversation_id, lock_lifetime, POLL_SECONDS) as ticket_lock:
            yield ticket_lock
