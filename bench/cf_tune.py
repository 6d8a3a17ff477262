"""How recbot's default CF model (``rease``) got its defaults: a validation grid.

The protocol split of the data (seed 42) gives TRAIN/TEST; the same protocol applied to
TRAIN gives INNER-TRAIN/VALIDATION. Every grid point is fitted on INNER-TRAIN and scored
on VALIDATION; TEST is never read. Plain EASE's lambda grid is printed alongside for
reference.

    .venv/bin/python bench/cf_tune.py [--data DIR] [--quick]

Prints a markdown table (validation NDCG@10 / Recall@20 per grid point).
"""

from __future__ import annotations

import argparse
import itertools
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from recommender.cf.registry import make_model  # noqa: E402
from recommender.data.loaders import load_dataset  # noqa: E402
from recommender.data.split import split_ratings  # noqa: E402
from recommender.evaluation.cf import evaluate_split  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "movielens" / "ml-latest-small"

GRID = {"floor": [0.0, 1.0], "kappa": [0.0, 0.6], "lam_scale": [6.0, 8.0, 12.0],
        "min_count": [3, 5]}  # fmt: skip
QUICK_GRID = {"floor": [1.0], "kappa": [0.0, 0.6], "lam_scale": [8.0], "min_count": [5]}
EASE_LAMBDAS = [100.0, 200.0, 400.0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    train, _test = split_ratings(load_dataset(args.data).ratings, seed=42)
    inner, validation = split_ratings(train, seed=42)

    print("| model | parameters | val NDCG@10 | val Recall@20 |")
    print("|---|---|---:|---:|")
    for lam in EASE_LAMBDAS[:1] if args.quick else EASE_LAMBDAS:
        m = evaluate_split(make_model("ease", lam=lam), inner, validation).metrics
        print(f"| ease | lam={lam:g} | {m['ndcg@10']:.4f} | {m['recall@20']:.4f} |", flush=True)
    grid = QUICK_GRID if args.quick else GRID
    for combo in itertools.product(*grid.values()):
        params = dict(zip(grid, combo, strict=True))
        m = evaluate_split(make_model("rease", **params), inner, validation).metrics
        shown = ", ".join(f"{k}={v:g}" for k, v in params.items())
        print(f"| rease | {shown} | {m['ndcg@10']:.4f} | {m['recall@20']:.4f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
