"""The Telegram front end through the emulator, with a small fake dialogue layer.

These pin what the handlers do on their own (rendering, callback answers, keyboard edits,
non-text hints, groups, errors) independently of the models.
"""

from __future__ import annotations

import time

import httpx
import pytest

from bot.dialogue.types import Button, ItemView, Reply
from tests.e2e.conftest import chat_with, fake_item, running_bot
from tests.e2e.harness import ChatUser, Emulator

pytestmark = pytest.mark.e2e


def _item(item_id: int, title: str) -> ItemView:
    return fake_item(item_id, title)


class FakeDialogue:
    """Answers every request with two fixed items; records the calls it got."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int, str]] = []
        self.fail = False

    async def handle_text(self, user_id: int, text: str, language_code: str | None = None) -> Reply:
        self.calls.append(("text", user_id, text))
        if self.fail:
            raise RuntimeError("boom")
        items = [_item(2571, "The Matrix <1999> & co"), _item(1240, "The Terminator")]
        return Reply(
            text="plain",
            items=items,
            header=f"For “{text}”:",
            footer="Rate them to improve the next answer.",
            buttons=[[Button("More", "m||"), Button("Reset", "r||")]],
        )

    async def handle_action(self, user_id: int, data: str, language_code: str | None = None) -> Reply:
        self.calls.append(("action", user_id, data))
        if data.startswith("l|"):
            return Reply(
                text="",
                notice="Noted: you liked it",
                edited_buttons=[[Button("✅ 1 👍", data)]],
            )
        return await self.handle_text(user_id, "more")

    async def handle_command(
        self, user_id: int, command: str, args: str = "", language_code: str | None = None
    ) -> Reply:
        self.calls.append(("command", user_id, command))
        return Reply(text=f"command {command}: type what you want to watch")


async def test_start_then_quick_start_button_then_feedback(
    emulator: Emulator, bot_token: str, client: httpx.AsyncClient
) -> None:
    dialogue = FakeDialogue()
    async with chat_with(emulator, bot_token, client, dialogue, 501) as user:
        await user.command("/start")
        welcome = await user.reply()
        assert "type what you want" in welcome.text
        quick = welcome.buttons()
        assert len(quick) >= 2

        await user.press(welcome, quick[0])
        listing = await user.reply()
        assert dialogue.calls[-1][0:2] == ("text", 501)
        assert listing.parse_mode == "HTML"
        # numbered, linked, escaped, with year, genres, rating and the reason
        assert '1. <b><a href="https://www.imdb.com/title/tt0002571/">' in listing.text
        assert "The Matrix &lt;1999&gt; &amp; co" in listing.text
        assert "(1999)" in listing.text and "Sci-Fi, Action" in listing.text
        assert "★ 4.2" in listing.text and "because you asked for sci-fi" in listing.text
        labels = [b["text"] for b in listing.buttons()]
        assert labels == ["1 👍", "1 👎", "2 👍", "2 👎", "More", "Reset"]

        await user.press(listing, listing.button("1 👍"))
        edited = await user.edited(listing)
        assert [b["text"] for b in edited.buttons()] == ["✅ 1 👍"]
        assert ("action", 501, "l|2571") in dialogue.calls
        # every press was answered; the feedback press with the dialogue's toast
        assert [a["text"] for a in await user.answers()] == [None, "Noted: you liked it"]


async def test_sticker_gets_a_hint_and_errors_are_reported(
    emulator: Emulator, bot_token: str, client: httpx.AsyncClient
) -> None:
    dialogue = FakeDialogue()
    async with chat_with(emulator, bot_token, client, dialogue, 502) as user:
        sticker = {"file_id": "s1", "file_unique_id": "u1", "width": 512, "height": 512,
                   "is_animated": False, "is_video": False, "type": "regular"}
        await user.send_raw(sticker=sticker)
        hint = await user.reply()
        assert "only read text" in hint.text

        dialogue.fail = True
        await user.say("anything")
        error = await user.reply()
        assert "something went wrong" in error.text.lower()
        assert "boom" not in error.text


async def test_group_messages_need_a_mention(
    emulator: Emulator, bot_token: str, client: httpx.AsyncClient
) -> None:
    dialogue = FakeDialogue()
    user = ChatUser(client, bot_token, user_id=503)
    group = {"id": -100503, "type": "group", "title": "movie night"}

    async def group_text(text: str, entities: list[dict] | None = None) -> None:
        payload = {"botToken": bot_token, "from": user.user, "chat": group,
                   "date": int(time.time()), "text": text}
        if entities:
            payload["entities"] = entities
        (await client.post("/sendMessage", json=payload)).raise_for_status()

    async with running_bot(emulator, bot_token, dialogue):
        await group_text("what a nice evening")
        mention = "@TestNameBot"
        await group_text(f"{mention} a sci-fi film",
                         [{"type": "mention", "offset": 0, "length": len(mention)}])
        group_reader = ChatUser(client, bot_token, user_id=group["id"])
        reply = await group_reader.reply()
        assert "For “a sci-fi film”" in reply.text
        await group_reader.no_reply(0.5)
    texts = [call for call in dialogue.calls if call[0] == "text"]
    assert texts == [("text", 503, "a sci-fi film")]
