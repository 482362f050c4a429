"""The Telegram front end: a python-telegram-bot Application that talks to Rasa's REST channel.

Private chats only. Text goes to Rasa (see relay.py); commands, buttons, media, edits and group
chats are handled here. Long polling by default; webhook mode when TELEGRAM_WEBHOOK_URL is set.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import signal
from collections.abc import Awaitable, Callable
from typing import Any, cast

from telegram import BotCommand, CallbackQuery, Message, Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.edge import MAX_MESSAGE_CHARS, swedish_number
from bot.settings import Settings, get_settings
from bot.telegram.messages import Messages
from bot.telegram.rasa_client import RasaClient
from bot.telegram.ratelimit import RateLimiter, Verdict
from bot.telegram.rating import is_rating, mark_rated
from bot.telegram.relay import Relay, RetryPolicy
from bot.telegram.tolerant import TolerantBot
from bot.telegram.webhook import WebhookConfigError, check_webhook_url, start_webhook, webhook_secret

LOGGER = logging.getLogger(__name__)
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
POLL_TIMEOUT = dt.timedelta(seconds=10)
RASA_RESTART = "/restart"
"""Rasa's built-in intent that resets the conversation."""
RASA_GREET = "/greet"
RASA_STOP = "/stop"
"""The intent the dialogue maps to cancelling a running consultation (form)."""
RELAY, MESSAGES, LIMITER = "relay", "messages", "limiter"


def _relay(context: ContextTypes.DEFAULT_TYPE) -> Relay:
    return context.bot_data[RELAY]


def _messages(context: ContextTypes.DEFAULT_TYPE) -> Messages:
    return context.bot_data[MESSAGES]


def _chat_id(update: Update) -> int:
    """The chat of an update that the handler's filters guarantee has one."""
    assert update.effective_chat is not None
    return update.effective_chat.id


async def limit_rate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop updates beyond the per-chat limit; the user hears about it once per flood."""
    if update.effective_chat is None:
        return
    verdict = context.bot_data[LIMITER].check(update.effective_chat.id)
    if verdict is Verdict.ALLOW:
        return
    if update.callback_query:
        await _acknowledge(update.callback_query)
    if verdict is Verdict.DENY_AND_TELL:
        await _relay(context).send_text(update.effective_chat.id, _messages(context).rate_limited)
    raise ApplicationHandlerStop


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Start a fresh conversation: restart it in Rasa quietly, then Rasa's greeting with its buttons."""
    # The same greeting and buttons as the web widget's first open; an unfinished consultation ends.
    await _relay(context).submit(_chat_id(update), RASA_RESTART, fallback="")
    await _relay(context).submit(_chat_id(update), RASA_GREET, _messages(context).welcome)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the commands and a few example questions."""
    await _relay(context).send_text(_chat_id(update), _messages(context).help)


async def restart(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Restart the conversation in Rasa, then let Rasa greet."""
    await _relay(context).submit(_chat_id(update), RASA_RESTART, _messages(context).restarted)
    await _relay(context).submit(_chat_id(update), RASA_GREET)


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Cancel a running consultation in Rasa."""
    await _relay(context).submit(_chat_id(update), RASA_STOP, _messages(context).cancelled)


COMMANDS: dict[str, Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]] = {
    "start": start,
    "hjalp": help_command,
    "hjälp": help_command,
    "ny": restart,
    "avbryt": cancel,
}


async def other_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command without Telegram's command entity, or /hjälp typed in Swedish; anything else that
    starts with '/' gets a pointer to /hjalp and never reaches Rasa, where it would name an intent."""
    assert update.message is not None and update.message.text is not None
    name, _, target = update.message.text.split(maxsplit=1)[0].lstrip("/").partition("@")
    handler = COMMANDS.get(name.lower())
    if handler is not None and target.lower() in ("", (context.bot.username or "").lower()):
        await handler(update, context)
    else:
        await _relay(context).send_text(_chat_id(update), _messages(context).unknown_command)


