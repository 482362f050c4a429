"""Play consultation scenarios against the real assistant over REST and grade the recommendations.

A scenario (tests/data/advisor_tuning_scenarios.yml, tests/data/frozen/advisor_expert_scenarios.yml) is a
user: an opening message and, per topic, what the user answers when asked about it. The player sends the
opening, asks the scenario's `side_questions` (if any) when the first consultation question has come (each
reply must match one of the item's `must` regexes and ask the pending question again), says each of its
`interjections` (a correction, "avbryt" and a restart: `say`, one message or several) instead of answering
when the question `at` (a slot) is asked, grades the reply to its last message (`must`: one regex matches,
`must_not`: none does) and takes its `answers` from then on, answers each
consultation question with the user's words for that question's topic ("vet inte"
when the user has none), says yes to a confirmation, answers the product check with `product_check` (or
keeps the product type), and finally asks for the whole summary. With
`opens: true` the opening itself must start the consultation (no start message is sent for it). The grade:
the recommended path (expected or acceptable), each `must` item (any regex matches the recommendation)
and each `must_not` item (no regex matches).

    lotsen advisor eval tests/data/advisor_tuning_scenarios.yml --out results/advisor.json
"""

from __future__ import annotations

import dataclasses
import json
import re
import secrets
import statistics
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.advisor.data import load_questions, load_rules

Say = Callable[[str, str], list[dict[str, Any]]]

# Which of the scenario's answer topics answers each consultation question (by slot).
TOPIC_OF_SLOT = {
    "situation": ("decision",),
    "bottleneck": ("bottleneck", "current_production"),
    "shifts": ("shifts", "team"),
    "recruitment": ("recruitment", "team"),
    "workload": ("workload", "volume", "variants"),
    "stage": ("stage",),
    "product_type": ("product",),
    "volume": ("volume",),
    "variants": ("variants",),
    "capability": ("current_production",),
    "current_location": ("suppliers", "current_production"),
    "company": ("company",),
    "capital": ("capital",),
    "markets": ("markets",),
    "time_to_market": ("time_to_market",),
    "ip_sensitivity": ("ip",),
    "priorities": ("priorities",),
}
# Category ids of earlier engine versions, for comparing runs across versions.
PATH_ALIASES = {
    "prototype_partner_first": ("idea_stage",),
    "swedish_contract_manufacturer": ("swedish_contract",),
    "own_production": ("in_house",),
    "offshore_after_tco": ("asia_contract", "nearshore_europe"),
}
START_MESSAGE = "hjälp mig välja produktionsstrategi"
SUMMARY_MESSAGE = "visa sammanfattningen igen"
CONFIRM_ANSWER = "ja"
# The answer topic for the product check ("Gäller något av det här också?"); without it the player keeps the
# product type as read (a bare "ja" says that something applies, not what: it is unclear there).
PRODUCT_CHECK_TOPIC = "product_check"
KEEP_PRODUCT = "Nej, det stämmer"
UNKNOWN_ANSWER = "vet inte"
MAX_TURNS = 24


@dataclass
class Result:
    """One played scenario and its grade."""

    id: str
    category: str
    expected: str
    path: str | None
    path_ok: bool
    must_ok: list[str]
    must_failed: list[str]
    must_not_hit: list[str]
    first_words: int
    turns: int
    transcript: list[tuple[str, str]] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.path_ok and not self.must_failed and not self.must_not_hit


class ScenarioSetError(ValueError):
    """A scenario file that can't be played: missing, not YAML, or a scenario without an id or opening."""


def load(path: Path) -> list[dict[str, Any]]:
    """The scenarios of a file, each with an id and an opening message (ScenarioSetError otherwise: the
    engine's own table, tests/data/advisor_scenarios.yml, holds profiles, not conversations)."""
    try:
        scenarios = yaml.safe_load(path.read_text(encoding="utf-8"))["scenarios"]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise ScenarioSetError(f"{path}: not a scenario file ({exc!r})") from exc
    if not isinstance(scenarios, list):
        raise ScenarioSetError(f"{path}: 'scenarios' is not a list")
    for index, scenario in enumerate(scenarios, 1):
        missing = [key for key in ("id", "opening") if not isinstance(scenario, dict) or key not in scenario]
        if missing:
            raise ScenarioSetError(
                f"{path}: scenario {index} has no {' or '.join(missing)} (a conversation to play)"
            )
        _check_grading(path, index, scenario)
    return list(scenarios)


