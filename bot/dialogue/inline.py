"""Inline mode's search: what ``@bot <text>`` finds for one user, without a conversation.

An inline query stands alone: it has no previous list, so ordinals ("the second one")
and commands ("more", "reset") mean nothing there and are dropped; everything else
(genres, years, "like <title>", free text) is understood as in the chat. An empty text
is the user's best picks (the empty query ranked with their ratings). Rated items are
never offered. Runs on the model executor (it calls the tagger); reads nothing but its
arguments.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from recommender.nlp.query import Query

MAX_CHARS = 256  # Telegram's own limit for an inline query's text
RESULTS = 10  # the apps show a scrolling list; ten is one screen and a bit

def standalone(query: Query) -> Query:
    """``query`` without what only makes sense inside a conversation."""
    return dataclasses.replace(query, command=None, ordinal=None)


def search(engine: Any, text: str, history: Mapping[int, float], k: int = RESULTS) -> Any:
    """The engine's ``RankResult`` for ``text`` (cleaned, possibly empty) and ``history``."""
    query = standalone(engine.understand(text)) if text else Query()
    return engine.recommend(query, history, exclude=set(history), k=k)
