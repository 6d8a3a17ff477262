"""What films are about: a lexical match of the query's words to keywords and plots.

The sentence encoder matches meaning ("a heist in space" near "robbery on a space
station"), but a short query against a paragraph-long item text is a weak match. This
index adds the exact evidence: an item whose keywords (TMDB keywords, MovieLens tags)
contain a query word scores that word's idf, one whose overview contains it half of
that; the sum is divided by the query's total idf, so 1.0 means every word is a keyword.
``about`` picks the keywords that explain a pick ("about time travel").
"""

from __future__ import annotations

import functools
import re

import numpy as np
import scipy.sparse as sp

from recommender.data.catalog import Catalog
from recommender.knowledge.series import catalog_series_keys, inherited_keywords
from recommender.nlp.query import avoid_terms

KEYWORD_WEIGHT = 1.0
OVERVIEW_WEIGHT = 0.5
MAX_ABOUT = 2
_WORD = re.compile(r"[a-z0-9]+")
# Words that say nothing about a topic (the parser leaves some of them in free text).
STOP_WORDS = frozenset(
    ["a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "from", "with", "about", "into", "by", "is", "are", "was", "be", "it", "its", "this", "that", "these", "those", "some", "any", "movie", "movies", "film", "films", "story", "stories", "one", "ones", "set", "where", "who", "which", "what", "something", "anything", "kind", "sort", "type", "lot", "lots", "very", "really", "good", "great"]
)


# Adjectives people use for what TMDB keywords name as nouns ("not too gory": "gore").
_NOUN_OF = {"gory": "gore", "violent": "violence", "bloody": "blood"}


def stem(word: str) -> str:
    """A crude singular: "sharks" -> "shark", "heists" -> "heist", "superheroes" ->
    "superhero" ("glass" stays); a few
    adjectives become their keyword noun (``_NOUN_OF``)."""
    word = _NOUN_OF.get(word, word)
    if len(word) > 5 and word.endswith("oes"):  # "superheroes", "volcanoes" ("shoes" stays)
        return word[:-2]
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def content_words(text: str) -> list[str]:
    """Stemmed words of ``text`` that can name a topic, in order, distinct."""
    words = (stem(w) for w in _WORD.findall(text.lower()) if w not in STOP_WORDS)
    return list(dict.fromkeys(w for w in words if len(w) > 1 and not w.isdigit()))


# A one-word keyword on at least this many items is a topic people ask for by name.
TOPIC_WORD_MIN_ITEMS = 20


def topic_words(catalog: Catalog, min_items: int = TOPIC_WORD_MIN_ITEMS) -> frozenset[str]:
    """Stemmed one-word TMDB keywords on ``min_items`` or more items that are not a
    catalog genre's name ("zombie", "heist", "mafia"; not "comedy")."""
    genres = {stem(w) for g in catalog.genres for name in g for w in _WORD.findall(name.lower())}
    counts: dict[str, int] = {}
    for keywords in catalog.keywords:
        for k in {stem(k.strip().lower()) for k in keywords if " " not in k.strip()}:
            counts[k] = counts.get(k, 0) + 1
    return frozenset(k for k, n in counts.items() if n >= min_items and k not in genres)


# A word on the keywords or tags of at least this many items can be searched for on its
# own ("heist", "marvel", "poverty"); chat words are on none ("heloo", "whatever", "open").
SEARCHABLE_MIN_ITEMS = 10


def searchable_words(catalog: Catalog, min_items: int = SEARCHABLE_MIN_ITEMS) -> frozenset[str]:
    """Stemmed content words of TMDB keywords and MovieLens tags on ``min_items`` or more
    items: the words a bare free-text request can be about. Empty when the catalog has no
    keywords or tags (then nothing is gated by it)."""
    counts: dict[str, int] = {}
    for keywords, tags in zip(catalog.keywords, catalog.tags, strict=True):
        for w in set(content_words(" ".join((*keywords, *tags)))):
            counts[w] = counts.get(w, 0) + 1
    return frozenset(w for w, n in counts.items() if n >= min_items)


# A keyword of several words on at least this many items is a name people search by
# ("james bond", "world war ii"), not a one-off description.
PHRASE_MIN_ITEMS = 3


def keyword_phrases(catalog: Catalog, min_items: int = PHRASE_MIN_ITEMS) -> frozenset[str]:
    """Lower-case TMDB keywords of two or more words on ``min_items`` or more items."""
    counts: dict[str, int] = {}
    for keywords in catalog.keywords:
        for k in {" ".join(k.lower().split()) for k in keywords if " " in k.strip()}:
            counts[k] = counts.get(k, 0) + 1
    return frozenset(k for k, n in counts.items() if n >= min_items)


# A name of two or three capitalised words that this many plots share is a character or
# a place films are about ("James Bond", "Sherlock Holmes", "New York").
NAME_MIN_ITEMS = 3
_PROPER_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,2}\b")