def _check_grading(path: Path, index: int, scenario: Mapping[str, Any]) -> None:
    """ScenarioSetError unless the scenario says its expected path and each must/must_not item has a label
    and a list of valid patterns (a malformed item ended `lotsen advisor eval` in a traceback)."""
    expected = scenario.get("expected")
    if not isinstance(expected, dict) or "path" not in expected:
        raise ScenarioSetError(f"{path}: scenario {index} has no expected: {{path: …}}")
    for key in ("must", "must_not"):
        for item in scenario.get(key) or []:
            if not isinstance(item, dict) or "label" not in item or not isinstance(item.get("any"), list):
                raise ScenarioSetError(
                    f"{path}: scenario {index}: each {key} item needs a label and an any list"
                )
            try:
                for rx in item["any"]:
                    re.compile(rx)
            except (re.error, TypeError) as exc:
                raise ScenarioSetError(
                    f"{path}: scenario {index}: a {key} pattern is invalid ({exc})"
                ) from exc


def _text(replies: Sequence[Mapping[str, Any]]) -> str:
    return "\n".join(str(r.get("text") or "") for r in replies)


def _asked_slot(text: str) -> str | None:
    """The consultation question the text ends with, by slot."""
    questions = load_questions()
    positions = [(text.rfind(q.text), q.slot) for q in questions.questions if q.text in text]
    return max(positions)[1] if positions else None


def _recommendation_title(text: str) -> str | None:
    rules = load_rules()
    for category in rules.categories:
        if f"Rekommendation: {category['title']}" in text:
            return str(category["id"])
    return None


def _answer(answers: Mapping[str, Any], slot: str) -> str:
    for topic in TOPIC_OF_SLOT.get(slot, ()):
        if answers.get(topic):
            return str(answers[topic])
    return UNKNOWN_ANSWER


def _is_confirmation(text: str) -> bool:
    return bool(re.search(r"stämmer (det|detta)\?", text))


# The response that checks the product type read from free text (bot/actions/productcheck.py).
PRODUCT_CHECK_RESPONSE = "utter_advisor_product_check"
DOMAIN_FILE = Path(__file__).resolve().parents[2] / "domain" / "advisor.yml"


def _is_product_check(text: str) -> bool:
    """Whether the text ends with the product check: its wording after the product, as in the domain."""
    responses = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))["responses"]
    template = str(responses[PRODUCT_CHECK_RESPONSE][0]["text"])
    return template.split("{product}")[-1].strip() in text


def play(scenario: Mapping[str, Any], say: Say, sender: str) -> Result:
    """Play one scenario and grade it."""
    transcript: list[tuple[str, str]] = []

    def send(message: str) -> str:
        reply = _text(say(sender, message))
        transcript.append((message, reply))
        return reply

    reply = send(str(scenario["opening"]))
    side_ok: list[str] = []
    side_failed: list[str] = []
    started = bool(
        _asked_slot(reply)
        or _is_confirmation(reply)
        or _is_product_check(reply)
        or _recommendation_title(reply)
    )
    if scenario.get("opens"):
        (side_ok if started else side_failed).append("the opening starts the consultation")
    if not started:
        reply = send(START_MESSAGE)
    first = ""
    side_questions = list(scenario.get("side_questions") or [])
    interjections = list(scenario.get("interjections") or [])
    answers = dict(scenario.get("answers") or {})
    for _ in range(MAX_TURNS):
        if _recommendation_title(reply):
            first = reply
            break
        if _is_confirmation(reply):
            reply = send(CONFIRM_ANSWER)
            continue
        if _is_product_check(reply):
            reply = send(str(answers.get(PRODUCT_CHECK_TOPIC) or KEEP_PRODUCT))
            continue
        slot = _asked_slot(reply)
        if slot and side_questions:
            # A question of the user's own in the middle: answered, then the pending question again.
            side = side_questions.pop(0)
            reply = send(str(side["ask"]))
            answered = any(re.search(rx, reply, re.IGNORECASE) for rx in side["must"])
            resumed = _asked_slot(reply) == slot
            (side_ok if answered and resumed else side_failed).append(f"side question: {side['ask']}")
            continue
        turn = next((i for i in interjections if i["at"] == slot), None)
        if turn is not None:
            interjections.remove(turn)
            said = turn["say"] if isinstance(turn["say"], list) else [turn["say"]]
            for message in said:
                reply = send(str(message))
            ok = any(re.search(rx, reply, re.IGNORECASE) for rx in turn.get("must") or [".*"]) and not any(
                re.search(rx, reply, re.IGNORECASE) for rx in turn.get("must_not") or []
            )
            (side_ok if ok else side_failed).append(f"interjection: {said[-1]}")
            answers.update(turn.get("answers") or {})
            continue
        reply = send(_answer(answers, slot) if slot else UNKNOWN_ANSWER)
    full = send(SUMMARY_MESSAGE) if first else ""
    path = _recommendation_title(first) if first else None
    graded = f"{first}\n{full}"
    expected = scenario["expected"]
    accepted = {expected["path"], *(expected.get("acceptable") or [])}
    path_ok = path is not None and bool(accepted & {path, *PATH_ALIASES.get(path, ())})
    must_ok: list[str] = side_ok
    must_failed: list[str] = side_failed
    for item in scenario.get("must") or []:
        hit = any(re.search(rx, graded, re.IGNORECASE) for rx in item["any"])
        (must_ok if hit else must_failed).append(item["label"])
    must_not_hit = [
        item["label"]
        for item in scenario.get("must_not") or []
        if any(re.search(rx, graded, re.IGNORECASE) for rx in item["any"])
    ]
    return Result(
        id=scenario["id"],
        category=scenario.get("category", ""),
        expected=expected["path"],
        path=path,
        path_ok=path_ok,
        must_ok=must_ok,
        must_failed=must_failed,
        must_not_hit=must_not_hit,
        first_words=len(first.split()),
        turns=len(transcript),
        transcript=transcript,
    )


