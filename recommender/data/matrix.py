"""Ratings as sparse matrices: the users x items training matrix and one user's history row.

Columns are catalog item indices (``Catalog.index``); values are star ratings (0.5..5).
An absent entry means "not rated" - a rating is never stored as 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import scipy.sparse as sp

from recommender.data.catalog import Catalog, Dataset, Ratings


def ratings_to_csr(
    ratings: Ratings, catalog: Catalog, user_ids: np.ndarray | None = None
) -> tuple[sp.csr_matrix, np.ndarray]:
    """``(users x items CSR float32, user_ids)`` of ``ratings`` over ``catalog`` columns.

    Rows follow ``user_ids`` (default: the sorted distinct users of ``ratings``; ratings
    of users not listed are ignored). Ratings of items outside the catalog are ignored.
    When a user rated an item more than once the latest rating (by timestamp, then by
    position) wins.
    """
    if user_ids is None:
        user_ids = np.unique(ratings.users)
    user_ids = np.asarray(user_ids, dtype=np.int64)
    user_order = np.argsort(user_ids, kind="stable")
    sorted_users = user_ids[user_order]
    pos = np.clip(np.searchsorted(sorted_users, ratings.users), 0, max(len(sorted_users) - 1, 0))
    col = np.clip(np.searchsorted(catalog.item_ids, ratings.items), 0, max(catalog.n_items - 1, 0))
    keep = np.zeros(len(ratings), dtype=bool)
    if len(sorted_users) and catalog.n_items:
        keep = (sorted_users[pos] == ratings.users) & (catalog.item_ids[col] == ratings.items)
    rows = user_order[pos[keep]] if len(sorted_users) else pos[keep]
    cols = col[keep]
    vals = ratings.ratings[keep].astype(np.float32)
    # Keep the latest of duplicate (user, item) pairs instead of summing them.
    order = np.lexsort((np.arange(len(rows)), ratings.timestamps[keep], cols, rows))
    rows, cols, vals = rows[order], cols[order], vals[order]
    last = np.ones(len(rows), dtype=bool)
    last[:-1] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
    matrix = sp.csr_matrix(
        (vals[last], (rows[last], cols[last])),
        shape=(len(user_ids), catalog.n_items),
        dtype=np.float32,
    )
    matrix.sort_indices()
    return matrix, user_ids


def rating_matrix(dataset: Dataset) -> tuple[sp.csr_matrix, np.ndarray]:
    """The users x items CSR matrix of star ratings of ``dataset`` and its row user ids.

    Rows are the distinct user ids in ascending order; columns are catalog indices.
    """
    return ratings_to_csr(dataset.ratings, dataset.catalog)


def rows_to_csr(rows: Sequence[tuple[np.ndarray, np.ndarray]], n_items: int) -> sp.csr_matrix:
    """Stack ``(columns, stars)`` pairs into a ``len(rows) x n_items`` float32 CSR.

    Each pair is one history row (item indices and their ratings, any order); the
    result has sorted indices, as the CF models expect.
    """
    indptr = np.cumsum([0, *(len(cols) for cols, _ in rows)])
    cols = np.concatenate([c for c, _ in rows]).astype(np.int32) if rows else np.zeros(0, np.int32)
    vals = np.concatenate([v for _, v in rows]).astype(np.float32) if rows else np.zeros(0, np.float32)
    matrix = sp.csr_matrix((vals, cols, indptr), shape=(len(rows), n_items), dtype=np.float32)
    matrix.sort_indices()
    return matrix


def history_row(history: Mapping[int, float], catalog: Catalog) -> sp.csr_matrix:
    """A 1 x n_items CSR row of one user's ratings (``item_id -> stars``).

    Item ids the catalog does not know are ignored (the catalog may have changed since
    the rating was recorded).
    """
    known = [(catalog.index(item_id), float(stars)) for item_id, stars in history.items()
             if catalog.has(item_id)]
    cols = np.fromiter((c for c, _ in known), dtype=np.int32, count=len(known))
    vals = np.fromiter((v for _, v in known), dtype=np.float32, count=len(known))
    return rows_to_csr([(cols, vals)], catalog.n_items)
