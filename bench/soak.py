"""Soak test: many concurrent chats for minutes, Redis restarted under them.

Starts its own redis-server (loopback, free port, AOF ``appendfsync everysec`` as in
deploy/compose.yaml), the patched Bot API emulator (tests/e2e/emulator.js) and
``recbot serve`` in polling mode as a separate process, as deployed. Then ``--chats``
simulated users talk to the bot for ``--minutes``: a request, 👍 on one listed movie,
👎 on another, "more", ... each waiting for the bot's answer, with ``--think-s`` between
turns. Redis is killed (SIGKILL) and restarted ``--restarts`` times, evenly spread,
staying down ``--down-s`` seconds each time. With ``--retrain``, ``recbot retrain`` runs
mid-way in its own process and the bot must hot-reload the new CF model with no error.

A rating counts as *acknowledged* when the bot edits the keyboard of the list with a ✅
on the pressed button - what the user sees. The soak watches those edits on their way
to Telegram through a small loopback relay between the bot and the emulator (the
emulator offers no cheap way to read one edited message). At the end every
acknowledged rating is looked up in Redis.

Prints: turns, lost ratings (acknowledged but not in Redis; goal 0), unhandled errors
(error replies, turns the bot never answered, ERROR lines in the bot log; goal 0),
polite "try again" replies during the outages, and reply latency percentiles.

Needs: models under RECBOT_HOME (``recbot prepare``), ``redis-server``, node and
tests/e2e/node_modules (``make e2e-deps``). Everything listens on 127.0.0.1 only; every
loop is bounded by the deadline and per-turn timeouts.

    .venv/bin/python bench/soak.py                  # 10 minutes, 30 chats, 2 restarts
    .venv/bin/python bench/soak.py --minutes 2 --json
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.harness import SAMPLE_REQUESTS as REQUESTS  # noqa: E402
from tests.e2e.harness import BotMessage, ChatUser, Emulator, nearest_rank  # noqa: E402
from tests.redis_server import RedisProcess, free_port  # noqa: E402

TOKEN = "5151:soak-token"
FIRST_USER = 800_000
LIKE_STARS, DISLIKE_STARS = 5.0, 1.0
REPLY_TIMEOUT_S = 60.0
ACK_TIMEOUT_S = 15.0


# ------------------------------------------------------------------------ relay


class Relay:
    """Loopback relay bot -> emulator that records keyboard edits per (chat, message).

    ``edits[(chat_id, message_id)]`` is the latest inline keyboard the bot sent for that
    message; ``changed`` is notified on every edit.
    """

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.port = free_port()
        self.edits: dict[tuple[int, int], list[list[dict[str, Any]]]] = {}
        self.changed = asyncio.Condition()
        self._server: Any = None
        self._task: asyncio.Task[None] | None = None
        self._http: httpx.AsyncClient | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def _app(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode(): v.decode() for k, v in scope["headers"]
                   if k.decode().lower() not in {"host", "content-length"}}
        assert self._http is not None
        response = await self._http.request(scope["method"], self.upstream + scope["path"],
                                            content=body, headers=headers)
        if scope["path"].endswith(("/editMessageReplyMarkup", "/editMessageText")):
            await self._record(body, headers.get("content-type", ""))
        await send({"type": "http.response.start", "status": response.status_code,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": response.content})

    async def _record(self, body: bytes, content_type: str) -> None:
        if "json" in content_type:
            fields = json.loads(body or b"{}")
        else:
            fields = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        markup = fields.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        try:
            key = (int(fields["chat_id"]), int(fields["message_id"]))
        except (KeyError, ValueError):
            return
        self.edits[key] = (markup or {}).get("inline_keyboard", [])
        async with self.changed:
            self.changed.notify_all()

    async def wait_for_mark(self, chat_id: int, message_id: int, data: str, timeout: float) -> bool:
        """True once the bot edited that message with a ✅ on the button ``data``."""

        def marked() -> bool:
            rows = self.edits.get((chat_id, message_id), [])
            return any(b.get("callback_data") == data and "✅" in b.get("text", "")
                       for row in rows for b in row)

        with contextlib.suppress(TimeoutError):
            async with self.changed:
                await asyncio.wait_for(self.changed.wait_for(marked), timeout)
        return marked()

    async def start(self) -> None:
        import uvicorn

        # Keep-alive races would show up as the bot's network errors, not the bot's own:
        # the relay keeps the bot's connections open far longer than the bot idles, and
        # drops its own idle upstream connections before the emulator (5 s) does.
        limits = httpx.Limits(max_connections=200, keepalive_expiry=1.0)
        self._http = httpx.AsyncClient(timeout=60, limits=limits)
        config = uvicorn.Config(self._app, host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="off", access_log=False, interface="asgi3",
                                timeout_keep_alive=600)
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve())
        for _ in range(200):
            if self._server.started:
                return
            await asyncio.sleep(0.05)
        raise RuntimeError("the relay did not start")

    async def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._task is not None:
            await asyncio.wait_for(self._task, 10)
        if self._http is not None:
            await self._http.aclose()


# ------------------------------------------------------------------------ chats


@dataclass
class Figures:
    text_latency: list[float] = field(default_factory=list)
    press_latency: list[float] = field(default_factory=list)
    samples: list[tuple[float, float]] = field(default_factory=list)  # (monotonic start, s)
    acknowledged: dict[int, dict[int, float]] = field(default_factory=dict)
    presses: int = 0
    unacknowledged_presses: int = 0
    outage_replies: int = 0
    error_replies: int = 0
    unanswered: int = 0
    turns: int = 0
    outages: list[tuple[float, float]] = field(default_factory=list)
    outage_windows: list[tuple[float, float]] = field(default_factory=list)  # monotonic
    retrain: dict[str, Any] | None = None
    reloads: int = 0
    reload_failures: int = 0


def _item_rows(message: BotMessage) -> list[tuple[dict[str, str], dict[str, str]]]:
    """(👍 button, 👎 button) per listed item of a bot message."""
    rows = []
    for row in message.keyboard:
        if len(row) == 2 and row[0].get("callback_data", "").startswith("l|"):
            rows.append((row[0], row[1]))
    return rows


async def _send(user: ChatUser, text: str, figures: Figures) -> BotMessage | None:
    started = time.perf_counter()
    await user.say(text)
    try:
        reply = await user.reply(timeout=REPLY_TIMEOUT_S)
    except AssertionError:
        figures.unanswered += 1
        return None
    figures.text_latency.append(time.perf_counter() - started)
    figures.samples.append((time.monotonic() - figures.text_latency[-1], figures.text_latency[-1]))
    lowered = reply.text.lower()
    if "try again in a moment" in lowered:
        figures.outage_replies += 1
    elif "went wrong" in lowered:
        figures.error_replies += 1
    return reply


async def _press(user: ChatUser, relay: Relay, listing: BotMessage, like: bool,
                 pressed: set[int], figures: Figures) -> None:
    rows = [r for r in _item_rows(listing) if int(r[0]["callback_data"][2:]) not in pressed]
    if not rows:
        return
    button = random.choice(rows)[0 if like else 1]
    item_id = int(button["callback_data"][2:])
    pressed.add(item_id)  # never pressed twice: the last acknowledgement is unambiguous
    figures.presses += 1
    started = time.perf_counter()
    await user.press(listing, button)
    if await relay.wait_for_mark(user.user_id, listing.message_id, button["callback_data"],
                                 ACK_TIMEOUT_S):
        figures.press_latency.append(time.perf_counter() - started)
        figures.samples.append((time.monotonic() - figures.press_latency[-1],
                                figures.press_latency[-1]))
        stars = LIKE_STARS if like else DISLIKE_STARS
        figures.acknowledged.setdefault(user.user_id, {})[item_id] = stars
    else:
        figures.unacknowledged_presses += 1  # e.g. pressed while Redis was down


async def _chat(http: httpx.AsyncClient, relay: Relay, n: int, deadline: float,
                think_s: float, figures: Figures) -> None:
    user = ChatUser(http, TOKEN, user_id=FIRST_USER + n)
    user.poll_interval = 0.1
    rng = random.Random(n)
    listing: BotMessage | None = None
    pressed: set[int] = set()
    step = 0
    while time.monotonic() < deadline:
        kind = step % 4
        if listing is None or kind == 0:
            reply = await _send(user, rng.choice(REQUESTS), figures)
            listing = reply if reply is not None and _item_rows(reply) else listing
        elif kind in (1, 2):
            await _press(user, relay, listing, like=kind == 1, pressed=pressed, figures=figures)
        else:
            reply = await _send(user, "more", figures)
            listing = reply if reply is not None and _item_rows(reply) else listing
        figures.turns += 1
        step += 1
        await asyncio.sleep(think_s * (0.5 + rng.random()))


async def _restarts(redis_proc: RedisProcess, start: float, seconds: float, count: int,
                    down_s: float, figures: Figures) -> None:
    for k in range(1, count + 1):
        at = start + seconds * k / (count + 1)
        await asyncio.sleep(max(0.0, at - time.monotonic()))
        began = time.monotonic()
        redis_proc.crash()
        await asyncio.sleep(down_s)
        await asyncio.to_thread(redis_proc.start)  # replays the AOF before answering
        figures.outages.append((began - start, time.monotonic() - start))
        figures.outage_windows.append((began, time.monotonic()))
        print(f"  redis restarted ({k}/{count}) at {began - start:.0f} s", file=sys.stderr)


async def _retrain(start: float, seconds: float, env: dict[str, str], figures: Figures) -> None:
    """Mid-run: `recbot retrain` in its own process; the bot must hot-reload, not stop."""
    await asyncio.sleep(max(0.0, start + seconds / 2 - 5 - time.monotonic()))
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "retrain", "--json", "--no-progress", cwd=ROOT,
        env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out, _ = await proc.communicate()
    figures.retrain = json.loads(out.decode().strip().splitlines()[-1]) if proc.returncode == 0 \
        else {"failed": proc.returncode}
    print(f"  retrain: {figures.retrain}", file=sys.stderr)


async def _soak(emulator: Emulator, relay: Relay, redis_proc: RedisProcess,
                args: argparse.Namespace, bot: subprocess.Popen[bytes],
                env: dict[str, str]) -> Figures:
    figures = Figures()
    limits = httpx.Limits(max_connections=args.chats * 2 + 4)
    async with httpx.AsyncClient(base_url=emulator.url, timeout=30, limits=limits) as http:
        warm = ChatUser(http, TOKEN, user_id=FIRST_USER - 1)
        await warm.command("/start")
        for _ in range(120):  # the bot loads its models first (bounded: 10 minutes)
            if bot.poll() is not None:
                raise SystemExit("recbot serve exited during start-up; see bench/out/soak_bot.log")
            with contextlib.suppress(AssertionError):
                await warm.reply(timeout=5)
                break
        start = time.monotonic()
        seconds = args.minutes * 60
        deadline = start + seconds
        extra = [_retrain(start, seconds, env, figures)] if args.retrain else []
        await asyncio.gather(
            *extra,
            _restarts(redis_proc, start, seconds, args.restarts, args.down_s, figures),
            *(_chat(http, relay, n, deadline, args.think_s, figures) for n in range(args.chats)),
        )
    return figures


def _lost_ratings(redis_url: str, acknowledged: dict[int, dict[int, float]]) -> int:
    import redis

    client = redis.Redis.from_url(redis_url)
    lost = 0
    try:
        for user_id, ratings in acknowledged.items():
            stored = client.hgetall(f"recbot:{{u:{user_id}}}:ratings")
            stored_f = {int(k): float(v) for k, v in stored.items()}
            lost += sum(1 for item, stars in ratings.items() if stored_f.get(item) != stars)
    finally:
        client.close()
    return lost


def _log_errors(log_path: Path) -> int:
    """ERROR lines and tracebacks, except the hot reloader's (reported on their own)."""
    lines = log_path.read_text(errors="replace").splitlines()
    errors = 0
    for n, line in enumerate(lines):
        after_reload = n > 0 and " bot.ops.reload:" in lines[n - 1]
        if (" ERROR " in line and " bot.ops.reload:" not in line) or (
            line.startswith("Traceback") and not after_reload
        ):
            errors += 1
    return errors


