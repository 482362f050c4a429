"""The one Swedish text module: folding, words, stems, stop words, compounds and edit distance.

Used by the knowledge search (index and query go through the same steps, so a user who types without
å, ä, ö, or with another case, meets the terms the index holds), by the answer resolver and by the NLU
features. The API is small on purpose:

- `fold(text)`: lower case, diacritics stripped, ø/æ/œ/ß spelt out: "Møller Æble" -> "moller aeble".
  It may lengthen the text (æ -> ae), so spans found in folded text refer to the folded text.
- `words(text)`: the folded words ([a-z0-9]+).
- `stem(word)`: the reduced form of a folded word: its Swedish snowball stem, or with
  LOTSEN_WORDFORMS=spacy its lemma from spaCy's Swedish lookup table (spacy-lookups-data);
  `content_stems(text)` reduces every word that is not a stop word (`STOPWORDS`, `is_stopword`);
  `normalise(text)` reduces every word (for the intent classifier).
- `name_key(name)`: how names are compared.
- `split_compound(word, known)`: a compound as known stems ("innovationslan" -> innovation, lan);
  `compound_tail(word, known)`: a known compound's known last word ("formsprutningsverktyg" -> verktyg).
- `edit_distance(a, b)`, `deletions(word)`: typo tolerance.
- `looks_english(text)`, `is_english_function_word(word)`: English messages and their function words;
  `from_english(text)`: an English message's domain words in Swedish, for the search.
- `in_question_form(text)`: a question mark, or a question word first ("vad", "hur", "måste").
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_SPECIAL = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ð": "d", "þ": "th", "ł": "l", "đ": "d"})
_TOKEN = re.compile(r"[a-z0-9]+")
_STEMMER = snowballstemmer.stemmer("swedish")

# Function words and question words, folded. They say what kind of answer is wanted, not which entry.
# Also the verbs that report what the user read or heard ("jag läste att regeringen …": folded "laste" met
# "låst" in a paragraph on tools), "funkar"/"fungerar" of "hur funkar X?" ("funk" met "funktioner") and
# "viktigt" of "vad är viktigt …?" (stemmed "vikt", it met a product's weight) and "tanken" of "vad var
# tanken med …?" (it met a paragraph where a minister "förklarade tanken"), "gick" of "vad gick det ut på?"
# and "stämmer" of "stämmer det?" (they weighed more than the thing asked about in a rambling question).
# "Bör" and "borde" (stemmed "bor", "bord") met a battery paragraph's "bör inte laddas" and furniture's
# "bord": "Vad bör jag ha förberett …?" got the batteries (session 16, tests/test_resolve_round26.py).
STOPWORDS = frozenset(
    """
    alla allt alltid allting alltsa andra annan annat ar at att av bara behover beratta betyder bli blir
    blivit bra da dar darfor de dem den denna deras dess dessa det detta dig din dina ditt dom du efter
    egentligen ej eller en ens er era ert ett fa far finnas finns for fortfarande fran gallde galler gar gor
    gora ha hade han hans har hej hela hen henne hennes hon honom hos hur i icke igen ingen inget innebar
    inom inte jag ju just kan kanske kunde kunna liksom man med mej mellan men menas mer mig min mina mitt
    mot mycket nagon nagonting nagot nagra nan nar nat ni nu och ocksa om oss over pa sa sadan sadana sadant
    samma sedan sen sig sin sina sitt sjalv ska skulle snalla som tack till typ under undrar upp ut utan vad
    var vara varfor varit varje vars vart vem vet veta vi vid vilka vilken vilket vill vore
    mkt dom dem asso fick fatt blev fanns sant sana
    ge ger gav gett tanka tanker tankt tankte handla handlar handlade handlat fall helst helt gjorde gjort
    lange langre
    sarskild sarskilda sarskilt
    enligt
    laste hor hora horde hort namnde namnt berattade berattat
    funkar funka funkade fungerar fungera fungerade
    viktig viktigt viktiga viktigast viktigaste
    tanken
    gick stammer
    bor borde
    """.split()
)


# Verbs that say the user wants to apply for something. They are indexed, but in a query they only
# tip the balance towards what can be applied for (a call rather than the assignment behind it):
# they must not outweigh the words that name the topic.
APPLY_WORDS = frozenset("ansoka ansoker ansokte soka soker sokte".split())


# Texts up to this long are folded once and remembered: an action folds the same message and the same
# passages many times per answer (the search, the resolver, the consultation's parser).
_FOLD_MEMORY_CHARS = 1000


def fold(text: str) -> str:
    """Lower-case and strip diacritics: 'Tillväxtverket' -> 'tillvaxtverket'."""
    return _fold_remembered(text) if len(text) <= _FOLD_MEMORY_CHARS else _fold(text)


@lru_cache(maxsize=8192)
def _fold_remembered(text: str) -> str:
    return _fold(text)


# Words whose "ä" would fold them onto another word's "å": "län" (county) and "lån" (loan) are both "lan".
# The "ä" word is spelt out ("laen"), so "lan" typed without diacritics still finds the loans, which this
# knowledge base is about far more often than counties. The forms: län, länet, länen, länets, läns-.
_DISTINCT_AE = re.compile(r"\blän(?=s|et|en|ets|ens|\b)", re.IGNORECASE)


def _fold(text: str) -> str:
    text = _DISTINCT_AE.sub(lambda m: m.group(0)[0] + "ae" + m.group(0)[2:], text)
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_SPECIAL))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The folded words of a text; anything but a-z and 0-9 separates words. A verb of position before
    "bakom" ("stod bakom", "låg bakom") is dropped: folded it would be "stöd" or "lag"."""
    found = _TOKEN.findall(fold(text))
    following = [*found[1:], ""] if found else []
    return [w for w, after in zip(found, following, strict=True) if (w, after) not in _BEHIND]


