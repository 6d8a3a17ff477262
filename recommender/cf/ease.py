"""EASE (Steck 2019) and the rating-aware variant that is recbot's default model.

Both learn a dense item-item matrix ``B`` (zero diagonal) over the items with at least
``min_count`` training ratings ("kept" items; at most ``max_items``, the most rated): the Gram matrix of rarer items is noise,
and dropping them keeps ``B`` small (ml-latest-small: ~4.4k of 9.7k items, 78 MB).
A user's scores are ``w(history) @ B``, computed from the history row alone, so new
ratings count at once. Items that are not kept score below every kept item, ordered by
their Bayesian-average rating, so they still come out of a candidate subset sensibly.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp

from recommender.cf.base import Recommender, top_k
from recommender.cf.linalg import ease_solution, gram
from recommender.cf.storage import NpzModel, save_npz

log = logging.getLogger(__name__)

# Scores of items outside the kept set: below any EASE score, ordered by the prior.
_FALLBACK_FLOOR = np.float32(-1e4)
_PRIOR_WEIGHT = 10.0
# Cap on kept items: 12k items make a 576 MB float32 B and a solve of minutes.
MAX_ITEMS = 12_000


def item_prior(ratings: sp.csr_matrix, prior_weight: float = _PRIOR_WEIGHT) -> np.ndarray:
    """Bayesian-average star rating per item column (the global mean when unrated)."""
    counts = np.diff(ratings.tocsc().indptr).astype(np.float64)
    sums = np.asarray(ratings.sum(axis=0)).ravel().astype(np.float64)
    mean = float(ratings.data.mean()) if ratings.nnz else 0.0
    return ((prior_weight * mean + sums) / (prior_weight + counts)).astype(np.float32)


class DenseItemModel(Recommender):
    """Shared machinery of models scoring with a dense ``B`` over kept items.

    Subclasses define ``_input(values)`` (how star ratings enter the product) and
    ``_solve(ratings_kept)`` (how ``B`` is learned).
    """

    name: ClassVar[str] = ""

    def __init__(self, min_count: int = 3, max_items: int = MAX_ITEMS) -> None:
        self.min_count = int(min_count)
        self.max_items = int(max_items)
        self.n_items = 0
        self.kept = np.zeros(0, np.int64)  # item indices with a row/column in B
        self.position = np.zeros(0, np.int64)  # item index -> row of B, -1 if not kept
        self.B = np.zeros((0, 0), np.float32)
        self.fallback = np.zeros(0, np.float32)  # scores of items that are not kept

    # -- subclass hooks
    def _input(self, values: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _solve(self, ratings: sp.csr_matrix) -> np.ndarray:
        raise NotImplementedError

    def params(self) -> dict[str, Any]:
        return {"min_count": self.min_count, "max_items": self.max_items}

    # -- Recommender
    def fit(self, ratings: sp.csr_matrix, *, show_progress: bool = False) -> DenseItemModel:
        start = time.perf_counter()
        ratings = sp.csr_matrix(ratings, dtype=np.float32)
        self.n_items = ratings.shape[1]
        counts = np.diff(ratings.tocsc().indptr)
        kept = np.flatnonzero(counts >= self.min_count)
        if len(kept) > self.max_items:
            # The most-rated items: B is dense and the solve cubic in its size.
            kept = np.sort(kept[np.argsort(-counts[kept], kind="stable")[: self.max_items]])
        self.kept = kept.astype(np.int64)
        self.position = np.full(self.n_items, -1, dtype=np.int64)
        self.position[self.kept] = np.arange(len(self.kept))
        prior = item_prior(ratings)
        # Keep non-kept items strictly below kept ones, ordered by their prior.
        self.fallback = (_FALLBACK_FLOOR + prior).astype(np.float32)
        self.B = self._solve(ratings[:, self.kept].tocsr())
        log.info(
            "%s: fitted %d of %d items in %.2fs",
            self.name, len(self.kept), self.n_items, time.perf_counter() - start,
        )  # fmt: skip
        return self

    def score(self, history: sp.csr_matrix) -> np.ndarray:
        history = sp.csr_matrix(history, dtype=np.float32)
        out = np.empty((history.shape[0], self.n_items), dtype=np.float32)
        out[:] = self.fallback
        if history.shape[0] == 1:
            out[0, self.kept] = self._score_one(history.indices, history.data)
            return out
        pos = self.position[history.indices]
        keep = pos >= 0
        rows = np.repeat(np.arange(history.shape[0]), np.diff(history.indptr))[keep]
        x = sp.csr_matrix(
            (self._input(history.data[keep]), (rows, pos[keep])),
            shape=(history.shape[0], len(self.kept)),
        )
        out[:, self.kept] = x @ self.B
        cold = np.bincount(rows, minlength=history.shape[0]) == 0
        if cold.any():
            out[np.ix_(cold, self.kept)] = self._cold_start()
        return out

    def _score_one(self, indices: np.ndarray, values: np.ndarray) -> np.ndarray:
        # The latency-critical path: a weighted sum of ~100 rows of B.
        pos = self.position[indices]
        keep = pos >= 0
        if not keep.any():
            return self._cold_start()
        weights = self._input(values[keep]).astype(np.float32)
        return weights @ self.B[pos[keep]]

    def _cold_start(self) -> np.ndarray:
        """Scores of kept items for a history with nothing the model knows: the prior.

        (``B`` would give every item 0, and ties would fall to the lowest item ids.)
        """
        return (self.fallback[self.kept] - _FALLBACK_FLOOR).astype(np.float32)

    def similar_items(
        self, item: int, k: int = 10, *, items: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Items that ``item`` predicts most strongly (row of ``B``).

        An item too rare to be kept has no row: its neighbours are then the best items
        by prior (a popularity answer, clearly weaker).
        """
        scores = self.fallback.copy()
        pos = self.position[item]
        if pos >= 0:
            scores[self.kept] = self.B[pos]
        return top_k(scores, k, items=items, exclude=np.array([item]))

    def save(self, path: Path) -> None:
        save_npz(
            path, self.name, self.params(), n_items=np.int64(self.n_items), kept=self.kept,
            B=self.B, fallback=self.fallback,
        )  # fmt: skip

    @classmethod
    def load(cls, path: Path) -> DenseItemModel:
        npz = NpzModel(path)
        model = cls(**npz.params)
        model.n_items = int(npz.array("n_items"))
        model.kept = npz.array("kept").astype(np.int64)
        model.position = np.full(model.n_items, -1, dtype=np.int64)
        model.position[model.kept] = np.arange(len(model.kept))
        model.B = npz.array("B")
        model.fallback = npz.array("fallback")
        return model


