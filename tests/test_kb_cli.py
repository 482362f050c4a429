"""`lotsen kb`: exit codes and output of validate, build, search, nlu and eval."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import ROOT

FIXTURES = ROOT / "tests" / "data" / "kb_fixtures"
GOOD = FIXTURES / "good"


@pytest.fixture
def fresh_db(tmp_path: Path) -> Path:
    db = tmp_path / "var" / "knowledge.db"
    assert main(["kb", "build", "--knowledge", str(GOOD), "--db", str(db)]) == 0
    return db


def _break(knowledge: Path) -> None:
    shutil.copy(FIXTURES / "broken" / "calls" / "bad-date.yml", knowledge / "entries" / "calls")


def test_validate_ok(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "validate", "--knowledge", str(GOOD)]) == 0
    assert capsys.readouterr().out.strip() == "OK: 11 entries"


def test_validate_prints_located_errors_and_fails(
    knowledge: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _break(knowledge)
    assert main(["kb", "validate", "--knowledge", str(knowledge)]) == 1
    err = capsys.readouterr().err
    assert "entries/calls/bad-date.yml:8: 'closes' is not a date (write YYYY-MM-DD)" in err
    assert "Traceback" not in err


def test_build_reports_count_and_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "knowledge.db"
    assert main(["kb", "build", "--knowledge", str(GOOD), "--db", str(db)]) == 0
    assert db.exists()
    assert capsys.readouterr().out.strip() == f"Built {db}: 11 entries"


def test_failed_build_exits_1_and_keeps_the_database(
    knowledge: Path, fresh_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = fresh_db.read_bytes()
    _break(knowledge)
    assert main(["kb", "build", "--knowledge", str(knowledge), "--db", str(fresh_db)]) == 1
    assert "'closes' is not a date" in capsys.readouterr().err
    assert fresh_db.read_bytes() == before


def test_search_json(fresh_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["kb", "search", "vad är almis innovationslån", "--db", str(fresh_db), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["id"] == "almi-innovationslan"
    assert set(rows[0]) == {"id", "kind", "title", "score", "summary"}


def test_search_table_with_kind_and_limit(fresh_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["kb", "search", "almi", "--db", str(fresh_db), "--kind", "actor", "--limit", "1"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and "almi  [actor]  Almi" in lines[0]


def test_search_without_database_says_what_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "search", "almi", "--db", str(tmp_path / "none.db")]) == 1
    err = capsys.readouterr().err
    assert "lotsen kb build" in err and "Traceback" not in err


def test_nlu_writes_rasa_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "generated" / "kb_entities.yml"
    assert main(["kb", "nlu", "--knowledge", str(GOOD), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert 'version: "3.1"' in text and "- synonym: almi-innovationslan" in text


def test_eval_prints_accuracy_and_latency(fresh_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    questions = FIXTURES / "questions.yml"
    assert main(["kb", "eval", "--db", str(fresh_db), "--questions", str(questions)]) == 0
    out = capsys.readouterr().out
    assert "Top-1: 1.000 (3/3)" in out and "Top-3: 1.000 (3/3)" in out and "median" in out


def test_lotsen_kb_runs_as_a_process(knowledge: Path) -> None:
    _break(knowledge)
    run = subprocess.run(
        [sys.executable, "-m", "bot.cli", "kb", "validate", "--knowledge", str(knowledge)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert run.returncode == 1
    assert "bad-date.yml:8: 'closes' is not a date" in run.stderr
