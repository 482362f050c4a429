"""The knowledge validator: every kind of mistake a staff member can make gets a located message."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from bot.kb import ValidationFailed, check, load_entries
from bot.settings import ROOT

FIXTURES = ROOT / "tests" / "data" / "kb_fixtures"
GOOD = FIXTURES / "good"
BROKEN = FIXTURES / "broken"

# (broken fixture, copied into the good set at the same place) -> the error it must produce
CASES = [
    ("calls/bad-date.yml", "calls/bad-date.yml:8: 'closes' is not a date (write YYYY-MM-DD)"),
    (
        "calls/impossible-date.yml",
        "calls/impossible-date.yml:8: 'reports' 2018-09-31 is not a real date (check the day and the month)",
    ),
    (
        "calls/unknown-kind.yml",
        "calls/unknown-kind.yml:3: unknown kind 'utlysnig' "
        "(expected: call, programme, support, actor, strategy, glossary, faq, regulation)",
    ),
    (
        "calls/no-current-info.yml",
        "calls/no-current-info.yml:2: missing required key 'current_info_url' "
        "(a call must say where current calls are published)",
    ),
    (
        "support/unknown-topic.yml",
        "support/unknown-topic.yml:8: unknown topic 'automatisering' (expected: financing,",
    ),
    (
        "faq/unknown-intent.yml",
        "faq/unknown-intent.yml:6: unknown intent 'ask_weather' (expected: ask_make_or_buy,",
    ),
    (
        "faq/intent-clash.yml",
        "faq/intent-clash.yml:6: intent 'ask_open_calls' is already answered by 'aktuella-utlysningar'",
    ),
    ("support/missing-summary.yml", "support/missing-summary.yml:2: missing required key 'summary'"),
    (
        "support/no-sources.yml",
        "support/no-sources.yml:6: 'sources' needs at least one source (with url and supports)",
    ),
    (
        "support/id-mismatch.yml",
        "support/id-mismatch.yml:2: id 'nagot-annat' does not match the file name 'id-mismatch.yml'",
    ),
    ("support/bad-id.yml", "support/bad-id.yml:2: 'id' must be a lowercase ASCII slug"),
    (
        "support/wrong-folder.yml",
        "support/wrong-folder.yml:3: kind 'actor' does not belong in support/ (move the file to actors/",
    ),
    (
        "support/bad-related.yml",
        "support/bad-related.yml:7: related entry 'almii' does not exist (did you mean 'almi'?)",
    ),
    (
        "support/syntax-error.yml",
        "support/syntax-error.yml:10: YAML syntax error: found unexpected end of stream "
        "(while scanning a quoted scalar at line 5)",
    ),
    (
        "support/bad-url.yml",
        "support/bad-url.yml:6: 'apply_url' is not a web address (write it starting with https://)",
    ),
    (
        "support/unknown-key.yml",
        "support/unknown-key.yml:6: unknown key 'belopp' (expected: id, kind, title,",
    ),
    ("support/misspelt-key.yml", "support/misspelt-key.yml:6: unknown key 'amont' (did you mean 'amount'?)"),
    (
        "support/alias-clash.yml",
        "support/alias-clash.yml:5: name 'Tillvaxtverket' is also used by 'tillvaxtverket'",
    ),
    ("support/duplicate-key.yml", "support/duplicate-key.yml:6: key 'title' appears twice (keep one)"),
    (
        "support/long-summary.yml",
        "support/long-summary.yml:5: 'summary' is too long (323 characters, at most 300)",
    ),
    (
        "support/not-a-mapping.yml",
        "support/not-a-mapping.yml:2: the file must hold one entry written as 'key: value' lines",
    ),
    (
        "support/empty-value.yml",
        "support/empty-value.yml:6: 'body' is empty (write a value or remove the key)",
    ),
    ("support/aliases-not-list.yml", "support/aliases-not-list.yml:5: 'aliases' must be a list"),
    (
        "support/no-schema-line.yml",
        "support/no-schema-line.yml:1: the first line must be "
        "'# yaml-language-server: $schema=../../schema/entry.schema.json' (editors check with it)",
    ),
    (
        "utlysningar/unknown-folder.yml",
        "utlysningar/unknown-folder.yml:1: entry is not in a kind folder (expected: calls/, programmes/,",
    ),
    (
        "actors/almi-innovationslan.yml",
        "support/almi-innovationslan.yml:2: duplicate id 'almi-innovationslan' (also in ",
    ),
]


def _add(knowledge: Path, fixture: str) -> None:
    target = knowledge / "entries" / fixture
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(BROKEN / fixture, target)


def _messages(knowledge: Path) -> list[str]:
    _, errors = check(knowledge)
    return [str(error) for error in errors]


def test_the_good_fixtures_are_valid() -> None:
    files, errors = check(GOOD)
    assert [str(e) for e in errors] == []
    assert len(files) == 11


@pytest.mark.parametrize(("fixture", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_mistake_is_reported_with_file_line_and_fix(
    knowledge: Path, fixture: str, expected: str
) -> None:
    _add(knowledge, fixture)
    messages = _messages(knowledge)
    assert any(expected in message for message in messages), "\n".join(messages)


def test_all_errors_are_reported_not_only_the_first(knowledge: Path) -> None:
    for fixture, _ in CASES:
        _add(knowledge, fixture)
    messages = _messages(knowledge)
    missing = [expected for _, expected in CASES if not any(expected in m for m in messages)]
    assert missing == []


def test_load_entries_raises_with_every_error(knowledge: Path) -> None:
    for fixture in ("calls/bad-date.yml", "support/bad-url.yml"):
        _add(knowledge, fixture)
    with pytest.raises(ValidationFailed) as caught:
        load_entries(knowledge)
    assert len(caught.value.errors) == 2
    assert "'closes' is not a date" in str(caught.value)


def test_unquoted_and_quoted_dates_both_become_dates(knowledge: Path) -> None:
    path = knowledge / "entries" / "calls" / "regional-utlysning-2016.yml"
    path.write_text(path.read_text().replace("closes: 2016-09-30", 'closes: "2016-09-30"'))
    entries = {e.id: e for e in load_entries(knowledge)}
    call = entries["regional-utlysning-2016"]
    assert call.dates.closes == dt.date(2016, 9, 30)
    assert call.dates.decision == dt.date(2016, 10, 7)
    assert entries["kompetensuppdraget-2018"].dates.reports == (dt.date(2019, 3, 31), dt.date(2019, 8, 30))


def test_a_missing_entries_folder_is_an_error(tmp_path: Path) -> None:
    _, errors = check(tmp_path)
    assert "no entries folder" in str(errors[0])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "id: x\n\tkind: faq\n",
            ":2: YAML syntax error: found character '\\t' that cannot start any token (indent with spaces",
        ),
        (
            "id: x\ntitle: Fråga: svar\n",
            ":2: YAML syntax error: mapping values are not allowed here (a text containing ': '",
        ),
        (
            "id: x\nkind: faq\n  title: Fråga\n",
            ":3: YAML syntax error: mapping values are not allowed here ('title' starts at column 3 "
            "but 'kind' above it at column 1: keys that belong together start in the same column)",
        ),
        (
            "id: x\ndates:\n  opens: 2024-01-01\n closes: 2024-02-01\n",
            ":4: YAML syntax error: expected <block end>, but found '<block mapping start>' (while parsing a "
            "block mapping at line 1) ('closes' starts at column 2 but 'opens' above it at column 3",
        ),
        (
            "id: x\naliases:\n  - robotlyft\n   - lyftet\n",
            ":3: 'robotlyft - lyftet' is two list items joined into one: the '- ' on line 4 is indented",
        ),
    ],
)
def test_common_yaml_mistakes_come_with_their_fix(knowledge: Path, text: str, expected: str) -> None:
    (knowledge / "entries" / "faq" / "trasig.yml").write_text(text, encoding="utf-8")
    assert any(expected in message for message in _messages(knowledge)), _messages(knowledge)


def test_a_closing_date_before_the_opening_date_is_an_error(knowledge: Path) -> None:
    path = knowledge / "entries" / "calls" / "regional-utlysning-2016.yml"
    path.write_text(
        path.read_text().replace("  closes: 2016-09-30", "  opens: 2016-10-01\n  closes: 2016-09-30")
    )
    line = path.read_text().splitlines().index("  closes: 2016-09-30") + 1
    assert (
        f"regional-utlysning-2016.yml:{line}: 'closes' 2016-09-30 is before 'opens' 2016-10-01"
        in "\n".join(_messages(knowledge))
    )
