"""Ranking building blocks: normalisation, hard filters and relaxation, MMR, reasons."""

from __future__ import annotations

import numpy as np
import pytest

from recommender.data.catalog import Catalog
from recommender.nlp.query import Query
from recommender.ranking.blend import blend, prior_scores
from recommender.ranking.diversity import cover, mmr
from recommender.ranking.filters import (
    CatalogIndex,
    query_constraints,
    select_candidates,
    year_label,
)
from recommender.ranking.normalize import standardize
from recommender.ranking.reasons import best_sources, constraint_parts, join_reason
from tests.ranking_fixtures import make_catalog


@pytest.fixture(scope="module")
def index() -> CatalogIndex:
    return CatalogIndex(make_catalog())


def titles(index: CatalogIndex, idx) -> set[str]:
    return {index.catalog.titles[i] for i in idx}


def candidates(index: CatalogIndex, query: Query, allowed=None):
    if allowed is None:
        allowed = np.ones(index.catalog.n_items, dtype=bool)
    return select_candidates(query_constraints(query, index), allowed)


def test_standardize_among_compares_the_films_in_question():
    # Popularity of 300 matching films (low) next to a few blockbusters (high).
    x = np.r_[np.linspace(0.0, 1.0, 300), np.linspace(5.0, 9.0, 300)]
    matching = np.arange(300)
    plain, among = standardize(x), standardize(x, among=matching)
    assert np.all(plain[:300] == -3.0)  # all at the floor: no order left among them
    lead = among[:300][among[:300] > -3.0]  # compared among themselves they keep one
    assert lead.size >= 50 and np.all(np.diff(lead) > 0)
    assert among.max() <= 3.0  # a film far outside them does not run away


def test_standardize_is_scale_free_and_constant_safe():
    x = np.array([1.0, 2.0, 3.0, 10.0])
    assert np.allclose(standardize(x), standardize(1000 * x + 7))
    assert np.allclose(standardize(np.full(4, 3.0)), 0)
    assert standardize(np.array([])).size == 0
    assert standardize(np.array([0.0, np.nan, 1.0]))[1] == standardize(np.array([0.0, 0.0, 1.0]))[1]
    # A sentinel for unscorable items does not flatten the real scores.
    real = np.linspace(1, 0, 300)
    z = standardize(np.r_[real, np.full(5000, -1e4)])
    assert np.all(np.diff(z[:200]) < 0) and z[0] - z[199] > 2 and z.min() >= -3
    small = standardize(np.r_[np.linspace(1, 0, 12), np.full(40, -1e4)])
    assert np.all(np.diff(small[:12]) < -0.1)  # a small candidate set keeps real gaps


def test_genre_year_and_rating_filters(index):
    got, relaxed = candidates(index, Query(genres_all=["sci-fi"], year_min=1980, year_max=1989))
    assert titles(index, got) == {"Aliens", "The Empire Strikes Back", "Return of the Jedi",
                                   "Blade Runner", "Obscure Gem"}
    assert relaxed == []
    got, _ = candidates(index, Query(genres_any=["Romance", "Animation"]))
    assert titles(index, got) == {"Notting Hill", "Love Actually", "Toy Story"}
    got, _ = candidates(index, Query(genres_all=["Sci-Fi"], genres_none=["Horror", "Action"]))
    assert titles(index, got) == {"Blade Runner", "Obscure Gem"}
    # A 5-star mean over two ratings does not make an item "rated 4+".
    got, _ = candidates(index, Query(genres_all=["Sci-Fi"], min_rating=4.1))
    assert titles(index, got) == {"Alien", "Star Wars", "The Empire Strikes Back", "Blade Runner"}
    # Unknown years never satisfy a year window.
    got, _ = candidates(index, Query(year_max=2100))
    assert "Unknown Year" not in titles(index, got)


def test_allowed_mask_is_never_relaxed(index):
    allowed = np.ones(index.catalog.n_items, dtype=bool)
    allowed[index.catalog.index(6)] = False  # Blade Runner already rated
    got, _ = candidates(index, Query(genres_all=["Thriller"]), allowed)
    assert "Blade Runner" not in titles(index, got)
    got, relaxed = candidates(index, Query(), np.zeros(index.catalog.n_items, dtype=bool))
    assert got.size == 0


