"""A growing knowledge base does not flip the resolver's answers (issue #11).

The resolver once decided with absolute scores and term weights, so new entries about other things
(11 regional actors, session 15) changed which passage answered questions they have nothing to do with. The
shipped knowledge plus three synthetic actor entries must answer a table of questions as the shipped
knowledge alone does."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.actions.resolve import Message, resolve
from bot.kb.build import build
from bot.kb.store import KnowledgeBase

ROOT = Path(__file__).resolve().parent.parent

# Three made-up actors, about other things than the questions below, with the English words ("to", "in",
# "Sweden") and the everyday Swedish words ("företag", "industri", "region") that shift every term's weight.
ACTOR = """\
# yaml-language-server: $schema=../../schema/entry.schema.json
id: {id}
kind: actor
title: {title}
aliases:
  - {alias}
summary: >-
  {title} hjälper företag i {region} med nätverk och affärsutveckling inom industri och tjänster.
body: |
  {title} ordnar träffar för företag i regionen och är en del av arbetet med att göra {region} mer
  attraktivt för nya etableringar. [web]
purpose: Att stärka företagen i {region}.
contact: Via {alias}.example.org.
region: {region}
topics: [advice, regional]
sources:
  - id: web
    url: https://{alias}.example.org/
    supports: >-
      Att {title} hjälper företag i {region} med nätverk och affärsutveckling.
facts_as_of: 2024-01-01
"""
SYNTHETIC = [
    ("invest-in-gotland", "Invest in Gotland Sweden", "investgotland", "Gotlands län"),
    ("made-to-last-jamtland", "Made to Last Jämtland", "madetolast", "Jämtlands län"),
    ("swedish-makers-kalmar", "Swedish Makers Kalmar", "swedishmakers", "Kalmar län"),
]

QUESTIONS = [
    Message(
        "How much money did the Swedish government give Tillväxtverket in 2018 to help companies get new "
        "products manufactured in Sweden?",
        "ask_entry",
        ("tillvaxtverket",),
    ),
    Message("Vad innebär CE-märkning och vem bär ansvaret för märkningen?", "ask_entry", ("ce-markning",)),
    Message(
        "Vi gör skärbrädor i ek och en butikskedja vill beställa många. Vi har fått priser från Polen men "
        "vill tillverka här. En bekant sa att regeringen gav pengar för att företag skulle hitta tillverkare "
        "i Sverige. Hur mycket var det och vem fick dem?",
        "nlu_fallback",
    ),
    Message("Vilken kvalitetscertifiering bör vi begära av fabriken som gör vårt hjälpmedel?", "ask_entry"),
    Message("Hur mycket kunde regionerna söka i utlysningen hösten 2016?", "ask_amount"),
    Message("Vad är en nollserie?", "ask_entry"),
    Message("Vem presenterade strategin Smart industri?", "ask_entry", ("smart-industri",)),
    Message("Hur många åtgärder hade den andra handlingsplanen?", "ask_entry"),
    Message("När skulle kompetensuppdraget från 2018 slutredovisas?", "ask_dates"),
    Message("What does Robotlyftet offer small manufacturers?", "ask_entry", ("robotlyftet",)),
    # A question that names nothing: on prec33's branch the synthetic actors lifted its best score over the
    # resolver's absolute floor (Weights.floor); on the merged knowledge of session 16 it no longer flips,
    # but the floor is still absolute.
    Message("Hur mycket pengar gav man dem?", "ask_entry"),
]


@pytest.fixture(scope="module")
def grown_kb(tmp_path_factory: pytest.TempPathFactory, shipped_kb: KnowledgeBase) -> KnowledgeBase:
    """The shipped knowledge with three synthetic actor entries added, built into its own database."""
    base = tmp_path_factory.mktemp("grown")
    knowledge = base / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    for entry_id, title, alias, region in SYNTHETIC:
        text = ACTOR.format(id=entry_id, title=title, alias=alias, region=region)
        (knowledge / "entries" / "actors" / f"{entry_id}.yml").write_text(text, encoding="utf-8")
    build(knowledge, base / "knowledge.db")
    grown = KnowledgeBase(base / "knowledge.db")
    assert all(grown.get(entry_id) is not None for entry_id, *_ in SYNTHETIC)
    return grown


def answer(kb: KnowledgeBase, msg: Message) -> list[str]:
    found = resolve(kb, msg)
    return [f"{p.entry_id}:{p.key}" for p in found.passages] + [f"menu:{e.id}" for e in found.candidates]


@pytest.mark.parametrize("msg", QUESTIONS, ids=lambda m: m.text[:50] if isinstance(m, Message) else None)
def test_unrelated_entries_do_not_change_the_answer(
    shipped_kb: KnowledgeBase, grown_kb: KnowledgeBase, msg: Message
) -> None:
    assert answer(grown_kb, msg) == answer(shipped_kb, msg)
