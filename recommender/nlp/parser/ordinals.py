"""Ordinals pass: which item of the last list a message points at ("the second one",
"#2", "number three", a bare "3").

Claims (as "ordinal") the first ordinal phrase still unclaimed and sets
``Query.ordinal`` (0-based; -1 for "last"). It runs right after the tagger's entities
and before every other lexicon pass, so "#2" or "the 3rd one" is never read as a
rating, a year or part of a title. Whole-message commands ("more", "start over") are
not a pass: ``recommender.nlp.commands.detect_command`` decides them before any pass
runs. This module is the one place that reads "#N": ``recommender.refine`` uses
:func:`hash_ordinal` too.
"""

from __future__ import annotations

import re

from recommender.nlp import lexicon
from recommender.nlp.parser.state import ParseState
from recommender.nlp.patterns import NUMWORD, alternation

_ORDINAL_NOUNS = r"(?:one|movie|film|item|option|suggestion|result|pick|title|choice|entry)"
_ORDWORD = alternation(w for w in lexicon.ORDINAL_WORDS if not w[0].isdigit())
_ORDNUM = r"(?:\d{1,2}(?:st|nd|rd|th))"
_HASH = r"#\s*(?P<hash>\d{1,3})\b"  # "#2", "# 12"

_HASH_RE = re.compile(_HASH)
_ORDINAL_RE = re.compile(
    rf"{_HASH}"
    rf"|\b(?:number|no\.|nr\.?|num|option|item|pick|choice)\s*#?\s*(?P<num>\d{{1,2}}|{NUMWORD})\b"
    rf"|(?:^\s*|\bthe\s+)(?P<ord>{_ORDWORD}|{_ORDNUM})(?:\s+{_ORDINAL_NOUNS})?"
    rf"(?=\s*$|\s*[.!?,;]|\s+(?:please|pls|on|in|you|from|was|is|looks|sounds|about|any|"
    rf"worth|good)\b)"
    rf"|^\s*(?P<ord2>{_ORDWORD}|{_ORDNUM})\s+{_ORDINAL_NOUNS}\b"
    rf"|\b(?P<ord3>{_ORDWORD}|{_ORDNUM})\s+{_ORDINAL_NOUNS}(?=\s*$|\s*[.!?,;])"
)
# Claims that end an ordinal phrase like punctuation: small talk after it.
_GAPS = frozenset({"chat"})
_BARE_NUMBER_RE = re.compile(r"^\s*#?\s*(?P<n>\d{1,2})\s*[.!)]?\s*$")


def parse_ordinal(text: str) -> int | None:
    """0-based position from an ordinal phrase: "second" -> 1, "#2" -> 1, "last" -> -1."""
    words = re.findall(r"[^\W_]+", text.lower())
    for word in reversed(words):
        if word in lexicon.ORDINAL_WORDS:
            value = lexicon.ORDINAL_WORDS[word]
            return -1 if value < 0 else value - 1
        digits = re.fullmatch(r"(\d{1,3})(?:st|nd|rd|th)?", word)
        if digits:
            value = int(digits.group(1))
            return value - 1 if value >= 1 else None
        if word in lexicon.NUMBER_WORDS:
            return lexicon.NUMBER_WORDS[word] - 1
    return None


def hash_ordinal(text: str) -> int | None:
    """0-based position of the first "#N" in ``text`` ("#3" -> 2); None without one
    (or for "#0")."""
    match = _HASH_RE.search(text)
    return parse_ordinal(match.group("hash")) if match else None


def read_ordinals(state: ParseState) -> None:
    """Set ``Query.ordinal`` from the first unclaimed ordinal phrase (the tagger's wins)."""
    masked = state.masked()
    bare = _BARE_NUMBER_RE.match(masked)
    if bare and state.query.ordinal is None:
        value = int(bare.group("n"))
        if value >= 1 and state.take(bare.start("n"), bare.end("n"), "ordinal"):
            state.query.ordinal = value - 1
        return
    # Small talk after the phrase ends it like punctuation: "the second one sounds good".
    for m in _ORDINAL_RE.finditer(state.masked(spaced=_GAPS)):
        group = next(g for g in ("hash", "num", "ord", "ord2", "ord3") if m.group(g))
        ordinal = parse_ordinal(m.group(group))
        if ordinal is None or state.query.ordinal is not None:
            continue
        if state.take(m.start(), m.end(), "ordinal"):
            state.query.ordinal = ordinal

