"""The user's own words as persona round 11 found them misread: a first order is no pilot series, cells
bought abroad don't move the production there, a sensor for pumps is no machine, and free answers about an
amount, the company, shifts per process and ownership are understood. The table is the `parse_cases` of
tests/data/advisor_tuning_scenarios7.yml; the numbers beside it are what the engine reads from them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.advisor import parse_answer
from bot.advisor.parsing.numbers import find_numbers

CASES = Path(__file__).parent / "data" / "advisor_tuning_scenarios7.yml"


def parse_cases(path: Path) -> list[Any]:
    """The `parse_cases` of a tuning-scenario file as test parameters."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["parse_cases"]
    return [pytest.param(c, id=f"{c.get('question') or 'first'}: {c['text'][:40]}") for c in raw]


@pytest.mark.parametrize("case", parse_cases(CASES))
def test_parse_case(case: dict[str, Any]) -> None:
    check_parse_case(case)


def check_parse_case(case: dict[str, Any]) -> None:
    """What the parse of a case's text must (values) and must not (not) give."""
    values = parse_answer(case["text"], expected=case.get("question")).values
    for slot, wanted in case.get("values", {}).items():
        got = values.get(slot)
        if isinstance(wanted, list):
            assert set(wanted) <= set(got or []), (slot, got)
        else:
            assert got == wanted, (slot, got)
    for slot, unwanted in case.get("not", {}).items():
        got = values.get(slot)
        found = set(got) if isinstance(got, list) else {got}
        assert not found & set(unwanted), (slot, got)


def test_the_table_covers_each_misreading() -> None:
    """At least one case per kind of misreading the round found (a guard against an emptied table)."""
    slots = {
        s
        for c in yaml.safe_load(CASES.read_text(encoding="utf-8"))["parse_cases"]
        for s in c.get("values", {})
    }
    assert {"volume", "current_volume", "capital", "company", "shifts", "ip_sensitivity"} <= slots


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("en 600 000", [600_000]),  # the article before an amount: about
        ("en 600k", [600_000]),
        ("enligt EN 1090 och EN 50604", []),  # a standard's number stays out
        ("ISO 9001", []),
    ],
)
def test_an_amount_after_the_article_is_a_number_but_a_standard_is_not(
    text: str, values: list[float]
) -> None:
    found = find_numbers(text.lower(), ("en", "iso"))
    assert [n.value for n in found if not n.needs_unit] == values  # "en" alone is the word one


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("vi bygger packen själva av kinesiska 18650-celler", None),
        ("vi köper tyska motorer och svetsar ramarna här", None),
        ("tillverkas av en kinesisk fabrik", "asia"),
    ],
)
def test_origin_of_bought_parts_is_not_where_the_product_is_made(text: str, location: str | None) -> None:
    assert parse_answer(text).values.get("current_location") == location