def test_relaxation_drops_softest_first_and_says_so(index):
    # No 1980s romance rated 4+: the rating goes first, then the year; the genre stays.
    got, relaxed = candidates(index, Query(genres_all=["Romance"], year_min=1980, year_max=1989,
                                           min_rating=4.0))
    assert relaxed == ["rated 4+", "1980s"]
    assert titles(index, got) == {"Notting Hill", "Love Actually"}
    # Two required genres that never meet: the one named last is dropped.
    got, relaxed = candidates(index, Query(genres_all=["Horror", "Romance"]))
    assert relaxed == ["Romance"]
    assert titles(index, got) == {"Alien", "Aliens", "The Shining"}
    # Unknown genre names relax instead of returning nothing.
    got, relaxed = candidates(index, Query(genres_all=["Telenovela"]))
    assert relaxed == ["Telenovela"] and got.size == index.catalog.n_items


def test_year_labels():
    assert year_label(1980, 1989) == "1980s"
    assert year_label(1995, 1995) == "1995"
    assert year_label(1995, 2005) == "1995–2005"
    assert year_label(2015, None) == "2015 or later"
    assert year_label(None, 1969) == "up to 1969"


def test_blend_alpha_extremes_and_cold_start():
    lm = np.array([3.0, 2.0, 1.0])
    cf = np.array([1.0, 2.0, 30.0])
    prior = np.zeros(3)
    assert np.argmax(blend(lm, cf, prior, alpha=1.0, w_prior=0)) == 0
    assert np.argmax(blend(lm, cf, prior, alpha=0.0, w_prior=0)) == 2
    # Cold start: no CF term, the semantic term keeps its full weight.
    assert np.allclose(blend(lm, None, prior, alpha=0.2, w_prior=0), standardize(lm))
    # The prior breaks ties.
    assert np.argmax(blend(np.ones(3), None, np.array([0.0, 1.0, 0.0]), 0.5, 0.1)) == 1


