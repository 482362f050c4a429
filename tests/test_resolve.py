"""The resolver over the fixture knowledge base: one table of messages and what must answer them."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.actions.resolve import SENTENCE as SENTENCE_SPLIT
from bot.actions.resolve import Message, focus, resolve
from bot.kb import KnowledgeBase, build
from bot.settings import ROOT

FIXTURES = ROOT / "tests" / "data" / "kb_fixtures" / "good"


@pytest.fixture(scope="module")
def real_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """The shipped knowledge base, for cases that need its overlapping entries."""
    db: Path = tmp_path_factory.mktemp("real") / "knowledge.db"
    build(ROOT / "knowledge", db)
    return KnowledgeBase(db)


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    db: Path = tmp_path_factory.mktemp("kb") / "knowledge.db"
    build(FIXTURES, db)
    return KnowledgeBase(db)


# (message, expected: "entry-id:passage-key" of the first passage | "menu" | "unknown:<name>" | "nothing")
CASES = [
    (Message("hur mycket kan man få i innovationslån?", "ask_amount"), "almi-innovationslan:amount"),
    (Message("vem kan söka innovationslån", "ask_eligibility"), "almi-innovationslan:who_can_apply"),
    (Message("vad är legotillverkning", "ask_entry"), "legotillverkning:summary"),
    # A follow-up that names nothing is about the entry under discussion.
    (
        Message("och vem kan söka?", "ask_eligibility", current="almi-innovationslan"),
        "almi-innovationslan:who_can_apply",
    ),  # fmt: skip
    (
        Message("hur mkt fick dom", "ask_amount", current="regional-utlysning-2016"),
        "regional-utlysning-2016:amount",
    ),  # fmt: skip
    # A named programme the knowledge base does not hold is said to be unknown, not answered by another.
    (Message("Hur mycket kan vi låna från Norrlandsfonden?", "ask_amount"), "unknown:Norrlandsfonden"),
    (Message("kan vi söka Klimatklivet?", "ask_eligibility"), "unknown:Klimatklivet"),
    # A county NLU recognised is not an unknown programme.
    (
        Message(
            "Vilket stöd finns i Västerbotten för legotillverkning?",
            "ask_entry",
            recognised=("Västerbotten",),
        ),
        "legotillverkning:summary",
    ),  # fmt: skip
    # A strategy question that names a term gets the strategy's default entry.
    (
        Message("tillverka själv eller legotillverkning?", "ask_make_or_buy", ("legotillverkning",)),
        "tillverka-sjalv-eller-kopa:summary",
    ),  # fmt: skip
    # A button names its entry; "Läs mer" gives the whole entry.
    (
        Message('/ask_amount{"kb_entry": "robotlyftet"}', "ask_amount", ("robotlyftet",)),
        "robotlyftet:summary",
    ),
    (Message("läs mer", "read_more", current="robotlyftet"), "robotlyftet:summary"),
    # "och den andra då?" answers the same question about the other thing.
    (
        Message(
            "och den andra då?", "ask_entry", current="almi", other="tillvaxtverket", last_intent="ask_entry"
        ),
        "tillvaxtverket:summary",
    ),  # fmt: skip
    (Message("qwxz plörk", "ask_entry"), "nothing"),
    # "Hur stort får företaget vara?" asks who can apply, not an amount.
    (
        Message("Hur stort får företaget vara då?", "ask_amount", current="almi-innovationslan"),
        "almi-innovationslan:who_can_apply",
    ),  # fmt: skip
    # "de" points back at the entry under discussion, even when a word matches another entry better.
    (
        Message("vilka områden gäller de för?", "ask_entry", current="smart-industri"),
        "smart-industri:focus_areas",
    ),  # fmt: skip
    # An actor named with an unknown programme doesn't make the programme known; nor does a term.
    (
        Message("Vad är maxbeloppet i Tillväxtverkets Produktionsbonus?", "ask_amount"),
        "unknown:Produktionsbonus",
    ),  # fmt: skip
    (
        Message("Kan Västsvenska Produktionsfonden gå in med riskkapital i vår pilotserie?", "ask_entry"),
        "unknown:Västsvenska Produktionsfonden",
    ),  # fmt: skip
    (Message("Hur mycket kan jag få från danska Innobooster?", "ask_amount"), "unknown:Innobooster"),
    # A price question about a country asks no support: the country is no unknown programme.
    (
        Message("Hur mycket kostar det att tillverka i Polen?", "ask_amount"),
        "tillverka-sjalv-eller-kopa:summary",
    ),  # fmt: skip
    # An English question is searched in its Swedish words.
    (
        Message("How much can a company borrow with Almi's innovation loan?", "ask_amount"),
        "almi-innovationslan:amount",
    ),  # fmt: skip
    (Message("Who can apply for the innovation loan?", "ask_entry"), "almi-innovationslan:who_can_apply"),
    # A bare term under a strategy intent asks what the term is.
    (Message("Legotillverkning?", "ask_make_or_buy", ("legotillverkning",)), "legotillverkning:summary"),
    # "Vem fick söka …" asks who could apply, although the status paragraph shares more words.
    (
        Message("Vem fick söka i regionala utlysningen 2016, kunde ett företag söka?", "ask_eligibility"),
        "regional-utlysning-2016:who_can_apply",
    ),  # fmt: skip
    # A long story with the question at its end: the question decides, the story says what "därifrån" is.
    (
        Message(
            "Vi är en liten verkstad som svarvar och fräser detaljer åt lantbruket, sex man, och jag har "
            "länge drömt om att ställa in en robot så att vi kan köra nätter. Min svåger säger att det finns "
            "något som heter Robotlyftet. Jag hatar pappersarbete men om det ger pengar så. Kan vi använda "
            "checken därifrån till att helt enkelt köpa roboten?",
            "nlu_fallback",
        ),
        "robotlyftet:body.1",
    ),  # fmt: skip
]


def outcome(kb: KnowledgeBase, msg: Message) -> str:
    found = resolve(kb, msg)
    if found.unknown_name:
        return f"unknown:{found.unknown_name}"
    if found.candidates:
        return "menu"
    if not found.passages:
        return "nothing"
    return f"{found.passages[0].entry_id}:{found.passages[0].key}"


@pytest.mark.parametrize("msg, expected", CASES, ids=[m.text for m, _ in CASES])
def test_resolve(kb: KnowledgeBase, msg: Message, expected: str) -> None:
    assert outcome(kb, msg) == expected


def test_read_more_is_the_whole_entry(kb: KnowledgeBase) -> None:
    found = resolve(kb, Message("läs mer", "read_more", current="almi-innovationslan"))
    assert found.whole and len(found.passages) == len(kb.get("almi-innovationslan").passages)


def test_a_two_part_question_gets_both_parts(kb: KnowledgeBase) -> None:
    msg = Message("vem kan söka almis innovationslån och hur mycket kan man låna?", "ask_eligibility")
    fields = {p.field for p in resolve(kb, msg).passages}
    assert fields == {"who_can_apply", "amount"}


def test_a_long_passage_is_cut_to_the_sentences_that_answer(kb: KnowledgeBase) -> None:
    found = resolve(kb, Message("vad är smart industri", "ask_entry"))
    assert all(len(p.text) <= 400 for p in found.passages)


@pytest.mark.parametrize(
    ("field", "text", "held"),
    [
        ("amount", "Det första uppdraget fick 20 miljoner kronor för 2018–2019.", True),
        ("amount", "Lånet är på 50 000–500 000 kr.", True),
        ("amount", "Regionerna skulle kartlägga industrins behov.", False),
        ("dates", "Strategin beslutades den 21 januari 2016.", True),
        ("dates", "Utlysningen stängde 2016-09-30.", True),
        ("dates", "Den skulle öppna i februari 2017.", True),
        ("dates", "Satsningen omfattade 18 projekt i 20 regioner.", False),
        ("contact", "Kontakta Almi på www.almi.se.", True),
        ("person", "Strategin presenterades av dåvarande ministern Mikael Damberg.", True),
        ("person", "Smart industri har fyra fokusområden.", False),
        ("who_can_apply", "Små och medelstora företag.", False),  # no form to recognise: the field decides
    ],
)
def test_a_passage_holds_a_fact_by_its_form(field: str, text: str, held: bool) -> None:
    from bot.actions.resolve import holds
    from bot.kb.model import Passage, Source

    assert holds(Passage("e", "body.1", "body", text, Source(supports="e", title="t")), field) is held


@pytest.mark.parametrize(
    ("text", "unresolved", "topic"),
    [
        ("pris på kvantdator", ["kvantdator"], True),
        ("vilket ESD-skydd behövs i fabriken", ["esd"], True),
        # A long question's longest word is not necessarily what it is about.
        (
            "Hur mycket pengar satsade regeringen på att hjälpa produktbolag hitta svensk tillverkning?",
            ["produktbolag"],
            False,
        ),
        ("pris på legotillverkning", [], False),
        ("vad kostar en cnc", ["cnc"], False),  # short, lower case, not the longest word
    ],
)
def test_an_unknown_word_can_be_what_the_question_is_about(
    text: str, unresolved: list[str], topic: bool
) -> None:
    from bot.actions.resolve import _unknown_topic

    assert _unknown_topic(unresolved, text) is topic


@pytest.mark.parametrize(
    ("text", "entries"),
    [
        ("Vad gör Almi och Tillväxtverket?", ["almi", "tillvaxtverket"]),
        ("Vem kan söka Robotlyftet och Almis innovationslån?", ["almi-innovationslan", "robotlyftet"]),
        # A name of another kind in passing is no second topic.
        ("Hur mycket fick Tillväxtverket för kompetensuppdraget?", ["kompetensuppdraget-2018"]),
    ],
)
def test_two_things_named_together_are_both_answered(
    kb: KnowledgeBase, text: str, entries: list[str]
) -> None:
    found = resolve(kb, Message(text, "ask_entry"))
    assert [p.entry_id for p in found.passages] == entries


def test_the_question_of_a_long_message_is_its_question_sentence() -> None:
    from bot.actions.resolve import question_part

    story = (
        "Jag har hållit på i tre år med en ny typ av cykelkärra och nu har jag hittat en tillverkare som "
        "kan göra ramarna. Det kostar en massa för verktyg och jag har hört att EU har en stor fond. Min fru "
        "tror att den är för kommuner men jag tror man kan få pengar direkt. "
    )
    question = "Kan mitt enmansbolag söka pengar direkt ur regionalfonden?"
    assert question_part(story + question) == question
    # A short message, or one that is mostly question, is kept whole.
    assert question_part(question) == question
    assert question_part("Hej. " + question) == "Hej. " + question


REPORTED = [
    # What the user heard about a public measure is what the question that follows asks about; only the
    # reported clause counts, not who said it where.
    (
        "Vi gjuter aluminiumdetaljer i en liten fabrik utanför Växjö med nio anställda och funderar på att "
        "växa med en egen produkt till båtar. Grannen i industriområdet berättade i somras att staten hade "
        "ett uppdrag om matchning av tillverkare. Vad innebar det?",
        "att staten hade ett uppdrag om matchning av tillverkare. Vad innebar det?",
    ),
    (
        "Jag har ritat en cykelhållare för flak i tre år och byggt sex exemplar i verkstaden hemma hos mina "
        "föräldrar, och nu vill en cykelbutik i stan sälja dem. Jag läste i tidningen att regeringen gav en "
        "myndighet pengar för industrin. Hur mycket?",
        "att regeringen gav en myndighet pengar för industrin. Hur mycket?",
    ),
    # An opinion reported is no public measure: only the question counts.
    (
        "Jag har ritat en cykelhållare för flak i tre år och byggt sex exemplar i verkstaden hemma hos mina "
        "föräldrar, och nu vill en cykelbutik i stan sälja dem. Min bror säger att man borde tillverka i "
        "Sverige. Vad kostar ett formverktyg?",
        "Vad kostar ett formverktyg?",
    ),
]


@pytest.mark.parametrize("text, part", REPORTED, ids=[p for _, p in REPORTED])
def test_what_the_user_heard_about_a_public_measure_is_part_of_the_question(text: str, part: str) -> None:
    from bot.actions.resolve import question_part

    assert question_part(text, reported=True) == part
    assert question_part(text) == part.split(". ")[-1]


def test_a_search_tie_without_close_evidence_is_no_menu(kb: KnowledgeBase) -> None:
    from bot.actions.resolve import WEIGHTS, _search_tie
    from bot.kb.store import Hit

    almi, loan = kb.get("almi"), kb.get("almi-innovationslan")
    hits = [Hit(loan, 1.0), Hit(almi, 0.99)]
    best = loan.passages[0]
    close = [(2.0, best), (1.9, almi.passages[0])]
    far = [(2.0, best), (1.2, almi.passages[0])]
    assert [e.id for e in _search_tie(hits, best, set(), close, WEIGHTS)] == ["almi"]
    assert _search_tie(hits, best, set(), far, WEIGHTS) == []


def test_advice_keeps_its_steps_together(kb: KnowledgeBase) -> None:
    from bot.actions.resolve import ADVICE_SHORT, SHORT, focus
    from bot.kb.model import Passage

    entry = kb.get("tillverka-sjalv-eller-kopa")
    step = "Steg {}: gör en sak som hör till förberedelserna och skriv ner den."
    steps = " ".join(step.format(n) for n in range(6))
    assert SHORT < len(steps) <= ADVICE_SHORT
    advice = Passage(entry.id, "body.1", "body", steps, entry.passages[0].source)
    assert focus(kb, advice, kb.weighted_terms("förberedelser"), SHORT).text == steps


@pytest.mark.parametrize(
    "intro, kept",
    [
        # A sentence that announces a list keeps the list's items, though they hold none of the question's
        # words ("vad ska vi titta på när vi jämför tillverkare?").
        ("När du jämför tillverkare, titta på följande.", True),
        # Any other sentence keeps only the sentences the question asks about.
        ("När du jämför tillverkare finns det mycket att tänka på.", False),
    ],
)
def test_an_announced_list_keeps_its_items(kb: KnowledgeBase, intro: str, kept: bool) -> None:
    from bot.actions.resolve import SHORT, focus
    from bot.kb.model import Passage

    entry = kb.get("tillverka-sjalv-eller-kopa")
    items = "Certifiering: fråga efter ISO 9001. Leveranser: be om referenser. Ekonomi: läs årsredovisningen."
    filler = " ".join(f"Ett stycke om något helt annat, nummer {n}, utan frågans ord." for n in range(8))
    text = f"{intro} {items} {filler}"
    assert len(text) > SHORT
    passage = Passage(entry.id, "body.1", "body", text, entry.passages[0].source)
    terms = kb.weighted_terms("vad ska jag titta på när jag jämför tillverkare?")
    answer = focus(kb, passage, terms, SHORT).text
    assert answer.startswith(intro)
    assert ("referenser" in answer and "årsredovisningen" in answer) is kept
    assert "nummer 7" not in answer


def test_english_domain_words_are_searched_in_swedish() -> None:
    from bot.swedish import from_english

    assert from_english("How much funding for skills supply?").split() == [
        "hur", "mycket", "finansiering", "pengar", "for", "kompetensförsörjning",
    ]  # fmt: skip


def test_one_name_inside_another_is_one_thing_named(kb: KnowledgeBase) -> None:
    from bot.actions.resolve import _named_by
    from bot.swedish import content_stems

    loan = kb.get("almi-innovationslan")
    said = set(content_stems("vad kostar almis innovationslån"))
    assert _named_by(loan, said) and _named_by(loan, said) <= said
    assert _named_by(loan, set(content_stems("vad gör vinnova"))) == frozenset()


@pytest.mark.parametrize(
    ("text", "two"),
    [
        ("När lönar det sig att automatisera, och finns det hjälp att få?", True),
        ("Vem kan söka och hur mycket kan man få?", True),
        ("Vad gör Almi? Och Vinnova?", True),
        ("Kan vi söka checken, och på hur mycket?", True),
        ("What does the loan cost, and for how long does it run?", True),
        ("Finns det stöd för automation och robotar?", False),
    ],
)
def test_a_second_question_is_recognised(text: str, two: bool) -> None:
    from bot.actions.resolve import CONJUNCTION

    assert bool(CONJUNCTION.search(text)) is two


def test_who_runs_something_is_not_who_may_apply(kb: KnowledgeBase) -> None:
    runs = resolve(kb, Message("vem står bakom almis innovationslån?", "ask_eligibility"))
    applies = resolve(kb, Message("vem kan söka almis innovationslån?", "ask_eligibility"))
    assert runs.passages[0].entry_id == "almi-innovationslan"
    assert runs.passages[0].field != "who_can_apply"
    assert applies.passages[0].field == "who_can_apply"


# Cases over the shipped knowledge base, where entries overlap as they do for users.
REAL_CASES = [
    # The words naming an entry are evidence for it, not for another entry's paragraph that mentions it.
    (
        Message("Vad var de där industrialiseringshubbarna som Tillväxtverket utlyste pengar till 2019?"),
        "industrialiseringshubbar-2019:summary",
    ),
    # "hur mycket" is answered by a passage that states an amount, not by a better-worded one without.
    (
        Message(
            "Hur mycket extra fick Tillväxtverket sommaren 2018 för att jobba med industrins "
            "kompetensförsörjning?",
            "ask_amount",
            ("tillvaxtverket", "kompetensforsorjning"),
        ),
        "kompetensuppdraget-2018:amount",
    ),
    # A capitalised programme-like name made of known words is unknown when no entry is called by it.
    (
        Message("Vilka villkor gäller för Vinnovas Tillverkningscheck Steg 3?", "ask_eligibility"),
        "unknown:Tillverkningscheck Steg",
    ),
    # A year the message names rules out an entry whose title names only other years.
    (
        Message(
            "Om en region beviljades pengar i Tillväxtverkets industriutlysning 2016, från vilket datum fick "
            "de sätta igång?",
            "ask_dates",
        ),
        "regional-utlysning-2016:dates",
    ),
    # An English question's domain words are searched in Swedish ("manufactured in Sweden").
    pytest.param(
        Message(
            "How much money did the Swedish government give Tillväxtverket in 2018 to help companies get new "
            "products manufactured in Sweden?",
            "ask_entry",
            ("tillvaxtverket",),
        ),
        "industrialiseringsuppdraget-2018:amount",
    ),
    # A relative clause that says which thing is meant doesn't choose the passage ("som Tillväxtverket
    # skulle driva ute i regionerna" is not what is asked); a general word's clause still counts.
    (
        Message(
            "Vem la fram industristrategin som Tillväxtverket skulle driva ute i regionerna?",
            "ask_entry",
            ("tillvaxtverket",),
        ),
        "smart-industri:summary",
    ),
    (
        Message("Vilka regioner som ville göra något större fick fortsätta efter utlysningen 2016?"),
        "regional-utlysning-2016:body.4",
    ),
    # A year the message names counts for an entry whose title names it ("2018 års regeringsuppdrag").
    (
        Message(
            "På vilka sätt skulle Tillväxtverket enligt 2018 års regeringsuppdrag göra det lättare för "
            "företag att industrialisera sina nya produkter här hemma?",
            "ask_entry",
            ("tillvaxtverket",),
        ),
        "industrialiseringsuppdraget-2018:summary",
    ),
    # "när" joining a clause in a "vad" question asks no date, whatever the NLU's intent.
    (
        Message(
            "Vad nytt kom in när kompetensuppdraget för industriföretag breddades 2018, utöver kartläggning "
            "och validering?",
            "ask_dates",
            ("kompetensuppdraget-2018",),
        ),
        "kompetensuppdraget-2018:body.3",
    ),
    # A strategy question that names a term gets the advice on its own subject when that scores better than
    # the intent's default ("offert" -> the advice on quotes, not how to choose a manufacturer).
    (
        Message(
            "Vad behöver en legotillverkare få från mig för att kunna ge en bra offert?",
            "ask_find_manufacturer",
            ("legotillverkning",),
        ),
        "offerter-fran-tillverkare:summary",
    ),
    # Words naming a named entry ("Tillväxtverket", the strategy) also count for the search's best hit when
    # its own name holds them: the assignment to spread the strategy in the regions.
    (
        Message(
            "Hur länge höll Tillväxtverkets uppdrag om nyindustrialiseringsstrategin i regionerna på?",
            "ask_dates",
            ("tillvaxtverket", "smart-industri"),
        ),
        "regionuppdraget-2016:dates",
    ),
    # A fund's or check's name in lower case in a question about support is unknown when no entry is called
    # by it in any inflection; a description in lower case ("…satsningen") or a known check is not.
    (Message("hur mycket kan man söka ur gotlands tillväxtfond?", "ask_amount"), "unknown:tillväxtfond"),
    (
        Message("hur mycket kan man få i affärsutvecklingscheck?", "ask_amount"),
        "affarsutvecklingscheckar:amount",
    ),
    (
        Message("hur mycket pengar fick tillväxtverket för kompetensförsörjningssatsningen?", "ask_amount"),
        "kompetensuppdraget-2018:amount",
    ),
    # A "när" that joins a clause asks no date: the passage with the question's words answers, whatever
    # the NLU's intent.
    (
        Message("måste svetsarna vara godkända när vi tillverkar tryckkärl enligt PED?", "ask_dates"),
        "tryckbarande-anordningar:body.7",
    ),
    # "måste …?", "får …?" about a rule, read by the NLU as who may apply: the passage that answers.
    (
        Message("måste svetsarna vara godkända för tryckkärl enligt PED?", "ask_eligibility"),
        "tryckbarande-anordningar:body.7",
    ),
    (Message("får en leksak för ettåringar ha smådelar?", "ask_eligibility"), "leksaker:body.9"),
    # An alias that names a part of an entry gets the paragraph that holds it, not the entry's summary.
    (Message("vad är prop 65?", "ask_entry", ("export-utanfor-eu",)), "export-utanfor-eu:body.6"),
    # ... an alias its summary holds keeps the summary.
    (Message("vad är PED?", "ask_entry"), "tryckbarande-anordningar:summary"),
    # "Vilken minister …?" is answered by the passage that names the person, not by a better-worded one.
    (
        Message(
            "Vilken minister stod bakom lanseringen av regeringens strategi för att få igång en ny "
            "industrialisering i Sverige?",
            "ask_entry",
        ),
        # The summary names him ("innovationsministern Mikael Damberg": "minister" meets the compound).
        "smart-industri:summary",
    ),
    # The speaker's own kind of organisation ("vår science park") says who asks, not what is asked.
    (
        Message(
            "Är Tillväxtverkets utlysning om industrialiseringshubbar fortfarande öppen? Vår science park "
            "vill söka.",
            "ask_status",
        ),
        "industrialiseringshubbar-2019:dates",
    ),
    (Message("Vad gör SISP för vår inkubator?", "ask_entry"), "sisp:summary"),
    # An agency named as the owner ("Tillväxtverkets satsning på 20 miljoner") is not what is asked about.
    (
        Message(
            "Hur söker man pengar ur Tillväxtverkets satsning på 20 miljoner för tillverkning i Sverige?",
            "ask_how_to_apply",
        ),
        "industrialiseringsuppdraget-2018:amount",
    ),
    (Message("Vad gör Tillväxtverket?", "ask_entry"), "tillvaxtverket:summary"),
    # A field asked for ("Vilken minister …?") is answered by the named entry's passage that holds it,
    # not by another entry's paragraph that shares the question's other words ("Bakom strategin låg …").
    (
        Message("Vilken minister låg bakom nyindustrialiseringsstrategin?", "ask_entry"),
        "smart-industri:summary",
    ),
    # A typo in the question words still asks an amount.
    (
        Message("kompetensforsorjnings uppdraget tilväxtverket 2018 hur mycke pengar", "ask_amount"),
        "kompetensuppdraget-2018:amount",
    ),
    # A field without a recognisable form ("vilka områden") is answered by the entry that has it, without a
    # menu of entries that lack it.
    (
        Message(
            "Vad skulle de regionala projekten 2016 handla om, fanns det prioriterade områden?", "ask_entry"
        ),
        "regional-utlysning-2016:focus_areas",
    ),
    # English phrases whose Swedish is one word ("skills supply" -> kompetensförsörjning).
    (
        Message(
            "When did Tillväxtverket have to deliver the final report on the skills supply assignment?",
            "ask_dates",
        ),
        "kompetensuppdraget-2018:dates",
    ),
    # A message that restates an advice entry's own question gets its conclusion (the summary), not the
    # paragraph that shares most words with it.
    (
        Message(
            "Ska vi tillverka vår produkt själva eller lägga ut det? Vi har ingen egen verkstad.", "ask_entry"
        ),
        "tillverka-sjalv-eller-kopa:summary",
    ),
    (
        Message("hur skyddar jag min idé om jag låter en fabrik utomlands tillverka produkten?", "ask_entry"),
        "skydda-ide-vid-legotillverkning:summary",
    ),
    # A strategy question that names a term gets the advice on its subject, never the assistant's own list
    # of topics (which shares every subject's words).
    (
        Message(
            "Vad ska avtalet innehålla när vi anlitar en underleverantör som tillverkar vår produkt?",
            "ask_find_manufacturer",
            ("legotillverkning",),
        ),
        "avtal-med-tillverkare:summary",
    ),
    # A long story whose question points back at a reported public measure ("det där") is about that
    # measure, not about the advice its story's words ("tillverka här hemma", "tillverkare") would find.
    (
        Message(
            "Hej! Jag har byggt fågelholkar med kamera i två år och säljer några i månaden, men nu vill en "
            "butikskedja ha flera hundra. Vi har fått offerter från två fabriker i Kina men vill hellre "
            "tillverka här hemma och kunna åka dit. Någon på en mässa sa att regeringen för några år "
            "sedan gav Tillväxtverket ett uppdrag om att hjälpa företag att hitta tillverkare i Sverige. "
            "Vad gick det där ut på egentligen?",
            "nlu_fallback",
        ),
        "industrialiseringsuppdraget-2018:summary",
    ),
    # Within one advice entry, the question's own words (not the entry's names, which every paragraph
    # shares) choose the paragraph: the one on paying for a tool, not the summary on tool materials.
    (
        Message(
            "Verktygsmakaren vill ha 150 000 kr för ett formverktyg. Vad ska jag tänka på innan jag betalar "
            "för det?",
            "ask_find_manufacturer",
        ),
        "formverktyg:body.6",
    ),
    # ... but words of the story around the question don't ("om året" in a paragraph on payback).
    (
        Message(
            "När lönar sig automation? Vi monterar 3000 lampor om året för hand.", "ask_find_manufacturer"
        ),
        "nar-lonar-sig-automation:summary",
    ),
    # A grant no entry is called by is unknown, however known the words it is made of ("hemflytt").
    (
        Message(
            "min kompis sa att det finns ett hemflyttningsbidrag från staten, hur söker man?",
            "ask_how_to_apply",
        ),
        "unknown:hemflyttningsbidrag",
    ),
    # ... while a grant in general is the forms of support.
    (Message("vilka bidrag finns det för tillverkning?", "ask_entry"), "stodformer:summary"),
]


@pytest.mark.parametrize(
    "msg, expected",
    REAL_CASES,
    ids=[(case.values if hasattr(case, "values") else case)[0].text[:60] for case in REAL_CASES],
)
def test_resolve_on_the_shipped_knowledge(real_kb: KnowledgeBase, msg: Message, expected: str) -> None:
    assert outcome(real_kb, msg) == expected


@pytest.mark.parametrize(
    "text, field",
    [
        ("Vad nytt kom in när uppdraget breddades?", None),
        ("Vem fick uppdraget när det gavs?", None),
        ("När stänger utlysningen?", "dates"),
        ("Vad gick det ut på, och när?", "dates"),
        ("Vad kostar det och när stänger den?", "dates"),
        ("Hur länge höll de på, alltså när skulle allt vara klart?", "dates"),
        # Whether the asker could apply is who may apply.
        ("Hade jag kunnat söka de där pengarna själv?", "who_can_apply"),
        ("Kan vi söka pengarna själva?", "who_can_apply"),
        # Who presented something is a person, not who may apply.
        ("Vilken minister stod bakom lanseringen av strategin?", "person"),
        ("vem va det som la fram nyindustrialiseringsstrategin??", "person"),
        ("Vem kan söka lånet?", "who_can_apply"),
        # "till för" is who something is for after "vara", not a "till" that ends a clause before "for(för)".
        ("vem var den till för?", "who_can_apply"),
        ("vilket departement skulle de lamna rapporten till for uppdraget?", None),
        # "när" joining a clause in a "hur" question asks no date either.
        ("Hur ska jag tänka när jag väljer tillverkare?", None),
        ("Fanns det några prioriterade områden för projekten?", "focus_areas"),
        ("Vilka teman skulle satsningen handla om?", "focus_areas"),
        ("what's the loan amount, and which companies can get one?", "who_can_apply"),
        # Typed without å, ä, ö.
        ("vem kunde soka pengarna, kunde mitt foretag soka?", "who_can_apply"),
        ("nar stangde den", "dates"),
        # How long something lasted is its dates.
        ("Hur länge gällde uppdraget?", "dates"),
        # Only a "när" that asks asks for dates: first in its clause, before the verb that asks, after
        # "från"/"senast"; one that joins a clause doesn't, whatever the question's first word.
        ("vad gäller när vi tillverkar tryckkärl?", None),
        ("måste svetsarna vara godkända när vi tillverkar tryckkärl?", None),
        ("när börjar EUDR gälla för små företag?", "dates"),
        ("EUDR, när börjar den gälla?", "dates"),
        ("vi undrar när utlysningen stänger", None),
        ("från när gäller kravet?", "dates"),
        ("senast när måste vi anmäla?", "dates"),
    ],
)
def test_the_field_the_question_words_ask(text: str, field: str | None) -> None:
    from bot.actions.resolve import asked_field

    assert asked_field(text) == field


def test_first_and_second_are_two_things(real_kb: KnowledgeBase) -> None:
    """ "första respektive andra handlingsplanen" names both plans ("andra" is also a stop word)."""
    msg = Message(
        "Hur många åtgärder innehöll regeringens första respektive andra handlingsplan för Smart industri?",
        "ask_dates",
    )
    found = resolve(real_kb, msg)
    plans = ["handlingsplan-1-smart-industri", "handlingsplan-2-smart-industri"]
    assert [e.id for e in found.entries] == plans
    # "Hur många" asks a number, not the dates the NLU guessed.
    assert all(p.field != "dates" for p in found.passages)


def test_how_many_is_no_question_about_an_amount_of_money(real_kb: KnowledgeBase) -> None:
    """No "amount not in the knowledge base" note when the NLU read "hur många" as ask_amount."""
    msg = Message("Hur många åtgärder hade första handlingsplanen?", "ask_amount")
    found = resolve(real_kb, msg)
    assert found.missing is None
    assert found.entry is not None and found.entry.id == "handlingsplan-1-smart-industri"


@pytest.mark.parametrize(
    "text, found",
    [("industriutlysningen 2016", {2016}), ("satsningen 2018–2020", {2018, 2019, 2020}), ("i fjol", set())],
)
def test_the_years_a_message_names(text: str, found: set[int]) -> None:
    from bot.actions.resolve import years

    assert years(text) == found


def test_two_things_named_together_get_both_questions(real_kb: KnowledgeBase) -> None:
    """ "X jämfört med Y i pengar, och vem fick söka?": both questions about both things."""
    msg = Message(
        "Hur stor var Smart industri i regionerna 1.0 jämfört med 2.0 i pengar, och vad ändrades i vem som "
        "fick söka?",
        "ask_amount",
    )
    found = resolve(real_kb, msg)
    asked = {(p.entry_id[-3:], p.field) for p in found.passages}
    assert asked == {(v, f) for v in ("1-0", "2-0") for f in ("amount", "who_can_apply")}


@pytest.mark.parametrize(
    "text, name",
    [
        ("I arkivet hittar jag bara fragment. Vad kunde man använda pengarna till?", None),
        ("Vad gäller för Klimatkivet?", "Klimatkivet"),
        # A capitalised word that starts a sentence is no name.
        ("Vi sökte pengar 2016. Kollegan som skrev ansökan har slutat. Vad fick pengarna gå till?", None),
    ],
)
def test_words_that_only_look_like_names_are_no_names(kb: KnowledgeBase, text: str, name: str | None) -> None:
    from bot.actions.resolve import unknown_name

    assert unknown_name(kb, text) == name


def test_a_name_in_a_long_story_is_not_what_is_asked(real_kb: KnowledgeBase) -> None:
    story = (
        "Jag har precis börjat som näringslivsutvecklare på ett regionförbund och min chef vill att jag "
        "sätter mig in i vad vi gjort kring industrin. I arkivet hittar jag en ansökan från hösten "
        "2016 där vi sökte pengar från Tillväxtverket, men projektbeskrivningen saknas. Kollegan som skrev "
        "den har gått i pension och flyttat till Spanien. Vad kunde man alls använda de pengarna till?"
    )
    assert resolve(real_kb, Message(story, "nlu_fallback")).unknown_name is None


TWO_PASSAGES = [
    # A strategy summary is a conclusion; its first paragraph says how to get there.
    (
        Message(
            "Hur ska jag tänka när jag väljer mellan en kontraktstillverkare i Sverige och en i Asien?",
            "ask_offshore_vs_sweden",
            ("legotillverkning",),
        ),
        ["tillverka-i-sverige-eller-utomlands:summary", "tillverka-i-sverige-eller-utomlands:body.1"],
        "frakt",
    ),
    # Two questions that each name one piece of advice get both, in the order asked.
    (
        Message(
            "Hur hittar jag en tillverkare för min produkt och vad ska jag jämföra när jag har flera "
            "offerter?",
            "ask_find_manufacturer",
        ),
        ["valja-tillverkare:summary", "offerter-fran-tillverkare:summary"],
        "styckpris",
    ),
    # "…? Och fanns det …?": the second question's own words find what answers it.
    (
        Message(
            "Vad betyder pilotserie? Och fanns det ett statligt uppdrag om att hitta svenska tillverkare för "
            "pilotserier?",
            "ask_entry",
            ("pilotserie",),
        ),
        ["pilotserie:summary", "valja-tillverkare:body.1"],
        "Tillväxtverket",
    ),
    # The same question about two things, the second named by a colloquial "-biten" ("the part about").
    (
        Message(
            "Hur mycket fick Tillväxtverket för tillverkningsuppdraget, och hur mycket för "
            "kompetensförsörjningsbiten?",
            "ask_amount",
        ),
        ["industrialiseringsuppdraget-2018:amount", "kompetensuppdraget-2018:amount"],
        "10 miljoner",
    ),
    # A date and a count of one thing, the parts joined by a hurried "o" ("och").
    (
        Message("första handlingsplanen, när kom den o hur många åtgärder", "ask_dates"),
        ["handlingsplan-1-smart-industri:dates", "handlingsplan-1-smart-industri:summary"],
        "45 åtgärder",
    ),
]


@pytest.mark.parametrize("vague", ["kompetensförsörjningsbiten", "kompetensförsörjningsgrejen"])
def test_a_compound_ending_in_the_part_of_is_about_its_first_part(real_kb: KnowledgeBase, vague: str) -> None:
    """ "-biten", "-grejen" only say "the part about": the compound is searched as its first part."""
    plain = [t.stems for t, _ in real_kb.weighted_terms("kompetensförsörjningen")]
    assert [t.stems for t, _ in real_kb.weighted_terms(vague)] == plain
    assert real_kb.unresolved(vague) == []


@pytest.mark.parametrize(
    "msg, expected, second_holds", TWO_PASSAGES, ids=[m.text[:60] for m, _, _ in TWO_PASSAGES]
)
def test_answers_of_two_passages(
    real_kb: KnowledgeBase, msg: Message, expected: list[str], second_holds: str
) -> None:
    found = resolve(real_kb, msg)
    assert [f"{p.entry_id}:{p.key}" for p in found.passages] == expected
    assert second_holds in found.passages[1].text


def test_a_dates_note_keeps_the_sentences_asked_about(real_kb: KnowledgeBase) -> None:
    """The listed dates always show; of their note only what the question asks about ("slutrapporterade"),
    while "Läs mer" keeps the whole note."""
    entry = real_kb.get("regional-utlysning-2016")
    msg = Message("När skulle projekten i utlysningen 2016 vara slutrapporterade?", "ask_dates")
    found = resolve(real_kb, msg)
    dates = found.passages[0]
    assert dates.field == "dates" and "30 mars 2017" in dates.text
    assert len(dates.text) < len(entry.dates_note)
    whole = resolve(real_kb, Message("läs mer", "read_more", current=entry.id))
    assert entry.dates_note in [p.text for p in whole.passages]


def test_a_dates_note_stays_whole_when_no_sentence_is_asked_about(real_kb: KnowledgeBase) -> None:
    entry = real_kb.get("regional-utlysning-2016")
    found = resolve(real_kb, Message("och när då?", "ask_dates", current=entry.id))
    assert found.passages[0].field == "dates" and found.passages[0].text == entry.dates_note


def test_a_sentence_that_points_back_keeps_the_one_it_points_to(real_kb: KnowledgeBase) -> None:
    """ "Det gäller också … hemma i köket" holds the question's words; the rule it extends stays with it."""
    passage = next(p for p in real_kb.get("kosmetika").passages if "hemma i köket" in p.text)
    sentences = SENTENCE_SPLIT.split(passage.text)
    index = next(i for i, s in enumerate(sentences) if "hemma i köket" in s)
    terms = real_kb.weighted_terms("får man göra det hemma i köket?")
    # Room for the pointing sentence only.
    found = focus(real_kb, passage, terms, limit=len(sentences[index]) + 2)
    assert found.text.startswith(sentences[index - 1]) and sentences[index] in found.text


