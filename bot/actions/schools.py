"""Actors of one university are offered only to that university's students.

A support or actor whose summary says it is for the students and researchers at one university ("KTH
Innovation stöttar studenter och forskare vid KTH …") is no help to a user who has said they study at
another ("jag pluggar industridesign på Chalmers"): persona round 13 (p07) offered KTH Innovation to a
Chalmers student. It is left out of the recommendation's supports when the conversation names another
university; the named university's own actor is offered only when the knowledge base holds it (the advisor's
support rules list it).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from typing import Any

from rasa_sdk import Tracker

from bot.swedish import fold, is_stopword

# Where a user says they study (folded): a verb of studying, at most two words (the subject), then "på"/"vid"
# and the place: "pluggar industridesign på chalmers", "studerar vid lunds universitet", "läser på KTH".
STUDIES_AT = re.compile(
    r"\b(pluggar|studerar|laser|student|doktorand|forskar)\b(?:\s+\w+){0,2}?\s+(?:pa|vid)\s+([a-z]+)"
)
# Whom an actor is for (folded summary): "studenter och forskare vid KTH", "forskare vid …".
FOR_MEMBERS_OF = re.compile(r"\b(?:studenter|forskare)(?: och (?:studenter|forskare))? vid ([a-z]+)")


def user_school(texts: Iterable[str]) -> str | None:
    """The university the user says they study at (folded first word of its name), or None; the last said."""
    schools = [
        found.group(2)
        for text in texts
        for found in STUDIES_AT.finditer(fold(text))
        if not is_stopword(found.group(2))
    ]
    return schools[-1] if schools else None


def school_of(item: Any) -> str | None:
    """The university an actor or support is only for (folded first word of its name), or None."""
    found = FOR_MEMBERS_OF.search(fold(str(getattr(item, "summary", "") or "")))
    return found.group(1) if found else None


def user_texts(tracker: Tracker) -> list[str]:
    """What the user has typed in this conversation, in order (button payloads left out)."""
    said = [str(e.get("text") or "") for e in tracker.events if e.get("event") == "user"]
    latest = str(tracker.latest_message.get("text") or "")
    return [t for t in [*said, latest] if t and not t.startswith("/")]


def for_users_school(advice: Any, tracker: Tracker) -> Any:
    """The recommendation without the actors of a university other than the one the user studies at."""
    school = user_school(user_texts(tracker))
    supports = getattr(advice, "supports", None)
    if school is None or not supports:
        return advice
    kept = tuple(item for item in supports if school_of(item) in {None, school})
    return advice if len(kept) == len(supports) else dataclasses.replace(advice, supports=kept)
