"""Verdicts on the rules that apply to a product, answered from the product's own regulation entries.

A whether- or which-question about a product's rules ("behöver vedklyven ett anmält organ?", "klass I?",
"måste 45 km/h-versionen typgodkännas?", "räcker FCC ID:t?", "vem ansvarar för CE när cellen byggs in?")
asks for a verdict, not for what the rule is: the answer is the sentence of the product's own regulation entry
that states it, then one supporting sentence, cited. Each kind of question is a `Topic` below: the words that
ask it and the words of a sentence that states its verdict. The product comes from the advisor's reading of
free text (`knowledge/advisor/questions.yml`: "vedklyv" is a log splitter and hence a machine) or the
consultation's profile, the rules that apply to it from `rules.yml` (`regulations`); failing a product type,
the regulation entries the question names. When the product's rules hold no sentence stating the verdict the
knowledge base has none, and the answer says so instead of showing a neighbouring passage.

CE marking is the first topic: "Behöver jag CE-märka min lampa?" or "när krävs CE?" asks whether (or when)
the marking is required, not what it is. Its answer is the sentence of a product's rule that says whether the
product must be CE-marked (`ce: true` in `rules.yml` means it is), then the general rule on when CE marking
is required; with no product at all, that general rule alone.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.advisor.data import load_questions, load_rules
from bot.advisor.engine import applies
from bot.advisor.parsing.parse import parse_answer
from bot.advisor.profile import Profile, to_profile
from bot.kb.model import Entry, Passage
from bot.kb.search import term_in
from bot.kb.store import KnowledgeBase
from bot.swedish import fold

# The entry that says what CE marking is and when it is required.
CE_ENTRY = "ce-markning"
# On folded text. "CE", "CE-märka", "CE-märkning", "cemärkt".
CE_WORD = re.compile(r"\bce\b|\bce-?mark")
# A question whether or when something must be CE-marked: "behöver jag CE-märka …", "måste X vara
# CE-märkt?", "krävs CE-märkning för …", "när krävs CE?", "är CE obligatoriskt?", "CE-krav på …".
ASKS_WHETHER = re.compile(
    r"\b(behover|maste|ska|skall)\b(\s+[\w-]+){0,5}?\s+(vara\s+|ha\s+)?(ce\b|ce-?mark)"
    r"|\b(kravs|behovs|galler)\s+(det\s+)?(en\s+)?(ce\b|ce-?mark)"
    r"|\b(ce\b|ce-?mark\w*)\s+(kravs|behovs|obligatorisk\w*|ett krav)"
    r"|\bce-?krav"
)
# A sentence that says a product must (or need not) be CE-marked: "ska alla batterier CE-märkas", "ska
# vara CE-märkta", "behöver inte CE-märkas", "CE-märkning krävs bara för …". Not a sentence that only
# mentions CE marking beside another requirement ("måste vara anpassade för 230 V …, även om de i övrigt
# är CE-märkta").
SAYS_REQUIRED = re.compile(
    r"\b(ska|skall|maste|behover)\b([\s,]+\w+){0,4}?[\s,]+(vara\s+)?ce-?mark(as|a|s|t|ta|ts)\b"
    r"|\bska\s+ce-?market\s+(finnas|sitta)|\bce-?mark\w*\s+(kravs|behovs)"
)
# The CE words and the words asking for a requirement, taken out before the product's words are searched.
NOT_PRODUCT = re.compile(
    r"\bce\b([\s-]*mark\w*)?|\bcemark\w*"
    r"|\b(kravs|krav|behovs|behover|maste|obligatorisk\w*|markas|marka|markt|markta)\b"
)
# "… och vad innebär det?", "…, och vem ansvarar för det?": a second question about CE marking itself,
# answered by the CE entry's passage that holds its words (what it means, when none does).
SECOND_QUESTION = re.compile(
    r"\b(och|samt)\s+(vad|vem|vilka|hur)\b|\b(vad|hur)\b(\s+\w+){0,3}?\s+(innebar|betyder|gar det till)\b"
)
SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")
# A verdict is cut at whole sentences: "…; vedklyvar står inte där." belongs to the sentence before it.
FULL_STOP = re.compile(r"(?<=[.!?])\s+")
# "Vem ska CE-märka …?", "är det vi eller fabriken som ska CE-märka?": asks who is responsible, which the CE
# entry's passage on the manufacturer answers, not whether the product must be marked (persona round 22).
ASKS_WHO = re.compile(r"\bvem\b|\b(vi|ni|jag)\s+eller\b|\beller\s+(vi|ni|jag)\b")
# A regulation entry the search finds for the product's own words at least this well is the product's rule
# ("maskin" 1.57 for the machinery rules, "tryckkärl" 2.99, "kosmetiska serum" 1.57; "måste krämen", "min
# stol" found the pharmaceuticals entry at 1.0 through a typo reading).
FOUND_SCORE = 1.5
# Beside the product's own rules, a regulation entry the question's words (and the product's) find this
# well may hold the verdict: "versionen för 45 km/h" of a cargo bike found the entry on e-bikes and mopeds at
# 0.67, the next entry at 0.03. Its verdict sentence must still hold the question's or the product's words.
VERDICT_FOUND_SCORE = 0.5


def asks_whether_ce(text: str) -> bool:
    """Whether a message asks whether or when something must be CE-marked."""
    folded = fold(text)
    if ASKS_WHO.search(folded) and not SECOND_QUESTION.search(folded):
        return False
    return bool(ASKS_WHETHER.search(folded))


def says_required(passage: Passage) -> bool:
    """Whether one sentence of a passage says that a product must, or need not, be CE-marked."""
    return any(SAYS_REQUIRED.search(s) for s in SENTENCE_END.split(fold(passage.text)))


def ce_passages(kb: KnowledgeBase, text: str) -> list[Passage] | None:
    """The passages that say whether the asked product must be CE-marked, and when CE marking is required
    (and the CE passage a second question asks for: what it means, who is responsible); None when the
    message does not ask whether or when, or the knowledge base has no CE entry."""
    general = kb.get(CE_ENTRY)
    if general is None or not asks_whether_ce(text):
        return None
    when = next((p for p in general.passages if p.field == "body" and says_required(p)), general.passages[0])
    rules = product_rules(kb, text)
    own = next((p for e in rules for p in e.passages if says_required(p)), None)
    if own is None and rules:
        # No sentence of the product's rules says it in words: what its first rule is.
        own = rules[0].passages[0]
    found = [own, when] if own is not None else [when]
    second = SECOND_QUESTION.search(fold(text))
    if second:
        found.append(_best_held(kb, general, text[second.start() :], exclude=found))
    return found


def _best_held(kb: KnowledgeBase, entry: Entry, text: str, exclude: list[Passage]) -> Passage:
    """The entry's passage that holds most of the text's words; its first passage when none holds any."""
    terms = kb.weighted_terms(NOT_PRODUCT.sub(" ", fold(text)))
    held = [
        (sum(share for term, share in terms if term_in(term, kb.stems_of(p.text))), -i, p)
        for i, p in enumerate(entry.passages)
        if p not in exclude
    ]
    best = max(held, default=(0.0, 0, entry.passages[0]))
    return best[2] if best[0] > 0 else entry.passages[0]


def product_rules(kb: KnowledgeBase, text: str, profile: Profile | None = None) -> list[Entry]:
    """The regulation entries for the product the message names (or, failing that, the consultation's
    `profile` holds): the advisor's rules for its product type (those that require CE marking first), else the
    regulation entries the search finds for its words."""
    if profile is None or not profile.known("product_type"):
        profile = _read_product(text)
    applied = []
    if profile.known("product_type"):
        applied = [rule for rule in load_rules().regulations if applies(rule, profile, None)]
        has_ce = any(rule.get("ce") for rule in applied)
        # As in the advice: the rules for products without CE requirements never stand beside CE rules.
        # A brief rule (REACH for articles) is a duty beside the product's rules, not what decides CE marking.
        applied = [r for r in applied if not (has_ce and r.get("without_ce")) and not r.get("brief")]
        applied.sort(key=lambda rule: not rule.get("ce"))
    ids: Iterable[str] = dict.fromkeys(e for rule in applied for e in rule["entries"])
    if not applied:
        rest = NOT_PRODUCT.sub(" ", fold(text))
        ids = [h.entry.id for h in kb.search(rest, kind="regulation", limit=2) if h.score >= FOUND_SCORE]
    return [e for e in (kb.get(i) for i in ids) if e is not None and e.id != CE_ENTRY]


def _read_product(text: str) -> Profile:
    """The advisor's reading of the product a message names."""
    questions = load_questions()
    return to_profile(parse_answer(text, questions=questions).values, questions)


