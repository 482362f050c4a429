"""`lotsen kb`: validate, build, search, export NLU names and evaluate the knowledge base.

The only layer that turns KnowledgeError into messages and exit codes.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path

from bot.kb.aliases import alias_warnings
from bot.kb.build import build, entry_topics, vocabulary
from bot.kb.concepts import read_concepts, read_situations
from bot.kb.errors import KnowledgeError, ValidationFailed, display_path
from bot.kb.evaluate import evaluate, load_questions
from bot.kb.model import KINDS, Entry
from bot.kb.nlu import write_nlu
from bot.kb.store import KnowledgeBase
from bot.kb.validate import check, load_entries
from bot.settings import ROOT, get_settings

Handler = Callable[[argparse.Namespace], int]
DEFAULT_QUESTIONS = ROOT / "tests" / "data" / "kb_questions.yml"


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Add `lotsen kb` and its sub-commands."""
    kb = sub.add_parser(
        "kb",
        help="validate, build and search the knowledge base",
        description="Work with the staff-edited knowledge in knowledge/entries.",
        epilog="Example: lotsen kb validate && lotsen kb build",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = kb.add_subparsers(dest="kb_command", required=True, metavar="KB_COMMAND")
    validate = _command(commands, "validate", cmd_validate, "check every entry file", "lotsen kb validate")
    _knowledge_option(validate)
    validate.add_argument(
        "--fail-on-warnings",
        action="store_true",
        help="exit 1 on warnings too (an alias made of words many entries use)",
    )
    build_ = _command(
        commands, "build", cmd_build, "validate, then compile var/knowledge.db", "lotsen kb build"
    )
    _knowledge_option(build_)
    _db_option(build_)
    search = _command(
        commands,
        "search",
        cmd_search,
        "search like the assistant does",
        "lotsen kb search 'vem kan söka innovationslån'",
    )
    search.add_argument("text", help="the question or name to search for")
    search.add_argument("--kind", choices=KINDS, help="only entries of this kind")
    search.add_argument("--limit", type=int, default=5, help="how many results (default 5)")
    search.add_argument("--json", action="store_true", help="print a JSON list instead of a table")
    _db_option(search)
    nlu = _command(
        commands,
        "nlu",
        cmd_nlu,
        "write the kb_entry lookup table and synonyms for Rasa",
        "lotsen kb nlu --out nlu/generated/kb_entities.yml",
    )
    nlu.add_argument("--out", type=Path, required=True, help="the NLU YAML file to write")
    _knowledge_option(nlu)
    evaluation = _command(
        commands,
        "eval",
        cmd_eval,
        "measure top-1/top-3 accuracy and search latency on a question set",
        "lotsen kb eval --questions tests/data/kb_questions.yml",
    )
    evaluation.add_argument(
        "--questions", type=Path, default=DEFAULT_QUESTIONS, help="YAML with questions: [{q, expect}]"
    )
    _db_option(evaluation)


def _command(
    commands: argparse._SubParsersAction, name: str, handler: Handler, summary: str, example: str
) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        name,
        help=summary,
        description=summary[0].upper() + summary[1:] + ".",
        epilog=f"Example: {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(func=_guarded(handler))
    return parser


def _knowledge_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--knowledge", type=Path, help="knowledge folder (default: $KNOWLEDGE_DIR or knowledge/)"
    )


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", type=Path, help="compiled database (default: $KNOWLEDGE_DB or var/knowledge.db)"
    )


def _guarded(handler: Handler) -> Handler:
    """Run a handler, printing knowledge errors (never a traceback) and returning exit code 1."""

    @wraps(handler)
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except ValidationFailed as exc:
            _print_errors(exc.errors)
            return 1
        except KnowledgeError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1

    return run


def _print_errors(errors: list[KnowledgeError]) -> None:
    """Every error as file:line: message, then a count."""
    for error in errors:
        print(error, file=sys.stderr)
    files = len({error.path for error in errors if error.path is not None})
    print(f"{len(errors)} error(s) in {files} file(s)", file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    """Print every error as file:line: message; exit 1 if there are any."""
    files, errors = check(args.knowledge)
    if errors:
        _print_errors(errors)
    # The advisor's questions and rules are knowledge too: one command checks everything under knowledge/.
    from bot.advisor.data import validate_advisor

    knowledge = args.knowledge or get_settings().knowledge_dir
    folder = knowledge / "advisor"
    advisor_errors = validate_advisor(folder) if folder.is_dir() else []
    for message in advisor_errors:
        print(message, file=sys.stderr)
    # The concept table's words must be words of the entries.
    entries = [Entry.from_dict(f.data, path=str(f.path)) for f in files]
    _, concept_errors = read_concepts(knowledge, vocabulary(entries))
    concept_errors += read_situations(knowledge, entry_topics(entries))[1]
    for concept_error in concept_errors:
        print(concept_error, file=sys.stderr)
    if errors or advisor_errors or concept_errors:
        return 1
    warnings = alias_warnings(files)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if warnings and args.fail_on_warnings:
        return 1
    print(f"OK: {len(files)} entries" + (", advisor" if folder.is_dir() else ""))
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    """Validate and compile; on errors the existing database is left untouched."""
    result = build(args.knowledge, args.db)
    print(f"Built {display_path(result.path)}: {result.entries} entries")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    """Print the ranked entries for a question."""
    hits = KnowledgeBase(args.db).search(args.text, kind=args.kind, limit=args.limit)
    if args.json:
        rows = [
            {
                "id": h.entry.id,
                "kind": h.entry.kind,
                "title": h.entry.title,
                "score": h.score,
                "summary": h.entry.summary,
            }
            for h in hits
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("No matches.")
    for rank, hit in enumerate(hits, 1):
        print(f"{rank:>2}. {hit.score:7.3f}  {hit.entry.id}  [{hit.entry.kind}]  {hit.entry.title}")
    return 0


def cmd_nlu(args: argparse.Namespace) -> int:
    """Write the Rasa lookup table and synonyms generated from the entries."""
    entries = load_entries(args.knowledge)
    write_nlu(entries, args.out)
    print(f"Wrote {display_path(args.out)}: {len(entries)} entries")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    """Print accuracy, misses and latency over the question set."""
    questions = load_questions(args.questions)
    result = evaluate(KnowledgeBase(args.db), questions)
    print(f"Questions: {result.total}")
    print(f"Top-1: {result.top1_rate:.3f} ({result.top1}/{result.total})")
    print(f"Top-3: {result.top3_rate:.3f} ({result.top3}/{result.total})")
    print(f"Search latency: median {result.median_ms:.2f} ms, p99 {result.p99_ms:.2f} ms")
    for miss in result.misses:
        rank = f"rank {miss.rank}" if miss.rank else "not in top 10"
        got = ", ".join(miss.got) or "nothing"
        print(f'  miss: "{miss.question.text}" expected {miss.question.expect} ({rank}); got {got}')
    return 0
