"""Latency of ``Engine.understand`` and ``Engine.recommend`` alone (no Redis, no dialogue).

Loads the real engine from ``RECBOT_HOME`` (run ``recbot prepare`` first) and replays
the evaluation phrasings for users sampled from the data set (their full rating
histories) plus cold-start users. ``recommend`` is timed with the text similarity
cached (the steady state: phrasings recur) and, separately, the first time a text is
seen (one sentence-encoder pass included).

    .venv/bin/python bench/engine_bench.py [--n 2000] [--users 50] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import numpy as np
import torch


def percentiles(samples_s: list[float]) -> dict[str, float]:
    ms = np.asarray(samples_s) * 1000.0
    return {"p50_ms": round(float(np.percentile(ms, 50)), 3),
            "p99_ms": round(float(np.percentile(ms, 99)), 3),
            "mean_ms": round(float(ms.mean()), 3), "n": int(ms.size)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000, help="recommend calls to time")
    ap.add_argument("--users", type=int, default=50, help="users sampled from the data")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    from bot.config import load_settings
    from bot.ops.artifacts import load_engine
    from recommender.evaluation.phrasings import PHRASINGS

    engine = load_engine(load_settings())
    rng = random.Random(0)
    histories = _histories(engine, args.users, rng) + [{}] * max(1, args.users // 10)
    texts = [p.text for p in PHRASINGS]

    understand, first, cached = [], [], []
    queries = {}
    for text in texts:  # first sight of each text: tagger + parser, then one encoder pass
        t0 = time.perf_counter()
        queries[text] = engine.understand(text)
        understand.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        engine.recommend(queries[text], rng.choice(histories), k=5)
        first.append(time.perf_counter() - t0)
    for _ in range(args.n):
        query = queries[rng.choice(texts)]
        history = rng.choice(histories)
        t0 = time.perf_counter()
        engine.recommend(query, history, k=5)
        cached.append(time.perf_counter() - t0)
    report = {
        "recommend": percentiles(cached),
        "recommend_first_text": percentiles(first),
        "understand": percentiles(understand),
        "history_sizes": {"median": int(np.median([len(h) for h in histories]))},
        "threads": args.threads,
    }
    if args.json:
        print(json.dumps(report))
    else:
        for name, stats in report.items():
            print(f"{name:<22} {stats}")


def _histories(engine, n: int, rng: random.Random) -> list[dict[int, float]]:
    from bot.config import load_settings
    from bot.ops.artifacts import ArtifactStore
    from recommender.data.loaders import load_dataset

    manifest = ArtifactStore(load_settings()).current_manifest()
    ratings = load_dataset(Path(manifest["data"]["dir"])).ratings
    users = sorted(set(ratings.users.tolist()))
    out = []
    for user in rng.sample(users, min(n, len(users))):
        mask = ratings.users == user
        out.append(dict(zip(ratings.items[mask].tolist(), ratings.ratings[mask].tolist(),
                            strict=True)))
    return out


if __name__ == "__main__":
    main()
