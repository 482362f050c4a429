"""Render the domain's responses inside actions, so Swedish text stays in domain/*.yml.

rasa-sdk hands every action the domain as a dict; reading the templates from it lets an action compose
one message from several responses (a fact, its status and its source) without writing sentences in Python.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any


class Texts:
    """Templates from the domain's `responses`, filled with values."""

    def __init__(self, domain: Mapping[str, Any]) -> None:
        self._responses: Mapping[str, list[dict[str, Any]]] = domain.get("responses", {})

    def has(self, name: str) -> bool:
        """Whether the domain defines response `name`."""
        return bool(self._responses.get(name))

    def get(self, name: str, **values: object) -> str:
        """The first variant of response `name` with its {placeholders} filled.

        Raises KeyError for a missing response and for a placeholder no value was given for: a
        template edited to say {belopp} instead of {value} must fail loudly, not send a gap.
        """
        variants = self._responses.get(name) or []
        if not variants:
            raise KeyError(f"response {name!r} is missing from the domain")
        template = str(variants[0].get("text", ""))
        filled = {k: "" if v is None else v for k, v in values.items()}
        try:
            return string.Formatter().vformat(template, (), filled)
        except KeyError as exc:
            raise KeyError(f"response {name!r} has the placeholder {exc} that nothing fills") from None

    def buttons(self, name: str) -> list[dict[str, str]]:
        """The buttons of response `name` (empty when it has none)."""
        variants = self._responses.get(name) or []
        return list(variants[0].get("buttons", [])) if variants else []
