"""Per-item rating statistics: the "popular now" rate behind the prior."""

from __future__ import annotations

import numpy as np
import pytest

from recommender.data.stats import rating_rate

DAY = 86_400
YEAR = 365 * DAY


def test_the_rate_is_ratings_per_year_in_the_catalog():
    newest = 1_500_000_000
    # item 0: 4 ratings over the last two years; item 1: one rating at the newest instant
    items = np.array([0, 0, 0, 0, 1])
    times = np.array([newest - 2 * YEAR, newest - YEAR, newest, newest, newest])
    rates = rating_rate(items, times, 3, settle_days=0.5 * 365)
    assert rates.tolist() == pytest.approx([4 / 2.5, 1 / 0.5, 0.0])


@pytest.mark.parametrize(
    ("old_ratings", "old_every_days", "new_ratings", "new_age_days", "new_ranks_first"),
    [
        # 40 ratings over twenty years vs 6 in a film's first two months: the new hit
        (40, 182, 6, 60, True),
        # 50 ratings over five years vs 2 this week: the settling time keeps it down
        (50, 36, 2, 3, False),
    ],
)
def test_a_new_film_ranks_by_its_pace_once_it_has_settled(
    old_ratings, old_every_days, new_ratings, new_age_days, new_ranks_first
):
    newest = 1_500_000_000
    items = np.array([0] * old_ratings + [1] * new_ratings)
    times = np.array([newest - k * old_every_days * DAY for k in range(old_ratings)]
                     + [newest - new_age_days * DAY] * new_ratings)
    rates = rating_rate(items, times, 2)
    assert (rates[1] > rates[0]) == new_ranks_first


def test_without_timestamps_it_is_the_plain_count():
    rates = rating_rate(np.array([0, 0, 2]), np.zeros(3), 3)
    assert rates.tolist() == [2.0, 0.0, 1.0]
