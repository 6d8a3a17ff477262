"""Send a rendered reply, with the top pick's poster when there is one.

The form, chosen for how it reads in Telegram's apps (docs/telegram.md): one message,
the top pick's poster as the photo and the numbered list as its caption, the 👍/👎
keyboard under it. Telegram fetches the poster URL itself; the bot never downloads an
image. A caption holds at most 1024 characters, so a longer list is sent as text with
the poster as a large link preview above it (still one message with its keyboard).

A photo Telegram refuses (an unreachable or non-image URL, a photo the chat does not
allow) falls back to the plain text reply: the user always gets the list, never an
error. Posters are left out when the user switched them off in /settings.
"""

from __future__ import annotations

import logging

from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError

from bot.dialogue.types import Reply
from bot.telegram.render import Rendered, visible_length

log = logging.getLogger(__name__)

CAPTION_LIMIT = 1024  # Telegram's limit for a photo caption (after entity parsing)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def poster_of(reply: Reply) -> str | None:
    """The poster URL to show with ``reply``: its top pick's, if posters are on and it has one."""
    if not reply.items or (reply.prefs is not None and not reply.prefs.posters):
        return None
    url = reply.items[0].poster_url
    # Telegram fetches http(s) URLs only; anything else in the data is not worth a try.
    return url if url and url.startswith(("https://", "http://")) else None


async def send_rendered(bot: Bot, chat_id: int, reply: Reply, rendered: Rendered) -> None:
    """Send ``rendered`` (the rendering of ``reply``) to ``chat_id`` as described above."""
    poster = poster_of(reply)
    if poster and visible_length(rendered.text) <= CAPTION_LIMIT:
        try:
            await bot.send_photo(
                chat_id, poster, caption=rendered.text, parse_mode=ParseMode.HTML,
                reply_markup=rendered.keyboard,
            )
            return
        except Forbidden:
            raise  # the user blocked the bot: a text message would fail the same way
        except TelegramError as exc:
            log.info("poster not sent (%s); sending the list as text", exc)
            poster = None
    preview = (
        LinkPreviewOptions(url=poster, prefer_large_media=True, show_above_text=True)
        if poster else NO_PREVIEW
    )
    await bot.send_message(
        chat_id, rendered.text, parse_mode=ParseMode.HTML, reply_markup=rendered.keyboard,
        link_preview_options=preview,
    )
