"""Free questions after a recommendation, answered in the user's context.

Once the consultation has given its recommendation (the slot `advisor_summary` is set), a typed question
is read against it before the general knowledge answer:

1. A question that names a rule (a regulation entry: "maskindirektivet", "litiumbatteri", "medicinteknisk
   produkt") gets that rule's passage, found by the resolver within that entry, whether or not the
   recommendation listed the rule: a user who asks about the battery has one.
2. A question about one part of the recommendation ("vilket stöd kan vi söka?", "varför inte Kina?",
   "vad ska vi tänka på?", "vilka regler gäller?", "vad är nästa steg?") gets that part, filtered by the
   profile, as the button /advisor_more gives it. A question about where to make the product ("Kina eller
   Sverige?", "ska jag köra Kina eller inte?", "bättre i Kina än i Sverige när jag säljer i USA?") gets the
   recommendation's own reasoning (the path, why, and the runner-up with why not) and the knowledge base's
   passage on where to manufacture, before any rule a market in the question names. A support question
   about something in particular ("stöd för att köpa en kobot?") also gets what the knowledge base has on
   that, when it is a support, actor or strategy entry the part did not list.
   A question why the recommendation advises what it does ("varför ska vi lägga ut det?") gets its reasons
   and the runner-up. A yes/no question about CE marking ("Behöver batteripacket CE-märkas?") gets what the
   product's own rule says about CE marking, then the general CE entry. "Måste jag starta ett företag
   först?" gets the answer (not to get help with the idea; the supports are applied for by companies or
   organisations) and the advice's actors for an idea.
3. A question about building the product into a line or another machine gets the product's rules on
   partly completed machinery (bot/actions/limits.py). Yes/no questions on CE marking and on needing a
   company are answered by bot/actions/yesno.py.
4. Any other question gets the knowledge base's answer, found by the words of its asking sentences rather
   than the story around them, but never an old programme or call picked up by a word in passing (that is
   background, not advice for this user), and never an offer to start the consultation the user has
   already had. Advice found by its names answers with the paragraph that holds the question's own words.
   A passage that is weak evidence for the question (another product's rule, an exception the profile is
   not, none of its words, an ended support; bot/actions/limits.py) is no answer: then the recommendation's
   own steps and caveats that hold the question's words answer, or the user is told plainly that the
   knowledge base has no answer to it, with an actor of the recommendation to ask.

A message with several questions ("… gäller det några särskilda regler? Och hur gör vi med de första
200 …?") gets an answer to each. A sentence that is no question ("… Kina eller inte? jag har inte så mycket
pengar") or a short one that points back ("… formarna som står i Kina? Kan vi ta hem dem?") belongs to the
question before it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from functools import partial
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.kbaccess import get_kb
from bot.actions.knowledge import message_of, respond_to
from bot.actions.limits import (
    BUYING_A_STEP,
    DEFINITION_QUESTION,
    LEAD,
    MAKE_OR_BUY_INTENT,
    NO_WORDS,
    OBLIGATION,
    OWN_MAKING,
    RULES_TALK,
    SALES_HELP,
    STAFFING,
    advice_lines,
    allowed_rules,
    asked_paragraph,
    asked_sentences,
    asks_obligation,
    authority_for,
    building_in_answer,
    coverage,
    exception_not_asked,
    general_answer,
    handoff_actor,
    holds_thing,
    lab_passage,
    other_products_rule,
    own_making_passage,
    rules_asked,
    sales_help_answer,
    sought_thing,
    staffing_answer,
    test_bed_answer,
    weak_reason,
    worded_rules,
)
from bot.actions.newfacts import ABBREVIATION, PART_OF_WORK, SUMMARY_SLOT, update_from_facts
from bot.actions.proposal import (
    ASIA_PLACES,
    NEARSHORE_PLACES,
    before_sale,
    bridging_risk,
    cheapest_at,
    cheapest_text,
    choice_paths,
    choice_text,
    proposal_text,
    proposed_path,
    send_bridging,
    weighs,
)
from bot.actions.resolve import Message, Resolution, named_entries, resolve, verdict_resolution
from bot.actions.schools import for_users_school
from bot.actions.texts import Texts
from bot.actions.verdicts import verdict
from bot.actions.yesno import (
    COMPANY_FORM,
    NEEDS_COMPANY,
    NO_COMPANY,
    START_COMPANY,
    own_rule_on_ce,
    own_rule_says_no,
    start_company_answer,
    who_can_apply,
)
from bot.advisor import load_questions, load_rules, recommend
from bot.advisor.engine import WANTED, SupportItem, ended, open_to
from bot.advisor.model import SLOTS
from bot.advisor.profile import to_profile
from bot.kb.errors import KnowledgeError
from bot.kb.search import term_in
from bot.kb.store import KnowledgeBase
from bot.settings import get_settings
from bot.swedish import content_stems, fold, in_question_form

# Where one question ends and the next begins: "?" (or "." before "Och"/"Men"/a question word).
QUESTION_END = re.compile(
    r"(?<=\?)\s+|(?<=[.!])\s+(?=(?:och|men|vad|hur|när|var|vilk\w*|kan|ska|måste)\b)", re.I
)
# Places a product can be made (folded). Without a choice word a place is no question about where to make
# the product: "formarna som står i Kina" asks about the moulds, "säljer i USA" names a market.
OTHER_PLACES = ("turkiet", "europa", "utlandet", "utomlands", "sverige")
PLACES = f"({'|'.join((*ASIA_PLACES, *NEARSHORE_PLACES, *OTHER_PLACES))})"
# A question about where to make the product (folded): a choice between places or a place and not
# ("Kina eller Sverige", "Kina eller inte"), a comparison ("billigare i Kina", "bättre i Kina än i
# Sverige"), "varför inte Asien", or a verb that places the production ("lägga det i Kina", "köra Kina").
WHERE_PHRASE = (
    rf"\b{PLACES}\b[^?]{{0,40}}\beller\b|\beller\b[^?]{{0,40}}\b{PLACES}\b"
    rf"|\b(battre|billigare|dyrare|smartare|klokare|sakrare|snabbare)\b[^?]{{0,60}}\b(i|an|fran) {PLACES}\b"
    rf"|\b(i|fran) {PLACES}\b[^?]{{0,60}}\b(battre|billigare|dyrare|smartare|klokare)\b"
    rf"|\bvarfor inte\b[^?]{{0,40}}\b{PLACES}\b"
    rf"|\b(tillverka|producera|lagga|kora|flytta|bestalla)\b(\s+\w+){{0,2}}\s+((i|till|fran)\s+)?{PLACES}\b"
)
WHERE_QUESTION = re.compile(WHERE_PHRASE)
# Which country or region (folded): "vilket land ska vi lägga det i?". The recommended path's own description
# names where it means (persona round 24: a nearshoring advice, "vilket land?" got a passage on contract
# manufacturing). "Spelar det roll var i Asien?" is no such question: the own rules on duties answer it.
COUNTRY_QUESTION = re.compile(r"\bvilke[tna] (land|lander|region\w*)\b")
# A question why the recommendation advises what it does (folded): "varför ska vi lägga ut det?", "varför
# rekommenderar du det?", "varför då?". Its reasons and the runner-up answer it, not a general text on the
# path (round 8, p10); "varför kostar verktyg så mycket?" is no such question.
WHY_PHRASE = (
    r"^\W*varfor(\s+(det|da|sa))*\W*$"
    r"|\bvarfor\b(?!\s+inte)[^?]{0,40}\b(lagga ut|legotillverk\w*|tillverka|producera|kopa|flytta"
    r"|valja|rekommender\w*|foresla\w*|gora (det|sa)|automatiser\w*|anstalla|investera|behalla|satsa)\b"
)
# A statement that leaves out its subject after a question (folded): "… som student? har inte ens ett företag"
# states the asker's situation, though it begins like a yes/no question (round 19, p07 got it answered as a
# question of its own, with the advice on staffing agencies for "företag").
DROPPED_SUBJECT = re.compile(r"^\W*(har|ar|kan|vill|gor)\s+(ju\s+)?inte\b")
# A short sentence that points back to the question before it ("Kan vi ta hem dem?", "vad kostar det
# ungefär?"): read with it. "det" only as the object a verb asks about, not in "finns det" (round 13, p07: the
# cost of testing a helmet, asked alone, got the stages from prototype to series).
REFERS_BACK = re.compile(r"\b(dem|dom|dessa)\b|\b(kostar|tar|innebar|betyder)\s+det\b")
REFERS_BACK_WORDS = 6
# A question that ends on what the story told of (folded): "Kan jag fortfarande söka patent på den?" after
# "Jag har redan visat västen på en mässa" is about the vest shown, not about PRV's fees (round 12, p07).
ENDS_POINTING_BACK = re.compile(r"\b(pa|om|for|med|av|till) (den|det|dem)\W*$")
# "När" that opens a condition, not a question about a date (folded: a subject follows it, where a question
# has a verb: "När ska vi ansöka?"): "När vi sätter nya celler i kundens pack – räknas vi som tillverkare?" is
# read as "Om vi …" (round 15b, p10 got the CE entry's dates).
CONDITIONAL_WHEN = re.compile(r"^(\W*)n[aä]r(?=\s+(vi|jag|ni|man|de|dom|den|det|du|kunden|kunderna)\b)", re.I)
# "gå till väga" (how to proceed) says nothing of what is asked about: read as "göra", else "väga" is a stem
# of "våg" and the rules for weighing scales answer "Hur går vi till väga?" about hiring a contract
# manufacturer (round 18b, p09).
TO_WORK = re.compile(r"\b(g[aå]r|g[aå]|gick)\s+(vi|jag|man|ni)?\s*till\s+v[aä]ga\b", re.I)
# Buying part of the work from another workshop, here or nearby ("lägga ut en del av svetsningen på en
# verkstad i Polen", "köpa toppar av en underleverantör"): capacity bought, not the production moved; the
# recommendation's own line on it and the knowledge base's passage answer it, not the path weighed as a
# proposal (round 18, p08).
PART_OUT = re.compile(
    r"\b(lagga ut|lagga bort|kopa|kopa in|outsourca)\b[^?.!]{0,20}\b(en del|delar|del|nagot|toppar\w*)\b"
)
# One step of the work bought ("lägga ut svarvningen på ett snickeri", "köpa in komponenterna") is the same
# make-or-buy question about that step (round 20, p03/p10), unless it names a place to move it to: "lägga ut
# svetsningen till Polen i stället?" is a path proposed, weighed by bot/actions/proposal.py.
STEP_OUT = re.compile(
    rf"\b(lagga ut|kopa|kopa in|outsourca)\b[^?.!]{{0,20}}\b{PART_OF_WORK}"
    # "köpa in sitsarna färdiga": a part bought ready-made.
    r"|\bkopa (in )?(\w+ ){1,2}fardig\w*"
    # "låta ett snickeri grovsvarva ämnena": a step done by another workshop (issue #10).
    r"|\blata (en|ett|nagon|nan) (annan |annat )?"
    r"\w*(snickeri|verkstad|leverantor|lackeri|svarveri|smedja|firma)\w*"
)
# Whether the company's own people can make the volume ("hinner 8 pers 1 500 stolar?", "klarar vi 2000 st i
# garaget med en deltidare?"): own capacity weighed against buying parts, as for PART_OUT (round 20, p03/p10
# got food-contact and furniture-testing rules).
# Also the maker's capacity on a contract path ("hinner legotillverkaren leverera så många?", "klarar
# gjuteriet 1 500 om året?"; branch adv23: they got only the make-or-buy paragraph).
CAPACITY = re.compile(
    r"\b(hinner|klarar|orkar|maktar|racker)\s+(vi|jag|ni|man|de|dom|\d+\s*(pers\w*|anstallda|man)"
    r"|\w*(tillverkare|leverantor|verkstad|fabrik|gjuteri|snickeri)\w*)\b"
    r"[^?.!]{0,50}(\b\d[\d ]*\b|\bvolym\w*|\btakt\w*|\bsa manga\b|\bleverera\b)"
    r"|\b(hinner|klarar|orkar|maktar)\s+\w*(tillverkaren|leverantoren|verkstaden|fabriken|gjuteriet)\b"
)
# An abbreviation a question names ("UL-märkning", "FCC"), and those too common in rules' leads to pick one.
COMMON_ABBREVIATIONS = frozenset({"CE", "EU", "EES", "USA", "EN", "ISO"})
# The words the recommendation's own lines on capacity hold ("Räkna kapaciteten …, köp … av en svensk
# underleverantör"): a question whether the own people can make the volume is answered from them, with the
# user's figures, before any passage (issue #10: "hinner jag?" got a definition of TRL).
CAPACITY_LINES = "kapacitet kapaciteten underleverantör timmar"
# The words of the make-or-buy advice's paragraph on buying part of the work.
BUY_PART = "blandning kritiska stegen internt resten hos leverantörer flexibel kapacitet"
# Where a user asks whether to make the product abroad or at home: the intent whose default entry answers it.
WHERE_INTENT = "ask_offshore_vs_sweden"
# Intents whose advice is the recommendation's own subject (where to make it, make or buy): a question that
# names it with "istället" still asks for the comparison.
PATH_INTENTS = frozenset({WHERE_INTENT, MAKE_OR_BUY_INTENT})
# Words that ask for support in general (folded); what is left of a support question is its subject.
SUPPORT_WORDS = re.compile(
    r"\b(stod\w*|bidrag\w*|finansier\w*|lan(a|et)?|pengar|soka|sok|ansoka|finns|det|nat|nagot|nagon|vilket"
    r"|vilka|kan|vi|jag|for|att)\b"
)
# A yes/no question (folded): it opens with a verb ("Måste jag CE-märka krämen?", "Behöver vi …?").
YES_NO = re.compile(r"^\W*(maste|behover|ska|kravs|galler|far|bor)\b")
# Words that ask for the rules in general (folded); what is left of a rules question is its subject.
# Who asks, in a support question (folded): "som student", "som nystartad" is the asker's situation, which the
# support part has already filtered on, not a subject of its own (round 19, p07: "student" found the advice
# on staffing agencies).
ASKER = re.compile(
    r"\bsom (student\w*|privatperson\w*|enskild\w*|nystartad\w*|ensamforetagare|pensionar\w*)\b"
)
RULE_WORDS = re.compile(
    r"\b(regl\w*|regel\w*|ce|ce-?mark\w*|certifier\w*|direktiv\w*|lag|lagar\w*|krav\w*|kravs|galler|gall\w*"
    r"|vilka|vad|for|oss|vi|da|produkten"
    # "Påverkar det reglerna?", "Ändrar det något kring reglerna?" (round 17, p01 got Teknikcollege and an
    # export box for "påverka" after the update that named the new rules).
    r"|paverka\w*|andra[rs]?|nagot|kring)\b"
)
# Kinds of entry that add to the support part when a support question is about something in particular.
SUPPORT_KINDS = frozenset({"support", "actor", "strategy"})
# The parts of a recommendation a question can be about, and the phrases (folded, regexes) that ask for
# them. Checked in this order: "varför inte Kina?" asks for the alternative, not for a rule.
PART_PHRASES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "alternative",
        re.compile(
            r"\bvarfor inte\b|\bannat alternativ|\balternativ(et|en)?\b|\bnast basta\b|\bistallet\b"
            rf"|{WHERE_PHRASE}|{WHY_PHRASE}"
        ),
    ),
    (
        "supports",
        re.compile(
            r"\bstod(et|en)?\b|\bbidrag\w*|\bfinansier\w*|\blan(a|et)?\b|\bsoka pengar\b"
            r"|\bvem kan hjalpa\b|\baktorer(na)?\b"
            # "Vad kan jag få för hjälp eller pengar …?" (round 19, p07 in our words).
            r"|\b(fa|soka|finns)\b[^?]{0,30}\b(hjalp|pengar)\b(?! (att|med) (hitta|valja|valj))"
        ),
    ),
    # "vad ska vi tänka på?" asks for the caveats; "tänka på brandsäkerhet i verkstan?" asks about that.
    (
        "caveats",
        re.compile(
            r"\btanka pa\s*(?:$|[?.!,]|nar\b|infor\b)|\brisk(er|erna)?\b|\bfallgropar\b|\bse upp\b"
            r"|\bakta (oss|mig)\b"
        ),
    ),
    (
        "regulations",
        re.compile(
            r"\bregl(er|erna)\b|\bregel(verk\w*)?\b|\bce\b|\bce-?mark\w*|\bcertifier\w*"
            r"|\bdirektiv(et|en)?\b|\blagar(na)?\b|\bvilka krav\b|\bkravs\b.*\bsalja\b"
        ),
    ),
    ("steps", re.compile(r"\bnasta steg\b|\bborja med\b|\bforsta steg\w*\b|\bvad gor (vi|jag) nu\b")),
)
# Entries that are background, not advice for a user who has had a recommendation: a programme or call
# reached through a word in passing is no answer to a question about the user's own product.
BACKGROUND_KINDS = frozenset({"programme", "call"})
# Kinds of entries that give advice: their summary is a conclusion, their paragraphs the details.
ADVICE_KINDS = frozenset({"strategy", "faq"})
# The kind of entry that says what a term means, named by a question what it is.
DEFINED_KINDS = frozenset({"glossary"})
# How much of a question's words a paragraph of advice must hold to answer instead of the summary ("Vem ska
# äga verktyget?" holds "äga" and "formverktyg" of "ska vi äga formverktygen själva?"; the paragraph on
# outsourcing holds only "lägga" of "lägga ut en del svetsjobb på andra verkstäder?", which the summary's
# flexible capacity answers).
OWN_WORDS_SHARE = 0.5
# How many of a question's words a paragraph of the product's own rules must hold (besides OWN_WORDS_SHARE of
# their weight) to answer it when the resolver's answer is weak: one word is chance ("Hur får vi ut den till
# kunderna?" held only "kund" of the paragraph on a customer's electrical design; followup_tuning2.yml).
OWN_WORDS_HELD = 2
# How many entries the search offers `thing_answer` (the round-19 cases found theirs within the first five).
THING_HITS = 8
THING_WORDS = 2
# Kinds of entries that, named in a question, are what it asks about rather than a part of the advice.
NAMED_THINGS = frozenset({"support", "programme", "call", "actor", "regulation"})
# The topic of advice on staff (knowledge/): such advice, found by what a staffing question asks about,
# answers it before the general advice on competence supply.
STAFF_TOPIC = "competence"
# Messages that are no new question: "läs mer" about the answer just given.
OWN_INTENTS = frozenset({"read_more"})


def has_recommendation(tracker: Tracker) -> bool:
    """Whether this conversation has a recommendation (a consultation was completed)."""
    return bool(tracker.get_slot(SUMMARY_SLOT))


def questions_of(text: str) -> list[str]:
    """The questions of a message, in order ("… regler? Och hur gör vi …?" is two); a sentence that is no
    question, or a short one that points back, is read with the question before it, and the story before
    the first question with that question ("Bryggaren är i kontakt med kaffe. Måste materialet …?")."""
    questions: list[str] = []
    story = ""
    for part in (p.strip() for p in QUESTION_END.split(text)):
        if not part:
            continue
        short_back = len(part.split()) <= REFERS_BACK_WORDS and REFERS_BACK.search(fold(part))
        asks = in_question_form(part, frozenset({"och", "men"})) and not (
            "?" not in part and DROPPED_SUBJECT.search(fold(part))
        )
        if questions and (short_back or not asks):
            questions[-1] = f"{questions[-1]} {part}"
        elif not questions and not asks:
            story = f"{story} {part}".strip()
        else:
            questions.append(f"{story} {part}".strip())
            story = ""
    return questions or ([story] if story else [])


def asked_part(text: str) -> str | None:
    """The recommendation's part a question asks for, or None."""
    folded = fold(text)
    return next((part for part, phrase in PART_PHRASES if phrase.search(folded)), None)