async def text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Forward a text message to Rasa."""
    assert update.message is not None and update.message.text is not None
    message = update.message.text
    if len(message) > MAX_MESSAGE_CHARS:
        too_long = _messages(context).too_long.format(
            length=swedish_number(len(message)), limit=swedish_number(MAX_MESSAGE_CHARS)
        )
        await _relay(context).send_text(_chat_id(update), too_long)
        return
    await _relay(context).submit(_chat_id(update), message)


async def unsupported(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Photos, stickers, voice, files and the like: say that only text is read."""
    await _relay(context).send_text(_chat_id(update), _messages(context).unsupported)


async def unreadable(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An update the library couldn't read (see tolerant.py): tell the user, if we know the chat."""
    chats = getattr(context.bot, "unreadable_chats", {})
    if update.update_id in chats and update.effective_chat is None:
        chat_id = chats.pop(update.update_id)
        if chat_id is not None:
            await _relay(context).send_text(chat_id, _messages(context).unsupported)


async def edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An edited message: ask the user to send it again as a new message."""
    await _relay(context).send_text(_chat_id(update), _messages(context).edited)


async def group_chat(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In a group, answer only when addressed, and then only with a pointer to a private chat."""
    message = update.message
    if message is not None and _addressed(message, context.bot.username, context.bot.id):
        text = _messages(context).private_only.format(username=context.bot.username)
        await _relay(context).send_text(message.chat_id, text)


def _addressed(message: Message, username: str, bot_id: int) -> bool:
    """A command meant for this bot, an @mention of it, or a reply to one of its messages."""
    content = message.text or message.caption or ""
    first_word = content.split(maxsplit=1)[0] if content.strip() else ""
    replied_to = message.reply_to_message
    return (
        (first_word.startswith("/") and first_word.partition("@")[2].lower() in ("", username.lower()))
        or f"@{username}".lower() in content.lower()
        or (replied_to is not None and replied_to.from_user is not None and replied_to.from_user.id == bot_id)
    )


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A tapped button: acknowledge it, remove the keyboard, echo the choice, send its payload on."""
    query = update.callback_query
    assert query is not None
    chat = update.effective_chat
    markup = query.message.reply_markup if isinstance(query.message, Message) else None
    chosen = _relay(context).buttons(chat.id).button_for(query.data or "", markup) if chat else None
    if chat is None or chosen is None:
        await _acknowledge(query, _messages(context).button_expired)
        return
    await _acknowledge(query)
    if is_rating(chosen.payload):
        # 👍/👎: the keyboard shows the choice and stays, so the rating can be changed (rating.py).
        await mark_rated(query, _messages(context))
        await _relay(context).submit(chat.id, chosen.payload)
        return
    with contextlib.suppress(TelegramError):
        await query.edit_message_reply_markup(reply_markup=None)
    await _relay(context).send_text(chat.id, _messages(context).button_chosen.format(title=chosen.title))
    await _relay(context).submit(chat.id, chosen.payload)


async def _acknowledge(query: CallbackQuery, text: str | None = None) -> None:
    """Stop the button's spinner; an old query can't be answered any more, which is harmless."""
    try:
        await query.answer(text)
    except TelegramError as exc:
        LOGGER.debug("Could not answer callback query: %s", exc)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure and tell the user something useful instead of nothing."""
    LOGGER.error("Failed to handle an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        with contextlib.suppress(TelegramError):
            await _relay(context).send_text(update.effective_chat.id, _messages(context).error)


async def register_commands(application: Application) -> None:
    """Show the commands, with their Swedish descriptions, in Telegram's menu."""
    commands = [
        BotCommand(name, description) for name, description in application.bot_data[MESSAGES].commands.items()
    ]
    try:
        await application.bot.set_my_commands(commands)
    except TelegramError as exc:
        LOGGER.warning("Could not register the command menu: %s", exc)


def bot_api_urls(base: str) -> tuple[str, str]:
    """The Bot API and file URLs python-telegram-bot wants, from a server root or a URL ending in /bot."""
    root = base.rstrip("/")
    root = root[: -len("/bot")] if root.endswith("/bot") else root
    return f"{root}/bot", f"{root}/file/bot"


def build_application(
    settings: Settings,
    *,
    policy: RetryPolicy | None = None,
    limiter: RateLimiter | None = None,
    messages: Messages | None = None,
) -> Application:
    """The Application with every handler; it talks to the Bot API at settings' base URL."""
    urls = {}
    if settings.telegram_api_base_url:
        api_url, file_url = bot_api_urls(settings.telegram_api_base_url)
        urls = {"base_url": api_url, "base_file_url": file_url}
    tolerant = TolerantBot(settings.telegram_bot_token, **urls)
    application = Application.builder().bot(tolerant).job_queue(None).build()
    policy = policy or RetryPolicy()
    messages = messages or Messages.load()
    rasa = RasaClient(
        settings.rasa_url, timeout=policy.timeout, attempts=policy.attempts, backoff=policy.backoff
    )
    application.bot_data[MESSAGES] = messages
    application.bot_data[RELAY] = Relay(application.bot, rasa, messages, policy)
    application.bot_data[LIMITER] = limiter or RateLimiter()
    _add_handlers(application)
    return application


def _add_handlers(application: Application) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(TypeHandler(Update, limit_rate), group=-1)
    application.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE & private, edited))
    application.add_handler(MessageHandler(filters.UpdateType.MESSAGE & ~private, group_chat))
    for name, handler in COMMANDS.items():
        if name.isascii():
            application.add_handler(CommandHandler(name, cast(Any, handler), filters=private))
    application.add_handler(MessageHandler(filters.Regex(r"^\s*/") & private, other_command))
    application.add_handler(MessageHandler(filters.TEXT & private, text))
    application.add_handler(
        MessageHandler(filters.UpdateType.MESSAGE & private & ~filters.StatusUpdate.ALL, unsupported)
    )
    application.add_handler(CallbackQueryHandler(button))
    application.add_handler(TypeHandler(Update, unreadable))
    application.add_error_handler(on_error)


