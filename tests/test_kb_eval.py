"""Retrieval quality on the real knowledge: the staff's question set must find the right entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.kb import KnowledgeBase, build
from bot.kb.evaluate import evaluate, load_questions
from bot.settings import ROOT

QUESTIONS = ROOT / "tests" / "data" / "kb_questions.yml"
KNOWLEDGE = ROOT / "knowledge"


def test_questions_find_their_entry_first(tmp_path: Path) -> None:
    if not QUESTIONS.exists():
        pytest.skip(f"{QUESTIONS.relative_to(ROOT)} has not been written yet")
    kb = KnowledgeBase(build(KNOWLEDGE, tmp_path / "knowledge.db").path)
    questions = load_questions(QUESTIONS)
    unknown = sorted({q.expect for q in questions if kb.get(q.expect) is None})
    assert unknown == [], f"questions expect entries that do not exist: {unknown}"
    result = evaluate(kb, questions)
    print(
        f"\n{result.total} questions: top-1 {result.top1_rate:.3f}, top-3 {result.top3_rate:.3f}, "
        f"latency median {result.median_ms:.2f} ms, p99 {result.p99_ms:.2f} ms"
    )
    for miss in result.misses:
        print(f"  miss: {miss.question.text!r} expected {miss.question.expect}, got {list(miss.got)}")
    assert result.top1_rate >= 0.90
    assert result.top3_rate >= 0.97