def part_text(advice: Any, part: str) -> str:
    """The text of one part of a recommendation; "" when it has nothing for it."""
    if part == "steps":
        t = advice.texts
        steps = [t["numbered"].format(number=i, text=s) for i, s in enumerate(advice.next_steps, 1)]
        return "\n".join([t["steps_heading"], *steps]) if steps else ""
    return str(getattr(advice, f"{part}_part")())


_PART_PAYLOAD = re.compile(r'"advice_part":\s*"(\w+)"')


def offered_buttons(texts: Texts, advice: Any, shown: str | None = None) -> list[dict[str, Any]]:
    """The buttons under a recommendation or one of its parts: one per part that has something for these
    answers (not the part just `shown`), then the summary and restart. A button that could only answer
    "Det finns inget mer att visa" is not offered (round 7, p01)."""
    buttons = []
    for button in texts.buttons("utter_advisor_after"):
        found = _PART_PAYLOAD.search(button["payload"])
        if found is None or (found.group(1) != shown and advice.has_part(found.group(1))):
            buttons.append(button)
    return buttons


def send_part(dispatcher: CollectingDispatcher, texts: Texts, advice: Any, part: str) -> None:
    """Send one part of the recommendation with buttons for the other parts."""
    others = offered_buttons(texts, advice, shown=part)
    dispatcher.utter_message(
        text=part_text(advice, part) or texts.get("utter_advisor_nothing_more"), buttons=others
    )


