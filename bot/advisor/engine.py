"""The production-strategy recommendation engine: plain Python, its rules read from knowledge/advisor/.

    recommendation = recommend({"stage": "prototype", "volume": 10000, "capability": "none"}, kb)
    recommendation.category        # "swedish_contract_manufacturer"
    recommendation.as_text()       # the whole summary as one copyable Swedish message

Every sentence comes from rules.yml and questions.yml; the support and actors come from the knowledge
base through `SupportLookup`, so no programme, amount or date is written here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.actions.eligibility import size_limits
from bot.advisor.data import load_questions, load_rules
from bot.advisor.model import QuestionsData, RulesData, unless_conditions
from bot.advisor.profile import Profile, answer_lines, fill, is_relevant, join, matches, to_profile
from bot.settings import get_settings
from bot.swedish import date_in_words, dates_in_words, fold

# Rules named in the short answer's regulation step; all of them are in the "Regler" part.
REGULATIONS_NAMED = 3
# The answer (not a consultation question) that holds the paths the user said they want after a
# recommendation ("vi vill anlita en legotillverkare": the contract paths), a list of category ids.
WANTED = "advisor_wanted"
# Paths that come before any way of making the product (make the idea manufacturable; start with the
# authority for food, cosmetics and medicines): a wish for a way of making it does not skip them.
BEFORE_MAKING = frozenset({"idea_stage", "out_of_scope"})
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-ZÅÄÖ0-9])")


class KnowledgeItem(Protocol):
    """What the engine reads from a knowledge entry."""

    @property
    def id(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def summary(self) -> str: ...

    @property
    def apply_url(self) -> str | None: ...

    @property
    def sources(self) -> Sequence[Any]: ...


class SupportLookup(Protocol):
    """The knowledge base as the engine needs it (satisfied by bot.kb.KnowledgeBase)."""

    def by_topic(self, topic: str, kinds: tuple[str, ...]) -> Sequence[KnowledgeItem]: ...

    def get(self, entry_id: str) -> KnowledgeItem | None: ...


@dataclass(frozen=True)
class SupportItem:
    """A support instrument, actor or guidance entry from the knowledge base, and why it is relevant."""

    id: str
    title: str
    kind: str
    why: str
    url: str | None
    summary: str
    year: int | None = None


@dataclass(frozen=True)
class RuleDetail:
    """A paragraph of a regulation entry that names an obligation, and the source that holds it."""

    text: str
    source: str


@dataclass(frozen=True)
class RuleItem:
    """A rule the product must meet, from a regulation entry of the knowledge base, with its source.
    `lead`: one of the rules that decide for this product or market, named first; `step` and `note` are
    a lead rule's own regulation step and the line it puts before the other rules. `brief`: a duty beside
    the product's rules (REACH for articles), one line last under the rules and never in the short answer."""

    id: str
    title: str
    summary: str
    url: str | None
    as_of: str
    details: tuple[RuleDetail, ...] = ()
    lead: bool = False
    step: str | None = None
    note: str | None = None
    brief: bool = False


