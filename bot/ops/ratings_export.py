"""Ratings collected by the bot: read them out of Redis, write them as CSV, merge them.

The ratings hash of each user (``recbot:{u:<id>}:ratings``) is the source of truth: a
user who ran /forget has no keys left and so is absent from every export and retrain.
The time of a rating is the time of the newest event for that item in the user's
feedback log (0 when the log no longer has it).

The CSV is the generic layout of ``recommender.data.loaders``: header
``user,item,rating,timestamp``, stars 0.5..5, Unix seconds.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass

import numpy as np
import redis.asyncio as aioredis

from bot.store import user_key
from recommender.data.catalog import Ratings

log = logging.getLogger(__name__)

CSV_HEADER = ("user", "item", "rating", "timestamp")
SCAN_BATCH = 500
# The hash tag braces are literal in a Redis glob pattern.
_RATINGS_PATTERN = user_key(0, "ratings").replace("{u:0}", "{u:*}")


@dataclass(frozen=True)
class CollectedRating:
    user_id: int
    item_id: int
    stars: float
    timestamp: int


async def _user_ids(redis: aioredis.Redis) -> AsyncIterator[int]:
    """Every user id that has a ratings hash (SCAN: never blocks the server)."""
    prefix, suffix = _RATINGS_PATTERN.split("*")
    async for raw in redis.scan_iter(match=_RATINGS_PATTERN, count=SCAN_BATCH, _type="hash"):
        key = raw.decode() if isinstance(raw, bytes) else str(raw)
        middle = key[len(prefix) : len(key) - len(suffix)]
        try:
            yield int(middle)
        except ValueError:
            continue  # a foreign key that happens to match the pattern


def _latest_times(raw_events: Iterable[bytes | str]) -> dict[int, int]:
    times: dict[int, int] = {}
    for raw in raw_events:
        try:
            event = json.loads(raw)
            times[int(event["item_id"])] = int(float(event["ts"]))
        except (ValueError, TypeError, KeyError):
            continue  # one unreadable log entry must not stop an export
    return times


async def collect_ratings(redis: aioredis.Redis) -> list[CollectedRating]:
    """All ratings stored in Redis, sorted by user then item."""
    collected: list[CollectedRating] = []
    user_ids = sorted({uid async for uid in _user_ids(redis)})
    for uid in user_ids:
        async with redis.pipeline(transaction=False) as pipe:
            pipe.hgetall(user_key(uid, "ratings"))
            pipe.lrange(user_key(uid, "events"), 0, -1)
            raw_ratings, raw_events = await pipe.execute()
        times = _latest_times(raw_events)
        for raw_item, raw_stars in raw_ratings.items():
            try:
                item_id, stars = int(raw_item), float(raw_stars)
            except (TypeError, ValueError):
                continue
            collected.append(CollectedRating(uid, item_id, stars, times.get(item_id, 0)))
    collected.sort(key=lambda r: (r.user_id, r.item_id))
    log.info("collected %d ratings of %d users from Redis", len(collected), len(user_ids))
    return collected


def to_csv(ratings: Iterable[CollectedRating]) -> str:
    """The generic-layout CSV text (header included) of ``ratings``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for r in ratings:
        stars = str(int(r.stars)) if r.stars == int(r.stars) else str(r.stars)
        writer.writerow((r.user_id, r.item_id, stars, r.timestamp))
    return out.getvalue()


def merge_ratings(base: Ratings, collected: list[CollectedRating]) -> Ratings:
    """``base`` plus ``collected``, with collected users given ids no base user has.

    Chat users and data-set users are different people even when their numbers agree
    (Telegram id 42 is not MovieLens user 42), so collected users are renumbered above
    the largest base user id, in ascending order of their own ids.
    """
    if not collected:
        return base
    first_free = int(base.users.max()) + 1 if len(base) else 1
    chat_users = sorted({r.user_id for r in collected})
    new_id = {uid: first_free + n for n, uid in enumerate(chat_users)}
    return Ratings(
        users=np.concatenate([base.users, np.array([new_id[r.user_id] for r in collected], np.int64)]),
        items=np.concatenate([base.items, np.array([r.item_id for r in collected], np.int64)]),
        ratings=np.concatenate(
            [base.ratings, np.array([r.stars for r in collected], np.float32)]
        ).astype(np.float32),
        timestamps=np.concatenate(
            [base.timestamps, np.array([r.timestamp for r in collected], np.int64)]
        ),
    )
