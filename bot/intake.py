"""Durable intake of webhook updates: a partitioned Redis Stream with one consumer group.

Guarantee: **at least once**. ``Intake.submit`` appends the raw update to a stream (and
records its ``update_id`` for deduplication, in one Lua script) before the webhook answers
200, so an acknowledged update survives the death of the replica that took it (Redis
itself keeps it with AOF). Consumers acknowledge an entry (XACK + XDEL) only after it was
processed: the reply sent and the state written. An update may therefore be processed
twice (a replica killed between reply and ack); the effects that matter are idempotent
(a rating is a compare-and-set, a second /forget deletes nothing more).

Layout, cluster-safe (every script and transaction touches one hash slot); ``<b>`` is
the bot's id (the digits of its token), so bots sharing a Redis never see each other's
updates (Telegram numbers updates per bot)::

    recbot:{intake:<b>:<p>}:stream    stream of partition p: fields u (user id), d (update JSON)
    recbot:{intake:<b>:<p>}:upd:<id>  dedupe marker of update_id <id> (expires after a day)
    recbot:{intake:<b>:<p>}:owner     lease: name of the replica processing partition p
    recbot:{intake:<b>}:members       zset: replica name -> last heartbeat (unix time)

A user's updates always go to partition ``user_id % partitions``, and a partition is
processed by one replica at a time (the lease holder), reading in stream order and
handling one user's updates one after another: a user's updates are never processed
concurrently and keep their order. Replicas share the partitions evenly (each holds at
most ``ceil(partitions / live replicas)``). A replica that dies stops renewing its leases;
after ``lease_s`` another takes its partitions and first claims (XAUTOCLAIM) the entries
still pending on the dead one, then reads on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import secrets
import socket
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from redis.exceptions import RedisError, ResponseError

log = logging.getLogger(__name__)

GROUP = "recbot"
DEDUPE_TTL_S = 24 * 3600  # Telegram gives up on an undelivered update after a day
READ_COUNT = 64
MAX_IN_FLIGHT = 256  # per partition: the reader waits when this many are unfinished
MAX_ATTEMPTS = 20  # a transiently failing update is retried this often, then dropped
RETRY_DELAY_S = 0.5  # growing by this much per attempt, up to MAX_RETRY_DELAY_S
MAX_RETRY_DELAY_S = 3.0

# KEYS: stream, dedupe marker. ARGV: user id, raw update, dedupe ttl.
_SUBMIT = """
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[3]) then
  redis.call('XADD', KEYS[1], '*', 'u', ARGV[1], 'd', ARGV[2])
  return 1
