"""Fixtures of the end-to-end tests: the patched Bot API emulator and a running bot.

``emulator`` is one emulator process for the whole session; every test uses its own bot
token, and the emulator keeps each token's updates apart. ``running_bot`` runs a real
PTB application (``bot.telegram.app``) in polling mode against it, in this process.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from bot.config import load_settings
from bot.dialogue.types import ItemView
from bot.telegram.app import build_application, run_polling
from bot.telegram.handlers import DialogueLike
from tests.e2e.harness import ChatUser, Emulator, EmulatorUnavailable

_tokens = itertools.count(1000)


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    try:
        emu = Emulator()
    except EmulatorUnavailable as exc:
        pytest.skip(str(exc))
    try:
        yield emu
    finally:
        emu.stop()


@pytest.fixture
def bot_token() -> str:
    """A fresh token per test, so no test sees another's messages in the emulator."""
    return f"{next(_tokens)}:e2e-test-token"


@pytest.fixture
async def client(emulator: Emulator) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=emulator.url, timeout=10) as http:
        yield http


@contextlib.asynccontextmanager
async def running_bot(
    emulator: Emulator, token: str, dialogue: DialogueLike, **settings: object
) -> AsyncIterator[None]:
    """Poll the emulator with a real application around ``dialogue`` until the block ends."""
    config = load_settings(
        TELEGRAM_BOT_TOKEN=token, TELEGRAM_API_BASE_URL=emulator.base_url, **settings
    )
    application = build_application(config, dialogue)
    stop = asyncio.Event()
    # The emulator ignores long-polling timeouts: poll often with timeout 0.
    task = asyncio.create_task(run_polling(application, stop, poll_interval=0.05, timeout=0))
    try:
        # Wait until the first getUpdates went out so early messages are not missed by
        # a test that fails fast; polling picks them up anyway.
        for _ in range(100):
            if application.running or task.done():
                break
            await asyncio.sleep(0.02)
        if task.done():
            task.result()
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)


@contextlib.asynccontextmanager
async def chat_with(
    emulator: Emulator, token: str, client: httpx.AsyncClient, dialogue: DialogueLike,
    user_id: int, **settings: object,
) -> AsyncIterator[ChatUser]:
    """``running_bot`` around ``dialogue``, and the user ``user_id`` who talks to it."""
    async with running_bot(emulator, token, dialogue, **settings):
        yield ChatUser(client, token, user_id=user_id)


def fake_item(
    item_id: int, title: str, *, year: int = 1999, genres: tuple[str, ...] = ("Sci-Fi", "Action"),
    avg_rating: float = 4.2, why: str = "because you asked for sci-fi", poster_url: str | None = None,
) -> ItemView:
    """An item as a fake dialogue shows it, with the real callback data and IMDb link."""
    return ItemView(
        item_id=item_id, title=title, year=year, genres=list(genres), avg_rating=avg_rating,
        why=why, like=f"l|{item_id}", dislike=f"d|{item_id}",
        url=f"https://www.imdb.com/title/tt{item_id:07d}/", poster_url=poster_url,
    )


@pytest.fixture
async def real_dialogue(engine, prepared_home, redis_url):
    """The real ``Dialogue`` over the prepared engine and this suite's Redis database,
    wired as ``recbot serve`` wires it (``bot.telegram.service.build_dialogue``).

    Yields ``(dialogue, redis_client)``; the client is the one the dialogue writes with.
    """
    import redis.asyncio as aioredis

    from bot.telegram.service import build_dialogue

    settings = load_settings(
        RECBOT_HOME=str(prepared_home.home), REDIS_URL=redis_url, TELEGRAM_BOT_TOKEN=None
    )
    client = aioredis.Redis.from_url(redis_url)
    try:
        yield build_dialogue(engine, client, settings), client
    finally:
        await client.aclose()
