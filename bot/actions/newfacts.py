"""New facts and objections, told after the recommendation, update the advice.

A user who writes "lampan får förresten bluetooth och ett laddningsbart batteri" or "maskinerna är i kontakt
med maten" after the recommendation has told something the consultation did not know (round 11, p07 and
p04); one who writes "vi vill anlita en legotillverkare", "vi har fått in 5 miljoner" or "pallen ska vara
tillverkad i Sverige" objects to the advice's premise (persona rounds 18 and 18b: the advice stayed). The
statements of the message (its clauses that ask nothing) are read by the consultation's own parser for every
answer; readings that are doubtful after a recommendation are left out (a negation the parser did not read:
"inte direkt brist på folk"; a time or an IP word about something else: "föräldraledig i ett halvår") or, for
a number that may be misread, confirmed with the consultation's own "Jag uppfattade … – stämmer det?". A wish
for a way of making the product ("vill anlita en legotillverkare", "vill tillverka i Polen") is kept as
WANTED, which the engine follows when the answers rate that way about as well. The answers are updated, the
recommendation is given again for them, and the answer says briefly what changed: a new path and what decided
it, or that the advice stands and why, the rules that now apply too, and those that no longer do. The whole
recommendation stays behind the buttons. Questions in the same message are then answered from the new
recommendation (bot/actions/followup.py); a question ("borde vi inte lägga ut?") is a proposal that
bot/actions/proposal.py weighs, never a new answer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.proposal import ASIA_PLACES, NEARSHORE_PLACES
from bot.actions.texts import Texts
from bot.advisor import (
    ParseResult,
    affirms,
    describe_answers,
    load_questions,
    load_rules,
    parse_answer,
    recommend,
    slot_updates,
    weigh,
)
from bot.advisor.engine import WANTED, first_sentence, path_reasons
from bot.advisor.model import NUMBER_SLOTS
from bot.advisor.parsing.numbers import has_range
from bot.advisor.profile import bound_number, is_relevant, to_profile
from bot.kb.model import Passage
from bot.kb.store import KnowledgeBase
from bot.swedish import fold, in_question_form

# Where one statement of a message ends: a sentence end, a dash between clauses or a comma ("Det sitter ett
# litiumbatteri i, gäller det …?" states the battery before it asks).
CLAUSE_END = re.compile(r"(?<=[.!?])\s+|\s+[–—-]\s+|,\s+")
# Where a sentence ends: its clauses are read in turn (`tells`).
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# First words (folded) of a clause that tells no fact of the user's case: a condition or a supposed case ("Om
# vi lägger ut …", "ifall", "när", "Säg att vi köper en robotcell …", "Anta att …", "Tänk om …", "Förutsatt
# att …"), a dismissal ("Strunt samma med vågar"). "Säg att vi köper en robotcell, vem blir tillverkare?"
# set the goal to automating and changed the recommendation (issue #10/#11).
SUPPOSING = frozenset({"om", "ifall", "nar", "strunt", "sag", "anta", "antag", "tank", "forutsatt"})
# Conjunctions that open a clause: it tells only with its own subject after them ("Men vi har …", "så nu blir
# det …"), not as the topic of a question ("Och Norge då, …?").
CONJUNCTIONS = frozenset({"och", "men", "eller", "sa", "fast"})
# Subjects of a clause that tell about the user's own case (folded); "de" (others: "de är ju inte med i
# EU") is not one of them.
OWN_SUBJECTS = frozenset(
    {"jag", "vi", "det", "den", "man", "ni", "var", "vart", "vara", "min", "mitt", "mina", "nej", "ja"}
)
# Subjects that tell about others: a sentence that opens with one ("De är ju inte med i EU", about Norway) is
# no fact of the user's case in a message that asks, though it starts with a capital like a list's name
# (persona round 29b, p10: "Och Norge då? De är ju inte med i EU …" took the EU out of the markets).
OTHER_SUBJECTS = frozenset({"de", "dom", "han", "hon", "dem"})
# What a rhetorical question ("Är det inte en medicinteknisk produkt?") states as a fact: what the product is,
# not a way of making it ("Är det inte bättre att lägga ut?" is a proposal, bot/actions/proposal.py).
AFFIRMED_SLOTS = frozenset({"product_type"})
# A clause that asks without a question mark (folded): a verb before its subject ("behöver vi en importör i
# USA", "måste man ha ett ombud") or an indirect question ("jag undrar om …", "vill veta hur …"). Issue #10
# item 3: "behöver vi en importör i USA" was read as a statement about the markets and changed the advice.
ASKS_UNMARKED = re.compile(
    r"^(?:(?:behover|behovs|maste|bor|borde|kravs|galler|racker|kommer|skulle|blir|funkar|fungerar)"
    r"\s+(?:vi|jag|man|det|den|ni|du|dom|de)\b"
    r"|(?:(?:jag|vi)\s+)?(?:undrar|undrade|vill veta|vill fraga|fragar)\s+(?:bara\s+|ocksa\s+)?"
    r"(?:om|ifall|hur|vad|vilk\w*|nar|var|varfor|vem)\b)"
)
# The slot that holds the last recommendation: set means a consultation has been completed.
SUMMARY_SLOT = "advisor_summary"
# The answers a new fact about the product adds to: what it is and has, and where it is sold. A change of them
# is told with the rules it brings; a change of any other answer also with the advice that stands and why.
FACT_SLOTS = ("product_type", "markets")
# Answers kept after a recommendation although their question is not asked in the situation: where the
# company's current products are made counts for a new product too ("vi har redan en syfabrik i Litauen",
# persona round 22, p03), and the rules weigh it (rules.yml, new-product-known-partner-europe).
KEPT_UNASKED = frozenset({"current_location"})
# The form asks this pseudo-question first while numbers taken from free text wait for the user's "ja".
CHECK_SLOT = "advisor_check"
PENDING_SLOT = "advisor_pending"
# Capital below this is no budget for production: "600 spänn" or a slang word read as kronor. Confirmed.
IMPLAUSIBLE_CAPITAL = 10_000
# An abbreviation in a rule's title ("EMC", "LVD", "RED"): a new rule's paragraph that names all of an old
# rule's says how it covers it (round 17, p01 was told that EMC and LVD "faller bort" when Bluetooth came).
ABBREVIATION = re.compile(r"\b[A-ZÅÄÖ]{2,}\b")
# Answers whose phrases say nothing of their topic by themselves ("inte direkt" is low IP sensitivity, "i ett
# halvår" a time to market, as answers to those questions): after the recommendation a statement gives them
# only with a word of the topic (folded). Persona round 18: "inte direkt brist på folk" became "Inte
# känslig", "tjänster ute i ett halvår" the time to market.
TOPIC_WORDS = {
    "ip_sensitivity": re.compile(
        r"patent|kopi|hemlig|kanslig|skydd|\bip\b|varumark|design|recept|formel|unik|stjal|sno"
    ),
    "time_to_market": re.compile(
        r"marknad|lanser|salj|leverer|leverans|kund|klar|redo|slapp|saljstart|sasong|\bjul|introduc|mass(a|or)"
    ),
}
# A clause that considers a step states no fact (folded): "Vi har funderat på att köpa en egen kantpress för
# den där miljonen" is a proposal (round 14b), not own production and capital.
CONSIDERS = re.compile(r"\b(funder\w*|overvag\w*|tank(er|t|te) pa|planer\w*|kanske|skulle kunna)\b")
# What takes the time or is lacking, named in a statement after the recommendation (folded): "det som tar tid
# är konstruktionen av varje bord", "flaskhalsen är lackeringen", "det vi saknar är beredare" names the
# bottleneck, read as an answer to that question (follow-up set 10: "konstruktionen av varje bord" read as
# furniture, and the assembly bottleneck stayed). "Det är inte montörer vi saknar" states what is not lacking.
BOTTLENECK_CLAUSE = re.compile(
    r"\b(det som tar (mest |langst )?tid|flaskhalsen|det (vi|ni|jag) saknar|det som saknas"
    r"|det som begransar oss)"
    r"\s+(ar|ligger i|sitter i)\s+(?P<what>\w+(\s+\w+){0,3})"
)
NOT_LACKING = re.compile(r"\binte\b[^.,;]{0,30}\b(vi|ni|jag) saknar\b|\binte\b[^.,;]{0,30}\bsom saknas\b")
# Definite and plural endings, dropped from a bottleneck word the question's phrases do not hold as it is.
DEFINITE = re.compile(r"(en|et|na|erna|arna|orna)$")
# A wish in a statement (folded): "vi vill", "jag föredrar", "hellre", "i stället".
WISH = re.compile(r"\b(vi|jag) (vill|onskar|foredrar|skulle vilja|vill hellre)\b|\bhellre\b|\bi stallet\b")
# "Jag vill veta om det är billigare i Kina" asks; it wishes nothing (round 31).
NEGATED_WISH = re.compile(
    r"\b(vill|onskar|foredrar) (inte|inga|ingen|inget)\b"
    r"|\b(vill|skulle vilja) (veta|fraga|hora|kolla|forsta)\b"
)
# A part of the work rather than the whole making (folded), as the object of "lägga ut", "köpa in": "delar",
# "svetsningen", "lackeringen", "plåtjobben", "elskåpen", "komponenterna", "mer av bygget"; not
# "tillverkningen", "produktionen".
# Also without the article (persona round 33b, p04: "lägga ut svetsning och plåt" after the advice was
# weighed as "lägg ut allt").
PART_OF_WORK = (
    r"(delar\w*|en del\b|mer av\b|\w*(?<!tillverk)(?<!produkt)ning(en)?\b|\w+ering(en)?\b|komponent\w*"
    r"|detaljer\w*|\w{3,}delar(na)?\b|ramne\w*|\w{3,}jobb(en|et)?\b|\w*skap(en|et)?\b|plat(en)?\b|svets(en)?\b)"
)
# The ways of making the product a wish names (folded), checked in this order: "anlita en legotillverkare i
# stället för att bygga den själva" wants a contract maker. A place abroad narrows the contract paths.
CONTRACT_PATHS = ("swedish_contract", "nearshore_europe", "asia_contract")
WISHED_PATHS: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    (("asia_contract",), re.compile(rf"\b({'|'.join(ASIA_PLACES)})\b")),
    (("nearshore_europe",), re.compile(rf"\b({'|'.join(NEARSHORE_PLACES)})\b")),
    # "skala upp hos vår svenska leverantör" (persona round 21) wants the Swedish maker it already has.
    (("swedish_contract",), re.compile(r"\bsvensk\w* ((lego|kontrakts)tillverk|leverantor)\w*")),
    # Part of the work bought, the rest kept: "lägga ut plåtjobben och elskåpen", "lägga ut svetsningen",
    # "lägga ut mer av bygget" (persona round 32, p04: a machine builder's wish to buy its sheet metal and
    # cabinets was weighed as "lägg ut allt" and turned down).
    # A contract maker named for the part ("lägga ut monteringen på en legotillverkare") is a contract path.
    (("hybrid",), re.compile(rf"^(?!.*\b(lego|kontrakts)tillverk).*\b(lagga|lagger) ut {PART_OF_WORK}")),
    (
        CONTRACT_PATHS,
        re.compile(
            r"\b(lego|kontrakts)tillverk\w*|\blagga ut\b|\boutsourc\w*"
            r"|\bkopa (in )?(tillverkningen|produktionen)"
        ),
    ),
    (
        ("in_house",),
        re.compile(
            r"\b(tillverka|producera|bygga|gora)\b(\s+\w+){0,2}\s+sjalva?\b|\bi egen regi\b"
            # Own premises or production wished for: "bygga upp egna lokaler enligt GMP" (round 27).
            r"|\begen (tillverkning|produktion|fabrik|verkstad)\b|\begna (lokaler|produktionslokaler)\b"
            # "en egen robotiserad fabrik", "en egen automatiserad monteringslina" (persona round 31).
            r"|\begen (\w+ )?(fabrik|verkstad|\w*lina|\w*linje)\b"
        ),
    ),
)
# The way a wish sets aside (folded): "egna lokaler i stället för att anlita en kontraktstillverkare" wants
# the own premises; the paths are read before it.
# Where production is moved from (folded): "från Kina", "lämna Polen".
ORIGIN = re.compile(r"\b(fran|lamna|lamnar) \w+")
SET_ASIDE = re.compile(r"\b(?:i stallet for|istallet for|snarare an)\b")
# "Hellre i Polen än i Kina" sets aside what follows its "än".
PREFERRED_TO = re.compile(r"\bhellre\b[^.,;!?]*?(?=\ban\b)")
# A place the statement turns away from (folded): "inte i Kina", "helst undvika Asien", "snarare än i Kina",
# "i stället för att lägga det i Kina" names no path the user wants (persona round 31: "Du ville helst gå
# vägen Kontraktstillverkning i Asien" to a user who wanted Sweden and not China).
TURNED_AWAY = re.compile(
    r"\b(inte|ej|aldrig|undvik\w*|slippa|utan|an|i stallet for|istallet for)"
    r"(\s+(att|i|fran|till|via|hos|ga|lagga|tillverka|producera|ha|det|den|dem|en|ett|nagot|nagon))*"
    rf"\s+({'|'.join((*ASIA_PLACES, *NEARSHORE_PLACES))})\b"
)
SENTENCE = re.compile(r"[^.!?]+")


# A statement about import duties (folded) names the goods' country of origin, not where the user's product is
# made: "USA lägger höga tullar på varor från Kina" is an objection to that origin (the priority "tullar" in
# questions.yml), not "Tillverkas i dag: I Asien" (persona round 21, snow shovels made in Sweden).
DUTY_CLAUSE = re.compile(r"\btull\w*|\bursprungsland\w*")
# A place named in a statement (folded): "Asien blir inte billigt" says something of the place, and takes back
# no priority of the user's.
PLACE = re.compile(rf"\b({'|'.join((*ASIA_PLACES, *NEARSHORE_PLACES))}|sverige)\b")


# A wish to make the product in Sweden (folded) is the priority "närhet" (proximity), which the rules weigh:
# "vi vill tillverka i Sverige" answers only the priorities question by itself.
IN_SWEDEN = re.compile(
    r"\bi sverige\b|\bsvensk\w* (tillverk\w*|produktion)|\bsvensktillverka\w*|\bmade in sweden\b"
)
NEAR = "proximity"


@dataclass(frozen=True)
class Statements:
    """What the statements of a message give: answers read without doubt, number answers among them to
    confirm first, and whether readings were left out as doubtful."""

    answers: dict[str, Any] = field(default_factory=dict)
    doubtful: tuple[str, ...] = ()
    dropped: bool = False


def clauses_of(text: str) -> list[str]:
    """The clauses of a message (see CLAUSE_END), without empty ones."""
    return [c for c in (c.strip() for c in CLAUSE_END.split(text)) if c]


def statements_of(text: str) -> list[str]:
    """The clauses of a message that ask nothing and tell something about the user's case (`tells`)."""
    asks = asks_something(text)
    told = []
    for sentence in SENTENCE_END.split(text.strip()):
        clauses = clauses_of(sentence)
        for number, clause in enumerate(clauses):
            # "Vänta, sulan ska ju användas i vården …": a one-word interjection before it doesn't make the
            # clause a continuation (issue #10, item 5: the medical purpose was not read).
            leads = all(len(c.split()) == 1 for c in clauses[:number])
            if (not asks_in(clause) or affirms(clause)) and tells(clause, leads, asks):
                told.append(clause)
    return told


