"""Cross-reference checks of the advisor data that JSON Schema cannot express.

Each check returns `(where, message)` pairs; `where` is the key path inside the YAML file, which the
loader turns into `file:line: key: message`.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from typing import Any

from bot.advisor.model import (
    SCALE_STEP,
    SLOTS,
    UNCHANGED,
    UNKNOWN,
    QuestionsData,
    RulesData,
    unless_conditions,
)
from bot.advisor.parsing.textmatch import fold

Problem = tuple[tuple[Any, ...], str]

IGNORE = "ignore"
QUESTION_TEXT_FIELDS = {"answer_line": {"label", "answer"}}
RULE_TEXT_FIELDS = {
    "heading": {"title"},
    "roadmap": {"path"},
    "roadmap_current": {"stage"},
    "support_line": {"title", "kind", "why", "year"},
    "support_year": {"year"},
    "support_url": {"url"},
    "unknown_caveat": {"slots"},
    "alternative": {"title"},
    "alternative_why": {"title", "why"},
    "alternative_consider": {"title", "when"},
    "wish_taken": set(),
    "wish_against": {"title", "why"},
    "wish_consider": {"title", "when"},
    "wish_within": {"title"},
    "regulation_step": {"titles"},
    "regulation_line": {"title", "summary"},
    "source_line": {"url", "date"},
    "regulation_detail": {"text", "source"},
    "detail_source": {"source"},
    "bullet": {"text"},
    "numbered": {"number", "text"},
    "summary_recomputing": {"answers"},
    "choice_heading": {"title", "other"},
    "choice_heading_neither": {"title", "other", "advice"},
    "choice_against": {"title"},
    "choice_when": {"title", "when"},
    "choice_deciding": {"question"},
    "investment_hours": {"hours"},
    "cheapest_heading": {"volume", "title"},
    "cheapest_kept": {"title", "volume"},
}


def check_questions(data: QuestionsData) -> list[Problem]:
    """Problems in questions.yml: missing slots, unknown option values, overlapping synonyms, buckets."""
    problems: list[Problem] = []
    slots = [q.slot for q in data.questions]
    for slot in SLOTS:
        if slots.count(slot) != 1:
            problems.append(
                (("questions",), f"slot '{slot}' must have exactly one question (found {slots.count(slot)})")
            )
    for key, template in data.texts.items():
        problems += _fields(("texts", key), template, QUESTION_TEXT_FIELDS.get(key, set()))
    for i, question in enumerate(data.questions):
        problems += _check_question(("questions", i), question, data)
    return problems


def _check_question(at: tuple[Any, ...], question: Any, data: QuestionsData) -> list[Problem]:
    values = [o.value for o in question.options]
    problems = [
        (at + ("options",), f"option '{v}' appears twice") for v in set(values) if values.count(v) > 1
    ]
    for key in ("negated", "fallback"):
        allowed = [*values, UNCHANGED] if key == "negated" else values
        if getattr(question, key) and getattr(question, key) not in allowed:
            problems.append((at + (key,), _unknown("value", getattr(question, key), allowed)))
    problems += [
        (at + ("check_options",), _unknown("value", v, values))
        for v in question.check_options
        if v not in values
    ]
    for k, when in enumerate(question.skip_when):
        problems += check_condition(at + ("skip_when", k), when, data, categories=None)
    seen: dict[str, str] = {}
    for j, option in enumerate(question.options):
        for key in ("planned", "possible", "slight"):
            said = getattr(option, key)
            if said and said not in (*values, IGNORE):
                problems.append((at + ("options", j, key), _unknown("value", said, [*values, IGNORE])))
        problems += [
            (at + ("options", j, key), _unknown("value", v, values))
            for key in ("outranks", "implies", "yields_to", "yields_unless")
            for v in getattr(option, key)
            if v not in values or v == option.value
        ]
        chained = [v for v in option.implies if (o := question.option(v)) is not None and o.implies]
        if chained and not question.multiple:
            problem = "a single choice implies no option that implies more"
            problems.append((at + ("options", j, "implies"), problem))
        for synonym in (option.value, option.title, *option.synonyms, *option.short_answers):
            key = fold(synonym)
            if seen.setdefault(key, option.value) != option.value:
                problems.append(
                    (
                        at + ("options", j),
                        f"synonym '{synonym}' selects both '{seen[key]}' and '{option.value}'",
                    )
                )
    if question.numbers:
        problems += _fields(at + ("numbers", "phrase"), question.numbers.phrase, {"number"})
        if question.numbers.bound_phrase is not None:
            problems += _fields(at + ("numbers", "bound_phrase"), question.numbers.bound_phrase, {"number"})
        problems += _check_buckets(at, question.options)
        problems += [
            (at + ("numbers", "words_first"), _unknown("value", v, values))
            for v in question.numbers.words_first
            if v not in values
        ]
    return problems


def _check_buckets(at: tuple[Any, ...], options: Iterable[Any]) -> list[Problem]:
    """Options that sort numbers need ascending `max` values, with only the last one open-ended; options
    before the first `max` take no numbers (see `QuestionSpec.bucket`)."""
    options = list(options)
    options = options[next((i for i, o in enumerate(options) if o.max is not None), 0) :]
    bounds = [o.max for o in options[:-1]]
    if None in bounds or bounds != sorted(bounds):
        return [(at + ("options",), "every option but the last needs a 'max', in ascending order")]
    return []


def check_rules(rules: RulesData, questions: QuestionsData) -> list[Problem]:
    """Problems in rules.yml: unknown categories, slots, values, placeholders and stages."""
    ids = [c["id"] for c in rules.categories]
    problems: list[Problem] = [
        (("categories",), f"category '{c}' appears twice") for c in set(ids) if ids.count(c) > 1
    ]
    rule_ids = [r["id"] for r in rules.scoring]
    problems += [
        (("scoring",), f"rule id '{r}' appears twice") for r in set(rule_ids) if rule_ids.count(r) > 1
    ]
    for i, rule in enumerate(rules.scoring):
        at = ("scoring", i)
        problems += check_condition(at + ("when",), rule["when"], questions, categories=None)
        for n, unless in enumerate(unless_conditions(rule)):
            problems += check_condition(at + ("unless", n), unless, questions, categories=None)
        problems += [
            (at + ("points", c), _unknown("category", c, ids)) for c in rule["points"] if c not in ids
        ]
        problems += _fields(at + ("reason",), rule.get("reason", ""), set(SLOTS))
        for key in ("why_not", "reason_for"):
            for category, text in rule.get(key, {}).items():
                if category not in ids:
                    problems.append((at + (key, category), _unknown("category", category, ids)))
                problems += _fields(at + (key, category), text, set(SLOTS))
    for i, rule in enumerate(rules.regulations):
        problems += _conditions(("regulations", i), rule, questions, ids)
    for i, when in enumerate(rules.settings.get("rules_step_unless", ())):
        problems += check_condition(("settings", "rules_step_unless", i), when, questions, categories=ids)
    for section, text_key in (("next_steps", "text"), ("caveats", "text"), ("supports", "why")):
        for i, rule in enumerate(getattr(rules, section)):
            problems += _conditions((section, i), rule, questions, ids)
            problems += _fields((section, i, text_key), rule[text_key], set(SLOTS))
    problems += _check_realism(rules, questions, ids)
    problems += _check_dated(rules, questions, ids)
    stage_values = [o.value for o in questions.question("stage").options]
    if [s["id"] for s in rules.stages] != stage_values:
        problems.append(
            (("stages",), f"stage ids must be the stage options in order: {', '.join(stage_values)}")
        )
    for key, template in rules.texts.items():
        if isinstance(template, str):
            problems += _fields(("texts", key), template, RULE_TEXT_FIELDS.get(key, set()))
    return problems


def _check_realism(rules: RulesData, questions: QuestionsData, categories: list[str]) -> list[Problem]:
    """Realism checks: unique ids, known conditions and placeholders, limits only on number questions."""
    ids = [c["id"] for c in rules.realism]
    problems: list[Problem] = [
        (("realism",), f"realism id '{r}' appears twice") for r in set(ids) if ids.count(r) > 1
    ]
    numbered = [q.slot for q in questions.questions if q.numbers]
    for i, check in enumerate(rules.realism):
        at = ("realism", i)
        problems += _conditions(at, check, questions, categories)
        problems += _fields(at + ("text",), check["text"], set(SLOTS))
        problems += _fields(at + ("short",), check["short"], set(SLOTS))
        problems += [
            (at + ("below", slot), f"'{slot}' has no numbers (expected: {', '.join(numbered)})")
            for slot in check.get("below", {})
            if slot not in numbered
        ]
    return problems


def _check_dated(rules: RulesData, questions: QuestionsData, categories: list[str]) -> list[Problem]:
    """Dated rules: unique ids, known conditions, placeholders from the slots and {date} (the entry's
    paragraph is checked against the entries: `data.missing_entries`)."""
    ids = [r["id"] for r in rules.dated_rules]
    problems: list[Problem] = [
        (("dated_rules",), f"dated rule id '{r}' appears twice") for r in set(ids) if ids.count(r) > 1
    ]
    for i, rule in enumerate(rules.dated_rules):
        at = ("dated_rules", i)
        problems += _conditions(at, rule, questions, categories)
        for key in ("text", "ongoing"):
            problems += _fields(at + (key,), rule[key], {*SLOTS, "date"})
    return problems


def _conditions(
    at: tuple[Any, ...], rule: Mapping[str, Any], questions: QuestionsData, categories: list[str]
) -> list[Problem]:
    """Problems in a rule's `when`, `also` and `unless`."""
    return [
        problem
        for key in ("when", "also", "unless")
        for problem in check_condition(at + (key,), rule.get(key, {}), questions, categories)
    ]


