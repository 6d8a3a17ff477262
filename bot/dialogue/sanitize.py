"""Clean an incoming message before anything else sees it.

Pure: removes HTML tags, control and invisible formatting characters, collapses
whitespace, truncates to ``MAX_INPUT`` (Telegram's 4096) characters, and recognises
input that is not a request at all (empty, binary). The result says what to tell the
user when it is unusable, in the language asked for (``texts``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from bot.dialogue.texts import DEFAULT_LANG, t
from bot.dialogue.types import MAX_TEXT

MAX_INPUT = MAX_TEXT
# Share of unprintable characters above which a message is treated as binary junk.
BINARY_SHARE = 0.1

_TAG = re.compile(r"</?[A-Za-z!][^<>]{0,200}>")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Cleaned:
    """``text`` to process, ``notes`` to show the user, ``problem`` when there is nothing to process."""

    text: str
    notes: list[str] = field(default_factory=list)
    problem: str | None = None


def clean_message(raw: object, lang: str = DEFAULT_LANG) -> Cleaned:
    """Normalise a message; ``problem`` is set (and ``text`` empty) when it is unusable."""
    if not isinstance(raw, str):
        return Cleaned("", problem=t(lang, "input.not_text"))
    if raw and _unprintable_share(raw) > BINARY_SHARE:
        return Cleaned("", problem=t(lang, "input.binary"))
    notes: list[str] = []
    text = raw
    if len(text) > MAX_INPUT:
        text = text[:MAX_INPUT]
        notes.append(t(lang, "input.truncated", limit=MAX_INPUT))
    text = _TAG.sub(" ", text)
    text = "".join(ch if _keep(ch) else " " for ch in text)
    text = _SPACE.sub(" ", text).strip()
    if not text:
        return Cleaned("", notes, problem=t(lang, "input.empty"))
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
