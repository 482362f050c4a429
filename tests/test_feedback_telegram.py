"""👍/👎 on Telegram: the row under a rateable answer, the edited keyboard, the payload sent to Rasa."""

from __future__ import annotations

import json

import test_telegram
from fake_bot_api import FakeBotApi
from test_telegram import CHAT, TEXTS, FakeRasa

# The Telegram tests' fixtures: the fake Bot API, the scripted Rasa, the bot between them.
api, rasa, bot = test_telegram.api, test_telegram.rasa, test_telegram.bot

ANSWER = (
    "Almis innovationslån – belopp: upp till 2 miljoner.\n\nKälla: https://www.almi.se (avser 2024-01-01)"
)
MARKER = {"answer": "almi-innovationslan", "ref": "1a2b3c4d"}
RELATED = {"title": "Almi", "payload": '/ask_entry{"kb_entry": "almi"}'}


def keyboard_texts(markup: dict) -> list[list[str]]:
    return [[b["text"] for b in row] for row in markup["inline_keyboard"]]


def test_a_rateable_answer_gets_thumbs_that_rate_it_and_stay_changeable(
    bot: FakeBotApi, rasa: FakeRasa
) -> None:
    rasa.answers["hur mycket lånar almi ut?"] = [{"text": ANSWER, "buttons": [RELATED], "rating": MARKER}]
    rasa.answers["hej"] = [{"text": "Hej!"}]
    bot.send_text(CHAT, "hej")
    assert "reply_markup" not in bot.wait_for_text(CHAT, "Hej!").params  # not an answer: no thumbs
    bot.send_text(CHAT, "hur mycket lånar almi ut?")
    shown = bot.wait_for_text(CHAT, "Almis innovationslån")
    assert keyboard_texts(shown.params["reply_markup"]) == [["Almi"], [TEXTS.rate_up, TEXTS.rate_down]]

    bot.tap(CHAT, TEXTS.rate_down)
    edited = bot.wait_for("editMessageReplyMarkup", chat_id=CHAT)[0].params["reply_markup"]
    assert keyboard_texts(edited) == [["Almi"], [TEXTS.rate_up, TEXTS.rated.format(title=TEXTS.rate_down)]]
    bot.wait_for_text(CHAT, "Du skrev: /rate_answer")  # the fake Rasa echoes what it got
    sent = json.loads(rasa.messages()[-1].removeprefix("/rate_answer"))
    assert sent == {"rating": "down", **MARKER}
    assert TEXTS.button_chosen.format(title=TEXTS.rate_down) not in bot.sent_texts(CHAT)

    bot.tap(CHAT, TEXTS.rate_up)  # changed mind: the same keyboard, the other choice marked
    edited = bot.wait_for("editMessageReplyMarkup", chat_id=CHAT, count=2)[1].params["reply_markup"]
    assert keyboard_texts(edited)[-1] == [TEXTS.rated.format(title=TEXTS.rate_up), TEXTS.rate_down]
    bot.wait_for_text(CHAT, '"rating":"up"')
    assert json.loads(rasa.messages()[-1].removeprefix("/rate_answer"))["rating"] == "up"