@dataclass(frozen=True)
class Topic:
    """One kind of verdict question: the words that ask it, and the words of a sentence that states it."""

    name: str
    # On folded text: the question is about this topic.
    asks: re.Pattern[str]
    # On a folded sentence: it states the verdict.
    says: re.Pattern[str]
    # The topic's own words, taken out before the product's words are weighed.
    words: re.Pattern[str]
    # Regulation entries that state the topic's verdict for any product ("tillverkaransvar": who is the
    # manufacturer of a product built from CE-marked parts), weighed after the product's own rules.
    entries: tuple[str, ...] = ()


# Folded. A question whether the product may take the route of assessing itself, not only which class or
# body applies: "kan man självcertifiera …", "självdeklarera"; a passage whose lead names it states when.
ROUTE = re.compile(r"\bsjalv(certifier|deklarer|intyg)\w*")
# Folded. A question whether or which ("behöver …", "krävs …", "räcker det …", "klass I?", "vilken klass
# …", "så IIb alltså?"); "hur lång tid tar ett anmält organ?" and "vad kostar det?" ask no verdict.
WHETHER = re.compile(
    r"\b(behover|behovs|kravs|kraver|maste|ska|skall|racker|galler|far|blir|ar|raknas|kan|vem|vilken|vilket|alltsa)\b"
    r"|\bsjalv(certifier|deklarer|intyg)\w*"
)
# "Vad är ett typgodkännande?", "hur går det till?": what or how, not a verdict.
ASKS_WHAT = re.compile(r"\W*(vad|hur)\b")
TOPICS = (
    Topic(
        "notified_body",
        re.compile(r"\banmal\w*\s+organ|\bnotified\s+bod"),
        re.compile(
            r"(?=.*\banmal\w*\s+organ)(?=.*\b(krav\w*|behov\w*|obligatorisk|maste|utan|sjalv|inte|inget)\b)"
        ),
        re.compile(r"\banmal\w*\s+organ\w*|\bnotified\s+bod\w*|\bsjalv\w*|\bgranska\w*"),
    ),
    Topic(
        "risk_class",
        # Not the second half of a compound ("IP-klass", "kapslingens IP-klass"): another kind of class.
        re.compile(r"(?<![\w-])(risk)?klass(as|ad|en|ning\w*)?\b|\b(iia|iib|iii)\b"),
        # "klassas i klass IIa", "får riskklass IIa".
        re.compile(r"\b(risk)?klass(as|ad)?\s+(i|ii|iia|iib|iii|im|is|ir)\b"),
        re.compile(r"\b(risk)?klass\w*|\b(i|ii|iia|iib|iii)\b|\bsjalvcertifier\w*"),
    ),
    Topic(
        "type_approval",
        re.compile(r"\btypgodk\w*|\btype.?approv\w*"),
        # Not a mention ("inklusive typgodkända fordon i kategori L"): what must be, or need not be, approved.
        re.compile(
            r"\b(ska|maste|behover|kravs)\b[^.]{0,60}\btypgodk\w*|\btypgodk\w*[^.]{0,20}\b(kravs|behovs)"
            r"|\b(inget|inte|utan)\b[^.]{0,30}\btypgodk\w*"
        ),
        re.compile(r"\btypgodk\w*|\btype.?approv\w*"),
    ),
    # "Räcker det att radiomodulen är CE-märkt?", "komponenterna är redan CE-märkta, blir lampan godkänd?":
    # whether CE-marked parts make the product compliant (#11). An FCC ID is the US rule (bought_module).
    Topic(
        "ce_parts",
        re.compile(
            # A part named, or any one said to be CE-marked already ("transformatorn är redan CE-märkt").
            r"^(?!.*\bfcc)(?=.*\b(\w*komponent\w*|delar\w*|\w*modul\w*|drivdon\w*|redan\s+(ce\b|ce-?mark|certifier)))"
            r"(?=.*(\bce\b|ce-?mark|certifier))(?=.*\b(racker|tacker|godkan\w*|redan|blir)\b)"
        ),
        # "CE-märkta komponenter räcker inte …", "en CE-märkt radiomodul räcker inte …".
        re.compile(
            r"\b(ce-?markt\w*|certifierad\w*)\s+(\w+\s+)?(\w*komponent\w*|delar|\w*modul\w*)\s+racker\s+inte"
        ),
        re.compile(
            r"\b\w*komponent\w*|\bdelar\w*|\b\w*modul\w*|\bce\b([\s-]*mark\w*)?|\bcertifier\w*|\bracker\b"
        ),
        ("tillverkaransvar",),
    ),
    # "Kontraktstillverkaren har ISO 13485, räcker det eller behöver vi ett eget kvalitetssystem?" (#11).
    Topic(
        "own_qms",
        re.compile(
            r"(?=.*\b(\w*kvalitets(lednings)?system\w*|13485|qms)\b)(?=.*\b(racker|tacker|eget|egen|egna|sjalva)\b)"
        ),
        re.compile(r"\b(13485|\w*kvalitetsledningssystem\w*)\b[^.]*\bracker\s+inte\b"),
        re.compile(r"\b\w*kvalitets\w*|\b13485\b|\bqms\b|\biso\b|\bracker\b|\beg(en|et|na)\b"),
        ("tillverkaransvar",),
    ),
    # "När en tysk kedja säljer våra lampor, måste vi registrera oss i Tyskland?": who registers as the
    # producer when another seller brings the product to the German market, which the entry on Germany says.
    Topic(
        "registration",
        re.compile(r"(?=.*\bregistrer\w*)(?=.*\b(vi|ni|jag|vem|oss)\b)(?=.*\btysk\w*)"),
        re.compile(r"(?=.*\bregistrer\w*)(?=.*\b(tillverkare|hersteller|ombudsperson)\b)"),
        re.compile(r"\bregistrer\w*|\bvem\b"),
        ("producentregistrering-tyskland",),
    ),
    Topic(
        "bought_module",
        re.compile(r"(?=.*modul\w*)(?=.*\b(fcc[- ]?id|certifier\w*|godkan\w*|racker|tacker)\b)"),
        # The US verdict on the module's FCC approval, not the EU one on a CE-marked module (`ce_parts`) nor
        # RED's "modul A" (a conformity assessment procedure).
        re.compile(r"(?=.*\bfcc)(?=.*modul\w*)(?=.*\b(racker|tacker|bara|ansvarar|fortfarande|anda)\b)"),
        re.compile(r"\b\w*modul\w*|\bfcc[- ]?id\b|\bcertifier\w*|\bracker\b"),
    ),
    Topic(
        "responsible",
        re.compile(
            r"\bvem\b[^?]{0,80}\b(ansvar\w*|tillverkare\w*|ce\b|ce-?mark\w*)"
            # "är det de eller vi som CE-märker den?", "räknas vi då som tillverkare?" (issue #11).
            r"|\b(vi|ni|jag)\s+eller\b[^?]{0,60}\b(ansvar\w*|tillverkare\w*|ce\b|ce-?mark\w*)"
            r"|\beller\s+(vi|ni|jag)\b[^?]{0,60}\b(ansvar\w*|tillverkare\w*|ce\b|ce-?mark\w*)"
            r"|\b(ar|blir|raknas)\s+(vi|jag|ni)\s+(\w+\s+){0,2}(som\s+)?tillverkare"
        ),
        re.compile(r"\b(ar|blir|raknas\s+som)\s+(\w+\s+){0,2}tillverkare\b|\bansvarar\s+for\s+(ce|att)"),
        re.compile(r"\bvem\b|\bansvar\w*|\btillverkare\w*|\bce\b([\s-]*mark\w*)?|\bcemark\w*"),
        ("tillverkaransvar",),
    ),
)
# Topics on which general sentences are a verdict for any product ("tillverkaren ansvarar för CE-märkningen",
# "CE-märkta komponenter räcker inte …"): with no rule that says it, the question is left to the other answers
# (not told that the product's rules hold no verdict).
GENERAL_TOPICS = frozenset({"responsible", "ce_parts", "own_qms", "registration"})
# A passage whose lead names the topic ("Anmält organ enligt RED: …") states its verdict for every product
# of its rule; another one must hold the product's words.
LEAD = re.compile(r"^([^.:;]{3,80}):")
# What each word of a passage's lead that the question does not hold takes from the passage's share of the
# question's and product's words: less than one held word (a product word weighs 0.3–0.6).
LEAD_UNASKED = 0.1


