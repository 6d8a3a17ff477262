"""Ratings pass: minimum star ratings and quality wishes.

Claims numeric ratings ("rated above 4", "8/10", "4 stars", claimed as "rating"),
MPAA age ratings ("pg-13", claimed as "ignored" with a note: the catalog has no such
field), "top 10" and quality words ("highly rated", "acclaimed"). Sets
``Query.min_rating`` (the highest asked for), ``Query.quality`` (best-rated first) and
``Query.obscure`` ("hidden gems", "underrated": the well-rated that fewer people know),
except for the floor-only words ("good", "decent": ``lexicon.FLOOR_ONLY_QUALITY_WORDS``). Runs after the
ordinals (so "#2" is no rating) and before titles and years (so "4 stars" or "rated 9"
is never read as a title word or a year). :func:`rating_phrase` also serves the tagger's
RATINGS_AVERAGE/REVIEW spans, and :data:`RATING_RE` tells the entities pass where a
rating phrase is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from recommender.nlp import lexicon
from recommender.nlp.parser.state import (
    ParseState,
    phrase_key,
    praise,
    said_of_a_film,
    same_length_lower,
)
from recommender.nlp.patterns import NUM, NUMWORD, parse_number, phrase_regex
from recommender.nlp.query import Query

NUMERIC_RATING_QUALITY = True  # "rated above 4" also sets the quality flag

_QUALITY_RE = phrase_regex(lexicon.QUALITY_WORDS)
# "Hidden gems", "underrated": well-rated films fewer people know. Read as text, "any
# underrated gems from the 2000s?" searched "gems" and listed Phir Hera Pheri and Alesha
# Popovich and Tugarin the Dragon (one rating each); "highly rated" would give the canon.
_GEMS_RE = re.compile(
    r"\b(?:hidden\s+gems?|gems?\s+(?:that\s+)?(?:nobody|no\s+one|few\s+people)\s+(?:knows?|has\s+seen)"
    r"|(?:under[\s-]?rated|over[\s-]?looked|under[\s-]?appreciated|lesser[\s-]known|little[\s-]known"
    r"|less\s+known|obscure|under[\s-]the[\s-]radar)(?:\s+(?:gems?|classics?))?)\b"
)
# A film that makes one think ("funny but smart", "a clever thriller"): the best-rated
# of the kind. Searched as words, "smart" found Get Smart and "clever" films about gifted
# children. Kept out of the lexicon, which also shapes the tagger's training data.
_THOUGHTFUL_RE = re.compile(r"\b(?:smart|clever|witty|intelligent|cerebral|thought[\s-]?provoking)\b")
# A list in order of quality, with no floor: "Tarantino films ranked", "from best to worst"
# ("ranked" had been searched as a word, and Pulp Fiction left the list).
_RANKED_RE = re.compile(
    r"\b(?:ranked|ranking|from best to worst|best to worst|(?:sorted|ordered|in order of|by)\s+"
    r"(?:quality|rating|ratings|how good they are))\b"
)
_TOP_N_RE = re.compile(r"\btop\s+(?:\d{1,3}|" + NUMWORD + r")\b")
_AGE_RATINGS = r"g|pg(?:[\s-]?13)?|r|nc[\s-]?17"
# In free text a bare "r" or "g" is no rating; a span the tagger calls RATING may be one.
_MPAA_RE = re.compile(rf"\b(?:rated\s+(?:{_AGE_RATINGS})|pg[\s-]?13|nc[\s-]?17|pg)(?![\w'])")
_AGE_RATING_SPAN = re.compile(rf"\b(?:{_AGE_RATINGS}|x|nr|unrated|tv[\s-]?(?:y7?|g|pg|14|ma))\b")


def names_age_rating(span_text: str) -> bool:
    """Whether a tagger RATING span names an age rating ("PG-13", "r", "unrated");
    "I like [Pixar] movies" does not."""
    return _AGE_RATING_SPAN.search(span_text.lower()) is not None
RATING_RE = re.compile(
    rf"\b(?:(?:rated|rating|ratings|score|scored|scoring|stars?)\s+(?:of\s+)?)"
    rf"(?:(?:above|over|at least|more than|higher than|greater than|better than|>=?|minimum|min"
    rf"|of at least)\s+)?(?P<a>{NUM})(?:\s*(?:/|out of)\s*(?P<sa>5|10)|\s*\+?\s*stars?)?"
    rf"(?:\s+(?:and up|or more|or higher|or better|plus))?(?![\w.])"
    rf"|\b(?:above|over|at least|more than|higher than|minimum of)\s+(?P<b>{NUM})"
    rf"(?:\s*(?:/|out of)\s*(?P<sb>5|10)|\s*stars?)(?![\w.])"
    rf"|(?<![\w.])(?P<c>{NUM})\s*(?:\+|plus)?\s*(?:/\s*(?P<sc>5|10)|stars?(?!\s+wars)|out of (?P<sd>5|10))"
    rf"(?:\s+(?:and up|or more|or higher|or better|plus|minimum))?(?![\w.])"
)


def read_ratings(state: ParseState) -> None:
    """Claim rating phrases still unclaimed and raise ``Query.min_rating`` accordingly."""
    masked = state.masked()
    for m in RATING_RE.finditer(masked):
        value = _numeric_rating(state, m)
        if value is not None and state.take(m.start(), m.end(), "rating"):
            _raise_min_rating(state.query, value)
            state.query.quality = state.query.quality or NUMERIC_RATING_QUALITY
    for m in _MPAA_RE.finditer(state.masked()):
        if state.take(m.start(), m.end(), "ignored"):
            state.note(f"ignored the age rating '{m.group()}' (not in this catalog)")
    for m in _TOP_N_RE.finditer(state.masked()):  # "top 10 comedies": the best ones
        if state.take(m.start(), m.end(), "rating"):
            _raise_min_rating(state.query, lexicon.QUALITY_WORDS["top rated"])
            state.query.quality = True
    for _ in _wishes(state, _RANKED_RE):
        state.query.quality = True
    for _ in _wishes(state, _GEMS_RE):
        state.query.quality = state.query.obscure = True
    for m in _wishes(state, _QUALITY_RE):
        _quality_words(state.query, [phrase_key(m.group())])
    for _ in _wishes(state, _THOUGHTFUL_RE):
        _quality_words(state.query, ["highly rated"])


def _wishes(state: ParseState, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """The matches of ``pattern`` that ask for films, claimed as "rating"; one said of a
    film ("that was a good movie", "that one is underrated") is praise, claimed "ignored"."""
    for m in pattern.finditer(state.masked()):
        if said_of_a_film(state, m.start()):
            if state.take(m.start(), m.end(), "ignored"):
                praise(state)
        elif state.take(m.start(), m.end(), "rating"):
            yield m


def rating_phrase(state: ParseState, phrase: str) -> bool:
    """Apply a tagger RATINGS_AVERAGE/REVIEW phrase; False when it says nothing."""
    low = same_length_lower(phrase)
    m = RATING_RE.search(low)
    if m:
        value = _numeric_rating(state, m)
        if value is not None:
            _raise_min_rating(state.query, value)
            state.query.quality = True
            return True
    keys = [phrase_key(w.group()) for w in _QUALITY_RE.finditer(low)]
    if keys:
        _quality_words(state.query, keys)
        return True
    if re.search(r"\b(?:popular|liked|loved|acclaimed|praised|rave)\b", low):
        state.query.quality = True
        return True
    return False


def _numeric_rating(state: ParseState, m: re.Match[str]) -> float | None:
    """Stars (0.5-5) of a :data:`RATING_RE` match; x/10 is halved, out of range dropped."""
    raw = m.group("a") or m.group("b") or m.group("c")
    scale = m.group("sa") or m.group("sb") or m.group("sc") or m.group("sd")
    value = parse_number(raw) if raw else None
    if value is None:
        return None
    if scale == "10" or (scale is None and 5 < value <= 10):
        state.note(f"read {raw} out of 10 as {value / 2:g} stars")
        value = value / 2
    if not 0.5 <= value <= 5:
        state.note(f"ignored the rating {raw} (ratings go from 0.5 to 5 stars)")
        state.take(m.start(), m.end(), "ignored")
        return None
    return value


def _quality_words(query: Query, keys: list[str]) -> None:
    """Quality words (``lexicon.QUALITY_WORDS`` keys): the highest floor they imply, and
    best-rated first unless all are floor-only ("good", "decent")."""
    _raise_min_rating(query, max(lexicon.QUALITY_WORDS[k] for k in keys))
    query.quality = query.quality or any(k not in lexicon.FLOOR_ONLY_QUALITY_WORDS for k in keys)


def _raise_min_rating(query: Query, value: float) -> None:
    query.min_rating = value if query.min_rating is None else max(query.min_rating, value)
