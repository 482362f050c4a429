"""The README documents every setting, every `lotsen` command and every make target."""

from __future__ import annotations

import argparse
import dataclasses
import re

import pytest

from bot.cli import build_parser
from bot.settings import ROOT, Settings

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _subcommands(parser: argparse.ArgumentParser, prefix: str = "lotsen") -> list[str]:
    names = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                names.append(f"{prefix} {name}")
                names += _subcommands(sub, f"{prefix} {name}")
    return names


@pytest.mark.parametrize("variable", [f.metadata["env"] for f in dataclasses.fields(Settings)])
def test_every_setting_is_in_the_readme(variable: str) -> None:
    assert f"`{variable}`" in README, f"README's settings table lacks {variable}"


@pytest.mark.parametrize("command", _subcommands(build_parser()))
def test_every_cli_command_is_in_the_readme(command: str) -> None:
    assert command in README, f"README doesn't mention `{command}`"


@pytest.mark.parametrize(
    "target", re.findall(r"^([a-z-]+):.*## ", (ROOT / "Makefile").read_text(), flags=re.MULTILINE)
)
def test_every_make_target_is_in_the_readme(target: str) -> None:
    assert f"make {target}" in README, f"README doesn't mention `make {target}`"


def test_every_cli_command_has_help_and_an_example() -> None:
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                assert sub.description, f"lotsen {name} has no description"
                assert "Example" in (sub.epilog or "") or any(
                    isinstance(a, argparse._SubParsersAction) for a in sub._actions
                ), f"lotsen {name} has no example"
