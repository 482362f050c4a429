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
# Paths an advisor may never recommend as financing for the next step: historic or not for companies.
# Produktionslyftet is not among them since its May 2024 source says the programme still runs (its entry
# says to ask before counting on it).
NEVER_OFFERED = {
    "regionalfonden",
    "robotlyftet",
    "stod-kompetenskartlaggning-validering",
}


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
    """Any entry id exists, as an actor when its id says so; records what was asked."""

    asked: list[str] = field(default_factory=list)

    def by_topic(self, topic: str, kinds: tuple[str, ...]) -> list[FakeEntry]:
        return []

    def get(self, entry_id: str) -> FakeEntry:
        self.asked.append(entry_id)
        actor = entry_id in ("iuc", "sisp", "rise", "almi", "business-sweden")
        return FakeEntry(
            id=entry_id,
            kind="actor" if actor else "support",
            title=f"Testpost {entry_id}",
            summary="Sammanfattning.",
            apply_url=None if actor else f"https://example.org/{entry_id}",
            sources=({"url": f"https://example.org/kalla/{entry_id}", "supports": "test"},),
        )


@pytest.fixture(scope="module")
def real_kb() -> SupportLookup:
    """The real knowledge base on var/knowledge.db; `make test` builds it first."""
    path = get_settings().knowledge_db
    if not path.exists():
        pytest.fail(f"{path} is missing (run `make kb`)")
    from bot.kb import KnowledgeBase

    return KnowledgeBase(path)


def test_the_table_covers_every_path() -> None:
    assert len(SCENARIOS) >= 28
    assert {s["category"] for s in SCENARIOS} == {c["id"] for c in load_rules().categories}
    assert len({s["id"] for s in SCENARIOS}) == len(SCENARIOS)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["id"] for s in SCENARIOS])
def test_scenario_gets_expected_recommendation(scenario: dict, real_kb: SupportLookup) -> None:
    recommendation = recommend(scenario["profile"], real_kb)
    text = recommendation.as_text()
    assert recommendation.category == scenario["category"], dict(recommendation.scores)
    missing = [m for m in scenario.get("must_mention", []) if m.lower() not in text.lower()]
    assert not missing, f"{missing} not in:\n{text}"
    wrong = [m for m in scenario.get("must_not_mention", []) if m.lower() in text.lower()]
    assert not wrong, f"{wrong} in:\n{text}"
    offered = {s.id for s in recommendation.supports}
    assert set(scenario.get("supports", [])) <= offered, sorted(offered)
    assert not (set(scenario.get("not_supports", [])) | NEVER_OFFERED) & offered, sorted(offered)
    rules = {r.id for r in recommendation.regulations}
    assert set(scenario.get("regulations", [])) <= rules, sorted(rules)
    assert not set(scenario.get("not_regulations", [])) & rules, sorted(rules)
    assert recommendation.next_steps


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["id"] for s in SCENARIOS])
def test_short_answer_fits_a_phone(scenario: dict, real_kb: SupportLookup) -> None:
    recommendation = recommend(scenario["profile"], real_kb)
    short = recommendation.short_text()
    assert short.startswith(f"Rekommendation: {recommendation.title}")
    assert len(recommendation.first_steps) == 3 and len(recommendation.reasons) <= 3
    assert len(short.split()) <= 190, short
    assert len(recommendation.as_text()) > len(short)


@pytest.mark.parametrize(
    ("profile", "rules_step"),
    [
        (
            {
                "situation": "new_product",
                "stage": "prototype",
                "capability": "none",
                "product_type": ["machinery"],
            },
            True,
        ),
        ({"situation": "capacity", "capability": "full", "product_type": ["machinery"]}, False),
        ({"situation": "cost_leadtime", "capability": "full", "product_type": ["machinery"]}, False),
    ],
)
def test_rules_step_is_first_only_for_a_product_not_yet_sold(
    profile: dict, rules_step: bool, real_kb: SupportLookup
) -> None:
    """A staffing or lead-time problem of a firm that already sells gets its first steps on that problem;
    the product rules stay under their button."""
    recommendation = recommend(profile, real_kb)
    assert recommendation.regulations
    assert any("Säkra reglerna" in step for step in recommendation.first_steps) is rules_step


