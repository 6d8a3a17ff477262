"""The dialogue layer: one conversation engine for Telegram, the console and JSON lines.

``Dialogue(engine, store, settings)`` turns a user's message, command or button press
into a ``Reply``. It knows nothing of Telegram. This module is the router: it cleans
the input, applies the rate limit, and hands the work to ``turns.Turns`` (searches,
run on the model executor of ``bot.runtime``), ``feedback.Feedback`` (ratings,
history, /forget) or ``sharing.Sharing`` (shared lists); all text comes from ``texts``.
Every request reads the user's /settings first (``prefs``): the list length, the
language of the reply, and posters on or off (handed to the front end in ``Reply.prefs``). Per request the user's session and
ratings are read from the store (so a rating given a moment ago shapes the next answer:
fold-in, no refit) and the new session is written in one MULTI/EXEC. Contracts:

- Feedback is accepted only for items this user was shown (the ``seen`` set); a
  disliked (or any rated) item is never recommended to that user again.
- Button data, deep-link payloads and inline queries are untrusted: garbage, forged or
  oversized input gets a friendly reply and changes nothing.
- Inline queries (``handle_inline``) read the user's ratings and change nothing.
- Redis unreachable -> ``REDIS_DOWN`` reply; any other failure -> ``INTERNAL_ERROR``
  reply (logged with its traceback). No method raises.
- Every reply's text is at most ``MAX_TEXT`` (4096) characters.

- /forget is final: the writes of a turn carry the generation read when it began
  (``TurnState.generation``); one that loses the race against a confirmed /forget is
  dropped by the store and the user is told nothing was kept (``forgotten_meanwhile``).
- Button presses that write (ratings) count against the same per-user rate limit as
  messages.

Two messages of the same user processed at the same instant may overwrite each other's
session (last write wins; the webhook intake never processes one user's updates
concurrently); ratings are never lost (they are a hash, written with compare-and-set).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor
from dataclasses import replace

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bot.config import Settings
from bot.dialogue import inline, prefs
from bot.dialogue.callbacks import SETTING_ACTIONS, Action, Callback, decode
from bot.dialogue.feedback import Feedback, not_shown
from bot.dialogue.ports import EngineLike, StoreLike
from bot.dialogue.render import clip
from bot.dialogue.sanitize import clean_message
from bot.dialogue.share import WELCOME_PAYLOAD
from bot.dialogue.sharing import Sharing
from bot.dialogue.slash import COMMANDS, command_name, parse_slash
from bot.dialogue.texts import DEFAULT_LANG, t
from bot.dialogue.turns import Turns
from bot.dialogue.types import MAX_TEXT, Preferences, Reply
from bot.redis_budget import StoreContention, one_request
from bot.runtime import run_off_loop
from bot.store import TurnState
from recommender.nlp.language import has_words, reply_language
from recommender.refine import Turn

log = logging.getLogger(__name__)

# English texts under their old names (callers and tests compare replies with them).
REDIS_DOWN = t(DEFAULT_LANG, "redis_down")
INTERNAL_ERROR = t(DEFAULT_LANG, "internal_error")
RATE_LIMITED = t(DEFAULT_LANG, "rate_limited")
INVALID_BUTTON = t(DEFAULT_LANG, "invalid_button")
NOT_SHOWN = t(DEFAULT_LANG, "not_shown")
FORGOTTEN = t(DEFAULT_LANG, "forgotten_meanwhile")
_NO_STATE = ("start", "help", "about")  # answered without Redis: they work while it is down
assert set(_NO_STATE) <= set(COMMANDS)
_REDIS_ERRORS = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)

Work = Callable[[Preferences], Awaitable[Reply]]


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
        self.k = settings.top_k
        self._executor = executor
        self.sharing = Sharing(engine, store)
        self.turns = Turns(engine, store, settings.top_k, executor, share=self.sharing.payload)
        self.feedback = Feedback(engine, store)

    # -- public API ----------------------------------------------------------------------
    async def handle_text(self, user_id: int, text: str, language_code: str | None = None) -> Reply:
        """Answer a chat message (``/command`` text is routed to ``handle_command``).

        ``language_code`` is the client's language (Telegram's ``User.language_code``)."""
        words = text if isinstance(text, str) else None
        return await self._guard(user_id, lambda p: self._text(int(user_id), text, p),
                                 words, language_code)

    async def handle_action(self, user_id: int, data: str, language_code: str | None = None) -> Reply:
        """Answer a button press; forged data -> friendly reply, no state change."""
        return await self._guard(user_id, lambda p: self._action(int(user_id), data, p),
                                 None, language_code)

    async def handle_command(
        self, user_id: int, command: str, args: str = "", language_code: str | None = None
    ) -> Reply:
        """Answer a command of ``slash.COMMANDS`` (others: help); ``/start <payload>`` opens
        a shared list."""
        return await self._guard(
            user_id, lambda p: self._command(int(user_id), command, args or "", p), None, language_code
        )

    async def handle_inline(self, user_id: int, text: str) -> Reply:
        """Inline mode: the items are this user's results for ``text`` (empty: best picks).

        Without items the reply's text says why (too long, unreadable, nothing new).
        Nothing of the user's state changes.
        """
        return await self._guard(user_id, lambda p: self._inline(int(user_id), text, p))

    # -- plumbing ------------------------------------------------------------------------
    async def _guard(
        self, user_id: int, work: Work, text: str | None = None, language_code: str | None = None
    ) -> Reply:
        prefs = Preferences(lang=reply_language(text, language_code, None, self.lang))
        try:
            with one_request():  # a hung Redis costs this request one budget, not one per call
                prefs = await self._prefs(int(user_id), text, language_code)
                reply = await work(prefs)
        except _REDIS_ERRORS as exc:
            log.warning("Redis unavailable: %s", exc)
            text = t(prefs.lang or self.lang, "redis_down")
            return Reply(text, notice=text, prefs=prefs)
        except StoreContention as exc:
            log.warning("%s", exc)
            text = t(prefs.lang or self.lang, "busy")
            return Reply(text, notice=text, prefs=prefs)
        except Exception:
            log.exception("dialogue failure")
            text = t(prefs.lang or self.lang, "internal_error")
            return Reply(text, notice=text, prefs=prefs)
        if reply.prefs is None:
            reply = replace(reply, prefs=prefs)
        if len(reply.text) <= MAX_TEXT:
            return reply
        return replace(reply, text=clip(reply.text))

    async def _prefs(
        self, user_id: int, text: str | None = None, language_code: str | None = None
    ) -> Preferences:
        """The user's /settings with the language in effect filled in (defaults while Redis
        is down: the request itself then reports it, if it needs Redis). A language chosen
        in /settings wins; otherwise ``reply_language``: a message with words decides, else
        the session's query (read here only for a press that reads no turn state), else a
        Chinese ``language_code``, else the dialogue's ``lang``."""
        try:
            stored = await self.store.preferences(user_id)
        except _REDIS_ERRORS:
            stored = Preferences()
        if stored.lang:
            return stored
        previous = None
        if not (text and has_words(text)):
            try:
                session, _ = await self.store.load(user_id)
            except _REDIS_ERRORS:
                session = None
            query = session.query if session is not None else None
            previous = query.lang if query is not None and not query.is_empty() else None
        return replace(stored, lang=reply_language(text, language_code, previous, self.lang))

    async def _begin(self, user_id: int) -> TurnState | None:
        """Read the turn state; ``None`` when the user is over the rate limit."""
        state = await self.store.begin_turn(user_id)
        if state.messages_this_minute > self.rate_limit:
            log.info("user %s rate limited (%d messages this minute)", user_id, state.messages_this_minute)
            return None
        return state

    # -- messages ------------------------------------------------------------------------
    async def _text(self, user_id: int, raw: str, p: Preferences) -> Reply:
        lang = p.lang or self.lang
        cleaned = clean_message(raw, lang)
        if cleaned.problem:
            return Reply(cleaned.problem)
        text = cleaned.text
        if slash := parse_slash(text):
            return await self._command(user_id, *slash, p)
        state = await self._begin(user_id)
        if state is None:
            return Reply(t(lang, "rate_limited"))
        thought = await self.turns.think(text, state, p.items, lang)
        ref = thought.refinement
        if ref.kind is Turn.COMMAND:
            command = ref.query.command or "help"
            return await self._command(user_id, str(command), "", p, state=state)
        return await self.turns.answer(user_id, state, thought, extra_notes=cleaned.notes, lang=lang)

    async def _inline(self, user_id: int, raw: str, p: Preferences) -> Reply:
        lang = p.lang or self.lang
        if not isinstance(raw, str) or len(raw) > inline.MAX_CHARS:
            return Reply(t(lang, "inline.too_long"))
        text = ""
        if raw.strip():
            cleaned = clean_message(raw, lang)
            if cleaned.problem:
                return Reply(t(lang, "inline.unreadable"))
            text = cleaned.text
        history = await self.store.ratings(user_id)
        result = await run_off_loop(self._executor, inline.search, self.engine, text, history)
        views = [self.turns.view(rec, lang) for rec in result.items]
        return Reply("", items=views) if views else Reply(t(lang, "inline.nothing"))

    # -- commands ------------------------------------------------------------------------
    async def _command(
        self, user_id: int, command: str, args: str, p: Preferences, *, state: TurnState | None = None
    ) -> Reply:
        lang = p.lang or self.lang
        command = command_name(command)
        payload = args.strip()
        if command == "start" and payload and payload != WELCOME_PAYLOAD:
            return await self._open_shared(user_id, payload, lang)
        if command == "about":
            return Reply(t(lang, "about"))
        if command in _NO_STATE:
            return Reply(t(lang, "welcome"))
        if state is None:
            state = await self._begin(user_id)
            if state is None:
                return Reply(t(lang, "rate_limited"))
        if command not in COMMANDS:
            return Reply(t(lang, "unknown_command", command=command[:32], welcome=t(lang, "welcome")))
        if command == "more":
            return await self.turns.more(user_id, state, lang, p.items)
        if command == "reset":
            return await self.turns.reset(user_id, state, lang)
        if command == "history":
            return self.feedback.history(state.history, lang)
        if command == "settings":
            return prefs.menu_reply(p, self.k, lang)
        assert command == "forget", f"/{command} is in slash.COMMANDS but has no answer"
        return await self.feedback.ask_forget(user_id, state, lang)

    async def _open_shared(self, user_id: int, payload: str, lang: str) -> Reply:
        """``/start <payload>``: the shared list, or a polite answer and no state change."""
        shared = self.sharing.resolve(payload)  # checked before anything is written
        if shared is None:
            log.info("user %s opened a link that names no list", user_id)
            return self.sharing.bad_link(lang)
        state = await self._begin(user_id)
        if state is None:
            return Reply(t(lang, "rate_limited"))
        views = [self.turns.view(rec, lang) for rec in self.sharing.recommendations(shared)]
        return await self.sharing.open(user_id, state, shared, views, lang,
                                       lambda item_id: self.turns.title_of(
                                           item_id, lang, shared.query.reference_items))

    # -- buttons -------------------------------------------------------------------------
    async def _action(self, user_id: int, data: str, p: Preferences) -> Reply:
        lang = p.lang or self.lang
        cb = decode(data)
        if cb is None:
            log.info("user %s sent invalid callback data", user_id)
            text = t(lang, "invalid_button")
            return Reply(text, notice=text)
        if cb.action in (Action.LIKE, Action.DISLIKE, Action.RATE):
            return await self.feedback.rate(user_id, cb, lang, rate_limit=self.rate_limit)
        if cb.action is Action.FORGET_CONFIRM:
            return await self.feedback.confirm_forget(user_id, lang)
        if cb.action is Action.FORGET_CANCEL:
            return await self.feedback.cancel_forget(user_id, lang)
        if cb.action in SETTING_ACTIONS:
            return await self._setting(user_id, cb, lang)
        if cb.action is Action.SIMILAR and not await self.turns.may_show_similar(user_id, cb.item_id):
            return not_shown(lang)  # checked first: a foreign press writes nothing at all
        state = await self._begin(user_id)
        if state is None:
            text = t(lang, "rate_limited")
            return Reply(text, notice=text)
        if cb.action is Action.MORE:
            return await self.turns.more(user_id, state, lang, p.items)
        if cb.action is Action.RESET:
            return await self.turns.reset(user_id, state, lang)
        assert cb.action is Action.SIMILAR and cb.item_id is not None
        reply = await self.turns.similar(user_id, state, cb.item_id, lang, p.items)
        return reply if reply is not None else not_shown(lang)

    async def _setting(self, user_id: int, cb: Callback, lang: str) -> Reply:
        """A press on the /settings menu: store it, confirm it, re-mark the menu. Written
        with the user's generation (read first, never created: the /settings command
        created it): a press that lost the race against a confirmed /forget, or that
        comes from a menu shown before it, writes nothing and says so."""
        generation = await self.store.generation(user_id)
        stored = prefs.apply(await self.store.preferences(user_id), cb)
        if generation is None or not await self.store.save_preferences(
            user_id, stored, generation=generation
        ):
            text = t(lang, "forgotten_meanwhile")
            return Reply(text, notice=text)
        effective = replace(stored, lang=stored.lang or self.lang)
        lang = effective.lang or self.lang
        text = prefs.saved(effective, cb, lang)
        return Reply(text, notice=text, edited_buttons=prefs.menu(effective, self.k, lang), prefs=effective)
