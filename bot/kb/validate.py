"""Validate the knowledge files: YAML syntax, the JSON schema, and the rules a schema cannot express.

Every problem is reported (not only the first) as a KnowledgeError with file and line, e.g.
`knowledge/entries/calls/x.yml:14: 'closes' is not a date (write YYYY-MM-DD)`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jsonschema

from bot.kb.errors import KnowledgeError, ValidationFailed, display_path
from bot.kb.load import EntryFile, Location, entry_files, read_entry_file
from bot.kb.model import CITE, CITE_ANYWHERE, CITING_FIELDS, FOLDERS, SINGLE_DATES, Entry, paragraphs, reflow
from bot.settings import ROOT, get_settings
from bot.swedish import name_key

DEFAULT_SCHEMA = ROOT / "knowledge" / "schema" / "entry.schema.json"
SCHEMA_COMMENT = "# yaml-language-server: $schema=../../schema/entry.schema.json"
_SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=\S*entry\.schema\.json\s*$")
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_DATE_FIELDS = frozenset((*SINGLE_DATES, "reports", "facts_as_of"))
_ENUM_LABELS = {"kind": "kind", "topics": "topic", "answers_intents": "intent"}
_NAME_CLASH = "name '{value}' is also used by '{other}' (names must differ; case and å, ä, ö are ignored)"
_TYPE_NAMES = {"string": "text", "array": "a list", "object": "a mapping of 'key: value' lines"}


def schema_path(knowledge_dir: Path) -> Path:
    """The entry schema: the knowledge folder's own, else the one shipped with the project."""
    own = knowledge_dir / "schema" / "entry.schema.json"
    return own if own.exists() else DEFAULT_SCHEMA