@dataclass(frozen=True)
class Verdict:
    """What answers a verdict question: its topic, and the passages cut to the verdict and one supporting
    sentence (empty when the knowledge base has no verdict for the product), with the product's rule."""

    topic: str
    passages: list[Passage]
    rule: Entry | None


def asked_topic(text: str) -> Topic | None:
    """The verdict topic a message asks about, or None."""
    folded = fold(text)
    if not WHETHER.search(folded) or ASKS_WHAT.match(folded):
        return None
    return next((t for t in TOPICS if t.asks.search(folded)), None)


def verdict(
    kb: KnowledgeBase, text: str, own: Sequence[str] = (), slots: Mapping[str, Any] | None = None
) -> Verdict | None:
    """The verdict a whether- or which-question about the product's rules asks for (see `TOPICS`), from the
    rules `own` (the consultation's) or those of the product the message or the consultation's `slots` name;
    None when the message asks no such question or names no product whose rules are known."""
    topic = asked_topic(text)
    if topic is None:
        return None
    questions = load_questions()
    # The consultation's product first: a word of the question may read as another ("klyven").
    profile = to_profile(slots, questions) if slots else None
    consulted = profile is not None and profile.known("product_type")
    asked_product = _read_product(text)
    if not consulted:
        profile = asked_product
    # The general CE entry's steps ("avgör om ett anmält organ behövs") are no verdict for any product.
    rules = [
        e for e in (kb.get(i) for i in own) if e is not None and e.kind == "regulation" and e.id != CE_ENTRY
    ]
    rules = list(dict.fromkeys([*product_rules(kb, text, profile), *rules]))
    anyones = [e for e in (kb.get(i) for i in topic.entries) if e is not None]
    if not rules and not anyones:
        return None
    product = " ".join(_product_words(questions, profile)) if profile is not None else ""
    asked = topic.words.sub(" ", NOT_PRODUCT.sub(" ", fold(text)))
    # The rules the question's own words find besides ("45 km/h-versionen" of a cargo bike is a moped, whose
    # rules the advisor's product type does not list), after the product's own.
    searched = [
        h for words in (asked, f"{asked} {product}") for h in kb.search(words, kind="regulation", limit=3)
    ]
    found = [h.entry for h in searched if h.score >= VERDICT_FOUND_SCORE]
    rules = list(dict.fromkeys([*rules, *(e for e in found if e.id != CE_ENTRY)]))
    # Last the entries that state the topic's verdict for any product (who is the manufacturer).
    rules = list(dict.fromkeys([*rules, *anyones]))
    terms = [*kb.weighted_terms(asked), *kb.weighted_terms(product)]
    best: tuple[float, int, bool, Passage, str] | None = None
    asks_route = bool(ROUTE.search(fold(text)))
    route: Passage | None = None
    asked_stems = kb.stems_of(text)
    for rank, entry in enumerate(rules):
        for passage in entry.passages:
            if passage.field not in {"summary", "body"}:
                continue
            sentences = FULL_STOP.split(passage.text)
            says = [i for i, sentence in enumerate(sentences) if topic.says.search(fold(sentence))]
            if not says:
                continue
            lead = LEAD.match(fold(passage.text))
            if (
                lead
                and topic.name in GENERAL_TOPICS
                and _names_other_product(lead.group(1), [profile, asked_product])
            ):
                # "Robotceller: den som bygger ihop …" is the robot cell's verdict, not a conveyor's nor an
                # unnamed product's: the general answers on responsibility take those.
                continue
            cut = " ".join(sentences[says[0] : says[0] + 2])
            # What is shown is weighed, with the lead that says what it is about: the rule 9 paragraph's
            # closing remark on diagnostic devices makes its verdict on therapeutic ones none for them.
            shown = cut if lead is None or says[0] == 0 else f"{lead.group(0)} {cut}"
            held = _held(kb, terms, shown)
            general = bool(lead and topic.asks.search(lead.group(1)))
            if general and lead and asks_route and ROUTE.search(lead.group(1)) and route is None:
                # "Självcertifieras som klass I går bara för …": the rule's verdict on the route asked about.
                route = dataclasses.replace(passage, text=" ".join(sentences[says[0] : says[0] + 2]))
            if held <= 0 and not general:
                continue
            if lead:
                # A lead naming a case the question does not ("Anmält organ för cybersäkerhetskraven:" for a
                # question on the radio directive as a whole) is that case's verdict, not the asked one.
                # The rule's own names ("enligt RED") name no case, and a lead the question names a word of
                # ("Regel 10 för aktiva produkter för diagnostik …" for "en aktiv produkt för diagnostik") is
                # the asked case.
                names = kb.stems_of(" ".join([entry.title, *entry.aliases]))
                named = [t for t, _ in kb.weighted_terms(topic.words.sub(" ", lead.group(1)))]
                unnamed = [t for t in named if not term_in(t, names)]
                if not any(term_in(t, asked_stems) for t in unnamed):
                    held -= LEAD_UNASKED * len(unnamed)
            # Ties go to the product's first rule, then to a paragraph over the summary it condenses.
            key = (held, -rank, passage.field == "body", dataclasses.replace(passage, text=cut), entry.id)
            if best is None or key[:3] > best[:3]:
                best = key
    if best is None:
        if topic.name in GENERAL_TOPICS:
            return None
        return Verdict(topic.name, [], rules[0])
    answer = [best[3]]
    if route is not None and route.key != best[3].key:
        # "Kan man självcertifiera en pulsoximeter som klass I?" asks whether the route is open: the rule's
        # statement of when it is (class Im needs a notified body) first, then the product's class.
        answer.insert(0, route)
    return Verdict(topic.name, answer, kb.get(best[4]))


