"""Compile the validated knowledge files into one SQLite database with a Swedish FTS5 index.

The build is atomic (a temporary file in the target folder, then os.replace) so a running action
server never sees a half-written database, and deterministic (sorted inserts, no timestamps) so the
same files always give a byte-identical database.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from bot.kb.concepts import Situation, concepts_path, expansions, read_concepts, read_situations
from bot.kb.errors import ValidationFailed
from bot.kb.load import entry_files
from bot.kb.model import LIST_FIELDS, TEXT_FIELDS, Entry
from bot.kb.validate import load_entries, schema_path
from bot.settings import get_settings
from bot.swedish import content_stems, split_compound

# Bump when the index layout or the text normalisation changes, so the content hash changes too.
INDEX_VERSION = "4"
# Columns of the full-text index, with the weight each gets in the ranking.
FTS_COLUMNS = {"names": 10.0, "summary": 4.0, "text": 1.0, "parts": 0.5}
# Every text field but the URLs is searchable.
_INDEXED_TEXT = tuple(f for f in TEXT_FIELDS if f not in ("apply_url", "current_info_url"))
_COMPOUND_MIN = 9


@dataclass(frozen=True)
class BuildResult:
    """What a build produced."""

    path: Path
    entries: int
    content_hash: str


def build(knowledge_dir: Path | None = None, db_path: Path | None = None) -> BuildResult:
    """Validate knowledge_dir and compile it into db_path. Raises ValidationFailed; the old DB stays."""
    settings = get_settings()
    knowledge_dir = knowledge_dir or settings.knowledge_dir
    db_path = db_path or settings.knowledge_db
    entries = sorted(load_entries(knowledge_dir), key=lambda e: e.id)
    concepts, errors = read_concepts(knowledge_dir, vocabulary(entries))
    situations, situation_errors = read_situations(knowledge_dir, entry_topics(entries))
    errors.extend(situation_errors)
    if errors:
        raise ValidationFailed(errors)
    digest = content_hash(knowledge_dir)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=".knowledge-", suffix=".tmp", dir=db_path.parent)
    os.close(handle)
    try:
        _write(Path(tmp_name), entries, digest, expansions(concepts), situations)
        # mkstemp makes the file private; the database is meant to be read by other processes too.
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, db_path)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
    return BuildResult(path=db_path, entries=len(entries), content_hash=digest)


def content_hash(knowledge_dir: Path) -> str:
    """SHA-256 over the entry files (names and bytes), the schema and the index version."""
    digest = hashlib.sha256(f"index {INDEX_VERSION}\0".encode())
    digest.update(schema_path(knowledge_dir).read_bytes())
    concepts = concepts_path(knowledge_dir)
    if concepts.exists():
        digest.update(b"\0concepts\0" + concepts.read_bytes())
    entries_dir = knowledge_dir / "entries"
    for path in entry_files(entries_dir):
        digest.update(f"\0{path.relative_to(entries_dir).as_posix()}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def index_fields(entry: Entry) -> dict[str, list[str]]:
    """The stems an entry is found by, per full-text column (before compound parts)."""
    text_parts = [getattr(entry, name) or "" for name in _INDEXED_TEXT]
    text_parts.extend(entry.focus_areas)
    years = {d.isoformat()[:4] for d in (*entry.dates.every(), entry.facts_as_of)}
    text_parts.extend(sorted(years))
    return {
        "names": content_stems(" ".join(entry.names)),
        "summary": content_stems(entry.summary),
        "text": content_stems(" ".join(text_parts)),
    }


def entry_topics(entries: list[Entry]) -> frozenset[str]:
    """Every topic the entries are tagged with."""
    return frozenset(topic for entry in entries for topic in entry.topics)


def vocabulary(entries: list[Entry]) -> frozenset[str]:
    """Every stem the entries are indexed by."""
    return frozenset(stem for entry in entries for column in index_fields(entry).values() for stem in column)


def _write(
    path: Path,
    entries: list[Entry],
    digest: str,
    expands: dict[str, tuple[str, ...]],
    situations: list[Situation],
) -> None:
    """Create every table in a fresh file, inserting in id order."""
    db = sqlite_utils.Database(path)
    try:
        fields = {entry.id: index_fields(entry) for entry in entries}
        document_terms = {eid: set().union(*cols.values()) for eid, cols in fields.items()}
        df = Counter(term for terms in document_terms.values() for term in terms)
        vocabulary = frozenset(df)
        db.table("entries").create(_ENTRY_COLUMNS, pk="id", not_null={"id", "kind", "title", "summary"})
        db.table("entries").insert_all(_entry_row(entry) for entry in entries)
        db.table("dates").create({"entry_id": str, "name": str, "date": str}, pk=("entry_id", "name", "date"))
        db.table("dates").insert_all(_date_rows(entries))
        db.table("terms").create({"term": str, "df": int}, pk="term")
        db.table("terms").insert_all({"term": term, "df": df[term]} for term in sorted(df))
        columns = ", ".join(FTS_COLUMNS)
        db.execute(f"CREATE VIRTUAL TABLE entries_fts USING fts5(id UNINDEXED, kind UNINDEXED, {columns})")
        placeholders = ", ".join("?" * (2 + len(FTS_COLUMNS)))
        for entry in entries:
            cols = fields[entry.id]
            parts = _compound_parts(document_terms[entry.id], vocabulary)
            texts = [" ".join(cols[name]) for name in ("names", "summary", "text")]
            db.execute(
                f"INSERT INTO entries_fts (id, kind, {columns}) VALUES ({placeholders})",
                [entry.id, entry.kind, *texts, " ".join(parts)],
            )
        db.execute("INSERT INTO entries_fts (entries_fts) VALUES ('optimize')")
        db.table("concepts").create({"said": str, "words": str}, pk="said")
        db.table("concepts").insert_all(
            {"said": said, "words": _json(list(expands[said]))} for said in sorted(expands)
        )
        db.table("situations").create({"said": str, "topic": str}, pk=("said", "topic"))
        phrases = {
            (" ".join(phrase), situation.topic) for situation in situations for phrase in situation.said
        }
        db.table("situations").insert_all({"said": said, "topic": topic} for said, topic in sorted(phrases))
        db.table("meta").create({"key": str, "value": str}, pk="key")
        db.table("meta").insert_all(
            [
                {"key": "content_hash", "value": digest},
                {"key": "entries", "value": str(len(entries))},
                {"key": "index_version", "value": INDEX_VERSION},
            ]
        )
        db.conn.commit()
    finally:
        db.close()


def _compound_parts(terms: set[str], vocabulary: frozenset[str]) -> list[str]:
    """Known parts of the entry's long compounds, so 'uppdrag' finds 'kompetensforsorjningsuppdrag'."""
    parts: list[str] = []
    for term in sorted(terms):
        if len(term) >= _COMPOUND_MIN:
            parts.extend(split_compound(term, vocabulary))
    return parts


