"""`lotsen qa-eval`: question files, grading, and pressing the best button (with a fake assistant)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.qaeval import Question, QuestionSetError, ask, load_questions, report

QUESTIONS = """
questions:
  - id: a1
    category: seed
    q: "Hur mycket?"
    expect_all:
      - ['400[ .]?000', '400 tusen']
      - ['kronor']
    must_not: ['öppen för ansökningar']
    source: "000"
    note: "x"
  - id: a2
    category: followup
    before: ["Vad är Almis innovationslån?"]
    q: "Vem kan söka det?"
    expect_all: [['250']]
"""


def test_load_questions(tmp_path: Path) -> None:
    path = tmp_path / "q.yml"
    path.write_text(QUESTIONS, encoding="utf-8")
    first, second = load_questions(path)
    assert first.expect_all == (("400[ .]?000", "400 tusen"), ("kronor",))
    assert second.before == ("Vad är Almis innovationslån?",)


@pytest.mark.parametrize(
    "text, why",
    [("questions: {}", "expected a 'questions:' list"), ("questions: [{id: x}]", "question 1 is malformed")],
)
def test_malformed_question_files_are_named(tmp_path: Path, text: str, why: str) -> None:
    path = tmp_path / "q.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QuestionSetError, match=why):
        load_questions(path)


@pytest.mark.parametrize(
    "reply, correct",
    [
        ("Upp till 400 000 kronor.", True),
        ("UPP TILL 400 TUSEN KRONOR", True),
        ("Upp till 400 000.", False),
        ("Upp till 400 000 kronor och den är öppen för ansökningar.", False),
    ],
)
def test_grade(reply: str, correct: bool) -> None:
    question = Question(
        "a", "seed", "q", (("400[ .]?000", "400 tusen"), ("kronor",)), ("öppen för ansökningar",)
    )
    assert question.grade(reply) is correct


def test_a_menu_is_graded_by_its_best_button() -> None:
    question = Question("a", "seed", "hur mycket?", (("400 000",),), before=("hej",))
    conversations: dict[str, list[str]] = {}

    def say(sender: str, message: str) -> list[dict[str, Any]]:
        conversations.setdefault(sender, []).append(message)
        if message == "hur mycket?":
            buttons = [{"title": "A", "payload": "/a"}, {"title": "B", "payload": "/b"}]
            return [{"text": "Vilken menar du?", "buttons": buttons}]
        if message == "/b":
            return [
                {"text": "Upp till 400 000 kronor.\n\nKälla: https://x.se (uppgifterna avser 2016-09-30)"}
            ]
        return [{"text": "Något annat."}]

    result = ask(say, question)
    assert (result.correct, result.after_button, result.menu, result.button) == (False, True, True, "B")
    # Every conversation is fresh and replays the turns before the question.
    assert sorted(conversations.values()) == [
        ["hej", "hur mycket?"],
        ["hej", "hur mycket?", "/a"],
        ["hej", "hur mycket?", "/b"],
    ]
    assert "total" in report([result]) and "answers without a source line: 1" in report([result])
