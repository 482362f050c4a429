"""Load, validate and cache the advisor's data files: knowledge/advisor/questions.yml and rules.yml.

Files are read lazily and cached by modification time, so staff edits are picked up without a restart.
Problems raise `AdvisorDataError` whose messages name the file, the line and the key:
`knowledge/advisor/rules.yml:42: scoring[3].points: unknown category 'hybird' (expected: ...)`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import jsonschema
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from bot.advisor import checks
from bot.advisor.model import (
    NumberSpec,
    Option,
    QuestionsData,
    QuestionSpec,
    RulesData,
    UnitGroup,
)
from bot.kb.load import indent_hint
from bot.settings import get_settings
from bot.swedish import dates_in_words, fold

SCHEMA_FILE = "advisor.schema.json"
log = logging.getLogger(__name__)
T = TypeVar("T")
_cache: dict[tuple[str, Path], tuple[tuple[int, ...], Any]] = {}


class AdvisorDataError(Exception):
    """An advisor data file is missing or invalid; `errors` has one `file:line: key: message` each."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def advisor_dir() -> Path:
    """The folder with questions.yml and rules.yml (from the KNOWLEDGE_DIR setting)."""
    return get_settings().knowledge_dir / "advisor"


def load_questions(path: Path | None = None, strict: bool = False) -> QuestionsData:
    """questions.yml, validated; cached until the file changes (see `_cached` for `strict`)."""
    path = path or advisor_dir() / "questions.yml"
    return _cached("questions", path, (path,), lambda: _build_questions(path), strict)


def load_rules(
    path: Path | None = None, questions: QuestionsData | None = None, strict: bool = False
) -> RulesData:
    """rules.yml, validated against the schema and against questions.yml; cached until either changes."""
    path = path or advisor_dir() / "rules.yml"
    questions = questions or load_questions(path.parent / "questions.yml", strict)
    return _cached("rules", path, (path, questions.path), lambda: _build_rules(path, questions), strict)


def validate_advisor(folder: Path | None = None) -> list[str]:
    """Every problem in the advisor files of `folder` as `file:line: key: message`; empty when all is well."""
    folder = folder or advisor_dir()
    try:
        questions = load_questions(folder / "questions.yml", strict=True)
        rules = load_rules(folder / "rules.yml", questions, strict=True)
    except AdvisorDataError as exc:
        return exc.errors
    return missing_entries(rules, folder.parent / "entries")


def missing_entries(rules: RulesData, entries_dir: Path) -> list[str]:
    """Knowledge entries that rules.yml names (in `supports`, `regulations` and `settings.horizontal_entries`)
    but that don't exist."""
    if not entries_dir.is_dir():
        return []
    existing = {p.stem: p for p in entries_dir.rglob("*.yml")}
    problems = []
    for section in ("supports", "regulations"):
        for i, rule in enumerate(getattr(rules, section)):
            for entry_id in rule.get("entries", ()):
                if entry_id not in existing:
                    problems.append(
                        f"{_display(rules.path)}: {section}[{i}].entries: no knowledge entry '{entry_id}' "
                        f"(expected a file {entry_id}.yml under {_display(entries_dir)})"
                    )
    problems += [
        f"{_display(rules.path)}: settings.horizontal_entries: no knowledge entry '{entry_id}' "
        f"(expected a file {entry_id}.yml under {_display(entries_dir)})"
        for entry_id in rules.settings.get("horizontal_entries", ())
        if entry_id not in existing
    ]
    for i, rule in enumerate(rules.regulations):
        files = [existing[e] for e in rule["entries"] if e in existing]
        texts = " ".join(" ".join(f.read_text(encoding="utf-8").split()) for f in files).lower()
        problems += [
            f"{_display(rules.path)}: regulations[{i}].details: '{word}' is in none of the entries "
            f"{', '.join(rule['entries'])} (write words from the paragraph to show)"
            for word in rule.get("details", ())
            if " ".join(word.split()).lower() not in texts
        ]
    for i, rule in enumerate(rules.dated_rules):
        at = f"{_display(rules.path)}: dated_rules[{i}]"
        if rule["entry"] not in existing:
            problems.append(f"{at}.entry: no knowledge entry '{rule['entry']}'")
            continue
        text = " ".join(existing[rule["entry"]].read_text(encoding="utf-8").split())
        opening = " ".join(rule["passage"].split())
        paragraph = text[text.find(opening) :].split(" [")[0] if opening in text else None
        if paragraph is None:
            problems.append(
                f"{at}.passage: no paragraph of the entry {rule['entry']} starts with '{opening}' (copy the "
                "first words of the paragraph that gives the date)"
            )
        elif not dates_in_words(paragraph):
            problems.append(
                f"{at}.passage: the paragraph '{opening} …' names no day (write it as \"20 januari 2027\" "
                "in the entry)"
            )
    return problems


