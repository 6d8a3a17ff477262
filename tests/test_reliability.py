"""Reliability and security of the dialogue layer against a real redis-server.

Every test starts its own redis-server on a free port with AOF (``appendfsync
everysec``, RDB off), as in production (deploy/compose.yaml), and talks to it through
``bot.redis_conn.connect`` - the client the bot uses. The engine is the small hand-made
one of ``tests/ranking_fixtures.py``: these tests are about state, not ranking quality.

- Redis killed and restarted mid-conversation: every rating the bot acknowledged is
  still there, and the conversation goes on.
- Redis down: a friendly reply (never an exception), and recovery without a restart.
- Forged, oversized, stale or foreign button data: rejected, no key changes.
- Per-user message rate limit with a polite answer; other users are unaffected.
- /forget leaves no key of the user.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as aioredis

from bot.config import load_settings
from bot.dialogue.callbacks import Action, encode
from bot.dialogue.core import Dialogue
from bot.dialogue.types import Reply
from bot.redis_conn import connect
from bot.store import RedisStore, user_keys
from tests.ranking_fixtures import make_engine
from tests.redis_server import RedisProcess, redis_server_binary

pytestmark = pytest.mark.skipif(redis_server_binary() is None, reason="no redis-server binary")

ALICE, BOB = 1001, 2002
RATE_LIMIT = 5


@pytest.fixture
def redis_proc(tmp_path: Path):
    with RedisProcess(tmp_path / "redis") as proc:
        yield proc


@pytest.fixture
def settings(tmp_path: Path, redis_proc: RedisProcess):
    return load_settings(RECBOT_HOME=str(tmp_path / "home"), REDIS_URL=redis_proc.url)


@pytest.fixture
async def client(settings):
    redis = connect(settings)
    yield redis
    await redis.aclose()


@pytest.fixture
def dialogue(settings, client) -> Dialogue:
    return Dialogue(make_engine(), RedisStore(client, settings.session_ttl_s), settings)


async def dump(redis: aioredis.Redis) -> dict[str, Any]:
    """Every key with its type and full value (TTLs left out: they tick)."""
    out: dict[str, Any] = {}
    async for raw_key in redis.scan_iter(count=1000):
        key = raw_key.decode()
        kind = (await redis.type(key)).decode()
        if kind == "string":
            value: Any = await redis.get(key)
        elif kind == "hash":
            value = await redis.hgetall(key)
        elif kind == "set":
            value = sorted(await redis.smembers(key))
        elif kind == "list":
            value = await redis.lrange(key, 0, -1)
        elif kind == "zset":
            value = await redis.zrange(key, 0, -1, withscores=True)
        else:  # stream
            value = await redis.xrange(key)
        out[key] = (kind, value)
    return out


def _without_rate_counter(keys: dict[str, Any]) -> dict[str, Any]:
    # The per-minute message counter counts every request, rejected ones included, on
    # purpose: forged presses must not be a free way around the rate limit.
    return {k: v for k, v in keys.items() if not k.endswith(":rate")}


async def recommend_and_rate(dialogue: Dialogue, user: int, text: str) -> dict[int, float]:
    """Ask, then like the first shown item and dislike the second; returns what was acknowledged."""
    reply = await dialogue.handle_text(user, text)
    assert len(reply.items) >= 2, reply.text
    acknowledged: dict[int, float] = {}
    for item, action, stars in ((reply.items[0], "like", 5.0), (reply.items[1], "dislike", 1.0)):
        answer = await dialogue.handle_action(user, getattr(item, action))
        assert "Noted" in answer.text, answer.text
        acknowledged[item.item_id] = stars
    return acknowledged


# ------------------------------------------------------------------------ Redis restarts


@pytest.mark.parametrize("crash", [True, False], ids=["killed", "restarted"])
async def test_no_acknowledged_rating_is_lost_when_redis_restarts(
    dialogue: Dialogue, redis_proc: RedisProcess, client, crash: bool
) -> None:
    acknowledged = await recommend_and_rate(dialogue, ALICE, "space saga")
    acknowledged |= await recommend_and_rate(dialogue, ALICE, "romance")

    redis_proc.restart(crash=crash)  # SIGKILL: only what AOF holds survives

    # The conversation goes on (the first request after the restart may still find a
    # dead pooled connection; the bot then answers politely and the next one works).
    reply = await _until_answered(dialogue, ALICE, "/history")
    for item_id in acknowledged:
        title = dialogue.engine.catalog.titles[dialogue.engine.catalog.index(item_id)]
        assert title in reply.text
    store = RedisStore(client, 3600)
    assert await store.ratings(ALICE) == acknowledged
    more = await recommend_and_rate(dialogue, ALICE, "alien")
    assert set(more).isdisjoint(acknowledged)  # rated items never come back


async def _until_answered(dialogue: Dialogue, user: int, text: str, tries: int = 5) -> Reply:
    from bot.dialogue.core import REDIS_DOWN

    for _ in range(tries):
        reply = await dialogue.handle_text(user, text)
        if reply.text != REDIS_DOWN:
            return reply
    raise AssertionError(f"still no answer after {tries} tries: {reply.text}")


async def test_redis_down_gets_a_friendly_reply_and_the_bot_recovers(
    dialogue: Dialogue, redis_proc: RedisProcess
) -> None:
    from bot.dialogue.core import REDIS_DOWN

    first = await dialogue.handle_text(ALICE, "space saga")
    assert first.items

    redis_proc.crash()
    while_down = [
        await dialogue.handle_text(ALICE, "romance"),
        await dialogue.handle_action(ALICE, first.items[0].like),
        await dialogue.handle_command(ALICE, "history"),
    ]
    assert [r.text for r in while_down] == [REDIS_DOWN] * 3
    assert "try again" in REDIS_DOWN

    redis_proc.start()  # same port, same data: no bot restart
    reply = await _until_answered(dialogue, ALICE, "romance")
    assert reply.items
    liked = await dialogue.handle_action(ALICE, first.items[0].like)
    assert "Noted" in liked.text


# ------------------------------------------------------------------------ button data


FORGED = [
    "l|999999",  # an item that does not exist
    "l|0", "l|-1", "l|01", "r|1|9", "r|1|0", "r|1", "s|x", "q|1", "|", "", " l|1",
    "l|1 ", "l|1\x00", "l|1\n", "L|1", "l||1", "f!!", "f1", "mm", "x|1",
    "l|" + "1" * 70,  # oversized
    "r|1|5" + " " * 64,  # oversized
    "l|1" + "\u200f" * 30,  # right-to-left marks
    "👍" * 20,
    "x" * 10_000,
]  # fmt: skip


async def test_forged_or_oversized_button_data_changes_nothing(dialogue: Dialogue, client) -> None:
    shown = await dialogue.handle_text(ALICE, "space saga")
    before = await dump(client)

    for data in FORGED:
        reply = await dialogue.handle_action(ALICE, data)
        assert reply.text and reply.notice, data  # the press is always answered

    assert await dump(client) == before
    assert shown.items  # and the real buttons still work
    assert "Noted" in (await dialogue.handle_action(ALICE, shown.items[0].like)).text


async def test_buttons_of_another_user_change_nothing(dialogue: Dialogue, client) -> None:
    alices = await dialogue.handle_text(ALICE, "space saga")
    await dialogue.handle_text(BOB, "romance")
    before = await dump(client)

    bobs_session, _ = await dialogue.store.load(BOB)
    for item in alices.items:
        if item.item_id in bobs_session.session_shown:
            continue  # shown to both: a legitimate button for Bob too
        for data in (item.like, item.dislike, encode(Action.RATE, item.item_id, 4),
                     encode(Action.SIMILAR, item.item_id)):
            reply = await dialogue.handle_action(BOB, data)
            assert "shown" in reply.text, (data, reply.text)

    assert _without_rate_counter(await dump(client)) == _without_rate_counter(before)
    assert await RedisStore(client, 3600).ratings(BOB) == {}


async def test_stale_buttons_after_forget_and_expired_confirmations_change_nothing(
    dialogue: Dialogue, client
) -> None:
    old = await dialogue.handle_text(ALICE, "space saga")
    await dialogue.handle_command(ALICE, "forget")
    await dialogue.handle_action(ALICE, encode(Action.FORGET_CONFIRM))
    assert await dump(client) == {}

    for item in old.items:  # buttons of a list shown before /forget
        for data in (item.like, item.dislike, encode(Action.RATE, item.item_id, 3)):
            await dialogue.handle_action(ALICE, data)
    assert await dump(client) == {}  # nothing of the forgotten user reappears

    await dialogue.handle_action(BOB, "m")  # Bob has a session now
    store = RedisStore(client, 3600)
    await dialogue.handle_command(BOB, "forget")
    session, _ = await store.load(BOB)
    session.forget_until = time.time() - 1  # the confirmation window has passed
    await store.save_session(BOB, session)
    before = await dump(client)

    reply = await dialogue.handle_action(BOB, encode(Action.FORGET_CONFIRM))

    assert "expired" in reply.text
    assert await dump(client) == before


# ------------------------------------------------------------------------ rate limit


async def test_rate_limit_answers_politely_and_spares_other_users(settings, client) -> None:
    from bot.dialogue.core import RATE_LIMITED

    strict = settings.model_copy(update={"rate_limit_per_min": RATE_LIMIT})
    dialogue = Dialogue(make_engine(), RedisStore(client, settings.session_ttl_s), strict)
    replies = [await dialogue.handle_text(ALICE, "space saga") for _ in range(RATE_LIMIT + 3)]

    assert all(r.items for r in replies[:RATE_LIMIT])
    limited = replies[RATE_LIMIT:]
    assert all(r.text == RATE_LIMITED and not r.items for r in limited)
    assert "please" in RATE_LIMITED.lower() and "wait" in RATE_LIMITED.lower()
    assert (await dialogue.handle_text(BOB, "space saga")).items


# ------------------------------------------------------------------------ forget


async def test_forget_leaves_no_key_of_the_user(dialogue: Dialogue, client) -> None:
    await recommend_and_rate(dialogue, ALICE, "space saga")
    await recommend_and_rate(dialogue, BOB, "romance")
    await dialogue.handle_command(ALICE, "history")
    bobs_keys = {k: v for k, v in (await dump(client)).items() if f"{{u:{BOB}}}" in k}
    assert any(k.endswith(":ratings") for k in bobs_keys)

    await dialogue.handle_command(ALICE, "forget")
    done = await dialogue.handle_action(ALICE, encode(Action.FORGET_CONFIRM))

    assert "deleted" in done.text
    keys = await dump(client)
    assert not [k for k in keys if str(ALICE) in k]
    assert not set(user_keys(ALICE)) & set(keys)
    assert {k: v for k, v in keys.items() if f"{{u:{BOB}}}" in k} == bobs_keys