def comparison_text(advice: Any, describe: bool = False) -> str:
    """The recommendation's reasoning for a where-to-make question: the path (with `describe`, what it means,
    which names the countries for a path abroad), why, and the runner-up."""
    t = advice.texts
    lines = [t["heading"].format(title=advice.title)]
    if describe:
        lines.append(advice.description)
    if advice.reasons:
        lines += [t["reasons_heading"], *(t["bullet"].format(text=r) for r in advice.reasons)]
    alternative = advice.alternative_part()
    return "\n".join(lines) + (f"\n\n{alternative}" if alternative else "")


def send_comparison(
    dispatcher: CollectingDispatcher,
    texts: Texts,
    kb: KnowledgeBase,
    msg: Message,
    advice: Any,
    where: bool = True,
    describe: bool = False,
) -> list[EventType]:
    """Answer "Kina eller Sverige?" or "varför inte något annat?": the recommendation's reasoning with the
    buttons for the other parts, then (`where`) the knowledge base's passage on where to manufacture."""
    dispatcher.utter_message(
        text=comparison_text(advice, describe), buttons=offered_buttons(texts, advice, "alternative")
    )
    return send_where_gist(dispatcher, texts, kb, msg) if where else []


def send_where_gist(
    dispatcher: CollectingDispatcher, texts: Texts, kb: KnowledgeBase, msg: Message
) -> list[EventType]:
    """The knowledge base's passage on where to manufacture: the entry's gist, not a paragraph picked by a
    place name in the question ("… i Sverige …")."""
    found = resolve(kb, dataclasses.replace(msg, intent=WHERE_INTENT, entities=()))
    if found.entry is None or WHERE_INTENT not in found.entry.answers_intents:
        return []
    gist = resolve(kb, dataclasses.replace(msg, text=found.entry.title, intent=WHERE_INTENT, entities=()))
    return (
        respond_to(dispatcher, texts, kb, msg, gist if gist.entry == found.entry else found, offer=False)
        or []
    )


def send_proposal(
    dispatcher: CollectingDispatcher,
    texts: Texts,
    kb: KnowledgeBase,
    msg: Message,
    advice: Any,
    profile: Mapping[str, object],
    path: str,
) -> list[EventType]:
    """A path the user proposes, weighed against their answers (bot/actions/proposal.py); then for a place the
    knowledge base's passage on where to manufacture, for own machines the make-or-buy paragraph on making it
    yourself, and for automation the recommendation's own lines on it."""
    dispatcher.utter_message(
        text=proposal_text(texts, advice, profile, path, msg.text), buttons=offered_buttons(texts, advice)
    )
    if path == "in_house":
        return send_own_making(dispatcher, texts, kb, msg, advice)
    if path == "automation_home":
        send_advice_lines(dispatcher, texts, advice_lines(advice, msg.text))
        return []
    return send_where_gist(dispatcher, texts, kb, msg)


def support_topic(
    kb: KnowledgeBase, msg: Message, advice: Any, profile: Mapping[str, object] | None = None
) -> Resolution | None:
    """What the knowledge base has on a support question's own subject ("stöd för att köpa en kobot?") when
    that is a support, actor or strategy entry the support part did not list, that the user can apply for
    (by the advisor's own filter on `profile`, the slot values) and that has not ended; else None."""
    # Read without its words for support, nor the user's lack of a company: "vilket stöd kan jag få? har inte
    # ens ett företag" is about nothing in particular (round 19, p07 got a passage on staffing agencies).
    rest = ASKER.sub(" ", SUPPORT_WORDS.sub(" ", NO_COMPANY.sub(" ", fold(msg.text))))
    found = resolve(kb, dataclasses.replace(msg, text=rest, entities=()))
    listed = {item.id for item in advice.supports}
    entry = found.entry
    if entry is None or found.candidates or entry.kind not in SUPPORT_KINDS or entry.id in listed:
        return None
    who = " ".join(p.text for p in entry.passages if p.field == "who_can_apply")
    if NO_COMPANY.search(fold(msg.text)) and NEEDS_COMPANY.search(fold(who)):
        # "vilket stöd kan jag söka? jag har ju inget företag": the words left are the user's situation,
        # and a support for companies is none they can use (persona round 12, p07).
        return None
    if profile is not None and not usable_support(entry, profile):
        # The same filter as the support part's: no grant for limited companies to a student without one,
        # and no ended programme (round 19, p07 got Vinnova's grant for SMEs after the right actors).
        return None
    return found


def usable_support(entry: Any, profile: Mapping[str, object]) -> bool:
    """Whether the user the slot values describe can use a support entry: it is open to them
    (`bot.advisor.engine.open_to`, the advisor's own filter) and has not ended."""
    questions = load_questions()
    rules = load_rules(questions=questions)
    answers = to_profile(profile, questions)
    today = get_settings().today_date()
    return open_to(entry, answers, rules.settings, questions) and not ended(entry, today)


