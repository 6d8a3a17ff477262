"""Comparatives pass: a change to the list on screen ("funnier", "something darker",
"a bit less violent"), not a request for new films.

Each comparative claims its words and says what it changes:

- more of a genre: "funnier" adds Comedy, "scarier" Horror, "more romantic" Romance;
- a tone: "darker" (dark), "lighter" / "happier" (feel-good, the TMDB keyword), "more
  serious"; next to other facets the engine reads it as a lean between genres
  (``ranking.genre_fit.tone_fit``), alone it is searched in the plots and keywords;
- less of something: "less violent" leaves out films about violence, "less scary" (also
  "not too scary", which may qualify a horror request) films about gore, "less romantic"
  Romance.

A message whose only request is comparatives is marked ``relative``:
``recommender.refine`` adds its wishes to the session's query (the Sci-Fi films of the
2000s, darker) instead of starting over with films about the word "darker" (which were
Darkman and Fifty Shades Darker). Next to a request of its own ("like The Godfather but
funnier") a comparative shapes that request (``settle_relative``). Runs after
the tagger's spans and before the genre pass, so "scarier" is not read as a genre typo.
"""

from __future__ import annotations

import re

from recommender.nlp.parser.state import GenreMention, ParseState
from recommender.nlp.patterns import alternation

# comparative -> the catalog genre it asks more of
# (adjectives only: "I want to watch more comedy" asks for comedies, it changes no list)
_MORE_OF = {
    "funnier": "Comedy", "more funny": "Comedy", "more comedic": "Comedy", "sillier": "Comedy",
    "scarier": "Horror", "creepier": "Horror", "more scary": "Horror",
    "more frightening": "Horror", "more romantic": "Romance",
}  # fmt: skip
# comparative -> the words to search for (the tone of the films)
_TONE = {
    "darker": "dark", "grittier": "gritty dark", "bleaker": "bleak dark", "edgier": "dark",
    "more serious": "serious", "lighter": "feel-good", "more lighthearted": "feel-good",
    "happier": "feel-good", "more upbeat": "feel-good", "more cheerful": "feel-good",
    "more uplifting": "feel-good", "less depressing": "feel-good", "less sad": "feel-good",
    "less serious": "feel-good", "less dark": "feel-good", "weirder": "surreal",
}  # fmt: skip
# A tone and the tones of the list on screen it replaces: "something happier" after
# "romantic movies that will make me cry" no longer wants sadness (the list stayed).
OPPOSITE_TONES: dict[str, frozenset[str]] = {
    "feel-good": frozenset({"sadness", "dark", "gritty", "bleak", "serious"}),
    "dark": frozenset({"feel-good"}), "serious": frozenset({"feel-good"}),
    "sadness": frozenset({"feel-good"}),
}  # fmt: skip
# comparative -> (what to leave out: a topic word, or a genre when capitalised)
# (each "less X" with an adjective X may also be said "not too X")
_LESS_OF = {
    "less violent": "violence", "less violence": "violence", "less gory": "gore",
    "less gore": "gore", "less bloody": "blood", "less scary": "gore",
    "less frightening": "gore", "less romantic": "Romance", "less romance": "Romance",
    # "like Inception but less action" had asked for action films like it
    "less action": "Action", "less action-packed": "Action", "less comedy": "Comedy",
    "less horror": "Horror", "less animated": "Animation",
}  # fmt: skip
_LESS_ADJECTIVES = [k.split(" ", 1)[1] for k in (*_LESS_OF, *_TONE) if k.startswith("less ")]


_COMPARATIVE = re.compile(
    r"(?:\b(?:a\s+(?:bit|little|lot)|slightly|much|somewhat|way|even)\s+)?"
    rf"\b(?P<word>{alternation([*_MORE_OF, *_TONE, *_LESS_OF])})\b"
    # "not too sad", "nothing too sad", "not so violent", "a horror movie that isn't too
    # scary": less of it
    # ("It isn't too sad, right?" asks about a film: no change to the list; a claimed
    # word, blanked to NULs, before the copula is a film or a pronoun)
    rf"|\b(?:not|nothing|(?<!\bit\s)(?<!\bthis\s)(?<!\x00\s)(?:isn'?t|aren'?t|wasn'?t))\s+(?:too|so|that|very|overly)\s+(?P<less>{alternation(_LESS_ADJECTIVES)})\b"
)


