"""The consultation's one check of a product type read from free text: "Jag uppfattade produkten som … Gäller
något av det här också?", with a button for each regulated category the answer does not hold.

Word lists miss categories ("en sensorsula som varnar för fotsår" is electronics with an app, and medical
technology), and the product question is then never asked, so nothing catches the miss (the expert graders'
most harmful fault class, issue #10). The check waits in the same queue as the number confirmations
(`advisor_pending`, bot/actions/advice.py) under the slot name `product_type`, after the numbers.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from bot.advisor import SKIP, parse_answer, slot_updates
from bot.advisor.data import load_questions
from bot.advisor.model import Option
from bot.advisor.profile import answer_phrase, to_profile
from bot.swedish import fold

PRODUCT_SLOT = "product_type"
# At most this many categories are offered, so that the check with its "Nej, det stämmer" button fits a
# phone screen (seven buttons of one line each under a two-line question).
MAX_OFFERED = 6
# Words that keep the product type as read, even after "ja" ("Ja, det stämmer"); folded.
KEEP_WORDS = frozenset("stammer korrekt ratt precis exakt".split())


def needs_check(before: Mapping[str, Any], updates: Mapping[str, Any], expected: str | None) -> list[str]:
    """[PRODUCT_SLOT] when `updates` give the product type for the first time from free text (not as the
    answer to the product question) and there is a category to offer; otherwise []. A product type given
    earlier, or skipped, was seen by the user already: the check is asked once per consultation."""
    value = updates.get(PRODUCT_SLOT)
    if expected == PRODUCT_SLOT or before.get(PRODUCT_SLOT) is not None or not isinstance(value, list):
        return []
    return [PRODUCT_SLOT] if offered({**before, **updates}) else []


def offered(filled: Mapping[str, Any]) -> list[Option]:
    """The categories to offer: the question's `check_options` the answers do not hold (with what they
    imply: a lamp is electronics already), most rule-heavy first, at most MAX_OFFERED."""
    questions = load_questions()
    question = questions.question(PRODUCT_SLOT)
    held = set(to_profile(filled, questions).values.get(PRODUCT_SLOT, ()))
    options = [question.by_value[v] for v in question.check_options if v not in held]
    return options[:MAX_OFFERED]


def product_phrase(filled: Mapping[str, Any]) -> str:
    """The product type as understood, inside a sentence ("en elektrisk/elektronisk produkt")."""
    questions = load_questions()
    return answer_phrase(PRODUCT_SLOT, to_profile(filled, questions), questions)


def check_buttons(filled: Mapping[str, Any]) -> list[dict[str, str]]:
    """A button per offered category; it sends its title, which the parser maps back to the value."""
    return [{"title": o.title, "payload": o.title} for o in offered(filled)]


def read_check_answer(text: str, answer: str | None, filled: Mapping[str, Any]) -> dict[str, Any] | None:
    """What an answer to the check changes: {} keeps the product type ("Nej, det stämmer", "vet inte"), a
    new product_type value adds categories ("den används i vården") or takes one back ("det är ingen
    maskin"); None when the answer is unclear (a bare "ja" says that something applies, not what).
    `answer` is "yes", "no" or None (advice.yes_or_no)."""
    result = parse_answer(text, expected=PRODUCT_SLOT)
    said = result.values.get(PRODUCT_SLOT)
    if result.skipped or said == SKIP:
        return {}
    fallback = load_questions().question(PRODUCT_SLOT).fallback
    added = [v for v in said or [] if v != fallback]
    taken_back = result.negated.get(PRODUCT_SLOT, ())
    if added or taken_back:
        # Only the product type: the check asks about nothing else. Additions, never a replacement.
        only = dataclasses.replace(
            result,
            values={PRODUCT_SLOT: added} if added else {},
            negated={PRODUCT_SLOT: taken_back} if taken_back else {},
            correction=False,
        )
        return {k: v for k, v in slot_updates(filled, only).items() if k == PRODUCT_SLOT}
    words = set(re.findall(r"\w+", fold(text)))
    if answer == "no" or words & KEEP_WORDS:
        return {}
    return None