@dataclass(frozen=True)
class Recommendation:
    """The advice for one set of answers."""

    category: str
    title: str
    description: str
    reasons: tuple[str, ...]
    next_steps: tuple[str, ...]
    first_steps: tuple[str, ...]
    roadmap: str
    regulations: tuple[RuleItem, ...]
    supports: tuple[SupportItem, ...]
    caveats: tuple[str, ...]
    answers: tuple[str, ...]
    alternative: str | None
    alternative_text: str | None
    scores: tuple[tuple[str, int], ...]
    texts: Mapping[str, Any] = field(repr=False, compare=False)
    # The realism checks that hold (capital or time too small for the path): their short lines in the short
    # answer, where the user reads them without asking; the whole texts are the first caveats (also what a
    # follow-up about time or money finds among the recommendation's own lines).
    realism: tuple[str, ...] = ()
    realism_short: tuple[str, ...] = ()
    # The short answer's length in words with realism lines (settings.short_answer_words): reasons are left
    # out, the weakest first, until it fits; at least one stays.
    short_words: int | None = None
    # How the path the user said they want was weighed (see `_wish`), or None when they named none: the short
    # answer takes up the user's own course, not only the winner (round 27: own GMP premises unweighed).
    wish: str | None = None

    def short_text(self) -> str:
        """The answer that fits a phone screen: the path, the reasons that decided it, the next steps, and
        where time or money looks too small (then the weakest reasons make room)."""
        if not self.realism_short or self.short_words is None:
            return self._short(len(self.reasons))
        for count in range(len(self.reasons), 1, -1):
            text = self._short(count)
            if len(text.split()) <= self.short_words:
                return text
        return self._short(1)

    def _short(self, reasons: int) -> str:
        t = self.texts
        blocks = [t["heading"].format(title=self.title)]
        if self.reasons:
            blocks.append(_section(t["reasons_heading"], [_bullet(t, r) for r in self.reasons[:reasons]]))
        if self.wish:
            blocks.append(self.wish)
        steps = [
            t["numbered"].format(number=i, text=first_sentence(s)) for i, s in enumerate(self.first_steps, 1)
        ]
        blocks.append(_section(t["steps_heading"], steps))
        if self.realism_short:
            blocks.append(_section(t["realism_heading"], [_bullet(t, r) for r in self.realism_short]))
        return "\n\n".join(blocks)

    def alternative_part(self) -> str:
        """The runner-up and why it lost, and what was not answered."""
        t = self.texts
        lines = [self.alternative_text] if self.alternative_text else []
        lines += list(c for c in self.caveats if c.startswith(t["unknown_caveat"].split("{")[0]))
        return "\n\n".join(lines)

    def regulations_part(self) -> str:
        """The rules the product must meet, each with its source."""
        t = self.texts
        lines = [_rule_lines(t, r) for r in self.regulations if r.lead]
        others = [_rule_lines(t, r) for r in self.regulations if not r.lead]
        # Brief rules come last (see `_regulations`), so the note still stands before every other rule.
        notes = [r.note for r in self.regulations if r.lead and r.note]
        if lines and others and notes:
            lines.append(notes[0])
        return _section(t["regulations_heading"], lines + others)

    def supports_part(self) -> str:
        """Support and actors that fit the user's situation."""
        t = self.texts
        return _section(
            t["supports_heading"], [_support_line(t, s) for s in self.supports] or [t["no_supports"]]
        )

    def caveats_part(self) -> str:
        """What to watch out for."""
        t = self.texts
        if not self.caveats:
            return ""  # the action says there is nothing more rather than showing an empty heading
        return _section(t["caveats_heading"], [_bullet(t, c) for c in self.caveats])

    def has_part(self, part: str) -> bool:
        """Whether a part shown on request ("alternative", "regulations", "supports", "caveats") has
        something for these answers: a button that would answer "nothing more to show" is not offered."""
        if part == "regulations":
            return bool(self.regulations)
        if part == "caveats":
            return bool(self.caveats)
        if part == "alternative":
            return bool(self.alternative_part())
        return True  # the supports part says so when nothing current fits

    def as_text(self) -> str:
        """The whole recommendation as one Swedish message the user can copy."""
        t = self.texts
        blocks = [t["heading"].format(title=self.title) + "\n" + self.description]
        if self.answers:
            blocks.append(_section(t["answers_heading"], [_bullet(t, a) for a in self.answers]))
        if self.reasons:
            blocks.append(_section(t["reasons_heading"], [_bullet(t, r) for r in self.reasons]))
        if self.wish:
            blocks.append(self.wish)
        steps = [t["numbered"].format(number=i, text=s) for i, s in enumerate(self.next_steps, 1)]
        blocks.append(_section(t["steps_heading"], [*steps, *([self.roadmap] if self.roadmap else [])]))
        if self.regulations:
            blocks.append(self.regulations_part())
        blocks.append(self.supports_part())
        if self.caveats:
            blocks.append(self.caveats_part())
        if self.alternative_text:
            blocks.append(self.alternative_text)
        return "\n\n".join(blocks)


@dataclass(frozen=True)
class Weighing:
    """A path the user proposes ("Kina vid 10 000 st?", "egen kantpress?"), weighed against their answers."""

    title: str
    # The answers that count against the path, as the rules' `why_not` sentences, strongest first.
    against: tuple[str, ...]
    # When the path would fit better (its category's `consider_when`).
    when: str | None


def weigh(
    profile: Mapping[str, object],
    path: str,
    *,
    questions: QuestionsData | None = None,
    rules: RulesData | None = None,
) -> Weighing:
    """Weigh the path `path` against the recommendation for these answers: the fired rules that say why not
    that path and give it no more points than the winner, strongest first (at most `max_reasons`)."""
    questions = questions or load_questions()
    rules = rules or load_rules(questions=questions)
    answers = to_profile(profile, questions)
    scores, fired = _score(rules, answers)
    winner = _winner(rules, answers, scores, profile.get(WANTED))
    against = _against(fired, winner, path)
    category = rules.category(path)
    return Weighing(
        title=category["title"],
        against=tuple(
            fill(r["why_not"][path], answers, questions) for r in against[: rules.settings["max_reasons"]]
        ),
        when=category.get("consider_when"),
    )


@dataclass(frozen=True)
class Choice:
    """Two paths the user sets against each other ("eget labb eller legotillverkare?"), decided by the rules'
    scoring of their answers: the path they favour, why, and why not the other."""

    better: str
    title: str
    other: str
    other_title: str
    # The reasons of the rules that count most for `better` over `other`, strongest first.
    reasons: tuple[str, ...]
    # The rules' `why_not` sentences against `other` where they give it no more points than `better`.
    against: tuple[str, ...]
    # When `other` would fit better (its category's `consider_when`).
    when: str | None
    # An unanswered question whose answer could turn the choice (its text), or None.
    deciding: str | None