def test_mmr_spreads_across_topics():
    # Three near-identical sequels score highest; one different item slightly lower.
    # A weak filler item completes the pool.
    vectors = np.array([[1, 0, 0], [1, 0.01, 0], [1, 0.02, 0], [0, 1, 0], [0, 0, 1]], np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    rel = np.array([1.0, 0.99, 0.98, 0.9, 0.0])
    assert list(mmr(rel, vectors, 2, diversity=0.0)) == [0, 1]
    assert list(mmr(rel, vectors, 2, diversity=0.3)) == [0, 3]
    assert sorted(mmr(rel, vectors, 10, diversity=0.3)) == [0, 1, 2, 3, 4]


def test_cover_gives_each_asked_for_kind_a_place():
    # "westerns and action": the five best are action films; the best western comes in,
    # in the first place (westerns were named first), for the last action film.
    kinds = np.array([[0, 1], [0, 1], [0, 1], [0, 1], [0, 1], [0, 1], [1, 0], [1, 1]], bool)
    ranked = np.arange(8)
    assert list(cover(np.arange(5), ranked, kinds)) == [6, 0, 1, 2, 3]
    # Covered already, or no film of the kind to give: unchanged.
    assert list(cover(np.array([7, 0, 1]), ranked, kinds)) == [7, 0, 1]
    assert list(cover(np.arange(5), ranked, kinds[:, [1, 1]])) == [0, 1, 2, 3, 4]
    # The one pick that carries a kind is never the one replaced.
    few = np.array([[0, 1, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], bool)
    assert list(cover(np.array([0, 1, 2]), np.arange(4), few)) == [0, 1, 3]


def test_reasons(index):
    q = Query(genres_all=["sci-fi"], year_min=1980, year_max=1989, min_rating=4.0)
    assert constraint_parts(q, index, index.catalog.index(6)) == ["Sci-Fi", "1980s", "★ 4.1"]
    assert constraint_parts(Query(), index, 0) == []
    sim = np.array([[0.1, 0.0], [0.5, 0.0]])
    assert best_sources(sim) == [1, None]
    assert join_reason(["Sci-Fi", "1980s"], "x") == "Sci-Fi · 1980s"
    assert join_reason([], "popular") == "popular"


def test_the_quality_floor_spares_middling_films_and_sinks_flops() -> None:
    # Same "popular now" rate; Bayesian ratings: a classic, a recent film with a few
    # middling ratings, a well-loved comedy, and a flop. Only the flop is pulled down
    # much; the two middling films stay near the classic, in rating order.
    n = 40
    quality = np.full(n, 3.5, np.float32)
    quality[:4] = [4.3, 3.42, 3.1, 2.6]
    rate = np.full(n, 1.0, np.float32)
    rate[:4] = 20.0
    catalog = Catalog(
        item_ids=np.arange(1, n + 1), raw_titles=[f"m{i}" for i in range(n)],
        titles=[f"m{i}" for i in range(n)], years=np.full(n, 2017, np.int32),
        genres=[("Drama",)] * n, rating_count=np.full(n, 10, np.int32),
        rating_mean=quality.copy(), quality=quality, rating_rate=rate,
    )  # fmt: skip
    prior = prior_scores(catalog)
    classic, recent, comedy, flop = prior[:4]
    assert classic == recent > comedy > flop
    assert classic - comedy < 0.5 and comedy - flop > 0.9
    assert flop > prior[4:].max()  # still far more popular than the unpopular rest
    # "the best": quality leads
    best = prior_scores(catalog, quality_intent=True)
    assert best[0] > best[1] > best[2] > best[3]


def test_a_confident_prior_does_not_take_one_recent_rating_for_popularity() -> None:
    # The same rate from one rating in the data's last months and from a hundred over
    # the years: for a topic's matches only the hundred say the film is popular.
    n = 40
    counts = np.full(n, 10, np.int32)
    counts[:2] = [1, 100]
    rate = np.full(n, 1.0, np.float32)
    rate[:2] = 4.0
    quality = np.full(n, 3.5, np.float32)
    catalog = Catalog(
        item_ids=np.arange(1, n + 1), raw_titles=[f"m{i}" for i in range(n)],
        titles=[f"m{i}" for i in range(n)], years=np.full(n, 2017, np.int32),
        genres=[("Drama",)] * n, rating_count=counts,
        rating_mean=quality.copy(), quality=quality, rating_rate=rate,
    )  # fmt: skip
    plain = prior_scores(catalog)
    assert plain[0] < plain[2:].min() < plain[1]  # one rating has no rate of its own
    confident = prior_scores(catalog, confident=True)
    assert confident[1] > confident[2:].max() > confident[0]
    catalog.rating_count[0] = 3
    three = prior_scores(catalog)
    assert three[0] == three[1]  # from three ratings on, the plain rate counts


def test_genre_fit_ranks_the_films_most_of_a_genre_first():
    import numpy as np

    from recommender.ranking.genre_fit import genre_directions, genre_fit

    rng = np.random.default_rng(0)
    n, d = 200, 16
    romance = np.zeros(n, bool)
    romance[:60] = True
    vectors = rng.normal(size=(n, d)).astype(np.float32)
    vectors[:40, 0] += 3.0  # love stories: far along the genre's own direction
    vectors[40:60, 0] += 0.5  # tagged Romance, mostly something else
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    matrix = np.stack([romance, ~romance], axis=1)
    fits = genre_directions(vectors, matrix, ["Romance", "Other"])
    fit = genre_fit(fits, ["romance"])
    assert fit is not None and fit[:40].mean() > fit[40:60].mean() > fit[60:].mean()
    # a genre the catalog has too few films of gets no direction, and asks nothing
    few = np.zeros((n, 1), bool)
    few[:5] = True
    assert genre_directions(vectors, few, ["Film-Noir"]) == {}
    assert genre_fit(fits, ["Film-Noir"]) is None


def test_a_tone_leans_from_the_dark_genres_to_the_light_ones():
    import numpy as np

    from recommender.ranking.genre_fit import tone_fit

    comedy = np.array([1.0, 0.0, 0.5], np.float32)
    thriller = np.array([0.0, 1.0, 0.5], np.float32)
    fits = {"comedy": comedy, "thriller": thriller}
    light = tone_fit(fits, "feel-good")
    dark = tone_fit(fits, "dark")
    assert light is not None and dark is not None
    assert list(np.argsort(-light)) == [0, 2, 1] and np.allclose(dark, -light)
    assert tone_fit(fits, "heist") is None  # no tone word: no lean
    assert tone_fit({"comedy": comedy}, "feel-good") is None  # one side unknown
