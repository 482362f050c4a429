"""The production-strategy advisor's recommendation engine, driven by the scenario table in tests/data."""

from __future__ import annotations

import argparse
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from bot.advisor import (
    AdvisorDataError,
    SupportLookup,
    load_questions,
    load_rules,
    recommend,
    validate_advisor,
)
from bot.advisor import cli as advisor_cli
from bot.settings import ROOT, get_settings

SCENARIOS = yaml.safe_load((ROOT / "tests" / "data" / "advisor_scenarios.yml").read_text(encoding="utf-8"))[
    "scenarios"
]
ADVISOR_DIR = ROOT / "knowledge" / "advisor"
KIND_IDS = {"support": "stod", "actor": "aktor", "strategy": "vagledning", "programme": "program"}


@dataclass(frozen=True)
class FakeEntry:
    """Just the fields the engine reads from a knowledge entry."""

    id: str
    kind: str
    title: str
    summary: str
    apply_url: str | None
    sources: tuple[dict[str, str], ...]


@dataclass
class FakeKB:
    """One entry per kind for every topic (or only for `topics`), recording what was asked."""

    topics: tuple[str, ...] | None = None
    asked: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)

    def by_topic(self, topic: str, kinds: tuple[str, ...]) -> list[FakeEntry]:
        self.asked.append((topic, kinds))
        if self.topics is not None and topic not in self.topics:
            return []
        return [
            FakeEntry(
                id=f"{topic}-{KIND_IDS[kind]}",
                kind=kind,
                title=f"Testpost {kind} för {topic}",
                summary="Sammanfattning.",
                apply_url=None if kind == "actor" else f"https://example.org/{topic}/{kind}",
                sources=({"url": f"https://example.org/kalla/{topic}", "supports": "test"},),
            )
            for kind in kinds
            if kind in KIND_IDS
        ]


@pytest.fixture(scope="module")
def fake_kb() -> FakeKB:
    return FakeKB()


def test_the_table_has_enough_varied_scenarios() -> None:
    categories = {s["category"] for s in SCENARIOS}
    assert len(SCENARIOS) >= 28
    assert categories == {c["id"] for c in load_rules().categories}
    assert len({s["id"] for s in SCENARIOS}) == len(SCENARIOS)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["id"] for s in SCENARIOS])
def test_scenario_gets_expected_recommendation(scenario: dict, fake_kb: FakeKB) -> None:
    recommendation = recommend(scenario["profile"], fake_kb)
    text = recommendation.as_text()
    assert recommendation.category == scenario["category"], dict(recommendation.scores)
    missing = [m for m in scenario["must_mention"] if m.lower() not in text.lower()]
    assert not missing, f"{missing} not in:\n{text}"
    found_topics = {s.id.rsplit("-", 1)[0] for s in recommendation.supports}
    assert set(scenario["topics"]) <= found_topics, sorted(found_topics)
    assert recommendation.next_steps and any(s.kind in ("support", "actor") for s in recommendation.supports)


def test_reasons_quote_the_users_own_answers(fake_kb: FakeKB) -> None:
    profile = {"stage": "prototype", "volume": 10000, "capability": "none", "capital": "low"}
    reasons = " ".join(recommend(profile, fake_kb).reasons)
    assert "en prototyp" in reasons
    assert "ingen egen tillverkning" in reasons
    assert "begränsat kapital" in reasons


def test_summary_is_one_message_with_every_section(fake_kb: FakeKB) -> None:
    recommendation = recommend({"stage": "pilot", "capability": "some", "volume": 3000}, fake_kb)
    text = recommendation.as_text()
    for heading in (
        "Rekommendation: Hybrid",
        "Dina svar:",
        "Varför:",
        "Nästa steg:",
        "Stöd och aktörer",
        "Att tänka på:",
    ):
        assert heading in text
    assert "1. " in text and "Läs mer: https://example.org/" in text
    assert text.index("Varför:") < text.index("Nästa steg:") < text.index("Stöd och aktörer")


