"""Compose the message that answers a resolution: the asked fact first, its source, a "Läs mer" button.

Plain Python over `bot.kb` and the domain's templates (`Texts`), so it is tested without Rasa. Which
passages answer is decided by `bot.actions.resolve`; this module only words them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.actions.eligibility import size_verdict, turnover_verdict
from bot.actions.resolve import ATTRIBUTE_INTENTS, INTENT_FIELDS, MAX_CHOICES, VERDICT_MISSING, Resolution
from bot.actions.texts import Texts
from bot.advisor.engine import ended
from bot.kb.model import DATE_KEYS, PASSAGE_FIELDS, Entry, Passage, Source
from bot.kb.store import KnowledgeBase
from bot.swedish import APPLY_WORDS, date_as_said, words

__all__ = ["ATTRIBUTE_INTENTS", "MAX_CHOICES", "Answerer", "Reply", "button_payload", "entry_buttons"]

# A call without a closing date whose newest date is older than this is reported as historic, not "unknown".
HISTORIC_AFTER = dt.timedelta(days=365)
# Kinds that are not applied for themselves (government assignments, strategies), and the intents that
# ask about applying to something.
ASSIGNED_KINDS = frozenset({"programme"})
APPLY_INTENTS = frozenset({"ask_how_to_apply", "ask_status"})
# Where current calls are published when no entry says it.
CALLS_URL = "https://tillvaxtverket.se/finansiering/utlysningar"
# Kinds whose `facts_as_of` is the day their sources were read (rules in force), not when the facts applied.
READ_KINDS = frozenset({"regulation"})
# Kinds whose titles are topics or questions ("Tillverka själv eller lägga ut?"), not names to lead with.
UNTITLED_KINDS = frozenset({"strategy", "faq"})


@dataclass
class Reply:
    """One message to send: text and optional buttons."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    # What a rating of this reply rates (bot.feedback): "<entry id>#<passage key>", several joined by "+".
    answer: str = ""


def answer_id(passages: Iterable[Passage]) -> str:
    """The rating id of an answer made of `passages`: `entry#key` each, in order, joined by "+"."""
    return "+".join(dict.fromkeys(f"{p.entry_id}#{p.key}" for p in passages))


def button_payload(intent: str, entry_id: str) -> str:
    """A payload that asks `intent` about one entry, bypassing NLU."""
    return f'/{intent}{{"kb_entry": "{entry_id}"}}'


def entry_buttons(entries: Iterable[Entry], intent: str) -> list[dict[str, str]]:
    """One button per entry, titled with the entry's title."""
    return [{"title": e.title, "payload": button_payload(intent, e.id)} for e in entries]


