"""A local fake of the Telegram Bot API for tests.

An aiohttp server on 127.0.0.1 (free port, own thread and event loop) that speaks the Bot API's
HTTP protocol well enough for python-telegram-bot: getUpdates long polling over a queue of
updates in Telegram's JSON shape (or delivery to a webhook once setWebhook was called), the
sending methods the bot uses, and the checks real Telegram makes that a bot can fail (message
length, HTML entities, callback data size, answering unknown callback queries). Every call is
recorded so tests can wait for it and assert on it.

    with FakeBotApi() as api:            # api.base_url -> TELEGRAM_API_BASE_URL, api.token
        api.send_text(42, "Hej")
        call = api.wait_for("sendMessage", chat_id=42)
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web

TOKEN = "123456789:AAFakeTokenForTests-0123456789abcdef"
BOT_USER = {
    "id": 123456789,
    "is_bot": True,
    "first_name": "Produktionslotsen",
    "username": "lotsen_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MESSAGE_LIMIT = 4096
CALLBACK_DATA_LIMIT = 64
# Form fields that are plain strings; python-telegram-bot JSON-encodes every other value.
_STRING_FIELDS = {
    "text",
    "caption",
    "parse_mode",
    "url",
    "secret_token",
    "callback_query_id",
    "action",
    "language_code",
    "ip_address",
    "inline_message_id",
}
_HTML_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "span",
    "tg-spoiler",
    "tg-emoji",
    "blockquote",
}
_TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*>"
)
_ENTITY = re.compile(r"&(?:#(\d+)|#x([0-9a-fA-F]+)|(lt|gt|amp|quot));")
_CHAT_ACTIONS = {
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
}


class ApiError(Exception):
    """A Bot API error answer: the status code and Telegram's description."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


@dataclass(frozen=True)
class Call:
    """One recorded Bot API call."""

    method: str
    params: dict[str, Any]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def utf16_len(text: str) -> int:
    """Length as Telegram counts it."""
    return len(text.encode("utf-16-le")) // 2


def parse_html(text: str) -> str:
    """The visible text of a parse_mode=HTML message, or ApiError as Telegram would answer."""
    visible: list[str] = []
    open_tags: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "<":
            match = _TAG.match(text, index)
            if not match or match.group(2).lower() not in _HTML_TAGS:
                raise _entity_error(f"Unsupported start tag at byte offset {index}")
            name = match.group(2).lower()
            if match.group(1):
                if not open_tags or open_tags.pop() != name:
                    raise _entity_error(f'Unmatched end tag "{name}" at byte offset {index}')
            else:
                if name == "a" and "href" not in match.group(3):
                    raise _entity_error(f"Can't find href of a link at byte offset {index}")
                open_tags.append(name)
            index = match.end()
        elif char == "&":
            match = _ENTITY.match(text, index)
            if not match:
                raise _entity_error(f"Character '&' is reserved and must be escaped at byte offset {index}")
            visible.append(html.unescape(match.group(0)))
            index = match.end()
        elif char == ">":
            raise _entity_error(f"Character '>' is reserved and must be escaped at byte offset {index}")
        else:
            visible.append(char)
            index += 1
    if open_tags:
        raise _entity_error(f'Can\'t find end tag corresponding to start tag "{open_tags[-1]}"')
    return "".join(visible)