def send_support_topic(
    dispatcher: CollectingDispatcher,
    texts: Texts,
    kb: KnowledgeBase,
    msg: Message,
    advice: Any,
    profile: Mapping[str, object] | None = None,
) -> list[EventType]:
    """After the support part: what the knowledge base has on the question's own subject (`support_topic`)."""
    found = support_topic(kb, msg, advice, profile)
    return [] if found is None else respond_to(dispatcher, texts, kb, msg, found, offer=False) or []


def send_no_dedicated_support(
    dispatcher: CollectingDispatcher, texts: Texts, msg: Message, advice: Any, rule: Any
) -> list[EventType]:
    """A support question about one rule ("stöd för att klara MDR?") the knowledge base has no support for:
    say so, name the recommendation's actor that fits best, then the supports that fit the user."""
    lead = LEAD.match(rule.title)
    name = lead.group(1) if lead else rule.title
    parts = [texts.get("utter_followup_no_rule_support", rule=name[:1].lower() + name[1:])]
    actor = handoff_actor(advice, msg.text)
    if actor is not None:
        parts.append(texts.get("utter_followup_ask_actor", title=actor.title, why=actor.why, url=actor.url))
    dispatcher.utter_message(text="\n".join(parts))
    send_part(dispatcher, texts, advice, "supports")
    return []


def held_share(kb: KnowledgeBase, terms: list[tuple[Any, float]], passage: Any) -> float:
    """The weighted share of a question's `terms` (kb.weighted_terms) that a passage's own text holds."""
    stems = kb.stems_of(passage.text)
    return sum(share for term, share in terms if term_in(term, stems))


def send_own_making(
    dispatcher: CollectingDispatcher, texts: Texts, kb: KnowledgeBase, msg: Message, advice: Any
) -> list[EventType]:
    """Answer a proposal to make or assemble the product yourself ("… göra slutmonteringen själva i Borås?"):
    the recommendation's own steps and caveats on it, then the make-or-buy advice's paragraph on making it
    yourself (what it gives and what it demands), with its source."""
    send_advice_lines(dispatcher, texts, advice_lines(advice, msg.text))
    gist = own_making_gist(kb, msg)
    own = [item.id for item in advice.regulations]
    mine = within_own_rules(kb, msg, own)
    mine = general_answer(kb, msg, mine, own) if mine is not None else None
    if mine is not None and mine.passages and (gist is None or better_covered(kb, msg.text, mine, gist)):
        # "… hyra en egen liten lokal och anställa någon?" about cosmetics: what its rules ask of the premises
        # (round 15b, p09), also when the proposal is weighed (round 17, p09).
        gist = mine
    if gist is None:
        return []
    return respond_to(dispatcher, texts, kb, msg, gist, offer=False) or []


def own_making_gist(kb: KnowledgeBase, msg: Message) -> Resolution | None:
    """The make-or-buy advice's paragraph on making it yourself, or None when the knowledge base has none."""
    default = kb.by_intent(MAKE_OR_BUY_INTENT)
    if default is None or not default.passages:
        return None
    return own_making_passage(kb, msg, Resolution(passages=[default.passages[0]], entries=[default]))


def own_words_passage(kb: KnowledgeBase, msg: Message, found: Resolution) -> Resolution:
    """Advice found through its names ("ska vi äga formverktygen?" names the advice on contracts by its
    alias) answers with its summary, since every paragraph holds the names; the paragraph that holds more
    of the question's own words than the summary does answers better ("Vem ska äga verktyget? …"; round 8,
    p03 got the tool costs, then the contract's summary). So does it for the paragraph the names found
    ("… söka patent när jag redan har visat den?" found the paragraph on sharing with the maker, not PRV's
    on novelty; round 12, p07)."""
    entry = found.entry
    if entry is None or entry.kind not in ADVICE_KINDS or not found.passages or found.candidates:
        return found
    if found.passages[0].field not in {"summary", "body"}:
        return found
    held = partial(held_share, kb, kb.weighted_terms(msg.text))
    best = max((p for p in entry.passages if p.field == "body"), key=held, default=None)
    if best is None or held(best) < OWN_WORDS_SHARE or held(best) <= held(found.passages[0]):
        return found
    return Resolution(passages=[best], entries=[entry])


def advice_over_definition(kb: KnowledgeBase, msg: Message, found: Resolution, own: list[str]) -> Resolution:
    """A definition answers only what a thing is: for any other question about it, the advice on it (an
    advice entry related to the definition either way) that holds the question's words, the one for the
    product's own rules first ("Vad ska vi kräva av en lönetillverkare för våra krämer?" about cosmetics gets
    what to demand of a contract manufacturer of cosmetics; round 18, p09 and 18b, p09 got the definition of
    contract manufacturing)."""
    entry = found.entry
    if entry is None or entry.kind != "glossary" or found.candidates or not found.passages:
        return found
    if DEFINITION_QUESTION.search(fold(msg.text)) or not general_answer(kb, msg, found, own).passages:
        # A definition that is weak evidence for the question (customs in TCO's list of costs) gives way to
        # the product's own rules later, not to advice related to it.
        return found
    question = asked_sentences(msg.text)
    advice = [
        e
        for e in kb.all()
        if e.kind in ADVICE_KINDS and e.passages and (entry.id in e.related or e.id in entry.related)
    ]

    def fits(e: Any) -> tuple[bool, float]:
        return bool(set(e.related) & set(own)), coverage(kb, question, e.passages[0], e)

    best = max(advice, key=fits, default=None)
    if best is None or not fits(best)[1]:
        return found
    if coverage(kb, question, found.passages[0], entry) > fits(best)[1]:
        # A definition that holds more of the question than the advice is what it asks about: "kan jag få
        # patent om jag redan visat idén offentligt?" is the novelty rule itself (persona round 25, p07 got
        # the advice on protecting an idea, then PRV's fees).
        return found
    # The advice must answer on its own (bot/actions/limits.py).
    mine = general_answer(kb, msg, Resolution(passages=[best.passages[0]], entries=[best]), own)
    return mine if mine.passages else found


def obligation_answer(kb: KnowledgeBase, msg: Message, found: Resolution, own: list[str]) -> Resolution:
    """For a question whether one must have a thing, a passage that states the obligation and holds it (the
    product's own rules and their advice first) over one that does not (see `OBLIGATION`)."""
    if not asks_obligation(msg.text):
        return found
    if found.passages and OBLIGATION.search(fold(found.passages[0].text)):
        return found
    return thing_answer(kb, msg, own) or found


def thing_answer(kb: KnowledgeBase, msg: Message, own: list[str]) -> Resolution | None:
    """The paragraph of advice, or of the product's own rules, that holds the thing the question's form names
    as what it asks about ("Hur skyddar jag designen mot att fabriken kopierar den?": the advice on
    protecting the idea, not the TCO text that lists the risk of copying; round 19, p03), and most of its
    words; the product's own rules and their advice first ("Måste vårt eget bolag ha ett kvalitetssystem …?"
    about a medical device made by an EMS: MDR's quality system of the manufacturer, not the definition of
    ISO 9001; p05). None when no entry holds it."""
    thing = sought_thing(msg.text)
    if thing is None:
        return None
    question = asked_sentences(msg.text)
    held = partial(held_share, kb, kb.weighted_terms(question))
    # The entries the search finds, and the product's own rules and their advice, which the story's words may
    # not find ("EMS:en bygger apparaten" does not name the advice on contract manufacturing of medtech).
    hits = [hit.entry for hit in kb.search(question, limit=THING_HITS)]
    hits += [e for e in kb.all() if (e.id in own or e.kind in ADVICE_KINDS and set(e.related) & set(own))]
    hits = list(dict.fromkeys(hits))
    obliged = asks_obligation(msg.text)
    found = [
        (
            obliged and bool(OBLIGATION.search(fold(passage.text))),
            entry.id in own or bool(set(entry.related) & set(own)),
            held(passage),
            -rank,
            passage,
            entry,
        )
        for rank, entry in enumerate(hits)
        if entry.kind in ADVICE_KINDS or entry.id in own
        for passage in entry.passages
        if passage.field in {"summary", "body"} and holds_thing(thing, passage.text)
    ]
    # A passage that holds only the thing ("kunskap" in a press release) is no answer: it must hold another of
    # the question's words, or be advice for the product's own rules.
    terms = kb.weighted_terms(question)
    found = [
        f for f in found if f[1] or sum(term_in(t, kb.stems_of(f[4].text)) for t, _ in terms) >= THING_WORDS
    ]
    for *_, passage, entry in sorted(found, key=lambda f: f[:4], reverse=True):
        mine = Resolution(passages=[passage], entries=[entry])
        if entry.id in own and weak_reason(kb, msg, mine, allowed_rules(kb, msg, own)) in (None, NO_WORDS):
            # The product's own rule holding the thing answers, though it may word it as another compound
            # ("kvalitetsledningssystem" for "kvalitetssystem") that the search's terms do not match; never
            # one on goods of another origin or an exception the user is not.
            return mine
        mine = general_answer(kb, msg, mine, own)
        if mine.passages:
            return mine
    return None


