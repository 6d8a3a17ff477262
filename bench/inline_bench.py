"""Inline-mode answer latency: ``@bot <query>`` typed by N users at once.

Drives ``Dialogue.handle_inline`` with the real engine (``bot.ops.artifacts.load_engine``,
run ``recbot prepare`` first) and the real Redis server, and builds the Telegram inline
results from each answer (``bot.telegram.inline.result_for``), so the figure is what the
bot spends between receiving an inline query and sending its answer. Each user has a few
ratings (so results are personal) and types requests as Telegram delivers them while
one types: growing prefixes ("sci", "sci-fi from", "sci-fi from the 90s") and, now and
then, the empty query (that user's best picks). Two loads:

- ``paced``: each user waits a think time (exponential, mean ``--think-ms``) between
  queries, as typing does;
- ``saturated``: no think time (the ceiling of this process).

Prints per-query latency p50/p90/p99 and throughput. Users get ids from ``--first-user``
on; their keys are deleted at the end.

    .venv/bin/python bench/inline_bench.py --users 20 --seconds 20 \\
        --redis-url redis://127.0.0.1:6379/6 [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dialogue_bench import load_args, loadavg, percentiles, popular_names  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.dialogue.core import Dialogue  # noqa: E402
from bot.dialogue.types import Preferences  # noqa: E402
from bot.ops.artifacts import load_engine  # noqa: E402
from bot.redis_conn import connect  # noqa: E402
from bot.store import RedisStore, user_key  # noqa: E402
from bot.telegram.inline import result_for  # noqa: E402
from tests.e2e.harness import SAMPLE_REQUESTS  # noqa: E402

RATINGS_PER_USER = 8


def typing(request: str) -> list[str]:
    """The queries Telegram sends while ``request`` is typed: a few growing word prefixes."""
    words = request.split()
    cuts = sorted({max(1, len(words) // 3), max(1, 2 * len(words) // 3), len(words)})
    return [" ".join(words[:n]) for n in cuts]


async def user_loop(dialogue: Dialogue, user_id: int, deadline: float, think_s: float,
                    rng: random.Random, latencies: list[float], extra: list[str]) -> None:
    if think_s:
        await asyncio.sleep(rng.uniform(0, think_s))  # users start independently
    while time.perf_counter() < deadline:
        request = rng.choice([*SAMPLE_REQUESTS, *extra])
        for query in ["", *typing(request)] if rng.random() < 0.2 else typing(request):
            start = time.perf_counter()
            reply = await dialogue.handle_inline(user_id, query)
            prefs = reply.prefs or Preferences()
            [result_for(item, prefs, "RecbotBench") for item in reply.items]
            latencies.append(time.perf_counter() - start)
            if think_s:
                await asyncio.sleep(rng.expovariate(1.0 / think_s))
            if time.perf_counter() >= deadline:
                break


async def run_phase(dialogue: Dialogue, users: list[int], seconds: float, think_s: float,
                    seed: int, extra: list[str]) -> dict[str, Any]:
    latencies: list[float] = []
    rng = random.Random(seed)
    start = time.perf_counter()
    deadline = start + seconds
    await asyncio.gather(*[
        user_loop(dialogue, u, deadline, think_s, random.Random(rng.random()), latencies, extra)
        for u in users
    ])
    elapsed = time.perf_counter() - start
    return {"queries": len(latencies), "seconds": round(elapsed, 2),
            "throughput_q_s": round(len(latencies) / elapsed, 1), **percentiles(latencies)}


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    settings = load_settings(REDIS_URL=args.redis_url)
    engine = load_engine(settings)
    redis = connect(settings)
    store = RedisStore(redis, settings.session_ttl_s)
    dialogue = Dialogue(engine, store, settings)
    users = list(range(args.first_user, args.first_user + args.users))
    rng = random.Random(args.seed)
    catalog = engine.catalog
    popular = [int(catalog.item_ids[i]) for i in
               sorted(range(catalog.n_items), key=lambda i: -int(catalog.rating_count[i]))[:500]]
    extra = [f"something like {title}" for title in popular_names(dialogue, 50)["titles"]]
    try:
        for u in users:
            await store.forget(u)
            liked = rng.sample(popular, RATINGS_PER_USER)
            await redis.hset(user_key(u, "ratings"),
                             mapping={i: rng.choice(["5", "4", "1"]) for i in liked})
        await run_phase(dialogue, users[:2], 3.0, 0.0, seed=1, extra=extra)  # warm-up
        results: dict[str, Any] = {"users": args.users,
                                   "loadavg_before": loadavg()}
        for name, think in (("paced", args.think_ms / 1000), ("saturated", 0.0)):
            phase = await run_phase(dialogue, users, args.seconds, think, args.seed, extra)
            phase["think_ms_mean"] = think * 1000
            phase["loadavg_after"] = loadavg()
            results[name] = phase
    finally:
        for u in users:
            await store.forget(u)
        await redis.aclose()
    return results


def main() -> int:
    parser = load_args(__doc__.split("\n\n")[0], first_user=8_000_000,
                       think_help="mean pause between one user's queries in the paced phase")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    import torch

    torch.set_num_threads(1)  # as the bot runs: one core per model pass
    results = asyncio.run(main_async(args))
    if args.json:
        print(json.dumps(results))
        return 0
    print(f"inline answers, {results['users']} users (load average before: "
          f"{results['loadavg_before']})")
    for name in ("paced", "saturated"):
        r = results[name]
        print(f"  {name:9s} think {r['think_ms_mean']:.0f} ms: {r['queries']} queries in "
              f"{r['seconds']} s ({r['throughput_q_s']} q/s)  p50 {r.get('p50_ms')} ms  "
              f"p90 {r.get('p90_ms')} ms  p99 {r.get('p99_ms')} ms  max {r.get('max_ms')} ms  "
              f"(load average after: {r['loadavg_after']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
