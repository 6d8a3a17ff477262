"""Whole-message commands: "more", "next", "start over", "/help", "forget me".

``whole_message_command`` is the one matching loop (look the message up, else strip one
politeness phrase from either end and try again); ``detect_command`` runs it over English
words, ``recommender.nlp.zh.commands.detect_command`` over Chinese characters. Typed
``/name@bot args`` messages of the chat front ends are split by ``bot.dialogue.slash``
before they reach the parser; the "/" stripped here serves callers without that layer
(inline search, evaluation), so "/help" still reads as HELP there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
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
    # Each round strips at least one word, so len(words) rounds try every shortening.
    return whole_message_command(
        words, lambda w: lexicon.COMMAND_PHRASES.get(" ".join(w)), _POLITE_WORDS, len(words)
    )


_POLITE_WORDS = [polite.split() for polite in lexicon.COMMAND_POLITENESS]


def whole_message_command(
    message: S, lookup: Callable[[S], str | None], politeness: Sequence[S], rounds: int
) -> Command | None:
    """The command ``lookup`` names for ``message``, trying it as is and then with one
    politeness phrase after another stripped from either end ("show me more" -> "me
    more" -> "more"), at most ``rounds`` times; None when nothing matches."""
    for _ in range(rounds):
        if not message:
            return None
        name = lookup(message)
        if name:
            return Command(name)
        stripped = strip_affix(message, politeness)
        if stripped == message:
            return None
        message = stripped
    return None


def strip_affix(seq: S, affixes: Sequence[S]) -> S:
    """``seq`` without the first of ``affixes`` it starts or ends with (and is longer
    than); ``seq`` itself when none. Works on word lists and on strings alike."""
    for p in affixes:
        if len(seq) > len(p) and seq[: len(p)] == p:
            return seq[len(p) :]
        if len(seq) > len(p) and seq[-len(p) :] == p:
            return seq[: -len(p)]
    return seq
