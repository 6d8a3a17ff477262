"""Inline mode, shared lists, /settings and untrusted payloads: the real bot (real
dialogue, engine and Redis) through the emulator."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from bot.dialogue import share
from bot.store import user_key
from tests.e2e.conftest import running_bot
from tests.e2e.harness import BotMessage, ChatUser, Emulator

pytestmark = pytest.mark.e2e

REQUEST = "a highly rated sci-fi film from the 90s"


def _payload(message: BotMessage) -> str:
    """The start payload behind the list's Share button."""
    button = message.button("Share")
    link = parse_qs(urlsplit(button["url"]).query)["url"][0]
    assert link.startswith("https://t.me/TestNameBot?start=")
    return parse_qs(urlsplit(link).query)["start"][0]


async def _keys(redis, user_id: int) -> set[bytes]:
    return {k async for k in redis.scan_iter(match=f"recbot:{{u:{user_id}}}:*")}


async def test_inline_results_are_personal_and_leave_the_chat_alone(
    emulator: Emulator, bot_token: str, client: httpx.AsyncClient, real_dialogue
) -> None:
    dialogue, redis = real_dialogue
    fan, newcomer = ChatUser(client, bot_token, 51001), ChatUser(client, bot_token, 51002)
    async with running_bot(emulator, bot_token, dialogue):
        await fan.say(REQUEST)
        listing = await fan.reply()
        rated = listing.item_ids()[:2]
        for n in (1, 2):
            await fan.press(listing, listing.button(f"{n} 👍"))
            await fan.edited(listing)
        session = await redis.get(user_key(fan.user_id, "session"))

        mine = await fan.inline("")
        theirs = await newcomer.inline("")
        assert mine["is_personal"] is True and 0 < mine["cache_time"] <= 30
        mine_ids = [int(r["id"]) for r in mine["results"]]
        theirs_ids = [int(r["id"]) for r in theirs["results"]]
        assert len(mine_ids) >= 5 and len(theirs_ids) >= 5
        assert not set(rated) & set(mine_ids), "rated movies are never offered again"
        assert mine_ids != theirs_ids, "the same empty query, two users, two different lists"

        found = await fan.inline("sci-fi from the 90s")
        assert found["results"], found
        for result in found["results"]:
            assert "Sci-Fi" in result["description"]
            assert result["title"].endswith(")")  # "Title (1997)"
            posted = result["input_message_content"]["message_text"]
            assert "<b>" in posted and result["title"].split(" (")[0][:10] in posted
            assert "start=" in result["reply_markup"]["inline_keyboard"][0][0]["url"]
        # Inline queries change nothing of the conversation, and create nothing for a newcomer.
        assert await redis.get(user_key(fan.user_id, "session")) == session
        assert await _keys(redis, newcomer.user_id) == set()


async def test_a_shared_link_opens_the_same_list_for_someone_else_to_refine(
    emulator: Emulator, bot_token: str, client: httpx.AsyncClient, real_dialogue
) -> None:
    dialogue, redis = real_dialogue
    sender, friend = ChatUser(client, bot_token, 52001), ChatUser(client, bot_token, 52002)
    async with running_bot(emulator, bot_token, dialogue):
        await sender.say(REQUEST)
        listing = await sender.reply()
        payload = _payload(listing)
        assert len(payload) <= 64 and str(sender.user_id) not in payload
        sender_keys = {k: await redis.type(k) for k in await _keys(redis, sender.user_id)}

        await friend.start(payload)
        opened = await friend.reply()
        assert opened.item_ids() == listing.item_ids(), "the same movies in the same order"
        assert "shared" in opened.text.lower()

        # The friend makes it their own: rates it, and "more" continues the same query.
        await friend.press(opened, opened.button("1 👍"))
        assert (await friend.edited(opened)).button("✅ 1 👍")
        assert await redis.hget(user_key(friend.user_id, "ratings"), str(listing.item_ids()[0]))
        await friend.say("more")
        more = await friend.reply()
        assert more.item_ids() and not set(more.item_ids()) & set(listing.item_ids())
        assert "Sci-Fi" in more.text
        assert {k: await redis.type(k) for k in await _keys(redis, sender.user_id)} == sender_keys


async def test_settings_change_the_next_reply_and_forget_removes_them(
    emulator: Emulator, bot_token: str, client: httpx.AsyncClient, real_dialogue
) -> None:
    dialogue, redis = real_dialogue
    user = ChatUser(client, bot_token, 53001)
    async with running_bot(emulator, bot_token, dialogue):
        await user.command("/settings")
        menu = await user.reply()
        assert menu.button("✅ 5") and menu.button("Posters off") and menu.button("中文")
        await user.press(menu, menu.button("8"))
        edited = await user.edited(menu)
        assert edited.button("✅ 8")
        assert "8" in (await user.answers())[-1]["text"]

        await user.say(REQUEST)
        assert len((await user.reply()).item_ids()) == 8

        await user.press(edited, edited.button("中文"))
        chinese = await user.edited(edited)
        assert chinese.button("✅ 中文") and chinese.button("不显示海报")
        assert await redis.hgetall(user_key(user.user_id, "settings")) == {
            b"items": b"8", b"posters": b"1", b"lang": b"zh"}

        await user.command("/forget")
        confirm = await user.reply()
        await user.press(confirm, confirm.buttons()[0])
        await user.reply()
        assert not await redis.exists(user_key(user.user_id, "settings"))
        await user.say(REQUEST)
        assert len((await user.reply()).item_ids()) == 5  # the default again


@pytest.mark.parametrize("payload", [
    "garbage", "L", "L!!!", "L" + "A" * 63, "LAQEBAA" + "x" * 80,
    share.encode([999_999_991, 999_999_992], None, ()),  # well formed, no such movies
])
async def test_malformed_payloads_are_answered_politely_and_change_nothing(
    emulator: Emulator, bot_token: str, client: httpx.AsyncClient, real_dialogue, payload: str
) -> None:
    dialogue, redis = real_dialogue
    user = ChatUser(client, bot_token, 54001)
    async with running_bot(emulator, bot_token, dialogue):
        await user.start(payload)
        answer = await user.reply()
        assert "link" in answer.text.lower() and "wrong" not in answer.text.lower()
        assert answer.item_ids() == []
        assert await _keys(redis, user.user_id) == set()


async def test_oversized_or_unreadable_inline_queries_get_a_friendly_button(
    emulator: Emulator, bot_token: str, client: httpx.AsyncClient, real_dialogue
) -> None:
    dialogue, redis = real_dialogue
    user = ChatUser(client, bot_token, 55001)
    async with running_bot(emulator, bot_token, dialogue):
        for query in ["sci-fi " * 60, "\x00\x01\x02\x03\x04\x05 \ufffd\ufffd"]:
            answer = await user.inline(query)
            assert answer["results"] == []
            assert answer["button"]["text"] and answer["button"]["start_parameter"] == "welcome"
        assert await _keys(redis, user.user_id) == set()
