"""Proposals and urgent risks in a follow-up after a recommendation (persona round 14b).

- A path the user proposes ("Borde vi inte ta det i Kina när vi ska upp i 10 000?", "Vi funderar på en egen
  kantpress för miljonen – klokt?", "Varför inte Sverige med robotsvets?") is weighed against the user's own
  answers: the advisor rules' reasons against that path (`bot.advisor.weigh`), when it would fit better, and
  that the recommendation stands; not the recommendation repeated, nor "inget säkert svar".
- A deadline shorter than a change of maker ("lagret tar slut om tre månader – sista order hos den vi har?")
  is named as a risk with the bridging order, when the recommendation means a new maker.
- "Måste jag sluta sälja?" about a product sold without what its rules demand gets the honest answer: the
  rules apply to what is sold now, and the product's own rule says what must be in place before a sale.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.resolve import Resolution
from bot.actions.texts import Texts
from bot.advisor import recommend, weigh
from bot.advisor.engine import compare
from bot.advisor.profile import format_number
from bot.kb.store import KnowledgeBase
from bot.swedish import fold

# A sentence that puts a path forward or asks whether one is wiser (folded): "borde vi inte", "är det klokt",
# "lönar det sig att", "varför inte", "funderar på". "Finns det bidrag för en svetsrobot?" proposes nothing.
PROPOSES = re.compile(
    r"\b(borde (vi|jag)|bor (vi|jag)|ar det (inte )?(smart\w*|klok\w*|battre|billigare|vart|rimlig\w*)"
    r"|vore det|lonar det sig att|varfor inte|funderar pa|overvager|tanker (pa|att)|ska (vi|jag) inte"
    r"|kan (vi|jag) inte"
    # "Vad skulle få Kina att bli rätt för oss?", "när passar Asien?": when the path would win (round 24).
    r"|vad skulle (fa|gora)|nar (skulle|blir|passar|lonar)"
    # "Kan vi tillverka i Sverige med automation vid 25 000 st?" asks for a judgement of a path, not a text on
    # automation (persona round 21: the decision question was left unanswered).
    r"|kan (vi|jag) (tillverka|producera|gora|bygga) (det|dem|den|dom|allt|den har|produkten|\w+erna)?\s*"
    r"(\w+\s+){0,3}(i sverige|har hemma|sjalva?|med \w*(automat|robot)\w*)"
    # "Ska vi köpa egen fiberlaser och kantpress för 7 miljoner?", "är det rätt att lägga 7 mille på …",
    # "ska jag hyra en egen lokal …?" (round 17, p04 got the moving of moulds twice, p09 automation).
    r"|ska (vi|jag) (hellre |istallet |inte )?(kopa|investera|satsa|hyra|skaffa|bygga upp)|ar det ratt"
    # "kan jag hyra en egen lokal istället?" (round 19, p09 got Teknikcollege's "lokala").
    r"|kan (vi|jag) (hellre |istallet )?(hyra|skaffa|bygga upp|ordna) (en |ett )?(egen|eget|egna)\b)\b"
)
# A question that asks to choose between what it names (folded): "X eller Y", "vilket är bäst", "X än Y".
CHOOSES = re.compile(
    r"\beller\b|\bvilke[nt]\b[^?]{0,30}\b(bast|battre|billigast|smartast)\b|\b(battre|billigare)\b[^?]{0,60}\ban\b"
)
# Places a product can be made, by the path they stand for (folded); `followup.PLACES` adds the rest.
ASIA_PLACES = ("kina", "asien", "indien", "vietnam", "taiwan")
NEARSHORE_PLACES = ("polen", "baltikum", "estland", "lettland", "litauen", "osteuropa")
# The paths a proposal names (folded), checked in this order: "Varför inte i Sverige med robotsvets?" proposes
# automation at home, not a Swedish contract manufacturer.
PROPOSED_PATHS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("automation_home", re.compile(r"\b(\w*robot\w*|\w*kobot\w*|automat\w*)\b")),
    (
        "in_house",
        re.compile(
            r"\b(egen|egna)\s+(\w+\s+)?(kantpress\w*|maskin\w*|svets\w*|fabrik\w*|lina|linje|\w*laser\w*|press\w*"
            r"|lokal\w*|verkstad\w*)"
            # "eget labb eller legotillverkare?", "en egen verkstad" (persona rounds 23/24: the choice was
            # left unanswered).
            r"|\beget\s+(\w+\s+)?(labb?\w*|lab|laboratori\w*|tillverkning\w*)\b"
            r"|\bhyra (en |ett )?(egen |eget |liten |litet |storre )*(lokal\w*|verkstad\w*|labb?\w*)"
            r"|\begen hyrd lokal"
            r"|\binvestera i egn?a?\b|\bkopa (en )?egen\b"
            # "Kan vi inte montera själva?" (round 15b, p06 got a text on electrical cabinets twice).
            # "… tillverka enligt GMP själv", "göra krämerna själv" (round 17, p09).
            r"|\b(montera|tillverka|producera|bygga|gora)\b(\s+\w+){0,2}\s+sjalva?\b"
            r"|\bgora (slut)?(monteringen|tillverkningen|produktionen)\s+sjalva\b"
        ),
    ),
    ("asia_contract", re.compile(rf"\b({'|'.join(ASIA_PLACES)})\b")),
    ("nearshore_europe", re.compile(rf"\b({'|'.join(NEARSHORE_PLACES)})\b")),
    ("swedish_contract", re.compile(r"\b(legotillverk\w*|svensk (lego|kontrakts)\w*)\b")),
)
# Paths that mean a new maker for a product that is already made: a deadline can fall before the first
# delivery from it.
NEW_MAKER = frozenset({"swedish_contract", "nearshore_europe", "asia_contract", "hybrid"})
# A deadline in the user's situation set against a change of maker (folded): stock running out, a last order
# with the current maker, whether a change is in time.
BRIDGING = re.compile(
    r"\blager\w*\b[^?.]{0,30}\b(tar slut|racker|ar slut)|\bslut (i|pa) lager\b|\bsta utan (lager|varor)\b"
    r"|\bsista (order\w*|omgang\w*|bestallning\w*|sats\w*)\b|\boverbrygg\w*"
    r"|\bhinner (vi|jag) (byta|flytta|starta|fa igang)\b"
)
# "Måste jag sluta sälja?", "får jag fortsätta sälja medan …?" (folded).
# So does a product sold already ("jag säljer ju redan från köket – gäller det mig nu?", "har sålt 150 burkar
# utan att anmäla"; round 15b, p09 got a text on depending on one supplier).
STOP_SELLING = re.compile(
    r"\b(sluta salja|slutar salja|fortsatta (att )?salja|fortsatter salja|salja vidare"
    r"|pausa forsaljning\w*|saljer (ju |nu )*redan|redan (nu )?saljer|har (redan |ju )*salt"
    # "burkarna jag sålt hittills", "vi sålde ett par hundra förra året" (round 16, p09).
    r"|(jag|vi) (har )?(redan |ju )*(salt|salde))\b"
)
# A rule's paragraphs on what must be in place on the market (folded: "ska" and "innan" or "marknaden"): they
# answer "måste jag sluta sälja?" (for cosmetics the notification to CPNP and the safety report).
BEFORE_SALE = (re.compile(r"\bska\b"), re.compile(r"\b(innan|marknaden)\b"))
# How many of those paragraphs answer: the notification and the safety report for cosmetics.
BEFORE_SALE_PASSAGES = 2


# Places that set two ways against each other ("bättre i Kina än i Sverige", "Kina eller Polen"): a question
# that names two is a comparison, answered with the recommendation's reasoning, not one proposal weighed.
PLACE_PATHS = frozenset({"asia_contract", "nearshore_europe", "swedish_contract"})
HOME = re.compile(r"\b(sverige|har hemma)\b")
# Moving something home (folded): "ta hem dem", "flytta hem formarna", "hemflytten". The place it comes from
# ("verktygen i Kina") is no path put forward (round 16, p06 got "Kontraktstillverkning i Asien" weighed).
MOVING_HOME = re.compile(
    r"\b(ta|tar|flytta\w*|hamta\w*|skeppa\w*|frakta\w*)\s+(\w+\s+){0,2}hem\b|\bhemflytt\w*"
)
FROM_AWAY = frozenset({"asia_contract", "nearshore_europe"})
# An investment put forward (folded): buying machines or renting premises of one's own. It is weighed even
# when the recommendation is to build on one's own production: "Bygg vidare på er egen produktion" does not
# say that 7 MSEK in a fibre laser pays (round 17, p04).
INVESTS = re.compile(
    r"\b(kopa|kop|investera\w*|satsa|hyr\w*|skaffa|egen (hyrd )?lokal"
    r"|lagga \d[\d ,]*\s*(mille|milj\w*|mkr)"
    # "en egen fiberlaser och kantpress för 4,5 miljoner … lönar det sig?" (persona round 24).
    r"|for \d[\d ,]*\s*(mille|milj\w*|mkr|msek|kr|kronor)|lonar (det|den|de) sig)\b"
)
# The hours a year the user expects an investment to run (folded): "300 timmar om året", "300 h/år".
HOURS_A_YEAR = re.compile(r"\b(\d[\d ]*)\s*(timmar|tim|h)\s*(om|per|/|i)\s*(aret|ar)\b")
# "Vad blir billigast vid 20 000 st?" (folded): the cheapest way at a volume the user names, which the rules'
# scoring answers with that volume and low cost as what decides (persona round 24 got a text on quotes).
CHEAPEST = re.compile(r"\b(billigast\w*|lagst (kostnad|pris|styckpris)|lagsta (kostnad|pris|styckpris)\w*)\b")
VOLUME_SAID = re.compile(r"\b(\d{1,3}(?: \d{3})+|\d+)\s*(st|stycken|enheter|ex|om aret|per ar|i aret)\b")
# How many of the recommendation's caveats go with a proposal that agrees with it (the first one is on
# capital and load for own production).
AGREES_CAVEATS = 1


def proposed_path(text: str) -> str | None:
    """The path a follow-up proposes (a category id), or None when it proposes none or compares two places."""
    folded = fold(text)
    if not PROPOSES.search(folded):
        return None
    named = [path for path, words in PROPOSED_PATHS if words.search(folded)]
    if MOVING_HOME.search(folded):
        named = [path for path in named if path not in FROM_AWAY]
    if not named:
        return None
    places = {path for path in named if path in PLACE_PATHS} | ({"home"} if HOME.search(folded) else set())
    if named[0] in PLACE_PATHS and len(places) > 1:
        return None
    return named[0]


def choice_paths(text: str) -> list[str]:
    """The two paths a question sets against each other ("eget labb eller legotillverkare?", "är det bättre
    med egen verkstad än en legotillverkare?"), in the order named; [] when it names fewer or more, or asks no
    choice."""
    folded = fold(text)
    if not (PROPOSES.search(folded) or CHOOSES.search(folded)):
        return []
    hits = {path: hit for path, words in PROPOSED_PATHS if (hit := words.search(folded))}
    if MOVING_HOME.search(folded):
        hits = {path: hit for path, hit in hits.items() if path not in FROM_AWAY}
    if _one_proposal(hits):
        return []
    return sorted(hits, key=lambda path: hits[path].start()) if len(hits) == 2 else []


def _one_proposal(hits: Mapping[str, re.Match[str]]) -> bool:
    """Whether the automation word lies inside the own-production phrase: "en egen robotiserad fabrik" is one
    proposal (own automated production), not a choice between automation and own production (persona round 31:
    "dina svar talar för Automatisera …" set against "egen produktion" for a company without production)."""
    auto, own = hits.get("automation_home"), hits.get("in_house")
    return bool(auto and own and own.start() <= auto.start() and auto.end() <= own.end())


def weighs(text: str, path: str | None, advice: Any) -> bool:
    """Whether a follow-up puts forward a path to weigh: another than the recommended one, or an investment
    in the recommended own production."""
    if path is None:
        return False
    return path != advice.category or (path == "in_house" and bool(INVESTS.search(fold(text))))


def proposal_text(
    texts: Texts, advice: Any, profile: Mapping[str, object], path: str, question: str = ""
) -> str:
    """The proposal weighed: the answers that count against it, when it would fit, an unanswered question that
    could turn it, and that the advice stands; for an investment in the recommended path, the answers that
    speak for it, what it demands and, with the hours a year the `question` names, how to weigh them."""
    t = advice.texts
    if path == advice.category:
        lines = [texts.get("utter_followup_proposal_agrees", title=advice.title)]
        lines += [texts.get("utter_followup_bullet", text=why) for why in advice.reasons]
        lines += [texts.get("utter_followup_bullet", text=c) for c in advice.caveats[:AGREES_CAVEATS]]
        hours = HOURS_A_YEAR.search(fold(question))
        if hours and INVESTS.search(fold(question)):
            lines.append(t["investment_hours"].format(hours=" ".join(hours[1].split())))
        return "\n".join(lines)
    weighing = weigh(profile, path)
    lines = [texts.get("utter_followup_proposal", title=weighing.title)]
    lines += [texts.get("utter_followup_bullet", text=why) for why in weighing.against]
    if weighing.when:
        lines.append(texts.get("utter_followup_proposal_when", when=weighing.when))
    deciding = compare(profile, advice.category, path).deciding
    if deciding:
        lines.append(t["choice_deciding"].format(question=deciding))
    lines.append(texts.get("utter_followup_proposal_stands", title=advice.title))
    return "\n".join(lines)


def choice_text(texts: Texts, advice: Any, profile: Mapping[str, object], paths: list[str]) -> str:
    """Two paths set against each other, decided by the rules' scoring of the user's answers: the one they
    favour and why, the other and why not (or when it fits), the unanswered question that could turn it, and
    the recommendation when it is neither (`bot.advisor.engine.compare`; the profile is not changed)."""
    t = advice.texts
    choice = compare(profile, paths[0], paths[1])
    # Neither is the advice: say so first, not "dina svar talar för" a path the advice then sets aside
    # (persona round 31).
    heading = "choice_heading" if advice.category in paths else "choice_heading_neither"
    lines = [t[heading].format(title=choice.title, other=choice.other_title, advice=advice.title)]
    lines += [t["bullet"].format(text=why) for why in choice.reasons]
    if choice.against:
        lines.append(t["choice_against"].format(title=choice.other_title))
        lines += [t["bullet"].format(text=why) for why in choice.against]
    elif choice.when:
        lines.append(t["choice_when"].format(title=choice.other_title, when=choice.when))
    if choice.deciding:
        lines.append(t["choice_deciding"].format(question=choice.deciding))
    if advice.category not in paths:
        lines.append(texts.get("utter_followup_proposal_stands", title=advice.title))
    return "\n".join(lines)


def bridging_risk(text: str, advice: Any) -> bool:
    """Whether a follow-up sets a deadline against a change of maker that the recommendation means."""
    return advice.category in NEW_MAKER and bool(BRIDGING.search(fold(text)))


def before_sale(kb: KnowledgeBase, text: str, advice: Any) -> Resolution | None:
    """For "måste jag sluta sälja?": the first own rule's paragraphs on what must be in place before a sale;
    None when the question is no such question or the product has no rule that says."""
    if not STOP_SELLING.search(fold(text)):
        return None
    for item in advice.regulations:
        entry = kb.get(item.id)
        if entry is None:
            continue
        body = [p for p in entry.passages if p.field == "body"]
        passages = [p for p in body if all(rx.search(fold(p.text)) for rx in BEFORE_SALE)]
        if passages:
            return Resolution(passages=passages[:BEFORE_SALE_PASSAGES], entries=[entry])
    return None


def send_bridging(dispatcher: CollectingDispatcher, texts: Texts) -> list[EventType]:
    """Name the deadline risk and the bridging order."""
    dispatcher.utter_message(text=texts.get("utter_followup_bridging"))
    return []


def cheapest_at(text: str) -> int | None:
    """The volume a year a question asks the cheapest way for ("vad blir billigast vid 20 000?"), or None."""
    folded = fold(text)
    said = VOLUME_SAID.search(folded) if CHEAPEST.search(folded) else None
    return int(said[1].replace(" ", "")) if said else None


def cheapest_text(advice: Any, profile: Mapping[str, object], volume: int) -> str:
    """The path the rules favour at `volume` a year with low cost as what decides, why, and the runner-up with
    why not; the user's own answers (and so the recommendation) are not changed."""
    t = advice.texts
    changed = recommend({**profile, "volume": volume, "priorities": ["cost"]})
    shown = format_number(volume)
    lines = [t["cheapest_heading"].format(volume=shown, title=changed.title)]
    lines += [t["bullet"].format(text=why) for why in changed.reasons]
    if changed.alternative_text:
        lines.append(changed.alternative_text)
    lines.append(t["cheapest_kept"].format(title=advice.title, volume=shown))
    return "\n".join(lines)
