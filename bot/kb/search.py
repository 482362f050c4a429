"""Swedish ranking over the compiled index: folded, stemmed, compound- and typo-aware, names first.

A query is reduced to content words (stopwords and question words dropped). Each word is resolved
against the index vocabulary: as is, as a prefix of longer compounds, corrected for a typo, or split
into known compound parts. The resolved stems, always quoted, form an FTS5 OR query ranked by BM25
with column weights. Two signals refine that score:
- coverage: the share of the query's information (IDF mass) an entry contains, so an entry that
  matches every word of the question beats one that repeats a single rare word;
- names: a title or alias contained in the query adds a bonus in proportion to how much of the
  question it explains, so "vad gör almi" is about Almi, while a long question that mentions
  Tillväxtverket in passing is about something else. A name inside a longer matched name of
  another entry ("almi" inside "almi innovationslån") counts little.
"""

from __future__ import annotations

import bisect
import json
import math
import re
import sqlite3
from dataclasses import dataclass

from bot.kb.build import FTS_COLUMNS
from bot.swedish import (
    APPLY_WORDS,
    compound_tail,
    content_stems,
    deletions,
    edit_distance,
    is_stopword,
    split_compound,
    stem,
    words,
)

MAX_QUERY_CHARS = 1000
MAX_QUERY_WORDS = 24
# Longer 'words' are noise (pasted hashes, keyboard mashing); splitting them would cost time.
MAX_WORD_CHARS = 40
_PREFIX_MIN = 5
# A query word this long matches a name word ending in it: 'produktion' ~ 'industriproduktion'.
_HEAD_MIN = 6
# A known word at least this long may be a compound whose last word counts too (`compound_tail`).
_COMPOUND_MIN = 12
# ... unless many entries say its last word: "tillverkningsuppdraget" names one assignment, and "uppdrag"
# (24 of 104 entries) would count every other one (tuning sets: 6 first replies lost); "verktyg" is in 10.
_TAIL_SHARE = 0.15
# Colloquial last words that only say "the part of" or "the thing about" what the compound's first part
# names ("kompetensförsörjningsbiten", "tillverkningsdelen", "exportgrejen"), folded: the first part is
# what the word is about.
# ... in a passage, only when its last part is this rare: a common one ("utveckling", "ansvar") made
# "näringslivsansvariga" meet "utvecklingsansvariga" (tuning set 2: one first reply lost).
_RARE_TAIL = 3
# A compound's first part with its linking "s", a space, and its last part ("tillverknings uppdraget").
_SPLIT_COMPOUND = re.compile(r"\b(\w{4,}s) (\w{3,})\b")
_VAGUE_HEADS = ("biten", "bit", "delen", "grejen", "grejjen", "grej", "saken", "sparet")
# Kinds whose names are proper names, never split (tuning sets: "Tillväxtverket" read as "verket" too lost
# 4 first replies).
_PROPER_KINDS = frozenset({"actor", "call", "programme", "support"})
# How much a contained name weighs against the best text score (which is scaled to 1.0).
NAME_WEIGHT = 2.0
# Text scores are multiplied by the share of the query an entry covers, to this power.
COVERAGE_POWER = 1.0
# How strongly a name's share of the query counts (1: linearly).
EXPLAINED_POWER = 1.0
# Added for what can be applied for (calls, support) when the query asks to apply (APPLY_WORDS).
APPLY_BONUS = 0.1
APPLY_KINDS = frozenset({"call", "support"})
# A name match that only repeats part of a longer name matched by another entry counts this much.
_SUBSUMED = 0.3
# Texts whose stems an index remembers (the resolver asks for the same passages' stems on every message);
# the memory is emptied when full, and a rebuilt database gets a new index with an empty memory.
_STEMS_MEMORY = 4096


@dataclass(frozen=True)
class Term:
    """A resolved query word: the index stems it stands for, whether as prefixes, and its position."""

    stems: tuple[str, ...]
    prefix: bool
    position: int

    def match_expression(self) -> list[str]:
        """FTS5 phrases for this term; stems are [a-z0-9]+ so quoting makes them safe."""
        star = "*" if self.prefix else ""
        return [f'"{s}"{star}' for s in self.stems]


