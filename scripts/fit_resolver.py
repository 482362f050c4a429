"""Fit the resolver's weights on the tuning question sets by replaying them through the real actions.

Each question is parsed by the trained NLU model (as the Rasa server would), the rule's action runs
with a Tracker built from the parse and the slots so far, and the first reply is graded: by the
question's regexes (tests/data/questions_tuning.yml) or by the entry it answers about
(tests/data/kb_questions.yml). Coordinate search over `bot.actions.resolve.Weights`; prints the best.
Never run it on the frozen set.

    PYTHONPATH=. .venv/bin/python scripts/fit_resolver.py [--rounds 2] [--show] [--sets FILE ...]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
from pathlib import Path
from typing import Any

import yaml
from rasa.core.agent import Agent
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import bot.actions.resolve as resolver
from bot.actions.handoff import ActionClarify, ActionOutOfScope
from bot.actions.knowledge import ActionAnswerKb, ActionOpenCalls, ActionSupportFor
from bot.qaeval import Question, load_questions
from bot.settings import ROOT

ACTIONS = {
    "ask_support_for": ActionSupportFor(),
    "ask_open_calls": ActionOpenCalls(),
    "nlu_fallback": ActionClarify(),
    "out_of_scope": ActionOutOfScope(),
}
GRID = {
    "search": [0.5, 1.0, 1.5, 2.0],
    "coverage": [0.5, 1.0, 1.5, 2.0, 3.0],
    "field": [0.2, 0.4, 0.6, 0.9, 1.2],
    "entity": [0.0, 0.3, 0.6],
    "current": [0.4, 0.8, 1.2, 1.6],
    "default": [0.2, 0.6, 1.0, 1.5],
    "specific": [0.0, 0.1, 0.3],
    "margin": [0.0, 0.02, 0.05, 0.1],
    "floor": [0.3, 0.45, 0.6, 0.8, 1.0],
    "second": [0.3, 0.5, 0.7],
    "tie": [0.9, 0.95, 0.98, 1.01],
    "situation": [0.0, 0.1, 0.2, 0.3, 0.5, 0.8],
}


def domain() -> dict[str, Any]:
    merged: dict[str, Any] = {"responses": {}}
    for path in sorted((ROOT / "domain").glob("*.yml")):
        merged["responses"].update(yaml.safe_load(path.read_text()).get("responses") or {})
    return merged


class Replayer:
    def __init__(self, agent: Agent) -> None:
        self.agent = agent
        self.domain = domain()
        self.parses: dict[str, dict[str, Any]] = {}

    def parse(self, text: str) -> dict[str, Any]:
        if text not in self.parses:
            self.parses[text] = asyncio.run(self.agent.parse_message(text))
        return self.parses[text]

    def turn(self, text: str, slots: dict[str, Any]) -> str:
        parse = self.parse(text)
        intent = parse["intent"]["name"]
        if text.startswith("/"):
            intent = text[1:].split("{")[0]
        action = ACTIONS.get(intent)
        if action is None and (intent.startswith("ask_") or intent == "read_more"):
            action = ActionAnswerKb()
        if action is None:
            responses = self.domain["responses"].get(f"utter_{intent}") or [{"text": ""}]
            return str(responses[0].get("text", ""))
        tracker = Tracker("fit", dict(slots), parse, [], False, None, {}, "action_listen")
        dispatcher = CollectingDispatcher()
        events = asyncio.run(action.run(dispatcher, tracker, self.domain))
        for event in events:
            if event.get("event") == "slot":
                slots[event["name"]] = event["value"]
        return "\n\n".join(m.get("text") or "" for m in dispatcher.messages)

    def question(self, q: Question) -> bool:
        slots: dict[str, Any] = {}
        for turn in q.before:
            self.turn(turn, slots)
        return q.grade(self.turn(q.q, slots))

    def entry_question(self, text: str, expect: str) -> bool:
        slots: dict[str, Any] = {}
        self.turn(text, slots)
        return slots.get("current_entry") == expect


def score(replayer: Replayer, tuning: list[Question], kb_questions: list[dict[str, str]]) -> tuple[int, int]:
    return (
        sum(replayer.question(q) for q in tuning),
        sum(replayer.entry_question(item["q"], item["expect"]) for item in kb_questions),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--show", action="store_true", help="print the failing tuning questions and stop")
    parser.add_argument(
        "--sets",
        nargs="+",
        default=["questions_tuning.yml"],
        help="tuning question files under tests/data (never the frozen ones)",
    )
    args = parser.parse_args()
    if any("frozen" in name for name in args.sets):
        parser.error("the frozen sets are for measuring, never for fitting")
    agent = Agent.load(str(ROOT / "models" / "current.tar.gz"))
    replayer = Replayer(agent)
    tuning = [q for name in args.sets for q in load_questions(ROOT / "tests" / "data" / name)]
    kb_questions = yaml.safe_load(Path(ROOT / "tests" / "data" / "kb_questions.yml").read_text())["questions"]
    if args.show:
        for q in tuning:
            slots: dict[str, Any] = {}
            for turn in q.before:
                replayer.turn(turn, slots)
            reply = replayer.turn(q.q, slots)
            if not q.grade(reply):
                print(f"--- {q.id} {q.category}: {q.q}\n{reply[:600]}\n")
        print(score(replayer, tuning, kb_questions))
        return
    best = resolver.WEIGHTS
    best_score = score(replayer, tuning, kb_questions)
    print("start", best_score, best)
    for _ in range(args.rounds):
        for name, values in GRID.items():
            for value in values:
                candidate = dataclasses.replace(best, **{name: value})
                resolver.WEIGHTS = candidate
                result = score(replayer, tuning, kb_questions)
                # Tuning questions grade whole answers, the retrieval set only the entry: weigh them double.
                if 2 * result[0] + result[1] > 2 * best_score[0] + best_score[1]:
                    best, best_score = candidate, result
                    print("better", best_score, best, flush=True)
        resolver.WEIGHTS = best
    print("best", best_score, best)


if __name__ == "__main__":
    main()
