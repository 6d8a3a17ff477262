"""Per-item rating statistics: the "popular lately" count behind the prior."""

from __future__ import annotations

import numpy as np
import pytest

from recommender.data.stats import recency_weighted_counts

DAY = 86_400


def test_a_rating_one_half_life_older_counts_half():
    newest = 1_500_000_000
    items = np.array([0, 1, 1])
    times = np.array([newest, newest - 365 * DAY, newest - 365 * DAY])
    counts = recency_weighted_counts(items, times, 3, half_life_days=365)
    assert counts.tolist() == pytest.approx([1.0, 1.0, 0.0])


def test_recently_rated_films_outrank_old_favourites_with_more_ratings():
    newest = 1_500_000_000
    # item 0: 10 ratings five years ago; item 1: 4 ratings this year
    items = np.array([0] * 10 + [1] * 4)
    times = np.array([newest - 5 * 365 * DAY] * 10 + [newest] * 4)
    counts = recency_weighted_counts(items, times, 2)
    assert counts[1] > counts[0]


def test_without_timestamps_it_is_the_plain_count():
    counts = recency_weighted_counts(np.array([0, 0, 2]), np.zeros(3), 3)
    assert counts.tolist() == [2.0, 0.0, 1.0]
