"""Verdict questions about a product's rules (issue #10 point 4, #11 point 5; persona rounds 23–24b):
whether a notified body is needed, which risk class, whether type approval is required, whether a bought
module's approval covers the product, who is responsible. The verdict sentence of the product's own rule
answers, cited; with none, the answer says so first. Questions in our own words."""

from __future__ import annotations

from typing import Any

import pytest
from test_followup import reply, tracker

from bot.actions.answers import Answerer
from bot.actions.knowledge import ActionAnswerKb
from bot.actions.resolve import Message, resolve
from bot.actions.texts import Texts
from bot.actions.verdicts import TOPICS, asked_topic, verdict
from bot.kb import KnowledgeBase
from bot.swedish import fold


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Måste pumpen granskas av ett anmält organ?", "notified_body"),
        ("kan vi självdeklarera radiodelen utan anmält organ?", "notified_body"),
        ("vilken riskklass hamnar vår stimulator i?", "risk_class"),
        ("så IIb alltså?", "risk_class"),
        ("måste sparkcykeln typgodkännas?", "type_approval"),
        ("räcker det att wifimodulen har FCC ID?", "bought_module"),
        ("vem ansvarar för CE när linjen byggs ihop?", "responsible"),
        # Whether CE-marked parts make the product compliant (issue #11); an FCC ID stays the US rule.
        ("Transformatorn och kretskortet är redan CE-märkta, räcker det för hela fläkten?", "ce_parts"),
        ("Blir värmaren godkänd om wifi-modulen i den är CE-märkt?", "ce_parts"),
        ("räcker FCC ID:t på bluetoothmodulen?", "bought_module"),
        # Who is the manufacturer: own brand, bought installations.
        ("Vi låter en fabrik i Vietnam sy väskorna med vår etikett, är vi då tillverkare?", "responsible"),
        ("Leverantören bygger packlinjen åt oss, är det de eller vi som CE-märker?", "responsible"),
        # The contract manufacturer's quality system, the German registration.
        ("Legotillverkaren har ISO 13485, räcker det för oss?", "own_qms"),
        ("Om en tysk grossist säljer våra laddare, vem ska registrera dem?", "registration"),
        # Registering in Sweden is no question of who registers abroad.
        ("måste vi registrera oss hos Naturvårdsverket?", None),
        # No verdict asked: how long, how much, what it is.
        ("hur lång tid tar ett anmält organ på sig?", None),
        ("vad kostar ett anmält organ?", None),
        ("vad är ett typgodkännande?", None),
    ],
)
def test_the_verdict_a_question_asks_for_is_recognised(text: str, topic: str | None) -> None:
    found = asked_topic(text)
    assert (found.name if found else None) == topic


@pytest.mark.parametrize(
    ("question", "entry", "holds"),
    [
        # A machine outside the high-risk list: no notified body, the maker assesses it itself.
        (
            "krävs ett anmält organ för en vedklyv som vi svetsar ihop själva?",
            "maskiner",
            ["bilaga IV", "själv"],
        ),
        # RED: own assessment when harmonised standards are applied in full.
        ("behöver en fuktgivare med LoRa ett anmält organ enligt RED?", "radioutrustning-red", ["modul A"]),
        # Cybersecurity: standards harmonised with restrictions.
        (
            "kräver cybersäkerhetskraven ett anmält organ för vår wifi-termostat?",
            "radioutrustning-red",
            ["18031"],
        ),
        # MDR rule 9: an active therapeutic device is class IIa, not class I.
        ("är en TENS-apparat mot ryggvärk klass I?", "medicinteknik-mdr", ["IIa"]),
        # A pedal bike assisting above 25 km/h is no bicycle and needs type approval.
        ("måste vår elcykel som hjälper till i 45 km/h typgodkännas?", "elcyklar-och-mopeder", ["168/2013"]),
        # A certified radio module covers the radio, not the whole product.
        ("räcker radiomodulens FCC ID för hela högtalaren i USA?", "export-utanfor-eu", ["subpart B"]),
        # Who integrates a robot cell is its manufacturer.
        (
            "vem blir tillverkare när en robotcell med kobot byggs in hos oss?",
            "maskiner",
            ["systemets tillverkare"],
        ),
    ],
)
def test_a_verdict_question_gets_the_sentence_of_its_own_rule_that_states_it(
    shipped_kb: KnowledgeBase, question: str, entry: str, holds: list[str]
) -> None:
    found = resolve(shipped_kb, Message(text=question))
    assert found.entry is not None and found.entry.id == entry
    text = " ".join(p.text for p in found.passages)
    assert all(word in text for word in holds), text
    # The verdict and one supporting sentence, not the whole paragraph.
    assert text.count(". ") <= 2