def compare(
    profile: Mapping[str, object],
    first: str,
    second: str,
    *,
    questions: QuestionsData | None = None,
    rules: RulesData | None = None,
) -> Choice:
    """Which of two paths the rules favour for these answers, with the deciding reasons; on equal points the
    first named. `deciding` is the first relevant unanswered question one of whose options would turn it."""
    questions = questions or load_questions()
    rules = rules or load_rules(questions=questions)
    answers = to_profile(profile, questions)
    scores, fired = _score(rules, answers)
    better, other = (first, second) if scores[first] >= scores[second] else (second, first)

    def gain(rule: Mapping[str, Any]) -> int:
        return int(rule["points"].get(better, 0) - rule["points"].get(other, 0))

    # A rule's `reason` speaks for the path it gives most points: only those count as reasons for `better`.
    helped = [
        r
        for r in fired
        if r.get("reason") and gain(r) > 0 and r["points"].get(better, 0) == max(r["points"].values())
    ]
    helped.sort(key=lambda r: -gain(r))
    against = _against(fired, better, other)
    count = rules.settings["max_reasons"]
    return Choice(
        better=better,
        title=rules.category(better)["title"],
        other=other,
        other_title=rules.category(other)["title"],
        reasons=tuple(fill(reason_for(r, better), answers, questions) for r in helped[:count]),
        against=tuple(fill(r["why_not"][other], answers, questions) for r in against[:count]),
        when=rules.category(other).get("consider_when"),
        deciding=_deciding(rules, questions, profile, answers, better, other),
    )


def _against(fired: list[Mapping[str, Any]], better: str, other: str) -> list[Mapping[str, Any]]:
    """The fired rules that say why not `other` (`why_not`) and give it no more points than `better`, those
    that set them furthest apart first."""

    def gain(rule: Mapping[str, Any]) -> int:
        return int(rule["points"].get(better, 0) - rule["points"].get(other, 0))

    return sorted(
        (r for r in fired if other in r.get("why_not", {}) and gain(r) >= 0), key=lambda r: -gain(r)
    )


def _deciding(
    rules: RulesData,
    questions: QuestionsData,
    profile: Mapping[str, object],
    answers: Profile,
    better: str,
    other: str,
) -> str | None:
    """The text of the first relevant unanswered question for which some option would give `other` more
    points than `better`: the answer that decides the choice."""
    for question in questions.questions:
        if answers.known(question.slot) or not is_relevant(question, answers):
            continue
        for option in question.options:
            scores, _ = _score(rules, to_profile({**profile, question.slot: option.value}, questions))
            if scores[other] > scores[better]:
                return question.text
    return None


def path_reasons(profile: Mapping[str, object], path: str) -> tuple[str, ...]:
    """Every reason the answers give for `path` (the rules that fire and give it points), whoever wins: what
    a path already had before a change, so that the reply to an objection names what is new."""
    questions = load_questions()
    rules = load_rules(questions=questions)
    answers = to_profile(profile, questions)
    _, fired = _score(rules, answers)
    helped = [r for r in fired if r.get("reason") and r["points"].get(path, 0) > 0]
    return tuple(fill(reason_for(r, path), answers, questions) for r in helped)


def reason_for(rule: Mapping[str, Any], path: str) -> str:
    """A rule's reason for `path`: its `reason_for` that path when it has one, which says why there (a Swedish
    contract maker, not only "buy the making"; persona round 31), else its `reason`."""
    return str(rule.get("reason_for", {}).get(path) or rule["reason"])


