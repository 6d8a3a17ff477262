"""Throughput and reply latency of the Telegram bot through the Bot API emulator.

Starts the patched telegram-test-api emulator (tests/e2e/emulator.js) and `recbot serve`
in polling mode against it (a separate process, as deployed), then plays N concurrent
chats. Each chat sends its turns one after another and waits for the bot's reply before
the next: a request, "more", the More button, a refinement, ... Every turn is one update
answered by one new message. Prints updates per second (all chats together) and reply
latency percentiles (send -> reply visible in the emulator).

Needs: artifacts under RECBOT_HOME (`recbot prepare`), a Redis server (REDIS_URL, default
redis://127.0.0.1:6379/6, whose bench users' keys are deleted first), node and
tests/e2e/node_modules (`make e2e-deps`).

    .venv/bin/python bench/telegram_bench.py --chats 30 --turns 6
    .venv/bin/python bench/telegram_bench.py --chats 30 --turns 6 --webhook
    .venv/bin/python bench/telegram_bench.py --chats 20 --turns 20 --think-ms 1000

``--webhook`` runs the bot in webhook mode instead: the emulator posts every update to
the bot's /telegram, which appends it to the durable intake stream (bot.intake) before
answering 200; the bot's consumer reads it back from Redis and answers. So the figures
include the stream in the path, as deployed with replicas.

With ``--think-ms`` each chat waits a think time (exponential, that mean; the first one
uniform, so chats start independently) before each turn, as people do; without it, every
chat sends its next turn as soon as the reply arrives and the figures are the ceiling.

Both sides poll (the emulator has no long polling): the bot every --bot-poll seconds,
the simulated clients every --client-poll seconds, so latencies include up to one
interval of each. Outgoing messages go through AIORateLimiter (30 messages/s per bot,
Telegram's limit), as in production; the per-user message limit of the dialogue layer is
lifted (RECBOT_RATE_LIMIT) so it does not refuse the bench's fast chats. With
``--no-send-limit`` the AIORateLimiter is lifted too (RECBOT_SEND_RATE_LIMIT=false): what
the bot itself can answer, the emulator having no such limit.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.harness import SAMPLE_REQUESTS as REQUESTS  # noqa: E402
from tests.e2e.harness import BotMessage, ChatUser, Emulator, nearest_rank  # noqa: E402

TOKEN = "4242:bench-token"
FIRST_USER = 700_000


async def _turn(user: ChatUser, step: int, chat: int, last: BotMessage | None) -> BotMessage:
    """Send this chat's ``step``-th turn and wait for the bot's new message."""
    kind = step % 3
    if kind == 0 or last is None:
        await user.say(REQUESTS[(chat + step) % len(REQUESTS)])
    elif kind == 1:
        await user.say("more")
    else:
        more = [b for b in last.buttons() if b["text"] == "More"]
        if more:
            await user.press(last, more[0])
        else:
            await user.command("/more")
    return await user.reply(timeout=120)


async def _chat(
    http: httpx.AsyncClient,
    chat: int,
    turns: int,
    latencies: list[float],
    poll: float,
    think_s: float = 0.0,
) -> int:
    user = ChatUser(http, TOKEN, user_id=FIRST_USER + chat)
    user.poll_interval = poll
    rng = random.Random(chat)
    last: BotMessage | None = None
    errors = 0
    for step in range(turns):
        if think_s:
            await asyncio.sleep(
                rng.uniform(0, think_s) if step == 0 else rng.expovariate(1 / think_s)
            )
        start = time.perf_counter()
        last = await _turn(user, step, chat, last)
        latencies.append(time.perf_counter() - start)
        if "went wrong" in last.text or "try again" in last.text.lower():
            errors += 1
    return errors


async def _warm_up(http: httpx.AsyncClient) -> None:
    user = ChatUser(http, TOKEN, user_id=FIRST_USER - 1)
    await user.command("/start")
    await user.reply(timeout=300)
    await user.say(REQUESTS[0])
    await user.reply(timeout=300)


async def _run(emulator: Emulator, args: argparse.Namespace) -> dict[str, float]:
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=args.chats * 2, max_keepalive_connections=args.chats * 2)
    async with httpx.AsyncClient(base_url=emulator.url, timeout=30, limits=limits) as http:
        await _warm_up(http)
        start = time.perf_counter()
        errors = await asyncio.gather(
            *(
                _chat(http, c, args.turns, latencies, args.client_poll, args.think_ms / 1000)
                for c in range(args.chats)
            )
        )
        wall = time.perf_counter() - start
    return {
        "chats": args.chats,
        "think_ms": args.think_ms,
        "updates": len(latencies),
        "wall_s": round(wall, 2),
        "updates_per_s": round(len(latencies) / wall, 2),
        "latency_p50_ms": round(1000 * statistics.median(latencies), 1),
        "latency_p90_ms": round(1000 * nearest_rank(latencies, 90), 1),
        "latency_p99_ms": round(1000 * nearest_rank(latencies, 99), 1),
        "latency_max_ms": round(1000 * max(latencies), 1),
        "error_replies": sum(errors),
    }


def _wait_healthy(url: str, bot: subprocess.Popen, timeout_s: float = 300.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if bot.poll() is not None:
            raise SystemExit(f"the bot exited with {bot.returncode}; see bench/out/telegram_bench_bot.log")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the bot was not healthy at {url} within {timeout_s:g} s")


def _clear_users(redis_url: str, users: range) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        # The emulator numbers updates from 1 on every start: forget the bench bot's
        # intake (dedupe markers included) from an earlier run.
        bot = TOKEN.split(":")[0]
        stale = list(client.scan_iter(match=f"recbot:{{intake:{bot}*"))
        if stale:
            client.delete(*stale)
        for user_id in users:
            keys = list(client.scan_iter(match=f"recbot:{{u:{user_id}}}:*"))
            if keys:
                client.delete(*keys)
    finally:
        client.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=30, help="concurrent chats (default 30)")
    parser.add_argument("--turns", type=int, default=6, help="turns per chat (default 6)")
    parser.add_argument("--bot-poll", type=float, default=0.02, help="bot getUpdates interval, s")
    parser.add_argument("--client-poll", type=float, default=0.02, help="client poll interval, s")
    parser.add_argument(
        "--think-ms",
        type=float,
        default=0.0,
        help="mean think time before each turn (default 0: saturate)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object only")
    parser.add_argument(
        "--webhook", action="store_true", help="webhook mode: updates go through the Redis intake stream"
    )
    parser.add_argument(
        "--no-send-limit", action="store_true",
        help="lift AIORateLimiter (RECBOT_SEND_RATE_LIMIT=false): the bot's own capacity, "
             "not Telegram's 30 messages/s",
    )
    args = parser.parse_args()

    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/6"
    _clear_users(redis_url, range(FIRST_USER - 1, FIRST_USER + args.chats))
    emulator = Emulator()
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": emulator.base_url,
        "REDIS_URL": redis_url,
        "WEBHOOK_URL": "",
        "RECBOT_RATE_LIMIT": "1000000",
    }
    if args.no_send_limit:
        env["RECBOT_SEND_RATE_LIMIT"] = "false"
    if args.webhook:
        from tests.redis_server import free_port

        port = free_port()
        env |= {"WEBHOOK_URL": f"http://127.0.0.1:{port}", "WEBHOOK_SECRET": "bench-webhook-secret",
                "RECBOT_WEBHOOK_LISTEN": "127.0.0.1", "RECBOT_WEBHOOK_PORT": str(port)}
    log_path = ROOT / "bench" / "out" / "telegram_bench_bot.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log:
        bot = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bot.cli",
                "serve",
                "--poll-interval",
                str(args.bot_poll),
                "--poll-timeout",
                "0",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            if args.webhook:
                # Updates sent before the webhook is registered stay queued in the emulator.
                _wait_healthy(env["WEBHOOK_URL"] + "/healthz", bot)
            figures = asyncio.run(_run(emulator, args))
        finally:
            bot.terminate()
            try:
                bot.wait(30)
            except subprocess.TimeoutExpired:
                bot.kill()
            emulator.stop()
            _clear_users(redis_url, range(FIRST_USER - 1, FIRST_USER + args.chats))
    figures["cpus"] = os.cpu_count() or 0
    figures["mode"] = "webhook (intake stream)" if args.webhook else "polling"
    figures["send_limit"] = not args.no_send_limit
    if args.json:
        print(json.dumps(figures))
    else:
        print(
            f"telegram bench: {figures['chats']} concurrent chats, {figures['updates']} updates "
            f"in {figures['wall_s']} s through the emulator, {figures['mode']}"
            f"{'' if figures['send_limit'] else ', no send limit'} ({figures['cpus']} CPUs)"
        )
        print(f"  updates/s      {figures['updates_per_s']}")
        print(
            f"  reply latency  p50 {figures['latency_p50_ms']} ms   p90 "
            f"{figures['latency_p90_ms']} ms   p99 {figures['latency_p99_ms']} ms   "
            f"max {figures['latency_max_ms']} ms"
        )
        print(f"  error replies  {figures['error_replies']}   (bot log: {log_path})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
