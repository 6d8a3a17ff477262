# ruff: noqa: F811  (pytest fixtures imported from tests.dialogue_support)
"""The dialogue over the real engine (tagger, parser, CF, embeddings) and real Redis."""

from __future__ import annotations

import pytest

from bot.dialogue.core import Dialogue
from bot.store import RedisStore
from tests.dialogue_support import make_settings, redis_client  # noqa: F401

pytestmark = pytest.mark.slow


@pytest.fixture
def real_dialogue(engine, redis_client) -> Dialogue:
    return Dialogue(engine, RedisStore(redis_client, 3600), make_settings())


def ids(reply) -> list[int]:
    return [i.item_id for i in reply.items]


async def test_multi_turn_conversation(real_dialogue):
    d = real_dialogue
    first = await d.handle_text(1, "sci-fi movies from the 90s")
    assert len(first.items) == 5
    assert all("Sci-Fi" in i.genres and 1990 <= i.year <= 1999 for i in first.items)
    no_comedy = await d.handle_text(1, "no comedy")
    assert no_comedy.items
    assert all("Sci-Fi" in i.genres and "Comedy" not in i.genres for i in no_comedy.items)
    # A refinement re-ranks the same search: the best film on screen that still fits
    # stays; the comedies go.
    still_fits = [i.item_id for i in first.items if "Comedy" not in i.genres]
    assert not still_fits or still_fits[0] in ids(no_comedy)
    newer = await d.handle_text(1, "newer")
    assert newer.items and all(2000 <= i.year <= 2009 for i in newer.items)
    more = await d.handle_text(1, "more")
    assert more.items and not set(ids(more)) & set(ids(newer))
    similar = await d.handle_text(1, "like the second one")
    assert f"like {more.items[1].title}" in similar.text
    also = await d.handle_text(1, "also action")
    assert also.items and all("Action" in i.genres for i in also.items)
    reset = await d.handle_text(1, "start over")
    assert "Fresh start" in reset.text


async def test_feedback_changes_the_next_answer(real_dialogue, redis_client):
    d = real_dialogue
    a = await d.handle_text(1, "something like The Matrix")
    b = await d.handle_text(2, "something like The Matrix")
    assert ids(a) == ids(b)
    await d.handle_action(1, a.items[0].like)
    await d.handle_action(1, a.items[1].dislike)
    assert await redis_client.hlen("recbot:{u:1}:ratings") == 2
    a2 = await d.handle_text(1, "something like The Matrix")
    b2 = await d.handle_text(2, "something like The Matrix")
    assert ids(a2) != ids(b2)
    assert not {a.items[0].item_id, a.items[1].item_id} & set(ids(a2))
