"""``recbot data split`` and ``recbot eval cf``: the offline CF protocol of docs/design.md.

``data split --data DIR --out OUTDIR [--seed 42] [--frac 0.2]`` writes ``train.csv`` and
``test.csv`` (header ``user,item,rating,timestamp``): per user with at least 5 ratings,
a random ``frac`` of their ratings goes to test.

``eval cf --train TRAIN.csv --test TEST.csv [--model NAME] [--param k=v ...]
[--recs-out RECS.csv] --json`` fits on TRAIN, ranks for every TEST user all items with a
TRAIN rating that are not in their TRAIN history, scores against TEST items rated >= 4
and prints the metrics: with ``--json`` one JSON object (``ndcg@10``, ``recall@20``,
``recall@10``, ``precision@10``, ``users``, ``train_s``, ``model``, ...), without it a
two-line readable report. ``--recs-out`` writes ``user,item,rank`` (top 20
per TEST user, rank from 1). Progress goes to stderr; stdout carries only the result.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.cli import CommandTree

log = logging.getLogger(__name__)


def register(tree: CommandTree) -> None:
    split = tree.command("data split", help="write the evaluation protocol's train/test split")
    split.add_argument("--data", type=Path, default=None,
                       help="data directory (default: RECBOT_DATA, else download ml-latest-small)")  # fmt: skip
    split.add_argument("--out", type=Path, required=True, help="directory for train.csv/test.csv")
    split.add_argument("--seed", type=int, default=42)
    split.add_argument("--frac", type=float, default=0.2, help="share of each user's ratings held out")
    split.set_defaults(func=_split)

    ev = tree.command("eval cf", help="fit a CF model on TRAIN and rank-evaluate it on TEST")
    ev.add_argument("--train", type=Path, required=True, help="CSV user,item,rating,timestamp")
    ev.add_argument("--test", type=Path, required=True, help="CSV user,item,rating,timestamp")
    ev.add_argument("--model", default=None, help="model name (default: the app's default model)")
    ev.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                    help="model hyper-parameter, repeatable (e.g. --param lam=300)")  # fmt: skip
    ev.add_argument("--recs-out", type=Path, default=None, help="write user,item,rank CSV here")
    ev.add_argument("--json", action="store_true",
                    help="print one JSON object (default: a short readable report)")
    ev.add_argument("--no-progress", action="store_true", help="hide progress bars")
    ev.set_defaults(func=_eval)


def _split(args: argparse.Namespace) -> int:
    from bot.config import load_settings
    from bot.ops.downloads import resolve_movielens
    from recommender.data.loaders import load_dataset, write_ratings_file
    from recommender.data.split import split_ratings
    from recommender.errors import RecbotError

    if not 0 < args.frac < 1:
        raise RecbotError("--frac must be between 0 and 1 (e.g. 0.2).")
    settings = load_settings()
    data_dir = resolve_movielens(args.data or settings.data, settings.home / "data")
    dataset = load_dataset(data_dir)
    train, test = split_ratings(dataset.ratings, frac=args.frac, seed=args.seed)
    write_ratings_file(train, args.out / "train.csv")
    write_ratings_file(test, args.out / "test.csv")
    print(json.dumps({"train": str(args.out / "train.csv"), "test": str(args.out / "test.csv"),
                      "train_ratings": len(train), "test_ratings": len(test),
                      "data": str(data_dir), "fingerprint": dataset.fingerprint}))  # fmt: skip
    return 0


def parse_params(pairs: list[str]) -> dict[str, Any]:
    """``["lam=300", "min_count=5"]`` -> ``{"lam": 300.0, "min_count": 5}``."""
    from recommender.errors import RecbotError

    params: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise RecbotError(f"--param {pair!r} is not KEY=VALUE (e.g. --param lam=300).")
        try:
            params[key] = int(value)
        except ValueError:
            try:
                params[key] = float(value)
            except ValueError:
                params[key] = value
    return params


def _eval(args: argparse.Namespace) -> int:
    from recommender.cf.registry import make_model
    from recommender.data.loaders import read_ratings_file
    from recommender.evaluation.cf import LIST_LENGTH, evaluate_split

    model = make_model(args.model, **parse_params(args.param))
    train = read_ratings_file(args.train)
    test = read_ratings_file(args.test)
    result = evaluate_split(model, train, test, show_progress=not args.no_progress)
    if args.recs_out is not None:
        args.recs_out.parent.mkdir(parents=True, exist_ok=True)
        with open(args.recs_out, "w", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(["user", "item", "rank"])
            for user, items in result.recs:
                for rank, item in enumerate(items[:LIST_LENGTH], start=1):
                    writer.writerow([user, item, rank])
    sys.stdout.write((json.dumps(result.metrics) if args.json else format_metrics(result.metrics)) + "\n")
    sys.stdout.flush()
    return 0


def format_metrics(metrics: dict[str, Any]) -> str:
    """The ``eval cf`` result for a reader: the model, who was scored, then the metrics."""
    labels = {"ndcg@10": "NDCG@10", "recall@20": "Recall@20", "recall@10": "Recall@10",
              "precision@10": "Precision@10"}  # fmt: skip
    figures = "  ".join(f"{label} {metrics[key]:.4f}" for key, label in labels.items())
    return (f"{metrics['model']}: {metrics['users']} test users scored, fit {metrics['train_s']:.1f} s, "
            f"ranking {metrics['rank_s']:.1f} s\n{figures}")  # fmt: skip
