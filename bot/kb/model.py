"""Typed knowledge entries as the rest of the bot sees them, and the rule for a call's status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

KINDS = ("call", "programme", "support", "actor", "strategy", "glossary", "faq", "regulation")
FOLDERS = {
    "calls": "call",
    "programmes": "programme",
    "support": "support",
    "actors": "actor",
    "strategy": "strategy",
    "glossary": "glossary",
    "faq": "faq",
    "regulation": "regulation",
}
SINGLE_DATES = ("opens", "closes", "decision", "project_start", "project_end", "final_report")
TEXT_FIELDS = (
    "body",
    "purpose",
    "amount",
    "who_can_apply",
    "how_to_apply",
    "contact",
    "apply_url",
    "dates_note",
    "region",
    "current_info_url",
)
LIST_FIELDS = ("aliases", "focus_areas", "topics", "related", "answers_intents")

Status = Literal["open", "closed", "upcoming", "unknown"]


def _date(value: Any) -> dt.date | None:
    """A date from an ISO string (or a date, or None)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _text(value: Any) -> str | None:
    """Text without the trailing newline YAML block scalars leave."""
    return value.strip() if isinstance(value, str) else value


@dataclass(frozen=True)
class Dates:
    """The dates of an entry (all optional); `reports` are partial-report dates."""

    opens: dt.date | None = None
    closes: dt.date | None = None
    decision: dt.date | None = None
    project_start: dt.date | None = None
    project_end: dt.date | None = None
    final_report: dt.date | None = None
    reports: tuple[dt.date, ...] = ()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Dates:
        """Dates from a mapping of ISO strings or dates."""
        data = data or {}
        single = {name: _date(data.get(name)) for name in SINGLE_DATES}
        reports = tuple(d for d in (_date(v) for v in data.get("reports") or ()) if d is not None)
        return cls(**single, reports=reports)

    def every(self) -> tuple[dt.date, ...]:
        """All dates that are set, single dates first, then the report dates."""
        single = tuple(getattr(self, name) for name in SINGLE_DATES if getattr(self, name))
        return (*single, *self.reports)

    def as_dict(self) -> dict[str, Any]:
        """The dates that are set, as ISO strings (reports as a list)."""
        result: dict[str, Any] = {
            name: getattr(self, name).isoformat() for name in SINGLE_DATES if getattr(self, name)
        }
        if self.reports:
            result["reports"] = [d.isoformat() for d in self.reports]
        return result


@dataclass(frozen=True)
class Source:
    """Where a fact comes from and what it supports."""

    url: str
    supports: str


@dataclass(frozen=True)
class Entry:
    """One knowledge entry (see knowledge/README.md for what each field means)."""

    id: str
    kind: str
    title: str
    summary: str
    facts_as_of: dt.date
    sources: tuple[Source, ...]
    aliases: tuple[str, ...] = ()
    body: str | None = None
    purpose: str | None = None
    amount: str | None = None
    who_can_apply: str | None = None
    how_to_apply: str | None = None
    contact: str | None = None
    apply_url: str | None = None
    dates: Dates = Dates()
    dates_note: str | None = None
    region: str | None = None
    focus_areas: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    answers_intents: tuple[str, ...] = ()
    current_info_url: str | None = None
    path: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """Title and aliases: every name users may call the entry by."""
        return (self.title, *self.aliases)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], path: str = "") -> Entry:
        """An entry from validated YAML data or a database row (lists may be tuples or lists)."""
        return cls(
            id=data["id"],
            kind=data["kind"],
            title=data["title"].strip(),
            summary=data["summary"].strip(),
            facts_as_of=_date(data["facts_as_of"]),  # type: ignore[arg-type]
            sources=tuple(Source(url=s["url"], supports=s["supports"]) for s in data["sources"]),
            dates=Dates.from_dict(data.get("dates")),
            path=path or data.get("path") or "",
            **{name: _text(data.get(name)) for name in TEXT_FIELDS},  # type: ignore[arg-type]
            **{name: tuple(data.get(name) or ()) for name in LIST_FIELDS},  # type: ignore[arg-type]
        )


def status(entry: Entry, as_of: dt.date) -> Status:
    """Whether a call can be applied to on `as_of`.

    Closed once the closing date has passed (or, without one, once the decision date has); upcoming
    before the opening date; open only when a closing date lies ahead. Otherwise unknown: the
    assistant must never present a call as open without a date that says so.
    """
    dates = entry.dates
    if dates.closes and dates.closes < as_of:
        return "closed"
    if not dates.closes and dates.decision and dates.decision < as_of:
        return "closed"
    if dates.opens and dates.opens > as_of:
        return "upcoming"
    if dates.closes:
        return "open"
    return "unknown"
