"""One-line reasons: "Sci-Fi · 1980s · because you liked Alien", in the query's language.

The words of a reason come from ``ranking.labels`` by ``Query.lang`` ("科幻 · 1980年代 ·
因为你喜欢《Alien》"); genre names are translated, titles stay as in the catalog.
"""

from __future__ import annotations

import numpy as np

from recommender.nlp.query import Query
from recommender.ranking.filters import CatalogIndex
from recommender.ranking.labels import genre_label, text

SEPARATOR = " · "
# Below this similarity a history or reference item does not "explain" a pick.
MIN_EXPLAINING_SIMILARITY = 1e-6


def stars_label(mean: float) -> str:
    """An average rating as every front end and reason shows it: ``"★ 4.2"``."""
    return f"★ {mean:.1f}"


def constraint_parts(query: Query, index: CatalogIndex, idx: int) -> list[str]:
    """The query's constraints this item matches, as short labels."""
    parts: list[str] = []
    item_genres = {g.lower(): g for g in index.catalog.genres[idx]}
    for g in [*query.genres_all, *query.genres_any]:
        name = item_genres.get(g.lower())
        if name and genre_label(name, query.lang) not in parts:
            parts.append(genre_label(name, query.lang))
    year = int(index.years[idx])
    if year and (query.year_min is not None or query.year_max is not None):
        wide = query.year_min is None or query.year_max is None or query.year_max - query.year_min >= 9
        parts.append(text(query.lang, "decade", decade=year // 10 * 10) if wide
                     else text(query.lang, "year", year=year))
    count = int(index.rating_count[idx])
    if (query.min_rating is not None or query.quality) and count >= index.min_ratings:
        parts.append(stars_label(float(index.rating_mean[idx])))
    return parts


def best_sources(similarity: np.ndarray, threshold: float = MIN_EXPLAINING_SIMILARITY) -> list[int | None]:
    """For each column of ``similarity`` (sources x picks) the row that explains it best.

    ``None`` where no source reaches ``threshold`` (a pick no history item explains).
    """
    if similarity.size == 0:
        return [None] * similarity.shape[1]
    best = np.argmax(similarity, axis=0)
    top = similarity[best, np.arange(similarity.shape[1])]
    return [int(b) if t >= threshold else None for b, t in zip(best, top, strict=True)]


def join_reason(parts: list[str], fallback: str) -> str:
    """Parts joined by " · ", or ``fallback`` when there is nothing to say."""
    return SEPARATOR.join(p for p in parts if p) or fallback
