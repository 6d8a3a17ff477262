"""Thin Telegram handlers: decode the update, ask the dialogue layer, send the rendered reply.

No state lives here or in PTB (no persistence, no ConversationHandler): everything a
user has said or rated is in Redis behind the dialogue layer, so updates can be handled
concurrently and by any replica. The user is ``update.effective_user.id``; the reply
goes to the chat the update came from. In groups the bot answers only commands and
messages that mention it.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any, Protocol

from telegram import CallbackQuery, MessageEntity, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.dialogue.slash import COMMANDS as DIALOGUE_COMMANDS
from bot.dialogue.slash import description, parse_slash
from bot.dialogue.texts import DEFAULT_LANG, t
from bot.dialogue.types import Button, Reply
from bot.ops.prometheus import ERRORS, UPDATE_SECONDS, UPDATES
from bot.telegram import inline
from bot.telegram.posters import send_rendered
from bot.telegram.render import markup, render_reply, reply_lang, share_url, url_rows
from recommender.nlp.language import reply_language

log = logging.getLogger(__name__)

# The dialogue's command table (one handler per name) and Telegram's menu descriptions.
COMMANDS = {name: description(name) for name in DIALOGUE_COMMANDS}

# Quick-start requests offered under /start; the button carries only the index, so a
# forged index is simply ignored.
QUICK_START = tuple(t(DEFAULT_LANG, f"quick_start.{i}") for i in range(3))
QUICK_PREFIX = "ask:"

NON_TEXT_HINT = t(DEFAULT_LANG, "telegram.non_text")
ERROR_TEXT = t(DEFAULT_LANG, "telegram.error")
MAX_NOTICE_CHARS = 200  # Telegram's limit for the text of a callback answer


class DialogueLike(Protocol):
    """What the handlers need from ``bot.dialogue.core.Dialogue``."""

    async def handle_text(
        self, user_id: int, text: str, language_code: str | None = None
    ) -> Reply: ...
    async def handle_action(
        self, user_id: int, data: str, language_code: str | None = None
    ) -> Reply: ...
    async def handle_command(
        self, user_id: int, command: str, args: str = "", language_code: str | None = None
    ) -> Reply: ...
    async def handle_inline(self, user_id: int, text: str) -> Reply: ...


def update_kind(update: object) -> str:
    """A short label for metrics: command, text, callback, inline, non_text or other."""
    if not isinstance(update, Update):
        return "other"
    if update.callback_query is not None:
        return "callback"
    if update.inline_query is not None:
        return "inline"
    message = update.message
    if message is None:
        return "other"
    if message.text is None:
        return "non_text"
    if parse_slash(message.text) is not None:
        return "command"
    return "text"


# What PTB calls for an update: a coroutine function (update, context) -> None.
Handler = Callable[..., Coroutine[Any, Any, None]]


def _timed(
    kind: str,
) -> Callable[[Handler], Handler]:
    """Record how long a handler takes into ``recbot_update_seconds{kind}``."""

    def wrap(handler: Handler) -> Handler:
        async def timed(*args: Any) -> None:
            start = time.perf_counter()
            try:
                await handler(*args)
            finally:
                UPDATE_SECONDS.labels(kind=kind).observe(time.perf_counter() - start)

        timed.__doc__ = handler.__doc__
        timed.__name__ = handler.__name__
        return timed

    return wrap


def _mentioned_text(update: Update, bot_username: str) -> str | None:
    """The message text without the bot's @mention, or None if the bot is not mentioned."""
    message = update.effective_message
    if message is None or message.text is None:
        return None
    target = f"@{bot_username}".lower()
    for entity, value in message.parse_entities([MessageEntity.MENTION]).items():
        if value.lower() == target:
            text = message.text[: entity.offset] + message.text[entity.offset + entity.length :]
            return " ".join(text.split())
    return None