async def serve(application: Application, settings: Settings, stop: asyncio.Event) -> None:
    """Run until stop is set: long polling, or a webhook listener when TELEGRAM_WEBHOOK_URL is set."""
    async with application:
        await register_commands(application)
        await application.start()
        try:
            if settings.telegram_webhook_url:
                secret = webhook_secret(settings.telegram_webhook_secret)
                listener = await start_webhook(
                    application,
                    settings.telegram_webhook_url,
                    settings.telegram_webhook_port,
                    secret,
                    ALLOWED_UPDATES,
                )
                try:
                    await stop.wait()
                finally:
                    await listener.cleanup()
            else:
                assert application.updater is not None
                await application.updater.start_polling(timeout=POLL_TIMEOUT, allowed_updates=ALLOWED_UPDATES)
                LOGGER.info("Polling Telegram for updates as @%s", application.bot.username)
                try:
                    await stop.wait()
                finally:
                    await application.updater.stop()
        finally:
            await application.stop()
            await application.bot_data[RELAY].close()


async def _serve_until_signal(application: Application, settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await serve(application, settings, stop)


def main(settings: Settings | None = None) -> int:
    """Run the Telegram front end until SIGINT or SIGTERM; return an exit code."""
    settings = settings or get_settings()
    if not settings.telegram_bot_token:
        LOGGER.error(
            "TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and set it to run the Telegram bot"
        )
        return 2
    try:
        if settings.telegram_webhook_url:
            check_webhook_url(settings.telegram_webhook_url)
            webhook_secret(settings.telegram_webhook_secret)
        asyncio.run(_serve_until_signal(build_application(settings), settings))
    except WebhookConfigError as exc:
        LOGGER.error("%s", exc)
        return 2
    except InvalidToken:
        LOGGER.error("Telegram rejected TELEGRAM_BOT_TOKEN: check the token from @BotFather")
        return 1
    except TelegramError as exc:
        LOGGER.error("The Telegram Bot API could not be reached or refused a request: %s", exc)
        return 1
    except OSError as exc:
        LOGGER.error("Could not listen on TELEGRAM_WEBHOOK_PORT %d: %s", settings.telegram_webhook_port, exc)
        return 1
    return 0