def tells(clause: str, leads: bool, asks: bool) -> bool:
    """Whether a clause tells a fact of the user's case: not a clause that opens with a condition ("Om vi
    lägger ut elskåpsbygget …, vem …?", "Säg att vi köper …": a case it supposes), and in a message that asks
    (`asks`), not one that opens with a conjunction without its own subject ("Och Norge och Tyskland, gäller
    samma regler där?": the topic of a question) nor, after the first clause of a sentence (`leads` false),
    one without its own subject or a list's name or number ("Nej, jag menar modulär produktplattform,
    konfigurera mot order …" is no answer about own production, "Och Norge då, de är ju inte med i EU …?"
    none about the user's markets; persona round 21, p04 and 21b, p09). A message that asks nothing tells
    with each clause ("Men USA lägger höga tullar på varor från Kina, så …": follow-up set 17)."""
    words = fold(clause).split()
    if not words or words[0] in SUPPOSING:
        return False
    if not asks:
        return True
    if words[0] in CONJUNCTIONS:
        # "Men vi har ingen egen tillverkning" tells; "Och Norge och Tyskland" names a question's topic.
        return len(words) > 1 and words[1] in OWN_SUBJECTS | {"nu", "da"}
    if words[0] in OTHER_SUBJECTS:
        return False
    return leads or words[0] in OWN_SUBJECTS or clause[0].isupper() or clause[0].isdigit()


