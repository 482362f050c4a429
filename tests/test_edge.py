"""What the REST channel accepts (bot/edge.py) and the lock store that serves a burst in order."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from bot import edge
from bot.lockstore import InMemoryLockStore


def body(**fields: object) -> bytes:
    return json.dumps(fields).encode()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", "must be a JSON object"),
        (b"[]", "must be a JSON object"),
        (b"null", "must be a JSON object"),
        (b'"hej"', "must be a JSON object"),
        (b"\xff\xfe{", "must be a JSON object"),
        (body(message="hej"), "'sender' is missing"),
        (body(sender="", message="hej"), "'sender' is missing"),
        (body(sender=5, message="hej"), "'sender' is missing"),
        (body(sender="\udfff", message="hej"), "'sender' must be 1–128 characters"),
        (body(sender="a b", message="hej"), "'sender' must be 1–128 characters"),
        (body(sender="x" * 129, message="hej"), "'sender' must be 1–128 characters"),
        (body(sender="anna"), "'message' is missing"),
        (body(sender="anna", message=None), "'message' is missing"),
        (body(sender="anna", message=["hej"]), "'message' is missing"),
        (body(sender="anna", message=" \n"), "'message' is empty"),
        (body(sender="anna", message="\udfff"), "'message' is empty"),
    ],
)
def test_bad_requests_are_refused_with_the_reason(raw: bytes, expected: str) -> None:
    with pytest.raises(edge.BadRequest, match=expected):
        edge.check_request(raw)


@pytest.mark.parametrize("sender", ["web-0123456789abcdef", "tg--1001234", "a.b:c@d_e", "x" * 128])
def test_front_ends_sender_ids_are_accepted(sender: str) -> None:
    assert edge.check_request(body(sender=sender, message="Hej")) == edge.Incoming(sender, "Hej")


def test_lone_surrogates_are_stripped_from_the_message() -> None:
    assert edge.check_request(body(sender="anna", message="hej\udfff då\ud800")).message == "hej då"


def test_too_long_reply_is_swedish_and_names_the_limit() -> None:
    reply = edge.too_long_reply("anna", "a" * 2500)
    assert reply["recipient_id"] == "anna"
    assert "2\u00a0500 tecken" in str(reply["text"]) and "2\u00a0000" in str(reply["text"])


def test_temporary_error_reply_carries_the_retry_marker() -> None:
    reply = edge.temporary_error_reply("anna")
    assert "Tillfälligt fel – försök igen om en stund" in str(reply["text"])
    assert reply["custom"] == {edge.RETRY_MARKER: True}


def test_a_burst_from_one_sender_is_served_in_arrival_order_without_waits() -> None:
    store = InMemoryLockStore()
    served: list[int] = []

    async def handle(number: int) -> None:
        async with store.lock("anna"):
            served.append(number)
            await asyncio.sleep(0.01)  # a message's processing

    async def burst() -> float:
        started = time.monotonic()
        await asyncio.gather(*(handle(n) for n in range(20)))
        return time.monotonic() - started

    seconds = asyncio.run(burst())
    assert served == list(range(20))
    assert seconds < 1.0, f"20 messages took {seconds:.2f} s (Rasa's lock store: 1 s per wait)"
    assert not store.is_someone_waiting("anna") and store._locks == {}, "no lock is kept after use"


def test_conversations_do_not_wait_for_each_other() -> None:
    store = InMemoryLockStore()

    async def hold(sender: str, seconds: float) -> float:
        started = time.monotonic()
        async with store.lock(sender):
            await asyncio.sleep(seconds)
        return time.monotonic() - started

    async def both() -> list[float]:
        return list(await asyncio.gather(hold("anna", 0.3), hold("bo", 0.01)))

    assert asyncio.run(both())[1] < 0.2
