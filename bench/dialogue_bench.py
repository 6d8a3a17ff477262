"""One chat message end to end: tagger, parser, Redis reads/writes, ranking.

Drives ``bot.dialogue.core.Dialogue`` with the real engine (``bot.ops.artifacts.load_engine``,
run ``recbot prepare`` first) and the real Redis server, with N concurrent simulated
users, each holding a conversation (requests, refinements, "more", ordinals, 👍/👎
presses between messages). Reports per-message latency p50/p90/p99 and throughput for
two loads:

- ``paced``: every user waits a think time (exponential, mean ``--think-ms``) between
  their messages, as people do;
- ``saturated``: no think time, every user sends the next message as soon as the
  answer arrives (the throughput ceiling of this process).

The templates draw from small word lists, so the engine's per-text caches (the semantic
match of a free text, the embedding of an unknown genre word) hit often. ``--novel``
appends a made-up word to every request ("... about blorvek"), so every message carries
free text never seen before: each pays a sentence-encoder pass (and a parser miss), the
worst case for real, always-new wording.

Time spent in ``engine.understand`` / ``engine.recommend`` is reported separately; the
rest is Redis, the dialogue logic and queueing. Users get ids from ``--first-user`` on
and are deleted (``/forget``) at the end; the Redis database is not flushed.

    .venv/bin/python bench/dialogue_bench.py --users 20 --seconds 20 \
        --redis-url redis://127.0.0.1:6379/6 [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import statistics
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.config import load_settings  # noqa: E402
from bot.dialogue.core import Dialogue  # noqa: E402
from bot.ops.artifacts import load_engine  # noqa: E402
from bot.redis_conn import connect  # noqa: E402
from bot.store import RedisStore  # noqa: E402

log = logging.getLogger("dialogue_bench")

# A conversation: requests, refinements, paging, ordinals. Slots are filled at random
# so that messages vary like real ones (the engine caches encodings of repeated text).
CONVERSATION = [
    "{genre} movies from the {decade}s",
    "more",
    "no {genre2}",
    "like the second one",
    "also {genre2}",
    "newer",
    "something like {title}",
    "highly rated {genre} films",
    "older",
    "#3",
    "a {mood} {genre} movie",
    "reset",
    "{mood} {genre} from the {decade}s but no {genre2}",
    "movies with {actor}",
    "more like #2",
    "a {actor} {genre} movie",
    "directed by {director}",
    "I loved {title}, give me more like it",
    "a movie about {topic}",
    "a {director} film from the {decade}s",
    # Long multi-sentence messages as people write them: small talk, a title with its
    # year and a feeling, a question, a time expression in another direction.
    "Hi! I watched {title} last week and I really liked it. Do you have any {genre} "
    "movies like that, nothing older than {year}?",
    "Thanks, I have seen the first one already. Is the second one any good? I'm in the "
    "mood for something {mood}, maybe a {genre2} from the last 10 years.",
    "Awesome, I'll try it. What else would you recommend?",
]
GENRES = ["comedy", "drama", "sci-fi", "horror", "romance", "thriller", "action", "western",
          "animated", "documentary", "crime", "fantasy", "musical", "war", "mystery"]
MOODS = ["funny", "dark", "feel-good", "scary", "thoughtful", "cheesy", "epic", "quiet"]
TOPICS = ["time travel", "a shark", "a prison escape", "a heist in space", "vampires",
          "artificial intelligence", "a road trip", "the mafia", "dragons", "boxing"]


SYLLABLES = ["bl", "or", "vek", "ta", "min", "qu", "ash", "el", "dro", "fen", "ix", "um", "zar"]


def message(template: str, rng: random.Random, names: dict[str, list[str]],
            novel: bool = False) -> str:
    text = template.format(
        genre=rng.choice(GENRES), genre2=rng.choice(GENRES), decade=rng.choice(range(1950, 2020, 10)),
        title=rng.choice(names["titles"]), mood=rng.choice(MOODS), topic=rng.choice(TOPICS),
        actor=rng.choice(names["actors"]), director=rng.choice(names["directors"]),
        year=rng.choice(range(1980, 2015)),
    )
    # Templates without slots are commands or refer to the last list ("more", "#3"): a
    # made-up word would change what they mean.
    if novel and "{" in template:
        text += " about " + "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
    return text


class Timer:
    """Thread-safe accumulation of call durations of a wrapped function."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self._lock = threading.Lock()

    def wrap(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                with self._lock:
                    self.samples.append(time.perf_counter() - start)

        return timed


def percentiles(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {}
    ms = sorted(s * 1000 for s in samples)
    q = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else [ms[0]] * 99
    return {"p50_ms": round(q[49], 2), "p90_ms": round(q[89], 2), "p99_ms": round(q[98], 2),
            "mean_ms": round(statistics.fmean(ms), 2), "max_ms": round(ms[-1], 2)}


async def user_loop(dialogue: Dialogue, user_id: int, deadline: float, think_s: float,
                    rng: random.Random, latencies: list[float], novel: bool = False) -> None:
    step = rng.randrange(len(CONVERSATION))
    names = popular_names(dialogue)
    if think_s:
        # Users arrive independently: without this, all of them send their first message
        # in the same instant, a burst real chats never produce.
        await asyncio.sleep(rng.uniform(0, think_s))
    while time.perf_counter() < deadline:
        text = message(CONVERSATION[step % len(CONVERSATION)], rng, names, novel)
        step += 1
        start = time.perf_counter()
        reply = await dialogue.handle_text(user_id, text)
        latencies.append(time.perf_counter() - start)
        if reply.items and rng.random() < 0.5:
            item = rng.choice(reply.items)
            await dialogue.handle_action(user_id, item.like if rng.random() < 0.6 else item.dislike)
        if think_s:
            await asyncio.sleep(rng.expovariate(1.0 / think_s))


def popular_names(dialogue: Dialogue, n: int = 300) -> dict[str, list[str]]:
    """Titles, actors and directors of the ``n`` most-rated films (what people ask for)."""
    catalog = dialogue.engine.catalog
    order = sorted(range(catalog.n_items), key=lambda i: -int(catalog.rating_count[i]))[:n]
    actors = sorted({p for i in order for p in catalog.cast[i][:2]}) or ["Tom Hanks"]
    directors = sorted({p for i in order for p in catalog.directors[i]}) or ["Ridley Scott"]
    # Titles as people write them: "Title (Year)".
    return {"titles": [catalog.label(i) for i in order], "actors": actors, "directors": directors}


async def run_phase(dialogue: Dialogue, users: list[int], seconds: float, think_s: float,
                    seed: int, novel: bool = False) -> dict[str, Any]:
    latencies: list[float] = []
    rng = random.Random(seed)
    start = time.perf_counter()
    deadline = start + seconds
    await asyncio.gather(*[
        user_loop(dialogue, u, deadline, think_s, random.Random(rng.random()), latencies, novel)
        for u in users
    ])
    elapsed = time.perf_counter() - start
    return {"messages": len(latencies), "seconds": round(elapsed, 2),
            "throughput_msg_s": round(len(latencies) / elapsed, 1), **percentiles(latencies)}


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    overrides: dict[str, Any] = {"REDIS_URL": args.redis_url, "RECBOT_RATE_LIMIT": 1_000_000}
    settings = load_settings(**overrides)
    t0 = time.perf_counter()
    engine = load_engine(settings)
    load_s = time.perf_counter() - t0
    understand, recommend = Timer(), Timer()
    engine.understand = understand.wrap(engine.understand)
    engine.recommend = recommend.wrap(engine.recommend)
    redis = connect(settings)
    store = RedisStore(redis, settings.session_ttl_s)
    executor = ThreadPoolExecutor(args.model_workers) if args.model_workers else None
    dialogue = Dialogue(engine, store, settings, executor=executor)
    users = list(range(args.first_user, args.first_user + args.users))
    try:
        # Warm-up: first calls pay for lazy initialisation (kernels, caches, connections).
        await run_phase(dialogue, users[:2], 3.0, 0.0, seed=1)
        understand.samples.clear()
        recommend.samples.clear()
        results: dict[str, Any] = {"users": args.users, "novel": args.novel,
                                   "engine_load_s": round(load_s, 1),
                                   "loadavg_before": loadavg()}
        for name, think in (("paced", args.think_ms / 1000), ("saturated", 0.0)):
            phase = await run_phase(dialogue, users, args.seconds, think, seed=args.seed,
                                    novel=args.novel)
            phase["think_ms_mean"] = think * 1000
            phase["understand"] = percentiles(understand.samples)
            phase["recommend"] = percentiles(recommend.samples)
            understand.samples.clear()
            recommend.samples.clear()
            phase["loadavg_after"] = loadavg()
            results[name] = phase
            for u in users:
                await store.forget(u)
    finally:
        for u in users:
            await store.forget(u)
        await redis.aclose()
    return results


def load_args(description: str, *, first_user: int, think_help: str) -> argparse.ArgumentParser:
    """The options every paced/saturated load bench takes (users, phase length, think
    time, Redis, user ids, seed, --json); a bench adds its own to the parser returned."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0, help="duration of each phase")
    parser.add_argument("--think-ms", type=float, default=1000.0, help=think_help)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/6")
    parser.add_argument("--first-user", type=int, default=first_user)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def loadavg() -> list[float]:
    """The 1/5/15-minute load averages, rounded: printed beside every figure."""
    return [round(x, 1) for x in os.getloadavg()]


def main() -> int:
    parser = load_args(__doc__.split("\n\n")[0], first_user=9_000_000,
                       think_help="mean think time between a user's messages in the paced phase")
    parser.add_argument("--model-workers", type=int, default=0,
                        help="model threads (default 0: the dialogue's own executor)")
    parser.add_argument("--torch-threads", type=int, default=1,
                        help="torch intra-op threads per forward pass (default 1, see README)")
    parser.add_argument("--novel", action="store_true",
                        help="a made-up word in every request: no text is ever seen twice")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    try:
        import torch

        torch.set_num_threads(args.torch_threads)
    except ImportError:  # pragma: no cover
        pass
    results = asyncio.run(main_async(args))
    if args.json:
        print(json.dumps(results))
        return 0
    print(f"dialogue bench: {args.users} concurrent users{' (novel text)' if args.novel else ''}, "
          f"real Redis at {args.redis_url}, "
          f"{os.cpu_count()} CPUs, load average before {results['loadavg_before']}")
    for name in ("paced", "saturated"):
        r = results[name]
        print(f"  {name:9s} think {r['think_ms_mean']:.0f} ms: {r['messages']} messages in "
              f"{r['seconds']} s = {r['throughput_msg_s']} msg/s; latency p50 {r['p50_ms']} ms, "
              f"p90 {r['p90_ms']} ms, p99 {r['p99_ms']} ms (load after {r['loadavg_after']})")
        print(f"            in engine.understand p50 {r['understand'].get('p50_ms')} ms, "
              f"engine.recommend p50 {r['recommend'].get('p50_ms')} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