def check(knowledge_dir: Path | None = None) -> tuple[list[EntryFile], list[KnowledgeError]]:
    """Read and validate every entry. Returns the valid entry files and all errors found."""
    knowledge_dir = knowledge_dir or get_settings().knowledge_dir
    entries_dir = knowledge_dir / "entries"
    if not entries_dir.is_dir():
        return [], [KnowledgeError(f"no entries folder at {entries_dir} (expected knowledge/entries/)")]
    schema = json.loads(schema_path(knowledge_dir).read_text("utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    files: list[EntryFile] = []
    errors: list[KnowledgeError] = []
    for path in entry_files(entries_dir):
        entry, read_errors = read_entry_file(path)
        errors.extend(read_errors)
        if entry is None:
            continue
        file_errors = [*_schema_errors(validator, entry), *_file_errors(entry, entries_dir)]
        errors.extend(file_errors)
        files.append(entry)
    errors.extend(_cross_errors(files))
    failed = {error.path for error in errors}
    return [f for f in files if f.path not in failed], sorted(errors, key=KnowledgeError.sort_key)


def load_entries(knowledge_dir: Path | None = None) -> list[Entry]:
    """Every entry, validated; raises ValidationFailed listing all errors if there are any."""
    files, errors = check(knowledge_dir)
    if errors:
        raise ValidationFailed(errors)
    root = (knowledge_dir or get_settings().knowledge_dir).parent
    return [Entry.from_dict(f.data, path=_relative(f.path, root)) for f in files]


def _relative(path: Path, root: Path) -> str:
    """The path as the staff see it, e.g. knowledge/entries/calls/x.yml."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _field(location: Iterable[str | int]) -> str:
    """The name of the innermost key of a location ('' at the top)."""
    keys = [part for part in location if isinstance(part, str)]
    return keys[-1] if keys else ""


def _schema_errors(validator: jsonschema.protocols.Validator, entry: EntryFile) -> list[KnowledgeError]:
    errors = []
    for error in validator.iter_errors(entry.data):
        location: Location = tuple(error.absolute_path)
        for message, where in _messages(error, location):
            errors.append(KnowledgeError(message, entry.path, entry.line_of(where)))
    return errors


def _messages(error: jsonschema.ValidationError, location: Location) -> list[tuple[str, Location]]:
    """Plain messages (and where they point) for one schema error."""
    name = _field(location)
    kind, value, instance = error.validator, error.validator_value, error.instance
    if name in _DATE_FIELDS and kind in ("type", "pattern"):
        return [(f"'{name}' is not a date (write YYYY-MM-DD)", location)]
    if kind == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        extra = [key for key in instance if key not in allowed]
        return [(_unknown_key(key, allowed), (*location, key)) for key in extra]
    if kind == "required":
        missing = [key for key in value if key not in instance]
        why = " (a call must say where current calls are published)" if "then" in error.schema_path else ""
        where = f" in '{name}'" if name else ""
        return [(f"missing required key '{key}'{where}{why}", location) for key in missing]
    if kind in ("enum", "const"):
        label = _ENUM_LABELS.get(name, name)
        return [(f"unknown {label} '{instance}' (expected: {', '.join(map(str, value))})", location)]
    if (kind == "type" and instance is None) or kind == "minLength":
        return [(f"'{name}' is empty (write a value or remove the key)", location)]
    if kind == "type":
        return [(f"'{name}' must be {_TYPE_NAMES.get(value, value)}", location)]
    if kind == "pattern":
        return [(_pattern_message(name, instance), location)]
    if kind == "maxLength":
        return [(f"'{name}' is too long ({len(instance)} characters, at most {value})", location)]
    if kind == "minItems":
        what = "source (with url and supports)" if name == "sources" else "item"
        return [(f"'{name}' needs at least one {what}", location)]
    if kind == "anyOf" and name == "sources":
        return [("a source needs 'url', or 'title' for a document without a web address", location)]
    if kind == "uniqueItems":
        return [(f"'{name}' lists the same value twice (keep one)", location)]
    return [(f"'{name}': {error.message}", location)]


def _unknown_key(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f"unknown key '{key}' (did you mean '{close[0]}'?)"
    return f"unknown key '{key}' (expected: {', '.join(allowed)})"


def _pattern_message(name: str, value: str) -> str:
    if name in ("url", "apply_url", "current_info_url"):
        return f"'{name}' is not a web address (write it starting with https://)"
    if name == "related":
        return f"related id '{value}' is not an id (ids look like 'almi-innovationslan')"
    return f"'{name}' must be a lowercase ASCII slug like 'almi-innovationslan' (got '{value}')"


def _file_errors(entry: EntryFile, entries_dir: Path) -> list[KnowledgeError]:
    """Rules about one file: name, folder, extension, real calendar dates."""
    data, path = entry.data, entry.path
    errors = []
    if path.suffix != ".yml":
        errors.append(KnowledgeError("entry files end in .yml (rename the file)", path, 1))
    if not _SCHEMA_LINE.match(entry.first_line):
        errors.append(
            KnowledgeError(f"the first line must be '{SCHEMA_COMMENT}' (editors check with it)", path, 1)
        )
    entry_id = data.get("id")
    if isinstance(entry_id, str) and entry_id != path.stem:
        message = f"id '{entry_id}' does not match the file name '{path.name}' (they must be equal)"
        errors.append(KnowledgeError(message, path, entry.line_of(("id",))))
    parts = path.relative_to(entries_dir).parts
    folder = parts[0] if len(parts) == 2 else ""
    kind = data.get("kind")
    if folder not in FOLDERS:
        expected = ", ".join(f"{name}/" for name in FOLDERS)
        errors.append(KnowledgeError(f"entry is not in a kind folder (expected: {expected})", path, 1))
    elif isinstance(kind, str) and kind in FOLDERS.values() and FOLDERS[folder] != kind:
        right = next(name for name, value in FOLDERS.items() if value == kind)
        message = f"kind '{kind}' does not belong in {folder}/ (move the file to {right}/ or change the kind)"
        errors.append(KnowledgeError(message, path, entry.line_of(("kind",))))
    errors.extend(_calendar_errors(entry))
    errors.extend(_order_errors(entry))
    errors.extend(_cite_errors(entry))
    return errors


def _cite_errors(entry: EntryFile) -> list[KnowledgeError]:
    """Every passage's source marker ([id] at the end of a paragraph) names one of the entry's sources."""
    sources = entry.data.get("sources")
    ids: list[str] = [
        s["id"] for s in (sources if isinstance(sources, list) else []) if isinstance(s, dict) and "id" in s
    ]
    errors = []
    seen: set[str] = set()
    for index, source_id in enumerate(ids):
        if source_id in seen:
            message = f"source id '{source_id}' is used twice (give each source its own id)"
            errors.append(KnowledgeError(message, entry.path, entry.line_of(("sources", index, "id"))))
        seen.add(source_id)
    known = ", ".join(ids) or "none: add 'id: ...' to a source"
    cited: list[tuple[str, str, Location]] = []
    for name in CITING_FIELDS:
        value = entry.data.get(name)
        if not isinstance(value, str):
            continue
        for paragraph in paragraphs(reflow(value)) if name == "body" else [reflow(value)]:
            for match in CITE_ANYWHERE.finditer(paragraph):
                if not CITE.search(paragraph[match.start() :]):
                    message = f"'{name}': the source marker [{match.group(1)}] must end its paragraph"
                    errors.append(KnowledgeError(message, entry.path, entry.line_of((name,))))
                cited.append((name, match.group(1), (name,)))
    if isinstance(entry.data.get("dates_source"), str):
        cited.append(("dates_source", entry.data["dates_source"], ("dates_source",)))
    for name, source_id, where in cited:
        if source_id not in ids:
            message = f"'{name}' cites source '{source_id}', which this entry lacks (source ids: {known})"
            errors.append(KnowledgeError(message, entry.path, entry.line_of(where)))
    return errors


def _calendar_errors(entry: EntryFile) -> list[KnowledgeError]:
    """Dates written as YYYY-MM-DD that do not exist, like 2018-09-31."""
    dates = entry.data.get("dates")
    found: list[tuple[str, Any, Location]] = [
        ("facts_as_of", entry.data.get("facts_as_of"), ("facts_as_of",))
    ]
    if isinstance(dates, dict):
        for name, value in dates.items():
            values = value if isinstance(value, list) else [value]
            for index, item in enumerate(values):
                where: Location = ("dates", name, index) if isinstance(value, list) else ("dates", name)
                found.append((name, item, where))
    errors = []
    for name, value, where in found:
        if not (isinstance(value, str) and _ISO_DATE.match(value)):
            continue
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            message = f"'{name}' {value} is not a real date (check the day and the month)"
            errors.append(KnowledgeError(message, entry.path, entry.line_of(where)))
    return errors


# Dates that cannot come before another one: (earlier, later).
DATE_ORDER = (("opens", "closes"), ("opens", "decision"), ("project_start", "project_end"))


def _order_errors(entry: EntryFile) -> list[KnowledgeError]:
    """Dates in an impossible order, like a closing date before the opening date."""
    dates = entry.data.get("dates")
    if not isinstance(dates, dict):
        return []
    errors = []
    for earlier, later in DATE_ORDER:
        first, then = _real_date(dates.get(earlier)), _real_date(dates.get(later))
        if first and then and then < first:
            message = (
                f"'{later}' {then} is before '{earlier}' {first} (check both dates; write what the source "
                "says in 'dates_note' if it really gives them so)"
            )
            errors.append(KnowledgeError(message, entry.path, entry.line_of(("dates", later))))
    return errors


def _real_date(value: Any) -> dt.date | None:
    """A YYYY-MM-DD string as a date, None for anything else (reported elsewhere)."""
    if not (isinstance(value, str) and _ISO_DATE.match(value)):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _cross_errors(files: list[EntryFile]) -> list[KnowledgeError]:
    """Rules across entries: unique ids, existing related ids, unique names, one entry per intent."""
    errors: list[KnowledgeError] = []
    owner: dict[str, EntryFile] = {}
    for entry in files:
        entry_id = entry.data.get("id")
        if not isinstance(entry_id, str):
            continue
        if entry_id in owner:
            message = f"duplicate id '{entry_id}' (also in {display_path(owner[entry_id].path)})"
            errors.append(KnowledgeError(message, entry.path, entry.line_of(("id",))))
        else:
            owner[entry_id] = entry
    for entry in files:
        errors.extend(_related_errors(entry, owner))
    errors.extend(_claim_errors(files, _names, _NAME_CLASH))
    errors.extend(_claim_errors(files, _intents, "intent '{value}' is already answered by '{other}'"))
    return errors


def _related_errors(entry: EntryFile, owner: dict[str, EntryFile]) -> list[KnowledgeError]:
    related = entry.data.get("related")
    if not isinstance(related, list):
        return []
    errors = []
    for index, rid in enumerate(related):
        if isinstance(rid, str) and rid not in owner:
            close = difflib.get_close_matches(rid, list(owner), n=1, cutoff=0.8)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            message = f"related entry '{rid}' does not exist{hint}"
            errors.append(KnowledgeError(message, entry.path, entry.line_of(("related", index))))
    return errors


def _names(entry: EntryFile) -> list[tuple[str, str, Location]]:
    """(comparison key, name as written, location) for the title and every alias."""
    found: list[tuple[str, str, Location]] = []
    if isinstance(entry.data.get("title"), str):
        found.append((name_key(entry.data["title"]), entry.data["title"], ("title",)))
    aliases = entry.data.get("aliases")
    for index, alias in enumerate(aliases if isinstance(aliases, list) else []):
        if isinstance(alias, str):
            found.append((name_key(alias), alias, ("aliases", index)))
    return [item for item in found if item[0]]


def _intents(entry: EntryFile) -> list[tuple[str, str, Location]]:
    intents = entry.data.get("answers_intents")
    return [
        (intent, intent, ("answers_intents", index))
        for index, intent in enumerate(intents if isinstance(intents, list) else [])
        if isinstance(intent, str)
    ]


def _claim_errors(files: list[EntryFile], claims: Any, template: str) -> list[KnowledgeError]:
    """Errors for values (names, intents) claimed by more than one entry; the first claim wins."""
    claimed: dict[str, str] = {}
    errors = []
    for entry in files:
        entry_id = entry.data.get("id")
        if not isinstance(entry_id, str):
            continue
        for key, value, where in claims(entry):
            other = claimed.setdefault(key, entry_id)
            if other != entry_id:
                message = template.format(value=value, other=other)
                errors.append(KnowledgeError(message, entry.path, entry.line_of(where)))
    return errors
