"""``recbot eval dialogue``: NDCG of the full pipeline per genre request, constraint
precision, and the NDCG-vs-alpha curve (see ``recommender.evaluation.dialogue``)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def register(tree) -> None:
    parser = tree.command(
        "eval dialogue",
        help="evaluate tagger + parser + ranking on the protocol split: NDCG@10 of the "
        "blend vs CF / semantic alone, constraint precision, NDCG vs alpha",
    )
    parser.add_argument("--train", type=Path, help="train.csv of `recbot data split`")
    parser.add_argument("--test", type=Path, help="test.csv of `recbot data split`")
    parser.add_argument("--data", type=Path, default=None,
                        help="without --train/--test: split this data (default RECBOT_DATA, "
                        "else the data the artifacts were built from) with seed 42")
    parser.add_argument("--max-users", type=int, default=None, help="evaluate a random sample")
    parser.add_argument("--alphas", type=str, default=None,
                        help="comma-separated alphas for the curve (default 0,0.1,...,1)")
    parser.add_argument("--plot", type=Path, default=None,
                        help="also write the NDCG-vs-alpha curve as a PNG (needs the plot extra: matplotlib)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--no-progress", action="store_true", help="hide progress bars")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from bot.config import load_settings
    from bot.ops.artifacts import ArtifactStore, load_engine
    from recommender.cf.registry import make_model
    from recommender.data.loaders import load_dataset, read_ratings_file
    from recommender.data.split import split_ratings
    from recommender.errors import RecbotError
    from recommender.evaluation.dialogue import ALPHAS, evaluate_dialogue

    settings = load_settings()
    if args.plot:
        _pyplot()  # fail now, not after minutes of evaluation
    if bool(args.train) != bool(args.test):
        raise RecbotError("give both --train and --test (or neither, to split --data)")
    engine = load_engine(settings)
    if args.train:
        train, test = read_ratings_file(args.train), read_ratings_file(args.test)
    else:
        data = args.data or settings.data
        if data is None:
            manifest = ArtifactStore(settings).current_manifest()
            if manifest is None:
                raise RecbotError("no data to evaluate on: pass --data (or set RECBOT_DATA), "
                                  "or run `recbot prepare` first")  # fmt: skip
            data = Path(manifest["data"]["dir"])
        train, test = split_ratings(load_dataset(data).ratings, seed=42)
    alphas = ALPHAS if not args.alphas else tuple(float(a) for a in args.alphas.split(","))
    report = evaluate_dialogue(engine, train, test, make_model, alphas=alphas,
                               max_users=args.max_users, progress=not args.no_progress)
    if args.plot:
        _plot(report, args.plot)
    if args.json:
        print(json.dumps(report))
    else:
        print(format_report(report))
    return 0


def format_report(report: dict) -> str:
    """The report as a readable table."""
    key = next(k for k in report if k.startswith("ndcg@"))
    lines = [f"{report['requests']} requests from {report['users']} users "
             f"(genre understood in {report['genre_parsed']:.1%})", f"{key}:"]
    labels = {"blend": f"(a) blend, alpha={report['alpha']}",
              "cf_filter": "(b) CF + hard filter", "semantic_quality": "(c) semantic + quality",
              "cf_no_filter": "(d) CF, no filter"}
    lines += [f"  {labels[name]:<28} {value:.4f}" for name, value in report[key].items()]
    cp = report["constraint_precision"]
    lines.append(f"constraint precision: {cp['precision']:.4f} over {cp['items']} items from "
                 f"{cp['phrasings']} phrasings (parse agreement {cp['parse_agreement']:.1%}, "
                 f"{cp['relaxed_answers']} relaxed answers)")
    lines.append("alpha  " + key)
    lines += [f"{row['alpha']:<6.2f} {row[key]:.4f}" for row in report["alpha_curve"]]
    lines.append(f"best alpha: {report['best_alpha']}")
    return "\n".join(lines)


def _pyplot() -> Any:
    """``matplotlib.pyplot`` (headless), or a ``RecbotError`` saying how to install it."""
    from recommender.errors import RecbotError

    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise RecbotError(
            "--plot needs matplotlib: install the plot extra (.venv/bin/pip install -e '.[plot]')"
        ) from None
    return plt


def _plot(report: dict, path: Path) -> None:
    plt = _pyplot()
    key = next(k for k in report if k.startswith("ndcg@"))
    xs = [r["alpha"] for r in report["alpha_curve"]]
    ys = [r[key] for r in report["alpha_curve"]]
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.plot(xs, ys, marker="o")
    ax.set_xlabel("alpha (weight of semantic match)")
    ax.set_ylabel(key)
    ax.set_title("recbot eval dialogue: blend vs alpha")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
