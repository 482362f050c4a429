"""`lotsen advisor`: check the advisor's YAML and try a consultation from the command line.

The only layer that turns AdvisorDataError into messages and exit codes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.advisor.data import AdvisorDataError, validate_advisor
from bot.advisor.engine import SupportLookup, recommend
from bot.advisor.parsing.parse import parse_answer, slot_updates
from bot.advisor.questions import next_question
from bot.settings import get_settings


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Add `lotsen advisor validate` and `lotsen advisor try`."""
    advisor = sub.add_parser(
        "advisor",
        help="check and try the production-strategy advisor",
        description="Work with the advisor's questions and rules in knowledge/advisor.",
        epilog="Example: lotsen advisor validate",
    )
    commands = advisor.add_subparsers(dest="advisor_command", required=True, metavar="ADVISOR_COMMAND")
    validate = commands.add_parser(
        "validate",
        help="check questions.yml and rules.yml",
        description="Check knowledge/advisor/questions.yml and rules.yml against the schema and each other.",
        epilog="Example: lotsen advisor validate --dir knowledge/advisor",
    )
    validate.add_argument("--dir", type=Path, help="the advisor folder (default: $KNOWLEDGE_DIR/advisor)")
    validate.set_defaults(func=cmd_validate)
    trial = commands.add_parser(
        "try",
        help="answer the consultation with the given messages and print the recommendation",
        description="Each message answers the question asked at that point, as in a chat.",
        epilog="Example: lotsen advisor try 'vi har en prototyp i plast, 10 000 st per år' 'vet inte'",
    )
    trial.add_argument("messages", nargs="+", help="the user's messages, in order")
    trial.add_argument("--no-kb", action="store_true", help="don't look up support in var/knowledge.db")
    trial.set_defaults(func=cmd_try)
    evaluate = commands.add_parser(
        "eval",
        help="play consultation scenarios against the real servers and grade the recommendations",
        description="Play each scenario of a file over REST (starting the servers unless --url is given) "
        "and report the recommended path, the must / must-not items and the first message's length.",
        epilog="Example: lotsen advisor eval tests/data/advisor_tuning_scenarios.yml --out results/a.json",
    )
    evaluate.add_argument("file", type=Path, help="a scenario file (see bot/advisor/scenarios.py)")
    evaluate.add_argument("--out", type=Path, help="write every result with its transcript as JSON here")
    evaluate.add_argument("--url", help="a running Rasa server, e.g. http://localhost:5005")
    evaluate.set_defaults(func=cmd_eval)


def cmd_validate(args: argparse.Namespace) -> int:
    """Print every problem in the advisor files; exit code 1 if there is any."""
    errors = validate_advisor(args.dir)
    for error in errors:
        print(error, file=sys.stderr)
    if not errors:
        print("knowledge/advisor: OK")
    return 1 if errors else 0


def cmd_try(args: argparse.Namespace) -> int:
    """Run a consultation on the given messages and print each step and the final summary."""
    try:
        filled: dict[str, Any] = {}
        for message in args.messages:
            question = next_question(filled)
            expected = question.slot if question else None
            print(f"? {question.text if question else '-'}\n> {message}")
            filled |= slot_updates(filled, parse_answer(message, expected=expected))
            print(f"  {filled}")
        question = next_question(filled)
        if question:
            print(f"? {question.text} (obesvarad)")
        print()
        print(recommend(filled, None if args.no_kb else _knowledge_base()).as_text())
    except AdvisorDataError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    """Play the scenarios and print the summary."""
    from bot.advisor.scenarios import ScenarioSetError, run_file, summary

    try:
        # run_file loads (and checks) the file before it starts any server.
        results = run_file(args.file, args.out, args.url)
    except ScenarioSetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(summary(results))
    return 0


def _knowledge_base() -> SupportLookup | None:
    """The compiled knowledge base, or None (with a note) when it hasn't been built."""
    path = get_settings().knowledge_db
    if not path.exists():
        print(f"(no {path}; run `lotsen kb build` to include support and actors)", file=sys.stderr)
        return None
    from bot.kb import KnowledgeBase

    return KnowledgeBase(path)