def recommend(
    profile: Mapping[str, object],
    kb: SupportLookup | None = None,
    *,
    questions: QuestionsData | None = None,
    rules: RulesData | None = None,
    today: dt.date | None = None,
) -> Recommendation:
    """The recommendation for slot values (option values, a volume number, SKIP or None per slot).

    Without `kb` the recommendation has no supports or rules and says so. Support whose dates all lie
    before `today` (default: the LOTSEN_TODAY setting or today) is never offered.
    """
    questions = questions or load_questions()
    rules = rules or load_rules(questions=questions)
    answers = to_profile(profile, questions)
    scores, fired = _score(rules, answers)
    winner = _winner(rules, answers, scores, profile.get(WANTED))
    category = rules.category(winner)
    # A step may be listed under more than one condition (a named design bottleneck and many variants in
    # small volumes both lead to configure-to-order): it is said once.
    steps = tuple(dict.fromkeys(_texts(rules.next_steps, "text", answers, questions, winner)))
    steps = steps[: rules.settings["max_next_steps"]]
    regulations = _regulations(rules, answers, winner, kb)
    already_sold = any(matches(when, answers, winner) for when in rules.settings.get("rules_step_unless", ()))
    first = _first_steps(rules, questions, steps, () if already_sold else regulations, winner)

    runner_up, alternative_text = _alternative(rules, questions, answers, scores, fired, winner)
    checks = _realism(rules, questions, answers)
    realism = _texts(checks, "text", answers, questions, winner)
    day = today or get_settings().today_date()
    dated = _dated(rules, questions, answers, winner, kb, day)
    return Recommendation(
        category=winner,
        title=category["title"],
        description=category["description"],
        reasons=_reasons(rules, questions, answers, fired, winner),
        next_steps=steps,
        first_steps=tuple(first),
        roadmap=_roadmap(rules, answers),
        regulations=regulations,
        supports=_supports(rules, questions, answers, winner, kb, day),
        caveats=realism + _caveats(rules, questions, answers, winner) + dated,
        answers=answer_lines(answers, questions),
        alternative=runner_up,
        alternative_text=alternative_text,
        scores=tuple(scores.items()),
        texts=rules.texts,
        realism=realism,
        realism_short=_texts(checks, "short", answers, questions, winner),
        short_words=rules.settings.get("short_answer_words"),
        wish=_wish(rules, questions, answers, scores, fired, winner, profile.get(WANTED)),
    )


def _wish(
    rules: RulesData,
    questions: QuestionsData,
    answers: Profile,
    scores: Mapping[str, int],
    fired: list[Mapping[str, Any]],
    winner: str,
    wanted: Any,
) -> str | None:
    """How the path the user wants (WANTED) was weighed against the answers: that it is the recommendation,
    or that the recommendation takes it in (the winner's `takes_in`: buying parts while building on the own
    production), or the strongest reason against it (its rule's `why_not`), or when it would fit better. None
    when the user named no path."""
    wished = [c for c in _as_list(wanted) if c in scores]
    if not wished:
        return None
    t = rules.texts
    if winner in wished:
        return str(t["wish_taken"])
    best = max(wished, key=lambda c: scores[c])
    category = rules.category(best)
    if best in rules.category(winner).get("takes_in", ()):
        # Buying the parts that relieve the bottleneck is part of building on the own production.
        return str(t["wish_within"].format(title=category["title"]))
    against = _against(fired, winner, best)
    if against:
        why = fill(against[0]["why_not"][best], answers, questions)
        return str(t["wish_against"].format(title=category["title"], why=why))
    when = category.get("consider_when")
    return str(t["wish_consider"].format(title=category["title"], when=when)) if when else None


def _first_steps(
    rules: RulesData,
    questions: QuestionsData,
    steps: Sequence[str],
    regulations: Sequence[RuleItem],
    winner: str,
) -> tuple[str, ...]:
    """The next steps of the short answer: the path's first steps with the rules to meet as the second
    (the third for an idea, where validating the need and a prototype come first)."""
    count = rules.settings.get("first_steps", 3)
    first = list(steps[:count])
    # A brief rule (REACH for articles) is a pointer under the rules, never the short answer's rule step.
    regulations = [r for r in regulations if not r.brief]
    if regulations:
        # The rules that decide for this product or market (a battery pack's, the target market's) are the
        # ones named, else the product's own rules before the horizontal ones (a toy's before EMC and RoHS;
        # persona round 33); the others are under the "Regler" button.
        horizontal = _horizontal(rules)
        named = (
            [r for r in regulations if r.lead]
            or [r for r in regulations if r.id not in horizontal]
            or list(regulations)
        )
        names = [_short_name(r.title) for r in named if r.id != "ce-markning"] or [
            _short_name(named[0].title)
        ]
        own = next((r.step for r in named if r.step), None)
        step = own or rules.texts["regulation_step"].format(titles=join(names[:REGULATIONS_NAMED], questions))
        # Specific product rules (CE and the like) come second; general product safety, or rules for an
        # idea or a licence, after the path's own first two steps.
        general = {e for r in rules.regulations if r.get("general") for e in r["entries"]}
        later = winner in rules.settings.get("rules_step_later", ()) or all(
            r.id in general for r in regulations
        )
        first.insert(min(2 if later else 1, len(first)), step)
    return tuple(first[:count])


def _horizontal(rules: RulesData) -> frozenset[str]:
    """The regulation entries that many kinds of product share (`settings.horizontal_entries`)."""
    return frozenset(rules.settings.get("horizontal_entries", ()))


def _short_name(title: str) -> str:
    """ "Maskiner: maskindirektivet och maskinförordningen" -> "maskindirektivet och maskinförordningen"."""
    return title.split(": ", 1)[1] if ": " in title else title


def first_sentence(text: str) -> str:
    """The first sentence of `text` (up to the first ". " that ends a sentence)."""
    match = _SENTENCE_END.search(text)
    return text[: match.start() + 1] if match else text


