"""Typed knowledge entries as the rest of the bot sees them, their passages, and a call's status.

A passage is the unit of an answer: the summary, one attribute (amount, who can apply, ...), the dates,
the focus areas, or one paragraph of the body. Each passage has its own source: the one its text cites
with a marker such as `[artikel-2016]` at its end (the id of one of the entry's sources), else the
entry's first source.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from bot.swedish import content_stems

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
# Every date an entry can have, in the order answers list them.
DATE_KEYS = ("opens", "closes", "decision", "project_start", "project_end", "reports", "final_report")
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
# Fields that are passages of their own, in the order a whole entry shows them.
PASSAGE_FIELDS = ("purpose", "amount", "who_can_apply", "how_to_apply", "contact", "region")
# Fields whose text may end with a source marker (the body: each paragraph).
CITING_FIELDS = ("summary", "body", *PASSAGE_FIELDS, "dates_note")
# A source marker at the end of a paragraph or field: "... 400 000 kronor. [artikel-2016]".
CITE = re.compile(r"\s*\[([a-z0-9]+(?:-[a-z0-9]+)*)\]\s*$")
CITE_ANYWHERE = re.compile(r"\[([a-z0-9]+(?:-[a-z0-9]+)*)\]")
_BULLET = re.compile(r"^(?:[-•*]|\d+[.)])\s+")

Status = Literal["open", "closed", "upcoming", "unknown"]


def _date(value: Any) -> dt.date | None:
    """A date from an ISO string (or a date, or None)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _text(value: Any) -> str | None:
    """Text without the trailing newline YAML block scalars leave."""
    return value.strip() if isinstance(value, str) else value


def reflow(text: str) -> str:
    """Paragraphs without line breaks inside sentences; list items keep a line each.

    YAML `|` blocks keep the editor's line breaks, and sent as typed every channel would show a break
    every ~100 characters. Paragraphs stay separated by one blank line.
    """
    result = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines: list[str] = []
        for raw in block.splitlines():
            line = raw.strip()
            if not line:
                continue
            if lines and not _BULLET.match(line):
                lines[-1] = f"{lines[-1]} {line}"
            else:
                lines.append(line)
        if lines:
            result.append("\n".join(lines))
    return "\n\n".join(result)


# The source markers that end a paragraph, one or several ("… villkor. [k13] [k12] [k14]").
CITES_AT_END = re.compile(r"(?:\s*\[[a-z0-9]+(?:-[a-z0-9]+)*\])+\s*$")


def split_cite(text: str) -> tuple[str, str | None]:
    """A paragraph without its trailing source markers, and the first marked source id (or None). Only the
    last marker was cut before, so "[k13] [k12]" of a paragraph with three sources was shown to users."""
    match = CITES_AT_END.search(text)
    if not match:
        return text, None
    first = CITE_ANYWHERE.search(match.group(0))
    return text[: match.start()].rstrip(), first.group(1) if first else None


def paragraphs(text: str | None) -> list[str]:
    """The paragraphs of a re-flowed text."""
    return [p for p in (text or "").split("\n\n") if p.strip()]


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
        single = tuple(d for d in (getattr(self, name) for name in SINGLE_DATES) if d)
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
    """Where facts come from: a web page (`url`) or a document without one (`title`).

    `date` is when the source's facts apply, as the source gives it ("juli 2018", "hösten 2016");
    `id` is what a passage's marker names.
    """

    supports: str
    url: str | None = None
    title: str | None = None
    date: str | None = None
    id: str | None = None

    @property
    def label(self) -> str:
        """How the source is cited: its web address, else the document's title."""
        return self.url or self.title or ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Source:
        """A source from YAML or database data."""
        date = data.get("date")
        return cls(
            supports=_text(data["supports"]) or "",
            url=data.get("url"),
            title=_text(data.get("title")),
            date=str(date) if date is not None else None,
            id=data.get("id"),
        )

    def as_dict(self) -> dict[str, str]:
        """The keys that are set, for the database."""
        values = {"supports": self.supports, "url": self.url, "title": self.title, "date": self.date}
        return {k: v for k, v in {**values, "id": self.id}.items() if v is not None}


@dataclass(frozen=True)
class Passage:
    """One answerable piece of an entry and the source that holds it."""

    entry_id: str
    key: str  # summary, amount, ..., dates, focus_areas, body.1, body.2, ...
    field: str  # the key without a paragraph number
    text: str
    source: Source


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
    dates_source: str | None = None
    # (passage key, source id) for each passage whose text ended with a source marker.
    cites: tuple[tuple[str, str], ...] = ()
    path: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """Title and aliases: every name users may call the entry by."""
        return (self.title, *self.aliases)

    @cached_property
    def name_stems(self) -> frozenset[str]:
        """The content stems of all its names (what the resolver matches a question against)."""
        return frozenset(s for name in self.names for s in content_stems(name))

    def source_for(self, key: str) -> Source:
        """The source of a passage: the one it cites, else the entry's first source."""
        cited = dict(self.cites).get(key)
        if key == "dates" and self.dates_source:
            cited = self.dates_source
        return next((s for s in self.sources if cited and s.id == cited), self.sources[0])

    @cached_property
    def passages(self) -> tuple[Passage, ...]:
        """Every passage: summary, attributes, dates, focus areas, then the body's paragraphs."""
        found = [("summary", "summary", self.summary)]
        found += [(name, name, str(getattr(self, name))) for name in PASSAGE_FIELDS if getattr(self, name)]
        if self.dates.every() or self.dates_note:
            found.append(("dates", "dates", self.dates_note or ""))
        if self.focus_areas:
            found.append(("focus_areas", "focus_areas", ", ".join(self.focus_areas)))
        found += [(f"body.{n}", "body", text) for n, text in enumerate(paragraphs(self.body), 1)]
        return tuple(Passage(self.id, key, name, text, self.source_for(key)) for key, name, text in found)

    def passage(self, key: str) -> Passage | None:
        """The passage with this key, or None."""
        return next((p for p in self.passages if p.key == key), None)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], path: str = "") -> Entry:
        """An entry from validated YAML data or a database row (lists may be tuples or lists).

        Text is re-flowed, and source markers are taken off the text into `cites`.
        """
        cites: list[tuple[str, str]] = [(str(k), str(v)) for k, v in data.get("cites") or ()]
        texts: dict[str, str | None] = {}
        for name in ("summary", *TEXT_FIELDS):
            value = data.get(name)
            if not isinstance(value, str) or name not in CITING_FIELDS:
                texts[name] = _text(value)
            elif name == "body":
                kept = []
                for number, paragraph in enumerate(paragraphs(reflow(value)), 1):
                    text, cited = split_cite(paragraph)
                    kept.append(text)
                    if cited:
                        cites.append((f"body.{number}", cited))
                texts[name] = "\n\n".join(kept)
            else:
                texts[name], cited = split_cite(reflow(value))
                if cited:
                    cites.append((name, cited))
        summary = texts.pop("summary") or ""
        return cls(
            id=data["id"],
            kind=data["kind"],
            title=data["title"].strip(),
            summary=summary,
            facts_as_of=_date(data["facts_as_of"]),  # type: ignore[arg-type]
            sources=tuple(Source.from_dict(s) for s in data["sources"]),
            dates=Dates.from_dict(data.get("dates")),
            dates_source=data.get("dates_source"),
            cites=tuple(dict.fromkeys(cites)),
            path=path or data.get("path") or "",
            **texts,  # type: ignore[arg-type]
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
