"""Free-text pass (the last): what no pass explained becomes ``Query.text`` for
semantic matching ("a heist with a twist" -> "heist twist").

Keeps, in message order, the unclaimed words that carry content (not filler, not a cue
word, not a bare number) plus the spans the tagger marked opaque ("text": characters,
songs), verbatim as typed. A genre word that is also a common plot keyword of the
catalog ("zombies", "heist", "mafia": ``topic_words``) stays in the text as well: the
genre filter alone would lose what the film should be about. It runs last because it
reads every other pass's claims.

Words inside a negation scope ("no gore", "I hate zombies": a negation cue, then up to
three words before a comma or clause break, a scope-ending word such as "but", or
another entity) are never searched for: :func:`negated_tokens` finds them, for
``Query.avoid_text``, which leaves out the films about them. An idiom of a cue ("not
sure", "no problem", "in no way", "no doubt") is claimed "ignored" by the genres pass,
so it opens no scope and is not searched either.
"""

from __future__ import annotations

import re

from recommender.knowledge.topics import stem
from recommender.nlp import lexicon
from recommender.nlp.parser.genres import breaks_scope
from recommender.nlp.parser.state import GenreMention, ParseState, clause_break

# Content words a negation reaches past the cue ("no more gore" -> "gore").
NEGATION_REACH = 3

_CUE_WORDS = frozenset(
    w
    for phrase in (*lexicon.NEGATION_CUES, *lexicon.REFERENCE_CUES, *lexicon.COMMAND_POLITENESS)
    for w in phrase.split()
) | {"similar", "suggest", "recommend", "d", "s", "ll", "i'd", "i'll", "m",
     # people cues: the person is a constraint, the cue word says nothing of a plot
     "directed", "director", "starring", "featuring", "actor", "actress", "else",
     # what someone else wants: "my wife wants a romantic movie" was a search for "wants"
     "wants", "wanted", "needs", "needed", "prefers", "prefer", "likes"}


# Topics whose words other passes would explain away, claimed as free text first: a
# quality word ("a feel-good movie" asked for films rated 3.5+ and got the plain popular
# list) or praise ("based on a true story" was small talk, "true", plus the word
# "story"). The TMDB keywords say "feel-good", "based on true story".
_TOPIC_PHRASES = re.compile(r"\bfeel[\s-]?good\b")
# Said in any form, searched as the keyword itself: "movies based on a true story" was
# "a true story", and Bedtime Stories matched "story" as well as the keyword's films did.
_TRUE_STORY = re.compile(
    r"\b(?:based\s+on\s+)?(?:an?\s+)?(?:true|real)(?:[\s-]+life)?\s+(?:story|stories|events?)\b"
)
TRUE_STORY_KEYWORD = "based on true story"
# "a mind-bending movie" searched its words and found titles (A Beautiful Mind, Bend It Like
# Beckham); the MovieLens tags say it as "mindfuck", "twist ending", "surreal".
_MIND_BENDING = re.compile(
    r"\bmind[\s-]?(?:bending|bender|benders|blowing|blower|blown|twisting|screw\w*|fuck\w*)\b|\btrippy\b")
MIND_BENDING_TAGS = "psychological surreal twist ending"
# The world wars in any spelling, as the TMDB keywords name them: "ww2 movies", "a movie
# about world war 2" (it was the title World War Z), "war movies but not ww2" (it
# excluded War).
_WORLD_WARS = (
    (re.compile(r"\b(?:ww\s?(?:2|ii)|wwii|world\s+war\s+(?:2|ii|two)|(?:the\s+)?second\s+world\s+war)\b"),
     "world war ii"),
    (re.compile(r"\b(?:ww\s?(?:1|i)|wwi|world\s+war\s+(?:1|i|one)|(?:the\s+)?first\s+world\s+war|the\s+great\s+war)\b"),
     "world war i"),
)
_SAID_AWAY = re.compile(r"\b(?:no|not|nothing|without|except|never)\s+(?:(?:about|from|set\s+in|in|the|any|of)\s+)*$")


# Quantities, no topic: "suggest a couple superhero movies" searched "couple superhero".
_QUANTITY = re.compile(
    r"\ba (?:couple|few|bunch|handful)(?: of)?"
    r"(?=\s+(?!(?:in|who|that|and|with|on|at|from|is|are|was|were|for|of)\b)[a-z])"
)


