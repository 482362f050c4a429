"""What a free follow-up answer after a recommendation may rest on, and what it says when nothing holds.

The knowledge base answers a follow-up only with a passage that is about the user's situation. A passage is
weak evidence for the question (round 9: "delvis fullbordad maskin" for a complete machine, EU 1935/2004 or
a medical-device rule for an FDA question, a closed 2016–2018 support for a question on time and budget)
when it

- is a rule for another kind of product: a regulation entry that is neither among the product's own rules
  nor named by the question nor under discussion, or a paragraph of a rule that is about such a rule
  ("USA, medicinteknik: …" for a coffee maker);
- is about building a partly completed machine into another when the question says nothing about building
  in (the profile's machine is complete, so the exception is not its answer);
- holds none of the question's known words (only the intent or a word in the story found it);
- is a support, programme or call that has ended, which the question does not name (history is no advice).

Then the recommendation's own next steps and caveats answer when they hold the question's words ("två
skift?" — "Ni kör ett skift: räkna på ett kvällsskift …"; "hinner vi inom ett år?" — the caveat on the
notified body), and otherwise the answer says plainly that the knowledge base has no answer to that
question and names who can help, with its link: for a question about the product's rules the authority
that supervises them (an actor entry whose `related` lists the rule: Läkemedelsverket for cosmetics and
medical devices), never a financier (round 15, p05 got IUC for sterilisation, p09 Almi's loan for a cosmetics
rule); otherwise an actor from the recommendation.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Collection
from typing import Any

from bot.actions.resolve import (
    ADVICE_KINDS,
    SENTENCE_END,
    YEAR,
    Message,
    Resolution,
    asked_field,
    named_entries,
)
from bot.advisor import load_rules
from bot.advisor.engine import SupportItem, ended
from bot.kb.model import Entry, Passage
from bot.kb.search import Term, term_in
from bot.kb.store import KnowledgeBase
from bot.settings import get_settings
from bot.swedish import GENERIC_WORDS, content_stems, fold

# The passages of a rule that can answer for a kind of product (not its dates or contact).
PARAGRAPHS = frozenset({"summary", "body"})
# How much a year (`YEAR`: "från 1 augusti 2025") weighs for a "när"-question, beside the shares of its words
# (which sum to 1): as much as all of them, so a dated paragraph of the named rule answers before an undated
# one with the same words.
DATED_BONUS = 1.0
# How much more of the question's words (shares summing to 1) another paragraph of the named rule must hold to
# replace the resolver's pick: a clear lead, not a tie broken by one light word.
ASKED_MARGIN = 0.25
# An enumeration of single words (at least four items: "frakt, tull, lager, resor och kvalitet"): a word that
# a passage names only there is one item of a list, not what the passage says something about.
ENUMERATION = re.compile(r"\b\w+(?:, \w+){2,}(?:,? (?:och|eller) \w+)")
# Kinds of entries that can have ended (their dates all lie in the past).
DATED_KINDS = frozenset({"support", "programme", "call"})
# Building a machine into another or into a line (folded): "byggs ihop med kundens linje", "integreras",
# "kopplas ihop", "försäkran för inbyggnad", "delvis fullbordad". Said by a question, it asks about the
# rules for partly completed machinery; said by a passage, the passage is about them.
BUILDING_IN = re.compile(
    r"\bbygg\w*\s+(in|ihop|samman)\b|\binbyggnad\w*|\bintegrer\w*|\bkoppla\w*\s+(ihop|samman|in)\b"
    r"|\bsatt\w*\s+ihop\b|\bmonter\w*\s+(in|ihop)\b|\bdelvis fullbordad\w*|\bhalvfardig\w*"
)
# Batteries shipped alone, without the product (folded): said by a passage that says nothing of batteries in
# or with equipment, the passage is about that case only ("… som skickas ensamma (UN 3480) bara flygas …");
# it answers no question about a product with its battery inside unless the question says alone (round 16,
# p03: a headlamp with a built-in battery got the rule for batteries shipped alone).
SHIPPED_ALONE = re.compile(
    r"\b(skicka\w*|sand\w*|frakta\w*|transporter\w*) (ensamma|separat)\b|\bensamma\b|\bseparat\w*\b"
)
IN_EQUIPMENT = re.compile(r"\b(i|med) (utrustning\w*|produkt\w*|apparat\w*)\b")
# A passage on goods of one origin (folded): "tull på varor från Kina", "varor med ursprung i Kina".
ORIGIN = re.compile(r"\b(varor|produkter) (med ursprung i|fran|tillverkade i) (?P<place>\w+)")
# A question that says where its own goods are made (folded): "gjorda i Sverige", "vi som tillverkar i
# Sverige", "svensktillverkade".
MADE_IN = re.compile(r"\b(gjord\w*|tillverk\w*|producer\w*)\s+i\s+\w+|\bsvensk(tillverka|gjor)\w*")
# The thing a question asks about, when its form names it (folded): "Vad blir det för tull …?", "Hur blir det
# med den amerikanska tullen …?". A passage or a line of advice that does not hold it answers another question
# (round 17, p03 got the testing of toys, then a line on overlapping stock, for the customs to the USA).
# Other forms that name their thing as the object of what is asked (round 19): "Hur skyddar jag formen …?",
# "hur tar vi vara på kunskapen …?", "Måste vårt eget bolag ha ett kvalitetssystem …?", "kan jag hyra en egen
# lokal?", "15 olika verkstäder … – är det för många?" (p10, p08, p05, p09, p04 got the TCO text, EN 1090, an
# ISO 9001 definition, Teknikcollege's "lokala" and the labelling of food-contact materials).
ARTICLE = r"(?:(?:den|det|de|en|ett|min|mitt|mina|var|vart|vara|er|ert|era|eget|egen|egna)\s+)*"
ASKED_THING = re.compile(
    r"\b(?:vad (?:blir|ar) det for|hur blir det med)\s+"
    r"(?:(?:den|det|de|en|ett)\s+)?(?:\w+a\s+)?(?P<thing>\w+)"
    r"|\bhur (?:skyddar|skydda|sakrar|bevarar|behaller|tar) (?:jag|vi|man|ni) (?:vara pa |hand om )?"
    rf"{ARTICLE}(?P<kept>\w+)"
    r"|\b(?:maste|behover|bor|ska|kan)\b[^?.,]{0,30}\b(?:ha|hyra|skaffa|ordna) (?:en|ett) "
    rf"{ARTICLE}(?P<had>\w+)"
    r"|\b(?:\d+|flera|manga) (?:olika )?(?P<counted>\w+)[^?]{0,40}\bfor (?:manga|fa)\b"
    # "testas enligt nån EN-standard": the standard is asked about, not the chain store that asks for it.
    r"|\b(?:testa\w*|prova\w*|provad\w*|certifiera\w*) enligt "
    r"(?:nan |nagon |en |vilken )?(?:\w+-)?(?P<norm>\w+)"
)
ASKED_GROUPS = ("thing", "kept", "had", "counted", "norm")
# A passage that states an obligation (folded): it answers "Måste vi ha ett kvalitetssystem?" better than a
# definition of the thing does (round 19, p05 got the definition of ISO 9001 instead of MDR's "Alla
# tillverkare … ska ha ett kvalitetsledningssystem").
OBLIGATION = re.compile(r"\b(ska|maste|behover)( \w+){0,2} ha\b")


def asks_obligation(question: str) -> bool:
    """Whether a question asks whether one must have the thing it names ("Måste vårt bolag ha ett …?")."""
    found = ASKED_THING.search(fold(question))
    return bool(found and found["had"]) and bool(re.search(r"\b(maste|behover|ska)\b", fold(question)))


# A question that asks only what something costs (folded, one clause): "Vad kostar det ungefär att få
# produkten granskad?", not "Vad kostar mest i kalkylen, och hur sänker vi det?".
# "kostar" is a generic word (`GENERIC_WORDS`), so the key-term check alone lets a paragraph on the same thing
# that names no cost answer it (a notified body's lead times for what its review costs; issue #11).
COST_QUESTION = re.compile(r"^\W*(vad|hur mycket) (\w+ ){0,2}kosta(r)?\b[^?,]*\?\W*$")
# What a passage that speaks of cost says (folded): an amount in a currency, a fee, a price or a cost.
COST_TALK = re.compile(r"\b(kr|kronor|sek|euro|eur|usd|dollar|avgift\w*|pris\w*|kost\w*)\b|[€$]")


# A question what something is (folded): a definition answers it. Any other question about the thing ("Vad
# ska vi kräva av en lönetillverkare?", "Finns det lönetillverkare i Sverige?") is answered by advice on it.
DEFINITION_QUESTION = re.compile(
    r"\bvad (ar|betyder|innebar|menas med|menar (du|ni) med)\b|\bvad for (en|ett)\b"
)
# A passage that defines its thing (folded): "En harmoniserad standard är en standard från CEN …". Of a rule
# that is not the product's own, even one the question names, it answers only what the thing is: "stolen
# måste testas enligt nån EN-standard, vad gäller?" about furniture, which is not CE marked, is not answered
# by it (round 19, p10).
DEFINES = re.compile(r"^\W*(en|ett)\s+[\w-]+(\s+[\w-]+)?\s+(ar|betyder|innebar)\b")
# A question about making the product in one's own factory or premises (folded): "bygga en egen fabrik",
# "en egen liten lokal", "tillverka själv", "i egen regi". The make-or-buy advice's paragraph on making it
# yourself answers it, not the one on outsourcing that mentions an own factory in passing (round 9, p06).
OWN_MAKING = re.compile(
    r"\begen( \w+)? (fabrik|lokal|produktion|tillverkning|verkstad|anlaggning|(slut)?montering)\b"
    r"|\begna (lokaler|maskiner)\b|\btillverka (sjalv|sjalva)\b|\bi egen regi\b|\bbygga (en )?egen\b"
    r"|\b(montera|tillverka|producera)\b(\s+\w+){0,2}\s+sjalva?\b"
    r"|\bgora (slut)?(monteringen|tillverkningen|produktionen)\s+sjalva?\b"
)
# A question about buying one step or part instead of making it (folded): "köpa färdigsvarvade fötter",
# "lägga ut slipningen på en träfirma". The make-or-buy advice answers it; the step's name ("slipningen") is
# its object, whatever other entry uses the word (an ATEX paragraph on wood dust from sanding).
BUYING_A_STEP = re.compile(
    r"\bkopa (in )?fardig\w*|\blagga ut (\w+ )?\w+(ningen|ningarna|momentet|steget|delarna) pa\b"
)
# A question about staffing (folded): shifts, apprentices, recruitment, staffing agencies, vocational
# schools. The competence-supply advice answers it, after the recommendation's own steps on it (round 9, p08).
# A shortage of a kind of staff ("konstruktörsbrist", "hittar inga fler konstruktörer", round 12, p04) asks
# the same; "komponentbrist" or "hittar inga leverantörer" does not. Staff who retire ("innan de går i
# pension") ask it too (round 19, p08 got EN 1090 through "svetsarna").
STAFF = r"(personal|folk|konstruktor\w*|svetsare|operatorer|ingenjorer|montorer|tekniker|arbetskraft)"
STAFFING = re.compile(
    r"\b(\w*skift|larling\w*|rekryt\w*|bemanning\w*|yrkesvux|vuxenutbildning\w*|yrkeshogskol\w*"
    r"|praktikant\w*|kompetensforsorjning\w*|pension\w*|kunskapsoverforing\w*"
    r"|(personal|kompetens|konstruktors|svetsar|operators|ingenjors|arbetskrafts)brist\w*"
    rf"|hittar (inga|ingen|inte) (fler |nya |nagra )?{STAFF}|anstalla (fler |nya )?{STAFF}"
    rf"|{STAFF}[^.?!]{{0,30}}\bhittar (inga|ingen) (fler|nya)"
    # Staff who leave: "det de äldre svetsarna kan … när de slutar" (round 19, p08 in our words).
    rf"|({STAFF}|svetsarna|montorerna|medarbetar\w*|anstallda|de aldre)[^.?!]{{0,40}}"
    r"\b(slutar|pensioner\w*)"
    # Keeping the staff one has: "behålla de svetsare vi har", "inte tappa fler montörer" (round 20b, p08),
    # "hur behåller vi våra svetsare när vi växer?" (issue #10).
    rf"|\b(behalla|behaller|tappa|forlora)\b(\s+\w+){{0,2}}\s+({STAFF}|svetsarna|montorerna|medarbetar\w*|anstallda|personalen))\b"
)
# The two sides of a business relation (folded): a question about depending on one customer is not answered
# by advice on depending on one supplier (round 12, p10).
PARTIES = (re.compile(r"\bkund\w*"), re.compile(r"\b(under)?leverantor\w*"))
STAFFING_INTENT = "ask_competence_supply"
# Folded. "Var gör man köldprov?", "vem kan testa kapslingens IP-klass?": where to test how the product stands
# cold, heat, damp or water, which test labs answer, not a rule's own test (persona round 27 got the transport
# test of lithium batteries, UN 38.3, and a risk class).
ENVIRONMENT_TEST = re.compile(
    r"^(?=.*\b(var|vem|vilka|vilket|nagon|nan)\b)(?=.*\b(test\w*|prov\w*|\w+prov(a|as|et|en|ning\w*)?)\b)"
    r"(?=.*(\bkold\w*|\bfrys\w*|\bkyla\b|\bminus\b|\bgrader\b|\bvarme\b|\bfukt\w*|\bip-?(klass\w*|\d\d)\b"
    r"|\bkapsling\w*|\bklimat\w*|\bvibration\w*|\bmiljotalig\w*|\bvattentat\w*))"
)
# Folded. "Kan ni hjälpa oss med försäljningen?", "… att sälja mer?": a request for help with selling, which
# the assistant does not give; not a question about the rules on selling ("innan de får säljas" found the
# medicines entry, persona round 27).
SALES_HELP = re.compile(
    # Money for selling ("lån som kan hjälpa oss att öka försäljningen") is a question about supports.
    r"^(?!.*\b(finansi\w*|lan|lana|lanet|lanen|bidrag\w*)\b)"
    r"(?:.*\bhjalpa\s+(oss|mig|till)\b(\s+\w+){0,3}\s+(salj\w*|forsaljning\w*|marknadsfor\w*|hitta\s+(fler\s+)?kunder)\b"
    r"(?![^?]*\b(regl\w*|regel\w*|krav\w*|ce\b|tull\w*|lag\w*))"
    # "Vårt problem är marknad och försäljning. Vem kan hjälpa oss med det?": the selling is told before the
    # request for help (persona round 31 got the support list with RISE again).
    r"|(?=.*\b(forsaljning\w*|marknadsforing\w*|saljarbete\w*)\b)(?=.*\b(hjalp\w*|stott\w*|rad|radgiv\w*)\b)"
    r"(?!.*\b(regl\w*|regel\w*|krav\w*|ce\b|tull\w*|lag\w*)\b))"
)
# The knowledge base's topic for help with marketing and selling (knowledge/entries/faq): what the assistant
# has no advice on, and who helps instead.
SALES_TOPIC = "sales"
# Folded. "Var gör man provningen enligt UN 38.3?", "vilket labb provar …?": where or by whom a test is done;
# the paragraph that names a test laboratory (`LAB`) answers it.
WHERE_TESTED = re.compile(
    r"^(?=.*(\bvar\b|\bvem\b|\bvilk\w+ (labb\w*|laborator\w*|testhus|provningshus|foretag)\b))"
    r"(?=.*\b(test\w*|prov(a|as|ar|et|en|ning\w*)|provar)\b)"
)
LAB = re.compile(r"\b\w*(labb|laborator)\w*")
# The knowledge base's topic for test and demonstration environments (knowledge/entries/support).
TEST_BED_TOPIC = "test-bed"
# The intent whose default entry is the make-or-buy advice, and the words that name its paragraph on making
# the product yourself.
MAKE_OR_BUY_INTENT = "ask_make_or_buy"
MAKING_YOURSELF = "tillverka själv kräver investeringar personal"
# How many of the recommendation's own lines answer a question, and the shortest stem that counts as a
# shared word between a question and a line ("år", "ni" share nothing; "skift", "marknad" do). Checked on
# the round-9 follow-ups (tests/data/followup_tuning2.yml): shorter stems let "gör"/"ett" pick steps.
ADVICE_LINES = 2
SHARED_STEM_CHARS = 5
# The stem of the word every question and line of advice is about (the product): shared with a passage or a
# line, it says nothing of what is asked ("Vilken säljkanal passar bäst för en sådan produkt?" got the line on
# a supplier fitting the "produktmix", then the passage on choosing a maker; persona round 28). Nor do generic
# words (`GENERIC_STEMS`: "passar", "bäst", "kostar").
PRODUCT_STEM = "produk"
# The lead of a paragraph that says what it is about before a colon ("USA, medicinteknik: …").
LEAD = re.compile(r"^([^:.]{3,60}):")
# How many of a question's terms an entry's names must hold for the question to be about it, or what share
# of its weight one term must carry (as for the resolver's `_explained`: two words together are evidence,
# one may be in passing). Checked on both follow-up sets: "marknaden" (0.37 of "Hur får vi ut den på
# marknaden? … egen produkt") does not name ekodesign's "marknadskontroll"; "konsumenter" (0.5 of "… nåt
# särskilt med elmotorn och att det är för konsumenter?") names GPSR (and toys: the resolver chooses).
NAMING_TERMS = 2
NAMING_SHARE = 0.5
# Stems of words for the user's own business (folded), whatever the product: they name no rule.
OWN_BUSINESS = re.compile(r"(produk|var[aou]|grej|sak|pryl|marknad|kund|foretag)")
# Words that make a question one about the product's rules (folded): what is required, marked, notified,
# approved, supervised or allowed ("Får jag skriva ekologisk på burken?", "vad krävs för steriliseringen?").
RULES_TALK = re.compile(
    r"\b(regl\w*|regel\w*|krav\w*|ce|ce-?mark\w*|mark(a|as|ning\w*)|anmal\w*|tillstand\w*|godkan\w*"
    r"|tillsyn\w*|certifi\w*|lagligt|tillatet|steril\w*|direktiv\w*|forordning\w*)\b"
    # "Får jag …?" asks whether something is allowed; "Hur får vi ut den till kunderna?" does not.
    r"|^\W*far (jag|vi|man)\b"
)
# Building-in passages shown for an integration question: the rule's exception, the complete-machine case
# and what follows the partly completed machine until it is built in (maskiner k10–k11).
BUILDING_IN_PASSAGES = 3


def asked_sentences(text: str) -> str:
    """The sentences of a question that ask ("… kedjor. Behöver vi …?" -> "Behöver vi …?"); the whole text
    when all or none of them do."""
    sentences = [s for s in SENTENCE_END.split(text.strip()) if s]
    asked = [s for s in sentences if s.rstrip().endswith("?")]
    return " ".join(asked) if asked and len(asked) < len(sentences) else text


def coverage(kb: KnowledgeBase, question: str, passage: Passage, entry: Entry) -> float:
    """The share of the question's known words (weighted as the resolver weighs them) that a passage or
    its entry's names hold: the resolver's coverage evidence for that passage."""
    terms = kb.weighted_terms(question)
    total = sum(share for _, share in terms)
    if not total:
        return 0.0
    stems = kb.stems_of(passage.text) | entry.name_stems
    return sum(share for term, share in terms if term_in(term, stems)) / total


def rules_of(kb: KnowledgeBase, text: str) -> set[str]:
    """The regulation entries a text names."""
    return {entry.id for entry in named_entries(kb, text) if entry.kind == "regulation"}


def other_products_rule(kb: KnowledgeBase, passage: Passage, entry: Entry, allowed: set[str]) -> bool:
    """Whether a passage is a rule for another kind of product than the user's: its entry is a rule not
    `allowed`, or the paragraph is about one ("USA, medicinteknik: …" in the rules for selling abroad)."""
    if entry.kind == "regulation" and entry.id not in allowed:
        return True
    if entry.kind in ADVICE_KINDS:
        # Advice whose names name another kind of product's rule ("legotillverkning av medicinteknik") is
        # advice for that kind (persona round 32: a capacity question got it; branch fup33). Only the rules
        # the advisor gives a kind of product count: "tillverka i Polen" names the manufacturer's duties.
        kinds = product_rules() - allowed
        if any(rules_of(kb, name) & kinds for name in entry.names):
            return True
    return bool(lead_rules(kb, passage) - allowed - {entry.id})


def product_rules() -> frozenset[str]:
    """The rule entries the advisor gives a kind of product (knowledge/advisor/rules.yml `regulations`, not
    the general ones every product gets), from `load_rules`, which follows edits of rules.yml."""
    rules = load_rules().regulations
    return frozenset(e for r in rules if not r.get("general") for e in r["entries"])


# The first part of a hyphened compound (folded text): "ip" in "ip-klass", "ul" in "ul-listning".
QUALIFIED = re.compile(r"\b(\w+)-\w")


def unknown_qualifier(kb: KnowledgeBase, question: str, passage: Passage) -> str | None:
    """A qualifier the knowledge base does not know, hyphened to a word it knows ("IP-klass"), that the
    passage does not name: it says which kind of that thing is asked about, so a passage on another kind is
    no answer ("klass" alone found MDR's risk classes for a bathroom mirror's IP class; persona round 32b,
    p06; branch fup33). None when there is none."""
    asked = fold(asked_sentences(question))
    known = {stem for term, _ in kb.weighted_terms(asked) for stem in term.stems}
    folded = fold(passage.text)
    for qualifier in QUALIFIED.findall(asked):
        if qualifier in known or set(content_stems(qualifier)) & known:
            continue
        if not re.search(rf"\b{re.escape(qualifier)}\b", folded):
            return qualifier
    return None


def lead_rules(kb: KnowledgeBase, passage: Passage) -> set[str]:
    """The rules a paragraph's lead names ("USA, medicinteknik: …"): what the paragraph is about. Not
    every rule its text mentions: "klass 9" in the paragraph on transporting batteries is no medical
    device class."""
    lead = LEAD.match(passage.text)
    return rules_of(kb, lead.group(1)) if lead else set()


def worded_rules(kb: KnowledgeBase, question: str, own: Collection[str] = ()) -> list[str]:
    """The rules the question's words name, though it says no name exactly: NAMING_TERMS or more of its
    terms are in the rule's title or aliases ("materialet … godkänt för livsmedel" — "Material i kontakt
    med livsmedel"), or one that carries NAMING_SHARE of the question ("för konsumenter" —
    "konsumentprodukter"). Words for the user's own product, market and customers name no rule ("ut på
    marknaden" is no question about ekodesign's "marknadskontroll"). Nor do words that the product's `own`
    rules hold too: "Behöver vi ett anmält organ för vedklyven?" asks about the machinery rules, not about
    the medical-device rules whose title says "anmält organ" (round 16, p02)."""
    terms = [(t, share) for t, share in kb.weighted_terms(question) if not OWN_BUSINESS.match(t.stems[0])]
    total = sum(share for _, share in terms) or 1.0
    own_stems = [rule_stems(kb, rule) for rule in own]

    def names(entry: Entry) -> bool:
        held = [(term, share) for term, share in terms if term_in(term, entry.name_stems)]
        if entry.id not in own and any(all(term_in(term, stems) for term, _ in held) for stems in own_stems):
            return False
        return len(held) >= NAMING_TERMS or sum(share for _, share in held) / total >= NAMING_SHARE

    return [entry.id for entry in kb.all("regulation") if names(entry)]


def rule_stems(kb: KnowledgeBase, rule: str) -> frozenset[str]:
    """The stems of everything a rule entry says: its names and every passage."""
    entry = kb.get(rule)
    if entry is None:
        return frozenset()
    return entry.name_stems | kb.stems_of(" ".join(p.text for p in entry.passages))


# The weak reason that a paragraph of the product's own rules holding the asked thing in another compound may
# have (`bot.actions.followup.thing_answer`).
NO_WORDS = "holds none of the question's words"


def weak_reason(kb: KnowledgeBase, msg: Message, found: Resolution, allowed: set[str]) -> str | None:
    """Why the main passage of a follow-up answer is weak evidence for the question (see the module
    docstring), or None when it answers it."""
    if not found.passages or found.entry is None:
        return None
    passage = found.passages[0]
    entry = kb.get(passage.entry_id) or found.entry
    folded = fold(msg.text)
    if other_products_rule(kb, passage, entry, allowed):
        return "another product's rule"
    exception = exception_not_asked(passage, msg.text)
    if exception is not None:
        return exception
    if other_origin(passage, msg.text):
        return "goods of another origin"
    if unknown_qualifier(kb, msg.text, passage) is not None:
        return "another kind of the thing asked about"
    thing = asked_thing(msg.text)
    if thing is not None and not holds_thing(thing, passage.text):
        return "does not hold the thing asked about"
    if COST_QUESTION.search(fold(asked_sentences(msg.text))) and not COST_TALK.search(fold(passage.text)):
        return "asks what it costs, and the passage names no cost"
    if (
        DEFINES.search(fold(passage.text))
        and entry.kind == "regulation"
        and entry.id not in allowed - rules_of(kb, msg.text)
        and not DEFINITION_QUESTION.search(folded)
    ):
        return "defines another product's rule, not asked what it is"
    if coverage(kb, asked_sentences(msg.text), passage, entry) == 0.0:
        return NO_WORDS
    # The make-or-buy paragraph on making it yourself is chosen for a question about own making by its form
    # (`own_making_passage`), not by shared words.
    # So is a paragraph on building a machine in for a question about building in (`building_in_answer`).
    own_making = (OWN_MAKING.search(folded) or BUYING_A_STEP.search(folded)) and entry == kb.by_intent(
        MAKE_OR_BUY_INTENT
    )
    building_in = BUILDING_IN.search(folded) and BUILDING_IN.search(fold(passage.text))
    if not (own_making or building_in) and not key_terms_held(kb, msg.text, passage, entry):
        return "holds only generic or minor words of the question"
    if rules_unanswered(msg.text, passage, entry):
        return "a rules question, and the passage says nothing of rules"
    if only_listed(kb, asked_sentences(msg.text), passage):
        return "names the question's words only in a list"
    if other_party(folded, fold(entry.title)):
        return "the other side of the relation"
    named = {e.id for e in named_entries(kb, msg.text)}
    if entry.kind in DATED_KINDS and entry.id not in named and ended(entry, get_settings().today_date()):
        return "ended"
    return None


# The share of the weight of a question's own terms (not `GENERIC_WORDS`) that a passage with its entry's
# names must hold to answer it. Chosen on follow-up set 16 (persona rounds 21/21b): the unrelated
# passages held at most 0.29 of it ("standardisera … i moduler" in "standardiseringsbegäran");
# follow-up sets 1, 5, 12, 13 and 15 and question set 12 were measured with it (see the README).
KEY_SHARE = 1 / 3
GENERIC_STEMS = frozenset(content_stems(" ".join(GENERIC_WORDS)))


def key_terms_held(kb: KnowledgeBase, question: str, passage: Passage, entry: Entry) -> bool:
    """Whether a passage (with its entry's names) holds what a question is about: KEY_SHARE of the weight of
    its own terms (`own_terms`), or its heaviest own term as a word of its own, not only as part of a
    compound ("Lettland" in "… en underleverantör i Lettland?"; "standardisera" is no word of
    "standardiseringsbegäran"). The asking sentences are read first; when they hold only generic words ("Är
    det rätt väg för oss?"), the whole message says what it is about."""
    stems = kb.stems_of(passage.text) | entry.name_stems
    for text in dict.fromkeys((asked_sentences(question), question)):
        own = own_terms(kb, text)
        total = sum(share for _, share in own)
        if total:
            if sum(share for t, share in own if term_in(t, stems)) / total >= KEY_SHARE:
                return True
            words = frozenset(content_stems(passage.text)) | entry.name_stems
            top = max(share for _, share in own)
            return any(set(t.stems) & words for t, share in own if share >= top * TIED)
    # Only generic words are known: a word of its own that the knowledge base does not know is what the
    # question is about ("Vilken säljkanal passar bäst …?" got the passage on choosing a maker, by "passar").
    return not unknown_subject(kb, asked_sentences(question))


def says_what(stem: str) -> bool:
    """Whether a word stem can say what a question is about: not a generic word (`GENERIC_STEMS`) and not
    the product itself (`PRODUCT_STEM`)."""
    return stem not in GENERIC_STEMS and not stem.startswith(PRODUCT_STEM)


def unknown_subject(kb: KnowledgeBase, text: str) -> bool:
    """Whether a question has a word of its own (not generic, not "produkt", at least SHARED_STEM_CHARS long)
    that none of the knowledge base's terms holds."""
    known = {s for t, _ in kb.weighted_terms(text) for s in t.stems}
    return any(s not in known and says_what(s) for s in content_stems(text) if len(s) >= SHARED_STEM_CHARS)


# Weights within this factor of the heaviest term are as heavy (the index's shares are rounded sums).
TIED = 0.99


def own_terms(kb: KnowledgeBase, text: str) -> list[tuple[Term, float]]:
    """A question's terms that say what it is about, with their weights: not `GENERIC_WORDS`, not the word
    "produkt" (`PRODUCT_STEM`) and not a number ("de första 200" is how many, not what; it found the list of
    200 substances of concern)."""
    return [
        (t, share)
        for t, share in kb.weighted_terms(text)
        if says_what(t.stems[0]) and not t.stems[0][:1].isdigit()
    ]


# Words by which a question asks what the law demands (folded): CE, marking, notified bodies, certification,
# directives and regulations. Narrower than `RULES_TALK`: "Vilka krav ska vi ställa på en lönetillverkare?"
# asks what to demand of a supplier, and "Får vi …?" many things (follow-up tests of round 18).
RULES_ASKED = re.compile(
    r"\b(regl\w*|regel\w*|ce|ce-?mark\w*|mark(a|as|ning\w*)|anmal\w*|tillstand\w*|certifi\w*|direktiv\w*"
    r"|forordning\w*|lagligt|tillatet)\b"
)
# "regler" in a passage that is no rule is the word's everyday sense ("följa fasta regler": a task's steps).
RULE_WORD = re.compile(r"\b(regl|regel)\w*")


def rules_unanswered(question: str, passage: Passage, entry: Entry) -> bool:
    """Whether a question asks about rules (`RULES_ASKED`: CE, marking, certification) and a passage that
    is no rule says nothing of them ("Om vi köper en svetskobot, vad måste vi tänka på … med CE?" is not
    answered by when automation pays; persona rounds 21/21b, p08)."""
    return (
        entry.kind != "regulation"
        and bool(RULES_ASKED.search(fold(asked_sentences(question))))
        and not RULES_TALK.search(RULE_WORD.sub(" ", fold(passage.text)))
    )


def other_origin(passage: Passage, question: str) -> bool:
    """Whether a passage is about goods of one origin ("varor med ursprung i Kina") and the question about
    goods made somewhere else ("… när våra leksaker är gjorda i Sverige?"; round 17, p03 got Section 301)."""
    origin = ORIGIN.search(fold(passage.text))
    folded = fold(question)
    return origin is not None and bool(MADE_IN.search(folded)) and origin["place"] not in folded


# The shortest stem that begins other words in `holds_thing` ("tull", "kost"); "ce" only as itself, not in
# "certifiering".
THING_STEM = 3


def sought_thing(question: str) -> str | None:
    """The thing a question asks about when its form seeks a way to get, keep or have it ("hur skyddar jag
    designen", "måste vi ha ett kvalitetssystem"), which advice holding it may answer; not a cost or condition
    asked of the user's own case ("vad blir det för tull …?"), which a passage holding the word in passing
    does not (round 17, p03)."""
    found = ASKED_THING.search(fold(question))
    return None if found is None or found["thing"] else asked_thing(question)


def asked_thing(question: str) -> str | None:
    """The thing a question's form names as what it asks about ("tullen"), or None."""
    found = ASKED_THING.search(fold(question))
    return next((found[group] for group in ASKED_GROUPS if found[group]), None) if found else None


def holds_thing(thing: str, text: str) -> bool:
    """Whether a text holds the thing asked about: a word that begins like it ("tull" in "tullnummer"; the
    stem of a last word can be shorter, as "kostn" of "kostnad")."""
    stems = content_stems(text)
    return any(
        s == t
        or (len(t) >= THING_STEM and s.startswith(t))
        or (len(s) > THING_STEM and t.startswith(s))
        or infixed(t, s)
        for t in content_stems(thing)
        for s in stems
    )


# A compound with a part between its ends is the same thing ("kvalitetssystem", "kvalitetsledningssystem"):
# both ends this long must match, in words at least twice as long.
COMPOUND_END = 5


def infixed(word: str, other: str) -> bool:
    """Whether `other` is `word` with a part inserted between its first and last COMPOUND_END letters."""
    ends = COMPOUND_END
    return (
        min(len(word), len(other)) >= 2 * ends
        and word[:ends] == other[:ends]
        and word[-ends:] == other[-ends:]
    )


def exception_not_asked(passage: Passage, question: str) -> str | None:
    """The case a passage is about that the question does not ask about and a product with a follow-up
    question is not by default (building a partly completed machine in; batteries shipped without the
    product), or None."""
    folded = fold(question)
    if BUILDING_IN.search(fold(passage.text)) and not BUILDING_IN.search(folded):
        return "building in, not asked"
    if shipped_alone_only(passage) and not SHIPPED_ALONE.search(folded):
        return "batteries shipped alone, not asked"
    return None


def shipped_alone_only(passage: Passage) -> bool:
    """Whether a passage is about batteries shipped alone and not about batteries in or with equipment."""
    text = fold(passage.text)
    return bool(SHIPPED_ALONE.search(text)) and not IN_EQUIPMENT.search(text)


def only_listed(kb: KnowledgeBase, question: str, passage: Passage) -> bool:
    """Whether a passage holds the question's words only as items of an enumeration ("Lägg till frakt, tull,
    lager, resor, kvalitet …"): "Hur blir det med tullen?" is not answered by a list of costs to count
    (round 13, p03 got the TCO definition twice and nothing on customs duties)."""
    terms = kb.weighted_terms(question)
    listed = " ".join(found.group(0) for found in ENUMERATION.finditer(passage.text))
    if not listed:
        return False
    rest = ENUMERATION.sub(" ", passage.text)
    in_list, in_rest = kb.stems_of(listed), kb.stems_of(rest)
    held = [term for term, _ in terms if term_in(term, in_list) or term_in(term, in_rest)]
    return bool(held) and not any(term_in(term, in_rest) for term in held)


def other_party(question: str, title: str) -> bool:
    """Whether an entry's title is about one side of a business relation (its suppliers) and the question
    only about the other (its customers), or the reverse: "beroende av en enda kund" is not answered by
    "Beroende av en enda leverantör". Both texts folded."""
    asked = {i for i, party in enumerate(PARTIES) if party.search(question)}
    about = {i for i, party in enumerate(PARTIES) if party.search(title)}
    return bool(asked) and bool(about) and not asked & about


def paragraph_for_product(
    kb: KnowledgeBase, msg: Message, found: Resolution, allowed: set[str]
) -> Resolution:
    """For a rule that covers several kinds of product ("Export utanför EU" has a paragraph per kind), the
    paragraph about the user's kind that holds the words that found the one about another kind ("vad kräver
    FDA?" after a question on food contact: FDA on food contact, not on medical devices)."""
    entry = found.entry
    if entry is None or not found.passages or entry.id not in allowed:
        return found
    if not other_products_rule(kb, found.passages[0], entry, allowed):
        return found
    # The question's words the paragraph found holds in its own text (the entry's names, shared by every
    # paragraph, choose none of them).
    terms = [
        (t, share)
        for t, share in kb.weighted_terms(msg.text)
        if term_in(t, kb.stems_of(found.passages[0].text))
    ]

    def held(passage: Passage) -> float:
        stems = kb.stems_of(passage.text)
        return sum(share for term, share in terms if term_in(term, stems))

    fitting = [
        p for p in entry.passages if p.field in PARAGRAPHS and not other_products_rule(kb, p, entry, allowed)
    ]
    best = max(fitting, key=held, default=None)
    if best is None or held(best) <= held(found.passages[0]) / 2:
        return found
    return Resolution(passages=[best], entries=[entry])


def words_held(kb: KnowledgeBase, question: str) -> Callable[[Passage], float]:
    """How much of the weight of a question's asking words a passage holds."""
    terms = kb.weighted_terms(asked_sentences(question))

    def held(passage: Passage) -> float:
        stems = kb.stems_of(passage.text)
        return sum(share for term, share in terms if term_in(term, stems))

    return held


def paragraph_for_case(kb: KnowledgeBase, msg: Message, found: Resolution) -> Resolution:
    """For a paragraph about a case the question does not ask about (`exception_not_asked`), the paragraph
    of the same entry that holds most of the question's words and is about no such case ("… litiumbatteriet
    när vi skickar till Amazons lager?" about a lamp: the transport paragraph that covers batteries in a
    product, not the one on batteries shipped alone; round 16, p03); unchanged when none holds any."""
    entry = found.entry
    if entry is None or not found.passages or exception_not_asked(found.passages[0], msg.text) is None:
        return found
    held = words_held(kb, msg.text)
    fitting = [
        p for p in entry.passages if p.field in PARAGRAPHS and exception_not_asked(p, msg.text) is None
    ]
    best = max(fitting, key=held, default=None)
    if best is None or not held(best):
        return found
    return Resolution(passages=[best], entries=[entry])


def asked_paragraph(kb: KnowledgeBase, msg: Message, found: Resolution) -> Resolution:
    """For a question that names a rule, the paragraph of that rule that holds clearly more (`ASKED_MARGIN`)
    of what the message asks about (`own_terms` of the whole message, less the rule's names) than the
    resolver's pick: "Vilka krav på cybersäkerhet ställer radiodirektivet?" got the paragraph on PTS's market
    surveillance, "Från när gäller cyberkraven i RED?" the entry's dateless dates passage (persona round 30).
    A paragraph that names a date answers "när" before one that does not."""
    entry = found.entry
    if entry is None or not found.passages:
        return found
    # The whole message's words: the story before the question may name what it is about ("Cellleverantören
    # har en testrapport för UN 38.3. Räcker den för våra pack?").
    asked = msg.text
    # The name the question calls the rule by ("radiodirektivet") says which rule, not what about it.
    folded = fold(asked)
    said = [n for n in (entry.title, *entry.aliases) if re.search(rf"\b{re.escape(fold(n))}\b", folded)]
    names = frozenset(s for n in said for s in kb.stems_of(n))
    terms = [(t, share) for t, share in own_terms(kb, asked) if not term_in(t, names)]
    when = asked_field(asked) == "dates"

    def held(passage: Passage) -> float:
        stems = kb.stems_of(passage.text)
        return sum(share for term, share in terms if term_in(term, stems)) + (
            DATED_BONUS if when and YEAR.search(passage.text) else 0.0
        )

    first = found.passages[0]
    paragraphs = [p for p in entry.passages if p.field in PARAGRAPHS]
    best = max(paragraphs, key=held, default=None)
    # An attribute the rule does not have (a dates passage with only the entry's note) gives way to any
    # paragraph that holds something asked; a paragraph only to one that holds more.
    if best is None or best == first:
        return found
    if held(best) < (held(first) + ASKED_MARGIN if first.field in PARAGRAPHS else 0.0) or not held(best):
        return found
    return Resolution(passages=[best], entries=[entry])


def building_in_answer(kb: KnowledgeBase, msg: Message, own: list[str]) -> Resolution | None:
    """For a question about building the product into a line or another machine ("byggs ihop med kundens
    linje – vem ansvarar för CE-märkningen?"): the passages of the product's own rules on partly completed
    machinery and building in; None when the question is not about it or no own rule has such passages."""
    if not BUILDING_IN.search(fold(msg.text)):
        return None
    for entry in filter(None, (kb.get(rule_id) for rule_id in own)):
        passages = [p for p in entry.passages if p.field == "body" and BUILDING_IN.search(fold(p.text))]
        if passages:
            return Resolution(passages=passages[:BUILDING_IN_PASSAGES], entries=[entry])
    return None


def own_making_passage(kb: KnowledgeBase, msg: Message, found: Resolution) -> Resolution:
    """For "vad krävs för en egen fabrik?" answered by the make-or-buy advice: its paragraph on making the
    product yourself rather than the one that names an own factory as what outsourcing spares."""
    default = kb.by_intent(MAKE_OR_BUY_INTENT)
    if default is None or found.entry != default or not OWN_MAKING.search(fold(msg.text)):
        return found
    text = f"{MAKING_YOURSELF} {msg.text}"
    best = max(
        (p for p in default.passages if p.field == "body"),
        key=lambda p: coverage(kb, text, p, default),
        default=None,
    )
    return Resolution(passages=[best], entries=[default]) if best is not None else found


def staffing_answer(kb: KnowledgeBase, msg: Message) -> Resolution | None:
    """For "två skift?", "vem pratar vi med om lärlingar?": the competence-supply advice's conclusion; None
    for a question about something else."""
    entry = kb.by_intent(STAFFING_INTENT)
    if entry is None or not STAFFING.search(fold(msg.text)):
        return None
    return Resolution(passages=[entry.passages[0]], entries=[entry])


def lab_passage(kb: KnowledgeBase, msg: Message, found: Resolution) -> Resolution:
    """For a question where or by whom a test is done ("Vilket labb gör provningen UN 38.3?"), the paragraph
    of the answer's entry that names a test laboratory, when the answer's own paragraph names none (persona
    round 28: where UN 38.3 is tested got the paragraph on the test summary); else `found`."""
    entry = found.entry
    if entry is None or not found.passages or not WHERE_TESTED.search(fold(asked_sentences(msg.text))):
        return found
    if LAB.search(fold(found.passages[0].text)):
        return found
    labs = [p for p in entry.passages if p.field == "body" and LAB.search(fold(p.text))]
    return Resolution(passages=[labs[0]], entries=[entry]) if len(labs) == 1 else found


def test_bed_answer(kb: KnowledgeBase, msg: Message) -> Resolution | None:
    """For "var gör man köldprov?": the support that gives access to test environments; None for a question
    about something else, or when the knowledge base has no such support."""
    if not ENVIRONMENT_TEST.search(fold(msg.text)):
        return None
    entries = kb.by_topic(TEST_BED_TOPIC, ("support",))
    if not entries or not entries[0].passages:
        return None
    return Resolution(passages=[entries[0].passages[-1]], entries=[entries[0]])


def sales_help_answer(kb: KnowledgeBase, msg: Message) -> Resolution | None:
    """For "vem kan hjälpa oss med försäljningen?": the entry that says the assistant has no advice on selling
    and who helps instead; None for another question, or when the knowledge base has no such entry."""
    if not SALES_HELP.search(fold(msg.text)):
        return None
    entries = kb.by_topic(SALES_TOPIC, ("faq",))
    if not entries or not entries[0].passages:
        return None
    return Resolution(passages=[entries[0].passages[0]], entries=[entries[0]])


def advice_lines(advice: Any, question: str) -> list[str]:
    """The recommendation's own next steps and caveats that share the most words with the question (at
    most ADVICE_LINES, none when no line shares one)."""
    asked = {s for s in content_stems(question) if len(s) >= SHARED_STEM_CHARS and says_what(s)}
    unknown = advice.texts["unknown_caveat"].split("{")[0]
    lines = [*advice.next_steps, *(c for c in advice.caveats if not c.startswith(unknown))]
    thing = asked_thing(question)
    if thing is not None:
        lines = [line for line in lines if holds_thing(thing, line)]
    if RULES_ASKED.search(fold(asked_sentences(question))):
        # A rules question is not answered by a step that only shares its subject ("kobot", "svets": a
        # pre-study of a welding robot for "vad måste vi tänka på med CE?"; persona round 21b, p08).
        lines = [line for line in lines if RULES_TALK.search(RULE_WORD.sub(" ", fold(line)))]
    # Most shared stems first; among as many, the longer shared parts ("bemanning" of "bemanningsbolag" over
    # "svets" of "svetsare").
    shared = [(shared_stems(asked, content_stems(line)), line) for line in lines]
    scored = [((len(held), sum(held.values())), line) for held, line in shared]
    most = max((n for n, _ in scored), default=(0, 0))
    return [line for n, line in scored if n == most][:ADVICE_LINES] if most[0] else []


def shared_stems(asked: set[str], stems: Collection[str]) -> dict[str, int]:
    """The question's stems (`asked`) that a text's `stems` hold, also as the first or last part of a
    compound ("bemanningsbolag" holds the line's "bemanning", the line's "partnerverkstad" the question's
    "verkstad"; round 18, p08 got a line on a welding cobot for staffing agencies), each with the length of
    the longest part shared."""
    held: dict[str, int] = {}
    for a in asked:
        for s in stems:
            compound = a.startswith(s) or s.startswith(a) or s.endswith(a)
            if len(s) >= SHARED_STEM_CHARS and (a == s or compound):
                held[a] = max(held.get(a, 0), min(len(a), len(s)))
    return held


def handoff_actor(advice: Any, question: str) -> SupportItem | None:
    """The actor among the recommendation's supports that fits the question best (the most shared words
    with what it is for), else its first actor; None when it lists none."""
    actors: list[SupportItem] = [item for item in advice.supports if item.kind == "actor" and item.url]
    asked = set(content_stems(question))

    def shared(actor: SupportItem) -> int:
        return len(asked & set(content_stems(f"{actor.why} {actor.summary}")))

    return max(actors, key=shared) if actors else None


def rules_asked(kb: KnowledgeBase, question: str, own: list[str]) -> list[str]:
    """The rules a follow-up question is about: those it names or words ("steriliseringen" names the
    standards for medical devices), then the product's own rules when it asks about rules at all
    (`RULES_TALK`); empty for a question about something else."""
    asked = [entry.id for entry in named_entries(kb, question) if entry.kind == "regulation"]
    asked += worded_rules(kb, asked_sentences(question), own)
    if RULES_TALK.search(fold(question)):
        asked += own
    return list(dict.fromkeys(asked))


def authority_for(kb: KnowledgeBase, rules: list[str]) -> SupportItem | None:
    """The authority that supervises the first of `rules` that has one: an actor entry whose `related` lists
    the rule; None when no actor entry does."""
    actors = kb.all("actor")
    for rule in rules:
        for actor in actors:
            if rule in actor.related and actor.apply_url:
                why = actor.purpose or actor.title
                return SupportItem(actor.id, actor.title, "actor", why, actor.apply_url, actor.summary)
    return None


def allowed_rules(kb: KnowledgeBase, msg: Message, own: list[str]) -> set[str]:
    """The rules a follow-up answer may come from: the product's own, those the question names and the
    entry under discussion."""
    return {*own, *rules_of(kb, msg.text), *([msg.current] if msg.current else [])}


def general_answer(kb: KnowledgeBase, msg: Message, found: Resolution, own: list[str]) -> Resolution:
    """The general answer to a follow-up with its weak evidence removed: the paragraph for the user's kind
    of product, the make-or-buy paragraph on making it yourself, or nothing (see the module docstring)."""
    allowed = allowed_rules(kb, msg, own) | set(worded_rules(kb, asked_sentences(msg.text), own))
    found = own_making_passage(kb, msg, paragraph_for_product(kb, msg, found, allowed))
    found = paragraph_for_case(kb, msg, found)
    if weak_reason(kb, msg, found, allowed) is not None:
        return dataclasses.replace(found, passages=[], entries=[])
    return found
