"""Compose knowledge-base answers: which entry a message is about, and the message that answers it.

Plain Python over `bot.kb` and the domain's templates (`Texts`), so it is tested without Rasa. The Rasa
actions in `knowledge.py` only gather the message's intent, entities and slots and send what this returns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.actions.texts import Texts

# Intents that ask for one attribute of an entry, and the entry field that holds the answer.
ATTRIBUTE_FIELDS = {
    "ask_amount": "amount",
    "ask_eligibility": "who_can_apply",
    "ask_how_to_apply": "how_to_apply",
    "ask_contact": "contact",
    "ask_purpose": "purpose",
}
ATTRIBUTE_INTENTS = frozenset({*ATTRIBUTE_FIELDS, "ask_dates", "ask_status"})
DATE_KEYS = ("opens", "closes", "decision", "project_start", "project_end", "reports", "final_report")
# A search hit must lead the runner-up by this factor to be taken without asking back.
CLEAR_WIN = 1.6
MAX_CHOICES = 4


@dataclass
class Reply:
    """One message to send: text and optional buttons."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Resolution:
    """The entry a message is about, or the candidates to ask the user to choose from."""

    entry: Any | None = None
    candidates: list[Any] = field(default_factory=list)


def button_payload(intent: str, entry_id: str) -> str:
    """A payload that asks `intent` about one entry, bypassing NLU."""
    return f'/{intent}{{"kb_entry": "{entry_id}"}}'


def entry_buttons(entries: Iterable[Any], intent: str) -> list[dict[str, str]]:
    """One button per entry, titled with the entry's title."""
    return [{"title": e.title, "payload": button_payload(intent, e.id)} for e in entries]


def resolve(
    kb: Any, intent: str, entity_values: Sequence[str], text: str, current_id: str | None
) -> Resolution:
    """Find the entry the user means: named entity, then the conversation's entry, then search.

    Strategy questions ("ska vi tillverka själva eller anlita en legotillverkare?") have a default entry
    that answers the question as a whole, even when the message names a term along the way.
    """
    if intent not in ATTRIBUTE_INTENTS and intent != "ask_entry":
        default = kb.by_intent(intent)
        if default is not None:
            return Resolution(entry=default)
    named: list[Any] = []
    for value in entity_values:
        entry = kb.get(value) or _best(kb.search(value, limit=1))
        if entry is not None and entry.id not in {e.id for e in named}:
            named.append(entry)
    if len(named) == 1:
        return Resolution(entry=named[0])
    if named:
        return Resolution(candidates=named[:MAX_CHOICES])
    current = kb.get(current_id) if current_id else None
    hits = kb.search(text, limit=MAX_CHOICES) if text and not text.startswith("/") else []
    if intent in ATTRIBUTE_INTENTS and current is not None and not _names_entry(hits, text):
        return Resolution(entry=current)
    if not hits:
        return Resolution(entry=current) if intent in ATTRIBUTE_INTENTS else Resolution()
    if len(hits) == 1 or hits[0].score >= CLEAR_WIN * hits[1].score:
        return Resolution(entry=hits[0].entry)
    return Resolution(candidates=[h.entry for h in hits])


def _best(hits: Sequence[Any]) -> Any | None:
    return hits[0].entry if hits else None


def _names_entry(hits: Sequence[Any], text: str) -> bool:
    """Whether the text names an entry by its title or an alias (a new topic, not a follow-up)."""
    folded = text.casefold()
    return any(
        name.casefold() in folded
        for hit in hits[:2]
        for name in (hit.entry.title, *hit.entry.aliases)
        if name
    )


class Answerer:
    """Builds answers for entries, using the domain's templates."""

    def __init__(self, texts: Texts, kb: Any, today: dt.date) -> None:
        self.texts = texts
        self.kb = kb
        self.today = today

    def answer(self, entry: Any, intent: str) -> Reply:
        """The answer to `intent` about `entry`, with status (for calls) and source."""
        parts: list[str]
        if intent in ATTRIBUTE_FIELDS:
            parts = [self._attribute(entry, ATTRIBUTE_FIELDS[intent])]
            parts += self._closed_warning(entry)
        elif intent == "ask_dates":
            parts = [self._dates(entry)] + self._closed_warning(entry)
        elif intent == "ask_status":
            parts = [self._status(entry)]
        else:
            parts = [self.texts.get("utter_kb_summary", title=entry.title, summary=entry.summary)]
            if entry.body and entry.kind in ("strategy", "glossary", "faq"):
                parts.append(entry.body.strip())
            parts += self._closed_warning(entry)
        parts.append(self.source(entry))
        buttons = entry_buttons(self._related(entry), "ask_entry")
        return Reply("\n\n".join(p for p in parts if p), buttons)

    def source(self, entry: Any) -> str:
        """The source line: first source's URL and the date the facts refer to."""
        url = entry.sources[0].url if entry.sources else ""
        return self.texts.get("utter_kb_source", url=url, as_of=_iso(entry.facts_as_of))

    def _attribute(self, entry: Any, field_name: str) -> str:
        label = self.texts.get(f"utter_label_{field_name}")
        value = (getattr(entry, field_name, None) or "").strip()
        if field_name == "how_to_apply" and entry.apply_url and entry.apply_url not in value:
            value = f"{value} {entry.apply_url}".strip()
        if not value:
            return self.texts.get(
                "utter_kb_attribute_missing", title=entry.title, label=label, summary=entry.summary
            )
        return self.texts.get("utter_kb_attribute", title=entry.title, label=label, value=value)

    def _dates(self, entry: Any) -> str:
        lines = []
        for key in DATE_KEYS:
            value = getattr(entry.dates, key)
            if not value:
                continue
            values = value if isinstance(value, tuple) else (value,)
            label = self.texts.get(f"utter_date_{key}")
            lines.append(f"• {label}: {', '.join(_iso(v) for v in values)}")
        if entry.dates_note:
            lines.append(entry.dates_note.strip())
        if not lines:
            label = self.texts.get("utter_label_dates")
            return self.texts.get(
                "utter_kb_attribute_missing", title=entry.title, label=label, summary=entry.summary
            )
        return self.texts.get("utter_kb_dates", title=entry.title, value="\n".join(lines))

    def _status(self, entry: Any) -> str:
        if entry.kind != "call":
            return self.texts.get("utter_kb_status_not_a_call", title=entry.title, summary=entry.summary)
        status = self.kb.status(entry, self.today)
        return self.texts.get(
            f"utter_kb_status_{status}",
            title=entry.title,
            closes=_iso(entry.dates.closes),
            opens=_iso(entry.dates.opens),
            current_info_url=entry.current_info_url or "",
        )

    def _closed_warning(self, entry: Any) -> list[str]:
        """For a call that isn't open, the status line, so a closed call never reads as open."""
        if entry.kind != "call" or self.kb.status(entry, self.today) == "open":
            return []
        return [self._status(entry)]

    def _related(self, entry: Any) -> list[Any]:
        related = [self.kb.get(rid) for rid in (entry.related or [])]
        return [r for r in related if r is not None][:3]


def _iso(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value or "")
