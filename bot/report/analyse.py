"""From conversation summaries to the report's figures: series per day, unanswered groups, ratings, funnel.

Message texts pass through `mask` and the retention check here, before anything renders them.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.report.collect import (
    ANSWERED,
    CLARIFIED,
    MENU_IGNORED,
    NOT_FOUND,
    NOT_UNDERSTOOD,
    OUT_OF_SCOPE,
    UNANSWERED,
    ZONE,
    Conversation,
    entry_counts,
)
from bot.swedish import APPLY_WORDS, content_stems, fold, stem

if TYPE_CHECKING:
    from bot.kb.store import KnowledgeBase

# Two unanswered questions belong to one group when this share of their stems match (`similarity`,
# single link). Measured on the 43 rephrasings of 14 unanswerable questions in scripts/simulate.py (a small
# set written for this, so a first guess to revisit with real questions): 0.34–0.4 gives exactly the 14
# groups; 0.3 merges 7 of them into 2 ("vad kostar …" questions share "kost"); 0.45 and up split
# "vad kostar en kvantdator" from "kan man köpa kvantdatorer för produktion".
SIMILAR = 0.4
# The shortest stem that counts as the start of a longer one ("mom" of "momsregl").
MIN_PREFIX = 3
MAX_EXAMPLES = 3
SECONDS_PER_DAY = 86400

_PERSONNUMMER = re.compile(r"(?<!\d)(?:19|20)?\d{6}[-+ ]?\d{4}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w+])(?:\+46|0046|0)(?:[\s-]?\d){7,11}(?!\d)")


def mask(text: str) -> str:
    """The text with personal identity numbers, e-mail addresses and phone numbers replaced."""
    text = _PERSONNUMMER.sub("[personnummer]", text)
    text = _EMAIL.sub("[e-post]", text)
    return _PHONE.sub("[telefon]", text)


@dataclass
class Privacy:
    """Which message texts may be shown: only those newer than the retention period, masked."""

    retention_days: int
    now: float = field(default_factory=time.time)

    def show(self, text: str, timestamp: float) -> str | None:
        """The masked text, or None when it is older than the retention period."""
        if self.retention_days > 0 and timestamp < self.now - self.retention_days * SECONDS_PER_DAY:
            return None
        return mask(text)


@dataclass
class Group:
    """Rephrasings of one unanswered question."""

    count: int
    examples: list[str]
    reasons: Counter[str]
    stems: set[str]
    texts: list[str] = field(default_factory=list)
    closest: tuple[str, str, float] | None = None  # (entry id, title, score)


@dataclass
class RatedAnswer:
    """All ratings of one answer (entry, passage or the recommendation)."""

    answer: str
    up: int = 0
    down: int = 0
    questions: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


@dataclass
class Figures:
    """Everything the report shows."""

    start: dt.date
    end: dt.date
    days: list[dt.date]
    channels: list[str]
    conversations: dict[str, list[int]]  # per channel, per day
    messages: list[int]
    typed: list[int]
    unanswered_rate: list[float | None]
    clarified_rate: list[float | None]
    totals: dict[str, int]
    groups: list[Group]
    rated: list[RatedAnswer]
    entries: list[tuple[str, int]]
    funnel: list[tuple[str, int]]
    stops: list[tuple[str, int, int]]  # (question slot or "", left silently, said stop)
    hidden_texts: int


def _same(a: str, b: str) -> bool:
    """Two stems name the same thing: equal, or one starts the other (a compound: "moms" in
    "momsregler", or the stemmer's uneven cuts: "kvantdat" and "kvantdator")."""
    short, long = sorted((a, b), key=len)
    return long.startswith(short) and len(short) >= MIN_PREFIX


def similarity(a: set[str], b: set[str]) -> float:
    """Share of stems, in both sets, that have a match in the other set (1.0 for the same words)."""
    if not a or not b:
        return 0.0
    matched = sum(any(_same(x, y) for y in b) for x in a) + sum(any(_same(y, x) for x in a) for y in b)
    return matched / (len(a) + len(b))


# "söka", "ansöka": how, not what, is asked ("vem kan söka X" and "hur söker man Y" are different questions).
GENERIC_STEMS = frozenset(stem(w) for w in APPLY_WORDS)


def question_stems(text: str) -> set[str]:
    """The stems that say what a question is about."""
    return {s for s in content_stems(text) if s not in GENERIC_STEMS} or {fold(text).strip()}


def group_questions(questions: Sequence[tuple[str, str, str]]) -> list[Group]:
    """Group (text, shown text, reason) so rephrasings of one question form one group; biggest first."""
    groups: list[Group] = []
    members: list[list[set[str]]] = []
    for text, shown, reason in questions:
        stems = question_stems(text)
        best, best_score = None, 0.0
        for i, sets in enumerate(members):
            score = max(similarity(stems, s) for s in sets)
            if score > best_score:
                best, best_score = i, score
        if best is None or best_score < SIMILAR:
            groups.append(Group(0, [], Counter(), set()))
            members.append([])
            best = len(groups) - 1
        group = groups[best]
        members[best].append(stems)
        group.count += 1
        group.reasons[reason] += 1
        group.stems |= stems
        group.texts.append(text)
        if shown and shown not in group.examples and len(group.examples) < MAX_EXAMPLES:
            group.examples.append(shown)
    return sorted(groups, key=lambda g: -g.count)


def closest_entries(groups: Sequence[Group], kb: KnowledgeBase | None) -> None:
    """Set each group's closest knowledge entry: the best search hit for its most common wording."""
    if kb is None:
        return
    for group in groups:
        text = Counter(fold(t) for t in group.texts).most_common(1)[0][0]
        hits = kb.search(text, limit=1)
        if hits:
            group.closest = (hits[0].entry.id, hits[0].entry.title, float(hits[0].score))


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def analyse(
    convs: Sequence[Conversation],
    start: dt.date,
    end: dt.date,
    privacy: Privacy,
    kb: KnowledgeBase | None = None,
    question_order: Sequence[str] = (),
) -> Figures:
    """The report's figures for conversations that started between `start` and `end` (inclusive)."""
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    index = {d: i for i, d in enumerate(days)}
    channels = sorted({c.channel for c in convs})
    per_channel = {ch: [0] * len(days) for ch in channels}
    messages, typed, unanswered, clarified = ([0] * len(days) for _ in range(4))
    questions: list[tuple[str, str, str]] = []
    hidden = 0
    rated: dict[str, RatedAnswer] = {}
    for conv in convs:
        per_channel[conv.channel][index[conv.day]] += 1
        messages[index[conv.day]] += conv.messages
        for turn in conv.turns:
            day = index.get(dt.datetime.fromtimestamp(turn.timestamp, ZONE).date(), index[conv.day])
            typed[day] += 1
            unanswered[day] += turn.outcome in (NOT_UNDERSTOOD, NOT_FOUND)
            clarified[day] += turn.outcome == CLARIFIED
            if turn.reason in UNANSWERED:
                shown = privacy.show(turn.text, turn.timestamp)
                hidden += shown is None
                questions.append((turn.text, shown or "", turn.reason))
        for r in conv.ratings:
            item = rated.setdefault(r.answer, RatedAnswer(r.answer))
            item.up += r.rating == "up"
            item.down += r.rating == "down"
            shown = privacy.show(r.question, r.timestamp)
            if shown and shown not in item.questions:
                item.questions.append(shown)
            for comment in r.comments:
                shown = privacy.show(comment, r.timestamp)
                hidden += shown is None
                if shown:
                    item.comments.append(shown)
    groups = group_questions(questions)
    closest_entries(groups, kb)
    turns = [t for c in convs for t in c.turns]
    outcome = Counter(t.outcome for t in turns)
    totals = {
        "conversations": len(convs),
        "messages": sum(messages),
        "typed": len(turns),
        "answered": outcome[ANSWERED],
        "not_understood": outcome[NOT_UNDERSTOOD],
        "not_found": outcome[NOT_FOUND],
        "out_of_scope": outcome[OUT_OF_SCOPE],
        "clarified": outcome[CLARIFIED],
        "menu_ignored": sum(t.reason == MENU_IGNORED for t in turns),
        "up": sum(r.up for r in rated.values()),
        "down": sum(r.down for r in rated.values()),
        "comments": sum(len(r.comments) for r in rated.values()),
    }
    funnel, stops = consultation_funnel(convs, question_order)
    totals.update({"started": funnel[1][1], "recommended": funnel[-2][1]})
    return Figures(
        start=start,
        end=end,
        days=days,
        channels=channels,
        conversations=per_channel,
        messages=messages,
        typed=typed,
        unanswered_rate=[rate(u, t) for u, t in zip(unanswered, typed, strict=True)],
        clarified_rate=[rate(c, t) for c, t in zip(clarified, typed, strict=True)],
        totals=totals,
        groups=groups,
        rated=sorted(rated.values(), key=lambda r: (-(r.down - r.up), -r.down, r.answer)),
        entries=entry_counts(convs).most_common(),
        funnel=funnel,
        stops=stops,
        hidden_texts=hidden,
    )


def consultation_funnel(
    convs: Sequence[Conversation], question_order: Sequence[str] = ()
) -> tuple[list[tuple[str, int]], list[tuple[str, int, int]]]:
    """Funnel stages (key, conversations) and where unfinished consultations stopped.

    Stage keys: `offered`, `started`, `q:<slot>` for each question, `recommended`, `rated`. The
    consultation asks only the questions that matter, so a question's count is how many reached it.
    """
    started = [c for c in convs if c.started]
    reached: Counter[str] = Counter(slot for c in started for slot in c.asked)
    order = {slot: i for i, slot in enumerate(question_order)}
    slots = sorted(reached, key=lambda s: (order.get(s, len(order)), -reached[s]))
    funnel = [("offered", sum(c.offered for c in convs)), ("started", len(started))]
    funnel += [(f"q:{slot}", reached[slot]) for slot in slots]
    funnel += [
        ("recommended", sum(c.recommended for c in convs)),
        ("rated", sum(c.recommendation_rated for c in convs)),
    ]
    left: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for conv in started:
        if conv.recommended:
            continue
        last = conv.asked[-1] if conv.asked else ""
        left[last][1 if conv.stopped else 0] += 1
    stops = sorted(((slot, n[0], n[1]) for slot, n in left.items()), key=lambda s: -(s[1] + s[2]))
    return funnel, stops