# Folded forms of "stå", "ligga" that say who was behind something; "stod" is also "stöd", "låg" "lag".
_BEHIND = frozenset((verb, "bakom") for verb in "stod star statt lag ligger legat".split())


# How words are reduced. Measured on the retrieval set and the held-out NLU set (README, "Swedish text"):
# snowball stems did at least as well as spaCy's lookup lemmas, load in no time and need no 80 MB table.
WORDFORMS = os.environ.get("LOTSEN_WORDFORMS", "snowball")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The reduced form of a folded word (snowball stem, or spaCy lemma with LOTSEN_WORDFORMS=spacy)."""
    if WORDFORMS == "spacy":
        return _lemmas().get(word, word)
    if word in _SAME_WORD:
        return _SAME_WORD[word]
    if known := _KANNA.match(word):
        # "godkänd", "godkända", "godkänt", "godkännas", "godkännande" are one word: snowball makes
        # "godkand" of some and "godkan" of others, so "måste svetsarna vara godkända?" missed "godkännas".
        return f"{known.group(1)}kann"
    stemmed = _STEMMER.stemWord(word)
    if stemmed in _SAME_STEM:
        return _SAME_STEM[stemmed]
    if len(stemmed) >= _VERB_ROOT_CHARS + 2 and stemmed.endswith("er") and _ERA_VERB.search(word):
        # Snowball leaves the "-er" of a verb made with "-era": "exporterar" -> "exporter", while the noun it
        # is made from is "export". Without it the verb finds its noun ("exportvärdet", "kontroll").
        return stemmed[:-2]
    return stemmed


# Forms snowball leaves apart, folded, and the stem they share. "äga" is irregular: snowball makes "aga",
# "ager", "agd", "agt" of its forms, so "vem äger verktyget?" missed "ägandet av verktyget".
_SAME_WORD = {
    form: "ag" for form in "aga ager agde agt ags agdes agande agandet agare agaren agarna agares".split()
}
# Stems with the same meaning in this domain, reduced to one: "frakt" is what the advice calls "transport"
# and the other way round ("fraktkostnad", "transportkostnad"); "sätta igång", "börja" and "starta" start.
_SAME_STEM = {"frakt": "transport", "igang": "start", "borj": "start", "ministr": "minist"}


# Compounds of "känna" (folded "kann"): "godkänd", "erkända", "godkännas", "godkännande".
_KANNA = re.compile(r"^(\w{2,}?)kan(?:n|d|t)")
# A verb made with "-era" ("exporterar", "kontrollerade", "finansierat"), and the shortest root kept.
_ERA_VERB = re.compile(r"er(a|ar|ade|at|ad|ande|as|ades)$")
_VERB_ROOT_CHARS = 5


@lru_cache(maxsize=1)
def _lemmas() -> dict[str, str]:
    """spaCy's Swedish lookup lemmas, folded (loaded on first use only)."""
    import gzip
    import json

    from spacy_lookups_data import get_file

    with gzip.open(get_file("sv_lemma_lookup.json.gz"), "rt", encoding="utf-8") as handle:
        table: dict[str, str] = json.load(handle)
    return {fold(form): fold(lemma) for form, lemma in table.items()}


def normalise(text: str) -> str:
    """Every word of a text folded and reduced, stop words kept: what the intent classifier reads."""
    return " ".join(stem(word) for word in words(text))