def test_every_offered_support_and_rule_shows_its_year_and_own_link(real_kb: SupportLookup) -> None:
    for scenario in SCENARIOS:
        recommendation = recommend(scenario["profile"], real_kb)
        text = recommendation.as_text()
        for support in recommendation.supports:
            assert support.year is not None and f"uppgifter från {support.year}" in text
            if support.kind == "actor" and support.url:
                assert support.id.split("-")[0] in support.url.replace(".", "").replace("-", "") or (
                    support.id in ("iuc", "sisp", "rise", "business-sweden", "almi", "vinnova")
                )
        for rule in recommendation.regulations:
            assert rule.url and f"Källa: {rule.url}" in text


def test_reasons_quote_the_users_own_answers(real_kb: SupportLookup) -> None:
    profile = {
        "situation": "new_product",
        "stage": "prototype",
        "volume": 800,
        "capability": "none",
        "capital": 300000,
    }
    reasons = " ".join(recommend(profile, real_kb).reasons)
    assert "cirka 800 enheter per år" in reasons or "ingen egen tillverkning" in reasons
    assert "en prototyp" in reasons or "ingen egen tillverkning" in reasons


def test_runner_up_says_why_it_lost(real_kb: SupportLookup) -> None:
    recommendation = recommend(
        {"situation": "new_product", "stage": "prototype", "capability": "none", "volume": 500}, real_kb
    )
    assert recommendation.alternative
    assert recommendation.alternative_text and recommendation.alternative in recommendation.alternative_text
    assert len(recommendation.alternative_text) > len(recommendation.alternative) + 20


def test_parts_on_request(real_kb: SupportLookup) -> None:
    recommendation = recommend(
        {"situation": "new_product", "stage": "prototype", "product_type": ["radio", "electronics"]}, real_kb
    )
    assert "radioutrustningsdirektivet" in recommendation.regulations_part()
    assert "Källa: " in recommendation.regulations_part()
    assert "Stöd och aktörer" in recommendation.supports_part()
    assert "Näst bästa väg" in recommendation.alternative_part()


def test_no_caveats_is_no_empty_heading(real_kb: SupportLookup) -> None:
    import dataclasses

    recommendation = recommend({"situation": "new_product", "stage": "prototype"}, real_kb)
    assert recommendation.caveats and recommendation.caveats_part().startswith("Att tänka på")
    # Without caveats the part is empty, so the action answers "Det finns inget mer att visa här …".
    assert dataclasses.replace(recommendation, caveats=()).caveats_part() == ""


def test_actor_links_only_to_its_own_page() -> None:
    supports = recommend({"situation": "new_product", "stage": "prototype", "capability": "none"}, FakeKB())
    actors = [s for s in supports.supports if s.kind == "actor"]
    assert actors and all(a.url is None for a in actors)


def test_without_knowledge_base_the_summary_says_so() -> None:
    recommendation = recommend({"stage": "prototype", "capability": "none"}, None)
    assert recommendation.supports == () and recommendation.regulations == ()
    assert "kunde inte hämta stöd" in recommendation.as_text()


def test_supports_are_capped_and_unique() -> None:
    settings = load_rules().settings
    recommendation = recommend(
        {"stage": "pilot", "capability": "some", "company": "sme", "priorities": ["sustainability", "cost"]},
        FakeKB(),
    )
    ids = [s.id for s in recommendation.supports]
    assert len(ids) == len(set(ids)) <= settings["max_supports"]


def test_roadmap_marks_the_current_stage() -> None:
    assert "prototyp → nollserie/förserie (du är här) → serie" in recommend({"stage": "pilot"}).roadmap
    assert "(du är här)" not in recommend({}).roadmap


