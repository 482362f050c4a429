"""A definition cites a source that holds it, not a page whose note says the definition is from elsewhere."""

from __future__ import annotations

import re

import pytest

from bot.kb import load_entries
from bot.settings import ROOT

ENTRIES = {entry.id: entry for entry in load_entries(ROOT / "knowledge")}
# A source's `supports` note that says the entry's definition is not on that page (persona round 31: the
# paragraph on EVT/DVT/PVT was cited to the government's press release of 2018).
ELSEWHERE = re.compile(r"etablerad kunskap", re.I)
DEFINITIONS = sorted(e.id for e in ENTRIES.values() if e.kind == "glossary")


@pytest.mark.parametrize("entry_id", [*DEFINITIONS, "design-for-manufacturing"])
def test_a_definition_cites_a_source_that_holds_it(entry_id: str) -> None:
    entry = ENTRIES[entry_id]
    source = entry.source_for("summary")
    assert not (source.url and ELSEWHERE.search(source.supports)), (entry_id, source.url)


def test_the_hardware_stages_are_not_cited_to_the_press_release() -> None:
    summary = ENTRIES["evt-dvt-pvt"].source_for("summary")
    assert summary.url is None and summary.title is not None and "faktaunderlag" in summary.title


def test_a_paragraph_on_the_governments_assignment_still_cites_the_press_release() -> None:
    paragraphs = [p for p in ENTRIES["prototyp"].passages if "Regeringens uppdrag" in p.text]
    assert paragraphs and all(p.source.url and "regeringen.se" in p.source.url for p in paragraphs)