def summary(results: Sequence[Result]) -> str:
    """A short report: path accuracy, must items, must-not hits, fully passed scenarios, length."""
    n = len(results)
    must_total = sum(len(r.must_ok) + len(r.must_failed) for r in results)
    must_hit = sum(len(r.must_ok) for r in results)
    lines = [
        f"scenarios: {n}",
        f"path right: {sum(r.path_ok for r in results)}/{n}",
        f"must items: {must_hit}/{must_total}",
        f"must_not hits: {sum(len(r.must_not_hit) for r in results)} in "
        f"{sum(bool(r.must_not_hit) for r in results)} scenarios",
        f"fully passed: {sum(r.passed for r in results)}/{n}",
        f"distinct paths recommended: {len({r.path for r in results})}",
        "first message words (median): "
        f"{statistics.median([r.first_words for r in results]) if results else 0}",
        "no recommendation reached: " + str(sum(r.path is None for r in results)),
    ]
    for r in results:
        if not r.passed:
            problems = []
            if not r.path_ok:
                problems.append(f"path {r.path} (expected {r.expected})")
            problems += [f"missing: {m}" for m in r.must_failed]
            problems += [f"must not: {m}" for m in r.must_not_hit]
            lines.append(f"  FAIL {r.id}: " + "; ".join(problems))
    return "\n".join(lines)


def rest_say(rasa_url: str) -> Say:
    """Send a message over the REST channel."""

    def say(sender: str, message: str) -> list[dict[str, Any]]:
        request = urllib.request.Request(
            f"{rasa_url}/webhooks/rest/webhook",
            data=json.dumps({"sender": sender, "message": message}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return list(json.loads(response.read().decode()))

    return say


def sender_id(number: int, scenario_id: str, run: str = "") -> str:
    """A sender id the REST channel accepts (ASCII letters, digits and -_.:@), unique per scenario and run:
    a second run against the same server must not continue the first run's conversations."""
    return f"eval-{run}{number}-" + re.sub(r"[^A-Za-z0-9_.:@-]", "_", scenario_id)[:50]


def run_file(path: Path, out: Path | None = None, rasa_url: str | None = None) -> list[Result]:
    """Play every scenario of `path` against `rasa_url`, or against a stack started for the run."""
    from bot.qaeval import running_assistant

    scenarios = load(path)
    run = secrets.token_hex(3) + "-"
    with running_assistant(rasa_url) as url:
        say = rest_say(url)
        results = [play(s, say, sender_id(i, s["id"], run)) for i, s in enumerate(scenarios)]
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(
            json.dumps([dataclasses.asdict(r) for r in results], ensure_ascii=False, indent=1),
            encoding="utf-8",
        )
    return results