# An audience of grown-ups: no children's films ("what about for adults, a thriller"
# searched for films about adults: I Am Number Four, Coraline).
_FOR_ADULTS = re.compile(r"\b(?:for|with)\s+(?:(?:the|us|other)\s+)?(?:adults|grown[\s-]?ups)\b")


def read_topic_phrases(state: ParseState) -> None:
    """Claim the ``_TOPIC_PHRASES`` of the message as free text, its quantity words ("a
    couple of") as explained and "for adults" as no Children's films; runs before
    statements and the tagger's spans."""
    masked = state.masked()
    for m in _TOPIC_PHRASES.finditer(masked):
        state.take(m.start(), m.end(), "text")
    for pattern, words in ((_TRUE_STORY, TRUE_STORY_KEYWORD), (_MIND_BENDING, MIND_BENDING_TAGS)):
        for m in pattern.finditer(masked):
            if state.take(m.start(), m.end(), "ignored") is not None:
                state.tone.extend(words.split())
    for pattern, keyword in _WORLD_WARS:
        for m in pattern.finditer(masked):
            if (span := state.take(m.start(), m.end(), "ignored")) is None:
                continue
            if _SAID_AWAY.search(masked[: m.start()]):
                state.avoid.append(keyword)
            else:
                state.tone.extend(keyword.split())
                state.genres.append(GenreMention(("War",), span.start, negated=False))
    for m in _FOR_ADULTS.finditer(masked):
        if (span := state.take(m.start(), m.end(), "ignored")) is not None:
            state.genres.append(GenreMention(("Children",), span.start, negated=True))
    for m in _QUANTITY.finditer(masked):
        state.take(m.start(), m.end(), "ignored")


def free_text(
    state: ParseState, topic_words: frozenset[str] = frozenset(), negated: set[int] | None = None
) -> str:
    """Unclaimed words (and opaque 'text' spans) minus filler and the ``negated`` tokens
    (default: ``negated_tokens``), in message order, plus genre words among
    ``topic_words`` (stemmed)."""
    if negated is None:
        negated = negated_tokens(state, topic_words)
    words = []
    for i, (tok, claim) in enumerate(zip(state.tokens, state.claims, strict=True)):
        if i in negated:
            continue
        if claim == "text" or (claim is None and _is_content(tok.text)) or claim == "genre" and stem(tok.text) in topic_words:
            words.append(tok.raw)
    return " ".join(words)


def negated_tokens(state: ParseState, topic_words: frozenset[str] = frozenset()) -> set[int]:
    """Indices of the tokens a negation cue reaches: unclaimed content words, and genre
    words that are also plot keywords ("without zombies": ``topic_words``)."""
    out: set[int] = set()
    open_scope, reach = False, 0
    for i, (tok, claim) in enumerate(zip(state.tokens, state.claims, strict=True)):
        gap = state.text[state.tokens[i - 1].end : tok.start] if i > 0 else ""
        if clause_break(gap) or "," in gap:  # "not sure, maybe something about space"
            open_scope = False
        if claim == "neg":
            open_scope, reach = True, 0
            continue
        if not open_scope:
            continue
        if breaks_scope(tok.text, reach > 0) or claim not in (None, "genre", "text"):
            open_scope = False
        elif (claim is None and _is_content(tok.text)) or claim == "text" or (
            claim == "genre" and stem(tok.text) in topic_words
        ):  # "text": a name plots share ("no james bond" had searched for Bond films)
            out.add(i)
            reach += 1
            open_scope = reach < NEGATION_REACH
    return out


# A filler word with a contraction is filler too: "that's" searched for films about
# "that's" and put Johnny Mnemonic first among Keanu Reeves films.
_CONTRACTION = re.compile(r"['’](?:s|re|ll|ve|d|m)$")


def _is_content(word: str) -> bool:
    return (
        word not in lexicon.FILLER_WORDS
        and _CONTRACTION.sub("", word) not in lexicon.FILLER_WORDS
        and word not in _CUE_WORDS
        and any(c.isalpha() for c in word)  # bare numbers say nothing to embeddings
    )