def test_most_of_a_title_said_names_its_entry_over_the_names_inside_it(real_kb: KnowledgeBase) -> None:
    """ "uppdraget att driva nyindustrialiseringsstrategin i regionerna" says most of the assignment's
    title; "Tillväxtverket" and "nyindustrialiseringsstrategin" (which the NLU also reads as entities) are
    names inside it, not the agency or the strategy asked about."""
    msg = Message(
        "Hur länge höll Tillväxtverket på med uppdraget att driva nyindustrialiseringsstrategin i "
        "regionerna?",
        "ask_dates",
        entities=("tillvaxtverket", "smart-industri"),
    )
    assert outcome(real_kb, msg) == "regionuppdraget-2016:dates"


@pytest.mark.parametrize(
    "msg",
    [
        Message("gäller FDA för min skärbräda i USA?", "ask_eligibility"),
        Message("måste vi rapportera till SCIP?", "ask_eligibility"),
        Message("får jag sälja skärbrädor i USA?", "ask_how_to_apply"),
    ],
    ids=lambda m: m.text,
)
def test_an_attribute_a_rule_has_no_place_for_is_not_said_to_be_missing(
    real_kb: KnowledgeBase, msg: Message
) -> None:
    """Who may apply, how to apply: no facts of a regulation, so their absence is not worth a note."""
    found = resolve(real_kb, msg)
    assert found.passages and found.missing is None
    assert all(real_kb.get(p.entry_id).kind == "regulation" for p in found.passages)  # type: ignore[union-attr]


