"""The dialogue layer: one conversation engine for Telegram, the console and JSON lines.

``Dialogue(engine, store, settings)`` turns a user's message, command or button press
into a ``Reply``. It knows nothing of Telegram. Per request it reads the user's session
and ratings from Redis (so a rating given a moment ago shapes the next answer: fold-in,
no refit), runs the model (``engine.understand`` + ``engine.recommend``) on a worker
thread (``model_executor``) so the event loop keeps serving other users, and writes the new session in one
MULTI/EXEC. Contracts:

- Feedback is accepted only for items this user was shown (the ``seen`` set); a
  disliked (or any rated) item is never recommended to that user again.
- Button data is untrusted: garbage or forged data gets a friendly reply and changes
  nothing.
- Redis unreachable -> ``REDIS_DOWN`` reply; any other failure -> ``INTERNAL_ERROR``
  reply (logged with its traceback). No method raises.
- Every reply's text is at most 4096 characters.

Two messages of the same user processed at the same instant may overwrite each other's
session (last write wins); ratings are never lost (they are a hash, written with
compare-and-set).
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Collection, Mapping
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any, Protocol

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bot.config import Settings
from bot.dialogue.callbacks import Action, Callback, decode, encode
from bot.dialogue.render import clip, format_list, keyboard
from bot.dialogue.sanitize import clean_message
from bot.dialogue.types import Button, ItemView, Reply
from bot.store import FeedbackOutcome, RedisStore, Session, TurnState
from recommender.data.catalog import Catalog
from recommender.nlp.query import Query
from recommender.refine import Refinement, Turn, describe, refine, similar_to

log = logging.getLogger(__name__)

REDIS_DOWN = "Sorry, I can't reach my memory right now — please try again in a moment."
INTERNAL_ERROR = "Sorry, something went wrong on my side. Please try again, or send /reset."
RATE_LIMITED = (
    "You're sending messages faster than I can keep up. Please wait a minute and try again."
)
INVALID_BUTTON = "That button is no longer valid. Send me a new request and I'll show fresh options."
NOT_SHOWN = "I can only take feedback on movies I've shown you."
LIKE_STARS = 5.0
DISLIKE_STARS = 1.0
FORGET_WINDOW_S = 300  # how long the /forget confirmation button stays valid
HISTORY_LINES = 50
COMMANDS = ("start", "help", "more", "reset", "history", "forget")
# Model work (tagger, encoder, ranking) runs on this many worker threads: one forward
# pass per core of the 2-core target, each with torch.set_num_threads(1). (Two torch
# threads per pass busy-wait badly when the cores are shared: tagger p50 13 ms -> 180 ms
# measured under load; bench/dialogue_bench.py --model-workers/--torch-threads.) The
# traced forward releases the GIL, so the two passes really overlap: saturated, 20 users,
# 1 / 2 / 3 workers served 110 / 133 / 129 messages/s.
MODEL_WORKERS = 2
_executor_lock = threading.Lock()
_shared_executor: ThreadPoolExecutor | None = None


def one_torch_thread_per_pass() -> None:
    """Front ends call this once at start-up: each of the MODEL_WORKERS passes gets one core."""
    import torch

    torch.set_num_threads(1)


def model_executor() -> ThreadPoolExecutor:
    """The process-wide executor for model work (created on first use)."""
    global _shared_executor
    with _executor_lock:
        if _shared_executor is None:
            _shared_executor = ThreadPoolExecutor(MODEL_WORKERS, thread_name_prefix="recbot-model")
        return _shared_executor

FOOTER = (
    "Rate with 👍/👎 so I learn your taste. Refine with e.g. “no horror”, “also comedy”, "
    "“newer”, “like #2”, or say “more”."
)
WELCOME = (
    "Hi! I recommend movies. Tell me what you're in the mood for, for example:\n"
    "• “a funny sci-fi movie from the 90s”\n"
    "• “something like Alien, but no horror”\n"
    "• “highly rated westerns”\n\n"
    "Then refine: “also comedy” adds a genre, “comedy” switches to it, “no romance” "
    "excludes one, “newer”/“older” move the years by a decade, “more” shows the next "
    "page, “like #2” finds movies similar to the second one, “reset” starts over.\n"
    "Rate what I show with 👍/👎 — the next answer takes it into account.\n"
    "Commands: /more /reset /history /forget /help"
)


class EngineLike(Protocol):
    """What the dialogue needs from ``recommender.engine.Engine``."""

    catalog: Catalog

    def understand(self, text: str) -> Query: ...

    def recommend(
        self, query: Query, history: Mapping[int, float], *, exclude: Collection[int] = (), k: int = 5
    ) -> Any: ...


@dataclass(frozen=True)
class _Thought:
    refinement: Refinement
    result: Any | None  # engine RankResult, None when no search was needed


class Dialogue:
    """Turns messages, commands and button presses into replies (see module docstring)."""

    def __init__(
        self,
        engine: EngineLike,
        store: RedisStore,
        settings: Settings,
        *,
        executor: Executor | None = None,
    ) -> None:
        self.engine = engine
        self.store = store
        self.k = settings.top_k
        self.rate_limit = settings.rate_limit_per_min
        self._executor = executor

    async def _off_loop(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run blocking model work on the model executor, keeping the event loop free."""
        loop = asyncio.get_running_loop()
        call = functools.partial(contextvars.copy_context().run, fn, *args)
        return await loop.run_in_executor(self._executor or model_executor(), call)

    # -- public API ----------------------------------------------------------------------
    async def handle_text(self, user_id: int, text: str) -> Reply:
        """Answer a chat message (``/command`` text is routed to ``handle_command``)."""
        return await self._guard(lambda: self._text(int(user_id), text))

    async def handle_action(self, user_id: int, data: str) -> Reply:
        """Answer a button press; forged data -> friendly reply, no state change."""
        return await self._guard(lambda: self._action(int(user_id), data))

    async def handle_command(self, user_id: int, command: str, args: str = "") -> Reply:
        """Answer /start, /help, /more, /reset, /history or /forget (others: help)."""
        return await self._guard(lambda: self._command(int(user_id), command, args or ""))

    # -- plumbing ------------------------------------------------------------------------
    async def _guard(self, work: Callable[[], Awaitable[Reply]]) -> Reply:
        try:
            reply = await work()
        except (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError) as exc:
            log.warning("Redis unavailable: %s", exc)
            return Reply(REDIS_DOWN, notice=REDIS_DOWN)
        except Exception:
            log.exception("dialogue failure")
            return Reply(INTERNAL_ERROR, notice=INTERNAL_ERROR)
        return _clipped(reply)

    async def _begin(self, user_id: int) -> TurnState | None:
        """Read the turn state; ``None`` when the user is over the rate limit."""
        state = await self.store.begin_turn(user_id)
        if state.messages_this_minute > self.rate_limit:
            log.info("user %s rate limited (%d messages this minute)", user_id, state.messages_this_minute)
            return None
        return state

    # -- messages ------------------------------------------------------------------------
    async def _text(self, user_id: int, raw: str) -> Reply:
        cleaned = clean_message(raw)
        if cleaned.problem:
            return Reply(cleaned.problem)
        text = cleaned.text
        if text.startswith("/"):
            head, _, args = text[1:].partition(" ")
            return await self._command(user_id, head.split("@", 1)[0], args)
        state = await self._begin(user_id)
        if state is None:
            return Reply(RATE_LIMITED)
        thought = await self._off_loop(self._think, text, state)
        ref = thought.refinement
        if ref.kind is Turn.COMMAND:
            command = ref.query.command or "help"
            return await self._command(user_id, str(command), "", state=state)
        return await self._answer(user_id, state, thought, extra_notes=cleaned.notes)

    def _think(self, text: str, state: TurnState) -> _Thought:
        """Model work, in a worker thread: understand, refine, rank."""
        session = state.session
        query = self.engine.understand(text)
        ref = refine(session.query, query, text=text, shown=session.shown)
        if ref.kind is Turn.COMMAND:
            # Keep the command visible to the caller (refine drops it from the query).
            ref = Refinement(query, Turn.COMMAND, ref.notes)
        if ref.kind in (Turn.COMMAND, Turn.RESET, Turn.UNRESOLVED):
            return _Thought(ref, None)
        return _Thought(ref, self._rank(ref, state))

    def _rank(self, ref: Refinement, state: TurnState) -> Any:
        exclude = set(state.history)
        if ref.kind in (Turn.MORE, Turn.REFINE):
            exclude.update(state.session.session_shown)
        return self.engine.recommend(ref.query, state.history, exclude=exclude, k=self.k)

    async def _answer(
        self, user_id: int, state: TurnState, thought: _Thought, extra_notes: list[str] = ()
    ) -> Reply:
        """Turn a refinement (+ ranking) into a reply and store the new session."""
        ref, session = thought.refinement, state.session
        notes = [*extra_notes, *ref.notes]
        if ref.kind is Turn.RESET:
            await self.store.clear_session(user_id)
            return Reply(_join("Fresh start — I've cleared this conversation. What would you like to watch?", notes))
        if ref.kind is Turn.UNRESOLVED:
            return Reply(_join("", notes), buttons=[self._nav_row()])
        result = thought.result
        recs = list(result.items)
        views = [self._view(rec) for rec in recs]
        ids = [v.item_id for v in views]
        new_session = _next_session(session, ref, ids)
        await self.store.save_session(user_id, new_session, ids)
        summary = describe(ref.query, self._title_of)
        if not views:
            header = (
                f"I couldn't find anything new for {summary or 'that'}. "
                "Try removing a constraint, or /reset to start over."
            )
            return Reply(_join(header, notes), buttons=[[Button("Start over", encode(Action.RESET))]],
                         header=header)
        header = self._header(ref.kind, summary, new_session.page, bool(state.history))
        relaxed = list(getattr(result, "relaxed", []) or [])
        if relaxed:
            notes.append("No exact matches, so I relaxed: " + "; ".join(relaxed) + ".")
        header = _join(header, notes)
        buttons = [self._nav_row()]
        return Reply(
            format_list(header, views, FOOTER), items=views, buttons=buttons, header=header, footer=FOOTER
        )

    def _header(self, kind: Turn, summary: str, page: int, has_history: bool) -> str:
        if kind is Turn.MORE:
            return f"More {('for ' + summary) if summary else 'picks'} (page {page + 1}):"
        if kind is Turn.REFINE:
            return f"Updated: {summary}:" if summary else "Here are some more:"
        if summary:
            return f"Here's what I found for {summary}:"
        return "Top picks for you:" if has_history else "Popular, well-rated picks to start with:"

    @staticmethod
    def _nav_row() -> list[Button]:
        return [Button("More", encode(Action.MORE)), Button("Start over", encode(Action.RESET))]

    # -- commands ------------------------------------------------------------------------
    async def _command(
        self, user_id: int, command: str, args: str, *, state: TurnState | None = None
    ) -> Reply:
        command = command.strip().lower().lstrip("/")
        if command in ("start", "help"):
            return Reply(WELCOME)  # needs no Redis: works even while it is down
        if state is None:
            state = await self._begin(user_id)
            if state is None:
                return Reply(RATE_LIMITED)
        if command == "more":
            return await self._search(user_id, state, Refinement(state.session.query or Query(), Turn.MORE))
        if command == "reset":
            return await self._answer(user_id, state, _Thought(Refinement(Query(), Turn.RESET), None))
        if command == "history":
            return self._history(state.history)
        if command == "forget":
            session = state.session
            session.forget_until = time.time() + FORGET_WINDOW_S
            await self.store.save_session(user_id, session)
            text = (
                "This deletes everything I know about you: your ratings, feedback log and "
                "this conversation. It cannot be undone. Are you sure?"
            )
            return Reply(text, buttons=[[Button("Yes, forget me", encode(Action.FORGET_CONFIRM)),
                                         Button("Cancel", encode(Action.FORGET_CANCEL))]])
        return Reply(f"I don't know the command /{command[:32]}.\n\n{WELCOME}")

    def _history(self, history: Mapping[int, float]) -> Reply:
        catalog = self.engine.catalog
        rated = [(stars, catalog.index(i)) for i, stars in history.items() if catalog.has(i)]
        if not rated:
            return Reply("You haven't rated anything yet — use 👍/👎 under my suggestions.")
        rated.sort(key=lambda p: (-p[0], catalog.titles[p[1]]))
        lines = [f"{'👍' if stars >= 3.5 else '👎'} {stars:g}★ {catalog.label(idx)}"
                 for stars, idx in rated[:HISTORY_LINES]]
        if len(rated) > HISTORY_LINES:
            lines.append(f"…and {len(rated) - HISTORY_LINES} more.")
        return Reply(f"Your ratings ({len(rated)}):\n" + "\n".join(lines))

    async def _search(self, user_id: int, state: TurnState, ref: Refinement) -> Reply:
        result = await self._off_loop(self._rank, ref, state)
        return await self._answer(user_id, state, _Thought(ref, result))

    # -- buttons -------------------------------------------------------------------------
    async def _action(self, user_id: int, data: str) -> Reply:
        cb = decode(data)
        if cb is None:
            log.info("user %s sent invalid callback data", user_id)
            return Reply(INVALID_BUTTON, notice=INVALID_BUTTON)
        if cb.action in (Action.LIKE, Action.DISLIKE, Action.RATE):
            return await self._feedback(user_id, cb)
        if cb.action is Action.FORGET_CONFIRM:
            session, _ = await self.store.load(user_id)
            if session.forget_until < time.time():
                text = "That confirmation has expired. Send /forget again if you want me to forget you."
                return Reply(text, notice=text)
            await self.store.forget(user_id)
            text = "Done — I've deleted your ratings, feedback and conversation. Say hi any time to start over."
            return Reply(text, notice="Forgotten.", edited_buttons=[])
        if cb.action is Action.FORGET_CANCEL:
            session, _ = await self.store.load(user_id)
            if session.forget_until:
                session.forget_until = 0.0
                await self.store.save_session(user_id, session)
            text = "OK, I kept everything."
            return Reply(text, notice=text, edited_buttons=[])
        state = await self._begin(user_id)
        if state is None:
            return Reply(RATE_LIMITED, notice=RATE_LIMITED)
        if cb.action is Action.MORE:
            return await self._search(user_id, state, Refinement(state.session.query or Query(), Turn.MORE))
        if cb.action is Action.RESET:
            return await self._answer(user_id, state, _Thought(Refinement(Query(), Turn.RESET), None))
        # SIMILAR: only for an item this user was shown.
        assert cb.item_id is not None
        if not await self.store.was_shown(user_id, cb.item_id) or not self.engine.catalog.has(cb.item_id):
            return Reply(NOT_SHOWN, notice=NOT_SHOWN)
        ref = Refinement(similar_to(state.session.query, cb.item_id), Turn.REFINE)
        return await self._search(user_id, state, ref)

    async def _feedback(self, user_id: int, cb: Callback) -> Reply:
        assert cb.item_id is not None
        catalog = self.engine.catalog
        if not catalog.has(cb.item_id):
            return Reply(NOT_SHOWN, notice=NOT_SHOWN)
        stars = {Action.LIKE: LIKE_STARS, Action.DISLIKE: DISLIKE_STARS}.get(cb.action, float(cb.value or 0))
        outcome = await self.store.record_feedback(user_id, cb.item_id, stars, cb.action.value)
        if outcome is FeedbackOutcome.NOT_SHOWN:
            return Reply(NOT_SHOWN, notice=NOT_SHOWN)
        label = catalog.label(catalog.index(cb.item_id))
        if outcome is FeedbackOutcome.DUPLICATE:
            text = f"Already noted for {label}."
        elif cb.action is Action.DISLIKE:
            text = f"👎 Noted — I won't suggest {label} again."
        elif cb.action is Action.LIKE:
            text = f"👍 Noted — I'll look for more like {label}."
        else:
            text = f"Noted: {label} {stars:g}★."
        session, history = await self.store.load(user_id)
        edited = None
        if cb.item_id in session.shown:
            edited = keyboard(session.shown, [self._nav_row()], history)
        return Reply(text, notice=text, edited_buttons=edited)

    # -- items ---------------------------------------------------------------------------
    def _view(self, rec: Any) -> ItemView:
        catalog = self.engine.catalog
        idx = catalog.index(rec.item_id)
        year = int(catalog.years[idx])
        count = int(catalog.rating_count[idx])
        genres = [g for g in catalog.genres[idx] if g != "(no genres listed)"]
        item_id = int(rec.item_id)
        return ItemView(
            item_id=item_id,
            title=catalog.titles[idx],
            year=year or None,
            genres=genres,
            avg_rating=round(float(catalog.rating_mean[idx]), 1) if count else None,
            why=str(rec.why or ""),
            like=encode(Action.LIKE, item_id),
            dislike=encode(Action.DISLIKE, item_id),
            url=catalog.imdb_url(idx),
        )

    def _title_of(self, item_id: int) -> str:
        catalog = self.engine.catalog
        return catalog.titles[catalog.index(item_id)] if catalog.has(item_id) else f"item {item_id}"


def _next_session(session: Session, ref: Refinement, ids: list[int]) -> Session:
    """The session after showing ``ids`` for ``ref``."""
    if ref.kind is Turn.NEW:
        shown_so_far, page = [], 0
    elif ref.kind is Turn.MORE:
        shown_so_far, page = list(session.session_shown), session.page + 1
    else:
        shown_so_far, page = list(session.session_shown), 0
    return Session(
        query=ref.query,
        shown=ids or list(session.shown),
        session_shown=list(dict.fromkeys(shown_so_far + ids)),
        page=page,
        forget_until=session.forget_until,
    )


def _join(head: str, notes: list[str]) -> str:
    return "\n".join(part for part in [head, *notes] if part)


def _clipped(reply: Reply) -> Reply:
    if len(reply.text) <= 4096:
        return reply
    return replace(reply, text=clip(reply.text))