@dataclass(frozen=True)
class Name:
    """A title or alias of an entry as the stems it consists of."""

    entry_id: str
    kind: str
    stems: frozenset[str]


class SearchIndex:
    """The in-memory part of the index: the vocabulary and the entries' names."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.df: dict[str, int] = dict(conn.execute("SELECT term, df FROM terms"))
        self.sorted_terms = sorted(self.df)
        self.known = frozenset(self.df)
        self.names = _load_names(conn)
        self.kinds: dict[str, str] = dict(conn.execute("SELECT id, kind FROM entries"))
        self.names_by_stem: dict[str, list[int]] = {}
        for index, name in enumerate(self.names):
            for stem_ in sorted(name.stems):
                self.names_by_stem.setdefault(stem_, []).append(index)
        self.entries = conn.execute("SELECT count(*) FROM entries").fetchone()[0]
        # The words of organisations' and programmes' names: "tillvaxtverket" is one agency, no "verket".
        self.proper_names = frozenset(
            stem_ for name in self.names if name.kind in _PROPER_KINDS for stem_ in name.stems
        )
        self.postings = _load_postings(conn)
        # The concept table: a user's word that also stands for the entries' words (`bot/kb/concepts.py`).
        self.expands: dict[str, tuple[str, ...]] = {
            said: tuple(json.loads(stems)) for said, stems in conn.execute("SELECT said, words FROM concepts")
        }
        # Phrases that tell a situation, as space-joined stems, with the entry topic each is about
        # (`bot/kb/concepts.py`); a database built before the table existed has none.
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        self.situations: dict[tuple[str, ...], tuple[str, ...]] = {}
        if "situations" in tables:
            for said, topic in conn.execute("SELECT said, topic FROM situations ORDER BY said, topic"):
                phrase = tuple(said.split())
                self.situations[phrase] = (*self.situations.get(phrase, ()), topic)
        self._deletes: dict[str, set[str]] | None = None
        self._stems: dict[str, frozenset[str]] = {}
        self._name_stems_for: dict[str, frozenset[str]] = {}

    def terms(self, text: str) -> list[Term]:
        """The content words of a query resolved against the vocabulary (unknown words dropped)."""
        found: list[Term] = []
        seen: set[str] = set()
        for word in query_words(text):
            if word in seen or len(seen) >= MAX_QUERY_WORDS:
                continue
            seen.add(word)
            term = self._resolve(word, len(seen) - 1)
            if term is not None:
                found.append(term)
        return found

    def joined(self, text: str) -> str:
        """The text with a compound typed as two words joined when the compound names an entry
        ("tillverknings uppdraget" -> "tillverkningsuppdraget"): only then, so "produktions kostnad" stays."""

        def join(match: re.Match[str]) -> str:
            whole = match.group(1) + match.group(2)
            return whole if stem(" ".join(words(whole))) in self.names_by_stem else match.group(0)

        return _SPLIT_COMPOUND.sub(join, text)

    def weighted_terms(self, text: str) -> list[tuple[Term, float]]:
        """The query's terms with their share of the query's information (IDF mass, summing to 1)."""
        terms = self.terms(text)
        weights = [self._idf(t) for t in terms]
        total = sum(weights) or 1.0
        return [(term, weight / total) for term, weight in zip(terms, weights, strict=True)]

    def unresolved(self, text: str) -> list[str]:
        """The query's content words that match nothing in the index, even as typos or compounds."""
        return [word for word in dict.fromkeys(query_words(text)) if self._resolve(word, 0) is None]

    def stems_of(self, text: str) -> frozenset[str]:
        """The stems of a text as the index sees them, with the known parts of its long compounds."""
        found = self._stems.get(text)
        if found is None:
            stems = set(content_stems(text))
            for word in stems.copy():
                if len(word) >= 9:
                    parts = split_compound(word, self.known)
                    # A compound whose last part the stemmer leaves inflected ("näringsdepartementet")
                    # still has that last part ("departement" meets it as a prefix).
                    tail = (
                        compound_tail(word, self.known) if not parts and len(word) >= _COMPOUND_MIN else None
                    )
                    if tail is not None and self.df.get(tail, 0) <= _RARE_TAIL:
                        parts = [tail]
                    stems.update(parts)
            found = _remember(self._stems, text, frozenset(stems))
        return found

    def _resolve(self, word: str, position: int) -> Term | None:
        term = self._resolve_word(word, position)
        extra = self.expands.get(stem(word))
        if extra is None:
            return term
        if term is None:
            return Term(extra, False, position)
        return Term(tuple(dict.fromkeys((*term.stems, *extra))), term.prefix, position)

    def _resolve_word(self, word: str, position: int) -> Term | None:
        stemmed = stem(word)
        if stemmed in self.known:
            # A known compound also meets its last word ("formsprutningsverktyget" the passages on "verktyg").
            tail = compound_tail(stemmed, self.known) if len(stemmed) >= _COMPOUND_MIN else None
            if (
                tail is not None
                and stemmed not in self.proper_names
                and self.df.get(tail, 0) <= _TAIL_SHARE * self.entries
            ):
                return Term((stemmed, tail), False, position)
            return Term((stemmed,), len(stemmed) >= _PREFIX_MIN, position)
        if len(stemmed) >= 4 and self._has_prefix(stemmed):
            return Term((stemmed,), True, position)
        near = self._correct(stemmed, max_distance=1)
        if near:
            return Term((near,), False, position)
        parts = split_compound(word, self.known) if len(word) >= 7 else []
        if parts:
            return Term(tuple(parts), False, position)
        vague = self._before_vague_head(word, position)
        if vague is not None:
            return vague
        near = self._correct(stemmed, max_distance=2) if len(stemmed) >= 8 else None
        return Term((near,), False, position) if near else None

    def _before_vague_head(self, word: str, position: int) -> Term | None:
        """The known first part of a compound whose last word only says "the part of" (`_VAGUE_HEADS`)."""
        head = next((h for h in _VAGUE_HEADS if word.endswith(h) and len(word) - len(h) >= 4), None)
        if head is None:
            return None
        first = word[: -len(head)]
        for piece in dict.fromkeys((first, first[:-1] if first.endswith("s") else first)):
            term = self._resolve_word(piece, position) if len(piece) >= 4 else None
            if term is not None:
                return term
        return None

    def _has_prefix(self, prefix: str) -> bool:
        at = bisect.bisect_left(self.sorted_terms, prefix)
        return at < len(self.sorted_terms) and self.sorted_terms[at].startswith(prefix)

    def _correct(self, word: str, max_distance: int) -> str | None:
        """The known stem closest to a misspelt one (ties: the more common), or None."""
        if len(word) < 5:
            return None
        deletes = self._delete_index()
        candidates: set[str] = set(deletes.get(word, ()))
        for variant in deletions(word):
            candidates |= deletes.get(variant, set())
        # A typo keeps the word's first letter: "sitter" is no misspelt "hitta".
        scored = [(edit_distance(word, c), -self.df[c], c) for c in candidates if c[0] == word[0]]
        scored = [item for item in scored if item[0] <= max_distance]
        return min(scored)[2] if scored else None

    def _idf(self, term: Term) -> float:
        """How rare a query term is in the index (prefix terms count as their stem)."""
        df = min((self.df.get(s, 1) for s in term.stems), default=1)
        return math.log((self.entries + 1) / (df + 0.5))

    def _delete_index(self) -> dict[str, set[str]]:
        """Symmetric-delete index: each known stem under itself and its one-letter deletions."""
        if self._deletes is None:
            index: dict[str, set[str]] = {}
            for term in self.sorted_terms:
                if len(term) >= 4:
                    for variant in (term, *deletions(term)):
                        index.setdefault(variant, set()).add(term)
            self._deletes = index
        return self._deletes

    def search(
        self, conn: sqlite3.Connection, text: str, kind: str | None, limit: int
    ) -> list[tuple[str, float]]:
        """(entry id, score) best first; empty when nothing in the query is known."""
        terms = self.terms(text)
        if not terms or limit <= 0:
            return []
        weights = {t.position: self._idf(t) for t in terms}
        total = sum(weights.values()) or 1.0
        share = {position: weight / total for position, weight in weights.items()}
        text_scores = self._text_scores(conn, terms, kind)
        coverage = self._coverage(terms, share)
        name_scores = self._name_scores(terms, share, kind)
        best_text = max(text_scores.values(), default=0.0) or 1.0
        applying = any(word in APPLY_WORDS for word in words(text[:MAX_QUERY_CHARS]))
        scores = {
            entry_id: (text_scores.get(entry_id, 0.0) / best_text)
            * coverage.get(entry_id, 0.0) ** COVERAGE_POWER
            + NAME_WEIGHT * name_scores.get(entry_id, 0.0)
            + (APPLY_BONUS if applying and self.kinds[entry_id] in APPLY_KINDS else 0.0)
            for entry_id in set(text_scores) | set(name_scores)
        }
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        return [(entry_id, round(score, 4)) for entry_id, score in ranked[:limit]]

    def _text_scores(self, conn: sqlite3.Connection, terms: list[Term], kind: str | None) -> dict[str, float]:
        query = " OR ".join(phrase for term in terms for phrase in term.match_expression())
        weights = ", ".join(str(w) for w in (0.0, 0.0, *FTS_COLUMNS.values()))
        sql = f"SELECT id, -bm25(entries_fts, {weights}) FROM entries_fts WHERE entries_fts MATCH ?"
        params: list[str] = [query]
        if kind:
            sql += " AND kind = ?"
            params.append(kind)
        return {entry_id: max(score, 0.0) for entry_id, score in conn.execute(sql, params)}

    def _name_scores(self, terms: list[Term], share: dict[int, float], kind: str | None) -> dict[str, float]:
        """Per entry, how fully one of its names is contained in the query (0 when none is)."""
        matching: dict[str, set[int]] = {}
        for term in terms:
            for query_stem in term.stems:
                for name_stem in self._name_stems_matching(query_stem):
                    matching.setdefault(name_stem, set()).add(term.position)
        hits = {s: frozenset(positions) for s, positions in matching.items()}
        best: dict[str, _NameMatch] = {}
        for index in sorted({i for s in hits for i in self.names_by_stem[s]}):
            name = self.names[index]
            if kind is not None and name.kind != kind:
                continue
            match = _match_name(name, hits, share)
            if match is not None and match.score > best.get(name.entry_id, _NO_MATCH).score:
                best[name.entry_id] = match
        full_spans = [m.positions for m in best.values() if m.full]
        return {
            entry_id: m.score * _SUBSUMED if m.subsumed_by(full_spans) else m.score
            for entry_id, m in best.items()
        }

    def _name_stems_matching(self, query_stem: str) -> frozenset[str]:
        """The name stems a query stem matches (`_stem_matches`), worked out once per query stem."""
        found = self._name_stems_for.get(query_stem)
        if found is None:
            matched = frozenset(s for s in self.names_by_stem if _stem_matches(s, query_stem))
            found = _remember(self._name_stems_for, query_stem, matched)
        return found

    def _coverage(self, terms: list[Term], share: dict[int, float]) -> dict[str, float]:
        """Per entry, the share of the query's information (IDF mass) whose terms the entry contains."""
        coverage: dict[str, float] = {}
        for term in terms:
            for entry_id in self._postings_of(term):
                coverage[entry_id] = coverage.get(entry_id, 0.0) + share[term.position]
        return coverage

    def _postings_of(self, term: Term) -> set[str]:
        found: set[str] = set()
        for stem_ in term.stems:
            if not term.prefix:
                found |= self.postings.get(stem_, set())
                continue
            at = bisect.bisect_left(self.sorted_terms, stem_)
            while at < len(self.sorted_terms) and self.sorted_terms[at].startswith(stem_):
                found |= self.postings.get(self.sorted_terms[at], set())
                at += 1
        return found