def test_questions_that_do_not_matter_are_not_listed_as_missing() -> None:
    caveats = " ".join(recommend({"situation": "capacity", "capability": "full"}).caveats)
    assert "volym" not in caveats and "tid till marknad" not in caveats


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
    # An entry is referred to by its id ("entries: [produktionslyftet]"), which may read as its name.
    said = re.sub(r"\bentries: \[[^\]]*\]", "", text).lower()
    assert [t for t in titles if t.lower() in said] == []


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
    assert (
        recommend(profile, questions=questions, rules=load_rules(rules_path)).category == "swedish_contract"
    )
    text = rules_path.read_text(encoding="utf-8")
    rules_path.write_text(
        text.replace("points: {swedish_contract: 3, hybrid: 1}", "points: {hybrid: 20}"), "utf-8"
    )
    assert recommend(profile, questions=questions, rules=load_rules(rules_path)).category == "hybrid"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "points: {hybrid: 6, swedish_contract: 1}",
            "points: {hybird: 4}",
            r"rules\.yml:\d+: scoring\[\d+\]\.points\.hybird: unknown category 'hybird' \(expected: .*hybrid",
        ),
        (
            "when: {capability: some}",
            "when: {capability: lite}",
            r"rules\.yml:\d+: scoring\[\d+\]\.when\.capability: "
            r"unknown value 'lite' \(expected: none, manual, some, full",
        ),
        ("Ni har {capability}: behåll", "Ni har {capabilty}: behåll", r"unknown placeholder \{capabilty\}"),
        ("  max_reasons: 3\n", "", r"rules\.yml:\d+: settings: 'max_reasons' is a required property"),
        (
            "scoring:\n  - id: baseline",
            "scoring:\n  - id: baseline\n   bad: [",
            r"rules\.yml:\d+: invalid YAML",
        ),
        # Realism checks: limits only on questions with numbers, and each with its rationale.
        ("below: {capital: 2000000}", "below: {stage: 2}", r"realism\[\d+\]\.below\.stage: 'stage' has no"),
        ("  - id: medtech-capital", "  - id: medtech-time", r"realism id 'medtech-time' appears twice"),
        (
            "Med {capital} räcker budgeten sällan hela",
            "Med {kapital} räcker budgeten sällan hela",
            r"realism\[\d+\]\.text: unknown placeholder",
        ),
        ("below: {capital: 2000000}", "below: {capital: -5}", r"realism\[\d+\]\.below\.capital"),
        ("    rationale: >-\n      Bedömning, ingen", "    why: >-\n      Bedömning", "'rationale' is a"),
        (
            "    short: >-\n      Med {capital} kan",
            "    brief: >-\n      Med {capital} kan",
            "'short' is a",
        ),
    ],
    ids=[
        "unknown-category",
        "unknown-value",
        "unknown-placeholder",
        "missing-setting",
        "broken-yaml",
        "realism-no-numbers",
        "realism-duplicate-id",
        "realism-placeholder",
        "realism-negative-limit",
        "realism-no-rationale",
        "realism-no-short",
    ],
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


def test_rules_name_only_existing_entries(advisor_copy: Path, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "knowledge" / "entries", tmp_path / "entries")
    assert validate_advisor(advisor_copy) == []
    rules_path = advisor_copy / "rules.yml"
    rules_path.write_text(
        rules_path.read_text(encoding="utf-8").replace("entries: [maskiner,", "entries: [maskinr,"), "utf-8"
    )
    assert any("no knowledge entry 'maskinr'" in e for e in validate_advisor(advisor_copy))


def test_rule_details_must_be_words_of_the_entries(advisor_copy: Path, tmp_path: Path) -> None:
    """A `details` word that no paragraph holds would silently show nothing: validation names it."""
    shutil.copytree(ROOT / "knowledge" / "entries", tmp_path / "entries")
    rules_path = advisor_copy / "rules.yml"
    rules_path.write_text(
        rules_path.read_text(encoding="utf-8").replace("details: [EN 71-1,", "details: [EN 72-1,"), "utf-8"
    )
    assert any("'EN 72-1' is in none of the entries" in e for e in validate_advisor(advisor_copy))


def _run_cli(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="lotsen")
    advisor_cli.add_commands(parser.add_subparsers())
    args = parser.parse_args(["advisor", *argv])
    return int(args.func(args))


def test_cli_try_runs_a_whole_consultation(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        _run_cli(
            "try",
            "--no-kb",
            "få en ny produkt tillverkad",
            "vi har en prototyp i plast och ingen egen verkstad",
            "5000 per år",
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "? Vad vill du få hjälp att bestämma" in out
    assert "Rekommendation: " in out
    assert "cirka 5 000 enheter per år" in out


def test_cli_validate_reports_broken_files(advisor_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run_cli("validate", "--dir", str(advisor_copy)) == 0
    rules_path = advisor_copy / "rules.yml"
    rules_path.write_text(
        rules_path.read_text(encoding="utf-8").replace("max_reasons: 3", "max_reasons: fyra"), "utf-8"
    )
    assert _run_cli("validate", "--dir", str(advisor_copy)) == 1
    assert "rules.yml:" in capsys.readouterr().err


def test_a_broken_edit_keeps_the_last_good_rules_in_use(advisor_copy: Path) -> None:
    rules_path = advisor_copy / "rules.yml"
    questions = load_questions(advisor_copy / "questions.yml")
    good = load_rules(rules_path, questions)
    rules_path.write_text(rules_path.read_text(encoding="utf-8") + "\n  broken: [", encoding="utf-8")
    assert load_rules(rules_path, questions) is good
    with pytest.raises(AdvisorDataError):
        load_rules(rules_path, questions, strict=True)
    assert validate_advisor(advisor_copy)
