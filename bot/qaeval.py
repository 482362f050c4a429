"""`lotsen qa-eval`: ask the real assistant a question set over REST and grade the first replies.

A question set is YAML written by people who never saw the answers:

    questions:
      - id: t001
        category: seed
        before: ["Vad är Almis innovationslån?"]     # optional turns sent first, replies ignored
        q: "Vem kan söka det?"
        expect_all: [["företag", "bolag"], ["250"]]  # every item: one alternative regex must match
        must_not: ["öppen för ansökningar"]          # optional: no regex may match
        source: "000"
        note: "what a right answer says"

Each question gets a fresh conversation. The first reply (every bot message of the turn, joined) is
correct when every `expect_all` item has an alternative that matches (case-insensitive) and no
`must_not` regex matches. When it is not and the reply has buttons, each button is pressed in turn in
a replayed conversation; "after one button" counts the first reply or the first button that leads to a
correct reply. The stack is started the way `lotsen run` starts it, on free ports with a temporary
tracker database, unless `--rasa-url` points at a running assistant.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import statistics
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.runner import Stack, free_port, post_json
from bot.settings import get_settings

# Categories whose questions ask for one fact; their answers' median length is reported (goal ≤ 400).
ONE_FACT_CATEGORIES = frozenset({"seed", "public", "typo", "short", "closed", "followup"})
# A reply with buttons but no source line is a menu that asks the user to choose.
SOURCE_LINE = re.compile(r"^Källa:", re.MULTILINE)
TIMEOUT = 30.0

Say = Callable[[str, str], list[dict[str, Any]]]


class QuestionSetError(Exception):
    """The question file cannot be read or has a malformed question."""


@dataclass(frozen=True)
class Question:
    """One graded question."""

    id: str
    category: str
    q: str
    expect_all: tuple[tuple[str, ...], ...]
    must_not: tuple[str, ...] = ()
    before: tuple[str, ...] = ()

    def grade(self, reply: str) -> bool:
        """Whether a reply holds every expected item and nothing forbidden."""
        found = all(any(re.search(alt, reply, re.IGNORECASE) for alt in item) for item in self.expect_all)
        return found and not any(re.search(rx, reply, re.IGNORECASE) for rx in self.must_not)


@dataclass
class Result:
    """What the assistant did with one question."""

    id: str
    category: str
    correct: bool
    after_button: bool
    menu: bool
    length: int
    has_source: bool
    reply: str
    button: str | None = None


@dataclass
class Summary:
    """Totals over a group of results."""

    results: list[Result] = field(default_factory=list)

    def line(self, label: str) -> str:
        """One row of the report."""
        n = len(self.results)
        correct = sum(r.correct for r in self.results)
        button = sum(r.after_button for r in self.results)
        menus = sum(r.menu for r in self.results)
        unsourced = sum(not r.has_source for r in self.results)
        median = statistics.median(r.length for r in self.results) if n else 0
        return (
            f"{label:<12} {correct:>3}/{n:<3} {100 * correct / max(n, 1):5.1f} %   after one button "
            f"{button:>3} ({100 * button / max(n, 1):5.1f} %)   menus {menus:>2}   "
            f"no source {unsourced:>2}   median length {median:>5.0f}"
        )


def load_questions(path: Path) -> list[Question]:
    """The questions of a YAML file; QuestionSetError names the question that is malformed."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise QuestionSetError(f"{path}: cannot read the questions ({exc})") from exc
    items = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise QuestionSetError(f"{path}: expected a 'questions:' list")
    questions = []
    for index, item in enumerate(items, 1):
        try:
            expect = tuple(tuple([alt] if isinstance(alt, str) else alt) for alt in item["expect_all"])
            question = Question(
                id=str(item["id"]),
                category=str(item.get("category", "")),
                q=str(item["q"]),
                expect_all=tuple(tuple(str(a) for a in alts) for alts in expect),
                must_not=tuple(str(rx) for rx in item.get("must_not") or ()),
                before=tuple(str(turn) for turn in item.get("before") or ()),
            )
            for rx in (*(a for alts in question.expect_all for a in alts), *question.must_not):
                re.compile(rx)
        except (KeyError, TypeError, re.error) as exc:
            raise QuestionSetError(f"{path}: question {index} is malformed ({exc!r})") from exc
        questions.append(question)
    return questions


