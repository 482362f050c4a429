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
from bot.swedish import content_stems, name_key

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
# A search hit must lead the runner-up by this factor to be taken without asking back. On the retrieval
# question set 1.25 answers 119 of 123 directly with 3 wrong; on unseen users' questions it answered the
# right entry where 1.6 asked back, and still asked back where the runner-up was the right one.
CLEAR_WIN = 1.25
# A hit within this share of the best one's score counts as a close rival.
CLOSE_RIVAL = 0.5
# Kinds of entry about one specific thing; a message clearly about one beats a strategy question's general
# answer ("uppdraget 2018 om att tillverka i Sverige" is about the assignment, not about reshoring).
SPECIFIC_KINDS = frozenset({"call", "programme", "support", "actor", "faq"})
MAX_CHOICES = 4
# A call without a closing date whose newest date is older than this is reported as historic, not "unknown".
HISTORIC_AFTER = dt.timedelta(days=365)


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
    """Find the entry the user means.

    A button payload names its entry by id. Otherwise the knowledge base's search over the whole message
    decides: it weighs a name by how much of the message it explains, so "Tillväxtverkets utlysning 2016"
    finds the call rather than the agency or the term "utlysning" that NLU entities would pick. A question
    about one attribute with no entry named refers to the entry under discussion. Strategy questions
    ("ska vi tillverka själva eller anlita en legotillverkare?") have a default entry for the whole question,
    unless the search is clearly about one specific call, programme, support, actor or FAQ.
    """
    if text.startswith("/"):
        named = [e for e in dict.fromkeys(kb.get(v) for v in entity_values) if e is not None]
        if len(named) == 1:
            return Resolution(entry=named[0])
        if not named and intent not in ATTRIBUTE_INTENTS and intent != "ask_entry":
            # A menu button such as /ask_find_manufacturer: the intent's default entry answers it.
            default = kb.by_intent(intent)
            return Resolution(entry=default) if default is not None else Resolution()
        return Resolution(candidates=named[:MAX_CHOICES])
    current = kb.get(current_id) if current_id else None
    hits = kb.search(text, limit=MAX_CHOICES)
    default = kb.by_intent(intent) if intent not in ATTRIBUTE_INTENTS and intent != "ask_entry" else None
    if default is not None:
        specific = bool(hits) and hits[0].entry.kind in SPECIFIC_KINDS and clear_win(hits)
        return Resolution(entry=hits[0].entry if specific else default)
    if intent in ATTRIBUTE_INTENTS and current is not None and not names_an_entry(hits, text):
        return Resolution(entry=current)
    if not hits:
        return Resolution()
    holder = only_close_hit_with_answer(hits, intent)
    if holder is not None:
        return Resolution(entry=holder)
    if clear_win(hits):
        return Resolution(entry=hits[0].entry)
    return Resolution(candidates=[h.entry for h in hits])


def has_answer(entry: Any, intent: str) -> bool:
    """Whether the entry holds what an attribute question asks for."""
    if intent in ATTRIBUTE_FIELDS:
        return bool(getattr(entry, ATTRIBUTE_FIELDS[intent], None))
    if intent == "ask_dates":
        return bool(latest_date(entry) != entry.facts_as_of or entry.dates_note)
    if intent == "ask_status":
        return entry.kind == "call"
    return True


def only_close_hit_with_answer(hits: Sequence[Any], intent: str) -> Any | None:
    """For "hur mycket fick de?": if the best hit can't answer but exactly one close rival can, that one."""
    if intent not in ATTRIBUTE_INTENTS or has_answer(hits[0].entry, intent):
        return None
    close = [
        h.entry for h in hits[1:] if h.score >= CLOSE_RIVAL * hits[0].score and has_answer(h.entry, intent)
    ]
    return close[0] if len(close) == 1 else None


def clear_win(hits: Sequence[Any]) -> bool:
    """Whether the best hit leads the runner-up clearly enough to answer without asking back."""
    return len(hits) == 1 or (len(hits) > 1 and hits[0].score >= CLEAR_WIN * hits[1].score)


def names_an_entry(hits: Sequence[Any], text: str) -> bool:
    """Whether the text names one of the top entries by title or alias (a new topic, not a follow-up)."""
    said = f" {name_key(text)} "
    return any(
        f" {name_key(name)} " in said for hit in hits[:2] for name in hit.entry.names if name_key(name)
    )


def is_just_a_name(entry: Any, text: str) -> bool:
    """Whether the message says nothing but the entry's name ("affärsutvecklingscheckar?")."""
    said = set(content_stems(text))
    return bool(said) and any(said <= set(content_stems(name)) for name in entry.names)


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
            if entry.body:
                parts.append(body_for(entry))
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
        if lines and entry.dates_note:
            lines.append(entry.dates_note.strip())
        if not lines and entry.dates_note:
            lines = [entry.dates_note.strip(), entry.summary]
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
        if status == "unknown" and self.today - latest_date(entry) > HISTORIC_AFTER:
            status = "historic"
        return self.texts.get(
            f"utter_kb_status_{status}",
            title=entry.title,
            closes=_iso(entry.dates.closes),
            opens=_iso(entry.dates.opens),
            year=latest_date(entry).year,
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


def body_for(entry: Any) -> str:
    """The body shown in a general answer: advice in full, facts about one thing kept to a paragraph."""
    body = entry.body.strip()
    return body.split("\n\n", 1)[0] if entry.kind in SPECIFIC_KINDS else body


def latest_date(entry: Any) -> dt.date:
    """The newest date an entry mentions (its dates or the date its facts refer to)."""
    dates = entry.dates
    known = [d for d in (dates.opens, dates.closes, dates.decision, dates.project_start, dates.project_end,
                         dates.final_report, *dates.reports) if d]  # fmt: skip
    return max([entry.facts_as_of, *known])


def _iso(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value or "")