def _score(rules: RulesData, answers: Profile) -> tuple[dict[str, int], list[Mapping[str, Any]]]:
    """Points per category (in file order, so `max` prefers the earlier category on a tie)."""
    scores = {c["id"]: 0 for c in rules.categories}
    fired = [rule for rule in rules.scoring if applies(rule, answers, None)]
    for rule in fired:
        for category, points in rule["points"].items():
            scores[category] += points
    return scores, fired


def _winner(rules: RulesData, answers: Profile, scores: Mapping[str, int], wanted: Any) -> str:
    """The path with most points, or the best of the paths the user wants (WANTED) when it is one the user
    can take (`runner_up_needs`), the winner is no step before making (BEFORE_MAKING) and the wished path is
    less than `alternative_margin` points behind: a wish decides between paths
    the answers rate about as well, never for one they rule out (a company that wants a contract maker and
    scores in-house 11 to 7 gets the contract maker; persona rounds 18/18b, p09)."""
    best = max(scores, key=lambda c: scores[c])
    needs = rules.settings.get("runner_up_needs", {})
    wished = [c for c in _as_list(wanted) if c in scores and matches(needs.get(c, {}), answers, best)]
    if not wished or best in BEFORE_MAKING:
        return best
    liked = max(wished, key=lambda c: scores[c])
    return liked if scores[best] - scores[liked] < rules.settings["alternative_margin"] else best


def _reasons(
    rules: RulesData, questions: QuestionsData, answers: Profile, fired: list[Mapping[str, Any]], winner: str
) -> tuple[str, ...]:
    """Reasons of the rules that pushed the winner most, strongest first, with the priorities the user stated
    among them (see `_stated_priorities`)."""
    count = rules.settings["max_reasons"]
    helped = [r for r in fired if r.get("reason") and r["points"].get(winner, 0) > 0]
    helped.sort(key=lambda r: -r["points"][winner])
    stated = _stated_priorities(fired, answers, winner)[: count - 1]
    if stated:
        others = [r for r in helped if r not in stated][: count - len(stated)]
        helped = sorted(others + stated, key=lambda r: -r["points"].get(winner, 0))
    return tuple(fill(reason_for(r, winner), answers, questions) for r in helped[:count])


def _stated_priorities(
    fired: list[Mapping[str, Any]], answers: Profile, winner: str
) -> list[Mapping[str, Any]]:
    """For each priority the user named, in their order, the strongest fired rule about it whose reason
    helped the winner: the reasons follow what the user said matters (persona round 13, p06: "kostnaden
    driver flytten" for a user who named lead time and quality, with price as a limit)."""
    ranked = sorted(fired, key=lambda r: -r["points"].get(winner, 0))
    found: list[Mapping[str, Any]] = []
    for value in answers.values.get("priorities", ()):
        rule = next(
            (
                r
                for r in ranked
                if r.get("reason")
                and r not in found
                and value in _as_list(r["when"].get("priorities"))
                and r["points"].get(winner, 0) > 0
            ),
            None,
        )
        if rule is not None:
            found.append(rule)
    return found


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [] if value is None else [value]


def _texts(
    entries: Sequence[Mapping[str, Any]], key: str, answers: Profile, questions: QuestionsData, winner: str
) -> tuple[str, ...]:
    return tuple(fill(e[key], answers, questions) for e in entries if applies(e, answers, winner))


def applies(rule: Mapping[str, Any], answers: Profile, winner: str | None) -> bool:
    """Whether a rule's `when` and `also` (a second condition, for two values of one slot: a medical device
    that also has an app) hold and none of its `unless` conditions (one, or a list of them) does."""
    return (
        matches(rule["when"], answers, winner)
        and matches(rule.get("also", {}), answers, winner)
        and not any(matches(unless, answers, winner) for unless in unless_conditions(rule))
    )


def _roadmap(rules: RulesData, answers: Profile) -> str:
    """The readiness path with the current stage marked: "idé → prototyp (du är här) → ...", only for a
    product on its way to production (not for one already made, or a staffing question)."""
    t = rules.texts
    current = answers.values.get("stage", ())
    if not current or "production" in current:
        return ""
    titles = [
        t["roadmap_current"].format(stage=s["title"]) if s["id"] in current else s["title"]
        for s in rules.stages
    ]
    return t["roadmap"].format(path=t["roadmap_separator"].join(titles))


def _realism(rules: RulesData, questions: QuestionsData, answers: Profile) -> list[Mapping[str, Any]]:
    """The realism checks whose numbers are `below` their limits (`_texts` then checks their `when`)."""
    return [
        check
        for check in rules.realism
        if all(below(answers, questions, slot, limit) for slot, limit in check.get("below", {}).items())
    ]


