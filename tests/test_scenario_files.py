"""`lotsen advisor eval` on a file that holds no conversations (the engine's profile table, a file without
openings, a file that is not YAML) says so in one line and exits 1; it never ends in a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.advisor.scenarios import ScenarioSetError, load

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "text",
    [
        "scenarios:\n  - id: a\n    profile: {stage: idea}\n",
        "scenarios:\n  - opening: Hej\n",
        "inte: [en, scenariofil\n",
        "scenarios: 3\n",
        "- bara en lista\n",
        "scenarios:\n  - id: a\n    opening: Hej\n",
        "scenarios:\n  - id: a\n    opening: Hej\n    expected: {path: hybrid}\n    must: ['modul']\n",
        "scenarios:\n  - id: a\n    opening: Hej\n    expected: {path: hybrid}\n"
        "    must_not: [{label: x, any: ['(']}]\n",
    ],
)
def test_a_file_without_conversations_is_refused_with_a_reason(tmp_path: Path, text: str) -> None:
    path = tmp_path / "set.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioSetError, match="set.yml"):
        load(path)


def test_the_tuning_sets_load() -> None:
    for path in sorted((ROOT / "tests" / "data").glob("advisor_tuning_scenarios*.yml")):
        assert all(s["opening"] for s in load(path)), path


def test_the_command_says_what_is_wrong_without_a_traceback() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.cli",
            "advisor",
            "eval",
            str(ROOT / "tests" / "data" / "advisor_scenarios.yml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 1
    assert "scenario 1 has no opening" in done.stderr
    assert "Traceback" not in done.stderr
