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


def test_a_new_hit_outranks_an_old_favourite_with_more_ratings():
    newest = 1_500_000_000
    # item 0: 40 ratings spread over twenty years; item 1: 6 ratings in its first months
    items = np.array([0] * 40 + [1] * 6)
    times = np.array([newest - k * YEAR // 2 for k in range(40)] + [newest - 60 * DAY] * 6)
    rates = rating_rate(items, times, 2)
    assert rates[1] > rates[0]


def test_a_handful_of_ratings_in_the_last_week_does_not_top_the_chart():
    newest = 1_500_000_000
    # item 0: 50 ratings over five years; item 1: 3 ratings this week
    items = np.array([0] * 50 + [1] * 3)
    times = np.array([newest - k * YEAR // 10 for k in range(50)] + [newest - 3 * DAY] * 3)
    rates = rating_rate(items, times, 2)
    assert rates[0] > rates[1]


def test_without_timestamps_it_is_the_plain_count():
    rates = rating_rate(np.array([0, 0, 2]), np.zeros(3), 3)
    assert rates.tolist() == [2.0, 0.0, 1.0]
