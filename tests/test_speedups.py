"""The compiled action-response check accepts and rejects exactly what Rasa's own check does."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot import speedups

RESPONSES = [
    {"events": [{"event": "slot", "name": "current_entry", "value": "x"}], "responses": [{"text": "Hej"}]},
    {"events": [], "responses": [{"text": "Välj", "buttons": [{"title": "A", "payload": "/a"}]}]},
    {"events": "not a list", "responses": []},
    {"events": [{"name": "no event type"}], "responses": []},
    {"responses": [{"text": 5}]},
]


@pytest.mark.parametrize("response", RESPONSES)
def test_same_verdict_as_rasa(response: dict[str, Any]) -> None:
    try:
        jsonschema.validate(response, RemoteAction.action_response_format_spec())
        expected_ok = True
    except jsonschema.ValidationError:
        expected_ok = False
    action = RemoteAction("action_answer_kb", None)
    if expected_ok:
        assert speedups._validate_action_result(action, response) is True
    else:
        with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
            speedups._validate_action_result(action, response)


def test_install_replaces_rasas_check() -> None:
    speedups.install()
    assert RemoteAction._validate_action_result is speedups._validate_action_result