def asks_something(text: str) -> bool:
    """Whether a clause of the message asks something."""
    return any(asks_in(c) for c in clauses_of(text))


def asks_in(clause: str) -> bool:
    """Whether a clause asks: in question form, or asking without a question mark (see ASKS_UNMARKED)."""
    return in_question_form(clause) or bool(ASKS_UNMARKED.match(fold(clause).strip()))


def stated_facts(text: str, filled: Mapping[str, Any]) -> dict[str, Any]:
    """The answers (and wish) the statements of a message change without doubt, given the answers so far."""
    return read_statements(text, filled).answers


def read_statements(text: str, filled: Mapping[str, Any]) -> Statements:
    """The answers the statements of a message give after a recommendation (see the module docstring):
    only readings without doubt, for questions that matter with the new answers."""
    answers: dict[str, Any] = {}
    doubtful: list[str] = []
    dropped = False
    # A wish in a message that also asks ("Jag vill göra dem själv. Kan jag inte hyra en lokal?") is a
    # proposal, weighed by bot/actions/proposal.py.
    asks = asks_something(text)
    for clause in statements_of(text):
        folded = fold(clause)
        if CONSIDERS.search(folded) or NOT_LACKING.search(folded):
            continue
        named = named_bottleneck(folded)
        if named is not None:
            if named != filled.get("bottleneck"):
                answers["bottleneck"] = named
            continue
        changed = slot_updates({**filled, **answers}, parse_answer(clause))
        rhetorical = in_question_form(clause)
        if rhetorical:
            # A rhetorical question tells what the product is, nothing else (`AFFIRMED_SLOTS`); its "inte" is
            # no negation the parser missed.
            changed = {slot: value for slot, value in changed.items() if slot in AFFIRMED_SLOTS}
        for slot, value in changed.items():
            if (
                not _about_topic(slot, folded)
                or (not rhetorical and _negation_unread(clause, slot, value))
                or (slot == "current_location" and DUTY_CLAUSE.search(folded))
                or (slot == "priorities" and PLACE.search(folded) and _takes_back(filled.get(slot), value))
            ):
                dropped = True
                continue
            answers[slot] = value
            if slot in NUMBER_SLOTS and _number_doubtful(slot, value, folded):
                doubtful.append(slot)
        wished = () if asks else wished_paths(folded)
        if wished:
            answers[WANTED] = list(wished)
        priorities = list(answers.get("priorities") or filled.get("priorities") or [])
        if not asks and wishes(folded) and IN_SWEDEN.search(folded) and NEAR not in priorities:
            answers["priorities"] = [*priorities, NEAR]
    # The sentences that state (not the question), whatever `statements_of` kept of them: a priority taken
    # back in a message that also asks is still said.
    joined = " ".join(part for part in SENTENCE_END.split(text) if not part.rstrip().endswith("?"))
    said = parse_answer(joined)
    added = set(answers.get("priorities") or []) - set(filled.get("priorities") or [])
    if not added and (said.values.get("priorities") or said.negated.get("priorities")):
        # A clause that takes a priority back ("priset var inte det viktigaste") often leaves the new one to
        # the next ("– säkerhet och kvalitet går först"), which alone names no priority: read the statements
        # together as an answer to the priorities question (persona round 22, p03).
        together = slot_updates(filled, parse_answer(joined, expected="priorities"))
        if together.get("priorities"):
            answers["priorities"] = together["priorities"]
    answers = _without_denied(answers, parse_answer(text), filled)
    questions = load_questions()
    profile = to_profile({**filled, **answers}, questions)
    relevant = {q.slot for q in questions.questions if is_relevant(q, profile)}
    # A taken-back answer counts even when its question is not asked in this situation: "vi tillverkar inte
    # i Asien än, det var bara prototypen" (persona round 19, p03) clears a place of production that an
    # earlier answer gave to a new product, which the engine would otherwise keep using.
    answers = {
        slot: value
        for slot, value in answers.items()
        if (
            slot == WANTED
            or slot in relevant
            or slot in KEPT_UNASKED
            or (value is None and filled.get(slot) is not None)
        )
        and filled.get(slot) != value
    }
    return Statements(answers, tuple(s for s in dict.fromkeys(doubtful) if s in answers), dropped)


