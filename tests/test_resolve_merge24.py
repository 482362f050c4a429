"""The resolver after the round-24 merges: new entries (Almi's loans for growth and working capital, EKN,
Drivhuset, the innovation offices) and new regulation passages moved search scores, and answers that were
right by a small margin changed. Each case is a mechanism that no longer depends on that margin, phrased
unlike the tests that caught it."""

from __future__ import annotations

from typing import Any

import pytest
from test_consultation_route15 import run
from test_resolve_precise import keys

from bot.actions import advice
from bot.actions.advice import ActionStartAdvisor
from bot.actions.resolve import Message, Resolution, named_entries, resolve
from bot.actions.texts import Texts
from bot.kb import KnowledgeBase


def test_a_second_clause_in_the_named_entrys_own_words_asks_about_it(shipped_kb: KnowledgeBase) -> None:
    # "låna" also finds Almi's other loans; the clause asks how much this loan gave.
    msg = Message(
        "Vilka krav hade Almi för innovationslånet, och hur mycket gick det att låna?", "ask_amount"
    )
    assert keys(shipped_kb, msg) == ["almi-innovationslan:who_can_apply", "almi-innovationslan:amount"]


@pytest.mark.parametrize("text", ["Hur dyra är Almis lån?", "Vilken ränta har Almis lån?"])
def test_an_actor_below_its_own_entries_is_still_named(shipped_kb: KnowledgeBase, text: str) -> None:
    assert "almi" in {e.id for e in named_entries(shipped_kb, text)}


def test_what_a_provider_has_is_no_regulation_its_words_find(shipped_kb: KnowledgeBase) -> None:
    msg = Message(
        "Vilket stöd kan man få från Vinnova när man läser maskinteknik och har ett nystartat aktiebolag?",
        "ask_support_for",
    )
    found = resolve(shipped_kb, msg)
    assert found.entry is not None and found.entry.id.startswith("vinnova")


def test_an_authoritys_own_rules_stay(shipped_kb: KnowledgeBase) -> None:
    msg = Message("Vilka krav från Elsäkerhetsverket gäller för elskåpet på en maskin?", "ask_entry")
    found = resolve(shipped_kb, msg)
    assert found.entry is not None and found.entry.kind == "regulation"


def test_a_figure_asked_for_comes_from_the_best_entrys_own_passage(shipped_kb: KnowledgeBase) -> None:
    msg = Message("Spelar industrin stor roll för exporten? Finns det någon siffra på det?", "nlu_fallback")
    assert keys(shipped_kb, msg)[:1] == ["industrins-betydelse-for-sverige:summary"]


def test_a_menu_led_by_the_only_guidance_gives_its_rule_of_thumb(
    domain: dict[str, Any], kb: KnowledgeBase, shipped_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    guide, term = shipped_kb.get("fran-prototyp-till-serie"), shipped_kb.get("pilotserie")
    assert guide is not None and term is not None
    monkeypatch.setattr(advice, "resolve", lambda kb, msg: Resolution(candidates=[guide, term]))
    text = "Ska vi dra igång serieproduktion med en gång eller finns det något smartare steg emellan?"
    messages, _ = run(ActionStartAdvisor(), text, "start_consultation", [("start_consultation", 0.7)], domain)
    texts = [m.get("text") or "" for m in messages]
    intro = Texts(domain).get("utter_advisor_intro_after_answer")
    assert intro in texts, texts
    assert "nollserie" in " ".join(texts[: texts.index(intro)])


def test_a_menu_of_two_pieces_of_guidance_gives_no_rule_of_thumb(
    domain: dict[str, Any], kb: KnowledgeBase, shipped_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    entries = [
        shipped_kb.get("fran-prototyp-till-serie"),
        shipped_kb.get("tillverka-i-sverige-eller-utomlands"),
    ]
    assert all(e is not None for e in entries)
    monkeypatch.setattr(advice, "resolve", lambda kb, msg: Resolution(candidates=entries))
    text = "Ska vi dra igång serieproduktion med en gång eller finns det något smartare steg emellan?"
    messages, _ = run(ActionStartAdvisor(), text, "start_consultation", [("start_consultation", 0.7)], domain)
    assert messages[0]["text"] == Texts(domain).get("utter_advisor_intro")


def test_the_best_entrys_own_passage_states_the_figure_however_far_below() -> None:
    from bot.actions.resolve import STATING_GAP, _stating
    from bot.kb.model import Passage, Source

    source = Source(supports="e", title="t")
    words = Passage("e", "body.1", "body", "Industrin betyder mycket för landets export.", source)
    figure = Passage("e", "summary", "summary", "Industrin står för 77 procent av exporten.", source)
    other = Passage("f", "summary", "summary", "Exporten var 12 procent högre i fjol.", source)
    gap = STATING_GAP + 0.1
    assert _stating([(2.0, words), (2.0 - gap, figure)], "number") == (2.0 - gap, figure)
    # Another entry's figure that far below still does not answer.
    assert _stating([(2.0, words), (2.0 - gap, other)], "number") is None


def test_a_providers_unrelated_regulation_is_dropped(shipped_kb: KnowledgeBase) -> None:
    from bot.actions.resolve import _provided
    from bot.kb.store import Hit

    rules, support, vinnova = (
        shipped_kb.get(i) for i in ("maskiner", "vinnova-innovativa-startups", "vinnova")
    )
    assert rules is not None and support is not None and vinnova is not None
    hits = [Hit(rules, 1.0), Hit(support, 0.9), Hit(vinnova, 0.4)]
    text = "Finns det pengar att få från Vinnova för oss som bygger maskiner?"
    assert [h.entry.id for h in _provided(hits, text)] == ["vinnova-innovativa-startups", "vinnova"]
    # Without "från Vinnova" nothing is dropped.
    assert _provided(hits, "Finns det pengar för oss som bygger maskiner hos Vinnova?") == hits