def test_actor_without_apply_url_links_to_its_source(fake_kb: FakeKB) -> None:
    supports = recommend({"stage": "prototype", "capability": "none"}, fake_kb).supports
    actor = next(s for s in supports if s.kind == "actor")
    assert actor.url == f"https://example.org/kalla/{actor.id.rsplit('-', 1)[0]}"


def test_without_knowledge_base_the_summary_says_so() -> None:
    recommendation = recommend({"stage": "prototype", "capability": "none"}, None)
    assert recommendation.supports == ()
    assert "kunde inte hämta stöd" in recommendation.as_text()


def test_fallback_topics_when_nothing_specific_is_found() -> None:
    kb = FakeKB(topics=("advice",))
    supports = recommend({"stage": "prototype", "capability": "none", "capital": "low"}, kb).supports
    assert supports and all(s.id.startswith("advice-") for s in supports)
    assert ("prototype", ("support", "actor")) in kb.asked


def test_supports_are_capped_and_unique(fake_kb: FakeKB) -> None:
    settings = load_rules().settings
    supports = recommend(
        {"stage": "pilot", "capability": "some", "priorities": ["sustainability", "cost"]}, fake_kb
    )
    ids = [s.id for s in supports.supports]
    assert len(ids) == len(set(ids)) <= settings["max_supports"]


def test_roadmap_marks_the_current_stage() -> None:
    assert "prototyp → nollserie/förserie (du är här) → serie" in recommend({"stage": "pilot"}).roadmap
    assert "(du är här)" not in recommend({}).roadmap


def test_time_to_market_is_not_missing_for_a_product_in_production() -> None:
    caveats = " ".join(recommend({"stage": "production", "capability": "full"}).caveats)
    assert "tid till marknad" not in caveats
    assert "volym" in caveats


def test_shipped_advisor_files_are_valid() -> None:
    assert validate_advisor(ADVISOR_DIR) == []
    for name in ("questions.yml", "rules.yml"):
        first = (ADVISOR_DIR / name).read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/advisor.schema.json"


def test_rules_state_no_amounts_dates_or_programme_names() -> None:
    text = (ADVISOR_DIR / "rules.yml").read_text(encoding="utf-8")
    assert not re.search(r"\b(19|20)\d\d\b|\bkr\b|kronor|miljoner", text)
    titles = [
        yaml.safe_load(p.read_text(encoding="utf-8"))["title"]
        for p in (ROOT / "knowledge" / "entries").glob("*/*.yml")
        if p.parent.name in ("programmes", "support", "calls")
    ]
    assert [t for t in titles if t.lower() in text.lower()] == []


@pytest.fixture
def advisor_copy(tmp_path: Path) -> Path:
    """A copy of knowledge/advisor and its schema that a test may edit."""
    shutil.copytree(ADVISOR_DIR, tmp_path / "advisor")
    shutil.copytree(ROOT / "knowledge" / "schema", tmp_path / "schema")
    return tmp_path / "advisor"


def test_staff_edits_to_rules_change_the_advice_without_restart(advisor_copy: Path) -> None:
    rules_path = advisor_copy / "rules.yml"
    questions = load_questions(advisor_copy / "questions.yml")
    profile = {"stage": "prototype", "capability": "none"}
    assert recommend(profile, questions=questions, rules=load_rules(rules_path)).category == (
        "swedish_contract_manufacturer"
    )
    text = rules_path.read_text(encoding="utf-8")
    rules_path.write_text(
        text.replace("points: {swedish_contract_manufacturer: 3, hybrid: 1}", "points: {hybrid: 20}"), "utf-8"
    )
    assert recommend(profile, questions=questions, rules=load_rules(rules_path)).category == "hybrid"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "points: {hybrid: 5, swedish_contract_manufacturer: 1}",
            "points: {hybird: 4}",
            r"rules\.yml:\d+: scoring\[\d+\]\.points\.hybird: unknown category 'hybird' \(expected: .*hybrid",
        ),
        (
            "when: {capability: some}",
            "when: {capability: lite}",
            r"rules\.yml:\d+: scoring\[\d+\]\.when\.capability: "
            r"unknown value 'lite' \(expected: none, some, full",
        ),
        ("Ni har {capability}. Behåll", "Ni har {capabilty}. Behåll", r"unknown placeholder \{capabilty\}"),
        ("  max_reasons: 4\n", "", r"rules\.yml:\d+: settings: 'max_reasons' is a required property"),
        (
            "scoring:\n  - id: baseline",
            "scoring:\n  - id: baseline\n   bad: [",
            r"rules\.yml:\d+: invalid YAML",
        ),
    ],
    ids=["unknown-category", "unknown-value", "unknown-placeholder", "missing-setting", "broken-yaml"],
)
def test_invalid_rules_are_reported_with_file_line_and_key(
    advisor_copy: Path, old: str, new: str, expected: str
) -> None:
    rules_path = advisor_copy / "rules.yml"
    text = rules_path.read_text(encoding="utf-8")
    assert old in text
    rules_path.write_text(text.replace(old, new, 1), encoding="utf-8")
    errors = validate_advisor(advisor_copy)
    assert any(re.search(expected, e) for e in errors), errors
    with pytest.raises(AdvisorDataError):
        load_rules(rules_path)


