"""Yes/no answers to follow-up questions after a recommendation: whether the product must be CE-marked,
whether a requirement applies to it at all, and whether the asker needs a company.

"Måste jag CE-märka krämen?" is answered by the product's own rule that says no; "Behöver batteripacket
CE-märkas?" by what the product's own rule says about CE marking, then the general CE entry; "Kan jag söka
Almi fast jag inte har nåt företag?" by who can apply; "Måste jag starta ett företag först?" by the actors
that help with an idea, when every support the knowledge base knows is applied for by a company or an
organisation (bot/actions/followup.py decides when to ask these).
"""

from __future__ import annotations

import re
from typing import Any

from bot.actions.resolve import Resolution, named_entries
from bot.kb.store import KnowledgeBase
from bot.swedish import fold

# "… fast jag inte har nåt företag?", "utan bolag" (folded): whether the asker can apply without a company.
NO_COMPANY = re.compile(
    r"\b(utan|inte har|inte startat|inget|ingen)\s+(\w+\s+)?(foretag|bolag|aktiebolag|firma)\b"
    # "har inte ens ett företag", "har ju inte nåt bolag" (round 19, p07).
    r"|\bhar (ju )?inte (ens |nu )?(nagot|nat|ett|en)\s+(eget\s+)?(foretag|bolag|aktiebolag|firma)\b"
)
# "Måste jag starta ett företag först?" (folded): whether the asker needs a company.
START_COMPANY = re.compile(
    r"\b(starta|bilda|registrera|skaffa|oppna|dra igang)\b[^?]{0,20}\b(foretag|bolag|aktiebolag|firma)\b"
)
# A question which form of company to start (folded): "enskild firma eller aktiebolag?", "vilken bolagsform?".
# It asks what the forms mean, which the knowledge base's entry on company forms answers, not whether a
# company is needed (persona round 28 got the supports that need a company).
COMPANY_FORM = re.compile(
    r"\b(enskild (firma|naringsverksamhet)|handelsbolag)\b[^?]{0,30}\beller\b"
    r"|\beller\b[^?]{0,30}\b(enskild (firma|naringsverksamhet)|handelsbolag)\b"
    r"|\b(bolagsform|foretagsform)\w*"
)
# A who-can-apply passage for companies or organisations ("Aktiebolag med …", "Små och medelstora
# tillverkande företag", "Organisationer som regioner …"), and an actor that helps with an idea (folded).
FOR_ORGANISATIONS = re.compile(r"^\W*([\w()–-]+\s+){0,4}(\w*foretag|\w*bolag|organisationer)\b")
IDEA_HELP = re.compile(r"\b(student\w*|ide|iden|idebarare)\b")
# A who-can-apply passage that asks for a company (folded).
NEEDS_COMPANY = re.compile(r"\b(foretag\w*|aktiebolag\w*|bolag\w*)\b")
# A flat denial and what makes a sentence a condition rather than one (folded).
DENIAL = r"(ska|behover|far|maste|kravs) (inte|ej)"
CONDITION = re.compile(r"^\W*(under|om|nar|vid|for vissa|i vissa)\b")
SENTENCE_END = re.compile(r"(?<=[.;])\s+")
# A question or sentence about CE marking, what says it is required or not, and the name of the general
# CE entry (folded).
CE_WORD = re.compile(r"\bce\b|\bce-?mark")
MUST = re.compile(r"\b(ska|skall|maste|behover|kravs|far|galler)\b")
CE_NAME = "CE-märkning"
# Words for the user's product itself, whatever it is (folded).
THE_PRODUCT = re.compile(r"(produkt|vara|varan|varor|grej|sak|pryl)")
# How much of an asked word a negated passage must hold ("ce-ma" of "CE-märka" in "ska inte CE-märkas").
ASKED_PREFIX = 5


def says_no(question: str, passage: str) -> bool:
    """Whether a passage flatly denies what a yes/no question asks: a sentence that is no condition
    ("Under vissa tryck …") and says "ska/behöver/får/måste inte" before a word of the question
    ("Måste jag CE-märka krämen?" — "kosmetiska produkter ska inte CE-märkas")."""
    words = {w[:ASKED_PREFIX] for w in re.findall(r"[\w-]+", fold(question)) if len(w) >= ASKED_PREFIX}
    for sentence in SENTENCE_END.split(fold(passage)):
        if CONDITION.match(sentence):
            continue
        if any(re.search(rf"\b{DENIAL}\s+{re.escape(w)}", sentence) for w in words):
            return True
    return False


