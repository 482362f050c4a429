"""Issue #11, branch prec25: which passage answers, by the question's own words and question words."""

from __future__ import annotations

import pytest

from bot.actions.resolve import Message, resolve, story_asks
from bot.kb import KnowledgeBase

# Long messages whose story, not their question, holds the words of an amount.
MONEY_STORY = (
    "Jag har tagit över ett projekt på kommunen och i papperen står det att satsningen hade "
    "väldigt mycket pengar och att flera företag också var med och sökte, fast det var väl "
    "bara regionerna som skulle söka från början. Hur gick det egentligen till?"
)
AMOUNT_STORY = (
    "Jag har tagit över ett projekt på kommunen och i papperen står det att flera företag "
    "också var med och sökte pengar ur satsningen, fast det var väl bara regionerna som "
    "skulle söka. Hur mycket fick de?"
)
INHERITED_FOLDER = (
    "Jag har ärvt en mapp om Smart industri i regionerna 2.0 från den som hade jobbet före mig, "
    "det där Tillväxtverket utlyste med massor av pengar. Där står att även kluster och företag "
    "var med och sökte, fast det var väl regionerna som skulle göra det? Hur funkade det där?"
)


def keys(kb: KnowledgeBase, msg: Message) -> list[str]:
    return [f"{p.entry_id}:{p.key}" for p in resolve(kb, msg).passages]


@pytest.mark.parametrize("intent", ["ask_amount", "ask_eligibility", "ask_entry"])
def test_who_runs_it_comes_first_whatever_the_other_part_chose(
    shipped_kb: KnowledgeBase, intent: str
) -> None:
    msg = Message(
        "Vem drev Robotlyftet, och fick pengarna gå till att köpa en robot?", intent, ("robotlyftet",)
    )
    assert "IUC" in resolve(shipped_kb, msg).passages[0].text


def test_who_runs_it_precedes_the_amount_the_nlu_read(shipped_kb: KnowledgeBase) -> None:
    msg = Message(
        "vem står bakom robotlyftet o fick man köpa robotar med checken", "ask_amount", ("robotlyftet",)
    )
    passages = resolve(shipped_kb, msg).passages
    assert "IUC" in passages[0].text
    assert any("köpa robotar" in p.text for p in passages[1:])


def test_a_question_without_who_runs_gets_no_runner_passage(shipped_kb: KnowledgeBase) -> None:
    msg = Message("fick man köpa robotar för robotcheckarna?", "ask_amount", ("robotlyftet",))
    assert [p.key for p in resolve(shipped_kb, msg).passages] == ["amount"]


@pytest.mark.parametrize(
    "msg, entry_id",
    [
        # "what should we weigh" after the story a dash ends: the advice's key idea, not one paragraph.
        (
            Message("Vi har fått offerter från fyra fabriker – vad ska vi jämföra utöver priset?", intent),
            "offerter-fran-tillverkare",
        )
        for intent in ("ask_find_manufacturer", "ask_entry")
    ]
    + [
        # An advice question put in general, with an indirect "… och vilka …" that is no second question.
        (
            Message(
                "Hur ska vi tänka kring vilka delar vi ska tillverka själva och vilka vi ska köpa in?",
                "ask_make_or_buy",
            ),
            "tillverka-sjalv-eller-kopa",
        ),
    ],
)
def test_a_general_strategy_question_gets_the_key_idea(
    shipped_kb: KnowledgeBase, msg: Message, entry_id: str
) -> None:
    found = keys(shipped_kb, msg)
    assert found[0] == f"{entry_id}:summary"
    assert all(k.startswith(entry_id) for k in found)


def test_the_question_sentence_not_the_story_chooses_between_near_passages(shipped_kb: KnowledgeBase) -> None:
    msg = Message(
        "Vi har gjort en fungerande prototyp av ett cykelställ i aluminium. Vad blir nästa steg innan vi "
        "beställer 3000 st?",
        "inform",
        ("prototyp",),
    )
    first = resolve(shipped_kb, msg).passages[0]
    assert first.entry_id == "fran-prototyp-till-serie"
    assert "pilotserie" in first.text


@pytest.mark.parametrize(
    "text, guess, stands",
    [
        # The story's "mycket pengar" made the guess; the question asks for no field.
        (
            MONEY_STORY,
            "ask_amount",
            False,
        ),
        # A long story whose question asks the amount keeps the guess.
        (
            AMOUNT_STORY,
            "ask_amount",
            True,
        ),
        # A short message that asks no field does not keep an attribute guess either (branch prec27).
        ("hur funkade det?", "ask_amount", False),
        (
            MONEY_STORY,
            "ask_make_or_buy",
            True,
        ),
    ],
)
def test_a_guess_from_the_story_alone_does_not_stand(text: str, guess: str, stands: bool) -> None:
    assert story_asks(text, guess) is stands


def test_how_it_worked_gets_who_could_apply_not_the_amount(shipped_kb: KnowledgeBase) -> None:
    msg = Message(
        INHERITED_FOLDER,
        "ask_entry",
        ("smart-industri-i-regionerna-2-0",),
    )
    assert "avsiktsförklaring" in " ".join(p.text for p in resolve(shipped_kb, msg).passages)
