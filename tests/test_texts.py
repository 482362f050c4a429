"""Domain templates used by the actions: every response name in the code exists; placeholders are filled."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.actions.texts import Texts
from bot.kb.model import DATE_KEYS, PASSAGE_FIELDS
from bot.settings import ROOT

# Names built in code from a prefix, with every suffix the code can add.
BUILT = {
    "utter_label_": [*PASSAGE_FIELDS, "dates", "focus_areas"],
    "utter_date_": list(DATE_KEYS),
    "utter_kb_status_": ["open", "closed", "upcoming", "unknown", "historic", "not_a_call"],
    "utter_kb_": ["closed_note", "historic_note"],  # bot.actions.answers.Answerer._closed_warning
    "utter_size_": ["fits", "too_many", "too_few"],  # bot.actions.eligibility.SizeVerdict.verdict
    "utter_turnover_": ["fits", "too_low", "too_high"],  # bot.actions.eligibility.TurnoverVerdict.verdict
}


@pytest.fixture(scope="module")
def responses() -> dict[str, Any]:
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "domain")).as_dict()["responses"]


def names_in_code() -> list[str]:
    found: set[str] = set()
    for path in (ROOT / "bot").rglob("*.py"):
        for name in re.findall(r"[\"'](utter_[a-z_]+)[\"'{]", path.read_text(encoding="utf-8")):
            found.update(
                prefix + s for s in BUILT[name] for prefix in [name]
            ) if name in BUILT else found.add(name)
    return sorted(found)


def test_the_code_uses_response_names() -> None:
    assert "utter_kb_source" in names_in_code() and "utter_label_amount" in names_in_code()


@pytest.mark.parametrize("name", names_in_code())
def test_every_response_used_in_code_exists_in_the_domain(name: str, responses: dict[str, Any]) -> None:
    assert responses.get(name), f"{name} is used in bot/ but missing from domain/"


def test_an_unknown_placeholder_is_an_error() -> None:
    texts = Texts({"responses": {"utter_x": [{"text": "Belopp: {belopp}"}]}})
    assert texts.get("utter_x", belopp="1 kr") == "Belopp: 1 kr"
    with pytest.raises(KeyError, match="placeholder 'belopp'"):
        texts.get("utter_x", value="1 kr")


def test_a_missing_response_is_an_error() -> None:
    with pytest.raises(KeyError, match="utter_nope"):
        Texts({"responses": {}}).get("utter_nope")
