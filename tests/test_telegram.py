"""The Telegram front end, run as a real python-telegram-bot Application against the fake Bot API
(tests/fake_bot_api.py) and a scripted Rasa REST channel; the e2e tests use the real Rasa."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import re
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiohttp import web
from fake_bot_api import (
    SECRET_HEADER,
    FakeBotApi,
    ThreadedServer,
    free_port,
    group_chat,
    parse_html,
    utf16_len,
)

from bot import edge
from bot.settings import ROOT, Settings
from bot.telegram.app import bot_api_urls, build_application, main, serve
from bot.telegram.formatting import CALLBACK_DATA_LIMIT, Button, CallbackTable, keyboard, split_text, to_html
from bot.telegram.messages import Messages, MessagesError
from bot.telegram.rasa_client import RasaClient, RasaUnavailable
from bot.telegram.ratelimit import RateLimiter, Verdict
from bot.telegram.relay import Relay, RetryPolicy

CHAT = 4242
SENDER = f"tg-{CHAT}"
TEXTS = Messages.load()
FAST = RetryPolicy(
    attempts=2,
    backoff=0.05,
    timeout=5.0,
    slow_notice_after=3.0,
    retry_after=0.2,
    retry_max=0.5,
    shutdown_grace=0.5,
)
LONG_PAYLOAD = '/ask_entry{"kb_entry":"almi-innovationslan","aspect":"who_can_apply","source":"meny"}'
SWEDISH = re.compile(r"[åäöÅÄÖ]|\b(jag|du|och|att|kan|är|hej|vad|med)\b", re.IGNORECASE)


class FakeRasa(ThreadedServer):
    """Rasa's REST channel, scripted: `answers[message]`, else an echo. Records what it receives."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: dict[str, list[dict[str, Any]]] = {}
        self.received: list[tuple[str, str]] = []
        self.status = 200
        self.delay = 0.0

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/webhooks/rest/webhook", self._webhook)

    def messages(self) -> list[str]:
        return [message for sender, message in self.received if sender == SENDER]

    async def _webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.received.append((body["sender"], body["message"]))
        await asyncio.sleep(self.delay)
        if self.status != 200:
            return web.json_response({"error": "boom"}, status=self.status)
        replies = self.answers.get(body["message"], [{"text": f"Du skrev: {body['message']}"}])
        return web.json_response([{"recipient_id": body["sender"], **reply} for reply in replies])


class RunningBot:
    """serve() in a background thread with its own event loop, stopped like SIGTERM stops main()."""

    def __init__(
        self, settings: Settings, policy: RetryPolicy = FAST, limiter: RateLimiter | None = None
    ) -> None:
        self._settings = settings
        self._policy = policy
        self._limiter = limiter
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._error: BaseException | None = None

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:  # re-raised in the test's thread by __exit__
            self._error = exc
            self._ready.set()

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        self._ready.set()
        application = build_application(self._settings, policy=self._policy, limiter=self._limiter)
        await serve(application, self._settings, self._stop)

    def __enter__(self) -> RunningBot:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._loop is not None and self._stop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)
        assert not self._thread.is_alive(), "the bot did not stop"
        if self._error is not None:
            raise self._error


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def settings_for(api: FakeBotApi, rasa_url: str, **changes: Any) -> Settings:
    return dataclasses.replace(
        Settings(),
        telegram_bot_token=api.token,
        telegram_api_base_url=api.base_url,
        rasa_url=rasa_url,
        **changes,
    )


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        yield fake


@pytest.fixture
def rasa() -> Iterator[FakeRasa]:
    with FakeRasa() as fake:
        yield fake


@pytest.fixture
def bot(api: FakeBotApi, rasa: FakeRasa) -> Iterator[FakeBotApi]:
    """A polling bot on the fake Bot API and the scripted Rasa; yields the fake API to talk through."""
    with RunningBot(settings_for(api, rasa.url)):
        api.wait_for("getUpdates")
        yield api


