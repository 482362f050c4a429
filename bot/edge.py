"""What the REST channel accepts: limits, request validation and the channel's own Swedish replies.

Every front end (REST clients, the widget, the Telegram relay) is held to the same limits, so they
import them from here. `check_request` turns a raw request body into a sender id and a message, or
raises `BadRequest` with a short English message for the developer of the client.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

TEXTS_FILE = Path(__file__).with_name("edge.yml")

# 64 kB holds a 2,000-character message even if every character is a 6-byte JSON escape (12 kB),
# with room for the sender and metadata. Larger bodies get 413 before they are parsed: a 1 MB
# message made every other user wait 6 s, 10 MB 61 s (issue 12).
MAX_BODY_BYTES = 64 * 1024
# Bodies up to this size are still read (asynchronously, other users don't wait: 5 MB takes a few ms
# on loopback) so that the client gets its 413 instead of a reset connection: a server that answers
# before the body is read must close with unread data, which most HTTP clients report as "connection
# reset" (curl, which sends Expect: 100-continue, gets the 413 either way). Larger bodies are cut off.
MAX_READ_BYTES = 16 * 1024 * 1024
# Longer than any question in our logs and test sets (the longest, a rambling consultation
# answer, is about 600 characters); the NLU answers a 2,000-character message in well under 1 s.
MAX_MESSAGE_CHARS = 2000
# Widget ids are "web-" + 32 hex digits, Telegram's "tg-<chat id>"; 128 leaves room for other clients.
MAX_SENDER_CHARS = 128
SENDER_PATTERN = re.compile(r"[A-Za-z0-9_.:@-]+")
SENDER_RULE = f"1–{MAX_SENDER_CHARS} characters of A–Z a–z 0–9 _ . : @ -"
# Lone UTF-16 surrogates are valid in JSON but not in UTF-8: SQLite cannot store them.
SURROGATES = re.compile("[\ud800-\udfff]")
# The marker in a reply's `custom` that tells the widget and Telegram to offer "Skicka igen".
RETRY_MARKER = "retry"


class BadRequest(Exception):
    """A request the channel refuses with 400: the message says what is wrong and how to fix it."""


@dataclass(frozen=True)
class Texts:
    """The channel's own replies, from edge.yml."""

    too_long: str
    temporary_error: str


@lru_cache(maxsize=1)
def texts() -> Texts:
    """The texts of edge.yml (read once)."""
    data = yaml.safe_load(TEXTS_FILE.read_text(encoding="utf-8"))
    return Texts(too_long=str(data["too_long"]), temporary_error=str(data["temporary_error"]))


@dataclass(frozen=True)
class Incoming:
    """A validated message: whose it is and what it says (surrogates removed)."""

    sender: str
    message: str


def check_request(body: bytes) -> Incoming:
    """The sender and message of a REST request body; BadRequest when the body can't be served."""
    try:
        payload = json.loads(body)
    except ValueError as exc:
        raise BadRequest('the body must be a JSON object: {"sender": "...", "message": "..."}') from exc
    if not isinstance(payload, dict):
        raise BadRequest('the body must be a JSON object: {"sender": "...", "message": "..."}')
    sender = payload.get("sender")
    if not isinstance(sender, str) or not sender:
        raise BadRequest(f"'sender' is missing or not a string (expected {SENDER_RULE})")
    if len(sender) > MAX_SENDER_CHARS or not SENDER_PATTERN.fullmatch(sender):
        raise BadRequest(f"'sender' must be {SENDER_RULE}")
    message = payload.get("message")
    if not isinstance(message, str):
        raise BadRequest("'message' is missing or not a string")
    message = SURROGATES.sub("", message)
    if not message.strip():
        raise BadRequest("'message' is empty")
    return Incoming(sender, message)


def too_long_reply(sender: str, message: str) -> dict[str, object]:
    """The reply to a message over MAX_MESSAGE_CHARS."""
    text = texts().too_long.format(
        length=swedish_number(len(message)), limit=swedish_number(MAX_MESSAGE_CHARS)
    )
    return {"recipient_id": sender, "text": text}


def swedish_number(number: int) -> str:
    """A whole number the Swedish way, thousands separated by a space: 2 000."""
    return f"{number:,}".replace(",", "\u00a0")


def temporary_error_reply(sender: str) -> dict[str, object]:
    """The reply when the message could not be processed; the marker lets front ends offer a resend."""
    return {"recipient_id": sender, "text": texts().temporary_error, "custom": {RETRY_MARKER: True}}
