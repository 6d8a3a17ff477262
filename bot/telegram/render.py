"""Turn a dialogue ``Reply`` into one Telegram message: HTML text plus an inline keyboard.

Pure functions, no I/O. The message is a numbered list (title linked to its IMDb page
when known, year, genres, average rating, the reason line) between the reply's header
and footer, HTML-escaped and at most ``MAX_MESSAGE_CHARS`` (4096) characters; the keyboard has a 👍/👎 row per
listed item (laid out by ``bot.dialogue.render.keyboard``, the same layout the dialogue
uses when it edits a keyboard after feedback), then the reply's own button rows, then a
"Share" URL button when the reply can be shared (``share_url``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.dialogue.render import keyboard as item_keyboard
from bot.dialogue.texts import DEFAULT_LANG, t
from bot.dialogue.types import MAX_TEXT, Button, ItemView, Reply
from recommender.ranking.reasons import stars_label

MAX_MESSAGE_CHARS = MAX_TEXT
_ELLIPSIS = "…"
_TAG = re.compile(r"<[^<>]*>")


def reply_lang(reply: Reply) -> str:
    """The language ``reply`` was written in (the dialogue sets it in ``prefs``)."""
    return (reply.prefs.lang if reply.prefs else None) or DEFAULT_LANG


def deep_link(bot_username: str, payload: str) -> str:
    """``https://t.me/<bot>?start=<payload>``: opens the bot with ``/start <payload>``."""
    return f"https://t.me/{bot_username}?start={payload}"


def share_url(bot_username: str, payload: str, lang: str = DEFAULT_LANG) -> str:
    """Telegram's share dialog for the deep link of ``payload`` (the user picks a chat)."""
    link = quote(deep_link(bot_username, payload), safe="")
    return f"https://t.me/share/url?url={link}&text={quote(t(lang, 'share.text'))}"


def visible_length(text: str) -> int:
    """Length of HTML ``text`` as Telegram counts it: tags removed, entities decoded, UTF-16."""
    return len(html.unescape(_TAG.sub("", text)).encode("utf-16-le")) // 2


def url_rows(current: InlineKeyboardMarkup | None) -> list[list[InlineKeyboardButton]]:
    """The rows of ``current`` made only of URL buttons (kept when a keyboard is replaced)."""
    if current is None:
        return []
    return [list(row) for row in current.inline_keyboard if row and all(b.url for b in row)]


@dataclass(frozen=True)
class Rendered:
    """A message ready for ``send_message(text=..., parse_mode=HTML, reply_markup=...)``."""

    text: str
    keyboard: InlineKeyboardMarkup | None


def render_item(number: int, item: ItemView) -> str:
    """One list entry as HTML: ``1. <a href=url>Title</a> (1999)`` then details and why."""
    title = html.escape(item.title)
    if item.url:
        title = f'<a href="{html.escape(item.url, quote=True)}">{title}</a>'
    first = f"{number}. <b>{title}</b>"
    if item.year is not None:
        first += f" ({item.year})"
    details = []
    if item.genres:
        details.append(html.escape(", ".join(item.genres)))
    if item.avg_rating is not None:
        details.append(stars_label(item.avg_rating))
    lines = [first]
    if details:
        lines.append("    " + " · ".join(details))
    if item.why:
        lines.append(f"    <i>{html.escape(item.why)}</i>")
    return "\n".join(lines)


def _clip(text: str, limit: int) -> str:
    """Escape plain ``text`` so the result fits ``limit`` characters (never cutting an entity)."""
    escaped = html.escape(text)
    if len(escaped) <= limit:
        return escaped
    # Escape character by character so no "&amp;" is cut in half.
    out: list[str] = []
    used = len(_ELLIPSIS)
    for char in text:
        piece = html.escape(char)
        if used + len(piece) > limit:
            break
        out.append(piece)
        used += len(piece)
    return "".join(out) + _ELLIPSIS


def markup(
    rows: Sequence[Sequence[Button]], extra: Sequence[Sequence[InlineKeyboardButton]] = ()
) -> InlineKeyboardMarkup | None:
    """An inline keyboard from button rows and ready-made ``extra`` rows (``None`` when empty)."""
    buttons = [
        [InlineKeyboardButton(b.text, callback_data=b.data) for b in row] for row in rows if row
    ]
    buttons.extend(list(row) for row in extra if row)
    return InlineKeyboardMarkup(buttons) if buttons else None


def render_reply(reply: Reply, limit: int = MAX_MESSAGE_CHARS, *, share: str | None = None) -> Rendered:
    """Render ``reply`` as one message of at most ``limit`` characters.

    Without items the message is the reply's text. With items it is header, numbered
    list, footer; items that would push the message over the limit are left out (with
    their buttons), so the text never ends in the middle of an entry. ``share`` is the
    URL of a "Share" button under the list (``share_url``).
    """
    extra = [[InlineKeyboardButton(t(reply_lang(reply), "share.button"), url=share)]] if share else []
    if not reply.items:
        text = _clip(reply.text.strip() or "…", limit)
        return Rendered(text, markup(reply.buttons, extra))

    header = html.escape(reply.header.strip())
    footer = html.escape(reply.footer.strip())
    fixed = len(header) + len(footer) + 4  # the blank lines around the list
    if fixed > limit // 2:
        header, footer = _clip(reply.header.strip(), limit // 4), _clip(reply.footer.strip(), limit // 4)
        fixed = len(header) + len(footer) + 4
    entries: list[str] = []
    used = fixed
    for number, item in enumerate(reply.items, start=1):
        entry = render_item(number, item)
        if used + len(entry) + 2 > limit:
            break
        entries.append(entry)
        used += len(entry) + 2
    if not entries:  # a single monstrous title: show it clipped rather than nothing
        entries = [_clip(f"1. {reply.items[0].title}", limit - fixed)]
    shown = reply.items[: len(entries)]
    parts = [p for p in (header, "\n\n".join(entries), footer) if p]
    text = "\n\n".join(parts)
    return Rendered(text, markup(item_keyboard([item.item_id for item in shown], reply.buttons), extra))
