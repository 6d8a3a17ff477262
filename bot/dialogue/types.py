"""What the dialogue layer returns: a reply any front end can render.

This is the contract between the dialogue layer and its three front ends (Telegram,
console chat, JSON lines). ``Reply.to_json()`` is exactly the JSON-lines output object
of docs/design.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_TEXT = 4096  # Telegram's message limit: no reply text and no read message is longer


@dataclass(frozen=True)
class Button:
    """An inline button: ``data`` is the callback data (<= 64 bytes, see ``callbacks``)."""

    text: str
    data: str


@dataclass(frozen=True)
class ItemView:
    """One recommended item as shown to the user."""

    item_id: int
    title: str
    year: int | None
    genres: list[str]
    avg_rating: float | None
    why: str
    like: str  # callback data of the 👍 button
    dislike: str  # callback data of the 👎 button
    url: str | None = None  # IMDb page when the catalog has links
    poster_url: str | None = None  # poster image (items_meta.csv); Telegram fetches it itself

    def to_json(self) -> dict[str, Any]:
        return {
            "item_id": self.item_id,
            "title": self.title,
            "year": self.year,
            "genres": list(self.genres),
            "avg_rating": self.avg_rating,
            "why": self.why,
            "poster_url": self.poster_url,
            "actions": {"like": self.like, "dislike": self.dislike},
        }


LANGUAGES = ("en", "zh")
MIN_ITEMS, MAX_ITEMS = 3, 10


@dataclass(frozen=True)
class Preferences:
    """One user's /settings: list length, posters on or off, reply language.

    ``items`` None means the deployment default (``RECBOT_TOP_K``), ``lang`` None that
    the user has not chosen one (the dialogue picks). Stored per user in Redis
    (``bot.store``); every front end reads the same values.
    """

    items: int | None = None
    posters: bool = True
    lang: str | None = None


@dataclass(frozen=True)
class Reply:
    """One answer: plain text as shown, the items listed in it, and extra button rows.

    ``text`` is plain text (front ends escape it as they need). ``header`` is the line
    above the list and ``footer`` the line below it, kept separate so a front end can
    render the list its own way. ``notice`` is set for a toast-style answer to a button
    press (Telegram answers the callback query with it). ``edited_buttons`` is set when a
    feedback press should only update the keyboard of the message it came from.
    ``share`` is the deep-link payload that reopens this list (``bot.dialogue.share``)
    and ``prefs`` the user's preferences the front end should honour (posters, language).
    """

    text: str
    items: list[ItemView] = field(default_factory=list)
    buttons: list[list[Button]] = field(default_factory=list)
    header: str = ""
    footer: str = ""
    notice: str | None = None
    edited_buttons: list[list[Button]] | None = None
    share: str | None = None
    prefs: Preferences | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "items": [item.to_json() for item in self.items],
            "buttons": [[{"text": b.text, "data": b.data} for b in row] for row in self.buttons],
        }