end
return 0
"""
# KEYS: lease. ARGV: owner, lease ms. Renew only one's own lease.
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""

# process(raw update) -> True when done (ack), False to retry later (transient failure).
Processor = Callable[[bytes], Awaitable[bool]]


def stream_key(partition: int, bot: str = "0") -> str:
    return f"recbot:{{intake:{bot}:{partition}}}:stream"


def lease_key(partition: int, bot: str = "0") -> str:
    return f"recbot:{{intake:{bot}:{partition}}}:owner"


def dedupe_key(partition: int, update_id: int, bot: str = "0") -> str:
    return f"recbot:{{intake:{bot}:{partition}}}:upd:{int(update_id)}"


def members_key(bot: str = "0") -> str:
    return f"recbot:{{intake:{bot}}}:members"


def replica_name() -> str:
    """A name unique to this process: host, pid and a random suffix."""
    return f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"


class Intake:
    """Where the webhook puts updates: ``submit`` returns once Redis holds the update."""

    def __init__(self, redis: Any, partitions: int, bot: str | int = "0") -> None:
        self.redis = redis
        self.partitions = int(partitions)
        self.bot = str(bot)
        self._submit = redis.register_script(_SUBMIT)

    def partition_of(self, user_id: int) -> int:
        return int(user_id) % self.partitions

    async def submit(self, update_id: int, user_id: int, raw: bytes) -> bool:
        """Queue one update; False when this ``update_id`` was queued before (a resend)."""
        p = self.partition_of(user_id)
        added = await self._submit(
            keys=[stream_key(p, self.bot), dedupe_key(p, update_id, self.bot)],
            args=[int(user_id), raw, DEDUPE_TTL_S],
        )
        return bool(added)

    async def backlog(self) -> int:
        """Entries queued or pending in all partitions (processed ones are deleted)."""
        total = 0
        for p in range(self.partitions):
            total += int(await self.redis.xlen(stream_key(p, self.bot)))
        return total


class _Partition:
    """One leased partition: read in order, one task per user, ack after processing."""

    def __init__(self, consumer: IntakeConsumer, partition: int) -> None:
        self.consumer = consumer
        self.partition = partition
        self.key = stream_key(partition, consumer.intake.bot)
        self.redis = consumer.intake.redis
        self.stopping = False
        self._slots = asyncio.Semaphore(MAX_IN_FLIGHT)
        self._queues: dict[str, deque[tuple[bytes, bytes]]] = {}
        self._drainers: set[asyncio.Task[None]] = set()
        self._in_flight: set[bytes] = set()
        self.task = asyncio.create_task(self._run(), name=f"intake-partition-{partition}")

    async def _run(self) -> None:
        while not self.stopping:
            try:
                await self._ensure_group()
                await self._take_over_pending()
                await self._read(">")
            except RedisError as exc:
                log.warning("intake partition %s: Redis error (%s); retrying", self.partition, exc)
                await asyncio.sleep(self.consumer.poll_s)
            except Exception:  # a bug must not silently stop a partition
                log.exception("intake partition %s failed; restarting it", self.partition)
                await asyncio.sleep(self.consumer.poll_s)
        await asyncio.gather(*self._drainers, return_exceptions=True)

    async def _ensure_group(self) -> None:
        try:
            await self.redis.xgroup_create(self.key, GROUP, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def _take_over_pending(self) -> None:
        """Claim what other consumers left pending, then process this consumer's own PEL."""
        me = self.consumer.name
        cursor: Any = "0-0"
        while True:
            reply = await self.redis.xautoclaim(self.key, GROUP, me, 0, cursor, count=100)
            cursor = reply[0]
            if cursor in (b"0-0", "0-0"):
                break
        for info in await self.redis.xinfo_consumers(self.key, GROUP):
            name = info["name"].decode() if isinstance(info["name"], bytes) else info["name"]
            if name != me and int(info["pending"]) == 0:
                await self.redis.xgroup_delconsumer(self.key, GROUP, name)
        await self._read("0")

    async def _read(self, start: str) -> None:
        """``start`` "0": this consumer's pending entries once; ">": new entries until stopped."""
        last = "0-0" if start == "0" else ">"
        while not self.stopping:
            got = await self.redis.xreadgroup(
                GROUP, self.consumer.name, {self.key: last}, count=READ_COUNT,
                block=None if start == "0" else int(self.consumer.poll_s * 1000),
            )  # fmt: skip
            entries = got[0][1] if got else []
            if start == "0":
                if not entries:
                    return
                last = entries[-1][0]
            for entry_id, fields in entries:
                if entry_id in self._in_flight:
                    continue  # already being processed (re-read after a Redis error)
                if not fields:  # deleted while pending: nothing left to process
                    await self.redis.xack(self.key, GROUP, entry_id)
                    continue
                await self._slots.acquire()
                self._dispatch(entry_id, fields)

    def _dispatch(self, entry_id: bytes, fields: dict[bytes, bytes]) -> None:
        user = fields.get(b"u", b"0").decode()
        self._in_flight.add(entry_id)
        queue = self._queues.get(user)
        if queue is not None:
            queue.append((entry_id, fields.get(b"d", b"")))
            return
        self._queues[user] = deque([(entry_id, fields.get(b"d", b""))])
        task = asyncio.create_task(self._drain(user))
        self._drainers.add(task)
        task.add_done_callback(self._drainers.discard)

    async def _drain(self, user: str) -> None:
        """Process one user's entries strictly one after another, in stream order."""
        queue = self._queues[user]
        try:
            while queue:
                entry_id, raw = queue[0]
                await self._handle(entry_id, raw)
                queue.popleft()
                self._in_flight.discard(entry_id)
                self._slots.release()
        finally:
            self._queues.pop(user, None)

    async def _handle(self, entry_id: bytes, raw: bytes) -> None:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                if await self.consumer.process(raw):
                    break
            except Exception:
                log.exception("intake: processing entry %s failed", entry_id)
            if attempt == MAX_ATTEMPTS:
                log.error("intake: dropping entry %s after %d attempts", entry_id, attempt)
            else:
                await asyncio.sleep(min(MAX_RETRY_DELAY_S, RETRY_DELAY_S * attempt))
        await self._ack(entry_id)

    async def _ack(self, entry_id: bytes) -> None:
        for _ in range(5):
            try:
                async with self.redis.pipeline(transaction=True) as pipe:
                    pipe.xack(self.key, GROUP, entry_id)
                    pipe.xdel(self.key, entry_id)
                    await pipe.execute()
                return
            except RedisError as exc:
                log.warning("intake: ack of %s failed (%s); retrying", entry_id, exc)
                await asyncio.sleep(self.consumer.poll_s)
        # Left pending: whoever holds the partition next processes it again (at least once).

    async def stop(self) -> None:
        """Stop reading, let the entries in flight finish (and be acknowledged)."""
        self.stopping = True
        await self.task

    def cancel(self) -> None:
        """The lease is lost: stop at once (the new holder re-processes what was unfinished)."""
        self.stopping = True
        self.task.cancel()
        for task in list(self._drainers):
            task.cancel()