def named_bottleneck(folded: str) -> list[str] | None:
    """The bottleneck a statement names as what takes the time or is lacking (see BOTTLENECK_CLAUSE), or
    None when it names none the bottleneck question knows."""
    found = BOTTLENECK_CLAUSE.search(folded)
    if found is None:
        return None
    for word in found["what"].split():
        for candidate in dict.fromkeys((word, DEFINITE.sub("", word))):
            values = parse_answer(candidate, "bottleneck").values.get("bottleneck")
            if values and values != ["other"]:
                return list(values)
    return None


def wished_paths(folded: str) -> tuple[str, ...]:
    """The paths a statement wishes for ("vi vill anlita en legotillverkare": the contract paths), or (): read
    in the sentences that say the wish, not in those that tell how things are ("en legotillverkare bygger den
    åt oss. Vi vill ta hem det" wishes no contract maker)."""
    return named_paths(" ".join(s for s in SENTENCE.findall(folded) if wishes(s)))


def named_paths(folded: str) -> tuple[str, ...]:
    """The paths a statement names as the way to go (see WISHED_PATHS), read before what it sets aside and
    without where production comes from ("flytta hem tillverkningen från Kina" names no path in Asia) or the
    places it turns away from (TURNED_AWAY)."""
    folded = TURNED_AWAY.sub(" ", folded)
    for said in dict.fromkeys((_before_set_aside(folded), folded)):
        paths = next((paths for paths, words in WISHED_PATHS if words.search(ORIGIN.sub(" ", said))), ())
        if paths:
            return paths
    return ()


