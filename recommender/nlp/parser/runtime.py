"""Length pass: how long the film may be ("under 90 minutes", "less than 2 hours",
"something short", "a short comedy", "not too long", "isn't too long", "shorter").

Sets ``Query.max_runtime`` (minutes) and claims the words, before the time pass can read
"90" as the 1990s. A bare "short" / "not too long" is ``SHORT_MINUTES``; "shorter" also
marks the query ``relative`` (a change to the list on screen).
"""

from __future__ import annotations

import re

from recommender.nlp.parser.state import ParseState
from recommender.nlp.patterns import NUM, parse_number

# "Something short": about the length of a comedy; the median runtime of the catalog's
# films with a known length is 106 minutes.
SHORT_MINUTES = 100
# Fewer minutes than this, or more than this many, is no length wish for a feature film.
MIN_MINUTES, MAX_MINUTES = 30, 400

_UNIT = r"(?P<unit>minutes?|mins?|m\b|hours?|hrs?|h\b)(?:\s+and\s+a\s+half)?"
_AMOUNT = rf"(?P<n>{NUM}|an?)"  # "90", "1.5", "two"; "an hour"
_LIMITS = (
    re.compile(
        r"\b(?:under|less\s+than|shorter\s+than|below|no\s+(?:more|longer)\s+than|at\s+most"
        r"|max(?:imum)?|up\s+to|within|not\s+(?:more|longer)\s+than)\s+(?:about\s+|around\s+)?"
        rf"{_AMOUNT}\s*{_UNIT}"
    ),
    re.compile(rf"\b{_AMOUNT}\s*{_UNIT}\s+(?:or\s+(?:less|shorter|under)|max(?:imum)?|tops|at\s+most)\b"),
)
# What "a short ..." may describe to be a length wish: a film or a kind of film, not "a
# short story about love" or "a short time".
_FILM_WORDS = (r"(?:movies?|films?|ones?|flicks?|comed(?:y|ies)|horrors?|thrillers?|dramas?"
               r"|cartoons?|animated|action|romantic|romance|rom-?com|sci-?fi|documentar(?:y|ies)"
               r"|funny|scary|westerns?|myster(?:y|ies)|musicals?|war|kids|family|crime)")
_ADVERB = r"(?:too|that|so|very|overly)"
_SHORT = re.compile(
    r"\b(?:(?:something|anything)\s+(?:a\s+bit\s+|little\s+)?(?:short(?:er)?|quick)"
    r"|(?:a|an)\s+(?:short(?:er)?|quick)\s+one"
    rf"|(?:(?:a|an|some)\s+(?:really\s+|fairly\s+|quite\s+|nice\s+)?)?short(?:er)?(?=\s+{_FILM_WORDS}\b)"
    r"|short(?:er)?\s+(?:movies?|films?|ones?|please)|shorter"
    r"|(?:and|but)\s+short|keep\s+it\s+short"
    # "not too long", "isn't too long", "that's not long", "nothing too long"; not "not
    # long ago"
    rf"|(?:(?:not|(?:is|are)\s*n['’]?t)\s+(?:{_ADVERB}\s+)?|nothing\s+{_ADVERB}\s+)long"
    r"(?!\s+(?:ago|after|before|since|enough)))\b"
)


def read_runtime(state: ParseState) -> None:
    """Claim a length wish and set ``Query.max_runtime`` (see the module docstring)."""
    masked = state.masked()
    for m in (m for pattern in _LIMITS for m in pattern.finditer(masked)):
        minutes = _minutes(m)
        if minutes is not None and state.take(m.start(), m.end(), "runtime") is not None:
            state.query.max_runtime = minutes
            for short in _SHORT.finditer(state.masked()):  # "short horror under 90 minutes"
                state.take(short.start(), short.end(), "runtime")
            return
    for m in _SHORT.finditer(masked):
        if state.take(m.start(), m.end(), "runtime") is not None:
            state.query.max_runtime = SHORT_MINUTES
            state.query.relative = state.query.relative or "shorter" in m.group()
            return


def _minutes(m: re.Match[str]) -> int | None:
    """The limit of one ``_LIMITS`` match in minutes; None when it is no film length."""
    amount, unit = m.group("n"), m.group("unit")
    value = 1.0 if amount.lower() in ("a", "an") else parse_number(amount)
    if value is None:
        return None
    if "and a half" in m.group():
        value += 0.5
    minutes = round(value * 60) if unit.startswith("h") else round(value)
    return minutes if MIN_MINUTES <= minutes <= MAX_MINUTES else None