def test_an_attribute_is_a_fact_of_what_can_be_applied_for(real_kb: KnowledgeBase) -> None:
    from bot.actions.resolve import takes_field

    rule, programme, actor = (real_kb.get(i) for i in ("leksaker", "smart-industri", "almi"))
    assert rule is not None and programme is not None and actor is not None
    assert not takes_field(rule, "who_can_apply") and not takes_field(rule, "amount")
    assert takes_field(programme, "who_can_apply") and takes_field(actor, "contact")
    assert takes_field(rule, "purpose")


@pytest.mark.parametrize(
    "text, name",
    [("Vad kostar Almis lån?", "almi"), ("hur kontaktar jag Almis?", "almi"), ("vad gör Almi?", "almi")],
)
def test_a_genitive_s_names_the_organisation(real_kb: KnowledgeBase, text: str, name: str) -> None:
    from bot.actions.resolve import named_entries

    assert name in {e.id for e in named_entries(real_kb, text)}


def test_said_stems_read_a_genitive_after_a_vowel() -> None:
    """Snowball leaves "almis" as it is ("vinnovas" it stems): the stem without the "s" is said too."""
    from bot.actions.resolve import said_stems
    from bot.swedish import content_stems

    assert {"almis", "almi"} <= said_stems("Almis lån")
    assert said_stems("lånet kostar") == set(content_stems("lånet kostar"))


