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

import asyncio
import csv
import io
import json
import threading
from pathlib import Path

import numpy as np
import pytest
import redis.asyncio as aioredis

from bot.ops.ratings_export import CollectedRating, collect_ratings, merge_ratings, to_csv
from bot.ops.reload import CFReloader
from bot.session import Session
from bot.store import RedisStore
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


# ------------------------------------------------------------------------ retrain

# Base data: the 12 fixture movies; nobody rated both Notting Hill (7) and Toy Story (10).
NOTTING_HILL, TOY_STORY = 7, 10


def _base_ratings() -> str:
    rng = np.random.default_rng(0)
    rows = []
    for user in range(1, 41):
        group = [7, 8, 12] if user % 2 else [10, 1, 3, 4, 5, 6, 2, 9, 11]
        for item in rng.choice(group, size=min(3, len(group)), replace=False):
            rows.append(f"{user},{item},{rng.choice([3.0, 4.0, 5.0])},{1_500_000_000 + user}")
    return "user,item,rating,timestamp\n" + "\n".join(rows) + "\n"


@pytest.fixture
def home(tmp_path: Path, redis_proc: RedisProcess):
    """A RECBOT_HOME with a CF model built from small generic data (as `prepare` does)."""
    from bot.config import load_settings
    from bot.ops.artifacts import ArtifactStore, atomic_write
    from recommender.cf.registry import make_model
    from recommender.data.loaders import load_dataset
    from recommender.data.matrix import rating_matrix

    data = tmp_path / "data"
    data.mkdir()
    (data / "items.csv").write_text(
        "item_id,title,genres\n"
        + "".join(f'{i},"{t} ({y})",{"|".join(g)}\n' for i, t, y, g, *_ in ITEMS)
    )
    (data / "ratings.csv").write_text(_base_ratings())
    settings = load_settings(RECBOT_HOME=str(tmp_path / "home"), RECBOT_DATA=str(data),
                             REDIS_URL=redis_proc.url)
    dataset = load_dataset(data)
    model = make_model().fit(rating_matrix(dataset)[0])
    store = ArtifactStore(settings)
    version, path = store.next_cf_path()
    atomic_write(path, model.save)
    store.write_manifest({
        "data": {"dir": str(data), "fingerprint": dataset.fingerprint, "layout": dataset.layout},
        "cf": {"file": path.name, "version": version, "model": model.name,
               "base_fingerprint": dataset.fingerprint},
        "tagger": {"dir": "tagger-1"},
    })
    return settings


def _cf_model(settings):
    from bot.ops.artifacts import ArtifactStore
    from recommender.cf.registry import load_model

    store = ArtifactStore(settings)
    return load_model(store.require(store.current_manifest(), "cf"))


def _affinity(model, liked: int, other: int) -> float:
    """How far ``other`` ranks up for someone who loved ``liked`` (score minus the mean)."""
    from recommender.data.matrix import history_row

    scores = np.asarray(model.score(history_row({liked: 5.0}, make_engine().catalog)))[0]
    catalog = make_engine().catalog
    return float(scores[catalog.index(other)] - scores.mean())


def _collected_fans(n: int = 15) -> list[CollectedRating]:
    """Chat users who loved both Notting Hill and Toy Story."""
    return [CollectedRating(9_000_000 + u, item, 5.0, 1_700_000_000)
            for u in range(n) for item in (NOTTING_HILL, TOY_STORY)]


def test_retrain_learns_from_collected_ratings_and_publishes_a_new_version(home) -> None:
    from bot.ops.artifacts import ArtifactStore
    from bot.subcommands.ops import retrain

    before = _affinity(_cf_model(home), NOTTING_HILL, TOY_STORY)
    old_manifest = ArtifactStore(home).current_manifest()

    result = retrain(home, collected=_collected_fans())

    manifest = ArtifactStore(home).current_manifest()
    assert (result.file, result.version) == ("cf-2.npz", 2)
    assert manifest["cf"]["file"] == "cf-2.npz" and manifest["cf"]["version"] == 2
    assert manifest["cf"]["feedback_ratings"] == 30 and manifest["cf"]["feedback_users"] == 15
    assert manifest["tagger"] == old_manifest["tagger"]  # only the CF entry changes
    files = sorted(p.name for p in ArtifactStore(home).root.iterdir())
    assert files == [".retrain.lock", "cf-1.npz", "cf-2.npz", "manifest.json"]  # no temp files
    # What users notice: Notting Hill fans now get Toy Story ranked higher.
    assert _affinity(_cf_model(home), NOTTING_HILL, TOY_STORY) > before


