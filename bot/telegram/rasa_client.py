"""Asynchronous client for Rasa's REST channel, with timeouts and a few quick retries."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

import httpx

from bot.telegram.formatting import Button

LOGGER = logging.getLogger(__name__)
REST_PATH = "/webhooks/rest/webhook"


class RasaError(Exception):
    """Rasa answered with something that retrying will not fix (a 4xx status or a malformed body)."""


class RasaUnavailable(Exception):
    """Rasa could not be reached, timed out or failed with a server error, even after retrying."""


@dataclass(frozen=True)
class RasaReply:
    """One bot message from Rasa's REST channel."""

    text: str = ""
    buttons: tuple[Button, ...] = ()
    image: str = ""
    custom: dict[str, object] = field(default_factory=dict)
    rating: dict[str, str] = field(default_factory=dict)
    """The answer's rating marker when it can be rated with 👍/👎 (bot/feedback.py)."""


class RasaClient:
    """Sends one user message to Rasa and returns its replies.

    Connection errors and 5xx answers are retried `attempts` times with doubling waits starting
    at `backoff` seconds, then RasaUnavailable is raised. A read timeout is not retried here:
    Rasa may still be working on the message, and the caller decides when to send it again.
    """

    def __init__(
        self, base_url: str, *, timeout: float = 30.0, attempts: int = 3, backoff: float = 0.5
    ) -> None:
        self._url = base_url.rstrip("/") + REST_PATH
        self._attempts = attempts
        self._backoff = backoff
        self._client = httpx.AsyncClient(timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)))

    async def send(self, sender: str, message: str) -> list[RasaReply]:
        """Post the message for conversation `sender`; return Rasa's replies in order."""
        wait = self._backoff
        for attempt in range(1, self._attempts + 1):
            try:
                response = await self._client.post(self._url, json={"sender": sender, "message": message})
            except httpx.ReadTimeout as exc:
                raise RasaUnavailable(f"{self._url} did not answer in time") from exc
            except httpx.HTTPError as exc:
                LOGGER.warning("Rasa request %d/%d failed: %r", attempt, self._attempts, exc)
            else:
                if response.status_code < 500:
                    return parse_replies(response)
                LOGGER.warning(
                    "Rasa answered %d (attempt %d/%d)", response.status_code, attempt, self._attempts
                )
            if attempt < self._attempts:
                await asyncio.sleep(wait)
                wait *= 2
        raise RasaUnavailable(f"no answer from {self._url} after {self._attempts} attempts")

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()


def parse_replies(response: httpx.Response) -> list[RasaReply]:
    """Rasa's JSON list of bot messages as RasaReply objects; malformed items are skipped."""
    if response.status_code != 200:
        raise RasaError(f"Rasa answered {response.status_code}: {response.text[:200]}")
    try:
        items = response.json()
    except ValueError as exc:
        raise RasaError(f"Rasa's answer is not JSON: {response.text[:200]}") from exc
    if not isinstance(items, list):
        raise RasaError(f"Rasa's answer is not a list: {response.text[:200]}")
    return [reply for item in items if (reply := _reply(item)) is not None]


def _reply(item: object) -> RasaReply | None:
    if not isinstance(item, dict):
        LOGGER.warning("Skipping a Rasa reply that is not an object: %r", item)
        return None
    buttons = tuple(
        Button(str(b["title"]), str(b["payload"]))
        for b in item.get("buttons") or ()
        if isinstance(b, dict) and b.get("title") and b.get("payload")
    )
    text = item.get("text") if isinstance(item.get("text"), str) else ""
    image = item.get("image") if isinstance(item.get("image"), str) else ""
    custom = item.get("custom") if isinstance(item.get("custom"), dict) else {}
    marker = item.get("rating") if isinstance(item.get("rating"), dict) else {}
    rating = {str(k): str(v) for k, v in marker.items()}
    return RasaReply(text=text or "", buttons=buttons, image=image or "", custom=custom or {}, rating=rating)