@pytest.mark.parametrize(
    "text, name",
    [
        # A capitalised name ending in a kind of support is unknown though each word is known.
        ("Berätta om Swedish Reshoring Fund som startade 2024? Vem kan söka?", "Swedish Reshoring Fund"),
        ("berätta om EU:s Reshoring Sweden Grant för småföretag", "Reshoring Sweden Grant"),
        # "hur mycket ger …" asks about support: a lower-case check name is a name.
        ("hur mycket ger region skånes prototypcheck och när stänger den?", "prototypcheck"),
        # A capitalised name after the kind of thing it is: unknown unless an entry's name holds all of it.
        ("Vad är maxbeloppet i Vinnovas utlysning Från prototyp till fabrik?", "Från prototyp till fabrik"),
        ("Vi vill söka enligt utlysningen Tillverkning i Sverige. Hur gör vi?", None),
        ("Är utlysningen Smart industri i regionerna 2.0 öppen?", None),
        # Names the knowledge base holds are known.
        ("Vad är Swedish Incubators & Science Parks?", None),
        ("hur mycket ger robotlyftet?", None),
        ("Hur mycket kan man få i Almis innovationslån?", None),
    ],
)
def test_unknown_support_names(real_kb: KnowledgeBase, text: str, name: str | None) -> None:
    from bot.actions.resolve import unknown_name

    assert unknown_name(real_kb, text) == name


