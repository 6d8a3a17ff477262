"""``recbot eval knowledge``: people, topic and "like <title>" requests scored from the
item metadata (see ``recommender.knowledge.evaluate``)."""

from __future__ import annotations

import argparse
import json


def register(tree) -> None:
    parser = tree.command(
        "eval knowledge",
        help="answer generated people / topic / 'like <title>' requests and score them "
        "from items_meta.csv: people precision, topic precision, like-X genre overlap",
    )
    parser.add_argument("--seed", type=int, default=42, help="seed of the generated requests")
    parser.add_argument("--people", type=int, default=48, help="number of people requests")
    parser.add_argument("--like", type=int, default=32, help="number of 'like <title>' requests")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from bot.config import load_settings
    from bot.ops.artifacts import load_engine
    from recommender.errors import RecbotError
    from recommender.knowledge.evaluate import build_requests, evaluate_knowledge

    engine = load_engine(load_settings())
    if not any(engine.catalog.directors) and not any(engine.catalog.keywords):
        raise RecbotError("this catalog has no item metadata: put items_meta.csv beside the "
                          "ratings (see the README) and run `recbot prepare`")
    requests = build_requests(engine.catalog, engine.people, n_people=args.people,
                              n_like=args.like, seed=args.seed)
    report = evaluate_knowledge(
        engine, requests,
        progress=None if args.no_progress else (lambda r: tqdm(r, desc="requests", unit="req")),
    )  # fmt: skip
    print(json.dumps(report) if args.json else format_report(report))
    return 0


def format_report(report: dict) -> str:
    n = report["requests"]
    lines = [
        f"people precision@{report['k']}: {report['people_precision']}  ({n['people']} requests)",
        f"topic precision@{report['k']}:  {report['topic_precision']}  ({n['topic']} requests)",
        f"like-X genre Jaccard >= 1/3:  {report['like_genre_share']}  ({n['like']} requests)",
        f"empty replies: {report['empty']}",
        "weakest answers:",
    ]
    lines += [f"  [{w['kind']}] {w['text']!r} {w['precision']:.1f}: {'; '.join(w['picks'])}"
              for w in report["worst"]]  # fmt: skip
    return "\n".join(lines)