def errors(api: FakeBotApi) -> list[str]:
    """Every call Telegram would have rejected."""
    return [f"{c.method}: {c.params['error']}" for c in api.calls() if "error" in c.params]


# Conversations ---------------------------------------------------------------------------------


def web_greeting() -> dict[str, Any]:
    """The greeting the web widget shows on first open: utter_greet, with its buttons."""
    responses = yaml.safe_load((ROOT / "domain" / "conversation.yml").read_text(encoding="utf-8"))[
        "responses"
    ]
    return responses["utter_greet"][0]


def test_start_restarts_quietly_and_greets_with_the_web_greetings_buttons(
    bot: FakeBotApi, rasa: FakeRasa
) -> None:
    greeting = web_greeting()
    rasa.answers["/restart"] = []
    rasa.answers["/greet"] = [{"text": greeting["text"], "buttons": greeting["buttons"]}]
    bot.send_text(CHAT, "/start")
    shown = bot.wait_for_text(CHAT, greeting["text"])
    assert rasa.messages() == ["/restart", "/greet"]
    assert bot.sent_texts(CHAT) == [greeting["text"]]
    rows = shown.params["reply_markup"]["inline_keyboard"]
    assert [row[0]["text"] for row in rows] == [b["title"] for b in greeting["buttons"]]
    assert len(rows) == 2
    assert {c["command"]: c["description"] for c in bot.commands} == TEXTS.commands
    assert set(TEXTS.commands) == {"start", "hjalp", "ny", "avbryt"}


def test_start_welcomes_in_our_own_words_when_rasa_greets_with_nothing(
    bot: FakeBotApi, rasa: FakeRasa
) -> None:
    rasa.answers["/restart"] = []
    rasa.answers["/greet"] = []
    bot.send_text(CHAT, "/start")
    bot.wait_for_text(CHAT, TEXTS.welcome.strip())
    assert bot.sent_texts(CHAT) == [TEXTS.welcome.strip()]


def test_text_goes_to_rasa_and_the_answer_comes_back_with_typing(bot: FakeBotApi, rasa: FakeRasa) -> None:
    rasa.answers["Hej"] = [{"text": "Hej! Vad vill du tillverka?"}, {"text": "Fråga gärna om stöd."}]
    bot.send_text(CHAT, "Hej")
    bot.wait_for_text(CHAT, "Fråga gärna om stöd.")
    assert bot.sent_texts(CHAT) == ["Hej! Vad vill du tillverka?", "Fråga gärna om stöd."]
    assert rasa.received == [(SENDER, "Hej")]
    assert [c.params["action"] for c in bot.calls("sendChatAction", CHAT)][:1] == ["typing"]


@pytest.mark.parametrize(("typed", "entities"), [("/hjalp", True), ("/hjälp", True), ("/hjalp", False)])
def test_help_lists_the_commands(bot: FakeBotApi, typed: str, entities: bool) -> None:
    bot.send_text(CHAT, typed, entities=entities)
    shown = bot.wait_for("sendMessage", chat_id=CHAT)[0].params["visible"]
    assert all(f"/{name}" in shown for name in TEXTS.commands)


@pytest.mark.parametrize(
    "reply",
    [
        "Belopp <100 000 kr> & krav: 50 % medfinansiering",
        "Läs mer på https://example.org/a_b?x=1&y=<2> eller skriv *stjärna* och _understreck_",
        "Skriv </b> eller <script>alert(1)</script> &amp; &nbsp;",
    ],
)
def test_rasa_text_never_breaks_the_parse_mode(bot: FakeBotApi, rasa: FakeRasa, reply: str) -> None:
    rasa.answers["fråga"] = [{"text": reply}]
    bot.send_text(CHAT, "fråga")
    call = bot.wait_for("sendMessage", chat_id=CHAT)[0]
    assert errors(bot) == []
    assert call.params["visible"] == reply


