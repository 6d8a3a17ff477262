"""The interface every CF model implements, in the spirit of implicit's RecommenderBase.

Users are represented only by their *history*: a CSR row vector (1 x n_items) of star
ratings (0.5..5; absent = unrated). Models never keep per-user state after ``fit``,
so a rating recorded a moment ago takes effect in the very next call (fold-in).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import ClassVar

import numpy as np
import scipy.sparse as sp


class Recommender(ABC):
    """fit on a users x items CSR rating matrix; score/recommend for history rows."""

    name: ClassVar[str]

    @abstractmethod
    def fit(self, ratings: sp.csr_matrix, *, show_progress: bool = False) -> Recommender:
        """Learn from a users x items matrix of star ratings; returns self."""

    @abstractmethod
    def score(self, history: sp.csr_matrix) -> np.ndarray:
        """Dense scores (n_rows x n_items, float32) for a batch of history rows.

        Higher is better; scores are comparable within a row only.
        """

    def recommend(
        self,
        history: sp.csr_matrix,
        k: int = 10,
        *,
        items: np.ndarray | None = None,
        exclude: np.ndarray | None = None,
        filter_seen: bool = True,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` item indices and their scores for one history row.

        ``items`` restricts ranking to that candidate subset; ``exclude`` items are never
        returned; with ``filter_seen`` the items in ``history`` are excluded too.
        """
        scores = self.score(history)[0]
        return top_k(scores, k, items=items, exclude=_merge_exclude(history, exclude, filter_seen))

    @abstractmethod
    def similar_items(
        self, item: int, k: int = 10, *, items: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Items most similar to item index ``item`` (itself excluded), best first."""

    @abstractmethod
    def save(self, path: Path) -> None:
        """Write the fitted model to ``path`` (.npz, no pickle)."""

    @classmethod
    @abstractmethod
    def load(cls, path: Path) -> Recommender:
        """Read a model written by ``save``."""


def _merge_exclude(history: sp.csr_matrix, exclude: np.ndarray | None, filter_seen: bool) -> np.ndarray | None:
    parts = []
    if filter_seen and history.nnz:
        parts.append(history.indices)
    if exclude is not None and len(exclude):
        parts.append(np.asarray(exclude, dtype=np.int64))
    return np.concatenate(parts) if parts else None


def top_k(
    scores: np.ndarray,
    k: int,
    *,
    items: np.ndarray | None = None,
    exclude: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the ``k`` best ``scores`` (restricted to ``items``, minus ``exclude``).

    Ties are broken by the lower index, so results are deterministic.
    """
    # Work on a masked copy (-inf = not allowed) rather than gathering candidate
    # indices: this runs once per request, over every item, and must stay well under 1 ms.
    masked = np.array(scores, dtype=np.float32, copy=True)
    if items is not None:
        keep = np.asarray(items, dtype=np.int64)
        only = np.full_like(masked, -np.inf)
        only[keep] = masked[keep]
        masked = only
    if exclude is not None and len(exclude):
        masked[np.asarray(exclude, dtype=np.int64)] = -np.inf
    n = masked.shape[0]
    k = min(k, n)
    if k <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    part = np.argpartition(-masked, k - 1)[:k] if k < n else np.arange(n)
    part = part[masked[part] > -np.inf]
    order = part[np.lexsort((part, -masked[part]))]
    return order.astype(np.int64), masked[order]