# The same tones said plainly ("something light", "a lighthearted comedy"): a request,
# not a change to the list. "Light" alone was searched as a word (Lights Out, Pitch Black).
_LIGHT = re.compile(
    r"\b(?:light[\s-]?hearted|uplifting|upbeat|cheerful"
    r"|(?<=something )light|(?<=anything )light|(?<=something )fun and light"
    r"|light(?=\s+(?:and\s+(?:fun|funny|easy)|movies?|films?|ones?|comed(?:y|ies)|watch|entertainment)\b))\b"
)


# Sadness asked for plainly: a drama about it (the TMDB keyword "sadness": Manchester by
# the Sea, 21 Grams, The Notebook). Searched as typed, "I want to cry tonight" listed
# Kicking Off (★1.5) for the word "cry" and "a sad movie" a documentary about a comedy
# show; "a tearjerker" asked for nothing at all.
_SAD = re.compile(
    r"\b(?:(?:(?<=something )|(?<=anything )|(?<=nothing )|(?<=a )|(?<=some ))sad"
    r"|sad\s+endings?|sad(?=\s+(?:and\s+\w+\s+)?(?:movies?|films?|ones?|dramas?|stor(?:y|ies)))"
    r"|weepy|weepie|tear[\s-]?jerkers?|a\s+good\s+cry"
    r"|(?:make|makes|made|making)\s+(?:me|us|you)\s+cry|(?:want|wanna|need)\s+(?:to\s+)?cry)\b"
)
SAD_TONE = "sadness"
# Sadness said away ("no sad movies", "nothing sad please", "she hates sad endings"):
# the films about it are left out. Read as the request above, "no sad movies" had
# asked for sad dramas.
_SAD_AWAY = re.compile(
    r"\b(?:no|not|nothing|without|hates?|hated|dislikes?|don'?t\s+(?:want|like)|can'?t\s+stand|never)"
    r"\s+(?:(?:a|any|anything|too|really|more|of)\s+)?$"
)
SAD_AWAY = ("sadness", "depressing")


# "a cult classic" is a cult film (the TMDB keyword), of any year: not "classic" (1969
# or earlier) and not "cult" (Going Clear: Scientology and the Prison of Belief).
_CULT = re.compile(r"\bcult[\s-]+(?:classics?|favou?rites?|movies?|films?|hits?)\b")


def read_comparatives(state: ParseState) -> None:
    """Claim the comparatives of the message (module docstring) and apply them."""
    for pattern, words in ((_LIGHT, "feel-good"), (_CULT, "cult film")):
        for m in pattern.finditer(state.masked()):
            if state.take(m.start(), m.end(), "comparative") is not None:
                state.tone.extend(words.split())
    masked = state.masked()
    for m in _COMPARATIVE.finditer(masked):
        span = state.take(m.start(), m.end(), "comparative")
        if span is None:
            continue
        word = " ".join(re.split(r"[\s-]+", m.group("word") or f"less {m.group('less')}"))
        state.query.relative = True
        if word in _MORE_OF:
            state.genres.append(GenreMention((_MORE_OF[word],), span.start, negated=False))
        elif word in _TONE:
            state.tone.extend(_TONE[word].split())
        elif _LESS_OF[word][0].isupper():
            state.genres.append(GenreMention((_LESS_OF[word],), span.start, negated=True))
        else:
            state.avoid.append(_LESS_OF[word])
    # after the comparatives: "less sad", "not too sad" are theirs
    masked = state.masked()
    for m in _SAD.finditer(masked):
        away = _SAD_AWAY.search(masked[: m.start()].lower())
        # Said away, the cue is part of it ("hates" is no topic either).
        if (span := state.take(away.start() if away else m.start(), m.end(), "comparative")) is None:
            continue
        if away:
            state.avoid.extend(SAD_AWAY)
        else:
            state.tone.append(SAD_TONE)
            state.genres.append(GenreMention(("Drama",), span.start, negated=False))


def settle_relative(state: ParseState) -> None:
    """A comparative next to a request of its own ("like The Godfather but funnier", "a
    scarier comedy") shapes that request: the query is no change to the list on screen."""
    own = {"genre", "title", "person"} & set(state.claims)
    if own or state.query.reference_items or state.query.wanted_people():
        state.query.relative = False
