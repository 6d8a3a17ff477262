"""Shared fixtures: a prepared RECBOT_HOME (real data, quick real tagger), the engine
built from it, and a per-suite Redis database on the local server.

``redis_backend`` is "single" (the local server) unless a test module sets
``ALSO_ON_CLUSTER = True``: then its Redis tests run twice, also against a real 3-master
Redis Cluster started once per session on loopback ports 7100-7199 (``redis_cluster``).

``prepared_home`` runs ``recbot prepare`` once per test session into a temporary home
(about a minute: CF fit, item embeddings, a 60-step tagger). Set ``RECBOT_TEST_HOME`` to
a directory to keep and reuse it across local runs (prepare is idempotent).
Data comes from ``RECBOT_DATA`` / ``RECBOT_TAGGER_DATA`` or ``../shared/data``
(``tests/data_paths.py``); without it the tests that need it skip, naming what is missing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.data_paths import (
    MISSING_MIT_MOVIE,
    MISSING_MOVIELENS,
    has_mit_movie,
    has_movielens,
    mit_movie_dir,
    movielens_dir,
)

TEST_TAGGER_STEPS = 60
# One Redis database per test-module family, so suites never see each other's keys.
REDIS_DBS = {"store": 1, "dialogue": 2, "chat": 3, "telegram": 4, "ops": 5, "bench": 6}
DEFAULT_REDIS_DB = 9
# The local server the Redis tests use; RECBOT_TEST_REDIS_PORT moves them to another one
# (e.g. several checkouts testing at once on one machine).
TEST_REDIS_PORT = int(os.environ.get("RECBOT_TEST_REDIS_PORT", "6379"))


@pytest.fixture(scope="session")
def prepared_home(tmp_path_factory):
    """Settings of a RECBOT_HOME where ``prepare()`` has built every artifact."""
    from bot.config import load_settings
    from bot.ops.artifacts import prepare

    if not has_movielens():
        pytest.skip(MISSING_MOVIELENS)
    if not has_mit_movie():
        pytest.skip(MISSING_MIT_MOVIE)
    data, tagger = movielens_dir(), mit_movie_dir()
    home = os.environ.get("RECBOT_TEST_HOME")
    home_path = Path(home) if home else tmp_path_factory.mktemp("recbot-home")
    settings = load_settings(RECBOT_HOME=home_path, RECBOT_DATA=data, RECBOT_TAGGER_DATA=tagger,
                             REDIS_URL=None, TELEGRAM_BOT_TOKEN=None)
    prepare(settings, tagger_steps=TEST_TAGGER_STEPS, progress=False)
    return settings


@pytest.fixture(scope="session")
def engine(prepared_home):
    """The real ``Engine`` loaded from ``prepared_home`` (shared: treat it as read-only)."""
    from bot.ops.artifacts import load_engine

    return load_engine(prepared_home)


@pytest.fixture
def redis_url(request) -> str:
    """``redis://127.0.0.1:<port>/<db>`` for this test module's family, flushed first."""
    import redis

    name = Path(str(request.node.fspath)).stem.removeprefix("test_")
    db = next((n for key, n in REDIS_DBS.items() if name.startswith(key)), DEFAULT_REDIS_DB)
    url = f"redis://127.0.0.1:{TEST_REDIS_PORT}/{db}"
    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    except redis.ConnectionError:
        pytest.skip(f"no Redis server at 127.0.0.1:{TEST_REDIS_PORT}")
    finally:
        client.close()
    return url


def pytest_generate_tests(metafunc) -> None:
    """Modules with ``ALSO_ON_CLUSTER = True`` run their Redis tests on both backends."""
    if "redis_backend" in metafunc.fixturenames and getattr(metafunc.module, "ALSO_ON_CLUSTER", False):
        metafunc.parametrize("redis_backend", ["single", "cluster"], indirect=True)


@pytest.fixture
def redis_backend(request) -> str:
    """"single" or "cluster" (see ``pytest_generate_tests``)."""
    return getattr(request, "param", "single")


@pytest.fixture(scope="session")
def redis_cluster(tmp_path_factory):
    """A real 3-master Redis Cluster for the session (``tests.redis_cluster``), or skip."""
    from tests.redis_cluster import RedisClusterProcesses, cluster_tools

    if not cluster_tools():
        pytest.skip("redis-server and redis-cli are needed for the Redis Cluster tests")
    cluster = RedisClusterProcesses(tmp_path_factory.mktemp("redis-cluster"))
    try:
        cluster.start()
    except Exception:
        cluster.stop()
        raise
    try:
        yield cluster
    finally:
        cluster.stop()