def _cached(kind: str, key: Path, files: tuple[Path, ...], build: Callable[[], T], strict: bool = False) -> T:
    """`build()`'s result, kept until one of `files` changes; with `strict` False a broken edit keeps the
    last good result (the running assistant), with `strict` True it raises (validation)."""
    try:
        stamp = tuple(f.stat().st_mtime_ns for f in files)
    except FileNotFoundError as exc:
        raise AdvisorDataError([f"{_display(Path(str(exc.filename)))}: file not found"]) from exc
    hit = _cache.get((kind, key))
    if hit and hit[0] == stamp:
        return hit[1]
    try:
        value = build()
    except AdvisorDataError as exc:
        if strict or hit is None:
            raise
        # A staff edit broke the file: keep advising with the last good version, and say so in the log.
        log.error("%s is invalid, still using the last good version: %s", _display(key), exc.errors[0])
        return hit[1]
    _cache[(kind, key)] = (stamp, value)
    return value


def _build_questions(path: Path) -> QuestionsData:
    doc = _load_valid(path, "questionsFile")
    data = _to_plain(doc)
    questions = QuestionsData(
        path=path,
        parsing=data["parsing"],
        texts=data["texts"],
        questions=tuple(_question(q) for q in data["questions"]),
    )
    _raise_if(path, doc, checks.check_questions(questions))
    return questions


def _build_rules(path: Path, questions: QuestionsData) -> RulesData:
    doc = _load_valid(path, "rulesFile")
    data = _to_plain(doc)
    rules = RulesData(
        path=path,
        settings=data["settings"],
        categories=tuple(data["categories"]),
        scoring=tuple(data["scoring"]),
        stages=tuple(data["stages"]),
        next_steps=tuple(data["next_steps"]),
        caveats=tuple(data["caveats"]),
        supports=tuple(data["supports"]),
        regulations=tuple(data.get("regulations", ())),
        texts=data["texts"],
        realism=tuple(data.get("realism", ())),
        dated_rules=tuple(data.get("dated_rules", ())),
    )
    _raise_if(path, doc, checks.check_rules(rules, questions))
    return rules


def _question(raw: Mapping[str, Any]) -> QuestionSpec:
    numbers = raw.get("numbers")
    return QuestionSpec(
        slot=raw["slot"],
        label=raw["label"],
        text=raw["text"],
        multiple=bool(raw.get("multiple", False)),
        corrections_add=raw.get("corrections") == "add",
        negated=raw.get("negated"),
        fallback=raw.get("fallback"),
        skip_when=tuple(_conditions(raw.get("skip_when"))),
        ask=bool(raw.get("ask", True)),
        ignore_after=tuple(fold(w) for w in raw.get("ignore_after", ())),
        ignore_suffixes=tuple(fold(w) for w in raw.get("ignore_suffixes", ())),
        ignore_before=tuple(fold(w) for w in raw.get("ignore_before", ())),
        tie_first=raw.get("tie") == "first",
        tie_weak=tuple(raw.get("tie_weak", ())),
        not_after_number=bool(raw.get("not_after_number", False)),
        not_in_questions=bool(raw.get("not_in_questions", False)),
        cues=tuple(fold(w) for w in raw.get("cues", ())),
        check_options=tuple(raw.get("check_options", ())),
        numbers=_numbers(numbers) if numbers else None,
        options=tuple(
            Option(
                value=o["value"],
                title=o["title"],
                phrase=o["phrase"],
                synonyms=tuple(o.get("synonyms", ())),
                short_answers=tuple(o.get("short_answers", ())),
                max=o.get("max"),
                planned=o.get("planned"),
                button=bool(o.get("button", True)),
                outranks=tuple(o.get("outranks", ())),
                negation_agrees=bool(o.get("negation_agrees", False)),
                modifier=bool(o.get("modifier", False)),
                implies=tuple(o.get("implies", ())),
                yields_to=tuple(o.get("yields_to", ())),
                yields_unless=tuple(o.get("yields_unless", ())),
                ignore_right_after=tuple(fold(w) for w in o.get("ignore_right_after", ())),
                denied_by=tuple(o.get("denied_by", ())),
                possible=o.get("possible"),
                slight=o.get("slight"),
            )
            for o in raw["options"]
        ),
    )


