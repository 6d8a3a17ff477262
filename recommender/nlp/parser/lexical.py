"""Which messages the lexicon reads whole, so the tagger need not run.

The tagger (a BERT forward pass, most of the time of ``Engine.understand``) finds titles,
people and other names. A message made only of lexicon words ("more", "#3", "no
horror", "comedy movies from the 90s", "highly rated drama, newer") names nothing the
lexicon rules do not already read, so its query is the same without the tagger's
entities. A capital letter after the first word may start a name or a title ("like
Up"), so such a message always goes through the tagger.
"""

from __future__ import annotations

import re

from recommender.nlp import lexicon

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*|#", re.UNICODE)
# Years, decades and positions: "1995", "90s", "'90s", "2nd", "#3" (the "#" is a token).
_NUMBERISH = re.compile(r"^(?:\d{1,4}s?|\d{1,2}(?:st|nd|rd|th))$")
_EXTRA = frozenset(
    {"newer", "older", "newest", "oldest", "latest", "earliest", "top", "rated", "rating",
     "ratings", "star", "stars", "last", "first", "number", "no", "not", "nothing", "without",
     "except", "but", "less", "more", "than", "before", "after", "since", "until", "between",
     "only", "and", "or", "too", "also", "plus", "decade", "decades", "year", "years",
     "century", "#", "ok", "okay", "thanks", "other", "others", "else", "another", "same"}
)


def _words(phrases: object) -> set[str]:
    return {w for phrase in phrases for w in _WORD.findall(str(phrase).lower())}  # type: ignore[attr-defined]


def _one_word(phrases: object) -> set[str]:
    # A word of a longer genre phrase ("science" of "science fiction") reads as nothing
    # alone; the tagger may still know it.
    return {str(p).lower() for p in phrases if " " not in str(p)}  # type: ignore[attr-defined]


VOCABULARY: frozenset[str] = frozenset(
    _words(lexicon.FOLLOW_UP_FILLER) | _one_word(lexicon.GENRE_ALIASES) | _words(lexicon.GENRE_TYPOS)
    | _words(lexicon.NUMBER_WORDS) | _words(lexicon.ORDINAL_WORDS) | _words(lexicon.DECADE_WORDS)
    | _words(lexicon.QUALITY_WORDS) | _words(lexicon.ANY_OF_ALIASES) | _words(lexicon.RECENT_WORDS)
    | _words(lexicon.OLD_WORDS) | _words(lexicon.NEGATION_CUES) | _words(lexicon.REFERENCE_CUES)
    | _words(lexicon.BEFORE_CUES) | _words(lexicon.AFTER_CUES) | _words(lexicon.BETWEEN_CUES)
    | _words(lexicon.COMMAND_PHRASES) | _words(lexicon.COMMAND_POLITENESS) | _EXTRA
)


def lexicon_only(text: str) -> bool:
    """True when every word of ``text`` is a lexicon word (or a number, year, decade or
    position) and no word after the first is capitalised: the tagger can add nothing."""
    words = _WORD.findall(text)
    if not words:
        return True
    if any(w[:1].isupper() for w in words[1:]):
        return False
    return all(w.lower() in VOCABULARY or _NUMBERISH.match(w.lower()) for w in words)
