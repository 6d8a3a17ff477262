"""Inline mode: ``@<bot> sci-fi from the 90s`` in any chat lists personal picks.

The dialogue layer answers ``handle_inline(user_id, text)`` with a ``Reply`` whose items
are the results (an empty query: that user's best picks); nothing of the user's session
changes. Each result shows title and year, genres and rating, the one-line reason and the
poster as its thumbnail; choosing one posts the movie into the chat, with a button that
opens it in the bot (a shared-list deep link of that one movie, no personal data).

Results are personal (``is_personal``) and cached by Telegram for ``CACHE_S`` seconds
only, so a rating given a moment ago shows in the next query. A query the dialogue
refuses (too long, unreadable) or one with no results is answered with no results and a
button into the bot's chat carrying the dialogue's explanation.
"""

from __future__ import annotations

import logging

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    LinkPreviewOptions,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.dialogue import share
from bot.dialogue.texts import DEFAULT_LANG, t
from bot.dialogue.types import ItemView, Preferences, Reply
from bot.telegram.render import deep_link, render_item, reply_lang

log = logging.getLogger(__name__)

CACHE_S = 10  # Telegram caches the answer per user this long
MAX_BUTTON_CHARS = 64  # the results button is one short line in the apps
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def result_for(
    item: ItemView, prefs: Preferences, bot_username: str, lang: str = DEFAULT_LANG
) -> InlineQueryResultArticle:
    """One inline result: what the list shows, and the message that choosing it posts."""
    title = f"{item.title} ({item.year})" if item.year else item.title
    details = [", ".join(item.genres)] if item.genres else []
    if item.avg_rating is not None:
        details.append(f"★ {item.avg_rating:.1f}")
    description = "\n".join(part for part in (" · ".join(details), item.why) if part)
    poster = item.poster_url if prefs.posters else None
    preview = (
        LinkPreviewOptions(url=poster, prefer_large_media=True, show_above_text=True)
        if poster else NO_PREVIEW
    )
    text = render_item(1, item).removeprefix("1. ")
    payload = share.encode([item.item_id], None, ())
    keyboard = None
    if payload is not None:
        label = t(lang, "inline.open", bot=bot_username)
        keyboard = InlineKeyboardMarkup(
            [[InlineKeyboardButton(label, url=deep_link(bot_username, payload))]]
        )
    return InlineQueryResultArticle(
        id=str(item.item_id),
        title=title,
        description=description or None,
        thumbnail_url=poster,
        input_message_content=InputTextMessageContent(
            text, parse_mode=ParseMode.HTML, link_preview_options=preview
        ),
        reply_markup=keyboard,
    )


def results_button(reply: Reply) -> InlineQueryResultsButton | None:
    """For an answer without results: a button into the bot's chat saying why."""
    if reply.items:
        return None
    text = " ".join((reply.notice or reply.text or "").split()) or t(reply_lang(reply), "inline.nothing")
    if len(text) > MAX_BUTTON_CHARS:
        text = text[: MAX_BUTTON_CHARS - 1] + "…"
    return InlineQueryResultsButton(text=text, start_parameter=share.WELCOME_PAYLOAD)


async def answer(query: object, reply: Reply, bot_username: str) -> None:
    """Answer an inline query with ``reply``'s items; a stale query is only logged."""
    prefs = reply.prefs or Preferences()
    results = [result_for(item, prefs, bot_username, reply_lang(reply)) for item in reply.items]
    try:
        await query.answer(  # type: ignore[attr-defined]
            results, cache_time=CACHE_S, is_personal=True, button=results_button(reply)
        )
    except BadRequest as exc:
        # "query is too old": the user typed on; the newer query gets its own answer.
        log.warning("could not answer an inline query: %s", exc)
