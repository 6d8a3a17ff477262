"""Property-based fuzzing of what users can type: the text handler and the JSON lines protocol.

Whatever arrives - any Unicode (lone surrogates, private use, control characters,
right-to-left and zero-width marks), 10,000-character messages, broken JSON - the bot
answers with exactly one valid reply: non-empty text of at most 4096 characters that
can be sent as UTF-8, buttons whose data fits Telegram's 64 bytes, and no exception
escapes.

The fast tests use the small hand-made engine of ``tests/ranking_fixtures.py``; the
``slow`` ones the real engine (trained tagger, parser, CF) from ``tests/conftest.py``.
Redis is a redis-server this module starts on its own port.
"""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import Awaitable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import load_settings
from bot.dialogue.core import Dialogue
from bot.dialogue.types import Reply
from bot.redis_conn import connect
from bot.store import RedisStore
from bot.subcommands.chat import run_jsonl
from tests.ranking_fixtures import make_engine
from tests.redis_server import RedisProcess, redis_server_binary

pytestmark = pytest.mark.skipif(redis_server_binary() is None, reason="no redis-server binary")

MAX_TEXT = 4096
MAX_CALLBACK_BYTES = 64
T = TypeVar("T")

RTL_AND_INVISIBLE = ["\u200f", "\u200e", "\u202e", "\u202b", "\u2067", "\u2069", "\u061c",
                     "\u200b", "\ufeff", "\u2028", "\u2029"]
WORDS = ["sci-fi", "comedy", "90s", "like Alien", "no horror", "more", "#2", "/forget",
         "/start", "/more", "reset", "5 stars", "newer", "older", "/", "@", "<b>x</b>"]

characters = st.one_of(
    st.characters(),  # any code point but surrogates
    st.characters(categories=["Cc", "Cf", "Cs", "Co", "Zl", "Zp", "Mn"]),
    st.sampled_from(RTL_AND_INVISIBLE),
)
chunks = st.one_of(st.text(characters, max_size=40), st.sampled_from(WORDS))
messages = st.one_of(
    st.text(characters, max_size=300),
    st.lists(chunks, max_size=12).map(" ".join),
    # Very long messages: a random chunk repeated to 10,000 characters (or near it).
    st.tuples(st.text(characters, min_size=1, max_size=20), st.integers(9_000, 10_000)).map(
        lambda p: (p[0] * (p[1] // len(p[0]) + 1))[: p[1]]
    ),
)
users = st.integers(min_value=1, max_value=2**40)

FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
SLOW_FUZZ = settings(FUZZ, max_examples=100)


class Bot:
    """A Dialogue on its own event loop, callable from synchronous hypothesis tests."""

    def __init__(self, engine: Any, redis_url: str, home: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.settings = load_settings(RECBOT_HOME=str(home), REDIS_URL=redis_url,
                                      RECBOT_RATE_LIMIT=1_000_000)
        self.redis = self.run(self._connect())
        self.dialogue = Dialogue(engine, RedisStore(self.redis, 3600), self.settings)

    async def _connect(self) -> Any:
        return connect(self.settings)

    def run(self, work: Awaitable[T]) -> T:
        return self.loop.run_until_complete(work)

    def close(self) -> None:
        self.run(self.redis.aclose())
        self.loop.close()


def _bot(engine: Any, tmp_path_factory: Any) -> Iterator[Bot]:
    root = tmp_path_factory.mktemp("fuzz")
    with RedisProcess(root / "redis") as proc:
        bot = Bot(engine, proc.url, root / "home")
        try:
            yield bot
        finally:
            bot.close()


@pytest.fixture(scope="module")
def small_bot(tmp_path_factory) -> Iterator[Bot]:
    yield from _bot(make_engine(), tmp_path_factory)


@pytest.fixture(scope="module")
def real_bot(engine, tmp_path_factory) -> Iterator[Bot]:
    yield from _bot(engine, tmp_path_factory)


def assert_valid(reply: Reply) -> None:
    assert isinstance(reply, Reply)
    check_json_reply(reply.to_json())


def check_json_reply(obj: Any) -> None:
    """One JSON-lines output object is a valid reply."""
    assert isinstance(obj, dict)
    if "error" in obj:
        assert isinstance(obj["error"], str) and obj["error"]
        return
    text = obj["text"]
    assert isinstance(text, str) and text.strip()
    assert len(text) <= MAX_TEXT
    text.encode("utf-8")  # no lone surrogate: Telegram must accept it
    data = [b["data"] for row in obj["buttons"] for b in row]
    data += [a for item in obj["items"] for a in item["actions"].values()]
    assert all(len(d.encode("utf-8")) <= MAX_CALLBACK_BYTES for d in data)


# ------------------------------------------------------------------------ text handler


@FUZZ
@given(user=users, text=messages)
def test_any_message_gets_exactly_one_valid_reply(small_bot: Bot, user: int, text: str) -> None:
    assert_valid(small_bot.run(small_bot.dialogue.handle_text(user, text)))


@FUZZ
@given(user=users, data=st.one_of(st.text(characters, max_size=80), messages))
def test_any_button_data_gets_exactly_one_valid_reply(small_bot: Bot, user: int, data: str) -> None:
    assert_valid(small_bot.run(small_bot.dialogue.handle_action(user, data)))


@pytest.mark.slow
@SLOW_FUZZ
@given(user=users, text=messages)
def test_any_message_gets_one_valid_reply_from_the_real_engine(
    real_bot: Bot, user: int, text: str
) -> None:
    assert_valid(real_bot.run(real_bot.dialogue.handle_text(user, text)))


# ------------------------------------------------------------------------ JSON lines

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
              st.text(characters, max_size=30)),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=10,
)
requests = st.one_of(
    st.builds(lambda u, t: {"user": u, "text": t}, users, messages),
    st.builds(lambda u, a: {"user": u, "action": a}, users, st.text(characters, max_size=80)),
    st.dictionaries(st.sampled_from(["user", "text", "action", "x"]), json_values, max_size=4),
    json_values,
)
# Lines as they come off stdin: JSON (ASCII-escaped or raw UTF-8) or arbitrary junk.
lines = st.one_of(
    requests.map(json.dumps),
    requests.map(lambda r: json.dumps(r, ensure_ascii=False)),
    st.text(characters, max_size=200),
).map(lambda line: line.replace("\n", " "))


def _jsonl_round(bot: Bot, input_lines: list[str]) -> list[str]:
    stream = io.StringIO("".join(line + "\n" for line in input_lines))

    async def readline() -> str:
        return stream.readline()

    out = io.StringIO()
    bot.run(run_jsonl(bot.dialogue, readline, out))
    return out.getvalue().split("\n")[:-1]


@FUZZ
@given(input_lines=st.lists(lines, min_size=1, max_size=4))
def test_jsonl_answers_every_line_with_exactly_one_valid_json_object(
    small_bot: Bot, input_lines: list[str]
) -> None:
    output = _jsonl_round(small_bot, input_lines)

    assert len(output) == len(input_lines)
    for line in output:
        check_json_reply(json.loads(line))


def test_jsonl_reports_malformed_lines_and_goes_on(small_bot: Bot) -> None:
    output = _jsonl_round(small_bot, ["{not json", '{"user": "x", "text": "hi"}', "[]",
                                      '{"user": 5, "text": "space saga"}'])

    answers = [json.loads(line) for line in output]
    assert ["error" in a for a in answers] == [True, True, True, False]
    assert answers[3]["items"]