_ENTRY_COLUMNS: dict[str, Any] = {
    "id": str,
    "kind": str,
    "title": str,
    "summary": str,
    "facts_as_of": str,
    "sources": str,
    "dates": str,
    "path": str,
    "cites": str,
    "dates_source": str,
    **{name: str for name in TEXT_FIELDS},
    **{name: str for name in LIST_FIELDS},
}


def _entry_row(entry: Entry) -> dict[str, Any]:
    """An entry as a row: text as text, lists and mappings as JSON."""
    row: dict[str, Any] = {
        "id": entry.id,
        "kind": entry.kind,
        "title": entry.title,
        "summary": entry.summary,
        "facts_as_of": entry.facts_as_of.isoformat(),
        "sources": _json([s.as_dict() for s in entry.sources]),
        "dates": _json(entry.dates.as_dict()),
        "path": entry.path,
        "cites": _json([list(pair) for pair in entry.cites]),
        "dates_source": entry.dates_source,
    }
    row.update({name: getattr(entry, name) for name in TEXT_FIELDS})
    row.update({name: _json(list(getattr(entry, name))) for name in LIST_FIELDS})
    return row


def _date_rows(entries: list[Entry]) -> list[dict[str, str]]:
    """One row per (entry, date name, date); report dates give one row each."""
    rows = {
        (entry.id, name, item)
        for entry in entries
        for name, value in entry.dates.as_dict().items()
        for item in (value if isinstance(value, list) else [value])
    }
    return [{"entry_id": entry_id, "name": name, "date": date} for entry_id, name, date in sorted(rows)]


def _json(value: Any) -> str:
    """Stable JSON (sorted keys, real å ä ö) so identical input gives identical bytes."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