def named_advice(kb: KnowledgeBase, msg: Message, own: list[str]) -> Resolution | None:
    """The answer of the one advice entry (strategy, faq; a glossary entry for a question what it is) the
    question names, when it holds the question's own words (`general_answer`); None when it names none or
    several."""
    question = asked_sentences(msg.text)
    # "Vad menas med NRE i en offert …?" asks what the named term is: its definition answers too (persona
    # round 31 got a line of the advice on quotes).
    kinds = ADVICE_KINDS | DEFINED_KINDS if DEFINITION_QUESTION.search(fold(question)) else ADVICE_KINDS
    named = [e for e in named_entries(kb, question) if e.kind in kinds]
    if len(named) != 1:
        return None
    # Its paragraph that holds most of the question, the summary on a tie: the resolver, asked with the
    # entry, may still pick another entry by a word of the story ("svetsare" names the welding standard).
    entry = named[0]
    if entry.kind in DEFINED_KINDS:
        # What the term means is its summary, whatever else the question's words hold ("… i en offert").
        summary = [p for p in entry.passages if p.field == "summary"]
        return Resolution(passages=summary, entries=[entry]) if summary else None
    paragraphs = [p for p in entry.passages if p.field in {"summary", "body"}]
    best = max(paragraphs, key=lambda p: coverage(kb, question, p, entry), default=None)
    if best is None:
        return None
    found = general_answer(kb, msg, Resolution(passages=[best], entries=[entry]), own)
    return found if found.passages else None


def better_covered(kb: KnowledgeBase, question: str, one: Resolution, other: Resolution) -> bool:
    """Whether the first passage of `one` holds more of the question's words than that of `other`."""

    def covered(found: Resolution) -> float:
        if not found.passages or found.entry is None:
            return 0.0
        passage = found.passages[0]
        return coverage(kb, question, passage, kb.get(passage.entry_id) or found.entry)

    return covered(one) > covered(other)


def within_own_rules(kb: KnowledgeBase, msg: Message, own: list[str]) -> Resolution | None:
    """The passage of the product's own rules that answers a question, or None: among the rules, else
    asked of each rule in turn, when the question's words pick one of its passages rather than its gist
    ("kan jag fortsätta i mitt kök?" about cosmetics is about their premises)."""
    found = resolve(kb, dataclasses.replace(msg, intent="ask_entry", entities=tuple(own)))
    if found.passages and found.entry is not None and found.entry.id in own:
        return found
    # The rules the search also found first, then the others.
    hit = [e.id for e in (*found.candidates, *found.entries) if e.id in own]
    for rule in filter(None, (kb.get(rule_id) for rule_id in dict.fromkeys([*hit, *own]))):
        # Asked as a question about that rule: its short name (the id) beside the question's words; the
        # whole title would pull the answer to the passages that repeat the title's words.
        text = f"{rule.id.replace('-', ' ')} {msg.text}"
        found = resolve(kb, dataclasses.replace(msg, text=text, intent="ask_entry", entities=(rule.id,)))
        if found.passages and found.entry == rule and found.passages[0].field != "summary":
            return found
    return None


def product_stems(profile: Mapping[str, object] | None) -> frozenset[str]:
    """The stems of the words that name the user's own kinds of product (the synonyms of the profile's
    `product_type` in knowledge/advisor/questions.yml: "kräm", "hudkräm*" for cosmetics)."""
    if not profile:
        return frozenset()
    kinds = profile.get("product_type") or []
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)  # type: ignore[call-overload]
    question = load_questions().question("product_type")
    synonyms = [s.rstrip("*") for o in question.options if o.value in kinds for s in o.synonyms]
    return frozenset(content_stems(" ".join(synonyms)))


def best_own_paragraph(
    kb: KnowledgeBase,
    msg: Message,
    own: list[str],
    story: bool = False,
    product: frozenset[str] = frozenset(),
) -> Resolution | None:
    """The paragraph of the product's own rules that holds most of the question's words (with `story`, of
    the whole message's), when it holds at least OWN_WORDS_SHARE of them; else None. Chosen by the words the
    paragraph itself holds, not by the entry's names, which every paragraph of a rule shares. A word naming
    the user's own kind of product (`product` stems: "krämen" about cosmetics) says whose rules, not which
    paragraph, so every paragraph holds it."""
    terms = kb.weighted_terms(msg.text if story else asked_sentences(msg.text))
    named = [(term, share) for term, share in terms if product and set(term.stems) <= product]
    terms = [pair for pair in terms if pair not in named]
    named_share = sum(share for _, share in named)
    if not terms:
        return None

    def held(passage: Any) -> float:
        return held_share(kb, terms, passage) + named_share

    rules = [entry for entry in map(kb.get, own) if entry is not None]
    body = [
        (p, entry)
        for entry in rules
        for p in entry.passages
        if p.field == "body" and exception_not_asked(p, msg.text) is None
    ]
    best = max(body, key=lambda pair: held(pair[0]), default=None)
    if best is None or held(best[0]) < OWN_WORDS_SHARE:
        return None
    stems = kb.stems_of(best[0].text)
    # A question of one known word ("Hur blir det med tullen?") needs only that one.
    if sum(term_in(term, stems) for term, _ in terms) < min(OWN_WORDS_HELD, len(terms)):
        return None
    return Resolution(passages=[best[0]], entries=[best[1]])


def rule_on_subject(kb: KnowledgeBase, msg: Message, own: list[str]) -> Resolution | None:
    """For a question about the rules that also names its own subject ("… CE om någon annan bygger
    elskåpen?"), the paragraph of the product's rules that holds its words (`best_own_paragraph`), one of them
    besides the words that ask for rules; None for "vilka regler gäller för oss?"."""
    mine = best_own_paragraph(kb, msg, own)
    if mine is None:
        return None
    subject = kb.weighted_terms(RULE_WORDS.sub(" ", fold(asked_sentences(msg.text))))
    stems = kb.stems_of(mine.passages[0].text)
    if not any(term_in(term, stems) for term, _ in subject):
        return None
    found = general_answer(kb, msg, mine, own)
    return found if found.passages else None


def own_rule_over_gist(kb: KnowledgeBase, msg: Message, found: Resolution, rules: list[str]) -> Resolution:
    """A named rule answered only with its gist gives way to the paragraph of the named and the product's own
    rules (`rules`) that holds more of the question's words (`best_own_paragraph`): "Hur blir det med
    CE-märkningen om någon annan bygger elskåpen?" names CE marking, but the machine rules' paragraph on
    cabinets from a panel builder answers it (round 13, p04 got the definition of CE marking); "Vad krävs för
    att sälja leksakerna i USA?" gets the paragraph on toys for the USA, not two definitions (p03). So does a
    paragraph of a listed general rule that holds fewer of them: the machine rules' paragraph on cabinets from
    a panel builder, not the general CE paragraph on who CE-marks what a factory builds."""
    if not found.passages:
        return found
    mine = best_own_paragraph(kb, msg, rules)
    if mine is None or not better_held(kb, msg.text, mine, found):
        return found
    if found.passages[0].field != "summary" and not heaviest_term_only_in(kb, msg.text, mine, found):
        # A paragraph (not the gist) that holds what the question is most about stays ("… UN 38.3. Kan vi
        # använda den när vi skickar våra pack?" keeps the paragraph on packs).
        return found
    mine = general_answer(kb, msg, mine, rules)
    return mine if mine.passages else found


def heaviest_term_only_in(kb: KnowledgeBase, question: str, one: Resolution, other: Resolution) -> bool:
    """Whether the first passage of `one` holds the asking sentences' heaviest term and that of `other` does
    not ("elskåpen" in "Hur blir det med CE-märkningen om någon annan bygger elskåpen?")."""
    terms = kb.weighted_terms(asked_sentences(question))
    if not terms:
        return False
    top = max(terms, key=lambda pair: pair[1])[0]
    return term_in(top, kb.stems_of(one.passages[0].text)) and not term_in(
        top, kb.stems_of(other.passages[0].text)
    )