def test_markdown_links_become_links(bot: FakeBotApi, rasa: FakeRasa) -> None:
    rasa.answers["länk"] = [{"text": "Se [Almis sida](https://www.almi.se/lan?a=1&b=2) för villkor."}]
    bot.send_text(CHAT, "länk")
    call = bot.wait_for("sendMessage", chat_id=CHAT)[0]
    assert '<a href="https://www.almi.se/lan?a=1&amp;b=2">Almis sida</a>' in call.params["text"]
    assert call.params["visible"] == "Se Almis sida för villkor."


def test_long_answers_are_split_under_telegrams_limit(bot: FakeBotApi, rasa: FakeRasa) -> None:
    paragraph = "Prototyp 🔧 och nollserie är två steg på vägen till serietillverkning. " * 12
    answer = "\n\n".join([paragraph.strip()] * 12)
    rasa.answers["lång"] = [{"text": answer}]
    bot.send_text(CHAT, "lång")
    bot.wait_for("sendMessage", chat_id=CHAT, count=len(split_text(answer)))
    parts = bot.sent_texts(CHAT)
    assert len(parts) >= 3
    assert errors(bot) == []
    assert all(utf16_len(p) <= 4096 for p in parts)
    assert " ".join(parts).split() == answer.split()


def test_a_button_tap_round_trips(bot: FakeBotApi, rasa: FakeRasa) -> None:
    rasa.answers["vad kan du"] = [
        {
            "text": "Jag kan hjälpa till med:",
            "buttons": [
                {"title": "Vem kan söka innovationslån?", "payload": LONG_PAYLOAD},
                {"title": "Hitta en tillverkare", "payload": "/ask_find_manufacturer"},
            ],
        }
    ]
    rasa.answers[LONG_PAYLOAD] = [{"text": "Företag med högst 250 anställda kan söka."}]
    bot.send_text(CHAT, "vad kan du")
    shown = bot.wait_for_text(CHAT, "Jag kan hjälpa till med:")
    rows = shown.params["reply_markup"]["inline_keyboard"]
    assert [row[0]["text"] for row in rows] == ["Vem kan söka innovationslån?", "Hitta en tillverkare"]

    bot.tap(CHAT, "Vem kan söka innovationslån?")
    bot.wait_for_text(CHAT, "Företag med högst 250 anställda kan söka.")
    assert bot.wait_for("answerCallbackQuery")
    assert bot.wait_for("editMessageReplyMarkup", chat_id=CHAT)[0].params.get("reply_markup") in (None, "")
    assert TEXTS.button_chosen.format(title="Vem kan söka innovationslån?") in bot.sent_texts(CHAT)
    assert rasa.messages() == ["vad kan du", LONG_PAYLOAD]
    assert errors(bot) == []


def test_a_temporary_error_gets_a_button_that_sends_the_message_again(
    bot: FakeBotApi, rasa: FakeRasa
) -> None:
    failed = edge.temporary_error_reply(SENDER)
    rasa.answers["vi har en prototyp"] = [{"text": failed["text"], "custom": failed["custom"]}]
    bot.send_text(CHAT, "vi har en prototyp")
    shown = bot.wait_for_text(CHAT, "Tillfälligt fel")
    rows = shown.params["reply_markup"]["inline_keyboard"]
    assert [row[0]["text"] for row in rows] == [TEXTS.resend]

    rasa.answers["vi har en prototyp"] = [{"text": "Vad för slags produkt är det?"}]
    bot.tap(CHAT, TEXTS.resend)
    bot.wait_for_text(CHAT, "Vad för slags produkt är det?")
    assert rasa.messages() == ["vi har en prototyp", "vi har en prototyp"]
    assert errors(bot) == []


def test_a_message_over_the_channels_limit_is_not_forwarded(bot: FakeBotApi, rasa: FakeRasa) -> None:
    bot.send_text(CHAT, "a" * (edge.MAX_MESSAGE_CHARS + 1))
    bot.wait_for_text(CHAT, "för långt")
    bot.send_text(CHAT, "Hej")
    bot.wait_for_text(CHAT, "Du skrev: Hej")
    assert rasa.messages() == ["Hej"]


