"""The offline evaluation protocol: a per-user random hold-out.

Users with at least ``min_ratings`` ratings get ``round(frac * n)`` (at least 1) of their
ratings, chosen uniformly at random, moved to the test set; everyone else's ratings stay
in training. One ``numpy.random.default_rng(seed)`` draws a permutation per user, users
in ascending id order, so the split is reproducible from ``seed``.
"""

from __future__ import annotations

import numpy as np

from recommender.data.catalog import Ratings

PROTOCOL_SEED = 42
PROTOCOL_FRAC = 0.2
PROTOCOL_MIN_RATINGS = 5


def holdout_mask(
    users: np.ndarray,
    *,
    frac: float = PROTOCOL_FRAC,
    seed: int = PROTOCOL_SEED,
    min_ratings: int = PROTOCOL_MIN_RATINGS,
) -> np.ndarray:
    """Boolean mask over rating rows: True = held out (test)."""
    users = np.asarray(users)
    rng = np.random.default_rng(seed)
    order = np.argsort(users, kind="stable")
    bounds = np.flatnonzero(np.diff(users[order])) + 1
    mask = np.zeros(len(users), dtype=bool)
    for rows in np.split(order, bounds):
        n = len(rows)
        if n < min_ratings:
            continue
        n_test = max(1, int(round(frac * n)))
        mask[rows[rng.permutation(n)[:n_test]]] = True
    return mask


def split_ratings(
    ratings: Ratings,
    *,
    frac: float = PROTOCOL_FRAC,
    seed: int = PROTOCOL_SEED,
    min_ratings: int = PROTOCOL_MIN_RATINGS,
) -> tuple[Ratings, Ratings]:
    """``(train, test)`` under the protocol (see the module docstring)."""
    test = holdout_mask(ratings.users, frac=frac, seed=seed, min_ratings=min_ratings)
    return _subset(ratings, ~test), _subset(ratings, test)


def _subset(r: Ratings, mask: np.ndarray) -> Ratings:
    return Ratings(r.users[mask], r.items[mask], r.ratings[mask], r.timestamps[mask])
