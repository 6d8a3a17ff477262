"""Regex building blocks shared by the parser modules: phrase alternations, numbers."""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

from recommender.nlp import lexicon


def alternation(phrases: Iterable[str]) -> str:
    """Regex alternation of phrases, longest first, spaces/hyphens interchangeable."""
    parts = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        words = re.split(r"[\s-]+", phrase.strip())
        parts.append(r"[\s-]+".join(re.escape(w) for w in words))
    return "|".join(parts)


def phrase_regex(phrases: Iterable[str]) -> re.Pattern[str]:
    """Compiled regex finding any of ``phrases`` as whole words."""
    return re.compile(rf"(?<![\w'])(?:{alternation(phrases)})(?![\w'])")


# A first-person statement of taste ("I like", "we really love", "I'm into"): the genres
# pass (two listed genres are tastes after it) and the free-text gate (a sentence that
# states a taste is searched) read the same words.
TASTE_VERB = (
    r"(?:i|we)(?:'m| am|m| are|'re)?\s+(?:(?:really|do|also|mostly|usually|just|generally|"
    r"totally|definitely|both|kind of|pretty much|tend to|absolutely|especially|sometimes|"
    r"always)\s+)*(?:like|love|enjoy|prefer|adore|dig|into|watch)"
)

NUMWORD = alternation(lexicon.NUMBER_WORDS)
NUM = rf"(?:\d+(?:\.\d+)?|{NUMWORD})"  # "4", "3.5", "four"


def parse_number(text: str) -> float | None:
    """``"4"`` -> 4.0, ``"3.5"`` -> 3.5, ``"four"`` -> 4.0; None when not a number."""
    text = text.strip().lower()
    if text in lexicon.NUMBER_WORDS:
        return float(lexicon.NUMBER_WORDS[text])
    try:
        value = float(text)
    except ValueError:
        return None
    return value if np.isfinite(value) else None
