"""Does a company of the size the user gives fit an entry's size condition? ("Vi är 60 anställda, kan vi
få en affärsutvecklingscheck?" → no: the checks are for 2–49 employees; "vi omsätter två miljoner" → no:
they need a turnover of at least 3 million kronor.)

Plain Python over the texts: the condition is read from the passage that answers ("Företag med 2–49
anställda", "högst 250 anställda", "färre än 50 anställda"), the size from the question. Only the size is
judged; the answer still shows the whole condition, so other requirements are not hidden.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.swedish import fold

if TYPE_CHECKING:
    from bot.advisor.parsing.numbers import Number

# "2–49 anställda", "3-249 anställda"
RANGE = re.compile(r"\b(\d{1,6})\s*[–-]\s*(\d{1,6})\s+anställda\b", re.I)
# The words before a number that make it a ceiling or a floor, for employees and turnover alike.
CEILING_WORDS = ("högst", "max(?:imalt)?", "upp till", "färre än", "mindre än", "under")
FLOOR_WORDS = ("minst", "fler än", "mer än", "över")
# "högst 250 anställda", "upp till 250 anställda", "färre än 50 anställda" (= at most 49)
AT_MOST = re.compile(rf"\b({'|'.join(CEILING_WORDS)})\s+(\d{{1,6}})\s+anställda\b", re.I)
# "minst 10 anställda", "fler än 10 anställda" (= at least 11)
AT_LEAST = re.compile(rf"\b({'|'.join(FLOOR_WORDS)})\s+(\d{{1,6}})\s+anställda\b", re.I)
# The user's size: "60 anställda", "vi är 60 personer", "ett företag med 12 medarbetare"; matched on the
# folded question, so "vi ar typ 300 anstallda" typed without å, ä, ö is read too.
ASKED = re.compile(
    r"\b(\d{1,6})\s*(?:st\s+)?(?:anstallda|anst\b|medarbetare|personer|pers\b|pa foretaget|i foretaget"
    r"|employees|staff\b|people\b)"
    r"|\bvi ar\s+(\d{1,6})\b",
    re.I,
)
EXCLUSIVE = ("färre än", "mindre än", "under", "fler än", "mer än", "över")
# Turnover, on folded text: "omsätter", "omsättning", "omsätta"; the English words for English questions.
TURNOVER = re.compile(r"\b(?:omsatt\w*|omsatter|omsatta|turnover|revenue)\b")
# How far (characters) an amount may stand from the turnover word and still be the turnover.
TURNOVER_REACH = 45
# The same words right before a condition's amount, on folded text ("högsta" too: "högsta omsättning").
FLOOR = re.compile(rf"\b(?:{'|'.join(fold(w) for w in FLOOR_WORDS)})\s*$")
CEILING = re.compile(rf"\b(?:{'|'.join(fold(w) for w in (*CEILING_WORDS, 'högsta'))})\s*$")
EURO = re.compile(r"^\s*(?:euro|eur)\b")


@dataclass(frozen=True)
class TurnoverVerdict:
    """The user's turnover against the condition: "fits", "too_low" or "too_high"."""

    verdict: str
    turnover: str  # the user's amount as words, e.g. "2 miljoner kronor"
    condition: str  # e.g. "minst 3 miljoner kronor i omsättning"


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


def _turnover_amount(folded: str) -> tuple[Number, str] | None:
    """The amount next to the turnover word in `folded` and its currency ("SEK" or "EUR")."""
    # Imported here: bot.advisor's engine imports this module (size_limits), so a module-level import of
    # the advisor's number reader would be circular.
    from bot.advisor.parsing.numbers import find_numbers

    word = TURNOVER.search(folded)
    if not word:
        return None
    amounts = [n for n in find_numbers(folded) if n.money or n.scale >= 1_000]
    near = [
        n
        for n in amounts
        if word.end() <= n.start <= word.end() + TURNOVER_REACH or 0 <= word.start() - n.end <= 20
    ]
    if not near:
        return None
    amount = min(near, key=lambda n: abs(n.start - word.end()))
    return amount, "EUR" if EURO.match(folded[amount.end :]) else "SEK"


def _amount_words(value: float, currency: str) -> str:
    unit = "euro" if currency == "EUR" else "kronor"
    if value >= 1_000_000:
        return f"{value / 1_000_000:g} miljoner {unit}".replace(".", ",")
    return f"{value:,.0f} {unit}".replace(",", "\u00a0")


def turnover_verdict(question: str, condition_text: str) -> TurnoverVerdict | None:
    """Whether the turnover in `question` meets the turnover floor or ceiling in `condition_text`; None if
    either is missing or they are in different currencies."""
    asked = _turnover_amount(fold(question))
    condition = fold(condition_text)
    limit = _turnover_amount(condition)
    if asked is None or limit is None or asked[1] != limit[1]:
        return None
    (mine, currency), (bound, _) = asked, limit
    before = condition[: bound.start]
    if FLOOR.search(before):
        verdict, side = ("too_low" if mine.value < bound.value else "fits"), "minst"
    elif CEILING.search(before):
        verdict, side = ("too_high" if mine.value > bound.value else "fits"), "högst"
    else:
        return None
    wording = f"{side} {_amount_words(bound.value, currency)} i omsättning"
    return TurnoverVerdict(verdict, _amount_words(mine.value, currency), wording)
