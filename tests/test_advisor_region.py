"""The user's county (län) read from a town or region in free text, never asked, and the regional actors it
adds to the supports after the national ones (issue #10 item 5: "inga regionala aktörer")."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.advisor import load_questions, load_rules, parse_answer, recommend
from bot.advisor.profile import is_relevant, to_profile


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("vi är tre pers i Umeå som bygger en sensor", "vasterbotten"),
        ("ett litet Umeåföretag med en idé", "vasterbotten"),
        # "Region Västerbotten" is read as a Swedish public buyer (markets: Sweden, open28), not as where
        # the user is.
        ("ett bolag i Västerbottens län", "vasterbotten"),
        ("en verkstad i Degerfors med tolv anställda", "orebro"),
        ("jag studerar på LTU i Luleå", "norrbotten"),
        ("vi sitter i Göteborg", "vastra_gotaland"),
        ("ett gotländskt bolag i Visby", "gotland"),
        ("vi är ett jönköpingsbaserat startup", "jonkoping"),
        ("familjeföretag utanför Borlänge", "dalarna"),
        ("plåtslageri i Trollhättan", "vastra_gotaland"),
    ],
)
def test_a_town_or_region_tells_the_county(text: str, region: str) -> None:
    assert parse_answer(text).values.get("region") == region


@pytest.mark.parametrize(
    "text",
    [
        "det ska vara enkelt att montera",
        "vi säljer i hela Norrland och Småland",
        "en kista för verktyg i trä",
        "vi vill nå marknaden i Norden",
    ],
)
def test_no_town_no_county(text: str) -> None:
    assert parse_answer(text).values.get("region") is None


def test_the_county_is_never_asked() -> None:
    questions = load_questions()
    question = questions.question("region")
    assert not question.ask
    assert not is_relevant(question, to_profile({}, questions))


@dataclass(frozen=True)
class Entry:
    id: str
    kind: str
    title: str
    summary: str
    apply_url: str | None
    sources: tuple[dict[str, str], ...]


class AnyKB:
    """Every entry id exists, as an actor."""

    def by_topic(self, topic: str, kinds: tuple[str, ...]) -> list[Entry]:
        return []

    def get(self, entry_id: str) -> Entry:
        return Entry(entry_id, "actor", f"Post {entry_id}", "Sammanfattning.", None, ())


STARTUP_IDEA = {"situation": "new_product", "stage": "idea", "capability": "none", "company": "startup"}
WORKSHOP = {"situation": "automate", "stage": "production", "capability": "full", "company": "small"}
REGIONAL = {
    "uminova-innovation",
    "arctic-business",
    "bizmaker",
    "uppsala-innovation-centre",
    "iuc-norr",
    "iuc-dalarna",
    "iuc-kalmar",
    "liu-innovation",
    "lead-inkubator",
    "ltu-business",
    "chalmers-ventures",
    "smile-incubator",
    "region-vasterbotten",
    "region-gavleborg",
    "region-gotland",
    "region-jonkoping",
    "region-skane",
}


def _ids(answers: dict[str, object]) -> list[str]:
    return [s.id for s in recommend(answers, AnyKB()).supports]


def test_a_startup_in_umea_gets_the_regions_incubators_last_within_the_limit() -> None:
    national = _ids(STARTUP_IDEA)
    with_region = _ids({**STARTUP_IDEA, "region": "vasterbotten"})
    room = load_rules().settings["max_supports"] - 2
    assert with_region == [*national[:room], "uminova-innovation", "arctic-business"]


def test_a_workshop_in_norrbotten_gets_its_iuc_not_an_incubator() -> None:
    ids = _ids({**WORKSHOP, "region": "norrbotten"})
    assert "iuc-norr" in ids and "arctic-business" not in ids


def test_a_micro_company_with_an_idea_gets_the_incubator() -> None:
    assert "uppsala-innovation-centre" in _ids({**STARTUP_IDEA, "company": "micro", "region": "uppsala"})


def test_an_established_company_gets_no_incubator() -> None:
    ids = _ids({**STARTUP_IDEA, "company": "medium", "region": "uppsala"})
    assert "uppsala-innovation-centre" not in ids


def test_without_a_county_no_regional_actor() -> None:
    assert not REGIONAL & set(_ids(STARTUP_IDEA)) and not REGIONAL & set(_ids(WORKSHOP))


def test_the_county_is_listed_among_the_answers() -> None:
    summary = recommend({**STARTUP_IDEA, "region": "gotland"}, AnyKB()).as_text()
    assert "Län: Gotlands län" in summary


# Persona round 31 ("Region Västerbotten saknas", "LiU Innovation nämns inte vid namn", "SmiLe nämns inte"):
# the university's own innovation support for a student, the county's incubator for a start-up, its IUC for an
# industrial SME and the region's business support for small and medium-sized companies.
STUDENT = {"situation": "new_product", "stage": "idea", "capability": "none", "company": "none"}
START_UP = {"situation": "new_product", "stage": "prototype", "capability": "none", "company": "startup"}
# The company question is skipped for a company with its own production, so its size stays unknown.
OWN_PRODUCTION = {"situation": "new_product", "stage": "prototype", "capability": "full"}


def _regional(answers: dict[str, object]) -> list[str]:
    """What the county adds to the supports (the regional actors come last)."""
    without_region = {key: value for key, value in answers.items() if key != "region"}
    national = {s.id for s in recommend(without_region, AnyKB()).supports}
    return [s.id for s in recommend(answers, AnyKB()).supports if s.id not in national]


@pytest.mark.parametrize(
    ("answers", "region", "actor"),
    [
        (STUDENT, "ostergotland", "liu-innovation"),
        (STUDENT, "norrbotten", "ltu-business"),
        (START_UP, "ostergotland", "lead-inkubator"),
        (START_UP, "vastra_gotaland", "chalmers-ventures"),
        ({**START_UP, "product_type": "medtech"}, "skane", "smile-incubator"),
        (WORKSHOP, "kalmar", "iuc-kalmar"),
        (WORKSHOP, "vasterbotten", "region-vasterbotten"),
        (WORKSHOP, "gavleborg", "region-gavleborg"),
        (WORKSHOP, "jonkoping", "region-jonkoping"),
        (WORKSHOP, "skane", "region-skane"),
        (START_UP, "gotland", "region-gotland"),
        (OWN_PRODUCTION, "vasterbotten", "region-vasterbotten"),
    ],
)
def test_the_county_adds_the_actor_that_fits(answers: dict[str, object], region: str, actor: str) -> None:
    regional = _regional({**answers, "region": region})
    assert actor in regional
    assert len(regional) <= load_rules().settings["max_regional_supports"]


@pytest.mark.parametrize(
    ("answers", "region", "actor"),
    [
        # SmiLe is for life science and health, not for any start-up in Skåne.
        (START_UP, "skane", "smile-incubator"),
        # IUC is for industrial SMEs, not for a student with an idea.
        (STUDENT, "kalmar", "iuc-kalmar"),
        # The region's business support needs a company, and a small or medium-sized one.
        (STUDENT, "gotland", "region-gotland"),
        ({**WORKSHOP, "company": "large"}, "gavleborg", "region-gavleborg"),
        # A company with its own production is established: no incubator, even when its size is unknown.
        (OWN_PRODUCTION, "vasterbotten", "uminova-innovation"),
        (OWN_PRODUCTION, "jonkoping", "science-park-jonkoping"),
        # A workshop gets no university innovation office.
        (WORKSHOP, "ostergotland", "liu-innovation"),
    ],
)
def test_an_actor_that_does_not_fit_is_left_out(answers: dict[str, object], region: str, actor: str) -> None:
    assert actor not in _regional({**answers, "region": region})


def test_a_student_in_lulea_gets_the_university_before_the_incubator() -> None:
    assert _regional({**STUDENT, "region": "norrbotten"}) == ["ltu-business", "arctic-business"]
