"""Retrieval evaluation: does the search put the expected entry first for each staff question?"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.kb.errors import KnowledgeError
from bot.kb.store import KnowledgeBase


@dataclass(frozen=True)
class Question:
    """A question and the id of the entry that must come first."""

    text: str
    expect: str


@dataclass(frozen=True)
class Miss:
    """A question whose expected entry was not first: what came instead."""

    question: Question
    got: tuple[str, ...]
    rank: int | None


@dataclass
class EvalResult:
    """Accuracy at 1 and 3, the misses, and the time each search took."""

    total: int = 0
    top1: int = 0
    top3: int = 0
    misses: list[Miss] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)

    @property
    def top1_rate(self) -> float:
        return self.top1 / self.total if self.total else 0.0

    @property
    def top3_rate(self) -> float:
        return self.top3 / self.total if self.total else 0.0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else 0.0

    @property
    def p99_ms(self) -> float:
        return percentile(self.latencies_ms, 99)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (0.0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]


def load_questions(path: Path) -> list[Question]:
    """Questions from YAML: `questions: [{q: ..., expect: entry-id}, ...]`."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"cannot read the questions: {exc}", path) from exc
    items = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise KnowledgeError("expected a 'questions:' list of {q: ..., expect: ...}", path)
    questions = []
    for index, item in enumerate(items, 1):
        if not (
            isinstance(item, dict) and isinstance(item.get("q"), str) and isinstance(item.get("expect"), str)
        ):
            raise KnowledgeError(f"question {index} needs text 'q' and an entry id 'expect'", path)
        questions.append(Question(item["q"], item["expect"]))
    return questions


def evaluate(kb: KnowledgeBase, questions: list[Question], depth: int = 10) -> EvalResult:
    """Search every question once (after one warm-up search) and score the ranking."""
    kb.search("warm up")
    result = EvalResult()
    for question in questions:
        start = time.perf_counter()
        hits = kb.search(question.text, limit=depth)
        result.latencies_ms.append((time.perf_counter() - start) * 1000)
        ids = [hit.entry.id for hit in hits]
        result.total += 1
        rank = ids.index(question.expect) + 1 if question.expect in ids else None
        result.top1 += rank == 1
        result.top3 += rank is not None and rank <= 3
        if rank != 1:
            result.misses.append(Miss(question, tuple(ids[:3]), rank))
    return result
