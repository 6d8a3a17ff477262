"""Clean an incoming message before anything else sees it.

Pure: removes HTML tags, control and invisible formatting characters, collapses
whitespace, truncates to 4096 characters, and recognises input that is not a request
at all (empty, binary). The result says what to tell the user when it is unusable.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

MAX_INPUT = 4096
# Share of unprintable characters above which a message is treated as binary junk.
BINARY_SHARE = 0.1

_TAG = re.compile(r"</?[A-Za-z!][^<>]{0,200}>")
_SPACE = re.compile(r"\s+")

EMPTY_HINT = (
    "Tell me what you'd like to watch — for example “a funny sci-fi movie from the 90s” "
    "or “something like Alien”. Send /help for more."
)
BINARY_HINT = "That looks like binary data rather than text. Please send me a plain text message."
NOT_TEXT_HINT = "I can only read text messages. Tell me what you'd like to watch."


@dataclass(frozen=True)
class Cleaned:
    """``text`` to process, ``notes`` to show the user, ``problem`` when there is nothing to process."""

    text: str
    notes: list[str] = field(default_factory=list)
    problem: str | None = None


def clean_message(raw: object) -> Cleaned:
    """Normalise a message; ``problem`` is set (and ``text`` empty) when it is unusable."""
    if not isinstance(raw, str):
        return Cleaned("", problem=NOT_TEXT_HINT)
    if raw and _unprintable_share(raw) > BINARY_SHARE:
        return Cleaned("", problem=BINARY_HINT)
    notes: list[str] = []
    text = raw
    if len(text) > MAX_INPUT:
        text = text[:MAX_INPUT]
        notes.append(f"Your message was very long, so I only read its first {MAX_INPUT} characters.")
    text = _TAG.sub(" ", text)
    text = "".join(ch if _keep(ch) else " " for ch in text)
    text = _SPACE.sub(" ", text).strip()
    if not text:
        return Cleaned("", notes, problem=EMPTY_HINT)
    return Cleaned(text, notes)


def _keep(ch: str) -> bool:
    # Cc: control characters, Cf: invisible formatting (bidi overrides, zero-width),
    # Cs: lone surrogates, Co: private use. Whitespace is kept and collapsed later.
    return ch.isspace() or unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co"}


def _unprintable_share(text: str) -> float:
    sample = text[:MAX_INPUT]
    bad = sum(
        1
        for ch in sample
        if ch == "\ufffd" or (not ch.isspace() and unicodedata.category(ch) in {"Cc", "Cs"})
    )
    return bad / len(sample)
