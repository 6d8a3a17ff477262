"""Ranking metrics and the offline evaluation protocol on hand-computed cases."""

from __future__ import annotations

import math

import numpy as np
import pytest

from recommender.cf.registry import make_model
from recommender.data.catalog import Ratings
from recommender.evaluation.cf import evaluate_split
from recommender.evaluation.metrics import ndcg_at_k, precision_at_k, recall_at_k


def test_ndcg_hand_computed() -> None:
    # Hits at ranks 1 and 3 out of 2 relevant items.
    expected = (1 + 1 / math.log2(4)) / (1 + 1 / math.log2(3))
    assert ndcg_at_k([7, 8, 9], {7, 9}, 10) == pytest.approx(expected)
    assert ndcg_at_k([9, 7], {7, 9}, 10) == pytest.approx(1.0)
    assert ndcg_at_k([1, 2], {7}, 10) == 0.0
    assert ndcg_at_k([1, 2], set(), 10) == 0.0


def test_recall_denominator_is_min_k_relevant() -> None:
    relevant = set(range(100, 130))  # 30 relevant items
    ranked = list(range(100, 120))  # the top 20 are all relevant
    assert recall_at_k(ranked, relevant, 20) == 1.0
    assert recall_at_k([100, 1, 2], {100, 101}, 20) == 0.5
    assert precision_at_k([100, 1, 2, 3], {100}, 2) == 0.5


def ratings(rows: list[tuple[int, int, float]]) -> Ratings:
    u, i, r = zip(*rows, strict=True)
    return Ratings(np.array(u), np.array(i), np.array(r, dtype=np.float32), np.zeros(len(u), int))


def test_protocol_skips_seen_counts_test_only_items_and_low_ratings() -> None:
    # Everyone who likes 1 and 2 also likes 3; item 99 exists only in test.
    train = ratings([(u, i, 5.0) for u in range(1, 6) for i in (1, 2, 3)] + [(9, 1, 5.0), (9, 2, 5.0)])
    test = ratings([(9, 3, 5.0), (9, 99, 5.0), (8, 1, 2.0)])
    result = evaluate_split(make_model("popularity"), train, test)
    # User 8 has no relevant item (2 stars is not a like): not scored, but gets a list.
    assert result.metrics["users"] == 1
    recs = dict(result.recs)
    assert recs[9] == [3]  # only item 3 is rankable and unseen for user 9
    assert 99 not in recs[8] and set(recs[8]) == {1, 2, 3}
    # One of two relevant items found: recall 0.5; the unrankable 99 stays in the denominator.
    assert result.metrics["recall@20"] == pytest.approx(0.5)
    assert result.metrics["ndcg@10"] == pytest.approx(1 / (1 + 1 / math.log2(3)))
