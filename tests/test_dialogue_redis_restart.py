"""Redis stopped and restarted mid-conversation: a friendly answer, then recovery.

Runs its own redis-server (tests.redis_server) with AOF; ``appendfsync always`` is set
at runtime so even a SIGKILL keeps every acknowledged rating.
"""

from __future__ import annotations

import redis

from bot.config import Settings
from bot.dialogue.core import REDIS_DOWN, Dialogue
from bot.redis_conn import connect
from bot.store import RedisStore
from tests.dialogue_support import QUERIES
from tests.ranking_fixtures import make_engine
from tests.redis_server import RedisProcess


async def test_redis_outage_mid_conversation(tmp_path):
    server = RedisProcess(tmp_path / "redis")
    server.start()
    try:
        with redis.Redis(host="127.0.0.1", port=server.port) as admin:
            admin.config_set("appendfsync", "always")
        settings = Settings(REDIS_URL=server.url)
        client = connect(settings)
        dialogue = Dialogue(make_engine(queries=QUERIES), RedisStore(client, 3600), settings)
        try:
            first = await dialogue.handle_text(1, "sci-fi")
            liked = first.items[0]
            assert "👍" in (await dialogue.handle_action(1, liked.like)).text

            server.crash()
            for reply in (
                await dialogue.handle_text(1, "more"),
                await dialogue.handle_action(1, first.items[1].dislike),
                await dialogue.handle_command(1, "history"),
            ):
                assert reply.text == REDIS_DOWN
            assert "/forget" in (await dialogue.handle_command(1, "help")).text

            server.start()
            again = await dialogue.handle_text(1, "more")
            assert again.items and "page 2" in again.text  # the session survived too
            assert liked.item_id not in [i.item_id for i in again.items]
            history = await dialogue.handle_command(1, "history")
            assert liked.title in history.text
            assert first.items[1].title not in history.text  # the failed press was not stored
        finally:
            await client.aclose()
    finally:
        server.crash()
