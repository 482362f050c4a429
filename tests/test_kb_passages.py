"""Passages: each with its own source; source markers are checked; paragraphs are re-flowed."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from bot.kb import check, load_entries
from bot.kb.model import Entry, reflow
from bot.settings import ROOT

ENTRY = """# yaml-language-server: $schema=../../schema/entry.schema.json
id: exempel
kind: programme
title: Exempel
summary: Ett exempel som ryms på en rad.
body: |
  Första stycket är skrivet
  över två rader.

  Andra stycket kommer från artikeln. [{cite}]
amount: Upp till 400 000 kronor. [artikel]
sources:
  - url: https://www.regeringen.se/
    supports: Sammanfattningen.
  - id: artikel
    title: Facktidningsartikeln om utlysningen (utan webbadress)
    date: hösten 2016
    supports: Beloppet och andra stycket.
facts_as_of: 2016-09-30
"""


def write(knowledge: Path, cite: str = "artikel") -> None:
    path = knowledge / "entries" / "programmes" / "exempel.yml"
    path.write_text(ENTRY.format(cite=cite), encoding="utf-8")


def test_each_passage_has_the_source_it_cites(knowledge: Path) -> None:
    write(knowledge)
    entry = next(e for e in load_entries(knowledge) if e.id == "exempel")
    sources = {p.key: p.source.label for p in entry.passages}
    assert sources["summary"] == "https://www.regeringen.se/"
    assert sources["body.1"] == "https://www.regeringen.se/"
    assert sources["body.2"] == sources["amount"] == "Facktidningsartikeln om utlysningen (utan webbadress)"
    assert entry.passage("amount").text == "Upp till 400 000 kronor."  # the marker is not shown
    assert entry.passage("body.1").text == "Första stycket är skrivet över två rader."
    assert entry.source_for("amount").date == "hösten 2016"


def test_a_marker_naming_no_source_of_the_entry_is_an_error(knowledge: Path) -> None:
    write(knowledge, cite="artikel-2016")
    messages = [str(e) for e in check(knowledge)[1]]
    assert any(
        "exempel.yml" in m
        and "'body' cites source 'artikel-2016', which this entry lacks (source ids: artikel)" in m
        for m in messages
    ), messages


def test_a_source_needs_a_url_or_a_title(knowledge: Path) -> None:
    write(knowledge)
    path = knowledge / "entries" / "programmes" / "exempel.yml"
    path.write_text(
        path.read_text().replace("    title: Facktidningsartikeln om utlysningen (utan webbadress)\n", "")
    )
    assert any("a source needs 'url', or 'title'" in str(e) for e in check(knowledge)[1])


@pytest.mark.parametrize(
    "text, flowed",
    [
        ("en mening\növer två rader.", "en mening över två rader."),
        ("stycke ett\n\nstycke\ntvå", "stycke ett\n\nstycke två"),
        ("Punkter:\n- ett\n- två\n  fortsätter", "Punkter:\n- ett\n- två fortsätter"),
    ],
)
def test_reflow(text: str, flowed: str) -> None:
    assert reflow(text) == flowed


def test_an_entry_from_the_database_keeps_its_cites() -> None:
    data = {
        "id": "x", "kind": "faq", "title": "X", "summary": "S.", "facts_as_of": dt.date(2020, 1, 1),
        "sources": [{"url": "https://a.se/", "supports": "S"}, {"id": "b", "title": "B", "supports": "T"}],
        "body": "Ett.\n\nTvå.", "cites": [["body.2", "b"]],
    }  # fmt: skip
    entry = Entry.from_dict(data)
    assert (
        entry.passage("body.2").source.label == "B"
        and entry.passage("body.1").source.label == "https://a.se/"
    )


def test_every_source_marker_at_a_paragraphs_end_is_cut_from_the_text() -> None:
    """A paragraph may end with several markers ("… villkor. [k13] [k12] [k14]"); only the last was cut, and
    the others reached users in the battery rules."""
    marker = re.compile(r"\[[a-z0-9]+(?:-[a-z0-9]+)*\]")
    leaked = [
        f"{e.id}:{p.key}"
        for e in load_entries(ROOT / "knowledge")
        for p in e.passages
        if marker.search(p.text)
    ]
    assert leaked == []
