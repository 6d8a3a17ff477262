"""What the dialogue layer needs from the engine and the store, as typed Protocols.

``EngineLike`` is the part of ``recommender.engine.Engine`` the dialogue calls (its
``recommend`` returns the engine's own ``RankResult``); ``StoreLike`` the part of
``bot.store.RedisStore``. Anything with these methods works (the service wraps both to
time them); the dialogue never reaches past them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Protocol

from bot.dialogue.types import Preferences
from bot.session import Session
from bot.store import FeedbackOutcome, TurnState
from recommender.data.catalog import Catalog
from recommender.engine import RankResult
from recommender.nlp.query import Query
from recommender.ranking.filters import CatalogIndex


class EngineLike(Protocol):
    """What the dialogue needs from ``recommender.engine.Engine``."""

    catalog: Catalog
    index: CatalogIndex  # the constraint masks (``ranking.filters``)

    def understand(self, text: str) -> Query: ...

    def recommend(
        self, query: Query, history: Mapping[int, float], *, exclude: Collection[int] = (), k: int = 5,
        fill: bool = True,
    ) -> RankResult: ...

    def series_of(self, item_ids: Collection[int]) -> list[int]: ...


class StoreLike(Protocol):
    """What the dialogue needs from ``bot.store.RedisStore`` (see its methods' contracts)."""

    async def begin_turn(self, user_id: int, *, count: bool = True) -> TurnState: ...

    async def generation(self, user_id: int) -> str | None: ...

    async def load(self, user_id: int) -> tuple[Session, dict[int, float]]: ...

    async def save_session(
        self, user_id: int, session: Session, newly_shown: list[int] = ..., *, generation: str | None = ...
    ) -> bool: ...

    async def clear_session(self, user_id: int) -> None: ...

    async def was_shown(self, user_id: int, item_id: int) -> bool: ...

    async def record_feedback(
        self, user_id: int, item_id: int, rating: float, action: str, *, rate_limit: int | None = ...
    ) -> FeedbackOutcome: ...

    async def record_stated(
        self, user_id: int, ratings: Mapping[int, float], action: str = ...,
        *, generation: str | None = ...
    ) -> bool: ...

    async def forget(self, user_id: int) -> int: ...

    async def ratings(self, user_id: int) -> dict[int, float]: ...

    async def preferences(self, user_id: int) -> Preferences: ...

    async def save_preferences(
        self, user_id: int, prefs: Preferences, *, generation: str | None = ...
    ) -> bool: ...
