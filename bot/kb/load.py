"""Read knowledge entry files: one YAML mapping per file, remembering the line of every key.

Scalars are read without constructing dates, so `closes: 2018-09-31` stays the string the staff
member wrote and the validator can say what is wrong with it instead of the YAML parser failing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.kb.errors import KnowledgeError

# A location inside an entry: keys and list indexes from the top, e.g. ("dates", "reports", 1).
Location = tuple[str | int, ...]

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_STR = "tag:yaml.org,2002:str"


@dataclass
class EntryFile:
    """One entry file as read: its data (dates as ISO strings) and the line of each location."""

    path: Path
    data: Any
    first_line: str = ""
    lines: dict[Location, int] = field(default_factory=dict)

    def line_of(self, location: Location) -> int:
        """The line of a location, or of the nearest enclosing one that has a line."""
        for end in range(len(location), -1, -1):
            if location[:end] in self.lines:
                return self.lines[location[:end]]
        return 1


def entry_files(entries_dir: Path) -> Iterator[Path]:
    """Every candidate entry file below entries_dir in a stable order (hidden files are skipped)."""
    for path in sorted(entries_dir.rglob("*")):
        if path.is_file() and path.suffix in (".yml", ".yaml") and not path.name.startswith("."):
            yield path


def read_entry_file(path: Path) -> tuple[EntryFile | None, list[KnowledgeError]]:
    """Parse one file. Returns the file (None if unreadable) and the problems found while reading."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [KnowledgeError("the file is not UTF-8 text (save it as UTF-8)", path, 1)]
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_error(exc, path, text)]
    except yaml.YAMLError as exc:
        return None, [KnowledgeError(f"YAML syntax error: {exc}", path, 1)]
    if not isinstance(node, yaml.MappingNode):
        line = node.start_mark.line + 1 if node is not None else 1
        message = "the file must hold one entry written as 'key: value' lines"
        return None, [KnowledgeError(message, path, line)]
    entry = EntryFile(path=path, data=None, first_line=text.split("\n", 1)[0])
    errors: list[KnowledgeError] = []
    entry.data = _convert(node, (), entry, errors)
    return entry, errors


# The fixes for the YAML mistakes staff make most, by a phrase of the parser's message.
SYNTAX_HINTS = (
    ("'\\t'", "indent with spaces, not tabs"),
    ("mapping values are not allowed", "a text containing ': ' must be put in quotes"),
)


# A line that starts a key: "  closes: 2024-09-30", "who_can_apply:", "  - slot: stage" (the key's
# column counts the list marker in).
_KEY_LINE = re.compile(r"^( *(?:- +)?)([A-Za-z_][A-Za-z0-9_]*):( |$)")


def _syntax_error(exc: yaml.MarkedYAMLError, path: Path, text: str) -> KnowledgeError:
    """Where and what the parser stumbled on, with the construct it was reading when it started."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    message = f"YAML syntax error: {exc.problem or exc.context or 'the file cannot be read'}"
    if exc.problem and exc.context and exc.context_mark and exc.context_mark.line + 1 != line:
        message += f" ({exc.context} at line {exc.context_mark.line + 1})"
    hint = indent_hint(text.split("\n"), line)
    hint = hint or next((fix for clue, fix in SYNTAX_HINTS if clue in message), None)
    return KnowledgeError(f"{message} ({hint})" if hint else message, path, line)


def indent_hint(lines: list[str], line: int) -> str | None:
    """When the reported line is a key indented unlike the key line above it, say so (not "use quotes")."""
    if not 0 < line <= len(lines):
        return None
    this = _KEY_LINE.match(lines[line - 1])
    above = next((m for m in map(_KEY_LINE.match, reversed(lines[: line - 1])) if m is not None), None)
    if this is None or above is None:
        return None
    indent, above_indent = len(this.group(1)), len(above.group(1))
    opens_block = above.group(3) == ""  # "dates:" with its keys on the lines below, further in
    if indent == above_indent or (opens_block and indent > above_indent):
        return None
    return (
        f"'{this.group(2)}' starts at column {indent + 1} but '{above.group(2)}' above it at column "
        f"{above_indent + 1}: keys that belong together start in the same column"
    )


def _convert(node: yaml.Node, location: Location, entry: EntryFile, errors: list[KnowledgeError]) -> Any:
    """Turn a YAML node into plain Python data, recording lines and duplicate keys."""
    entry.lines.setdefault(location, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        return _convert_mapping(node, location, entry, errors)
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if _merged_item(item):
                errors.append(
                    KnowledgeError(
                        f"'{item.value}' is two list items joined into one: the '- ' on line "
                        f"{item.end_mark.line + 1} is indented further than the one above it (start every "
                        "'- ' in the same column)",
                        entry.path,
                        item.start_mark.line + 1,
                    )
                )
        return [_convert(item, (*location, index), entry, errors) for index, item in enumerate(node.value)]
    assert isinstance(node, yaml.ScalarNode)
    return _scalar(node)


def _convert_mapping(
    node: yaml.MappingNode, location: Location, entry: EntryFile, errors: list[KnowledgeError]
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = str(_scalar(key_node)) if isinstance(key_node, yaml.ScalarNode) else "?"
        line = key_node.start_mark.line + 1
        if key in result:
            errors.append(KnowledgeError(f"key '{key}' appears twice (keep one)", entry.path, line))
            continue
        key_location: Location = (*location, key)
        entry.lines[key_location] = line
        result[key] = _convert(value_node, key_location, entry, errors)
    return result


def _merged_item(node: yaml.Node) -> bool:
    """A plain list item that runs over a line break into a "- ": YAML joined two items ("a - b")."""
    return (
        isinstance(node, yaml.ScalarNode)
        and node.style is None
        and node.end_mark.line > node.start_mark.line
        and " - " in node.value
    )


def _scalar(node: yaml.ScalarNode) -> Any:
    """A scalar's value; dates stay as written, other plain scalars get YAML's usual type."""
    if node.tag in (_TIMESTAMP, _STR):
        return node.value
    try:
        return yaml.constructor.SafeConstructor().construct_object(node)
    except (yaml.YAMLError, ValueError):
        return node.value