def _dated(
    rules: RulesData,
    questions: QuestionsData,
    answers: Profile,
    winner: str,
    kb: SupportLookup | None,
    today: dt.date,
) -> tuple[str, ...]:
    """The rules that start to apply after `today` (the Machinery Regulation from its date), each said
    against the launch window with the source of the passage that gives the date: `text` when the user
    wants to be on the market on that day or later, `ongoing` otherwise (no time given, a product already
    sold, a launch before the date: what is placed on the market from that day must meet the rule)."""
    if kb is None:
        return ()
    launch = launch_by(answers, questions, today)
    lines: list[str] = []
    for rule in rules.dated_rules:
        entry = kb.get(rule["entry"]) if applies(rule, answers, winner) else None
        passage = next(
            (p for p in getattr(entry, "passages", ()) if p.text.startswith(rule["passage"])), None
        )
        days = dates_in_words(passage.text) if passage is not None else []
        if not days or days[0] <= today:
            continue  # a rule in force already stands under Regler
        start = days[0]
        template = rule["text"] if launch is not None and launch >= start else rule["ongoing"]
        text = fill(template.replace("{date}", date_in_words(start)), answers, questions)
        source = passage.source.url or passage.source.title if passage is not None else None
        line = f"{text} {rules.texts['detail_source'].format(source=source)}" if source else text
        if line not in lines:  # two rules for one entry (an e-bike, a cargo bike with a battery)
            lines.append(line)
    return tuple(lines)


def launch_by(answers: Profile, questions: QuestionsData, today: dt.date) -> dt.date | None:
    """The latest day the user wants to be on the market: today plus the time to market (the months said,
    or the upper bound of the option chosen); None when there is no bound (no hurry, not asked, unknown)."""
    slot = "time_to_market"
    if slot in answers.numbers:
        months: float | None = answers.numbers[slot]
    elif answers.known(slot):
        months = questions.question(slot).by_value[answers.values[slot][-1]].max
    else:
        return None
    if months is None:
        return None
    total = today.month - 1 + round(months)
    year, month = today.year + total // 12, total % 12 + 1
    return dt.date(year, month, min(today.day, 28))


def below(answers: Profile, questions: QuestionsData, slot: str, limit: float) -> bool:
    """Whether the answer to a number question is surely below `limit`: the number the user gave, or the
    upper bound of the option chosen with a button ("Under 500 000 kr"). Unknown is not below anything: a
    warning needs an answer to stand on."""
    if slot in answers.bounds:
        return answers.numbers[slot] <= limit  # "under 2 miljoner" is below 2 000 000
    if slot in answers.numbers:
        return answers.numbers[slot] < limit
    if not answers.known(slot):
        return False
    bound = questions.question(slot).by_value[answers.values[slot][-1]].max
    return bound is not None and bound < limit


def _caveats(rules: RulesData, questions: QuestionsData, answers: Profile, winner: str) -> tuple[str, ...]:
    caveats = list(_texts(rules.caveats, "text", answers, questions, winner))
    missing = [
        _lower_first(q.label)
        for q in questions.questions
        if not answers.known(q.slot) and is_relevant(q, answers)
    ]
    if missing:
        caveats.append(rules.texts["unknown_caveat"].format(slots=join(missing, questions)))
    return tuple(caveats)


def _alternative(
    rules: RulesData,
    questions: QuestionsData,
    answers: Profile,
    scores: Mapping[str, int],
    fired: list[Mapping[str, Any]],
    winner: str,
) -> tuple[str | None, str | None]:
    """The runner-up's title and a sentence on why it lost (the rule that counted most against it), or
    on when it would fit better."""
    # A path that needs what the user has not said they have ("Bygg vidare på er egen produktion" for a
    # company that buys its production; round 14b, p06) is no runner-up.
    needs = rules.settings.get("runner_up_needs", {})
    # Nor is a path that is no real choice beside the winner: "egen produktion" beside a hybrid for a
    # workshop that has it, Asia for a craft product made by hand (issue #10).
    unless = rules.settings.get("runner_up_unless", {})
    takeable = [
        c
        for c in scores
        if c != winner
        and matches(needs.get(c, {}), answers, winner)
        and not any(applies(rule, answers, winner) for rule in unless.get(c, ()))
    ]
    others = sorted(takeable, key=lambda c: -scores[c])
    if not others:
        return None, None
    runner_up = others[0]
    category = rules.category(runner_up)
    t = rules.texts
    against = [
        r
        for r in fired
        if runner_up in r.get("why_not", {})
        and r["points"].get(winner, 0) - r["points"].get(runner_up, 0) > 0
    ]
    against.sort(key=lambda r: -(r["points"].get(winner, 0) - r["points"].get(runner_up, 0)))
    if against:
        why = fill(against[0]["why_not"][runner_up], answers, questions)
        return category["title"], t["alternative_why"].format(title=category["title"], why=why)
    if category.get("consider_when"):
        text = t["alternative_consider"].format(title=category["title"], when=category["consider_when"])
        return category["title"], text
    return category["title"], t["alternative"].format(title=category["title"])