def own_rule_over_advice(
    kb: KnowledgeBase, msg: Message, found: Resolution, own: list[str], product: frozenset[str] = frozenset()
) -> Resolution:
    """General advice gives way to the paragraph of the product's own rules that holds more of the question's
    words (`best_own_paragraph`): "USA har höjt tullarna på kinesiska varor. Spelar det roll var i Asien vi
    tillverkar?" gets the paragraph on US duties on goods from China, not the advice to compare total cost
    that lists customs among other costs (round 16, p03)."""
    if not found.passages or found.entry is None or found.entry.kind == "regulation":
        return found
    story = asked_sentences(msg.text) != msg.text
    if not story and not RULES_TALK.search(fold(msg.text)):
        # No story: the question's own words found the advice ("Kan vi lägga ut en del svetsjobb på andra
        # verkstäder?" is not about the welding rules). A question on what is required asks the product's own
        # rules, though: "Vad krävs av en egen lokal om vi gör krämen själva?" about cosmetics gets what the
        # cosmetics rules ask of the premises, not the make-or-buy paragraph on making it yourself.
        return found
    mine = best_own_paragraph(kb, msg, own, story=story, product=product)
    if mine is None or not better_held(kb, msg.text, mine, found, story=True):
        return found
    # The story's words chose it, so it need not hold the asking sentence's words; it must still be about
    # the user's kind of product and case.
    passage = mine.passages[0]
    entry = kb.get(passage.entry_id)
    if entry is None or other_products_rule(kb, passage, entry, allowed_rules(kb, msg, own)):
        return found
    return found if exception_not_asked(passage, msg.text) is not None else mine


def better_held(
    kb: KnowledgeBase, question: str, one: Resolution, other: Resolution, story: bool = False
) -> bool:
    """Whether the first passage of `one` holds more of the question's words (with `story`, of the whole
    message's) than that of `other`."""
    held = partial(held_share, kb, kb.weighted_terms(question if story else asked_sentences(question)))
    return held(one.passages[0]) > held(other.passages[0])