# Content words that a question about almost anything uses and that name no topic by themselves (folded):
# a cost, a way, a rule, going on, beginning, buying. A passage that shares only such words with a question
# does not answer it (persona rounds 21/21b: "rätt väg för oss" got non-automatic weighing instruments through
# "väg"/"våg", "billigt" a comparison of quotes through "bil", "fortsätta bygga i garaget" Medtech4Health
# through "fortsatt finansiering"). Adverbs of time and degree name no topic either ("redan", "direkt",
# "verkligen", "ett tag till": tooling for the first 200 and a kitchen "ett tag till" lost their passages).
# Used by `bot.actions.limits.key_terms_held`.
GENERIC_WORDS = frozenset(
    """
    vag vagen vagar ratt ratta kostnad kostnader kostar kosta billig billigt billiga dyr dyrt pris priset
    fortsatta fortsatter riktig riktigt aret aren maste borde bor kopa koper kopt slippa slipper gang ganger
    regel regler regeln reglerna krav kraven borja borjar starta startar ungefar sjalva satt sattet galla
    bygga bygger nagot nat faktiskt folk behova forst forsta redan direkt verkligen tag
    passa passar passande bast basta
    """.split()
)


def is_stopword(word: str) -> bool:
    """True for function and question words that must not steer the ranking."""
    return word in STOPWORDS


def content_stems(text: str) -> list[str]:
    """Stems of the words of a text that are not stopwords, in order."""
    return [stem(word) for word in words(text) if not is_stopword(word)]


def name_key(name: str) -> str:
    """How a name is compared for collisions: folded words joined by single spaces."""
    return " ".join(words(name))


def split_compound(word: str, known: frozenset[str] | set[str], min_part: int = 3) -> list[str]:
    """Split a compound into known stems, allowing a linking 's': 'innovationslan' -> [innovation, lan].

    Returns [] when the word cannot be covered by known parts. Fewest parts win, then the longest
    first part, so 'kompetensforsorjningsuppdraget' becomes [kompetensforsorjning, uppdrag].
    """

    def part(piece: str) -> str | None:
        if piece in known:
            return piece
        stemmed = stem(piece)
        return stemmed if stemmed in known else None

    size = len(word)
    best: list[list[str] | None] = [None] * (size + 1)
    best[size] = []
    for start in range(size - min_part, -1, -1):
        for end in range(size, start + min_part - 1, -1):
            found = part(word[start:end])
            if found is None:
                continue
            rests = [best[end]]
            if end < size and word[end] == "s":
                rests.append(best[end + 1])
            for rest in rests:
                current = best[start]
                if rest is not None and (current is None or len(rest) + 1 < len(current)):
                    best[start] = [found, *rest]
    result = best[0]
    return result if result is not None and len(result) > 1 else []


# The shortest tail and head `compound_tail` reads off a known compound ("formsprutnings|verktyg").
TAIL_MIN = 5
HEAD_MIN = 4


def compound_tail(word: str, known: frozenset[str] | set[str]) -> str | None:
    """The longest known word of at least TAIL_MIN letters that a compound ends in, when what comes before it
    (without a linking "s") is a known word too: "formsprutningsverktyg" -> "verktyg". None otherwise: a
    conservative split, for a compound that is itself known and would otherwise only meet itself."""
    for start in range(HEAD_MIN, len(word) - TAIL_MIN + 1):
        tail, head = word[start:], word[:start]
        if tail not in known and stem(tail) not in known:
            continue
        heads = [head, head[:-1]] if head.endswith("s") else [head]
        if any(len(h) >= HEAD_MIN and (h in known or stem(h) in known) for h in heads):
            return tail if tail in known else stem(tail)
    return None


def deletions(word: str) -> set[str]:
    """The word with one letter left out, in every possible way."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def edit_distance(a: str, b: str) -> int:
    """Optimal-string-alignment edit distance (insert, delete, substitute, swap neighbours)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


# English function words that are not also Swedish words (folded): "what", "the", "can", "how", ...
_ENGLISH = frozenset(
    """
    the what which who whom whose how why when where is are was were been does did can could would
    should will shall of to with about into this that these those there their they it its and or not
    any many much my our your we you me us please tell apply
    get from there have has need want know some also just be if by
    """.split()
)


def is_english_function_word(word: str) -> bool:
    """True for English function words ("what", "the", "could"), which say nothing about the topic."""
    return word in _ENGLISH


