"""The real bot (real dialogue, engine and Redis) in polling mode against the emulator."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from bot.ops.prometheus import ERRORS
from bot.store import user_key
from tests.e2e.conftest import running_bot
from tests.e2e.harness import ChatUser, Emulator

pytestmark = pytest.mark.e2e

REQUEST = "a highly rated sci-fi film from the 90s"


def _error_count() -> float:
    return sum(sample.value for metric in ERRORS.collect() for sample in metric.samples
               if sample.name.endswith("_total"))


async def test_request_feedback_more_forget(
    emulator: Emulator, bot_token: str, client: httpx.AsyncClient, real_dialogue
) -> None:
    dialogue, redis = real_dialogue
    user = ChatUser(client, bot_token, user_id=424242)
    async with running_bot(emulator, bot_token, dialogue):
        await user.command("/start")
        welcome = await user.reply()
        assert "Tell me what you're in the mood for" in welcome.text or "movie" in welcome.text
        assert welcome.buttons(), "the welcome offers quick-start buttons"

        await user.say(REQUEST)
        listing = await user.reply()
        first = listing.item_ids()
        assert len(first) >= 3
        assert listing.parse_mode == "HTML" and "1. <b>" in listing.text
        assert [b["text"] for b in listing.keyboard[-2]] == ["More", "Start over"]
        assert "Share" in listing.keyboard[-1][0]["text"]  # then the Share link

        await user.press(listing, listing.button("1 👍"))
        edited = await user.edited(listing)
        assert edited.button("✅ 1 👍")
        stars = await redis.hget(user_key(user.user_id, "ratings"), str(first[0]))
        assert stars is not None and float(stars) >= 4
        toast = (await user.answers())[-1]["text"]
        assert toast and "Noted" in toast

        await user.say("more")
        more = await user.reply()
        second = more.item_ids()
        assert second and not set(second) & set(first), (first, second)

        await user.command("/forget")
        confirm = await user.reply()
        await user.press(confirm, confirm.button("Yes"))
        done = await user.reply()
        assert "deleted" in done.text
        assert [k async for k in redis.scan_iter(match=f"recbot:{{u:{user.user_id}}}:*")] == []
        assert len(await user.answers()) == 2  # every button press was answered


async def test_thirty_concurrent_chats_without_cross_talk(
    emulator: Emulator, bot_token: str, client: httpx.AsyncClient, real_dialogue
) -> None:
    dialogue, redis = real_dialogue
    requests = ["sci-fi from the 90s", "a funny comedy", "a horror movie", "an animated film",
                "a crime thriller", "a romantic drama"]
    users = [ChatUser(client, bot_token, user_id=9000 + i) for i in range(30)]
    errors_before = _error_count()

    async def converse(i: int, user: ChatUser) -> tuple[list[int], int]:
        await user.say(requests[i % len(requests)])
        listing = await user.reply(timeout=90)
        ids = listing.item_ids()
        assert ids, listing.text
        await user.press(listing, listing.button("1 👍"))
        await user.edited(listing, timeout=60)
        return ids, ids[0]

    async with running_bot(emulator, bot_token, dialogue):
        results = await asyncio.gather(*(converse(i, u) for i, u in enumerate(users)))
        for user in users:
            await user.no_reply(0)  # exactly one message per chat, nothing extra
        assert len(await users[0].answers()) == len(users)  # every press answered

    for user, (shown, liked) in zip(users, results, strict=True):
        session = json.loads(await redis.get(user_key(user.user_id, "session")))
        assert session["shown"] == shown  # what this chat saw is this user's own list
        ratings = await redis.hgetall(user_key(user.user_id, "ratings"))
        assert {int(k) for k in ratings} == {liked}
    assert _error_count() == errors_before