def _before_set_aside(folded: str) -> str:
    """A wish up to what it sets aside (SET_ASIDE, PREFERRED_TO): the paths it wants are named there."""
    ends = [m.start() for m in SET_ASIDE.finditer(folded)][:1]
    ends += [m.end() for m in PREFERRED_TO.finditer(folded)][:1]
    return folded[: min(ends)] if ends else folded


def wishes(folded: str) -> bool:
    """Whether a statement says what the user wants, and not what they do not want."""
    return bool(WISH.search(folded)) and not NEGATED_WISH.search(folded)


def _without_denied(answers: dict[str, Any], whole: ParseResult, filled: Mapping[str, Any]) -> dict[str, Any]:
    """`answers` without the values that the whole message denies, though a clause alone names them:
    "Kosmetika – nej" is cut into "Kosmetika" and "nej" (persona round 29: cosmetics read as a yes)."""
    kept = dict(answers)
    for slot, denied in whole.negated.items():
        if slot not in kept or slot == WANTED:
            continue
        said = whole.values.get(slot)
        gone = [v for v in denied if v != said and not (isinstance(said, list) and v in said)]
        value = kept[slot]
        if isinstance(value, list):
            left = [v for v in value if v not in gone]
            if left != value:
                kept[slot] = left or None
        elif value in gone:
            if filled.get(slot) is None:
                del kept[slot]
            else:
                kept[slot] = filled[slot]
    return kept