def answer_question(
    dispatcher: CollectingDispatcher,
    texts: Texts,
    kb: KnowledgeBase,
    msg: Message,
    advice: Any,
    admit: bool = False,
    honest: bool = True,
    profile: Mapping[str, object] | None = None,
) -> list[EventType] | None:
    """Answer one question in the context of the recommendation; None when nothing here answers it. With
    `admit` a question nothing answers is told so (see `answer_from_advice`), and with `honest` one that only
    weak evidence answers; not after new facts, whose rules are the answer. `profile` (the slot values) lets a
    path the user proposes be weighed against the answers."""
    ruling = verdict(kb, msg.text, [item.id for item in advice.regulations], profile)
    if ruling is not None:
        # "Behöver vedklyven ett anmält organ?", "så IIb alltså?": the verdict of the product's own rules, or
        # that they hold none, never a neighbouring passage (persona rounds 23–24b).
        return respond_to(dispatcher, texts, kb, msg, verdict_resolution(ruling), offer=False) or []
    test_bed = test_bed_answer(kb, msg)
    if test_bed is not None:
        # "Var gör man köldprov?", "vem testar IP-klassen?": test environments, not a rule's own test or a
        # class.
        return respond_to(dispatcher, texts, kb, msg, test_bed, offer=False) or []
    sales = sales_help_answer(kb, msg)
    if sales is not None:
        # "Kan ni hjälpa oss med försäljningen?", "… marknad och försäljning. Vem kan hjälpa oss?": no advice
        # on selling here, and who helps instead (Almi, Business Sweden), not the supports list with RISE
        # (persona round 31).
        return respond_to(dispatcher, texts, kb, msg, sales, offer=False) or []
    if SALES_HELP.search(fold(msg.text)):
        # Selling is not what the assistant helps with; say so, not a rule that mentions selling.
        dispatcher.utter_message(
            text=texts.get("utter_out_of_scope"), buttons=texts.buttons("utter_out_of_scope")
        )
        return []
    # "Kan vi rekrytera svetsare från Polen eller Filippinerna?" is about staff, not where to make it
    # (round 12, p08).
    staffing_question = bool(STAFFING.search(fold(msg.text)))
    if OWN_MAKING.search(fold(msg.text)) and WHERE_QUESTION.search(fold(msg.text)):
        # "Varför inte hem till Sverige och göra slutmonteringen själva?": the user's own alternative is
        # weighed, not the recommendation repeated (round 13, p06).
        return send_own_making(dispatcher, texts, kb, msg, advice)
    if bridging_risk(msg.text, advice):
        # "Lagret tar slut om tre månader – ska vi lägga en sista order hos den vi har?": the deadline is the
        # risk, and the bridging order the answer (round 14b, p03 got the recommendation again).
        return send_bridging(dispatcher, texts)
    sale = before_sale(kb, msg.text, advice)
    if sale is not None:
        # "Måste jag sluta sälja?": the rules apply to what is sold now (round 14b, p09).
        dispatcher.utter_message(text=texts.get("utter_followup_rules_apply_now"))
        return respond_to(dispatcher, texts, kb, msg, sale, offer=False) or []
    if bought_part(fold(msg.text)) and not staffing_question:
        # "Vore det dumt att lägga ut en del av svetsningen i Polen?": buying capacity, not moving the
        # production (round 18, p08 got the nearshore path weighed and the advice repeated).
        return send_part_out(dispatcher, texts, kb, msg, advice)
    cheapest = cheapest_at(msg.text)
    if profile is not None and cheapest is not None:
        # "Vad blir billigast vid 20 000 st?": the rules' scoring at that volume, cost deciding; no passage.
        dispatcher.utter_message(
            text=cheapest_text(advice, profile, cheapest), buttons=offered_buttons(texts, advice)
        )
        return []
    paths = choice_paths(msg.text)
    if profile is not None and paths and not staffing_question:
        # "Eget labb eller legotillverkare?", "egen verkstad eller lego?": the two weighed by the rules'
        # scoring of the user's answers, not one of them weighed or a passage (persona rounds 23–24).
        dispatcher.utter_message(
            text=choice_text(texts, advice, profile, paths), buttons=offered_buttons(texts, advice)
        )
        return []
    proposal = proposed_path(msg.text)
    if profile is not None and weighs(msg.text, proposal, advice) and not staffing_question:
        # "Borde vi inte ta det i Kina vid 10 000 st?", "egen kantpress för miljonen?": the proposal weighed
        # against the user's answers, not the recommendation repeated (round 14b, p01, p04, p06).
        return send_proposal(dispatcher, texts, kb, msg, advice, profile, str(proposal))
    own = [item.id for item in advice.regulations]
    abbreviated = abbreviation_passage(kb, msg, own)
    if abbreviated is not None:
        # "Behöver jag UL-märkning?": the paragraph of the product's own rules whose lead names the
        # abbreviation ("USA, UL-listning: …"), not the rule's summary (round 20b, p03).
        return respond_to(dispatcher, texts, kb, msg, abbreviated, offer=False) or []
    if COUNTRY_QUESTION.search(fold(msg.text)) and not staffing_question:
        return send_comparison(dispatcher, texts, kb, msg, advice, describe=True)
    if WHERE_QUESTION.search(fold(msg.text)) and not staffing_question:
        # Where to make it: the recommendation's reasoning, not a rule a market in the question names; but
        # a paragraph of the product's own rules that holds most of the question's words answers it too
        # ("USA har höjt tullarna på kinesiska varor – spelar det roll var i Asien vi tillverkar?": the
        # customs paragraph, round 16, p03 got only the TCO text).
        events = send_comparison(dispatcher, texts, kb, msg, advice)
        particular = best_own_paragraph(kb, msg, own)
        particular = general_answer(kb, msg, particular, own) if particular is not None else None
        if particular is not None and particular.passages:
            events += respond_to(dispatcher, texts, kb, msg, particular, offer=False) or []
        return events
    named = named_entries(kb, msg.text)
    # A question about the rules that nothing answers is told so, with the authority that supervises them.
    asked_rules = rules_asked(kb, msg.text, own)
    if NO_COMPANY.search(fold(msg.text)) and named:
        # "Kan jag söka Almi eller Vinnova fast jag inte har nåt företag?": who can apply, first.
        who = who_can_apply(kb, named)
        if who is not None:
            if all(NEEDS_COMPANY.search(fold(p.text)) for p in who.passages):
                dispatcher.utter_message(text=texts.get("utter_followup_company_needed"))
            return respond_to(dispatcher, texts, kb, msg, who, offer=False) or []
    if START_COMPANY.search(fold(msg.text)) and not COMPANY_FORM.search(fold(msg.text)):
        # "Måste jag starta ett företag först?": not to get help with the idea; to apply for money, yes.
        start = start_company_answer(kb, advice)
        if start is not None:
            dispatcher.utter_message(text=texts.get("utter_followup_start_company"))
            return respond_to(dispatcher, texts, kb, msg, start, offer=False) or []
    building_in = building_in_answer(kb, msg, own)
    if building_in is not None:
        # "Anläggningen byggs ihop med kundens linje – vem ansvarar för CE-märkningen?": the rules on
        # partly completed machinery, not the general CE definition the word "CE" finds (round 9, p04).
        return respond_to(dispatcher, texts, kb, msg, building_in, offer=False) or []
    if YES_NO.search(fold(msg.text)):
        # "Måste jag CE-märka krämen?": the product's own rule says no, before the rule it names says how.
        no = own_rule_says_no(kb, msg.text, [r for r in own if r not in {e.id for e in named}])
        if no is not None:
            dispatcher.utter_message(text=texts.get("utter_followup_no"))
            return respond_to(dispatcher, texts, kb, msg, no, offer=False) or []
    if YES_NO.search(fold(msg.text)):
        # "Behöver batteripacket CE-märkas?": the product's own rule on CE marking, then the general entry.
        ce = own_rule_on_ce(kb, msg.text, own, named)
        if ce is not None:
            return respond_to(dispatcher, texts, kb, msg, ce, offer=False) or []
    rules = [entry.id for entry in named if entry.kind == "regulation"]
    part = asked_part(msg.text)
    if part == "alternative" and staffing_question:
        part = None
    if part == "supports" and rules and support_topic(kb, msg, advice, profile) is None:
        # "Vilket stöd kan vi söka för att klara MDR-biten?": the knowledge base has no support for that rule
        # in particular; say so, name who can help, and show the supports that fit (round 11, p05).
        return send_no_dedicated_support(dispatcher, texts, msg, advice, kb.get(rules[0]))
    if rules:
        found = resolve(kb, dataclasses.replace(msg, intent="ask_entry", entities=tuple(rules)))
        if found.passages and not found.candidates:
            # The paragraph for the user's kind of product ("vad kräver FDA?" about food contact, not the
            # one on medical devices), unless the rule has none that answers.
            found = general_answer(kb, msg, asked_paragraph(kb, msg, found), own)
            if set(rules) <= set(own):
                # A named rule the recommendation did not list is what the question asks about ("Gäller
                # tryckutrustningsdirektivet för filterhusen i skåpen?" is not about cabinets from a panel
                # builder; round 14b, p04): only a listed rule gives way to another's paragraph.
                found = own_rule_over_gist(kb, msg, found, list(dict.fromkeys([*rules, *own])))
            found = obligation_answer(kb, msg, found, own)
            found = lab_passage(kb, msg, found)
            if found.passages:
                return respond_to(dispatcher, texts, kb, msg, found, offer=False)
    # "kan vi söka Almis innovationslån?" is about that loan; "stöd för en kobot?" names advice on
    # automation, which is the subject of the support asked for, not another thing asked about.
    specific = [entry for entry in named if entry.kind in NAMED_THINGS]
    # "Kan vi ta hem formarna och köra dem här istället?" names advice on moving moulds: its subject, not the
    # runner-up path, is asked about (round 11, p06). Advice on where to make it or on make or buy is the
    # comparison's own subject.
    # So does "… hyra en egen liten lokal istället för att lämna bort det?", about making it yourself (p09).
    subject = bool(OWN_MAKING.search(fold(msg.text))) or any(
        e.kind in ADVICE_KINDS and not PATH_INTENTS & set(e.answers_intents) for e in named
    )
    if part == "alternative" and not specific and not subject:
        return send_comparison(dispatcher, texts, kb, msg, advice, where=False)
    if part == "alternative" and subject:
        part = None
    if part == "regulations" and not specific:
        # "Hur blir det med CE om någon annan bygger skåpen?" asks about something in particular: the rule's
        # paragraph on it, not the whole list of rules (round 13, p04).
        particular = rule_on_subject(kb, msg, own)
        if particular is not None:
            return respond_to(dispatcher, texts, kb, msg, particular, offer=False) or []
        if has_subject(kb, msg.text):
            # "… räknas vi som tillverkare då, med CE och allt?" about renovated packs: the passage that
            # answers it, or a short "no answer" with the full rules under a button, never the whole list
            # again (round 15b, p10).
            part = None
    if part is not None and not specific:
        send_part(dispatcher, texts, advice, part)
        if part == "supports":
            return send_support_topic(dispatcher, texts, kb, msg, advice, profile)
        return []
    staffing = staffing_answer(kb, msg)
    if staffing is not None:
        # "Vad tycker du om två skift i svetsen?": the recommendation's own steps on it, then the advice on
        # competence supply with its source (round 9, p08 got nothing). Advice found by what the question
        # asks about answers instead of the general text ("… från ett bemanningsbolag tills vi har
        # rekryterat?" is about staffing agencies; round 18, p08 got the competence plan of 2018), when it is
        # advice on staff too: "rekrytera svetsare från Polen" is no question about making things in Poland.
        send_advice_lines(dispatcher, texts, advice_lines(advice, msg.text))
        asking = dataclasses.replace(msg, text=asked_sentences(msg.text))
        own_subject = resolve(kb, asking)
        if (
            own_subject.passages
            and own_subject.entry is not None
            and own_subject.entry.kind in ADVICE_KINDS
            and STAFF_TOPIC in own_subject.entry.topics
            and better_covered(kb, asking.text, own_subject, staffing)
        ):
            staffing = own_subject
        return respond_to(dispatcher, texts, kb, msg, staffing, offer=False) or []
    found = resolve(kb, msg)
    asked = asked_sentences(msg.text)
    # "Vi äger ju redan formverktygen i Kina. Kan vi inte bara ta hem dem?": a question that points back
    # has its subject in the story, so the story stays (round 16, p06 got the entry under discussion).
    if asked != msg.text and not (REFERS_BACK.search(fold(asked)) or ENDS_POINTING_BACK.search(fold(asked))):
        # "Vi har räknat på att sälja via Byggmax. Behöver vi tänka på nåt med elmotorn …?": the story's
        # words ("räknat" as in "räknas som tillverkare" about toys) do not choose the answer when the
        # question's own words find one (round 8, p02).
        # When they find none, the product's own rules may hold them ("Kan jag fortsätta i köket …? Att
        # lägga ut känns dyrt." about cosmetics is about its premises, not about make or buy; p09).
        alone = resolve(kb, dataclasses.replace(msg, text=asked))
        if alone.passages and alone.entry is not None and alone.entry.kind not in BACKGROUND_KINDS:
            found = alone
        elif own:
            mine = within_own_rules(kb, dataclasses.replace(msg, text=asked), own)
            # The own rule's passage wins only on more of the question's words than the story found ("Vi
            # har ingen fabrik … bygga en egen?" about furniture: making it yourself, not the EUDR passage
            # whose "egen förklaring" is its only shared word).
            if mine is not None and better_covered(kb, asked, mine, found):
                found = mine
    if found.entry is not None and found.entry.kind in BACKGROUND_KINDS and not msg.entities:
        found = dataclasses.replace(found, passages=[], entries=[])
    found = own_words_passage(kb, msg, found)
    found = lab_passage(kb, msg, found)
    found = advice_over_definition(kb, msg, found, own)
    # A passage for another kind of product, an exception the profile is not, one that holds none of the
    # question's words or an ended support is no answer (round 9; bot/actions/limits.py).
    weak = bool(found.passages)
    found = general_answer(kb, msg, found, own)
    found = own_rule_over_advice(kb, msg, found, own, product_stems(profile))
    if not found.passages:
        # A passage that does not hold the thing asked about gave way: the advice or own rule that does.
        found = thing_answer(kb, msg, own) or found
    if not found.passages:
        # Advice the question names by its title or alias ("arbetstillstånd") answers when the resolver's pick
        # was weak (persona round 28: "… arbetstillstånd för en svetsare …" found the welding standard).
        found = named_advice(kb, msg, own) or found
    found = obligation_answer(kb, msg, found, own)
    # The rules the question's words name count as the product's own here ("… för konsumenter?" names the
    # rules for consumer products).
    worded = list(dict.fromkeys([*own, *worded_rules(kb, asked_sentences(msg.text), own)]))
    if not found.passages and worded:
        # Nothing general answers it, or it is unclear which entry does: what the product's own rules say,
        # if they hold its words ("kan jag fortsätta i mitt kök?" about cosmetics is about their premises).
        # Else the paragraph that holds most of its words, when the resolver's is weak evidence ("Om vi köper
        # färdiga elskåp …, vem står som tillverkare?" found the paragraph on building in; round 13, p04).
        asking = dataclasses.replace(msg, text=asked)
        for mine in (within_own_rules(kb, asking, worded), best_own_paragraph(kb, asking, worded)):
            found = general_answer(kb, msg, mine or found, own)
            if found.passages:
                break
    weak &= not found.passages
    if not found.passages and not found.candidates:
        admits = (admit or weak or bool(asked_rules)) and honest
        authority = authority_for(kb, asked_rules)
        return answer_from_advice(dispatcher, texts, msg, advice, admits, authority, bool(asked_rules))
    return respond_to(dispatcher, texts, kb, msg, found, offer=False)


