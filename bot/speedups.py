"""A measured speed-up for Rasa 3.6, installed in the Rasa server process by `bot.channels`.

Rasa checks every action server response with `jsonschema.validate`, which first re-validates the schema
itself: 27 ms per custom action on our machine, more than half of a knowledge answer's latency. This
compiles the same schema once and checks responses with it (under 1 ms), raising the same
`ValidationError` with the same message as Rasa does.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def _response_validator() -> Any:
    spec = RemoteAction.action_response_format_spec()
    return validator_for(spec)(spec)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """Rasa's RemoteAction._validate_action_result with a validator compiled once."""
    try:
        _response_validator().validate(result)
        return True
    except ValidationError as e:
        e.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise e


def install() -> None:
    """Replace Rasa's per-response schema check with the compiled one."""
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
