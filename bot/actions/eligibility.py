"""Does a company of the size the user gives fit an entry's size condition? ("Vi är 60 anställda, kan vi
få en affärsutvecklingscheck?" → no: the checks are for 2–49 employees.)

Plain Python over the texts: the condition is read from the passage that answers ("Företag med 2–49
anställda", "högst 250 anställda", "färre än 50 anställda"), the size from the question. Only the size is
judged; the answer still shows the whole condition, so other requirements are not hidden.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.swedish import fold

# "2–49 anställda", "3-249 anställda"
RANGE = re.compile(r"\b(\d{1,6})\s*[–-]\s*(\d{1,6})\s+anställda\b", re.I)
# "högst 250 anställda", "upp till 250 anställda", "färre än 50 anställda" (= at most 49)
AT_MOST = re.compile(
    r"\b(högst|max(?:imalt)?|upp till|färre än|mindre än|under)\s+(\d{1,6})\s+anställda\b", re.I
)
# "minst 10 anställda", "fler än 10 anställda" (= at least 11)
AT_LEAST = re.compile(r"\b(minst|fler än|mer än|över)\s+(\d{1,6})\s+anställda\b", re.I)
# The user's size: "60 anställda", "vi är 60 personer", "ett företag med 12 medarbetare"; matched on the
# folded question, so "vi ar typ 300 anstallda" typed without å, ä, ö is read too.
ASKED = re.compile(
    r"\b(\d{1,6})\s*(?:st\s+)?(?:anstallda|anst\b|medarbetare|personer|pers\b|pa foretaget|i foretaget)"
    r"|\bvi ar\s+(\d{1,6})\b",
    re.I,
)
EXCLUSIVE = ("färre än", "mindre än", "under", "fler än", "mer än", "över")


@dataclass(frozen=True)
class SizeVerdict:
    """The user's size against the condition: "fits", "too_many" or "too_few"."""

    verdict: str
    employees: int
    condition: str  # the condition as the passage words it, e.g. "2–49 anställda"


def asked_size(question: str) -> int | None:
    """The number of employees a question gives, if it gives one."""
    found = ASKED.search(fold(question))
    if not found:
        return None
    return int(found.group(1) or found.group(2))


def size_limits(text: str) -> tuple[int | None, int | None, str] | None:
    """The smallest and largest allowed number of employees a condition states, and its wording."""
    if found := RANGE.search(text):
        return int(found.group(1)), int(found.group(2)), found.group(0)
    low = high = None
    words = []
    if found := AT_MOST.search(text):
        high = int(found.group(2)) - (1 if found.group(1).lower() in EXCLUSIVE else 0)
        words.append(found.group(0))
    if found := AT_LEAST.search(text):
        low = int(found.group(2)) + (1 if found.group(1).lower() in EXCLUSIVE else 0)
        words.append(found.group(0))
    return (low, high, " och ".join(words)) if words else None


def size_verdict(question: str, condition_text: str) -> SizeVerdict | None:
    """Whether the size in `question` meets the size condition in `condition_text`; None if either is
    missing."""
    employees = asked_size(question)
    limits = size_limits(condition_text)
    if employees is None or limits is None:
        return None
    low, high, wording = limits
    if high is not None and employees > high:
        return SizeVerdict("too_many", employees, wording)
    if low is not None and employees < low:
        return SizeVerdict("too_few", employees, wording)
    return SizeVerdict("fits", employees, wording)
