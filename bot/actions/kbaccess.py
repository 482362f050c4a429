"""The knowledge base as the action server sees it: opened lazily once, reloaded by `bot.kb` on rebuild."""

from __future__ import annotations

from functools import lru_cache

from bot.kb.store import KnowledgeBase
from bot.settings import get_settings


@lru_cache(maxsize=1)
def get_kb() -> KnowledgeBase:
    """The shared knowledge base (opened on first use, never at import: the constructor reads nothing)."""
    return KnowledgeBase(get_settings().knowledge_db)
