# ruff: noqa: F811  (pytest fixtures imported from tests.dialogue_support)
"""The durable intake (bot.intake) on a real Redis server and a real 3-master cluster.

Consumers here process with a recording coroutine instead of PTB: what is under test is
the stream: every queued update processed, one user's updates in order and never two at
once, a dead consumer's pending entries taken over, transient failures retried.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random

from bot.intake import GROUP, Intake, IntakeConsumer, lease_key, stream_key
from tests.dialogue_support import redis_client  # noqa: F401

ALSO_ON_CLUSTER = True
PARTITIONS = 4


class Recorder:
    """Processes updates with a random delay, recording order and per-user overlap."""

    def __init__(self, fail_first: set[int] = frozenset()) -> None:
        self.done: list[tuple[int, int]] = []  # (user, update_id) in processing order
        self.busy: set[int] = set()
        self.overlaps = 0
        self.fail_first = set(fail_first)
        self.attempts: dict[int, int] = {}

    async def process(self, raw: bytes) -> bool:
        update = json.loads(raw)
        user, update_id = update["user"], update["update_id"]
        self.attempts[update_id] = self.attempts.get(update_id, 0) + 1
        if user in self.busy:
            self.overlaps += 1
        self.busy.add(user)
        try:
            await asyncio.sleep(random.uniform(0, 0.01))
            if update_id in self.fail_first and self.attempts[update_id] == 1:
                return False  # transient failure: retry
            self.done.append((user, update_id))
            return True
        finally:
            self.busy.discard(user)


async def _submit_all(intake: Intake, users: int, per_user: int) -> list[tuple[int, int]]:
    sent = []
    update_id = 1
    for _ in range(per_user):
        for user in range(1, users + 1):
            body = json.dumps({"update_id": update_id, "user": user}).encode()
            assert await intake.submit(update_id, user, body)
            sent.append((user, update_id))
            update_id += 1
    return sent


async def _until(condition, timeout: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def test_two_consumers_process_everything_once_in_per_user_order(redis_client) -> None:
    intake = Intake(redis_client, PARTITIONS)
    sent = await _submit_all(intake, users=6, per_user=8)
    assert not await intake.submit(1, 1, b"{}")  # a resent update_id is dropped
    recorder = Recorder()
    stop = asyncio.Event()
    a = IntakeConsumer(intake, recorder.process, lease_s=1.0, poll_s=0.05)
    b = IntakeConsumer(intake, recorder.process, lease_s=1.0, poll_s=0.05)
    tasks = [asyncio.create_task(a.run(stop)), asyncio.create_task(b.run(stop))]
    await _until(lambda: len(recorder.done) >= len(sent))
    await _until(lambda: a.owned and b.owned, timeout=5)  # the partitions get shared
    owned_a, owned_b = set(a.owned), set(b.owned)
    stop.set()
    await asyncio.gather(*tasks)
    assert sorted(recorder.done) == sorted(sent)  # each exactly once
    for user in range(1, 7):
        assert [u for who, u in recorder.done if who == user] == [u for who, u in sent if who == user]
    assert recorder.overlaps == 0
    assert owned_a and owned_b and not owned_a & owned_b
    assert await intake.backlog() == 0  # acknowledged entries are deleted
    for p in range(PARTITIONS):
        assert await redis_client.get(lease_key(p)) is None  # handed back on stop


async def test_a_dead_consumers_pending_updates_are_taken_over(redis_client) -> None:
    intake = Intake(redis_client, PARTITIONS)
    sent = await _submit_all(intake, users=4, per_user=5)
    hang = asyncio.Event()

    async def never_finishes(raw: bytes) -> bool:
        await hang.wait()
        return True

    dead = IntakeConsumer(intake, never_finishes, lease_s=1.0, poll_s=0.05)
    await dead.balance()  # takes every partition and reads the entries into its PEL
    await asyncio.sleep(0.5)
    pending = sum([(await redis_client.xpending(stream_key(p), GROUP))["pending"] for p in range(PARTITIONS)])
    assert pending == len(sent)
    for worker in dead.owned.values():  # "SIGKILL": no ack, no lease release
        worker.cancel()

    recorder = Recorder()
    stop = asyncio.Event()
    live = IntakeConsumer(intake, recorder.process, lease_s=1.0, poll_s=0.05)
    task = asyncio.create_task(live.run(stop))
    await _until(lambda: len(recorder.done) >= len(sent))
    stop.set()
    await task
    assert sorted(recorder.done) == sorted(sent)
    for user in range(1, 5):
        assert [u for who, u in recorder.done if who == user] == [u for who, u in sent if who == user]
    assert await intake.backlog() == 0


async def test_a_transient_failure_is_retried_before_the_users_next_update(redis_client) -> None:
    intake = Intake(redis_client, PARTITIONS)
    sent = await _submit_all(intake, users=2, per_user=3)
    recorder = Recorder(fail_first={1})
    stop = asyncio.Event()
    consumer = IntakeConsumer(intake, recorder.process, lease_s=1.0, poll_s=0.05)
    task = asyncio.create_task(consumer.run(stop))
    await _until(lambda: len(recorder.done) >= len(sent))
    stop.set()
    await task
    assert recorder.attempts[1] == 2
    assert [u for who, u in recorder.done if who == 1] == [u for who, u in sent if who == 1]


async def test_an_update_whose_turn_lost_redis_is_retried_not_acknowledged() -> None:
    """``update_processor``: a store call over budget during the turn means "retry"."""
    from bot.config import load_settings
    from bot.store import RedisStore
    from bot.telegram.app import build_application
    from bot.telegram.webhook import update_processor

    class HungRedis:
        def pipeline(self, **kwargs):
            raise AssertionError  # pragma: no cover

        async def hgetall(self, key):
            await asyncio.sleep(10)

    store = RedisStore(HungRedis(), 60, budget_s=0.05)
    calls = []

    class Dialogue:
        async def handle_text(self, user_id, text, language_code=None):
            calls.append(text)
            with contextlib.suppress(Exception):  # the dialogue answers politely instead
                await store.ratings(user_id)
            from bot.dialogue.types import Reply

            return Reply("sorry, try again")

        handle_action = handle_command = handle_text

    application = build_application(load_settings(TELEGRAM_BOT_TOKEN="1:abc"), Dialogue(), webhook=True,
                                    rate_limit=False)
    sent = []

    async def fake_send(*args, **kwargs):
        sent.append(args)

    async def offline() -> None:  # no Bot API here: skip getMe
        pass

    process = update_processor(application)
    update = {"update_id": 1, "message": {"message_id": 1, "date": 0, "text": "hi",
              "chat": {"id": 5, "type": "private"}, "from": {"id": 5, "is_bot": False, "first_name": "x"}}}
    application.bot._unfreeze()
    application.bot.initialize = application.bot.shutdown = offline
    application.bot.send_message = fake_send
    async with application:
        done = await process(json.dumps(update).encode())
    assert calls == ["hi"] and sent  # the polite reply went out
    assert done is False  # but the entry stays for a retry