def test_a_second_question_after_och_and_an_adverb_is_answered(real_kb: KnowledgeBase) -> None:
    msg = Message(
        "Hur mycket fick regionerna söka i utlysningen hösten 2016, och senast när skulle besluten komma?",
        "ask_amount",
    )
    found = resolve(real_kb, msg)
    assert [p.field for p in found.passages] == ["amount", "dates"]


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("vilket stöd finns för automation?", True),
        ("vem kan hjälpa mig med en prototyp?", True),
        ("hur mycket kan man få?", True),
        ("Hur viktig är industrin egentligen för svensk export, finns det någon siffra?", False),
        ("vad är en nollserie?", False),
    ],
)
def test_which_messages_ask_for_support(text: str, asks: bool) -> None:
    from bot.actions.resolve import asks_for_support

    assert asks_for_support(text) is asks


def test_first_and_the_other_asked_in_two_questions_are_two_things(real_kb: KnowledgeBase) -> None:
    msg = Message(
        "hur många åtgärder hade första handlingsplanen, och hur många kom i den andra?", "ask_entry"
    )
    found = resolve(real_kb, msg)
    assert [p.entry_id for p in found.passages] == [
        "handlingsplan-1-smart-industri",
        "handlingsplan-2-smart-industri",
    ]


def test_a_compound_typed_as_two_words_names_its_entry(real_kb: KnowledgeBase) -> None:
    """ "tillverknings uppdraget" is joined (it names an entry); "produktions kostnad" is left as typed."""
    assert real_kb.joined("om tillverknings uppdraget") == "om tillverkningsuppdraget"
    assert real_kb.joined("min produktions kostnad") == "min produktions kostnad"


