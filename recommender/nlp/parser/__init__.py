"""Turn one message plus the tagger's entities into a typed :class:`Query`.

A small package, one module per pass, run in order by :class:`QueryParser`
(``query_parser``; its docstring gives the order and why):

- ``state``: tokens, the shared ``ParseState`` (claims, genre mentions, year windows);
- ``statements``: small talk, titles anywhere and what is said about them;
- ``entities``: the tagger's spans, reconciled with lexicon and catalog facts;
- ``ordinals``: "#2", "the second one" (also ``hash_ordinal`` for ``refine``);
- ``ratings``: star ratings, "8/10", quality words, MPAA ratings;
- ``mentions``: "like <title>" references and tagger titles;
- ``years``: years, decades, ranges, recency, sort words;
- ``people``: named people after "starring", "directed by";
- ``genres``: genre words, typos, negation scope, any/all/none;
- ``free_text``: what is left, for semantic matching.
"""

from recommender.nlp.parser.genres import GENRE_SIMILARITY, TextEncoder
from recommender.nlp.parser.ordinals import hash_ordinal, parse_ordinal
from recommender.nlp.parser.query_parser import MAX_CHARS, QueryParser
from recommender.nlp.parser.state import Token, tokenize

__all__ = [
    "GENRE_SIMILARITY",
    "MAX_CHARS",
    "QueryParser",
    "TextEncoder",
    "Token",
    "hash_ordinal",
    "parse_ordinal",
    "tokenize",
]