def send_part_out(
    dispatcher: CollectingDispatcher, texts: Texts, kb: KnowledgeBase, msg: Message, advice: Any
) -> list[EventType] | None:
    """Answer a question about buying part of the work from another workshop: the recommendation's own lines
    on it, then the knowledge base's passage that answers it (on the place it names, or on make or buy);
    None when neither has anything."""
    capacity = CAPACITY.search(fold(msg.text)) is not None
    asked = f"{CAPACITY_LINES} {msg.text}" if capacity else msg.text
    sent = send_advice_lines(dispatcher, texts, advice_lines(advice, asked))
    own = [item.id for item in advice.regulations]
    if capacity or BUYING_A_STEP.search(fold(msg.text)):
        # Whether the own people make it, or whether to buy a step ("lägga ut slipningen på en
        # träfirma"), is a make-or-buy question: its paragraph on buying part of the work, not what the
        # question's volume, product or process words find.
        found = make_or_buy_passage(kb, msg)
        if found is not None and found.passages:
            return respond_to(dispatcher, texts, kb, msg, found, offer=False) or []
    found = general_answer(kb, msg, resolve(kb, msg), own)
    if found.entry is not None and found.entry.kind in BACKGROUND_KINDS:
        found = dataclasses.replace(found, passages=[], entries=[])
    if not found.passages or weak_reason(kb, msg, found, allowed_rules(kb, msg, own)) is not None:
        # A step or a volume the passage does not hold: the make-or-buy advice on buying part of the work.
        found = make_or_buy_passage(kb, msg) or found
    if found.passages:
        return respond_to(dispatcher, texts, kb, msg, found, offer=False) or []
    return [] if sent else None


def bought_part(folded: str) -> bool:
    """Whether a question asks about buying part of the work or about the own capacity for a volume."""
    step = STEP_OUT.search(folded) is not None and re.search(rf"\b{PLACES}\b", folded) is None
    return PART_OUT.search(folded) is not None or step or CAPACITY.search(folded) is not None


def abbreviation_passage(kb: KnowledgeBase, msg: Message, own: list[str]) -> Resolution | None:
    """The one paragraph of the recommendation's rules whose lead names an abbreviation the question names
    ("UL", "FCC", "NRTL"; not the CE and EU that most leads name); None when no lead or several name it."""
    named = set(ABBREVIATION.findall(msg.text)) - COMMON_ABBREVIATIONS
    if not named:
        return None
    held = [
        (entry, passage)
        for entry in filter(None, map(kb.get, own))
        for passage in entry.passages
        if passage.field == "body"
        and (lead := LEAD.match(passage.text)) is not None
        and named & set(ABBREVIATION.findall(lead[1]))
    ]
    if len(held) != 1:
        return None
    entry, passage = held[0]
    return Resolution(passages=[passage], entries=[entry])


def make_or_buy_passage(kb: KnowledgeBase, msg: Message) -> Resolution | None:
    """The make-or-buy advice's paragraph on keeping some steps and buying the rest; None without it."""
    default = kb.by_intent(MAKE_OR_BUY_INTENT)
    if default is None:
        return None
    text = f"{BUY_PART} {msg.text}"
    body = [p for p in default.passages if p.field == "body"]
    best = max(body, key=lambda p: coverage(kb, text, p, default), default=None)
    return Resolution(passages=[best], entries=[default]) if best is not None else None


def has_subject(kb: KnowledgeBase, question: str) -> bool:
    """Whether a question about the rules asks about something in particular: known words are left besides
    those that ask for rules in general ("vilka regler gäller för oss?" has none)."""
    return bool(kb.weighted_terms(RULE_WORDS.sub(" ", fold(asked_sentences(question)))))


def send_advice_lines(dispatcher: CollectingDispatcher, texts: Texts, lines: list[str]) -> bool:
    """Send lines of the recommendation under a heading that says so; False when there are none."""
    if lines:
        bullets = [texts.get("utter_followup_bullet", text=line) for line in lines]
        dispatcher.utter_message(text="\n".join([texts.get("utter_followup_from_advice"), *bullets]))
    return bool(lines)


def answer_from_advice(
    dispatcher: CollectingDispatcher,
    texts: Texts,
    msg: Message,
    advice: Any,
    admit: bool,
    authority: SupportItem | None = None,
    about_rules: bool = False,
) -> list[EventType] | None:
    """When the knowledge base has no passage for a question: the recommendation's own steps and caveats
    that hold its words; else (`admit`, for a question) that there is no answer to it here, and who to ask:
    for a question `about_rules` the `authority` that supervises them (none when there is none: a financier
    is no answer to a rules question), with the rules of the recommendation under a button; otherwise an
    actor of the recommendation; else None."""
    if send_advice_lines(dispatcher, texts, advice_lines(advice, msg.text)):
        return []
    if not admit or not in_question_form(msg.text):
        return None
    parts = [texts.get("utter_followup_no_answer")]
    if authority is not None:
        parts.append(texts.get("utter_followup_ask_authority", title=authority.title, url=authority.url))
    actor = None if about_rules else handoff_actor(advice, msg.text)
    if actor is not None:
        parts.append(texts.get("utter_followup_ask_actor", title=actor.title, why=actor.why, url=actor.url))
    buttons = rules_button(texts, advice) if about_rules else []
    dispatcher.utter_message(text="\n".join(parts), buttons=buttons)
    return []


def rules_button(texts: Texts, advice: Any) -> list[dict[str, Any]]:
    """The button that shows the recommendation's rules in full, when it has any."""
    return [
        button
        for button in offered_buttons(texts, advice)
        if (found := _PART_PAYLOAD.search(button["payload"])) and found.group(1) == "regulations"
    ]


def drop_repeats(dispatcher: CollectingDispatcher, start: int, sent: set[str]) -> None:
    """Remove the messages from `start` on whose text was already sent for an earlier question of the
    same message (two questions answered by one passage get it once); remember the rest."""
    fresh = []
    for message in dispatcher.messages[start:]:
        text = message.get("text") or ""
        if text and text in sent:
            continue
        sent.add(text)
        fresh.append(message)
    dispatcher.messages[start:] = fresh


def answer_follow_up(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, admit: bool = False
) -> list[EventType] | None:
    """Answer a typed question after a recommendation from it (see the module docstring); None when
    there is no recommendation, no typed question, or nothing here answers it. With `admit` (the action
    has no better answer of its own) a question nothing answers is told so, with an actor to ask."""
    text = (tracker.latest_message.get("text") or "").strip()
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if not has_recommendation(tracker) or tracker.active_loop_name or not text or text.startswith("/"):
        return None
    if intent in OWN_INTENTS:
        return None
    texts = Texts(domain)
    try:
        kb = get_kb()
        filled = {slot: tracker.get_slot(slot) for slot in (*SLOTS, WANTED)}
        advice = for_users_school(recommend(filled, kb), tracker)
        base = message_of(tracker)
        events: list[EventType] = []
        answered = False
        questions = questions_of(text)
        # "lampan får bluetooth och batteri": new facts update the advice before any question is answered.
        buttons = partial(offered_buttons, texts)
        updated = update_from_facts(dispatcher, texts, kb, text, filled, advice, buttons)
        if updated is not None:
            facts, advice = updated
            advice = for_users_school(advice, tracker)
            events += facts
            answered = True
            questions = [q for q in questions if "?" in q or in_question_form(q)]
        sent: set[str] = set()
        for question in questions:
            if (
                updated is not None
                and asked_part(question) == "regulations"
                and not has_subject(kb, question)
            ):
                # "Ändrar det något kring reglerna?" after new facts: the update named what changed.
                continue
            msg = dataclasses.replace(base, text=question, entities=() if question != text else base.entities)
            msg = dataclasses.replace(msg, text=CONDITIONAL_WHEN.sub(r"\1Om", msg.text))
            msg = dataclasses.replace(msg, text=TO_WORK.sub(lambda m: f"gör {m[2] or ''}".strip(), msg.text))
            before = len(dispatcher.messages)
            # After new facts, their rules answer "finns det krav på det?": no "no answer" beside them.
            result = answer_question(
                dispatcher, texts, kb, msg, advice, admit, honest=updated is None, profile=filled
            )
            answered |= result is not None
            events += result or []
            drop_repeats(dispatcher, before, sent)
        return events if answered else None
    except KnowledgeError:
        return None
