"""Per-item rating statistics: count, mean and a Bayesian-average quality score."""

from __future__ import annotations

import numpy as np

# Prior weight of the Bayesian average, in ratings: an item needs about this many ratings
# before its own mean outweighs the global mean. 10 is about the mean number of ratings
# per MovieLens item, so obscure items with two 5-star ratings do not top the charts.
DEFAULT_PRIOR_WEIGHT = 10.0


def item_rating_stats(
    item_index: np.ndarray,
    ratings: np.ndarray,
    n_items: int,
    prior_weight: float = DEFAULT_PRIOR_WEIGHT,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(count int32, mean float32, quality float32)`` per item column.

    ``item_index`` holds the column of each rating. ``mean`` is 0 for unrated items;
    ``quality = (prior_weight * global_mean + sum) / (prior_weight + count)``, i.e. the
    global mean for unrated items.
    """
    ratings = np.asarray(ratings, dtype=np.float64)
    count = np.bincount(item_index, minlength=n_items).astype(np.int64)
    total = np.bincount(item_index, weights=ratings, minlength=n_items)
    global_mean = float(ratings.mean()) if ratings.size else 0.0
    mean = np.divide(total, count, out=np.zeros(n_items), where=count > 0)
    quality = (prior_weight * global_mean + total) / (prior_weight + count)
    return count.astype(np.int32), mean.astype(np.float32), quality.astype(np.float32)


# Half-life of a rating's weight in the "popular lately" count: a rating a year older than
# the newest one counts half. On ml-latest-small (ratings to 2018) it ranks the films
# people rated in the data's last years first, where the all-time count ranks the 1990s
# classics everybody has rated; in a chat people mostly ask for and name recent films.
RECENCY_HALF_LIFE_DAYS = 365.0


def recency_weighted_counts(
    item_index: np.ndarray,
    timestamps: np.ndarray,
    n_items: int,
    half_life_days: float = RECENCY_HALF_LIFE_DAYS,
) -> np.ndarray:
    """Per item column, its ratings weighted ``0.5 ** (age / half_life)`` (float32).

    ``age`` is measured back from the newest timestamp of all ratings, so the figure
    depends on the data only, never on today's date. Ratings without a timestamp (0) get
    weight 1; with no timestamps at all this is the plain count.
    """
    ts = np.asarray(timestamps, dtype=np.float64)
    known = ts > 0
    weights = np.ones(ts.shape[0])
    if known.any():
        age_days = (ts[known].max() - ts[known]) / 86_400.0
        weights[known] = np.exp2(-age_days / half_life_days)
    return np.bincount(item_index, weights=weights, minlength=n_items).astype(np.float32)
