"""Feedback collected in Redis becomes a better model, and a running bot picks it up.

- ``recbot export feedback`` writes exactly the stored ratings in the generic CSV layout
  (a forgotten user is absent);
- ``recbot retrain`` merges them with the base data, refits CF, writes a new versioned
  artifact atomically and swaps the manifest;
- a bot answering messages while the model is swapped fails none of them.

Each test starts its own redis-server (tests/redis_server.py), so nothing is shared with
other suites.
"""

from __future__ import annotations

import csv
import io
import threading
from pathlib import Path

import numpy as np
import pytest
import redis.asyncio as aioredis

from bot.feedback import CollectedRating, collect_ratings, merge_ratings, to_csv
from bot.reload import CFReloader
from bot.store import RedisStore, Session
from recommender.data.catalog import Ratings
from recommender.nlp.query import Query
from tests.ranking_fixtures import ITEMS, ItemItemModel, make_engine, topic_model
from tests.redis_server import RedisProcess, redis_server_binary

pytestmark = pytest.mark.skipif(redis_server_binary() is None, reason="no redis-server binary")


@pytest.fixture
def redis_proc(tmp_path: Path):
    with RedisProcess(tmp_path / "redis") as proc:
        yield proc


@pytest.fixture
async def client(redis_proc: RedisProcess):
    redis = aioredis.Redis.from_url(redis_proc.url)
    yield redis
    await redis.aclose()


async def rate(store: RedisStore, user_id: int, item_id: int, stars: float) -> None:
    """A rating as the bot records it: the item was shown first, then rated."""
    await store.save_session(user_id, Session(), newly_shown=[item_id])
    await store.record_feedback(user_id, item_id, stars, "rate")


# ------------------------------------------------------------------------ export


async def test_export_writes_every_stored_rating_in_the_generic_layout(client) -> None:
    store = RedisStore(client, session_ttl_s=3600)
    await rate(store, 42, 1, 5.0)
    await rate(store, 42, 9, 1.0)
    await rate(store, 42, 1, 4.5)  # changed mind: the latest rating counts
    await rate(store, 7, 3, 3.5)

    text = to_csv(await collect_ratings(client))

    rows = list(csv.DictReader(io.StringIO(text)))
    assert text.splitlines()[0] == "user,item,rating,timestamp"
    assert [(r["user"], r["item"], r["rating"]) for r in rows] == [
        ("7", "3", "3.5"), ("42", "1", "4.5"), ("42", "9", "1"),
    ]  # fmt: skip
    assert all(int(r["timestamp"]) > 1_600_000_000 for r in rows)


async def test_export_readable_by_the_generic_loader(client, tmp_path: Path) -> None:
    from recommender.data.loaders import GENERIC, load_dataset

    store = RedisStore(client, session_ttl_s=3600)
    await rate(store, 5, 1, 5.0)
    await rate(store, 5, 2, 2.0)
    data = tmp_path / "data"
    data.mkdir()
    (data / "items.csv").write_text(
        "item_id,title\n" + "".join(f'{i},"{t} ({y})"\n' for i, t, y, *_ in ITEMS)
    )
    (data / "ratings.csv").write_text(to_csv(await collect_ratings(client)))

    dataset = load_dataset(data)

    assert dataset.layout == GENERIC
    assert sorted(zip(dataset.ratings.items.tolist(), dataset.ratings.ratings.tolist(),
                      strict=True)) == [(1, 5.0), (2, 2.0)]


async def test_forgotten_user_is_not_exported(client) -> None:
    store = RedisStore(client, session_ttl_s=3600)
    await rate(store, 1, 1, 5.0)
    await rate(store, 2, 2, 4.0)
    await store.forget(1)

    users = {r.user_id for r in await collect_ratings(client)}

    assert users == {2}


def test_merge_keeps_chat_users_apart_from_data_set_users() -> None:
    base = Ratings(
        users=np.array([1, 1, 42], np.int64), items=np.array([1, 2, 3], np.int64),
        ratings=np.array([4, 3, 5], np.float32), timestamps=np.zeros(3, np.int64),
    )  # fmt: skip
    collected = [CollectedRating(42, 9, 1.0, 10), CollectedRating(7, 1, 5.0, 11)]

    merged = merge_ratings(base, collected)

    assert len(merged) == 5
    new_users = merged.users[3:].tolist()
    # Telegram user 42 is not data-set user 42; both chat users get fresh ids.
    assert set(new_users).isdisjoint({1, 42}) and len(set(new_users)) == 2
    assert merged.items[3:].tolist() == [9, 1]


# ------------------------------------------------------------------------ hot reload


def _publish(manifest: Path, version: int) -> None:
    """What retrain does last: replace the manifest with a new file (new inode)."""
    tmp = manifest.with_suffix(".tmp")
    tmp.write_text(f'{{"cf": "cf-{version}.npz"}}')
    tmp.replace(manifest)


def test_reloader_swaps_the_model_once_the_manifest_changes(tmp_path: Path) -> None:
    engine = make_engine()
    manifest = tmp_path / "manifest.json"
    _publish(manifest, 1)
    new_model = topic_model()
    now = [0.0]
    reloader = CFReloader(engine, manifest, lambda: new_model, check_every_s=5,
                          clock=lambda: now[0])

    assert not reloader.poll(force=True)  # unchanged manifest: nothing to do
    _publish(manifest, 2)
    now[0] = 1.0
    assert not reloader.poll()  # checked at most every 5 s
    now[0] = 6.0
    assert reloader.poll()
    assert engine.cf_model is new_model


def test_reloader_keeps_serving_when_the_new_model_does_not_fit(tmp_path: Path) -> None:
    engine = make_engine()
    old = engine.cf_model
    manifest = tmp_path / "manifest.json"
    _publish(manifest, 1)
    wrong_size = ItemItemModel(np.eye(len(ITEMS) + 3, dtype=np.float32))
    reloader = CFReloader(engine, manifest, lambda: wrong_size)
    _publish(manifest, 2)

    assert not reloader.poll(force=True)
    assert engine.cf_model is old

    def broken():
        raise OSError("truncated file")

    reloader._load_cf = broken
    _publish(manifest, 3)
    assert not reloader.poll(force=True)
    assert engine.cf_model is old
    history = {3: 5.0}
    assert engine.recommend(Query(), history, k=3).items


def test_requests_in_flight_during_swaps_all_succeed(tmp_path: Path) -> None:
    """Many threads recommend while the reloader swaps models underneath them."""
    engine = make_engine()
    manifest = tmp_path / "manifest.json"
    _publish(manifest, 0)
    reloader = CFReloader(engine, manifest, topic_model, check_every_s=0.001).start()
    failures: list[BaseException] = []
    answers = [0]
    stop = threading.Event()

    def chat(user: int) -> None:
        rng = np.random.default_rng(user)
        while not stop.is_set():
            history = {int(i): 5.0 for i in rng.choice([1, 2, 3, 4, 5, 6, 7], 2, replace=False)}
            try:
                result = engine.recommend(Query(), history, k=3)
                assert len(result.items) == 3
                answers[0] += 1
            except BaseException as exc:  # any failure at all is the finding
                failures.append(exc)

    threads = [threading.Thread(target=chat, args=(u,)) for u in range(4)]
    for t in threads:
        t.start()
    for version in range(1, 30):
        _publish(manifest, version)
        reloader.poll(force=True)
    stop.set()
    for t in threads:
        t.join(timeout=30)
    reloader.stop()

    assert failures == []
    assert answers[0] > 0 and reloader.swaps >= 1
