# ruff: noqa: F811  (pytest fixtures imported from tests.dialogue_support)
"""A Chinese conversation through the real dialogue layer and real Redis.

The engine is the real ``Engine`` over the hand-made catalog of ``tests.ranking_fixtures``
with the real Chinese parser (on the real English ``QueryParser``), so what is under test
is the whole Chinese path: understanding, refinement, ranking, the Chinese catalogue,
feedback, /history and /forget, and the language chosen for every reply.
"""

from __future__ import annotations

import pytest
import redis.asyncio as aioredis

from bot.dialogue.core import Dialogue
from bot.dialogue.types import Reply
from bot.store import RedisStore
from recommender.engine import Engine
from recommender.nlp.parser import QueryParser
from recommender.nlp.zh.parser import ChineseParser
from tests.dialogue_support import (  # noqa: F401
    QUERIES,
    english_left,
    make_settings,
    redis_client,
    store,
)
from tests.ranking_fixtures import make_catalog, make_engine

USER = 8600


@pytest.fixture
def zh_engine() -> Engine:
    engine = make_engine(queries=QUERIES)
    engine.zh_parser = ChineseParser(QueryParser(make_catalog()))
    return engine


@pytest.fixture
def zh_dialogue(zh_engine: Engine, store: RedisStore) -> Dialogue:
    return Dialogue(zh_engine, store, make_settings(top_k=3))


def _chinese(reply: Reply, titles: tuple[str, ...] = ()) -> None:
    assert any("\u4e00" <= c <= "\u9fff" for c in reply.text + (reply.notice or "")), reply.text
    assert english_left(reply, titles) == [], reply.text


def ids(reply: Reply) -> list[int]:
    return [i.item_id for i in reply.items]


async def test_chinese_multi_turn_conversation(
    zh_dialogue: Dialogue, zh_engine: Engine, redis_client: aioredis.Redis
) -> None:
    d = zh_dialogue
    first = await d.handle_text(USER, "推荐几部八十年代的科幻片")
    assert len(first.items) == 3
    assert all("科幻" in i.genres and 1980 <= i.year <= 1989 for i in first.items)
    assert "科幻" in first.header and "1980–1989年" in first.header
    assert all("科幻" in i.why for i in first.items)
    assert [b.text for b in first.buttons[-1]] == ["再来几部", "重新开始"]
    _chinese(first)

    no_horror = await d.handle_text(USER, "不要恐怖")
    assert no_horror.items
    assert all("科幻" in i.genres and "恐怖" not in i.genres for i in no_horror.items)
    # A refinement re-ranks the same search: the best film on screen that still fits stays.
    still_fits = [i.item_id for i in first.items if "恐怖" not in i.genres]
    assert not still_fits or still_fits[0] in ids(no_horror)
    assert "不要恐怖" in no_horror.header
    _chinese(no_horror)

    newer = await d.handle_text(USER, "新一点")  # 1990s sci-fi: none here, so relaxed
    assert newer.items and all("恐怖" not in i.genres for i in newer.items)
    assert "1990–1999年" in newer.header and "放宽" in newer.header
    _chinese(newer)

    more = await d.handle_text(USER, "再来几部")
    assert more.items and not set(ids(more)) & set(ids(newer))
    assert "第 2 页" in more.header
    _chinese(more)

    liked = more.items[0]
    thumbs = await d.handle_action(USER, liked.like)
    assert thumbs.notice and thumbs.notice.startswith("👍 记下了")
    _chinese(thumbs, (liked.title,))
    assert await redis_client.hget(f"recbot:{{u:{USER}}}:ratings", str(liked.item_id)) is not None

    history = await d.handle_command(USER, "history")
    assert history.text.startswith("你的评分（1 部）")
    assert liked.title in history.text
    _chinese(history, (liked.title,))

    again = await d.handle_text(USER, "再来几部")
    assert liked.item_id not in ids(again)  # a rated item never comes back

    ask = await d.handle_command(USER, "forget")
    assert "确定" in ask.text
    _chinese(ask)
    done = await d.handle_action(USER, ask.buttons[0][0].data)
    assert done.text.startswith("完成")
    assert await redis_client.hlen(f"recbot:{{u:{USER}}}:ratings") == 0


async def test_button_presses_answer_in_the_language_of_the_session(zh_dialogue: Dialogue) -> None:
    d = zh_dialogue
    first = await d.handle_text(USER, "像Alien那样的")
    assert first.items and all("与《Alien》相似" in i.why for i in first.items)
    more = await d.handle_action(USER, first.buttons[-1][0].data)  # the 再来几部 button
    assert more.items and "第 2 页" in more.header
    _chinese(more, ("Alien",))  # the reference title, as in the catalog
    unknown = await d.handle_text(USER, "像第九部那样")
    assert "上一个列表里没有第 9 部" in unknown.text


async def test_language_code_decides_only_messages_without_words(zh_dialogue: Dialogue) -> None:
    d = zh_dialogue
    welcome = await d.handle_command(USER, "start", language_code="zh-hans")
    assert welcome.text.startswith("你好")
    _chinese(welcome, ("Alien",))  # an example with an English title in it
    english = await d.handle_text(USER + 1, "sci-fi", language_code="zh-hans")
    assert english.items and "Sci-Fi" in english.items[0].genres
    assert english_left(english)  # written in English: answered in English
    assert (await d.handle_command(USER + 1, "start")).text.startswith("Hi!")


async def test_chinese_bad_input_gets_a_chinese_answer(zh_dialogue: Dialogue) -> None:
    d = zh_dialogue
    empty = await d.handle_text(USER, "   ", language_code="zh-CN")
    assert "告诉我你想看什么" in empty.text
    idle = await d.handle_text(USER, "谢谢")
    _chinese(idle)
    forged = await d.handle_action(USER, "l|garbage", language_code="zh")
    assert forged.notice == "这个按钮已经失效了。请发一个新的请求，我给你新的推荐。"


async def test_what_the_film_on_screen_is_about_in_chinese(zh_dialogue: Dialogue) -> None:
    listing = await zh_dialogue.handle_text(USER, "推荐几部科幻片")
    first = listing.items[0]
    about = await zh_dialogue.handle_text(USER, "第一部讲什么")
    assert not about.items and about.text.startswith(first.title)
