"""Per-user state in Redis: ratings, session, seen items, feedback log, rate limit.

Keys (docs/design.md, "Redis keys"); every key of one user shares the hash tag ``{u:<user_id>}`` so they
live in one Redis Cluster slot and can be written in one MULTI/EXEC::

    recbot:{u:<id>}:ratings   hash  item_id -> stars ("5", "1", "3.5")
    recbot:{u:<id>}:session   string, JSON of ``Session``; expires after session_ttl_s
    recbot:{u:<id>}:seen      set   every item_id ever shown to the user (feedback check)
    recbot:{u:<id>}:events    list  that user's feedback log, JSON per entry, newest last
    recbot:{u:<id>}:rate      string, messages in the current minute (expires)
    recbot:{u:<id>}:gen       string, random token of the user's current "lifetime"
    recbot:{u:<id>}:settings  hash  /settings: items (3-10), posters (1/0), lang (en/zh)
    recbot:events             optional global stream of pseudonymous feedback events

/forget is final: ``forget`` deletes every key, ``gen`` included, in one command. A turn
reads ``gen`` when it begins (``begin_turn`` creates it) and every later write of that
turn WATCHes ``gen`` and writes only if it still holds the same token; a write that loses
the race against a /forget is dropped (``save_session`` returns False,
``record_feedback`` answers ``FORGOTTEN``) so nothing of a forgotten user reappears.
WATCH conflicts are retried at most ``MAX_WATCH_RETRIES`` times (then
``StoreContention``).

Every public call is bounded by ``budget_s`` (``RECBOT_REDIS_BUDGET_S``): a hung Redis
raises ``redis.exceptions.TimeoutError`` within the budget, like an unreachable one
raises ``ConnectionError``; the dialogue layer turns both into a friendly reply.
Nothing is cached in the process: every request reads Redis, so several replicas can
serve one user and a rating written a moment ago is used by the next request.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import dataclasses
import functools
import hashlib
import hmac
import json
import logging
import secrets
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Concatenate, ParamSpec, TypeVar

import redis.asyncio as aioredis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.exceptions import WatchError
from redis.typing import EncodableT, FieldT

from bot.dialogue.types import LANGUAGES, MAX_ITEMS, MIN_ITEMS, Preferences
from recommender.nlp.query import Command, Query

log = logging.getLogger(__name__)

EVENTS_KEEP = 1000  # per-user feedback log is trimmed to its newest entries
STREAM_KEY = "recbot:events"
STREAM_MAXLEN = 100_000
STREAM_SCAN_BATCH = 1000
RATE_WINDOW_S = 60
MAX_WATCH_RETRIES = 8
DEFAULT_BUDGET_S = 1.0
FORGET_BUDGET_FACTOR = 10  # forget may also sweep the global stream: a longer budget
USER_KEY_SUFFIXES = ("ratings", "session", "seen", "events", "rate", "settings", "gen")

T = TypeVar("T")
P = ParamSpec("P")


class StoreContention(RuntimeError):
    """A compare-and-set lost ``MAX_WATCH_RETRIES`` races in a row; nothing was written."""


def user_key(user_id: int, kind: str) -> str:
    """``recbot:{u:<user_id>}:<kind>`` — the one place key names are spelled."""
    return f"recbot:{{u:{int(user_id)}}}:{kind}"


def user_keys(user_id: int) -> list[str]:
    """Every key that may hold data of ``user_id`` (what ``forget`` deletes)."""
    return [user_key(user_id, kind) for kind in USER_KEY_SUFFIXES]


_failures: contextvars.ContextVar[list[BaseException] | None] = contextvars.ContextVar(
    "recbot_redis_failures", default=None
)


@contextlib.contextmanager
def redis_failures() -> Iterator[list[BaseException]]:
    """Collect the Redis failures (unreachable, over budget) of store calls made inside
    the block, in this task: the webhook intake retries an update whose turn lost Redis
    instead of acknowledging it with its state unwritten."""
    holder: list[BaseException] = []
    token = _failures.set(holder)
    try:
        yield holder
    finally:
        _failures.reset(token)


def _note_failure(exc: BaseException) -> None:
    holder = _failures.get()
    if holder is not None:
        holder.append(exc)
    request = _request.get()
    if request is not None:
        request.append(exc)


_request: contextvars.ContextVar[list[BaseException] | None] = contextvars.ContextVar(
    "recbot_redis_request", default=None
)


@contextlib.contextmanager
def one_request() -> Iterator[None]:
    """Scope of one user request: once a store call in it has lost Redis, the later ones
    fail at once, so a hung Redis costs the request one budget, not one per call."""
    token = _request.set([])
    try:
        yield
    finally:
        _request.reset(token)


def _budgeted(
    factor: float = 1.0,
) -> Callable[[Callable[Concatenate[RedisStore, P], Awaitable[T]]],
              Callable[Concatenate[RedisStore, P], Coroutine[Any, Any, T]]]:
    """Bound a store coroutine by ``self.budget_s * factor``; overrun -> Redis TimeoutError."""

    def wrap(
        method: Callable[Concatenate[RedisStore, P], Awaitable[T]],
    ) -> Callable[Concatenate[RedisStore, P], Coroutine[Any, Any, T]]:
        @functools.wraps(method)
        async def bounded(self: RedisStore, *args: P.args, **kwargs: P.kwargs) -> T:
            budget = self.budget_s * factor
            if _request.get():
                raise RedisTimeoutError("Redis did not answer earlier in this request")
            try:
                async with asyncio.timeout(budget):
                    return await method(self, *args, **kwargs)
            except (RedisConnectionError, RedisTimeoutError) as exc:
                _note_failure(exc)
                raise
            except TimeoutError:
                error = RedisTimeoutError(f"Redis did not answer within {budget:g} s")
                _note_failure(error)
                raise error from None

        return bounded

    return wrap


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
    """What one message needs from Redis, read in one round trip.

    ``generation`` is the user's ``gen`` token when the turn began: pass it to the
    turn's writes so that they are dropped if the user was forgotten meanwhile.
    """

    session: Session
    history: dict[int, float]
    messages_this_minute: int
    generation: str = ""


class FeedbackOutcome(StrEnum):
    RECORDED = "recorded"  # new or changed rating, event logged
    DUPLICATE = "duplicate"  # the same rating was already stored: nothing written
    NOT_SHOWN = "not_shown"  # the item was never shown to this user: rejected
    RATE_LIMITED = "rate_limited"  # over the per-user limit this minute: nothing written
    FORGOTTEN = "forgotten"  # the user was forgotten while this press was handled: dropped


class RedisStore:
    """All Redis reads and writes of the bot. Stateless apart from the client.

    ``event_key``: the secret of the optional global event stream's pseudonyms (from
    configuration, never stored in Redis); ``None`` = no global stream.
    ``event_stream=True`` without a key is refused (it used to mean a salt kept in Redis).
    """

    def __init__(
        self,
        redis: aioredis.Redis,
        session_ttl_s: int,
        *,
        event_stream: bool = False,
        event_key: bytes | str | None = None,
        budget_s: float = DEFAULT_BUDGET_S,
    ) -> None:
        if event_stream and not event_key:
            raise ValueError("the global event stream needs event_key (RECBOT_EVENT_STREAM_KEY)")
        self.redis = redis
        self.session_ttl_s = int(session_ttl_s)
        self.event_key = event_key.encode() if isinstance(event_key, str) else event_key
        self.event_stream = bool(self.event_key)
        self.budget_s = float(budget_s)

    @classmethod
    def from_settings(cls, redis: aioredis.Redis, settings: Any) -> RedisStore:
        """The store as every front end wires it: session TTL, call budget and the
        optional event-stream key from ``bot.config.Settings``."""
        key = settings.event_stream_key.get_secret_value() if settings.event_stream_key else None
        return cls(redis, settings.session_ttl_s, event_key=key, budget_s=settings.redis_budget_s)

    # -- one message -------------------------------------------------------------------
    @_budgeted()
    async def begin_turn(self, user_id: int, *, count: bool = True) -> TurnState:
        """Count the message for rate limiting and read session + ratings, atomically.

        ``SET rate 0 EX 60 NX`` + ``INCR`` gives a fixed one-minute window that starts
        with the first message (INCR keeps the TTL; the whole block is one MULTI so the
        counter can never lose its expiry). ``count=False`` reads without counting.
        The user's ``gen`` token is created if absent and returned in the state.
        """
        rate, gen = user_key(user_id, "rate"), user_key(user_id, "gen")
        async with self.redis.pipeline(transaction=True) as pipe:
            if count:
                pipe.set(rate, 0, ex=RATE_WINDOW_S, nx=True)
                pipe.incr(rate)
            else:
                pipe.get(rate)
            pipe.set(gen, secrets.token_hex(8), nx=True)
            pipe.get(gen)
            pipe.get(user_key(user_id, "session"))
            pipe.hgetall(user_key(user_id, "ratings"))
            *_, count_now, _, token, raw_session, raw_ratings = await pipe.execute()
        return TurnState(
            Session.from_json(raw_session), _parse_ratings(raw_ratings), int(count_now or 0), _text(token)
        )

    @_budgeted()
    async def load(self, user_id: int) -> tuple[Session, dict[int, float]]:
        """Session and ratings without counting a message (button presses)."""
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.get(user_key(user_id, "session"))
            pipe.hgetall(user_key(user_id, "ratings"))
            raw_session, raw_ratings = await pipe.execute()
        return Session.from_json(raw_session), _parse_ratings(raw_ratings)

    @_budgeted()
    async def save_session(
        self,
        user_id: int,
        session: Session,
        newly_shown: Sequence[int] = (),
        *,
        generation: str | None = None,
    ) -> bool:
        """Store the session (TTL refreshed) and add the shown items to ``seen``, in one MULTI.

        With ``generation`` (the turn's ``TurnState.generation``) the write happens only
        if the user's ``gen`` still holds it; returns False when it was dropped because
        the user was forgotten meanwhile.
        """
        session_key, seen_key = user_key(user_id, "session"), user_key(user_id, "seen")
        shown = [int(i) for i in newly_shown]

        def queue(pipe: Any) -> None:
            pipe.set(session_key, session.to_json(), ex=self.session_ttl_s)
            if shown:
                pipe.sadd(seen_key, *shown)

        if generation is None:
            async with self.redis.pipeline(transaction=True) as pipe:
                queue(pipe)
                await pipe.execute()
            return True
        return await self._if_generation(user_id, generation, queue)

    async def _if_generation(self, user_id: int, generation: str, queue: Callable[[Any], None]) -> bool:
        """MULTI the commands ``queue`` adds only while ``gen`` == ``generation`` (WATCHed)."""
        gen = user_key(user_id, "gen")
        async with self.redis.pipeline(transaction=True) as pipe:
            for _ in range(MAX_WATCH_RETRIES):
                try:
                    await pipe.watch(gen)
                    if _text(await pipe.get(gen)) != generation:
                        log.info("dropped a write for user %s: forgotten meanwhile", user_id)
                        return False
                    pipe.multi()
                    queue(pipe)
                    await pipe.execute()
                    return True
                except WatchError:
                    continue
        raise StoreContention(f"user {user_id}: {MAX_WATCH_RETRIES} write conflicts in a row")

    @_budgeted()
    async def clear_session(self, user_id: int) -> None:
        await self.redis.delete(user_key(user_id, "session"))

    @_budgeted()
    async def ratings(self, user_id: int) -> dict[int, float]:
        return _parse_ratings(await self.redis.hgetall(user_key(user_id, "ratings")))

    @_budgeted()
    async def was_shown(self, user_id: int, item_id: int) -> bool:
        return bool(await self.redis.sismember(user_key(user_id, "seen"), str(int(item_id))))

    # -- feedback ----------------------------------------------------------------------
    @_budgeted()
    async def record_feedback(
        self,
        user_id: int,
        item_id: int,
        rating: float,
        action: str,
        *,
        rate_limit: int | None = None,
    ) -> FeedbackOutcome:
        """Store one rating and log it, idempotently (compare-and-set).

        WATCH ratings, seen, gen and the rate counter; read the current rating; equal ->
        DUPLICATE (a press delivered twice writes nothing); otherwise MULTI: HSET rating
        + RPUSH/LTRIM event (+ count the press against ``rate_limit``), EXEC. A
        concurrent change aborts EXEC and the check is retried (at most
        ``MAX_WATCH_RETRIES`` times). Items never shown to the user (not in ``seen``)
        are rejected; a press that lost the race against /forget is ``FORGOTTEN``.
        """
        keys = {kind: user_key(user_id, kind) for kind in ("ratings", "seen", "events", "rate", "gen")}
        item = str(int(item_id))
        stars = float(rating)
        first_generation: str | None = None
        async with self.redis.pipeline(transaction=True) as pipe:
            for attempt in range(MAX_WATCH_RETRIES):
                try:
                    await pipe.watch(keys["ratings"], keys["seen"], keys["gen"], keys["rate"])
                    generation = _text(await pipe.get(keys["gen"]))
                    if attempt == 0:
                        first_generation = generation
                    elif first_generation and generation != first_generation:
                        return FeedbackOutcome.FORGOTTEN
                    if not await pipe.sismember(keys["seen"], item):
                        return FeedbackOutcome.NOT_SHOWN
                    current = await pipe.hget(keys["ratings"], item)
                    if current is not None and float(current) == stars:
                        return FeedbackOutcome.DUPLICATE
                    if rate_limit is not None and int(await pipe.get(keys["rate"]) or 0) >= rate_limit:
                        return FeedbackOutcome.RATE_LIMITED
                    event = {"ts": round(time.time(), 3), "item_id": int(item_id),
                             "rating": stars, "action": action}
                    pipe.multi()
                    pipe.hset(keys["ratings"], item, _fmt_stars(stars))
                    pipe.rpush(keys["events"], json.dumps(event, separators=(",", ":")))
                    pipe.ltrim(keys["events"], -EVENTS_KEEP, -1)
                    if rate_limit is not None:
                        pipe.set(keys["rate"], 0, ex=RATE_WINDOW_S, nx=True)
                        pipe.incr(keys["rate"])
                    await pipe.execute()
                    break
                except WatchError:
                    continue
            else:
                raise StoreContention(f"user {user_id}: {MAX_WATCH_RETRIES} feedback conflicts in a row")
        if self.event_stream:
            await self._publish(user_id, event, generation)
        return FeedbackOutcome.RECORDED

    @_budgeted()
    async def record_stated(
        self,
        user_id: int,
        ratings: Mapping[int, float],
        action: str = "said",
        *,
        generation: str | None = None,
    ) -> bool:
        """Store ratings the user stated in words ("I loved Click") and log them, in one
        MULTI: the same effect as a 👍/👎 on each, without the "was it shown" check (the
        user named the movie themselves). With ``generation`` the write happens only while
        the user's ``gen`` still holds it (False: forgotten meanwhile, nothing written)."""
        if not ratings:
            return True
        now = round(time.time(), 3)

        def queue(pipe: Any) -> None:
            for item_id, stars in ratings.items():
                event = {"ts": now, "item_id": int(item_id), "rating": float(stars), "action": action}
                pipe.hset(user_key(user_id, "ratings"), str(int(item_id)), _fmt_stars(float(stars)))
                pipe.rpush(user_key(user_id, "events"), json.dumps(event, separators=(",", ":")))
            pipe.ltrim(user_key(user_id, "events"), -EVENTS_KEEP, -1)

        if generation is None:
            async with self.redis.pipeline(transaction=True) as pipe:
                queue(pipe)
                await pipe.execute()
            return True
        return await self._if_generation(user_id, generation, queue)

    def pseudonym(self, user_id: int) -> str:
        """The user's name in the global stream: HMAC-SHA256(event key, id), 128 bits."""
        assert self.event_key is not None
        return hmac.new(self.event_key, str(int(user_id)).encode(), hashlib.sha256).hexdigest()[:32]

    async def _publish(self, user_id: int, event: dict[str, Any], generation: str | None) -> None:
        """Append to the global stream under the user's keyed pseudonym, not the id.

        Separate from the per-user MULTI because the stream lives in another cluster
        slot. If the user was forgotten between the rating and this append (``gen``
        changed), the entry is deleted again: /forget's sweep may already have run.
        """
        fields: dict[FieldT, EncodableT] = {
            "u": self.pseudonym(user_id), "item": event["item_id"], "rating": event["rating"], "ts": event["ts"]
        }
        entry = await self.redis.xadd(STREAM_KEY, fields, maxlen=STREAM_MAXLEN, approximate=True)
        if _text(await self.redis.get(user_key(user_id, "gen"))) != generation:
            await self.redis.xdel(STREAM_KEY, entry)

    @_budgeted()
    async def events(self, user_id: int) -> list[dict[str, Any]]:
        """That user's feedback log, oldest first."""
        raw = await self.redis.lrange(user_key(user_id, "events"), 0, -1)
        return [json.loads(r) for r in raw]

    # -- privacy -----------------------------------------------------------------------
    @_budgeted(FORGET_BUDGET_FACTOR)
    async def forget(self, user_id: int) -> int:
        """Delete every key of ``user_id`` in one UNLINK (and, with the global stream,
        that user's entries in it); returns how many keys existed."""
        deleted = int(await self.redis.unlink(*user_keys(user_id)))
        if self.event_stream:
            await self._sweep_stream(self.pseudonym(user_id))
        return deleted

    async def _sweep_stream(self, pseudonym: str) -> None:
        target = pseudonym.encode()
        start = "-"
        while True:
            batch = await self.redis.xrange(STREAM_KEY, min=start, count=STREAM_SCAN_BATCH) or []
            mine = [entry_id for entry_id, fields in batch
                    if entry_id is not None and fields and fields.get(b"u") == target]
            if mine:
                await self.redis.xdel(STREAM_KEY, *mine)
            if len(batch) < STREAM_SCAN_BATCH:
                return
            start = "(" + _text(batch[-1][0])

    # -- preferences (/settings) -------------------------------------------------------
    @_budgeted()
    async def preferences(self, user_id: int) -> Preferences:
        """The user's /settings; defaults for anything unset or unreadable."""
        return parse_preferences(await self.redis.hgetall(user_key(user_id, "settings")))

    @_budgeted()
    async def save_preferences(self, user_id: int, prefs: Preferences) -> None:
        """Store all of ``prefs`` (no expiry: settings last until /forget)."""
        fields: dict[FieldT, EncodableT] = {"posters": int(prefs.posters)}
        if prefs.items is not None:
            fields["items"] = prefs.items
        if prefs.lang is not None:
            fields["lang"] = prefs.lang
        key = user_key(user_id, "settings")
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(key)
            pipe.hset(key, mapping=fields)
            await pipe.execute()

    @_budgeted()
    async def ping(self) -> bool:
        return bool(await self.redis.ping())


def _text(raw: bytes | str | None) -> str:
    return raw.decode() if isinstance(raw, bytes) else ("" if raw is None else str(raw))


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


def parse_preferences(raw: Mapping[Any, Any]) -> Preferences:
    """Preferences from the stored hash; a missing or hand-edited bad field is its default."""
    fields = {_decoded(k): _decoded(v) for k, v in raw.items()}
    items = fields.get("items", "")
    lang = fields.get("lang")
    return Preferences(
        items=int(items) if items.isdigit() and MIN_ITEMS <= int(items) <= MAX_ITEMS else None,
        posters=fields.get("posters", "1") != "0",
        lang=lang if lang in LANGUAGES else None,
    )


def _decoded(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