def test_a_button_that_is_not_on_the_message_is_refused(bot: FakeBotApi, rasa: FakeRasa) -> None:
    rasa.answers["meny"] = [{"text": "Välj:", "buttons": [{"title": "Ja", "payload": "/affirm"}]}]
    bot.send_text(CHAT, "meny")
    bot.wait_for_text(CHAT, "Välj:")
    bot.tap(CHAT, "Ja", data="/restart")
    answer = bot.wait_for("answerCallbackQuery")[0]
    assert answer.params.get("text") == TEXTS.button_expired
    assert rasa.messages() == ["meny"]
    assert errors(bot) == []


@pytest.mark.parametrize("kind", ["photo", "sticker", "voice", "document", "location"])
def test_media_gets_a_friendly_reply(bot: FakeBotApi, rasa: FakeRasa, kind: str) -> None:
    bot.send_media(CHAT, kind, caption="Vad tycker du?" if kind == "photo" else "")
    assert bot.wait_for("sendMessage", chat_id=CHAT)[0].params["visible"] == TEXTS.unsupported.strip()
    assert rasa.received == []


def test_an_update_the_library_cannot_read_is_skipped_not_fetched_forever(
    bot: FakeBotApi, rasa: FakeRasa
) -> None:
    # A poll in an older Bot API shape: python-telegram-bot 22 requires fields it lacks.
    poll = {
        "id": "5",
        "question": "Fråga?",
        "options": [{"text": "a", "voter_count": 0}],
        "total_voter_count": 0,
        "is_closed": False,
        "is_anonymous": True,
        "type": "regular",
        "allows_multiple_answers": False,
    }
    chat = {"id": CHAT, "first_name": "Anna", "type": "private"}
    sender = {"id": CHAT, "is_bot": False, "first_name": "Anna"}
    bot.push({"message": {"message_id": 900, "from": sender, "chat": chat, "date": 1795465646, "poll": poll}})
    assert bot.wait_for("sendMessage", chat_id=CHAT)[0].params["visible"] == TEXTS.unsupported.strip()
    bot.send_text(CHAT, "Hej")
    bot.wait_for_text(CHAT, "Du skrev: Hej")
    assert rasa.messages() == ["Hej"]


def test_an_edited_message_gets_a_friendly_reply(bot: FakeBotApi, rasa: FakeRasa) -> None:
    sent = bot.send_text(CHAT, "Hej")
    bot.wait_for_text(CHAT, "Du skrev: Hej")
    bot.edit_text(CHAT, sent["message"]["message_id"], "Hej igen")
    bot.wait_for_text(CHAT, TEXTS.edited.strip())
    assert rasa.messages() == ["Hej"]


def test_groups_get_a_pointer_to_a_private_chat_only_when_addressed(bot: FakeBotApi, rasa: FakeRasa) -> None:
    group = group_chat(-1001234)
    bot.send_text(-1001234, "hej allihop, någon som vet en bra legotillverkare?", chat=group)
    bot.send_text(-1001234, "/start@en_annan_bot", chat=group)
    bot.send_text(-1001234, "@lotsen_test_bot vad kan du?", chat=group)
    reply = bot.wait_for("sendMessage", chat_id=-1001234)[0].params["visible"]
    bot.send_text(CHAT, "Hej")
    bot.wait_for_text(CHAT, "Du skrev: Hej")
    assert reply == TEXTS.private_only.format(username="lotsen_test_bot").strip()
    assert len(bot.calls("sendMessage", -1001234)) == 1
    assert rasa.received == [(SENDER, "Hej")]


