"""``recbot chat``: talk to the recommender in a terminal, or drive it with JSON lines.

Console: type a request; the answer is a numbered list. ``+2`` likes item 2, ``-1``
dislikes item 1, ``*3 4`` rates item 3 with 4 stars, ``/1`` presses the first button
under an answer, ``/more`` ``/reset`` ``/history`` ``/forget`` ``/help`` as in Telegram,
``/quit`` (or Ctrl-D) leaves.

``--jsonl`` (docs/design.md, "JSON-lines protocol"): one JSON object per stdin line, ``{"user": 42, "text": "..."}``
or ``{"user": 42, "action": "<callback data>"}``; exactly one JSON object per line on
stdout, flushed, in order: ``Reply.to_json()``, or ``{"error": "..."}`` for a malformed
line (the stream goes on): not JSON, nesting too deep, integers beyond Python's
digit limit, a user id outside the signed 64-bit range, bytes that are not UTF-8.
Logs go to stderr only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from bot.dialogue.texts import DEFAULT_LANG, t

log = logging.getLogger(__name__)

CONSOLE_HELP = t(DEFAULT_LANG, "console.help")
_FEEDBACK = re.compile(r"([+-])\s*(\d{1,2})")
_RATE = re.compile(r"\*\s*(\d{1,2})\s+([1-5])")
_BUTTON = re.compile(r"/(\d{1,2})")
MAX_USER_ID = 2**63 - 1  # Telegram ids fit in a signed 64-bit integer


def register(tree: Any) -> None:
    parser = tree.command("chat", help="chat with the recommender in the terminal (--jsonl: JSON lines)")
    parser.add_argument("--data", type=Path, default=None, help="MovieLens data directory (RECBOT_DATA)")
    parser.add_argument("--user", type=int, default=1, help="user id of the console chat (default 1)")
    parser.add_argument("--jsonl", action="store_true", help="JSON lines on stdin/stdout (protocol: docs/design.md)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Load the engine (ArtifactMissing -> the CLI prints 'run recbot prepare', exit 2), then chat."""
    from bot.config import load_settings
    from bot.ops.artifacts import load_engine
    from bot.runtime import one_torch_thread_per_pass

    out = sys.stdout
    if args.jsonl:
        # stdout carries the protocol only: anything a library prints goes to stderr.
        sys.stdout = sys.stderr
        # A line that is not UTF-8 gets an error object, not a crash of the reader.
        if hasattr(sys.stdin, "reconfigure"):
            sys.stdin.reconfigure(errors="replace")
    try:
        settings = load_settings(**({"data": args.data} if args.data else {}))
        engine = load_engine(settings)
        one_torch_thread_per_pass()
        return asyncio.run(_chat(args, settings, engine, out))
    finally:
        sys.stdout = out


async def _chat(args: argparse.Namespace, settings: Any, engine: Any, out: TextIO) -> int:
    from bot.dialogue.core import Dialogue
    from bot.redis_conn import connect
    from bot.store import RedisStore

    redis = connect(settings)
    try:
        dialogue = Dialogue(engine, RedisStore.from_settings(redis, settings), settings)
        if args.jsonl:
            await run_jsonl(dialogue, _reader(sys.stdin), out)
        else:
            await run_console(dialogue, args.user, _reader(sys.stdin, prompt=True), out)
    finally:
        await redis.aclose()
    return 0


def _reader(stream: TextIO, prompt: bool = False) -> Callable[[], Any]:
    """An async ``readline`` that does not block the event loop ('' at end of input)."""

    def read() -> str:
        if prompt and stream.isatty():
            sys.stderr.write("> ")
            sys.stderr.flush()
        return stream.readline()

    async def readline() -> str:
        return await asyncio.to_thread(read)

    return readline


