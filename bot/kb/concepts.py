"""The concept table (`knowledge/concepts.yml`): users' words for what the entries call by another word.

Users ask in their own words ("underleverantör", "kontraktstillverkare", "fabrik") about what the entries
call "legotillverkare". A concept lists the entries' word(s) (`words`) and the users' words for the same
thing (`said`); a query word whose stem is a `said` word's stem also searches for the concept's words, as
one term with the query word's weight. Staff extend the table like any knowledge file; `lotsen kb
validate` checks it: every `words` word must be one the entries use (else it finds nothing), and a said
word belongs to one concept only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.kb.errors import KnowledgeError
from bot.kb.load import EntryFile, read_entry_file
from bot.swedish import content_stems

CONCEPTS_FILE = "concepts.yml"


@dataclass(frozen=True)
class Concept:
    """The stems of the entries' words for one thing and the stems users say for it."""

    words: tuple[str, ...]
    said: tuple[str, ...]


def concepts_path(knowledge_dir: Path) -> Path:
    """Where the concept table of a knowledge folder is."""
    return knowledge_dir / CONCEPTS_FILE


def read_concepts(
    knowledge_dir: Path, vocabulary: frozenset[str]
) -> tuple[list[Concept], list[KnowledgeError]]:
    """The concepts of the table (none when there is no table) and every problem in it.

    `vocabulary` is the stems the entries use: a concept word outside it would find nothing."""
    path = concepts_path(knowledge_dir)
    if not path.exists():
        return [], []
    table, errors = read_entry_file(path)
    if table is None:
        return [], errors
    items = table.data.get("concepts") if isinstance(table.data, dict) else None
    if not isinstance(items, list):
        return [], [*errors, KnowledgeError("write the table as 'concepts:' and a list of items", path, 1)]
    concepts: list[Concept] = []
    owner: dict[str, tuple[int, int]] = {}
    for index, item in enumerate(items):
        concept, item_errors = _concept(table, index, item, vocabulary, owner)
        errors.extend(item_errors)
        if concept is not None:
            concepts.append(concept)
    return concepts, errors


def _concept(
    table: EntryFile, index: int, item: object, vocabulary: frozenset[str], owner: dict[str, tuple[int, int]]
) -> tuple[Concept | None, list[KnowledgeError]]:
    """One item of the table, checked."""
    line = table.line_of(("concepts", index))
    if not isinstance(item, dict) or not {"words", "said"} <= set(item):
        message = "an item needs 'words:' (the entries' words) and 'said:' (the users' words)"
        return None, [KnowledgeError(message, table.path, line)]
    errors: list[KnowledgeError] = []
    lists: dict[str, list[str]] = {}
    for key in ("words", "said"):
        values = item[key]
        if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
            errors.append(KnowledgeError(f"'{key}' must be a list of words: [ord, ord]", table.path, line))
            continue
        lists[key] = values
    if errors:
        return None, errors
    words: list[str] = []
    for word, stem, where in _one_words(table, index, "words", lists["words"], errors):
        if stem not in vocabulary:
            message = f"'{word}' is in no entry, so it finds nothing (write a word the entries use)"
            errors.append(KnowledgeError(message, table.path, where))
        else:
            words.append(stem)
    said: list[str] = []
    for word, stem, where in _one_words(table, index, "said", lists["said"], errors):
        if stem in words:
            errors.append(KnowledgeError(f"'{word}' is one of the item's own words", table.path, where))
        elif stem in owner and owner[stem][0] != index:
            message = f"'{word}' is said for another item too (line {owner[stem][1]}); keep it in one"
            errors.append(KnowledgeError(message, table.path, where))
        else:
            owner[stem] = (index, line)
            said.append(stem)
    if errors:
        return None, errors
    return Concept(words=tuple(words), said=tuple(said)), []


def _one_words(
    table: EntryFile, index: int, key: str, values: list[str], errors: list[KnowledgeError]
) -> list[tuple[str, str, int]]:
    """(word, stem, line) of each value that is one word; an error for each that is not."""
    found = []
    for position, word in enumerate(values):
        stems = content_stems(word)
        where = table.line_of(("concepts", index, key, position))
        if len(stems) == 1:
            found.append((word, stems[0], where))
        else:
            errors.append(KnowledgeError(f"'{word}' in '{key}' must be one word", table.path, where))
    return found


def expansions(concepts: list[Concept]) -> dict[str, tuple[str, ...]]:
    """For each said stem, the entries' stems it also stands for."""
    return {said: concept.words for concept in concepts for said in concept.said}