def test_ny_restarts_the_conversation_and_avbryt_cancels(bot: FakeBotApi, rasa: FakeRasa) -> None:
    rasa.answers["/restart"] = []
    rasa.answers["/greet"] = [{"text": "Hej! Vad vill du veta?"}]
    rasa.answers["/stop"] = [{"text": "Okej, rådgivningen är avbruten."}]
    bot.send_text(CHAT, "/ny")
    bot.wait_for_text(CHAT, "Hej! Vad vill du veta?")
    bot.send_text(CHAT, "/avbryt")
    bot.wait_for_text(CHAT, "Okej, rådgivningen är avbruten.")
    rasa.answers["/stop"] = []
    bot.send_text(CHAT, "/avbryt")
    bot.wait_for_text(CHAT, TEXTS.cancelled)
    assert rasa.messages() == ["/restart", "/greet", "/stop", "/stop"]
    assert bot.sent_texts(CHAT) == [
        TEXTS.restarted,
        "Hej! Vad vill du veta?",
        "Okej, rådgivningen är avbruten.",
        TEXTS.cancelled,
    ]


@pytest.mark.parametrize("typed", ['/ask_entry{"kb_entry":"almi"}', "/okänt", " /{}"])
def test_text_that_would_name_a_rasa_intent_is_not_sent_to_rasa(
    bot: FakeBotApi, rasa: FakeRasa, typed: str
) -> None:
    bot.send_text(CHAT, typed)
    bot.wait_for_text(CHAT, TEXTS.unknown_command)
    assert rasa.received == []


def test_rasa_down_keeps_the_messages_and_answers_when_it_is_back(bot: FakeBotApi, rasa: FakeRasa) -> None:
    rasa.pause()
    bot.send_text(CHAT, "Hej")
    bot.wait_for_text(CHAT, TEXTS.unavailable.strip())
    bot.send_text(CHAT, "Finns det stöd för automation?")
    bot.wait_for_text(CHAT, TEXTS.kept.format(count=2))
    rasa.resume()
    bot.wait_for_text(CHAT, "Du skrev: Finns det stöd för automation?")
    bot.send_text(CHAT, "Tack")
    bot.wait_for_text(CHAT, "Du skrev: Tack")
    assert bot.sent_texts(CHAT) == [
        TEXTS.unavailable.strip(),
        TEXTS.kept.format(count=2),
        TEXTS.back,
        "Du skrev: Hej",
        "Du skrev: Finns det stöd för automation?",
        "Du skrev: Tack",
    ]


def test_writing_during_an_outage_retries_at_once(api: FakeBotApi, rasa: FakeRasa) -> None:
    patient = dataclasses.replace(FAST, retry_after=120.0, retry_max=120.0)
    with RunningBot(settings_for(api, rasa.url), policy=patient):
        rasa.pause()
        api.send_text(CHAT, "Hej")
        api.wait_for_text(CHAT, TEXTS.unavailable.strip())
        rasa.resume()
        api.send_text(CHAT, "Hallå?")
        # The retry policy would wait 120 s; 40 s proves the new message retried at
        # once while leaving room for a loaded machine (it failed once at 10 s).
        api.wait_for_text(CHAT, "Du skrev: Hallå?", timeout=40)
    assert rasa.messages()[-2:] == ["Hej", "Hallå?"]


def test_stopping_with_unanswered_messages_tells_the_user(api: FakeBotApi, rasa: FakeRasa) -> None:
    with RunningBot(settings_for(api, rasa.url)):
        rasa.pause()
        api.send_text(CHAT, "Hej")
        api.wait_for_text(CHAT, TEXTS.unavailable.strip())
    assert api.sent_texts(CHAT)[-1] == TEXTS.shutdown.strip()


def test_rasa_server_errors_count_as_down(bot: FakeBotApi, rasa: FakeRasa) -> None:
    rasa.status = 500
    bot.send_text(CHAT, "Hej")
    bot.wait_for_text(CHAT, TEXTS.unavailable.strip())
    rasa.status = 200
    bot.wait_for_text(CHAT, "Du skrev: Hej")


def test_slow_rasa_gets_a_notice_then_the_answer(api: FakeBotApi, rasa: FakeRasa) -> None:
    rasa.delay = 1.0
    with RunningBot(settings_for(api, rasa.url), policy=dataclasses.replace(FAST, slow_notice_after=0.2)):
        api.send_text(CHAT, "Hej")
        api.wait_for_text(CHAT, "Du skrev: Hej")
    assert api.sent_texts(CHAT) == [TEXTS.slow, "Du skrev: Hej"]
    assert len(api.calls("sendChatAction", CHAT)) >= 1


