"""`lotsen kb validate` warns about aliases made of topic words that many entries use."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.kb import check
from bot.kb.aliases import alias_warnings

ENTRY = Path("entries") / "support" / "almi-innovationslan.yml"
ALIASES = "aliases: [innovationslån, almi innovationslån, almilån]"


def _with_alias(knowledge: Path, alias: str) -> None:
    path = knowledge / ENTRY
    path.write_text(path.read_text("utf-8").replace(ALIASES, ALIASES[:-1] + f", {alias}]"), "utf-8")


def test_an_alias_of_topic_words_is_reported_with_file_and_line(knowledge: Path) -> None:
    _with_alias(knowledge, "företag i sverige")
    files, errors = check(knowledge)
    assert not errors
    warnings = [str(w) for w in alias_warnings(files)]
    assert len(warnings) == 1
    assert f"{ENTRY}:5: alias 'företag i sverige' is only words that" in warnings[0]


@pytest.mark.parametrize("alias", ["innovationslånet från almi", "almis lån", "2014/35/EU"])
def test_a_name_or_a_word_of_the_title_is_no_topic(knowledge: Path, alias: str) -> None:
    """A rare word is a name; a word of the entry's own title names it; a number makes a name."""
    _with_alias(knowledge, alias)
    files, _ = check(knowledge)
    assert alias_warnings(files) == []


def test_warnings_fail_validation_only_when_asked(
    knowledge: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _with_alias(knowledge, "företag i sverige")
    assert main(["kb", "validate", "--knowledge", str(knowledge)]) == 0
    assert "warning: " in capsys.readouterr().err
    assert main(["kb", "validate", "--knowledge", str(knowledge), "--fail-on-warnings"]) == 1
