"""Bounds on Redis calls: the per-call time budget, the per-request failure scope and the
bounded WATCH retry of the store's compare-and-set writes.

- ``budgeted(factor)`` bounds a store coroutine by ``self.budget_s * factor``
  (``RECBOT_REDIS_BUDGET_S``): a hung Redis raises ``redis.exceptions.TimeoutError``
  within the budget, like an unreachable one raises ``ConnectionError``.
- ``one_request()``: once a store call inside it has lost Redis, the later ones fail at
  once, so a hung Redis costs a request one budget, not one per call.
- ``redis_failures()`` collects those failures for the caller (the webhook intake retries
  an update whose turn lost Redis instead of acknowledging it).
- ``watch_retries(attempt, ...)`` runs a WATCH/MULTI attempt again after a ``WatchError``,
  at most ``MAX_WATCH_RETRIES`` times, then raises ``StoreContention``.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.exceptions import WatchError

MAX_WATCH_RETRIES = 8
DEFAULT_BUDGET_S = 1.0

T = TypeVar("T")
P = ParamSpec("P")


class StoreContention(RuntimeError):
    """A compare-and-set lost ``MAX_WATCH_RETRIES`` races in a row; nothing was written."""


class HasBudget(Protocol):
    """What ``budgeted`` needs of the object whose methods it bounds."""

    budget_s: float


B = TypeVar("B", bound=HasBudget)

_failures: contextvars.ContextVar[list[BaseException] | None] = contextvars.ContextVar(
    "recbot_redis_failures", default=None
)
_request: contextvars.ContextVar[list[BaseException] | None] = contextvars.ContextVar(
    "recbot_redis_request", default=None
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


@contextlib.contextmanager
def one_request() -> Iterator[None]:
    """Scope of one user request: once a store call in it has lost Redis, the later ones
    fail at once, so a hung Redis costs the request one budget, not one per call."""
    token = _request.set([])
    try:
        yield
    finally:
        _request.reset(token)


def _note_failure(exc: BaseException) -> None:
    holder = _failures.get()
    if holder is not None:
        holder.append(exc)
    request = _request.get()
    if request is not None:
        request.append(exc)


def budgeted(
    factor: float = 1.0,
) -> Callable[[Callable[Concatenate[B, P], Awaitable[T]]],
              Callable[Concatenate[B, P], Coroutine[Any, Any, T]]]:
    """Bound a store coroutine by ``self.budget_s * factor``; overrun -> Redis TimeoutError."""

    def wrap(
        method: Callable[Concatenate[B, P], Awaitable[T]],
    ) -> Callable[Concatenate[B, P], Coroutine[Any, Any, T]]:
        @functools.wraps(method)
        async def bounded(self: B, *args: P.args, **kwargs: P.kwargs) -> T:
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


async def watch_retries(attempt: Callable[[int], Awaitable[T]], user_id: int, what: str) -> T:
    """``await attempt(n)`` for n = 0, 1, ... until it ends without a ``WatchError`` (a
    WATCHed key changed before EXEC); after ``MAX_WATCH_RETRIES`` conflicts
    ``StoreContention`` ("user <id>: 8 <what> conflicts in a row")."""
    for n in range(MAX_WATCH_RETRIES):
        try:
            return await attempt(n)
        except WatchError:
            continue
    raise StoreContention(f"user {user_id}: {MAX_WATCH_RETRIES} {what} conflicts in a row")
