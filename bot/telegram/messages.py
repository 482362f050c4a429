"""The Swedish texts of the Telegram front end, loaded from messages.yml and checked for completeness."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import yaml

MESSAGES_FILE = Path(__file__).with_name("messages.yml")


class MessagesError(Exception):
    """messages.yml is missing a text or has one of the wrong type."""


@dataclass(frozen=True)
class Messages:
    """Every text the front end writes itself; each field is a key in messages.yml."""

    commands: dict[str, str]
    welcome: str
    help: str
    restarted: str
    cancelled: str
    unknown_command: str
    no_reply: str
    choose: str
    button_chosen: str
    button_expired: str
    unsupported: str
    edited: str
    private_only: str
    rate_limited: str
    slow: str
    unavailable: str
    kept: str
    queue_full: str
    back: str
    gave_up: str
    shutdown: str
    error: str
    too_long: str
    resend: str
    rate_up: str
    rate_down: str
    rated: str

    @classmethod
    def load(cls, path: Path = MESSAGES_FILE) -> Messages:
        """Read and check the texts; raise MessagesError naming the file and the key."""
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise MessagesError(f"{path}: expected a mapping of text names to texts")
        values: dict[str, object] = {}
        for f in dataclasses.fields(cls):
            value = data.get(f.name)
            if f.name == "commands":
                if not isinstance(value, dict) or not all(
                    isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items()
                ):
                    raise MessagesError(f"{path}: 'commands' must map each command name to a description")
            elif not isinstance(value, str) or not value.strip():
                raise MessagesError(f"{path}: '{f.name}' is missing or empty (write the Swedish text)")
            values[f.name] = value
        unknown = sorted(set(data) - set(values))
        if unknown:
            raise MessagesError(f"{path}: unknown key '{unknown[0]}' (expected: {', '.join(sorted(values))})")
        return cls(**values)  # type: ignore[arg-type]
