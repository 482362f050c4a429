"""Warnings about aliases that name a topic rather than their entry (`lotsen kb validate`).

An alias weighs heavily in the search: a question that contains it is taken to be about its entry, whose
summary then outranks the passage of another entry that really answers. That is right for a name
("Almis innovationslån", "IUC Sverige"), wrong for words that many entries use ("vem äger verktygen" on the
contract entry took tool-ownership questions from the advice on moulds). An alias is reported when every
one of its words is such a topic word and none of them is a word of the entry's own title; an alias with a
number ("2014/35/EU") is a name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from bot.kb.errors import KnowledgeError
from bot.kb.load import EntryFile
from bot.kb.model import CITING_FIELDS
from bot.swedish import content_stems, words

# A word the texts of at least this share of the entries use is a topic word. Measured on the 99 shipped
# entries: at 8 % (8 entries) five aliases, all topics ("äga verktygen": 'äga' 8, 'verktyg' 10 entries;
# "anmält organ": 9 and 9); at 10 % "äga verktygen", which took tool-ownership questions from the advice
# on moulds, passes; at 5 % also the regulation entries' own terms ("EU-försäkran", "klass I").
TOPIC_SHARE = 0.08
# Word parts this long are the title's own word inside a compound ('kartlagg' in 'kompetenskartlaggning').
TITLE_PART_CHARS = 4

_MESSAGE = (
    "alias '{alias}' is only words that {least} or more entries use ({words}) and none of the title's: "
    "questions with them would get this entry's summary, not the passage that answers. Use a name, or put "
    "the words in the summary or body"
)


def alias_warnings(files: Iterable[EntryFile]) -> list[KnowledgeError]:
    """One warning per alias made only of topic words that the entry's title does not hold."""
    files = list(files)
    stems = {id(f): set(content_stems(" ".join(_texts(f.data)))) for f in files}
    used = Counter(stem for found in stems.values() for stem in found)
    least = max(2, round(TOPIC_SHARE * len(files)))
    warnings = []
    for entry in files:
        title = set(content_stems(str(entry.data.get("title", ""))))
        aliases = entry.data.get("aliases")
        for index, alias in enumerate(aliases if isinstance(aliases, list) else []):
            if not isinstance(alias, str) or any(any(c.isdigit() for c in w) for w in words(alias)):
                continue
            own = content_stems(alias)
            if own and all(used[s] >= least for s in own) and not any(_in_title(s, title) for s in own):
                listed = ", ".join(f"'{s}' {used[s]}" for s in own)
                message = _MESSAGE.format(alias=alias, least=least, words=listed)
                warnings.append(KnowledgeError(message, entry.path, entry.line_of(("aliases", index))))
    return warnings


def _texts(data: dict[str, object]) -> list[str]:
    """The entry's title, aliases and every text field."""
    aliases = data.get("aliases")
    names = [data.get("title"), *(aliases if isinstance(aliases, list) else [])]
    return [t for t in [*names, *(data.get(key) for key in CITING_FIELDS)] if isinstance(t, str)]


def _in_title(stem: str, title: set[str]) -> bool:
    """Whether the title holds the word, alone or as a part of a compound."""
    return stem in title or any(
        (stem in word or word in stem) for word in title if min(len(word), len(stem)) >= TITLE_PART_CHARS
    )
