# ruff: noqa: F811  (pytest fixtures imported from tests.dialogue_support)
"""RedisStore against the real Redis server: key layout, transactions, idempotence, TTL."""

from __future__ import annotations

import asyncio
import logging

from bot.config import Settings
from bot.dialogue.types import Preferences
from bot.redis_conn import connect
from bot.session import Session
from bot.store import FeedbackOutcome, RedisStore, user_keys
from recommender.nlp.query import Query
from tests.dialogue_support import redis_client, store, user_keys_in_redis  # noqa: F401

USER = 42
ALSO_ON_CLUSTER = True  # every test here runs against a single server and a 3-master cluster


def test_key_names_follow_the_design():
    assert user_keys(42) == [
        "recbot:{u:42}:ratings", "recbot:{u:42}:session", "recbot:{u:42}:seen",
        "recbot:{u:42}:events", "recbot:{u:42}:rate", "recbot:{u:42}:settings", "recbot:{u:42}:gen",
    ]


async def test_session_round_trips_with_a_ttl(store, redis_client):
    session = Session(query=Query(genres_all=["Sci-Fi"], year_min=1990), shown=[3, 1], session_shown=[3, 1], page=2)
    await store.save_session(USER, session, [3, 1])
    state = await store.begin_turn(USER)
    assert state.session == session
    assert 3590 < await redis_client.ttl("recbot:{u:42}:session") <= 3600
    assert await redis_client.smembers("recbot:{u:42}:seen") == {b"1", b"3"}
    assert await redis_client.ttl("recbot:{u:42}:seen") == -1  # seen outlives the session


async def test_session_expires_after_its_ttl(redis_client):
    short = RedisStore(redis_client, session_ttl_s=1)
    await short.save_session(USER, Session(query=Query(genres_all=["Comedy"]), shown=[7]), [7])
    await asyncio.sleep(1.3)
    state = await short.begin_turn(USER)
    assert state.session == Session()
    assert await short.was_shown(USER, 7)  # feedback on old lists still accepted


async def test_unreadable_session_is_treated_as_empty(store, redis_client):
    await redis_client.set("recbot:{u:42}:session", b"\xff not json")
    assert (await store.begin_turn(USER)).session == Session()


async def test_feedback_writes_rating_and_event_together(store, redis_client):
    await store.save_session(USER, Session(shown=[5]), [5])
    assert await store.record_feedback(USER, 5, 5.0, "l") is FeedbackOutcome.RECORDED
    assert await redis_client.hgetall("recbot:{u:42}:ratings") == {b"5": b"5"}
    events = await store.events(USER)
    assert [(e["item_id"], e["rating"], e["action"]) for e in events] == [(5, 5.0, "l")]


async def test_the_same_press_twice_is_one_rating_and_one_event(store):
    await store.save_session(USER, Session(shown=[5]), [5])
    outcomes = await asyncio.gather(*[store.record_feedback(USER, 5, 1.0, "d") for _ in range(10)])
    assert outcomes.count(FeedbackOutcome.RECORDED) == 1
    assert outcomes.count(FeedbackOutcome.DUPLICATE) == 9
    assert len(await store.events(USER)) == 1
    assert await store.ratings(USER) == {5: 1.0}
    # Changing one's mind is a new event.
    assert await store.record_feedback(USER, 5, 5.0, "l") is FeedbackOutcome.RECORDED
    assert len(await store.events(USER)) == 2


async def test_feedback_on_items_never_shown_is_rejected(store, redis_client):
    assert await store.record_feedback(USER, 5, 5.0, "l") is FeedbackOutcome.NOT_SHOWN
    assert await user_keys_in_redis(redis_client, USER) == []


async def test_forget_deletes_every_key_of_the_user_only(store, redis_client):
    for user in (USER, 43):
        await store.save_session(user, Session(shown=[5]), [5])
        await store.record_feedback(user, 5, 5.0, "l")
        await store.begin_turn(user)
        await store.save_preferences(user, Preferences(items=7))
    assert len(await user_keys_in_redis(redis_client, USER)) == 7
    assert await store.forget(USER) == 7
    assert await user_keys_in_redis(redis_client, USER) == []
    assert await store.preferences(USER) == Preferences()
    assert len(await user_keys_in_redis(redis_client, 43)) == 7


async def test_rate_counter_counts_within_a_minute(store, redis_client):
    counts = [(await store.begin_turn(USER)).messages_this_minute for _ in range(3)]
    assert counts == [1, 2, 3]
    assert 0 < await redis_client.ttl("recbot:{u:42}:rate") <= 60


async def test_global_event_stream_is_pseudonymous_and_forget_removes_the_users_entries(redis_client):
    import hashlib
    import hmac

    key = "event-key-from-config"
    streaming = RedisStore(redis_client, session_ttl_s=60, event_key=key)
    for user in (USER, 43):
        await streaming.save_session(user, Session(shown=[5, 6]), [5, 6])
        await streaming.record_feedback(user, 5, 4.0, "r")
        await streaming.record_feedback(user, 6, 1.0, "d")
    entries = await redis_client.xrange("recbot:events")
    assert len(entries) == 4
    fields = entries[0][1]
    assert fields[b"item"] == b"5" and fields[b"rating"] == b"4.0"
    assert str(USER).encode() != fields[b"u"]
    expected = hmac.new(key.encode(), str(USER).encode(), hashlib.sha256).hexdigest()[:32]
    assert fields[b"u"] == expected.encode()  # keyed: not reversible without the key
    everything = [k async for k in redis_client.scan_iter(match="*")]
    for k in everything:  # the key itself is never stored in Redis
        if (await redis_client.type(k)) == b"string":
            assert key.encode() not in (await redis_client.get(k) or b"")
    await streaming.forget(USER)
    assert await user_keys_in_redis(redis_client, USER) == []
    left = await redis_client.xrange("recbot:events")
    assert len(left) == 2 and all(f[b"u"] != expected.encode() for _, f in left)