def plot_names(catalog: Catalog, min_items: int = NAME_MIN_ITEMS) -> frozenset[str]:
    """Lower-case names (two or three capitalised words) in the plots of ``min_items``
    or more films: the characters and places people ask for by name."""
    counts: dict[str, int] = {}
    for plot in catalog.descriptions:
        for name in {" ".join(m.group().lower().split()) for m in _PROPER_NAME.finditer(plot or "")}:
            counts[name] = counts.get(name, 0) + 1
    # "The King", "In Los Angeles": a capitalised sentence start is no part of a name.
    return frozenset(k for k, n in counts.items()
                     if n >= min_items and k.split(" ", 1)[0] not in STOP_WORDS)


PLOT_SHARE_FOR_WORDS = 0.5


def catalog_words(catalog: Catalog, topics: TopicIndex | None = None) -> frozenset[str]:
    """Stemmed content words of every item's title, keywords, tags and plot: what a
    free-text search can match at all. A word on none of them ("firends", "opne",
    "simmilat") is a typo or a fragment; searched, it only adds noise to the embedding.
    Empty (no word is checked) when fewer than ``PLOT_SHARE_FOR_WORDS`` of the items have
    a plot: titles and keywords alone know too few words to tell a typo.

    ``topics`` (an index of the same catalog) lends the keyword and plot words it has
    already read; without it they are read here.
    """
    with_plot = sum(1 for d in catalog.descriptions if d.strip())
    if with_plot < PLOT_SHARE_FOR_WORDS * max(catalog.n_items, 1):
        return frozenset()
    if topics is None or topics.catalog is not catalog:
        topics = TopicIndex(catalog)
    words = set(topics.words)
    for title in catalog.titles:
        words.update(content_words(title))
    return frozenset(words)


