"""Webhook mode: a small aiohttp listener that checks Telegram's secret token and queues updates.

python-telegram-bot's own run_webhook needs tornado, which the project doesn't install; aiohttp
is already there (Rasa uses it), and the listener is a dozen lines.
"""

from __future__ import annotations

import hmac
import logging
import re
import secrets
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Handler
from telegram import Update
from telegram.ext import Application

LOGGER = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
LISTEN_HOST = "0.0.0.0"
"""All interfaces, so a reverse proxy or a container port mapping can reach the listener."""
_VALID_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


class WebhookConfigError(Exception):
    """TELEGRAM_WEBHOOK_URL or TELEGRAM_WEBHOOK_SECRET can't be used."""


def webhook_secret(configured: str) -> str:
    """The configured secret, checked against Telegram's rules, or a random one for this run."""
    if not configured:
        return secrets.token_urlsafe(32)
    if not _VALID_SECRET.fullmatch(configured):
        raise WebhookConfigError(
            "TELEGRAM_WEBHOOK_SECRET may only hold 1-256 characters A-Z, a-z, 0-9, _ and -"
        )
    return configured


def check_webhook_url(url: str) -> None:
    """Raise WebhookConfigError unless url is an http(s) URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise WebhookConfigError(
            f"TELEGRAM_WEBHOOK_URL is not a URL: {url!r} (e.g. https://example.org/telegram)"
        )


async def start_webhook(
    application: Application, url: str, port: int, secret: str, allowed_updates: list[str]
) -> web.AppRunner:
    """Listen on port, then ask Telegram to deliver updates to url with the secret token.

    Every path is accepted, so a reverse proxy may rewrite the public URL's path; the secret
    token is what authenticates a call.
    """
    check_webhook_url(url)
    listener = web.Application()
    listener.router.add_post("/{path:.*}", _receiver(application, secret))
    runner = web.AppRunner(listener, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, LISTEN_HOST, port).start()
        await application.bot.set_webhook(url, secret_token=secret, allowed_updates=allowed_updates)
    except BaseException:
        await runner.cleanup()
        raise
    LOGGER.info("Receiving Telegram updates at %s (listening on port %d)", url, port)
    return runner


def _receiver(application: Application, secret: str) -> Handler:
    async def receive(request: web.Request) -> web.StreamResponse:
        """Queue one update; 403 without the right secret token, 400 for a body that isn't one."""
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            LOGGER.warning("Rejected a webhook call from %s: wrong secret token", request.remote)
            return web.Response(status=403)
        try:
            data = await request.json()
            update = Update.de_json(data, application.bot) if isinstance(data, dict) else None
        except (ValueError, TypeError, KeyError, AttributeError):
            update = None
        if update is None:
            LOGGER.warning("Rejected a webhook call that is not a Telegram update")
            return web.Response(status=400)
        await application.update_queue.put(update)
        return web.Response()

    return receive
