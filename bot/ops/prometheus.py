"""Prometheus metrics of the bot: updates by kind, errors, per-stage latencies.

The metric objects live in one module-level registry so that every part of ``bot/``
(the Telegram front end, the dialogue layer, the store) records into the same place and
``GET /metrics`` exposes all of it. Usage from any layer::

    from bot.ops.prometheus import stage

    with stage("tagger"):          # also works inside ``async def``
        entities = tagger.tag(text)

Stage names used by the bot: ``tagger``, ``ranking``, ``redis`` (any short name works).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    gc_collector,
    generate_latest,
    platform_collector,
    process_collector,
)

REGISTRY = CollectorRegistry(auto_describe=True)
process_collector.ProcessCollector(registry=REGISTRY)
platform_collector.PlatformCollector(registry=REGISTRY)
gc_collector.GCCollector(registry=REGISTRY)

# Buckets from 1 ms to 10 s: Redis calls sit at the low end, model inference in the middle.
_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

UPDATES = Counter(
    "recbot_updates", "Telegram updates received, by kind", ["kind"], registry=REGISTRY
)
ERRORS = Counter(
    "recbot_errors", "Updates whose handling raised, by update kind", ["kind"], registry=REGISTRY
)
STAGE_SECONDS = Histogram(
    "recbot_stage_seconds",
    "Time spent in one stage of answering (tagger, ranking, redis, ...)",
    ["stage"],
    buckets=_BUCKETS,
    registry=REGISTRY,
)
UPDATE_SECONDS = Histogram(
    "recbot_update_seconds",
    "Time from receiving an update to having answered it, by kind",
    ["kind"],
    buckets=_BUCKETS,
    registry=REGISTRY,
)


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Time the enclosed block into ``recbot_stage_seconds{stage=name}`` (also on error)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        STAGE_SECONDS.labels(stage=name).observe(time.perf_counter() - start)


def exposition() -> tuple[bytes, str]:
    """The current metrics in Prometheus text format, with its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