def reply_text(replies: list[dict[str, Any]]) -> str:
    """All bot messages of one turn, joined."""
    return "\n\n".join(str(r.get("text") or "") for r in replies if r.get("text"))


def reply_buttons(replies: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Every button of one turn, in order."""
    return [b for r in replies for b in (r.get("buttons") or [])]


def ask(say: Say, question: Question) -> Result:
    """Ask one question in a fresh conversation; press buttons when the first reply is wrong."""

    def converse(extra: str | None = None) -> list[dict[str, Any]]:
        sender = f"qa-{question.id}-{uuid.uuid4().hex[:8]}"
        for turn in question.before:
            say(sender, turn)
        replies = say(sender, question.q)
        return say(sender, extra) if extra is not None else replies

    replies = converse()
    text = reply_text(replies)
    buttons = reply_buttons(replies)
    result = Result(
        id=question.id,
        category=question.category,
        correct=question.grade(text),
        after_button=False,
        menu=bool(buttons) and not SOURCE_LINE.search(text),
        length=len(text),
        has_source=bool(SOURCE_LINE.search(text)),
        reply=text,
    )
    result.after_button = result.correct
    if not result.correct:
        for button in buttons:
            if question.grade(reply_text(converse(button["payload"]))):
                result.after_button, result.button = True, button["title"]
                break
    return result


def report(results: list[Result]) -> str:
    """Totals, one line per category, and the one-fact answers' median length."""
    lines = [Summary(results).line("total")]
    for category in sorted({r.category for r in results}):
        lines.append(Summary([r for r in results if r.category == category]).line(category))
    one_fact = [r.length for r in results if r.category in ONE_FACT_CATEGORIES]
    if one_fact:
        lines.append(f"median length of one-fact answers: {statistics.median(one_fact):.0f} characters")
    lines.append(f"answers without a source line: {sum(not r.has_source for r in results)}")
    return "\n".join(lines)


@contextmanager
def running_assistant(rasa_url: str | None) -> Iterator[str]:
    """The URL of a running assistant: the given one, or a fresh stack on free ports."""
    if rasa_url:
        yield rasa_url.rstrip("/")
        return
    with tempfile.TemporaryDirectory(prefix="lotsen-qa-") as tmp:
        settings = dataclasses.replace(
            get_settings(),
            rasa_port=free_port(),
            action_port=free_port(),
            tracker_db=Path(tmp) / "tracker.db",
            telegram_bot_token="",
        )
        url = f"http://127.0.0.1:{settings.rasa_port}"
        stack = Stack(
            dataclasses.replace(settings, rasa_url=url),
            with_widget=False,
            with_telegram=False,
            log_dir=Path(tmp) / "logs",
        )
        try:
            stack.start()
            stack.wait_ready()
            yield url
        finally:
            stack.stop()


def run(args: argparse.Namespace) -> int:
    """Grade every question of the file and print the totals."""
    try:
        questions = load_questions(args.file)
    except QuestionSetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    settings = get_settings()
    for path, fix in ((settings.model_path, "make train"), (settings.knowledge_db, "make kb")):
        if not args.rasa_url and not path.exists():
            print(f"error: {path} is missing (run `{fix}`)", file=sys.stderr)
            return 1
    with running_assistant(args.rasa_url) as url:
        endpoint = f"{url}/webhooks/rest/webhook"

        def say(sender: str, message: str) -> list[dict[str, Any]]:
            return post_json(endpoint, {"sender": sender, "message": message}, TIMEOUT) or []

        results = [ask(say, question) for question in questions]
    print(report(results))
    if args.out:
        args.out.write_text(
            json.dumps([dataclasses.asdict(r) for r in results], ensure_ascii=False, indent=1) + "\n",
            encoding="utf-8",
        )
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register `lotsen qa-eval`."""
    parser = sub.add_parser(
        "qa-eval",
        help="grade the assistant's first replies to a question set over REST",
        description="Start the assistant on free ports, ask every question in a fresh conversation, "
        "grade the first reply (and the best button), print totals per category.",
        epilog="Example: lotsen qa-eval tests/data/questions_tuning.yml --out /tmp/qa.json",
    )
    parser.add_argument("file", type=Path, help="YAML with questions: [{id, category, q, expect_all, ...}]")
    parser.add_argument("--out", type=Path, help="write every question's result as JSON here")
    parser.add_argument("--rasa-url", help="use this running assistant instead of starting one")
    parser.set_defaults(func=run)
