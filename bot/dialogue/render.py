"""Plain-text rendering of replies, shared by the dialogue layer and the console chat.

``format_list`` produces the text of a list reply (what ``Reply.text`` holds and the
JSON-lines protocol returns); ``render_console`` adds what a terminal needs in place of
buttons; ``keyboard`` lays out the buttons of a list reply for front ends that have
them (Telegram), marking items the user already rated. Every button row the dialogue
shows is built here (``feedback_data``, ``keyboard``, ``nav_row``, ``forget_row``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.dialogue.callbacks import Action, encode
from bot.dialogue.texts import DEFAULT_LANG, t
from bot.dialogue.types import MAX_TEXT, Button, ItemView, Reply
from recommender.ranking.reasons import stars_label

__all__ = ["MAX_TEXT", "button_at", "clip", "feedback_data", "format_item", "format_list",
           "forget_row", "keyboard", "nav_row", "render_console", "start_over_row"]


def format_item(number: int, item: ItemView) -> str:
    """``2. Alien (1979) — Horror, Sci-Fi — ★ 4.0`` and the reason on the next line."""
    title = f"{item.title} ({item.year})" if item.year else item.title
    parts = [f"{number}. {title}"]
    if item.genres:
        parts.append(", ".join(item.genres))
    if item.avg_rating is not None:
        parts.append(stars_label(item.avg_rating))
    line = " — ".join(parts)
    return f"{line}\n   {item.why}" if item.why else line


def format_list(header: str, items: Sequence[ItemView], footer: str = "") -> str:
    """Header, numbered items, footer, separated by blank lines; clipped to MAX_TEXT."""
    blocks = [header] if header else []
    if items:
        blocks.append("\n".join(format_item(n, item) for n, item in enumerate(items, 1)))
    if footer:
        blocks.append(footer)
    return clip("\n\n".join(blocks))


def clip(text: str, limit: int = MAX_TEXT) -> str:
    """``text`` cut to ``limit`` characters, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def keyboard(
    item_ids: Sequence[int],
    extra: Sequence[Sequence[Button]] = (),
    ratings: Mapping[int, float] | None = None,
    like_threshold: float = 3.5,
) -> list[list[Button]]:
    """One ``[n 👍] [n 👎]`` row per listed item, then ``extra`` rows.

    Items in ``ratings`` get a ✅ on the button matching their rating (so an edited
    keyboard shows what was recorded).
    """
    ratings = ratings or {}
    rows: list[list[Button]] = []
    for n, item_id in enumerate(item_ids, 1):
        stars = ratings.get(int(item_id))
        liked = stars is not None and stars >= like_threshold
        disliked = stars is not None and not liked
        like, dislike = feedback_data(item_id)
        rows.append([
            Button(f"{'✅ ' if liked else ''}{n} 👍", like),
            Button(f"{'✅ ' if disliked else ''}{n} 👎", dislike),
        ])
    rows.extend(list(row) for row in extra)
    return rows


def feedback_data(item_id: int) -> tuple[str, str]:
    """The callback data of an item's 👍 and 👎 buttons."""
    return encode(Action.LIKE, item_id), encode(Action.DISLIKE, item_id)


def nav_row(lang: str = DEFAULT_LANG) -> list[Button]:
    """``[More] [Start over]``, under every list."""
    return [Button(t(lang, "button.more"), encode(Action.MORE)), *start_over_row(lang)]


def start_over_row(lang: str = DEFAULT_LANG) -> list[Button]:
    """``[Start over]`` alone, when a search found nothing."""
    return [Button(t(lang, "button.start_over"), encode(Action.RESET))]


def forget_row(lang: str = DEFAULT_LANG) -> list[Button]:
    """``[Yes, forget me] [Cancel]`` under the /forget question."""
    return [Button(t(lang, "button.forget_yes"), encode(Action.FORGET_CONFIRM)),
            Button(t(lang, "button.forget_cancel"), encode(Action.FORGET_CANCEL))]


def render_console(reply: Reply) -> str:
    """The reply for a terminal: its text, a toast notice, and buttons as ``/1``, ``/2``."""
    lines = [reply.text] if reply.text else []
    if reply.notice and reply.notice != reply.text:
        lines.append(f"({reply.notice})")
    flat = [b for row in reply.buttons for b in row]
    if flat:
        lines.append("   ".join(f"[/{n} {b.text}]" for n, b in enumerate(flat, 1)))
    return "\n".join(lines)


def button_at(reply: Reply, number: int) -> Button | None:
    """The ``number``-th button (1-based, rows flattened) as ``render_console`` numbers them."""
    flat = [b for row in reply.buttons for b in row]
    return flat[number - 1] if 1 <= number <= len(flat) else None
