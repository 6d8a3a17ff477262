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
