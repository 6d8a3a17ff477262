"""Which language a message is in, per message: "zh" or "en".

Chinese is recognised by its script: a message with at least one Han character is
Chinese (English titles and names typed inside it are handled by the Chinese parser).
A message with no Han characters is English, unless it has no Latin letters either
("#2", "👍", "90") and the client says the user's language is Chinese (Telegram's
``language_code``, e.g. "zh-hans"): then it is Chinese too. ``reply_language`` picks
the language of an answer, also for button presses, which carry no text.
"""

from __future__ import annotations

import re

ENGLISH, CHINESE = "en", "zh"
LANGUAGES = (ENGLISH, CHINESE)

# CJK Unified Ideographs, extension A and the compatibility block.
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


def has_han(text: str) -> bool:
    """True when ``text`` contains a Chinese character."""
    return _HAN.search(text) is not None


def detect_language(text: str, hint: str | None = None) -> str:
    """``CHINESE`` or ``ENGLISH`` for one message; ``hint`` is a client language code."""
    if has_han(text):
        return CHINESE
    if hint and hint.lower().startswith("zh") and not _LATIN.search(text):
        return CHINESE
    return ENGLISH


def has_words(text: str) -> bool:
    """True when ``text`` has a Chinese character or a Latin letter (not just "#2", "👍")."""
    return has_han(text) or _LATIN.search(text) is not None


def reply_language(
    text: str | None, client: str | None, previous: str | None, default: str = ENGLISH
) -> str:
    """The language to answer in: a message with words decides by itself (``client``, a
    language code, only settles messages without any); a button press or a message
    without words keeps the ``previous`` language of the conversation, else follows
    ``client`` when it is Chinese, else ``default``."""
    if text and has_words(text):
        return detect_language(text, client)
    if previous in LANGUAGES:
        return previous
    if client and client.lower().startswith("zh"):
        return CHINESE
    return default