def test_a_department_asked_for_meets_the_department_a_passage_names(real_kb: KnowledgeBase) -> None:
    """ "vilket departement …?" is answered by the passage that names Näringsdepartementet: the stemmer leaves
    the compound's last part inflected, and a rare last part still counts."""
    msg = Message(
        "till vilket departement skulle rapporten om tillverknings uppdraget lamnas?", "nlu_fallback"
    )
    found = resolve(real_kb, msg)
    assert found.entry is not None and found.entry.id == "industrialiseringsuppdraget-2018"
    assert "Näringsdepartementet" in found.passages[0].text


def test_how_to_go_about_it_gets_the_steps(real_kb: KnowledgeBase) -> None:
    """ "hur går man tillväga?" asks for the steps (the concept table: "tillväga" -> "steg")."""
    found = resolve(real_kb, Message("Måste en leksak CE-märkas, och hur går man tillväga?", "nlu_fallback"))
    assert any("steg" in p.text for p in found.passages[1:])


# Rules for a product type asked as a whole ("vilka regler gäller …"), with the product in the clause after
# the head: the regulation's summary given whole (what the rules require), then the paragraph that matched.
WHOLE_RULES = [
    (
        Message("Vilka EU-krav gäller om vi ska börja sälja en leksaksbil av trä?", "ask_eligibility"),
        "leksaker",
    ),
    (Message("Vilka EU-regler gäller för leksaker?", "ask_entry"), "leksaker"),
    (Message("Vilka EU-regler gäller för maskiner?", "ask_entry"), "maskiner"),
    # The entry on who the manufacturer is names machine lines, not machines as such: it must not take
    # a question on the machinery rules as a whole.
    (Message("Vilka regler gäller för maskiner i EU?", "ask_entry"), "maskiner"),
]


