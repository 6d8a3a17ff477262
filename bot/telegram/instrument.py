"""Stage timings without touching the layers they time: thin proxies for the engine and
the Redis store that record into ``bot.ops.prometheus`` (``recbot_stage_seconds``).

- ``TimedEngine``: ``understand`` (tagger + query parser) as stage ``tagger``,
  ``recommend`` (CF fold-in, semantic scores, blend, rerank) as stage ``ranking``.
- ``TimedStore``: every coroutine method of ``bot.store.RedisStore`` (one round trip or
  one MULTI/EXEC each) as stage ``redis``.

Everything else is passed through unchanged, so the dialogue layer cannot tell the
difference. (A layer that times itself with ``bot.ops.prometheus.stage`` should not also be
wrapped here, or the stage is counted twice.)
"""

from __future__ import annotations

import functools
import inspect
from typing import Any

from bot.ops.prometheus import stage


class TimedEngine:
    """Delegates to ``engine``; times ``understand`` and ``recommend``."""

    def __init__(self, engine: Any) -> None:
        self._engine = engine

    def understand(self, text: str) -> Any:
        with stage("tagger"):
            return self._engine.understand(text)

    def recommend(self, *args: Any, **kwargs: Any) -> Any:
        with stage("ranking"):
            return self._engine.recommend(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        # Read through on every access: a hot reload swaps engine.cf_model in place.
        return getattr(self._engine, name)


class TimedStore:
    """Delegates to ``store``; times each of its coroutine methods as stage ``redis``."""

    def __init__(self, store: Any) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._store, name)
        if not inspect.iscoroutinefunction(attr):
            return attr

        @functools.wraps(attr)
        async def timed(*args: Any, **kwargs: Any) -> Any:
            with stage("redis"):
                return await attr(*args, **kwargs)

        return timed
