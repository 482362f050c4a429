"""Numbers in folded Swedish text: "5000", "5 000", "5k", "2,5 miljoner", "500 tkr", "tio tusen".

The number words below are Swedish grammar, not tunable advice, so they live here and not in YAML.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

_UNITS = {
    "noll": 0,
    "en": 1,
    "ett": 1,
    "tva": 2,
    "tre": 3,
    "fyra": 4,
    "fem": 5,
    "sex": 6,
    "sju": 7,
    "atta": 8,
    "nio": 9,
    "tio": 10,
    "elva": 11,
    "tolv": 12,
    "tretton": 13,
    "fjorton": 14,
    "femton": 15,
    "sexton": 16,
    "sjutton": 17,
    "arton": 18,
    "nitton": 19,
    "tjugo": 20,
    "trettio": 30,
    "fyrtio": 40,
    "femtio": 50,
    "sextio": 60,
    "sjuttio": 70,
    "attio": 80,
    "nittio": 90,
    "halv": 0.5,
    "halvt": 0.5,
    "par": 2,
    "nagra": 3,
    # "någon miljon" is about one million (persona round 16, p04); alone, "någon" is no number. "nån" is
    # the same word as spoken (persona round 24: "nån miljon" as the capital was not taken).
    "nagon": 1,
    "nan": 1,
}
_VAGUE = {"par", "nagra", "nagon", "nan"}
# "tusentals", "hundratals": a guess at the magnitude, read like "några tusen" (persona round 16, p07:
# "ingen aning ärligt talat. tusentals?"); the value is confirmed with the user like any free-text number.
_MAGNITUDES = {"hundratals": ["nagra", "hundra"], "tusentals": ["nagra", "tusen"]}
# "ett tiotal", "ett tjugotal": about that many, and the "ett" before it is the article, not one (the
# scenario set 13 opening "provbänkar ... ett tiotal om året" was read as 1 a year).
_ROUNDED = {f"{unit}tal": [unit] for unit in ("tio", "tjugo", "trettio", "fyrtio", "femtio", "hundra")}
_HUNDRED = {"hundra": 100}
_LARGE = {
    "tusen": 1_000,
    "miljon": 1_000_000,
    "miljoner": 1_000_000,
    "mille": 1_000_000,
    "miljard": 10**9,
    "miljarder": 10**9,
}
_PARTS = sorted({*_UNITS, *_HUNDRED, *_LARGE, *_MAGNITUDES, *_ROUNDED}, key=len, reverse=True)
_COMPOUND = re.compile(rf"(?:{'|'.join(_PARTS)})+")
_PART = re.compile("|".join(_PARTS))
_SUFFIX_SCALE = {
    "k": 1_000,
    "tusen": 1_000,
    "tn": 1_000,
    "hundra": 100,
    "tkr": 1_000,
    "kkr": 1_000,
    "mkr": 1_000_000,
    "msek": 1_000_000,
    "mnkr": 1_000_000,
    "miljoner": 1_000_000,
    "miljon": 1_000_000,
    "milj": 1_000_000,
    "mn": 1_000_000,
    "m": 1_000_000,
    "mille": 1_000_000,
    "miljarder": 10**9,
    "miljard": 10**9,
    "mdr": 10**9,
    # Slang for a thousand kronor ("600 lax", "50 lakan", "20 papp").
    "lax": 1_000,
    "laxar": 1_000,
    "lakan": 1_000,
    "papp": 1_000,
    # "20 lappar" is 20 tusenlappar (persona round 17, p07: read as 20 kr); confirmed like any free-text sum.
    "lappar": 1_000,
    "lapp": 1_000,
}
_MONEY_SUFFIXES = {
    "tkr",
    "kkr",
    "mkr",
    "msek",
    "mnkr",
    "mille",
    "lax",
    "laxar",
    "lakan",
    "papp",
    "lappar",
    "lapp",
}
# Larger numbers are no real answer in this domain ("a 400-digit volume"): they are ignored, and the
# question is asked again.
MAX_VALUE = 1e12
_MAX_DIGITS = 15
_PERCENT = re.compile(r"\s*(?:%|procent|pct)")
_SUM = re.compile(r"\s*(?:\+|plus)\s*")
_WORD_SUFFIXES = sorted(set(_SUFFIX_SCALE) - {"m"}, key=len, reverse=True)
# "2 m lång" is a length, not two million.
_LENGTH_WORDS = r"(?:lang|hog|bred|djup|tjock|i diameter)"
_DIGITS = re.compile(
    r"(?<![a-z0-9.,])(?P<num>\d{1,3}(?:[ .]\d{3})+(?!\d)|\d+(?:[.,]\d+)?)"
    rf"(?:\s*(?P<suffix>{'|'.join(_WORD_SUFFIXES)})|\s?(?P<m>m)(?!\s+{_LENGTH_WORDS}))?(?![a-z0-9])"
)
_WORD = re.compile(r"[a-z]+")
# Words right before a number that make it an upper bound: "under en halv miljon", "mindre än 300 000",
# "max 2 miljoner", "högst 500k" mean below the number (folded text).
_BOUND = re.compile(
    r"(?:\b(?:under|max|maximalt|maximum|hogst|knappt|mindre an|lagre an|inte mer an|inte over)"
    r"|<)\s*\.?\s*$"
)
_RANGE = re.compile(r"\s*(?:-|–|—|till|a)\s*")
# "en 600 000" (about 600 000): the article before a number, in folded text.
_ABOUT = frozenset({"en"})
_GROUPED = re.compile(r"\d{1,3}(?: \d{3})+")


@dataclass(frozen=True)
class Number:
    """A number found in folded text, with its span."""

    start: int
    end: int
    value: float
    scale: float
    money: bool
    needs_unit: bool
    # Said as an upper bound ("under 500 000", "högst 2 miljoner"): the answer lies below `value`.
    bound: bool = False

    @property
    def millions(self) -> bool:
        """Written with "miljon(er)", "mkr" or similar: in this domain most likely an amount of money."""
        return self.scale >= 1_000_000


def find_numbers(folded: str, exclude_before: Iterable[str] = ()) -> list[Number]:
    """Every number in `folded`, ranges merged to their midpoint, minus those right after an excluded word."""
    digits = _digit_numbers(folded)
    words = [w for w in _word_numbers(folded) if not any(d.start < w.end and w.start < d.end for d in digits)]
    found = sorted(digits + words, key=lambda n: n.start)
    excluded = set(exclude_before)
    kept = [
        n
        for n in found
        if (_word_before(folded, n.start) not in excluded or _approximate(folded, n))
        and not _PERCENT.match(folded, n.end)
        and n.value <= MAX_VALUE
    ]
    merged = _merge_ranges(folded, _merge_sums(folded, kept))
    return [
        replace(n, bound=True) if _BOUND.search(folded[max(0, n.start - 20) : n.start]) else n for n in merged
    ]


def _merge_sums(folded: str, numbers: list[Number]) -> list[Number]:
    """Sums ("8 M + 2 M", "500 tkr plus 300 tkr") become one number: the total."""
    merged: list[Number] = []
    for number in numbers:
        previous = merged[-1] if merged else None
        if previous and _SUM.fullmatch(folded[previous.end : number.start]):
            merged[-1] = replace(
                number,
                start=previous.start,
                value=previous.value + number.value,
                scale=max(previous.scale, number.scale),
                money=previous.money or number.money,
            )
        else:
            merged.append(number)
    return merged


def _digit_numbers(folded: str) -> list[Number]:
    numbers = []
    for m in _DIGITS.finditer(folded):
        raw = m.group("num")
        if sum(ch.isdigit() for ch in raw) > _MAX_DIGITS:
            continue
        if re.fullmatch(r"\d{1,3}(?:[ .]\d{3})+", raw):
            value = float(re.sub(r"[ .]", "", raw))
        else:
            value = float(raw.replace(",", "."))
        suffix = m.group("suffix") or m.group("m") or ""
        scale = _SUFFIX_SCALE.get(suffix, 1)
        numbers.append(Number(m.start(), m.end(), value * scale, scale, suffix in _MONEY_SUFFIXES, False))
    return numbers


# Words inside a run of number words that join it rather than end it: "en och en halv miljon", "två och ett
# halvt år" (persona round 27: "en och en halv mille" became 500 000 kr), and "en dryg miljon", "en knapp
# miljon" (about a million). Swedish grammar, like the number words.
_JOINING = frozenset({"och"})
_HALF_AFTER_JOIN = (frozenset({"en", "ett"}), frozenset({"halv", "halvt"}))
_INSIDE = frozenset({"dryg", "drygt", "knapp"})


def _word_numbers(folded: str) -> list[Number]:
    """Runs of spelled-out number words ("tio tusen", "femhundra", "en och en halv miljon")."""
    words = list(_WORD.finditer(folded))
    runs: list[list[re.Match[str]]] = [[]]
    for i, word in enumerate(words):
        if not _COMPOUND.fullmatch(word.group()):
            if not (runs[-1] and _joins(words, i)):
                runs.append([])
            continue
        previous = runs[-1][-1] if runs[-1] else None
        if previous and re.search(r"[^\s]", _WORD.sub(" ", folded[previous.end() : word.start()])):
            runs.append([])
        runs[-1].append(word)
    return [n for n in (_word_run(run) for run in runs if run) if n is not None]


def _joins(words: list[re.Match[str]], i: int) -> bool:
    """Whether the word at `i`, right after a number word, joins it to the number words after it: "och"
    before "en halv" / "ett halvt", or "dryg"/"knapp" before a number word ("en dryg miljon")."""
    word = words[i].group()
    following = [w.group() for w in words[i + 1 : i + 3]]
    if word in _JOINING:
        return len(following) == 2 and all(w in s for w, s in zip(following, _HALF_AFTER_JOIN, strict=True))
    return word in _INSIDE and bool(following) and bool(_COMPOUND.fullmatch(following[0]))


def _word_run(run: list[re.Match[str]]) -> Number | None:
    raw = [p for w in run for p in _PART.findall(w.group())]
    article = {i for i, p in enumerate(raw[:-1]) if p in ("en", "ett") and raw[i + 1] in _ROUNDED}
    raw = [p for i, p in enumerate(raw) if i not in article]
    parts = [q for p in raw for q in {**_MAGNITUDES, **_ROUNDED}.get(p, [p])]
    if parts == ["miljon"]:
        # A bare "miljon" is no amount: folded, "för miljön" (the environment) reads "for miljon" (persona
        # round 15, p01's "tuff miljö" context; "bra för miljön" was read as 1 000 000 kr).
        return None
    parts = [
        p
        for i, p in enumerate(parts)
        if not (p in ("en", "ett") and parts[i + 1 : i + 2] in (["halv"], ["halvt"], ["par"]))
    ]
    total, current, scale = 0.0, 0.0, 1.0
    for part in parts:
        if part in _HUNDRED:
            current, scale = (current or 1) * 100, max(scale, 100)
        elif part in _LARGE:
            total, current, scale = total + (current or 1) * _LARGE[part], 0.0, max(scale, _LARGE[part])
        else:
            current += _UNITS[part]
    value = total + current
    if value <= 0 or (scale == 1 and (_VAGUE & set(parts) or value < 1)):
        return None
    # "en halv mille" is money, like "2 mille".
    return Number(run[0].start(), run[-1].end(), value, scale, "mille" in parts, scale == 1)


def _merge_ranges(folded: str, numbers: list[Number]) -> list[Number]:
    """Ranges ("10–20 tusen", "mellan 5 000 och 10 000") become one number: the midpoint; growth ("från
    200 till 3000") the number grown to."""
    merged: list[Number] = []
    for number in numbers:
        if merged and _is_range(folded, merged[-1], number):
            first = merged.pop()
            low = first.value * number.scale if first.scale == 1 and number.scale > 1 else first.value
            low = _shortened_low(low, number)
            # "från 200 till 3000 om året" is growth to a target, not a span: the target counts.
            growth = (
                _word_before(folded, first.start) == "fran" and "till" in folded[first.end : number.start]
            )
            value = number.value if growth else (low + number.value) / 2
            merged.append(replace(number, start=first.start, value=value))
        else:
            merged.append(number)
    return merged


def _shortened_low(low: float, high: Number) -> float:
    """The low end of a range written short, as people do: "2-3000" is 2 000–3 000 and "15-20 000" is
    15 000–20 000 (persona round 14, p01: "2-3000" became 1 501), and "3-500" is 300–500 (persona round
    21b, p02: became 252). Only when the high end has at least three digits, ends in as many zeros as the low
    end lacks digits, and the low end scaled up stays below it; "500-3000" and "2-30" are read as written."""
    if high.scale != 1 or high.value < 100 or low != int(low) or low <= 0:
        return low
    shift = 10 ** (len(str(int(high.value))) - len(str(int(low))))
    if shift > 1 and high.value % shift == 0 and low * shift < high.value:
        return low * shift
    return low


def has_range(folded: str) -> bool:
    """Whether `folded` gives a number as a range ("8–10 miljoner", "mellan 5 000 och 10 000")."""
    numbers = _digit_numbers(folded) + _word_numbers(folded)
    numbers.sort(key=lambda n: n.start)
    return any(_is_range(folded, a, b) for a, b in zip(numbers, numbers[1:], strict=False))


def _is_range(folded: str, first: Number, second: Number) -> bool:
    between = folded[first.end : second.start]
    if _RANGE.fullmatch(between):
        return True
    return between.strip() == "och" and _word_before(folded, first.start) == "mellan"


def _word_before(folded: str, start: int) -> str:
    words = _WORD.findall(folded[max(0, start - 20) : start])
    return words[-1] if words else ""


def _approximate(folded: str, number: Number) -> bool:
    """ "en 600 000", "en 600k": the article before an amount means "about". A standard's number after
    "EN" ("EN 1090", "EN 50604-1") is written without digit groups or a scale word, so it stays excluded."""
    if _word_before(folded, number.start) not in _ABOUT:
        return False
    return number.scale > 1 or bool(_GROUPED.fullmatch(folded[number.start : number.end]))