def _regulations(
    rules: RulesData, answers: Profile, winner: str, kb: SupportLookup | None
) -> tuple[RuleItem, ...]:
    """The regulation entries that apply to the product, in rule order, each once."""
    if kb is None:
        return ()
    terms: dict[str, list[str]] = {}
    leads: dict[str, Mapping[str, Any]] = {}
    full: set[str] = set()  # entries that a rule without `brief` brings
    applied = [rule for rule in rules.regulations if applies(rule, answers, winner)]
    # Rules for products without CE requirements (general product safety) never stand beside a product's
    # own CE rules: they would tell a battery pack it needs no CE marking.
    has_ce = any(rule.get("ce") for rule in applied)
    for rule in applied:
        if not (has_ce and rule.get("without_ce")):
            for entry_id in rule["entries"]:
                terms.setdefault(entry_id, []).extend(rule.get("details", ()))
                if not rule.get("brief"):
                    full.add(entry_id)
                if rule.get("lead"):
                    leads.setdefault(entry_id, rule)
    items = []
    for entry_id, words in terms.items():
        entry = kb.get(entry_id)
        if entry is not None:
            as_of = getattr(entry, "facts_as_of", None)
            url = _url(entry)
            brief = entry_id not in full
            details = () if brief else _details(entry, words)
            lead = leads.get(entry_id, {})
            items.append(
                RuleItem(
                    entry.id,
                    entry.title,
                    entry.summary,
                    url,
                    str(as_of or ""),
                    details,
                    lead=bool(lead),
                    step=lead.get("step"),
                    note=lead.get("others_note"),
                    brief=brief,
                )
            )
    # The lead rules first, then the product's own rules, then the horizontal ones that many kinds of product
    # share (`horizontal_entries`: EMC, RoHS, WEEE ...) and the brief ones last, each group in rule order.
    horizontal = _horizontal(rules)
    return tuple(sorted(items, key=lambda item: (not item.lead, item.brief, item.id in horizontal)))


def _details(entry: KnowledgeItem, words: Sequence[str]) -> tuple[RuleDetail, ...]:
    """The entry's body paragraphs that hold one of `words` (other than the summary), with their sources."""
    wanted = [w.lower() for w in words]
    found = []
    for passage in getattr(entry, "passages", ()):
        text = passage.text
        if passage.field == "body" and text != entry.summary and any(w in text.lower() for w in wanted):
            found.append(RuleDetail(text, passage.source.url or passage.source.title or ""))
    return tuple(found)


def _supports(
    rules: RulesData,
    questions: QuestionsData,
    answers: Profile,
    winner: str,
    kb: SupportLookup | None,
    today: dt.date,
) -> tuple[SupportItem, ...]:
    """Entries for the topics of every matching support rule, then the user's regional actors (`regional:
    true`), at most `max_supports` in all; fallback rules only while fewer than `min_supports` are found.
    Nothing that has ended: when nothing current fits, the part says so instead of listing history."""
    if kb is None:
        return ()
    settings = rules.settings
    matching = [r for r in rules.supports if applies(r, answers, winner)]
    national = [r for r in matching if not r.get("regional")]
    found = _lookup(rules, questions, answers, [r for r in national if not r.get("fallback")], kb, today)
    # The user's regional actors always get a place (issue #10 item 5), and a regional actor stands in for the
    # national network it belongs to (`replaces`: the county's IUC, not IUC twice).
    regional_rules = [r for r in matching if r.get("regional")]
    regional = _lookup(rules, questions, answers, regional_rules, kb, today)
    extra = [item for item in regional if item.id not in {i.id for i in found}]
    extra = extra[: settings.get("max_regional_supports", 0)]
    shown = {item.id for item in extra}
    replaced = {
        old
        for rule in regional_rules
        if shown & set(rule.get("entries", ()))
        for old in rule.get("replaces", ())
    }
    found = tuple(item for item in found if item.id not in replaced)
    missing = settings.get("min_supports", 0) - len(found) - len(extra)
    if missing > 0:
        more = _lookup(rules, questions, answers, [r for r in national if r.get("fallback")], kb, today)
        have = {item.id for item in found} | shown | replaced
        found += tuple(item for item in more if item.id not in have)[:missing]
    # Three to six lines (persona round 32b: seven read as a list to wade through): the regional actors keep
    # their places and the last, least specific national supports give way.
    return found[: settings["max_supports"] - len(extra)] + tuple(extra)


def ended(entry: KnowledgeItem, today: dt.date) -> bool:
    """Whether an entry is history: a call or programme whose dates (closing, project end, reports) all
    lie before `today` ("utlysning 2019", "uppdraget 2018"). Entries without dates are current."""
    dates = getattr(entry, "dates", None)
    every = dates.every() if dates is not None else ()
    return bool(every) and max(every) < today