def who_can_apply(kb: KnowledgeBase, named: list[Any]) -> Resolution | None:
    """Who can apply for the supports the question names, directly or through their actor (Almi → Almis
    innovationslån); None when none of them says."""
    supports = []
    for entry in named:
        related = (kb.get(entry_id) for entry_id in entry.related) if entry.kind == "actor" else ()
        supports += [entry] if entry.kind == "support" else [e for e in related if e and e.kind == "support"]
    passages = [(e, p) for e in supports for p in e.passages if p.field == "who_can_apply"]
    if not passages:
        return None
    return Resolution(passages=[p for _, p in passages], entries=list(dict.fromkeys(e for e, _ in passages)))


def own_rule_says_no(kb: KnowledgeBase, question: str, own: list[str]) -> Resolution | None:
    """The passage of the product's own rules that denies what a yes/no question asks, or None."""
    for entry in filter(None, (kb.get(rule_id) for rule_id in own)):
        for passage in entry.passages:
            if says_no(question, passage.text):
                return Resolution(passages=[passage], entries=[entry])
    return None


def says_whether_ce(passage: str) -> bool:
    """Whether a passage says whether something must (or must not) be CE-marked ("Sedan den 18 augusti 2024
    ska alla batterier CE-märkas", "Under RED ska CE-märket finnas på produkten")."""
    return any(
        CE_WORD.search(sentence) and MUST.search(sentence) for sentence in SENTENCE_END.split(fold(passage))
    )


def own_rule_on_ce(kb: KnowledgeBase, question: str, own: list[str], named: list[Any]) -> Resolution | None:
    """For "Behöver batteripacket CE-märkas?": what the product's own rule says about CE marking, then the
    general CE entry; None when the question is not about CE or no rule says (round 8, p10: it got the
    general CE definition only). A rule the question names comes first, then the product's own rules
    whose names share a word with the question ("batteripacket" — "Batterier"), then the others."""
    folded = fold(question)
    if not CE_WORD.search(folded):
        return None
    general = [e for e in named_entries(kb, CE_NAME) if e.kind == "regulation"]
    skip = {e.id for e in general}
    # The words that may name the rule: not "produkten", which is the user's own product whatever it is.
    asked = {
        w[:ASKED_PREFIX]
        for w in re.findall(r"\w+", CE_WORD.sub(" ", folded))
        if len(w) >= ASKED_PREFIX and not THE_PRODUCT.match(w)
    }

    def names_asked(entry: Any) -> bool:
        names = fold(" ".join([entry.title, *entry.aliases]))
        return any(re.search(rf"\b{re.escape(w)}", names) for w in asked)

    rules = [e for e in filter(None, (kb.get(rule_id) for rule_id in own)) if e.id not in skip]
    ordered = [e for e in named if e.kind == "regulation" and e.id not in skip]
    ordered += sorted((e for e in rules if e not in ordered), key=lambda e: not names_asked(e))
    for entry in ordered:
        passage = next((p for p in entry.passages if says_whether_ce(p.text)), None)
        if passage is None:
            continue
        passages, entries = [passage], [entry]
        if general and general[0].passages:
            passages.append(general[0].passages[0])
            entries.append(general[0])
        return Resolution(passages=passages, entries=entries)
    return None


def start_company_answer(kb: KnowledgeBase, advice: Any) -> Resolution | None:
    """For "Måste jag starta ett företag först?": the advice's actors that help someone with an idea
    ("KTH Innovation stöttar studenter …"), when every support the knowledge base knows is applied for by
    a company or an organisation (its who-can-apply says so); None otherwise (round 8, p07 got Vinnova's
    requirements for limited companies)."""
    supports = [e for e in kb.all() if e.kind == "support"]
    asks = [p.text for e in supports for p in e.passages if p.field == "who_can_apply"]
    if not asks or not all(FOR_ORGANISATIONS.search(fold(text)) for text in asks):
        return None
    actors = [e for e in filter(None, (kb.get(item.id) for item in advice.supports)) if e.kind == "actor"]
    early = [e for e in actors if IDEA_HELP.search(fold(e.passages[0].text))] or actors
    if not early:
        return None
    return Resolution(passages=[e.passages[0] for e in early], entries=early)
