"""The production-strategy advisor: questions, free-text parsing and the recommendation engine.

Plain Python without Rasa; its questions and rules are data in knowledge/advisor/ so staff can tune them.

    from bot.advisor import next_question, parse_answer, slot_updates, recommend

    question = next_question(filled)                       # what to ask, with buttons; None when done
    result = parse_answer("vi har en prototyp i plast", expected=question.slot)
    filled |= slot_updates(filled, result)                 # several answers, corrections, "vet inte"
    print(recommend(filled, kb).as_text())                 # kb: bot.kb.KnowledgeBase()
"""

from __future__ import annotations

from bot.advisor.data import AdvisorDataError, load_questions, load_rules, validate_advisor
from bot.advisor.engine import (
    KnowledgeItem,
    Recommendation,
    SupportItem,
    SupportLookup,
    Weighing,
    recommend,
    weigh,
)
from bot.advisor.parsing.parse import SKIP, ParseResult, affirms, parse_answer, slot_updates
from bot.advisor.questions import (
    Button,
    Question,
    describe_answers,
    left_with_goal,
    next_question,
    question_for,
    required_slots,
)

__all__ = [
    "SKIP",
    "AdvisorDataError",
    "Button",
    "KnowledgeItem",
    "ParseResult",
    "Question",
    "Recommendation",
    "SupportItem",
    "SupportLookup",
    "affirms",
    "describe_answers",
    "left_with_goal",
    "load_questions",
    "load_rules",
    "next_question",
    "parse_answer",
    "question_for",
    "recommend",
    "required_slots",
    "slot_updates",
    "validate_advisor",
    "Weighing",
    "weigh",
]