class Answerer:
    """Words answers with the domain's templates."""

    def __init__(self, texts: Texts, kb: KnowledgeBase, today: dt.date) -> None:
        self.texts = texts
        self.kb = kb
        self.today = today

    def compose(self, found: Resolution, intent: str, english: bool = False, question: str = "") -> Reply:
        """The answer to a resolution with passages: facts first, then status and source lines."""
        entry = found.entry
        assert entry is not None and found.passages
        if found.whole:
            return self.whole(entry)
        parts = [self.texts.get("utter_english_note")] if english else []
        verdict_missing = bool(found.missing and found.missing.startswith(VERDICT_MISSING))
        if verdict_missing:
            # No sentence of the product's rules states the asked verdict: said before what the rule says.
            label = self.texts.get(f"utter_label_{found.missing}")
            parts.append(self.texts.get("utter_kb_verdict_missing", title=entry.title, label=label))
        parts += self._size_verdict(question, found.passages)
        # Calls whose status is already said: their closed note would repeat it.
        stated: set[str] = set()
        for passage in found.passages:
            owner = self.kb.get(passage.entry_id) or entry
            if intent == "ask_status" and owner.kind == "call" and passage.field == "dates":
                parts.append(self._status(owner))
                stated.add(owner.id)
            else:
                parts.append(self.passage_text(owner, passage))
        applying = intent in APPLY_INTENTS or bool(APPLY_WORDS & set(words(question)))
        ended = self._ended_note(found.entries, applying)
        # "Hur ansöker jag …?" about something that has ended: the ended note answers it.
        if found.missing and not verdict_missing and not (ended and found.missing == "how_to_apply"):
            label = self.texts.get(f"utter_label_{found.missing}")
            parts.append(self.texts.get("utter_kb_field_missing", title=entry.title, label=label))
        for owner in found.entries:
            if owner.id not in stated:
                # Whatever was asked ("kan jag fortfarande söka de 400 000 kronorna?" answered with the
                # amount), a call that isn't open says so.
                parts += self._closed_warning(owner)
        parts += ended
        parts += self.source_lines(found.passages)
        more = self.texts.get("utter_read_more_button")
        buttons = [{"title": more, "payload": button_payload("read_more", entry.id)}]
        buttons += entry_buttons(self._related(entry)[:2], "ask_entry")
        return Reply("\n\n".join(p for p in parts if p), buttons, answer_id(found.passages))

    def answer(self, entry: Entry, intent: str) -> Reply:
        """The answer to `intent` about one entry (the passage for the intent's field, else the summary)."""
        wanted = INTENT_FIELDS.get(intent, "summary")
        passage = next((p for p in entry.passages if p.field == wanted), entry.passages[0])
        return self.compose(Resolution(passages=[passage], entries=[entry]), intent)

    def whole(self, entry: Entry) -> Reply:
        """The whole entry ("Läs mer"): summary, body, attributes, dates, status, every source."""
        parts = [self.passage_text(entry, entry.passages[0])]
        parts += [p.text for p in entry.passages if p.field == "body"]
        for passage in entry.passages:
            if passage.field in (*PASSAGE_FIELDS, "dates", "focus_areas"):
                parts.append(self.passage_text(entry, passage))
        parts += self._closed_warning(entry)
        parts += self._ended_note([entry])
        parts += self.source_lines(entry.passages)
        buttons = entry_buttons(self._related(entry), "ask_entry")
        return Reply("\n\n".join(p for p in parts if p), buttons, entry.id)

    def _size_verdict(self, question: str, passages: list[Passage]) -> list[str]:
        """ "Nej, inte med 60 anställda: …" before a size or turnover condition, when the question gives a
        size or a turnover: a failed condition is said first, and "stämmer" only when none failed."""
        for passage in passages:
            if passage.field != "who_can_apply":
                continue
            size = size_verdict(question, passage.text)
            turnover = turnover_verdict(question, passage.text)
            failed = []
            if size and size.verdict != "fits":
                failed.append(self.texts.get(f"utter_size_{size.verdict}", **vars(size)))
            if turnover and turnover.verdict != "fits":
                failed.append(self.texts.get(f"utter_turnover_{turnover.verdict}", **vars(turnover)))
            if failed:
                return [" ".join(failed)]
            if size and turnover:
                text = self.texts.get(
                    "utter_size_turnover_fits",
                    employees=size.employees,
                    turnover=turnover.turnover,
                    size_condition=size.condition,
                    turnover_condition=turnover.condition,
                )
                return [text]
            if size:
                return [self.texts.get("utter_size_fits", **vars(size))]
            if turnover:
                return [self.texts.get("utter_turnover_fits", **vars(turnover))]
        return []

    def passage_text(self, entry: Entry, passage: Passage) -> str:
        """One passage worded fact-first, naming the entry where the passage does not."""
        if passage.field == "dates":
            return self._dates(entry, passage.text)
        if passage.field == "summary" or passage.field == "body":
            if entry.kind in UNTITLED_KINDS or passage.field == "body":
                return passage.text
            return self.texts.get("utter_kb_summary", title=entry.title, summary=passage.text)
        label = self.texts.get(f"utter_label_{passage.field}")
        value = passage.text
        if passage.field == "how_to_apply" and entry.apply_url and entry.apply_url not in value:
            value = f"{value} {entry.apply_url}"
        return self.texts.get("utter_kb_attribute", title=entry.title, label=label, value=value)

    def source_lines(self, passages: Iterable[Passage]) -> list[str]:
        """One line per distinct source: where the facts come from and the date they refer to."""
        lines: list[str] = []
        for passage in passages:
            entry = self.kb.get(passage.entry_id)
            read = bool(entry and entry.kind in READ_KINDS)
            line = self.source_line(passage.source, entry.facts_as_of if entry else None, read=read)
            if line not in lines:
                lines.append(line)
        return lines

    def source_line(self, source: Source, facts_as_of: dt.date | None, read: bool = False) -> str:
        """ "Källa: <url or document> (uppgifterna avser <date>)"; for rules in force, whose date is the day
        the page was read, "(sidan läst <date>)" — unless the source names its own date."""
        name = "utter_kb_source_read" if read and not source.date else "utter_kb_source"
        if source.date or not facts_as_of:
            as_of = source.date or ""
        else:
            # The day a page was read is a day; the date the facts refer to is as precise as it was recorded.
            as_of = facts_as_of.isoformat() if name == "utter_kb_source_read" else date_as_said(facts_as_of)
        return self.texts.get(name, url=source.label, as_of=as_of)

    def source(self, entry: Entry) -> str:
        """The source line of an entry's summary."""
        return self.source_line(entry.passages[0].source, entry.facts_as_of, read=entry.kind in READ_KINDS)

    def _dates(self, entry: Entry, note: str) -> str:
        """The entry's dates as a list, then `note`: the passage's dates note (focused on the question, or
        the whole note for "Läs mer")."""
        lines = []
        for key in DATE_KEYS:
            value = getattr(entry.dates, key)
            if not value:
                continue
            values = value if isinstance(value, tuple) else (value,)
            label = self.texts.get(f"utter_date_{key}")
            lines.append(f"• {label}: {', '.join(v.isoformat() for v in values)}")
        if note:
            lines.append(note)
        if not lines:
            label = self.texts.get("utter_label_dates")
            return self.texts.get("utter_kb_field_missing", title=entry.title, label=label)
        return self.texts.get("utter_kb_dates", title=entry.title, value="\n".join(lines))

    def _status(self, entry: Entry) -> str:
        if entry.kind != "call":
            return self.texts.get("utter_kb_status_not_a_call", title=entry.title, summary=entry.summary)
        return self.texts.get(
            f"utter_kb_status_{self._call_status(entry)}",
            title=entry.title,
            closes=_iso(entry.dates.closes),
            opens=_iso(entry.dates.opens),
            year=latest_date(entry).year,
            current_info_url=entry.current_info_url or "",
        )

    def _call_status(self, entry: Entry) -> str:
        """open, closed, upcoming, unknown, or historic: no closing date, and nothing newer than a year."""
        status: str = self.kb.status(entry, self.today)
        if status == "unknown" and self.today - latest_date(entry) > HISTORIC_AFTER:
            status = "historic"
        return status

    def _closed_warning(self, entry: Entry) -> list[str]:
        """For a call that isn't open, a note under the answer, so a closed call never reads as open. The
        answer already names the call: the closed and historic notes don't repeat its title."""
        status = self._call_status(entry) if entry.kind == "call" else "open"
        if status == "open":
            return []
        if status in ("closed", "historic"):
            note = self.texts.get(
                f"utter_kb_{status}_note",
                closes=_iso(entry.dates.closes),
                year=latest_date(entry).year,
                current_info_url=entry.current_info_url or "",
            )
            return [note]
        return [self._status(entry)]

    def _ended_note(self, entries: list[Entry], applying: bool = True) -> list[str]:
        """For supports and programmes that have ended (their dates all past), one line saying they cannot
        be applied for now and where current calls are, never only a year (round 9: Robotlyftet 2019–2021
        was shown as if it ran). Calls say their status themselves (`_closed_warning`). A programme (a
        government assignment, a strategy) is not applied for itself: only a question about applying gets
        the line (on every answer about one, it made 44 of the tuning sets' 162 one-fact answers about 90
        characters longer, and their medians 403-484 instead of 355-428)."""
        done = [
            e
            for e in entries
            if e.kind != "call" and ended(e, self.today) and (applying or e.kind not in ASSIGNED_KINDS)
        ]
        if not done:
            return []
        url = done[0].current_info_url or calls_url(self.kb)
        if len(done) == 1:
            year = max(done[0].dates.every()).year
            return [self.texts.get("utter_kb_ended_note", year=year, current_info_url=url)]
        titles = ", ".join(f"{e.title} ({max(e.dates.every()).year})" for e in done)
        return [self.texts.get("utter_kb_ended_notes", titles=titles, current_info_url=url)]

    def _related(self, entry: Entry) -> list[Entry]:
        related = [self.kb.get(rid) for rid in entry.related]
        return [r for r in related if r is not None][:3]


def calls_url(kb: KnowledgeBase) -> str:
    """Where current calls are published: the open-calls entry's page, else Tillväxtverket's."""
    where = kb.by_intent("ask_open_calls")
    url = (where.current_info_url or where.apply_url) if where is not None else None
    return url or CALLS_URL


def latest_date(entry: Entry) -> dt.date:
    """The newest date an entry mentions (its dates or the date its facts refer to)."""
    return max([entry.facts_as_of, *entry.dates.every()])


def _iso(value: dt.date | None) -> str:
    return value.isoformat() if value else ""