def test_a_flood_is_rate_limited_with_one_polite_message(api: FakeBotApi, rasa: FakeRasa) -> None:
    clock = Clock()
    with RunningBot(settings_for(api, rasa.url), limiter=RateLimiter(limit=3, window=60, clock=clock)):
        for number in range(6):
            api.send_text(CHAT, f"spam {number}")
        api.wait_for_text(CHAT, TEXTS.rate_limited.strip())
        api.wait_for_text(CHAT, "Du skrev: spam 2")
        clock.now += 61
        api.send_text(CHAT, "Nu en riktig fråga")
        api.wait_for_text(CHAT, "Du skrev: Nu en riktig fråga")
    assert rasa.messages() == ["spam 0", "spam 1", "spam 2", "Nu en riktig fråga"]
    assert api.sent_texts(CHAT).count(TEXTS.rate_limited.strip()) == 1


# Webhook mode ----------------------------------------------------------------------------------


def _post_update(url: str, update: dict[str, Any], secret: str | None) -> int:
    headers = {"Content-Type": "application/json", **({SECRET_HEADER: secret} if secret is not None else {})}
    request = urllib.request.Request(url, data=json.dumps(update).encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_webhook_mode_rejects_a_wrong_secret_token(api: FakeBotApi, rasa: FakeRasa) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    settings = settings_for(
        api,
        rasa.url,
        telegram_webhook_url=url,
        telegram_webhook_port=port,
        telegram_webhook_secret="r1ktig-Hemlighet_42",
    )
    update = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 1700000000,
            "chat": {"id": CHAT, "type": "private"},
            "from": {"id": CHAT, "is_bot": False, "first_name": "Testare"},
            "text": "Smygande",
        },
    }
    with RunningBot(settings):
        webhook = api.wait_for("setWebhook")[0].params
        assert (webhook["url"], webhook["secret_token"]) == (url, "r1ktig-Hemlighet_42")
        assert _post_update(url, update, "fel-hemlighet") == 403
        assert _post_update(url, update, None) == 403
        assert _post_update(url, {"hej": 1}, "r1ktig-Hemlighet_42") == 400
        api.send_text(CHAT, "Hej via webhook")
        api.wait_for_text(CHAT, "Du skrev: Hej via webhook")
    assert api.webhook_statuses == [200]
    assert rasa.messages() == ["Hej via webhook"]
    assert api.calls("getUpdates") == []


def test_a_webhook_secret_telegram_would_refuse_stops_the_start(api: FakeBotApi) -> None:
    settings = settings_for(
        api,
        "http://127.0.0.1:9",
        telegram_webhook_url="https://example.org/tg",
        telegram_webhook_secret="med mellanslag",
    )
    assert main(settings) == 2
    assert api.calls() == []


# The command line ------------------------------------------------------------------------------


def _lotsen_telegram(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "telegram"],
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_lotsen_telegram_without_a_token_says_what_to_set() -> None:
    process = _lotsen_telegram({"TELEGRAM_BOT_TOKEN": ""})
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 2
    assert "TELEGRAM_BOT_TOKEN is not set" in output


def test_lotsen_telegram_answers_and_stops_on_sigterm(api: FakeBotApi, rasa: FakeRasa) -> None:
    env = {
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_BASE_URL": api.url,
        "TELEGRAM_WEBHOOK_URL": "",
        "RASA_URL": rasa.url,
    }
    process = _lotsen_telegram(env)
    try:
        api.wait_for("getUpdates", timeout=60)
        api.send_text(CHAT, "Hej")
        api.wait_for_text(CHAT, "Du skrev: Hej")
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == 0, output
    assert api.token not in output


