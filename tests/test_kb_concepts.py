"""The concept table (knowledge/concepts.yml): users' words search for the words the entries use."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.kb.build import build
from bot.kb.store import KnowledgeBase

# The fixture's strategy entry says "kärnkompetens"; a user may say "kärnförmåga".
TABLE = "concepts:\n  - words: [kärnkompetens]\n    said: [{said}]\n"


def _table(knowledge: Path, text: str) -> None:
    (knowledge / "concepts.yml").write_text(text, "utf-8")


def _search(knowledge: Path, tmp_path: Path, text: str) -> list[str]:
    db = tmp_path / "kb.db"
    build(knowledge, db)
    kb = KnowledgeBase(db)
    try:
        return [hit.entry.id for hit in kb.search(text)]
    finally:
        kb.close()


def test_a_said_word_finds_the_entries_word(knowledge: Path, tmp_path: Path) -> None:
    question = "vad är vår kärnförmåga"
    assert "tillverka-sjalv-eller-kopa" not in _search(knowledge, tmp_path, question)
    _table(knowledge, TABLE.format(said="kärnförmåga"))
    assert _search(knowledge, tmp_path, question)[0] == "tillverka-sjalv-eller-kopa"


def test_a_rebuilt_table_changes_the_search(knowledge: Path, tmp_path: Path) -> None:
    _table(knowledge, TABLE.format(said="kärnförmåga"))
    assert _search(knowledge, tmp_path, "kärnförmåga")
    _table(knowledge, TABLE.format(said="kärnduglighet"))
    assert _search(knowledge, tmp_path, "kärnförmåga") == []


@pytest.mark.parametrize(
    "table, message",
    [
        (TABLE.format(said="kärnförmåga").replace("kärnkompetens", "blorpfsnuddel"), "is in no entry"),
        (TABLE.format(said="Kärnkompetens"), "is one of the item's own words"),
        (TABLE.format(said="två ord"), "must be one word"),
        (
            TABLE.format(said="byggare") + "  - words: [kostnad]\n    said: [byggare]\n",
            "is said for another item",
        ),
        ("concepts:\n  - words: [kärnkompetens]\n", "an item needs 'words:'"),
        ("concepts: legotillverkare\n", "write the table as 'concepts:'"),
    ],
)
def test_validate_reports_a_broken_table_with_its_line(
    knowledge: Path, capsys: pytest.CaptureFixture[str], table: str, message: str
) -> None:
    _table(knowledge, table)
    assert main(["kb", "validate", "--knowledge", str(knowledge)]) == 1
    err = capsys.readouterr().err
    assert "concepts.yml:" in err
    assert message in err


def test_the_shipped_table_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "validate", "--fail-on-warnings"]) == 0
    assert "concepts.yml" not in capsys.readouterr().err