def _reloads(log_path: Path) -> tuple[int, int]:
    """(CF models swapped in, reload attempts refused or failed) by the running bot."""
    text = log_path.read_text(errors="replace")
    return text.count("CF model reloaded"), text.count("new CF model not loaded") + text.count(
        "could not be loaded; keeping the current one")


def _report(figures: Figures, lost: int, log_errors: int, args: argparse.Namespace,
            wall_s: float) -> dict[str, Any]:
    latencies = figures.text_latency + figures.press_latency
    # Turns that overlap no Redis outage: the latency users see on a normal day.
    steady = [lat for t0, lat in figures.samples
              if not any(t0 < end and t0 + lat > begin for begin, end in figures.outage_windows)]

    def ms(values: list[float], q: float) -> float:
        return round(1000 * nearest_rank(values, q), 1) if values else float("nan")

    return {
        "minutes": args.minutes, "chats": args.chats, "redis_restarts": len(figures.outages),
        "redis_down_s": args.down_s, "wall_s": round(wall_s, 1), "turns": figures.turns,
        "messages": len(figures.text_latency) + figures.unanswered,
        "presses": figures.presses,
        "acknowledged_ratings": sum(len(r) for r in figures.acknowledged.values()),
        "lost_ratings": lost,
        "unhandled_errors": figures.error_replies + figures.unanswered + log_errors,
        "error_replies": figures.error_replies, "unanswered_messages": figures.unanswered,
        "bot_log_errors": log_errors,
        "try_again_replies": figures.outage_replies,
        "unacknowledged_presses": figures.unacknowledged_presses,
        "latency_p50_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "latency_p90_ms": ms(latencies, 90), "latency_p99_ms": ms(latencies, 99),
        "latency_max_ms": round(1000 * max(latencies), 1) if latencies else None,
        "steady_p99_ms": ms(steady, 99), "steady_p50_ms": ms(steady, 50),
        "message_p99_ms": ms(figures.text_latency, 99),
        "press_p99_ms": ms(figures.press_latency, 99),
        "outages_s": [[round(a, 1), round(b, 1)] for a, b in figures.outages],
        "retrain": figures.retrain, "cf_reloads": figures.reloads,
        "cf_reload_failures": figures.reload_failures,
        "cpus": os.cpu_count() or 0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="duration (default 10)")
    parser.add_argument("--chats", type=int, default=30, help="concurrent chats (default 30)")
    parser.add_argument("--restarts", type=int, default=2, help="Redis restarts (default 2)")
    parser.add_argument("--down-s", type=float, default=3.0, help="Redis downtime per restart")
    parser.add_argument("--think-s", type=float, default=1.0,
                        help="mean pause between a chat's turns, s (Telegram allows ~1 msg/s per chat)")
    parser.add_argument("--retrain", action="store_true",
                        help="run `recbot retrain` mid-run: the bot must hot-reload without errors")
    parser.add_argument("--json", action="store_true", help="print one JSON object only")
    args = parser.parse_args()
    if not 0 < args.minutes <= 120 or not 1 <= args.chats <= 500:
        parser.error("--minutes must be in (0, 120] and --chats in [1, 500]")

    from bot.config import load_settings

    manifest = load_settings().artifacts_dir / "manifest.json"
    if not manifest.is_file():
        parser.error(f"no models at {manifest.parent}: run `recbot prepare` (same RECBOT_HOME) first")
    log_path = ROOT / "bench" / "out" / "soak_bot.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="recbot-soak-") as tmp:
        redis_proc = RedisProcess(Path(tmp) / "redis")
        redis_proc.start()
        emulator = Emulator()
        try:
            started = time.monotonic()
            figures, lost, log_errors = asyncio.run(_run(emulator, redis_proc, args, log_path))
            wall_s = time.monotonic() - started
        finally:
            _stop_bot()
            emulator.stop()
            redis_proc.crash()
    report = _report(figures, lost, log_errors, args, wall_s)
    if args.json:
        print(json.dumps(report))
    else:
        print(f"soak: {report['chats']} chats for {report['minutes']} min, Redis killed and "
              f"restarted {report['redis_restarts']}x ({args.down_s:g} s down each), "
              f"{report['cpus']} CPUs")
        print(f"  turns {report['turns']}  messages {report['messages']}  presses "
              f"{report['presses']}  acknowledged ratings {report['acknowledged_ratings']}")
        print(f"  lost ratings       {report['lost_ratings']}   (goal 0)")
        print(f"  unhandled errors   {report['unhandled_errors']}   (goal 0: error replies "
              f"{report['error_replies']}, unanswered {report['unanswered_messages']}, "
              f"bot log errors {report['bot_log_errors']})")
        print(f"  'try again' replies during outages {report['try_again_replies']}, "
              f"unacknowledged presses {report['unacknowledged_presses']}")
        print(f"  latency  p50 {report['latency_p50_ms']} ms  p90 {report['latency_p90_ms']} ms  "
              f"p99 {report['latency_p99_ms']} ms  max {report['latency_max_ms']} ms")
        print(f"  latency of turns overlapping no outage  p50 {report['steady_p50_ms']} ms  "
              f"p99 {report['steady_p99_ms']} ms")
        if args.retrain:
            print(f"  retrain mid-run: {report['retrain']}; CF hot reloads in the bot: "
                  f"{report['cf_reloads']} (refused or failed: {report['cf_reload_failures']})")
        print(f"  bot log: {log_path}")
    return 0 if report["lost_ratings"] == 0 and report["unhandled_errors"] == 0 else 1