@pytest.mark.parametrize("msg, entry_id", WHOLE_RULES, ids=[m.text[:60] for m, _ in WHOLE_RULES])
def test_which_rules_apply_gets_what_the_rules_require(
    real_kb: KnowledgeBase, msg: Message, entry_id: str
) -> None:
    found = resolve(real_kb, msg)
    keys = [f"{p.entry_id}:{p.key}" for p in found.passages]
    assert keys[0] == f"{entry_id}:summary" and len(keys) == 2
    entry = real_kb.get(entry_id)
    assert entry is not None and found.passages[0].text == entry.passages[0].text
    assert all(p.field != "dates" for p in found.passages)


def test_a_note_without_dates_answers_no_question_about_something_else(real_kb: KnowledgeBase) -> None:
    """An advice entry's dates passage only says when it was compiled: "när ska man beställa det?" asks at
    which stage, so no such note (of another advice entry that shares "beställa") is a part of the answer."""
    found = resolve(
        real_kb, Message("Vem äger verktyget och när ska man beställa det?", "ask_production_stages")
    )
    assert found.passages and all(p.field != "dates" for p in found.passages)


def test_an_english_question_finds_its_swedish_passage(real_kb: KnowledgeBase) -> None:
    """The English glossary turns "mapping", "validation", "meant for" into the entries' Swedish words."""
    msg = Message("Which companies was the validation and mapping support meant for?", "nlu_fallback")
    assert outcome(real_kb, msg) == "stod-kompetenskartlaggning-validering:who_can_apply"


