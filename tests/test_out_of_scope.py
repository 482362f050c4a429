"""A message the NLU puts outside the assistant's field is answered from the knowledge base when it names
something the knowledge base holds, and otherwise gets the out-of-scope reply: the training examples of
out_of_scope stay out of scope, questions about rules the NLU misread are answered."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.handoff import ActionOutOfScope, names_knowledge
from bot.kb import KnowledgeBase
from bot.settings import ROOT


def out_of_scope_examples() -> list[str]:
    """The out_of_scope examples the NLU is trained and tested on."""
    examples: list[str] = []
    for path in (ROOT / "nlu" / "basics.yml", ROOT / "tests" / "data" / "nlu_test.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if block.get("intent") == "out_of_scope":
                examples += [line[2:].strip() for line in block["examples"].splitlines() if line.strip()]
    return examples


def replies(text: str, domain: dict[str, Any]) -> list[dict[str, Any]]:
    message = {"text": text, "intent": {"name": "out_of_scope", "confidence": 0.8}, "entities": []}
    tracker = Tracker("oos", {}, message, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionOutOfScope().run(dispatcher, tracker, domain))
    return dispatcher.messages


def test_out_of_scope_examples_name_nothing_in_the_knowledge_base(kb: KnowledgeBase) -> None:
    examples = out_of_scope_examples()
    assert len(examples) > 40
    named = [text for text in examples if names_knowledge(text)]
    # "hur fixar jag wifi hemma" names the radio rules by their alias "wifi"; nothing else may.
    assert len(named) <= 1, named


@pytest.mark.parametrize(
    "text", ["vad blir vädret i morgon", "skriv en dikt om hösten", "hur byter jag däck"]
)
def test_a_message_outside_the_field_gets_the_out_of_scope_reply(
    text: str, kb: KnowledgeBase, domain: dict[str, Any]
) -> None:
    messages = replies(text, domain)
    assert [m.get("response") for m in messages] == ["utter_out_of_scope"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Måste jag CE-märka min lilla USB-drivna lampa innan jag säljer den i Sverige?", r"CE"),
        ("vilken klass blir en app som ger underlag för diagnos?", r"(?i)klass"),
    ],
)
def test_a_question_that_names_a_rule_is_answered_from_the_knowledge_base(
    text: str, expected: str, kb: KnowledgeBase, domain: dict[str, Any]
) -> None:
    messages = replies(text, domain)
    said = "\n".join(m.get("text") or "" for m in messages)
    assert not any(m.get("response") == "utter_out_of_scope" for m in messages)
    assert re.search(expected, said) and "Källa:" in said, said