# -- JSON lines ----------------------------------------------------------------------------
def parse_request(line: str) -> tuple[int, str, str] | str:
    """``(user_id, "text"|"action", value)`` of one protocol line, or an error message."""
    try:
        obj = json.loads(line)
    except (ValueError, RecursionError):  # ValueError: bad JSON, or an integer too long to read
        return "not a JSON object"
    if not isinstance(obj, dict):
        return "expected a JSON object like {\"user\": 42, \"text\": \"...\"}"
    user = obj.get("user")
    if not isinstance(user, int) or isinstance(user, bool):
        return "\"user\" must be an integer"
    if not -MAX_USER_ID <= user <= MAX_USER_ID:
        return "\"user\" must fit in 64 bits"
    kinds = [k for k in ("text", "action") if k in obj]
    if len(kinds) != 1:
        return "give exactly one of \"text\" or \"action\""
    value = obj[kinds[0]]
    if not isinstance(value, str):
        return f"\"{kinds[0]}\" must be a string"
    return user, kinds[0], value


async def run_jsonl(dialogue: Any, readline: Callable[[], Any], out: TextIO) -> None:
    """Answer every input line with exactly one output line until end of input."""
    while True:
        line = await readline()
        if not line:
            return
        request = parse_request(line.strip())
        if isinstance(request, str):
            answer: dict[str, Any] = {"error": request}
        else:
            user, kind, value = request
            try:
                if kind == "text":
                    reply = await dialogue.handle_text(user, value)
                else:
                    reply = await dialogue.handle_action(user, value)
                answer = reply.to_json()
            except Exception:  # the dialogue never raises by contract; the stream must go on
                log.exception("jsonl line failed")
                answer = {"error": "internal error; the next line is read as usual"}
        out.write(json.dumps(answer) + "\n")
        out.flush()


# -- console -------------------------------------------------------------------------------
async def run_console(dialogue: Any, user_id: int, readline: Callable[[], Any], out: TextIO) -> None:
    """The human chat: numbered lists, +N/-N/*N S feedback, /N buttons."""
    from bot.dialogue.render import button_at, render_console

    def say(text: str) -> None:
        out.write(text + "\n\n")
        out.flush()

    welcome = await dialogue.handle_command(user_id, "start")
    say(f"{render_console(welcome)}\n{CONSOLE_HELP}")
    last_list = None  # the last reply that showed items: +N refers to it
    last = welcome  # the last reply: /N presses its buttons
    while True:
        line = await readline()
        if not line:
            return
        text = line.strip()
        if text in ("/quit", "/exit", "/q"):
            return
        if not text:
            continue
        if m := _FEEDBACK.fullmatch(text):
            reply = await _press_item(dialogue, user_id, last_list, int(m[2]),
                                      _feedback_data(like=m[1] == "+"))
        elif m := _RATE.fullmatch(text):
            reply = await _press_item(dialogue, user_id, last_list, int(m[1]),
                                      _rating_data(int(m[2])))
        elif m := _BUTTON.fullmatch(text):
            button = button_at(last, int(m[1]))
            reply = await dialogue.handle_action(user_id, button.data) if button else None
        else:
            reply = await dialogue.handle_text(user_id, text)
        if reply is None:
            say(t(DEFAULT_LANG, "console.no_such_button"))
            continue
        if reply.items:
            last_list = reply
        last = reply
        say(render_console(reply))


def _feedback_data(like: bool) -> Callable[[Any], str]:
    """The callback data of an item's 👍 (or 👎) button."""
    return lambda item: item.like if like else item.dislike


def _rating_data(stars: int) -> Callable[[Any], str]:
    """The callback data that rates an item with ``stars``."""
    from bot.dialogue.callbacks import Action, encode

    return lambda item: encode(Action.RATE, item.item_id, stars)


async def _press_item(dialogue: Any, user_id: int, listing: Any, number: int,
                      data_of: Callable[[Any], str]) -> Any:
    if listing is None or not 1 <= number <= len(listing.items):
        return None
    return await dialogue.handle_action(user_id, data_of(listing.items[number - 1]))