class BotHandlers:
    """The handlers of one application, bound to its dialogue layer."""

    def __init__(self, dialogue: DialogueLike, *, debug: bool = False) -> None:
        self.dialogue = dialogue
        self.debug = debug

    async def send(self, update: Update, context: ContextTypes.DEFAULT_TYPE, reply: Reply) -> None:
        """Send ``reply`` as one HTML message (with its poster, see ``posters``) to the chat."""
        chat = update.effective_chat
        if chat is None:
            return
        link = None
        if reply.share and context.bot.username:
            link = share_url(context.bot.username, reply.share, reply_lang(reply))
        await send_rendered(context.bot, chat.id, reply, render_reply(reply, share=link))

    def command(self, name: str) -> Handler:
        """The handler of ``/<name>``: pass it (and its arguments) to the dialogue layer."""

        @_timed("command")
        async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            user = update.effective_user
            if user is None:
                return
            reply = await self.dialogue.handle_command(
                user.id, name, " ".join(context.args or []), language_code=user.language_code
            )
            if name == "start" and not reply.buttons:
                reply = with_quick_start(reply)
            await self.send(update, context, reply)

        handle.__doc__ = f"/{name}: {COMMANDS[name]}."
        return handle

    @_timed("text")
    async def text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A text message: a request or a refinement, answered with a list of movies."""
        message, user, chat = update.effective_message, update.effective_user, update.effective_chat
        if message is None or message.text is None or user is None or chat is None:
            return
        text = message.text
        if chat.type != ChatType.PRIVATE:
            mentioned = _mentioned_text(update, context.bot.username)
            if not mentioned:
                return  # groups: only messages that mention the bot
            text = mentioned
        if self.debug:
            log.debug("text from user %s: %r", user.id, text)
        reply = await self.dialogue.handle_text(user.id, text, language_code=user.language_code)
        await self.send(update, context, reply)

    @_timed("callback")
    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button press: feedback, more, reset, confirm; always answers the query."""
        query = update.callback_query
        user = update.effective_user
        if query is None or user is None:
            return
        reply: Reply | None = None
        try:
            data = query.data or ""
            if data.startswith(QUICK_PREFIX):
                # The buttons were shown in the client's language unless /settings says otherwise.
                request = _quick_start(data, reply_language(None, user.language_code, None))
                if request is None:
                    return
                reply = await self.dialogue.handle_text(
                    user.id, request, language_code=user.language_code
                )
            else:
                reply = await self.dialogue.handle_action(
                    user.id, data, language_code=user.language_code
                )
        finally:
            # Telegram shows a spinner on the button until the query is answered.
            await _answer(query, reply.notice if reply is not None else None)
        if reply.edited_buttons is not None:
            await _edit_keyboard(update, reply.edited_buttons)
        # A reply whose text is just the toast needs no message of its own.
        if (reply.items or reply.text.strip()) and reply.text != reply.notice:
            await self.send(update, context, reply)

    @_timed("inline")
    async def inline_query(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``@bot <request>`` in any chat: personal results for the user who types."""
        query, user = update.inline_query, update.effective_user
        if query is None or user is None:
            return
        reply = await self.dialogue.handle_inline(user.id, query.query or "")
        await inline.answer(query, reply, context.bot.username)

    @_timed("non_text")
    async def non_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Stickers, photos, voice and other non-text messages: a friendly hint."""
        chat = update.effective_chat
        if chat is not None:
            await context.bot.send_message(chat.id, NON_TEXT_HINT)

    async def count(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Count every update by kind (runs before the other handlers)."""
        UPDATES.labels(kind=update_kind(update)).inc()

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log a failed update with context (never the token) and tell the user."""
        kind = update_kind(update)
        ERRORS.labels(kind=kind).inc()
        chat_id = user_id = update_id = None
        text = None
        if isinstance(update, Update):
            update_id = update.update_id
            chat_id = update.effective_chat.id if update.effective_chat else None
            user_id = update.effective_user.id if update.effective_user else None
            if update.effective_message is not None:
                text = update.effective_message.text
        log.error(
            "failed to handle update %s (kind=%s chat=%s user=%s)%s",
            update_id, kind, chat_id, user_id,
            f" text={text!r}" if self.debug and text else "",
            exc_info=context.error,
        )
        if chat_id is not None:
            try:
                await context.bot.send_message(chat_id, ERROR_TEXT)
            except TelegramError as exc:
                log.warning("could not tell chat %s about the error: %s", chat_id, exc)


def with_quick_start(reply: Reply) -> Reply:
    """``reply`` with one quick-start request button per row below it, in its language."""
    lang = reply_lang(reply)
    quick = [[Button(t(lang, f"quick_start.{i}"), f"{QUICK_PREFIX}{i}")] for i in range(len(QUICK_START))]
    return dataclasses.replace(reply, buttons=[*reply.buttons, *quick])


def _quick_start(data: str, lang: str = DEFAULT_LANG) -> str | None:
    """The request a quick-start button stands for, in the language it was shown in."""
    index = data[len(QUICK_PREFIX) :]
    if index.isdigit() and int(index) < len(QUICK_START):
        return t(lang, f"quick_start.{index}")
    return None


async def _answer(query: CallbackQuery, notice: str | None) -> None:
    """Answer a callback query with an optional toast; a stale query is only logged."""
    if notice and len(notice) > MAX_NOTICE_CHARS:
        notice = notice[: MAX_NOTICE_CHARS - 1] + "…"
    try:
        await query.answer(notice)
    except BadRequest as exc:
        # "query is too old": the press is hours old; nothing left to tell the user.
        log.warning("could not answer a callback query: %s", exc)


async def _edit_keyboard(update: Update, rows: list[list[Button]]) -> None:
    """Replace the keyboard of the message the pressed button belongs to."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    # URL buttons (Share) are the front end's own: keep them under the new keyboard.
    keep = url_rows(query.message.reply_markup) if hasattr(query.message, "reply_markup") else []
    try:
        await query.edit_message_reply_markup(reply_markup=markup(rows, keep))
    except BadRequest as exc:
        # Pressing the same button twice leaves the keyboard as it is ("not modified");
        # a message too old to edit keeps its keyboard. Either way the press was recorded
        # and the toast said so.
        if "not modified" not in str(exc).lower():
            log.warning("could not edit the keyboard of a message: %s", exc)


def register(application: Application, handlers: BotHandlers) -> None:
    """Add every handler (and the error handler) to ``application``."""
    application.add_handler(TypeHandler(Update, handlers.count), group=-1)
    new_messages = filters.UpdateType.MESSAGE
    for name in COMMANDS:
        application.add_handler(CommandHandler(name, handlers.command(name), filters=new_messages))
    application.add_handler(
        MessageHandler(
            new_messages
            & filters.TEXT
            & ~filters.COMMAND
            & (filters.ChatType.PRIVATE | filters.Entity(MessageEntity.MENTION)),
            handlers.text,
        )
    )
    application.add_handler(CallbackQueryHandler(handlers.button))
    application.add_handler(InlineQueryHandler(handlers.inline_query))
    application.add_handler(
        MessageHandler(
            new_messages & filters.ChatType.PRIVATE & ~filters.TEXT & ~filters.StatusUpdate.ALL,
            handlers.non_text,
        )
    )
    application.add_error_handler(handlers.on_error)
