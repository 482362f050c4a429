"""Settings read from the environment: one frozen dataclass, each field documented.

The README's settings table is checked against this module by tests/test_docs.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """All settings of Produktionslotsen. Each field's metadata names its variable and help."""

    rasa_port: int = field(
        default=5005, metadata={"env": "RASA_PORT", "help": "Port of the Rasa server (REST channel)."}
    )
    action_port: int = field(
        default=5055, metadata={"env": "ACTION_PORT", "help": "Port of the action server."}
    )
    action_host: str = field(
        default="127.0.0.1",
        metadata={
            "env": "ACTION_HOST",
            "help": "Address the action server binds to; 0.0.0.0 only behind a firewall (it has no login).",
        },
    )
    widget_port: int = field(
        default=8080,
        metadata={"env": "WIDGET_PORT", "help": "Port of the web server for widget.js and the demo page."},
    )
    rasa_url: str = field(
        default="http://localhost:5005",
        metadata={
            "env": "RASA_URL",
            "help": "Base URL of the Rasa server that front ends talk to (default: localhost at RASA_PORT).",
        },
    )
    cors_origins: str = field(
        default=r"^http://localhost(:\d+)?$ ^http://127\.0\.0\.1(:\d+)?$",
        metadata={
            "env": "CORS_ORIGINS",
            "help": "Space-separated origins (exact, or ^regex$) whose pages may embed the widget.",
        },
    )
    knowledge_dir: Path = field(
        default=ROOT / "knowledge",
        metadata={
            "env": "KNOWLEDGE_DIR",
            "help": "Folder of the staff-edited knowledge YAML: entries (for `lotsen kb`) and the "
            "advisor data that the action server reads.",
        },
    )
    knowledge_db: Path = field(
        default=ROOT / "var" / "knowledge.db",
        metadata={"env": "KNOWLEDGE_DB", "help": "Compiled knowledge database read by the action server."},
    )
    tracker_db: Path = field(
        default=ROOT / "var" / "tracker.db",
        metadata={"env": "TRACKER_DB", "help": "SQLite file where Rasa keeps conversations."},
    )
    rasa_endpoints: Path = field(
        default=ROOT / "endpoints.yml",
        metadata={
            "env": "RASA_ENDPOINTS",
            "help": "Rasa endpoints file; endpoints.scale.yml for PostgreSQL tracker and Redis lock store.",
        },
    )
    model_path: Path = field(
        default=ROOT / "models" / "current.tar.gz",
        metadata={"env": "RASA_MODEL", "help": "Trained Rasa model that `lotsen run` serves."},
    )
    postgres_host: str = field(
        default="",
        metadata={
            "env": "POSTGRES_HOST",
            "help": "PostgreSQL host of the scaled mode; empty: `lotsen run-scaled` starts its own.",
        },
    )
    postgres_port: int = field(
        default=55432,
        metadata={"env": "POSTGRES_PORT", "help": "PostgreSQL port of the scaled mode."},
    )
    postgres_db: str = field(
        default="lotsen", metadata={"env": "POSTGRES_DB", "help": "PostgreSQL database of the tracker store."}
    )
    postgres_user: str = field(
        default="lotsen", metadata={"env": "POSTGRES_USER", "help": "PostgreSQL user of the tracker store."}
    )
    postgres_password: str = field(
        default="lotsen",
        metadata={"env": "POSTGRES_PASSWORD", "help": "Password of POSTGRES_USER."},
    )
    redis_host: str = field(
        default="",
        metadata={
            "env": "REDIS_HOST",
            "help": "Redis host of the scaled mode's lock store; empty: `lotsen run-scaled` starts its own.",
        },
    )
    redis_port: int = field(
        default=56379, metadata={"env": "REDIS_PORT", "help": "Redis port of the scaled mode."}
    )
    scale_dir: Path = field(
        default=ROOT / "var" / "scale",
        metadata={
            "env": "SCALE_DIR",
            "help": "Where `lotsen run-scaled` keeps its PostgreSQL data, Redis and nginx files.",
        },
    )
    retention_days: int = field(
        default=90,
        metadata={
            "env": "RETENTION_DAYS",
            "help": "Days of inactivity after which a conversation is deleted (checked hourly); 0 keeps all.",
        },
    )
    privacy_url: str = field(
        default="",
        metadata={
            "env": "PRIVACY_URL",
            "help": "Link to the privacy notice, shown in the widget's one-line notice (demo page).",
        },
    )
    today: str = field(
        default="",
        metadata={
            "env": "LOTSEN_TODAY",
            "help": (
                "Override today's date (YYYY-MM-DD) for deciding if a call is open and for the advisor's "
                "dates; for tests, demos."
            ),
        },
    )
    telegram_bot_token: str = field(
        default="",
        metadata={
            "env": "TELEGRAM_BOT_TOKEN",
            "help": "Bot token from @BotFather; Telegram runs only when set.",
        },
    )
    telegram_webhook_url: str = field(
        default="",
        metadata={
            "env": "TELEGRAM_WEBHOOK_URL",
            "help": "Public HTTPS URL for webhook mode; empty means long polling.",
        },
    )
    telegram_webhook_secret: str = field(
        default="",
        metadata={
            "env": "TELEGRAM_WEBHOOK_SECRET",
            "help": "Secret token Telegram sends with each webhook call.",
        },
    )
    telegram_webhook_port: int = field(
        default=8443,
        metadata={"env": "TELEGRAM_WEBHOOK_PORT", "help": "Local port the webhook listener binds to."},
    )
    telegram_api_base_url: str = field(
        default="",
        metadata={
            "env": "TELEGRAM_API_BASE_URL",
            "help": "Bot API base URL (self-hosted Bot API server or a test fake); empty means Telegram's.",
        },
    )

    @classmethod
    def from_env(cls) -> Settings:
        """Read every field from its environment variable, falling back to the default."""
        values: dict[str, object] = {}
        for f in dataclasses.fields(cls):
            raw = os.environ.get(f.metadata["env"], "").strip()
            if not raw:
                continue
            if f.type in ("int", int):
                values[f.name] = int(raw)
            elif f.type in ("Path", Path):
                values[f.name] = Path(raw)
            else:
                values[f.name] = raw
        if "rasa_url" not in values and "rasa_port" in values:
            # The front ends follow the Rasa server's port unless RASA_URL says otherwise.
            values["rasa_url"] = f"http://localhost:{values['rasa_port']}"
        return cls(**values)  # type: ignore[arg-type]

    def today_date(self) -> dt.date:
        """The date used to decide whether a call is open."""
        return dt.date.fromisoformat(self.today) if self.today else dt.date.today()


def get_settings() -> Settings:
    """Settings from the current environment (read anew each call, so tests can patch os.environ)."""
    return Settings.from_env()
