"""Benchmark recbot's CF models against peers on the evaluation protocol.

One run, one split (per-user random 20% hold-out for users with >= 5 ratings, seed 42;
relevance = held-out rating >= 4; full ranking over items not in the user's training
history; see ``recommender.evaluation.cf``). Every model whose hyper-parameters are
tuned gets them from a validation split carved from TRAIN (the same protocol applied to
TRAIN, seed 42) - the test split is only used for the final figures. recbot's default
model (``rease``) runs with its fixed defaults.

Columns: NDCG@10, Recall@20 (denominator min(20, #relevant)), training seconds (wall,
fit on TRAIN; also CPU seconds over all threads, the fairer figure on a shared
machine), ms per single-user recommendation (``recommend`` with a 100-item history
over all items, p50/p99 over many calls; for implicit ALS the user factors are solved
from the history with implicit's own fold-in formula, so the same fold-in; wall p50/p99
and CPU-time p99), and model memory (size of the saved
model; for ALS the item factors).

    .venv/bin/python bench/cf_bench.py [--data DIR] [--quick]

Prints a markdown table on stdout (progress and chosen parameters on stderr).
"""

from __future__ import annotations

import argparse
import itertools
import logging
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from recommender.cf.base import Recommender  # noqa: E402
from recommender.cf.registry import DEFAULT_MODEL, make_model  # noqa: E402
from recommender.data.loaders import load_dataset  # noqa: E402
from recommender.data.matrix import ratings_to_csr  # noqa: E402
from recommender.data.split import split_ratings  # noqa: E402
from recommender.evaluation.cf import evaluate_split, id_catalog  # noqa: E402

log = logging.getLogger("cf_bench")
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "movielens" / "ml-latest-small"


class ImplicitALS(Recommender):
    """implicit's ALS behind recbot's interface; a history is folded in per call.

    The history's rated items get confidence ``alpha`` (implicit reads stored values as
    confidence), and ``recalculate_user`` solves the user's factors from them.
    """

    name: ClassVar[str] = "implicit-als"

    def __init__(self, factors: int = 64, regularization: float = 0.1, alpha: float = 10.0,
                 iterations: int = 15) -> None:  # fmt: skip
        from implicit.cpu.als import AlternatingLeastSquares

        self.alpha = alpha
        self._yty: np.ndarray | None = None
        self.model = AlternatingLeastSquares(
            factors=factors, regularization=regularization, iterations=iterations,
            random_state=42, num_threads=2, calculate_training_loss=False,
        )  # fmt: skip

    def _confidence(self, matrix: sp.csr_matrix) -> sp.csr_matrix:
        out = sp.csr_matrix(matrix, dtype=np.float32, copy=True)
        out.data = np.full_like(out.data, self.alpha)
        return out

    def fit(self, ratings: sp.csr_matrix, *, show_progress: bool = False) -> ImplicitALS:
        # implicit asks for single-threaded BLAS (it parallelises itself).
        with threadpool_limits(1, "blas"):
            self.model.fit(self._confidence(ratings), show_progress=False)
        return self

    def score(self, history: sp.csr_matrix) -> np.ndarray:
        # The implicit-ALS fold-in (what implicit's recalculate_user solves), written out
        # because entering threadpool_limits per call costs milliseconds:
        # (Y^T Y + sum_i (c_i - 1) y_i y_i^T + reg I) u = sum_i c_i y_i, c_i = alpha.
        items = np.asarray(self.model.item_factors, dtype=np.float32)
        if self._yty is None:
            self._yty = items.T @ items + self.model.regularization * np.eye(items.shape[1])
        history = sp.csr_matrix(history)
        users = np.zeros((history.shape[0], items.shape[1]), dtype=np.float32)
        for r in range(history.shape[0]):
            y = items[history.indices[history.indptr[r] : history.indptr[r + 1]]]
            if len(y):
                a = self._yty + (self.alpha - 1.0) * (y.T @ y)
                users[r] = np.linalg.solve(a, self.alpha * y.sum(axis=0))
        return np.asarray(users @ items.T, dtype=np.float32)

    def similar_items(self, item, k=10, *, items=None):  # pragma: no cover - not benchmarked
        raise NotImplementedError

    def save(self, path: Path) -> None:  # pragma: no cover - not benchmarked
        raise NotImplementedError

    @classmethod
    def load(cls, path: Path) -> ImplicitALS:  # pragma: no cover - not benchmarked
        raise NotImplementedError

    def nbytes(self) -> int:
        return int(self.model.item_factors.nbytes)


def build(name: str, params: dict[str, Any]) -> Recommender:
    return ImplicitALS(**params) if name == ImplicitALS.name else make_model(name, **params)


@dataclass
class Entry:
    label: str
    name: str
    grid: dict[str, list[Any]] = field(default_factory=dict)