def test_event_stream_without_a_key_is_refused(redis_client):
    import pytest

    with pytest.raises(ValueError, match="RECBOT_EVENT_STREAM_KEY"):
        RedisStore(redis_client, session_ttl_s=60, event_stream=True)


async def test_a_write_of_a_turn_that_began_before_forget_is_dropped(store, redis_client):
    state = await store.begin_turn(USER)
    assert state.generation
    await store.forget(USER)
    written = await store.save_session(USER, Session(shown=[5]), [5], generation=state.generation)
    assert written is False
    assert await user_keys_in_redis(redis_client, USER) == []
    fresh = await store.begin_turn(USER)  # a turn after the forget writes normally
    assert fresh.generation != state.generation
    assert await store.save_session(USER, Session(shown=[5]), [5], generation=fresh.generation)


async def test_likes_stated_in_a_turn_that_began_before_forget_are_dropped(store, redis_client):
    state = await store.begin_turn(USER)
    await store.forget(USER)
    assert await store.record_stated(USER, {1: 5.0}, generation=state.generation) is False
    assert await user_keys_in_redis(redis_client, USER) == []
    fresh = await store.begin_turn(USER)
    assert await store.record_stated(USER, {1: 5.0}, generation=fresh.generation)
    assert await store.ratings(USER) == {1: 5.0}


async def test_settings_saved_in_a_turn_that_began_before_forget_are_dropped(store, redis_client):
    state = await store.begin_turn(USER)
    await store.forget(USER)
    assert await store.save_preferences(USER, Preferences(items=8), generation=state.generation) is False
    assert await user_keys_in_redis(redis_client, USER) == []
    fresh = await store.begin_turn(USER)
    assert await store.save_preferences(USER, Preferences(items=8), generation=fresh.generation)
    assert await store.preferences(USER) == Preferences(items=8)


async def test_feedback_racing_forget_leaves_nothing(store, redis_client):
    for _ in range(40):
        await store.begin_turn(USER)
        await store.save_session(USER, Session(shown=[5]), [5])
        outcome, _ = await asyncio.gather(store.record_feedback(USER, 5, 5.0, "l"), store.forget(USER))
        if outcome is FeedbackOutcome.RECORDED:  # it won: the forget that followed deleted it
            pass
        assert await user_keys_in_redis(redis_client, USER) == []


async def test_feedback_counts_against_the_rate_limit(store, redis_client):
    await store.save_session(USER, Session(shown=list(range(1, 8))), list(range(1, 8)))
    outcomes = [await store.record_feedback(USER, i, 5.0, "l", rate_limit=5) for i in range(1, 8)]
    assert outcomes.count(FeedbackOutcome.RECORDED) == 5
    assert outcomes[5:] == [FeedbackOutcome.RATE_LIMITED] * 2
    assert len(await store.ratings(USER)) == 5


async def test_watch_conflicts_are_retried_a_bounded_number_of_times(store, redis_client, monkeypatch):
    import pytest

    from bot.redis_budget import MAX_WATCH_RETRIES, StoreContention

    await store.save_session(USER, Session(shown=[5]), [5])
    original = store.redis.pipeline
    attempts = []

    def meddling_pipeline(*args, **kwargs):
        pipe = original(*args, **kwargs)
        execute = pipe.execute

        async def execute_after_a_rival_write(*a, **k):
            attempts.append(1)
            await redis_client.hset("recbot:{u:42}:ratings", "9", "1")  # touches a WATCHed key
            return await execute(*a, **k)

        pipe.execute = execute_after_a_rival_write
        return pipe

    monkeypatch.setattr(store.redis, "pipeline", meddling_pipeline)
    with pytest.raises(StoreContention):
        await store.record_feedback(USER, 5, 5.0, "l")
    assert len(attempts) == MAX_WATCH_RETRIES
    assert (await store.ratings(USER)).get(5) is None


async def test_embedded_redis_keeps_data_under_the_home_dir(tmp_path, caplog):
    settings = Settings(RECBOT_HOME=tmp_path, REDIS_URL="")
    client = connect(settings)
    try:
        await client.hset("recbot:{u:1}:ratings", "5", "4")
    finally:
        with caplog.at_level(logging.INFO):
            await client.aclose()
    # A clean stop (every console /quit): no "shutdown failed, sending sigterm".
    assert not [r for r in caplog.records if "failed" in r.getMessage()]
    assert any((tmp_path / "redis").iterdir())
    client = connect(settings)
    try:
        assert await client.hget("recbot:{u:1}:ratings", "5") == b"4"
    finally:
        await client.aclose()


async def test_preferences_round_trip_in_the_users_key_family(store, redis_client):
    assert await store.preferences(USER) == Preferences()  # nothing stored: defaults
    await store.save_preferences(USER, Preferences(items=8, posters=False, lang="zh"))
    assert await store.preferences(USER) == Preferences(items=8, posters=False, lang="zh")
    assert await redis_client.ttl("recbot:{u:42}:settings") == -1  # kept until /forget
    await store.save_preferences(USER, Preferences(posters=True))
    assert await redis_client.hgetall("recbot:{u:42}:settings") == {b"posters": b"1"}


async def test_hand_edited_preferences_fall_back_to_defaults(store, redis_client):
    await redis_client.hset("recbot:{u:42}:settings",
                            mapping={"items": "99", "posters": "0", "lang": "klingon"})
    assert await store.preferences(USER) == Preferences(items=None, posters=False, lang=None)
