"""Case- and diacritics-insensitive phrase matching with a little typo tolerance, for Swedish free text.

Text is first folded (`fold`: lowercase, å/ä → a, ö → o) and masked (`mask`: every character that is
not a letter, digit or clause punctuation becomes a space, keeping positions), so matches carry spans
into the folded text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.swedish import fold  # the one Swedish folding, shared with the knowledge search
from bot.swedish import stem as word_stem

CLAUSE_PUNCTUATION = ",.;:!?"
_MASK = re.compile(rf"[^a-z0-9{re.escape(CLAUSE_PUNCTUATION)}]")
_WORD = re.compile(r"[a-z0-9]+")
_CLAUSE_DASH = re.compile(r"(?<=\s)[–—-](?=\s)")
# Tokens a phrase set remembers its typo verdict for (emptied when full).
_TYPO_MEMORY = 8192


def mask(folded: str) -> str:
    """`folded` with every character except letters, digits and clause punctuation replaced by a space. A
    dash between spaces ends a clause like a colon ("åt industrin – stativ med pumpar": the pumps are no
    customer, round 13, p04); a dash between numbers is a range and stays out of it."""
    return _MASK.sub(" ", _CLAUSE_DASH.sub(":", folded))


@dataclass(frozen=True)
class Match:
    """A phrase found in the masked text: its span and the value it stands for."""

    start: int
    end: int
    value: str
    exact: bool = True

    def overlaps(self, other: Match) -> bool:
        """Whether the two spans share a character."""
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class _Phrase:
    pattern: re.Pattern[str]
    stem: str | None
    value: str
    # The word a match starts with (None for a phrase without words), and whether a longer word that
    # starts with it also starts a match (a one-word phrase with a trailing *).
    first: str | None = None
    word_start: bool = False


class PhraseSet:
    """Phrases mapped to values; finds them in masked text. A trailing * matches word endings, a leading *
    the first part of a Swedish compound ("*belysning" also finds "utomhusbelysning")."""

    def __init__(
        self,
        phrases: Iterable[tuple[str, str]],
        one_typo: int = 0,
        two_typos: int = 0,
        known_words: Iterable[str] = (),
    ) -> None:
        self._phrases = [_compile(phrase, value) for phrase, value in phrases]
        # Real words that are close to a phrase but no typo of it ("inledningsvis" is not "inredning"): a
        # trailing * matches their endings.
        self._known = tuple(fold(word) for word in known_words)
        # Which phrases a message's words can start: only those are searched for.
        self._always: list[int] = []
        self._by_word: dict[str, list[int]] = {}
        self._by_word_start: dict[str, list[int]] = {}
        for number, phrase in enumerate(self._phrases):
            if phrase.first is None:
                self._always.append(number)
            else:
                by = self._by_word_start if phrase.word_start else self._by_word
                by.setdefault(phrase.first, []).append(number)
        self._one_typo = one_typo
        self._two_typos = two_typos
        # The value each token was found to be a typo of (None: of nothing), worked out once per token.
        self._typo_of: dict[str, str | None] = {}

    def find(self, masked: str) -> list[Match]:
        """Non-overlapping matches, longest first; tokens that match nothing exactly may match with a typo."""
        phrases = self._possible(masked)
        exact = [Match(m.start(), m.end(), p.value) for p in phrases for m in p.pattern.finditer(masked)]
        chosen = _longest_first(exact)
        if self._one_typo:
            for token in _WORD.finditer(masked):
                candidate = self._fuzzy(token.group(), token.start(), token.end())
                if candidate and not any(candidate.overlaps(m) for m in chosen):
                    chosen.append(candidate)
        return sorted(chosen, key=lambda m: m.start)

    def _possible(self, masked: str) -> list[_Phrase]:
        """The phrases that can occur in `masked` (in their order): those that start with one of its
        words, or with the start of one for a `word*` phrase."""
        numbers = set(self._always)
        for token in set(_WORD.findall(masked)):
            numbers.update(self._by_word.get(token, ()))
            if self._by_word_start:
                for end in range(1, len(token) + 1):
                    numbers.update(self._by_word_start.get(token[:end], ()))
        return [self._phrases[n] for n in sorted(numbers)]

    def contains(self, masked: str) -> bool:
        """Whether any phrase occurs exactly."""
        return any(p.pattern.search(masked) for p in self._phrases)

    def _fuzzy(self, token: str, start: int, end: int) -> Match | None:
        if token not in self._typo_of:
            if len(self._typo_of) >= _TYPO_MEMORY:
                self._typo_of.clear()
            self._typo_of[token] = self._typo_value(token)
        value = self._typo_of[token]
        return Match(start, end, value, exact=False) if value is not None else None

    def _typo_value(self, token: str) -> str | None:
        if not token.isalpha() or any(
            token.startswith(word[:-1]) if word.endswith("*") else token == word for word in self._known
        ):
            return None
        for phrase in self._phrases:
            if (
                phrase.stem
                and len(phrase.stem.rstrip("*")) >= self._one_typo
                and token[:2] == phrase.stem[:2]
                and self._close(token, phrase.stem)
            ):
                return phrase.value
        return None

    def _close(self, token: str, stem: str) -> bool:
        """One typo in a long word, two in a very long one; never a different word on the same stem.

        A word-start stem ("hållbar*") allows one typo in the stem, but a letter missing from the stem
        only when the token ends there ("protoyp"): "hållar|e" is another word, not a typo of "hållbar".
        """
        if stem.endswith("*"):
            stem = stem[:-1]
            if (
                len(token) > len(stem)
                and token[: len(stem) - 1] == stem[:-1]
                and token[len(stem) - 1] != stem[-1]
            ):
                # The stem's last letter changed and the word goes on: another word, no typo ("handkraft" is
                # no "handkräm*": persona round 30b, p05, a company named Handkraft got the cosmetics rules).
                return False
            if len(token) == len(stem) - 1:
                return distance(token, stem, 1) <= 1
            lengths: Sequence[int] = [n for n in (len(stem), len(stem) + 1) if n <= len(token)]
            return any(distance(token[:n], stem, 1) <= 1 for n in lengths)
        if word_stem(token) == word_stem(stem):
            # Another form of the same word is no typo: "svetsar" (we weld) is not "svetsare" (welders).
            return False
        budget = 2 if len(stem) >= self._two_typos else 1
        return distance(token, stem, budget) <= budget


# "..." in a phrase stands for up to _GAP_WORDS words that are no negation: "gör ... själv" finds "jag gör
# krämen själv" and "gör allt själv", but not "gör inget själv" (persona round 27: a woman who makes her
# skin cream herself got "ingen egen tillverkning").
_GAP = "..."
_GAP_WORDS = 2
_GAP_PATTERN = rf"(?:\s+(?!(?:inte|inget|ingenting|aldrig|ej)(?![a-z0-9]))[a-z0-9]+){{0,{_GAP_WORDS}}}\s+"


def _compile(phrase: str, value: str) -> _Phrase:
    prefix = phrase.endswith("*")
    head = phrase.startswith("*")  # the last part of a compound: searched in every message, no typos
    parts = [_WORD.findall(mask(fold(part))) for part in phrase.strip("*").split(_GAP)]
    words = [w for part in parts for w in part]
    body = _GAP_PATTERN.join(r"\s+".join(re.escape(w) for w in part) for part in parts)
    start = "[a-z0-9]*" if head else ""
    pattern = re.compile(rf"(?<![a-z0-9]){start}{body}{'[a-z0-9]*' if prefix else ''}(?![a-z0-9])")
    if head:
        return _Phrase(pattern, None, value)
    stem = words[0] + ("*" if prefix else "") if len(words) == 1 and words[0].isalpha() else None
    return _Phrase(pattern, stem, value, words[0] if words else None, prefix and len(words) == 1)


def _longest_first(matches: list[Match]) -> list[Match]:
    """Non-overlapping matches, longest first; words that two values match alike ("fuktsensor": a sensor
    and a monitor) keep both."""
    chosen: list[Match] = []
    for match in sorted(matches, key=lambda m: (m.start - m.end, m.start)):
        if not any(match.overlaps(c) and not _other_value_alike(match, c) for c in chosen):
            chosen.append(match)
    return chosen


def _other_value_alike(match: Match, other: Match) -> bool:
    return (match.start, match.end) == (other.start, other.end) and match.value != other.value


def distance(a: str, b: str, limit: int) -> int:
    """Edit distance with adjacent transpositions (optimal string alignment), capped at `limit` + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def words_before(masked: str, start: int, window: int, clause_words: frozenset[str]) -> list[str]:
    """Up to `window` words before `start`, stopping at clause punctuation or a clause word ("och", "men")."""
    head = masked[:start]
    cut = max(head.rfind(p) for p in CLAUSE_PUNCTUATION)
    words = _WORD.findall(head[cut + 1 :])
    for i in range(len(words) - 1, -1, -1):
        if words[i] in clause_words:
            words = words[i + 1 :]
            break
    return words[-window:]


def words_after(masked: str, end: int, window: int, stop_words: frozenset[str]) -> list[re.Match[str]]:
    """Up to `window` words after `end`, stopping at clause punctuation or one of `stop_words`."""
    words: list[re.Match[str]] = []
    previous = end
    for word in _WORD.finditer(masked, end):
        if len(words) == window or set(masked[previous : word.start()]) & set(CLAUSE_PUNCTUATION):
            break
        if word.group() in stop_words:
            break
        words.append(word)
        previous = word.end()
    return words


def clause_around(masked: str, start: int, end: int, clause_words: frozenset[str]) -> tuple[int, int]:
    """The span of the clause holding `start`..`end`, cut at clause punctuation and clause words."""
    left = max(masked.rfind(p, 0, start) for p in CLAUSE_PUNCTUATION) + 1
    rights = [i for i in (masked.find(p, end) for p in CLAUSE_PUNCTUATION) if i >= 0]
    right = min(rights, default=len(masked))
    for word in _WORD.finditer(masked, left, right):
        if word.group() in clause_words:
            if word.end() <= start:
                left = word.end()
            elif word.start() >= end:
                right = word.start()
                break
    return left, right