def _takes_back(before: Any, after: Any) -> bool:
    """Whether a list answer loses a value it had ("låg kostnad" taken back from the priorities)."""
    return bool(set(before or ()) - set(after or ()))


def _about_topic(slot: str, folded: str) -> bool:
    """Whether a statement names the topic of a slot whose phrases do not (see TOPIC_WORDS)."""
    words = TOPIC_WORDS.get(slot)
    return words is None or bool(words.search(folded))


def _negation_unread(clause: str, slot: str, value: Any) -> bool:
    """Whether a clause holds a negation that its reading for `slot` ignores: the clause without it reads the
    same ("Det är inte montörer vi saknar" is read as a shortage of fitters, with or without "inte")."""
    negations = set(load_questions().parsing.get("negation_words") or ())
    kept = [w for w in clause.split() if fold(w).strip(".,!;:") not in negations]
    if len(kept) == len(clause.split()):
        return False
    return parse_answer(" ".join(kept)).values.get(slot) == parse_answer(clause).values.get(slot)


def _number_doubtful(slot: str, value: Any, folded: str) -> bool:
    """A number that may be misread: a range taken as its midpoint, or capital too small to be meant."""
    number = bound_number(value)
    if number is None and isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    small = slot == "capital" and number is not None and number < IMPLAUSIBLE_CAPITAL
    return has_range(folded) or small


