"""Faults of the fourth persona evaluation that only show in the running dialogue: an answer the NLU
mistakes for "stop" must not end the consultation, and the product type can be corrected in free text
after the recommendation, which then changes."""

from __future__ import annotations

import uuid

from conftest import Assistant, texts
from test_consultation import asked

from bot.actions.advice import CHECK_SLOT


def new_user() -> str:
    return f"advice4-{uuid.uuid4().hex[:8]}"


def skip_to(assistant: Assistant, user: str, first: str, slot: str) -> list[dict[str, object]]:
    """Start the consultation with `first` and answer "vet inte" (or yes to a check) until `slot` is asked."""
    replies = assistant.say(user, first)
    for _ in range(20):
        current = asked(replies)
        if current in (slot, None):
            break
        replies = assistant.say(user, "Ja, det stämmer" if current == CHECK_SLOT else "vet inte")
    assert asked(replies) == slot, texts(replies)
    return replies


def test_a_staged_market_answer_does_not_end_the_consultation(assistant: Assistant) -> None:
    user = new_user()
    skip_to(assistant, user, "/start_consultation", "markets")
    replies = assistant.say(user, "EU först, USA längre fram")
    assert "avbryter" not in texts(replies)
    assert asked(replies) not in (None, "markets"), texts(replies)
    # An explicit stop still stops.
    assert "avbryter" in texts(assistant.say(user, "avbryt"))


def test_the_product_type_is_corrected_after_the_recommendation(assistant: Assistant) -> None:
    user = new_user()
    first = "vi bygger rostfria filterenheter i metall, ca 50 st per år, och vi monterar själva"
    replies = assistant.say(user, first)
    for _ in range(20):
        current = asked(replies)
        if current is None:
            break
        replies = assistant.say(user, "Ja, det stämmer" if current == CHECK_SLOT else "vet inte")
    before = texts(replies)
    assert "Rekommendation: " in before
    assert "maskin" not in before.lower()
    after = texts(assistant.say(user, "jag menar att den är en maskin"))
    assert "maskin" in after.lower()
    regulations = texts(assistant.say(user, '/advisor_more{"advice_part": "regulations"}'))
    assert "Maskiner" in regulations and "utan CE-krav" not in regulations
