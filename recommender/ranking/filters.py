"""Hard constraints of a ``Query`` as boolean masks over the catalog, and relaxation.

Every constraint a query carries becomes a named ``Constraint`` (a label the user can
read, a softness rank and a mask). ``select_candidates`` intersects them with the items
the user may be shown; when nothing is left it drops the *softest* constraint, then the
next, and reports the labels it dropped, so the caller can say what it relaxed instead
of answering with an empty list.

Softness, softest first: minimum rating, length, year window, any-of genres, required genres
(the last one named goes first), language ("a French comedy" with none: French films),
people ("a Tom Hanks western" with none: Tom Hanks
films, not westerns without him), excluded genres (only as a last resort: "no horror"
is the constraint users notice most when broken).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from recommender.data.catalog import Catalog
from recommender.knowledge.people import PeopleIndex
from recommender.nlp.languages import NOT_ENGLISH
from recommender.nlp.query import DIRECTOR, PersonRef, Query
from recommender.ranking.labels import genre_label, language_label, text

# "Rated 4+" is judged on the plain mean of items with at least this many ratings: a
# mean over two ratings says nothing, and the Bayesian average is shrunk so far towards
# the global mean that "4+" would leave almost nothing.
MIN_RATINGS_FOR_RATING = 10

SOFTNESS_MIN_RATING = 0
SOFTNESS_RUNTIME = 0.75  # "something short": a wish, kept over the rating floor
SOFTNESS_YEARS = 1
SOFTNESS_GENRES_ANY = 2
SOFTNESS_GENRE_REQUIRED = 3
SOFTNESS_LANGUAGE = 4  # "a French comedy" with none: French films before comedies
SOFTNESS_PEOPLE = 5
SOFTNESS_SORT_WINDOW = 0.5  # "like Inception but older": released before the reference
SOFTNESS_GENRE_EXCLUDED = 10
SOFTNESS_PERSON_EXCLUDED = 10  # "nothing with Adam Sandler" holds as firmly as "no horror"
FILL_SOFTNESS_LIMIT = SOFTNESS_LANGUAGE  # ``fill_candidates`` relaxes only softer ones


@dataclass(frozen=True)
class Constraint:
    """One hard constraint: ``label`` is shown to the user when it is relaxed."""

    label: str
    softness: float
    mask: np.ndarray  # bool over catalog items: True = satisfies


class CatalogIndex:
    """Arrays precomputed once per catalog so that each request is a few numpy masks."""

    def __init__(self, catalog: Catalog, min_ratings: int = MIN_RATINGS_FOR_RATING,
                 people: PeopleIndex | None = None) -> None:  # fmt: skip
        self.catalog = catalog
        self.min_ratings = min_ratings
        self.genre_names = catalog.all_genres()
        self._genre_col = {g.lower(): k for k, g in enumerate(self.genre_names)}
        self.genre_matrix = np.zeros((catalog.n_items, len(self.genre_names)), dtype=bool)
        for idx, genres in enumerate(catalog.genres):
            for g in genres:
                self.genre_matrix[idx, self._genre_col[g.lower()]] = True
        self.years = np.asarray(catalog.years, dtype=np.int32)
        self.rating_mean = np.asarray(catalog.rating_mean, dtype=np.float32)
        self.rating_count = np.asarray(catalog.rating_count, dtype=np.int32)
        self.languages = np.array([code or "" for code in catalog.languages], dtype=object)
        self.runtimes = np.array([r or 0 for r in catalog.runtimes], dtype=np.int32)  # 0 = unknown
        # The parser's index when it has one: one build per catalog.
        self.people = people if people is not None else PeopleIndex(catalog)

    def genre_mask(self, genre: str) -> np.ndarray:
        """Items of ``genre`` (case-insensitive); all False for a genre the catalog lacks."""
        col = self._genre_col.get(genre.lower())
        if col is None:
            return np.zeros(self.catalog.n_items, dtype=bool)
        return self.genre_matrix[:, col]

    def year_mask(self, year_min: int | None, year_max: int | None) -> np.ndarray:
        """Items whose known year lies in the inclusive window (unknown years never do)."""
        mask = self.years > 0
        if year_min is not None:
            mask &= self.years >= year_min
        if year_max is not None:
            mask &= self.years <= year_max
        return mask

    def language_mask(self, codes: Sequence[str]) -> np.ndarray:
        """Items whose original language is known to be one of ``codes`` (an unknown
        language never passes: most of the catalog has none, and those are mostly English)."""
        return np.isin(self.languages, list(codes)) if len(codes) else np.ones(len(self.languages), bool)

    def runtime_mask(self, max_runtime: int) -> np.ndarray:
        """Items known to last at most ``max_runtime`` minutes (an unknown length never
        does: a wish for something short is not met by a film that may run three hours)."""
        return (self.runtimes > 0) & (self.runtimes <= max_runtime)

    def rating_mask(self, min_rating: float) -> np.ndarray:
        """Items with enough ratings whose mean is at least ``min_rating`` stars."""
        return (self.rating_count >= self.min_ratings) & (self.rating_mean >= min_rating - 1e-6)


def year_label(year_min: int | None, year_max: int | None, lang: str = "en") -> str:
    """Readable year window: "1980s", "1995", "1995–2005", "2015 or later", "up to 1969"
    (in ``lang``: "1980年代", "2015年及以后" …)."""
    if year_min is not None and year_max is not None:
        if year_min == year_max:
            return text(lang, "year", year=year_min)
        if year_min % 10 == 0 and year_max == year_min + 9:
            return text(lang, "decade", decade=year_min)
        return text(lang, "years", lo=year_min, hi=year_max)
    if year_min is not None:
        return text(lang, "from_year", year=year_min)
    if year_max is not None:
        return text(lang, "until_year", year=year_max)
    return text(lang, "any_year")


def rating_label(min_rating: float, lang: str = "en") -> str:
    return text(lang, "rating", stars=f"{min_rating:g}")


def query_constraints(query: Query, index: CatalogIndex) -> list[Constraint]:
    """The hard constraints of ``query`` (free text is soft: not here)."""
    out: list[Constraint] = []
    lang = query.lang
    if query.min_rating is not None:
        out.append(
            Constraint(rating_label(query.min_rating, lang), SOFTNESS_MIN_RATING,
                       index.rating_mask(query.min_rating))
        )
    if query.languages:
        if set(query.languages) >= set(NOT_ENGLISH):  # "foreign films"
            label = text(lang, "not_english")
        else:  # "no", "nb": Norwegian once
            names = text(lang, "or").join(dict.fromkeys(language_label(code, lang) for code in query.languages))
            label = text(lang, "language", names=names)
        out.append(Constraint(label, SOFTNESS_LANGUAGE, index.language_mask(query.languages)))
    if query.max_runtime is not None:
        out.append(Constraint(text(lang, "runtime", minutes=query.max_runtime), SOFTNESS_RUNTIME,
                              index.runtime_mask(query.max_runtime)))
    if query.year_min is not None or query.year_max is not None:
        out.append(
            Constraint(year_label(query.year_min, query.year_max, lang), SOFTNESS_YEARS,
                       index.year_mask(query.year_min, query.year_max))
        )
    if query.genres_any:
        mask = np.zeros(index.catalog.n_items, dtype=bool)
        for g in query.genres_any:
            mask |= index.genre_mask(g)
        names = text(lang, "or").join(genre_label(g, lang) for g in query.genres_any)
        out.append(Constraint(names, SOFTNESS_GENRES_ANY, mask))
    n_all = len(query.genres_all)
    for pos, g in enumerate(query.genres_all):
        # The genre named last is relaxed first: people lead with what matters most.
        softness = SOFTNESS_GENRE_REQUIRED + (n_all - 1 - pos) / max(n_all, 1)
        out.append(Constraint(genre_label(g, lang), softness, index.genre_mask(g)))
    directors = alternative_directors(query)
    if directors:
        mask = np.zeros(index.catalog.n_items, dtype=bool)
        for ref in directors:
            mask |= index.people.mask(ref)
        out.append(Constraint(directors_label(directors), SOFTNESS_PEOPLE, mask))
    for ref in query.people:
        if ref.known and ref.excluded:
            out.append(Constraint(ref.label(), SOFTNESS_PERSON_EXCLUDED, ~index.people.mask(ref)))
        elif ref.known and ref not in directors:
            out.append(Constraint(ref.label(), SOFTNESS_PEOPLE, index.people.mask(ref)))
    for g in query.genres_none:
        label = text(lang, "no_genre", genre=genre_label(g, lang))
        out.append(Constraint(label, SOFTNESS_GENRE_EXCLUDED, ~index.genre_mask(g)))
    return out


def satisfies(query: Query, index: CatalogIndex, idx: np.ndarray) -> np.ndarray:
    """Per catalog item index in ``idx``, whether it meets every hard constraint of
    ``query`` (the constraints are built once for all of them)."""
    ok = np.ones(len(idx), dtype=bool)
    for constraint in query_constraints(query, index):
        ok &= constraint.mask[idx]
    return ok


def sort_constraints(query: Query, index: CatalogIndex, references: np.ndarray) -> list[Constraint]:
    """ "like Inception but older": released before the references (after, for newer).

    Only with a sort, references and no year window of the query's own; relaxed first.
    """
    if not query.sort or not references.size or query.year_min is not None or query.year_max is not None:
        return []
    years = index.years[references]
    years = years[years > 0]
    if not years.size:
        return []
    if query.sort == "oldest":
        edge = int(years.min()) - 1
        return [Constraint(f"before {edge + 1}", SOFTNESS_SORT_WINDOW, index.year_mask(None, edge))]
    edge = int(years.max()) + 1
    return [Constraint(f"after {edge - 1}", SOFTNESS_SORT_WINDOW, index.year_mask(edge, None))]


def alternative_directors(query: Query) -> list[PersonRef]:
    """The directors ``query`` asks for when it names two or more: alternatives, any of
    whom will do ("I like Wes Anderson and Tarantino"; few films have both), unlike two
    actors ("Julia Roberts and Hugh Grant movies": films with both). Else []."""
    directors = [ref for ref in query.wanted_people() if ref.known and ref.role == DIRECTOR]
    return directors if len(directors) > 1 else []


def directors_label(directors: Sequence[PersonRef]) -> str:
    """ "directed by Wes Anderson or Quentin Tarantino"."""
    return PersonRef(" or ".join(ref.name for ref in directors), DIRECTOR).label()


def people_kept(query: Query, relaxed: Sequence[str]) -> list[PersonRef]:
    """The query's people when every one of them survived relaxation (else []), so a
    reply can say "No Western film with Tom Hanks; here are films with Tom Hanks."."""
    known = [ref for ref in query.wanted_people() if ref.known]
    directors = alternative_directors(query)
    if not relaxed or any(ref.label() in relaxed for ref in known) or (
        directors and directors_label(directors) in relaxed
    ):
        return []
    return known


def fill_candidates(
    constraints: Sequence[Constraint], allowed: np.ndarray, relaxed: Sequence[str], minimum: int
) -> tuple[np.ndarray, list[Constraint]]:
    """``(items, dropped)`` to list after the exact matches when there are fewer than
    ``minimum`` of them: the constraints ``select_candidates`` kept are relaxed further,
    softest first, until ``minimum`` items meet the rest. "A good horror movie, no gore,
    more recent" had one exact match (Get Out) and a one-film list; the films after it
    are the recent horror rated a little lower, said so. ``items`` include the exact
    matches; ``dropped`` are the constraints relaxed for the others (empty: no fill)."""
    remaining = sorted((c for c in constraints if c.label not in relaxed), key=lambda c: c.softness,
                       reverse=True)
    dropped: list[Constraint] = []
    # Only wishes are relaxed for a fill: the rating, length, years and genres. A language,
    # a person or an exclusion holds ("thrillers with Harrison Ford" goes on with his other
    # films, never with films without him).
    while remaining and remaining[-1].softness < FILL_SOFTNESS_LIMIT:
        dropped.append(remaining.pop())
        mask = _meeting(allowed, remaining)
        if int(mask.sum()) >= minimum:
            return np.flatnonzero(mask), dropped
    return (np.flatnonzero(mask), dropped) if dropped else (np.zeros(0, dtype=np.int64), [])


def _meeting(allowed: np.ndarray, constraints: Sequence[Constraint]) -> np.ndarray:
    """``allowed`` and every one of ``constraints``, as one bool mask."""
    mask = allowed.copy()
    for c in constraints:
        mask &= c.mask
    return mask


def select_candidates(
    constraints: Sequence[Constraint], allowed: np.ndarray
) -> tuple[np.ndarray, list[str]]:
    """``(candidate item indices, labels of relaxed constraints)``.

    ``allowed`` is the bool mask of items the user may be shown at all (not rated, not
    excluded); it is never relaxed. Constraints are dropped softest first until some
    candidate remains; the result is empty only when ``allowed`` itself is empty.
    """
    remaining = sorted(constraints, key=lambda c: c.softness, reverse=True)
    relaxed: list[str] = []
    while True:
        mask = _meeting(allowed, remaining)
        if mask.any() or not remaining:
            return np.flatnonzero(mask), relaxed
        relaxed.append(remaining.pop().label)

