"""Which language a message is in, per message: "zh" or "en".

Chinese is recognised by its script: a message with at least one Han character is
Chinese (English titles and names typed inside it are handled by the Chinese parser).
A message with no Han characters is English, unless it has no Latin letters either
("#2", "👍", "90") and the client says the user's language is Chinese (Telegram's
``language_code``, e.g. "zh-hans"): then it is Chinese too.
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
