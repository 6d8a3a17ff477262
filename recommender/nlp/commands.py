"""Whole-message commands: "more", "next", "start over", "/help", "forget me"."""

from __future__ import annotations

import re

from recommender.nlp import lexicon
from recommender.nlp.query import Command

_COMMAND_STRIP = re.compile(r"[\s.,!?;:/\\]+")


def detect_command(text: str) -> Command | None:
    """The command a whole message is, or None: "more please" -> MORE, "start over" ->
    RESET, "/help" -> HELP. A message with anything else in it is not a command."""
    norm = lexicon.normalize(text[:200])
    if norm.strip() == "?":
        return Command(lexicon.COMMAND_PHRASES["?"])
    words = _COMMAND_STRIP.sub(" ", norm).split()
    if not words or len(words) > 8:
        return None
    while words:
        name = lexicon.COMMAND_PHRASES.get(" ".join(words))
        if name:
            return Command(name)
        stripped = _strip_politeness(words)
        if stripped == words:
            return None
        words = stripped
    return None


def _strip_politeness(words: list[str]) -> list[str]:
    """Drop one politeness phrase from either end ("show me more" -> "me more")."""
    for polite in lexicon.COMMAND_POLITENESS:
        p = polite.split()
        if len(words) > len(p) and words[: len(p)] == p:
            return words[len(p) :]
        if len(words) > len(p) and words[-len(p) :] == p:
            return words[: -len(p)]
    return words
