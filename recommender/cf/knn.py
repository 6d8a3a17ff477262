"""Neighbourhood models: item-kNN (cosine with shrinkage) and user-kNN (cosine).

Both read a history as binary "rated it" evidence, as the classic methods do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp

from recommender.cf.base import Recommender, top_k
from recommender.cf.linalg import gram_blocks
from recommender.cf.storage import NpzModel, save_npz


def binarize(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Same sparsity pattern, every stored value 1 (float32)."""
    out = sp.csr_matrix(matrix, dtype=np.float32, copy=True)
    out.data = np.ones_like(out.data)
    return out


def keep_top_per_row(matrix: np.ndarray, k: int) -> sp.csr_matrix:
    """Sparse copy of dense ``matrix`` keeping the ``k`` largest positive entries per row."""
    matrix = np.where(matrix > 0, matrix, 0).astype(np.float32)
    if 0 < k < matrix.shape[1]:
        drop = np.argpartition(-matrix, k, axis=1)[:, k:]
        np.put_along_axis(matrix, drop, 0.0, axis=1)
    out = sp.csr_matrix(matrix)
    out.eliminate_zeros()
    return out


# Cosine this close to 1 means the query is that training user: no new information.
_SAME_USER = 1.0 - 1e-6


class ItemKNN(Recommender):
    """Item-based kNN: cosine similarity with shrinkage, ``neighbours`` kept per item.

    ``sim(i, j) = |U_i & U_j| / (sqrt(|U_i| |U_j|) + shrink)``; a user's score for ``j``
    is the sum of ``sim(i, j)`` over the items ``i`` in the history.
    """

    name: ClassVar[str] = "itemknn"

    def __init__(self, neighbours: int = 100, shrink: float = 10.0) -> None:
        self.neighbours = int(neighbours)
        self.shrink = float(shrink)
        self.S = sp.csr_matrix((0, 0), dtype=np.float32)  # row i: the neighbours of i

    def params(self) -> dict[str, Any]:
        return {"neighbours": self.neighbours, "shrink": self.shrink}

    def fit(self, ratings: sp.csr_matrix, *, show_progress: bool = False) -> ItemKNN:
        x = binarize(ratings)
        norms = np.sqrt(np.diff(x.tocsc().indptr)).astype(np.float32)
        blocks = []
        # Row blocks of the co-occurrence matrix: the dense n x n never exists at once.
        for start, co in gram_blocks(x):
            rows = np.arange(start, start + co.shape[0])
            sim = co / (norms[rows, None] * norms[None, :] + np.float32(self.shrink + 1e-9))
            sim[np.arange(len(rows)), rows] = 0.0
            blocks.append(keep_top_per_row(sim, self.neighbours))
        self.S = sp.vstack(blocks).tocsr() if blocks else sp.csr_matrix((ratings.shape[1], ratings.shape[1]), dtype=np.float32)
        return self

    def score(self, history: sp.csr_matrix) -> np.ndarray:
        return np.asarray((binarize(history) @ self.S).toarray(), dtype=np.float32)

    def similar_items(
        self, item: int, k: int = 10, *, items: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        scores = np.asarray(self.S[item].toarray()).ravel()
        return top_k(scores, k, items=items, exclude=np.array([item]))

    def save(self, path: Path) -> None:
        save_npz(path, self.name, self.params(), S=self.S)

    @classmethod
    def load(cls, path: Path) -> ItemKNN:
        npz = NpzModel(path)
        model = cls(**npz.params)
        model.S = npz.sparse("S")
        return model


class UserKNN(Recommender):
    """User-based kNN with cosine similarity (the original design's reference method).

    Keeps the L2-normalised binary training rows; a history row is compared with every
    training user, and the ``neighbours`` most similar vote for their items with weight
    ``sim``. Rows identical to the query (the user themself, when scoring a training
    user) do not vote: they cannot add anything not already seen.
    """

    name: ClassVar[str] = "userknn"

    def __init__(self, neighbours: int = 50) -> None:
        self.neighbours = int(neighbours)
        self.users = sp.csr_matrix((0, 0), dtype=np.float32)

    def params(self) -> dict[str, Any]:
        return {"neighbours": self.neighbours}

    @staticmethod
    def _normalise(x: sp.csr_matrix) -> sp.csr_matrix:
        x = binarize(x)
        norms = np.sqrt(np.asarray(x.sum(axis=1)).ravel()).astype(np.float32)
        return sp.csr_matrix(sp.diags(1.0 / np.maximum(norms, 1e-9)) @ x, dtype=np.float32)

    def fit(self, ratings: sp.csr_matrix, *, show_progress: bool = False) -> UserKNN:
        self.users = self._normalise(ratings)
        return self

    def score(self, history: sp.csr_matrix) -> np.ndarray:
        query = self._normalise(history)
        sim = np.asarray((query @ self.users.T).toarray(), dtype=np.float32)
        sim[sim >= _SAME_USER] = 0.0
        weights = keep_top_per_row(sim, self.neighbours)
        return np.asarray((weights @ binarize(self.users)).toarray(), dtype=np.float32)

    def similar_items(
        self, item: int, k: int = 10, *, items: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        cols = self.users.tocsc()
        target = binarize(cols[:, item])
        x = binarize(self.users)
        co = np.asarray((x.T @ target).toarray()).ravel()
        norms = np.sqrt(np.diff(cols.indptr).astype(np.float32))
        scores = co / (norms * max(norms[item], 1e-9) + 1e-9)
        return top_k(scores, k, items=items, exclude=np.array([item]))

    def save(self, path: Path) -> None:
        save_npz(path, self.name, self.params(), users=self.users)

    @classmethod
    def load(cls, path: Path) -> UserKNN:
        npz = NpzModel(path)
        model = cls(**npz.params)
        model.users = npz.sparse("users")
        return model


class Popularity(Recommender):
    """Most-rated items first (ties by mean rating); the same list for everyone."""

    name: ClassVar[str] = "popularity"

    def __init__(self) -> None:
        self.scores = np.zeros(0, np.float32)

    def fit(self, ratings: sp.csr_matrix, *, show_progress: bool = False) -> Popularity:
        ratings = sp.csr_matrix(ratings, dtype=np.float32)
        counts = np.diff(ratings.tocsc().indptr).astype(np.float64)
        sums = np.asarray(ratings.sum(axis=0)).ravel()
        mean = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
        self.scores = (counts + mean / 10.0).astype(np.float32)  # mean < 1 count: tie-break
        return self

    def score(self, history: sp.csr_matrix) -> np.ndarray:
        return np.tile(self.scores, (history.shape[0], 1))

    def similar_items(
        self, item: int, k: int = 10, *, items: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        return top_k(self.scores, k, items=items, exclude=np.array([item]))

    def save(self, path: Path) -> None:
        save_npz(path, self.name, {}, scores=self.scores)

    @classmethod
    def load(cls, path: Path) -> Popularity:
        model = cls()
        model.scores = NpzModel(path).array("scores")
        return model