_BOT: list[subprocess.Popen[bytes]] = []  # the bot process, stopped on any exit path


def _stop_bot() -> None:
    for proc in _BOT:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)


async def _run(emulator: Emulator, redis_proc: RedisProcess, args: argparse.Namespace,
               log_path: Path) -> tuple[Figures, int, int]:
    relay = Relay(emulator.url)
    await relay.start()
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": relay.base_url,
        "REDIS_URL": redis_proc.url,
        "WEBHOOK_URL": "",
        "RECBOT_RATE_LIMIT": "1000000",  # the chats here are fast; the limit is tested elsewhere
        "OMP_NUM_THREADS": "1",
    }
    try:
        with log_path.open("w") as log:
            bot = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "serve", "--poll-interval", "0.02",
                 "--poll-timeout", "0"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )
            _BOT.append(bot)
            figures = await _soak(emulator, relay, redis_proc, args, bot, env)
            # In a thread: the relay on this loop must keep serving the bot's last calls.
            await asyncio.to_thread(_stop_bot)
        lost = _lost_ratings(redis_proc.url, figures.acknowledged)
        figures.reloads, figures.reload_failures = _reloads(log_path)
        return figures, lost, _log_errors(log_path)
    finally:
        await relay.stop()


if __name__ == "__main__":
    sys.exit(main())
