"""What the action server remembers between messages (issue 13, throughput) changes no answer: each
remembered result equals the one worked out afresh, and a rebuilt knowledge database is not answered
from what was remembered about the old one."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from test_kb_build import NEW_ENTRY as LEAN_ENTRY  # a support entry about lean production

from bot import swedish
from bot.advisor.data import load_questions
from bot.advisor.parsing import textmatch
from bot.advisor.parsing.parse import _compile
from bot.kb import KnowledgeBase, build
from bot.kb import search as kb_search
from bot.settings import ROOT

GOOD = ROOT / "tests" / "data" / "kb_fixtures" / "good"
MESSAGES = [
    "vem kan söka almis innovationslån",
    "hur mycket kunde regionerna söka 2016?",
    "ska vi tillverka själva eller anlita en legotillverkare?",
    "vi gör ca 5000 st per år i plast, inte metall, och vill ha korta ledtider",
    "jag menar 40 000 enheter och ungefär 150 varianter",
    "vet inte, hoppa över",
    "prototpy i alumnium och elektroniik",
    "Stöd för automation i Västra Götaland?",
]


@pytest.fixture
def kb(tmp_path: Path) -> KnowledgeBase:
    return KnowledgeBase(build(GOOD, tmp_path / "knowledge.db").path)


def test_remembered_stems_equal_fresh_ones(kb: KnowledgeBase) -> None:
    texts = [p.text for e in kb.all() for p in e.passages] + MESSAGES
    remembered = [kb.stems_of(t) for t in texts]
    again = [kb.stems_of(t) for t in texts]
    fresh = KnowledgeBase(kb.path)
    assert remembered == again == [fresh.stems_of(t) for t in texts]


def test_name_stems_are_the_entry_names_stems(kb: KnowledgeBase) -> None:
    for entry in kb.all():
        assert entry.name_stems == frozenset(s for n in entry.names for s in swedish.content_stems(n))


def test_a_rebuilt_database_is_not_answered_from_the_old_ones_memory(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(GOOD, knowledge)
    kb = KnowledgeBase(build(knowledge, tmp_path / "knowledge.db").path)
    # 'lean' is unknown at first, so the compound stays whole; once an entry uses it, it splits.
    assert kb.stems_of("leanproduktion") == {"leanproduktion"}
    (knowledge / "entries" / "support" / "produktionslyftet.yml").write_text(LEAN_ENTRY)
    build(knowledge, kb.path)
    assert kb.stems_of("leanproduktion") == {"leanproduktion", "lean", "produktion"}


def test_the_memories_are_bounded(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kb_search, "_STEMS_MEMORY", 5)
    index = kb._current().index
    for number in range(20):
        assert kb.stems_of(f"text {number}") == kb_search.SearchIndex.stems_of(index, f"text {number}")
        kb.search(f"ord{number} almi")
    assert len(index._stems) <= 5 and len(index._name_stems_for) <= 5


def test_name_matches_are_those_of_every_name_stem(kb: KnowledgeBase) -> None:
    index = kb._current().index
    for message in MESSAGES:
        for term in index.terms(message):
            for query_stem in term.stems:
                expected = {s for s in index.names_by_stem if kb_search._stem_matches(s, query_stem)}
                assert index._name_stems_matching(query_stem) == expected


def test_long_texts_are_folded_without_being_remembered() -> None:
    long_text = "Ärligt talat " * 500
    assert swedish.fold(long_text) == swedish._fold(long_text) == "arligt talat " * 500
    assert swedish.fold("Tillväxtverket Møller") == "tillvaxtverket moller"


def _unfiltered(phrases: textmatch.PhraseSet) -> textmatch.PhraseSet:
    """The same phrase set, searching for every phrase in every message."""
    every = textmatch.PhraseSet([], phrases._one_typo, phrases._two_typos)
    every._phrases = phrases._phrases
    every._always = list(range(len(phrases._phrases)))
    return every


def test_phrase_sets_find_what_searching_every_phrase_finds() -> None:
    compiled = _compile(load_questions(ROOT / "knowledge" / "advisor" / "questions.yml"))
    sets = [*compiled.options.values(), *compiled.answers.values(), compiled.skip, compiled.planned]
    random.seed(7)
    letters = "abcdefghijklmnoprstuvy åäö"
    noise = ["".join(random.choice(letters) for _ in range(40)) for _ in range(30)]
    for text in [*MESSAGES, *noise]:
        masked = textmatch.mask(swedish.fold(text))
        for phrases in sets:
            assert phrases.find(masked) == _unfiltered(phrases).find(masked)
            assert phrases.find(masked) == phrases.find(masked)  # the remembered typo verdicts
