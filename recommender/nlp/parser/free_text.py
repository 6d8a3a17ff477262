"""Free-text pass (the last): what no pass explained becomes ``Query.text`` for
semantic matching ("a heist with a twist" -> "heist twist").

Keeps, in message order, the unclaimed words that carry content (not filler, not a cue
word, not a bare number) plus the spans the tagger marked opaque ("text": characters,
songs), verbatim as typed. A genre word that is also a common plot keyword of the
catalog ("zombies", "heist", "mafia": ``topic_words``) stays in the text as well: the
genre filter alone would lose what the film should be about. It runs last because it
reads every other pass's claims.
"""

from __future__ import annotations

from recommender.knowledge.topics import stem
from recommender.nlp import lexicon
from recommender.nlp.parser.state import ParseState

_CUE_WORDS = frozenset(
    w
    for phrase in (*lexicon.NEGATION_CUES, *lexicon.REFERENCE_CUES, *lexicon.COMMAND_POLITENESS)
    for w in phrase.split()
) | {"similar", "suggest", "recommend", "d", "s", "ll", "i'd", "i'll", "m",
     # people cues: the person is a constraint, the cue word says nothing of a plot
     "directed", "director", "starring", "featuring", "actor", "actress", "else"}


def free_text(state: ParseState, topic_words: frozenset[str] = frozenset()) -> str:
    """Unclaimed words (and opaque 'text' spans) minus filler, in message order, plus
    genre words among ``topic_words`` (stemmed)."""
    words = []
    for tok, claim in zip(state.tokens, state.claims, strict=True):
        if claim == "text" or (claim is None and _is_content(tok.text)) or claim == "genre" and stem(tok.text) in topic_words:
            words.append(tok.raw)
    return " ".join(words)


def _is_content(word: str) -> bool:
    return (
        word not in lexicon.FILLER_WORDS
        and word not in _CUE_WORDS
        and any(c.isalpha() for c in word)  # bare numbers say nothing to embeddings
    )
