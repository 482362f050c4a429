"""The `lotsen` command line: one entry point, sub-commands registered by each feature package."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    parser = argparse.ArgumentParser(
        prog="lotsen",
        description="Produktionslotsen: run the assistant, manage the knowledge base, measure.",
        epilog="Example: lotsen kb search 'vem kan söka innovationslån'",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    from bot import bench, evaluate, privacy, qaeval, report, runner, scaled

    runner.add_commands(sub)
    scaled.add_commands(sub)
    bench.add_commands(sub)
    evaluate.add_commands(sub)
    privacy.add_commands(sub)
    qaeval.add_commands(sub)
    report.add_commands(sub)

    from bot.kb import cli as kb_cli

    kb_cli.add_commands(sub)

    from bot.advisor import cli as advisor_cli

    advisor_cli.add_commands(sub)

    from bot.telegram import cli as telegram_cli

    telegram_cli.add_commands(sub)

    from bot.web import cli as web_cli

    web_cli.add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one sub-command and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