def test_who_was_it_that_could_apply_asks_who_may_apply() -> None:
    from bot.actions.resolve import asked_field

    assert asked_field("Kunde alla söka, eller vilka var det som fick söka?") == "who_can_apply"
    assert asked_field("Vem är det som kan söka lånet?") == "who_can_apply"


# Two-part questions whose parts each name their own fact (prec24): a preposition before the second question
# word, conditions a financier set ("vilka krav hade X för …"), a user's word for working together.
BOTH_PARTS = [
    # "och på hur mycket": without the preposition in CONJUNCTION only the conditions were answered.
    (
        Message("Vi har 8 anställda. Får vi söka en affärsutvecklingscheck, och på hur mycket i så fall?"),
        ["affarsutvecklingscheckar:who_can_apply", "affarsutvecklingscheckar:amount"],
    ),
    # "Vilka villkor ställde Almi för …": the conditions are who may apply, beside the amount.
    (
        Message(
            "Vilka villkor ställde Almi för innovationslånet, och hur mycket kunde man låna?", "ask_amount"
        ),
        ["almi-innovationslan:who_can_apply", "almi-innovationslan:amount"],
    ),
    # "samverkade" finds the paragraph that says "tillsammans med" (knowledge/concepts.yml).
    (
        Message(
            "Vilken budget hade stödet till kompetenskartläggning och validering,"
            " och med vilka samverkade man?"
        ),
        ["stod-kompetenskartlaggning-validering:amount", "stod-kompetenskartlaggning-validering:summary"],
    ),
]


@pytest.mark.parametrize("msg, expected", BOTH_PARTS, ids=[m.text[:50] for m, _ in BOTH_PARTS])
def test_each_part_of_a_two_part_question_gets_its_fact(
    real_kb: KnowledgeBase, msg: Message, expected: list[str]
) -> None:
    found = resolve(real_kb, msg)
    assert [f"{p.entry_id}:{p.key}" for p in found.passages] == expected


@pytest.mark.parametrize(
    "text, field",
    [
        ("Vilka krav hade Vinnova för projekten?", "who_can_apply"),
        ("vad är villkoren för att få checken?", "who_can_apply"),
        # A product's rules are no financier's conditions.
        ("Vilka krav gäller för elektriska leksaker?", None),
        ("vilka krav ställs på en stol för offentlig miljö?", None),
    ],
)
def test_a_financiers_conditions_are_who_may_apply(text: str, field: str | None) -> None:
    from bot.actions.resolve import asked_field

    assert asked_field(text) == field


@pytest.mark.parametrize(
    "msg",
    [
        Message("Who owns Almi, and what does it do?", "ask_contact"),
        Message("vem äger Almi egentligen?", "ask_contact"),
        Message("vilka står bakom Almi?", "ask_eligibility"),
    ],
    ids=lambda m: m.text,
)
def test_who_owns_or_is_behind_an_actor_is_what_it_is(real_kb: KnowledgeBase, msg: Message) -> None:
    """Not its contact line (the NLU's reading), nor who may apply: the entry's own text says who owns it."""
    assert [f"{p.entry_id}:{p.key}" for p in resolve(real_kb, msg).passages][:1] == ["almi:summary"]


@pytest.mark.parametrize(
    "text, name",
    [
        ("Någon sa att Almi har ett Flyttstartslån för dem som flyttar hem. Stämmer det?", "Flyttstartslån"),
        ("Finns det ett Omställningslån hos Almi?", "Omställningslån"),
        # A known loan is known, and a capitalised plan is no loan.
        ("Hur mycket kan man låna i Almis Innovationslån?", None),
        ("Vad stod det i Handlingsplan för smart industri?", None),
    ],
)
def test_a_loan_named_like_a_programme_is_unknown_unless_an_entry_has_it(
    real_kb: KnowledgeBase, text: str, name: str | None
) -> None:
    from bot.actions.resolve import unknown_name

    assert unknown_name(real_kb, text) == name