def test_a_neighbouring_sentence_is_no_verdict(shipped_kb: KnowledgeBase) -> None:
    # The machine rules' sentence on part A of the new regulation mentions notified bodies, but is no
    # verdict on a log splitter.
    found = verdict(shipped_kb, "behöver vedklyven ett anmält organ?")
    assert found is not None and found.passages
    assert "del A" not in found.passages[0].text


def test_without_a_verdict_for_the_product_the_answer_says_so_first(
    shipped_kb: KnowledgeBase, domain: dict[str, Any]
) -> None:
    found = resolve(shipped_kb, Message(text="behöver en bordslampa ett anmält organ?"))
    assert found.missing == "verdict_notified_body"
    answer = Answerer(Texts(domain), shipped_kb, __import__("datetime").date(2026, 11, 27))
    text = answer.compose(found, "ask_entry", question="behöver en bordslampa ett anmält organ?").text
    assert text.startswith("Det besked du frågar efter, om ett anmält organ behövs, har jag inte")


LOG_SPLITTERS = {
    "situation": "new_product",
    "stage": "prototype",
    "product_type": ["log_splitter", "machinery"],
    "capability": "full",
    "volume": 150,
    "markets": ["sweden", "nordics"],
    "company": "sme",
    "capital": 1_000_000,
    "priorities": ["quality"],
}
KNEE_BRACE = {
    **LOG_SPLITTERS,
    "product_type": ["active_therapy", "medtech", "electronics"],
    "capability": "none",
}
CARGO_BIKES = {**LOG_SPLITTERS, "product_type": ["light_vehicle", "electronics", "cargo_bike"]}
RADIO_SENSORS = {
    **LOG_SPLITTERS,
    "product_type": ["battery", "electronics", "monitoring", "radio"],
    "markets": ["eu"],
}


@pytest.mark.parametrize(
    ("profile", "question", "must", "must_not"),
    [
        # The product comes from the consultation: "klyven" alone names no product.
        (
            LOG_SPLITTERS,
            "Måste klyven granskas av ett anmält organ innan vi säljer den?",
            "bilaga IV",
            "del A",
        ),
        (KNEE_BRACE, "Den räknas väl som klass I så vi kan självcertifiera?", "IIa", "Klass I-produkter med"),
        (KNEE_BRACE, "så IIb alltså?", "potentiellt farligt", "Klass I-produkter med"),
        (CARGO_BIKES, "Måste versionen för 45 km/h typgodkännas?", "168/2013", "ADR"),
        # The directive as a whole, not the case of its cybersecurity requirements nor the general CE steps.
        (
            RADIO_SENSORS,
            "Krävs anmält organ för radiodirektivet, eller intygar vi själva?",
            "modul A",
            "sex steg",
        ),
        (RADIO_SENSORS, "Kräver kraven på cybersäkerhet ett anmält organ?", "18031", "sex steg"),
        # A CE-marked module does not make the product compliant: the EU rule, not the US one (issue #11).
        (
            RADIO_SENSORS,
            "Radiodelen är en köpt modul som redan är CE-märkt, räcker det?",
            "radiomodul räcker inte",
            "FCC",
        ),
    ],
)
def test_a_verdict_question_after_a_consultation_is_about_the_consulted_product(
    kb: KnowledgeBase,
    domain: dict[str, Any],
    profile: dict[str, Any],
    question: str,
    must: str,
    must_not: str,
) -> None:
    text = reply(ActionAnswerKb(), tracker(question, "ask_entry", profile), domain)
    assert must in text and must_not not in text, text
    assert "Källa:" in text


@pytest.mark.parametrize(
    ("sentence", "says"),
    [
        ("Sådana mätare får riskklass IIb enligt bilaga VIII.", True),
        ("Produkten klassas i klass III.", True),
        ("Riskklassen bestäms av tillverkarens avsedda ändamål.", False),
    ],
)
def test_a_sentence_naming_a_risk_class_states_the_verdict(sentence: str, says: bool) -> None:
    risk_class = next(t for t in TOPICS if t.name == "risk_class")
    assert bool(risk_class.says.search(fold(sentence))) is says


def test_the_risk_class_comes_from_the_rule_for_the_asked_kind_of_device(shipped_kb: KnowledgeBase) -> None:
    # The rule 9 paragraph ends on monitoring devices, but its verdict is on therapeutic ones: the rule 10
    # paragraph's verdict answers.
    found = verdict(shipped_kb, "vilken riskklass hamnar en aktiv produkt för övervakning i?")
    assert found is not None and found.passages
    assert found.passages[0].text.startswith("Regel 10"), found.passages[0].text


