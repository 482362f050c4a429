"""`lotsen eval`: NLU report on the held-out set, 5-fold cross-validation and the test stories."""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

from bot.runner import BIN
from bot.settings import ROOT, get_settings

HELD_OUT = ROOT / "tests" / "data" / "nlu_test.yml"
TEST_STORIES = ROOT / "tests" / "stories"
RESULTS = ROOT / "results"


def rasa(*args: str) -> None:
    """Run a rasa command in the project folder, failing loudly."""
    subprocess.run([str(BIN / "rasa"), *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def macro_f1(report: Path) -> float:
    """Macro-averaged F1 from a Rasa classification report, excluding Rasa's own summary rows."""
    data = json.loads(report.read_text())
    return float(data["macro avg"]["f1-score"])


def worst_intents(report: Path, count: int = 5) -> list[tuple[str, float]]:
    """The intents with the lowest F1 in a report."""
    data = json.loads(report.read_text())
    rows = [(k, float(v["f1-score"])) for k, v in data.items() if isinstance(v, dict) and "support" in v]
    rows = [r for r in rows if r[0] not in ("macro avg", "weighted avg", "micro avg")]
    return sorted(rows, key=lambda r: r[1])[:count]


def count_stories(path: Path) -> int:
    """The number of test stories in a folder or file of Rasa YAML test stories."""
    files = sorted(path.glob("*.yml")) if path.is_dir() else [path]
    return sum(f.read_text().count("- story:") for f in files if f.exists())


def evaluate(args: argparse.Namespace) -> int:
    """Run the three evaluations and print their headline numbers."""
    model = str(get_settings().model_path)
    held = RESULTS / "heldout"
    rasa("test", "nlu", "--nlu", str(HELD_OUT), "--model", model, "--out", str(held))
    print(f"held-out intent macro-F1: {macro_f1(held / 'intent_report.json'):.3f}")
    for name, f1 in worst_intents(held / "intent_report.json"):
        print(f"  weakest: {name:28} F1 {f1:.3f}")
    entity_report = held / "RegexEntityExtractor_report.json"
    if entity_report.exists():
        print(f"held-out entity macro-F1 (RegexEntityExtractor): {macro_f1(entity_report):.3f}")
    if not args.skip_cv:
        cv = RESULTS / "cv"
        rasa("test", "nlu", "--nlu", "nlu", "--config", "config.yml", "--cross-validation", "--folds", "5",
             "--out", str(cv))  # fmt: skip
        print(f"5-fold cross-validation intent macro-F1: {macro_f1(cv / 'intent_report.json'):.3f}")
    core = RESULTS / "core"
    failed_file = core / "failed_test_stories.yml"
    failed_file.unlink(missing_ok=True)
    total = count_stories(TEST_STORIES)
    command = ["test", "core", "--stories", str(TEST_STORIES), "--model", model, "--out", str(core)]
    result = subprocess.run([str(BIN / "rasa"), *command], cwd=ROOT, stdout=subprocess.DEVNULL, check=False)
    failed = count_stories(failed_file) if failed_file.exists() else 0
    print(f"test stories: {total - failed}/{total} passed")
    return 1 if failed or result.returncode else 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register `lotsen eval`."""
    parser = sub.add_parser(
        "eval",
        help="evaluate NLU on the held-out set, cross-validate, and run the test stories",
        description="Prints intent macro-F1 (held-out and 5-fold CV) and test story success.",
        epilog="Example: lotsen eval --skip-cv",
    )
    parser.add_argument("--skip-cv", action="store_true", help="skip the slow 5-fold cross-validation")
    parser.set_defaults(func=evaluate)
