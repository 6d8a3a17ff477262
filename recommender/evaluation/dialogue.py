"""``recbot eval dialogue``: the whole pipeline (tagger, parser, ranking) on a split.

Protocol. The CF model is refit on the TRAIN ratings and the catalog's rating statistics
(prior, "rated 4+") are recomputed from TRAIN only, so nothing of TEST leaks in; the
tagger, parser and item embeddings are content-only and reused. For every test user
and every genre among that user's held-out liked items (TEST rating >= 4), the message
"<genre> movies" goes through ``Engine.understand`` and is ranked with the user's
TRAIN ratings as history; relevant = the held-out liked items of that genre. NDCG@10
(``recommender.evaluation.metrics``) is averaged over these requests for

- ``blend``: the engine as shipped (alpha, prior, diversity);
- ``cf_filter``: CF score only, inside the hard filter (no semantic, prior, MMR);
- ``semantic_quality``: no personalisation: semantic match + quality/popularity prior
  (the cold-start ranking), inside the hard filter;
- ``cf_no_filter``: CF score only over all unrated items (what CF alone would answer);

plus the blend's NDCG for each alpha in ``ALPHAS`` (the curve used to pick
``DEFAULT_ALPHA``), and constraint precision: for each message in ``phrasings`` and a
few users (one cold-start), the share of returned items that satisfy the constraints
the parser produced (a relaxed answer counts its violating items as misses).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from recommender.cf.base import Recommender
from recommender.data.catalog import Catalog, Ratings
from recommender.data.matrix import ratings_to_csr
from recommender.data.stats import item_rating_stats, rating_rate
from recommender.engine import Engine, Signals
from recommender.evaluation.metrics import ndcg_at_k
from recommender.evaluation.phrasings import PHRASINGS, Phrasing
from recommender.nlp.query import Query
from recommender.ranking.blend import BlendWeights
from recommender.ranking.filters import MIN_RATINGS_FOR_RATING

log = logging.getLogger(__name__)

K = 10
LIKED = 4.0
ALPHAS: tuple[float, ...] = tuple(round(a, 2) for a in np.linspace(0.0, 1.0, 11))
NO_GENRE = "(no genres listed)"
# Users per phrasing in the constraint-precision check, besides one cold-start user.
PRECISION_USERS = 4
CF_ONLY = BlendWeights(alpha=0.0, prior=0.0, diversity=0.0)


def split_engine(engine: Engine, train: Ratings, make_model: Callable[[], Recommender]) -> Engine:
    """A copy of ``engine`` whose CF model and catalog statistics come from ``train`` only."""
    catalog = engine.catalog
    matrix, _ = ratings_to_csr(train, catalog)
    coo = matrix.tocoo()
    count, mean, quality = item_rating_stats(coo.col, coo.data, catalog.n_items)
    known = np.isin(train.items, catalog.item_ids)
    rate = rating_rate(np.searchsorted(catalog.item_ids, train.items[known]),
                       train.timestamps[known], catalog.n_items)
    train_catalog = dataclasses.replace(
        catalog, rating_count=count, rating_mean=mean, quality=quality, rating_rate=rate
    )
    model = make_model().fit(matrix)
    return Engine(train_catalog, model, engine.item_vectors, engine.encoder, engine.tagger,
                  engine.parser, alpha=engine.alpha, zh_parser=engine.zh_parser)


def satisfies(query: Query, catalog: Catalog, idx: int, min_ratings: int = MIN_RATINGS_FOR_RATING) -> bool:
    """Does item ``idx`` meet every hard constraint of ``query``? (a scalar reference check)"""
    genres = {g.lower() for g in catalog.genres[idx]}
    if any(g.lower() not in genres for g in query.genres_all):
        return False
    if query.genres_any and not any(g.lower() in genres for g in query.genres_any):
        return False
    if any(g.lower() in genres for g in query.genres_none):
        return False
    year = int(catalog.years[idx])
    if query.year_min is not None and not (year and year >= query.year_min):
        return False
    if query.year_max is not None and not (year and year <= query.year_max):
        return False
    if query.min_rating is not None:
        count, mean = int(catalog.rating_count[idx]), float(catalog.rating_mean[idx])
        if count < min_ratings or mean < query.min_rating - 1e-6:
            return False
    return True


def _histories(train: Ratings, catalog: Catalog) -> dict[int, dict[int, float]]:
    out: dict[int, dict[int, float]] = {}
    for u, i, r in zip(train.users.tolist(), train.items.tolist(), train.ratings.tolist(),
                       strict=True):
        if catalog.has(i):
            out.setdefault(int(u), {})[int(i)] = float(r)
    return out


def _liked_test(test: Ratings, catalog: Catalog) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for u, i, r in zip(test.users.tolist(), test.items.tolist(), test.ratings.tolist(),
                       strict=True):
        if r >= LIKED and catalog.has(i):
            out.setdefault(int(u), []).append(int(i))
    return out


def _ids(engine: Engine, signals: Signals, weights: BlendWeights, k: int) -> list[int]:
    return [r.item_id for r in engine.rank(signals, k=k, weights=weights).items]


def evaluate_dialogue(
    engine: Engine,
    train: Ratings,
    test: Ratings,
    make_model: Callable[[], Recommender],
    *,
    k: int = K,
    alphas: Sequence[float] = ALPHAS,
    max_users: int | None = None,
    phrasings: Sequence[Phrasing] = PHRASINGS,
    seed: int = 42,
    progress: bool = True,
) -> dict[str, Any]:
    """The figures of ``recbot eval dialogue`` as one JSON-ready dict (see module doc)."""
    ev = split_engine(engine, train, make_model)
    catalog = ev.catalog
    histories = _histories(train, catalog)
    liked = _liked_test(test, catalog)
    users = sorted(u for u in liked if u in histories)
    rng = np.random.default_rng(seed)
    if max_users is not None and max_users < len(users):
        users = sorted(rng.choice(users, size=max_users, replace=False).tolist())

    queries: dict[str, Query] = {}
    sums = {name: 0.0 for name in ("blend", "cf_filter", "semantic_quality", "cf_no_filter")}
    curve = np.zeros(len(alphas))
    requests = genre_parsed = 0
    blend = BlendWeights(alpha=ev.alpha)
    for user in tqdm(users, desc="eval dialogue", unit="user", disable=not progress):
        history = histories[user]
        by_genre: dict[str, set[int]] = {}
        for item in liked[user]:
            for g in catalog.genres[catalog.index(item)]:
                if g != NO_GENRE:
                    by_genre.setdefault(g, set()).add(item)
        unfiltered = ev.signals(Query(), history)
        cf_all = _ids(ev, unfiltered, CF_ONLY, k)
        for genre in sorted(by_genre):
            relevant = by_genre[genre]
            text = f"{genre} movies"
            if text not in queries:
                queries[text] = ev.understand(text)
            query = queries[text]
            genre_parsed += genre.lower() in {g.lower() for g in query.genres_all + query.genres_any}
            signals = ev.signals(query, history)
            cold = dataclasses.replace(signals, f_cf=None, f_profile=None, cold_start=True)
            sums["blend"] += ndcg_at_k(_ids(ev, signals, blend, k), relevant, k)
            sums["cf_filter"] += ndcg_at_k(_ids(ev, signals, CF_ONLY, k), relevant, k)
            sums["semantic_quality"] += ndcg_at_k(
                _ids(ev, cold, BlendWeights(alpha=1.0), k), relevant, k
            )
            sums["cf_no_filter"] += ndcg_at_k(cf_all, relevant, k)
            for n, alpha in enumerate(alphas):
                curve[n] += ndcg_at_k(_ids(ev, signals, BlendWeights(alpha=alpha), k), relevant, k)
            requests += 1

    denom = max(requests, 1)
    best = int(np.argmax(curve)) if len(alphas) else 0
    precision = constraint_precision(ev, phrasings, [histories[u] for u in users], k=k,
                                     seed=seed, progress=progress)
    return {
        f"ndcg@{k}": {name: round(total / denom, 4) for name, total in sums.items()},
        "alpha": ev.alpha,
        "alpha_curve": [
            {"alpha": float(a), f"ndcg@{k}": round(float(c / denom), 4)}
            for a, c in zip(alphas, curve, strict=True)
        ],
        "best_alpha": float(alphas[best]) if len(alphas) else None,
        "requests": requests,
        "users": len(users),
        "genre_parsed": round(genre_parsed / denom, 4),
        "constraint_precision": precision,
    }


def constraint_precision(
    engine: Engine,
    phrasings: Sequence[Phrasing],
    histories: Sequence[dict[int, float]],
    *,
    k: int = K,
    users: int = PRECISION_USERS,
    seed: int = 42,
    progress: bool = True,
) -> dict[str, Any]:
    """Share of returned items satisfying the parsed constraints (all of them, and of
    those listed as exact matches), and parse agreement."""
    rng = np.random.default_rng(seed)
    picked = [histories[i] for i in rng.permutation(len(histories))[:users]] if histories else []
    ok = returned = agreed = relaxed = filled = ok_exact = returned_exact = 0
    misses: list[dict[str, Any]] = []
    for p in tqdm(phrasings, desc="constraint precision", disable=not progress):
        query = engine.understand(p.text)
        agreed += _agrees(p, query)
        for history in [{}, *picked]:
            result = engine.recommend(query, history, k=k)
            relaxed += bool(result.relaxed)
            filled += bool(result.filled)
            # The films a reply lists as exact matches: all, or those before the fill.
            exact = result.exact if result.filled else len(result.items)
            for n, rec in enumerate(result.items):
                idx = engine.catalog.index(rec.item_id)
                good = satisfies(query, engine.catalog, idx)
                ok += good
                returned += 1
                if n < exact:
                    ok_exact += good
                    returned_exact += 1
                if not good and len(misses) < 20:
                    misses.append({"text": p.text, "item": engine.catalog.label(idx),
                                   "relaxed": result.relaxed})
    return {
        "precision": round(ok / max(returned, 1), 4),
        "items": returned,
        # Of the films listed as meeting every constraint; the rest follow a note
        # ("Only one film fits all of that; after it I relaxed: ...").
        "precision_exact": round(ok_exact / max(returned_exact, 1), 4),
        "filled_answers": filled,
        "phrasings": len(phrasings),
        "parse_agreement": round(agreed / max(len(phrasings), 1), 4),
        "relaxed_answers": relaxed,
        "misses": misses,
    }


def _agrees(p: Phrasing, query: Query) -> bool:
    """Did the parser produce what the phrasing clearly asks for?"""
    parsed = {g.lower() for g in query.genres_all + query.genres_any}
    if not {g.lower() for g in p.expect} <= parsed:
        return False
    if p.expect_years and query.year_min is None and query.year_max is None:
        return False
    return not (p.expect_rating and query.min_rating is None and not query.quality)
