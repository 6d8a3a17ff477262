"""Whole-message commands: "more", "next", "start over", "/help", "forget me"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TypeVar

from recommender.nlp import lexicon
from recommender.nlp.query import Command

S = TypeVar("S", str, list[str])
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
    return strip_affix(words, [polite.split() for polite in lexicon.COMMAND_POLITENESS])


def strip_affix(seq: S, affixes: Sequence[S]) -> S:
    """``seq`` without the first of ``affixes`` it starts or ends with (and is longer
    than); ``seq`` itself when none. Works on word lists and on strings alike."""
    for p in affixes:
        if len(seq) > len(p) and seq[: len(p)] == p:
            return seq[len(p) :]
        if len(seq) > len(p) and seq[-len(p) :] == p:
            return seq[: -len(p)]
    return seq
