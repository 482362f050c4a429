"""Building var/knowledge.db: deterministic, atomic, and picked up by a running KnowledgeBase."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from bot.kb import KnowledgeBase, KnowledgeError, ValidationFailed, build, load_entries
from bot.kb.nlu import nlu_yaml, write_nlu
from bot.settings import ROOT

FIXTURES = ROOT / "tests" / "data" / "kb_fixtures"
GOOD = FIXTURES / "good"

NEW_ENTRY = """\
# yaml-language-server: $schema=../../schema/entry.schema.json
id: produktionslyftet
kind: support
title: Produktionslyftet
summary: Ett program i lean produktion för tillverkande företag.
topics: [lean]
sources:
  - url: https://www.produktionslyftet.se
    supports: programmets innehåll
facts_as_of: 2017-01-01
"""


@pytest.fixture
def fresh_db(tmp_path: Path) -> Path:
    """A database built from the fixture knowledge."""
    return build(GOOD, tmp_path / "var" / "knowledge.db").path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_build_writes_entries_dates_terms_and_index(fresh_db: Path) -> None:
    conn = sqlite3.connect(fresh_db)
    assert conn.execute("SELECT count(*) FROM entries").fetchone()[0] == 11
    assert (
        conn.execute("SELECT count(*) FROM entries_fts WHERE entries_fts MATCH 'robotlyftet'").fetchone()[0]
        == 1
    )
    dates = conn.execute("SELECT name, date FROM dates WHERE entry_id = 'kompetensuppdraget-2018'").fetchall()
    assert ("reports", "2019-08-30") in dates
    meta = dict(conn.execute("SELECT key, value FROM meta"))
    assert meta["entries"] == "11" and len(meta["content_hash"]) == 64
    assert fresh_db.stat().st_mode & 0o044 == 0o044, "the action server may run as another user"


def test_the_same_input_gives_a_byte_identical_database(tmp_path: Path) -> None:
    first = build(GOOD, tmp_path / "a" / "knowledge.db")
    second = build(GOOD, tmp_path / "b" / "knowledge.db")
    assert _sha(first.path) == _sha(second.path)
    assert first.content_hash == second.content_hash


def test_a_changed_entry_changes_the_content_hash(knowledge: Path, tmp_path: Path) -> None:
    before = build(knowledge, tmp_path / "k.db").content_hash
    (knowledge / "entries" / "support" / "produktionslyftet.yml").write_text(NEW_ENTRY)
    assert build(knowledge, tmp_path / "k.db").content_hash != before


def test_a_failed_build_leaves_the_old_database_untouched(knowledge: Path, tmp_path: Path) -> None:
    db = build(knowledge, tmp_path / "knowledge.db").path
    before = _sha(db)
    broken = knowledge / "entries" / "calls" / "bad-date.yml"
    shutil.copy(FIXTURES / "broken" / "calls" / "bad-date.yml", broken)
    with pytest.raises(ValidationFailed):
        build(knowledge, db)
    assert _sha(db) == before
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["knowledge.db"]


def test_a_running_knowledge_base_sees_a_rebuilt_database(knowledge: Path, tmp_path: Path) -> None:
    db = build(knowledge, tmp_path / "knowledge.db").path
    kb = KnowledgeBase(db)
    assert kb.get("produktionslyftet") is None
    assert (
        kb.search("produktionslyftet") == []
        or kb.search("produktionslyftet")[0].entry.id != "produktionslyftet"
    )
    (knowledge / "entries" / "support" / "produktionslyftet.yml").write_text(NEW_ENTRY)
    build(knowledge, db)
    assert kb.get("produktionslyftet") is not None
    assert kb.search("produktionslyftet")[0].entry.id == "produktionslyftet"


def test_threads_can_search_while_the_database_is_rebuilt(knowledge: Path, tmp_path: Path) -> None:
    db = build(knowledge, tmp_path / "knowledge.db").path
    kb = KnowledgeBase(db)
    failures: list[BaseException] = []
    stop = threading.Event()

    def searcher() -> None:
        while not stop.is_set():
            try:
                assert kb.search("almis innovationslån")[0].entry.id == "almi-innovationslan"
            except BaseException as exc:  # collected, then reported by the assertion below
                failures.append(exc)
                return

    threads = [threading.Thread(target=searcher) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(3):
            build(knowledge, db)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
    assert failures == []


def test_a_missing_database_says_how_to_build_it(tmp_path: Path) -> None:
    kb = KnowledgeBase(tmp_path / "none.db")
    with pytest.raises(KnowledgeError, match="lotsen kb build"):
        kb.search("almi")


def test_entries_are_typed_and_frozen(fresh_db: Path) -> None:
    call = KnowledgeBase(fresh_db).get("regional-utlysning-2016")
    assert call is not None
    assert call.dates.closes == dt.date(2016, 9, 30)
    assert call.facts_as_of == dt.date(2016, 9, 30)
    assert call.sources[0].url.startswith("https://")
    assert call.path.endswith("entries/calls/regional-utlysning-2016.yml")
    with pytest.raises(dataclasses.FrozenInstanceError):
        call.title = "x"  # type: ignore[misc]


def test_database_entries_equal_the_yaml_entries(fresh_db: Path) -> None:
    from_yaml = sorted(load_entries(GOOD), key=lambda e: e.id)
    assert KnowledgeBase(fresh_db).all() == sorted(from_yaml, key=lambda e: (KINDS_ORDER[e.kind], e.id))


KINDS_ORDER = {"call": 0, "programme": 1, "support": 2, "actor": 3, "strategy": 4, "glossary": 5, "faq": 6}


@pytest.mark.parametrize(
    ("entry_id", "as_of", "expected"),
    [
        ("regional-utlysning-2016", dt.date(2016, 9, 1), "open"),
        ("regional-utlysning-2016", dt.date(2016, 9, 30), "open"),
        ("regional-utlysning-2016", dt.date(2016, 10, 1), "closed"),
        ("industrialiseringshubbar-2019", dt.date(2019, 5, 1), "upcoming"),
        ("industrialiseringshubbar-2019", dt.date(2024, 1, 1), "unknown"),
    ],
)
def test_call_status_follows_the_dates(fresh_db: Path, entry_id: str, as_of: dt.date, expected: str) -> None:
    kb = KnowledgeBase(fresh_db)
    entry = kb.get(entry_id)
    assert entry is not None
    assert kb.status(entry, as_of) == expected


def test_open_and_closed_calls_on_a_date(fresh_db: Path) -> None:
    kb = KnowledgeBase(fresh_db)
    assert [e.id for e in kb.calls(dt.date(2016, 9, 15), "open")] == ["regional-utlysning-2016"]
    assert kb.calls(dt.date(2025, 1, 1), "open") == []
    assert [e.id for e in kb.calls(dt.date(2025, 1, 1), "closed")] == ["regional-utlysning-2016"]
    assert len(kb.calls(dt.date(2025, 1, 1), "all")) == 2


def test_lookup_by_intent_and_topic(fresh_db: Path) -> None:
    kb = KnowledgeBase(fresh_db)
    assert kb.by_intent("ask_make_or_buy").id == "tillverka-sjalv-eller-kopa"  # type: ignore[union-attr]
    assert kb.by_intent("ask_production_stages") is None
    assert [e.id for e in kb.by_topic("loan")] == ["almi-innovationslan", "almi"]
    assert [e.id for e in kb.by_topic("loan", kinds=("actor",))] == ["almi"]


def test_nlu_export_lists_names_with_and_without_diacritics(tmp_path: Path) -> None:
    entries = load_entries(GOOD)
    text = nlu_yaml(entries)
    assert text == nlu_yaml(list(reversed(entries)))
    assert "- lookup: kb_entry" in text
    block = text.split("- synonym: almi-innovationslan\n")[1].split("- synonym:")[0]
    assert "    - almis innovationslån\n" in block and "    - almis innovationslan\n" in block


def test_rasa_accepts_the_nlu_export(tmp_path: Path) -> None:
    loading = pytest.importorskip("rasa.shared.nlu.training_data.loading")
    out = tmp_path / "kb_entities.yml"
    write_nlu(load_entries(GOOD), out)
    data = loading.load_data(str(out))
    assert data.entity_synonyms["tillvaxtverket"] == "tillvaxtverket"
    assert data.entity_synonyms["almis innovationslan"] == "almi-innovationslan"
    assert any(table["name"] == "kb_entry" for table in data.lookup_tables)
