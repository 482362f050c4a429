"""New facts about the product, told after the recommendation, update the advice.

A user who writes "lampan får förresten bluetooth och ett laddningsbart batteri" or "maskinerna är i kontakt
med maten" after the recommendation has told something the consultation did not know (round 11, p07 and
p04). The statements of the message (its clauses that ask nothing) are read by the consultation's own parser;
what they add to the product or its markets is added to the answers, the recommendation is given again for
them, and the answer says briefly what changed: a new path, the rules that now apply too, and those that no
longer do. The whole recommendation stays behind the buttons. Questions in the same message are then
answered from the new recommendation (bot/actions/followup.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.texts import Texts
from bot.advisor import describe_answers, parse_answer, recommend, slot_updates
from bot.advisor.engine import first_sentence
from bot.kb.model import Passage
from bot.kb.store import KnowledgeBase
from bot.swedish import in_question_form

# The answers a statement after the recommendation can add to: what the product is and has (radio, a
# battery, food contact, software, consumers) and where it is sold. Numbers and priorities are corrected
# with "jag menar …", which gives the whole recommendation again (bot/actions/advice.py).
FACT_SLOTS = ("product_type", "markets")
# Where one statement of a message ends: a sentence end, a dash between clauses or a comma ("Det sitter ett
# litiumbatteri i, gäller det …?" states the battery before it asks).
CLAUSE_END = re.compile(r"(?<=[.!?])\s+|\s+[–—-]\s+|,\s+")
# The slot that holds the last recommendation: set means a consultation has been completed.
SUMMARY_SLOT = "advisor_summary"
# An abbreviation in a rule's title ("EMC", "LVD", "RED"): a new rule's paragraph that names all of an old
# rule's says how it covers it (round 17, p01 was told that EMC and LVD "faller bort" when Bluetooth came).
ABBREVIATION = re.compile(r"\b[A-ZÅÄÖ]{2,}\b")


def stated_facts(text: str, filled: Mapping[str, Any]) -> dict[str, Any]:
    """The product and market answers the statements of a message change, given the answers so far."""
    return stated_answers(text, filled, FACT_SLOTS)


def stated_answers(
    text: str, filled: Mapping[str, Any], slots: tuple[str, ...] | None = None
) -> dict[str, Any]:
    """The answers (of `slots`, or any) that the statements of a message change; its questions change
    none ("Måste jag göra om säkerhetsbedömningen om en legotillverkare gör krämen?" says nothing about who
    makes the cream today)."""
    updates: dict[str, Any] = {}
    for clause in (c.strip() for c in CLAUSE_END.split(text)):
        if not clause or in_question_form(clause):
            continue
        changed = slot_updates({**filled, **updates}, parse_answer(clause))
        updates |= {slot: value for slot, value in changed.items() if slots is None or slot in slots}
    return updates


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


def changes_text(kb: KnowledgeBase, texts: Texts, before: Any, after: Any, added: Mapping[str, Any]) -> str:
    """What the new answers changed: the answers added, then a new path, new rules, rules a new one covers
    and dropped rules (or that the advice stays the same)."""
    lines = [texts.get("utter_followup_facts_noted", answers=describe_answers(added))]
    if after.category != before.category:
        lines.append(texts.get("utter_followup_facts_new_path", title=after.title))
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
    if after.category == before.category and not new and not gone:
        lines.append(texts.get("utter_followup_facts_same"))
    return "\n".join(lines)


def update_from_facts(
    dispatcher: CollectingDispatcher,
    texts: Texts,
    kb: KnowledgeBase,
    text: str,
    filled: Mapping[str, Any],
    advice: Any,
    buttons: Any,
) -> tuple[list[EventType], Any] | None:
    """Add the facts a message states to the answers and say what that changes; the events and the new
    recommendation, or None when the message states nothing new. `buttons(advice)` are those to offer."""
    added = stated_facts(text, filled)
    if not added:
        return None
    after = recommend({**filled, **added}, kb)
    message = "\n".join(
        [changes_text(kb, texts, advice, after, added), texts.get("utter_followup_facts_more")]
    )
    dispatcher.utter_message(text=message, buttons=buttons(after))
    events: list[EventType] = [SlotSet(slot, value) for slot, value in added.items()]
    return [*events, SlotSet(SUMMARY_SLOT, after.as_text())], after
