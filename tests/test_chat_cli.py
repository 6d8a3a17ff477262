# ruff: noqa: F811  (pytest fixtures imported from tests.dialogue_support)
"""``recbot chat``: the JSON-lines protocol of docs/design.md and the human console.

In-process tests drive ``run_jsonl`` / ``run_console`` with the small engine; the
subprocess tests run the real ``recbot chat --jsonl`` on prepared artifacts.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.subcommands.chat import parse_request, run_console, run_jsonl
from tests.dialogue_support import dialogue, redis_client, small_engine, store  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent


def lines_reader(lines: list[str]):
    feed = iter(lines)

    async def readline() -> str:
        return next(feed, "")

    return readline


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('{"user": 42, "text": "hi"}', (42, "text", "hi")),
        ('{"user": 42, "action": "m"}', (42, "action", "m")),
        ("not json", "not a JSON object"),
        ("[1, 2]", "expected a JSON object"),
        ('{"user": "42", "text": "hi"}', '"user" must be an integer'),
        ('{"user": true, "text": "hi"}', '"user" must be an integer'),
        ('{"user": 1}', "exactly one of"),
        ('{"user": 1, "text": "a", "action": "m"}', "exactly one of"),
        ('{"user": 1, "text": 5}', '"text" must be a string'),
        ("[" * 100_000, "not a JSON object"),
        ('{"user": ' + "7" * 5000 + ', "text": "hi"}', "not a JSON object"),
        ('{"user": 1, "text": "hi", "n": ' + "7" * 5000 + "}", "not a JSON object"),
        ('{"user": ' + str(2**64) + ', "text": "hi"}', "64 bits"),
        ('{"user": 1e400, "text": "hi"}', '"user" must be an integer'),
        ("\ufffd\ufffd", "not a JSON object"),
    ],
)
def test_parse_request(line, expected):
    got = parse_request(line)
    if isinstance(expected, tuple):
        assert got == expected
    else:
        assert isinstance(got, str) and expected in got


async def test_jsonl_answers_every_line_in_order(dialogue):
    out = io.StringIO()
    lines = [
        '{"user": 1, "text": "sci-fi"}\n',
        "garbage\n",
        "\n",
        '{"user": 1, "action": "m"}\n',
        '{"user": 1, "action": "l|999999"}\n',
        '{"user": 2, "text": ""}\n',
        '{"user": 1, "text": "/history"}\n',
    ]
    await run_jsonl(dialogue, lines_reader(lines), out)
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(answers) == len(lines)
    first, bad, blank, more, forged, empty, history = answers
    assert len(first["items"]) == 5 and first["text"].startswith("Here's what I found")
    item = first["items"][0]
    assert set(item) == {"item_id", "title", "year", "genres", "avg_rating", "why", "poster_url", "actions"}
    assert item["actions"] == {"like": f"l|{item['item_id']}", "dislike": f"d|{item['item_id']}"}
    assert first["buttons"] == [[{"text": "More", "data": "m"}, {"text": "Start over", "data": "x"}]]
    assert "error" in bad and "error" in blank
    assert "page 2" in more["text"]
    assert "shown you" in forged["text"] and forged["items"] == []
    assert empty["text"] and empty["items"] == []
    assert "haven't rated" in history["text"]


async def test_console_numbers_items_and_takes_feedback_by_number(dialogue, store):
    out = io.StringIO()
    script = ["sci-fi\n", "+1\n", "-2\n", "*3 4\n", "+9\n", "/forget\n", "/2\n", "/quit\n", "never read\n"]
    await run_console(dialogue, 5, lines_reader(script), out)
    text = out.getvalue()
    assert "+2 likes item 2" in text  # the welcome explains the keys
    assert "1. " in text and "5. " in text
    assert "👍 Noted" in text and "👎 Noted" in text and "4★" in text
    assert "There is no such item" in text
    assert "[/1 Yes, forget me]   [/2 Cancel]" in text and "OK, I kept everything." in text
    assert sorted((await store.ratings(5)).values()) == [1.0, 4.0, 5.0]


def _run_chat(env_extra: dict[str, str], stdin: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, **env_extra}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", "--jsonl"],
        input=stdin, capture_output=True, text=True, cwd=ROOT, env=env, timeout=timeout,
    )


def test_missing_artifacts_say_run_prepare(tmp_path, redis_url):
    result = _run_chat({"RECBOT_HOME": str(tmp_path), "REDIS_URL": redis_url}, '{"user": 1, "text": "hi"}\n', 120)
    assert result.returncode == 2
    assert "recbot prepare" in result.stderr
    assert result.stdout == ""


@pytest.mark.slow
def test_real_jsonl_session(prepared_home, redis_url):
    env = {
        "RECBOT_HOME": str(prepared_home.home),
        "RECBOT_DATA": str(prepared_home.data),
        "REDIS_URL": redis_url,
    }
    first = _run_chat(env, '{"user": 42, "text": "sci-fi movies from the 90s"}\n')
    assert first.returncode == 0, first.stderr
    reply = json.loads(first.stdout)
    assert reply["items"], reply
    assert all("Sci-Fi" in i["genres"] and 1990 <= i["year"] <= 1999 for i in reply["items"])
    liked = reply["items"][0]
    lines = [
        json.dumps({"user": 42, "action": liked["actions"]["dislike"]}),
        "{oops",
        json.dumps({"user": 42, "text": "more"}),
        json.dumps({"user": 42, "text": "no comedy"}),
        json.dumps({"user": 43, "text": "/history"}),
    ]
    second = _run_chat(env, "\n".join(lines) + "\n")
    assert second.returncode == 0, second.stderr
    out = [json.loads(line) for line in second.stdout.splitlines()]
    assert len(out) == len(lines)
    ack, error, more, no_comedy, other = out
    assert "won't suggest" in ack["text"]
    assert "error" in error
    assert more["items"] and liked["item_id"] not in [i["item_id"] for i in more["items"]]
    assert all("Comedy" not in i["genres"] for i in no_comedy["items"])
    assert "haven't rated" in other["text"]