# Pieces ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "a < b & c > d",
        "en **fet** _kursiv_ `kod` [trasig](länk) <b>inte en tagg</b>.",
        "Citat \"så här\" och 'så här' &lt; redan escapat",
        "Se [Tillväxtverket](https://tillvaxtverket.se/finansiering/utlysningar) och https://x.se/?a=1&b=2",
    ],
)
def test_to_html_is_accepted_by_telegrams_parser(text: str) -> None:
    visible = parse_html(to_html(text))
    assert visible == re.sub(r"\[([^\]]+)\]\((https://[^)]+)\)", r"\1", text).replace("**", "")


SUMMARY = """Rekommendation: Svensk legotillverkare – börja med en nollserie
Lägg ut tillverkningen på en svensk legotillverkare <ISO 9001> & **snabbt**.

Nästa steg:
1. Gör en DFM-genomgång.
• Elektriska produkter: lågspänningsdirektivet.
Vägen framåt: idé → prototyp"""


def test_titles_and_bold_become_b_tags_and_everything_else_is_escaped() -> None:
    shown = to_html(SUMMARY)
    assert parse_html(shown) == SUMMARY.replace("**", "")
    assert re.findall(r"<b>(.*?)</b>", shown) == [
        "Rekommendation: Svensk legotillverkare – börja med en nollserie",
        "snabbt",
        "Nästa steg:",
    ]
    assert "&lt;ISO 9001&gt; &amp;" in shown


@pytest.mark.parametrize(
    "text",
    [
        "Almis innovationslån – vem kan söka: Företag i Sverige.",
        "Hej! Jag är Produktionslotsen.",
        "Svaret är: ja\n",
        "• Fas: Prototyp\n• Produkt: elektronik",
    ],
)
def test_sentences_and_list_items_are_not_titles(text: str) -> None:
    assert "<b>" not in to_html(text)


def test_split_text_respects_the_limit_for_emoji_and_words_without_spaces() -> None:
    text = "🚀" * 3000 + " " + "x" * 9000
    parts = split_text(text)
    assert all(utf16_len(p) <= 4096 for p in parts)
    assert "".join(parts).replace(" ", "") == text.replace(" ", "")


def test_long_payloads_get_short_callback_data_that_maps_back() -> None:
    table = CallbackTable()
    buttons = [Button("Lång", LONG_PAYLOAD), Button("Kort", "/affirm")]
    markup = keyboard(buttons, table)
    data = [row[0].callback_data for row in markup.inline_keyboard]
    assert all(len(d.encode()) <= CALLBACK_DATA_LIMIT for d in data)
    assert [table.button_for(d, None) for d in data] == buttons


def test_after_a_restart_only_short_payloads_on_the_tapped_keyboard_are_accepted() -> None:
    markup = keyboard([Button("Lång", LONG_PAYLOAD), Button("Kort", "/affirm")], CallbackTable())
    long_data, short_data = (row[0].callback_data for row in markup.inline_keyboard)
    forgetful = CallbackTable()
    assert forgetful.button_for(short_data, markup) == Button("Kort", "/affirm")
    assert forgetful.button_for(long_data, markup) is None
    assert forgetful.button_for("/restart", markup) is None


def test_rate_limiter_tells_once_and_recovers_after_the_window() -> None:
    clock = Clock()
    limiter = RateLimiter(limit=2, window=10, clock=clock)
    verdicts = [limiter.check(1) for _ in range(4)] + [limiter.check(2)]
    clock.now += 11
    assert verdicts == [Verdict.ALLOW, Verdict.ALLOW, Verdict.DENY_AND_TELL, Verdict.DENY, Verdict.ALLOW]
    assert limiter.check(1) is Verdict.ALLOW


@pytest.mark.parametrize(
    "configured",
    [
        "http://127.0.0.1:8081",
        "http://127.0.0.1:8081/",
        "http://127.0.0.1:8081/bot",
        "http://127.0.0.1:8081/bot/",
    ],
)
def test_api_base_url_accepts_the_server_root_or_the_bot_prefix(configured: str) -> None:
    assert bot_api_urls(configured) == ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot")


