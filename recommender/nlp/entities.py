"""The entity type the tagger produces and the parser consumes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entity:
    """One tagged span of the user's message.

    ``type`` is a tagger label without the B-/I- prefix (``GENRE``, ``YEAR``, ``TITLE``,
    ``ACTOR``, ``DIRECTOR``, ``RATINGS_AVERAGE``, ... plus project types such as
    ``NEG_GENRE`` or ``ORDINAL``). ``start``/``end`` are character offsets into the
    original text (``text[start:end] == entity.text``).
    """

    type: str
    text: str
    start: int
    end: int
