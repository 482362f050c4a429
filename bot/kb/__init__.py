"""The knowledge base: staff-edited YAML, validated, compiled to SQLite and searched in Swedish.

from bot.kb import KnowledgeBase
kb = KnowledgeBase()                      # var/knowledge.db, opened on first use
hits = kb.search("vem kan söka innovationslån")
"""

from __future__ import annotations

from bot.kb.build import BuildResult, build
from bot.kb.errors import KnowledgeError, ValidationFailed
from bot.kb.model import KINDS, Dates, Entry, Source, Status, status
from bot.kb.store import Hit, KnowledgeBase
from bot.kb.validate import check, load_entries

__all__ = [
    "KINDS",
    "BuildResult",
    "Dates",
    "Entry",
    "Hit",
    "KnowledgeBase",
    "KnowledgeError",
    "Source",
    "Status",
    "ValidationFailed",
    "build",
    "check",
    "load_entries",
    "status",
]
