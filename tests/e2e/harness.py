"""Drive the telegram-test-api emulator from Python: start it, play users, read bot replies.

``Emulator`` starts ``tests/e2e/emulator.js`` (the patched emulator) on a free loopback
port. ``ChatUser`` is one Telegram user in a private chat: it sends messages, commands and
button presses through the emulator's client API (``/sendMessage``, ``/sendCommand``,
``/sendCallback``, and the launcher's ``/sendInlineQuery``) and reads what the bot sent to
its chat (``/getUpdates`` of the client API, ``/getUpdatesHistory`` for edits) and its
inline answers (``/getInlineAnswers``). Bot messages come back as ``BotMessage``.
Also used by ``bench/telegram_bench.py``.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

E2E_DIR = Path(__file__).resolve().parent
LAUNCHER = E2E_DIR / "emulator.js"
PACKAGE_DIR = E2E_DIR / "node_modules" / "telegram-test-api"
# Requests the load scripts (bench/telegram_bench.py, bench/soak.py) cycle through.
SAMPLE_REQUESTS = (
    "a highly rated sci-fi film from the 90s",
    "a funny comedy from the 80s",
    "something like Toy Story",
    "a dark crime thriller",
    "an animated movie for kids",
    "a romantic drama, no musicals",
    "westerns",
    "a war movie, not too old",
)


def nearest_rank(values: list[float], q: float) -> float:
    """The ``q``-th percentile of ``values`` by nearest rank (a value that was observed).

    The benches that drive chats through the emulator report reply latencies with it.
    """
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


class EmulatorUnavailable(RuntimeError):
    """Node or the npm package is missing (run ``make e2e-deps``)."""


class Emulator:
    """The patched Bot API emulator as a child process on 127.0.0.1."""

    def __init__(self, port: int = 0) -> None:
        node = shutil.which("node")
        if node is None or not PACKAGE_DIR.is_dir():
            raise EmulatorUnavailable(
                "the e2e tests need node and tests/e2e/node_modules: run `make e2e-deps`"
            )
        self.process = subprocess.Popen(
            [node, str(LAUNCHER), str(port)],
            cwd=E2E_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "NODE_ENV": "production"},
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.startswith("READY "):
            err = self.process.stderr.read() if self.process.stderr else ""
            self.process.kill()
            raise EmulatorUnavailable(f"emulator did not start: {line!r} {err}")
        self.port = int(line.split()[1])
        self.url = f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """PTB's ``base_url`` for this emulator (the token is appended to it)."""
        return f"{self.url}/bot"

    def stop(self) -> None:
        """Stop the emulator process (SIGTERM, then SIGKILL after 5 s)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


@dataclass
class BotMessage:
    """A message the bot sent: its id, text (a photo's caption), parse mode, inline keyboard,
    photo URL (None for a text message) and link preview options."""

    message_id: int
    chat_id: int
    text: str
    parse_mode: str | None
    keyboard: list[list[dict[str, str]]] = field(default_factory=list)
    photo: str | None = None
    preview: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_entry(cls, entry: dict[str, Any]) -> BotMessage:
        body = entry["message"]
        markup = body.get("reply_markup") or {}
        preview = body.get("link_preview_options") or {}
        return cls(
            message_id=int(entry["messageId"]),
            chat_id=int(body["chat_id"]),
            text=body.get("caption", "") if body.get("photo") else body.get("text", ""),
            parse_mode=body.get("parse_mode"),
            keyboard=markup.get("inline_keyboard", []),
            photo=body.get("photo") or None,
            preview=json.loads(preview) if isinstance(preview, str) else preview,
        )

    def buttons(self) -> list[dict[str, str]]:
        """All inline buttons, row by row."""
        return [button for row in self.keyboard for button in row]

    def item_ids(self) -> list[int]:
        """The item ids of a list reply, from its 👍 buttons (callback data ``l|<id>``)."""
        return [int(b["callback_data"].split("|")[1])
                for b in self.buttons() if b.get("callback_data", "").startswith("l|")]

    def button(self, label_part: str) -> dict[str, str]:
        """The first button whose label contains ``label_part`` (AssertionError if none)."""
        for button in self.buttons():
            if label_part in button["text"]:
                return button
        raise AssertionError(f"no button {label_part!r} in {[b['text'] for b in self.buttons()]}")


class ChatUser:
    """One user talking to the bot in a private chat through the emulator."""

    def __init__(
        self, http: httpx.AsyncClient, token: str, user_id: int, first_name: str = "Tester"
    ) -> None:
        self.http = http
        self.token = token
        self.user_id = user_id
        self.user = {"id": user_id, "is_bot": False, "first_name": first_name}
        self.chat = {"id": user_id, "type": "private", "first_name": first_name}
        self.poll_interval = 0.05  # seconds between two looks for the bot's reply

    def _message(self, text: str, **extra: Any) -> dict[str, Any]:
        return {
            "botToken": self.token,
            "from": self.user,
            "chat": self.chat,
            "date": int(time.time()),
            "text": text,
            **extra,
        }

    async def _post(self, path: str, payload: dict[str, Any]) -> Any:
        response = await self.http.post(path, json=payload)
        response.raise_for_status()
        return response.json()

    async def say(self, text: str) -> None:
        """Send a plain text message."""
        await self._post("/sendMessage", self._message(text))

    async def command(self, text: str) -> None:
        """Send a command such as ``/start`` or ``/more``."""
        name = text.split()[0]
        entities = [{"offset": 0, "length": len(name), "type": "bot_command"}]
        await self._post("/sendCommand", self._message(text, entities=entities))

    async def send_raw(self, **fields: Any) -> None:
        """Send a message with arbitrary fields (a sticker, a photo, ...) instead of text."""
        message = self._message("")
        del message["text"]
        await self._post("/sendMessage", {**message, **fields})

    async def press(self, message: BotMessage, button: dict[str, str]) -> None:
        """Press an inline button under one of the bot's messages."""
        await self._post(
            "/sendCallback",
            {
                "botToken": self.token,
                "from": self.user,
                "message": {
                    "message_id": message.message_id,
                    "date": int(time.time()),
                    "chat": self.chat,
                    "text": message.text,
                    # As Telegram does: the pressed message comes with its keyboard.
                    "reply_markup": {"inline_keyboard": message.keyboard},
                },
                "chat_instance": str(self.user_id),
                "data": button["callback_data"],
            },
        )

    async def start(self, payload: str) -> None:
        """Open the bot through a deep link ``t.me/<bot>?start=<payload>`` (``/start <payload>``)."""
        await self.command(f"/start {payload}")

    async def inline(self, query: str, timeout: float = 30.0) -> dict[str, Any]:
        """Type ``@bot <query>`` in some chat; the bot's answer (results, cache_time, ...)."""
        query_id = (await self._post(
            "/sendInlineQuery", {"botToken": self.token, "from": self.user, "query": query}
        ))["result"]
        deadline = time.monotonic() + timeout
        while True:
            answers = (await self._post("/getInlineAnswers", {"token": self.token}))["result"]
            for answer in answers:
                if answer["inline_query_id"] == query_id:
                    return answer
            if time.monotonic() > deadline:
                raise AssertionError(f"user {self.user_id}: inline query {query!r} not answered")
            await asyncio.sleep(self.poll_interval)

    async def answers(self) -> list[dict[str, Any]]:
        """The bot's answers to this token's callback queries (id and toast text), in order."""
        return (await self._post("/getCallbackAnswers", {"token": self.token}))["result"]

    async def replies(self, count: int = 1, timeout: float = 30.0) -> list[BotMessage]:
        """Wait for ``count`` new bot messages in this chat (AssertionError on timeout)."""
        got: list[BotMessage] = []
        deadline = time.monotonic() + timeout
        while len(got) < count:
            data = await self._post("/getUpdates", {"token": self.token, "chatId": self.user_id})
            got.extend(BotMessage.from_entry(e) for e in data["result"])
            if len(got) >= count:
                break
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"user {self.user_id}: expected {count} bot message(s), got {len(got)}: "
                    f"{[m.text[:80] for m in got]}"
                )
            await asyncio.sleep(self.poll_interval)
        return got

    async def reply(self, timeout: float = 30.0) -> BotMessage:
        """Wait for the next bot message in this chat."""
        return (await self.replies(1, timeout))[0]

    async def no_reply(self, wait: float = 1.0) -> None:
        """Assert the bot sends nothing to this chat within ``wait`` seconds."""
        await asyncio.sleep(wait)
        data = await self._post("/getUpdates", {"token": self.token, "chatId": self.user_id})
        assert data["result"] == [], [e["message"].get("text") for e in data["result"]]

    async def current(self, message: BotMessage) -> BotMessage:
        """The message as it is now (after the bot's edits)."""
        data = await self._post("/getUpdatesHistory", {"token": self.token})
        for entry in data["result"]:
            if "message" in entry and "callbackQuery" not in entry:
                body = entry["message"]
                if (
                    int(entry.get("messageId", -1)) == message.message_id
                    and str(body.get("chat_id")) == str(self.user_id)
                ):
                    return BotMessage.from_entry(entry)
        raise AssertionError(f"message {message.message_id} not found in the emulator's history")

    async def edited(self, message: BotMessage, timeout: float = 10.0) -> BotMessage:
        """Wait until the bot edits ``message`` (its keyboard or text) and return it."""
        deadline = time.monotonic() + timeout
        while True:
            now = await self.current(message)
            if now.keyboard != message.keyboard or now.text != message.text:
                return now
            if time.monotonic() > deadline:
                raise AssertionError(f"message {message.message_id} was not edited")
            await asyncio.sleep(0.05)