class EASE(DenseItemModel):
    """Plain EASE on binary "rated it" data, ridge ``lam`` (the classic baseline)."""

    name: ClassVar[str] = "ease"

    def __init__(self, lam: float = 200.0, min_count: int = 3, max_items: int = MAX_ITEMS) -> None:
        super().__init__(min_count, max_items)
        self.lam = float(lam)

    def params(self) -> dict[str, Any]:
        return {**super().params(), "lam": self.lam}

    def _input(self, values: np.ndarray) -> np.ndarray:
        return np.ones_like(values, dtype=np.float32)

    def _solve(self, ratings: sp.csr_matrix) -> np.ndarray:
        x = ratings.copy()
        x.data = self._input(x.data)
        return ease_solution(gram(x), self.lam)


class RatingEASE(DenseItemModel):
    """EASE that reads star values: recbot's default model.

    A rating enters as ``w(r) = (r - 1) / 4`` (5 stars -> 1, 3 stars -> 0.5, 1 star -> 0,
    half a star slightly negative), so a 2-star rating is weak evidence rather than a
    like. ``B`` is learned from ``G = W^T W + kappa * X^T X`` (``W`` weighted, ``X``
    binary): the binary part keeps the "what people watch together" signal that pure
    rating weights underuse. The ridge is scale-free, ``lam = lam_scale * mean(diag G)``,
    so the same defaults carry over to data sets of other sizes. Items need
    ``min_count`` (5) training ratings to get a row of ``B``: on ml-latest-small that keeps
    ~3.2k items, which validation says costs nothing and makes the solve 2.7x cheaper.
    The defaults were compared on a validation split carved from the TRAIN part of
    ml-latest-small (``bench/cf_tune.py``).
    """

    name: ClassVar[str] = "rease"

    def __init__(
        self,
        lam_scale: float = 8.0,
        kappa: float = 0.6,
        floor: float = 1.0,
        min_count: int = 5,
        max_items: int = MAX_ITEMS,
    ) -> None:
        super().__init__(min_count, max_items)
        self.lam_scale = float(lam_scale)
        self.kappa = float(kappa)
        self.floor = float(floor)

    def params(self) -> dict[str, Any]:
        return {**super().params(), "lam_scale": self.lam_scale, "kappa": self.kappa,
                "floor": self.floor}  # fmt: skip

    def _input(self, values: np.ndarray) -> np.ndarray:
        return ((np.asarray(values, dtype=np.float32) - self.floor) / (5.0 - self.floor)).astype(
            np.float32
        )

    def _solve(self, ratings: sp.csr_matrix) -> np.ndarray:
        weighted = ratings.copy()
        weighted.data = self._input(weighted.data)
        g = gram(weighted)
        if self.kappa:
            binary = ratings.copy()
            binary.data = np.ones_like(binary.data)
            g += np.float32(self.kappa) * gram(binary)
        lam = self.lam_scale * float(np.diag(g).mean()) if g.size else 1.0
        return ease_solution(g, max(lam, 1e-3))
