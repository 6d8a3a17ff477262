"""Fixtures of the dialogue/store tests: the real Redis server, a small engine.

Redis: the real server at 127.0.0.1:6379 (or a real Redis Cluster, see conftest's
``redis_backend``), in the database ``tests/conftest.py``'s
``redis_url`` picks for the test module's family, flushed before and after each test. The engine is the real
``recommender.engine.Engine`` over the hand-made catalog of ``tests.ranking_fixtures``
with a canned parser (``QUERIES``): the dialogue logic is under test, not the NLP.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Sequence

import pytest
import redis.asyncio as aioredis

from bot.config import Settings
from bot.dialogue.core import Dialogue
from bot.dialogue.types import Reply
from bot.store import RedisStore
from recommender.engine import Engine
from recommender.nlp.query import Command, Query
from tests.ranking_fixtures import make_engine

# Item ids of tests.ranking_fixtures: 1 Alien, 2 Aliens, 3 Star Wars, 4 Empire, 5 Jedi,
# 6 Blade Runner, 7 Notting Hill, 8 Love Actually, 9 The Shining, 10 Toy Story,
# 11 Obscure Gem, 12 Unknown Year.
QUERIES: dict[str, Query] = {
    "sci-fi": Query(genres_all=["Sci-Fi"]),
    "sci-fi please": Query(genres_all=["Sci-Fi"], text="please"),
    "80s sci-fi": Query(genres_all=["Sci-Fi"], year_min=1980, year_max=1989),
    "comedy": Query(genres_all=["Comedy"]),
    "also comedy": Query(genres_all=["Comedy"]),
    "horror": Query(genres_all=["Horror"]),
    "no horror": Query(genres_none=["Horror"]),
    "newer": Query(command=Command.NEWER),
    "older": Query(command=Command.OLDER),
    "more": Query(command=Command.MORE),
    "reset": Query(command=Command.RESET),
    "forget me": Query(command=Command.FORGET),
    "like the second one": Query(ordinal=1),
    "like the ninth one": Query(ordinal=8),
    "like alien": Query(reference_items=[1]),
    "romance": Query(genres_all=["Romance"]),
}


def make_settings(**overrides: object) -> Settings:
    return Settings(**overrides)  # type: ignore[arg-type]


@pytest.fixture
async def redis_client(request, redis_backend: str) -> AsyncIterator[aioredis.Redis]:
    """The local server's suite database, or (``redis_backend`` "cluster") the session's
    3-master cluster through redis-py's asyncio cluster client; emptied before and after."""
    if redis_backend == "cluster":
        from redis.asyncio.cluster import RedisCluster

        cluster = request.getfixturevalue("redis_cluster")
        cluster.flush()
        client = RedisCluster.from_url(cluster.url)
        yield client
        await client.aclose()
        cluster.flush()
        return
    client = aioredis.Redis.from_url(request.getfixturevalue("redis_url"))
    yield client
    await client.flushdb()
    await client.aclose()


@pytest.fixture
def store(redis_client: aioredis.Redis) -> RedisStore:
    return RedisStore(redis_client, session_ttl_s=3600)


@pytest.fixture
def small_engine() -> Engine:
    return make_engine(queries=QUERIES)


@pytest.fixture
def dialogue(small_engine: Engine, store: RedisStore) -> Dialogue:
    return Dialogue(small_engine, store, make_settings())


async def user_keys_in_redis(client: aioredis.Redis, user_id: int) -> list[bytes]:
    """Every key of ``user_id`` found by SCAN (not by the store's own key list)."""
    return [key async for key in client.scan_iter(match=f"recbot:{{u:{user_id}}}:*")]


_ENGLISH_WORD = re.compile(r"\b(?!IMAX\b)[A-Za-z]{2,}\b")


def english_left(reply: Reply, titles: Sequence[str] = ()) -> list[str]:
    """English words of a reply (text, toast, buttons) once the catalog titles (those it
    lists, and ``titles``), links and /commands are taken out: what a Chinese reply must
    not have."""
    text = f"{reply.text} {reply.notice or ''}"
    for title in sorted([*(i.title for i in reply.items), *titles], key=len, reverse=True):
        text = text.replace(title, " ")
    text = re.sub(r"https?://\S+|/[a-z]+", " ", text)  # links, /commands
    buttons = " ".join(b.text for row in reply.buttons for b in row)
    return _ENGLISH_WORD.findall(f"{text} {buttons}")
