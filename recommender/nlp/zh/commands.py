"""Chinese whole-message commands ("再来几部", "换一批", "新一点") and ordinals ("第二部").

A command is the *whole* message, after punctuation and politeness ("请", "吧", "给我")
are stripped from either end; "再来几部喜剧" is a request, not a command.
"""

from __future__ import annotations

import re

from recommender.nlp.commands import whole_message_command
from recommender.nlp.query import Command
from recommender.nlp.zh import lexicon
from recommender.nlp.zh.timewords import ZH_NUM, zh_number

_STRIP = re.compile(r"[\s.,!?;:/\\~…、。，！？；：'\"“”]+")
_POLITE = sorted(lexicon.COMMAND_POLITENESS, key=len, reverse=True)
_CLASSIFIER = r"(?:部|个|项|条|名|款|号)"
_ORDINAL_RE = re.compile(
    rf"第\s*(?P<n>\d{{1,2}}|{ZH_NUM})\s*(?P<cl>{_CLASSIFIER})?"
    rf"|#\s*(?P<hash>\d{{1,2}})"
    rf"|(?P<last>最后)(?:一|那)?{_CLASSIFIER}"
)
# After "第二" without a classifier only these may follow ("第二次世界大战" is no ordinal).
_ORDINAL_END = re.compile(r"\s*(?:$|[,.!?;，。！？；]|那|这|一样|类似|差不多|的?电影|很|不错|吧)")


def detect_command(text: str) -> Command | None:
    """The command a whole message is, or None: "请再来几部吧" -> MORE, "新一点" -> NEWER."""
    # At most a few particles around a command: 4 rounds.
    return whole_message_command(_STRIP.sub("", text[:60]), lexicon.COMMAND_PHRASES.get, _POLITE, 4)


def find_ordinal(text: str) -> tuple[int, int, int] | None:
    """``(start, end, 0-based position)`` of the first ordinal: "像第二部那样" -> 1,
    "#3" -> 2, "最后一部" -> -1; None when there is none."""
    for m in _ORDINAL_RE.finditer(text):
        if m.group("last"):
            return m.start(), m.end(), -1
        raw = m.group("n") or m.group("hash")
        value = zh_number(raw)
        if value is None or value < 1:
            continue
        if m.group("n") and not m.group("cl") and not _ORDINAL_END.match(text, m.end()):
            continue
        return m.start(), m.end(), value - 1
    return None
