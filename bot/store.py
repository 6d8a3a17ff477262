"""Per-user state in Redis: ratings, session, seen items, feedback log, rate limit.

Keys (docs/design.md, "Redis keys"); every key of one user shares the hash tag ``{u:<user_id>}`` so they
live in one Redis Cluster slot and can be written in one MULTI/EXEC::

    recbot:{u:<id>}:ratings   hash  item_id -> stars ("5", "1", "3.5")
    recbot:{u:<id>}:session   string, JSON of ``Session``; expires after session_ttl_s
    recbot:{u:<id>}:seen      set   every item_id ever shown to the user (feedback check)
    recbot:{u:<id>}:events    list  that user's feedback log, JSON per entry, newest last
    recbot:{u:<id>}:rate      string, messages in the current minute (expires)
    recbot:events             optional global stream of pseudonymous feedback events

Nothing is cached in the process: every request reads Redis, so several replicas can
serve one user and a rating written a moment ago is used by the next request.
Redis failures surface as ``redis.exceptions.ConnectionError``/``TimeoutError``; the
dialogue layer turns them into a friendly reply.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import WatchError
from redis.typing import EncodableT, FieldT

from recommender.nlp.query import Command, Query

log = logging.getLogger(__name__)

EVENTS_KEEP = 1000  # per-user feedback log is trimmed to its newest entries
STREAM_KEY = "recbot:events"
STREAM_MAXLEN = 100_000
SALT_KEY = "recbot:anon-salt"
RATE_WINDOW_S = 60
USER_KEY_SUFFIXES = ("ratings", "session", "seen", "events", "rate")


def user_key(user_id: int, kind: str) -> str:
    """``recbot:{u:<user_id>}:<kind>`` — the one place key names are spelled."""
    return f"recbot:{{u:{int(user_id)}}}:{kind}"


def user_keys(user_id: int) -> list[str]:
    """Every key that may hold data of ``user_id`` (what ``forget`` deletes)."""
    return [user_key(user_id, kind) for kind in USER_KEY_SUFFIXES]


@dataclass
class Session:
    """The conversation so far: refined query, the last list shown, paging state.

    ``shown`` is the last list in display order (ordinals like "#2" resolve against it);
    ``session_shown`` every item shown since the query was started (never repeated
    while refining or paging). ``forget_until`` is the unix time until which a /forget
    confirmation press is accepted (0 = not pending). ``focus`` is the movie "it" /
    "that one" refers to: the last one the user named, or the first of the last list
    shown, whichever came last. ``excluded`` are movies the user said they have seen
    (never suggested while the session lives).
    """

    query: Query | None = None
    shown: list[int] = field(default_factory=list)
    session_shown: list[int] = field(default_factory=list)
    page: int = 0
    forget_until: float = 0.0
    focus: int | None = None
    excluded: list[int] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(
            {
                "query": query_to_dict(self.query) if self.query is not None else None,
                "shown": self.shown,
                "session_shown": self.session_shown,
                "page": self.page,
                "forget_until": self.forget_until,
                "focus": self.focus,
                "excluded": self.excluded,
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, raw: str | bytes | None) -> Session:
        """Parse stored JSON; an absent or unreadable value is an empty session."""
        if not raw:
            return cls()
        try:
            data = json.loads(raw)
            query = query_from_dict(data["query"]) if data.get("query") else None
            return cls(
                query=query,
                shown=[int(i) for i in data.get("shown", [])],
                session_shown=[int(i) for i in data.get("session_shown", [])],
                page=int(data.get("page", 0)),
                forget_until=float(data.get("forget_until", 0.0)),
                focus=int(data["focus"]) if data.get("focus") is not None else None,
                excluded=[int(i) for i in data.get("excluded", [])],
            )
        except (ValueError, TypeError, KeyError, AttributeError):
            # A session written by an incompatible version is not worth an error.
            log.warning("discarding unreadable session state")
            return cls()


def query_to_dict(query: Query) -> dict[str, Any]:
    data = dataclasses.asdict(query)
    data["command"] = query.command.value if query.command is not None else None
    return data


def query_from_dict(data: Mapping[str, Any]) -> Query:
    """Inverse of ``query_to_dict``; unknown keys (from a newer version) are ignored."""
    names = {f.name for f in dataclasses.fields(Query)}
    kwargs = {k: v for k, v in data.items() if k in names}
    if kwargs.get("command") is not None:
        kwargs["command"] = Command(kwargs["command"])
    return Query(**kwargs)


@dataclass(frozen=True)
class TurnState:
    """What one message needs from Redis, read in one round trip."""

    session: Session
    history: dict[int, float]
    messages_this_minute: int


class FeedbackOutcome(StrEnum):
    RECORDED = "recorded"  # new or changed rating, event logged
    DUPLICATE = "duplicate"  # the same rating was already stored: nothing written
    NOT_SHOWN = "not_shown"  # the item was never shown to this user: rejected


class RedisStore:
    """All Redis reads and writes of the bot. Stateless apart from the client."""

    def __init__(
        self,
        redis: aioredis.Redis,
        session_ttl_s: int,
        *,
        event_stream: bool = False,
    ) -> None:
        self.redis = redis
        self.session_ttl_s = int(session_ttl_s)
        self.event_stream = event_stream

    # -- one message -------------------------------------------------------------------
    async def begin_turn(self, user_id: int) -> TurnState:
        """Count the message for rate limiting and read session + ratings, atomically.

        ``SET rate 0 EX 60 NX`` + ``INCR`` gives a fixed one-minute window that starts
        with the first message (INCR keeps the TTL; the whole block is one MULTI so the
        counter can never lose its expiry).
        """
        rate = user_key(user_id, "rate")
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(rate, 0, ex=RATE_WINDOW_S, nx=True)
            pipe.incr(rate)
            pipe.get(user_key(user_id, "session"))
            pipe.hgetall(user_key(user_id, "ratings"))
            _, count, raw_session, raw_ratings = await pipe.execute()
        return TurnState(Session.from_json(raw_session), _parse_ratings(raw_ratings), int(count))

    async def load(self, user_id: int) -> tuple[Session, dict[int, float]]:
        """Session and ratings without counting a message (button presses)."""
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.get(user_key(user_id, "session"))
            pipe.hgetall(user_key(user_id, "ratings"))
            raw_session, raw_ratings = await pipe.execute()
        return Session.from_json(raw_session), _parse_ratings(raw_ratings)

    async def save_session(self, user_id: int, session: Session, newly_shown: Sequence[int] = ()) -> None:
        """Store the session (TTL refreshed) and add the shown items to ``seen``, in one MULTI."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(user_key(user_id, "session"), session.to_json(), ex=self.session_ttl_s)
            if newly_shown:
                pipe.sadd(user_key(user_id, "seen"), *[int(i) for i in newly_shown])
            await pipe.execute()

    async def clear_session(self, user_id: int) -> None:
        await self.redis.delete(user_key(user_id, "session"))

    async def ratings(self, user_id: int) -> dict[int, float]:
        return _parse_ratings(await self.redis.hgetall(user_key(user_id, "ratings")))

    async def was_shown(self, user_id: int, item_id: int) -> bool:
        return bool(await self.redis.sismember(user_key(user_id, "seen"), str(int(item_id))))

    # -- feedback ----------------------------------------------------------------------
    async def record_feedback(
        self, user_id: int, item_id: int, rating: float, action: str
    ) -> FeedbackOutcome:
        """Store one rating and log it, idempotently (compare-and-set).

        WATCH the ratings hash, read the current rating; equal -> DUPLICATE (a press
        delivered twice writes nothing); otherwise MULTI: HSET rating + RPUSH/LTRIM event,
        EXEC. A concurrent change of the hash aborts EXEC and the check is retried.
        Items never shown to the user (not in ``seen``) are rejected.
        """
        ratings_key = user_key(user_id, "ratings")
        seen_key = user_key(user_id, "seen")
        events_key = user_key(user_id, "events")
        item = str(int(item_id))
        stars = float(rating)
        async with self.redis.pipeline(transaction=True) as pipe:
            while True:
                try:
                    await pipe.watch(ratings_key)
                    if not await pipe.sismember(seen_key, item):
                        return FeedbackOutcome.NOT_SHOWN
                    current = await pipe.hget(ratings_key, item)
                    if current is not None and float(current) == stars:
                        return FeedbackOutcome.DUPLICATE
                    event = {"ts": round(time.time(), 3), "item_id": int(item_id),
                             "rating": stars, "action": action}
                    pipe.multi()
                    pipe.hset(ratings_key, item, _fmt_stars(stars))
                    pipe.rpush(events_key, json.dumps(event, separators=(",", ":")))
                    pipe.ltrim(events_key, -EVENTS_KEEP, -1)
                    await pipe.execute()
                    break
                except WatchError:
                    continue
        if self.event_stream:
            await self._publish(user_id, event)
        return FeedbackOutcome.RECORDED

    async def record_stated(self, user_id: int, ratings: Mapping[int, float], action: str = "said") -> None:
        """Store ratings the user stated in words ("I loved Click") and log them, in one
        MULTI: the same effect as a 👍/👎 on each, without the "was it shown" check (the
        user named the movie themselves)."""
        if not ratings:
            return
        now = round(time.time(), 3)
        async with self.redis.pipeline(transaction=True) as pipe:
            for item_id, stars in ratings.items():
                event = {"ts": now, "item_id": int(item_id), "rating": float(stars), "action": action}
                pipe.hset(user_key(user_id, "ratings"), str(int(item_id)), _fmt_stars(float(stars)))
                pipe.rpush(user_key(user_id, "events"), json.dumps(event, separators=(",", ":")))
            pipe.ltrim(user_key(user_id, "events"), -EVENTS_KEEP, -1)
            await pipe.execute()

    async def _publish(self, user_id: int, event: dict[str, Any]) -> None:
        """Append to the global retraining stream with a salted pseudonym, not the id.

        Separate from the per-user MULTI because the stream lives in another cluster
        slot; losing one stream entry only costs a little retraining data.
        """
        salt = await self.redis.get(SALT_KEY)
        if salt is None:
            await self.redis.set(SALT_KEY, hashlib.sha256(str(time.time_ns()).encode()).hexdigest(), nx=True)
            salt = await self.redis.get(SALT_KEY)
        salt_s = salt.decode() if isinstance(salt, bytes) else str(salt)
        pseudonym = hashlib.blake2b(f"{salt_s}:{user_id}".encode(), digest_size=8).hexdigest()
        fields: dict[FieldT, EncodableT] = {
            "u": pseudonym, "item": event["item_id"], "rating": event["rating"], "ts": event["ts"]
        }
        await self.redis.xadd(STREAM_KEY, fields, maxlen=STREAM_MAXLEN, approximate=True)

    async def events(self, user_id: int) -> list[dict[str, Any]]:
        """That user's feedback log, oldest first."""
        raw = await self.redis.lrange(user_key(user_id, "events"), 0, -1)
        return [json.loads(r) for r in raw]

    # -- privacy -----------------------------------------------------------------------
    async def forget(self, user_id: int) -> int:
        """Delete every key of ``user_id`` in one UNLINK; returns how many existed."""
        return int(await self.redis.unlink(*user_keys(user_id)))

    async def ping(self) -> bool:
        return bool(await self.redis.ping())


def _parse_ratings(raw: Mapping[Any, Any]) -> dict[int, float]:
    history: dict[int, float] = {}
    for key, value in raw.items():
        try:
            history[int(key)] = float(value)
        except (TypeError, ValueError):
            continue  # a hand-edited bad field must not break the user's requests
    return history


def _fmt_stars(stars: float) -> str:
    return str(int(stars)) if stars == int(stars) else str(stars)
