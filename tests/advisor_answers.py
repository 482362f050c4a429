"""Free-text answers through the consultation's parser, as the form reads them (for the advisor tests)."""

from __future__ import annotations

from typing import Any

from bot.advisor import parse_answer, slot_updates


def answers(opening: str, **later: str) -> dict[str, Any]:
    """The opening's values, then each later answer parsed as the answer to its question."""
    values = dict(parse_answer(opening).values)
    for slot, text in later.items():
        values.update(slot_updates(values, parse_answer(text, expected=slot)))
    return values