def test_a_self_certification_question_gets_when_the_route_is_open_first(shipped_kb: KnowledgeBase) -> None:
    # "spirometer" reads as a diagnostic device: whether it may be self-certified as class I is answered by
    # when self-certification is open at all (not with a measuring function), then the device's class.
    found = resolve(shipped_kb, Message(text="går det att självcertifiera en spirometer som klass I?"))
    assert len(found.passages) == 2
    assert "mätfunktion" in found.passages[0].text
    assert "IIa" in found.passages[1].text


MACHINE_BUILDER = {**LOG_SPLITTERS, "product_type": ["machinery"]}


def test_a_verdict_on_another_kind_of_product_yields_to_the_other_answers(shipped_kb: KnowledgeBase) -> None:
    # The robot cell paragraph says who is the manufacturer of a robot cell, not of sorting tables built into
    # a buyer's plant; asked about a robot cell, it answers. The tables get the general rule on assemblies of
    # machinery (whoever builds the assembly, or has it built, is its manufacturer).
    tables = "Våra sorteringsbord monteras ihop med köparens anläggning. Vem står för CE-märkningen då?"
    found = verdict(shipped_kb, tables, slots=MACHINE_BUILDER)
    assert found is not None and found.rule is not None and found.rule.id == "tillverkaransvar"
    assert "Robotceller" not in found.passages[0].text
    cell = verdict(shipped_kb, "vem blir tillverkare när vi bygger ihop en robotcell?", slots=MACHINE_BUILDER)
    assert cell is not None and cell.passages and "systemets tillverkare" in cell.passages[0].text


@pytest.mark.parametrize(
    ("question", "entry", "holds"),
    [
        (
            "Transformatorn och kretskortet är redan CE-märkta, räcker det för hela fläkten?",
            "tillverkaransvar",
            "räcker inte",
        ),
        (
            "Blir värmaren godkänd om wifi-modulen i den är CE-märkt?",
            "tillverkaransvar",
            "radiomodul räcker inte",
        ),
        (
            "Vi låter en fabrik i Vietnam sy väskorna med vår etikett, är vi då tillverkare?",
            "tillverkaransvar",
            "eget",
        ),
        (
            "Vi kopplar ihop tre maskiner till en linje med gemensam styrning, vem CE-märker helheten?",
            "tillverkaransvar",
            "helheten",
        ),
        (
            "Legotillverkaren har ISO 13485, räcker det för oss eller behövs ett eget kvalitetssystem?",
            "tillverkaransvar",
            "kvalitetsledningssystem",
        ),
        (
            "Om en tysk butikskedja säljer våra lampor, måste vi registrera oss där?",
            "producentregistrering-tyskland",
            "först erbjuder",
        ),
    ],
)
def test_who_is_the_manufacturer_is_answered_plainly_and_briefly(
    shipped_kb: KnowledgeBase, question: str, entry: str, holds: str
) -> None:
    found = verdict(shipped_kb, question)
    assert found is not None and found.rule is not None and found.rule.id == entry
    text = found.passages[0].text
    assert holds in text, text
    # The verdict first, short enough to read before the source line.
    assert len(text) <= 450, len(text)


def test_an_fcc_id_question_keeps_the_us_verdict(shipped_kb: KnowledgeBase) -> None:
    # The EU sentence on CE-marked radio modules is no answer to whether an FCC ID covers the product.
    found = verdict(
        shipped_kb, "Wifi-modulen har ett FCC ID redan. Räcker det för att sälja apparaten i USA?"
    )
    assert found is not None and found.passages and "FCC" in found.passages[0].text


@pytest.mark.parametrize(
    ("question", "holds"),
    [
        # The supplier of a machine another joins into a line learns what it delivers, not only who
        # marks the line.
        (
            "Vi säljer en pall-lyft som kunden monterar in i sin packlinje, vem CE-märker den?",
            "försäkran för inbyggnad",
        ),
        # The one who joins machines under one control is told it is the manufacturer, in that word.
        (
            "Vi bygger ihop två pressar och en matare till en linje med gemensam styrning, "
            "vem CE-märker den?",
            "tillverkare",
        ),
        # A contract manufacturer's certificate: the legal manufacturer's own quality system in plain words.
        (
            "Vår legotillverkare är certifierad enligt ISO 13485, "
            "räcker det eller måste vi ha ett eget kvalitetssystem?",
            "ska ha ett kvalitetsledningssystem",
        ),
    ],
)
def test_a_who_marks_it_verdict_says_what_the_asker_must_do(
    shipped_kb: KnowledgeBase, question: str, holds: str
) -> None:
    found = verdict(shipped_kb, question)
    assert found is not None and found.passages
    assert holds in found.passages[0].text, found.passages[0].text
