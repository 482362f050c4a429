"""`lotsen telegram`: run the Telegram front end."""

from __future__ import annotations

import argparse
import logging


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register `lotsen telegram`."""
    parser = sub.add_parser(
        "telegram",
        help="run the Telegram bot (long polling, or a webhook when TELEGRAM_WEBHOOK_URL is set)",
        description=(
            "Run the Telegram front end: forwards private chats to Rasa's REST channel at RASA_URL. "
            "Needs TELEGRAM_BOT_TOKEN. Uses long polling unless TELEGRAM_WEBHOOK_URL is set; "
            "TELEGRAM_API_BASE_URL points it at a self-hosted Bot API server. Stops on Ctrl-C or SIGTERM."
        ),
        epilog="Example: TELEGRAM_BOT_TOKEN=123456:ABC-your-token lotsen telegram",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Configure logging and run until stopped."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # httpx logs each request URL at INFO, and Bot API URLs contain the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    from bot.telegram.app import main

    return main()