def covering_passage(kb: KnowledgeBase, title: str, rules: list[Any]) -> Passage | None:
    """The paragraph of a new rule that names every abbreviation of a rule no longer listed (RED's on the
    requirements of LVD and EMC): the old rule's requirements are covered by the new one, not gone."""
    names = set(ABBREVIATION.findall(title))
    for rule in rules if names else []:
        entry = kb.get(rule.id)
        for passage in entry.passages if entry is not None else ():
            if passage.field == "body" and all(re.search(rf"\b{n}\b", passage.text) for n in names):
                return passage
    return None


def changes_text(
    kb: KnowledgeBase,
    texts: Texts,
    before: Any,
    after: Any,
    added: Mapping[str, Any],
    filled: Mapping[str, Any] | None = None,
) -> str:
    """What the new answers changed: the answers added or replaced and the paths wished for, then a new path
    and what decided it (or that the advice stands and why), new rules, rules a new one covers and dropped
    rules (or that the advice stays the same)."""
    filled = filled or {}
    answers = {slot: value for slot, value in added.items() if slot != WANTED and value is not None}
    taken_back = {slot: filled[slot] for slot, value in added.items() if value is None and slot in filled}
    replaced = any(replaces(filled.get(slot), value) for slot, value in answers.items())
    lines = []
    if answers:
        noted = "utter_advisor_updated" if replaced else "utter_followup_facts_noted"
        lines.append(texts.get(noted, answers=describe_answers(answers)))
    if taken_back:
        lines.append(texts.get("utter_followup_facts_taken_back", answers=describe_answers(taken_back)))
    wished = tuple(added.get(WANTED) or ())
    if wished:
        lines.append(_wish_text(texts, wished))
    stands = False
    if after.category != before.category:
        lines.append(texts.get("utter_followup_facts_new_path", title=after.title))
        # What changed the path is a reason the earlier advice did not give ("Du har tagit upp tullarna: …"),
        # not the first reason of the new one (persona round 21: an objection must be answered with why).
        had = path_reasons(filled, after.category)
        deciding = next((r for r in after.reasons if r not in had), next(iter(after.reasons), None))
        if deciding:
            lines.append(texts.get("utter_followup_facts_deciding", reason=deciding))
    elif wished and after.category not in wished:
        lines += _why_not(texts, after, {**filled, **added}, wished)
        stands = True
    elif (wished or taken_back or set(answers) - set(FACT_SLOTS)) and after.reasons:
        lines.append(texts.get("utter_followup_facts_stands", title=after.title, reason=after.reasons[0]))
        stands = True
    old = {rule.id for rule in before.regulations}
    new = [rule for rule in after.regulations if rule.id not in old]
    if new:
        lines.append(texts.get("utter_followup_facts_new_rules"))
        rule = "utter_followup_facts_rule"
        lines += [texts.get(rule, title=r.title, summary=first_sentence(r.summary)) for r in new]
    kept = {rule.id for rule in after.regulations}
    gone = [item for item in before.regulations if item.id not in kept]
    covered = {item.id: covering_passage(kb, item.title, new) for item in gone}
    for item in gone:
        passage = covered[item.id]
        if passage is not None:
            lines.append(
                texts.get(
                    "utter_followup_facts_covered_rule",
                    title=item.title,
                    text=passage.text,
                    source=passage.source.label,
                )
            )
    dropped = [item.title for item in gone if covered[item.id] is None]
    if dropped:
        lines.append(texts.get("utter_followup_facts_dropped_rules", titles="; ".join(dropped)))
    if after.category == before.category and not new and not gone and not stands:
        lines.append(texts.get("utter_followup_facts_same"))
    return "\n".join(lines)


