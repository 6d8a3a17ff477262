"""Ranking metrics for offline evaluation (binary relevance).

Conventions (the ones ``recbot eval cf`` reports):
- ``ndcg@k``: DCG of the top ``k`` with gain 1 per relevant item at rank r
  (``1 / log2(r + 1)``), divided by the ideal DCG of ``min(k, #relevant)`` hits.
- ``recall@k``: hits in the top ``k`` divided by ``min(k, #relevant)`` (so a perfect
  list scores 1 even when the user has more than ``k`` relevant items).
- ``precision@k``: hits in the top ``k`` divided by ``k``.
Users with no relevant item are not scored; callers skip them.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np

_DISCOUNT = 1.0 / np.log2(np.arange(2, 1002))


def _hits(ranked: Sequence[int], relevant: Collection[int], k: int) -> np.ndarray:
    return np.fromiter((item in relevant for item in list(ranked)[:k]), dtype=bool)


def ndcg_at_k(ranked: Sequence[int], relevant: Collection[int], k: int) -> float:
    """Normalised DCG of ``ranked`` (best first) against the ``relevant`` set."""
    if not relevant:
        return 0.0
    hits = _hits(ranked, relevant, k)
    dcg = float(_DISCOUNT[: len(hits)][hits].sum())
    ideal = float(_DISCOUNT[: min(k, len(relevant))].sum())
    return dcg / ideal


def recall_at_k(ranked: Sequence[int], relevant: Collection[int], k: int) -> float:
    """Hits in the top ``k`` over ``min(k, #relevant)``."""
    if not relevant:
        return 0.0
    return float(_hits(ranked, relevant, k).sum()) / min(k, len(relevant))


def precision_at_k(ranked: Sequence[int], relevant: Collection[int], k: int) -> float:
    """Hits in the top ``k`` over ``k``."""
    return float(_hits(ranked, relevant, k).sum()) / k if k else 0.0
