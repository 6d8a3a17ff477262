"""A hung Redis (SIGSTOP: connections stay open, nothing answers) gets the polite reply
within 1.5 s, and the bot recovers once Redis runs again (SIGCONT)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.redis_conn import connect
from bot.store import RedisStore
from tests.ranking_fixtures import make_engine
from tests.redis_server import RedisProcess, redis_server_binary

pytestmark = pytest.mark.skipif(redis_server_binary() is None, reason="no redis-server binary")
POLITE_WITHIN_S = 1.5


async def test_a_hung_redis_gets_the_polite_reply_within_the_budget(tmp_path: Path) -> None:
    from bot.dialogue.core import REDIS_DOWN, Dialogue

    with RedisProcess(tmp_path / "redis") as server:
        settings = load_settings(RECBOT_HOME=str(tmp_path / "home"), REDIS_URL=server.url)
        client = connect(settings)
        store = RedisStore(client, settings.session_ttl_s, budget_s=settings.redis_budget_s)
        dialogue = Dialogue(make_engine(), store, settings)
        try:
            first = await dialogue.handle_text(1, "space saga")
            assert first.items
            os.kill(server._proc.pid, signal.SIGSTOP)
            try:
                timings = []
                for call in (lambda: dialogue.handle_text(1, "romance"),
                             lambda: dialogue.handle_action(1, first.items[0].like),
                             lambda: dialogue.handle_command(1, "history")):
                    start = time.perf_counter()
                    reply = await call()
                    timings.append(time.perf_counter() - start)
                    assert reply.text == REDIS_DOWN
            finally:
                os.kill(server._proc.pid, signal.SIGCONT)
            assert max(timings) <= POLITE_WITHIN_S, timings
            for _ in range(5):  # a stale pooled connection may cost one more polite reply
                reply = await dialogue.handle_text(1, "romance")
                if reply.items:
                    break
            assert reply.items
        finally:
            await client.aclose()