# English words of the domain and the Swedish words the knowledge base uses for them, so an English
# question finds its Swedish passage ("funding for skills supply" -> finansiering, kompetensförsörjning).
# Folded keys; values are Swedish text that goes through the same search as any message.
_FROM_ENGLISH = {
    "funding": "finansiering pengar", "funds": "pengar", "money": "pengar", "amount": "belopp",
    "budget": "budget", "grant": "bidrag", "grants": "bidrag", "loan": "lån", "loans": "lån",
    "call": "utlysning", "calls": "utlysningar", "deadline": "sista ansökningsdag", "apply": "söka",
    "assignment": "uppdrag", "assignments": "uppdrag", "mission": "uppdrag", "extended": "utökat",
    "skills": "kompetens", "skill": "kompetens", "competence": "kompetens", "supply": "försörjning",
    "economy": "ekonomi", "share": "andel", "industry": "industri", "industrial": "industri",
    "services": "tjänster", "service": "tjänster", "export": "export", "exports": "export",
    "manufacturing": "tillverkning", "manufacture": "tillverka", "production": "produktion",
    "contract": "legotillverkare", "manufacturer": "tillverkare", "manufacturers": "tillverkare",
    "supplier": "leverantör", "suppliers": "leverantörer", "quality": "kvalitet",
    "certification": "certifiering", "certificate": "certifiering", "medical": "medicinteknik",
    "device": "produkt", "devices": "produkter", "product": "produkt", "prototype": "prototyp",
    "strategy": "strategi", "government": "regeringen", "minister": "minister", "regional": "regional",
    "regions": "regioner", "region": "region", "focus": "fokusområden", "areas": "områden",
    "members": "medlemmar", "incubators": "inkubatorer", "robot": "robot", "robots": "robotar",
    "automation": "automation", "cost": "kostnad", "costs": "kostnader", "price": "pris",
    "quote": "offert", "quotes": "offerter", "agreement": "avtal", "protect": "skydda", "idea": "idé",
    "who": "vem", "when": "när", "how": "hur", "much": "mycket", "many": "många",
    "products": "produkter", "manufactured": "tillverkas", "produced": "tillverkas", "sweden": "Sverige",
    "swedish": "svensk", "companies": "företag", "company": "företag", "firms": "företag",
    "industrialisation": "industrialisering", "industrialization": "industrialisering",
    "report": "redovisning", "deliver": "redovisa", "delivered": "redovisa", "decided": "beslutade",
    "decision": "beslut", "measures": "åtgärder", "tooling": "verktyg", "mould": "formverktyg",
    "mold": "formverktyg", "patent": "patent", "eligible": "söka", "open": "öppen", "closed": "stängd",
    "ministry": "departement", "department": "departement", "finished": "avslutas", "completed": "avslutas",
    "date": "datum", "mapping": "kartläggning", "survey": "kartläggning", "validation": "validering",
    "validate": "validering", "support": "stöd", "training": "utbildning", "borrow": "låna",
    "growth": "tillväxt", "cheque": "check", "cheques": "checkar", "voucher": "check", "vouchers": "checkar",
    "guarantee": "garanti", "guarantees": "garantier", "rules": "regler", "requirements": "krav",
    "battery": "batteri", "batteries": "batterier", "machinery": "maskiner", "machine": "maskin",
    "toy": "leksak", "toys": "leksaker", "cosmetics": "kosmetika", "label": "etikett", "food": "livsmedel",
    "students": "studenter", "student": "student", "university": "universitet", "design": "design",
    "employed": "sysselsatta", "employs": "sysselsätter", "employ": "sysselsätter", "employees": "anställda",
    "employment": "sysselsättning", "jobs": "jobb", "workers": "anställda", "staff": "personal",
    "people": "personer", "directly": "direkt", "lean": "lean", "programme": "program", "program": "program",
    "purpose": "syfte", "aim": "syfte", "goal": "mål", "goals": "mål", "small": "små", "medium": "medelstora",
    "sized": "stora", "subcontractor": "underleverantör", "subcontractors": "underleverantörer",
    "reshoring": "återflytt", "outsourcing": "utlägga", "outsource": "lägga ut",
    "testbed": "testbädd",
}  # fmt: skip


