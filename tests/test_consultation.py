"""The production-strategy consultation over REST against the real Rasa and action servers."""

from __future__ import annotations

import uuid

import pytest
from conftest import Assistant, buttons, texts

from bot.actions.advice import ADVISOR_SLOTS
from bot.advisor import question_for
from bot.kb import KnowledgeBase

pytestmark = pytest.mark.e2e


def asked(replies: list[dict[str, object]]) -> str | None:
    """The consultation question the replies end with, by slot."""
    text = texts(replies)
    found = [slot for slot in ADVISOR_SLOTS if question_for(slot).text in text]
    return found[-1] if found else None


def recommendation(replies: list[dict[str, object]], kb: KnowledgeBase) -> str:
    """The recommendation text, checked to name next steps and an actor or support from the KB."""
    text = texts(replies)
    assert "Rekommendation" in text and "Nästa steg" in text
    names = [e.title for e in kb.all() if e.kind in ("actor", "support")]
    assert any(name in text for name in names), "names at least one actor or support"
    return text


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase()


def test_consultation_with_buttons_only(assistant: Assistant, kb: KnowledgeBase) -> None:
    user = f"advice-{uuid.uuid4().hex[:8]}"
    replies = assistant.say(user, "/start_consultation")
    for _ in range(len(ADVISOR_SLOTS)):
        if asked(replies) is None:
            break
        replies = assistant.say(user, buttons(replies)[1]["payload"])  # the second option each time
    recommendation(replies, kb)


def test_consultation_in_free_text_with_skip_side_question_and_change(
    assistant: Assistant, kb: KnowledgeBase
) -> None:
    user = f"advice-{uuid.uuid4().hex[:8]}"
    replies = assistant.say(user, "jag behöver hjälp att välja produktionsstrategi")
    assert asked(replies) == "stage"
    replies = assistant.say(user, "vi har en fungerande prototyp")
    assert asked(replies) == "product_type"
    replies = assistant.say(user, "det är elektronik")
    assert asked(replies) == "volume"
    replies = assistant.say(user, "kanske 3000 om året")
    assert asked(replies) == "capability"
    side = assistant.say(user, "vad är en nollserie?")
    assert kb.get("nollserie").summary in texts(side) and asked(side) == "capability"
    replies = assistant.say(user, "vet inte")
    assert asked(replies) == "capital"
    changed = assistant.say(user, "jag menar 5000 per år")
    assert "5 000" in texts(changed) and asked(changed) == "capital"
    replies = assistant.say(user, "runt en miljon")
    for answer in ("inom ett år", "inte särskilt känslig", "kontroll och kvalitet"):
        if asked(replies) is None:
            break
        replies = assistant.say(user, answer)
    text = recommendation(replies, kb)
    assert "5 000" in text and "hoppade över" in text
    again = texts(assistant.say(user, "kan jag få sammanfattningen igen"))
    assert again.strip() == [t for t in (r["text"] for r in replies) if "Rekommendation" in t][0].strip()


def test_one_rich_message_fills_several_answers(assistant: Assistant) -> None:
    user = f"advice-{uuid.uuid4().hex[:8]}"
    replies = assistant.say(
        user,
        "hjälp mig välja produktionsstrategi: vi har en prototyp i plast, räknar med 10 000 st per år, "
        "ingen egen verkstad och vill hålla kostnaden nere",
    )
    assert asked(replies) not in ("stage", "product_type", "volume", "capability", None)


def test_stop_ends_the_consultation(assistant: Assistant) -> None:
    user = f"advice-{uuid.uuid4().hex[:8]}"
    assert asked(assistant.say(user, "/start_consultation")) == "stage"
    stopped = texts(assistant.say(user, "avbryt"))
    assert "avbryter" in stopped
    assert assistant.say(user, "Hej")[0]["text"].startswith("Hej!")