def _held(kb: KnowledgeBase, terms: list[tuple[Any, float]], text: str) -> float:
    """The share of the terms a text holds: a term in the user's own word fully, one only through a concept
    it stands for ("robotcell" as a machine) half, so that the passage on robot cells outweighs the one on
    control cabinets for a robot cell."""
    stems = kb.stems_of(text)
    own = [(dataclasses.replace(term, stems=term.stems[:1]), share) for term, share in terms]
    return sum(share / 2 for term, share in terms if term_in(term, stems)) + sum(
        share / 2 for term, share in own if term_in(term, stems)
    )


def _names_other_product(lead: str, profiles: Sequence[Profile | None]) -> bool:
    """Whether a passage's lead ("Robotceller", folded) names a kind of product the asked one is not: the
    most specific product type the advisor reads in it is none of the `profiles`' (the consultation's and
    the one the question names); any kind, when they hold none."""
    named = _read_product(lead)
    if not named.known("product_type"):
        return False
    spec = load_questions().question("product_type")
    chosen = set(named.values.get("product_type", ()))
    implied = {value for o in spec.options if o.value in chosen for value in o.implies}
    own = {value for p in profiles if p is not None for value in p.values.get("product_type", ())}
    return not (chosen - implied) & own


def _product_words(questions: Any, profile: Profile) -> list[str]:
    """The titles and phrases of the product types the profile holds ("Vedklyv", "en aktiv medicinteknisk
    produkt för behandling"): the words a rule's passage about that kind of product holds."""
    chosen = set(profile.values.get("product_type", ()))
    spec = questions.question("product_type")
    # The most specific kinds only: a robot cell is also a machine, but "maskin" is in every passage of the
    # machine rules (the one on control cabinets outweighed the one on robot cells).
    implied = {value for o in spec.options if o.value in chosen for value in o.implies}
    return [f"{o.title} {o.phrase}" for o in spec.options if o.value in chosen - implied]