# English phrases whose Swedish is one word (folded keys, matched on the folded words).
_FROM_ENGLISH_PHRASES = {
    "skills supply": "kompetensförsörjning", "final report": "slutredovisning",
    "action plan": "handlingsplan", "zero series": "nollserie", "pilot series": "pilotserie",
    "contract manufacturing": "legotillverkning", "contract manufacturer": "legotillverkare",
    "notified body": "anmält organ", "supply chain": "leveranskedja",
    "science park": "science park", "innovation loan": "innovationslån",
    "by when": "senast när", "by what date": "senast vilket datum", "hand in": "redovisa",
    "meant for": "vem kunde söka", "intended for": "vem kunde söka", "aimed at": "vem kunde söka",
    "who can apply": "vem kan söka", "who could apply": "vem kunde söka",
    "business development cheque": "affärsutvecklingscheckar",
    "business development cheques": "affärsutvecklingscheckar",
    "business development voucher": "affärsutvecklingscheckar",
    "business development vouchers": "affärsutvecklingscheckar",
    "who owns": "vem äger", "who is behind": "vem står bakom", "who's behind": "vem står bakom",
    "who is running": "vem driver", "who runs": "vem driver",
    "working capital": "rörelsekapital", "business development": "affärsutveckling",
    "export credit": "exportkredit", "ce marking": "CE-märkning", "ce mark": "CE-märkning",
    "dangerous goods": "farligt gods", "design protection": "designskydd", "start up": "nystartat",
    "european regional development fund": "EU:s regionalfond", "regional development fund": "regionalfonden",
    "regional fund": "regionalfonden", "structural funds": "strukturfonderna", "what is": "vad är",
    "what was": "vad var", "how many people": "hur många", "small and medium sized": "små och medelstora",
    "who was eligible": "vem kunde söka", "who is eligible": "vem kan söka",
    "who are eligible": "vem kan söka",
    "which companies can": "vilka företag kan söka", "which companies could": "vilka företag kunde söka",
    "maximum grant": "hur mycket bidrag", "maximum amount": "hur mycket", "loan range": "hur mycket lån",
    "how much can": "hur mycket kan", "what was the maximum": "hur mycket var",
    # A second question after "and" ("…, and what was the maximum grant?"), for the two-part reading; not
    # "and" before anything else ("…, and to which ministry?" asks more of the same thing).
    "and what": "och vad", "and who": "och vem", "and how": "och hur", "and when": "och när",
    "and which companies": "och vilka företag",
}  # fmt: skip


def from_english(text: str) -> str:
    """An English message with its domain words in Swedish (other words stay as they are)."""
    folded = f" {' '.join(words(text))} "
    for phrase, swedish in _FROM_ENGLISH_PHRASES.items():
        folded = folded.replace(f" {phrase} ", f" {swedish} ")
    return " ".join(_FROM_ENGLISH.get(word, word) for word in folded.split())


def looks_english(text: str) -> bool:
    """Whether a message reads as English: at least two English function words and more than Swedish ones."""
    found = words(text)
    english = sum(word in _ENGLISH for word in found)
    swedish = sum(word in STOPWORDS and word not in _ENGLISH for word in found)
    return english >= 2 and english > swedish


# First words that make a message a question ("finns det ...", "måste jag ..."). Not folded: "vår" is no
# "var".
QUESTION_WORDS = frozenset(
    "vad vem vilka vilken vilket hur när var varför finns kan ska får går är har".split()
)
_FIRST_WORD = re.compile(r"\w+")


def in_question_form(text: str, more_words: frozenset[str] = frozenset()) -> bool:
    """Whether `text` is phrased as a question: it ends with "?" or starts with a question word (or one of
    `more_words`, lower case)."""
    stripped = text.strip()
    first = _FIRST_WORD.match(stripped.lower())
    return stripped.endswith("?") or bool(first and first.group() in QUESTION_WORDS | more_words)


MONTHS = "januari februari mars april maj juni juli augusti september oktober november december".split()


def date_in_words(date: dt.date) -> str:
    """A day as Swedish text writes it: "20 januari 2027"."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


_DAY_IN_WORDS = re.compile(rf"\b(\d{{1,2}}) ({'|'.join(MONTHS)}) (\d{{4}})\b")


def dates_in_words(text: str) -> list[dt.date]:
    """The days a Swedish text names in words ("från den 18 februari 2027"), in order."""
    found = []
    for day, month, year in _DAY_IN_WORDS.findall(text.lower()):
        try:
            found.append(dt.date(int(year), MONTHS.index(month) + 1, int(day)))
        except ValueError:
            continue
    return found


def date_as_said(date: dt.date) -> str:
    """A date as precise as it was recorded: the first of January stands for a year ("2024"), the first of
    another month for that month ("juli 2018"); other days are given in full (2016-09-30)."""
    if date.day != 1:
        return date.isoformat()
    if date.month == 1:
        return str(date.year)
    return f"{MONTHS[date.month - 1]} {date.year}"