def test_retrain_that_dies_while_writing_leaves_the_current_model(home, monkeypatch) -> None:
    from bot.ops.artifacts import ArtifactStore
    from bot.subcommands import ops
    from recommender.cf import registry

    real_make = registry.make_model

    def make_failing(*args, **kwargs):
        model = real_make(*args, **kwargs)

        def save(path: Path) -> None:
            Path(path).write_bytes(b"half a model")
            raise OSError("disk full")

        model.save = save
        return model

    monkeypatch.setattr(registry, "make_model", make_failing)
    manifest = ArtifactStore(home).current_manifest()

    with pytest.raises(OSError):
        ops.retrain(home, collected=_collected_fans())

    assert ArtifactStore(home).current_manifest() == manifest
    assert sorted(p.name for p in ArtifactStore(home).root.iterdir()) == [
        ".retrain.lock", "cf-1.npz", "manifest.json"]
    assert _cf_model(home) is not None  # still loads


def _recbot_ops(argv: list[str]) -> int:
    """``recbot <argv>`` with only the ops commands registered (fast: no model imports)."""
    import argparse

    from bot.cli import CommandTree
    from bot.subcommands import ops

    parser = argparse.ArgumentParser(prog="recbot")
    ops.register(CommandTree(parser))
    args = parser.parse_args(argv)
    return args.func(args)


def test_export_and_retrain_commands(home, redis_proc, monkeypatch, capsys, tmp_path) -> None:
    main = _recbot_ops

    async def seed() -> None:
        redis = aioredis.Redis.from_url(redis_proc.url)
        store = RedisStore(redis, 3600)
        for user in range(5):
            await rate(store, 100 + user, NOTTING_HILL, 5.0)
            await rate(store, 100 + user, TOY_STORY, 4.0)
        await store.forget(104)  # forgotten users neither exported nor learnt from
        await redis.aclose()

    asyncio.run(seed())
    for name, value in (("RECBOT_HOME", home.home), ("RECBOT_DATA", home.data),
                        ("REDIS_URL", redis_proc.url)):
        monkeypatch.setenv(name, str(value))
    out = tmp_path / "feedback.csv"

    assert main(["export", "feedback", "--out", str(out)]) == 0
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 8 and {r["user"] for r in rows} == {"100", "101", "102", "103"}

    assert main(["retrain", "--json", "--no-progress"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["feedback_ratings"] == 8 and result["feedback_users"] == 4
    assert result["file"] == "cf-2.npz"


async def test_messages_in_flight_while_retrain_swaps_the_model_all_succeed(home, client) -> None:
    from bot.dialogue.core import INTERNAL_ERROR, REDIS_DOWN, Dialogue
    from bot.ops.reload import watch_artifacts
    from bot.subcommands.ops import retrain

    engine = make_engine()
    engine.cf_model = first = _cf_model(home)
    reloader = watch_artifacts(engine, home, check_every_s=0.01)
    settings = home.model_copy(update={"rate_limit_per_min": 1_000_000})
    dialogue = Dialogue(engine, RedisStore(client, 3600), settings)
    replies: list = []
    stop = asyncio.Event()

    async def chat(user: int) -> None:
        while not stop.is_set():
            reply = await dialogue.handle_text(user, "space saga")
            replies.append(reply)
            if reply.items:
                replies.append(await dialogue.handle_action(user, reply.items[-1].like))
            await asyncio.sleep(0)

    chats = [asyncio.create_task(chat(user)) for user in range(1, 9)]
    try:
        await asyncio.to_thread(retrain, home, collected=_collected_fans())
        for _ in range(1000):  # bounded: the reloader polls every 10 ms
            if reloader.swaps:
                break
            await asyncio.sleep(0.01)
        answered_before_swap_done = len(replies)
        while len(replies) < answered_before_swap_done + 20:
            await asyncio.sleep(0.01)
    finally:
        stop.set()
        await asyncio.gather(*chats)
        reloader.stop()

    assert reloader.swaps == 1 and engine.cf_model is not first
    assert [r.text for r in replies if r.text in (INTERNAL_ERROR, REDIS_DOWN)] == []
    assert all(r.items or "Noted" in r.text or "Already" in r.text for r in replies)


def test_a_model_written_by_other_cf_code_is_not_hot_loaded(home) -> None:
    """A retrain by another release publishes a model this bot may misread: keep serving."""
    from bot.ops.artifacts import ArtifactStore
    from bot.ops.reload import watch_artifacts
    from bot.subcommands.ops import retrain

    engine = make_engine()
    engine.cf_model = first = _cf_model(home)
    reloader = watch_artifacts(engine, home, check_every_s=3600)
    try:
        retrain(home, collected=_collected_fans())
        store = ArtifactStore(home)
        manifest = store.current_manifest()
        store.write_manifest({**manifest, "cf": {**manifest["cf"], "code": "other-release"}})

        assert not reloader.poll(force=True)
        assert engine.cf_model is first
        assert engine.recommend(Query(), {NOTTING_HILL: 5.0}, k=3).items

        store.write_manifest(manifest)  # the same release's retrain: picked up
        assert reloader.poll(force=True)
        assert engine.cf_model is not first
    finally:
        reloader.stop()
