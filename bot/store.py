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
the race against a /forget is dropped (``save_session``, ``record_stated`` and
``save_preferences`` return False, ``record_feedback`` answers ``FORGOTTEN``) so nothing of a forgotten user reappears.
Every write of a turn goes through one MULTI path (``_write``); WATCH conflicts are
retried at most ``MAX_WATCH_RETRIES`` times (then ``StoreContention``).

Every public call is bounded by ``budget_s`` (``RECBOT_REDIS_BUDGET_S``, ``bot.redis_budget``):
a hung Redis raises ``redis.exceptions.TimeoutError`` within the budget, like an
unreachable one raises ``ConnectionError``; the dialogue layer turns both into a friendly
reply. ``Session`` (the conversation state and its JSON) lives in ``bot.session``.
Nothing is cached in the process: every request reads Redis, so several replicas can
serve one user and a rating written a moment ago is used by the next request.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import redis.asyncio as aioredis
from redis.typing import EncodableT, FieldT

from bot.dialogue.types import LANGUAGES, MAX_ITEMS, MIN_ITEMS, Preferences
from bot.redis_budget import DEFAULT_BUDGET_S, budgeted, watch_retries
from bot.session import Session

log = logging.getLogger(__name__)

EVENTS_KEEP = 1000  # per-user feedback log is trimmed to its newest entries
STREAM_KEY = "recbot:events"
STREAM_MAXLEN = 100_000
STREAM_SCAN_BATCH = 1000
RATE_WINDOW_S = 60
FORGET_BUDGET_FACTOR = 10  # forget may also sweep the global stream: a longer budget
USER_KEY_SUFFIXES = ("ratings", "session", "seen", "events", "rate", "settings", "gen")


def user_key(user_id: int, kind: str) -> str:
    """``recbot:{u:<user_id>}:<kind>`` — the one place key names are spelled."""
    return f"recbot:{{u:{int(user_id)}}}:{kind}"


def user_keys(user_id: int) -> list[str]:
    """Every key that may hold data of ``user_id`` (what ``forget`` deletes)."""
    return [user_key(user_id, kind) for kind in USER_KEY_SUFFIXES]


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
    @budgeted()
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

    @budgeted()
    async def generation(self, user_id: int) -> str | None:
        """The user's /forget generation (as in ``TurnState``), never creating one: None
        for a user with no state, never seen or forgotten. A button press that writes
        without being a turn (settings, Cancel) reads it here, so a press landing after
        a confirmed /forget cannot bring the user's keys back."""
        token = _text(await self.redis.get(user_key(user_id, "gen")))
        return token or None

    @budgeted()
    async def load(self, user_id: int) -> tuple[Session, dict[int, float]]:
        """Session and ratings without counting a message (button presses)."""
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.get(user_key(user_id, "session"))
            pipe.hgetall(user_key(user_id, "ratings"))
            raw_session, raw_ratings = await pipe.execute()
        return Session.from_json(raw_session), _parse_ratings(raw_ratings)

    @budgeted()
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

        return await self._write(user_id, queue, generation)

    async def _write(self, user_id: int, queue: Callable[[Any], None], generation: str | None) -> bool:
        """MULTI/EXEC the commands ``queue`` adds to a pipeline: the one write path of a
        turn. With ``generation`` only while the user's ``gen`` still holds it (WATCHed);
        False when the write was dropped because the user was forgotten meanwhile."""
        async with self.redis.pipeline(transaction=True) as pipe:
            if generation is None:
                queue(pipe)
                await pipe.execute()
                return True
            gen = user_key(user_id, "gen")

            async def attempt(_: int) -> bool:
                await pipe.watch(gen)
                if _text(await pipe.get(gen)) != generation:
                    log.info("dropped a write for user %s: forgotten meanwhile", user_id)
                    return False
                pipe.multi()
                queue(pipe)
                await pipe.execute()
                return True

            return await watch_retries(attempt, user_id, "write")

    @budgeted()
    async def clear_session(self, user_id: int) -> None:
        await self.redis.delete(user_key(user_id, "session"))

    @budgeted()
    async def ratings(self, user_id: int) -> dict[int, float]:
        return _parse_ratings(await self.redis.hgetall(user_key(user_id, "ratings")))

    @budgeted()
    async def was_shown(self, user_id: int, item_id: int) -> bool:
        return bool(await self.redis.sismember(user_key(user_id, "seen"), str(int(item_id))))

    # -- feedback ----------------------------------------------------------------------
    @budgeted()
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

            async def attempt(n: int) -> tuple[FeedbackOutcome, dict[str, Any], str]:
                nonlocal first_generation
                await pipe.watch(keys["ratings"], keys["seen"], keys["gen"], keys["rate"])
                generation = _text(await pipe.get(keys["gen"]))
                if n == 0:
                    first_generation = generation
                elif first_generation and generation != first_generation:
                    return FeedbackOutcome.FORGOTTEN, {}, generation
                if not await pipe.sismember(keys["seen"], item):
                    return FeedbackOutcome.NOT_SHOWN, {}, generation
                current = await pipe.hget(keys["ratings"], item)
                if current is not None and float(current) == stars:
                    return FeedbackOutcome.DUPLICATE, {}, generation
                if rate_limit is not None and int(await pipe.get(keys["rate"]) or 0) >= rate_limit:
                    return FeedbackOutcome.RATE_LIMITED, {}, generation
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
                return FeedbackOutcome.RECORDED, event, generation

            outcome, event, generation = await watch_retries(attempt, user_id, "feedback")
        if outcome is FeedbackOutcome.RECORDED and self.event_stream:
            await self._publish(user_id, event, generation)
        return outcome

    @budgeted()
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

        return await self._write(user_id, queue, generation)

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

    @budgeted()
    async def events(self, user_id: int) -> list[dict[str, Any]]:
        """That user's feedback log, oldest first."""
        raw = await self.redis.lrange(user_key(user_id, "events"), 0, -1)
        return [json.loads(r) for r in raw]

    # -- privacy -----------------------------------------------------------------------
    @budgeted(FORGET_BUDGET_FACTOR)
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
    @budgeted()
    async def preferences(self, user_id: int) -> Preferences:
        """The user's /settings; defaults for anything unset or unreadable."""
        return parse_preferences(await self.redis.hgetall(user_key(user_id, "settings")))

    @budgeted()
    async def save_preferences(
        self, user_id: int, prefs: Preferences, *, generation: str | None = None
    ) -> bool:
        """Store all of ``prefs`` (no expiry: settings last until /forget). With
        ``generation`` the write happens only while the user's ``gen`` still holds it
        (False: forgotten meanwhile, nothing written)."""
        fields: dict[FieldT, EncodableT] = {"posters": int(prefs.posters)}
        if prefs.items is not None:
            fields["items"] = prefs.items
        if prefs.lang is not None:
            fields["lang"] = prefs.lang
        key = user_key(user_id, "settings")

        def queue(pipe: Any) -> None:
            pipe.delete(key)
            pipe.hset(key, mapping=fields)

        return await self._write(user_id, queue, generation)

    @budgeted()
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
