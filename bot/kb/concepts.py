"""The concept table (`knowledge/concepts.yml`): users' words for what the entries call by another word.

Users ask in their own words ("underleverantör", "kontraktstillverkare", "fabrik") about what the entries
call "legotillverkare". A concept lists the entries' word(s) (`words`) and the users' words for the same
thing (`said`); a query word whose stem is a `said` word's stem also searches for the concept's words, as
one term with the query word's weight. Staff extend the table like any knowledge file; `lotsen kb
validate` checks it: every `words` word must be one the entries use (else it finds nothing), and a said
word belongs to one concept only.

The same file lists situations (`situations:`): phrases users say when they tell the situation they ask in
("en fabrik i Asien", "lägga ut tillverkningen") and the entry topic that situation is about
("contract-manufacturing"). The resolver counts a situation said in the question as evidence for the
entries with that topic (`bot/actions/resolve.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.kb.errors import KnowledgeError
from bot.kb.load import EntryFile, read_entry_file
from bot.swedish import content_stems, words
from bot.swedish import stem as word_stem

CONCEPTS_FILE = "concepts.yml"


@dataclass(frozen=True)
class Concept:
    """The stems of the entries' words for one thing and the stems users say for it."""

    words: tuple[str, ...]
    said: tuple[str, ...]


@dataclass(frozen=True)
class Situation:
    """An entry topic and the phrases (each a tuple of word stems) users say for that situation."""

    topic: str
    said: tuple[tuple[str, ...], ...]


def phrase_stems(text: str) -> tuple[str, ...]:
    """The stems of every word of a phrase or message, stop words kept ("i Kina", "åt oss")."""
    return tuple(word_stem(word) for word in words(text))


# Stems this long match a longer stem they begin ("leverant" of "leverantör" and "leverantor" of
# "leverantören": the stemmer cuts inflected forms differently).
PREFIX_STEM = 5
# "en egen fabrik" is the user's own production, not someone else making it.
OWN = frozenset(phrase_stems("egen eget egna"))


def _same(said: str, phrase: str) -> bool:
    return said == phrase or (min(len(said), len(phrase)) >= PREFIX_STEM and said.startswith(phrase))


def told_topics(situations: dict[tuple[str, ...], tuple[str, ...]], text: str) -> frozenset[str]:
    """The topics of the situation phrases a text says, each phrase's stems in a row and not after "egen"."""
    said = phrase_stems(text)
    found: set[str] = set()
    for phrase, topics in situations.items():
        for start in range(len(said) - len(phrase) + 1):
            own = start > 0 and said[start - 1] in OWN
            if not own and all(_same(s, p) for s, p in zip(said[start:], phrase, strict=False)):
                found.update(topics)
                break
    return frozenset(found)


def concepts_path(knowledge_dir: Path) -> Path:
    """Where the concept table of a knowledge folder is."""
    return knowledge_dir / CONCEPTS_FILE


def _table_list(
    knowledge_dir: Path, key: str, default: list[Any] | None, problem: str
) -> tuple[EntryFile | None, list[Any] | None, list[KnowledgeError]]:
    """The concept table (None when there is none or it cannot be read), the list under `key` in it (None
    when it is not a list; `default` when the key is absent) and the problems found."""
    path = concepts_path(knowledge_dir)
    if not path.exists():
        return None, None, []
    table, errors = read_entry_file(path)
    if table is None:
        return None, None, errors
    items = table.data.get(key, default) if isinstance(table.data, dict) else default
    if not isinstance(items, list):
        return table, None, [*errors, KnowledgeError(problem, path, 1)]
    return table, items, errors


def read_concepts(
    knowledge_dir: Path, vocabulary: frozenset[str]
) -> tuple[list[Concept], list[KnowledgeError]]:
    """The concepts of the table (none when there is no table) and every problem in it.

    `vocabulary` is the stems the entries use: a concept word outside it would find nothing."""
    table, items, errors = _table_list(
        knowledge_dir, "concepts", None, "write the table as 'concepts:' and a list of items"
    )
    if table is None or items is None:
        return [], errors
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


def read_situations(
    knowledge_dir: Path, topics: frozenset[str]
) -> tuple[list[Situation], list[KnowledgeError]]:
    """The situations of the concept table (none when it lists none) and every problem in them.

    `topics` is the topics the entries use: a situation for another topic would raise nothing."""
    table, items, errors = _table_list(
        knowledge_dir, "situations", [], "write 'situations:' as a list of items"
    )
    if table is None or items is None:
        return [], errors
    path = table.path
    situations: list[Situation] = []
    for index, item in enumerate(items):
        line = table.line_of(("situations", index))
        said = item.get("said") if isinstance(item, dict) else None
        topic = item.get("topic") if isinstance(item, dict) else None
        if (
            not isinstance(topic, str)
            or not isinstance(said, list)
            or not all(isinstance(s, str) for s in said)
        ):
            message = "a situation needs 'topic:' (an entry topic) and 'said:' (a list of the users' phrases)"
            errors.append(KnowledgeError(message, path, line))
            continue
        if topic not in topics:
            message = f"unknown topic '{topic}' (expected: {', '.join(sorted(topics))})"
            errors.append(KnowledgeError(message, path, line))
            continue
        phrases = tuple(phrase_stems(s) for s in said)
        if not said or not all(phrases):
            errors.append(KnowledgeError("'said' must list phrases with words: [fabrik i Kina]", path, line))
            continue
        situations.append(Situation(topic=topic, said=phrases))
    return situations, errors
