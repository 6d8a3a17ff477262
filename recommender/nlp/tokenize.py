"""Word pre-tokenisation of user text, the way the MIT Movie corpus is tokenised.

The corpus is lower-case, made of alphanumeric runs only, with apostrophes dropped
("devil's" -> ``devil s``) and punctuation removed ("sci-fi" -> ``sci fi``). The
tagger labels these words; each word keeps its character offsets into the ORIGINAL
text so that entities map back onto what the user typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Letters and digits of any script; everything else (punctuation, apostrophes, emoji,
# control characters, underscores) separates words.
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Word:
    """A lower-cased word and its ``[start, end)`` character offsets in the original text."""

    text: str
    start: int
    end: int


def pretokenize(text: str, max_words: int | None = None) -> list[Word]:
    """Split ``text`` into lower-case alphanumeric words with original offsets.

    ``max_words`` keeps only the first words (protects the tagger from huge inputs).
    Never raises on any ``str``; non-string input is a TypeError.
    """
    words: list[Word] = []
    for match in _WORD.finditer(text):
        words.append(Word(match.group().lower(), match.start(), match.end()))
        if max_words is not None and len(words) >= max_words:
            break
    return words


def words_of(text: str) -> list[str]:
    """Just the lower-case words of ``text`` (see ``pretokenize``)."""
    return [w.text for w in pretokenize(text)]
