"""``recbot train tagger`` and ``recbot eval tagger``.

``train tagger`` fine-tunes the entity tagger into ``$RECBOT_HOME/artifacts/tagger``
(or ``--out``). ``eval tagger --bio FILE --json`` prints one JSON object with
``micro_f1``, ``precision``, ``recall``, ``per_type`` {TYPE: f1} and ``sentences``
(entity-level, exact span and type, as docs/design.md specifies).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Settings, load_settings

if TYPE_CHECKING:
    from bot.cli import CommandTree

log = logging.getLogger(__name__)

TAGGER_SUBDIR = "tagger"


def default_tagger_dir(settings: Settings) -> Path:
    """Where ``train tagger`` writes by default: ``$RECBOT_HOME/artifacts/tagger``."""
    return settings.artifacts_dir / TAGGER_SUBDIR


def tagger_to_evaluate(settings: Settings) -> Path:
    """``artifacts/tagger`` if ``train tagger`` wrote one, else the app's current tagger.

    The app itself loads the ``tagger-<n>`` that ``recbot prepare`` recorded in the
    artifact manifest.
    """
    trained = default_tagger_dir(settings)
    if (trained / "config.json").is_file():
        return trained
    from bot.ops.artifacts import ArtifactStore

    store = ArtifactStore(settings)
    return store.require(store.current_manifest(), "tagger")


def register(tree: CommandTree) -> None:
    from recommender.nlp.train_config import TrainConfig

    defaults = TrainConfig()
    train = tree.command("train tagger", help="fine-tune the BERT entity tagger")
    train.add_argument("--epochs", type=float, default=defaults.epochs)
    train.add_argument(
        "--max-steps", type=int, default=None,
        help="stop after N optimizer steps (e.g. 60: a quick but real tagger for tests)",
    )  # fmt: skip
    train.add_argument("--batch-size", type=int, default=defaults.batch_size)
    train.add_argument(
        "--lr", type=float, default=None,
        help="peak learning rate (default: 1e-4; 3e-4 when --max-steps ends within epoch 1)",
    )  # fmt: skip
    train.add_argument(
        "--generated-share", type=float, default=defaults.generated_share,
        help="fraction of the training mix that is generated catalog queries "
        f"(default {defaults.generated_share})",
    )  # fmt: skip
    train.add_argument("--seed", type=int, default=defaults.seed)
    train.add_argument(
        "--threads", type=int, default=None, help="torch threads (default: all cores)"
    )
    train.add_argument(
        "--out", type=Path, default=None, help="output dir (default: $RECBOT_HOME/artifacts/tagger)"
    )
    train.add_argument(
        "--data",
        type=Path,
        default=None,
        help="dir with engtrain.bio (default: $RECBOT_TAGGER_DATA)",
    )
    train.add_argument(
        "--catalog-data", type=Path, default=None,
        help="catalog data dir for generated queries (default: $RECBOT_DATA)",
    )  # fmt: skip
    train.add_argument(
        "--backbone",
        type=Path,
        default=None,
        help="local BERT dir (default: $RECBOT_BACKBONE or the packaged MiniLM)",
    )
    train.add_argument("--json", action="store_true", help="print the training report as JSON")
    train.set_defaults(func=_train)

    ev = tree.command("eval tagger", help="entity-level P/R/F1 of the trained tagger on a BIO file")
    ev.add_argument("--bio", type=Path, required=True, help="BIO file in MIT Movie format")
    ev.add_argument(
        "--tagger",
        type=Path,
        default=None,
        help="tagger dir (default: $RECBOT_HOME/artifacts/tagger, else the one `recbot prepare` built)",
    )
    ev.add_argument("--fp32", action="store_true", help="score the fp32 model instead of int8")
    ev.add_argument("--json", action="store_true", help="print one JSON object")
    ev.set_defaults(func=_eval)


def _catalog_titles(path: Path | None, settings: Settings) -> list[str] | None:
    """Display titles of the configured catalog, or None (built-in titles) if none is set."""
    if path is None:
        log.warning(
            "no catalog data set (--catalog-data / RECBOT_DATA): generated queries use built-in titles"
        )
        return None
    from bot.ops.downloads import resolve_movielens
    from recommender.data.loaders import load_dataset

    data_dir = resolve_movielens(path, settings.home / "data")
    return list(load_dataset(data_dir).catalog.titles)


def _train(args: argparse.Namespace) -> int:
    from bot.ops.downloads import resolve_tagger_data
    from recommender.nlp.train import TrainConfig, train_tagger

    settings = load_settings()
    data_dir = resolve_tagger_data(
        args.data or settings.tagger_data, settings.home / "data" / "mit-movie"
    )
    config = TrainConfig(
        epochs=args.epochs, max_steps=args.max_steps, batch_size=args.batch_size, lr=args.lr,
        generated_share=args.generated_share, seed=args.seed, num_threads=args.threads,
    )  # fmt: skip
    report = train_tagger(
        args.out or default_tagger_dir(settings),
        data_dir,
        titles=_catalog_titles(args.catalog_data or settings.data, settings),
        backbone_dir=args.backbone or settings.backbone,
        config=config,
    )
    if args.json:
        print(json.dumps(report.to_json(), default=str))
    else:
        print(
            f"tagger written to {report.out_dir}: dev entity F1 {report.dev_f1:.4f} "
            f"(P {report.dev_precision:.4f}, R {report.dev_recall:.4f}) on {report.n_dev} "
            f"sentences, {report.steps} steps in {report.train_s:.0f} s"
        )
    return 0


def _eval(args: argparse.Namespace) -> int:
    from recommender.evaluation.tagger import evaluate_bio
    from recommender.nlp.tagger import Tagger

    tagger_dir = args.tagger or tagger_to_evaluate(load_settings())
    tagger = Tagger.load(tagger_dir, quantize=not args.fp32)
    result = evaluate_bio(tagger, args.bio)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{result['sentences']} sentences: micro F1 {result['micro_f1']:.4f} "
              f"(P {result['precision']:.4f}, R {result['recall']:.4f})")  # fmt: skip
        for typ, f1 in result["per_type"].items():
            print(f"  {typ:<16} {f1:.4f}")
    sys.stdout.flush()
    return 0