def _numbers(raw: Mapping[str, Any]) -> NumberSpec:
    return NumberSpec(
        store=raw["store"],
        phrase=raw["phrase"],
        units=tuple(UnitGroup(tuple(u["words"]), float(u["factor"])) for u in raw["units"]),
        cues=tuple(raw.get("cues", ())),
        require_unit=bool(raw.get("require_unit", False)),
        money=bool(raw.get("money", False)),
        not_after=tuple(raw.get("not_after", ())),
        not_with=tuple(raw.get("not_with", ())),
        not_in_clause=tuple(raw.get("not_in_clause", ())),
        current_slot=raw.get("current", {}).get("slot"),
        current_words=tuple(raw.get("current", {}).get("words", ())),
        plan_words=tuple(raw.get("current", {}).get("plan_words", ())),
        current_decides_when=tuple(_conditions(raw.get("current", {}).get("decides_when"))),
        horizon_phrase=raw.get("current", {}).get("horizon_phrase"),
        current_steps={k: float(v) for k, v in raw.get("current", {}).get("steps", {}).items()},
        bound_phrase=raw.get("bound_phrase"),
        words_first=tuple(raw.get("words_first", ())),
    )


def _conditions(raw: Any) -> list[Mapping[str, Any]]:
    """`skip_when` or `decides_when`: one condition, or a list of conditions of which any may hold."""
    if not raw:
        return []
    return list(raw) if isinstance(raw, list) else [raw]


def _load_valid(path: Path, definition: str) -> Any:
    """The round-trip YAML document (with line numbers) after checking it against the JSON schema."""
    text = path.read_text(encoding="utf-8")
    try:
        doc = YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        hint = indent_hint(text.split("\n"), line)
        message = f"{_display(path)}:{line}: invalid YAML: {exc.problem}" + (f" ({hint})" if hint else "")
        raise AdvisorDataError([message]) from exc
    except YAMLError as exc:
        raise AdvisorDataError([f"{_display(path)}: invalid YAML: {exc}"]) from exc
    schema_path = path.parent.parent / "schema" / SCHEMA_FILE
    if not schema_path.exists():
        raise AdvisorDataError([f"{_display(schema_path)}: file not found"])
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator({"$ref": f"#/$defs/{definition}", "$defs": schema["$defs"]})
    problems = [
        (tuple(err.absolute_path), err.message)
        for err in sorted(
            validator.iter_errors(_to_plain(doc)), key=lambda e: list(map(str, e.absolute_path))
        )
    ]
    _raise_if(path, doc, problems)
    return doc


def _raise_if(path: Path, doc: Any, problems: list[tuple[tuple[Any, ...], str]]) -> None:
    if problems:
        raise AdvisorDataError([_format(path, doc, where, message) for where, message in problems])


def _format(path: Path, doc: Any, where: tuple[Any, ...], message: str) -> str:
    key = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in where).lstrip(".") or "(top)"
    return f"{_display(path)}:{_line_of(doc, where)}: {key}: {message}"


def _line_of(doc: Any, where: tuple[Any, ...]) -> int:
    """1-based line of the deepest part of `where` that the round-trip document knows about."""
    line, node = 1, doc
    for part in where:
        try:
            if isinstance(part, int):
                line = node.lc.item(part)[0] + 1
            else:
                line = node.lc.key(part)[0] + 1
            node = node[part]
        except (AttributeError, KeyError, IndexError, TypeError):
            break
    return line


def _to_plain(node: Any) -> Any:
    if isinstance(node, Mapping):
        return {str(k): _to_plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_to_plain(v) for v in node]
    return node


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