def _entity_error(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: can't parse entities: {detail}")


def user(user_id: int) -> dict[str, Any]:
    """A Telegram user as in updates."""
    return {"id": user_id, "is_bot": False, "first_name": "Testare", "language_code": "sv"}


def private_chat(chat_id: int) -> dict[str, Any]:
    """A private chat; its id equals the user's id."""
    return {"id": chat_id, "type": "private", "first_name": "Testare"}


def group_chat(chat_id: int) -> dict[str, Any]:
    """A supergroup chat (negative id, as in Telegram)."""
    return {"id": chat_id, "type": "supergroup", "title": "Tillverkargruppen"}


MEDIA: dict[str, dict[str, Any]] = {
    "photo": {
        "photo": [
            {"file_id": "AgAD-small", "file_unique_id": "s1", "width": 90, "height": 67, "file_size": 1200},
            {
                "file_id": "AgAD-large",
                "file_unique_id": "l1",
                "width": 1280,
                "height": 960,
                "file_size": 98000,
            },
        ]
    },
    "sticker": {
        "sticker": {
            "file_id": "CAAD-sticker",
            "file_unique_id": "st1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
        }
    },
    "voice": {
        "voice": {"file_id": "AwAD-voice", "file_unique_id": "v1", "duration": 3, "mime_type": "audio/ogg"}
    },
    "document": {
        "document": {
            "file_id": "BQAD-doc",
            "file_unique_id": "d1",
            "file_name": "ritning.pdf",
            "mime_type": "application/pdf",
            "file_size": 52000,
        }
    },
    "location": {"location": {"latitude": 59.3293, "longitude": 18.0686}},
}


class ThreadedServer:
    """An aiohttp application served on 127.0.0.1 from a background thread with its own loop."""

    def __init__(self) -> None:
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def routes(self, app: web.Application) -> None:
        """Add the server's routes."""
        raise NotImplementedError

    def start(self) -> None:
        self._thread.start()
        self.resume()

    def pause(self) -> None:
        """Stop listening: clients now get 'connection refused'."""
        self.call(self._stop_site())

    def resume(self) -> None:
        """Listen again on the same port."""
        self.call(self._start_site())

    def stop(self) -> None:
        if self._thread.is_alive():
            self.call(self._stop_site())
            self.call(_cancel_other_tasks())
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(timeout=10)
        self.loop.close()

    def call(self, coro: Coroutine[Any, Any, Any], timeout: float = 30.0) -> Any:
        """Run coro on the server's loop and return its result."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    async def _start_site(self) -> None:
        app = web.Application()
        self.routes(app)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.2)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def _stop_site(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def __enter__(self) -> ThreadedServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class FakeBotApi(ThreadedServer):
    """The fake Bot API server. Point python-telegram-bot at base_url with token."""

    def __init__(self, token: str = TOKEN) -> None:
        super().__init__()
        self.token = token
        self.commands: list[dict[str, Any]] = []
        self.webhook: dict[str, Any] | None = None
        self.webhook_statuses: list[int] = []
        self._calls: list[Call] = []
        self._recorded = threading.Condition()
        self._updates: list[dict[str, Any]] = []
        self._new_update: asyncio.Event | None = None
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._chats: dict[int, dict[str, Any]] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._open_queries: set[str] = set()

    def __enter__(self) -> FakeBotApi:
        self.start()
        return self

    @property
    def base_url(self) -> str:
        """The Bot API base, as python-telegram-bot's base_url wants it."""
        return f"{self.url}/bot"

    def routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/bot{token}/{method}", self._handle)

    # What a user does ------------------------------------------------------------------------

    def send_text(
        self,
        chat_id: int,
        text: str,
        *,
        chat: dict[str, Any] | None = None,
        reply_to_bot: bool = False,
        entities: bool = True,
    ) -> dict[str, Any]:
        """The user sends text; commands and @mentions carry entities, as Telegram adds them
        (entities=False leaves them out, as a less faithful client or fake might)."""
        fields: dict[str, Any] = {"text": text}
        entities = _entities(text) if entities else []
        if entities:
            fields["entities"] = entities
        if reply_to_bot:
            fields["reply_to_message"] = self.call(self._last_bot_message(chat_id))
        return self.push({"message": self._user_message(chat_id, chat, fields)})

    def send_media(self, chat_id: int, kind: str, *, caption: str = "") -> dict[str, Any]:
        """The user sends a photo, sticker, voice message, document or location (see MEDIA)."""
        fields = dict(MEDIA[kind])
        if caption:
            fields["caption"] = caption
        return self.push({"message": self._user_message(chat_id, None, fields)})

    def edit_text(self, chat_id: int, message_id: int, text: str) -> dict[str, Any]:
        """The user edits an earlier message."""
        message = self._user_message(chat_id, None, {"text": text}, message_id=message_id)
        message["edit_date"] = int(time.time())
        return self.push({"edited_message": message})

    def tap(self, chat_id: int, title: str, *, data: str | None = None) -> dict[str, Any]:
        """The user taps the newest button titled `title` in chat_id; `data` overrides its callback
        data, as a stale or forged button would."""
        message, button_data = self.call(self._find_button(chat_id, title))
        query_id = str(next(self._query_ids) * 1000003)
        self._open_queries.add(query_id)
        query = {
            "id": query_id,
            "from": user(chat_id),
            "message": message,
            "chat_instance": f"-{chat_id}77",
            "data": button_data if data is None else data,
        }
        return self.push({"callback_query": query})

    def push(self, body: dict[str, Any]) -> dict[str, Any]:
        """Queue an update (or deliver it to the webhook); returns it with its update_id."""
        return self.call(self._enqueue(body))

    # What the bot did ------------------------------------------------------------------------

    def calls(self, method: str | None = None, chat_id: int | None = None) -> list[Call]:
        """Recorded calls, oldest first, optionally only of one method and one chat."""
        with self._recorded:
            return [c for c in self._calls if _matches(c, method, chat_id)]

    def sent_texts(self, chat_id: int) -> list[str]:
        """The visible text of every message sent to chat_id, oldest first."""
        return [c.params["visible"] for c in self.calls("sendMessage", chat_id) if "visible" in c.params]

    def wait_for(
        self,
        method: str,
        *,
        chat_id: int | None = None,
        count: int = 1,
        where: Callable[[Call], bool] = lambda call: True,
        timeout: float = 20.0,
    ) -> list[Call]:
        """Block until at least `count` matching calls were made; return them."""
        deadline = time.monotonic() + timeout
        with self._recorded:
            while True:
                found = [c for c in self._calls if _matches(c, method, chat_id) and where(c)]
                left = deadline - time.monotonic()
                if len(found) >= count or left <= 0:
                    break
                self._recorded.wait(left)
        if len(found) < count:
            seen = "\n".join(f"  {c.method} {c.params}" for c in self.calls())
            raise AssertionError(f"expected {count} {method} call(s), got {len(found)}; calls:\n{seen}")
        return found

    def wait_for_text(self, chat_id: int, fragment: str, timeout: float = 20.0) -> Call:
        """Block until a message containing fragment was sent to chat_id."""
        return self.wait_for(
            "sendMessage",
            chat_id=chat_id,
            where=lambda c: fragment in c.params.get("visible", ""),
            timeout=timeout,
        )[0]

    # The server ------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params = await _params(request)
        handler = getattr(self, f"_api_{method.lower()}", None)
        try:
            if handler is None:
                raise ApiError(404, "Not Found")
            result = await handler(params)
        except ApiError as exc:
            self._record(method, {**params, "error": exc.description})
            return web.json_response(
                {"ok": False, "error_code": exc.code, "description": exc.description}, status=exc.code
            )
        return web.json_response({"ok": True, "result": result})

    def _record(self, method: str, params: dict[str, Any]) -> None:
        with self._recorded:
            self._calls.append(Call(method, params))
            self._recorded.notify_all()

    async def _api_getme(self, params: dict[str, Any]) -> Any:
        self._record("getMe", params)
        return BOT_USER

    async def _api_getupdates(self, params: dict[str, Any]) -> Any:
        self._record("getUpdates", params)
        if self.webhook:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = int(params.get("offset") or 0)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        allowed = params.get("allowed_updates") or []
        if allowed:
            self._updates = [u for u in self._updates if set(u) - {"update_id"} <= set(allowed)]
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        while not self._updates and time.monotonic() < deadline:
            self._update_event().clear()
            try:
                await asyncio.wait_for(self._update_event().wait(), deadline - time.monotonic())
            except asyncio.TimeoutError:
                break
        return self._updates[: int(params.get("limit") or 100)]

    async def _api_sendmessage(self, params: dict[str, Any]) -> Any:
        text = str(params.get("text", ""))
        try:
            if not str(params.get("chat_id", "")).lstrip("-").isdigit():
                raise ApiError(400, "Bad Request: chat not found")
            visible = parse_html(text) if params.get("parse_mode") == "HTML" else text
            if not visible.strip():
                raise ApiError(400, "Bad Request: message text is empty")
            if utf16_len(visible) > MESSAGE_LIMIT:
                raise ApiError(400, "Bad Request: message is too long")
            _check_markup(params.get("reply_markup"))
        except ApiError as exc:
            self._record("sendMessage", {**params, "error": exc.description})
            raise
        message = self._bot_message(int(params["chat_id"]), visible, params.get("reply_markup"))
        self._record("sendMessage", {**params, "visible": visible, "message_id": message["message_id"]})
        return message

    async def _api_sendchataction(self, params: dict[str, Any]) -> Any:
        self._record("sendChatAction", params)
        if params.get("action") not in _CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    async def _api_answercallbackquery(self, params: dict[str, Any]) -> Any:
        self._record("answerCallbackQuery", params)
        query_id = str(params.get("callback_query_id"))
        if query_id not in self._open_queries:
            raise ApiError(
                400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        self._open_queries.discard(query_id)
        return True

    async def _api_editmessagereplymarkup(self, params: dict[str, Any]) -> Any:
        self._record("editMessageReplyMarkup", params)
        message = self._messages.get((int(params.get("chat_id", 0)), int(params.get("message_id", 0))))
        if message is None or message["from"]["id"] != BOT_USER["id"]:
            raise ApiError(400, "Bad Request: message to edit not found")
        markup = params.get("reply_markup") or None
        if markup == message.get("reply_markup") or (markup or {}).get("inline_keyboard") == []:
            raise ApiError(400, "Bad Request: message is not modified")
        _check_markup(markup)
        if markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        return message

    async def _api_setmycommands(self, params: dict[str, Any]) -> Any:
        self._record("setMyCommands", params)
        commands = params.get("commands") or []
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command.get("command", "")):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands = commands
        return True

    async def _api_getmycommands(self, params: dict[str, Any]) -> Any:
        self._record("getMyCommands", params)
        return self.commands

    async def _api_setwebhook(self, params: dict[str, Any]) -> Any:
        self._record("setWebhook", params)
        secret = params.get("secret_token") or ""
        if secret and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        if not str(params.get("url", "")).startswith(("http://", "https://")):
            raise ApiError(400, "Bad Request: invalid webhook URL specified")
        self.webhook = {"url": params["url"], "secret_token": secret}
        return True

    async def _api_deletewebhook(self, params: dict[str, Any]) -> Any:
        self._record("deleteWebhook", params)
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _api_getwebhookinfo(self, params: dict[str, Any]) -> Any:
        self._record("getWebhookInfo", params)
        url = self.webhook["url"] if self.webhook else ""
        return {"url": url, "has_custom_certificate": False, "pending_update_count": len(self._updates)}

    async def _api_logout(self, params: dict[str, Any]) -> Any:
        self._record("logOut", params)
        return True

    async def _api_close(self, params: dict[str, Any]) -> Any:
        self._record("close", params)
        return True

    # Internals -------------------------------------------------------------------------------

    def _update_event(self) -> asyncio.Event:
        if self._new_update is None:
            self._new_update = asyncio.Event()
        return self._new_update

    async def _enqueue(self, body: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._update_ids), **body}
        if self.webhook:
            await self._deliver(update)
        else:
            self._updates.append(update)
            self._update_event().set()
        return update

    async def _deliver(self, update: dict[str, Any]) -> None:
        assert self.webhook is not None
        headers = {SECRET_HEADER: self.webhook["secret_token"]} if self.webhook["secret_token"] else {}
        try:
            async with aiohttp.ClientSession() as session:
                async with session.post(self.webhook["url"], json=update, headers=headers) as response:
                    self.webhook_statuses.append(response.status)
        except aiohttp.ClientError:
            self.webhook_statuses.append(0)

    def _user_message(
        self, chat_id: int, chat: dict[str, Any] | None, fields: dict[str, Any], message_id: int | None = None
    ) -> dict[str, Any]:
        chat = chat or private_chat(chat_id)
        self._chats[chat["id"]] = chat
        sender = user(chat_id if chat["type"] == "private" else 1001)
        message_id = message_id or next(self._message_ids)
        return {"message_id": message_id, "from": sender, "chat": chat, "date": int(time.time()), **fields}

    def _bot_message(self, chat_id: int, text: str, markup: dict[str, Any] | None) -> dict[str, Any]:
        message = {
            "message_id": next(self._message_ids),
            "from": BOT_USER,
            "chat": self._chats.get(chat_id, private_chat(chat_id)),
            "date": int(time.time()),
            "text": text,
        }
        if markup:
            message["reply_markup"] = markup
        self._messages[(chat_id, message["message_id"])] = message
        return message

    async def _last_bot_message(self, chat_id: int) -> dict[str, Any]:
        return [m for (chat, _), m in self._messages.items() if chat == chat_id][-1]

    async def _find_button(self, chat_id: int, title: str) -> tuple[dict[str, Any], str]:
        messages = [m for (chat, _), m in self._messages.items() if chat == chat_id]
        for message in reversed(messages):
            for row in message.get("reply_markup", {}).get("inline_keyboard", []):
                for button in row:
                    if button.get("text") == title:
                        return json.loads(json.dumps(message)), button["callback_data"]
        raise AssertionError(f"no button {title!r} in chat {chat_id}")