def open_to(
    entry: KnowledgeItem,
    answers: Profile,
    settings: Mapping[str, Any],
    questions: QuestionsData | None = None,
) -> bool:
    """Whether the user can apply: not a support for companies (its `who_can_apply` names them) when the
    user has no company, and not one whose size condition ("2–49 anställda") excludes every company of the
    user's size class (60 employees: "medelstort", 50–249; round 21, a cheque for small firms to 60)."""
    who = " ".join(p.text for p in getattr(entry, "passages", ()) if p.field == "who_can_apply")
    if answers.values.get("company") == ("none",):
        words = {fold(w) for w in settings.get("company_applicants", ())}
        return not words & set(re.findall(r"\w+", fold(who)))
    size = _size_class(answers, questions) if questions is not None else None
    limits = size_limits(who) if size is not None else None
    if size is None or limits is None:
        return True
    (low, high), (allowed_low, allowed_high, _) = size, limits
    too_big = allowed_high is not None and low > allowed_high
    too_small = allowed_low is not None and high is not None and high < allowed_low
    return not (too_big or too_small)


def _size_class(answers: Profile, questions: QuestionsData) -> tuple[int, int | None] | None:
    """The fewest and most employees of the user's company size class (from the company question's
    options with `max`: micro up to 9, small 10–49, medium 50–249, large from 250), or None when the
    answer gives no size ("nystartat", "etablerat")."""
    given = answers.values.get("company", ())
    low = 0
    for option in questions.question("company").options:
        if option.max is None:
            if option.value in given and low:
                return low, None
            continue
        if option.value in given:
            return low, int(option.max)
        low = int(option.max) + 1
    return None


def _lookup(
    rules: RulesData,
    questions: QuestionsData,
    answers: Profile,
    support_rules: list[Mapping[str, Any]],
    kb: SupportLookup,
    today: dt.date,
) -> tuple[SupportItem, ...]:
    settings = rules.settings
    items: dict[str, SupportItem] = {}
    for rule in support_rules:
        kinds = tuple(rule.get("kinds", settings["default_kinds"]))
        why = fill(rule["why"], answers, questions)
        budget = rule.get("limit", settings["max_supports"])
        named = [kb.get(entry_id) for entry_id in rule.get("entries", ())]
        groups = (
            [[e for e in named if e is not None and not ended(e, today)]]
            if named
            else [
                [e for e in kb.by_topic(topic, kinds=kinds) if not ended(e, today)]
                for topic in rule["topics"]
            ]
        )
        for group in groups:
            fresh = [e for e in group if e.id not in items and open_to(e, answers, settings, questions)]
            for entry in fresh[: min(settings["supports_per_topic"], budget)]:
                as_of = getattr(entry, "facts_as_of", None)  # terms change: always show their year
                items[entry.id] = SupportItem(
                    entry.id,
                    entry.title,
                    entry.kind,
                    why,
                    _url(entry),
                    entry.summary,
                    as_of.year if as_of else None,
                )
                budget -= 1
                if len(items) == settings["max_supports"]:
                    return tuple(items.values())
    return tuple(items.values())


def _url(entry: KnowledgeItem) -> str | None:
    """Where to read more: the entry's apply_url, else its first source. An actor's link is only its own
    page (apply_url): a source about it may be another organisation's page."""
    if entry.apply_url or entry.kind == "actor":
        return entry.apply_url
    for source in entry.sources:
        url = source.get("url") if isinstance(source, Mapping) else getattr(source, "url", None)
        if url:
            return str(url)
    return None


def _lower_first(label: str) -> str:
    """Lowercase the first letter ("tid till marknad") unless the label starts with capitals ("IP-...")."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def _bullet(texts: Mapping[str, Any], text: str) -> str:
    return texts["bullet"].format(text=text)


def _support_line(texts: Mapping[str, Any], item: SupportItem) -> str:
    kind = texts["kind_labels"].get(item.kind, item.kind)
    year = texts["support_year"].format(year=item.year) if item.year else ""
    line = _bullet(texts, texts["support_line"].format(title=item.title, kind=kind, why=item.why, year=year))
    return line + ("\n  " + texts["support_url"].format(url=item.url) if item.url else "")


def _rule_lines(texts: Mapping[str, Any], item: RuleItem) -> str:
    line = _bullet(texts, texts["regulation_line"].format(title=item.title, summary=item.summary))
    if item.url:
        line += "\n  " + texts["source_line"].format(url=item.url, date=item.as_of)
    for detail in item.details:
        source = texts["detail_source"].format(source=detail.source) if detail.source else ""
        line += "\n  " + texts["regulation_detail"].format(text=detail.text, source=source).rstrip()
    return line


def _section(heading: str, lines: list[str]) -> str:
    return "\n".join([heading, *lines])
