"""`lotsen report` over conversations held with the real servers, the fix it leads to, and how it looks."""

from __future__ import annotations

import asyncio
import contextlib
import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import ARTIFACTS, Assistant, texts
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.kbaccess import get_kb
from bot.actions.knowledge import ActionAnswerKb
from bot.advisor.data import load_questions
from bot.cli import main
from bot.feedback import rating_payload
from bot.kb import build
from bot.report.analyse import Privacy, group_questions, mask
from bot.settings import ROOT

UNANSWERED = "vad är leanlyftet?"
COMMENT = "Beloppet saknades. Ring mig på 070-123 45 67 eller anna@example.se"
SENDERS = ("web-report-unanswered", "tg-report-consultation")


@pytest.fixture(scope="module")
def talked(assistant: Assistant) -> dict[str, Any]:
    """An unanswerable question, a 👎 with a comment and a consultation left after one answer."""
    web, telegram = SENDERS
    not_found = texts(assistant.say(web, UNANSWERED))
    answer = assistant.say(web, "vem kan söka almis innovationslån?")
    marker = next(r["rating"] for r in answer if r.get("rating"))
    follow_up = texts(assistant.say(web, rating_payload("down", marker)))
    thanks = texts(assistant.say(web, COMMENT))
    first = assistant.say(telegram, "/start_consultation")
    choice = next(b["payload"] for r in first for b in r.get("buttons") or [])
    second = texts(assistant.say(telegram, choice))
    return {"not_found": not_found, "follow_up": follow_up, "thanks": thanks, "asked": second}


@pytest.fixture(scope="module")
def report(
    talked: dict[str, Any], assistant: Assistant, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, str]:
    """The HTML report and the printed summary of today's conversations."""
    out = tmp_path_factory.mktemp("report") / "rapport.html"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert main(["report", "--db", str(assistant.tracker_db), "--days", "1", "--out", str(out)]) == 0
    return out.read_text(encoding="utf-8"), printed.getvalue()


def section(page: str, name: str) -> str:
    start = page.index(f"<section id='{name}'>")
    return page[start : page.index("</section>", start)]


@pytest.mark.e2e
def test_the_conversation_went_as_the_report_expects(talked: dict[str, Any]) -> None:
    # "leanlyftet" reads as a programme's name: the assistant says it doesn't know it (or finds nothing).
    assert any(t in talked["not_found"] for t in ("hittar jag tyvärr inget", "finns inte i min kunskapsbas"))
    assert "Vad saknades" in talked["follow_up"]
    assert "Tack" in talked["thanks"]


@pytest.mark.e2e
def test_report_lists_the_unanswered_question_with_the_closest_entry(report: tuple[str, str]) -> None:
    page, summary = report
    unanswered = section(page, "unanswered")
    assert UNANSWERED in unanswered and "hittade inget" in unanswered
    assert "unanswered groups:" in summary and "down" in summary


@pytest.mark.e2e
def test_report_shows_the_thumbs_down_with_its_question_and_masked_comment(report: tuple[str, str]) -> None:
    ratings = section(report[0], "ratings")
    assert "Almis innovationslån" in ratings and "vem kan söka almis innovationslån?" in ratings
    assert "Beloppet saknades. Ring mig på [telefon] eller [e-post]" in ratings
    assert "070-123" not in report[0] and "anna@example.se" not in report[0]
    # The rating is tied to the passage that answered, not just the entry.
    assert "almi-innovationslan#who_can_apply" in ratings


@pytest.mark.e2e
def test_report_shows_where_the_consultation_was_left(
    talked: dict[str, Any], report: tuple[str, str]
) -> None:
    questions = load_questions().questions
    left_at = next(q for q in questions if q.text.split("?")[0] in talked["asked"])
    stops = section(report[0], "funnel").split("<h3>", 1)[1]
    assert left_at.label in stops


@pytest.mark.e2e
def test_report_never_shows_sender_ids(report: tuple[str, str]) -> None:
    page, summary = report
    assert not any(sender in page or sender in summary for sender in SENDERS)


