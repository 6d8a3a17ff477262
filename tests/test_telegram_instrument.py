"""Stage timings recorded around the engine and the store, invisible to the dialogue."""

from __future__ import annotations

from bot.ops.prometheus import STAGE_SECONDS
from bot.telegram.instrument import TimedEngine, TimedStore


def _count(name: str) -> float:
    for metric in STAGE_SECONDS.collect():
        for sample in metric.samples:
            if sample.name.endswith("_count") and sample.labels == {"stage": name}:
                return sample.value
    return 0.0


class _Engine:
    catalog = "the catalog"
    cf_model = "old"

    def understand(self, text):
        return f"query({text})"

    def recommend(self, query, history, *, exclude=(), k=5):
        return [query, dict(history), k]


class _Store:
    def __init__(self):
        self.ttl = 60

    async def load(self, user_id):
        return user_id * 2


async def test_proxies_time_each_stage_and_pass_everything_through() -> None:
    engine = _Engine()
    timed = TimedEngine(engine)
    before = {s: _count(s) for s in ("tagger", "ranking", "redis")}

    assert timed.understand("hi") == "query(hi)"
    assert timed.recommend("q", {1: 5.0}, k=3) == ["q", {1: 5.0}, 3]
    assert timed.catalog == "the catalog"
    engine.cf_model = "new"  # a hot reload swaps the model on the real engine
    assert timed.cf_model == "new"

    store = TimedStore(_Store())
    assert await store.load(21) == 42
    assert store.ttl == 60

    assert {s: _count(s) - before[s] for s in before} == {"tagger": 1, "ranking": 1, "redis": 1}
