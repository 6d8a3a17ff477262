"""The webhook fault trial: two ``recbot serve`` replicas in webhook mode on one Redis,
the Bot API emulator as Telegram, and replica A SIGKILLed right after it acknowledged
(HTTP 200) a burst of updates.

Per trial and user: one request is answered first (so the user has items to rate), then
A is sent that user's next message and a 👍 on the first item of the earlier answer, as
Telegram would post them (secret header, one update per request). As soon as A has
answered 200 to all of them it is killed with SIGKILL. An update is *lost* if it has no
effect: no new bot message in the chat (message) or no stored rating (👍). Used by
``bench/webhook_fault.py`` (5 repetitions, 100 updates each) and by the short CI test
``tests/e2e/test_webhook_fault.py``.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bot.telegram.webhook import SECRET_HEADER
from tests.e2e.harness import SAMPLE_REQUESTS, ChatUser, Emulator
from tests.redis_server import free_port

ROOT = Path(__file__).resolve().parent.parent.parent
SECRET = "fault-trial-secret"
READY_TIMEOUT_S = 300.0
DELIVERY_ATTEMPTS = 20
_update_ids = itertools.count(int(time.time()) % 1_000_000 * 1000)


@dataclass
class Replica:
    """One ``recbot serve`` process in webhook mode on a loopback port."""

    name: str
    port: int
    proc: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class TrialResult:
    acknowledged: int
    lost_messages: int
    lost_likes: int
    duplicate_replies: int
    seconds_to_all_effects: float | None
    lost_ids: list[int] = field(default_factory=list)
    redelivered: int = 0  # posts answered non-200 first (Telegram would retry them; so do we)

    @property
    def lost(self) -> int:
        return self.lost_messages + self.lost_likes


def replica_env(emulator: Emulator, token: str, redis_url: str, home: Path, lease_s: float) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_API_BASE_URL": emulator.base_url,
        "REDIS_URL": redis_url,
        "RECBOT_HOME": str(home),
        "WEBHOOK_SECRET": SECRET,
        "RECBOT_WEBHOOK_LISTEN": "127.0.0.1",
        "RECBOT_INTAKE_LEASE_S": str(lease_s),
        "RECBOT_RATE_LIMIT": "1000000",
    }


def start_replica(name: str, env: dict[str, str], log_dir: Path) -> Replica:
    port = free_port()
    log_dir.mkdir(parents=True, exist_ok=True)
    log = (log_dir / f"replica-{name}.log").open("ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve"],
        env={**env, "RECBOT_WEBHOOK_PORT": str(port), "WEBHOOK_URL": f"http://127.0.0.1:{port}"},
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    return Replica(name, port, proc)


async def wait_ready(http: httpx.AsyncClient, replica: Replica) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while True:
        assert replica.proc.poll() is None, f"replica {replica.name} exited with {replica.proc.returncode}"
        try:
            if (await http.get(f"{replica.url}/healthz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, f"replica {replica.name} not ready"
        await asyncio.sleep(0.2)


def _message_update(user: dict[str, Any], text: str) -> dict[str, Any]:
    update_id = next(_update_ids)
    chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
    return {"update_id": update_id, "message": {
        "message_id": update_id % 2**31, "date": int(time.time()), "from": user, "chat": chat, "text": text}}


def _press_update(user: dict[str, Any], message_id: int, data: str) -> dict[str, Any]:
    update_id = next(_update_ids)
    chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
    return {"update_id": update_id, "callback_query": {
        "id": str(update_id), "from": user, "chat_instance": str(user["id"]), "data": data,
        "message": {"message_id": message_id, "date": int(time.time()), "chat": chat, "text": "list"}}}


async def _post(http: httpx.AsyncClient, replica: Replica, update: dict[str, Any], refusals: list[int] | None = None) -> int:
    """Deliver ``update`` as Telegram does: again after a non-200 answer (a 503 while Redis
    is slow), until it is acknowledged; the refused statuses go to ``refusals``."""
    for _ in range(DELIVERY_ATTEMPTS):
        response = await http.post(f"{replica.url}/telegram", json=update, headers={SECRET_HEADER: SECRET})
        if response.status_code == 200:
            return 200
        if refusals is not None:
            refusals.append(response.status_code)
        await asyncio.sleep(0.25)
    return response.status_code


async def run_trial(
    http: httpx.AsyncClient,
    token: str,
    victim: Replica,
    survivor: Replica,
    redis: Any,
    users: range,
    *,
    effect_timeout_s: float = 120.0,
) -> TrialResult:
    """Prepare ``users``, burst 2 updates per user at ``victim``, SIGKILL it, count effects."""
    chats = {uid: ChatUser(http, token, user_id=uid, first_name=f"F{uid}") for uid in users}

    async def prepare(uid: int) -> tuple[int, str]:
        chat = chats[uid]
        texts = []
        for n in range(len(SAMPLE_REQUESTS)):  # until an answer with items to rate
            request = SAMPLE_REQUESTS[(uid + n) % len(SAMPLE_REQUESTS)]
            assert await _post(http, survivor, _message_update(chat.user, request)) == 200
            reply = await chat.reply(timeout=effect_timeout_s)
            likes = [b["callback_data"] for b in reply.buttons() if b.get("callback_data", "").startswith("l|")]
            if likes:
                return reply.message_id, likes[0]
            texts.append(reply.text[:80])
        raise AssertionError(f"user {uid}: no answer with items: {texts}")

    prepared = dict(zip(users, await asyncio.gather(*(prepare(uid) for uid in users)), strict=True))

    refusals: list[int] = []

    async def burst(uid: int) -> int:
        chat = chats[uid]
        message_id, like = prepared[uid]
        text = SAMPLE_REQUESTS[(uid + 1) % len(SAMPLE_REQUESTS)]
        ok = await _post(http, victim, _message_update(chat.user, text), refusals) == 200
        ok += await _post(http, victim, _press_update(chat.user, message_id, like), refusals) == 200
        return ok

    acknowledged = sum(await asyncio.gather(*(burst(uid) for uid in users)))
    victim.proc.send_signal(signal.SIGKILL)
    victim.proc.wait(10)
    killed_at = time.monotonic()

    replies: dict[int, int] = dict.fromkeys(users, 0)
    rated: set[int] = set()
    deadline = killed_at + effect_timeout_s
    while time.monotonic() < deadline and (len(rated) < len(users) or not all(replies.values())):
        for uid in users:
            data = await chats[uid]._post("/getUpdates", {"token": token, "chatId": uid})
            replies[uid] += len(data["result"])
            item = prepared[uid][1].split("|")[1]
            if await redis.hget(f"recbot:{{u:{uid}}}:ratings", item) is not None:
                rated.add(uid)
        await asyncio.sleep(0.2)
    done = len(rated) == len(users) and all(replies.values())
    await asyncio.sleep(1.0)  # late duplicates
    for uid in users:
        data = await chats[uid]._post("/getUpdates", {"token": token, "chatId": uid})
        replies[uid] += len(data["result"])
    lost_ids = [uid for uid in users if not replies[uid] or uid not in rated]
    return TrialResult(
        acknowledged=acknowledged,
        lost_messages=sum(1 for uid in users if not replies[uid]),
        lost_likes=sum(1 for uid in users if uid not in rated),
        duplicate_replies=sum(max(0, n - 1) for n in replies.values()),
        seconds_to_all_effects=round(time.monotonic() - killed_at, 2) if done else None,
        lost_ids=lost_ids,
        redelivered=len(refusals),
    )


async def run_fault_test(
    emulator: Emulator,
    home: Path,
    work_dir: Path,
    *,
    repetitions: int,
    users_per_trial: int,
    lease_s: float = 2.0,
    first_user: int = 810_000,
    redis_url: str | None = None,
    on_result: Any = None,
) -> list[TrialResult]:
    """``repetitions`` trials against one Redis (AOF, a throwaway server unless
    ``redis_url``) and one long-lived replica B; a fresh replica A per trial."""
    import redis.asyncio as aioredis

    from tests.redis_server import RedisProcess

    server = None
    if redis_url is None:
        server = RedisProcess(work_dir / "redis")
        server.start()
        redis_url = server.url
    token = f"{first_user}:fault-trial-token"
    env = replica_env(emulator, token, redis_url, home, lease_s)
    redis = aioredis.Redis.from_url(redis_url)
    survivor = start_replica("B", env, work_dir)
    results: list[TrialResult] = []
    try:
        async with httpx.AsyncClient(base_url=emulator.url, timeout=30) as http:
            for n in range(repetitions):
                victim = start_replica(f"A{n}", env, work_dir)
                try:
                    await asyncio.gather(wait_ready(http, victim), wait_ready(http, survivor))
                    await asyncio.sleep(lease_s)  # both hold partitions before the burst
                    start = first_user + 1 + n * users_per_trial
                    results.append(await run_trial(
                        http, token, victim, survivor, redis, range(start, start + users_per_trial)))
                    if on_result is not None:
                        on_result(len(results), results[-1])
                finally:
                    if victim.proc.poll() is None:
                        victim.proc.kill()
                    victim.proc.wait(10)
    finally:
        survivor.proc.terminate()
        try:
            survivor.proc.wait(30)
        except subprocess.TimeoutExpired:
            survivor.proc.kill()
        await redis.aclose()
        if server is not None:
            server.stop()
    return results
