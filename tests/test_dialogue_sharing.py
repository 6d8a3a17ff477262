# ruff: noqa: F811  (pytest fixtures imported from tests.dialogue_support)
"""/settings, shared lists and inline mode in the dialogue layer (small engine, real Redis)."""

from __future__ import annotations

from bot.dialogue import share
from bot.dialogue.callbacks import Action, encode
from bot.dialogue.texts import CATALOGUES, EN
from bot.dialogue.types import LANGUAGES, Preferences
from tests.dialogue_support import (  # noqa: F401
    QUERIES,
    dialogue,
    redis_client,
    small_engine,
    store,
    user_keys_in_redis,
)

SCIFI = {1, 2, 3, 4, 5, 6, 11}


def ids(reply) -> list[int]:
    return [item.item_id for item in reply.items]


def test_every_settings_language_has_a_catalogue_with_known_keys() -> None:
    assert set(LANGUAGES) == set(CATALOGUES)
    for catalogue in CATALOGUES.values():
        assert set(catalogue) <= set(EN)


async def test_list_length_and_language_follow_the_users_settings(dialogue, store):
    await dialogue.handle_command(1, "settings")
    saved = await dialogue.handle_action(1, encode(Action.SET_ITEMS, value=3))
    assert saved.notice == "Saved: 3 movies per list."
    assert any(b.text == "✅ 3" for row in saved.edited_buttons for b in row)
    assert len((await dialogue.handle_text(1, "sci-fi")).items) == 3
    assert len((await dialogue.handle_text(2, "sci-fi")).items) == 5  # others keep the default

    chinese = await dialogue.handle_action(1, encode(Action.SET_LANG, value=1))
    assert chinese.notice == "已保存：中文。" and chinese.prefs.lang == "zh"
    assert (await dialogue.handle_command(1, "about")).text.startswith("我的数据来源")
    assert await store.preferences(1) == Preferences(items=3, lang="zh")


async def test_a_list_carries_a_payload_that_opens_it_for_someone_else(dialogue, store):
    listing = await dialogue.handle_text(1, "80s sci-fi")
    assert listing.share and len(listing.share) <= 64
    opened = await dialogue.handle_command(2, "start", listing.share)
    assert ids(opened) == ids(listing) and "shared" in opened.header
    session, _ = await store.load(2)
    assert session.query.genres_all == ["Sci-Fi"] and session.query.year_min == 1980
    more = await dialogue.handle_text(2, "more")
    assert not set(ids(more)) & set(ids(listing))


async def test_bad_payloads_change_nothing(dialogue, redis_client):
    for payload in ["nonsense", "L" + "A" * 70, share.encode([424242], None, ())]:
        reply = await dialogue.handle_command(7, "start", payload)
        assert "link" in reply.text and not reply.items
    assert await user_keys_in_redis(redis_client, 7) == []
    welcome = await dialogue.handle_command(7, "start", share.WELCOME_PAYLOAD)
    assert "recommend movies" in welcome.text


async def test_inline_results_are_personal_and_stateless(dialogue, redis_client):
    listing = await dialogue.handle_text(1, "sci-fi")
    await dialogue.handle_action(1, listing.items[0].like)
    before = sorted(await user_keys_in_redis(redis_client, 1))
    session = await redis_client.get("recbot:{u:1}:session")
    picks = await dialogue.handle_inline(1, "")
    assert picks.items and listing.items[0].item_id not in ids(picks)
    found = await dialogue.handle_inline(1, "sci-fi")
    assert set(ids(found)) <= SCIFI - {listing.items[0].item_id}
    assert sorted(await user_keys_in_redis(redis_client, 1)) == before
    assert await redis_client.get("recbot:{u:1}:session") == session
    too_long = await dialogue.handle_inline(9, "x" * 300)
    assert not too_long.items and "Too long" in too_long.text
    assert await user_keys_in_redis(redis_client, 9) == []