def entries(quick: bool) -> list[Entry]:
    if quick:
        return [Entry(f"{DEFAULT_MODEL} (recbot default)", DEFAULT_MODEL),
                Entry("EASE (lambda tuned)", "ease", {"lam": [200.0]}),
                Entry("item-kNN", "itemknn"), Entry("user-kNN", "userknn"),
                Entry("popularity", "popularity"),
                Entry("implicit ALS", ImplicitALS.name, {"factors": [64]})]  # fmt: skip
    return [
        Entry(f"{DEFAULT_MODEL} (recbot default)", DEFAULT_MODEL),
        Entry("EASE (lambda tuned)", "ease", {"lam": [50.0, 100.0, 200.0, 400.0, 800.0]}),
        Entry("item-kNN", "itemknn", {"neighbours": [100, 1000], "shrink": [10.0, 50.0, 200.0]}),
        Entry("user-kNN", "userknn", {"neighbours": [20, 50, 100]}),
        Entry("popularity", "popularity"),
        Entry("implicit ALS (small grid)", ImplicitALS.name,
              {"factors": [32, 64], "regularization": [0.1, 1.0], "alpha": [1.0, 5.0]}),
    ]  # fmt: skip


def tune(entry: Entry, inner_train, validation) -> dict[str, Any]:
    """Grid point with the best validation NDCG@10 (the test split is not touched)."""
    points = [dict(zip(entry.grid, combo, strict=True))
              for combo in itertools.product(*entry.grid.values())]  # fmt: skip
    if len(points) <= 1:
        return points[0] if points else {}
    best, best_ndcg = points[0], -1.0
    for params in points:
        ndcg = float(evaluate_split(build(entry.name, params), inner_train, validation).metrics["ndcg@10"])
        log.info("  %s %s: validation ndcg@10 %.4f", entry.label, params, ndcg)
        if ndcg > best_ndcg:
            best, best_ndcg = params, ndcg
    return best


def latency_histories(train, catalog, n_users: int, size: int = 100, seed: int = 0) -> list[sp.csr_matrix]:
    """Single-user history rows of exactly ``size`` real ratings (users with more)."""
    matrix, _ = ratings_to_csr(train, catalog)
    rng = np.random.default_rng(seed)
    heavy = np.flatnonzero(np.diff(matrix.indptr) >= size)
    rows = []
    for user in rng.choice(heavy, size=n_users, replace=True):
        row = matrix[user]
        keep = np.sort(rng.choice(row.nnz, size=size, replace=False))
        rows.append(sp.csr_matrix((row.data[keep], row.indices[keep], [0, size]), shape=row.shape))
    return rows


def latency_ms(model: Recommender, histories: list[sp.csr_matrix]) -> tuple[float, float, float]:
    """Wall p50, wall p99 and CPU-time p99 (ms) of one ``recommend`` call."""
    for h in histories[:20]:  # warm caches and lazy imports
        model.recommend(h, k=10)
    wall, cpu = [], []
    for h in histories:
        start, cpu_start = time.perf_counter(), time.process_time()
        model.recommend(h, k=10)
        wall.append((time.perf_counter() - start) * 1e3)
        cpu.append((time.process_time() - cpu_start) * 1e3)
    return (float(np.percentile(wall, 50)), float(np.percentile(wall, 99)),
            float(np.percentile(cpu, 99)))  # fmt: skip


def model_bytes(model: Recommender) -> int:
    if isinstance(model, ImplicitALS):
        return model.nbytes()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.npz"
        model.save(path)
        return path.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--quick", action="store_true", help="defaults only, few timings")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)

    dataset = load_dataset(args.data)
    train, test = split_ratings(dataset.ratings, seed=args.seed)
    inner_train, validation = split_ratings(train, seed=args.seed)
    catalog = id_catalog(np.concatenate([train.items, test.items]))
    histories = latency_histories(train, catalog, 100 if args.quick else 1000)

    rows = []
    for entry in entries(args.quick):
        params = tune(entry, inner_train, validation)
        model = build(entry.name, params)
        result = evaluate_split(model, train, test)
        p50, p99, cpu99 = latency_ms(model, histories)
        m = result.metrics
        rows.append((entry.label, params, m["ndcg@10"], m["recall@20"], m["train_s"],
                     m["train_cpu_s"], p50, p99, cpu99, model_bytes(model)))  # fmt: skip
        log.info("%s %s: %s", entry.label, params, m)

    load = os.getloadavg()[0]
    print(f"Data: {dataset.source} ({len(dataset.ratings)} ratings), split seed {args.seed}; "
          f"{os.cpu_count()} CPUs, load average {load:.1f} at the end of the run.\n")  # fmt: skip
    print("| model | parameters (validation-tuned) | NDCG@10 | Recall@20 | train s (wall) | "
          "train s (CPU) | rec ms p50 | rec ms p99 | rec CPU ms p99 | memory MB |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, params, ndcg, rec, train_s, cpu_s, p50, p99, cpu99, nbytes in rows:
        shown = ", ".join(f"{k}={v:g}" for k, v in params.items()) or "defaults"
        print(f"| {label} | {shown} | {ndcg:.3f} | {rec:.3f} | {train_s:.2f} | {cpu_s:.2f} | "
              f"{p50:.2f} | {p99:.2f} | {cpu99:.2f} | {nbytes / 1e6:.1f} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
