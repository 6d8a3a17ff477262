"""Tagger (+ query parser) latency per message and dev F1, fp32 vs dynamic int8.

For each precision: entity micro-F1 on the deterministic dev split of engtrain.bio
(the split ``recbot train tagger`` holds out), then the latency of one message through
``Tagger.tag`` and through ``Tagger.tag`` + ``QueryParser.parse`` (no sentence encoder:
the parser's embedding fallback for unknown genre words is not on the common path),
one message at a time, p50/p99 of wall time and of process CPU time (on a shared,
busy CPU the wall time includes waiting for a core; CPU time is what the message
costs) over ``--messages`` messages (MIT dev sentences,
generated conversational queries and hand-written ones, in a fixed shuffled order).

    .venv/bin/python bench/tagger_bench.py [--tagger DIR] [--threads 2] [--json]

The CPU is shared in development: run it on an idle machine for figures to quote.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402

from bot.config import load_settings  # noqa: E402
from bot.subcommands.tagger import tagger_to_evaluate  # noqa: E402
from recommender.evaluation.tagger import score_sentences  # noqa: E402
from recommender.nlp.bio import read_bio  # noqa: E402
from recommender.nlp.generate import generate_queries  # noqa: E402
from recommender.nlp.tagger import Tagger  # noqa: E402
from recommender.nlp.tagger_data import ENG_TRAIN  # noqa: E402
from recommender.nlp.train import TrainConfig, split_dev  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
HANDWRITTEN = [
    "Any good sci-fi from the 90s?",
    "something like The Matrix but not too violent",
    "the second one",
    "#3",
    "highly rated romcoms after 2010",
    "no horror please, I want a comedy",
    "movies with Tom Hanks directed by Steven Spielberg",
    "classic westerns before 1970",
    "anything but animated",
    "I loved Alien and Blade Runner, what else?",
    "",
    "🎬🍿 something fun tonight!!!",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def messages(dev_texts: list[str], n: int, seed: int = 0) -> list[str]:
    generated = [" ".join(s.tokens) for s in generate_queries(n, seed=seed + 99)]
    pool = dev_texts[:n] + generated + HANDWRITTEN
    random.Random(seed).shuffle(pool)
    return pool[:n]


def time_calls(fn, texts: list[str], warmup: int = 20) -> tuple[list[float], list[float]]:
    """Per-call wall ms and process CPU ms (CPU ms ~ latency on an otherwise idle CPU)."""
    for text in texts[:warmup]:
        fn(text)
    wall, cpu = [], []
    for text in texts:
        c0, t0 = time.process_time(), time.perf_counter()
        fn(text)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return wall, cpu


def stats(prefix: str, wall: list[float], cpu: list[float]) -> dict[str, float]:
    return {
        f"{prefix}_p50_ms": statistics.median(wall),
        f"{prefix}_p99_ms": percentile(wall, 99),
        f"{prefix}_cpu_p50_ms": statistics.median(cpu),
        f"{prefix}_cpu_p99_ms": percentile(cpu, 99),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tagger", type=Path, default=None)
    ap.add_argument("--data", type=Path, default=None, help="dir with engtrain.bio")
    ap.add_argument("--catalog-data", type=Path, default=None, help="catalog for the parser")
    ap.add_argument("--messages", type=int, default=400)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--no-f1", action="store_true", help="skip the dev F1 (latency only)")
    ap.add_argument("--only", choices=("fp32", "int8"), default=None, help="one precision only")
    ap.add_argument("--no-jit", action="store_true", help="eager forward (default: TorchScript)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    torch.set_num_threads(args.threads)

    settings = load_settings()
    tagger_dir = args.tagger or tagger_to_evaluate(settings)
    data_dir = args.data or settings.tagger_data or SHARED / "mit-movie"
    _, dev = split_dev(read_bio(data_dir / ENG_TRAIN), TrainConfig().dev_fraction)
    texts = messages([" ".join(s.tokens) for s in dev], args.messages)

    parser = None
    catalog_dir = args.catalog_data or settings.data or SHARED / "movielens" / "ml-latest-small"
    try:
        from recommender.data.loaders import load_dataset
        from recommender.nlp.parser import QueryParser

        parser = QueryParser(load_dataset(catalog_dir).catalog)
    except Exception as exc:  # noqa: BLE001 - the tagger figures are still worth printing
        logging.warning("no parser timing (%s)", exc)

    results: dict[str, dict[str, float]] = {}
    for name, quantize in (("fp32", False), ("int8", True)):
        if args.only and name != args.only:
            continue
        tagger = Tagger.load(tagger_dir, quantize=quantize, jit=not args.no_jit)
        row: dict[str, float] = {}
        if not args.no_f1:
            t0 = time.perf_counter()
            row["dev_f1"] = float(score_sentences(tagger, dev)["micro_f1"])  # type: ignore[arg-type]
            row["dev_eval_s"] = time.perf_counter() - t0
        row.update(stats("tag", *time_calls(tagger.tag, texts)))
        if parser is not None:
            both = time_calls(lambda t, tg=tagger: parser.parse(t, tg.tag(t)), texts)
            row.update(stats("tag_parse", *both))
        results[name] = row

    summary = {
        "messages": len(texts),
        "dev_sentences": len(dev),
        "threads": args.threads,
        "jit": not args.no_jit,
        **results,
    }
    if args.json:
        print(json.dumps(summary))
        return 0
    forward = "eager" if args.no_jit else "TorchScript"
    print(
        f"{len(texts)} messages, {len(dev)} dev sentences, {args.threads} threads, {forward} forward"
    )
    for name, row in results.items():
        print(
            f"{name}: "
            + ", ".join(f"{k} {v:.4f}" if "f1" in k else f"{k} {v:.2f}" for k, v in row.items())
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