@pytest.mark.e2e
def test_report_keeps_only_texts_within_retention(assistant: Assistant) -> None:
    from bot.report.collect import conversations

    convs = conversations(f"sqlite:///{assistant.tracker_db}", 0, 4e9)
    turn = next(t for c in convs for t in c.turns if t.text == UNANSWERED)
    assert Privacy(90, turn.timestamp + 89 * 86400).show(turn.text, turn.timestamp) == UNANSWERED
    assert Privacy(90, turn.timestamp + 91 * 86400).show(turn.text, turn.timestamp) is None


def test_adding_the_question_as_an_alias_answers_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The staff guide's "Från rapport till svar": an alias, a build, and the same question is answered."""
    knowledge = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    entry_file = knowledge / "entries" / "support" / "produktionslyftet.yml"
    text = entry_file.read_text(encoding="utf-8")
    entry_file.write_text(text.replace("aliases:\n", "aliases:\n  - leanlyftet\n", 1), encoding="utf-8")
    build(knowledge, tmp_path / "knowledge.db")
    monkeypatch.setenv("KNOWLEDGE_DB", str(tmp_path / "knowledge.db"))
    get_kb.cache_clear()
    try:
        from rasa.shared.core.domain import Domain

        domain = Domain.load(str(ROOT / "domain")).as_dict()
        message = {"text": UNANSWERED, "intent": {"name": "ask_entry", "confidence": 0.9}, "entities": []}
        dispatcher = CollectingDispatcher()
        tracker = Tracker("t", {}, message, [], False, None, {}, "action_listen")
        asyncio.run(ActionAnswerKb().run(dispatcher, tracker, domain))
    finally:
        get_kb.cache_clear()
    answer = dispatcher.messages[0]["text"]
    assert "Produktionslyftet" in answer and "Källa:" in answer


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("mejla mig på anna.svensson@example.se", "mejla mig på [e-post]"),
        ("ring 070-123 45 67 eller +46 8 123 456 78", "ring [telefon] eller [telefon]"),
        ("mitt personnummer är 19850101-1234", "mitt personnummer är [personnummer]"),
        ("jag är född 850101-1234", "jag är född [personnummer]"),
        ("vi vill tillverka 5000 st år 2026", "vi vill tillverka 5000 st år 2026"),
    ],
)
def test_personal_data_is_masked(text: str, masked: str) -> None:
    assert mask(text) == masked


def test_most_asked_entries_count_each_entry_once_per_answer() -> None:
    from bot.report.collect import Conversation, entry_counts

    conv = Conversation(channel="web", start=0.0)
    conv.answered_entries = ["almi#amount", "almi#summary+robotlyftet#amount", "recommendation", "almi"]
    assert entry_counts([conv]) == {"almi": 3, "robotlyftet": 1}


def test_rephrasings_form_one_group() -> None:
    questions = [
        "vad kostar en kvantdator",
        "pris på kvantdator",
        "kan man köpa kvantdatorer",
        "tull till USA",
    ]
    groups = group_questions([(q, q, "not_found") for q in questions])
    assert [g.count for g in groups] == [3, 1]


@pytest.mark.e2e
@pytest.mark.browser
def test_report_opens_offline_in_chromium(report: tuple[str, str], tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright
    from test_widget import CHROMIUM, CHROMIUM_ARGS

    path = tmp_path / "rapport.html"
    path.write_text(report[0], encoding="utf-8")
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1366, "height": 800}, offline=True)
            page = context.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.goto(path.as_uri())
            (ARTIFACTS / "report").mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "report" / "report.png"), full_page=True)
            page.emulate_media(media="print")
            page.screenshot(path=str(ARTIFACTS / "report" / "report-print.png"), full_page=True)
            assert page.locator("svg").count() >= 3
            assert page.locator("h2").all_inner_texts()[:3] == [
                "Samtal och meddelanden",
                "Utan svar och motfrågor över tid",
                "Obesvarade frågor",
            ]
        finally:
            browser.close()
    assert requests == [path.as_uri()]