def test_rasa_client_retries_then_reports_unavailable(rasa: FakeRasa) -> None:
    rasa.status = 503

    async def ask() -> None:
        client = RasaClient(rasa.url, attempts=3, backoff=0.01)
        try:
            await client.send(SENDER, "Hej")
        finally:
            await client.aclose()

    with pytest.raises(RasaUnavailable):
        asyncio.run(ask())
    assert rasa.messages() == ["Hej", "Hej", "Hej"]


def test_messages_file_with_a_missing_text_names_the_key(tmp_path: Path) -> None:
    broken = tmp_path / "messages.yml"
    text = (ROOT / "bot" / "telegram" / "messages.yml").read_text(encoding="utf-8")
    broken.write_text(re.sub(r"(?m)^welcome:", "valkommen:", text), encoding="utf-8")
    with pytest.raises(MessagesError, match="'welcome' is missing"):
        Messages.load(broken)


# The real assistant ----------------------------------------------------------------------------


NOTICES = {TEXTS.slow, TEXTS.unavailable.strip(), TEXTS.error, TEXTS.no_reply}


def _answer_after(api: FakeBotApi, earlier: Any) -> str:
    """The first message after `earlier` that is Rasa's answer rather than one of our notices."""
    return api.wait_for(
        "sendMessage",
        chat_id=CHAT,
        where=lambda c: (
            c.params.get("message_id", 0) > earlier.params["message_id"]
            and c.params.get("visible") not in NOTICES
        ),
        timeout=90,
    )[0].params["visible"]


@pytest.mark.e2e
def test_real_rasa_start_ends_a_consultation_and_greets_with_buttons(api: FakeBotApi, assistant: Any) -> None:
    with RunningBot(settings_for(api, assistant.rasa_url), policy=RetryPolicy()):
        api.wait_for("getUpdates", timeout=30)
        api.send_text(CHAT, "hjälp mig välja produktionsstrategi")
        api.wait_for("sendMessage", chat_id=CHAT, timeout=90)
        api.send_text(CHAT, "/start")
        start = api.wait_for_text(CHAT, web_greeting()["text"])
        api.send_text(CHAT, "Hej")
        greeting = _answer_after(api, start)
    rows = start.params["reply_markup"]["inline_keyboard"]
    assert [row[0]["text"] for row in rows] == [b["title"] for b in web_greeting()["buttons"]]
    assert SWEDISH.search(greeting)
    assert "förstod jag inte" not in greeting, "the consultation was still running after /start"
    assert errors(api) == []


@pytest.mark.e2e
def test_real_rasa_button_tap_round_trips(api: FakeBotApi, assistant: Any) -> None:
    with RunningBot(settings_for(api, assistant.rasa_url), policy=RetryPolicy()):
        api.wait_for("getUpdates", timeout=30)
        api.send_text(CHAT, "vad kan du hjälpa mig med")
        menu = api.wait_for(
            "sendMessage", chat_id=CHAT, where=lambda c: "reply_markup" in c.params, timeout=90
        )[0]
        title = menu.params["reply_markup"]["inline_keyboard"][0][0]["text"]
        api.tap(CHAT, title)
        echo = api.wait_for_text(CHAT, TEXTS.button_chosen.format(title=title))
        answer = _answer_after(api, echo)
    assert api.wait_for("answerCallbackQuery")
    assert SWEDISH.search(answer)
    assert errors(api) == []


def test_telegrams_flood_control_is_waited_out_not_lost() -> None:
    from telegram.error import RetryAfter

    class FloodedBot:
        """A bot whose first send hits Telegram's 429."""

        def __init__(self) -> None:
            self.sent: list[str] = []
            self.refusals = 1

        async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> None:
            if self.refusals:
                self.refusals -= 1
                raise RetryAfter(0)
            self.sent.append(text)

    flooded = FloodedBot()
    relay = Relay(flooded, None, Messages.load(), RetryPolicy())  # type: ignore[arg-type]
    asyncio.run(relay.send_text(CHAT, "Hej & välkommen"))
    assert flooded.sent == ["Hej &amp; välkommen"]