def test_error_line_points_at_the_broken_rule(advisor_copy: Path) -> None:
    rules_path = advisor_copy / "rules.yml"
    lines = rules_path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if "when: {capability: some}" in line)
    lines[number] = lines[number].replace("some", "lite")
    rules_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert f"rules.yml:{number + 1}: " in validate_advisor(advisor_copy)[0]


def test_overlapping_synonyms_are_reported(advisor_copy: Path) -> None:
    questions_path = advisor_copy / "questions.yml"
    text = questions_path.read_text(encoding="utf-8")
    questions_path.write_text(text.replace("[nollserie*,", "[prototyp*, nollserie*,", 1), encoding="utf-8")
    errors = validate_advisor(advisor_copy)
    assert any("synonym 'prototyp*' selects both 'prototype' and 'pilot'" in e for e in errors), errors


@pytest.fixture(scope="module")
def real_kb() -> SupportLookup:
    """The real knowledge base on var/knowledge.db; skipped until `lotsen kb build` has made it."""
    path = get_settings().knowledge_db
    if not path.exists():
        pytest.skip(f"{path} is missing (run `lotsen kb build`)")
    from bot.kb import KnowledgeBase

    return KnowledgeBase(path)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["id"] for s in SCENARIOS])
def test_real_knowledge_base_names_an_actor_or_support(scenario: dict, real_kb: SupportLookup) -> None:
    recommendation = recommend(scenario["profile"], real_kb)
    named = [s for s in recommendation.supports if s.kind in ("actor", "support")]
    assert named, recommendation.as_text()
    assert all(s.url and s.url.startswith("http") for s in named)
    assert named[0].title in recommendation.as_text()
    for support in recommendation.supports:  # terms change: every support shows the year of its facts
        assert f"{support.title} (" in recommendation.as_text()
        assert support.year is not None and f"uppgifter från {support.year}" in recommendation.as_text()


def _run_cli(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="lotsen")
    advisor_cli.add_commands(parser.add_subparsers())
    args = parser.parse_args(["advisor", *argv])
    return int(args.func(args))


def test_cli_try_runs_a_whole_consultation(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        _run_cli("try", "--no-kb", "vi har en prototyp i plast och ingen egen verkstad", "5000 per år") == 0
    )
    out = capsys.readouterr().out
    assert "? Hur långt har du kommit med produkten?" in out
    assert "Rekommendation: Svensk legotillverkare" in out
    assert "cirka 5 000 enheter per år" in out


def test_cli_validate_reports_broken_files(advisor_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run_cli("validate", "--dir", str(advisor_copy)) == 0
    rules_path = advisor_copy / "rules.yml"
    rules_path.write_text(
        rules_path.read_text(encoding="utf-8").replace("max_reasons: 4", "max_reasons: fyra"), "utf-8"
    )
    assert _run_cli("validate", "--dir", str(advisor_copy)) == 1
    assert "rules.yml:" in capsys.readouterr().err