@dataclass(frozen=True)
class _NameMatch:
    score: float
    positions: frozenset[int]
    full: bool

    def subsumed_by(self, spans: list[frozenset[int]]) -> bool:
        """True when a full name of another entry covers strictly more of the query."""
        return any(self.positions < span for span in spans)


_NO_MATCH = _NameMatch(0.0, frozenset(), False)


def _match_name(name: Name, hits: dict[str, frozenset[int]], share: dict[int, float]) -> _NameMatch | None:
    """How a name is contained in the query, given which query positions match each name stem."""
    positions = frozenset().union(*(hits[s] for s in name.stems if s in hits))
    covered = sum(1 for s in name.stems if s in hits)
    explained = sum(share[p] for p in positions)
    score = _name_strength(covered, len(name.stems), explained)
    return _NameMatch(score, positions, covered == len(name.stems)) if score else None


def query_words(text: str) -> list[str]:
    """The words of a query that can name or describe an entry: no stopwords, no letter soup."""
    return [
        word
        for word in words(text[:MAX_QUERY_CHARS])
        if (len(word) > 1 or word.isdigit())
        and len(word) <= MAX_WORD_CHARS
        and not is_stopword(word)
        and word not in APPLY_WORDS
    ]


def _name_strength(covered: int, size: int, explained: float) -> float:
    """Full names count most, longer names more than shorter, and only as much as they explain the query.

    `explained` is the share of the query's information (IDF mass) that the name's words account for,
    so "vad gör almi" is all about Almi while a long question that mentions Almi in passing is not.
    """
    if covered < size and (size < 2 or covered * 2 < size):
        return 0.0
    fullness = 1.0 if covered == size else 0.5 * covered / size
    return fullness * (1.0 + 0.15 * (size - 1)) * explained**EXPLAINED_POWER


