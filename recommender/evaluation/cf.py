"""Offline evaluation of a CF model on a train/test split (``recbot eval cf``).

Protocol, as docs/design.md states it and as this module implements it:
- The item universe is every item id in TRAIN or TEST. The model is fitted on TRAIN.
- For each user with at least one TEST rating, the model ranks every item that has at
  least one TRAIN rating and is not in that user's TRAIN history. Items that occur only
  in TEST cannot be scored by CF and are never ranked, but they still count as relevant
  (so they lower recall rather than vanish from the denominator).
- Relevant = the user's TEST items rated >= 4 stars. Users with no relevant item are not
  scored (they still get a top-20 list in ``recs``). Metric definitions: ``metrics.py``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from tqdm import tqdm

from recommender.cf.base import Recommender
from recommender.data.catalog import Catalog, Ratings
from recommender.data.matrix import ratings_to_csr
from recommender.evaluation.metrics import ndcg_at_k, precision_at_k, recall_at_k

RELEVANT_STARS = 4.0
LIST_LENGTH = 20
_BATCH = 256


@dataclass
class EvalResult:
    metrics: dict[str, float | int | str]
    recs: list[tuple[int, list[int]]]  # (user_id, top item ids best first)


def id_catalog(item_ids: np.ndarray) -> Catalog:
    """A metadata-free catalog over ``item_ids`` (enough to build matrices)."""
    ids = np.unique(np.asarray(item_ids, dtype=np.int64))
    n = len(ids)
    return Catalog(item_ids=ids, raw_titles=[""] * n, titles=[""] * n,
                   years=np.zeros(n, np.int32), genres=[()] * n)  # fmt: skip


def ranked_lists(
    model: Recommender,
    history: sp.csr_matrix,
    candidates: np.ndarray,
    k: int = LIST_LENGTH,
    *,
    show_progress: bool = False,
) -> Iterator[np.ndarray]:
    """Top-``k`` item indices per history row, over ``candidates`` minus the row's items.

    Scores in batches (the contract test guarantees batch scores equal single ones).
    """
    allowed = np.zeros(history.shape[1], dtype=bool)
    allowed[candidates] = True
    bar = tqdm(total=history.shape[0], desc="ranking", unit="user", disable=not show_progress)
    for start in range(0, history.shape[0], _BATCH):
        batch = history[start : start + _BATCH]
        scores = model.score(batch)
        scores[:, ~allowed] = -np.inf
        rows = np.repeat(np.arange(batch.shape[0]), np.diff(batch.indptr))
        scores[rows, batch.indices] = -np.inf
        kk = min(k, scores.shape[1] - 1)
        top = np.argpartition(-scores, kk, axis=1)[:, :k] if kk > 0 else np.zeros((len(scores), 0), int)
        for r in range(batch.shape[0]):
            row = top[r][np.isfinite(scores[r, top[r]])]
            yield row[np.lexsort((row, -scores[r, row]))]
        bar.update(batch.shape[0])
    bar.close()


def evaluate_split(
    model: Recommender, train: Ratings, test: Ratings, *, show_progress: bool = False
) -> EvalResult:
    """Fit ``model`` on ``train`` and score its top-20 lists against ``test``."""
    catalog = id_catalog(np.concatenate([train.items, test.items]))
    test_users = np.unique(test.users)
    all_users = np.unique(np.concatenate([train.users, test_users]))
    train_matrix, _ = ratings_to_csr(train, catalog, all_users)
    start, cpu_start = time.perf_counter(), time.process_time()
    model.fit(train_matrix, show_progress=show_progress)
    train_s = time.perf_counter() - start
    # CPU seconds (all threads): a fairer figure than wall time on a busy machine.
    train_cpu_s = time.process_time() - cpu_start

    candidates = np.flatnonzero(np.diff(train_matrix.tocsc().indptr) > 0)
    rows = np.searchsorted(all_users, test_users)
    history = train_matrix[rows].tocsr()
    relevant = _relevant_sets(test, catalog)

    totals = {"ndcg@10": 0.0, "recall@20": 0.0, "recall@10": 0.0, "precision@10": 0.0}
    scored = 0
    recs: list[tuple[int, list[int]]] = []
    start = time.perf_counter()
    lists = ranked_lists(model, history, candidates, show_progress=show_progress)
    for user, ranked in zip(test_users.tolist(), lists, strict=True):
        item_ids = catalog.item_ids[ranked].tolist()
        recs.append((user, item_ids))
        rel = relevant.get(user)
        if not rel:
            continue
        scored += 1
        totals["ndcg@10"] += ndcg_at_k(item_ids, rel, 10)
        totals["recall@20"] += recall_at_k(item_ids, rel, 20)
        totals["recall@10"] += recall_at_k(item_ids, rel, 10)
        totals["precision@10"] += precision_at_k(item_ids, rel, 10)
    rank_s = time.perf_counter() - start
    metrics: dict[str, float | int | str] = {
        name: round(value / max(scored, 1), 6) for name, value in totals.items()
    }
    metrics.update(
        model=model.name, users=scored, train_s=round(train_s, 3),
        train_cpu_s=round(train_cpu_s, 3), rank_s=round(rank_s, 3),
        items=int(catalog.n_items), rankable_items=int(len(candidates)),
    )  # fmt: skip
    return EvalResult(metrics=metrics, recs=recs)


def _relevant_sets(test: Ratings, catalog: Catalog) -> dict[int, set[int]]:
    liked = test.ratings >= RELEVANT_STARS
    out: dict[int, set[int]] = {}
    for user, item in zip(test.users[liked].tolist(), test.items[liked].tolist(), strict=True):
        out.setdefault(user, set()).add(item)
    return out