class TopicIndex:
    """Keyword and overview words of every item, for ``scores`` and ``about``, and the
    catalog's ``series_keys`` (``knowledge.series``), which decide whose keywords a film
    without any inherits."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        n = catalog.n_items
        # Series keys (read by the engine too): a sequel without keywords takes its series'.
        self.series_keys = catalog_series_keys(catalog)
        inherited = inherited_keywords(catalog, self.series_keys)
        self._keywords = [
            tuple(dict.fromkeys(k.strip().lower() for k in (*catalog.keywords[i], *inherited[i],
                                                             *catalog.tags[i]) if k.strip()))
            for i in range(n)
        ]  # fmt: skip
        vocab: dict[str, int] = {}
        cells: dict[tuple[int, int], float] = {}
        for i in range(n):
            for weight, words in (
                (OVERVIEW_WEIGHT, content_words(catalog.descriptions[i])),
                (KEYWORD_WEIGHT, content_words(" ".join(self._keywords[i]))),
            ):
                for w in words:
                    k = vocab.setdefault(w, len(vocab))
                    cells[(i, k)] = max(cells.get((i, k), 0.0), weight)
        rows = [i for i, _ in cells]
        cols = [k for _, k in cells]
        self._vocab = vocab
        self._matrix = sp.csr_matrix(
            (np.fromiter(cells.values(), np.float32, len(cells)), (rows, cols)),
            shape=(n, max(len(vocab), 1)),
        )
        # Keywords of several words, by their stemmed words: what "no time travel" or
        # "nothing about serial killers" leaves out whole (``avoided``).
        phrases: dict[tuple[str, ...], list[int]] = {}
        for i in range(n):
            for kw in self._keywords[i]:
                key = tuple(content_words(kw))
                if len(key) > 1:
                    phrases.setdefault(key, []).append(i)
        self._phrases = {k: np.asarray(v, dtype=np.int64) for k, v in phrases.items()}
        self._longest_phrase = max((len(k) for k in self._phrases), default=0)
        df = np.bincount(np.asarray(cols, dtype=np.int64), minlength=len(vocab))
        self._idf = np.log((n + 1) / (df + 1)).astype(np.float32) + 1e-3
        self._columns = sp.csc_matrix(self._matrix)

    @property
    def words(self) -> frozenset[str]:
        """Every stemmed content word of the items' keywords, tags and plots."""
        return frozenset(self._vocab)

    def scores(self, text: str) -> np.ndarray | None:
        """Per item, 0..1: how much of ``text``'s topic words its keywords/plot hold;
        None when ``text`` has no word the catalog knows."""
        ks = [self._vocab[w] for w in content_words(text) if w in self._vocab]
        if not ks:
            return None
        weights = self._idf[ks]
        out = np.asarray(self._columns[:, ks] @ weights, dtype=np.float32).ravel()
        return out / float(weights.sum())

    def avoided(self, text: str) -> np.ndarray | None:
        """Per item, True when it is about what ``text`` rejects: a keyword phrase said
        whole ("time travel", "serial killers": the films with that keyword), or any
        other word of it in the item's keywords or plot ("gore"). None when ``text`` has
        nothing the catalog knows. A phrase is not split into its words: "no time
        travel" must not leave out every film whose plot says "travel"."""
        out = np.zeros(self.catalog.n_items, dtype=bool)
        found, rest = False, list[str]()
        for term in avoid_terms(text):
            found |= self._avoid_phrases(content_words(term), out, rest)
        scores = self.scores(" ".join(rest)) if rest else None
        if scores is not None:
            out |= scores > 0.0
        return out if found or scores is not None else None

    def _avoid_phrases(self, words: list[str], out: np.ndarray, rest: list[str]) -> bool:
        """Mark in ``out`` the items of the keyword phrases among ``words`` (longest
        first); the other words go to ``rest``. Whether any phrase was found."""
        found, i = False, 0
        while i < len(words):
            for size in range(min(self._longest_phrase, len(words) - i), 1, -1):
                items = self._phrases.get(tuple(words[i : i + size]))
                if items is not None:
                    out[items] = True
                    found, i = True, i + size
                    break
            else:
                rest.append(words[i])
                i += 1
        return found

    def about(self, text: str, idx: int) -> list[str]:
        """Keywords of item ``idx`` that the query ``text`` asks for ("time travel"):
        those made only of query words first, then those containing one."""
        wanted = set(content_words(text))
        if not wanted:
            return []
        whole, partial = [], []
        for kw in self._keywords[idx]:
            words = _keyword_words(kw)
            if words and words <= wanted:
                whole.append(kw)
            elif words & wanted:
                partial.append(kw)
        whole.sort(key=lambda k: -len(k))
        chosen = whole + sorted(partial, key=len)
        out: list[str] = []
        covered: set[str] = set()
        for kw in chosen:
            words = _keyword_words(kw) & wanted
            if words - covered:
                out.append(kw)
                covered |= words
            if len(out) == MAX_ABOUT:
                break
        return out


@functools.lru_cache(maxsize=1 << 16)
def _keyword_words(keyword: str) -> frozenset[str]:
    # Keywords recur across items and requests; their words are read for every pick.
    return frozenset(content_words(keyword))
