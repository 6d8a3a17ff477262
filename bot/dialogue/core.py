"""The dialogue layer: one conversation engine for Telegram, the console and JSON lines.

``Dialogue(engine, store, settings)`` turns a user's message, command or button press
into a ``Reply``. It knows nothing of Telegram. This module is the router: it cleans
the input, applies the rate limit, and hands the work to ``turns.Turns`` (searches,
run on the model executor of ``bot.runtime``) or ``feedback.Feedback`` (ratings,
history, /forget); all text comes from ``texts``. Per request the user's session and
ratings are read from the store (so a rating given a moment ago shapes the next answer:
fold-in, no refit) and the new session is written in one MULTI/EXEC. Contracts:

- Feedback is accepted only for items this user was shown (the ``seen`` set); a
  disliked (or any rated) item is never recommended to that user again.
- Button data is untrusted: garbage or forged data gets a friendly reply and changes
  nothing.
- Redis unreachable -> ``REDIS_DOWN`` reply; any other failure -> ``INTERNAL_ERROR``
  reply (logged with its traceback). No method raises.
- Every reply's text is at most ``MAX_TEXT`` (4096) characters.

Two messages of the same user processed at the same instant may overwrite each other's
session (last write wins); ratings are never lost (they are a hash, written with
compare-and-set).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor
from dataclasses import replace

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bot.config import Settings
from bot.dialogue.callbacks import Action, decode
from bot.dialogue.feedback import Feedback, not_shown
from bot.dialogue.ports import EngineLike, StoreLike
from bot.dialogue.render import clip
from bot.dialogue.sanitize import clean_message
from bot.dialogue.slash import COMMANDS, parse_slash
from bot.dialogue.texts import DEFAULT_LANG, t
from bot.dialogue.turns import Turns
from bot.dialogue.types import MAX_TEXT, Reply
from bot.store import TurnState
from recommender.refine import Turn

log = logging.getLogger(__name__)

# English texts under their old names (callers and tests compare replies with them).
REDIS_DOWN = t(DEFAULT_LANG, "redis_down")
INTERNAL_ERROR = t(DEFAULT_LANG, "internal_error")
RATE_LIMITED = t(DEFAULT_LANG, "rate_limited")
INVALID_BUTTON = t(DEFAULT_LANG, "invalid_button")
NOT_SHOWN = t(DEFAULT_LANG, "not_shown")
_NO_STATE = ("start", "help")  # answered without Redis: they work even while it is down
assert set(_NO_STATE) <= set(COMMANDS)


class Dialogue:
    """Turns messages, commands and button presses into replies (see module docstring)."""

    def __init__(
        self,
        engine: EngineLike,
        store: StoreLike,
        settings: Settings,
        *,
        executor: Executor | None = None,
        lang: str = DEFAULT_LANG,
    ) -> None:
        self.engine = engine
        self.store = store
        self.rate_limit = settings.rate_limit_per_min
        self.lang = lang
        self.turns = Turns(engine, store, settings.top_k, executor)
        self.feedback = Feedback(engine, store)

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
            text = t(self.lang, "redis_down")
            return Reply(text, notice=text)
        except Exception:
            log.exception("dialogue failure")
            text = t(self.lang, "internal_error")
            return Reply(text, notice=text)
        if len(reply.text) <= MAX_TEXT:
            return reply
        return replace(reply, text=clip(reply.text))

    async def _begin(self, user_id: int) -> TurnState | None:
        """Read the turn state; ``None`` when the user is over the rate limit."""
        state = await self.store.begin_turn(user_id)
        if state.messages_this_minute > self.rate_limit:
            log.info("user %s rate limited (%d messages this minute)", user_id, state.messages_this_minute)
            return None
        return state

    # -- messages ------------------------------------------------------------------------
    async def _text(self, user_id: int, raw: str) -> Reply:
        cleaned = clean_message(raw, self.lang)
        if cleaned.problem:
            return Reply(cleaned.problem)
        text = cleaned.text
        if slash := parse_slash(text):
            return await self._command(user_id, *slash)
        state = await self._begin(user_id)
        if state is None:
            return Reply(t(self.lang, "rate_limited"))
        thought = await self.turns.think(text, state)
        ref = thought.refinement
        if ref.kind is Turn.COMMAND:
            command = ref.query.command or "help"
            return await self._command(user_id, str(command), "", state=state)
        return await self.turns.answer(user_id, state, thought, extra_notes=cleaned.notes, lang=self.lang)

    # -- commands ------------------------------------------------------------------------
    async def _command(
        self, user_id: int, command: str, args: str, *, state: TurnState | None = None
    ) -> Reply:
        lang = self.lang
        command = command.strip().lower().lstrip("/")
        if command in _NO_STATE:
            return Reply(t(lang, "welcome"))
        if state is None:
            state = await self._begin(user_id)
            if state is None:
                return Reply(t(lang, "rate_limited"))
        if command not in COMMANDS:
            return Reply(t(lang, "unknown_command", command=command[:32], welcome=t(lang, "welcome")))
        if command == "more":
            return await self.turns.more(user_id, state, lang)
        if command == "reset":
            return await self.turns.reset(user_id, state, lang)
        if command == "history":
            return self.feedback.history(state.history, lang)
        assert command == "forget", f"/{command} is in slash.COMMANDS but has no answer"
        return await self.feedback.ask_forget(user_id, state, lang)

    # -- buttons -------------------------------------------------------------------------
    async def _action(self, user_id: int, data: str) -> Reply:
        lang = self.lang
        cb = decode(data)
        if cb is None:
            log.info("user %s sent invalid callback data", user_id)
            text = t(lang, "invalid_button")
            return Reply(text, notice=text)
        if cb.action in (Action.LIKE, Action.DISLIKE, Action.RATE):
            return await self.feedback.rate(user_id, cb, lang)
        if cb.action is Action.FORGET_CONFIRM:
            return await self.feedback.confirm_forget(user_id, lang)
        if cb.action is Action.FORGET_CANCEL:
            return await self.feedback.cancel_forget(user_id, lang)
        state = await self._begin(user_id)
        if state is None:
            text = t(lang, "rate_limited")
            return Reply(text, notice=text)
        if cb.action is Action.MORE:
            return await self.turns.more(user_id, state, lang)
        if cb.action is Action.RESET:
            return await self.turns.reset(user_id, state, lang)
        assert cb.action is Action.SIMILAR and cb.item_id is not None
        reply = await self.turns.similar(user_id, state, cb.item_id, lang)
        return reply if reply is not None else not_shown(lang)
