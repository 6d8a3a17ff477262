"""Posters and the Share button through the emulator, with a fake dialogue whose items
carry poster URLs (the emulator never fetches them; a ``.invalid`` host is one Telegram
could not fetch, and the launcher refuses it as Telegram would)."""

from __future__ import annotations

import dataclasses
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from bot.dialogue.types import Button, ItemView, Preferences, Reply
from bot.ops.prometheus import ERRORS
from tests.e2e.conftest import chat_with, fake_item
from tests.e2e.harness import Emulator

pytestmark = pytest.mark.e2e

POSTER = "https://image.tmdb.org/t/p/w500/poster-{}.jpg"
BROKEN = "https://posters.invalid/poster-{}.jpg"


def _item(item_id: int, title: str, poster: str | None, why: str = "a fine pick") -> ItemView:
    return fake_item(item_id, title, year=1979, genres=("Horror", "Sci-Fi"), avg_rating=4.0,
                     why=why, poster_url=poster.format(item_id) if poster else None)


class PosterDialogue:
    """Answers ``<poster kind> [n]`` with n items (kind: ok, broken, none) and the given prefs."""

    def __init__(self) -> None:
        self.prefs = Preferences()

    async def handle_text(self, user_id: int, text: str, language_code: str | None = None) -> Reply:
        kind, _, count = text.partition(" ")
        poster = {"ok": POSTER, "broken": BROKEN}.get(kind)
        why = "x" * 150 if count else "a fine pick"
        items = [_item(1 + n, f"Movie {n + 1}", poster, why) for n in range(int(count or 3))]
        return Reply(text="plain", items=items, header="Here's what I found:", footer="Rate them.",
                     buttons=[[Button("More", "m")]], share="LAQMBAgMA", prefs=self.prefs)

    async def handle_action(self, user_id: int, data: str, language_code: str | None = None) -> Reply:
        return Reply(text="", notice="Noted", edited_buttons=[[Button("✅ 1 👍", data)], [Button("More", "m")]])

    async def handle_command(
        self, user_id: int, command: str, args: str = "", language_code: str | None = None
    ) -> Reply:
        return Reply(text=f"/{command}")

    async def handle_inline(self, user_id: int, text: str) -> Reply:
        return Reply(text="")


def _errors() -> float:
    return sum(s.value for m in ERRORS.collect() for s in m.samples if s.name.endswith("_total"))


async def test_the_top_pick_poster_is_the_photo_and_the_list_its_caption(
    emulator: Emulator, bot_token: str, client: httpx.AsyncClient
) -> None:
    dialogue = PosterDialogue()
    async with chat_with(emulator, bot_token, client, dialogue, 611) as user:
        await user.say("ok")
        listing = await user.reply()
        assert listing.photo == POSTER.format(1)
        assert listing.parse_mode == "HTML"
        assert "1. <b>" in listing.text and "3. <b>" in listing.text and "Rate them." in listing.text
        labels = [b["text"] for b in listing.buttons()]
        assert labels[:6] == ["1 👍", "1 👎", "2 👍", "2 👎", "3 👍", "3 👎"]
        share = listing.buttons()[-1]
        assert "Share" in share["text"]
        target = parse_qs(urlsplit(share["url"]).query)["url"][0]
        assert target == "https://t.me/TestNameBot?start=LAQMBAgMA"

        # Feedback edits the photo message's keyboard; the Share button stays.
        await user.press(listing, listing.button("1 👍"))
        edited = await user.edited(listing)
        assert [b["text"] for b in edited.buttons()][0] == "✅ 1 👍"
        assert edited.buttons()[-1]["url"] == share["url"]


async def test_a_poster_telegram_cannot_fetch_falls_back_to_the_text_list(
    emulator: Emulator, bot_token: str, client: httpx.AsyncClient
) -> None:
    dialogue = PosterDialogue()
    errors = _errors()
    async with chat_with(emulator, bot_token, client, dialogue, 612) as user:
        await user.say("broken")
        listing = await user.reply()
        assert listing.photo is None
        assert "1. <b>" in listing.text and "3. <b>" in listing.text
        assert listing.preview.get("is_disabled") is True
        assert [b["text"] for b in listing.buttons()][:2] == ["1 👍", "1 👎"]
        await user.no_reply(0.5)  # one reply, and no "something went wrong"
    assert _errors() == errors


async def test_posters_follow_the_users_setting_and_long_lists_preview_the_poster(
    emulator: Emulator, bot_token: str, client: httpx.AsyncClient
) -> None:
    dialogue = PosterDialogue()
    async with chat_with(emulator, bot_token, client, dialogue, 613) as user:
        # Ten long entries do not fit a 1024-character caption: text with the poster above.
        await user.say("ok 10")
        long_list = await user.reply()
        assert long_list.photo is None and "10. <b>" in long_list.text
        assert long_list.preview["url"] == POSTER.format(1)
        assert long_list.preview.get("show_above_text") is True

        dialogue.prefs = dataclasses.replace(dialogue.prefs, posters=False)
        await user.say("ok")
        plain = await user.reply()
        assert plain.photo is None and plain.preview.get("is_disabled") is True
        assert "1. <b>" in plain.text

        # Items without posters are a text list as before.
        dialogue.prefs = Preferences()
        await user.say("none")
        text_only = await user.reply()
        assert text_only.photo is None and "1. <b>" in text_only.text