async def _cancel_other_tasks() -> None:
    """Cancel what is still running on the loop (e.g. a long poll), so it stops cleanly."""
    tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def _matches(call: Call, method: str | None, chat_id: int | None) -> bool:
    if method is not None and call.method != method:
        return False
    return chat_id is None or str(call.params.get("chat_id")) == str(chat_id)


def _entities(text: str) -> list[dict[str, Any]]:
    """bot_command and mention entities, as Telegram attaches them to a user's message."""
    entities = []
    for match in re.finditer(r"(?<!\S)(/[a-zA-Z0-9_]{1,32}(?:@[a-zA-Z0-9_]+)?|@[a-zA-Z0-9_]{5,32})", text):
        kind = "bot_command" if match.group(0).startswith("/") else "mention"
        offset = utf16_len(text[: match.start()])
        entities.append({"type": kind, "offset": offset, "length": utf16_len(match.group(0))})
    return entities


def _check_markup(markup: Any) -> None:
    """Reject inline keyboards that Telegram would reject."""
    if not markup or "inline_keyboard" not in markup:
        return
    for row in markup["inline_keyboard"]:
        for button in row:
            if not button.get("text"):
                raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= CALLBACK_DATA_LIMIT:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")


async def _params(request: web.Request) -> dict[str, Any]:
    """The call's parameters from the query string and a JSON, urlencoded or multipart body."""
    params: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        params.update(await request.json())
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        params.update((await request.post()).items())
    return {key: _decode(key, value) for key, value in params.items()}


def _decode(key: str, value: Any) -> Any:
    if not isinstance(value, str) or key in _STRING_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value