def replaces(old: Any, new: Any) -> bool:
    """Whether a new value replaces an earlier answer: a list that only adds to it ("lampan får förresten
    bluetooth") is a new fact, told with what it changes, not a correction."""
    if old is None:
        return False
    if isinstance(old, list) and isinstance(new, list):
        return not set(old) <= set(new)
    return bool(old != new)


def _wish_text(texts: Texts, paths: tuple[str, ...]) -> str:
    """The wish as understood: a contract maker anywhere, or one path by the first part of its title
    ("Kontraktstillverkare i närliggande Europa")."""
    if paths == CONTRACT_PATHS:
        return texts.get("utter_followup_facts_wish_contract")
    title = load_rules().category(paths[0])["title"].split(" – ")[0]
    return texts.get("utter_followup_facts_wish", path=title)


def _why_not(texts: Texts, advice: Any, profile: Mapping[str, Any], wished: tuple[str, ...]) -> list[str]:
    """Why the advice stands against the path the user wants: the answers that count against the best of the
    wished paths, or when it would fit better."""
    scores = dict(advice.scores)
    best = max(wished, key=lambda path: scores.get(path, 0))
    weighing = weigh(profile, best)
    lines = [texts.get("utter_followup_facts_wish_stands", title=advice.title, wished=weighing.title)]
    lines += [texts.get("utter_followup_bullet", text=why) for why in weighing.against]
    if not weighing.against and weighing.when:
        lines.append(texts.get("utter_followup_proposal_when", when=weighing.when))
    return lines


def update_from_facts(
    dispatcher: CollectingDispatcher,
    texts: Texts,
    kb: KnowledgeBase,
    text: str,
    filled: Mapping[str, Any],
    advice: Any,
    buttons: Any,
) -> tuple[list[EventType], Any] | None:
    """Add the answers a message states to the answers and say what that changes; the events and the new
    recommendation, or None when the message states nothing new. `buttons(advice)` are those to offer.

    A number that may be misread is confirmed first by the consultation ("Jag uppfattade … – stämmer det?"),
    which then gives the recommendation again. A statement whose readings were all doubtful, in a message that
    asks nothing, is told that the advice stands and why, and how to change an answer."""
    read = read_statements(text, filled)
    if not read.answers:
        if not read.dropped or asks_something(text):
            return None
        reason = advice.reasons[0] if advice.reasons else advice.description
        dispatcher.utter_message(
            text=texts.get("utter_followup_facts_unchanged", title=advice.title, reason=reason),
            buttons=buttons(advice),
        )
        return [], advice
    events: list[EventType] = [SlotSet(slot, value) for slot, value in read.answers.items()]
    if read.doubtful:
        # The form's check says the value ("Jag uppfattade cirka 9 000 000 kronor – stämmer det?").
        check = [SlotSet(PENDING_SLOT, list(read.doubtful)), SlotSet(CHECK_SLOT, None)]
        return [*events, *check, FollowupAction("advisor_form")], advice
    after = recommend({**filled, **read.answers}, kb)
    message = "\n".join(
        [changes_text(kb, texts, advice, after, read.answers, filled), texts.get("utter_followup_facts_more")]
    )
    dispatcher.utter_message(text=message, buttons=buttons(after))
    return [*events, SlotSet(SUMMARY_SLOT, after.as_text())], after
