"""A Chinese user of the real bot (real dialogue, engine and Redis) through the emulator.

The user's Telegram client says ``language_code: zh-hans``: /start and its quick-start
buttons are Chinese before the user has written anything; what the user writes in
Chinese is understood by the Chinese parser and answered in Chinese, buttons included.
"""

from __future__ import annotations

import httpx
import pytest

from bot.store import user_key
from tests.e2e.conftest import running_bot
from tests.e2e.harness import BotMessage, ChatUser, Emulator

pytestmark = pytest.mark.e2e


def _han(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


async def test_a_chinese_conversation(
    emulator: Emulator, bot_token: str, client: httpx.AsyncClient, real_dialogue
) -> None:
    dialogue, redis = real_dialogue
    user = ChatUser(client, bot_token, user_id=515151, first_name="小明")
    user.user["language_code"] = "zh-hans"
    async with running_bot(emulator, bot_token, dialogue):
        await user.command("/start")
        welcome = await user.reply()
        assert welcome.text.startswith("你好")
        assert welcome.buttons() and all(_han(b["text"]) for b in welcome.buttons())

        await user.say("推荐一部评分高的科幻电影")
        listing: BotMessage = await user.reply()
        first = listing.item_ids()
        assert len(first) >= 3
        assert "符合“科幻" in listing.text and "★" in listing.text
        assert listing.text.count("科幻") >= len(first)  # every item's genres, in Chinese
        assert [b["text"] for b in listing.keyboard[-2]] == ["再来几部", "重新开始"]
        assert "分享" in listing.keyboard[-1][0]["text"]  # then the Share link

        await user.press(listing, listing.button("1 👍"))
        await user.edited(listing)
        toast = (await user.answers())[-1]["text"]
        assert toast.startswith("👍 记下了")
        assert await redis.hget(user_key(user.user_id, "ratings"), str(first[0])) is not None

        await user.say("不要恐怖")
        refined = await user.reply()
        assert "不要恐怖" in refined.text
        # The liked film is never offered again; the others that still fit stay.
        assert refined.item_ids() and first[0] not in refined.item_ids()
        assert set(refined.item_ids()) & set(first[1:])

        await user.press(refined, refined.button("再来几部"))
        more = await user.reply()
        assert "第 2 页" in more.text

        await user.command("/history")
        history = await user.reply()
        assert history.text.startswith("你的评分（1 部）")
