"""Ratings of answers (👍/👎): the payload front ends send, and which answer in a conversation it rates.

Plain Python over Rasa's event dicts, shared by the rating action (`bot/actions/feedback.py`), the REST
channel (which marks rateable replies), the Telegram front end and `lotsen report`.

The contract, also in the README ("Ratings"):

- A reply the user can rate carries `"rating": {...}` in the REST channel's answer, e.g.
  `{"text": "…", "rating": {"answer": "almi-innovationslan", "ref": "1a2b3c4d"}}`. An answer action marks
  its message by passing `rating={"answer": "<entry id>#<passage key>"}` to `dispatcher.utter_message`
  (several passages joined by "+", bot.actions.answers.answer_id); a message with a source line
  (`Källa: …`) that no action marked gets a marker with `ref` only from the channel.
- To rate it, the front end sends the message `/rate_answer{"rating": "up"}` (or `"down"`) with the
  reply's `rating` object's keys added: `/rate_answer{"rating": "down", "answer": "…", "ref": "…"}`.
  Sending it again with the other value changes the rating; the last one counts.
- The rating is stored as a `SlotSet` of slot `answer_rating` in the tracker store (`events` table),
  so it lives and dies with the conversation (retention, `lotsen privacy forget`).
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from bot.settings import ROOT

RATE_INTENT = "rate_answer"
RATING_SLOT = "answer_rating"
COMMENT_SLOT = "rating_comment"
RATINGS = ("up", "down")
# The answer id the recommendation is rated under (a knowledge answer uses its entry or passage id).
RECOMMENDATION = "recommendation"
ANSWER_ACTIONS = frozenset(
    {"action_answer_kb", "action_clarify", "action_support_for", "action_open_calls", "action_handoff"}
)
RECOMMEND_ACTION = "action_recommend"


# Messages with a source line that are not answers: "nothing found" cites where current calls are published.
NOT_ANSWERS = ("utter_kb_not_found",)


@lru_cache(maxsize=1)
def responses() -> dict[str, str]:
    """The first text of every response in the domain (domain/*.yml)."""
    texts: dict[str, str] = {}
    for path in sorted((ROOT / "domain").glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, variants in (doc.get("responses") or {}).items():
            if variants and variants[0].get("text"):
                texts[name] = str(variants[0]["text"])
    return texts


def is_response(text: str, name: str) -> bool:
    """Whether a bot text was rendered from response `name`: it starts with the text before the first
    `{placeholder}`, or, for a template that starts with one, holds the text that follows it."""
    template = responses().get(name, "")
    literal = [part.strip() for part in re.split(r"\{[^}]*\}", template) if part.strip()]
    if not literal:
        return False
    if template.lstrip().startswith("{"):
        return literal[0] in text
    return text.strip().startswith(literal[0])


def source_prefix() -> str:
    """The start of the source line that ends every factual answer ("Källa: "), from the domain."""
    return responses()["utter_kb_source"].split("{", 1)[0]


def answer_ref(text: str) -> str:
    """A short reference to one answer's text (CRC-32 of its UTF-8, 8 hex digits)."""
    return f"{zlib.crc32(text.strip().encode('utf-8')):08x}"


def has_source_line(text: str) -> bool:
    """Whether a bot text is a factual answer: one of its lines is the source line."""
    prefix = source_prefix()
    if any(is_response(text, name) for name in NOT_ANSWERS):
        return False
    return any(line.startswith(prefix) for line in text.splitlines())


def rating_marker(text: str, metadata: Mapping[str, Any]) -> dict[str, str] | None:
    """The `rating` object the REST channel adds to a reply, or None when the reply is not rateable."""
    marked = metadata.get("rating")
    if isinstance(marked, Mapping):
        return {**{k: str(v) for k, v in marked.items() if k == "answer"}, "ref": answer_ref(text)}
    if text and has_source_line(text):
        return {"ref": answer_ref(text)}
    return None


def rating_payload(rating: str, marker: Mapping[str, str] | None = None) -> str:
    """The message a front end sends to rate an answer."""
    if rating not in RATINGS:
        raise ValueError(f"unknown rating {rating!r} (expected: {', '.join(RATINGS)})")
    values = {"rating": rating, **dict(marker or {})}
    return f"/{RATE_INTENT}{json.dumps(values, ensure_ascii=False, separators=(',', ':'))}"


@dataclass
class Answer:
    """One rateable bot message in a conversation."""

    text: str
    timestamp: float
    answer_id: str
    question: str


def _button_title(payload: str, events: list[Mapping[str, Any]]) -> str | None:
    """The title of the latest button that sent `payload` (what the user saw and tapped)."""
    for event in reversed(events):
        if event.get("event") == "bot":
            for b in (event.get("data") or {}).get("buttons") or []:
                if b.get("payload") == payload:
                    return str(b.get("title") or payload)
    return None


def user_question(event: Mapping[str, Any], earlier: list[Mapping[str, Any]]) -> str:
    """What the user asked in a user event: the text, or the tapped button's title for a payload."""
    text = str(event.get("text") or "")
    if text.startswith("/"):
        return _button_title(text, earlier) or text
    return text


def answers(events: Iterable[Mapping[str, Any]]) -> list[Answer]:
    """Every rateable answer of a conversation, in order, with its answer id and the question before it.

    An answer is a message from a knowledge action with a source line, one marked by its action, or the
    recommendation. Its id is the one the action marked, else the entry the action set `current_entry`
    to, else (for a follow-up that `action_clarify` answered about the entry under discussion) the
    current entry, else the action's name (lists such as open calls are about no single entry).
    """
    seen: list[Mapping[str, Any]] = []
    found: list[Answer] = []
    pending: list[Answer] = []
    action = ""
    question = ""
    current = ""

    def settle() -> None:
        for answer in pending:
            if not answer.answer_id:
                answer.answer_id = current if action == "action_clarify" and current else action
        pending.clear()

    for event in events:
        kind = event.get("event")
        if kind == "user":
            settle()
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if intent != RATE_INTENT:
                question = user_question(event, seen)
        elif kind == "action":
            settle()
            action = str(event.get("name") or "")
        elif kind == "slot" and event.get("name") == "current_entry":
            current = str(event.get("value") or "")
            for answer in pending:
                answer.answer_id = current
        elif kind == "bot":
            text = str(event.get("text") or "")
            when = float(event.get("timestamp") or 0)
            metadata = event.get("metadata") or {}
            marked = metadata.get("rating") if isinstance(metadata, Mapping) else None
            if isinstance(marked, Mapping) and marked.get("answer"):
                about = "" if marked["answer"] == RECOMMENDATION else question
                found.append(Answer(text, when, str(marked["answer"]), about))
            elif action == RECOMMEND_ACTION and (event.get("data") or {}).get("buttons"):
                found.append(Answer(text, when, RECOMMENDATION, ""))
            elif action in ANSWER_ACTIONS and text and has_source_line(text):
                answer = Answer(text, when, "", question)
                found.append(answer)
                pending.append(answer)
        seen.append(event)
    settle()
    return found


def rated_answer(
    events: Iterable[Mapping[str, Any]], answer_id: str | None = None, ref: str | None = None
) -> Answer | None:
    """The answer a rating payload refers to: by ref, else the latest with that id; the latest answer only
    when the payload names none (a ref or id that is no longer in the loaded history rates nothing, rather
    than crediting the latest answer with it)."""
    candidates = answers(events)
    if ref:
        by_ref = [a for a in candidates if answer_ref(a.text) == ref]
        if by_ref:
            return by_ref[-1]
    if answer_id:
        by_id = [a for a in candidates if a.answer_id == answer_id]
        if by_id:
            return by_id[-1]
    if ref or answer_id:
        return None
    return candidates[-1] if candidates else None
