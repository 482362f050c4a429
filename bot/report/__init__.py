"""`lotsen report`: what users asked that the assistant could not answer, how they rated answers, and
where consultations stop, for a date range, read straight from the tracker store.

- `collect`: the `events` table (SQLite or PostgreSQL) → one summary per conversation, no sender ids.
- `analyse`: summaries → figures (series per day, unanswered groups, ratings, funnel), texts masked.
- `render`: figures → one self-contained HTML file and a short text summary.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from bot.report.analyse import Figures, Privacy, analyse
from bot.report.collect import ZONE, ReportError, conversations, database_url
from bot.report.render import render_html, render_summary
from bot.settings import Settings, get_settings

DEFAULT_DAYS = 30


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (write YYYY-MM-DD)") from None


def _question_labels() -> tuple[list[str], dict[str, str]]:
    """The consultation's questions in the order they are asked, and their labels."""
    try:
        from bot.advisor.data import load_questions

        questions = load_questions().questions
    except Exception:  # noqa: BLE001 - the report works without the advisor data; slots show as names
        return [], {}
    return [q.slot for q in questions], {q.slot: q.label for q in questions}


def _kb(settings: Settings) -> Any | None:
    """The knowledge base for titles and closest entries, or None when it has not been built."""
    if not settings.knowledge_db.exists():
        return None
    from bot.kb import KnowledgeBase

    return KnowledgeBase(settings.knowledge_db)


def build_report(
    url: str, start: dt.date, end: dt.date, settings: Settings, now: dt.datetime | None = None
) -> tuple[Figures, str]:
    """The figures and the HTML report for conversations that started from `start` to `end`."""
    now = now or dt.datetime.now(ZONE)
    begin = dt.datetime.combine(start, dt.time(), ZONE).timestamp()
    finish = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), ZONE).timestamp()
    kb = _kb(settings)
    order, labels = _question_labels()
    convs = conversations(url, begin, finish)
    privacy = Privacy(settings.retention_days, now.timestamp())
    figures = analyse(convs, start, end, privacy, kb, order)
    return figures, render_html(figures, kb, labels, settings.retention_days, now)


def default_url(settings: Settings) -> str:
    """The SQLAlchemy URL of the tracker store that RASA_ENDPOINTS configures."""
    from bot.privacy import PrivacyError, tracker_url

    try:
        url = tracker_url(settings)
    except PrivacyError as exc:
        raise ReportError(str(exc)) from exc
    if url.get_backend_name() == "sqlite":
        return database_url(str(url.database))
    return str(url.render_as_string(hide_password=False))


def _run(args: argparse.Namespace) -> int:
    settings = get_settings()
    end = args.to or dt.datetime.now(ZONE).date()
    start = args.start or end - dt.timedelta(days=args.days - 1)
    if start > end:
        print(f"error: --from {start} is after --to {end}", file=sys.stderr)
        return 2
    try:
        url = database_url(args.db) if args.db else default_url(settings)
        figures, page = build_report(url, start, end, settings)
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    out = args.out or Path(f"lotsen-rapport-{start}-{end}.html")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    print(render_summary(figures, out))
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register `lotsen report`."""
    parser = sub.add_parser(
        "report",
        help="write an HTML report of unanswered questions, ratings and consultations for a date range",
        description=(
            "Read the conversations in the tracker store (RASA_ENDPOINTS, or --db) and write one "
            "self-contained HTML file: conversations and messages per day and channel, the share left "
            "unanswered or answered with a menu, unanswered questions grouped with the closest entry, the "
            "lowest-rated answers with what users said was missing, the most-asked entries and where "
            "consultations stop. Prints a short summary. Shows no sender ids; message texts only within "
            "RETENTION_DAYS, with e-mail addresses, phone numbers and personal identity numbers masked."
        ),
        epilog=(
            "Example: lotsen report --from 2026-11-01 --to 2026-11-30 --out rapport.html\n"
            "         lotsen report --days 7 --db postgresql://lotsen:secret@db/lotsen"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--from", dest="start", type=_date, help="first day (YYYY-MM-DD)")
    parser.add_argument("--to", type=_date, help="last day (YYYY-MM-DD; default: today)")
    parser.add_argument(
        "--days",
        type=int,
        default=DEFAULT_DAYS,
        help=f"without --from: this many days up to --to ({DEFAULT_DAYS})",
    )
    parser.add_argument("--out", type=Path, help="HTML file to write (default: lotsen-rapport-FROM-TO.html)")
    parser.add_argument(
        "--db",
        help="tracker store: a SQLite file or a SQLAlchemy URL (default: the one RASA_ENDPOINTS names)",
    )
    parser.set_defaults(func=_run)
