"""Shared lists: the payload under a list, and opening one from a deep link.

``payload`` gives the start parameter that reopens a list (``bot.dialogue.share``;
``None`` when it cannot be shared). ``open`` answers ``/start <payload>``: the same
movies in the same order become the opener's own conversation (its session query is the
list's structured query, the movies count as shown to them), so they can refine it,
page on and rate. A payload that does not decode or names no movie of the catalog gets
a polite answer and changes nothing: it is checked before anything touches Redis.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cached_property

from bot.dialogue import share
from bot.dialogue.ports import EngineLike, StoreLike
from bot.dialogue.render import format_list, nav_row
from bot.dialogue.texts import describe, t
from bot.dialogue.types import ItemView, Reply
from bot.session import Session
from bot.store import TurnState
from recommender.engine import Recommendation
from recommender.nlp.query import Query

log = logging.getLogger(__name__)


class Sharing:
    """Share payloads and shared-list openings of one dialogue (see module docstring)."""

    def __init__(self, engine: EngineLike, store: StoreLike) -> None:
        self.engine = engine
        self.store = store

    @cached_property
    def genres(self) -> list[str]:
        """The catalog's genre vocabulary the payloads index into (fixed per catalog)."""
        return self.engine.catalog.all_genres()

    def payload(self, item_ids: list[int], query: Query | None) -> str | None:
        """The start parameter that reopens this list (None: it cannot be shared)."""
        return share.encode(item_ids, query, self.genres)

    def resolve(self, payload: str) -> share.SharedList | None:
        """The list behind ``payload``, keeping only movies the catalog has; None if none."""
        shared = share.decode(payload, self.genres)
        if shared is None:
            return None
        catalog = self.engine.catalog
        items = tuple(i for i in shared.items if catalog.has(i))
        if not items:
            return None
        query = shared.query
        query.reference_items = [i for i in query.reference_items if catalog.has(i)]
        return share.SharedList(items, query)

    def bad_link(self, lang: str) -> Reply:
        """The polite answer to a payload that opens nothing."""
        return Reply(t(lang, "share.bad_link", welcome=t(lang, "welcome")))

    async def open(
        self, user_id: int, state: TurnState, shared: share.SharedList, views: list[ItemView],
        lang: str, title_of: Callable[[int], str],
    ) -> Reply:
        """Make ``shared`` (already resolved; ``views`` its items) the user's conversation;
        ``title_of`` names reference items in the header's summary."""
        ids = list(shared.items)
        session = Session(query=shared.query, shown=ids, session_shown=ids, page=0,
                          forget_until=state.session.forget_until)
        await self.store.save_session(user_id, session, ids)
        summary = describe(lang, shared.query, title_of)
        header = t(lang, "share.opened", summary=summary) if summary else t(lang, "share.opened_plain")
        footer = t(lang, "footer")
        return Reply(format_list(header, views, footer), items=views, buttons=[nav_row(lang)],
                     header=header, footer=footer, share=self.payload(ids, shared.query))

    @staticmethod
    def recommendations(shared: share.SharedList) -> list[Recommendation]:
        """The shared items as the engine's picks (no score, no reason), for item views."""
        return [Recommendation(item_id=i, score=0.0, why="") for i in shared.items]