def _stem_matches(name_stem: str, query_stem: str) -> bool:
    """A query stem matches a name's stem exactly, as an inflected form, or as a compound's head."""
    if query_stem == name_stem:
        return True
    if len(query_stem) >= _PREFIX_MIN and len(name_stem) >= _PREFIX_MIN:
        if name_stem.startswith(query_stem) and len(name_stem) - len(query_stem) <= 3:
            return True
        if query_stem.startswith(name_stem) and len(query_stem) - len(name_stem) <= 3:
            return True
    return len(query_stem) >= _HEAD_MIN and name_stem.endswith(query_stem)


def _remember(memory: dict[str, frozenset[str]], key: str, value: frozenset[str]) -> frozenset[str]:
    """Store `value` under `key`, emptying the memory first when it is full; return `value`."""
    if len(memory) >= _STEMS_MEMORY:
        memory.clear()
    memory[key] = value
    return value


def _load_postings(conn: sqlite3.Connection) -> dict[str, set[str]]:
    """For each indexed stem, the entries that contain it (in any column)."""
    columns = " || ' ' || ".join(FTS_COLUMNS)
    postings: dict[str, set[str]] = {}
    for entry_id, text in conn.execute(f"SELECT id, {columns} FROM entries_fts"):
        for stem_ in set(text.split()):
            postings.setdefault(stem_, set()).add(entry_id)
    return postings


def _load_names(conn: sqlite3.Connection) -> list[Name]:
    """Every title and alias, in a stable order."""
    names = []
    rows = conn.execute("SELECT id, kind, title, aliases FROM entries ORDER BY id")
    for entry_id, kind, title, aliases in rows:
        for name in (title, *json.loads(aliases or "[]")):
            stems = frozenset(content_stems(name))
            if stems:
                names.append(Name(entry_id, kind, stems))
    return names


def term_in(term: Term, stems: frozenset[str]) -> bool:
    """Whether a resolved query term occurs among a text's stems (prefix terms match longer stems)."""
    if any(s in stems for s in term.stems):
        return True
    return term.prefix and any(other.startswith(s) for s in term.stems for other in stems)
