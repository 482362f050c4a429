"""Which words start the consultation over: "börja om", "från början" said as a restart, but not a priority
that says "från början" ("göra rätt regulatoriskt från början" restarted a medical-device consultation)."""

from __future__ import annotations

import pytest

from bot.actions.advice import _START_OVER
from bot.swedish import fold


@pytest.mark.parametrize(
    "text",
    ["kan vi börja om?", "börja från början", "vi tar det från början", "från början igen", "nollställ"],
)
def test_asking_to_start_over(text: str) -> None:
    assert _START_OVER.search(fold(text))


@pytest.mark.parametrize(
    "text",
    ["göra rätt regulatoriskt från början", "vi vill ha kvalitet från början", "det var tänkt från början"],
)
def test_from_the_start_in_an_answer_is_no_restart(text: str) -> None:
    assert not _START_OVER.search(fold(text))
