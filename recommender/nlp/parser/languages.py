"""Language pass: the language a film should be in ("a French film", "korean
thrillers", "something in Japanese", "Spanish-language horror", "Bollywood movies").

Sets ``Query.languages`` (ISO 639-1 codes, any of them; ``nlp.languages``) and claims
the language word, so "french" is not searched as text (that listed Carry On Don't Lose
Your Head and The French Connection); said away ("no French films") it asks for
nothing. A nationality word is a language only where it
describes a film: before a film or genre word (up to two words between: "a French
romantic comedy"), with "language", or after "in" ("a comedy in Spanish"); "a movie
about a French chef" keeps "French" as text. Titles are claimed before this pass
runs, so "The French Connection" stays a title.
"""

from __future__ import annotations

import re

from recommender.nlp import languages
from recommender.nlp.parser.state import ParseState

_WORD = "|".join(sorted(languages.WORDS, key=len, reverse=True))
_FILM = (r"(?:movies?|films?|flicks?|cinema|ones?|comed(?:y|ies)|horrors?|thrillers?|dramas?"
         r"|romances?|romantic|rom-?coms?|animations?|animated|cartoons?|anime|action|sci-?fi"
         r"|documentar(?:y|ies)|westerns?|myster(?:y|ies)|musicals?|war|crime|gangster"
         r"|classics?|noir|fantasy|adventures?)")
_PATTERNS = (
    # "a French romantic comedy", "korean thrillers", "Spanish-language horror"
    re.compile(rf"\b(?P<lang>{_WORD})(?:[\s-]+language)?(?=\s+(?:[a-z'-]+\s+){{0,2}}?{_FILM}\b)"),
    # "in French", "spoken in Korean", "French-language", "with Japanese audio"
    re.compile(rf"\bin\s+(?P<lang>{_WORD})\b|\b(?P<lang2>{_WORD})[\s-]+language\b"),
)


# "foreign films", "a foreign-language movie", "something not in English", "subtitled":
# any language but English (it searched the word: Foreign Correspondent, Borat).
_FOREIGN = re.compile(r"\bforeign(?:[\s-]+language)?(?=\s+(?:[a-z'-]+\s+){0,2}?" + _FILM + r"\b)"
                      r"|\bforeign[\s-]+language\b|\bnot\s+in\s+english\b|\bsubtitled\b|\bwith\s+subtitles\b")


# "no french films", "not in Spanish": a language said away asks for nothing (most of
# the catalog's films have no known language to leave out), and is not searched either.
_NEGATED_BEFORE = re.compile(r"\b(?:no|not|nothing|without|except|anything\s+but|never|n't)\s+(?:[a-z'-]+\s+){0,2}$")


def read_languages(state: ParseState) -> None:
    """Claim the language words that describe a film and set ``Query.languages``."""
    masked = state.masked()
    found: list[str] = []
    for m in _FOREIGN.finditer(masked):  # first: "not in English" is no English said away
        negated = bool(_NEGATED_BEFORE.search(masked, 0, m.start()))
        if state.take(m.start(), m.end(), "ignored" if negated else "language") and not negated:
            found.extend(languages.NOT_ENGLISH)
    for pattern in _PATTERNS:
        for m in pattern.finditer(masked):
            group = "lang" if m.groupdict().get("lang") else "lang2"
            negated = bool(_NEGATED_BEFORE.search(masked, 0, m.start()))
            if state.take(m.start(group), m.end(), "ignored" if negated else "language") and not negated:
                found.extend(languages.WORDS[m.group(group)])
    state.query.languages = list(dict.fromkeys([*state.query.languages, *found]))