class IntakeConsumer:
    """One replica's share of the work: heartbeat, lease partitions, process their entries."""

    def __init__(
        self,
        intake: Intake,
        process: Processor,
        *,
        lease_s: float,
        name: str | None = None,
        poll_s: float = 0.25,
    ) -> None:
        self.intake = intake
        self.process = process
        self.lease_s = float(lease_s)
        self.name = name or replica_name()
        self.poll_s = poll_s
        self.owned: dict[int, _Partition] = {}
        redis = intake.redis
        self._renew = redis.register_script(_RENEW)
        self._release = redis.register_script(_RELEASE)

    async def run(self, stop: asyncio.Event) -> None:
        """Balance and process until ``stop`` is set, then hand the partitions back."""
        log.info("intake consumer %s started (%d partitions)", self.name, self.intake.partitions)
        try:
            while not stop.is_set():
                try:
                    await self.balance()
                except RedisError as exc:
                    log.warning("intake: could not renew leases (%s)", exc)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self.lease_s / 3)
        finally:
            await self.release_all()

    async def balance(self) -> None:
        """Heartbeat, renew own leases, then take or give partitions to reach a fair share."""
        redis, lease_ms = self.intake.redis, int(self.lease_s * 1000)
        now = time.time()
        members, bot = members_key(self.intake.bot), self.intake.bot
        await redis.zadd(members, {self.name: now})
        await redis.zremrangebyscore(members, "-inf", now - self.lease_s)
        live = max(1, int(await redis.zcard(members)))
        share = math.ceil(self.intake.partitions / live)
        for p, worker in list(self.owned.items()):
            if worker.task.done() and not worker.stopping:
                self.owned.pop(p)  # crashed worker: lease renewal stops, it is re-taken
            elif not await self._renew(keys=[lease_key(p, bot)], args=[self.name, lease_ms]):
                log.warning("intake: lease of partition %s lost", p)
                self.owned.pop(p).cancel()
        for p in sorted(self.owned)[share:]:
            await self._give_back(p)
        if len(self.owned) >= share:
            return
        offset = sum(self.name.encode()) % self.intake.partitions
        for i in range(self.intake.partitions):
            p = (offset + i) % self.intake.partitions
            if p in self.owned:
                continue
            if await redis.set(lease_key(p, bot), self.name, nx=True, px=lease_ms):
                self.owned[p] = _Partition(self, p)
                if len(self.owned) >= share:
                    return

    async def _give_back(self, p: int) -> None:
        worker = self.owned.pop(p)
        await worker.stop()
        with contextlib.suppress(RedisError):
            await self._release(keys=[lease_key(p, self.intake.bot)], args=[self.name])

    async def release_all(self) -> None:
        """Finish the entries in flight and free every lease (another replica goes on)."""
        await asyncio.gather(*(self._give_back(p) for p in list(self.owned)), return_exceptions=True)
        with contextlib.suppress(RedisError):
            await self.intake.redis.zrem(members_key(self.intake.bot), self.name)
        log.info("intake consumer %s stopped", self.name)
