"""Whether and when a product must be CE-marked, answered from the product's own regulation entries.

"Behöver jag CE-märka min lampa?" or "när krävs CE?" asks whether (or when) the marking is required, not
what it is: the definition of CE marking answers another question. The product type comes from the
advisor's own reading of free text (`knowledge/advisor/questions.yml`: "lampa" is lighting and hence
electronics), the rules that apply to it from `rules.yml` (`regulations`, where `ce: true` means the
product is CE-marked under that rule); failing a product type, the regulation entries the question names.
The answer is the sentence of such an entry that says whether the product must be CE-marked, then the
general rule on when CE marking is required; with no product at all, that general rule alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.advisor.data import load_questions, load_rules
from bot.advisor.engine import applies
from bot.advisor.parsing.parse import parse_answer
from bot.advisor.profile import to_profile
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
# "Vem ska CE-märka …?", "är det vi eller fabriken som ska CE-märka?": asks who is responsible, which the CE
# entry's passage on the manufacturer answers, not whether the product must be marked (persona round 22).
ASKS_WHO = re.compile(r"\bvem\b|\b(vi|ni|jag)\s+eller\b|\beller\s+(vi|ni|jag)\b")
# A regulation entry the search finds for the product's own words at least this well is the product's rule
# ("maskin" 1.57 for the machinery rules, "tryckkärl" 2.99, "kosmetiska serum" 1.57; "måste krämen", "min
# stol" found the pharmaceuticals entry at 1.0 through a typo reading).
FOUND_SCORE = 1.5


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


def product_rules(kb: KnowledgeBase, text: str) -> list[Entry]:
    """The regulation entries for the product the message names: the advisor's rules for its product type
    (those that require CE marking first), else the regulation entries the search finds for its words."""
    questions = load_questions()
    profile = to_profile(parse_answer(text, questions=questions).values, questions)
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
