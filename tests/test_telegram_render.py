"""Rendering a dialogue reply as one Telegram message (HTML, <= 4096 chars, keyboard)."""

from __future__ import annotations

import html
import re

from bot.dialogue.types import Button, ItemView, Reply
from bot.telegram.render import MAX_MESSAGE_CHARS, render_reply


def _item(n: int, title: str = "Alien", url: str | None = None, why: str = "a classic") -> ItemView:
    return ItemView(
        item_id=n, title=title, year=1979, genres=["Horror", "Sci-Fi"], avg_rating=4.05,
        why=why, like=f"l|{n}", dislike=f"d|{n}", url=url,
    )


def _visible(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def test_list_is_numbered_linked_escaped_with_buttons_per_item() -> None:
    reply = Reply(
        text="ignored when items are present",
        items=[_item(1, "Tom & Jerry <The Movie>", url="https://www.imdb.com/title/tt0108364/?a=1&b=2"),
               _item(2, "Alien")],
        header="Sci-fi & horror:",
        footer="Rate them!",
        buttons=[[Button("More", "m"), Button("Reset", "r")]],
    )
    rendered = render_reply(reply)
    assert rendered.text.startswith("Sci-fi &amp; horror:")
    assert '<a href="https://www.imdb.com/title/tt0108364/?a=1&amp;b=2">' in rendered.text
    assert "Tom &amp; Jerry &lt;The Movie&gt;" in rendered.text
    visible = _visible(rendered.text)
    assert "1. Tom & Jerry <The Movie> (1979)" in visible
    assert "2. Alien (1979)" in visible
    assert "Horror, Sci-Fi · ★ 4.0" in visible or "Horror, Sci-Fi · ★ 4.1" in visible
    assert "a classic" in visible and visible.rstrip().endswith("Rate them!")
    rows = rendered.keyboard.inline_keyboard
    assert [[b.text for b in row] for row in rows] == [
        ["1 👍", "1 👎"], ["2 👍", "2 👎"], ["More", "Reset"]
    ]
    assert rows[0][0].callback_data == "l|1" and rows[1][1].callback_data == "d|2"


def test_item_without_url_year_or_rating_is_plain() -> None:
    item = ItemView(item_id=5, title="Obscure", year=None, genres=[], avg_rating=None, why="",
                    like="l", dislike="d")
    text = render_reply(Reply(text="", items=[item])).text
    assert "<a " not in text
    assert _visible(text).strip() == "1. Obscure"


def test_long_lists_stay_under_the_limit_and_drop_buttons_of_cut_items() -> None:
    items = [_item(i, "T" * 300, why="w&" * 200) for i in range(1, 11)]
    rendered = render_reply(Reply(text="", items=items, header="h", footer="f"))
    assert len(rendered.text) <= MAX_MESSAGE_CHARS
    shown = _visible(rendered.text).count("T" * 300)
    assert 0 < shown < 10
    item_rows = [row for row in rendered.keyboard.inline_keyboard if "👍" in row[0].text]
    assert len(item_rows) == shown
    assert rendered.text.endswith("f")  # the footer survives


def test_plain_text_reply_is_escaped_and_clipped() -> None:
    rendered = render_reply(Reply(text="a < b & c", buttons=[[Button("Yes", "y")]]))
    assert rendered.text == "a &lt; b &amp; c"
    assert rendered.keyboard.inline_keyboard[0][0].callback_data == "y"
    assert render_reply(Reply(text="x")).keyboard is None

    long = render_reply(Reply(text="&" * 5000)).text
    assert len(long) <= MAX_MESSAGE_CHARS
    assert long.endswith("&amp;…")  # cut between entities, never inside one


def test_share_button_opens_telegrams_share_dialog_with_the_deep_link() -> None:
    from urllib.parse import parse_qs, urlsplit

    from bot.telegram.render import share_url

    url = share_url("RecBot", "LAQMBAgMA")
    parts = urlsplit(url)
    assert (parts.netloc, parts.path) == ("t.me", "/share/url")
    assert parse_qs(parts.query)["url"] == ["https://t.me/RecBot?start=LAQMBAgMA"]
    rendered = render_reply(Reply("x", items=[_item(1)], buttons=[[Button("More", "m")]]), share=url)
    last = rendered.keyboard.inline_keyboard[-1]
    assert len(last) == 1 and last[0].url == url and "Share" in last[0].text


def test_url_rows_are_what_a_keyboard_edit_keeps() -> None:
    from bot.telegram.render import markup, url_rows

    current = render_reply(Reply("x", items=[_item(1)]), share="https://t.me/share/url?url=x").keyboard
    kept = url_rows(current)
    assert [[b.url for b in row] for row in kept] == [["https://t.me/share/url?url=x"]]
    edited = markup([[Button("✅ 1 👍", "l|1")]], kept)
    assert [b.text for row in edited.inline_keyboard for b in row][0] == "✅ 1 👍"
    assert edited.inline_keyboard[-1][0].url == "https://t.me/share/url?url=x"
    assert url_rows(None) == []


def test_caption_length_is_counted_as_telegram_counts_it() -> None:
    from bot.telegram.render import visible_length

    assert visible_length('<b><a href="https://example.org/?a=1&amp;b=2">Tom &amp; Jerry</a></b>') == 11
    assert visible_length("🎬") == 2  # UTF-16 code units, as Telegram's limits are


def test_the_poster_is_the_top_picks_and_follows_the_setting() -> None:
    import dataclasses

    from bot.dialogue.types import Preferences
    from bot.telegram.posters import poster_of

    top = dataclasses.replace(_item(1), poster_url="https://image.tmdb.org/t/p/w500/a.jpg")
    second = dataclasses.replace(_item(2), poster_url="https://image.tmdb.org/t/p/w500/b.jpg")
    assert poster_of(Reply("x", items=[top, second])) == top.poster_url
    assert poster_of(Reply("x", items=[_item(1), second])) is None  # only the top pick's
    assert poster_of(Reply("x", items=[top], prefs=Preferences(posters=False))) is None
    assert poster_of(Reply("x", items=[dataclasses.replace(top, poster_url="file:///etc/x")])) is None
    assert poster_of(Reply("x")) is None