def check_condition(
    at: tuple[Any, ...], when: Mapping[str, Any], questions: QuestionsData, categories: list[str] | None
) -> list[Problem]:
    """Problems in one `when:` mapping; `categories` is None where `category` is not allowed."""
    problems: list[Problem] = []
    for key, wanted in when.items():
        values = wanted if isinstance(wanted, list) else [wanted]
        if key == "category":
            if categories is None:
                problems.append(
                    (at + (key,), "'category' can't be used here (the category isn't chosen yet)")
                )
                continue
            allowed = categories
        elif key == SCALE_STEP:
            allowed = [
                *(s for q in questions.questions if q.numbers for s in q.numbers.current_steps),
                UNKNOWN,
            ]
        else:
            allowed = [o.value for o in questions.question(key).options] + [UNKNOWN]
        problems += [(at + (key,), _unknown("value", v, allowed)) for v in values if v not in allowed]
    return problems


def _fields(at: tuple[Any, ...], template: str, allowed: set[str]) -> list[Problem]:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:
        return [(at, f"broken placeholder: {exc} (write {{name}}, and {{{{ }}}} for a literal brace)")]
    expected = ", ".join("{" + a + "}" for a in sorted(allowed)) or "none"
    return [(at, f"unknown placeholder {{{n}}} (expected: {expected})") for n in sorted(names - allowed)]


def _unknown(what: str, value: Any, allowed: Iterable[str]) -> str:
    return f"unknown {what} '{value}' (expected: {', '.join(allowed)})"
