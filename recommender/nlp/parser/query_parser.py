"""The spine of the parser: :class:`QueryParser` runs the passes over one message.

Order, and why (each pass claims the words it explains; later passes only read what
is still unclaimed, see ``state``):

0. a message over :data:`MAX_CHARS` is cut (with a note); a whole-message command
   ("more", "start over"; ``recommender.nlp.commands``) ends parsing at once;
1. ``people`` (``read_people``): names the catalog credits ("tom hanks", "Spielberg",
   "the Coen brothers"), first: a name is never read as title words ("a tom hanks
   comedy" is not "Tom and Jerry", "movies with Paul Giamatti" no title search), except
   inside a name that films are about and nobody is credited as ("James Bond": searched
   in plots and keywords, never "Kevin James");
   ``statements``: small talk, titles anywhere ("Click (2006)": the year is the
   title's) and what is said about each (liked, seen, ...), before the tagger or a year
   rule can misread a title (before it, ``read_topic_phrases``: topics made of words
   other passes explain away, "feel-good", "based on a true story"; then
   ``read_occasions``: "for date night", "a sleepover", never a title or a topic);
   ``entities``: then the tagger's spans: the model's reading wins over the lexicon;
2. ``ordinals``: "#2", "the second one", before anything can read the number;
3. ``ratings``: "4 stars", "8/10", quality words, before titles and years;
4. ``mentions``: "like <title>", before years and genres take a title's words;
5. ``years``: years, decades, ranges, recency and sort words;
6. ``people`` (``read_unknown_people``): capitalised names after a cue that nobody in
   the catalog carries, so the user hears that they are unknown;
7. ``genres``: genre words and typos, negation cues; then the negation scope over all
   claims (a person it reaches is left out: "nothing with Adam Sandler"), and the
   genres and years are assembled into the query;
8. ``free_text``: what is left, minus filler and chat, for semantic matching.

Impossible values are normalised (a reversed range is swapped) or dropped, each with a
note in ``Query.notes``. ``parse`` never raises on any ``str``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from recommender.data.catalog import Catalog
from recommender.knowledge.people import PeopleIndex
from recommender.knowledge.topics import (
    TopicIndex,
    catalog_words,
    content_words,
    keyword_phrases,
    plot_names,
    searchable_words,
    topic_words,
)
from recommender.nlp.commands import detect_command
from recommender.nlp.entities import Entity
from recommender.nlp.parser.comparatives import read_comparatives, settle_relative
from recommender.nlp.parser.entities import apply_entities
from recommender.nlp.parser.free_text import free_text, negated_tokens, read_topic_phrases
from recommender.nlp.parser.genres import (
    GENRE_NAME_WORDS,
    GENRE_SIMILARITY,
    GenreResolver,
    TextEncoder,
    assemble_genres,
    drop_described,
    negation_scope,
    read_child_ages,
    read_clean_requests,
    read_genres,
    read_occasions,
)
from recommender.nlp.parser.languages import read_languages
from recommender.nlp.parser.mentions import read_references
from recommender.nlp.parser.ordinals import read_ordinals
from recommender.nlp.parser.people import read_people, read_unknown_people
from recommender.nlp.parser.ratings import read_ratings
from recommender.nlp.parser.runtime import read_runtime
from recommender.nlp.parser.state import ParseState, praise
from recommender.nlp.parser.statements import (
    avoid_text,
    bare_praise,
    chatty_free_text,
    read_seen_people,
    read_seen_topic,
    read_statements,
)
from recommender.nlp.parser.years import assemble_years, read_years
from recommender.nlp.query import Query
from recommender.nlp.titles import TitleIndex, title_key

logger = logging.getLogger(__name__)

MAX_CHARS = (
    1000  # longer messages are cut here (Telegram allows 4096; nobody types a query that long)
)
DEFAULT_ANCHOR_YEAR = 2018  # anchor when the catalog has no years at all


class QueryParser:
    """Parses messages for one catalog. Build once; ``parse`` is then cheap and pure.

    ``encoder`` (optional) maps genre words the alias table does not know ("superhero")
    to the nearest catalog genre by sentence embedding. ``anchor_year`` defaults to the
    catalog's newest year.
    """

    def __init__(
        self,
        catalog: Catalog,
        encoder: TextEncoder | None = None,
        anchor_year: int | None = None,
        genre_similarity: float = GENRE_SIMILARITY,
    ) -> None:
        self.catalog = catalog
        self.encoder = encoder
        self.genre_similarity = genre_similarity
        years = np.asarray(catalog.years)
        known = years[years > 0]
        self.anchor_year = int(anchor_year or (known.max() if known.size else DEFAULT_ANCHOR_YEAR))
        self.titles = TitleIndex(catalog)
        # Directors and cast (items_meta.csv); the engine shares this index.
        self.people = PeopleIndex(catalog)
        self.topic_words = topic_words(catalog) - GENRE_NAME_WORDS
        self.searchable = searchable_words(catalog)
        # Names films are about that nobody is credited as ("James Bond", "time travel"):
        # searched in keywords and plots, never looked up as a person (``people``,
        # ``entities``).
        # In ``title_key`` form, the one form every pass looks them up in.
        self.phrases = frozenset(
            title_key(name) for name in keyword_phrases(catalog) | plot_names(catalog)
            if self.people.resolve(name, fuzzy=False) is None
        )
        # The same by their stemmed words: "serial killers" is the keyword "serial killer".
        self._phrase_words = frozenset(
            words for words in (tuple(content_words(p)) for p in self.phrases) if len(words) > 1
        )
        # Keywords and plots, read once: the typo check below and the engine's topic match.
        self.topics = TopicIndex(catalog)
        self.known_words = catalog_words(catalog, self.topics)
        self.genres = GenreResolver(catalog.all_genres(), encoder, genre_similarity)

    def warm_up(self) -> None:
        """Build the lazily made genre vectors now (start-up), not on a user's message."""
        self.genres.warm_up()

    def parse(self, text: str, entities: Sequence[Entity] = ()) -> Query:
        """The :class:`Query` a message asks for. Never raises on any ``str`` input."""
        try:
            return self._parse(text if isinstance(text, str) else str(text), entities)
        except Exception:  # a message must never crash the bot; log it and degrade
            logger.exception("query parser failed on %r", str(text)[:200])
            return Query(text=str(text)[:200].strip(), notes=["could not fully understand that"])

    def catalog_genre(self, name: str) -> str | None:
        """The catalog's spelling of a lexicon genre ("Children" -> "Children's" in
        ml-100k); None when the catalog has no such genre."""
        return self.genres.catalog_genre(name)

    def genre_of_phrase(self, phrase: str) -> tuple[str, ...]:
        """Catalog genres a genre phrase names: alias table, then typo match, then the
        nearest genre by embedding (when an encoder is set and it is close enough)."""
        return self.genres.genre_of_phrase(phrase)

    def _widen_to_references(self, state: ParseState) -> None:
        """"Old movies like American Pie (1999)": what a person calls old includes the films
        they give as examples, so a window from an "old" word reaches their newest one."""
        query = state.query
        if not (state.vague_old and query.reference_items and query.year_max is not None):
            return
        newest = max(int(self.catalog.years[self.catalog.index(i)]) for i in query.reference_items)
        query.year_max = max(query.year_max, newest)

    def _negated_words(self, state: ParseState, negated: set[int]) -> list[str]:
        """The words of the ``negated`` tokens, a run of them that is a keyword phrase
        or a name plots share (``phrases``: "time travel", "james bond") as one entry."""
        out: list[str] = []
        order = sorted(negated)
        i = 0
        while i < len(order):
            run = [order[i]]
            while i + len(run) < len(order) and order[i + len(run)] == run[-1] + 1:
                run.append(order[i + len(run)])
            for size in range(len(run), 1, -1):
                phrase = " ".join(state.tokens[k].text for k in run[:size])
                if tuple(content_words(phrase)) in self._phrase_words:
                    out.append(phrase)
                    i += size
                    break
            else:
                out.append(state.tokens[order[i]].text)
                i += 1
        return out

    def _parse(self, text: str, entities: Sequence[Entity]) -> Query:
        notes: list[str] = []
        if len(text) > MAX_CHARS:
            text = text[:MAX_CHARS]
            notes.append(f"only read the first {MAX_CHARS} characters")
        command = detect_command(text)
        if command is not None:
            return Query(command=command, notes=notes)
        state = ParseState.of(text, self.anchor_year)
        state.query.notes.extend(notes)
        read_people(state, self.people, self.titles, self.phrases)
        read_topic_phrases(state)
        read_occasions(state, self.genres)
        read_statements(state, self.titles, self.catalog)
        read_seen_people(state, self.people, self.catalog)
        read_runtime(state)
        read_languages(state)
        read_child_ages(state, self.genres)
        read_clean_requests(state, self.genres)
        read_comparatives(state)
        apply_entities(state, entities, self.titles, self.genres, self.topic_words, self.searchable,
                       self.phrases)
        read_ordinals(state)
        read_ratings(state)
        read_references(state, self.titles)
        read_years(state)
        read_unknown_people(state, self.titles, self.phrases)
        read_genres(state, self.genres)
        negation_scope(state)
        drop_described(state)
        assemble_genres(state, self.topic_words)
        assemble_years(state)
        self._widen_to_references(state)
        settle_relative(state)
        negated = negated_tokens(state, self.topic_words)
        text = chatty_free_text(
            state.query, free_text(state, self.topic_words, negated), self.searchable, state.text,
            known=self.known_words,
        )
        state.query.text = " ".join(dict.fromkeys([*text.split(), *state.tone]))
        state.query.avoid_text = avoid_text([*state.avoid, *self._negated_words(state, negated)],
                                            self.searchable)
        read_seen_topic(state, self.topics, self.catalog)
        if bare_praise(state.query, state.text):
            state.query.min_rating = None
            praise(state)
        return state.query
